//! The announcement editor: `GET/POST /agent/announcements/new` drafts one, `GET/POST
//! /agent/announcements/{id}` shows and saves it, `POST …/publish` and `POST …/withdraw` move it
//! on. Beside the form: the body as employees will see it, and how many of them read it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::announcements::{AnnouncementInput, AnnouncementView};
use tandem_domain::{AnnouncementId, AnnouncementStatus, TeamId, TeamKind};

use super::announcements::{audience_label, require_writer, status_label};
use super::format::Choice;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

#[derive(Template)]
#[template(path = "agent_announcement.html")]
struct EditorPage {
    layout: Layout,
    /// `None` for a new announcement.
    announcement: Option<Shown>,
    form: AnnouncementForm,
    audiences: Vec<Choice>,
    /// A new one, or one the viewer may still change.
    show_form: bool,
}

/// A saved announcement with its labels.
struct Shown {
    view: AnnouncementView,
    status: &'static str,
    audience: String,
    is_draft: bool,
}

/// The form as drawn, or as the writer left it after a refusal.
#[derive(Debug, Default, Deserialize)]
pub struct AnnouncementForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    /// `all`, or a department's id.
    #[serde(default)]
    audience: String,
    #[serde(default)]
    pinned: Option<String>,
    #[serde(default)]
    email: Option<String>,
    /// `datetime-local` in UTC (`2026-12-31T17:00`), or empty.
    #[serde(default)]
    expires_at: String,
    #[serde(default)]
    version: i64,
    #[serde(skip)]
    errors: Vec<String>,
}

impl AnnouncementForm {
    fn input(&self) -> Result<AnnouncementInput, String> {
        let department_id = match self.audience.as_str() {
            "all" | "" => None,
            id => Some(TeamId(id.parse::<i64>().map_err(|_| "Choose who it is for.".to_owned())?)),
        };
        Ok(AnnouncementInput {
            title: self.title.clone(),
            body: self.body.clone(),
            department_id,
            pinned: self.pinned.is_some(),
            email: self.email.is_some(),
            expires_at: utc_instant(&self.expires_at)?,
        })
    }

    fn of(announcement: &AnnouncementView) -> AnnouncementForm {
        let audience = announcement.audience.department.as_ref().map_or("all".to_owned(), |team| team.id.to_string());
        let expires_at = announcement.expires_at.map(|end| local_input(end.0)).unwrap_or_default();
        AnnouncementForm {
            title: announcement.title.clone(),
            body: announcement.body.clone(),
            audience,
            pinned: announcement.pinned.then(String::new),
            email: announcement.email.then(String::new),
            expires_at,
            version: announcement.version,
            errors: Vec::new(),
        }
    }
}

/// A `datetime-local` value read as UTC, as the API's RFC 3339.
fn utc_instant(text: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let civil = text.parse::<jiff::civil::DateTime>().map_err(|_| "Give the end as a date and time.".to_owned())?;
    let zoned = civil.to_zoned(jiff::tz::TimeZone::UTC).map_err(|_| "Give the end as a date and time.".to_owned())?;
    Ok(Some(zoned.timestamp().to_string()))
}

/// An instant as a `datetime-local` value in UTC.
fn local_input(millis: i64) -> String {
    let timestamp = jiff::Timestamp::from_millisecond(millis).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    timestamp.strftime("%Y-%m-%dT%H:%M").to_string()
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowParams {
    #[serde(default)]
    done: String,
}

pub async fn new_form(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    require_writer(&viewer)?;
    let form = AnnouncementForm { audience: "all".into(), ..AnnouncementForm::default() };
    page(&state, &viewer, StatusCode::OK, None, form, None).await
}

pub async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<AnnouncementForm>,
) -> Result<Response, UiError> {
    require_writer(&viewer)?;
    let created = match form.input() {
        Ok(input) => state.app.create_announcement(&viewer.principal, input, crate::now()).await,
        Err(message) => return refused(&state, &viewer, None, form, message).await,
    };
    match created {
        Ok(announcement) => Ok(done(announcement.id, "saved")),
        Err(error @ AppError::Invalid(_)) => refused(&state, &viewer, None, form, error.to_string()).await,
        Err(error) => Err(error.into()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(params): Query<ShowParams>,
) -> Result<Response, UiError> {
    require_writer(&viewer)?;
    let announcement = state.app.get_announcement(&viewer.principal, announcement_id(&id)?, crate::now()).await?;
    let notice = match params.done.as_str() {
        "saved" => Some("Saved.".to_owned()),
        "published" => Some("Published: its employees see it now.".to_owned()),
        "withdrawn" => Some("Withdrawn: employees no longer see it.".to_owned()),
        _ => None,
    };
    let form = AnnouncementForm::of(&announcement);
    page(&state, &viewer, StatusCode::OK, Some(announcement), form, notice).await
}

pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<AnnouncementForm>,
) -> Result<Response, UiError> {
    require_writer(&viewer)?;
    let current = state.app.get_announcement(&viewer.principal, announcement_id(&id)?, crate::now()).await?;
    let saved = match form.input() {
        Ok(input) => {
            state.app.update_announcement(&viewer.principal, current.id, form.version, input, crate::now()).await
        }
        Err(message) => return refused(&state, &viewer, Some(current), form, message).await,
    };
    match saved {
        Ok(announcement) => Ok(done(announcement.id, "saved")),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            refused(&state, &viewer, Some(current), form, error.to_string()).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn publish(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form: _ }: VerifiedForm<serde::de::IgnoredAny>,
) -> Result<Response, UiError> {
    require_writer(&viewer)?;
    let announcement = state.app.publish_announcement(&viewer.principal, announcement_id(&id)?, crate::now()).await?;
    Ok(done(announcement.id, "published"))
}

pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form: _ }: VerifiedForm<serde::de::IgnoredAny>,
) -> Result<Response, UiError> {
    require_writer(&viewer)?;
    let announcement = state.app.withdraw_announcement(&viewer.principal, announcement_id(&id)?, crate::now()).await?;
    Ok(done(announcement.id, "withdrawn"))
}

fn done(id: AnnouncementId, what: &str) -> Response {
    Redirect::to(&format!("/agent/announcements/{id}?done={what}")).into_response()
}

fn announcement_id(raw: &str) -> Result<AnnouncementId, UiError> {
    raw.parse::<i64>().map(AnnouncementId).map_err(|_| UiError::NotFound)
}

async fn refused(
    state: &AppState,
    viewer: &Viewer,
    announcement: Option<AnnouncementView>,
    mut form: AnnouncementForm,
    message: String,
) -> Result<Response, UiError> {
    form.errors.push(message);
    page(state, viewer, StatusCode::UNPROCESSABLE_ENTITY, announcement, form, None).await
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    announcement: Option<AnnouncementView>,
    form: AnnouncementForm,
    notice: Option<String>,
) -> Result<Response, UiError> {
    let teams = state.app.list_teams(&viewer.principal).await?;
    let departments = teams.into_iter().filter(|team| team.kind == TeamKind::Department);
    let audiences = std::iter::once(Choice::new("all", "All employees", &form.audience))
        .chain(departments.map(|team| Choice::new(team.id.to_string(), team.name, &form.audience)))
        .collect();
    let announcement = announcement.map(|view| Shown {
        status: status_label(view.status),
        audience: audience_label(&view),
        is_draft: view.status == AnnouncementStatus::Draft,
        view,
    });
    let page = EditorPage {
        layout: Layout::for_viewer(viewer, "announcements").with_notice(notice),
        show_form: announcement.as_ref().is_none_or(|shown| shown.view.can_edit),
        announcement,
        form,
        audiences,
    };
    Ok((status, html(&page)).into_response())
}
