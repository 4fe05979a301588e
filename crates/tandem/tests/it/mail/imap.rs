//! IMAP fetching against a real Dovecot: messages are ingested and acknowledged (keyword) only
//! once stored, so a round after a failure or a crash takes what was left and nothing twice;
//! TLS checks the server's certificate.

use tandem_app::mail::{FetchError, ImapSecurity};

use super::dovecot::Dovecot;
use super::*;

fn numbered(n: u32, headers: &str) -> String {
    email(
        &format!("nora{n}@example.net"),
        &format!("Message-ID: <imap-{n}@example.net>\r\n{headers}"),
        &format!("Order {n}"),
        "Late.",
    )
}

test_both!(
    async fn fetched_messages_are_acknowledged_only_once_stored(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let dovecot = Dovecot::start();
        dovecot.add_message("1", numbered(1, "").as_bytes());
        dovecot.add_message("2", numbered(2, "In-Reply-To: <imap-1@example.net>\r\n").as_bytes());
        dovecot.add_message("3", numbered(3, "Auto-Submitted: auto-replied\r\n").as_bytes());
        // Storing fails (no such Tandem mailbox): nothing may be acknowledged.
        let broken = dovecot.account("nope", ImapSecurity::Plain, false);
        let failed = desk.app.fetch_imap(&broken, now).await;
        assert!(matches!(failed, Err(FetchError::Store(_))), "{failed:?}");
        let account = dovecot.account("care", ImapSecurity::Plain, false);
        let round = desk.app.fetch_imap(&account, now).await.expect("a round");
        assert_eq!((round.taken, round.new), (3, 3));
        let admin = desk.token(ADMIN).await;
        let listed = desk.get("/api/v1/inbound-messages", &admin).await;
        let outcomes: Vec<&str> =
            listed.json["items"].as_array().unwrap().iter().map(|item| item["outcome"].as_str().unwrap()).collect();
        assert_eq!(outcomes, ["ignored", "threaded", "created"]);
        let again = desk.app.fetch_imap(&account, now).await.expect("a second round");
        assert_eq!((again.taken, again.new), (0, 0), "everything was acknowledged");
        // A crash after storing but before acknowledging: the message is still unmarked on the
        // server; the next round takes it, ingestion knows it, and it is acknowledged at last.
        let stored_not_acked = numbered(4, "");
        ingest(&desk, "care", &stored_not_acked).await;
        dovecot.add_message("4", stored_not_acked.as_bytes());
        let recovered = desk.app.fetch_imap(&account, now).await.expect("a round after the crash");
        assert_eq!((recovered.taken, recovered.new), (1, 0));
        assert_eq!(desk.get("/api/v1/inbound-messages", &admin).await.json["items"].as_array().unwrap().len(), 4);
        assert_eq!(desk.app.fetch_imap(&account, now).await.unwrap().taken, 0);
    }
);

test_both!(
    async fn tls_fetching_checks_the_servers_certificate(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let dovecot = Dovecot::start();
        dovecot.add_message("1", numbered(1, "").as_bytes());
        // A self-signed server is refused against the public roots, and nothing is taken.
        let untrusted = dovecot.account("care", ImapSecurity::Tls, false);
        let refused = desk.app.fetch_imap(&untrusted, now).await;
        assert!(matches!(&refused, Err(FetchError::Server(message)) if message.contains("TLS")), "{refused:?}");
        let trusted = dovecot.account("care", ImapSecurity::Tls, true);
        let round = desk.app.fetch_imap(&trusted, now).await.expect("a TLS round");
        assert_eq!((round.taken, round.new), (1, 1));
        let admin = desk.token(ADMIN).await;
        let listed = desk.get("/api/v1/inbound-messages", &admin).await;
        assert_eq!(listed.json["items"][0]["outcome"], "created");
    }
);
