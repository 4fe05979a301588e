//! The two migration sets describe one schema: a fresh SQLite database and a fresh PostgreSQL schema
//! have the same tables, columns (type family and nullability), indexes (name, columns, uniqueness),
//! primary keys, unique constraints and foreign keys. A difference fails with a readable diff.

use std::collections::BTreeSet;

use sqlx::{Connection, PgConnection, Row, SqliteConnection};
use tandem_testkit::TestDb;

use super::*;

/// One fact about the schema, as a line that reads the same for both backends.
type Facts = BTreeSet<String>;

/// The type family of a declared SQLite type or a PostgreSQL `data_type`.
fn family(declared: &str) -> String {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer".to_owned(),
        "text" => "text".to_owned(),
        "boolean" => "boolean".to_owned(),
        "blob" | "bytea" => "bytes".to_owned(),
        other => format!("unknown type {other}"),
    }
}

fn column(table: &str, name: &str, declared: &str, nullable: bool) -> String {
    format!("column {table}.{name} {} {}", family(declared), if nullable { "null" } else { "not null" })
}

async fn sqlite_facts(db: &TestDb) -> Facts {
    let mut conn = SqliteConnection::connect(&db.url).await.expect("opening the SQLite test database");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut facts = Facts::new();
    for table in &tables {
        facts.insert(format!("table {table}"));
        let columns = sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid")
            .bind(table)
            .fetch_all(&mut conn)
            .await
            .unwrap();
        let pk_columns: Vec<(i64, String)> = {
            let mut pk: Vec<(i64, String)> = columns
                .iter()
                .filter(|row| row.get::<i64, _>("pk") > 0)
                .map(|row| (row.get("pk"), row.get("name")))
                .collect();
            pk.sort();
            pk
        };
        for row in &columns {
            let (name, declared): (String, String) = (row.get("name"), row.get("type"));
            // The one column SQLite never lets be NULL without saying so: an INTEGER PRIMARY KEY (the rowid).
            let rowid =
                pk_columns.len() == 1 && row.get::<i64, _>("pk") == 1 && declared.eq_ignore_ascii_case("integer");
            let nullable = row.get::<i64, _>("notnull") == 0 && !rowid;
            facts.insert(column(table, &name, &declared, nullable));
        }
        let pk: Vec<String> = pk_columns.into_iter().map(|(_, name)| name).collect();
        facts.insert(format!("primary key {table} ({})", pk.join(", ")));

        let indexes = sqlx::query("SELECT name, \"unique\", origin FROM pragma_index_list($1)")
            .bind(table)
            .fetch_all(&mut conn)
            .await
            .unwrap();
        for index in indexes {
            let (name, unique, origin): (String, i64, String) = (index.get(0), index.get(1), index.get(2));
            let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                .bind(&name)
                .fetch_all(&mut conn)
                .await
                .unwrap();
            match origin.as_str() {
                "c" => facts.insert(index_fact(table, &name, &columns, unique == 1)),
                "u" => facts.insert(format!("unique {table} ({})", columns.join(", "))),
                _ => false, // "pk": already described by the primary key
            };
        }
        let keys = sqlx::query("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list($1)")
            .bind(table)
            .fetch_all(&mut conn)
            .await
            .unwrap();
        for key in keys {
            let (target, from, to): (String, String, String) = (key.get(0), key.get(1), key.get(2));
            facts.insert(format!("foreign key {table}.{from} -> {target}.{to}"));
        }
    }
    facts
}

/// Takes out the facts about full-text search structures, which are named `*_search` (or
/// `*_search_*`, FTS5's shadow tables) on both backends.
fn take_full_text(facts: &mut Facts) -> Facts {
    let is_search = |fact: &String| {
        fact.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word.ends_with("_search") || word.contains("_search_"))
    };
    let taken: Facts = facts.iter().filter(|fact| is_search(fact)).cloned().collect();
    facts.retain(|fact| !is_search(fact));
    taken
}

fn index_fact(table: &str, name: &str, columns: &[String], unique: bool) -> String {
    format!("index {name} on {table} ({}){}", columns.join(", "), if unique { " unique" } else { "" })
}

async fn postgres_facts(db: &TestDb) -> Facts {
    let schema = db.schema.clone().expect("a PostgreSQL test database has a schema");
    let mut conn = PgConnection::connect(&db.url).await.expect("connecting to PostgreSQL");
    let mut facts = Facts::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'",
    )
    .bind(&schema)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    facts.extend(tables.iter().map(|table| format!("table {table}")));
    let columns = sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '_sqlx_migrations'",
    )
    .bind(&schema)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for row in columns {
        let (table, name, declared, nullable): (String, String, String, String) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        facts.insert(column(&table, &name, &declared, nullable == "YES"));
    }
    let indexes = sqlx::query(
        "SELECT t.relname::text, i.relname::text, ix.indisunique, ix.indisprimary, \
           COALESCE((SELECT c.contype::text FROM pg_constraint c WHERE c.conindid = ix.indexrelid \
                     AND c.conrelid = t.oid LIMIT 1), ''), \
           ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, position) \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.position) \
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = $1 AND t.relname <> '_sqlx_migrations'",
    )
    .bind(&schema)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for row in indexes {
        let (table, name, unique, primary, constraint, columns): (String, String, bool, bool, String, Vec<String>) =
            (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5));
        let fact = match (primary, constraint.as_str()) {
            (true, _) => format!("primary key {table} ({})", columns.join(", ")),
            (false, "u") => format!("unique {table} ({})", columns.join(", ")),
            _ => index_fact(&table, &name, &columns, unique),
        };
        facts.insert(fact);
    }
    let keys = sqlx::query(
        "SELECT t.relname::text, a.attname::text, rt.relname::text, ra.attname::text \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         JOIN pg_class rt ON rt.oid = c.confrelid \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1] \
         WHERE c.contype = 'f' AND n.nspname = $1",
    )
    .bind(&schema)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    for key in keys {
        let (table, from, target, to): (String, String, String, String) =
            (key.get(0), key.get(1), key.get(2), key.get(3));
        facts.insert(format!("foreign key {table}.{from} -> {target}.{to}"));
    }
    facts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_migrate_to_the_same_schema() {
    let sqlite = TestDb::new(TestBackend::Sqlite).await;
    let postgres = TestDb::new(TestBackend::Postgres).await;
    let (mut lite, mut pg) = (sqlite_facts(&sqlite).await, postgres_facts(&postgres).await);

    // Full-text search is each engine's own (FTS5 tables, tsvector columns): compared apart.
    let lite_search = take_full_text(&mut lite);
    let pg_search = take_full_text(&mut pg);
    for engine_object in ["table ticket_search", "table message_search", "table article_search"] {
        assert!(lite_search.contains(engine_object), "SQLite lacks {engine_object}: {lite_search:#?}");
    }
    for engine_object in [
        "index tickets_subject_search on tickets (subject_search)",
        "index messages_body_search on messages (body_search)",
        "index articles_content_search on articles (content_search)",
    ] {
        assert!(pg_search.contains(engine_object), "PostgreSQL lacks {engine_object}: {pg_search:#?}");
    }

    let only_sqlite: Vec<&String> = lite.difference(&pg).collect();
    let only_postgres: Vec<&String> = pg.difference(&lite).collect();
    let mut diff = String::new();
    for fact in &only_sqlite {
        diff.push_str(&format!("\n  only in SQLite:     {fact}"));
    }
    for fact in &only_postgres {
        diff.push_str(&format!("\n  only in PostgreSQL: {fact}"));
    }
    assert!(diff.is_empty(), "the migrations describe different schemas:{diff}");

    // The comparison saw the whole schema, not two empty sets.
    let count = |prefix: &str| lite.iter().filter(|fact| fact.starts_with(prefix)).count();
    assert_eq!(count("table "), 56, "{lite:#?}");
    assert!(count("column ") > 120, "{}", count("column "));
    assert!(count("index ") >= 29, "{}", count("index "));
    assert_eq!(count("unique "), 20, "{lite:#?}");
    assert_eq!(count("primary key "), 56);
    assert!(count("foreign key ") >= 25, "{}", count("foreign key "));
    assert!(lite.contains("index tickets_team_status on tickets (team_id, status, updated_at, id)"), "{lite:#?}");
    assert!(lite.contains("unique people (email)"));
    assert!(lite.contains("column tickets.recipient_id integer null"));
    assert!(lite.contains("column tickets.id integer not null"));
    assert!(lite.contains("primary key idempotency_keys (person_id, idem_key)"));
    assert!(lite.contains("primary key article_versions (article_id, number)"));
}
