//! `tandem mail ingest` as an MTA runs it: the real binary, a message on standard input, the
//! outcome as JSON on standard output, and exit statuses an MTA acts on (0 stored, 1 no such
//! mailbox, 75 try again later).

use std::process::{Output, Stdio};

use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use super::*;

const BINARY: &str = env!("CARGO_BIN_EXE_tandem");

/// The database URL the binary can use to reach the test's database.
fn url_of(desk: &TestApp) -> String {
    match &desk.db.schema {
        Some(schema) => format!("{}?options[search_path]={schema}", desk.db.url),
        None => desk.db.url.clone(),
    }
}

async fn run_ingest(database_url: &str, mailbox: &str, raw: &str) -> Output {
    let mut child = Command::new(BINARY)
        .args(["mail", "ingest", "--mailbox", mailbox, "--database-url", database_url])
        .env_remove("TANDEM_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting tandem mail ingest");
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin.write_all(raw.as_bytes()).await.expect("writing the message");
    drop(stdin);
    child.wait_with_output().await.expect("tandem mail ingest finished")
}

test_both!(
    async fn an_mta_pipes_a_message_into_a_mailbox(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let url = url_of(&desk);
        let message = email("nora@example.net", "Message-ID: <piped@example.net>\r\n", "Piped", "By the MTA.");
        let first = run_ingest(&url, "care", &message).await;
        assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
        let outcome: Value = serde_json::from_slice(&first.stdout).expect("the outcome as JSON");
        assert_eq!((outcome["outcome"].as_str(), outcome["repeated"].as_bool()), (Some("created"), Some(false)));
        let admin = desk.token(ADMIN).await;
        let created = ticket(&desk, &admin, outcome["ticket_id"].as_i64().unwrap()).await;
        assert_eq!(created["messages"][0]["body"], "By the MTA.");
        let again = run_ingest(&url, "care", &message).await;
        let repeated: Value = serde_json::from_slice(&again.stdout).expect("the outcome as JSON");
        assert_eq!((repeated["repeated"].as_bool(), &repeated["ticket_id"]), (Some(true), &outcome["ticket_id"]));
        let unknown = run_ingest(&url, "nope", &message).await;
        assert_eq!(unknown.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("no such mailbox"), "{unknown:?}");
        // No database: nothing stored, so the MTA must keep the message and retry (EX_TEMPFAIL).
        let unreachable = run_ingest("sqlite:///proc/no-such-dir/tandem.db", "care", &message).await;
        assert_eq!(unreachable.status.code(), Some(75), "{}", String::from_utf8_lossy(&unreachable.stderr));
    }
);
