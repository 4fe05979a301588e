//! One target's clock. It counts business time while the ticket is worked on, pauses while the
//! ticket waits on the customer, and stops when the target is met. Used business time is kept in
//! `elapsed_ms` (up to `running_since`), so a pause, a reopening or a new target (the priority
//! changed) recomputes the due time from what was already used, never from scratch and never
//! counting the paused time: reopening cannot breach at once for time spent waiting.

use crate::calendar::Calendar;
use crate::{Millis, TargetState};

/// What the ticket says the clock should be doing now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Counting, for the cycle that began at `cycle_start` (a ticket's creation, a customer's message).
    Counting { cycle_start: Millis },
    /// Waiting on the customer: time does not count.
    Paused { cycle_start: Millis },
    /// Met (or ended) at this instant.
    Stopped { cycle_start: Millis, at: Millis },
}

impl Phase {
    fn cycle_start(self) -> Millis {
        match self {
            Phase::Counting { cycle_start } | Phase::Paused { cycle_start } | Phase::Stopped { cycle_start, .. } => {
                cycle_start
            }
        }
    }
}

/// A target's stored clock.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct TargetClock {
    pub state: TargetState,
    pub started_at: Millis,
    pub target_ms: Millis,
    pub elapsed_ms: Millis,
    pub running_since: Option<Millis>,
    pub due_at: Option<Millis>,
    pub warn_at: Option<Millis>,
    pub warned_at: Option<Millis>,
    pub breached_at: Option<Millis>,
    pub stopped_at: Option<Millis>,
}

impl TargetClock {
    /// Moves a clock (or starts one, for a new cycle) to `phase` at `now`, for a target of
    /// `target_ms` that warns when `warn_percent` of it is used.
    pub fn advance(
        previous: Option<&TargetClock>,
        phase: Phase,
        target_ms: Millis,
        warn_percent: i64,
        calendar: &Calendar,
        now: Millis,
    ) -> TargetClock {
        let mut clock = match previous {
            Some(clock) if clock.started_at == phase.cycle_start() => clock.clone(),
            _ => TargetClock::start(phase.cycle_start()),
        };
        clock.target_ms = target_ms;
        match phase {
            Phase::Counting { .. } => clock.run(calendar, warn_percent, now),
            Phase::Paused { .. } => clock.hold(calendar, now, None),
            Phase::Stopped { at, .. } => clock.hold(calendar, at.min(now), Some(at)),
        }
        clock
    }

    fn start(at: Millis) -> TargetClock {
        TargetClock {
            state: TargetState::Running,
            started_at: at,
            target_ms: 0,
            elapsed_ms: 0,
            running_since: Some(at),
            due_at: None,
            warn_at: None,
            warned_at: None,
            breached_at: None,
            stopped_at: None,
        }
    }

    fn run(&mut self, calendar: &Calendar, warn_percent: i64, now: Millis) {
        let since = *self.running_since.get_or_insert(now);
        self.stopped_at = None;
        self.due_at = calendar.add(since, (self.target_ms - self.elapsed_ms).max(0));
        let warn_ms = self.target_ms * warn_percent / 100;
        self.warn_at = match self.warned_at {
            None if warn_ms > self.elapsed_ms => calendar.add(since, warn_ms - self.elapsed_ms),
            _ => None,
        };
        self.state = if self.breached_at.is_some() { TargetState::Breached } else { TargetState::Running };
    }

    fn hold(&mut self, calendar: &Calendar, until: Millis, stopped_at: Option<Millis>) {
        if let Some(since) = self.running_since.take() {
            self.elapsed_ms += calendar.measure(since, until);
        }
        self.due_at = None;
        self.warn_at = None;
        self.stopped_at = stopped_at;
        let late = self.breached_at.is_some() || self.elapsed_ms > self.target_ms;
        self.state = match (late, stopped_at) {
            (true, _) => TargetState::Breached,
            (false, Some(_)) => TargetState::Met,
            (false, None) => TargetState::Paused,
        };
    }

    /// Business time left at `now` (negative once overdue); `None` once stopped.
    pub fn business_ms_left(&self, calendar: &Calendar, now: Millis) -> Option<Millis> {
        if self.stopped_at.is_some() {
            return None;
        }
        let running = self.running_since.map_or(0, |since| calendar.measure(since, now));
        Some(self.target_ms - self.elapsed_ms - running)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Millis = 3_600_000;

    fn always() -> Calendar {
        Calendar::always_open()
    }

    #[test]
    fn a_pause_does_not_count_and_resuming_moves_the_due_time() {
        let calendar = always();
        let start = 1_000 * HOUR;
        let running =
            TargetClock::advance(None, Phase::Counting { cycle_start: start }, 4 * HOUR, 75, &calendar, start);
        assert_eq!((running.due_at, running.warn_at), (Some(start + 4 * HOUR), Some(start + 3 * HOUR)));
        let paused = TargetClock::advance(
            Some(&running),
            Phase::Paused { cycle_start: start },
            4 * HOUR,
            75,
            &calendar,
            start + HOUR,
        );
        assert_eq!((paused.state, paused.elapsed_ms, paused.due_at), (TargetState::Paused, HOUR, None));
        // Ten hours later the customer answers: three hours are left, not minus seven.
        let resumed = TargetClock::advance(
            Some(&paused),
            Phase::Counting { cycle_start: start },
            4 * HOUR,
            75,
            &calendar,
            start + 11 * HOUR,
        );
        assert_eq!(resumed.state, TargetState::Running);
        assert_eq!(resumed.due_at, Some(start + 14 * HOUR));
        assert_eq!(resumed.business_ms_left(&calendar, start + 12 * HOUR), Some(2 * HOUR));
        let met = TargetClock::advance(
            Some(&resumed),
            Phase::Stopped { cycle_start: start, at: start + 13 * HOUR },
            4 * HOUR,
            75,
            &calendar,
            start + 13 * HOUR,
        );
        assert_eq!(
            (met.state, met.elapsed_ms, met.business_ms_left(&calendar, start + 20 * HOUR)),
            (TargetState::Met, 3 * HOUR, None)
        );
    }

    #[test]
    fn late_is_breached_and_a_new_cycle_starts_fresh() {
        let calendar = always();
        let start = 1_000 * HOUR;
        let running = TargetClock::advance(None, Phase::Counting { cycle_start: start }, HOUR, 50, &calendar, start);
        assert_eq!(running.business_ms_left(&calendar, start + 3 * HOUR), Some(-2 * HOUR), "overdue by two hours");
        let late = TargetClock::advance(
            Some(&running),
            Phase::Stopped { cycle_start: start, at: start + 2 * HOUR },
            HOUR,
            50,
            &calendar,
            start + 2 * HOUR,
        );
        assert_eq!(late.state, TargetState::Breached);
        let next = start + 5 * HOUR;
        let fresh = TargetClock::advance(Some(&late), Phase::Counting { cycle_start: next }, HOUR, 50, &calendar, next);
        assert_eq!((fresh.state, fresh.elapsed_ms, fresh.due_at), (TargetState::Running, 0, Some(next + HOUR)));
        // A bigger target (the priority went down) keeps the used time: due one more hour later.
        let relaxed = TargetClock::advance(
            Some(&fresh),
            Phase::Counting { cycle_start: next },
            2 * HOUR,
            50,
            &calendar,
            next + 10,
        );
        assert_eq!(relaxed.due_at, Some(next + 2 * HOUR));
    }
}
