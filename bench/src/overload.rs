//! Overload: far more concurrent clients than cores (256 by default) for a short time, half
//! creating tickets and half listing a queue. Tandem must answer (or refuse with 503), keep its
//! memory bounded, keep the database whole, and serve normally once the load stops. Clients honour
//! the `Retry-After` of a refusal, as well-behaved API clients do.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::db::Database;
use crate::desk_file::DeskFile;
use crate::runner::{Budget, Outcome, run, success};
use crate::server::{Memory, Target, TargetArgs, kib_as_mib};
use crate::stats::Report;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The desk file written by `generate`.
    #[arg(long)]
    token_file: PathBuf,
    #[command(flatten)]
    target: TargetArgs,
    #[arg(long, default_value_t = 256)]
    concurrency: usize,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
}

pub async fn run_overload(args: Args) -> anyhow::Result<()> {
    let desk = Arc::new(DeskFile::read(&args.token_file)?);
    let database = Database::parse(&desk.database_url)?;
    let target = Target::open(&args.target, &desk.database_url).await?;
    let client = target.client().clone();
    let before = Memory::of(target.pid())?;

    let (shared, load_desk) = (client.clone(), desk.clone());
    let budget = Budget::Time(Duration::from_secs(args.seconds));
    let (stats, _) = run("creates + queue lists", budget, args.concurrency, move |n| {
        let (client, desk) = (shared.clone(), load_desk.clone());
        async move {
            let answer = if n % 2 == 0 {
                let body = json!({"subject": format!("overload {n}"), "body": "Under load.", "service": desk.service});
                client.post(&desk.customer.token, "/api/v1/tickets", &body).await
            } else {
                let path = format!("/api/v1/tickets?team_id={}&status=open", desk.queue_team_id);
                client.get(Some(&desk.agent.token), &path).await
            };
            let answer = success(answer);
            if matches!(answer, Err(503)) {
                // A polite client: a shed request says `Retry-After: 1`, so this one waits before
                // its next request instead of hammering the node with refusals.
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Outcome::Ok((answer?.status.as_u16(), ()))
        }
    })
    .await;
    let during = Memory::of(target.pid())?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rested = Memory::of(target.pid())?;

    let healthy = client.get(None, "/healthz").await.is_ok_and(|answer| answer.status.is_success());
    let body = json!({"subject": "after the overload", "body": "Still here?", "service": desk.service});
    let created = client.post(&desk.customer.token, "/api/v1/tickets", &body).await;
    let created = created.as_ref().map(|answer| answer.status.as_u16()).unwrap_or(0);
    target.close().await?;
    let integrity = database.integrity_check().await?;

    let mut report = Report::new(format!("overload on {} (concurrency {})", database.backend_name(), args.concurrency));
    report.step(&stats);
    report.note(format!("statuses seen: {}", stats.status_summary()));
    report.note(format!(
        "RSS before: {}; at the end of the load: {}; 2 s later: {}; peak (VmHWM): {}",
        kib_as_mib(before.rss_kib),
        kib_as_mib(during.rss_kib),
        kib_as_mib(rested.rss_kib),
        kib_as_mib(rested.peak_kib)
    ));
    report.note(format!(
        "after the load: /healthz {}, a create answered {created}; integrity check: {}",
        if healthy { "answers" } else { "FAILS" },
        integrity.as_deref().unwrap_or("n/a (PostgreSQL)")
    ));
    print!("{}", report.render());
    anyhow::ensure!(healthy && created == 201, "Tandem did not recover after the overload");
    anyhow::ensure!(
        integrity.as_deref().is_none_or(|result| result == "ok"),
        "the database failed its integrity check"
    );
    Ok(())
}
