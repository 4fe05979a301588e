//! Attachments: uploaded first (owned by the uploader until posted), then attached to the message
//! they are sent with; downloaded only by those who may see that message.

use serde::Serialize;
use sha2::{Digest, Sha256};
use tandem_domain::{AttachmentId, MessageId, MessageVisibility, Millis, PersonId, Principal, TicketAccess};
use tandem_store::Conn;
use tandem_store::attachments::{self, AttachmentRow, NewAttachment};

use crate::{App, AppError, Instant, instant};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AttachmentOut {
    pub id: AttachmentId,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: Instant,
}

impl From<AttachmentRow> for AttachmentOut {
    fn from(row: AttachmentRow) -> Self {
        AttachmentOut {
            id: row.id,
            filename: row.filename,
            content_type: row.content_type,
            size: row.size,
            created_at: instant(row.created_at),
        }
    }
}

/// A file to send back: its stored name and type, and its bytes.
#[derive(Clone, Debug)]
pub struct Download {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

impl App {
    /// Stores an upload for the principal to attach to a ticket or message they post next.
    pub async fn upload(
        &self,
        principal: &Principal,
        filename: &str,
        content_type: &str,
        data: &[u8],
        now: Millis,
    ) -> Result<AttachmentOut, AppError> {
        if data.len() > self.limits().max_upload_bytes {
            return Err(AppError::invalid("file", format!("must be at most {} bytes", self.limits().max_upload_bytes)));
        }
        if data.is_empty() {
            return Err(AppError::invalid("file", "is empty"));
        }
        let filename = safe_filename(filename);
        let content_type = safe_content_type(content_type);
        let sha256: String = Sha256::digest(data).iter().map(|byte| format!("{byte:02x}")).collect();
        let upload = NewAttachment {
            uploader_id: principal.person_id,
            filename: &filename,
            content_type: &content_type,
            sha256: &sha256,
            data,
        };
        let mut tx = self.store().begin().await?;
        let row = attachments::insert(tx.conn(), &upload, now).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// An attachment's content, for its uploader or anyone who may see the message it is on.
    pub async fn download(&self, principal: &Principal, id: AttachmentId) -> Result<Download, AppError> {
        let mut reader = self.store().read().await?;
        let place = attachments::get(reader.conn(), id).await?.ok_or(AppError::NotFound("attachment"))?;
        let mine = place.attachment.uploader_id == principal.person_id;
        if !mine {
            let ticket = place.ticket_id.ok_or(AppError::NotFound("attachment"))?;
            let (_, access) =
                super::access(reader.conn(), principal, ticket).await.map_err(|_| AppError::NotFound("attachment"))?;
            if access == TicketAccess::Customer && place.visibility != Some(MessageVisibility::Public) {
                return Err(AppError::NotFound("attachment"));
            }
        }
        let data = attachments::content(reader.conn(), &place.attachment.sha256).await?;
        Ok(Download { filename: place.attachment.filename, content_type: place.attachment.content_type, data })
    }
}

/// Attaches uploads to a new message; refuses ids that are not the poster's unposted uploads.
pub(crate) async fn claim(
    conn: Conn<'_>,
    ids: &[AttachmentId],
    uploader: PersonId,
    message: MessageId,
) -> Result<(), AppError> {
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    let claimed = attachments::claim(conn, &unique, uploader, message).await?;
    if claimed != unique.len() as u64 {
        return Err(AppError::invalid("attachment_ids", "each id must be an upload of yours that is not posted yet"));
    }
    Ok(())
}

/// The last path component, without control characters, at most 200 characters.
pub(crate) fn safe_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>')).take(200).collect();
    let clean = clean.trim().trim_start_matches('.').to_owned();
    if clean.is_empty() { "attachment".to_owned() } else { clean }
}

/// A `type/subtype` made of token characters, lowercased; anything else is stored as an opaque
/// byte stream.
pub(crate) fn safe_content_type(raw: &str) -> String {
    let essence = raw.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let token =
        |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c));
    match essence.split_once('/') {
        Some((kind, subtype)) if token(kind) && token(subtype) => essence,
        _ => "application/octet-stream".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_and_types_are_made_safe() {
        assert_eq!(safe_filename("../../etc/passwd"), "passwd");
        assert_eq!(safe_filename("C:\\Users\\erin\\receipt.pdf"), "receipt.pdf");
        assert_eq!(safe_filename(".htaccess"), "htaccess");
        assert_eq!(safe_filename("a\u{0}b\".txt"), "ab.txt");
        assert_eq!(safe_filename(""), "attachment");
        assert_eq!(safe_content_type("Image/PNG"), "image/png");
        assert_eq!(safe_content_type("text/plain; charset=utf-8"), "text/plain");
        assert_eq!(safe_content_type("text/html\r\nX-Evil: 1"), "application/octet-stream");
        assert_eq!(safe_content_type("nonsense"), "application/octet-stream");
    }
}
