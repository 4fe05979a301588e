//! One request as its requester sees it: its state, the answers they gave, the public conversation
//! with its files, a reply box (with files) and "Mark as solved". Always the customer view: the
//! ticket is read as the viewer's [`customer_face`], so internal notes are never even loaded.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;
use tandem_app::feedback::RatingInput;
use tandem_app::tickets::{MessageOut, NewMessage, TicketChanges, TicketDetail, TicketOut};
use tandem_app::{AppError, PageRequest, Principal};
use tandem_domain::{Channel, FieldErrors, MessageVisibility, TicketId, TicketStatus};

use super::form_post::{self, MAX_FILES, SentForm};
use super::make_goods::{Offer, offers};
use super::{Status, When, customer_face, file_size, sentence, ticket_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

/// Messages a page of the conversation shows.
const CONVERSATION_PAGE: u32 = 100;

#[derive(Debug, Deserialize)]
pub(super) struct ShowQuery {
    /// What was just done, for the notice: `sent`, `replied` or `solved`.
    done: Option<String>,
    /// Where a later page of the conversation starts.
    after: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct SolveForm {
    /// The version the requester saw: solving a request that changed since would answer a state
    /// they have not read.
    version: i64,
}

#[derive(Template)]
#[template(path = "portal_request.html")]
struct RequestPage {
    layout: Layout,
    ticket: Summary,
    answers: Vec<Answer>,
    messages: Vec<Message>,
    /// Where the next page of the conversation starts, if it goes on.
    later: Option<String>,
    /// This page shows a later part of the conversation.
    earlier: bool,
    draft: Draft,
    max_files: usize,
    max_file_size: String,
    /// While the request waits on another team: the neutral notice and when help is expected.
    waiting: Option<(String, Option<When>)>,
    /// The requester's rating of the solved request, once given: 1–5 and the comment.
    rated: Option<(i64, String)>,
    /// Make-goods offered to the viewer on this request.
    offers: Vec<Offer>,
}

/// The request's own facts, as its requester may know them.
struct Summary {
    id: i64,
    subject: String,
    status: Status,
    service: Option<String>,
    team: String,
    assignee: Option<String>,
    requester: String,
    opened: When,
    updated: When,
    merged_into: Option<i64>,
    version: i64,
    closed: bool,
    solved: bool,
}

/// An answer to the service's form.
struct Answer {
    label: String,
    value: String,
}

struct Message {
    author: String,
    when: When,
    body: String,
    files: Vec<FileLink>,
}

struct FileLink {
    id: i64,
    name: String,
    size: String,
}

/// What the reply box shows again after a reply or a "solved" that did not go through.
#[derive(Default)]
struct Draft {
    body: String,
    body_error: Option<String>,
    files_error: Option<String>,
    attach_again: bool,
    /// Why the action did not happen, when it is about the request rather than a field.
    alert: Option<String>,
}

pub(super) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    query: Result<Query<ShowQuery>, QueryRejection>,
) -> Result<Response, UiError> {
    let id = ticket_id(&raw)?;
    let Query(query) = query.map_err(|_| UiError::BadRequest("That page address is not right.".into()))?;
    let detail = match state.app.get_ticket(&customer_face(&viewer), id).await {
        Ok(detail) => detail,
        // Staff may see more tickets than they asked for, but only as agents: the console shows
        // those whole (or answers "not found" itself); the portal only ever shows a requester's view.
        Err(AppError::NotFound(_)) if viewer.principal.is_staff() => {
            return Ok(Redirect::to(&format!("/agent/tickets/{}", id.0)).into_response());
        }
        Err(error) => return Err(error.into()),
    };
    let notice = match query.done.as_deref() {
        Some("sent") => Some(format!("Request #{} sent.", id.0)),
        Some("replied") => Some("Your reply was sent.".to_owned()),
        Some("solved") => Some("Marked as solved. Thank you!".to_owned()),
        Some("accepted") => Some("Thank you: you accepted the offer.".to_owned()),
        Some("declined") => Some("You declined the offer. Thank you for telling us.".to_owned()),
        _ => None,
    };
    let mut page = RequestPage::build(&state, &viewer, detail, query.after, Draft::default()).await?;
    page.layout = page.layout.with_notice(notice);
    Ok(html(&page))
}

/// Adds the requester's public reply, with files.
pub(super) async fn reply(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, UiError> {
    let id = ticket_id(&raw)?;
    let sent = form_post::read(&viewer, &headers, multipart, state.app.limits()).await?;
    let face = customer_face(&viewer);
    let mut draft = Draft {
        body: sent.text("body").to_owned(),
        files_error: sent.file_error.clone(),
        attach_again: !sent.files.is_empty(),
        ..Draft::default()
    };
    if draft.body.trim().is_empty() {
        draft.body_error = Some("Write your reply before sending it.".to_owned());
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if draft.body_error.is_none() && draft.files_error.is_none() {
        match post_reply(&state, &face, id, &sent).await {
            Ok(()) => return Ok(Redirect::to(&format!("/portal/requests/{}?done=replied", id.0)).into_response()),
            Err(AppError::Invalid(errors)) => draft.take(errors),
            Err(AppError::Conflict { code, .. }) => {
                status = StatusCode::CONFLICT;
                draft.alert = Some(conflict(code));
            }
            Err(error) => return Err(error.into()),
        }
    }
    let detail = state.app.get_ticket(&face, id).await?;
    let page = RequestPage::build(&state, &viewer, detail, None, draft).await?;
    Ok((status, html(&page)).into_response())
}

async fn post_reply(state: &AppState, face: &Principal, id: TicketId, sent: &SentForm) -> Result<(), AppError> {
    let attachment_ids = sent.store_files(&state.app, face).await?;
    let message = NewMessage {
        body: sent.text("body").to_owned(),
        visibility: Some(MessageVisibility::Public),
        status: None,
        attachment_ids,
        channel: Some(Channel::Web),
        open_links_reason: None,
    };
    state.app.post_message(face, id, message, None, crate::now()).await?;
    Ok(())
}

/// The requester says they need nothing more.
pub(super) async fn solve(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    signed: VerifiedForm<SolveForm>,
) -> Result<Response, UiError> {
    let id = ticket_id(&raw)?;
    let face = customer_face(&signed.viewer);
    let changes = TicketChanges { status: Some(TicketStatus::Solved), ..TicketChanges::default() };
    match state.app.update_ticket(&face, id, signed.form.version, changes, crate::now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/portal/requests/{}?done=solved", id.0)).into_response()),
        Err(AppError::Conflict { code, .. }) => {
            let detail = state.app.get_ticket(&face, id).await?;
            let draft = Draft { alert: Some(conflict(code)), ..Draft::default() };
            let page = RequestPage::build(&state, &signed.viewer, detail, None, draft).await?;
            Ok((StatusCode::CONFLICT, html(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct RateForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

/// `POST /portal/requests/{id}/rate`: the requester rates their solved request (or changes it).
pub(super) async fn rate(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    signed: VerifiedForm<RateForm>,
) -> Result<Response, UiError> {
    let id = ticket_id(&raw)?;
    let face = customer_face(&signed.viewer);
    let Ok(rating) = signed.form.rating.parse::<i64>() else {
        return rate_refused(&state, &signed.viewer, id, StatusCode::UNPROCESSABLE_ENTITY, "Choose from 1 to 5 stars.")
            .await;
    };
    let comment = Some(signed.form.comment.clone()).filter(|comment| !comment.trim().is_empty());
    match state.app.rate_ticket(&face, id, RatingInput { rating, comment, topic: None }, crate::now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/portal/requests/{}#rating", id.0)).into_response()),
        Err(AppError::Invalid(_)) => {
            rate_refused(&state, &signed.viewer, id, StatusCode::UNPROCESSABLE_ENTITY, "Choose from 1 to 5 stars.")
                .await
        }
        Err(AppError::Conflict { message, .. }) | Err(AppError::Forbidden(message)) => {
            let message = sentence("Your rating", &message);
            rate_refused(&state, &signed.viewer, id, StatusCode::CONFLICT, &message).await
        }
        Err(error) => Err(error.into()),
    }
}

async fn rate_refused(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    status: StatusCode,
    message: &str,
) -> Result<Response, UiError> {
    let detail = state.app.get_ticket(&customer_face(viewer), id).await?;
    let draft = Draft { alert: Some(message.to_owned()), ..Draft::default() };
    let page = RequestPage::build(state, viewer, detail, None, draft).await?;
    Ok((status, html(&page)).into_response())
}

/// Why a reply or "solved" collided with the request's state, in the requester's words.
fn conflict(code: &str) -> String {
    if code == "ticket_closed" {
        "This request is closed, so it takes no more changes. Start a new request to follow up.".to_owned()
    } else {
        "This request changed while you were reading it. Have a look at the latest below, then try again.".to_owned()
    }
}

impl Draft {
    /// Places the app's field errors: next to the reply box, next to the files, or above both.
    fn take(&mut self, errors: FieldErrors) {
        for (key, message) in errors.0 {
            match key.as_str() {
                "body" => self.body_error = Some(sentence("Your reply", &message)),
                "file" | "attachment_ids" => self.files_error = Some(sentence("The file", &message)),
                _ => self.alert = Some(format!("{key}: {message}")),
            }
        }
    }
}

impl RequestPage {
    async fn build(
        state: &AppState,
        viewer: &Viewer,
        detail: TicketDetail,
        after: Option<String>,
        draft: Draft,
    ) -> Result<RequestPage, UiError> {
        let face = customer_face(viewer);
        let ticket = detail.ticket;
        let earlier = after.is_some();
        let (messages, later) = match after {
            Some(cursor) => {
                let page = PageRequest { limit: Some(CONVERSATION_PAGE), cursor: Some(cursor) };
                let page = state.app.list_messages(&face, ticket.id, page).await?;
                (page.items, page.next_cursor)
            }
            None => (detail.messages, detail.messages_next_cursor),
        };
        let answers = answers(state, &face, &ticket).await;
        let waiting = detail.waiting.map(|notice| (notice.message, notice.expected_by.map(When::of)));
        let rated = detail.satisfaction.map(|rated| (rated.rating, rated.comment.unwrap_or_default()));
        let offers = offers(&state.app, &face, ticket.id).await?;
        Ok(RequestPage {
            offers,
            waiting,
            rated,
            layout: Layout::for_viewer(viewer, "requests"),
            ticket: Summary::of(ticket),
            answers,
            // The customer view holds public messages only; this keeps it so even if that changed.
            messages: messages
                .into_iter()
                .filter(|message| message.visibility == MessageVisibility::Public)
                .map(Message::from)
                .collect(),
            later,
            earlier,
            draft,
            max_files: MAX_FILES,
            max_file_size: file_size(state.app.limits().max_upload_bytes as i64),
        })
    }
}

impl Summary {
    fn of(ticket: TicketOut) -> Summary {
        Summary {
            id: ticket.id.0,
            subject: ticket.subject,
            status: Status::of(ticket.status),
            service: ticket.service.map(|service| service.name),
            team: ticket.team.name,
            assignee: ticket.assignee.map(|assignee| assignee.name),
            requester: ticket.requester.name,
            opened: When::of(ticket.created_at),
            updated: When::of(ticket.updated_at),
            merged_into: ticket.merged_into_id.map(|id| id.0),
            version: ticket.version,
            closed: ticket.status == TicketStatus::Closed,
            solved: ticket.status == TicketStatus::Solved,
        }
    }
}

impl From<MessageOut> for Message {
    fn from(message: MessageOut) -> Self {
        Message {
            author: message.author.map(|author| author.name).unwrap_or_else(|| "Tandem".to_owned()),
            when: When::of(message.created_at),
            body: message.body,
            files: message
                .attachments
                .into_iter()
                .map(|file| FileLink { id: file.id.0, name: file.filename, size: file_size(file.size) })
                .collect(),
        }
    }
}

/// The answers given on the service's form, labelled and ordered as the form asks them. The
/// labels come from the service as it is offered now; should it no longer be, the keys stand in.
async fn answers(state: &AppState, face: &Principal, ticket: &TicketOut) -> Vec<Answer> {
    let form = match &ticket.service {
        Some(service) => state.app.get_service(face, &service.id.to_string()).await.map(|service| service.form).ok(),
        None => None,
    };
    let mut answers = Vec::new();
    let mut shown = Vec::new();
    for field in form.iter().flat_map(|form| form.0.iter()) {
        if let Some(value) = ticket.fields.get(&field.key) {
            answers.push(Answer { label: field.label.clone(), value: answer(value) });
            shown.push(field.key.as_str());
        }
    }
    for (key, value) in &ticket.fields {
        if !shown.contains(&key.as_str()) {
            answers.push(Answer { label: key.replace('_', " "), value: answer(value) });
        }
    }
    answers
}

fn answer(value: &Value) -> String {
    match value {
        Value::Bool(true) => "Yes".to_owned(),
        Value::Bool(false) => "No".to_owned(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
