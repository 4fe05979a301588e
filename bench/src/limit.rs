//! The durable-commit limit: how many single-row write transactions per second a SQLite file in
//! the same directory takes with Tandem's settings (WAL, synchronous=NORMAL, BEGIN IMMEDIATE,
//! through the same driver) and no HTTP in front. Creates over HTTP are read as a fraction of it.

use std::path::Path;
use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection};

use crate::db::Database;

/// Commits per second for `duration`, on a scratch file next to `beside` (removed afterwards).
pub async fn durable_commits(beside: &Path, duration: Duration) -> anyhow::Result<f64> {
    rows_per_second(beside, duration, 1).await
}

/// The same rows written as group commit would write them: `per_commit` one-row units in one
/// transaction, each in its own SAVEPOINT (so one could roll back alone), then one COMMIT. Rows per
/// second; read beside [`durable_commits`], it says how much of a write's cost the COMMIT is.
pub async fn grouped_commits(beside: &Path, duration: Duration, per_commit: u64) -> anyhow::Result<f64> {
    rows_per_second(beside, duration, per_commit).await
}

async fn rows_per_second(beside: &Path, duration: Duration, per_commit: u64) -> anyhow::Result<f64> {
    let path = beside.with_file_name("tandem-bench-commit-limit.db");
    let scratch = Database::Sqlite(path.clone());
    scratch.recreate().await?;
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true)
        .run_on_caller(true);
    let mut connection = SqliteConnection::connect_with(&options).await?;
    sqlx::query("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL, at BIGINT NOT NULL)")
        .execute(&mut connection)
        .await?;
    let started = Instant::now();
    let mut rows = 0_u64;
    while started.elapsed() < duration {
        let mut tx = connection.begin_with("BEGIN IMMEDIATE").await?;
        if per_commit == 1 {
            insert_row(&mut tx, rows).await?;
            rows += 1;
        } else {
            for _ in 0..per_commit {
                let mut unit = tx.begin().await?; // SAVEPOINT
                insert_row(&mut unit, rows).await?;
                unit.commit().await?; // RELEASE
                rows += 1;
            }
        }
        tx.commit().await?;
    }
    let rate = rows as f64 / started.elapsed().as_secs_f64();
    connection.close().await?;
    scratch.recreate().await?; // removes the scratch file again
    Ok(rate)
}

async fn insert_row(connection: &mut SqliteConnection, n: u64) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO rows (body, at) VALUES ($1, $2)")
        .bind("a ticket's worth of text")
        .bind(n as i64)
        .execute(connection)
        .await?;
    Ok(())
}
