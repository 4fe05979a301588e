//! `ingest`: how many inbound emails per second Tandem stores. It replays every full message of
//! the shared corpus (`../shared/corpora/email`) into the demo desk's `care` mailbox through
//! `App::ingest_email`, the call `tandem mail ingest` and the IMAP fetcher make, on SQLite or
//! PostgreSQL. Each round gives every message a fresh Message-ID, so each one is really stored
//! (not answered as a repeat). Prints messages/s, latency percentiles and the outcomes.
//!
//!   cargo run --release -p tandem-bench --bin ingest -- --rounds 3
//!   cargo run --release -p tandem-bench --bin ingest -- --database-url postgres://postgres@127.0.0.1:5432/test

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use sqlx::Connection;
use tandem_app::{App, Limits};
use tandem_store::{ConnectOptions, Store};
use tokio::sync::Semaphore;

#[derive(Debug, Parser)]
#[command(name = "ingest", about = "Inbound email throughput: the shared corpus into the demo desk")]
struct Args {
    /// A PostgreSQL server URL (a fresh schema is made in it); default: a fresh SQLite file.
    #[arg(long)]
    database_url: Option<String>,
    /// The corpus directory (with manifest.tsv).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpora/email"))]
    corpus: PathBuf,
    /// Times the whole corpus is replayed.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Messages ingested at once (an MTA running several pipes, or several IMAP accounts).
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let messages = corpus(&args.corpus)?;
    let (app, backend, scratch) = fresh_desk(args.database_url.as_deref()).await?;
    tandem_app::seed::load_demo(&app, now()).await.context("loading the demo")?;
    let gate = Arc::new(Semaphore::new(args.concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    for round in 0..args.rounds {
        for (index, raw) in messages.iter().enumerate() {
            let raw = with_message_id(raw, &format!("bench-{round}-{index}@bench.example"));
            let (app, permit) = (app.clone(), gate.clone().acquire_owned().await?);
            tasks.spawn(async move {
                let begun = Instant::now();
                let ingested = app.ingest_email("care", &raw, now()).await;
                drop(permit);
                (begun.elapsed(), ingested.map(|done| done.outcome.to_string()))
            });
        }
    }
    let mut latencies = Vec::new();
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    while let Some(done) = tasks.join_next().await {
        let (took, outcome) = done.context("an ingest task panicked")?;
        latencies.push(took);
        *outcomes.entry(outcome.context("ingesting failed")?).or_default() += 1;
    }
    report(backend, &args, started.elapsed(), &mut latencies, &outcomes);
    app.close().await;
    scratch.remove().await
}

/// Where the run's desk lives, removed afterwards.
enum Scratch {
    Sqlite(PathBuf),
    Postgres { url: String, schema: String },
}

impl Scratch {
    async fn remove(self) -> anyhow::Result<()> {
        match self {
            Scratch::Sqlite(dir) => {
                std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))
            }
            Scratch::Postgres { url, schema } => {
                let mut admin = sqlx::PgConnection::connect(&url).await?;
                let drop = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
                sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&mut admin).await?;
                Ok(())
            }
        }
    }
}

fn report(backend: &str, args: &Args, total: Duration, latencies: &mut [Duration], outcomes: &BTreeMap<String, usize>) {
    latencies.sort();
    let percentile = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0;
    println!("inbound email ingest on {backend}, concurrency {}", args.concurrency);
    println!(
        "  {} messages in {:.2} s: {:.0} messages/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        total.as_secs_f64(),
        latencies.len() as f64 / total.as_secs_f64(),
        percentile(0.5),
        percentile(0.99),
        percentile(1.0)
    );
    println!("  outcomes: {outcomes:?}");
}

/// Every full message of the corpus, as bytes.
fn corpus(dir: &std::path::Path) -> anyhow::Result<Vec<Vec<u8>>> {
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv"))
        .with_context(|| format!("reading {}/manifest.tsv (the email corpus)", dir.display()))?;
    let mut messages = Vec::new();
    for line in manifest.lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.get(2) == Some(&"message") {
            messages.push(std::fs::read(dir.join(columns[0])).with_context(|| format!("reading {}", columns[0]))?);
        }
    }
    Ok(messages)
}

/// The message with its Message-ID header replaced (or added), bytes otherwise untouched.
fn with_message_id(raw: &[u8], id: &str) -> Vec<u8> {
    let header = format!("Message-ID: <{id}>\r\n").into_bytes();
    let mut out = Vec::with_capacity(raw.len() + header.len());
    out.extend_from_slice(&header);
    let mut in_headers = true;
    for line in raw.split_inclusive(|byte| *byte == b'\n') {
        if in_headers && (line == b"\n" || line == b"\r\n") {
            in_headers = false;
        }
        let is_id = in_headers && line.len() > 11 && line[..11].eq_ignore_ascii_case(b"message-id:");
        if !is_id {
            out.extend_from_slice(line);
        }
    }
    out
}

async fn fresh_desk(database_url: Option<&str>) -> anyhow::Result<(App, &'static str, Scratch)> {
    let pid = std::process::id();
    let (options, backend, scratch) = match database_url {
        Some(url) => {
            let schema = format!("tandem_bench_ingest_{pid}");
            let mut admin = sqlx::PgConnection::connect(url).await.context("connecting to PostgreSQL")?;
            // The name is ours (a fixed prefix and a number), so it can be spliced into DDL.
            for statement in [format!("DROP SCHEMA IF EXISTS {schema} CASCADE"), format!("CREATE SCHEMA {schema}")] {
                sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&mut admin).await?;
            }
            let mut options = ConnectOptions::new(url);
            options.pg_schema = Some(schema.clone());
            (options, "PostgreSQL", Scratch::Postgres { url: url.to_owned(), schema })
        }
        None => {
            let dir = std::env::temp_dir().join(format!("tandem-bench-ingest-{pid}"));
            std::fs::create_dir_all(&dir)?;
            let url = format!("sqlite://{}", dir.join("tandem.db").display());
            (ConnectOptions::new(url), "SQLite", Scratch::Sqlite(dir))
        }
    };
    let store = Store::connect(&options).await?;
    store.migrate().await?;
    Ok((App::new(store, Limits::default()), backend, scratch))
}

fn now() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}
