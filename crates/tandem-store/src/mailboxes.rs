//! Mailboxes: an email address that feeds a team (and maybe one of its services), by name.

use tandem_domain::{MailboxId, Millis, ServiceId, TeamId};

use crate::{Conn, StoreError, on_conn};

macro_rules! columns {
    () => {
        "id, name, address, team_id, service_id, version, created_at, updated_at"
    };
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct MailboxRow {
    pub id: MailboxId,
    #[sqlx(flatten)]
    pub fields: MailboxFields,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct MailboxFields {
    pub name: String,
    /// Lower-case.
    pub address: String,
    pub team_id: TeamId,
    pub service_id: Option<ServiceId>,
}

/// Inserts a mailbox; a taken name or address is a [`StoreError::Conflict`].
pub async fn insert(conn: Conn<'_>, mailbox: &MailboxFields, now: Millis) -> Result<MailboxRow, StoreError> {
    const SQL: &str = concat!(
        "INSERT INTO mailboxes (name, address, team_id, service_id, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING ",
        columns!()
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, MailboxRow>(SQL)
        .bind(&mailbox.name).bind(&mailbox.address).bind(mailbox.team_id).bind(mailbox.service_id).bind(now)
        .fetch_one(&mut *c).await)?)
}

/// Writes every field if the stored version is still `expected_version`; `None` if not.
pub async fn update(
    conn: Conn<'_>,
    id: MailboxId,
    expected_version: i64,
    mailbox: &MailboxFields,
    now: Millis,
) -> Result<Option<MailboxRow>, StoreError> {
    const SQL: &str = concat!(
        "UPDATE mailboxes SET name = $3, address = $4, team_id = $5, service_id = $6, version = version + 1, \
         updated_at = $7 WHERE id = $1 AND version = $2 RETURNING ",
        columns!()
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, MailboxRow>(SQL)
        .bind(id).bind(expected_version).bind(&mailbox.name).bind(&mailbox.address).bind(mailbox.team_id)
        .bind(mailbox.service_id).bind(now).fetch_optional(&mut *c).await)?)
}

pub async fn get(conn: Conn<'_>, id: MailboxId) -> Result<Option<MailboxRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM mailboxes WHERE id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, MailboxRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn get_by_name(conn: Conn<'_>, name: &str) -> Result<Option<MailboxRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM mailboxes WHERE name = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, MailboxRow>(SQL).bind(name).fetch_optional(&mut *c).await)?)
}

/// The team's first mailbox: the address its emails are sent from.
pub async fn first_of_team(conn: Conn<'_>, team: TeamId) -> Result<Option<MailboxRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM mailboxes WHERE team_id = $1 ORDER BY id LIMIT 1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, MailboxRow>(SQL).bind(team).fetch_optional(&mut *c).await)?)
}

/// Every mailbox by name (bounded: an organization has a handful, one per team at most a few).
pub async fn list(conn: Conn<'_>) -> Result<Vec<MailboxRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " FROM mailboxes ORDER BY name LIMIT 1000");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, MailboxRow>(SQL).fetch_all(&mut *c).await)?)
}
