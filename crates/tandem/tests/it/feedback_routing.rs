//! Feedback routing: topics admins manage (customers and employees see the topics offered to them,
//! never who owns them or how they are routed), feedback messages, reviews and satisfaction
//! answers tagged with a topic reaching the owning teams as tickets, and the daily digest sent
//! once per team through a real SMTP server however many nodes tick.

use serde_json::Value;
use tandem_app::feedback::SendFeedbackDigests;
use tandem_app::jobs::{Registry, WorkerOptions};
use tandem_app::mail::{Outbound, OutboundSettings};
use tandem_testkit::TestResponse;

use super::*;
use crate::catalog::put_at;
use crate::mail::smtp_sink::SmtpSink;

const ADMIN: &str = "admin@harbor.example";
const DAY: i64 = 24 * 3_600_000;

fn slugs(response: &TestResponse) -> Vec<String> {
    response.json.as_array().unwrap().iter().map(|topic| topic["slug"].as_str().unwrap().to_owned()).collect()
}

fn topic(slug: &str, owners: Value) -> Value {
    json!({"slug": slug, "name": format!("Topic {slug}"), "audience": "both", "owners": owners})
}

/// Subjects of the tickets `token` follows that feedback opened.
async fn feedback_tickets(desk: &TestApp, token: &str) -> Vec<(i64, String)> {
    let list = desk.get("/api/v1/tickets?limit=100", token).await.json;
    let items = list["items"].as_array().unwrap();
    items
        .iter()
        .filter(|ticket| ticket["subject"].as_str().unwrap().starts_with("Feedback on "))
        .map(|ticket| (ticket["id"].as_i64().unwrap(), ticket["subject"].as_str().unwrap().to_owned()))
        .collect()
}

test_both! {
    async fn admins_manage_topics_and_only_staff_see_how_they_are_routed(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let (erin, bea, casey, admin) = (desk.token("erin@example.com").await, desk.token("bea@harbor.example").await,
        desk.token("casey@harbor.example").await, desk.token(ADMIN).await);
    assert_eq!(desk.send(axum::http::Method::GET, "/api/v1/feedback-topics", None, None).await.status, 401);
    let seen = desk.get("/api/v1/feedback-topics", &erin).await;
    assert_eq!(slugs(&seen), ["billing", "delivery", "store"], "customers: no internal topics");
    let seen_by_bea = desk.get("/api/v1/feedback-topics", &bea).await;
    assert_eq!(slugs(&seen_by_bea), ["store", "office"], "employees: no customer-only topics");
    for topics in [&seen, &seen_by_bea] {
        assert!(topics.json.as_array().unwrap().iter().all(|topic| topic["owners"].is_null()), "{:?}", topics.json);
        assert!(!topics.json.to_string().contains("Marketing"), "no owners, no routing");
    }
    let staff = desk.get("/api/v1/feedback-topics", &casey).await.json;
    let store = staff.as_array().unwrap().iter().find(|topic| topic["slug"] == "store").unwrap();
    let owners: Vec<(&str, &str)> = store["owners"].as_array().unwrap().iter()
        .map(|owner| (owner["team"]["name"].as_str().unwrap(), owner["routing"].as_str().unwrap())).collect();
    assert_eq!(owners, [("Marketing", "low_ratings_as_tickets"), ("Store Operations", "digest")]);

    // Only admins write topics.
    let teams = desk.get("/api/v1/teams", &admin).await.json;
    let team = |slug: &str| teams.as_array().unwrap().iter().find(|team| team["slug"] == slug).unwrap()["id"].as_i64().unwrap();
    let owners = json!([{"team_id": team("warehouse"), "routing": "tickets"}]);
    for token in [&erin, &bea, &casey] {
        assert_eq!(desk.post("/api/v1/feedback-topics", token, &topic("packaging", owners.clone())).await.status, 403);
    }
    assert_eq!(desk.post("/api/v1/feedback-topics", &admin, &topic("packaging", json!([]))).await.status, 422);
    let no_queue = desk.post("/api/v1/feedback-topics", &admin, &topic("packaging", json!([{"team_id": team("stores"), "routing": "tickets"}]))).await;
    assert_eq!(no_queue.status, 422, "a department has no queue for tickets: {:?}", no_queue.json);
    let made = desk.post("/api/v1/feedback-topics", &admin, &topic("packaging", owners.clone())).await;
    assert_eq!(made.status, 201, "{:?}", made.json);
    let taken = desk.post("/api/v1/feedback-topics", &admin, &topic("packaging", owners.clone())).await;
    assert_eq!((taken.status.as_u16(), taken.error_code()), (409, "slug_taken"));
    let path = format!("/api/v1/feedback-topics/{}", made.json["id"]);
    let mut changed = topic("packaging", json!([{"team_id": team("warehouse"), "routing": "digest"}]));
    changed["audience"] = json!("internal");
    assert_eq!(desk.put(&path, &admin, &changed).await.status, 428);
    assert_eq!(put_at(&desk, &path, &casey, 1, &changed).await.status, 403);
    assert_eq!(put_at(&desk, &path, &admin, 7, &changed).await.status, 409);
    let updated = put_at(&desk, &path, &admin, 1, &changed).await;
    assert_eq!((updated.status.as_u16(), updated.json["owners"][0]["routing"].as_str()), (200, Some("digest")));
    assert!(!slugs(&desk.get("/api/v1/feedback-topics", &erin).await).contains(&"packaging".to_owned()), "now internal");
}
}

test_both! {
    async fn feedback_reviews_and_ratings_on_a_topic_reach_the_owning_teams(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let (erin, bea, casey, mia) = (desk.token("erin@example.com").await, desk.token("bea@harbor.example").await,
        desk.token("casey@harbor.example").await, desk.token("mia@harbor.example").await);

    // Who may tag what: internal topics stay internal, customer topics stay outside.
    let send = |topic: &str, rating: Value| json!({"topic": topic, "body": "The terrace tables were sticky.", "rating": rating});
    assert_eq!(desk.send(axum::http::Method::POST, "/api/v1/feedback", None, Some(&send("store", json!(2)))).await.status, 401);
    for (token, topic) in [(&erin, "office"), (&bea, "delivery"), (&erin, "nowhere")] {
        let refused = desk.post("/api/v1/feedback", token, &send(topic, json!(2))).await;
        assert_eq!(refused.status, 422, "{topic}");
        assert!(refused.json["error"]["fields"]["topic"].is_string());
    }
    assert_eq!(desk.post("/api/v1/feedback", &erin, &send("store", json!(7))).await.status, 422);

    // A low rating becomes a ticket in Marketing's queue; the customer is not told where it went.
    let sent = desk.post("/api/v1/feedback", &erin, &send("store", json!(2))).await;
    assert_eq!(sent.status, 201, "{:?}", sent.json);
    assert!(sent.json["routed"].is_null(), "customers never see the routing");
    let mine = feedback_tickets(&desk, &erin).await;
    assert_eq!(mine.iter().map(|(_, subject)| subject.as_str()).collect::<Vec<_>>(), ["Feedback on Our cafés (2 of 5 stars)"]);
    let ticket = desk.get(&format!("/api/v1/tickets/{}", mine[0].0), &mia).await;
    assert_eq!(ticket.status, 200, "Marketing works it");
    assert_eq!(ticket.json["ticket"]["team"]["name"], "Marketing");
    assert!(ticket.json["messages"][0]["body"].as_str().unwrap().contains(&format!("feedback #{}", sent.json["id"])));
    // Staff are told where their own feedback went; a good rating waits for the digests.
    let staff = desk.post("/api/v1/feedback", &casey, &send("store", json!(4))).await.json;
    let routed: Vec<(&str, bool)> = staff["routed"].as_array().unwrap().iter()
        .map(|route| (route["team"]["name"].as_str().unwrap(), route["ticket_id"].is_i64())).collect();
    assert_eq!(routed, [("Marketing", false), ("Store Operations", false)]);
    let unrated = desk.post("/api/v1/feedback", &casey, &json!({"topic": "store", "body": "Busy today."})).await;
    assert_eq!(unrated.status, 201, "a rating is optional");

    // A review tagged with a topic: a 1-star review is a ticket for Customer Care, linking back.
    let review = json!({"service": "order-problem", "rating": 1, "title": "Late again", "body": "Third late box.", "topic": "delivery"});
    let made = desk.post("/api/v1/reviews", &erin, &review).await;
    assert_eq!(made.status, 201, "{:?}", made.json);
    let review_ticket = feedback_tickets(&desk, &erin).await.into_iter().find(|(_, subject)| subject.contains("Orders and delivery")).unwrap();
    let shown = desk.get(&format!("/api/v1/tickets/{}", review_ticket.0), &casey).await.json;
    assert!(shown["messages"][0]["body"].as_str().unwrap().contains(&format!("/agent/reviews#review-{}", made.json["id"])));
    let wrong = json!({"service": "order-problem", "rating": 1, "title": "x", "body": "y", "topic": "office"});
    assert_eq!(desk.post("/api/v1/reviews", &erin, &wrong).await.status, 422, "and nothing was written");

    // A satisfaction answer tagged with a topic: the first answer is routed, a changed one is not.
    let opened = desk.post("/api/v1/tickets", &erin, &json!({"subject": "Box crushed", "body": "The box was crushed.",
        "service": "order-problem", "fields": {"order_number": "HB-7001"}})).await.json["ticket"]["id"].as_i64().unwrap();
    let solved = desk.post(&format!("/api/v1/tickets/{opened}/messages"), &casey, &json!({"body": "Replaced.", "status": "solved"})).await;
    assert_eq!(solved.status, 201);
    for rating in [1, 2] {
        let rated = desk.put(&format!("/api/v1/tickets/{opened}/satisfaction"), &erin,
            &json!({"rating": rating, "comment": "Crushed twice.", "topic": "delivery"})).await;
        assert_eq!(rated.status, 200, "{:?}", rated.json);
    }
    let delivery: Vec<i64> = feedback_tickets(&desk, &erin).await.into_iter()
        .filter(|(_, subject)| subject.contains("Orders and delivery")).map(|(id, _)| id).collect();
    assert_eq!(delivery.len(), 2, "the review's and the first rating's");
    let body = desk.get(&format!("/api/v1/tickets/{}", delivery[0]), &casey).await.json["messages"][0]["body"].clone();
    assert!(body.as_str().unwrap().contains(&format!("satisfaction answer on ticket #{opened}")), "{body}");
}
}

test_both! {
    async fn each_team_gets_its_daily_digest_once_by_email(backend: TestBackend) {
    let sink = SmtpSink::start();
    let sender = tandem_app::mail::SmtpSender::new(&sink.account()).expect("an SMTP transport");
    let settings = OutboundSettings {
        public_url: "http://desk.harbor.example".to_owned(),
        acknowledge: false,
        from: Some("desk@harbor.example".to_owned()),
    };
    let desk = TestApp::demo(backend).await.with_outbound(Outbound { sender, settings });
    let nodes: Vec<_> = ["a", "b"].iter().map(|node| desk.app.worker(Registry::standard(), vec![SendFeedbackDigests::schedule()],
        WorkerOptions { node: (*node).into(), ..WorkerOptions::default() })).collect();
    let run = |at: i64| {
        let nodes = &nodes;
        async move {
            for node in nodes {
                node.tick(at).await.unwrap();
                node.run_until_idle(at).await.unwrap();
            }
        }
    };
    // The demo's feedback went out in earlier digests: starting the desk emails nobody.
    let today = tandem_testkit::now();
    run(today).await;
    assert!(sink.delivered().is_empty(), "nothing for the demo's history");
    for (email, topic, rating, body) in [
        ("sol@sunrisebeans.example", "store", json!(1), "At Harbor Street the terrace chairs wobble."),
        ("erin@example.com", "store", json!(5), "The new oat flat white at Pier 9 is perfect."),
        ("olga@bayside.example", "delivery", json!(4), "Our deliveries always arrive before nine."),
        ("bea@harbor.example", "office", Value::Null, "Could the staff room get a second microwave?"),
    ] {
        let token = desk.token(email).await;
        let sent = desk.post("/api/v1/feedback", &token, &json!({"topic": topic, "body": body, "rating": rating})).await;
        assert_eq!(sent.status, 201, "{:?}", sent.json);
    }
    let tomorrow = today + DAY;
    run(tomorrow).await;
    run(tomorrow + 60_000).await;

    // The feedback that did not become a ticket, to each owning team's people, once.
    let delivered = sink.delivered();
    let mut recipients: Vec<String> = delivered.iter().flat_map(|email| email.envelope_to.clone()).collect();
    recipients.sort();
    assert_eq!(recipients, ["bea@harbor.example", "casey@harbor.example", "hana@harbor.example", "ivan@harbor.example",
        "kai@harbor.example", "lena@harbor.example", "mia@harbor.example", "noor@harbor.example", "omar@harbor.example",
        "sam@harbor.example", "wes@harbor.example"], "two nodes, one digest each");
    let to = |who: &str| delivered.iter().find(|email| email.envelope_to.iter().any(|rcpt| rcpt == who)).unwrap().parsed();
    let sam = to("sam@harbor.example");
    assert_eq!(sam.subject, "Feedback digest for Store Operations");
    assert!(sam.text.contains("terrace chairs wobble") && sam.text.contains("oat flat white"), "{}", sam.text);
    let mia = to("mia@harbor.example");
    assert!(mia.text.contains("oat flat white") && !mia.text.contains("terrace chairs"), "the 1-star one is a ticket: {}", mia.text);
    assert!(to("ivan@harbor.example").text.contains("second microwave"));

    // The next day there is nothing new to send; new feedback goes in the day after's digest.
    run(tomorrow + DAY).await;
    let first_digests = recipients.len();
    assert_eq!(sink.delivered().len(), first_digests);
    let olga = desk.token("olga@bayside.example").await;
    let sent = desk.post("/api/v1/feedback", &olga, &json!({"topic": "billing", "body": "Invoices are clear.", "rating": 5})).await;
    assert_eq!(sent.status, 201);
    run(tomorrow + 2 * DAY).await;
    let delivered = sink.delivered();
    assert_eq!(delivered.len(), first_digests + 1);
    assert_eq!(delivered[first_digests].envelope_to, ["ada@harbor.example"]);
    assert!(delivered[first_digests].parsed().text.contains("Invoices are clear."));
}
}

test_both! {
    async fn the_send_feedback_and_topic_admin_pages(backend: TestBackend) {
    use axum::http::StatusCode;
    use crate::pages::{BEA, Browser, CASEY, ERIN, csrf, location};
    let desk = TestApp::demo(backend).await;
    let erin = Browser::of(&desk, ERIN).await;
    let form = erin.page("/portal/feedback").await;
    assert!(form.contains("Our cafés") && !form.contains("The office") && !form.contains("Marketing"), "{form}");
    let bea_form = Browser::of(&desk, BEA).await.page("/portal/feedback").await;
    assert!(bea_form.contains("The office") && !bea_form.contains("Billing and payments"));
    let refused = erin.post("/portal/feedback", &[("_csrf", csrf(&form).as_str()), ("topic", "store"), ("body", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sent = erin.post("/portal/feedback", &[("_csrf", csrf(&form).as_str()), ("topic", "store"), ("rating", "1"),
        ("body", "The terrace heaters were off all evening.")]).await;
    assert_eq!((sent.status, location(&sent)), (StatusCode::SEE_OTHER, "/portal/feedback?done=sent"));
    assert_eq!(feedback_tickets(&desk, erin.token()).await.len(), 1, "a 1-star message is a ticket for Marketing");
    assert!(location(&Browser::anonymous(&desk).get("/portal/feedback").await).starts_with("/signin"));

    let admin = Browser::of(&desk, ADMIN).await;
    let page = admin.page("/admin/feedback-topics").await;
    assert!(page.contains("Marketing: low_ratings_as_tickets; Store Operations: digest"), "{page}");
    for email in [CASEY, ERIN] {
        assert_eq!(Browser::of(&desk, email).await.get("/admin/feedback-topics").await.status, StatusCode::NOT_FOUND);
    }
    let teams = desk.get("/api/v1/teams", &desk.token(ADMIN).await).await.json;
    let warehouse = teams.as_array().unwrap().iter().find(|team| team["slug"] == "warehouse").unwrap()["id"].to_string();
    let route = format!("route_{warehouse}");
    let mut fields = vec![("_csrf", csrf(&page)), ("name", "Packaging".to_owned()), ("slug", "packaging".to_owned()),
        ("audience", "external".to_owned())];
    let nobody = admin.post("/admin/feedback-topics", &fields).await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY, "a topic needs an owner");
    fields.push((route.as_str(), "digest".to_owned()));
    let made = admin.post("/admin/feedback-topics", &fields).await;
    assert_eq!((made.status, location(&made)), (StatusCode::SEE_OTHER, "/admin/feedback-topics?done=created"));
    assert!(admin.page("/admin/feedback-topics").await.contains("Warehouse: digest"));
    assert!(erin.page("/portal/feedback").await.contains("Packaging"));
}
}
