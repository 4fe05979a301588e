//! Connecting, migrating, and handing out connections: a write transaction ([`Tx`]) or a read
//! connection ([`Reader`]), either of which lends a backend-neutral [`Conn`] to the query modules.

use std::str::FromStr;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

use crate::error::StoreError;
use crate::group_commit::{SqliteTx, Writer};

/// Runs the same query body on whichever backend a [`Conn`] holds. The body is pasted into one
/// match arm per backend, so one SQL string and one `FromRow` type serve both; SQL that must
/// differ between the backends never goes in here, it goes in a named fork (see docs/storage.md).
#[macro_export]
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::Conn::Sqlite($c) => $body,
            $crate::Conn::Postgres($c) => $body,
        }
    };
}

/// A connection lent for one query: from a write transaction or from the reader pool.
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn<'_> {
    /// Lends the same connection again, for a sequence of queries.
    pub fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(connection) => Conn::Sqlite(connection),
            Conn::Postgres(connection) => Conn::Postgres(connection),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How to reach the database.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    /// `sqlite://path/to/tandem.db` or `postgres://user@host:port/db`.
    pub url: String,
    /// Connections in the PostgreSQL pool of this node.
    pub pg_max_connections: u32,
    /// Read-only connections beside SQLite's single writer.
    pub sqlite_readers: u32,
    /// A PostgreSQL schema to work in (tests give each test its own); `None` uses the default.
    pub pg_schema: Option<String>,
}

impl ConnectOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), pg_max_connections: 16, sqlite_readers: 4, pg_schema: None }
    }
}

/// The database: cheap to clone, shared by every request and job of a node.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
}

#[derive(Clone, Debug)]
enum Db {
    /// SQLite allows one writer at a time; giving it exactly one connection makes writers queue
    /// for it instead of failing with SQLITE_BUSY (and lets them share commits, see
    /// `group_commit`), while readers run beside it (WAL).
    Sqlite {
        write: Writer,
        read: SqlitePool,
    },
    Postgres(PgPool),
}

impl Store {
    /// Connects to the URL's backend; refuses an unknown scheme with a message saying what works.
    pub async fn connect(options: &ConnectOptions) -> Result<Store, StoreError> {
        let url = options.url.as_str();
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(options).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::connect_postgres(options).await
        } else {
            Err(StoreError::Config(format!(
                "database URL must start with sqlite:// or postgres://, got `{}`",
                url.split(':').next().unwrap_or_default()
            )))
        }
    }

    async fn connect_sqlite(options: &ConnectOptions) -> Result<Store, StoreError> {
        let base = SqliteConnectOptions::from_str(&options.url)
            .map_err(|error| StoreError::Config(format!("invalid SQLite URL: {error}")))?
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL in WAL mode: a commit survives a crash of the process (not of the machine).
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
            // Statements run on the request's own thread (our sqlx-sqlite patch, vendor/README.md):
            // each one costs microseconds on a local file, while handing it to a connection's
            // worker thread and back cost two thread wake-ups, most of the CPU a request used.
            .run_on_caller(true);
        let write = Writer::connect(base.clone().create_if_missing(true)).await?;
        // No ping before each acquire (sqlx's default): a local file cannot hang up the way a
        // server can.
        let read = SqlitePoolOptions::new()
            .max_connections(options.sqlite_readers.max(1))
            .test_before_acquire(false)
            .connect_with(base.read_only(true))
            .await?;
        Ok(Store { db: Db::Sqlite { write, read } })
    }

    async fn connect_postgres(options: &ConnectOptions) -> Result<Store, StoreError> {
        let mut connect = PgConnectOptions::from_str(&options.url)
            .map_err(|error| StoreError::Config(format!("invalid PostgreSQL URL: {error}")))?
            .application_name("tandem");
        if let Some(schema) = &options.pg_schema {
            connect = connect.options([("search_path", schema.as_str())]);
        }
        let pool = PgPoolOptions::new()
            .max_connections(options.pg_max_connections.max(2))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(connect)
            .await?;
        Ok(Store { db: Db::Postgres(pool) })
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations. On PostgreSQL the migrator holds an advisory lock, so nodes
    /// starting together migrate once.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite { write, .. } => {
                let mut exclusive = write.exclusive().await;
                sqlx::migrate!("./migrations/sqlite").run(exclusive.connection()?).await
            }
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await,
        }
        .map_err(|error| StoreError::Other(anyhow::Error::new(error).context("migrating the database")))
    }

    /// Starts a write transaction. On SQLite it waits for the one write connection and runs in a
    /// savepoint of a `BEGIN IMMEDIATE` batch that concurrent writes commit together (see
    /// `group_commit`).
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match &self.db {
            Db::Sqlite { write, .. } => Tx::Sqlite(write.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A connection for reads outside a transaction (SQLite: from the read-only pool).
    pub async fn read(&self) -> Result<Reader, StoreError> {
        Ok(match &self.db {
            Db::Sqlite { read, .. } => Reader::Sqlite(read.acquire().await?),
            Db::Postgres(pool) => Reader::Postgres(pool.acquire().await?),
        })
    }

    /// Answers when the database does.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut reader = self.read().await?;
        crate::on_conn!(reader.conn(), c => sqlx::query("SELECT 1").execute(&mut *c).await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Closes every connection, letting SQLite checkpoint its WAL.
    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite { write, read } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// A write transaction. Dropping it without [`Tx::commit`] rolls everything back.
pub enum Tx {
    Sqlite(SqliteTx),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(tx) => Conn::Sqlite(tx.connection()),
            Tx::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// A pooled connection for reads.
pub enum Reader {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Reader {
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Reader::Sqlite(connection) => Conn::Sqlite(connection),
            Reader::Postgres(connection) => Conn::Postgres(connection),
        }
    }
}
