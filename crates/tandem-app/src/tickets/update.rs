//! Changing a ticket: fields under a version check, taking it, following it.

use serde::Deserialize;
use serde_json::{Map, Value, json};
use tandem_domain::ticket::{Side, StatusError, check_change};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{
    Millis, PersonId, Principal, Priority, ServiceId, TeamId, TicketAccess, TicketId, TicketStatus, tags,
};
use tandem_store::tickets::{self, TicketState, TicketView};
use tandem_store::{Tx, people, services, teams};

use super::events::record;
use super::views::{TicketOut, ticket_out};
use super::{access_for_write, require_agent};
use crate::chain::{StatusMove, status_moved};
use crate::directory::nullable;
use crate::{App, AppError};

/// A partial update. Agents may change everything here; a requester may only set `status` to
/// `solved`. Absent fields stay as they are; `null` clears a nullable one.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketChanges {
    pub subject: Option<String>,
    pub status: Option<TicketStatus>,
    pub priority: Option<Priority>,
    pub team_id: Option<TeamId>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<PersonId>)]
    pub assignee_id: Option<Option<PersonId>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<ServiceId>)]
    pub service_id: Option<Option<ServiceId>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<PersonId>)]
    pub recipient_id: Option<Option<PersonId>>,
    /// Replaces all tags.
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub add_tags: Vec<String>,
    #[serde(default)]
    pub remove_tags: Vec<String>,
    /// Custom field values to set (merged into the current ones; `null` removes one).
    pub fields: Option<Map<String, Value>>,
    /// Why the ticket is solved or closed while internal requests linked to it are still open
    /// (without it, that is refused with `links_open`); recorded in the trail.
    pub open_links_reason: Option<String>,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowerInput {
    pub person_id: PersonId,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    /// The ticket that absorbs this one.
    pub into: TicketId,
}

impl App {
    /// Applies changes if the ticket is still at `expected_version`; records an event per change.
    pub async fn update_ticket(
        &self,
        principal: &Principal,
        id: TicketId,
        expected_version: i64,
        changes: TicketChanges,
        now: Millis,
    ) -> Result<TicketOut, AppError> {
        let mut tx = self.store().begin().await?;
        let (current, access) = access_for_write(tx.conn(), principal, id).await?;
        if access == TicketAccess::Customer && !only_solving(&changes) {
            return Err(AppError::forbidden("a requester may only mark their ticket solved"));
        }
        if current.version != expected_version {
            return Err(AppError::version_conflict("ticket"));
        }
        let reason = changes.open_links_reason.clone();
        let next = apply(&mut tx, &current, changes, access.side(), now).await?;
        if next == current.state() {
            return Ok(ticket_out(access, current));
        }
        tickets::update(tx.conn(), id, expected_version, &next, now)
            .await?
            .ok_or_else(|| AppError::version_conflict("ticket"))?;
        if next.tags != current.tags.0 {
            tickets::replace_tags(tx.conn(), id, &next.tags).await?;
        }
        record_changes(&mut tx, principal.person_id, &current, &next, now).await?;
        crate::standards::refresh(tx.conn(), id, None, now).await?;
        let moved = StatusMove {
            ticket: id,
            from: current.status,
            to: next.status,
            side: access.side(),
            actor: Some(principal.person_id),
            open_links_reason: reason.as_deref(),
        };
        status_moved(tx.conn(), self.outbound().map(|outbound| outbound.as_ref()), moved, now).await?;
        let updated = tickets::get(tx.conn(), id).await?.ok_or(AppError::NotFound("ticket"))?;
        tx.commit().await?;
        Ok(ticket_out(access, updated))
    }

    /// Takes an unassigned ticket. Of two agents taking it at once, one gets it and the other
    /// a conflict naming who has it.
    pub async fn take_ticket(&self, principal: &Principal, id: TicketId, now: Millis) -> Result<TicketOut, AppError> {
        let mut tx = self.store().begin().await?;
        let (current, access) = super::access(tx.conn(), principal, id).await?;
        require_agent(access, "take it")?;
        if !principal.is_member_of(current.team_id) {
            return Err(AppError::forbidden("only members of the ticket's team may take it"));
        }
        if current.assignee_id == Some(principal.person_id) {
            return Ok(ticket_out(access, current));
        }
        if tickets::take(tx.conn(), id, principal.person_id, now).await?.is_none() {
            let holder = tickets::get(tx.conn(), id).await?.and_then(|ticket| ticket.assignee_name).unwrap_or_default();
            return Err(AppError::conflict("already_assigned", format!("{holder} already has this ticket")));
        }
        record(
            tx.conn(),
            id,
            Some(principal.person_id),
            "assigned",
            json!({ "assignee_id": principal.person_id, "how": "taken" }),
            now,
        )
        .await?;
        let updated = tickets::get(tx.conn(), id).await?.ok_or(AppError::NotFound("ticket"))?;
        tx.commit().await?;
        Ok(ticket_out(access, updated))
    }

    pub async fn add_follower(
        &self,
        principal: &Principal,
        id: TicketId,
        person: PersonId,
        now: Millis,
    ) -> Result<(), AppError> {
        let mut tx = self.store().begin().await?;
        let (_, access) = access_for_write(tx.conn(), principal, id).await?;
        require_agent(access, "add followers")?;
        people::get(tx.conn(), person).await?.ok_or_else(|| AppError::invalid("person_id", "no such person"))?;
        if tickets::add_follower(tx.conn(), id, person).await? {
            record(tx.conn(), id, Some(principal.person_id), "follower_added", json!({ "person_id": person }), now)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Agents remove any follower; anyone may stop following themselves.
    pub async fn remove_follower(
        &self,
        principal: &Principal,
        id: TicketId,
        person: PersonId,
        now: Millis,
    ) -> Result<(), AppError> {
        let mut tx = self.store().begin().await?;
        let (_, access) = access_for_write(tx.conn(), principal, id).await?;
        if person != principal.person_id {
            require_agent(access, "remove followers")?;
        }
        if !tickets::remove_follower(tx.conn(), id, person).await? {
            return Err(AppError::NotFound("follower"));
        }
        record(tx.conn(), id, Some(principal.person_id), "follower_removed", json!({ "person_id": person }), now)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn only_solving(changes: &TicketChanges) -> bool {
    let TicketChanges {
        subject,
        status,
        priority,
        team_id,
        assignee_id,
        service_id,
        recipient_id,
        tags,
        add_tags,
        remove_tags,
        fields,
        open_links_reason,
    } = changes;
    *status == Some(TicketStatus::Solved)
        && subject.is_none()
        && priority.is_none()
        && team_id.is_none()
        && assignee_id.is_none()
        && service_id.is_none()
        && recipient_id.is_none()
        && tags.is_none()
        && add_tags.is_empty()
        && remove_tags.is_empty()
        && fields.is_none()
        && open_links_reason.is_none()
}

pub(crate) fn status_error(error: StatusError) -> AppError {
    match error {
        StatusError::Closed => AppError::conflict("ticket_closed", error.to_string()),
        StatusError::BackToNew => AppError::invalid("status", error.to_string()),
        StatusError::CustomerMaySolveOnly => AppError::forbidden(error.to_string()),
    }
}

/// The state after the changes, each checked against the rules and the database.
async fn apply(
    tx: &mut Tx,
    current: &TicketView,
    changes: TicketChanges,
    side: Side,
    now: Millis,
) -> Result<TicketState, AppError> {
    let mut next = current.state();
    let mut errors = FieldErrors::new();
    if let Some(subject) = &changes.subject {
        next.subject = validate::required_line(&mut errors, "subject", subject, 250);
    }
    if let Some(status) = changes.status {
        check_change(current.status, status, side).map_err(status_error)?;
        next.status = status;
        next.solved_at = match status {
            TicketStatus::Solved if current.status != TicketStatus::Solved => Some(now),
            TicketStatus::Solved | TicketStatus::Closed => current.solved_at,
            _ => None,
        };
    } else if current.status == TicketStatus::Closed {
        return Err(status_error(StatusError::Closed));
    }
    next.priority = changes.priority.unwrap_or(next.priority);
    next.tags = match &changes.tags {
        Some(replacement) => tags::normalize(&mut errors, "tags", replacement),
        None => next.tags,
    };
    let added = tags::normalize(&mut errors, "add_tags", &changes.add_tags);
    let removed = tags::normalize(&mut errors, "remove_tags", &changes.remove_tags);
    next.tags = tags::union(&next.tags, &added).into_iter().filter(|tag| !removed.contains(tag)).collect();
    if next.tags.len() > tags::MAX_TAGS {
        errors.add("tags", format!("at most {} tags", tags::MAX_TAGS));
    }
    errors.into_result()?;
    apply_references(tx, current, &changes, &mut next).await?;
    Ok(next)
}

/// Team, assignee, service, recipient and fields: the changes that need the database.
async fn apply_references(
    tx: &mut Tx,
    current: &TicketView,
    changes: &TicketChanges,
    next: &mut TicketState,
) -> Result<(), AppError> {
    if let Some(team) = changes.team_id {
        match teams::get(tx.conn(), team).await? {
            Some(row) if row.is_provider => next.team_id = team,
            _ => return Err(AppError::invalid("team_id", "must be a team that provides services")),
        }
    }
    next.assignee_id = changes.assignee_id.unwrap_or(next.assignee_id);
    if let Some(assignee) = next.assignee_id
        && !teams::is_member(tx.conn(), next.team_id, assignee).await?
    {
        if changes.assignee_id.is_some() {
            return Err(AppError::invalid("assignee_id", "must be a member of the ticket's team"));
        }
        // Moved to a team the assignee is not in: the ticket goes to the new team's queue.
        next.assignee_id = None;
    }
    if let Some(recipient) = changes.recipient_id {
        if let Some(person) = recipient
            && people::get(tx.conn(), person).await?.is_none()
        {
            return Err(AppError::invalid("recipient_id", "no such person"));
        }
        next.recipient_id = recipient;
    }
    if let Some(service) = changes.service_id {
        next.service_id = service;
    }
    let form = match next.service_id {
        Some(service) => {
            let row = services::get(tx.conn(), service)
                .await?
                .ok_or_else(|| AppError::invalid("service_id", "no such service"))?;
            if !row.audience.offered_to(current.requester_kind) {
                return Err(AppError::invalid("service_id", "this service is not offered to the requester's audience"));
            }
            Some(row.form.0)
        }
        None => None,
    };
    if changes.fields.is_some() || changes.service_id.is_some() {
        let mut values = next.fields.clone();
        for (key, value) in changes.fields.clone().unwrap_or_default() {
            values.insert(key, value);
        }
        let mut errors = FieldErrors::new();
        next.fields = match &form {
            Some(form) => form.check_values(&values, &mut errors),
            None if values.values().all(Value::is_null) => Map::new(),
            None => {
                errors.add("fields", "custom fields need a service with a request form");
                Map::new()
            }
        };
        errors.into_result()?;
    }
    Ok(())
}

/// One audit event per attribute that changed.
async fn record_changes(
    tx: &mut Tx,
    actor: PersonId,
    before: &TicketView,
    after: &TicketState,
    now: Millis,
) -> Result<(), AppError> {
    let old = before.state();
    let mut changes: Vec<(&str, Value)> = Vec::new();
    if old.subject != after.subject {
        changes.push(("subject_changed", json!({ "from": old.subject, "to": after.subject })));
    }
    if old.status != after.status {
        changes.push(("status_changed", json!({ "from": old.status, "to": after.status })));
    }
    if old.priority != after.priority {
        changes.push(("priority_changed", json!({ "from": old.priority, "to": after.priority })));
    }
    if old.team_id != after.team_id {
        changes.push(("team_changed", json!({ "from": old.team_id, "to": after.team_id })));
    }
    if old.assignee_id != after.assignee_id {
        changes
            .push(("assigned", json!({ "from": old.assignee_id, "assignee_id": after.assignee_id, "how": "changed" })));
    }
    if old.service_id != after.service_id {
        changes.push(("service_changed", json!({ "from": old.service_id, "to": after.service_id })));
    }
    if old.recipient_id != after.recipient_id {
        changes.push(("recipient_changed", json!({ "from": old.recipient_id, "to": after.recipient_id })));
    }
    if old.tags != after.tags {
        let added: Vec<&String> = after.tags.iter().filter(|tag| !old.tags.contains(tag)).collect();
        let removed: Vec<&String> = old.tags.iter().filter(|tag| !after.tags.contains(tag)).collect();
        changes.push(("tags_changed", json!({ "added": added, "removed": removed })));
    }
    if old.fields != after.fields {
        changes.push(("fields_changed", json!({ "from": old.fields, "to": after.fields })));
    }
    for (kind, data) in changes {
        record(tx.conn(), before.id, Some(actor), kind, data, now).await?;
    }
    Ok(())
}
