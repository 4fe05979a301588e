//! The background job queue on both backends, with a clock the tests hold: jobs commit with the
//! transaction that enqueues them, run once, retry with backoff, park after their last attempt
//! (listed and retried by admins through the API), lose a lapsed lease, and periodic jobs run once
//! per period however many nodes tick. Each job's effect is a row written in the job's transaction.

use serde::{Deserialize, Serialize};
use tandem_app::jobs::{self, Job, JobContext, Registry, Schedule, Worker, WorkerOptions};
use tandem_domain::Millis;
use tandem_store::jobs as job_table;
use tandem_store::{ConnectOptions, Store, Tx};
use tandem_testkit::TestDb;

use super::*;

// Before the real clock: the API stamps a retry with the real time, which must come after T0.
const T0: Millis = 1_700_000_000_000;

/// The test job: writes one effect row, then fails while the clock is before `fail_until`.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct RecordEffect {
    key: String,
    fail_until: Millis,
}

impl Job for RecordEffect {
    const KIND: &'static str = "test_record_effect";
    const MAX_ATTEMPTS: i64 = 3;

    async fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> anyhow::Result<()> {
        const SQL: &str = "INSERT INTO job_effects (effect_key, attempt) VALUES ($1, $2)";
        tandem_store::on_conn!(tx.conn(), c => sqlx::query(SQL).bind(&self.key).bind(context.attempt).execute(&mut *c).await.map(|done| done.rows_affected()))?;
        anyhow::ensure!(context.now >= self.fail_until, "failing attempt {}", context.attempt);
        Ok(())
    }
}

fn effect(key: &str) -> RecordEffect {
    RecordEffect { key: key.to_owned(), fail_until: Millis::MIN }
}

async fn create_effects_table(store: &Store) {
    const SQL: &str = "CREATE TABLE job_effects (effect_key TEXT NOT NULL, attempt BIGINT NOT NULL)";
    let mut tx = store.begin().await.unwrap();
    tandem_store::on_conn!(tx.conn(), c => sqlx::query(SQL).execute(&mut *c).await.map(|done| done.rows_affected()))
        .unwrap();
    tx.commit().await.unwrap();
}

async fn scalar(store: &Store, sql: &'static str) -> i64 {
    let mut reader = store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut *c).await).unwrap()
}

async fn effects(store: &Store) -> i64 {
    scalar(store, "SELECT COUNT(*) FROM job_effects").await
}

async fn queued_jobs(store: &Store) -> i64 {
    scalar(store, "SELECT COUNT(*) FROM jobs").await
}

async fn enqueue(store: &Store, job: &RecordEffect, key: Option<&str>, run_at: Millis) -> bool {
    let mut tx = store.begin().await.unwrap();
    let added = jobs::enqueue(tx.conn(), job, key, run_at, T0).await.unwrap();
    tx.commit().await.unwrap();
    added
}

fn options() -> WorkerOptions {
    WorkerOptions { backoff_ms: 10_000, lease_ms: 60_000, batch: 8, ..WorkerOptions::default() }
}

fn worker(desk: &TestApp, schedules: Vec<Schedule>) -> Worker {
    desk.app.worker(Registry::default().with::<RecordEffect>(), schedules, options())
}

async fn desk(backend: TestBackend) -> TestApp {
    let desk = TestApp::demo(backend).await;
    create_effects_table(&desk.db.store).await;
    desk
}

test_both!(
    async fn a_job_is_enqueued_with_its_transaction_or_not_at_all(backend: TestBackend) {
        let desk = desk(backend).await;
        let store = &desk.db.store;
        let mut tx = store.begin().await.unwrap();
        jobs::enqueue(tx.conn(), &effect("rolled back"), None, T0, T0).await.unwrap();
        drop(tx);
        assert_eq!(queued_jobs(store).await, 0, "a rolled-back change leaves no job");
        assert!(enqueue(store, &effect("kept"), Some("once"), T0).await);
        assert!(!enqueue(store, &effect("twin"), Some("once"), T0).await, "the same key is enqueued once");
        assert_eq!(queued_jobs(store).await, 1);
        let report = worker(&desk, vec![]).run_until_idle(T0).await.unwrap();
        assert_eq!((report.claimed, report.finished), (1, 1));
        assert_eq!(scalar(store, "SELECT COUNT(*) FROM job_effects WHERE effect_key = 'kept'").await, 1);
        assert!(!enqueue(store, &effect("late twin"), Some("once"), T0).await, "a finished key stays taken");
    }
);

test_both!(
    async fn due_jobs_run_once_and_future_ones_wait(backend: TestBackend) {
        let desk = desk(backend).await;
        let store = &desk.db.store;
        for index in 0..20 {
            enqueue(store, &effect(&format!("now {index}")), None, T0).await;
        }
        enqueue(store, &effect("later"), None, T0 + 5_000).await;
        let worker = worker(&desk, vec![]);
        let first = worker.run_due(T0).await.unwrap();
        assert_eq!((first.claimed, first.finished), (8, 8), "one batch at a time");
        let rest = worker.run_until_idle(T0).await.unwrap();
        assert_eq!(rest.finished, 12);
        assert_eq!(effects(store).await, 20, "the future job has not run");
        assert_eq!(worker.run_until_idle(T0 + 4_999).await.unwrap().claimed, 0);
        assert_eq!(worker.run_until_idle(T0 + 5_000).await.unwrap().finished, 1);
        assert_eq!(effects(store).await, 21);
        assert_eq!(queued_jobs(store).await, 0, "finished jobs without a key leave the table");
    }
);

test_both!(
    async fn failures_back_off_then_park_and_an_admin_retries(backend: TestBackend) {
        let desk = desk(backend).await;
        let store = &desk.db.store;
        let flaky = RecordEffect { key: "flaky".into(), fail_until: T0 + 1_000_000 };
        enqueue(store, &flaky, None, T0).await;
        let worker = worker(&desk, vec![]);
        assert_eq!(worker.run_due(T0).await.unwrap().retried, 1);
        assert_eq!(effects(store).await, 0, "a failed attempt's writes roll back");
        assert_eq!(worker.run_due(T0 + 9_999).await.unwrap().claimed, 0, "the first retry waits 10 s");
        assert_eq!(worker.run_due(T0 + 10_000).await.unwrap().retried, 1);
        assert_eq!(worker.run_due(T0 + 29_999).await.unwrap().claimed, 0, "the second retry waits 20 s more");
        assert_eq!(worker.run_due(T0 + 30_000).await.unwrap().parked, 1, "the third attempt was the last");
        assert_eq!(worker.run_due(T0 + 10_000_000).await.unwrap().claimed, 0, "a parked job does not run");

        let admin = desk.token("admin@harbor.example").await;
        let parked = desk.get("/api/v1/jobs/parked", &admin).await;
        assert_eq!(parked.status, 200, "{:?}", parked.json);
        let items = parked.json["items"].as_array().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["kind"], "test_record_effect");
        assert_eq!(items[0]["attempts"], 3);
        assert!(items[0]["last_error"].as_str().unwrap().contains("failing attempt 3"), "{items:?}");
        let id = items[0]["id"].as_i64().unwrap();
        let retried = desk.post(&format!("/api/v1/jobs/{id}/retry"), &admin, &json!({})).await;
        assert_eq!(retried.status, 200, "{:?}", retried.json);
        assert_eq!(retried.json["state"], "queued");
        let again = desk.post(&format!("/api/v1/jobs/{id}/retry"), &admin, &json!({})).await;
        assert_eq!((again.status.as_u16(), again.error_code()), (409, "job_not_parked"));
        // The API stamps the retry with the real clock; run well after it, past `fail_until`.
        let report = worker.run_until_idle(jiff::Timestamp::now().as_millisecond() + 1_000).await.unwrap();
        assert_eq!(report.finished, 1);
        assert_eq!(effects(store).await, 1);
        assert_eq!(desk.get("/api/v1/jobs/parked", &admin).await.json["items"], json!([]));
    }
);

test_both!(
    async fn a_lapsed_lease_passes_the_job_on_and_the_stalled_runner_cannot_finish(backend: TestBackend) {
        let desk = desk(backend).await;
        let store = &desk.db.store;
        enqueue(store, &effect("leased"), None, T0).await;
        let mut tx = store.begin().await.unwrap();
        let stalled = job_table::claim(tx.conn(), "stalled/0", T0, T0 + 60_000, 10).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(stalled.len(), 1);
        let worker = worker(&desk, vec![]);
        assert_eq!(worker.run_due(T0 + 59_999).await.unwrap().claimed, 0, "leased jobs are not claimed twice");
        assert_eq!(worker.run_due(T0 + 60_000).await.unwrap().finished, 1, "an expired lease frees the job");
        let mut tx = store.begin().await.unwrap();
        assert!(!job_table::finish(tx.conn(), &stalled[0], T0 + 70_000).await.unwrap());
        assert_eq!(job_table::fail(tx.conn(), &stalled[0], "late", T0, T0).await.unwrap(), None);
        drop(tx);
        assert_eq!(effects(store).await, 1);
    }
);

test_both!(
    async fn periodic_jobs_run_once_per_period_however_many_nodes_tick(backend: TestBackend) {
        let desk = desk(backend).await;
        let store = &desk.db.store;
        let schedule = || vec![Schedule::every(60_000, &effect("tick"))];
        let (node_a, node_b) = (worker(&desk, schedule()), worker(&desk, schedule()));
        let period = T0 - T0.rem_euclid(60_000);
        assert_eq!(node_a.tick(period + 1).await.unwrap(), 1);
        assert_eq!(node_b.tick(period + 2).await.unwrap(), 0, "the other node finds the period's job");
        node_a.run_until_idle(period + 3).await.unwrap();
        let late_node = worker(&desk, schedule());
        assert_eq!(late_node.tick(period + 59_999).await.unwrap(), 0, "a finished period is not run again");
        assert_eq!(late_node.run_until_idle(period + 59_999).await.unwrap().claimed, 0);
        assert_eq!(effects(store).await, 1);
        assert_eq!(node_b.tick(period + 60_000).await.unwrap(), 1, "the next period gets its own job");
        assert_eq!(node_a.tick(period + 60_001).await.unwrap(), 0);
        node_b.run_until_idle(period + 60_002).await.unwrap();
        assert_eq!(effects(store).await, 2);
    }
);

/// A second connection pool on the same database: another node, as far as the queue can tell.
pub(super) async fn second_node(db: &TestDb) -> Store {
    let mut options = ConnectOptions::new(db.url.clone());
    options.pg_schema = db.schema.clone();
    options.pg_max_connections = 4;
    Store::connect(&options).await.unwrap()
}

test_both!(
    async fn two_nodes_share_a_thousand_jobs_and_run_each_once(backend: TestBackend) {
        let desk = desk(backend).await;
        let store = &desk.db.store;
        let mut tx = store.begin().await.unwrap();
        for index in 0..1_000 {
            jobs::enqueue(tx.conn(), &effect(&format!("job {index}")), None, T0, T0).await.unwrap();
        }
        tx.commit().await.unwrap();
        let other = tandem_app::App::new(second_node(&desk.db).await, tandem_app::Limits::default());
        let registry = || Registry::default().with::<RecordEffect>();
        let node_a = desk.app.worker(registry(), vec![], WorkerOptions { node: "a".into(), ..options() });
        let node_b = other.worker(registry(), vec![], WorkerOptions { node: "b".into(), ..options() });
        let (a, b) = tokio::join!(node_a.run_until_idle(T0), node_b.run_until_idle(T0));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.finished + b.finished, 1_000, "{a:?} {b:?}");
        assert_eq!((a.lost, b.lost, a.retried + b.retried), (0, 0, 0));
        assert!(a.finished > 0 && b.finished > 0, "both nodes took work: {a:?} {b:?}");
        assert_eq!(effects(store).await, 1_000);
        assert_eq!(scalar(store, "SELECT COUNT(DISTINCT effect_key) FROM job_effects").await, 1_000);
        assert_eq!(queued_jobs(store).await, 0);
        other.close().await;
    }
);

test_both!(
    async fn only_admins_see_and_retry_parked_jobs(backend: TestBackend) {
        let desk = desk(backend).await;
        for (email, status) in [
            ("admin@harbor.example", 200),
            ("casey@harbor.example", 403),
            ("bea@harbor.example", 404),
            ("erin@example.com", 404),
        ] {
            let token = desk.token(email).await;
            let listed = desk.get("/api/v1/jobs/parked", &token).await;
            assert_eq!(listed.status, status, "{email} lists parked jobs");
            let retried = desk.post("/api/v1/jobs/999999/retry", &token, &json!({})).await;
            let expected = if status == 200 { 404 } else { status };
            assert_eq!(retried.status, expected, "{email} retries a job");
            assert!(retried.json["error"]["message"].is_string(), "{:?}", retried.json);
        }
    }
);
