//! Searching tickets by the words of their subjects and conversations: the same tickets the
//! principal may list (the list's filters narrow it further), internal notes searched only in the
//! agent's view, each hit with its matching passage marked.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tandem_domain::search::SearchTerms;
use tandem_domain::{Principal, TicketId};
use tandem_store::{ticket_search, tickets};

use super::read::{ListScope, TicketQuery, member_view, scoped_filter};
use super::views::{TicketOut, ticket_out};
use crate::{App, AppError};

/// How many tickets one search answers by default, and at most.
const DEFAULT_HITS: u32 = 20;
const MAX_HITS: u32 = 50;

/// What to search for.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct SearchText {
    /// The words to find, in any order; punctuation and search operators are ignored.
    pub q: String,
    /// How many tickets to answer (default 20, at most 50).
    pub limit: Option<u32>,
}

/// One ticket found, with where the words were found.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TicketHitOut {
    pub ticket: TicketOut,
    /// The subject as HTML with the words found in `<mark>`, when the subject matched.
    pub subject_html: Option<String>,
    /// A passage of the best-matching message as HTML (escaped, words found in `<mark>`), when a
    /// message matched better than the subject.
    pub snippet_html: Option<String>,
    /// The message the passage is from.
    pub message_id: Option<i64>,
}

/// The tickets found, best first.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    pub items: Vec<TicketHitOut>,
}

impl App {
    /// The tickets the principal may see whose subject or conversation holds every word of `text`.
    pub async fn search_tickets(
        &self,
        principal: &Principal,
        text: SearchText,
        query: TicketQuery,
    ) -> Result<SearchResults, AppError> {
        let terms = SearchTerms::parse(&text.q, false)
            .ok_or_else(|| AppError::invalid("q", "type at least one word to search for"))?;
        let limit = text.limit.unwrap_or(DEFAULT_HITS);
        if limit == 0 || limit > MAX_HITS {
            return Err(AppError::invalid("limit", format!("must be between 1 and {MAX_HITS}")));
        }
        let (scope, filter) = scoped_filter(principal, &query)?;
        // Only an agent's own work shows internal notes; anything else is the customer's view.
        let public_only = scope == ListScope::Requested;
        let mut reader = self.store().read().await?;
        let hits = ticket_search::search(reader.conn(), &terms, &filter, public_only, limit as usize).await?;
        let ids: Vec<TicketId> = hits.iter().map(|hit| hit.ticket_id).collect();
        let message_ids: Vec<_> = hits.iter().filter_map(|hit| hit.message_id).collect();
        let subject_ids: Vec<_> = hits.iter().filter(|hit| hit.message_id.is_none()).map(|hit| hit.ticket_id).collect();
        let mut rows: HashMap<TicketId, tickets::TicketView> =
            tickets::get_many(reader.conn(), &ids).await?.into_iter().map(|row| (row.id, row)).collect();
        let (passages, subjects) = ticket_search::snippets(reader.conn(), &terms, &message_ids, &subject_ids).await?;
        let items = hits
            .into_iter()
            .filter_map(|hit| {
                let row = rows.remove(&hit.ticket_id)?;
                let access = match scope {
                    ListScope::Work => tandem_domain::TicketAccess::Agent,
                    ListScope::Requested => member_view(principal, row.team_id),
                };
                Some(TicketHitOut {
                    subject_html: subjects.get(&hit.ticket_id).map(|snippet| snippet.to_html()),
                    snippet_html: hit.message_id.and_then(|id| passages.get(&id)).map(|snippet| snippet.to_html()),
                    message_id: hit.message_id.map(|id| id.0),
                    ticket: ticket_out(access, row),
                })
            })
            .collect();
        Ok(SearchResults { items })
    }
}
