//! The ticket page's service-chain card: every ticket of the chain this one belongs to, indented
//! by depth, with its team, status, resolution target and the time its parent waited on it. A
//! link the viewer may not open shows only its team and state.

use tandem_app::chain::{ChainLink, ChainOut};
use tandem_domain::TicketId;

use super::format::{status_label, utc};

/// One ticket of the chain as the card shows it.
#[derive(Clone, Debug)]
pub(super) struct ChainLine {
    pub id: i64,
    /// Left indent, in steps of the chain's depth.
    pub depth: i64,
    pub current: bool,
    /// The agent page to open, when the viewer works that ticket's team.
    pub href: Option<String>,
    pub title: String,
    pub team: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub target: Option<String>,
    pub waited: Option<String>,
    pub rating: Option<String>,
    /// A request serving the page's ticket that is still open (solving needs a reason then).
    pub open_request: bool,
}

/// The card's lines; empty when the ticket is in no chain (the card is not drawn).
pub(super) fn lines(chain: &ChainOut, workable: impl Fn(&ChainLink) -> bool) -> Vec<ChainLine> {
    if chain.links.len() < 2 {
        return Vec::new();
    }
    chain.links.iter().map(|link| line(link, chain.ticket_id, workable(link))).collect()
}

fn line(link: &ChainLink, current: TicketId, workable: bool) -> ChainLine {
    let title = match &link.subject {
        Some(subject) => subject.clone(),
        None => format!("A request to {}", link.team.name),
    };
    let target = match (&link.standard, link.resolution_state, link.resolution_due_at) {
        (Some(standard), Some(state), due) => Some(match due {
            Some(due) => format!("{standard}: {state}, due {}", utc(due)),
            None => format!("{standard}: {state}"),
        }),
        _ => None,
    };
    let waited = link.waited_minutes.filter(|minutes| *minutes > 0 || link.waiting_now).map(|minutes| {
        let amount =
            if minutes < 60 { format!("{minutes} min") } else { format!("{} h {} min", minutes / 60, minutes % 60) };
        if link.waiting_now { format!("waited on for {amount} so far") } else { format!("waited on for {amount}") }
    });
    ChainLine {
        id: link.id.0,
        depth: link.depth,
        current: link.id == current,
        href: (workable && link.id != current).then(|| format!("/agent/tickets/{}", link.id.0)),
        title,
        team: link.team.name.clone(),
        status: link.status.as_str(),
        status_label: status_label(link.status),
        target,
        waited,
        rating: link.rating.map(|rating| format!("hand-off rated {rating}/5")),
        open_request: link.serves_id == Some(current) && link.status.is_active(),
    }
}
