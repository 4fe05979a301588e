//! Suggestions while a request is typed: the few published articles of the reader's audiences
//! that match the subject so far, the last word matching as a prefix ("pass" finds "password").
//! All the words when they match together; otherwise any of them, best ranked first, since a
//! subject is often a sentence whose every word no article holds.

use tandem_domain::Principal;
use tandem_domain::search::SearchTerms;
use tandem_store::articles::search::Match;

use super::read::search_hits;
use super::views::ArticleSummary;
use crate::{App, AppError};

/// More would crowd the form the reader is typing in.
const MAX_SUGGESTIONS: u32 = 5;

impl App {
    pub async fn suggest_articles(
        &self,
        reader: Option<&Principal>,
        text: &str,
    ) -> Result<Vec<ArticleSummary>, AppError> {
        let Some(terms) = SearchTerms::parse(text, true) else { return Ok(Vec::new()) };
        let mut conn = self.store().read().await?;
        let all = search_hits(conn.conn(), reader, &terms, Match::All, MAX_SUGGESTIONS).await?;
        if !all.is_empty() {
            return Ok(all);
        }
        search_hits(conn.conn(), reader, &terms, Match::Any, MAX_SUGGESTIONS).await
    }
}
