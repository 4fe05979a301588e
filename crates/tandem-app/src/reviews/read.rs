//! Reading reviews: one by id, or a list newest first by cursor. Visitors and customers list the
//! public reviews (and customers their own too); staff list every review, and the console asks
//! for the unanswered ones first.

use serde::Deserialize;
use tandem_domain::{Principal, ReviewId, ReviewVisibility, ServiceId, TeamId};
use tandem_store::reviews::{self, ReviewFilter, ReviewScope};

use super::views::{ReviewView, list_view, review_view};
use crate::page::{decode_cursor, encode_cursor};
use crate::{App, AppError, Page, PageRequest};

/// Filters of the review list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ReviewQuery {
    pub service_id: Option<ServiceId>,
    /// The team that owns the reviewed services.
    pub team_id: Option<TeamId>,
    /// Only this many stars.
    pub rating: Option<i64>,
    /// `false`: only reviews the team has not answered yet.
    pub answered: Option<bool>,
    /// `true`: only hidden reviews (what you may see of them: staff all, an author their own).
    pub hidden: Option<bool>,
    pub visibility: Option<ReviewVisibility>,
    /// `true`: only the reviews you wrote.
    pub mine: Option<bool>,
}

impl App {
    /// One review, if `reader` (`None`: a visitor) may read it.
    pub async fn get_review(&self, reader: Option<&Principal>, id: ReviewId) -> Result<ReviewView, AppError> {
        let mut conn = self.store().read().await?;
        let row = reviews::get(conn.conn(), id).await?.ok_or(AppError::NotFound("review"))?;
        review_view(conn.conn(), reader, row).await
    }

    /// The reviews `reader` may read that match `query`, newest first.
    pub async fn list_reviews(
        &self,
        reader: Option<&Principal>,
        query: ReviewQuery,
        page: PageRequest,
    ) -> Result<Page<ReviewView>, AppError> {
        let size = page.size(self.limits().max_page_size);
        let before = page.cursor.as_deref().map(decode_cursor::<ReviewId>).transpose()?;
        let author_id = match (query.mine, reader) {
            (Some(true), Some(principal)) => Some(principal.person_id),
            (Some(true), None) => return Err(AppError::Unauthorized("sign in to list your reviews")),
            _ => None,
        };
        let scope = match reader {
            Some(principal) if principal.is_staff() => ReviewScope::All,
            Some(principal) => ReviewScope::PublicAndOwn(principal.person_id),
            None => ReviewScope::Public,
        };
        let filter = ReviewFilter {
            service_id: query.service_id,
            team_id: query.team_id,
            author_id,
            rating: query.rating,
            answered: query.answered,
            hidden: query.hidden,
            visibility: query.visibility,
        };
        let mut conn = self.store().read().await?;
        let before = before.unwrap_or(ReviewId(i64::MAX));
        let rows = reviews::list(conn.conn(), scope, &filter, before, i64::from(size) + 1).await?;
        Ok(Page::from_rows(rows, size, |row| encode_cursor(&row.id), |row| list_view(reader, row)))
    }
}
