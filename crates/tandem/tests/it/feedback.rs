//! Satisfaction ratings of solved tickets (CSAT) for both audiences, and the weakest-link report
//! that attributes external customers' ratings along the service chain.

use serde_json::Value;
use tandem_app::feedback::RatingInput;
use tandem_domain::TicketId;

use super::*;

const DAY: i64 = 24 * 3_600_000;

async fn open(desk: &TestApp, token: &str, body: Value) -> i64 {
    let created = desk.post("/api/v1/tickets", token, &body).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    created.json["ticket"]["id"].as_i64().unwrap()
}

async fn solve(desk: &TestApp, token: &str, id: i64) {
    let solved = desk
        .post(&format!("/api/v1/tickets/{id}/messages"), token, &json!({"body": "Done.", "status": "solved"}))
        .await;
    assert_eq!(solved.status, 201, "{:?}", solved.json);
}

fn order(subject: &str) -> Value {
    json!({"subject": subject, "body": "Something went wrong with my order.", "service": "order-problem",
        "fields": {"order_number": "HB-5005"}})
}

test_both! {
    async fn requesters_rate_their_solved_tickets_once_and_may_change_it(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let (erin, casey, olga, sam, ivan) = (
        desk.token("erin@example.com").await,
        desk.token("casey@harbor.example").await,
        desk.token("olga@bayside.example").await,
        desk.token("sam@harbor.example").await,
        desk.token("ivan@harbor.example").await,
    );
    let id = open(&desk, &erin, order("Lid missing")).await;
    let path = format!("/api/v1/tickets/{id}/satisfaction");
    let early = desk.put(&path, &erin, &json!({"rating": 5})).await;
    assert_eq!((early.status.as_u16(), early.error_code()), (409, "not_solved"));
    solve(&desk, &casey, id).await;
    assert_eq!(desk.put(&path, &erin, &json!({"rating": 0})).await.status, 422);
    assert_eq!(desk.put(&path, &casey, &json!({"rating": 5})).await.status, 403, "agents do not rate for customers");
    assert_eq!(desk.put(&path, &olga, &json!({"rating": 5})).await.status, 404, "nor does anyone else");
    let rated = desk.put(&path, &erin, &json!({"rating": 2, "comment": "Took a while."})).await;
    assert_eq!(rated.status, 200, "{:?}", rated.json);
    let rated = desk.put(&path, &erin, &json!({"rating": 4, "comment": "  Sorted in the end.  "})).await;
    assert_eq!((rated.json["rating"].as_i64(), rated.json["comment"].as_str()), (Some(4), Some("Sorted in the end.")));
    for token in [&erin, &casey] {
        let shown = desk.get(&format!("/api/v1/tickets/{id}"), token).await.json;
        assert_eq!(shown["satisfaction"]["rating"], 4, "one answer, changed in place");
    }
    let trail = desk.get(&format!("/api/v1/tickets/{id}/events"), &casey).await.json;
    let rated: Vec<&Value> = trail["items"].as_array().unwrap().iter().filter(|event| event["kind"] == "satisfaction_rated").collect();
    assert_eq!(rated.len(), 2, "each answer is in the trail");

    // Employees rate their internal requests the same way.
    let body = json!({"subject": "Printer jam", "body": "The back office printer jams.", "service": "till-or-laptop",
        "fields": {"device": "Printer"}});
    let internal = open(&desk, &sam, body).await;
    solve(&desk, &ivan, internal).await;
    let rated = desk.put(&format!("/api/v1/tickets/{internal}/satisfaction"), &sam, &json!({"rating": 5})).await;
    assert_eq!(rated.status, 200);

    // The survey closes 30 days after the solve.
    let erin_face = desk.principal("erin@example.com").await;
    let late = desk.app.rate_ticket(&erin_face, TicketId(id), RatingInput { rating: 1, comment: None, topic: None }, tandem_testkit::now() + 31 * DAY).await;
    assert!(matches!(late, Err(tandem_app::AppError::Conflict { code: "survey_closed", .. })), "{late:?}");
}
}

test_both! {
    async fn the_weakest_link_report_attributes_customer_ratings_along_the_chain(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let token = |email: &'static str| desk.token(email);
    let (erin, olga, casey, wes, ada, admin) = (
        token("erin@example.com").await, token("olga@bayside.example").await, token("casey@harbor.example").await,
        token("wes@harbor.example").await, token("ada@harbor.example").await, token("admin@harbor.example").await,
    );
    // The demo's chains of the last day are in the report already (its ratings are older): the
    // test measures what its own tickets add.
    let before = desk.get("/api/v1/reports/weakest-links?days=1", &casey).await;
    assert_eq!(before.status, 200, "{:?}", before.json);
    let before = before.json;

    // Erin's order needed the warehouse, which needed accounting; she was unhappy.
    let slow = open(&desk, &erin, order("Refund for the broken grinder")).await;
    let ask = |id: i64, service: &str, fields: Value| {
        json!({"service": service, "subject": format!("Help with #{id}"), "body": "Needed for a customer.", "fields": fields, "wait": true})
    };
    let warehouse = desk.post(&format!("/api/v1/tickets/{slow}/requests"), &casey,
        &ask(slow, "stock-replenishment", json!({"store": "Pier 9", "item": "Grinder", "quantity": 1}))).await.json["ticket"]["id"].as_i64().unwrap();
    let accounting = desk.post(&format!("/api/v1/tickets/{warehouse}/requests"), &wes,
        &ask(warehouse, "sales-figures", json!({"period": "November"}))).await.json["ticket"]["id"].as_i64().unwrap();
    solve(&desk, &ada, accounting).await;
    solve(&desk, &wes, warehouse).await;
    let rate = desk.put(&format!("/api/v1/tickets/{warehouse}/handoff-rating"), &casey, &json!({"rating": 2})).await;
    assert_eq!(rate.status, 204);
    solve(&desk, &casey, slow).await;
    assert_eq!(desk.put(&format!("/api/v1/tickets/{slow}/satisfaction"), &erin, &json!({"rating": 1})).await.status, 200);
    // Olga's order needed nobody; she was delighted.
    let quick = open(&desk, &olga, order("Wrong size filters")).await;
    solve(&desk, &casey, quick).await;
    assert_eq!(desk.put(&format!("/api/v1/tickets/{quick}/satisfaction"), &olga, &json!({"rating": 5})).await.status, 200);

    let report = desk.get("/api/v1/reports/weakest-links?days=1", &admin).await;
    assert_eq!(report.status, 200, "{:?}", report.json);
    let report = report.json;
    assert_eq!((report["external_csat"].as_f64(), report["external_ratings"].as_i64()), (Some(3.0), Some(2)));
    let line = |report: &Value, team: &str| {
        let lines = report["links"].as_array().unwrap();
        lines.iter().find(|line| line["team"]["name"] == team).cloned().unwrap_or(json!({}))
    };
    let count = |line: &Value, field: &str| line[field].as_i64().unwrap_or(0);
    for team in ["Warehouse", "Accounting"] {
        let (was, now) = (line(&before, team), line(&report, team));
        for (field, added) in [("requests", 1), ("external_tickets", 1), ("external_ratings", 1), ("low_ratings", 1)] {
            assert_eq!(count(&now, field) - count(&was, field), added, "{team} {field}: {now}");
        }
        assert_eq!(now["external_csat"].as_f64(), Some(1.0), "{team}: only Erin rated a ticket it served");
        assert_eq!(now["csat_gap"].as_f64(), Some(-2.0), "{team}: Erin's 1 against the period's 3");
    }
    assert_eq!(line(&report, "Warehouse")["handoff_rating"].as_f64(), Some(2.0));
    assert!(line(&report, "Accounting")["handoff_rating"].is_null(), "nobody rated accounting's hand-off");
    let order: Vec<&str> =
        report["links"].as_array().unwrap().iter().map(|line| line["team"]["name"].as_str().unwrap()).collect();
    let waited: Vec<i64> = report["links"].as_array().unwrap().iter().map(|line| count(line, "waited_minutes")).collect();
    assert!(waited.windows(2).all(|pair| pair[0] >= pair[1]), "the longest wait first: {order:?} {waited:?}");

    for (who, expected) in [("erin@example.com", 404), ("sam@harbor.example", 404), ("ivan@harbor.example", 200)] {
        assert_eq!(desk.get("/api/v1/reports/weakest-links", &desk.token(who).await).await.status, expected, "{who}");
    }
    assert_eq!(desk.get("/api/v1/reports/weakest-links?days=0", &admin).await.status, 422);
}
}

test_both! {
    async fn the_portal_asks_how_we_did_and_the_agent_sees_the_answer(backend: TestBackend) {
    use super::pages::{Browser, csrf, location, text};
    let desk = TestApp::demo(backend).await;
    let (erin, casey) = (desk.token("erin@example.com").await, desk.token("casey@harbor.example").await);
    let id = open(&desk, &erin, order("Scoop missing")).await;
    let page = format!("/portal/requests/{id}");
    let portal = Browser::of(&desk, "erin@example.com").await;
    assert!(!portal.page(&page).await.contains("How did we do?"), "no survey before the solve");
    solve(&desk, &casey, id).await;
    let html = portal.page(&page).await;
    assert!(html.contains("How did we do?"));
    let token = csrf(&html);
    let rate = format!("{page}/rate");
    let refused = portal.post(&rate, &[("_csrf", token.as_str()), ("comment", "no stars")]).await;
    assert_eq!(refused.status.as_u16(), 422);
    assert!(text(&refused).contains("Choose from 1 to 5 stars."));
    let sent = portal.post(&rate, &[("_csrf", token.as_str()), ("rating", "4"), ("comment", "Quick and kind.")]).await;
    assert_eq!((sent.status.as_u16(), location(&sent)), (303, format!("{page}#rating").as_str()));
    assert!(portal.page(&page).await.contains("You rated this 4 out of 5."));
    let agent = Browser::of(&desk, "casey@harbor.example").await.page(&format!("/agent/tickets/{id}")).await;
    assert!(agent.contains("Rated 4/5 by the requester: “Quick and kind.”"), "{agent}");
    let other = Browser::of(&desk, "olga@bayside.example").await;
    let theirs = other.post(&rate, &[("_csrf", csrf(&other.page("/portal").await).as_str()), ("rating", "1")]).await;
    assert_eq!(theirs.status.as_u16(), 404, "another customer cannot rate Erin's request");
    let unchanged = desk.get(&format!("/api/v1/tickets/{id}"), &erin).await.json;
    assert_eq!(unchanged["satisfaction"]["rating"], 4);
}
}

test_both! {
    async fn staff_read_the_weakest_link_report_in_the_console(backend: TestBackend) {
    use super::pages::Browser;
    let desk = TestApp::demo(backend).await;
    let casey = Browser::of(&desk, "casey@harbor.example").await;
    assert!(casey.page("/agent").await.contains("href=\"/agent/reports/weakest-links\""));
    let page = casey.page("/agent/reports/weakest-links?days=7").await;
    assert!(page.contains("aria-current=\"page\">Last 7 days"), "{page}");
    // The demo's descaler order waited on the warehouse and Olga rated it 2.
    let warehouse = page.split("<th scope=\"row\">Warehouse</th>").nth(1).expect("a Warehouse row");
    let row = &warehouse[..warehouse.find("</tr>").unwrap()];
    assert!(row.contains("2.00 (1)") && row.contains("class=\"gap worse\""), "{row}");
    for who in ["erin@example.com", "sam@harbor.example"] {
        let response = Browser::of(&desk, who).await.get("/agent/reports/weakest-links").await;
        assert_eq!(response.status.as_u16(), 404, "{who}");
    }
}
}

test_both! {
    async fn only_the_requester_rates_and_everyone_else_gets_what_their_role_allows(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let erin = desk.token("erin@example.com").await;
    let id = open(&desk, &erin, order("Wrong grind")).await;
    solve(&desk, &desk.token("casey@harbor.example").await, id).await;
    let path = format!("/api/v1/tickets/{id}/satisfaction");
    for (who, expected) in [
        ("olga@bayside.example", 404),
        ("sam@harbor.example", 404),
        ("ivan@harbor.example", 404),
        ("casey@harbor.example", 403),
        ("admin@harbor.example", 403),
        ("erin@example.com", 200),
    ] {
        let rated = desk.put(&path, &desk.token(who).await, &json!({"rating": 3})).await;
        assert_eq!(rated.status.as_u16(), expected, "{who}: {:?}", rated.json);
    }
}
}
