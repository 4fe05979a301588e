//! Opening and editing an incident (edits carry the version they change).

use serde::{Deserialize, Serialize};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{IncidentId, Millis, Principal, ServiceId, Severity, TeamId};
use tandem_store::incidents::{self, IncidentFields};
use tandem_store::{Conn, services, teams};

use super::views::{IncidentView, incident_view};
use super::{load_for_write, require_open, require_owner, require_staff};
use crate::{App, AppError};

/// An incident as people write it; editing sends the whole of it again.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The owning team: one of the caller's teams (admins: any).
    pub team_id: TeamId,
    pub severity: Option<Severity>,
    /// Match rule: new tickets of this service are linked while the incident is open…
    pub match_service_id: Option<ServiceId>,
    /// …and/or new tickets whose subject contains one of these words (case-insensitive).
    #[serde(default)]
    pub match_words: Vec<String>,
}

const MAX_TITLE_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 10_000;
const MAX_WORDS: usize = 20;
const MAX_WORD_CHARS: usize = 50;

impl App {
    /// Opens an incident owned by one of the caller's teams.
    pub async fn create_incident(
        &self,
        principal: &Principal,
        input: IncidentInput,
        now: Millis,
    ) -> Result<IncidentView, AppError> {
        require_staff(principal)?;
        let mut tx = self.store().begin().await?;
        let fields = checked(tx.conn(), principal, input).await?;
        let id = incidents::insert(tx.conn(), &fields, principal.person_id, now).await?;
        let row = incidents::get(tx.conn(), id).await?.ok_or(AppError::NotFound("incident"))?;
        tx.commit().await?;
        tracing::info!(incident.id = id.0, "incident {id} opened");
        Ok(incident_view(row))
    }

    /// Rewrites an open incident's fields if it is still at `version`.
    pub async fn update_incident(
        &self,
        principal: &Principal,
        id: IncidentId,
        version: i64,
        input: IncidentInput,
        now: Millis,
    ) -> Result<IncidentView, AppError> {
        let mut tx = self.store().begin().await?;
        let current = load_for_write(tx.conn(), principal, id).await?;
        require_owner(principal, &current)?;
        require_open(&current)?;
        let fields = checked(tx.conn(), principal, input).await?;
        if !incidents::update(tx.conn(), id, version, &fields, now).await? {
            return Err(AppError::version_conflict("incident"));
        }
        let row = incidents::get(tx.conn(), id).await?.ok_or(AppError::NotFound("incident"))?;
        tx.commit().await?;
        Ok(incident_view(row))
    }
}

/// Checks the input field by field; the match words come back trimmed, lower-case, without repeats.
async fn checked(mut conn: Conn<'_>, principal: &Principal, input: IncidentInput) -> Result<IncidentFields, AppError> {
    let mut errors = FieldErrors::new();
    let title = validate::required_line(&mut errors, "title", &input.title, MAX_TITLE_CHARS);
    validate::bounded_text(&mut errors, "description", &input.description, MAX_DESCRIPTION_CHARS, false);
    if !(principal.is_admin || principal.is_member_of(input.team_id)) {
        errors.add("team_id", "must be one of your teams");
    } else if teams::get(conn.reborrow(), input.team_id).await?.is_none() {
        errors.add("team_id", "no such team");
    }
    let mut words: Vec<String> = Vec::new();
    for word in &input.match_words {
        let word = word.trim().to_lowercase();
        if word.is_empty() || word.chars().count() > MAX_WORD_CHARS {
            errors.add("match_words", format!("each word must have 1 to {MAX_WORD_CHARS} characters"));
        } else if !words.contains(&word) {
            words.push(word);
        }
    }
    if words.len() > MAX_WORDS {
        errors.add("match_words", format!("at most {MAX_WORDS} words"));
    }
    if let Some(service) = input.match_service_id
        && services::get(conn, service).await?.is_none()
    {
        errors.add("match_service_id", "no such service");
    }
    errors.into_result()?;
    Ok(IncidentFields {
        title,
        description: input.description.trim().to_owned(),
        team_id: input.team_id,
        severity: input.severity,
        match_service_id: input.match_service_id,
        match_words: words,
    })
}
