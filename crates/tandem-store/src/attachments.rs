//! Attachments: uploaded first (owned by the uploader), then claimed by the message they are
//! posted with. Contents live in the database, deduplicated by SHA-256, so every node serves
//! every file and a write is whole or absent.

use tandem_domain::{AttachmentId, MessageId, MessageVisibility, Millis, PersonId, TicketId};

use crate::sql::{Arg, SqlBuf};
use crate::{Conn, StoreError, bind_args, on_conn};

macro_rules! columns {
    () => {
        "a.id, a.uploader_id, a.message_id, a.filename, a.content_type, a.size, a.sha256, a.created_at"
    };
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: AttachmentId,
    pub uploader_id: PersonId,
    pub message_id: Option<MessageId>,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: Millis,
}

#[derive(Clone, Debug)]
pub struct NewAttachment<'a> {
    pub uploader_id: PersonId,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
}

/// Stores the content (once per distinct content) and an unattached upload row.
pub async fn insert(mut conn: Conn<'_>, upload: &NewAttachment<'_>, now: Millis) -> Result<AttachmentRow, StoreError> {
    const BLOB: &str = "INSERT INTO attachment_blobs (sha256, data) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    const ROW: &str = "INSERT INTO attachments (uploader_id, message_id, filename, content_type, size, sha256, created_at) \
         VALUES ($1, NULL, $2, $3, $4, $5, $6) \
         RETURNING id, uploader_id, message_id, filename, content_type, size, sha256, created_at";
    let size = i64::try_from(upload.data.len()).map_err(|error| StoreError::Other(error.into()))?;
    on_conn!(&mut conn, c => sqlx::query(BLOB).bind(upload.sha256).bind(upload.data).execute(&mut **c).await.map(|done| done.rows_affected()))?;
    Ok(on_conn!(conn, c => sqlx::query_as::<_, AttachmentRow>(ROW)
        .bind(upload.uploader_id).bind(upload.filename).bind(upload.content_type).bind(size)
        .bind(upload.sha256).bind(now).fetch_one(&mut *c).await)?)
}

/// Attaches the uploader's unclaimed uploads to a message; returns how many were claimed, so
/// the caller can refuse ids that were someone else's or already used.
pub async fn claim(
    conn: Conn<'_>,
    ids: &[AttachmentId],
    uploader: PersonId,
    message: MessageId,
) -> Result<u64, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut sql = SqlBuf::new("UPDATE attachments SET message_id = ");
    sql.bind(Arg::Int(message.0)).push(" WHERE message_id IS NULL AND uploader_id = ").bind(Arg::Int(uploader.0));
    sql.push(" AND id IN ").bind_list(ids.iter().map(|id| Arg::Int(id.0)));
    let (text, args) = sql.sql();
    let claimed = on_conn!(conn, c => bind_args!(sqlx::query(text), args).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(claimed)
}

/// The attachments of several messages, for one conversation page.
pub async fn for_messages(conn: Conn<'_>, messages: &[MessageId]) -> Result<Vec<AttachmentRow>, StoreError> {
    if messages.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = SqlBuf::new(concat!("SELECT ", columns!(), " FROM attachments a WHERE a.message_id IN "));
    sql.bind_list(messages.iter().map(|id| Arg::Int(id.0))).push(" ORDER BY a.id");
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, AttachmentRow>(text), args).fetch_all(&mut *c).await)?)
}

/// Where an attachment is posted: its ticket and the message's visibility (`None` before posting).
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct AttachmentPlace {
    #[sqlx(flatten)]
    pub attachment: AttachmentRow,
    pub ticket_id: Option<TicketId>,
    pub visibility: Option<MessageVisibility>,
}

pub async fn get(conn: Conn<'_>, id: AttachmentId) -> Result<Option<AttachmentPlace>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        ", m.ticket_id, m.visibility FROM attachments a LEFT JOIN messages m ON m.id = a.message_id WHERE a.id = $1"
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, AttachmentPlace>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn content(conn: Conn<'_>, sha256: &str) -> Result<Vec<u8>, StoreError> {
    const SQL: &str = "SELECT data FROM attachment_blobs WHERE sha256 = $1";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, Vec<u8>>(SQL).bind(sha256).fetch_one(&mut *c).await)?)
}
