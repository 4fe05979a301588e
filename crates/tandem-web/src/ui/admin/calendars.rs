//! Business-hours calendars: the list, and the form that creates, changes or deletes one (a
//! calendar a standard uses is kept, and the page says which standards), with holidays imported
//! from an uploaded iCalendar file. The form's fields live in `calendar_form.rs`.

use askama::Template;
use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use tandem_app::standards::CalendarView;
use tandem_domain::CalendarId;

use super::calendar_form::{CalendarForm, hours_in_words, input_for, input_of};
use super::forms::{Confirm, Done, Posted, Problems, done, form_page, outcome};
use super::{DoneQuery, admin_only, layout, path_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer, check_csrf, refuse_cross_site};
use crate::ui::{UiError, html};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/calendars", get(list))
        .route("/admin/calendars/new", get(new).post(create))
        .route("/admin/calendars/{id}", get(edit).post(update))
        .route("/admin/calendars/{id}/holidays", post(import))
        .route("/admin/calendars/{id}/delete", post(delete))
}

/// A calendar in the list.
struct Row {
    id: CalendarId,
    name: String,
    time_zone: String,
    hours: String,
}

#[derive(Template)]
#[template(path = "admin_calendars.html")]
struct ListPage {
    layout: Layout,
    calendars: Vec<Row>,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let calendars = state.app.list_calendars(&viewer.principal).await?;
    let calendars = calendars
        .into_iter()
        .map(|calendar| Row {
            hours: hours_in_words(&calendar.definition),
            id: calendar.id,
            name: calendar.name,
            time_zone: calendar.definition.time_zone,
        })
        .collect();
    Ok(html(&ListPage { layout: layout(&viewer, &done), calendars }))
}

#[derive(Template)]
#[template(path = "admin_calendar.html")]
struct CalendarPage {
    layout: Layout,
    /// `None` on the new-calendar form.
    calendar: Option<CalendarId>,
    form: CalendarForm,
    problems: Problems,
}

fn page(layout: Layout, calendar: Option<CalendarId>, form: CalendarForm, problems: Problems) -> Response {
    let page = CalendarPage { layout, calendar, form, problems };
    form_page(&page, &page.problems)
}

async fn new(viewer: Viewer) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let form = CalendarForm { time_zone: "Europe/London".to_owned(), ..CalendarForm::default() };
    Ok(page(layout(&viewer, &DoneQuery::default()), None, form, Problems::default()))
}

async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let form = CalendarForm::posted(&Posted(form));
    let mut problems = Problems::default();
    let (input, from_line) = input_of(&form, &mut problems);
    if problems.is_empty() {
        match outcome(state.app.create_calendar(&viewer.principal, input, crate::now()).await)? {
            Ok(calendar) => return Ok(done(&format!("/admin/calendars/{}", calendar.id), Done::Created)),
            Err(refused) => problems = refused,
        }
    }
    problems.rename(|field| input_for(&from_line, field));
    Ok(page(layout(&viewer, &DoneQuery::default()), None, form, problems))
}

/// One calendar by id (calendars are few: the app lists them all).
async fn calendar(state: &AppState, viewer: &Viewer, raw_id: &str) -> Result<CalendarView, UiError> {
    let id: CalendarId = path_id(raw_id)?;
    let calendars = state.app.list_calendars(&viewer.principal).await?;
    calendars.into_iter().find(|calendar| calendar.id == id).ok_or(UiError::NotFound)
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let calendar = calendar(&state, &viewer, &id).await?;
    Ok(page(layout(&viewer, &done), Some(calendar.id), CalendarForm::of(&calendar), Problems::default()))
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let id: CalendarId = path_id(&id)?;
    let form = CalendarForm::posted(&Posted(form));
    let mut problems = Problems::default();
    let (input, from_line) = input_of(&form, &mut problems);
    if problems.is_empty() {
        let saved = state.app.update_calendar(&viewer.principal, id, form.version, input, crate::now()).await;
        match outcome(saved)? {
            Ok(calendar) => return Ok(done(&format!("/admin/calendars/{}", calendar.id), Done::Saved)),
            Err(refused) => problems = refused,
        }
    }
    problems.rename(|field| input_for(&from_line, field));
    Ok(page(layout(&viewer, &DoneQuery::default()), Some(id), form, problems))
}

/// Deletes the calendar, or shows it again saying which standards still use it.
async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, .. }: VerifiedForm<Confirm>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let calendar = calendar(&state, &viewer, &id).await?;
    match outcome(state.app.delete_calendar(&viewer.principal, calendar.id, crate::now()).await)? {
        Ok(()) => Ok(done("/admin/calendars", Done::Deleted)),
        Err(refused) => {
            Ok(page(layout(&viewer, &DoneQuery::default()), Some(calendar.id), CalendarForm::of(&calendar), refused))
        }
    }
}

/// Adds the holidays of an uploaded iCalendar file (the file rides in a multipart form, so the
/// CSRF field is checked here rather than by `VerifiedForm`).
async fn import(
    State(state): State<AppState>,
    Path(id): Path<String>,
    viewer: Viewer,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, UiError> {
    refuse_cross_site(&headers)?;
    let multipart = multipart.map_err(|_| UiError::BadRequest("The form could not be read.".into()))?;
    let (csrf, file) = read_upload(multipart, state.app.limits().max_upload_bytes).await?;
    check_csrf(&viewer, &csrf)?;
    admin_only(&viewer)?;
    let calendar = calendar(&state, &viewer, &id).await?;
    let mut problems = Problems::default();
    match file.map(String::from_utf8) {
        None => problems.add("ics", "choose an .ics file to import"),
        Some(Err(_)) => problems.add("ics", "this is not an iCalendar file (it is not text)"),
        Some(Ok(text)) => {
            match outcome(state.app.import_holidays(&viewer.principal, calendar.id, &text, crate::now()).await)? {
                Ok(saved) => return Ok(done(&format!("/admin/calendars/{}", saved.id), Done::Saved)),
                Err(refused) => problems = refused,
            }
        }
    }
    // The app names the uploaded file `body`, as the API's request body.
    problems.rename(|field| (field == "body").then(|| "ics".to_owned()));
    Ok(page(layout(&viewer, &DoneQuery::default()), Some(calendar.id), CalendarForm::of(&calendar), problems))
}

/// The CSRF field and the uploaded file (`None` when no file was chosen); a file past `limit`
/// bytes is refused.
async fn read_upload(mut multipart: Multipart, limit: usize) -> Result<(String, Option<Vec<u8>>), UiError> {
    let unreadable = |_| UiError::BadRequest("The form could not be read.".into());
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let mut data = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            data.extend_from_slice(&chunk);
            if data.len() > limit {
                return Err(UiError::BadRequest("The file is too big.".into()));
            }
        }
        match name.as_str() {
            "_csrf" => csrf = String::from_utf8_lossy(&data).into_owned(),
            // A file input left empty still sends a part, with no bytes.
            "ics" if !data.is_empty() => file = Some(data),
            _ => {}
        }
    }
    Ok((csrf, file))
}
