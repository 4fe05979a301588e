//! Survey emails against a real SMTP server (aiosmtpd): a solved request's rating request reaches
//! its requester, and the link in it, followed as a browser would, records the rating on the
//! request page; an NPS round reaches each external customer once, and the link in the email
//! answers it.

use tandem_app::jobs::{Registry, WorkerOptions};
use tandem_app::mail::{Outbound, OutboundSettings};
use tandem_domain::Millis;

use super::smtp_sink::{Delivered, SmtpSink};
use super::*;
use crate::pages::{Browser, text};
use crate::surveys::tokens_in;

const PUBLIC_URL: &str = "http://desk.harbor.example";

async fn desk_sending_to(backend: TestBackend, sink: &SmtpSink) -> TestApp {
    let sender = tandem_app::mail::SmtpSender::new(&sink.account()).expect("an SMTP transport");
    let from = Some("desk@harbor.example".to_owned());
    let settings = OutboundSettings { public_url: PUBLIC_URL.to_owned(), acknowledge: false, from };
    TestApp::demo(backend).await.with_outbound(Outbound { sender, settings })
}

async fn send_due(desk: &TestApp, at: Millis) {
    let worker = desk.app.worker(Registry::standard(), Vec::new(), WorkerOptions::default());
    worker.run_until_idle(at).await.expect("running the queued jobs");
}

fn to<'a>(delivered: &'a [Delivered], address: &str) -> Vec<&'a Delivered> {
    delivered.iter().filter(|email| email.envelope_to.iter().any(|rcpt| rcpt == address)).collect()
}

test_both!(
    async fn the_rating_link_in_the_email_records_the_rating_without_signing_in(backend: TestBackend) {
        let sink = SmtpSink::start();
        let desk = desk_sending_to(backend, &sink).await;
        let (erin, casey) = (desk.token("erin@example.com").await, desk.token("casey@harbor.example").await);
        let body = json!({"subject": "Beans arrived stale", "body": "The roast date is two months ago.",
            "service": "order-problem", "fields": {"order_number": "HB-8001"}});
        let id = desk.post("/api/v1/tickets", &erin, &body).await.json["ticket"]["id"].as_i64().unwrap();
        let solved = desk
            .post(
                &format!("/api/v1/tickets/{id}/messages"),
                &casey,
                &json!({"body": "Fresh beans are on their way.", "status": "solved"}),
            )
            .await;
        assert_eq!(solved.status, 201, "{:?}", solved.json);
        send_due(&desk, now()).await;

        let delivered = sink.delivered();
        let asked: Vec<&Delivered> = to(&delivered, "erin@example.com")
            .into_iter()
            .filter(|email| email.parsed().subject.starts_with("How did we do?"))
            .collect();
        assert_eq!(asked.len(), 1, "one rating request");
        let parsed = asked[0].parsed();
        assert_eq!(parsed.subject, format!("How did we do? Beans arrived stale (request {id})"));
        assert_eq!(asked[0].envelope_from, "care@harbor.example", "from the team's mailbox");
        assert_eq!(asked[0].header("Auto-Submitted").as_deref(), Some("auto-generated"));
        for stars in 1..=5 {
            assert!(parsed.text.contains(&format!("{stars} of 5: {PUBLIC_URL}/survey/sv_")), "{}", parsed.text);
        }
        assert!(parsed.html.as_deref().is_some_and(|html| html.contains("/survey/sv_")));
        let token = tokens_in(&parsed.text).pop().expect("a link");

        // Erin clicks "4 of 5": the page preselects it and records nothing yet.
        let browser = Browser::anonymous(&desk);
        let page = browser.page(&format!("/survey/{token}?rating=4")).await;
        assert!(page.contains("Beans arrived stale"), "{page}");
        assert!(page.contains("name=\"n0\" value=\"4\" checked"), "{page}");
        let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &erin).await.json;
        assert!(ticket["satisfaction"].is_null(), "opening the link records nothing");

        let sent = browser.post(&format!("/survey/{token}"), &[("n0", "4"), ("t1", "Quick and friendly.")]).await;
        assert_eq!(sent.status, 200, "{}", text(&sent));
        assert!(text(&sent).contains("Thank you: your answer is recorded."));
        let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &erin).await.json;
        assert_eq!(ticket["satisfaction"]["rating"], 4);
        assert_eq!(ticket["satisfaction"]["comment"], "Quick and friendly.");
    }
);

test_both!(
    async fn an_nps_round_reaches_each_customer_once_and_the_link_answers_it(backend: TestBackend) {
        let sink = SmtpSink::start();
        let desk = desk_sending_to(backend, &sink).await;
        let admin = desk.token(ADMIN).await;
        let survey = json!({"kind": "nps", "title": "Would you recommend Harbor Coffee?", "audience": "external",
            "active": false, "questions": [{"kind": "scale_0_10", "text": "How likely are you to recommend us?"}]});
        let id = desk.post("/api/v1/surveys", &admin, &survey).await.json["id"].as_i64().unwrap();
        assert_eq!(desk.post(&format!("/api/v1/surveys/{id}/send"), &admin, &json!({})).await.status, 201);
        send_due(&desk, now()).await;
        send_due(&desk, now()).await;

        let delivered = sink.delivered();
        let invited: Vec<&Delivered> =
            delivered.iter().filter(|email| email.parsed().subject == "Would you recommend Harbor Coffee?").collect();
        let mut recipients: Vec<String> = invited.iter().flat_map(|email| email.envelope_to.clone()).collect();
        let count = recipients.len();
        recipients.sort();
        recipients.dedup();
        assert_eq!(recipients.len(), count, "nobody twice: {recipients:?}");
        assert!(recipients.contains(&"olga@bayside.example".to_owned()));
        assert!(!recipients.iter().any(|to| to.ends_with("@harbor.example")), "no employee gets an NPS survey");
        let olga = to(&delivered, "olga@bayside.example")
            .into_iter()
            .find(|email| email.parsed().subject == "Would you recommend Harbor Coffee?")
            .unwrap()
            .parsed();
        assert_eq!(olga.from.as_ref().map(|from| from.email.as_str()), Some("desk@harbor.example"));
        let token = tokens_in(&olga.text).pop().expect("a link");
        let link = format!("/api/v1/survey-links/{token}");
        let shown = desk.send(axum::http::Method::GET, &link, None, None).await;
        assert_eq!(shown.json["kind"], "nps");
        let answered = desk
            .send(axum::http::Method::POST, &link, None, Some(&json!({"answers": [{"question": 0, "number": 9}]})))
            .await;
        assert_eq!(answered.status, 200, "{:?}", answered.json);
        let detail = desk.get(&format!("/api/v1/surveys/{id}"), &admin).await.json;
        assert_eq!(detail["rounds"][0]["answered"], 1);
        assert_eq!(detail["rounds"][0]["invited"], count);
    }
);
