//! The service chain through the API: an agent asks another team for what a customer's ticket
//! needs, the ticket waits and resumes by itself, chains go deeper and never loop, solving over
//! open links needs a reason, the internal request's OLA comes from the customer's time left,
//! hand-offs are rated, and a customer never sees any of it.

use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;

struct Desk {
    desk: TestApp,
    admin: String,
    casey: String,
    wes: String,
    ada: String,
    ivan: String,
    erin: String,
    olga: String,
    sam: String,
}

impl Desk {
    async fn new(backend: TestBackend) -> Desk {
        let desk = TestApp::demo(backend).await;
        let token = |email: &'static str| desk.token(email);
        Desk {
            admin: token("admin@harbor.example").await,
            casey: token("casey@harbor.example").await,
            wes: token("wes@harbor.example").await,
            ada: token("ada@harbor.example").await,
            ivan: token("ivan@harbor.example").await,
            erin: token("erin@example.com").await,
            olga: token("olga@bayside.example").await,
            sam: token("sam@harbor.example").await,
            desk,
        }
    }

    /// Erin's order went wrong: an external ticket for Customer Care.
    async fn customer_ticket(&self) -> i64 {
        let body = json!({"subject": "Wrong grinder delivered", "body": "I ordered the burr grinder.",
            "service": "order-problem", "fields": {"order_number": "HB-1042", "problem": "Wrong item"}});
        let created = self.desk.post("/api/v1/tickets", &self.erin, &body).await;
        assert_eq!(created.status.as_u16(), 201, "{:?}", created.json);
        created.json["ticket"]["id"].as_i64().unwrap()
    }

    /// `token` asks the warehouse for a replacement for ticket `id`.
    async fn ask_warehouse(&self, token: &str, id: i64, wait: bool) -> TestResponse {
        let body = json!({"service": "stock-replenishment", "subject": "Replacement burr grinder for HB-1042",
            "body": "Please send one burr grinder to the customer.", "wait": wait,
            "fields": {"store": "Harbor Street", "item": "Burr grinder", "quantity": 1}});
        self.desk.post(&format!("/api/v1/tickets/{id}/requests"), token, &body).await
    }

    async fn ask_accounting(&self, token: &str, id: i64) -> TestResponse {
        let body = json!({"service": "sales-figures", "subject": "Cost of a replacement grinder",
            "body": "What does a replacement cost us?", "fields": {"period": "November"}, "wait": true});
        self.desk.post(&format!("/api/v1/tickets/{id}/requests"), token, &body).await
    }

    async fn ticket(&self, token: &str, id: i64) -> TestResponse {
        self.desk.get(&format!("/api/v1/tickets/{id}"), token).await
    }

    async fn chain(&self, token: &str, id: i64) -> TestResponse {
        self.desk.get(&format!("/api/v1/tickets/{id}/chain"), token).await
    }

    async fn status(&self, id: i64) -> String {
        self.ticket(&self.admin, id).await.json["ticket"]["status"].as_str().unwrap().to_owned()
    }

    async fn events(&self, id: i64) -> Vec<Value> {
        let events = self.desk.get(&format!("/api/v1/tickets/{id}/events"), &self.admin).await;
        assert_eq!(events.status.as_u16(), 200, "{:?}", events.json);
        events.json["items"].as_array().unwrap().clone()
    }

    async fn link(&self, token: &str, id: i64, request: i64) -> TestResponse {
        self.desk.post(&format!("/api/v1/tickets/{id}/links"), token, &json!({"ticket_id": request})).await
    }

    async fn resolution_target(&self, token: &str, id: i64) -> Value {
        let detail = self.ticket(token, id).await.json;
        let targets = detail["targets"].as_array().unwrap();
        targets.iter().find(|target| target["metric"] == "resolution").cloned().unwrap()
    }

    async fn rate(&self, token: &str, request: i64, body: Value) -> TestResponse {
        self.desk.put(&format!("/api/v1/tickets/{request}/handoff-rating"), token, &body).await
    }

    async fn solve(&self, token: &str, id: i64, body: &str) -> TestResponse {
        let message = json!({"body": body, "status": "solved"});
        self.desk.post(&format!("/api/v1/tickets/{id}/messages"), token, &message).await
    }
}

fn created_id(response: &TestResponse) -> i64 {
    assert_eq!(response.status.as_u16(), 201, "{:?}", response.json);
    response.json["ticket"]["id"].as_i64().unwrap()
}

fn link_of(chain: &Value, id: i64) -> Value {
    chain["links"].as_array().unwrap().iter().find(|link| link["id"] == id).cloned().unwrap_or(Value::Null)
}

test_both! {
    async fn an_agent_asks_the_warehouse_the_ticket_waits_and_resumes_when_it_is_done(backend: TestBackend) {
    let d = Desk::new(backend).await;
    let ticket = d.customer_ticket().await;
    let asked = d.ask_warehouse(&d.casey, ticket, true).await;
    let request = created_id(&asked);
    assert_eq!(asked.json["ticket"]["team"]["slug"], "warehouse", "the request goes to the warehouse's queue");
    assert_eq!(asked.json["ticket"]["requester"]["name"], "Casey Care", "the asking agent is its internal customer");
    assert_eq!(d.status(ticket).await, "pending_internal");

    let chain = d.chain(&d.casey, ticket).await;
    assert_eq!(chain.status.as_u16(), 200, "{:?}", chain.json);
    assert_eq!(chain.json["root_id"], ticket);
    let link = link_of(&chain.json, request);
    assert_eq!((link["serves_id"].as_i64(), link["depth"].as_i64()), (Some(ticket), Some(1)));
    assert_eq!(link["team"]["name"], "Warehouse");
    assert_eq!(link["waiting_now"], true);
    assert_eq!(link["subject"], "Replacement burr grinder for HB-1042");
    assert!(link["standard"].as_str().is_some_and(|name| name.contains("OLA")), "{link}");

    // The customer is told something neutral, and nothing of the request.
    let seen = d.ticket(&d.erin, ticket).await;
    assert_eq!(seen.status.as_u16(), 200);
    assert!(seen.json["waiting"]["message"].as_str().is_some_and(|text| text.contains("waiting on one of our teams")));
    assert!(seen.json["waiting"]["expected_by"].is_string(), "the request's standard sets an expected time");
    let text = seen.json.to_string();
    for secret in ["Replacement burr grinder", "Warehouse", "warehouse", &format!("\"id\":{request}")] {
        assert!(!text.contains(secret), "the customer's view leaks {secret}: {text}");
    }
    assert_eq!(d.chain(&d.erin, ticket).await.status, 403, "a requester never sees the chain");
    assert_eq!(d.ticket(&d.erin, request).await.status, 404, "nor the internal request");

    // The warehouse ships it: the customer's ticket is open again, and Casey is told.
    assert_eq!(d.solve(&d.wes, request, "Shipped today by courier.").await.status, 201);
    assert_eq!(d.status(ticket).await, "open", "the last open link solved resumes its parent");
    let events = d.events(ticket).await;
    let resumed = events.iter().find(|event| event["kind"] == "status_changed" && event["data"]["to"] == "open");
    assert!(resumed.is_some_and(|event| event["data"]["by"] == "chain" && event["data"]["request_id"] == request));
    assert!(events.iter().any(|event| event["kind"] == "notified" && event["data"]["why"] == "links_done"));
    let link = link_of(&d.chain(&d.casey, ticket).await.json, request);
    assert_eq!((link["waiting_now"].as_bool(), link["status"].as_str()), (Some(false), Some("solved")));
    assert!(link["waited_minutes"].as_i64().is_some());
    assert!(d.ticket(&d.erin, ticket).await.json.get("waiting").is_none(), "no notice once it no longer waits");
}
}

test_both! {
    async fn a_ticket_waits_until_its_last_open_request_is_done(backend: TestBackend) {
    let d = Desk::new(backend).await;
    let ticket = d.customer_ticket().await;
    let first = created_id(&d.ask_warehouse(&d.casey, ticket, true).await);
    let second = created_id(&d.ask_accounting(&d.casey, ticket).await);
    assert_eq!(d.solve(&d.wes, first, "Sent.").await.status, 201);
    assert_eq!(d.status(ticket).await, "pending_internal", "one request is still open");
    assert_eq!(d.solve(&d.ada, second, "It costs 40.").await.status, 201);
    assert_eq!(d.status(ticket).await, "open");
}
}

test_both! {
    async fn solving_a_ticket_over_open_requests_needs_a_reason(backend: TestBackend) {
    let d = Desk::new(backend).await;
    let ticket = d.customer_ticket().await;
    let request = created_id(&d.ask_warehouse(&d.casey, ticket, false).await);
    assert_eq!(d.status(ticket).await, "new", "without wait the ticket keeps its status");
    let refused = d.solve(&d.casey, ticket, "All sorted.").await;
    assert_eq!((refused.status.as_u16(), refused.error_code()), (409, "links_open"), "{:?}", refused.json);
    assert!(refused.json["error"]["message"].as_str().unwrap().contains(&format!("#{request}")));
    assert_eq!(d.status(ticket).await, "new", "a refused solve leaves nothing behind");
    assert!(
        d.events(ticket)
            .await
            .iter()
            .all(|event| event["kind"] != "message_added" || event["data"]["visibility"] != "public"),
        "the refused reply was not stored"
    );

    let version = d.ticket(&d.casey, ticket).await.json["ticket"]["version"].as_i64().unwrap();
    let path = format!("/api/v1/tickets/{ticket}");
    let patched = d.desk.patch(&path, &d.casey, version, &json!({"status": "solved"})).await;
    assert_eq!((patched.status.as_u16(), patched.error_code()), (409, "links_open"));
    let reason = "The customer found a grinder in store.";
    let patched =
        d.desk.patch(&path, &d.casey, version, &json!({"status": "solved", "open_links_reason": reason})).await;
    assert_eq!(patched.status.as_u16(), 200, "{:?}", patched.json);
    let events = d.events(ticket).await;
    let recorded =
        events.iter().find(|event| event["kind"] == "solved_with_open_links").expect("the reason is recorded");
    assert_eq!(recorded["data"]["reason"], reason);
    assert_eq!(recorded["data"]["open_links"], json!([request]));
}
}

test_both! {
    async fn chains_go_deeper_than_one_link_and_never_loop(backend: TestBackend) {
    let d = Desk::new(backend).await;
    let ticket = d.customer_ticket().await;
    let warehouse = created_id(&d.ask_warehouse(&d.casey, ticket, true).await);
    let accounting = created_id(&d.ask_accounting(&d.wes, warehouse).await);
    assert_eq!(d.status(warehouse).await, "pending_internal");

    let chain = d.chain(&d.casey, ticket).await.json;
    let ids: Vec<i64> = chain["links"].as_array().unwrap().iter().map(|link| link["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [ticket, warehouse, accounting], "parents before their requests");
    let far = link_of(&chain, accounting);
    assert_eq!((far["depth"].as_i64(), far["serves_id"].as_i64()), (Some(2), Some(warehouse)));
    assert_eq!(far["visible"], false, "Casey may not open the warehouse's request to accounting");
    assert!(far["subject"].is_null() && far["assignee"].is_null());
    assert_eq!(far["team"]["name"], "Accounting", "but sees which team the chain waits on");
    let from_below = d.chain(&d.ada, accounting).await;
    assert_eq!(
        (from_below.status.as_u16(), from_below.json["root_id"].as_i64()),
        (200, Some(ticket)),
        "the same chain from any link"
    );

    let looped = d.link(&d.admin, accounting, warehouse).await;
    assert_eq!((looped.status.as_u16(), looped.error_code()), (409, "link_cycle"), "{:?}", looped.json);
    let taken = d.link(&d.admin, ticket, accounting).await;
    assert_eq!((taken.status.as_u16(), taken.error_code()), (409, "already_linked"));
    let itself = d.link(&d.admin, ticket, ticket).await;
    assert_eq!(itself.status.as_u16(), 422);
    let external = d.link(&d.admin, warehouse, ticket).await;
    assert_eq!(external.status.as_u16(), 422, "a customer's ticket cannot serve another: {:?}", external.json);
    assert_eq!(d.chain(&d.admin, ticket).await.json["links"].as_array().unwrap().len(), 3, "nothing was linked");

    // Accounting answers: the warehouse's request resumes; the customer's still waits on it.
    assert_eq!(d.solve(&d.ada, accounting, "40 at cost.").await.status, 201);
    assert_eq!(d.status(warehouse).await, "open");
    assert_eq!(d.status(ticket).await, "pending_internal");
}
}

test_both! {
    async fn a_link_to_a_ticket_the_agent_cannot_see_is_refused_like_a_missing_one(backend: TestBackend) {
    let d = Desk::new(backend).await;
    let ticket = d.customer_ticket().await;
    let body = json!({"subject": "Till frozen", "body": "The till at Pier 9 froze.", "service": "till-or-laptop",
        "fields": {"device": "Till"}});
    let hidden = d.desk.post("/api/v1/tickets", &d.sam, &body).await.json["ticket"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/tickets/{ticket}/links");
    let unseen = d.desk.post(&path, &d.casey, &json!({"ticket_id": hidden})).await;
    let missing = d.desk.post(&path, &d.casey, &json!({"ticket_id": 999_999})).await;
    assert_eq!((unseen.status.as_u16(), missing.status.as_u16()), (422, 422));
    assert!(unseen.json["error"]["fields"]["ticket_id"].as_str().unwrap().contains(&format!("#{hidden}")));
    let scrub = |response: &TestResponse, id: i64| response.json.to_string().replace(&id.to_string(), "N");
    assert_eq!(scrub(&unseen, hidden), scrub(&missing, 999_999), "an unseen ticket is answered like a missing one");
    let linked = d.desk.post(&path, &d.admin, &json!({"ticket_id": hidden, "wait": true})).await;
    assert_eq!(linked.status.as_u16(), 200, "an admin sees it: {:?}", linked.json);
    assert_eq!(d.status(ticket).await, "pending_internal");
    let unlinked = d.desk.delete(&format!("/api/v1/tickets/{ticket}/links/{hidden}"), &d.casey).await;
    assert_eq!(unlinked.status.as_u16(), 204);
    assert_eq!(d.status(ticket).await, "open", "with nothing left to wait on, the ticket does not wait");
    let again = d.desk.delete(&format!("/api/v1/tickets/{ticket}/links/{hidden}"), &d.casey).await;
    assert_eq!(again.status.as_u16(), 404);
}
}

test_both! {
    async fn every_role_gets_what_it_may_of_the_chain(backend: TestBackend) {
    let d = Desk::new(backend).await;
    let ticket = d.customer_ticket().await;
    let request = created_id(&d.ask_warehouse(&d.casey, ticket, false).await);
    // The requester sees the ticket but not its chain; others do not see the ticket at all.
    for (who, token, expected) in [
        ("the customer", &d.erin, 403),
        ("another customer", &d.olga, 404),
        ("an employee", &d.sam, 404),
        ("an agent of another team", &d.ivan, 404),
        ("an agent of the team", &d.casey, 200),
        ("the admin", &d.admin, 200),
    ] {
        assert_eq!(d.chain(token, ticket).await.status, expected, "{who} reading the chain");
        let asked = d.ask_warehouse(token, ticket, false).await;
        let expected = if expected == 200 { 201 } else { expected };
        assert_eq!(asked.status.as_u16(), expected, "{who} asking another team: {:?}", asked.json);
        let linked =
            d.desk.post(&format!("/api/v1/tickets/{ticket}/links"), token, &json!({"ticket_id": request})).await;
        let expected = if expected == 201 { 409 } else { expected };
        assert_eq!(linked.status.as_u16(), expected, "{who} linking (already linked for those allowed)");
        let unlinked = d.desk.delete(&format!("/api/v1/tickets/{ticket}/links/{}", request + 1_000), token).await;
        let expected = if expected == 409 { 404 } else { expected };
        assert_eq!(unlinked.status.as_u16(), expected, "{who} unlinking");
    }
    // The warehouse agent who serves the request sees its chain from the request, but not the
    // customer's ticket it serves.
    let from_request = d.chain(&d.wes, request).await;
    assert_eq!(from_request.status.as_u16(), 200);
    let root = link_of(&from_request.json, ticket);
    assert_eq!((root["visible"].as_bool(), root["subject"].is_null()), (Some(false), true));
    assert!(!from_request.json.to_string().contains("Wrong grinder"), "the customer's subject stays with Care");
}
}

test_both! {
    async fn the_request_takes_its_target_from_the_time_the_customer_has_left(backend: TestBackend) {
    let d = Desk::new(backend).await;
    let ticket = d.customer_ticket().await;
    let request = created_id(&d.ask_warehouse(&d.casey, ticket, true).await);
    let served = d.resolution_target(&d.casey, ticket).await;
    let own = d.resolution_target(&d.wes, request).await;
    let left = served["business_minutes_left"].as_i64().unwrap();
    assert!(left < 4_800, "the customer's SLA leaves less than the OLA's 4,800 minutes: {served}");
    assert!(
        (own["target_minutes"].as_i64().unwrap() - left).abs() <= 1,
        "the OLA is the customer's time left ({left} min): {own}"
    );
}
}

test_both! {
    async fn the_asking_side_rates_each_hand_off(backend: TestBackend) {
    let d = Desk::new(backend).await;
    let ticket = d.customer_ticket().await;
    let request = created_id(&d.ask_warehouse(&d.casey, ticket, true).await);
    assert_eq!(d.rate(&d.casey, request, json!({"rating": 9})).await.status, 422);
    assert_eq!(d.rate(&d.wes, request, json!({"rating": 5})).await.status, 403, "the serving side does not rate itself");
    assert_eq!(d.rate(&d.erin, request, json!({"rating": 1})).await.status, 404, "the customer cannot see the request");
    let rated = d.rate(&d.casey, request, json!({"rating": 2, "comment": "Slow to answer."})).await;
    assert_eq!(rated.status.as_u16(), 204, "{:?}", rated.json);
    let rated = d.rate(&d.casey, request, json!({"rating": 4, "comment": "Shipped quickly after all."})).await;
    assert_eq!(rated.status.as_u16(), 204, "rating again replaces the rating");
    let link = link_of(&d.chain(&d.casey, ticket).await.json, request);
    assert_eq!(
        (link["rating"].as_i64(), link["rating_comment"].as_str()),
        (Some(4), Some("Shipped quickly after all."))
    );
    let unlinked = d.desk.put("/api/v1/tickets/999999/handoff-rating", &d.casey, &json!({"rating": 3})).await;
    assert_eq!(unlinked.status.as_u16(), 404);
}
}

test_both! {
    async fn the_demo_chain_shows_on_the_agent_page_and_never_on_the_portal(backend: TestBackend) {
    use super::pages::Browser;
    let d = Desk::new(backend).await;
    let mine = d.desk.get("/api/v1/tickets?status=pending_internal&limit=50", &d.casey).await.json;
    let root = mine["items"].as_array().unwrap().iter().find(|ticket| {
        ticket["subject"] == "Wholesale order HB-20817 arrived six bags short"
    });
    let root = root.expect("the demo's beans ticket waits on the warehouse")["id"].as_i64().unwrap();
    let chain = d.chain(&d.casey, root).await.json;
    let teams: Vec<&str> = chain["links"].as_array().unwrap().iter().map(|link| link["team"]["name"].as_str().unwrap()).collect();
    assert_eq!(teams, ["Customer Care", "Warehouse", "Accounting"], "the demo's three-ticket chain");
    let warehouse = chain["links"][1]["id"].as_i64().unwrap();

    let page = Browser::of(&d.desk, "casey@harbor.example").await.page(&format!("/agent/tickets/{root}")).await;
    assert!(page.contains("Service chain"), "{page}");
    assert!(page.contains("Six bags of Ethiopia Yirgacheffe"), "Casey asked the warehouse: she sees what");
    assert!(page.contains("A request to Accounting"), "the warehouse's own request shows only its team");
    assert!(!page.contains("Write-off for mislabelled stock"));
    let wes = Browser::of(&d.desk, "wes@harbor.example").await.page(&format!("/agent/tickets/{warehouse}")).await;
    assert!(wes.contains("Write-off for mislabelled stock"), "Wes asked accounting");

    let portal = Browser::of(&d.desk, "sol@sunrisebeans.example").await.page(&format!("/portal/requests/{root}")).await;
    assert!(portal.contains("We are waiting on one of our teams to finish their part."), "{portal}");
    assert!(portal.contains("We expect it by"), "the request's OLA gives the customer a time");
    for secret in ["Service chain", "Warehouse", "Six bags of Ethiopia", "Accounting", "Write-off"] {
        assert!(!portal.contains(secret), "the customer's page shows {secret}");
    }
}
}

test_both! {
    async fn an_agent_asks_another_team_from_the_ticket_page(backend: TestBackend) {
    use super::pages::{Browser, Part, csrf, location, text};
    let d = Desk::new(backend).await;
    let ticket = d.customer_ticket().await;
    let casey = Browser::of(&d.desk, "casey@harbor.example").await;
    let page = casey.page(&format!("/agent/tickets/{ticket}")).await;
    assert!(page.contains(&format!("href=\"/agent/tickets/{ticket}/ask\"")), "the ticket page offers to ask another team");
    let choose = casey.page(&format!("/agent/tickets/{ticket}/ask")).await;
    assert!(choose.contains("Warehouse") && choose.contains("?service=stock-replenishment"), "{choose}");
    assert!(!choose.contains("?service=order-problem"), "a customer-facing service is not another team's help");
    let form_path = format!("/agent/tickets/{ticket}/ask?service=stock-replenishment");
    let form = casey.page(&form_path).await;
    assert!(form.contains("name=\"fields.item\"") && form.contains("name=\"wait\" value=\"yes\" checked"));
    let token = csrf(&form);
    let ask = format!("/agent/tickets/{ticket}/ask");

    // Missing required fields: the form comes back with what was typed and each error; nothing is made.
    let refused = casey
        .post(&ask, &[("_csrf", token.as_str()), ("service", "stock-replenishment"), ("subject", "Six bags, please"), ("body", ""), ("wait", "yes")])
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    let html = text(&refused);
    assert!(html.contains("value=\"Six bags, please\""), "what was typed stays");
    assert!(html.contains("id=\"ask-body-error\""), "{html}");
    let refused = casey
        .post(&ask, &[("_csrf", token.as_str()), ("service", "stock-replenishment"), ("subject", "Six bags, please"), ("body", "Six bags."), ("fields.quantity", "six")])
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    let html = text(&refused);
    assert!(html.contains("id=\"ask-quantity-error\"") && html.contains("must be a number"), "{html}");
    let refused = casey
        .post(&ask, &[("_csrf", token.as_str()), ("service", "stock-replenishment"), ("subject", "Six bags, please"), ("body", "Six bags."), ("fields.quantity", "6")])
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    assert!(text(&refused).contains("id=\"ask-item-error\""), "the service's required fields are checked");
    assert_eq!(d.chain(&d.casey, ticket).await.json["links"].as_array().unwrap().len(), 1, "nothing was linked");

    let fields = [
        ("_csrf", token.as_str()), ("service", "stock-replenishment"), ("subject", "Six bags for HB-1042"),
        ("body", "Please send six bags."), ("fields.store", "Pier 9"), ("fields.item", "Yirgacheffe 1 kg"),
        ("fields.quantity", "6"), ("wait", "yes"),
    ];
    let sent = casey.post(&ask, &fields).await;
    assert_eq!(sent.status.as_u16(), 303, "{}", text(&sent));
    assert_eq!(location(&sent), format!("/agent/tickets/{ticket}?done=asked"));
    assert_eq!(d.status(ticket).await, "pending_internal");
    let page = casey.page(&format!("/agent/tickets/{ticket}?done=asked")).await;
    assert!(page.contains("Six bags for HB-1042") && page.contains("Request sent"), "the chain card shows the request");

    // Solving from the composer over the open request needs the reason field.
    let reply = format!("/agent/tickets/{ticket}/messages");
    assert!(page.contains("name=\"open_links_reason\""), "the composer asks why when requests are open");
    let token = csrf(&page);
    let parts = |reason| {
        vec![
            Part::Text("_csrf", token.as_str()),
            Part::Text("body", "Sorted in store."),
            Part::Text("visibility", "public"),
            Part::Text("status", "solved"),
            Part::Text("open_links_reason", reason),
        ]
    };
    let refused = casey.multipart(&reply, &parts("")).await;
    assert_eq!(refused.status.as_u16(), 409);
    assert!(text(&refused).contains("still open"), "{}", text(&refused));
    let solved = casey.multipart(&reply, &parts("The customer found the bags in store.")).await;
    assert_eq!(solved.status.as_u16(), 303, "{}", text(&solved));
    assert_eq!(d.status(ticket).await, "solved");

    // Nobody but the ticket's agents reaches the ask page.
    for who in ["erin@example.com", "ivan@harbor.example", "sam@harbor.example"] {
        let other = Browser::of(&d.desk, who).await;
        assert_eq!(other.get(&form_path).await.status.as_u16(), 404, "{who}");
    }
    let unchecked = casey.post(&ask, &fields[1..]).await;
    assert_ne!(unchecked.status.as_u16(), 303, "a post without the session's CSRF token is refused");
}
}

test_both! {
    async fn the_chain_card_links_requests_and_rates_hand_offs(backend: TestBackend) {
    use super::pages::{Browser, csrf, location, text};
    let d = Desk::new(backend).await;
    let ticket = d.customer_ticket().await;
    let body = json!({"subject": "Courier pickup for returns", "body": "Please book a pickup.",
        "service": "stock-replenishment", "fields": {"store": "Pier 9", "item": "Returns pickup", "quantity": 1}});
    let own = d.desk.post("/api/v1/tickets", &d.casey, &body).await.json["ticket"]["id"].as_i64().unwrap();
    let casey = Browser::of(&d.desk, "casey@harbor.example").await;
    let path = format!("/agent/tickets/{ticket}");
    let token = csrf(&casey.page(&path).await);
    let links = format!("{path}/links");

    let refused = casey.post(&links, &[("_csrf", token.as_str()), ("ticket", "abc")]).await;
    assert_eq!(refused.status.as_u16(), 422);
    assert!(text(&refused).contains("id=\"chain-error\""));
    let hidden = casey.post(&links, &[("_csrf", token.as_str()), ("ticket", "#999999")]).await;
    assert_eq!(hidden.status.as_u16(), 422);
    assert!(text(&hidden).contains("No ticket #999999 that you can see"), "{}", text(&hidden));

    let linked = casey.post(&links, &[("_csrf", token.as_str()), ("ticket", &format!("#{own}")), ("wait", "yes")]).await;
    assert_eq!((linked.status.as_u16(), location(&linked)), (303, format!("{path}?done=linked").as_str()));
    assert_eq!(d.status(ticket).await, "pending_internal");
    let page = casey.page(&format!("{path}?done=linked")).await;
    assert!(page.contains("Courier pickup for returns") && page.contains(&format!("action=\"{path}/handoffs/{own}\"")));

    let rate = format!("{path}/handoffs/{own}");
    let rated = casey.post(&rate, &[("_csrf", token.as_str()), ("rating", "5"), ("comment", "Booked within the hour")]).await;
    assert_eq!(rated.status.as_u16(), 303, "{}", text(&rated));
    let link = link_of(&d.chain(&d.casey, ticket).await.json, own);
    assert_eq!((link["rating"].as_i64(), link["rating_comment"].as_str()), (Some(5), Some("Booked within the hour")));
    let bad = casey.post(&rate, &[("_csrf", token.as_str()), ("rating", "7")]).await;
    assert_eq!(bad.status.as_u16(), 422);
    // The warehouse's agent does not rate its own hand-off, and cannot reach Care's page at all.
    let wes = Browser::of(&d.desk, "wes@harbor.example").await;
    let wes_token = csrf(&wes.page(&format!("/agent/tickets/{own}")).await);
    let theirs = wes.post(&rate, &[("_csrf", wes_token.as_str()), ("rating", "5")]).await;
    assert_eq!(theirs.status.as_u16(), 404);
    let unchanged = link_of(&d.chain(&d.casey, ticket).await.json, own);
    assert_eq!(unchanged["rating"].as_i64(), Some(5));
}
}

test_both! {
    async fn every_role_gets_what_it_may_of_a_hand_off_rating(backend: TestBackend) {
    let d = Desk::new(backend).await;
    let ticket = d.customer_ticket().await;
    let request = created_id(&d.ask_warehouse(&d.casey, ticket, false).await);
    for (who, token, expected) in [
        ("the customer", &d.erin, 404),
        ("another customer", &d.olga, 404),
        ("an employee", &d.sam, 404),
        ("an agent of an uninvolved team", &d.ivan, 404),
        ("the serving team's agent", &d.wes, 403),
        ("the asking agent", &d.casey, 204),
        ("the admin", &d.admin, 204),
    ] {
        assert_eq!(d.rate(token, request, json!({"rating": 4})).await.status.as_u16(), expected, "{who}");
    }
}
}
