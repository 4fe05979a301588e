//! Application errors, in the words a caller can act on. The web crate turns each into a status
//! code and a stable JSON error code; nothing here knows about HTTP.

use tandem_domain::FieldErrors;
use tandem_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such thing, or the principal may not see it (the two are answered alike).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The principal sees the thing but may not do this to it.
    #[error("{0}")]
    Forbidden(String),
    /// Not signed in, or the credentials are wrong.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// The input is wrong; each field says why.
    #[error("invalid input: {}", .0.summary())]
    Invalid(FieldErrors),
    /// The write collides with the current state (`code` is stable, e.g. `version_conflict`).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// An update must say which version it changes (If-Match).
    #[error("{0}")]
    PreconditionRequired(&'static str),
    #[error("too many attempts; try again in a few minutes")]
    RateLimited,
    /// The database is unreachable or overloaded; the caller may retry.
    #[error("the service is temporarily unavailable; try again")]
    Unavailable,
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid(FieldErrors::single(field, message))
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden(message.into())
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Conflict { code, message: message.into() }
    }

    /// The standard answer when an update raced another one.
    pub fn version_conflict(what: &str) -> Self {
        Self::conflict("version_conflict", format!("the {what} was changed by someone else; reload it and try again"))
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound("record"),
            StoreError::Conflict(_) => AppError::conflict("conflict", "this conflicts with an existing record"),
            StoreError::MissingReference(_) => {
                AppError::conflict("missing_reference", "a referenced record does not exist or was removed")
            }
            StoreError::Unavailable(_) => AppError::Unavailable,
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}
