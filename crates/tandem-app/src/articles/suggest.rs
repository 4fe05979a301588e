//! Suggestions while a request is typed: the few published articles of the reader's audiences
//! that match the subject so far, the last word matching as a prefix ("pass" finds "password").

use tandem_domain::Principal;
use tandem_domain::search::SearchTerms;

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
        search_hits(conn.conn(), reader, &terms, MAX_SUGGESTIONS).await
    }
}
