//! The email channel, inbound: mailboxes (admins only), ingesting raw messages (new tickets,
//! threading, exactly once, noise and poison), and the shared corpus of real messages; outbound
//! replies, notifications and announcements against a real SMTP server.

mod announcements;
mod command;
mod corpus;
mod dovecot;
mod imap;
mod ingest;
mod mailboxes;
mod noise;
mod outbound;
pub mod smtp_sink;
mod smtp_tls;
mod surveys;

pub use serde_json::Value;
use tandem_app::mail::Ingested;
use tandem_domain::InboundOutcome;

use super::*;

const ADMIN: &str = "admin@harbor.example";

/// Ingests into a demo mailbox, failing the test on an error (only a dead database is one).
async fn ingest(desk: &TestApp, mailbox: &str, raw: &str) -> Ingested {
    desk.app.ingest_email(mailbox, raw.as_bytes(), now()).await.expect("ingesting a message")
}

fn now() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// A plain message from `from` with the given extra headers.
fn email(from: &str, headers: &str, subject: &str, body: &str) -> String {
    format!("From: {from}\r\nTo: care@harbor.example\r\n{headers}Subject: {subject}\r\n\r\n{body}\r\n")
}

/// The ticket as the admin sees it through the API, with its conversation.
async fn ticket(desk: &TestApp, admin: &str, id: i64) -> Value {
    let found = desk.get(&format!("/api/v1/tickets/{id}"), admin).await;
    assert_eq!(found.status, 200, "{:?}", found.json);
    found.json
}

fn ticket_id(ingested: &Ingested) -> i64 {
    ingested.ticket_id.expect("a ticket").0
}

fn assert_outcome(ingested: &Ingested, outcome: InboundOutcome) {
    assert_eq!(ingested.outcome, outcome, "{ingested:?}");
}
