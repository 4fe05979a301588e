//! The conversation of a ticket: public replies and internal notes, in order.

use tandem_domain::{Channel, MessageId, MessageVisibility, Millis, PersonId, TicketId};

use crate::{Conn, StoreError, on_conn};

macro_rules! view_select {
    () => {
        "SELECT m.id, m.ticket_id, m.author_id, p.name AS author_name, m.visibility, m.channel, m.body, m.created_at \
         FROM messages m LEFT JOIN people p ON p.id = m.author_id"
    };
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct MessageView {
    pub id: MessageId,
    pub ticket_id: TicketId,
    pub author_id: Option<PersonId>,
    pub author_name: Option<String>,
    pub visibility: MessageVisibility,
    pub channel: Channel,
    pub body: String,
    pub created_at: Millis,
}

#[derive(Clone, Debug)]
pub struct NewMessage {
    pub ticket_id: TicketId,
    pub author_id: Option<PersonId>,
    pub visibility: MessageVisibility,
    pub channel: Channel,
    pub body: String,
}

pub async fn insert(conn: Conn<'_>, message: &NewMessage, now: Millis) -> Result<MessageId, StoreError> {
    const SQL: &str = "INSERT INTO messages (ticket_id, author_id, visibility, channel, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, MessageId>(SQL)
        .bind(message.ticket_id).bind(message.author_id).bind(message.visibility).bind(message.channel)
        .bind(&message.body).bind(now).fetch_one(&mut *c).await)?)
}

/// A message of a conversation page, and whether it has attachments and emails (so the page asks
/// for those only when some message has them: most conversations have neither).
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct PageRow {
    #[sqlx(flatten)]
    pub message: MessageView,
    pub has_files: bool,
    /// Tandem emailed it (see `outbound`).
    pub has_emails: bool,
}

/// Messages of a ticket in order, after `after` (a message id), public ones only unless
/// `with_internal`, each with its [`PageRow::has_files`] and [`PageRow::has_emails`].
pub async fn page(
    conn: Conn<'_>,
    ticket: TicketId,
    with_internal: bool,
    after: Option<MessageId>,
    limit: u32,
) -> Result<Vec<PageRow>, StoreError> {
    const SQL: &str = concat!(
        "SELECT m.id, m.ticket_id, m.author_id, p.name AS author_name, m.visibility, m.channel, m.body, m.created_at, \
           EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id) AS has_files, \
           EXISTS (SELECT 1 FROM outbound_emails o WHERE o.message_id = m.id) AS has_emails \
         FROM messages m LEFT JOIN people p ON p.id = m.author_id",
        " WHERE m.ticket_id = $1 AND m.id > $2 AND ($3 OR m.visibility = 'public') ORDER BY m.id LIMIT $4"
    );
    Ok(on_conn!(conn, c => sqlx::query_as::<_, PageRow>(SQL)
        .bind(ticket).bind(after.map_or(0, |id| id.0)).bind(with_internal).bind(i64::from(limit))
        .fetch_all(&mut *c).await)?)
}

pub async fn get(conn: Conn<'_>, id: MessageId) -> Result<Option<MessageView>, StoreError> {
    const SQL: &str = concat!(view_select!(), " WHERE m.id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, MessageView>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Moves a merged ticket's conversation onto the ticket it was merged into.
pub async fn move_all(conn: Conn<'_>, from: TicketId, to: TicketId) -> Result<u64, StoreError> {
    const SQL: &str = "UPDATE messages SET ticket_id = $2 WHERE ticket_id = $1";
    let moved = on_conn!(conn, c => sqlx::query(SQL).bind(from).bind(to).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(moved)
}
