//! Deciding everything about a new ticket that only needs reading: who asks and for whom, which
//! service and form, and where routing sends it. Done on a reader connection, before the write
//! transaction, so the single writer only holds its lock for the inserts.

use serde_json::{Map, Value};
use tandem_domain::person::Assignment;
use tandem_domain::routing::RoutingFacts;
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{
    Channel, Millis, OrganizationId, PersonId, PersonKind, Principal, Priority, ServiceId, TeamId, TicketAudience, tags,
};
use tandem_store::people::{self, PersonFields, PersonRow};
use tandem_store::services::{self, ServiceRow};
use tandem_store::{Conn, Tx, teams};

use super::create::{NewTicket, PersonRef};
use crate::{AppError, catalog, routing};

/// What a new ticket needs to know about a person on file.
pub(crate) struct Known {
    pub id: PersonId,
    pub kind: PersonKind,
    pub department_id: Option<TeamId>,
    pub organization_id: Option<OrganizationId>,
}

impl From<PersonRow> for Known {
    fn from(row: PersonRow) -> Self {
        let fields = row.fields;
        Known {
            id: row.id,
            kind: fields.kind,
            department_id: fields.department_id,
            organization_id: fields.organization_id,
        }
    }
}

impl From<&Principal> for Known {
    fn from(principal: &Principal) -> Self {
        Known {
            id: principal.person_id,
            kind: principal.kind,
            department_id: principal.department_id,
            organization_id: principal.organization_id,
        }
    }
}

/// A person named on a new ticket: someone on file, or a new external contact to create.
pub(crate) enum Party {
    Known(Known),
    New(PersonFields),
}

impl Party {
    fn kind(&self) -> PersonKind {
        match self {
            Party::Known(known) => known.kind,
            Party::New(fields) => fields.kind,
        }
    }

    fn department_id(&self) -> Option<TeamId> {
        match self {
            Party::Known(known) => known.department_id,
            Party::New(fields) => fields.department_id,
        }
    }

    fn organization_id(&self) -> Option<OrganizationId> {
        match self {
            Party::Known(known) => known.organization_id,
            Party::New(fields) => fields.organization_id,
        }
    }

    /// The person on file, creating a new one (two requests racing with one new address still
    /// make one person: the database decides).
    pub(super) async fn stored(self, tx: &mut Tx, now: Millis) -> Result<Known, AppError> {
        let fields = match self {
            Party::Known(known) => return Ok(known),
            Party::New(fields) => fields,
        };
        let row = match people::insert_if_absent(tx.conn(), &fields, None, now).await? {
            Some(created) => created,
            None => people::get_by_email(tx.conn(), &fields.email).await?.ok_or(AppError::NotFound("person"))?,
        };
        Ok(row.into())
    }
}

/// What a new ticket will be, decided from reads only.
pub(crate) struct Plan {
    pub requester: Party,
    pub recipient: Option<Party>,
    pub audience: TicketAudience,
    pub channel: Channel,
    pub service_id: Option<ServiceId>,
    pub fields: Map<String, Value>,
    pub team_id: TeamId,
    pub priority: Priority,
    pub tags: Vec<String>,
    /// An assignee set explicitly or by a rule, with how it was chosen.
    pub assignee: Option<(PersonId, &'static str)>,
    /// No assignee yet and the team assigns in turn: pick one inside the write transaction.
    pub round_robin: bool,
    /// The routing rule that matched: id and name, for the audit trail.
    pub rule: Option<(i64, String)>,
}

pub(crate) async fn plan(
    mut conn: Conn<'_>,
    principal: &Principal,
    new: &NewTicket,
    subject: &str,
    explicit_tags: Vec<String>,
) -> Result<Plan, AppError> {
    let requester = match &new.requester {
        Some(reference) => party(conn.reborrow(), reference, "requester").await?,
        None => Party::Known(principal.into()),
    };
    let recipient = match &new.recipient {
        Some(reference) => Some(party(conn.reborrow(), reference, "recipient").await?),
        None => None,
    };
    let audience = TicketAudience::of_requester(requester.kind());
    let service = find_service(conn.reborrow(), principal, new, requester.kind()).await?;
    let fields = check_fields(service.as_ref(), &new.fields)?;
    let channel = new.channel.unwrap_or(Channel::Api);
    let facts = RoutingFacts {
        audience,
        service_id: service.as_ref().map(|service| service.id),
        channel,
        department_id: requester.department_id(),
        organization_id: requester.organization_id(),
        subject,
    };
    let rule = routing::route(conn.reborrow(), &facts).await?;
    let actions = rule.as_ref().map(|rule| rule.actions.0.clone()).unwrap_or_default();
    let team_id = new
        .team_id
        .or(actions.team_id)
        .or(service.as_ref().map(|service| service.team_id))
        .ok_or_else(|| AppError::invalid("team_id", "say which team should work this (or pick a service)"))?;
    let team = teams::get(conn.reborrow(), team_id).await?.filter(|team| team.is_provider);
    let team = team.ok_or_else(|| AppError::invalid("team_id", "must be a team that provides services"))?;
    let assignee = match (new.assignee_id, actions.assignee_id.filter(|_| actions.team_id == Some(team_id))) {
        (Some(explicit), _) => Some((explicit, "explicit")),
        (None, Some(by_rule)) => Some((by_rule, "rule")),
        (None, None) => None,
    };
    if let Some((assignee, _)) = assignee
        && !teams::is_member(conn.reborrow(), team_id, assignee).await?
    {
        return Err(AppError::invalid("assignee_id", "must be a member of the ticket's team"));
    }
    for follower in &new.follower_ids {
        if people::get(conn.reborrow(), *follower).await?.is_none() {
            return Err(AppError::invalid("follower_ids", format!("no person with id {follower}")));
        }
    }
    Ok(Plan {
        requester,
        recipient,
        audience,
        channel,
        service_id: service.as_ref().map(|service| service.id),
        fields,
        team_id,
        priority: new
            .priority
            .or(actions.priority)
            .or(service.as_ref().map(|service| service.default_priority))
            .unwrap_or(Priority::Normal),
        tags: tags::union(&explicit_tags, &actions.add_tags),
        round_robin: assignee.is_none() && team.assignment == Assignment::RoundRobin,
        assignee,
        rule: rule.map(|rule| (rule.id.0, rule.name)),
    })
}

/// Finds a person by id, or by email (a new address becomes a new external contact).
async fn party(mut conn: Conn<'_>, reference: &PersonRef, field: &str) -> Result<Party, AppError> {
    if let Some(id) = reference.id {
        let row = people::get(conn, id).await?;
        let known = row.map(|row| Party::Known(row.into()));
        return known.ok_or_else(|| AppError::invalid(format!("{field}.id"), "no such person"));
    }
    let Some(email) = &reference.email else {
        return Err(AppError::invalid(field, "give an id or an email"));
    };
    let email = validate::email(email).map_err(|message| AppError::invalid(format!("{field}.email"), message))?;
    if let Some(existing) = people::get_by_email(conn.reborrow(), &email).await? {
        return Ok(Party::Known(existing.into()));
    }
    let name = reference.name.as_deref().map(str::trim).filter(|name| !name.is_empty());
    let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or_default()).to_owned();
    Ok(Party::New(PersonFields::new(email, name, PersonKind::External)))
}

/// The service asked for, if it exists and is offered to both the caller and the requester.
async fn find_service(
    conn: Conn<'_>,
    principal: &Principal,
    new: &NewTicket,
    requester_kind: PersonKind,
) -> Result<Option<ServiceRow>, AppError> {
    let (row, field) = match (&new.service, new.service_id) {
        (Some(slug), _) => (services::get_by_slug(conn, slug).await?, "service"),
        (None, Some(id)) => (services::get(conn, id).await?, "service_id"),
        (None, None) => return Ok(None),
    };
    let Some(row) = row.filter(|row| catalog::offered(principal, row)) else {
        return Err(AppError::invalid(field, "no such service"));
    };
    if !row.active {
        return Err(AppError::invalid(field, "this service no longer takes requests"));
    }
    if !row.audience.offered_to(requester_kind) {
        return Err(AppError::invalid(field, format!("this service is not offered to {requester_kind} requesters")));
    }
    Ok(Some(row))
}

fn check_fields(service: Option<&ServiceRow>, values: &Map<String, Value>) -> Result<Map<String, Value>, AppError> {
    let mut errors = FieldErrors::new();
    let normalized = match service {
        Some(service) => service.form.0.check_values(values, &mut errors),
        None if values.is_empty() => Map::new(),
        None => {
            errors.add("fields", "custom fields need a service with a request form");
            Map::new()
        }
    };
    errors.into_result()?;
    Ok(normalized)
}
