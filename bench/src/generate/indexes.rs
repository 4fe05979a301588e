//! Secondary indexes of the big tables are dropped before loading and built again afterwards from
//! the definitions the migrations left in the catalog: one sort per index instead of millions of
//! random B-tree inserts, and no copy of the schema in the benchmark that could drift from it.

use super::sink::Sink;

/// The tables that get millions of rows.
const BULK_TABLES: &[&str] = &["tickets", "messages", "ticket_events", "ticket_tags", "ticket_followers"];

/// An index to build again: its name and its `CREATE INDEX` statement.
pub struct IndexDef {
    name: String,
    create: String,
}

/// Drops the secondary indexes of the bulk tables (not the ones behind primary keys or unique
/// constraints) and returns their definitions.
pub async fn drop_secondary(sink: &mut Sink) -> anyhow::Result<Vec<IndexDef>> {
    let definitions = secondary(sink).await?;
    for index in &definitions {
        sink.execute(format!("DROP INDEX \"{}\"", index.name)).await?;
    }
    Ok(definitions)
}

pub async fn create(sink: &mut Sink, definitions: Vec<IndexDef>) -> anyhow::Result<()> {
    for index in definitions {
        sink.execute(index.create).await?;
    }
    Ok(())
}

async fn secondary(sink: &mut Sink) -> anyhow::Result<Vec<IndexDef>> {
    let tables: Vec<String> = BULK_TABLES.iter().map(|table| (*table).to_owned()).collect();
    let rows: Vec<(String, String)> = match sink {
        Sink::Sqlite { connection, .. } => {
            // Indexes SQLite makes itself for keys have no SQL text; every index in a migration has.
            let sql = "SELECT m.name, m.sql FROM sqlite_master m, json_each($1) j \
                       WHERE m.type = 'index' AND m.sql IS NOT NULL AND m.tbl_name = j.value ORDER BY m.name";
            sqlx::query_as(sql).bind(serde_json::to_string(&tables)?).fetch_all(connection).await?
        }
        Sink::Postgres(connection) => {
            let sql = "SELECT indexname::text, indexdef FROM pg_indexes \
                       WHERE schemaname = current_schema() AND tablename = ANY($1) \
                       AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname";
            sqlx::query_as(sql).bind(&tables).fetch_all(connection).await?
        }
    };
    Ok(rows.into_iter().map(|(name, create)| IndexDef { name, create }).collect())
}
