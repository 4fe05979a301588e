//! Workload W1, the same steps that can be run against any help desk: create tickets with seeded
//! text, reply to some, fetch some by id, list a queue's first page of open tickets, search.
//! Reported per step (ops/s, p50, p99, errors) with the server's peak memory, the database size
//! and, on SQLite, the durable-commit limit of the same disk.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::db::{Database, mib};
use crate::desk_file::DeskFile;
use crate::limit;
use crate::rng::Rng;
use crate::runner::{Budget, Outcome, run, success};
use crate::server::{Memory, Target, TargetArgs, kib_as_mib};
use crate::stats::Report;
use crate::words;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The desk file written by `generate`.
    #[arg(long)]
    token_file: PathBuf,
    #[command(flatten)]
    target: TargetArgs,
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    #[arg(long, default_value_t = 2_000)]
    creates: usize,
    #[arg(long, default_value_t = 500)]
    replies: usize,
    #[arg(long, default_value_t = 1_000)]
    fetches: usize,
    #[arg(long, default_value_t = 200)]
    lists: usize,
    /// Seconds of single-row commits for the durable-commit limit (SQLite only; 0 skips it).
    #[arg(long, default_value_t = 3)]
    limit_seconds: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub async fn run_w1(args: Args) -> anyhow::Result<()> {
    let desk = Arc::new(DeskFile::read(&args.token_file)?);
    let database = Database::parse(&desk.database_url)?;
    let target = Target::open(&args.target, &desk.database_url).await?;
    let client = target.client().clone();
    let mut report = Report::new(format!("W1 on {} (concurrency {})", database.backend_name(), args.concurrency));
    let seed = args.seed;

    let (shared, service) = (client.clone(), desk.service.clone());
    let token = desk.customer.token.clone();
    let (creates, created) = run("create ticket", Budget::Operations(args.creates), args.concurrency, move |n| {
        let (client, token, service) = (shared.clone(), token.clone(), service.clone());
        async move {
            let mut rng = Rng::new(seed ^ (n as u64).wrapping_mul(0x1000_0001));
            let body =
                json!({"subject": words::subject(&mut rng), "body": words::body(&mut rng, 20, 80), "service": service});
            let answer = success(client.post(&token, "/api/v1/tickets", &body).await)?;
            let id = answer.json().ok().and_then(|value| value["ticket"]["id"].as_i64()).ok_or(0_u16)?;
            Outcome::Ok((answer.status.as_u16(), id))
        }
    })
    .await;
    report.step(&creates);
    let ids: Arc<Vec<i64>> = Arc::new(created.into_iter().flatten().collect());
    anyhow::ensure!(!ids.is_empty(), "no ticket was created: {}", creates.status_summary());

    let (shared, token, replied) = (client.clone(), desk.agent.token.clone(), ids.clone());
    let (replies, _) = run("reply", Budget::Operations(args.replies.min(ids.len())), args.concurrency, move |n| {
        let (client, token, id) = (shared.clone(), token.clone(), replied[n]);
        async move {
            let mut rng = Rng::new(seed ^ 0xAB ^ n as u64);
            let body = json!({"body": words::body(&mut rng, 20, 80)});
            let answer = success(client.post(&token, &format!("/api/v1/tickets/{id}/messages"), &body).await)?;
            Outcome::Ok((answer.status.as_u16(), ()))
        }
    })
    .await;
    report.step(&replies);

    let (shared, token, fetched) = (client.clone(), desk.agent.token.clone(), ids.clone());
    let (fetches, _) = run("fetch ticket by id", Budget::Operations(args.fetches), args.concurrency, move |n| {
        let (client, token) = (shared.clone(), token.clone());
        let id = fetched[Rng::new(seed ^ 0xF0 ^ n as u64).below(fetched.len() as u64) as usize];
        async move {
            let answer = success(client.get(Some(&token), &format!("/api/v1/tickets/{id}")).await)?;
            Outcome::Ok((answer.status.as_u16(), ()))
        }
    })
    .await;
    report.step(&fetches);

    let (shared, token) = (client.clone(), desk.agent.token.clone());
    let queue = format!("/api/v1/tickets?team_id={}&status=open", desk.queue_team_id);
    let (lists, _) = run("list open tickets in a queue", Budget::Operations(args.lists), args.concurrency, move |_| {
        let (client, token, path) = (shared.clone(), token.clone(), queue.clone());
        async move {
            let answer = success(client.get(Some(&token), &path).await)?;
            Outcome::Ok((answer.status.as_u16(), ()))
        }
    })
    .await;
    report.step(&lists);
    report.missing("full-text search (50 words)", "not implemented yet");
    report.note("full-text search: Tandem has no search endpoint yet, so the step is not run.");

    let memory = Memory::of(target.pid())?;
    target.close().await?;
    report.note(format!("server peak RSS (VmHWM): {}", kib_as_mib(memory.peak_kib)));
    report.note(format!("database size: {}", mib(database.size().await?)));
    if let (Database::Sqlite(path), true) = (&database, args.limit_seconds > 0) {
        let commits = limit::durable_commits(path, Duration::from_secs(args.limit_seconds)).await?;
        report.note(format!(
            "durable-commit limit (one-row INSERT+COMMIT, WAL, synchronous=NORMAL, no HTTP): {commits:.0} commits/s; \
             creates reached {:.0}% of it",
            100.0 * creates.ops_per_second() / commits
        ));
    }
    print!("{}", report.render());
    Ok(())
}
