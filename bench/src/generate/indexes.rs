//! Secondary indexes of the big tables are dropped before loading and built again afterwards from
//! the definitions the migrations left in the catalog: one sort per index instead of millions of
//! random B-tree inserts, and no copy of the schema in the benchmark that could drift from it.
//! SQLite's full-text indexes follow their tables by triggers: those are dropped the same way, and
//! each full-text index is rebuilt in one pass once the rows are in.

use super::sink::Sink;

/// The tables that get millions of rows.
const BULK_TABLES: &[&str] = &["tickets", "messages", "ticket_events", "ticket_tags", "ticket_followers"];

/// An index (or SQLite trigger) to build again: its kind, name and `CREATE` statement.
pub struct IndexDef {
    kind: String,
    name: String,
    create: String,
}

/// Drops the secondary indexes of the bulk tables (not the ones behind primary keys or unique
/// constraints) and returns their definitions.
pub async fn drop_secondary(sink: &mut Sink) -> anyhow::Result<Vec<IndexDef>> {
    let definitions = secondary(sink).await?;
    for index in &definitions {
        sink.execute(format!("DROP {} \"{}\"", index.kind.to_uppercase(), index.name)).await?;
    }
    Ok(definitions)
}

pub async fn create(sink: &mut Sink, definitions: Vec<IndexDef>) -> anyhow::Result<()> {
    for index in definitions {
        sink.execute(index.create).await?;
    }
    if let Sink::Sqlite { connection, .. } = sink {
        let sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'";
        let full_text: Vec<String> = sqlx::query_scalar(sql).fetch_all(&mut *connection).await?;
        for table in full_text {
            rebuild_full_text(sink, &table).await?;
        }
    }
    Ok(())
}

/// FTS5 gathers terms in an in-memory hash and writes a segment each time it passes `hashsize`
/// (1 MiB by default), then spends most of a rebuild merging those thousands of segments. With a
/// hash as large as the whole index the rebuild writes a few segments, and `optimize`, which a
/// desk's searches need (each search opens every segment), has almost nothing left to merge. The
/// setting is stored in the index's config table, so the default is put back for the server.
async fn rebuild_full_text(sink: &mut Sink, table: &str) -> anyhow::Result<()> {
    let command = |command: &str| format!("INSERT INTO \"{table}\" (\"{table}\") VALUES ('{command}')");
    let hash_size = |bytes: u64| format!("INSERT INTO \"{table}\" (\"{table}\", rank) VALUES ('hashsize', {bytes})");
    sink.execute(hash_size(LOAD_HASH_SIZE)).await?;
    sink.execute(command("rebuild")).await?;
    sink.execute(command("optimize")).await?;
    sink.execute(hash_size(DEFAULT_HASH_SIZE)).await
}

/// About the size of the whole message index of a 1M-ticket desk (the generator's memory grows by
/// up to that much while it rebuilds; FTS5 takes a 32-bit size); FTS5's own default for the server.
const LOAD_HASH_SIZE: u64 = 1 << 30;
const DEFAULT_HASH_SIZE: u64 = 1 << 20;

async fn secondary(sink: &mut Sink) -> anyhow::Result<Vec<IndexDef>> {
    let tables: Vec<String> = BULK_TABLES.iter().map(|table| (*table).to_owned()).collect();
    let rows: Vec<(String, String, String)> = match sink {
        Sink::Sqlite { connection, .. } => {
            // Indexes SQLite makes itself for keys have no SQL text; every index in a migration has.
            let sql = "SELECT m.type, m.name, m.sql FROM sqlite_master m, json_each($1) j \
                       WHERE m.type IN ('index', 'trigger') AND m.sql IS NOT NULL AND m.tbl_name = j.value \
                       ORDER BY m.name";
            sqlx::query_as(sql).bind(serde_json::to_string(&tables)?).fetch_all(connection).await?
        }
        Sink::Postgres(connection) => {
            let sql = "SELECT 'index', indexname::text, indexdef FROM pg_indexes \
                       WHERE schemaname = current_schema() AND tablename = ANY($1) \
                       AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname";
            sqlx::query_as(sql).bind(&tables).fetch_all(connection).await?
        }
    };
    Ok(rows.into_iter().map(|(kind, name, create)| IndexDef { kind, name, create }).collect())
}
