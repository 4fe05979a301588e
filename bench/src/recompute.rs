//! Recompute: on a generated desk, how long bringing every open ticket's target clocks to a new
//! or edited standard takes, and how long one standards scan takes. It adds, as the admin, an
//! office-hours calendar and a standard that applies to every ticket (tried first), which
//! enqueues `refresh_open_tickets` exactly as the API does, and times the worker draining it:
//! first the clocks start on every open ticket, then an edit of the standard moves every running
//! due time (unless `--skip-edit`). Then it times the per-minute scan: its first round (one batch
//! of what is already overdue: the desk's open tickets are weeks old, so nearly every target is),
//! the further rounds that drain that backlog, one job each, and the scan a minute later, the
//! steady state. A first-response breach notifies the assignee and the team's leads, so the
//! backlog pays for the escalation path too.
//! The work runs in this process through the app (no HTTP): the figure is the job's, not a
//! request's. It changes the desk (a standard, clocks, breach events): generate a fresh one after.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use serde_json::json;
use tandem_app::jobs::{Registry, WorkerOptions};
use tandem_app::standards::{CalendarInput, ScanStandards, StandardInput};
use tandem_app::{App, Limits};
use tandem_store::{ConnectOptions, Store};

use crate::desk_file::DeskFile;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The desk file written by `generate`.
    #[arg(long)]
    token_file: PathBuf,
    /// Reopen the newest solved or closed tickets first until this many are open (a generated
    /// desk keeps about 4 % open; 1M tickets with `--open 100000` is the scale).
    #[arg(long)]
    open: Option<i64>,
    /// Skip timing the edit of the standard (the scan's figures do not depend on it).
    #[arg(long)]
    skip_edit: bool,
}

pub async fn run_recompute(args: Args) -> anyhow::Result<()> {
    let desk = DeskFile::read(&args.token_file)?;
    let store = Store::connect(&ConnectOptions::new(desk.database_url.clone())).await?;
    store.migrate().await?;
    let app = App::new(store.clone(), Limits::default());
    let now = jiff::Timestamp::now().as_millisecond();
    let admin = app.principal(&desk.admin.token, now).await.context("the desk's admin token")?;
    if let Some(wanted) = args.open {
        reopen(&store, wanted - open_tickets(&store).await?).await?;
    }
    let (tickets, open) = (count(&store, "SELECT COUNT(*) FROM tickets").await?, open_tickets(&store).await?);
    println!("standards recompute on {} ({tickets} tickets, {open} open)", store_name(&store));

    let calendar: CalendarInput = serde_json::from_value(json!({"name": format!("Bench office hours {now}"),
        "time_zone": "Europe/London", "weekly": weekdays(), "holidays": ["2026-12-25", "2027-01-01"]}))?;
    let calendar = app.create_calendar(&admin, calendar, now).await?;
    let mut standard = json!({"name": "Bench promise", "position": -1_000_000, "calendar_id": calendar.id,
        "first_response_minutes": 60, "next_response_minutes": 240, "resolution_minutes": 2_400,
        "escalations": {"first_response": {"notify": true}}});
    let created = app.create_standard(&admin, serde_json::from_value::<StandardInput>(standard.clone())?, now).await?;
    drain(&app, &store, "new standard: clocks start on every open ticket", open, now).await?;

    if !args.skip_edit {
        standard["resolution_minutes"] = json!(1_200);
        let edit: StandardInput = serde_json::from_value(standard)?;
        app.update_standard(&admin, created.id, created.version, edit, now).await?;
        drain(&app, &store, "edited standard: every running due time moves", open, now).await?;
    }

    scan(&app, &store, now).await?;
    app.close().await;
    Ok(())
}

/// Times the standards scan: its first round (one batch of the backlog of targets already
/// overdue), the rounds that drain the rest, and the scan a minute later (the steady state).
async fn scan(app: &App, store: &Store, now: i64) -> anyhow::Result<()> {
    // Enqueued directly, not through the schedule: a server that ran on this desk may already
    // have taken this minute's deduplicated scan, and then a tick would add nothing to time.
    let enqueue = |at: i64| async move {
        let mut tx = store.begin().await?;
        tandem_app::jobs::enqueue(tx.conn(), &ScanStandards::default(), None, at, at).await?;
        tx.commit().await?;
        anyhow::Ok(())
    };
    let worker = app.worker(Registry::standard(), vec![], WorkerOptions::default());
    let marked = || count(store, "SELECT COUNT(*) FROM ticket_events WHERE kind IN ('sla_warning', 'sla_breached')");
    enqueue(now).await?;
    let before = marked().await?;
    let started = Instant::now();
    // One pass claims only the queued scan: the round it enqueues is not in this claim.
    let report = worker.run_due(now).await?;
    let one_round = started.elapsed();
    let after_round = marked().await?;
    ensure_finished(&report)?;
    let started = Instant::now();
    let report = worker.run_until_idle(now).await?;
    let rest = started.elapsed();
    let after_backlog = marked().await?;
    // A backlog that fit in the first round (a small desk) leaves no further round to run.
    ensure_no_failure(&report)?;
    println!(
        "  first scan, one round (a batch of the backlog): {:.1} ms, {} warnings and breaches marked",
        one_round.as_secs_f64() * 1000.0,
        after_round - before
    );
    println!(
        "  the rest of the backlog: {:.2} s in {} more rounds, {} marked ({:.0} per second)",
        rest.as_secs_f64(),
        report.finished,
        after_backlog - after_round,
        (after_backlog - after_round) as f64 / rest.as_secs_f64()
    );
    let at = now + 60_000;
    enqueue(at).await?;
    let started = Instant::now();
    let report = worker.run_until_idle(at).await?;
    let steady = started.elapsed();
    ensure_finished(&report)?;
    println!(
        "  next scan, a minute later (steady state): {:.1} ms, {} marked",
        steady.as_secs_f64() * 1000.0,
        marked().await? - after_backlog
    );
    Ok(())
}

/// The jobs that ran all finished at their first attempt.
fn ensure_no_failure(report: &tandem_app::jobs::RunReport) -> anyhow::Result<()> {
    anyhow::ensure!(report.retried == 0 && report.parked == 0, "a scan round failed: {report:?}");
    Ok(())
}

/// Other due jobs left by a server on this desk may run too; the scan must be among them.
fn ensure_finished(report: &tandem_app::jobs::RunReport) -> anyhow::Result<()> {
    anyhow::ensure!(report.finished >= 1, "the scan did not run: {report:?}");
    ensure_no_failure(report)
}

/// Runs the queued refresh jobs to the end and prints how long they took.
async fn drain(app: &App, store: &Store, label: &str, open: i64, now: i64) -> anyhow::Result<()> {
    let worker = app.worker(Registry::standard(), vec![], WorkerOptions::default());
    let started = Instant::now();
    let report = worker.run_until_idle(now + 1).await?;
    let took = started.elapsed().as_secs_f64();
    anyhow::ensure!(report.retried == 0 && report.parked == 0, "refresh jobs failed: {report:?}");
    let clocks = count(store, "SELECT COUNT(*) FROM ticket_targets WHERE state IN ('running', 'paused')").await?;
    println!(
        "  {label}: {took:.2} s for {open} open tickets ({:.0} tickets/s, {} jobs, {clocks} running or paused clocks)",
        open as f64 / took,
        report.finished
    );
    Ok(())
}

fn weekdays() -> serde_json::Value {
    let days = ["monday", "tuesday", "wednesday", "thursday", "friday"];
    days.iter()
        .flat_map(|day| {
            [
                json!({"day": day, "start": "09:00", "end": "12:30"}),
                json!({"day": day, "start": "13:30", "end": "17:30"}),
            ]
        })
        .collect()
}

/// Reopens the `more` newest solved or closed tickets (no-op when `more` is not positive).
async fn reopen(store: &Store, more: i64) -> anyhow::Result<()> {
    const SQL: &str = "UPDATE tickets SET status = 'open', solved_at = NULL WHERE id IN \
         (SELECT id FROM tickets WHERE status IN ('solved', 'closed') ORDER BY id DESC LIMIT $1)";
    if more > 0 {
        let mut tx = store.begin().await?;
        tandem_store::on_conn!(tx.conn(), c => sqlx::query(SQL).bind(more).execute(&mut *c).await.map(|done| done.rows_affected()))?;
        tx.commit().await?;
    }
    Ok(())
}

async fn open_tickets(store: &Store) -> anyhow::Result<i64> {
    count(store, "SELECT COUNT(*) FROM tickets WHERE status NOT IN ('solved', 'closed')").await
}

async fn count(store: &Store, sql: &'static str) -> anyhow::Result<i64> {
    let mut reader = store.read().await?;
    Ok(tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut *c).await)?)
}

fn store_name(store: &Store) -> &'static str {
    match store.backend() {
        tandem_store::Backend::Sqlite => "SQLite",
        tandem_store::Backend::Postgres => "PostgreSQL",
    }
}
