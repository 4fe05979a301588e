//! `GET /agent/incidents/{id}`: one incident with its linked tickets and updates, and the forms
//! that link and unlink tickets, post an update in two voices and solve it. Each post goes back
//! to the page with a notice; a refused one shows why on the error page, and nothing was done.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::incidents::{IncidentDetail, IncidentLinkInput, LinkedTicketOut, SolveInput, UpdateInput, UpdateOut};
use tandem_app::{Millis, instant};
use tandem_domain::{IncidentId, IncidentStatus, Severity, TicketAudience};

use super::format::{When, status_label};
use super::{require_staff, ticket_id, typed_ticket_number};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

#[derive(Template)]
#[template(path = "agent_incident.html")]
struct IncidentPage {
    layout: Layout,
    id: i64,
    title: String,
    description: String,
    open: bool,
    severity: &'static str,
    team: String,
    rules: String,
    opened: When,
    /// Whether the viewer may post updates and solve (the owning team's members and admins).
    owner: bool,
    tickets: Vec<TicketRow>,
    more_tickets: bool,
    updates: Vec<UpdateRow>,
}

struct TicketRow {
    id: i64,
    subject: Option<String>,
    audience: &'static str,
    team: String,
    status: &'static str,
}

struct UpdateRow {
    author: String,
    when: When,
    external: Option<String>,
    internal: Option<String>,
    note: Option<String>,
    solves_tickets: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowParams {
    #[serde(default)]
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(params): Query<ShowParams>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let detail = state.app.get_incident(&viewer.principal, incident_id(&id)?).await?;
    let notice = notice(&params.done);
    let layout = Layout::for_viewer(&viewer, "incidents").with_notice(notice);
    let owner =
        viewer.principal.is_admin || viewer.principal.is_member_of(tandem_domain::TeamId(detail.incident.team.id));
    Ok(html(&page(layout, owner, detail, crate::now())))
}

#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    ticket: String,
}

pub async fn link(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<LinkForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let id = incident_id(&id)?;
    let ticket_id =
        typed_ticket_number(&form.ticket).ok_or_else(|| UiError::BadRequest("Give a ticket number.".into()))?;
    state.app.link_incident_ticket(&viewer.principal, id, IncidentLinkInput { ticket_id }, crate::now()).await?;
    Ok(back(id, "linked"))
}

pub async fn unlink(
    State(state): State<AppState>,
    Path((id, ticket)): Path<(String, String)>,
    VerifiedForm { viewer, form: _ }: VerifiedForm<serde::de::IgnoredAny>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let id = incident_id(&id)?;
    state.app.unlink_incident_ticket(&viewer.principal, id, ticket_id(&ticket)?, crate::now()).await?;
    Ok(back(id, "unlinked"))
}

#[derive(Debug, Deserialize)]
pub struct UpdateForm {
    #[serde(default)]
    external_body: String,
    #[serde(default)]
    internal_body: String,
    #[serde(default)]
    note: String,
    /// The solve form's checkbox; absent when unticked.
    solve_tickets: Option<String>,
}

impl UpdateForm {
    fn texts(self) -> UpdateInput {
        let text = |value: String| Some(value.replace("\r\n", "\n")).filter(|value| !value.trim().is_empty());
        UpdateInput {
            external_body: text(self.external_body),
            internal_body: text(self.internal_body),
            note: text(self.note),
        }
    }
}

pub async fn post_update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<UpdateForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let id = incident_id(&id)?;
    state.app.post_incident_update(&viewer.principal, id, form.texts(), crate::now()).await?;
    Ok(back(id, "updated"))
}

pub async fn solve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<UpdateForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let id = incident_id(&id)?;
    let solve_tickets = form.solve_tickets.is_some();
    let texts = form.texts();
    let input = SolveInput {
        solve_tickets,
        external_body: texts.external_body,
        internal_body: texts.internal_body,
        note: texts.note,
    };
    state.app.solve_incident(&viewer.principal, id, input, crate::now()).await?;
    Ok(back(id, "solved"))
}

fn incident_id(raw: &str) -> Result<IncidentId, UiError> {
    raw.parse::<i64>().map(IncidentId).map_err(|_| UiError::NotFound)
}

fn back(id: IncidentId, done: &str) -> Response {
    Redirect::to(&format!("/agent/incidents/{id}?done={done}")).into_response()
}

/// What the action that led here did (fixed words; nothing from the URL is shown).
fn notice(done: &str) -> Option<String> {
    let text = match done {
        "opened" => "Incident opened.",
        "linked" => "Ticket linked.",
        "unlinked" => "Ticket unlinked.",
        "updated" => "Update posted on the linked tickets still being worked.",
        "solved" => "Incident solved.",
        _ => return None,
    };
    Some(text.to_owned())
}

fn page(layout: Layout, owner: bool, detail: IncidentDetail, now: Millis) -> IncidentPage {
    let incident = detail.incident;
    let mut rules = Vec::new();
    if let Some(service) = incident.match_rules.service_id {
        rules.push(format!("service #{service}"));
    }
    if !incident.match_rules.words.is_empty() {
        rules.push(format!("subject contains {}", incident.match_rules.words.join(" or ")));
    }
    IncidentPage {
        layout,
        id: incident.id.0,
        title: incident.title,
        description: incident.description,
        open: incident.status == IncidentStatus::Open,
        severity: incident.severity.map_or("", Severity::as_str),
        team: incident.team.name,
        rules: rules.join(" and "),
        opened: When::of(now, instant(incident.created_at)),
        owner,
        tickets: detail.tickets.into_iter().map(ticket_row).collect(),
        more_tickets: detail.tickets_next_cursor.is_some(),
        updates: detail.updates.into_iter().map(|update| update_row(now, update)).collect(),
    }
}

fn ticket_row(ticket: LinkedTicketOut) -> TicketRow {
    TicketRow {
        id: ticket.id.0,
        subject: ticket.subject,
        audience: match ticket.audience {
            TicketAudience::External => "External customer",
            TicketAudience::Internal => "Employee",
        },
        team: ticket.team.name,
        status: status_label(ticket.status),
    }
}

fn update_row(now: Millis, update: UpdateOut) -> UpdateRow {
    UpdateRow {
        author: update.author.name,
        when: When::of(now, instant(update.created_at)),
        external: update.external_body,
        internal: update.internal_body,
        note: update.note,
        solves_tickets: update.solves_tickets,
    }
}
