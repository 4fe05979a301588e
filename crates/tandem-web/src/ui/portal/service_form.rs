//! A service's request form, generated from its fields: shown empty, sent back with everything
//! typed kept and each error next to its field, or sent as a new ticket from the web.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Map, Value};
use tandem_app::catalog::ServiceView;
use tandem_app::tickets::NewTicket;
use tandem_app::{AppError, Limits, Principal};
use tandem_domain::{Channel, FieldDef, FieldErrors, FieldKind, FormDef, TicketId};

use super::form_post::{self, MAX_FILES, SentForm};
use super::{customer_face, file_size, sentence};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::Viewer;
use crate::ui::{UiError, html};

#[derive(Template)]
#[template(path = "portal_service.html")]
struct ServicePage {
    layout: Layout,
    service: ServiceView,
    subject: String,
    subject_error: Option<String>,
    body: String,
    body_error: Option<String>,
    fields: Vec<FieldView>,
    files_error: Option<String>,
    /// Files were sent with a form that came back: the browser does not keep them.
    attach_again: bool,
    /// Every error, in the form's order, linking to its field.
    summary: Vec<Problem>,
    max_files: usize,
    max_file_size: String,
    /// A referral code the viewer came with (`?ref=CODE`): sent with the request, recorded with it.
    referral: String,
}

/// One custom field as the form shows it.
struct FieldView {
    /// The control's id (`field-<key>`; form keys are lowercase letters, digits and underscores).
    id: String,
    /// The part it is sent as (`fields.<key>`).
    name: String,
    label: String,
    kind: &'static str,
    required: bool,
    value: String,
    options: Vec<Choice>,
    error: Option<String>,
}

struct Choice {
    value: String,
    selected: bool,
}

/// An error in the summary above the form; `target` is the id of its field, empty when the error
/// belongs to no one field.
struct Problem {
    target: String,
    message: String,
}

pub(super) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    Query(referral): Query<super::referral::RefQuery>,
) -> Result<Response, UiError> {
    let service = state.app.get_service(&customer_face(&viewer), &slug).await?;
    let mut page = ServicePage::new(&viewer, service, None, FieldErrors::new(), state.app.limits());
    page.referral = referral.code();
    Ok(html(&page))
}

/// Opens the request as the viewer, then shows it; a form with mistakes comes back as it was sent.
pub(super) async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(slug): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, UiError> {
    let limits = state.app.limits();
    let sent = form_post::read(&viewer, &headers, multipart, limits).await?;
    let face = customer_face(&viewer);
    let service = state.app.get_service(&face, &slug).await?;
    let mut errors = FieldErrors::new();
    let fields = answers(&service.form, &sent, &mut errors);
    // Checked before any file is stored, so a form sent back for corrections leaves no uploads
    // behind, and every mistake is shown at once; the app checks it all again as it creates.
    service.form.check_values(&fields, &mut errors);
    for key in ["subject", "body"] {
        if sent.text(key).trim().is_empty() {
            errors.add(key, "must not be empty");
        }
    }
    if let Some(problem) = &sent.file_error {
        errors.add("files", problem.clone());
    }
    let created =
        if errors.is_empty() { create(&state, &face, &service, &sent, fields).await } else { Err(errors.into()) };
    match created {
        Ok(id) => {
            super::referral::claim_with_request(&state.app, &face, sent.text("ref")).await;
            Ok(Redirect::to(&format!("/portal/requests/{}?done=sent", id.0)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page = ServicePage::new(&viewer, service, Some(&sent), errors, limits);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

async fn create(
    state: &AppState,
    face: &Principal,
    service: &ServiceView,
    sent: &SentForm,
    fields: Map<String, Value>,
) -> Result<TicketId, AppError> {
    let attachment_ids = sent.store_files(&state.app, face).await?;
    let new = NewTicket {
        subject: sent.text("subject").to_owned(),
        body: sent.text("body").to_owned(),
        service: Some(service.slug.clone()),
        service_id: None,
        fields,
        channel: Some(Channel::Web),
        attachment_ids,
        requester: None,
        recipient: None,
        team_id: None,
        priority: None,
        assignee_id: None,
        tags: Vec::new(),
        follower_ids: Vec::new(),
    };
    Ok(state.app.create_ticket(face, new, None, crate::now()).await?.ticket.id)
}

/// The answers as typed values for the form's check. An empty answer is no answer; one that is
/// not even of its field's kind (a number that is not a number) is an error of its field.
fn answers(form: &FormDef, sent: &SentForm, errors: &mut FieldErrors) -> Map<String, Value> {
    let mut values = Map::new();
    for field in &form.0 {
        let raw = sent.text(&format!("fields.{}", field.key));
        if raw.trim().is_empty() {
            continue;
        }
        let value = match field.kind {
            FieldKind::Number => raw.trim().parse::<serde_json::Number>().map(Value::Number).ok(),
            FieldKind::YesNo => match raw {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            _ => Some(Value::String(raw.to_owned())),
        };
        match value {
            Some(value) => {
                values.insert(field.key.clone(), value);
            }
            None => errors.add(format!("fields.{}", field.key), expected(field.kind)),
        }
    }
    values
}

fn expected(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Number => "must be a number",
        _ => "must be yes or no",
    }
}

impl ServicePage {
    fn new(
        viewer: &Viewer,
        service: ServiceView,
        sent: Option<&SentForm>,
        errors: FieldErrors,
        limits: &Limits,
    ) -> ServicePage {
        let mut errors = errors.0;
        let text = |name: &str| sent.map(|sent| sent.text(name).to_owned()).unwrap_or_default();
        let fields: Vec<FieldView> = service
            .form
            .0
            .iter()
            .map(|field| FieldView::new(field, text(&format!("fields.{}", field.key)), &mut errors))
            .collect();
        let subject_error = errors.remove("subject").map(|message| sentence("Subject", &message));
        let body_error = errors.remove("body").map(|message| sentence("Description", &message));
        // The page's own file errors are sentences already; the app's name no file.
        let files_error = errors
            .remove("files")
            .or_else(|| errors.remove("file").map(|message| sentence("The file", &message)))
            .or_else(|| errors.remove("attachment_ids").map(|message| sentence("Attachments", &message)));
        let mut summary = Vec::new();
        let mut add = |target: &str, error: &Option<String>| {
            if let Some(message) = error {
                summary.push(Problem { target: target.to_owned(), message: message.clone() });
            }
        };
        add("subject", &subject_error);
        for field in &fields {
            add(&field.id, &field.error);
        }
        add("body", &body_error);
        add("files", &files_error);
        for (key, message) in errors {
            summary.push(Problem { target: String::new(), message: format!("{key}: {message}") });
        }
        ServicePage {
            layout: Layout::for_viewer(viewer, "portal"),
            service,
            subject: text("subject"),
            subject_error,
            body: text("body"),
            body_error,
            fields,
            files_error,
            attach_again: sent.is_some_and(|sent| !sent.files.is_empty()),
            summary,
            max_files: MAX_FILES,
            max_file_size: file_size(limits.max_upload_bytes as i64),
            referral: sent.map(|sent| sent.text("ref").to_owned()).unwrap_or_default(),
        }
    }
}

impl FieldView {
    fn new(field: &FieldDef, value: String, errors: &mut std::collections::BTreeMap<String, String>) -> FieldView {
        let options =
            field.options.iter().map(|option| Choice { value: option.clone(), selected: *option == value }).collect();
        FieldView {
            id: format!("field-{}", field.key),
            name: format!("fields.{}", field.key),
            label: field.label.clone(),
            kind: field.kind.as_str(),
            required: field.required,
            error: errors.remove(&format!("fields.{}", field.key)).map(|message| sentence(&field.label, &message)),
            options,
            value,
        }
    }
}
