//! Workload W1, the same steps that can be run against any help desk: create tickets with seeded
//! text, reply to some, fetch some by id, list a queue's first page of open tickets, search.
//! Reported per step (ops/s, p50, p99, errors) with the server's peak memory, the database size
//! and, on SQLite, the durable-commit limit of the same disk.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::client::Client;
use crate::db::{Database, mib};
use crate::desk_file::DeskFile;
use crate::limit;
use crate::rng::Rng;
use crate::runner::{Budget, Outcome, run, success};
use crate::server::{Memory, Target, TargetArgs, kib_as_mib};
use crate::stats::{Report, StepStats};
use crate::words;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The desk file written by `generate`.
    #[arg(long)]
    token_file: PathBuf,
    #[command(flatten)]
    target: TargetArgs,
    #[command(flatten)]
    workload: Workload,
    /// Seconds of single-row commits for the durable-commit limit (SQLite only; 0 skips it).
    #[arg(long, default_value_t = 3)]
    limit_seconds: u64,
}

/// The sizes of W1's steps, shared with `multinode`, which runs the same steps on two nodes.
#[derive(Clone, Debug, clap::Args)]
pub struct Workload {
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    #[arg(long, default_value_t = 2_000)]
    pub creates: usize,
    #[arg(long, default_value_t = 500)]
    pub replies: usize,
    #[arg(long, default_value_t = 1_000)]
    pub fetches: usize,
    #[arg(long, default_value_t = 200)]
    pub lists: usize,
    #[arg(long, default_value_t = 50)]
    pub searches: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// A write a node answered with a 2xx: the node's index in the list given to [`steps`], and the ticket.
#[derive(Clone, Copy, Debug)]
pub struct Acked {
    pub node: usize,
    pub ticket: i64,
}

/// What W1's steps measured, and the writes they got acknowledged.
pub struct Steps {
    pub creates: StepStats,
    pub replies: StepStats,
    pub fetches: StepStats,
    pub lists: StepStats,
    pub searches: StepStats,
    /// Every acknowledged create with the subject it was sent with.
    pub created: Vec<(Acked, String)>,
    pub replied: Vec<Acked>,
}

impl Steps {
    pub fn all(&self) -> [&StepStats; 5] {
        [&self.creates, &self.replies, &self.fetches, &self.lists, &self.searches]
    }
}

pub async fn run_w1(args: Args) -> anyhow::Result<()> {
    let desk = DeskFile::read(&args.token_file)?;
    let database = Database::parse(&desk.database_url)?;
    let target = Target::open(&args.target, &desk.database_url).await?;
    let concurrency = args.workload.concurrency;
    let mut report = Report::new(format!("W1 on {} (concurrency {concurrency})", database.backend_name()));
    let steps = steps(Arc::new([target.client().clone()]), &desk, &args.workload).await?;
    for step in steps.all() {
        report.step(step);
    }

    let memory = Memory::of(target.pid())?;
    target.close().await?;
    report.note(format!("server peak RSS (VmHWM): {}", kib_as_mib(memory.peak_kib)));
    report.note(format!("database size: {}", mib(database.size().await?)));
    if let (Database::Sqlite(path), true) = (&database, args.limit_seconds > 0) {
        let commits = limit::durable_commits(path, Duration::from_secs(args.limit_seconds)).await?;
        report.note(format!(
            "durable-commit limit (one-row INSERT+COMMIT, WAL, synchronous=NORMAL, no HTTP): {commits:.0} commits/s; \
             creates reached {:.0}% of it",
            100.0 * steps.creates.ops_per_second() / commits
        ));
        let grouped = limit::grouped_commits(path, Duration::from_secs(args.limit_seconds), 8).await?;
        report.note(format!(
            "the same rows grouped 8 to a COMMIT, each in its own SAVEPOINT (group commit's shape): {grouped:.0} rows/s"
        ));
    }
    print!("{}", report.render());
    Ok(())
}

/// Runs W1's creates, replies, fetches by id, queue lists and searches, each at the workload's concurrency.
/// Request n of every step goes to node n % nodes.len(): one node takes them all, two nodes take
/// alternate ones, so a split load is the same requests in the same order as the single-node run.
pub async fn steps(nodes: Arc<[Client]>, desk: &DeskFile, workload: &Workload) -> anyhow::Result<Steps> {
    let (seed, concurrency) = (workload.seed, workload.concurrency);
    let count = nodes.len();

    let (shared, service) = (nodes.clone(), desk.service.clone());
    let token = desk.customer.token.clone();
    let (creates, created) = run("create ticket", Budget::Operations(workload.creates), concurrency, move |n| {
        let (client, token, service) = (shared[n % count].clone(), token.clone(), service.clone());
        async move {
            let mut rng = Rng::new(seed ^ (n as u64).wrapping_mul(0x1000_0001));
            let subject = words::subject(&mut rng);
            let body = json!({"subject": subject, "body": words::body(&mut rng, 20, 80), "service": service});
            let answer = success(client.post(&token, "/api/v1/tickets", &body).await)?;
            let id = answer.json().ok().and_then(|value| value["ticket"]["id"].as_i64()).ok_or(0_u16)?;
            Outcome::Ok((answer.status.as_u16(), (Acked { node: n % count, ticket: id }, subject)))
        }
    })
    .await;
    let created: Vec<(Acked, String)> = created.into_iter().flatten().collect();
    anyhow::ensure!(!created.is_empty(), "no ticket was created: {}", creates.status_summary());
    let ids: Arc<Vec<i64>> = Arc::new(created.iter().map(|(acked, _)| acked.ticket).collect());

    let (shared, token, replied) = (nodes.clone(), desk.agent.token.clone(), ids.clone());
    let (replies, acked) = run("reply", Budget::Operations(workload.replies.min(ids.len())), concurrency, move |n| {
        let (client, token, id) = (shared[n % count].clone(), token.clone(), replied[n]);
        async move {
            let mut rng = Rng::new(seed ^ 0xAB ^ n as u64);
            let body = json!({"body": words::body(&mut rng, 20, 80)});
            let answer = success(client.post(&token, &format!("/api/v1/tickets/{id}/messages"), &body).await)?;
            Outcome::Ok((answer.status.as_u16(), Acked { node: n % count, ticket: id }))
        }
    })
    .await;

    let (shared, token, fetched) = (nodes.clone(), desk.agent.token.clone(), ids.clone());
    let (fetches, _) = run("fetch ticket by id", Budget::Operations(workload.fetches), concurrency, move |n| {
        let (client, token) = (shared[n % count].clone(), token.clone());
        let id = fetched[Rng::new(seed ^ 0xF0 ^ n as u64).below(fetched.len() as u64) as usize];
        async move {
            let answer = success(client.get(Some(&token), &format!("/api/v1/tickets/{id}")).await)?;
            Outcome::Ok((answer.status.as_u16(), ()))
        }
    })
    .await;

    let (shared, token) = (nodes.clone(), desk.agent.token.clone());
    let queue = format!("/api/v1/tickets?team_id={}&status=open", desk.queue_team_id);
    let (lists, _) = run("list open tickets in a queue", Budget::Operations(workload.lists), concurrency, move |n| {
        let (client, token, path) = (shared[n % count].clone(), token.clone(), queue.clone());
        async move {
            let answer = success(client.get(Some(&token), &path).await)?;
            Outcome::Ok((answer.status.as_u16(), ()))
        }
    })
    .await;
    // One word of the seeded text per search, as the agent (whose work is the whole desk's queue).
    let (shared, token) = (nodes.clone(), desk.agent.token.clone());
    let (searches, _) =
        run("full-text search (one word)", Budget::Operations(workload.searches), concurrency, move |n| {
            let (client, token) = (shared[n % count].clone(), token.clone());
            let word = words::word(&mut Rng::new(seed ^ 0x5EA ^ n as u64));
            async move {
                let answer = success(client.get(Some(&token), &format!("/api/v1/tickets/search?q={word}")).await)?;
                Outcome::Ok((answer.status.as_u16(), ()))
            }
        })
        .await;
    let replied = acked.into_iter().flatten().collect();
    Ok(Steps { creates, replies, fetches, lists, searches, created, replied })
}
