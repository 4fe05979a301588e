//! Announcements: the record (a draft until published, withdrawn by a stamp), each reader's first
//! read, and the claims that make each recipient's email go out once. Recipients are not stored:
//! they are the employees of the audience (every employee, or one department's) when asked.

use tandem_domain::{AnnouncementId, Millis, PersonId, TeamId};

use crate::{Conn, StoreError, on_conn};

/// The columns of an announcement as `$1` (the person reading) sees it: with their first read.
macro_rules! columns {
    () => {
        "a.id, a.title, a.body, a.department_id, d.name AS department_name, a.pinned, a.email, a.expires_at, \
         a.author_id, p.name AS author_name, a.published_at, a.withdrawn_at, a.version, a.created_at, \
         a.updated_at, r.read_at \
         FROM announcements a JOIN people p ON p.id = a.author_id LEFT JOIN teams d ON d.id = a.department_id \
         LEFT JOIN announcement_reads r ON r.announcement_id = a.id AND r.person_id = $1"
    };
}

/// An announcement with the names a screen shows, and when the person asking first read it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct AnnouncementRow {
    pub id: AnnouncementId,
    pub title: String,
    pub body: String,
    pub department_id: Option<TeamId>,
    pub department_name: Option<String>,
    pub pinned: bool,
    pub email: bool,
    pub expires_at: Option<Millis>,
    pub author_id: PersonId,
    pub author_name: String,
    pub published_at: Option<Millis>,
    pub withdrawn_at: Option<Millis>,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub read_at: Option<Millis>,
}

/// What a writer sets; editing sends all of it again.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnouncementFields {
    pub title: String,
    pub body: String,
    /// `None`: every employee.
    pub department_id: Option<TeamId>,
    pub pinned: bool,
    pub email: bool,
    pub expires_at: Option<Millis>,
}

pub async fn insert(
    conn: Conn<'_>,
    fields: &AnnouncementFields,
    author: PersonId,
    now: Millis,
) -> Result<AnnouncementId, StoreError> {
    const SQL: &str = "INSERT INTO announcements (title, body, department_id, pinned, email, expires_at, author_id, \
         version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, AnnouncementId>(SQL)
        .bind(&fields.title).bind(&fields.body).bind(fields.department_id).bind(fields.pinned).bind(fields.email)
        .bind(fields.expires_at).bind(author).bind(now).fetch_one(&mut *c).await)?)
}

/// Writes every field if the announcement is still at `expected_version`; `false` if not.
pub async fn update(
    conn: Conn<'_>,
    id: AnnouncementId,
    expected_version: i64,
    fields: &AnnouncementFields,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE announcements SET title = $3, body = $4, department_id = $5, pinned = $6, email = $7, \
         expires_at = $8, version = version + 1, updated_at = $9 WHERE id = $1 AND version = $2";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(expected_version).bind(&fields.title).bind(&fields.body).bind(fields.department_id)
        .bind(fields.pinned).bind(fields.email).bind(fields.expires_at).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Takes the row lock (a no-op update), so a publish and a withdraw cannot cross.
pub async fn lock(conn: Conn<'_>, id: AnnouncementId) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE announcements SET version = version WHERE id = $1";
    let locked =
        on_conn!(conn, c => sqlx::query(SQL).bind(id).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(locked == 1)
}

/// Publishes a draft; `false` if it was published or withdrawn already.
pub async fn publish(conn: Conn<'_>, id: AnnouncementId, by: PersonId, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE announcements SET published_at = $2, published_by = $3, version = version + 1, \
         updated_at = $2 WHERE id = $1 AND published_at IS NULL AND withdrawn_at IS NULL";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(now).bind(by).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Withdraws it from every reader; `false` if it was withdrawn already.
pub async fn withdraw(conn: Conn<'_>, id: AnnouncementId, by: PersonId, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE announcements SET withdrawn_at = $2, withdrawn_by = $3, version = version + 1, \
         updated_at = $2 WHERE id = $1 AND withdrawn_at IS NULL";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(now).bind(by).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// The announcement as `reader` sees it (their read, if any).
pub async fn get(conn: Conn<'_>, id: AnnouncementId, reader: PersonId) -> Result<Option<AnnouncementRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " WHERE a.id = $2");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, AnnouncementRow>(SQL)
        .bind(reader).bind(id).fetch_optional(&mut *c).await)?)
}

/// Where a reader's list continues: below this (published_at, id).
pub type ReaderCursor = (Millis, AnnouncementId);

/// What is published to `reader` at `now` (every employee's, and their department's), newest
/// first, below `before`. The caller has checked that the reader is an employee.
pub async fn for_reader(
    conn: Conn<'_>,
    reader: PersonId,
    department: Option<TeamId>,
    now: Millis,
    before: ReaderCursor,
    limit: i64,
) -> Result<Vec<AnnouncementRow>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " WHERE a.published_at IS NOT NULL AND a.withdrawn_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > $2) \
         AND (a.department_id IS NULL OR a.department_id = $3) AND (a.published_at, a.id) < ($4, $5) \
         ORDER BY a.published_at DESC, a.id DESC LIMIT $6"
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, AnnouncementRow>(SQL)
        .bind(reader).bind(now).bind(department).bind(before.0).bind(before.1).bind(limit).fetch_all(&mut *c).await)?)
}

/// Every announcement, drafts and withdrawn ones too, newest first by id below `before`.
pub async fn all(
    conn: Conn<'_>,
    reader: PersonId,
    before: AnnouncementId,
    limit: i64,
) -> Result<Vec<AnnouncementRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " WHERE a.id < $2 ORDER BY a.id DESC LIMIT $3");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, AnnouncementRow>(SQL)
        .bind(reader).bind(before).bind(limit).fetch_all(&mut *c).await)?)
}

/// Read receipts in numbers only: how many read it, of how many employees it is for today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Receipts {
    pub readers: i64,
    pub recipients: i64,
}

pub async fn receipts(conn: Conn<'_>, id: AnnouncementId, department: Option<TeamId>) -> Result<Receipts, StoreError> {
    const ALL: &str = "SELECT (SELECT COUNT(*) FROM announcement_reads WHERE announcement_id = $1) AS readers, \
         (SELECT COUNT(*) FROM people WHERE kind = 'employee') AS recipients";
    const DEPARTMENT: &str = "SELECT (SELECT COUNT(*) FROM announcement_reads WHERE announcement_id = $1) AS readers, \
         (SELECT COUNT(*) FROM people WHERE department_id = $2 AND kind = 'employee') AS recipients";
    Ok(match department {
        None => on_conn!(conn, c => sqlx::query_as::<_, Receipts>(ALL).bind(id).fetch_one(&mut *c).await)?,
        Some(department) => on_conn!(conn, c => sqlx::query_as::<_, Receipts>(DEPARTMENT)
            .bind(id).bind(department).fetch_one(&mut *c).await)?,
    })
}

/// Records `person`'s first read; `false` if they had read it before (the first time is kept).
pub async fn mark_read(conn: Conn<'_>, id: AnnouncementId, person: PersonId, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO announcement_reads (announcement_id, person_id, read_at) VALUES ($1, $2, $3) \
         ON CONFLICT (announcement_id, person_id) DO NOTHING";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(person).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// A recipient as an email needs them.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Recipient {
    pub id: PersonId,
    pub name: String,
    pub email: String,
}

/// The audience's employees with ids after `after`, by id: one batch of an announcement's emails.
pub async fn recipients_after(
    conn: Conn<'_>,
    department: Option<TeamId>,
    after: PersonId,
    limit: i64,
) -> Result<Vec<Recipient>, StoreError> {
    const ALL: &str = "SELECT id, name, email FROM people WHERE kind = 'employee' AND id > $1 ORDER BY id LIMIT $2";
    const DEPARTMENT: &str = "SELECT id, name, email FROM people \
         WHERE department_id = $3 AND kind = 'employee' AND id > $1 ORDER BY id LIMIT $2";
    Ok(match department {
        None => on_conn!(conn, c => sqlx::query_as::<_, Recipient>(ALL)
            .bind(after).bind(limit).fetch_all(&mut *c).await)?,
        Some(department) => on_conn!(conn, c => sqlx::query_as::<_, Recipient>(DEPARTMENT)
            .bind(after).bind(limit).bind(department).fetch_all(&mut *c).await)?,
    })
}

/// Claims the email to `person` before it is queued, in the same transaction; `false` if it was
/// claimed (and so queued) before.
pub async fn claim_email(
    conn: Conn<'_>,
    id: AnnouncementId,
    person: PersonId,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO announcement_emails (announcement_id, person_id, emailed_at) VALUES ($1, $2, $3) \
         ON CONFLICT (announcement_id, person_id) DO NOTHING";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(person).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}
