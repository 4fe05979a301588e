//! The enabled standards with their parsed calendars, kept in memory and checked against the
//! database's `standards_version` row (one primary-key read) before every use. Every write to
//! calendars or standards moves that row in its own transaction, so a refresh that reads the
//! version after another node's edit committed sees a new version and loads again: no node uses a
//! standard that is no longer current. Loading happens only after a change (a few rows).
//!
//! The cache is process-wide rather than per `App` because `refresh` is reached with a connection
//! only (from every ticket write and from the escalation after a breach). That is safe: it is keyed
//! by the database's own `instance` (drawn once per database) and version, which name the contents,
//! not the node; several `App`s on one database share entries, several databases never mix.

use std::sync::{Arc, Mutex};

use tandem_domain::calendar::Calendar;
use tandem_domain::standard::StandardFacts;
use tandem_domain::{CalendarId, StandardId};
use tandem_store::Conn;
use tandem_store::standards::{self, StandardRow, StandardsVersion};

use crate::AppError;

/// The standards that may apply, in the order they are tried, each with its calendar.
#[derive(Debug)]
pub(crate) struct Snapshot {
    key: StandardsVersion,
    standards: Vec<Applicable>,
}

/// An enabled standard with its calendar, parsed.
#[derive(Debug)]
pub(crate) struct Applicable {
    pub standard: StandardRow,
    pub calendar: Calendar,
}

impl Snapshot {
    /// The first standard whose conditions hold for `facts`.
    pub fn applicable(&self, facts: &StandardFacts) -> Option<&Applicable> {
        self.standards.iter().find(|applicable| applicable.standard.conditions.0.matches(facts))
    }

    /// An enabled standard by id.
    pub fn standard(&self, id: StandardId) -> Option<&Applicable> {
        self.standards.iter().find(|applicable| applicable.standard.id == id)
    }
}

/// Snapshots kept: one per database this process talks to, in practice one.
const KEPT: usize = 4;

static CACHE: Mutex<Vec<Arc<Snapshot>>> = Mutex::new(Vec::new());

/// The current snapshot as the connection sees the database now: from memory when the version
/// row has not moved since it was loaded, else loaded again.
pub(crate) async fn current(mut conn: Conn<'_>) -> Result<Arc<Snapshot>, AppError> {
    let key = standards::version(conn.reborrow()).await?;
    if let Some(hit) = cached(key) {
        return Ok(hit);
    }
    let snapshot = Arc::new(Snapshot { key, standards: load(conn.reborrow()).await? });
    // Cache it only if nothing committed while it loaded (PostgreSQL reads each statement anew):
    // then it is exactly what `key` names. Otherwise use it once; the next refresh loads again.
    if standards::version(conn).await? == key {
        remember(snapshot.clone());
    }
    Ok(snapshot)
}

fn cached(key: StandardsVersion) -> Option<Arc<Snapshot>> {
    let cache = CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    cache.iter().find(|snapshot| snapshot.key == key).cloned()
}

fn remember(snapshot: Arc<Snapshot>) {
    let mut cache = CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    cache.retain(|kept| kept.key.instance != snapshot.key.instance);
    if cache.len() >= KEPT {
        cache.remove(0);
    }
    cache.push(snapshot);
}

async fn load(mut conn: Conn<'_>) -> Result<Vec<Applicable>, AppError> {
    let rows = standards::list_standards(conn.reborrow(), true).await?;
    let calendars = standards::all_calendars(conn).await?;
    let mut loaded = Vec::with_capacity(rows.len());
    for standard in rows {
        let Some(row) = calendars.iter().find(|calendar| calendar.id == standard.calendar_id) else {
            return Err(missing_calendar(standard.calendar_id));
        };
        let calendar = parse(row.id, &row.definition.0)?;
        loaded.push(Applicable { standard, calendar });
    }
    Ok(loaded)
}

/// A stored calendar, checked again (it was checked when written).
pub(crate) fn parse(id: CalendarId, definition: &tandem_domain::calendar::CalendarDef) -> Result<Calendar, AppError> {
    Calendar::parse(definition).map_err(|errors| {
        AppError::Internal(anyhow::anyhow!("stored calendar {} is invalid: {}", id.0, errors.summary()))
    })
}

fn missing_calendar(id: CalendarId) -> AppError {
    AppError::Internal(anyhow::anyhow!("a standard refers to calendar {}, which is not stored", id.0))
}
