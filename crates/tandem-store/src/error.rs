//! Storage errors in the store's own words; `sqlx::Error` is mapped once, here.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule refused the write (the same email twice, a token hash, a slug…).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The row refers to something that does not exist (a foreign key).
    #[error("a referenced record does not exist: {0}")]
    MissingReference(String),
    /// A CHECK constraint refused a value the app layer should have caught.
    #[error("a value broke a database rule: {0}")]
    Invalid(String),
    /// The database cannot be reached or gave up waiting (pool timeout, I/O).
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// The configuration does not describe a usable database.
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(database_error) => {
                let detail = database_error.message().to_owned();
                if database_error.is_unique_violation() {
                    StoreError::Conflict(detail)
                } else if database_error.is_foreign_key_violation() {
                    StoreError::MissingReference(detail)
                } else if database_error.is_check_violation() {
                    StoreError::Invalid(detail)
                } else if is_busy(&*database_error) {
                    StoreError::Unavailable(sqlx::Error::Database(database_error))
                } else {
                    StoreError::Other(anyhow::Error::new(sqlx::Error::Database(database_error)))
                }
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
                StoreError::Unavailable(error)
            }
            other => StoreError::Other(anyhow::Error::new(other)),
        }
    }
}

/// SQLite's BUSY/LOCKED (another process held the write lock past `busy_timeout`) and
/// PostgreSQL's serialization and deadlock failures: the caller may retry.
fn is_busy(error: &dyn sqlx::error::DatabaseError) -> bool {
    matches!(error.code().as_deref(), Some("5" | "6" | "517" | "40001" | "40P01"))
}
