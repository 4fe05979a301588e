//! Email out, against a real SMTP server (aiosmtpd): a customer's email opens a ticket and is
//! acknowledged; Casey's reply reaches them with the headers that thread it; their answer to that
//! email lands on the same ticket; internal notes send nothing; a refused or unreachable address
//! ends as a failed email the agent sees; a send that runs again sends nothing twice; a breach
//! notifies the team's leads by email.

use tandem_app::jobs::{Registry, Worker, WorkerOptions};
use tandem_app::mail::{Outbound, OutboundSettings};
use tandem_domain::Millis;

use super::smtp_sink::{Delivered, SmtpSink};
use super::*;

const CASEY: &str = "casey@harbor.example";
const PUBLIC_URL: &str = "http://desk.harbor.example";

/// The demo desk, sending through `sink`.
async fn desk_sending_to(backend: TestBackend, sink: &SmtpSink) -> TestApp {
    let sender = tandem_app::mail::SmtpSender::new(&sink.account()).expect("an SMTP transport");
    let settings = OutboundSettings { public_url: PUBLIC_URL.to_owned(), acknowledge: true, from: None };
    TestApp::demo(backend).await.with_outbound(Outbound { sender, settings })
}

fn worker(desk: &TestApp) -> Worker {
    desk.app.worker(Registry::standard(), Vec::new(), WorkerOptions::default())
}

/// Runs every job due at `at` (the sends), as the node's worker would.
async fn send_due(desk: &TestApp, at: Millis) {
    worker(desk).run_until_idle(at).await.expect("running the queued jobs");
}

async fn reply(desk: &TestApp, token: &str, id: i64, body: &str, visibility: &str) -> Value {
    let path = format!("/api/v1/tickets/{id}/messages");
    let posted = desk.post(&path, token, &json!({"body": body, "visibility": visibility})).await;
    assert_eq!(posted.status, 201, "{:?}", posted.json);
    posted.json
}

/// The emails shown beside each message of the ticket, as the agent sees them.
async fn message_emails(desk: &TestApp, token: &str, id: i64) -> Vec<Value> {
    let detail = ticket(desk, token, id).await;
    detail["messages"].as_array().unwrap().iter().map(|message| message["emails"].clone()).collect()
}

fn only(delivered: &[Delivered], to: &str) -> Vec<String> {
    delivered
        .iter()
        .filter(|email| email.envelope_to.iter().any(|rcpt| rcpt == to))
        .map(|email| email.header("Subject").unwrap_or_default())
        .collect()
}

test_both!(
    async fn a_reply_goes_out_threaded_and_the_answer_to_it_lands_on_the_same_ticket(backend: TestBackend) {
        let sink = SmtpSink::start();
        let desk = desk_sending_to(backend, &sink).await;
        let casey = desk.token(CASEY).await;
        let first = email(
            "Nora New <nora@example.net>",
            "Message-ID: <first.nora@example.net>\r\n",
            "Grinder stopped",
            "It makes a noise and stops.",
        );
        let created = ingest(&desk, "care", &first).await;
        assert_outcome(&created, InboundOutcome::Created);
        let id = ticket_id(&created);
        assert!(sink.delivered().is_empty(), "nothing is sent before the job runs");
        send_due(&desk, now()).await;

        // The acknowledgement: from the team's mailbox, answering the customer's message, machine-made.
        let delivered = sink.delivered();
        assert_eq!(delivered.len(), 1, "one acknowledgement");
        let ack = &delivered[0];
        assert_eq!(ack.envelope_from, "care@harbor.example");
        assert_eq!(ack.envelope_to, vec!["nora@example.net".to_owned()]);
        let parsed = ack.parsed();
        assert_eq!(parsed.subject, format!("Received: Grinder stopped [#{id}]"));
        assert_eq!(parsed.in_reply_to, vec!["first.nora@example.net".to_owned()]);
        assert_eq!(ack.header("Auto-Submitted").as_deref(), Some("auto-generated"));
        assert!(parsed.text.contains(&format!("number #{id}")), "{}", parsed.text);
        assert!(parsed.text.contains(&format!("{PUBLIC_URL}/portal/requests/{id}")), "{}", parsed.text);

        // Casey answers; an internal note beside it goes nowhere.
        let posted = reply(&desk, &casey, id, "Hello Nora,\n\na new burr is on its way.", "public").await;
        assert_eq!(posted["message"]["emails"][0]["status"], "queued", "{posted:?}");
        assert_eq!(posted["message"]["emails"][0]["to"], "nora@example.net");
        reply(&desk, &casey, id, "Warehouse says the burr ships Monday.", "internal").await;
        send_due(&desk, now()).await;
        let delivered = sink.delivered();
        assert_eq!(delivered.len(), 2, "the reply, and nothing for the internal note");
        let sent = &delivered[1];
        let parsed = sent.parsed();
        assert_eq!(parsed.subject, format!("Re: Grinder stopped [#{id}]"));
        assert_eq!(parsed.from.as_ref().map(|from| from.email.as_str()), Some("care@harbor.example"));
        assert_eq!(sent.header("Reply-To").as_deref().map(|to| to.contains("care@harbor.example")), Some(true));
        assert_eq!(parsed.in_reply_to, vec!["first.nora@example.net".to_owned()], "it answers Nora's email");
        let ack_id = ack.parsed().message_id.unwrap();
        assert_eq!(parsed.references, vec!["first.nora@example.net".to_owned(), ack_id]);
        assert!(parsed.text.contains("a new burr is on its way."));
        assert!(!String::from_utf8_lossy(&sent.raw).contains("ships Monday"), "no internal note in any email");
        assert!(parsed.html.as_deref().is_some_and(|html| html.contains("a new burr is on its way.")));
        assert!(sent.header("Auto-Submitted").is_none(), "a person wrote this one");
        let emails = message_emails(&desk, &casey, id).await;
        assert_eq!(emails[1][0]["status"], "sent");
        assert_eq!(emails[1][0]["attempts"], 1);
        assert!(emails[2].is_null(), "the internal note has no email: {emails:?}");

        // Nora answers that email; her mail program quotes only its Message-ID.
        let reply_id = parsed.message_id.unwrap();
        let answer = email(
            "nora@example.net",
            &format!("Message-ID: <second.nora@example.net>\r\nIn-Reply-To: <{reply_id}>\r\n"),
            "Re: Grinder stopped",
            "Thanks, got it!\r\n\r\nOn Monday Customer Care wrote:\r\n> a new burr is on its way.",
        );
        let threaded = ingest(&desk, "care", &answer).await;
        assert_outcome(&threaded, InboundOutcome::Threaded);
        assert_eq!(ticket_id(&threaded), id, "the answer lands on the same ticket");
        let customer_view = desk.get(&format!("/api/v1/tickets/{id}"), &desk.token("nora@example.net").await).await;
        assert!(
            customer_view.json["messages"].as_array().unwrap().iter().all(|message| message.get("emails").is_none()),
            "customers never see delivery details: {:?}",
            customer_view.json
        );
    }
);

test_both!(
    async fn a_portal_request_is_acknowledged_and_answers_thread_by_our_message_id(backend: TestBackend) {
        let sink = SmtpSink::start();
        let desk = desk_sending_to(backend, &sink).await;
        let erin = desk.token("erin@example.com").await;
        let casey = desk.token(CASEY).await;
        let body = json!({"subject": "Wrong beans", "body": "I got decaf.", "service": "order-problem",
            "fields": {"order_number": "HB-9"}});
        let created = desk.post("/api/v1/tickets", &erin, &body).await;
        assert_eq!(created.status, 201, "{:?}", created.json);
        let id = created.json["ticket"]["id"].as_i64().unwrap();
        reply(&desk, &casey, id, "Sorry Erin, the right beans ship today.", "public").await;
        send_due(&desk, now()).await;
        let delivered = sink.delivered();
        assert_eq!(only(&delivered, "erin@example.com").len(), 2, "acknowledgement and reply");
        let sent = delivered.last().unwrap().parsed();
        assert_eq!(sent.in_reply_to.len(), 1, "it answers the acknowledgement, the only email so far");
        let answer = email(
            "erin@example.com",
            &format!("In-Reply-To: <{}>\r\n", sent.message_id.unwrap()),
            "Re: something else entirely",
            "Great, thank you.",
        );
        let threaded = ingest(&desk, "care", &answer).await;
        assert_outcome(&threaded, InboundOutcome::Threaded);
        assert_eq!(ticket_id(&threaded), id);
    }
);

test_both!(
    async fn refused_and_unreachable_addresses_end_as_failed_emails_the_agent_sees(backend: TestBackend) {
        let sink = SmtpSink::start();
        let desk = desk_sending_to(backend, &sink).await;
        let casey = desk.token(CASEY).await;
        let refused = ticket_id(&ingest(&desk, "care", &email("ann@reject.example", "", "Hi", "Help.")).await);
        let busy = ticket_id(&ingest(&desk, "care", &email("bob@later.example", "", "Hi", "Help.")).await);
        reply(&desk, &casey, refused, "Answer one.", "public").await;
        reply(&desk, &casey, busy, "Answer two.", "public").await;
        let t0 = now();
        let worker = worker(&desk);
        worker.run_until_idle(t0).await.unwrap();
        assert!(sink.delivered().is_empty());

        // 550: permanent, failed at once. 451: retried with backoff.
        let emails = message_emails(&desk, &casey, refused).await;
        assert_eq!(emails[1][0]["status"], "failed", "{emails:?}");
        assert!(emails[1][0]["error"].as_str().unwrap().contains("550"), "{emails:?}");
        let emails = message_emails(&desk, &casey, busy).await;
        assert_eq!(emails[1][0]["status"], "queued", "{emails:?}");
        // The agent's ticket page says it beside the reply.
        let page =
            super::super::pages::Browser::with_token(&desk, &casey).page(&format!("/agent/tickets/{refused}")).await;
        assert!(page.contains("<p class=\"email failed\">Email to ann@reject.example failed: SMTP"), "{page}");
        let page =
            super::super::pages::Browser::with_token(&desk, &casey).page(&format!("/agent/tickets/{busy}")).await;
        assert!(page.contains("Sending to bob@later.example: attempt 1 failed (SMTP"), "{page}");
        assert_eq!(emails[1][0]["attempts"], 1, "{emails:?}");
        assert!(emails[1][0]["error"].as_str().unwrap().contains("451"), "{emails:?}");

        // Each attempt doubles the wait; after the eighth the email is failed, the job finished.
        let mut at = t0;
        for _ in 0..12 {
            at += 3_600_000;
            worker.run_until_idle(at).await.unwrap();
        }
        let emails = message_emails(&desk, &casey, busy).await;
        assert_eq!(emails[1][0]["status"], "failed", "{emails:?}");
        assert_eq!(emails[1][0]["attempts"], 8);
        assert!(emails[1][0]["error"].as_str().unwrap().contains("451"), "{emails:?}");
        let admin = desk.token(ADMIN).await;
        let parked = desk.get("/api/v1/jobs/parked", &admin).await;
        assert_eq!(parked.status, 200, "{:?}", parked.json);
        assert_eq!(parked.json["items"].as_array().map(Vec::len), Some(0), "a failed email is not a parked job");
        assert!(sink.delivered().is_empty());
    }
);

test_both!(
    async fn a_send_run_again_sends_nothing_twice(backend: TestBackend) {
        let sink = SmtpSink::start();
        let desk = desk_sending_to(backend, &sink).await;
        let casey = desk.token(CASEY).await;
        let id = ticket_id(&ingest(&desk, "care", &email("nora@example.net", "", "Hi", "Help.")).await);
        reply(&desk, &casey, id, "On it.", "public").await;
        // A fresh worker stands for a node started after the one that committed the reply died.
        send_due(&desk, now()).await;
        assert_eq!(sink.delivered().len(), 2, "acknowledgement and reply, sent once each");
        // The same send queued again (a lease lost after the server took it) finds it sent.
        let email_ids: Vec<i64> = {
            const SQL: &str = "SELECT id FROM outbound_emails ORDER BY id";
            let mut reader = desk.db.store.read().await.unwrap();
            tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar(SQL).fetch_all(&mut *c).await).unwrap()
        };
        let mut tx = desk.db.store.begin().await.unwrap();
        for email in email_ids {
            let send = tandem_app::mail::SendEmail { email: tandem_domain::OutboundEmailId(email) };
            tandem_app::jobs::enqueue_effect(tx.conn(), &send, now()).await.unwrap();
        }
        tx.commit().await.unwrap();
        send_due(&desk, now()).await;
        assert_eq!(sink.delivered().len(), 2, "nothing is sent twice");
    }
);

test_both!(
    async fn no_smtp_queues_nothing_and_undeliverable_addresses_are_not_tried(backend: TestBackend) {
        // No SMTP server: replies stay in Tandem.
        let quiet = TestApp::demo(backend).await;
        let casey = quiet.token(CASEY).await;
        let id = ticket_id(&ingest(&quiet, "care", &email("nora@example.net", "", "Hi", "Help.")).await);
        let posted = reply(&quiet, &casey, id, "On it.", "public").await;
        assert!(posted["message"].get("emails").is_none(), "{posted:?}");

        // An address a bounce marked undeliverable gets a failed email with the reason, no send.
        let sink = SmtpSink::start();
        let desk = desk_sending_to(backend, &sink).await;
        let casey = desk.token(CASEY).await;
        let id = ticket_id(&ingest(&desk, "care", &email("gone@example.org", "", "Hi", "Help.")).await);
        let bounce = "From: MAILER-DAEMON@mx.example.org\r\nTo: care@harbor.example\r\nSubject: Undelivered Mail Returned to Sender\r\n\
            Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n\
            Your message could not be delivered.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n\
            Final-Recipient: rfc822; gone@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\r\n--b--\r\n";
        assert_outcome(&ingest(&desk, "care", bounce).await, InboundOutcome::Ignored);
        let posted = reply(&desk, &casey, id, "On it.", "public").await;
        let email = &posted["message"]["emails"][0];
        assert_eq!(email["status"], "failed", "{posted:?}");
        assert!(email["error"].as_str().unwrap().contains("undeliverable"), "{posted:?}");
        send_due(&desk, now()).await;
        assert_eq!(
            only(&sink.delivered(), "gone@example.org").len(),
            1,
            "only the acknowledgement, sent before the bounce"
        );
        let page = super::super::pages::Browser::with_token(&desk, &casey).page(&format!("/agent/tickets/{id}")).await;
        assert!(page.contains("Undeliverable: mail to this address bounced"), "{page}");
    }
);

test_both!(
    async fn a_breach_that_notifies_emails_the_assignee_and_team_leads_once(backend: TestBackend) {
        let sink = SmtpSink::start();
        let desk = desk_sending_to(backend, &sink).await;
        let admin = desk.token(ADMIN).await;
        let erin = desk.principal("erin@example.com").await;
        let calendar = desk.post("/api/v1/calendars", &admin, &super::super::standards::always_open()).await;
        let body = json!({"name": "Notifying promise", "position": -1, "calendar_id": calendar.json["id"],
            "first_response_minutes": 60, "escalations": {"first_response": {"notify": true}}});
        let created = desk.post("/api/v1/standards", &admin, &body).await;
        assert_eq!(created.status, 201, "{:?}", created.json);
        let t0 = now() + 24 * 3_600_000;
        let new = serde_json::from_value(json!({"subject": "Beans", "body": "Wrong beans.",
            "service": "order-problem", "fields": {"order_number": "HB-7"}}))
        .unwrap();
        let id = desk.app.create_ticket(&erin, new, None, t0).await.unwrap().ticket.id;
        let worker = desk.app.worker(
            Registry::standard(),
            vec![tandem_app::standards::ScanStandards::schedule()],
            WorkerOptions::default(),
        );
        for at in [t0 + 61 * 60_000, t0 + 62 * 60_000] {
            worker.tick(at).await.unwrap();
            worker.run_until_idle(at).await.unwrap();
        }
        let headline = format!("First response target breached: Beans (ticket {})", id.0);
        let delivered = sink.delivered();
        let mut recipients: Vec<String> = delivered
            .iter()
            .filter(|email| email.header("Subject").as_deref() == Some(headline.as_str()))
            .flat_map(|email| email.envelope_to.clone())
            .collect();
        recipients.sort();
        // The people the trail says were notified, by their addresses.
        let trail = desk.get(&format!("/api/v1/tickets/{}/events", id.0), &admin).await;
        let event = trail.json["items"].as_array().unwrap().iter().find(|event| event["kind"] == "notified").cloned();
        let mut expected = Vec::new();
        for person in event.expect("a notified event")["data"]["person_ids"].as_array().unwrap() {
            let found = desk.get(&format!("/api/v1/people/{person}"), &admin).await;
            expected.push(found.json["email"].as_str().unwrap().to_owned());
        }
        expected.sort();
        assert!(!expected.is_empty());
        assert_eq!(recipients, expected, "each notified person got one email, and nobody else");
        let sent =
            delivered.iter().find(|email| email.header("Subject").as_deref() == Some(headline.as_str())).unwrap();
        assert_eq!(sent.header("Auto-Submitted").as_deref(), Some("auto-generated"));
        assert!(sent.parsed().text.contains(&format!("{PUBLIC_URL}/agent/tickets/{}", id.0)));
        assert!(sent.header("In-Reply-To").is_none() && sent.header("References").is_none(), "not in the thread");
        // A lead answering the notification never writes on the ticket, where the customer would see it.
        let lead = sent.envelope_to[0].clone();
        let answer = email(
            &lead,
            &format!("In-Reply-To: <{}>\r\n", sent.parsed().message_id.unwrap()),
            &format!("Re: {headline}"),
            "On it.",
        );
        let ingested = ingest(&desk, "care", &answer).await;
        assert_ne!(ingested.ticket_id, Some(id), "{ingested:?}");
    }
);
