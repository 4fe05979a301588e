//! The composer and `POST /agent/tickets/{id}/messages`: a public reply to the requester or an
//! internal note for agents, optionally setting the status, with attachments. The form is
//! multipart (files ride along), so the CSRF field is checked here rather than by `VerifiedForm`,
//! and the upload limit is enforced while the body is read.

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tandem_app::AppError;
use tandem_app::tickets::{NewMessage, TicketOut};
use tandem_domain::{AttachmentId, Channel, MessageVisibility, TicketId, TicketStatus};

use super::edit::sentence;
use super::format::{Choice, status_label};
use super::ticket::{Drafts, TicketPage, load, respond};
use super::{require_staff, ticket_id};
use crate::state::AppState;
use crate::ui::UiError;
use crate::ui::session::{Viewer, check_csrf, refuse_cross_site};

/// Room in a post for the text fields beside the files.
const TEXT_ALLOWANCE: usize = 1024 * 1024;

/// The composer as the page draws it: empty, or as the agent left it after a refused send.
#[derive(Debug, Default)]
pub(super) struct Composer {
    pub body: String,
    pub internal: bool,
    pub status: String,
    pub error: Option<String>,
    /// Who a public reply reaches.
    pub recipient: String,
    pub statuses: Vec<Choice>,
    /// The open requests serving this ticket (`#12, #13`): solving then needs a reason.
    pub open_links: String,
    pub open_links_reason: String,
}

impl Composer {
    /// Fills in what depends on the ticket: who a reply reaches, and the statuses it may leave.
    pub fn prepare(&mut self, ticket: &TicketOut) {
        self.recipient = ticket.requester.name.clone();
        let keep = format!("Keep status ({})", status_label(ticket.status));
        let mut statuses = vec![Choice::new("", keep, &self.status)];
        let next =
            [TicketStatus::Open, TicketStatus::PendingCustomer, TicketStatus::PendingInternal, TicketStatus::Solved];
        statuses.extend(
            next.iter()
                .filter(|status| **status != ticket.status)
                .map(|status| Choice::new(status.as_str(), status_label(*status), &self.status)),
        );
        self.statuses = statuses;
    }
}

/// What the composer sent.
#[derive(Default)]
struct Sent {
    csrf: String,
    body: String,
    visibility: String,
    button: String,
    status: String,
    /// Why the ticket is solved while requests linked to it are still open.
    open_links_reason: String,
    files: Vec<(String, String, Vec<u8>)>,
    too_big: bool,
}

impl Sent {
    /// A note if either the mode or the button says so: when they disagree (a page without its
    /// styles shows both buttons), keeping words among agents is the mistake that can be undone.
    fn internal(&self) -> bool {
        self.visibility == "internal" || self.button == "internal"
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, UiError> {
    refuse_cross_site(&headers)?;
    let multipart = multipart.map_err(|_| UiError::BadRequest("The form could not be read.".into()))?;
    let limit = state.app.limits().max_upload_bytes + TEXT_ALLOWANCE;
    let sent = read(multipart, limit).await?;
    check_csrf(&viewer, &sent.csrf)?;
    require_staff(&viewer)?;
    let id = ticket_id(&id)?;
    let internal = sent.internal();
    let mut composer = Composer {
        body: sent.body.clone(),
        internal,
        status: sent.status.clone(),
        open_links_reason: sent.open_links_reason.clone(),
        ..Composer::default()
    };
    if sent.too_big {
        let megabytes = state.app.limits().max_upload_bytes / (1024 * 1024);
        composer.error = Some(format!("The files are too big: at most {megabytes} MB together. Attach smaller files."));
        return again(&state, &viewer, id, StatusCode::PAYLOAD_TOO_LARGE, composer).await;
    }
    if sent.body.trim().is_empty() {
        composer.error = Some(format!("Write your {} first.", if internal { "note" } else { "reply" }));
        return again(&state, &viewer, id, StatusCode::UNPROCESSABLE_ENTITY, composer).await;
    }
    let status = match sent.status.as_str() {
        "" => None,
        text => Some(text.parse::<TicketStatus>().map_err(|_| UiError::BadRequest("Unknown status.".into()))?),
    };
    let result = post(&state, &viewer, id, &sent, status).await;
    let (code, message) = match result {
        Ok(()) => {
            let done = if internal { "noted" } else { "replied" };
            return Ok(Redirect::to(&format!("/agent/tickets/{id}?done={done}")).into_response());
        }
        Err(AppError::Invalid(errors)) => {
            let messages: Vec<&str> = errors.0.values().map(String::as_str).collect();
            (StatusCode::UNPROCESSABLE_ENTITY, sentence(&messages.join("; ")))
        }
        Err(AppError::Conflict { message, .. }) => (StatusCode::CONFLICT, sentence(&message)),
        Err(AppError::Forbidden(message)) => (StatusCode::FORBIDDEN, sentence(&message)),
        Err(error) => return Err(error.into()),
    };
    composer.error = Some(format!("{message} Nothing was sent; attach any files again."));
    again(&state, &viewer, id, code, composer).await
}

/// Uploads the files, then posts the message with them.
async fn post(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    sent: &Sent,
    status: Option<TicketStatus>,
) -> Result<(), AppError> {
    let now = crate::now();
    let mut attachment_ids: Vec<AttachmentId> = Vec::new();
    for (filename, content_type, data) in &sent.files {
        attachment_ids.push(state.app.upload(&viewer.principal, filename, content_type, data, now).await?.id);
    }
    let visibility = if sent.internal() { MessageVisibility::Internal } else { MessageVisibility::Public };
    let message = NewMessage {
        body: sent.body.clone(),
        visibility: Some(visibility),
        status,
        attachment_ids,
        channel: Some(Channel::Web),
        open_links_reason: Some(sent.open_links_reason.trim().to_owned()).filter(|reason| !reason.is_empty()),
    };
    state.app.post_message(&viewer.principal, id, message, None, now).await?;
    Ok(())
}

/// Reads the composer's fields and files, stopping (and saying so) once `limit` bytes are read.
async fn read(mut multipart: Multipart, limit: usize) -> Result<Sent, UiError> {
    let unreadable = |_| UiError::BadRequest("The form could not be read.".into());
    let mut sent = Sent::default();
    let mut total = 0usize;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let content_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
        let mut data = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            total += chunk.len();
            if total > limit {
                sent.too_big = true;
                return Ok(sent);
            }
            data.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&data).into_owned();
        match name.as_str() {
            "_csrf" => sent.csrf = text(),
            // Browsers send a textarea's line breaks as CRLF.
            "body" => sent.body = text().replace("\r\n", "\n"),
            "visibility" => sent.visibility = text(),
            "send" => sent.button = text(),
            "status" => sent.status = text(),
            "open_links_reason" => sent.open_links_reason = text(),
            // A file input left empty still sends a part, with no name and no bytes.
            "files" if !data.is_empty() => sent.files.push((filename.unwrap_or_default(), content_type, data)),
            _ => {}
        }
    }
    Ok(sent)
}

async fn again(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    status: StatusCode,
    composer: Composer,
) -> Result<Response, UiError> {
    let loaded = load(state, viewer, id).await?;
    let drafts = Drafts { composer, ..Drafts::default() };
    Ok(respond(status, &TicketPage::new(viewer, loaded, drafts)))
}
