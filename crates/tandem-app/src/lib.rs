//! Tandem's use cases: one function per thing a person can do, with the acting [`Principal`]
//! passed in, the visibility and permission checks applied, and every write done in one
//! transaction (the audit event included).
//!
//! Request and response types here are also the REST API's JSON shapes (the web crate derives the
//! OpenAPI document from them), so a field added to a view is added to the API in one place.

mod error;
mod page;
mod time;

pub mod announcements;
pub mod articles;
pub mod auth;
pub mod catalog;
pub mod chain;
pub mod directory;
pub mod feedback;
pub mod idempotency;
pub mod incidents;
pub mod jobs;
pub mod loyalty;
pub mod mail;
pub mod passwords;
pub mod recovery;
pub mod reviews;
pub mod routing;
pub mod seed;
pub mod standards;
pub mod surveys;
pub mod tickets;

use std::sync::Arc;

use tandem_store::Store;

pub use error::AppError;
pub use page::{Page, PageRequest};
pub use tandem_domain::{Millis, Principal};
pub use time::{Instant, instant};

/// Bounds that keep every request's cost predictable.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest page any list returns.
    pub max_page_size: u32,
    /// Largest attachment accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Largest message body, in characters.
    pub max_body_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_page_size: 100, max_upload_bytes: 10 * 1024 * 1024, max_body_chars: 100_000 }
    }
}

/// The application: the store, the limits and how mail goes out; cheap to clone into every request.
#[derive(Clone, Debug)]
pub struct App {
    store: Store,
    limits: Limits,
    outbound: Option<Arc<mail::Outbound>>,
}

impl App {
    pub fn new(store: Store, limits: Limits) -> Self {
        Self { store, limits, outbound: None }
    }

    /// The same app, sending email (replies, acknowledgements, notifications) through `outbound`.
    pub fn with_outbound(self, outbound: mail::Outbound) -> Self {
        Self { outbound: Some(Arc::new(outbound)), ..self }
    }

    /// The same app, sending no email (for loading history that happened elsewhere).
    pub fn without_outbound(&self) -> Self {
        Self { outbound: None, ..self.clone() }
    }

    /// How this node sends email, when it does.
    pub fn outbound(&self) -> Option<&Arc<mail::Outbound>> {
        self.outbound.as_ref()
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Answers when the database answers (for `/healthz`).
    pub async fn health(&self) -> Result<(), AppError> {
        Ok(self.store.ping().await?)
    }

    /// Whether the desk has nobody in it yet (a fresh database).
    pub async fn is_empty(&self) -> Result<bool, AppError> {
        let mut reader = self.store.read().await?;
        Ok(!tandem_store::people::any(reader.conn()).await?)
    }

    /// Closes the database cleanly (SQLite checkpoints its log).
    pub async fn close(&self) {
        self.store.close().await;
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }
}
