//! Several nodes, one PostgreSQL: three real `tandem serve` processes share a queue of thousands
//! of jobs and the per-minute standards scan. Every job is finished by exactly one node (each
//! node logs the jobs it finished), and every effect (a breach or warning recorded on a demo
//! ticket) exists exactly once, however the nodes raced.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tandem_store::Store;
use tandem_store::jobs::{self, NewJob};
use tandem_testkit::TestDb;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::*;

const BINARY: &str = env!("CARGO_BIN_EXE_tandem");
const NODES: usize = 3;
const JOBS: usize = 3_000;

/// A running node and the lines it has logged so far.
struct Node {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

async fn start_node(url: &str, dir: &std::path::Path) -> Node {
    let mut child = Command::new(BINARY)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .args(["--database-url", url])
        .env("TANDEM_LOG", "warn,tandem_app::jobs=debug")
        .env("TANDEM_DATABASE__PG_MAX_CONNECTIONS", "8")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("starting tandem serve");
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut lines = BufReader::new(child.stderr.take().expect("piped stderr")).lines();
    let sink = log.clone();
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            sink.lock().unwrap().push(line);
        }
    });
    Node { child, log }
}

/// The ids of the jobs a node logged as finished, from the message `job 42 finished` (the fields
/// after it may carry colour codes).
fn finished_ids(log: &[String]) -> Vec<i64> {
    log.iter().filter_map(|line| line.split(" finished").next()?.rsplit("job ").next()?.trim().parse().ok()).collect()
}

async fn scalar(store: &Store, sql: &'static str) -> i64 {
    let mut reader = store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut *c).await).unwrap()
}

async fn enqueue_scans(store: &Store, now: i64) -> Vec<i64> {
    let mut tx = store.begin().await.unwrap();
    let scan = NewJob { kind: "scan_standards", payload: "{}", dedupe_key: None, run_at: now, max_attempts: 5 };
    for _ in 0..JOBS {
        jobs::enqueue(tx.conn(), &scan, now).await.unwrap();
    }
    tx.commit().await.unwrap();
    const IDS: &str = "SELECT id FROM jobs WHERE dedupe_key IS NULL ORDER BY id";
    let mut reader = store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar::<_, i64>(IDS).fetch_all(&mut *c).await).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_on_one_postgres_finish_every_job_once_and_record_every_effect_once() {
    let db = TestDb::new(TestBackend::Postgres).await;
    let url = format!("{}?options[search_path]={}", db.url, db.schema.as_deref().expect("a schema"));
    let app = tandem_app::App::new(db.store.clone(), tandem_app::Limits::default());
    let now = jiff::Timestamp::now().as_millisecond();
    tandem_app::seed::load_demo(&app, now).await.expect("loading the demo");
    const OVERDUE: &str = "SELECT COUNT(*) FROM ticket_targets WHERE state = 'running' AND due_at <= $1";
    let mut reader = db.store.read().await.unwrap();
    let overdue: i64 =
        tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar(OVERDUE).bind(now).fetch_one(&mut *c).await)
            .unwrap();
    drop(reader);
    assert!(overdue > 0, "the demo has running targets to breach");
    let ids = enqueue_scans(&db.store, now).await;
    assert_eq!(ids.len(), JOBS);

    let dirs: Vec<_> = (0..NODES).map(|_| tempfile::tempdir().unwrap()).collect();
    let started = Instant::now();
    let mut nodes = Vec::new();
    for dir in &dirs {
        nodes.push(start_node(&url, dir.path()).await);
    }
    const LEFT: &str = "SELECT COUNT(*) FROM jobs WHERE state <> 'done'";
    while scalar(&db.store, LEFT).await > 0 {
        assert!(started.elapsed() < Duration::from_secs(120), "the nodes drain the queue within two minutes");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let took = started.elapsed();
    for node in &mut nodes {
        node.child.kill().await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut runs: BTreeMap<i64, usize> = BTreeMap::new();
    let mut per_node = Vec::new();
    for node in &nodes {
        let finished = finished_ids(&node.log.lock().unwrap());
        per_node.push(finished.iter().filter(|id| ids.binary_search(id).is_ok()).count());
        for id in finished {
            *runs.entry(id).or_default() += 1;
        }
    }
    println!("{JOBS} jobs on {NODES} nodes: {} ms from start to drained, per node {per_node:?}", took.as_millis());
    let twice: Vec<_> = runs.iter().filter(|(_, count)| **count > 1).collect();
    assert!(twice.is_empty(), "jobs finished more than once: {twice:?}");
    assert!(ids.iter().all(|id| runs.contains_key(id)), "every enqueued job was finished by a node");
    assert!(per_node.iter().filter(|count| **count > 0).count() >= 2, "the nodes shared the work: {per_node:?}");

    let breached = scalar(&db.store, "SELECT COUNT(*) FROM ticket_targets WHERE breached_at IS NOT NULL").await;
    let breach_events = scalar(&db.store, "SELECT COUNT(*) FROM ticket_events WHERE kind = 'sla_breached'").await;
    assert!(breached >= overdue, "every overdue target was breached: {breached} of {overdue}");
    assert_eq!(breach_events, breached, "one breach event per breached target");
    let warned = scalar(&db.store, "SELECT COUNT(*) FROM ticket_targets WHERE warned_at IS NOT NULL").await;
    let warn_events = scalar(&db.store, "SELECT COUNT(*) FROM ticket_events WHERE kind = 'sla_warning'").await;
    assert_eq!(warn_events, warned, "one warning event per warned target");
}
