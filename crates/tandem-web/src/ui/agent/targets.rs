//! The ticket page's service-standard lines: each target in words ("On track · 2 h 10 min left").

use tandem_app::standards::TargetView;
use tandem_domain::{Metric, TargetState};

use super::format::utc;

/// One target as the side panel shows it.
#[derive(Clone, Debug)]
pub(super) struct TargetLine {
    pub label: &'static str,
    /// The state word, for styling (`running`, `paused`, `met`, `breached`).
    pub state: &'static str,
    pub state_label: &'static str,
    pub left: Option<String>,
    pub due: Option<String>,
}

pub(super) fn lines(targets: &[TargetView]) -> Vec<TargetLine> {
    targets.iter().map(line).collect()
}

fn line(target: &TargetView) -> TargetLine {
    TargetLine {
        label: match target.metric {
            Metric::FirstResponse => "First response",
            Metric::NextResponse => "Next response",
            Metric::Resolution => "Resolution",
        },
        state: target.state.as_str(),
        state_label: match target.state {
            TargetState::Running => "On track",
            TargetState::Paused => "Paused (waiting on customer)",
            TargetState::Met => "Met",
            TargetState::Breached => "Breached",
        },
        left: target.business_minutes_left.map(duration_words),
        due: target.due_at.map(utc),
    }
}

/// Business minutes left (or overdue, when negative) in words.
fn duration_words(minutes: i64) -> String {
    let amount = minutes.unsigned_abs();
    let text = match amount {
        0..=59 => format!("{amount} min"),
        _ => format!("{} h {} min", amount / 60, amount % 60),
    };
    if minutes < 0 { format!("{text} overdue") } else { format!("{text} left") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_reads_as_words() {
        assert_eq!(duration_words(130), "2 h 10 min left");
        assert_eq!(duration_words(5), "5 min left");
        assert_eq!(duration_words(-75), "1 h 15 min overdue");
    }
}
