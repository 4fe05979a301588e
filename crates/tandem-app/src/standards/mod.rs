//! Service standards: calendars and standards (admins write and delete, staff read; holidays can
//! be imported from an iCalendar file), the clocks of each ticket's targets kept current in every
//! ticket write (`refresh.rs`) from a per-node snapshot of the standards checked against the
//! database's version row (`snapshot.rs`), what a ticket shows of them and which standard applies
//! and why (`views.rs`), the periodic scan that fires warnings and breaches once (`scan.rs`) with
//! the standard's escalation actions (`escalate.rs`), and the queued refresh that brings a new,
//! edited or deleted standard or calendar to the tickets already open (`recompute.rs`).

mod escalate;
mod recompute;
mod refresh;
mod scan;
mod served;
mod snapshot;
mod views;

pub use recompute::RefreshOpenTickets;
pub(crate) use refresh::refresh;
pub use scan::{SCAN_BATCH, ScanStandards};
pub(crate) use served::resolution_left;
pub use views::{StandardMatch, StandardRef, TargetView};

use serde::{Deserialize, Serialize};
use tandem_domain::calendar::{Calendar, CalendarDef, holidays_from_ical};
use tandem_domain::standard::{Escalations, StandardConditions, Targets};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{CalendarId, Millis, Principal, StandardId, TicketId};
use tandem_store::standards::{self, CalendarRow, StandardFields, StandardRow};
use tandem_store::{StoreError, Tx};

use crate::directory::{require_admin, require_staff};
use crate::{App, AppError, Instant, instant};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarInput {
    pub name: String,
    #[serde(flatten)]
    pub definition: CalendarDef,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarView {
    pub id: CalendarId,
    pub name: String,
    #[serde(flatten)]
    pub definition: CalendarDef,
    pub version: i64,
    pub created_at: Instant,
}

impl From<CalendarRow> for CalendarView {
    fn from(row: CalendarRow) -> Self {
        CalendarView {
            id: row.id,
            name: row.name,
            definition: row.definition.0,
            version: row.version,
            created_at: instant(row.created_at),
        }
    }
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardInput {
    pub name: String,
    /// Lower positions are tried first; defaults to after every existing standard.
    pub position: Option<i64>,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub conditions: StandardConditions,
    pub calendar_id: CalendarId,
    #[serde(flatten)]
    pub targets: Targets,
    /// Warn when this share of a target is used (1–99, default 75).
    #[serde(default = "default_warning")]
    pub warn_at_percent: i64,
    /// Per target, what its breach sets off (once): raise priority, move team, notify.
    #[serde(default)]
    pub escalations: Escalations,
    /// For internal requests that serve another ticket (the service chain): the resolution
    /// target is at most the business time that ticket had left when the request was linked.
    #[serde(default)]
    pub derive_from_served: bool,
}

fn yes() -> bool {
    true
}

fn default_warning() -> i64 {
    75
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StandardView {
    pub id: StandardId,
    pub position: i64,
    pub name: String,
    pub enabled: bool,
    pub conditions: StandardConditions,
    pub calendar_id: CalendarId,
    #[serde(flatten)]
    pub targets: Targets,
    pub warn_at_percent: i64,
    pub escalations: Escalations,
    pub derive_from_served: bool,
    pub version: i64,
    pub created_at: Instant,
}

impl From<StandardRow> for StandardView {
    fn from(row: StandardRow) -> Self {
        StandardView {
            targets: row.targets(),
            id: row.id,
            position: row.position,
            name: row.name,
            enabled: row.enabled,
            conditions: row.conditions.0,
            calendar_id: row.calendar_id,
            warn_at_percent: row.warn_at_percent,
            escalations: row.escalations.0,
            derive_from_served: row.derive_from_served,
            version: row.version,
            created_at: instant(row.created_at),
        }
    }
}

impl App {
    /// Adds a calendar; a bad one is refused naming the field (`time_zone`, `weekly[2].end`).
    pub async fn create_calendar(
        &self,
        principal: &Principal,
        input: CalendarInput,
        now: Millis,
    ) -> Result<CalendarView, AppError> {
        let mut tx = self.begin_as_admin(principal, "calendar").await?;
        let name = check_calendar(&input)?;
        let row = standards::insert_calendar(tx.conn(), &name, &input.definition, now).await.map_err(name_taken)?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Replaces a calendar at `expected_version`, checked as when created. Open tickets take the
    /// new hours through a queued refresh that keeps the business time they already used.
    pub async fn update_calendar(
        &self,
        principal: &Principal,
        id: CalendarId,
        expected_version: i64,
        input: CalendarInput,
        now: Millis,
    ) -> Result<CalendarView, AppError> {
        let mut tx = self.begin_as_admin(principal, "calendar").await?;
        live_calendar(&mut tx, id).await?;
        let name = check_calendar(&input)?;
        let row = standards::update_calendar(tx.conn(), id, expected_version, &name, &input.definition, now)
            .await
            .map_err(name_taken)?
            .ok_or_else(|| AppError::version_conflict("calendar"))?;
        refresh_open_tickets(&mut tx, now).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    pub async fn list_calendars(&self, principal: &Principal) -> Result<Vec<CalendarView>, AppError> {
        require_staff(principal, "calendars")?;
        let mut reader = self.store().read().await?;
        Ok(standards::list_calendars(reader.conn()).await?.into_iter().map(CalendarView::from).collect())
    }

    /// Adds a standard. New tickets take it at once, open ones through a queued refresh.
    pub async fn create_standard(
        &self,
        principal: &Principal,
        input: StandardInput,
        now: Millis,
    ) -> Result<StandardView, AppError> {
        let mut tx = self.begin_as_admin(principal, "standard").await?;
        let position = match input.position {
            Some(position) => position,
            None => standards::list_standards(tx.conn(), false).await?.last().map_or(10, |last| last.position + 10),
        };
        let fields = check_standard(&mut tx, input, position).await?;
        let row = standards::insert_standard(tx.conn(), &fields, now).await?;
        refresh_open_tickets(&mut tx, now).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Replaces a standard at `expected_version`, checked as when created (a missing `position`
    /// keeps the current one). Open tickets are refreshed through the queue, keeping the business
    /// time they already used, so an edit moves due times, never the past.
    pub async fn update_standard(
        &self,
        principal: &Principal,
        id: StandardId,
        expected_version: i64,
        input: StandardInput,
        now: Millis,
    ) -> Result<StandardView, AppError> {
        let mut tx = self.begin_as_admin(principal, "standard").await?;
        let current = live_standard(&mut tx, id).await?;
        let position = input.position.unwrap_or(current.position);
        let fields = check_standard(&mut tx, input, position).await?;
        let row = standards::update_standard(tx.conn(), id, expected_version, &fields, now)
            .await?
            .ok_or_else(|| AppError::version_conflict("standard"))?;
        refresh_open_tickets(&mut tx, now).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Deletes a calendar no standard uses (409 `calendar_in_use` naming them otherwise). Its row
    /// stays as a tombstone with its name freed, for the clocks of deleted standards that used it.
    pub async fn delete_calendar(&self, principal: &Principal, id: CalendarId, now: Millis) -> Result<(), AppError> {
        let mut tx = self.begin_as_admin(principal, "calendar").await?;
        live_calendar(&mut tx, id).await?;
        let users = standards::standards_using_calendar(tx.conn(), id).await?;
        if !users.is_empty() {
            return Err(AppError::conflict(
                "calendar_in_use",
                format!("the calendar is used by {}; move or delete them first", users.join(", ")),
            ));
        }
        standards::delete_calendar(tx.conn(), id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a standard: it no longer applies, is listed or edited. Clocks already measured
    /// under it (met or breached) keep naming it; open tickets move to the next standard that
    /// applies (keeping the business time used) or, if none does, lose their open clocks, through
    /// the queued refresh.
    pub async fn delete_standard(&self, principal: &Principal, id: StandardId, now: Millis) -> Result<(), AppError> {
        let mut tx = self.begin_as_admin(principal, "standard").await?;
        live_standard(&mut tx, id).await?;
        standards::delete_standard(tx.conn(), id, now).await?;
        refresh_open_tickets(&mut tx, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds the all-day events of an iCalendar file to a calendar's holidays (dates already there
    /// stay once). A file that cannot be read exactly is refused (422 on `body`, naming the line),
    /// with nothing written; open tickets take the new holidays through the queued refresh.
    pub async fn import_holidays(
        &self,
        principal: &Principal,
        id: CalendarId,
        ical: &str,
        now: Millis,
    ) -> Result<CalendarView, AppError> {
        let mut tx = self.begin_as_admin(principal, "calendar").await?;
        let current = live_calendar(&mut tx, id).await?;
        let dates = holidays_from_ical(ical).map_err(|problem| AppError::invalid("body", problem))?;
        let mut definition = current.definition.0.clone();
        if definition.always_open {
            return Err(AppError::invalid("body", "the calendar is always open: holidays do not apply to it"));
        }
        definition.holidays.extend(dates.iter().map(|date| date.to_string()));
        definition.holidays.sort();
        definition.holidays.dedup();
        let input = CalendarInput { name: current.name.clone(), definition };
        check_calendar(&input)?;
        let row = standards::update_calendar(tx.conn(), id, current.version, &input.name, &input.definition, now)
            .await?
            .ok_or_else(|| AppError::version_conflict("calendar"))?;
        refresh_open_tickets(&mut tx, now).await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// A write transaction for an admin; staff are refused (403), anyone else finds nothing (404).
    async fn begin_as_admin(&self, principal: &Principal, what: &'static str) -> Result<Tx, AppError> {
        require_staff(principal, what)?;
        require_admin(principal)?;
        Ok(self.store().begin().await?)
    }

    /// Standards in the order they are tried.
    pub async fn list_standards(&self, principal: &Principal) -> Result<Vec<StandardView>, AppError> {
        require_staff(principal, "standards")?;
        let mut reader = self.store().read().await?;
        Ok(standards::list_standards(reader.conn(), false).await?.into_iter().map(StandardView::from).collect())
    }
}

/// A calendar's name, once the whole input is checked (every bad field named).
fn check_calendar(input: &CalendarInput) -> Result<String, AppError> {
    let mut errors = FieldErrors::new();
    let name = validate::required_line(&mut errors, "name", &input.name, 200);
    if let Err(calendar_errors) = Calendar::parse(&input.definition) {
        errors.0.extend(calendar_errors.0);
    }
    errors.into_result()?;
    Ok(name)
}

fn name_taken(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(_) => AppError::conflict("name_taken", "another calendar has this name"),
        other => other.into(),
    }
}

/// A standard's fields at `position`, once the whole input is checked (every bad field named).
async fn check_standard(tx: &mut Tx, input: StandardInput, position: i64) -> Result<StandardFields, AppError> {
    let mut errors = FieldErrors::new();
    let name = validate::required_line(&mut errors, "name", &input.name, 200);
    input.targets.check(&mut errors);
    if !(1..=99).contains(&input.warn_at_percent) {
        errors.add("warn_at_percent", "must be between 1 and 99");
    }
    if standards::get_calendar(tx.conn(), input.calendar_id).await?.is_none_or(|calendar| calendar.deleted_at.is_some())
    {
        errors.add("calendar_id", "no such calendar");
    }
    input.escalations.check(&mut errors);
    for (field, escalation) in input.escalations.each() {
        if let Some(team) = escalation.move_to_team_id
            && tandem_store::teams::get(tx.conn(), team).await?.is_none()
        {
            errors.add(format!("{field}.move_to_team_id"), "no such team");
        }
    }
    errors.into_result()?;
    Ok(StandardFields {
        position,
        name,
        enabled: input.enabled,
        conditions: input.conditions,
        calendar_id: input.calendar_id,
        targets: input.targets,
        warn_at_percent: input.warn_at_percent,
        escalations: input.escalations,
        derive_from_served: input.derive_from_served,
    })
}

/// A calendar that exists and is not deleted (404 otherwise).
async fn live_calendar(tx: &mut Tx, id: CalendarId) -> Result<CalendarRow, AppError> {
    let row = standards::get_calendar(tx.conn(), id).await?;
    row.filter(|calendar| calendar.deleted_at.is_none()).ok_or(AppError::NotFound("calendar"))
}

/// A standard that exists and is not deleted (404 otherwise).
async fn live_standard(tx: &mut Tx, id: StandardId) -> Result<StandardRow, AppError> {
    let row = standards::get_standard(tx.conn(), id).await?;
    row.filter(|standard| standard.deleted_at.is_none()).ok_or(AppError::NotFound("standard"))
}

/// Open tickets take a new or edited standard or calendar through the queue, enqueued in the
/// transaction of the change itself.
async fn refresh_open_tickets(tx: &mut Tx, now: Millis) -> Result<(), AppError> {
    let start = RefreshOpenTickets { after: TicketId(0) };
    if !tandem_store::targets::open_tickets_after(tx.conn(), start.after, 1).await?.is_empty() {
        crate::jobs::enqueue(tx.conn(), &start, None, now, now).await?;
    }
    Ok(())
}
