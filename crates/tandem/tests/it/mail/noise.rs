//! What is not a conversation never opens a ticket: auto-replies, bounces (which mark the address
//! undeliverable) and list traffic are ignored; a poison message is quarantined with its reason
//! and the next message flows. And what is kept: sanitized HTML, attachments by name, trimmed
//! display text beside the whole original, oversized messages flagged instead of dropped.

use tandem_store::inbound;

use super::*;

async fn tickets_count(desk: &TestApp, admin: &str) -> usize {
    let page = desk.get("/api/v1/tickets?limit=100", admin).await;
    page.json["items"].as_array().unwrap().len()
}

test_both!(
    async fn auto_replies_bounces_and_lists_open_nothing(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let before = tickets_count(&desk, &admin).await;
        let noise = [
            ("Auto-Submitted: auto-replied\r\n", "Away", "auto_reply"),
            ("X-Auto-Response-Suppress: All\r\n", "Automatic reply: Grinder", "auto_reply"),
            ("List-Id: <baristas.lists.example>\r\n", "Weekly digest", "mailing_list"),
            ("Precedence: bulk\r\n", "Offers", "mailing_list"),
        ];
        for (headers, subject, reason) in noise {
            let ignored = ingest(&desk, "care", &email("nora@example.net", headers, subject, "...")).await;
            assert_eq!(
                (ignored.outcome, ignored.reason.as_deref(), ignored.ticket_id),
                (InboundOutcome::Ignored, Some(reason), None)
            );
        }
        let bounce = "From: MAILER-DAEMON@mx.example\r\nTo: care@harbor.example\r\nSubject: Undelivered Mail\r\n\
            Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\n\
            Content-Type: text/plain\r\n\r\nSorry.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n\
            Reporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; erin@example.com\r\nAction: failed\r\n\
            Status: 5.1.1\r\n--b--\r\n";
        let bounced = ingest(&desk, "care", bounce).await;
        assert_eq!((bounced.outcome, bounced.reason.as_deref()), (InboundOutcome::Ignored, Some("bounce")));
        assert_eq!(tickets_count(&desk, &admin).await, before);
        let mut reader = desk.db.store.read().await.unwrap();
        assert!(inbound::undeliverable(reader.conn(), "erin@example.com").await.unwrap().is_some());
        assert!(inbound::undeliverable(reader.conn(), "olga@bayside.example").await.unwrap().is_none());
        drop(reader);
        // Staff see it on the person.
        let people = desk.get("/api/v1/people?q=erin", &admin).await.json;
        let erin = people["items"].as_array().unwrap().iter().find(|person| person["email"] == "erin@example.com");
        let erin = erin.expect("Erin in the directory");
        assert!(erin["undeliverable"]["reason"].as_str().is_some_and(|reason| !reason.is_empty()), "{erin}");
        let olga = desk.get("/api/v1/people?q=olga", &admin).await.json;
        assert!(olga["items"][0].get("undeliverable").is_none(), "{olga}");
    }
);

test_both!(
    async fn a_poison_message_is_quarantined_for_admins_and_the_rest_flow(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let no_sender = ingest(&desk, "care", "Subject: who am I\r\n\r\nbody\r\n").await;
        assert_eq!(
            (no_sender.outcome, no_sender.reason.as_deref()),
            (InboundOutcome::Quarantined, Some("the message has no sender address"))
        );
        let garbage = desk.app.ingest_email("care", b"\x00\x01\x02", now()).await.unwrap();
        assert_outcome(&garbage, InboundOutcome::Quarantined);
        let next = ingest(&desk, "care", &email("nora@example.net", "", "After the poison", "Fine.")).await;
        assert_outcome(&next, InboundOutcome::Created);
        let quarantined = desk.get("/api/v1/inbound-messages?outcome=quarantined", &admin).await;
        assert_eq!(quarantined.status, 200, "{:?}", quarantined.json);
        let reasons: Vec<&str> =
            quarantined.json["items"].as_array().unwrap().iter().map(|item| item["reason"].as_str().unwrap()).collect();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(reasons.contains(&"the message has no sender address"), "{reasons:?}");
        let unknown = desk.app.ingest_email("nope", b"From: a@b.example\r\n\r\nx", now()).await;
        assert!(matches!(unknown, Err(tandem_app::AppError::NotFound("mailbox"))), "{unknown:?}");
    }
);

const MULTIPART: &str = "From: Nora <nora@example.net>\r\nTo: care@harbor.example\r\nSubject: Receipt\r\n\
    Message-ID: <m1@example.net>\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\n\
    Content-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\n\
    Here is the receipt.\r\n\r\n-- \r\nNora\r\n--inner\r\nContent-Type: text/html\r\n\r\n\
    <p>Here is the <b>receipt</b>.</p><script>steal()</script><img src=x onerror=alert(1)>\r\n--inner--\r\n\
    --outer\r\nContent-Type: application/pdf; name=\"receipt.pdf\"\r\n\
    Content-Disposition: attachment; filename=\"receipt.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
    JVBERi0xLjQK\r\n--outer--\r\n";

test_both!(
    async fn bodies_are_trimmed_html_sanitized_files_kept_by_name(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let created = ingest(&desk, "care", MULTIPART).await;
        let detail = ticket(&desk, &admin, ticket_id(&created)).await;
        let message = &detail["messages"][0];
        assert_eq!(message["body"], "Here is the receipt.", "the signature is trimmed for display");
        assert_eq!(message["attachments"][0]["filename"], "receipt.pdf");
        assert_eq!(message["attachments"][0]["content_type"], "application/pdf");
        let file = desk.get(&format!("/api/v1/attachments/{}", message["attachments"][0]["id"]), &admin).await;
        assert_eq!(file.body, b"%PDF-1.4\n");
        let mut reader = desk.db.store.read().await.unwrap();
        let rows = inbound::list(reader.conn(), None, None, 10).await.unwrap();
        let raw = inbound::raw(reader.conn(), rows[0].id).await.unwrap().unwrap();
        assert_eq!(raw, MULTIPART.as_bytes(), "the original is kept byte for byte");
        let html: Option<String> = stored_html(&desk, rows[0].id.0).await;
        let html = html.unwrap();
        assert!(html.contains("<b>receipt</b>") && !html.contains("script") && !html.contains("onerror"), "{html}");
    }
);

async fn stored_html(desk: &TestApp, id: i64) -> Option<String> {
    let mut reader = desk.db.store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar("SELECT html FROM inbound_messages WHERE id = $1").bind(id).fetch_one(&mut *c).await).unwrap()
}

test_both!(
    async fn oversized_messages_are_kept_and_flagged(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let max_chars = desk.app.limits().max_body_chars;
        let long_body = "word ".repeat(max_chars / 5 + 100);
        let large = ingest(&desk, "care", &email("nora@example.net", "", "Long", &long_body)).await;
        assert_outcome(&large, InboundOutcome::Created);
        let detail = ticket(&desk, &admin, ticket_id(&large)).await;
        assert_eq!(detail["messages"][0]["body"].as_str().unwrap().chars().count(), max_chars);
        assert_eq!(detail["ticket"]["tags"], json!(["email-oversized"]));
        let big_file = "A".repeat(desk.app.limits().max_upload_bytes * 2);
        let with_file = MULTIPART.replace("JVBERi0xLjQK", &big_file).replace("<m1@example.net>", "<m2@example.net>");
        let kept = ingest(&desk, "care", &with_file).await;
        let detail = ticket(&desk, &admin, ticket_id(&kept)).await;
        assert_eq!(detail["messages"][0]["attachments"].as_array().unwrap().len(), 0);
        assert_eq!(detail["ticket"]["tags"], json!(["email-oversized"]));
        let listed = desk.get("/api/v1/inbound-messages", &admin).await;
        let flags: Vec<bool> =
            listed.json["items"].as_array().unwrap().iter().map(|item| item["oversized"].as_bool().unwrap()).collect();
        assert_eq!(flags, [true, true]);
    }
);
