//! Announcements by email, against a real SMTP server (aiosmtpd): published with the email flag,
//! one is sent to each employee of its department and to nobody else, from the desk's sender,
//! with its Markdown rendered safely and a link to the portal; a batch that runs again sends
//! nothing twice; a department of more than one batch is emailed in several short jobs, each
//! employee once; a withdrawn announcement's remaining emails are not sent.

use tandem_app::announcements::SendAnnouncementEmails;
use tandem_app::jobs::{Job, JobContext, Registry, Worker, WorkerOptions};
use tandem_app::mail::{Outbound, OutboundSettings};
use tandem_domain::{AnnouncementId, PersonId};

use super::smtp_sink::SmtpSink;
use super::*;

const HANA: &str = "hana@harbor.example";
const PUBLIC_URL: &str = "http://desk.harbor.example";
const SENDER: &str = "news@harbor.example";

async fn desk_sending_to(backend: TestBackend, sink: &SmtpSink) -> TestApp {
    let sender = tandem_app::mail::SmtpSender::new(&sink.account()).expect("an SMTP transport");
    let from = Some(SENDER.to_owned());
    let settings = OutboundSettings { public_url: PUBLIC_URL.to_owned(), acknowledge: false, from };
    TestApp::demo(backend).await.with_outbound(Outbound { sender, settings })
}

async fn send_due(desk: &TestApp) {
    let worker: Worker = desk.app.worker(Registry::standard(), Vec::new(), WorkerOptions::default());
    worker.run_until_idle(now()).await.expect("running the queued jobs");
}

async fn team_id(desk: &TestApp, admin: &str, slug: &str) -> i64 {
    let teams = desk.get("/api/v1/teams", admin).await.json;
    teams.as_array().unwrap().iter().find(|team| team["slug"] == slug).unwrap()["id"].as_i64().unwrap()
}

/// Drafts and publishes an announcement with the email flag as Hana; returns its id.
async fn announce(desk: &TestApp, department: i64, title: &str) -> i64 {
    let hana = desk.token(HANA).await;
    let input = json!({"title": title, "body": "Shifts are in the **Rota** app.\n\n<script>alert(1)</script>",
                       "department_id": department, "email": true});
    let created = desk.post("/api/v1/announcements", &hana, &input).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    let id = created.json["id"].as_i64().unwrap();
    let published = desk.post(&format!("/api/v1/announcements/{id}/publish"), &hana, &json!({})).await;
    assert_eq!(published.status, 200, "{:?}", published.json);
    id
}

test_both!(
    async fn each_employee_of_the_department_is_emailed_once(backend: TestBackend) {
        let sink = SmtpSink::start();
        let desk = desk_sending_to(backend, &sink).await;
        let admin = desk.token(ADMIN).await;
        let stores = team_id(&desk, &admin, "stores").await;
        let id = announce(&desk, stores, "Rota app from Monday").await;
        assert!(sink.delivered().is_empty(), "nothing is sent before the jobs run");
        send_due(&desk).await;
        let delivered = sink.delivered();
        let mut to: Vec<String> = delivered.iter().flat_map(|email| email.envelope_to.clone()).collect();
        to.sort();
        let store_operations =
            ["bea", "kai", "lena", "noor", "omar", "sam"].map(|name| format!("{name}@harbor.example"));
        assert_eq!(to, store_operations, "Store Operations and nobody else");
        let email = delivered.iter().find(|email| email.envelope_to == ["bea@harbor.example"]).unwrap();
        assert_eq!(email.envelope_from, SENDER);
        let parsed = email.parsed();
        assert_eq!(parsed.subject, "Announcement: Rota app from Monday");
        assert!(
            parsed.text.contains("Hello Bea Barista") && parsed.text.contains("Hana HR announces"),
            "{}",
            parsed.text
        );
        assert!(parsed.text.contains(&format!("{PUBLIC_URL}/portal/announcements/{id}")), "{}", parsed.text);
        let html = parsed.html.expect("an HTML part");
        assert!(html.contains("<strong>Rota</strong>") && !html.contains("<script>"), "{html}");
        assert_eq!(email.header("Auto-Submitted").as_deref(), Some("auto-generated"));

        // The first batch again (a lost lease, a second node): its rows are claimed, nothing is queued.
        let mut tx = desk.db.store.begin().await.unwrap();
        let again = SendAnnouncementEmails { announcement: AnnouncementId(id), after: PersonId(0) };
        let context = JobContext { now: now(), attempt: 2, outbound: desk.app.outbound().map(|outbound| &**outbound) };
        again.run(&mut tx, context).await.unwrap();
        tx.commit().await.unwrap();
        send_due(&desk).await;
        assert_eq!(sink.delivered().len(), store_operations.len(), "nobody is emailed twice");
    }
);

test_both!(
    async fn a_large_department_is_emailed_in_batches_each_employee_once(backend: TestBackend) {
        let sink = SmtpSink::start();
        let desk = desk_sending_to(backend, &sink).await;
        let admin = desk.token(ADMIN).await;
        let roastery = json!({"slug": "roastery", "name": "Roastery", "kind": "department", "parent_id": null});
        let roastery = desk.post("/api/v1/teams", &admin, &roastery).await.json["id"].as_i64().unwrap();
        // One more than a batch (200), so a second job must pick up where the first stopped.
        for number in 0..201 {
            let person = json!({"email": format!("roaster{number}@harbor.example"), "name": format!("Roaster {number}"),
                                "kind": "employee", "department_id": roastery});
            assert_eq!(desk.post("/api/v1/people", &admin, &person).await.status, 201);
        }
        let id = announce(&desk, roastery, "Green beans arrive Tuesday").await;
        send_due(&desk).await;
        let delivered = sink.delivered();
        let mut to: Vec<String> = delivered.iter().flat_map(|email| email.envelope_to.clone()).collect();
        to.sort();
        to.dedup();
        assert_eq!(delivered.len(), 201, "one each");
        assert_eq!(to.len(), 201);
        assert!(to.iter().all(|address| address.starts_with("roaster")), "only the roastery");
        let hana = desk.token(HANA).await;
        let shown = desk.get(&format!("/api/v1/announcements/{id}"), &hana).await;
        assert_eq!(shown.json["receipts"], json!({"read": 0, "recipients": 201}));

        // Withdrawn before its emails run: the rest are not sent.
        let late = announce(&desk, roastery, "Cupping session moved").await;
        let withdrawn = desk.post(&format!("/api/v1/announcements/{late}/withdraw"), &hana, &json!({})).await;
        assert_eq!(withdrawn.status, 200);
        send_due(&desk).await;
        assert_eq!(sink.delivered().len(), 201, "nothing for the withdrawn one");
    }
);
