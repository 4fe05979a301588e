//! A fresh, migrated database per test.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;
use tandem_store::{ConnectOptions, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

/// A migrated database that disappears with the test (temp directory or schema).
pub struct TestDb {
    pub store: Store,
    pub url: String,
    pub schema: Option<String>,
    _dir: tempfile::TempDir,
}

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub fn postgres_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

impl TestDb {
    pub async fn new(backend: TestBackend) -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (options, schema) = match backend {
            TestBackend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("tandem.db").display());
                let mut options = ConnectOptions::new(url);
                options.sqlite_readers = 2;
                (options, None)
            }
            TestBackend::Postgres => {
                let url = postgres_url();
                let schema = fresh_schema(&url).await;
                let mut options = ConnectOptions::new(url);
                options.pg_max_connections = 4;
                options.pg_schema = Some(schema.clone());
                (options, Some(schema))
            }
        };
        let store = Store::connect(&options).await.expect("connecting to the test database");
        store.migrate().await.expect("migrating the test database");
        TestDb { store, url: options.url, schema, _dir: dir }
    }

    /// The directory that holds this test's files (the SQLite database among them).
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(schema) = self.schema.take() else { return };
        let url = self.url.clone();
        // Dropping happens inside the test's runtime; use a thread with its own for the cleanup.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let mut connection = sqlx::PgConnection::connect(&url).await.ok()?;
                let statement = format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
                sqlx::raw_sql(sqlx::AssertSqlSafe(statement)).execute(&mut connection).await.ok()
            })
        });
        let _ = cleanup.join();
    }
}

/// Creates an empty schema with a unique name, or panics saying how to get a server.
async fn fresh_schema(url: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let mut connection = sqlx::PgConnection::connect(url).await.unwrap_or_else(|error| {
        panic!(
            "PostgreSQL tests need a server at {url} ({error}).\n\
             Run scripts/test, which starts one, or set TEST_POSTGRES_URL."
        )
    });
    let schema =
        format!("t_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed), rand::random::<u32>());
    let statement = format!("CREATE SCHEMA \"{schema}\"");
    sqlx::raw_sql(sqlx::AssertSqlSafe(statement)).execute(&mut connection).await.expect("creating a test schema");
    schema
}
