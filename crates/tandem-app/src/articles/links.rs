//! "Insert article link" in an agent's reply: articles the ticket's requester may read (public
//! ones for an external customer; public and employees' ones for an employee), so a link in a
//! reply never leads the customer to a page they cannot open.

use tandem_domain::search::SearchTerms;
use tandem_domain::{ArticleAudience, Principal, TicketAccess, TicketAudience, TicketId};
use tandem_store::articles::search::{self, Match};

use super::views::{ArticleSummary, hit_summary};
use crate::{App, AppError};

const MAX_LINKS: i64 = 10;

impl App {
    pub async fn article_links_for_ticket(
        &self,
        principal: &Principal,
        ticket: TicketId,
        text: &str,
    ) -> Result<Vec<ArticleSummary>, AppError> {
        let mut reader = self.store().read().await?;
        let (view, access) = crate::tickets::access(reader.conn(), principal, ticket).await?;
        if access != TicketAccess::Agent {
            return Err(AppError::forbidden("only the ticket's agents insert article links"));
        }
        let audiences: &[ArticleAudience] = match view.audience {
            TicketAudience::External => &[ArticleAudience::Public],
            TicketAudience::Internal => &[ArticleAudience::Public, ArticleAudience::Employees],
        };
        let Some(terms) = SearchTerms::parse(text, true) else { return Ok(Vec::new()) };
        let hits = search::search(reader.conn(), &terms, Match::All, audiences, MAX_LINKS).await?;
        let names = tandem_store::articles::categories::list(reader.conn()).await?;
        Ok(hits.into_iter().map(|hit| hit_summary(hit, &names)).collect())
    }
}
