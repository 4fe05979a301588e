//! The side column's form and its two actions: `POST /agent/tickets/{id}/update` changes status,
//! priority, team, assignee, tags and custom fields under the version the form was drawn from;
//! `POST /agent/tickets/{id}/take` assigns the ticket to the viewer.
//!
//! The form carries each value as it was drawn (`orig.<name>`), so only what the agent actually
//! edited is sent. After a version conflict the page comes back with the fresh ticket and the
//! agent's edits laid over it: saving again applies exactly those edits, never stale copies of
//! fields someone else changed meanwhile.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::IgnoredAny;
use serde_json::Map;
use tandem_app::AppError;
use tandem_app::tickets::{TicketChanges, TicketOut};
use tandem_domain::{FormDef, PersonId, Priority, TeamId, TicketId, TicketStatus};

use super::fields::{self, SideInput};
use super::format::{Choice, priority_label, status_label};
use super::ticket::{Drafts, Loaded, TicketPage, load, respond};
use super::{require_staff, ticket_id};
use crate::state::AppState;
use crate::ui::UiError;
use crate::ui::session::{VerifiedForm, Viewer};

/// The side form's values as text, by input name (`status`, `fields.order_number`, …).
pub(super) type Values = BTreeMap<String, String>;

const BASE: [&str; 5] = ["status", "priority", "team_id", "assignee_id", "tags"];
const ORIG: &str = "orig.";
const CONFLICT: &str = "Someone changed this ticket while you were editing, so nothing was saved. Your edits are \
     kept below over the ticket as it is now: check them and save again, or reload the page to start over.";

/// The side form as an agent left it, when it comes back after a refused save.
#[derive(Debug, Default)]
pub(super) struct SideDraft {
    typed: Values,
    orig: Values,
    version: i64,
    errors: BTreeMap<String, String>,
    problem: Option<String>,
    /// After a conflict: the saved value of each field the agent edited that someone else changed too.
    saved_now: Values,
}

/// The side form, ready to draw.
#[derive(Debug)]
pub(super) struct SideForm {
    pub version: i64,
    pub closed: bool,
    /// The service whose form the custom fields follow (to type what they hold on save).
    pub service: String,
    pub inputs: Vec<SideInput>,
    pub orig: Vec<(String, String)>,
    pub problem: Option<String>,
    pub other_errors: Vec<String>,
}

impl SideForm {
    pub fn new(loaded: &Loaded, draft: Option<SideDraft>) -> SideForm {
        let ticket = &loaded.ticket;
        let saved = values_of(ticket, &loaded.form);
        let mut draft = draft.unwrap_or_else(|| SideDraft {
            typed: saved.clone(),
            orig: saved.clone(),
            version: ticket.version,
            ..SideDraft::default()
        });
        let mut inputs = base_inputs(loaded);
        inputs.extend(loaded.form.0.iter().map(|field| fields::input(field, "")));
        for input in &mut inputs {
            let value = draft.typed.get(&input.name).cloned().unwrap_or_default();
            input.select_value(&value);
            input.error = draft.errors.remove(&input.name);
            input.saved_now = draft.saved_now.get(&input.name).map(|value| input.shown(value));
        }
        SideForm {
            version: draft.version,
            closed: ticket.status == TicketStatus::Closed,
            service: ticket.service.as_ref().map(|service| service.id.to_string()).unwrap_or_default(),
            inputs,
            orig: draft.orig.into_iter().map(|(name, value)| (format!("{ORIG}{name}"), value)).collect(),
            problem: draft.problem,
            other_errors: draft.errors.into_iter().map(|(field, message)| format!("{field}: {message}")).collect(),
        }
    }
}

/// The ticket's values as the side form's inputs hold them.
fn values_of(ticket: &TicketOut, form: &FormDef) -> Values {
    let mut values = Values::new();
    values.insert("status".into(), ticket.status.as_str().into());
    values.insert("priority".into(), ticket.priority.unwrap_or(Priority::Normal).as_str().into());
    values.insert("team_id".into(), ticket.team.id.to_string());
    let assignee = ticket.assignee.as_ref().and_then(|person| person.id);
    values.insert("assignee_id".into(), assignee.map(|id| id.to_string()).unwrap_or_default());
    values.insert("tags".into(), ticket.tags.clone().unwrap_or_default().join(", "));
    for field in &form.0 {
        let stored = ticket.fields.get(&field.key).map(fields::text_of).unwrap_or_default();
        values.insert(fields::name(&field.key), stored);
    }
    values
}

fn base_inputs(loaded: &Loaded) -> Vec<SideInput> {
    let ticket = &loaded.ticket;
    // A ticket never goes back to `new`, so `new` is offered only while it is new.
    let statuses = TicketStatus::ALL
        .iter()
        .filter(|status| **status != TicketStatus::New || ticket.status == TicketStatus::New)
        .map(|status| Choice::new(status.as_str(), status_label(*status), ""))
        .collect();
    let priorities =
        Priority::ALL.iter().map(|priority| Choice::new(priority.as_str(), priority_label(*priority), "")).collect();
    let teams = loaded
        .teams
        .iter()
        .filter(|team| team.is_provider)
        .map(|team| Choice::new(team.id.to_string(), team.name.clone(), ""))
        .collect();
    let mut assignees = vec![Choice::new("", "Unassigned", "")];
    assignees
        .extend(loaded.members.iter().map(|member| Choice::new(member.person_id.to_string(), member.name.clone(), "")));
    if let Some(assignee) = &ticket.assignee
        && let Some(id) = assignee.id
        && !loaded.members.iter().any(|member| member.person_id == id)
    {
        assignees.push(Choice::new(id.to_string(), assignee.name.clone(), ""));
    }
    let tags = SideInput {
        kind: "text",
        help: Some("Separate tags with commas."),
        ..SideInput::select("tags", "Tags", "", Vec::new())
    };
    vec![
        SideInput { key: Some("s"), ..SideInput::select("status", "Status", "", statuses) },
        SideInput::select("priority", "Priority", "", priorities),
        SideInput::select("team_id", "Team", "", teams),
        SideInput::select("assignee_id", "Assignee", "", assignees),
        tags,
    ]
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<HashMap<String, String>>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let id = ticket_id(&id)?;
    let version = form.get("version").and_then(|version| version.parse::<i64>().ok()).ok_or_else(|| {
        UiError::BadRequest("The form does not say which version of the ticket it edits. Reload the page.".into())
    })?;
    let (typed, orig) = split(&form);
    let edited: Vec<String> =
        typed.iter().filter(|(name, value)| orig.get(*name) != Some(*value)).map(|(name, _)| name.clone()).collect();
    let form_def = if edited.iter().any(|name| name.starts_with("fields.")) {
        let service = form.get("service").map(String::as_str).unwrap_or_default();
        state.app.get_service(&viewer.principal, service).await.map(|service| service.form).unwrap_or_default()
    } else {
        FormDef::default()
    };
    let (changes, errors) = changes(&typed, &edited, &form_def);
    let draft = SideDraft { typed, orig, version, errors, ..SideDraft::default() };
    if !draft.errors.is_empty() {
        return again(&state, &viewer, id, StatusCode::UNPROCESSABLE_ENTITY, draft).await;
    }
    match state.app.update_ticket(&viewer.principal, id, version, changes, crate::now()).await {
        Ok(ticket) => Ok(Redirect::to(&after_update(&viewer, &ticket)).into_response()),
        Err(AppError::Conflict { code: "version_conflict", .. }) => conflict(&state, &viewer, id, draft, &edited).await,
        Err(AppError::Invalid(errors)) => {
            let draft = SideDraft { errors: errors.0, ..draft };
            again(&state, &viewer, id, StatusCode::UNPROCESSABLE_ENTITY, draft).await
        }
        Err(AppError::Conflict { message, .. }) => {
            let draft = SideDraft { problem: Some(sentence(&message)), ..draft };
            again(&state, &viewer, id, StatusCode::CONFLICT, draft).await
        }
        Err(AppError::Forbidden(message)) => {
            let draft = SideDraft { problem: Some(sentence(&message)), ..draft };
            again(&state, &viewer, id, StatusCode::FORBIDDEN, draft).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn take(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, .. }: VerifiedForm<IgnoredAny>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let id = ticket_id(&id)?;
    let (status, message) = match state.app.take_ticket(&viewer.principal, id, crate::now()).await {
        Ok(_) => return Ok(Redirect::to(&format!("/agent/tickets/{id}?done=taken")).into_response()),
        // "Casey Care already has this ticket."
        Err(AppError::Conflict { message, .. }) => (StatusCode::CONFLICT, message),
        Err(AppError::Forbidden(message)) => (StatusCode::FORBIDDEN, message),
        Err(error) => return Err(error.into()),
    };
    let loaded = load(&state, &viewer, id).await?;
    let drafts = Drafts { take_error: Some(sentence(&message)), ..Drafts::default() };
    Ok(respond(status, &TicketPage::new(&viewer, loaded, drafts)))
}

/// The side form's inputs and the values they were drawn with.
fn split(form: &HashMap<String, String>) -> (Values, Values) {
    let ours = |name: &str| BASE.contains(&name) || name.starts_with("fields.");
    let typed = form.iter().filter(|(name, _)| ours(name)).map(|(name, value)| (name.clone(), value.clone()));
    let orig = form.iter().filter_map(|(name, value)| Some((name.strip_prefix(ORIG)?.to_owned(), value.clone())));
    (typed.collect(), orig.filter(|(name, _)| ours(name)).collect())
}

/// The changes the edited inputs ask for, or why an input cannot be read.
fn changes(typed: &Values, edited: &[String], form: &FormDef) -> (TicketChanges, BTreeMap<String, String>) {
    let mut changes = TicketChanges::default();
    let mut errors = BTreeMap::new();
    let mut values = Map::new();
    for name in edited {
        let text = typed[name].trim();
        let mut refuse = |message: &str| errors.insert(name.clone(), message.to_owned());
        match name.as_str() {
            "status" => match text.parse::<TicketStatus>() {
                Ok(status) => changes.status = Some(status),
                Err(_) => _ = refuse("pick a status from the list"),
            },
            "priority" => match text.parse::<Priority>() {
                Ok(priority) => changes.priority = Some(priority),
                Err(_) => _ = refuse("pick a priority from the list"),
            },
            "team_id" => match text.parse::<i64>() {
                Ok(team) => changes.team_id = Some(TeamId(team)),
                Err(_) => _ = refuse("pick a team from the list"),
            },
            "assignee_id" if text.is_empty() => changes.assignee_id = Some(None),
            "assignee_id" => match text.parse::<i64>() {
                Ok(person) => changes.assignee_id = Some(Some(PersonId(person))),
                Err(_) => _ = refuse("pick an agent from the list"),
            },
            "tags" => {
                let tags = text.split(',').map(str::trim).filter(|tag| !tag.is_empty()).map(str::to_owned);
                changes.tags = Some(tags.collect());
            }
            _ => {
                let key = name.trim_start_matches("fields.");
                match fields::value_of(form, key, text) {
                    Ok(value) => _ = values.insert(key.to_owned(), value),
                    Err(message) => _ = refuse(&message),
                }
            }
        }
    }
    if !values.is_empty() {
        changes.fields = Some(values);
    }
    (changes, errors)
}

/// Where a saved ticket is seen next: its page, or the queues if it went to a team the agent
/// does not work in (its page would now be "not found" to them).
fn after_update(viewer: &Viewer, ticket: &TicketOut) -> String {
    let principal = &viewer.principal;
    if principal.is_admin || principal.is_member_of(TeamId(ticket.team.id)) {
        format!("/agent/tickets/{}?done=saved", ticket.id)
    } else {
        "/agent?done=transferred".to_owned()
    }
}

/// The page again after a version conflict: the ticket as it is now, with the agent's edits
/// (and only those) laid over it and the new version, so saving again applies just them.
async fn conflict(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    draft: SideDraft,
    edited: &[String],
) -> Result<Response, UiError> {
    let loaded = load(state, viewer, id).await?;
    let fresh = values_of(&loaded.ticket, &loaded.form);
    let mut typed = fresh.clone();
    let mut saved_now = Values::new();
    for name in edited {
        typed.insert(name.clone(), draft.typed[name].clone());
        if let Some(now) = fresh.get(name).filter(|now| draft.orig.get(name) != Some(*now)) {
            saved_now.insert(name.clone(), now.clone());
        }
    }
    let version = loaded.ticket.version;
    let draft = SideDraft { typed, orig: fresh, version, saved_now, problem: Some(CONFLICT.to_owned()), ..draft };
    let drafts = Drafts { side: Some(draft), ..Drafts::default() };
    Ok(respond(StatusCode::CONFLICT, &TicketPage::new(viewer, loaded, drafts)))
}

/// The page again with the side form as the agent left it.
async fn again(
    state: &AppState,
    viewer: &Viewer,
    id: TicketId,
    status: StatusCode,
    draft: SideDraft,
) -> Result<Response, UiError> {
    let loaded = load(state, viewer, id).await?;
    let drafts = Drafts { side: Some(draft), ..Drafts::default() };
    Ok(respond(status, &TicketPage::new(viewer, loaded, drafts)))
}

/// An app message as a sentence on a page ("the ticket is closed" → "The ticket is closed.").
pub(super) fn sentence(message: &str) -> String {
    let mut chars = message.trim().chars();
    let mut text: String = chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}
