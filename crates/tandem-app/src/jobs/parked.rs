//! What admins see of the queue: jobs parked after their last attempt, and putting one back.

use serde::{Deserialize, Serialize};
use tandem_domain::{Millis, Principal};
use tandem_store::jobs::{self, JobRow};

use crate::directory::{require_admin, require_staff};
use crate::page::{decode_cursor, encode_cursor};
use crate::{App, AppError, Instant, Page, PageRequest, instant};

/// A job as the API shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct JobView {
    pub id: i64,
    pub kind: String,
    /// The job's fields (JSON text).
    pub payload: String,
    /// `queued`, `parked` or `done`.
    pub state: String,
    pub attempts: i64,
    pub max_attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it is due (queued) or when it was parked.
    pub run_at: Instant,
    pub created_at: Instant,
}

impl From<JobRow> for JobView {
    fn from(row: JobRow) -> Self {
        JobView {
            id: row.id,
            kind: row.kind,
            payload: row.payload,
            state: row.state,
            attempts: row.attempts,
            max_attempts: row.max_attempts,
            last_error: row.last_error,
            run_at: instant(row.run_at),
            created_at: instant(row.created_at),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct ParkedCursor(Millis, i64);

impl App {
    /// Parked jobs, oldest first. Admins only; customers are told there is nothing here.
    pub async fn list_parked_jobs(&self, principal: &Principal, page: PageRequest) -> Result<Page<JobView>, AppError> {
        require_staff(principal, "job")?;
        require_admin(principal)?;
        let after = page.cursor.as_deref().map(decode_cursor::<ParkedCursor>).transpose()?;
        let size = page.size(self.limits().max_page_size);
        let mut reader = self.store().read().await?;
        let rows = jobs::list_parked(reader.conn(), after.map(|c| (c.0, c.1)), i64::from(size) + 1).await?;
        Ok(Page::from_rows(rows, size, |row| encode_cursor(&ParkedCursor(row.run_at, row.id)), JobView::from))
    }

    /// Puts a parked job back in the queue, due now, with all its attempts again.
    pub async fn retry_job(&self, principal: &Principal, id: i64, now: Millis) -> Result<JobView, AppError> {
        require_staff(principal, "job")?;
        require_admin(principal)?;
        let mut tx = self.store().begin().await?;
        if !jobs::requeue_parked(tx.conn(), id, now).await? {
            return match jobs::get(tx.conn(), id).await? {
                None => Err(AppError::NotFound("job")),
                Some(_) => Err(AppError::conflict("job_not_parked", "only a parked job can be retried")),
            };
        }
        let row = jobs::get(tx.conn(), id).await?.ok_or(AppError::NotFound("job"))?;
        tx.commit().await?;
        Ok(row.into())
    }
}
