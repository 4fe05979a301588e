//! Failed password logins per email, counted in the database so every node sees the same count.

use tandem_domain::Millis;

use crate::{Conn, StoreError, on_conn};

pub async fn count_since(conn: Conn<'_>, email: &str, since: Millis) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at >= $2";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, i64>(SQL).bind(email).bind(since).fetch_one(&mut *c).await)?)
}

pub async fn record(conn: Conn<'_>, email: &str, at: Millis) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO login_failures (email, at) VALUES ($1, $2)";
    on_conn!(conn, c => sqlx::query(SQL).bind(email).bind(at).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// Forgets failures of this email (after a successful login) and everyone's older than `before`.
pub async fn clear(conn: Conn<'_>, email: &str, before: Millis) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM login_failures WHERE email = $1 OR at < $2";
    on_conn!(conn, c => sqlx::query(SQL).bind(email).bind(before).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}
