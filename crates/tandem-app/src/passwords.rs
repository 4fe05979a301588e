//! Password hashing with Argon2id (PHC strings), off the async threads: a hash costs ~50 ms.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

use crate::AppError;

pub const MIN_PASSWORD_CHARS: usize = 8;

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let hashed: Result<PasswordHash, _> = Argon2::default().hash_password(password.as_bytes());
        hashed
            .map(|hash| hash.to_string())
            .map_err(|error| AppError::Internal(anyhow::anyhow!("hashing a password: {error}")))
    })
    .await
    .map_err(|error| AppError::Internal(error.into()))?
}

/// Whether `password` matches the stored PHC string. A malformed stored hash never matches.
pub async fn verify(password: String, stored: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        <Argon2<'_> as PasswordVerifier<str>>::verify_password(&Argon2::default(), password.as_bytes(), &stored).is_ok()
    })
    .await
    .map_err(|error| AppError::Internal(error.into()))
}
