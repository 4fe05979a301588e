//! `Idempotency-Key` support: a create retried with the same key returns what the first call
//! created instead of creating it again. A key reused for a different request is refused.

use sha2::{Digest, Sha256};
use tandem_domain::PersonId;
use tandem_store::idempotency::{self, Recorded};
use tandem_store::{Store, Tx};

use crate::{AppError, Millis};

/// A key the caller sent, with a fingerprint of the request it came with.
#[derive(Clone, Debug)]
pub struct IdempotencyKey {
    pub key: String,
    fingerprint: String,
}

impl IdempotencyKey {
    /// Checks the key's shape and fingerprints the request (its kind, target and body).
    pub fn new(key: &str, request: &impl serde::Serialize) -> Result<Self, AppError> {
        let key = key.trim();
        if key.is_empty() || key.len() > 200 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(AppError::invalid("Idempotency-Key", "must be 1–200 visible ASCII characters"));
        }
        let body = serde_json::to_vec(request).map_err(|error| AppError::Internal(error.into()))?;
        let fingerprint = Sha256::digest(&body).iter().map(|byte| format!("{byte:02x}")).collect();
        Ok(Self { key: key.to_owned(), fingerprint })
    }
}

/// What a key already produced, if it was used before by this person. Without a key there is
/// nothing to look up, and no connection is taken.
pub(crate) async fn replay(
    store: &Store,
    person: PersonId,
    key: Option<&IdempotencyKey>,
    kind: &str,
) -> Result<Option<i64>, AppError> {
    let Some(key) = key else { return Ok(None) };
    let mut reader = store.read().await?;
    let Some(recorded) = idempotency::get(reader.conn(), person, &key.key).await? else { return Ok(None) };
    if recorded.fingerprint != key.fingerprint || recorded.resource_kind != kind {
        return Err(AppError::conflict(
            "idempotency_key_reused",
            "this Idempotency-Key was already used for a different request",
        ));
    }
    Ok(Some(recorded.resource_id))
}

/// Records the key in the creating transaction. If a concurrent request with the same key won
/// the race, this fails and the whole creation rolls back; the caller then replays.
pub(crate) async fn record(
    tx: &mut Tx,
    person: PersonId,
    key: Option<&IdempotencyKey>,
    kind: &str,
    resource_id: i64,
    now: Millis,
) -> Result<(), AppError> {
    let Some(key) = key else { return Ok(()) };
    let recorded = Recorded { fingerprint: key.fingerprint.clone(), resource_kind: kind.to_owned(), resource_id };
    idempotency::record(tx.conn(), person, &key.key, &recorded, now).await.map_err(|error| match error {
        tandem_store::StoreError::Conflict(_) => {
            AppError::conflict("idempotency_race", "a request with this Idempotency-Key is in progress")
        }
        other => other.into(),
    })
}

/// After [`record`] lost the race to a concurrent request with the same key (which has committed):
/// what that request created, to answer with it.
pub(crate) async fn winner(
    store: &Store,
    person: PersonId,
    key: Option<&IdempotencyKey>,
    kind: &str,
) -> Result<i64, AppError> {
    let winner = replay(store, person, key, kind).await?;
    winner.ok_or_else(|| AppError::Internal(anyhow::anyhow!("idempotency key vanished")))
}
