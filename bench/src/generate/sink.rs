//! Where generated rows go: prepared multi-row INSERTs on SQLite (one statement text per row count,
//! so the driver's statement cache prepares it once), `COPY … FROM STDIN` on PostgreSQL.
//!
//! Both connections are opened for loading, not for serving: foreign-key checks and durability are
//! off while the rows go in (the generator writes consistent rows, and a crash half-way means
//! generating again), and the SQLite file is put back into WAL mode at the end.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};

use crate::db::Database;

/// A column value.
#[derive(Clone, Debug)]
pub enum Value {
    Int(i64),
    Text(String),
    Bool(bool),
    Null,
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Int(value)
    }
}

impl From<Option<i64>> for Value {
    fn from(value: Option<i64>) -> Self {
        value.map_or(Value::Null, Value::Int)
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Text(value)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(value.to_owned())
    }
}

impl From<Option<&str>> for Value {
    fn from(value: Option<&str>) -> Self {
        value.map_or(Value::Null, Value::from)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

/// A table and the columns rows are given for, in order.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
}

/// Rows of one table, row after row.
#[derive(Debug)]
pub struct Rows {
    pub table: &'static Table,
    values: Vec<Value>,
}

impl Rows {
    pub fn new(table: &'static Table) -> Self {
        Rows { table, values: Vec::new() }
    }

    /// Appends one row; it must have a value for every column.
    pub fn push<const N: usize>(&mut self, row: [Value; N]) {
        debug_assert_eq!(N, self.table.columns.len(), "row of {}", self.table.name);
        self.values.extend(row);
    }

    pub fn len(&self) -> usize {
        self.values.len() / self.table.columns.len()
    }
}

/// SQLite's default limit on bound parameters is 32,766 per statement.
const MAX_PARAMETERS: usize = 30_000;
const MAX_ROWS_PER_INSERT: usize = 1_000;

pub enum Sink {
    Sqlite { connection: SqliteConnection, statements: HashMap<(&'static str, usize), Arc<str>> },
    Postgres(PgConnection),
}

impl Sink {
    pub async fn open(database: &Database) -> anyhow::Result<Sink> {
        match database {
            Database::Sqlite(path) => {
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .journal_mode(SqliteJournalMode::Off)
                    .synchronous(SqliteSynchronous::Off)
                    .foreign_keys(false)
                    .pragma("cache_size", "-1048576") // 1 GiB of page cache for the index builds
                    .pragma("temp_store", "memory");
                let connection = SqliteConnection::connect_with(&options).await.context("opening SQLite to load")?;
                Ok(Sink::Sqlite { connection, statements: HashMap::new() })
            }
            Database::Postgres(options) => {
                let mut connection = PgConnection::connect_with(options).await.context("opening PostgreSQL to load")?;
                // `replica` skips the foreign-key triggers (superuser only; the generator's rows are
                // consistent by construction). Commits need not wait for the disk while loading.
                for setting in [
                    "SET session_replication_role = replica",
                    "SET synchronous_commit = off",
                    "SET maintenance_work_mem = '512MB'",
                ] {
                    sqlx::query(setting).execute(&mut connection).await.with_context(|| setting.to_owned())?;
                }
                Ok(Sink::Postgres(connection))
            }
        }
    }

    /// Runs one statement without results (DDL, BEGIN, COMMIT).
    pub async fn execute(&mut self, sql: String) -> anyhow::Result<()> {
        let query = sqlx::raw_sql(AssertSqlSafe(sql));
        match self {
            Sink::Sqlite { connection, .. } => query.execute(connection).await.map(drop)?,
            Sink::Postgres(connection) => query.execute(connection).await.map(drop)?,
        }
        Ok(())
    }

    pub async fn write(&mut self, rows: Rows) -> anyhow::Result<()> {
        match self {
            Sink::Sqlite { connection, statements } => insert_sqlite(connection, statements, rows).await,
            Sink::Postgres(connection) => copy_postgres(connection, rows).await,
        }
        .with_context(|| "writing generated rows")
    }

    /// Puts the database back the way Tandem runs it and closes the connection.
    pub async fn finish(self) -> anyhow::Result<()> {
        match self {
            Sink::Sqlite { mut connection, .. } => {
                sqlx::query("PRAGMA journal_mode = WAL").execute(&mut connection).await?;
                connection.close().await?;
            }
            Sink::Postgres(connection) => connection.close().await?,
        }
        Ok(())
    }
}

async fn insert_sqlite(
    connection: &mut SqliteConnection,
    statements: &mut HashMap<(&'static str, usize), Arc<str>>,
    rows: Rows,
) -> anyhow::Result<()> {
    let table = rows.table;
    let width = table.columns.len();
    let per_insert = (MAX_PARAMETERS / width).min(MAX_ROWS_PER_INSERT);
    let mut values = rows.values.into_iter();
    let mut left = values.len() / width;
    while left > 0 {
        let count = left.min(per_insert);
        let sql = statements.entry((table.name, count)).or_insert_with(|| insert_sql(table, count)).clone();
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for value in values.by_ref().take(count * width) {
            query = match value {
                Value::Int(value) => query.bind(value),
                Value::Text(value) => query.bind(value),
                Value::Bool(value) => query.bind(value),
                Value::Null => query.bind(None::<i64>),
            };
        }
        query.execute(&mut *connection).await?;
        left -= count;
    }
    Ok(())
}

/// `INSERT INTO t (a, b) VALUES (?, ?), (?, ?), …` for `count` rows.
fn insert_sql(table: &Table, count: usize) -> Arc<str> {
    let one = format!("({})", vec!["?"; table.columns.len()].join(", "));
    let all = vec![one.as_str(); count].join(", ");
    format!("INSERT INTO {} ({}) VALUES {all}", table.name, table.columns.join(", ")).into()
}

async fn copy_postgres(connection: &mut PgConnection, rows: Rows) -> anyhow::Result<()> {
    let table = rows.table;
    let width = table.columns.len();
    let mut data = Vec::with_capacity(rows.values.len() * 16);
    for (index, value) in rows.values.into_iter().enumerate() {
        match value {
            Value::Int(value) => data.extend_from_slice(value.to_string().as_bytes()),
            Value::Text(value) => escape_copy_text(&mut data, &value),
            Value::Bool(value) => data.push(if value { b't' } else { b'f' }),
            Value::Null => data.extend_from_slice(b"\\N"),
        }
        data.push(if (index + 1) % width == 0 { b'\n' } else { b'\t' });
    }
    let statement = format!("COPY {} ({}) FROM STDIN", table.name, table.columns.join(", "));
    let mut copy = connection.copy_in_raw(&statement).await?;
    copy.send(data).await?;
    copy.finish().await?;
    Ok(())
}

/// COPY's text format: backslash escapes for the characters that separate fields and rows.
fn escape_copy_text(out: &mut Vec<u8>, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_is_escaped() {
        let mut out = Vec::new();
        escape_copy_text(&mut out, "a\tb\\c\nd");
        assert_eq!(out, b"a\\tb\\\\c\\nd");
    }

    #[test]
    fn inserts_bind_every_column_of_every_row() {
        static TABLE: Table = Table { name: "t", columns: &["a", "b"] };
        assert_eq!(&*insert_sql(&TABLE, 2), "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
    }
}
