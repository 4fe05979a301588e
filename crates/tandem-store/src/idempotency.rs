//! Idempotency keys: a retried create with the same key returns what the first one made.

use tandem_domain::{Millis, PersonId};

use crate::{Conn, StoreError, on_conn};

/// What a key produced the first time.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Recorded {
    pub fingerprint: String,
    pub resource_kind: String,
    pub resource_id: i64,
}

pub async fn get(conn: Conn<'_>, person: PersonId, key: &str) -> Result<Option<Recorded>, StoreError> {
    const SQL: &str = "SELECT fingerprint, resource_kind, resource_id FROM idempotency_keys \
         WHERE person_id = $1 AND idem_key = $2";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, Recorded>(SQL).bind(person).bind(key).fetch_optional(&mut *c).await)?)
}

/// Records a key in the transaction that creates the resource; a concurrent duplicate fails
/// with a conflict and rolls its whole creation back.
pub async fn record(
    conn: Conn<'_>,
    person: PersonId,
    key: &str,
    recorded: &Recorded,
    now: Millis,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO idempotency_keys (person_id, idem_key, fingerprint, resource_kind, resource_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)";
    on_conn!(conn, c => sqlx::query(SQL)
        .bind(person).bind(key).bind(&recorded.fingerprint).bind(&recorded.resource_kind)
        .bind(recorded.resource_id).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}
