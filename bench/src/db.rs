//! What the benchmarks need to know about a database URL besides Tandem's own use of it: starting
//! afresh, its size on disk, and SQLite's integrity check.

use std::path::PathBuf;
use std::str::FromStr;

use anyhow::{Context, bail};
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};

/// The database behind a URL Tandem accepts.
#[derive(Clone, Debug)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(Box<PgConnectOptions>),
}

impl Database {
    pub fn parse(url: &str) -> anyhow::Result<Database> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url).context("invalid SQLite URL")?;
            Ok(Database::Sqlite(options.get_filename().to_owned()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Database::Postgres(Box::new(PgConnectOptions::from_str(url).context("invalid PostgreSQL URL")?)))
        } else {
            bail!("database URL must start with sqlite:// or postgres://")
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "SQLite",
            Database::Postgres(_) => "PostgreSQL",
        }
    }

    /// Removes the database so the next migration starts from nothing: the SQLite file and its
    /// log, or the PostgreSQL database (dropped and created again through the `postgres` one).
    pub async fn recreate(&self) -> anyhow::Result<()> {
        match self {
            Database::Sqlite(path) => {
                for file in sqlite_files(path) {
                    match std::fs::remove_file(&file) {
                        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                            return Err(error).with_context(|| format!("removing {}", file.display()));
                        }
                        _ => {}
                    }
                }
                if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                }
                Ok(())
            }
            Database::Postgres(options) => {
                let name = pg_database_name(options)?;
                let mut admin = PgConnection::connect_with(&options.clone().database("postgres")).await?;
                // The name was checked to be a plain identifier, so it can be spliced into DDL.
                sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                    .execute(&mut admin)
                    .await?;
                sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&mut admin).await?;
                admin.close().await?;
                Ok(())
            }
        }
    }

    /// Bytes on disk: the SQLite file with its write-ahead log, or `pg_database_size`.
    pub async fn size(&self) -> anyhow::Result<u64> {
        match self {
            Database::Sqlite(path) => Ok(sqlite_files(path)
                .iter()
                .filter_map(|file| std::fs::metadata(file).ok())
                .map(|meta| meta.len())
                .sum()),
            Database::Postgres(options) => {
                let mut connection = PgConnection::connect_with(options).await?;
                let size: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
                    .fetch_one(&mut connection)
                    .await?;
                connection.close().await?;
                Ok(u64::try_from(size).unwrap_or_default())
            }
        }
    }

    /// `PRAGMA integrity_check` on SQLite (`None` on PostgreSQL, which has no such check).
    pub async fn integrity_check(&self) -> anyhow::Result<Option<String>> {
        let Database::Sqlite(path) = self else { return Ok(None) };
        let options = SqliteConnectOptions::new().filename(path).read_only(true);
        let mut connection = SqliteConnection::connect_with(&options).await?;
        let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut connection).await?;
        connection.close().await?;
        Ok(Some(lines.join("; ")))
    }
}

fn sqlite_files(path: &std::path::Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [path.to_owned(), with("-wal"), with("-shm")]
}

fn pg_database_name(options: &PgConnectOptions) -> anyhow::Result<String> {
    let name = options.get_database().context("the PostgreSQL URL must name a database")?;
    // Only databases that are plainly the benchmark's own are ever dropped.
    let plain = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !plain || !name.starts_with("tandem_bench") {
        bail!("refusing to recreate database `{name}`: name one starting with tandem_bench (lowercase, digits, _)");
    }
    Ok(name.to_owned())
}

/// Human-readable bytes.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
