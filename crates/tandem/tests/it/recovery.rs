//! Service recovery: make-goods suggested after a bad experience, offered, approved above the
//! team's limit, answered by the customer and redeemed; each team's monthly budget; and who sees
//! and moves what (a customer only their own offers, never notes; staff of other teams nothing).
//!
//! People: Casey (lead of Customer Care), Cody (a plain Care agent, added here), Ivan (lead of
//! IT), Hana (lead of HR, a team with no budget), the admin, Erin and Olga (external customers),
//! Bea and Sam (employees).

use serde_json::Value;

use super::*;

pub const CASEY: &str = "casey@harbor.example";
pub const CODY: &str = "cody@harbor.example";
pub const ERIN: &str = "erin@example.com";

/// The demo with Cody, a Care agent who is not a lead; returns Care's team id.
pub async fn desk_with_cody(backend: TestBackend) -> (TestApp, i64) {
    let desk = TestApp::demo(backend).await;
    let admin = desk.token("admin@harbor.example").await;
    let care = team_id(&desk, &admin, "care").await;
    let cody = json!({"email": CODY, "name": "Cody Care", "kind": "employee", "department_id": care});
    let cody = desk.post("/api/v1/people", &admin, &cody).await.json["id"].clone();
    let member = desk.put(&format!("/api/v1/teams/{care}/members/{cody}"), &admin, &json!({"role": "agent"})).await;
    assert_eq!(member.status, 200, "{:?}", member.json);
    (desk, care)
}

async fn team_id(desk: &TestApp, token: &str, slug: &str) -> i64 {
    let teams = desk.get("/api/v1/teams", token).await.json;
    teams.as_array().unwrap().iter().find(|team| team["slug"] == slug).unwrap()["id"].as_i64().unwrap()
}

/// Erin's new order problem, in Customer Care's queue.
pub async fn erin_ticket(desk: &TestApp, subject: &str) -> i64 {
    let new = json!({"subject": subject, "body": "Something went wrong with my order.", "service": "order-problem",
        "fields": {"order_number": "HB-5005"}});
    let created = desk.post("/api/v1/tickets", &desk.token(ERIN).await, &new).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    created.json["ticket"]["id"].as_i64().unwrap()
}

/// Casey solves the ticket and Erin rates it.
async fn solve_and_rate(desk: &TestApp, id: i64, rating: i64) {
    let casey = desk.token(CASEY).await;
    let solved = desk
        .post(&format!("/api/v1/tickets/{id}/messages"), &casey, &json!({"body": "Done.", "status": "solved"}))
        .await;
    assert_eq!(solved.status, 201, "{:?}", solved.json);
    let rated = desk
        .put(&format!("/api/v1/tickets/{id}/satisfaction"), &desk.token(ERIN).await, &json!({"rating": rating}))
        .await;
    assert_eq!(rated.status, 200, "{:?}", rated.json);
}

pub fn offer(kind: &str, amount_minor: i64) -> Value {
    json!({"kind": kind, "amount_minor": amount_minor, "currency": "EUR",
        "message": "With our apologies for the wait.", "note": "STAFF-ONLY: customer was furious"})
}

/// Posts a move and returns the answer.
pub async fn act(desk: &TestApp, who: &str, id: i64, action: &str) -> tandem_testkit::TestResponse {
    let path = format!("/api/v1/make-goods/{id}/actions");
    desk.post(&path, &desk.token(who).await, &json!({"action": action})).await
}

/// Care's line of this month's budget report, as the admin reads it.
async fn care_line(desk: &TestApp) -> Value {
    let report = desk.get("/api/v1/reports/make-goods", &desk.token("admin@harbor.example").await).await;
    assert_eq!(report.status, 200, "{:?}", report.json);
    report.json["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["team"]["name"] == "Customer Care")
        .unwrap()
        .clone()
}

test_both! {
    async fn a_make_good_is_suggested_approved_accepted_and_redeemed(backend: TestBackend) {
    let (desk, _) = desk_with_cody(backend).await;
    let (casey, cody, erin) = (desk.token(CASEY).await, desk.token(CODY).await, desk.token(ERIN).await);
    let id = erin_ticket(&desk, "Grinder arrived broken").await;
    let path = format!("/api/v1/tickets/{id}/make-goods");
    let quiet = desk.get(&path, &casey).await;
    assert_eq!(quiet.status, 200);
    assert!(quiet.json["suggestion"].is_null(), "nothing went wrong yet: {:?}", quiet.json);

    solve_and_rate(&desk, id, 1).await;
    let suggested = desk.get(&path, &casey).await.json;
    let suggestion = &suggested["suggestion"];
    assert_eq!(suggestion["reasons"], json!(["low_csat"]));
    assert_eq!((suggestion["kind"].as_str(), suggestion["amount_minor"].as_i64()), (Some("voucher"), Some(2_000)));
    assert_eq!((suggestion["currency"].as_str(), suggestion["needs_approval"].as_bool()), (Some("EUR"), Some(false)));
    assert!(desk.get(&path, &erin).await.json["suggestion"].is_null(), "customers never see the suggestion");
    let spent_before = care_line(&desk).await["spent_minor"].as_i64().unwrap();

    // Cody is no lead: 40.00 is above Care's 25.00 limit, so it waits for approval.
    let made = desk.post(&path, &cody, &offer("voucher", 4_000)).await;
    assert_eq!(made.status, 201, "{:?}", made.json);
    let made = made.json;
    let mg = made["id"].as_i64().unwrap();
    assert_eq!((made["state"].as_str(), made["reasons"].clone()), (Some("pending_approval"), json!(["low_csat"])));
    assert_eq!(made["actions"], json!(["withdraw"]), "an agent may only withdraw it");
    assert!(desk.get(&path, &casey).await.json["suggestion"].is_null(), "no suggestion while one is in play");
    assert_eq!(desk.get(&path, &erin).await.json["make_goods"], json!([]), "not offered to Erin yet");
    assert_eq!(desk.get(&format!("/api/v1/make-goods/{mg}"), &erin).await.status, 404);
    assert_eq!(care_line(&desk).await["pending_minor"].as_i64(), Some(4_000));

    assert_eq!(act(&desk, CODY, mg, "approve").await.status, 403, "agents do not approve");
    assert_eq!(act(&desk, ERIN, mg, "approve").await.status, 404, "Erin does not see it yet");
    assert_eq!(act(&desk, "ivan@harbor.example", mg, "approve").await.status, 404, "another team's lead");
    let approved = act(&desk, CASEY, mg, "approve").await;
    assert_eq!(approved.status, 200, "{:?}", approved.json);
    assert_eq!(approved.json["state"], "offered");
    assert_eq!(approved.json["approved_by"]["name"], "Casey Care");
    assert_eq!(act(&desk, CASEY, mg, "approve").await.error_code(), "illegal_move");
    assert_eq!(care_line(&desk).await["spent_minor"].as_i64(), Some(spent_before + 4_000));

    // Erin sees her offer, and nothing staff wrote about it.
    let shown = desk.get(&path, &erin).await;
    let mine = &shown.json["make_goods"][0];
    assert_eq!((mine["state"].as_str(), mine["amount"].as_str()), (Some("offered"), Some("40.00 EUR")));
    assert_eq!(mine["actions"], json!(["accept", "decline"]));
    for staff_only in ["note", "reasons", "offered_by", "approved_by", "team", "customer", "period"] {
        assert!(mine.get(staff_only).is_none(), "{staff_only} reached the customer: {mine}");
    }
    assert!(!String::from_utf8_lossy(&shown.body).contains("STAFF-ONLY"));
    assert_eq!(act(&desk, ERIN, mg, "redeem").await.status, 403, "Erin sees it but does not redeem it");
    assert_eq!(act(&desk, CASEY, mg, "accept").await.status, 403, "only Erin accepts");
    assert_eq!(act(&desk, ERIN, mg, "accept").await.json["state"], "accepted");
    let again = act(&desk, ERIN, mg, "decline").await;
    assert_eq!((again.status.as_u16(), again.error_code()), (409, "illegal_move"));
    assert_eq!(act(&desk, CODY, mg, "redeem").await.json["state"], "redeemed");
    assert_eq!(act(&desk, CODY, mg, "withdraw").await.error_code(), "illegal_move", "redeemed is the end");
    assert!(desk.get(&path, &casey).await.json["suggestion"].is_null(), "made good: nothing more suggested");

    let trail = desk.get(&format!("/api/v1/tickets/{id}/events?limit=100"), &casey).await.json;
    let kinds: Vec<&str> = trail["items"].as_array().unwrap().iter().filter_map(|event| event["kind"].as_str())
        .filter(|kind| kind.starts_with("make_good")).collect();
    assert_eq!(kinds, ["make_good_proposed", "make_good_approved", "make_good_accepted", "make_good_redeemed"]);
}
}

test_both! {
    async fn budgets_and_approval_limits_bound_what_is_offered(backend: TestBackend) {
    let (desk, care) = desk_with_cody(backend).await;
    let (casey, cody) = (desk.token(CASEY).await, desk.token(CODY).await);
    let spent = care_line(&desk).await["spent_minor"].as_i64().unwrap();
    let period = desk.get("/api/v1/reports/make-goods", &casey).await.json["period"].as_str().unwrap().to_owned();
    let budget_path = format!("/api/v1/teams/{care}/make-good-budgets/{period}");
    let budget = json!({"currency": "EUR", "budget_minor": spent + 3_000, "approval_limit_minor": 1_000});
    assert_eq!(desk.put(&budget_path, &cody, &budget).await.status, 403, "agents do not set budgets");
    assert_eq!(desk.put(&budget_path, &desk.token("ivan@harbor.example").await, &budget).await.status, 403);
    assert_eq!(desk.put(&budget_path, &desk.token(ERIN).await, &budget).await.status, 404);
    let bad_period = format!("/api/v1/teams/{care}/make-good-budgets/2026-13");
    assert_eq!(desk.put(&bad_period, &casey, &budget).await.status, 422);
    let set = desk.put(&budget_path, &casey, &budget).await;
    assert_eq!(set.status, 200, "{:?}", set.json);
    assert_eq!(set.json["remaining_minor"].as_i64(), Some(3_000));

    let (first, second, third) = (
        erin_ticket(&desk, "Lid missing").await,
        erin_ticket(&desk, "Mug chipped").await,
        erin_ticket(&desk, "Filter papers torn").await,
    );
    let offer_on = |id: i64| format!("/api/v1/tickets/{id}/make-goods");
    for (field, body) in [("amount_minor", offer("credit", 0)), ("currency", json!({"kind": "credit",
        "amount_minor": 100, "currency": "eu", "message": "Sorry."})), ("message", json!({"kind": "credit",
        "amount_minor": 100, "currency": "EUR", "message": "  "}))] {
        let refused = desk.post(&offer_on(first), &casey, &body).await;
        assert_eq!(refused.status, 422, "{field}: {:?}", refused.json);
        assert!(refused.json["error"]["fields"][field].is_string(), "{field}: {:?}", refused.json);
    }
    let dollars = json!({"kind": "credit", "amount_minor": 100, "currency": "USD", "message": "Sorry."});
    let refused = desk.post(&offer_on(first), &casey, &dollars).await;
    assert_eq!(refused.status, 422);
    assert!(refused.json["error"]["fields"]["currency"].as_str().unwrap().contains("EUR"));

    // Cody proposes 25.00 (above the 10.00 limit); Casey offers 10.00 herself: 20.00 is left.
    let proposed = desk.post(&offer_on(first), &cody, &offer("voucher", 2_500)).await.json;
    assert_eq!(proposed["state"], "pending_approval");
    let again = desk.post(&offer_on(first), &casey, &offer("credit", 100)).await;
    assert_eq!((again.status.as_u16(), again.error_code()), (409, "make_good_open"));
    let direct = desk.post(&offer_on(second), &casey, &offer("credit", 1_000)).await.json;
    assert_eq!(direct["state"], "offered");
    let too_much = act(&desk, CASEY, proposed["id"].as_i64().unwrap(), "approve").await;
    assert_eq!((too_much.status.as_u16(), too_much.error_code()), (409, "over_budget"));
    let message = too_much.json["error"]["message"].as_str().unwrap();
    assert!(message.contains("20.00 EUR left") && message.contains("25.00 EUR"), "{message}");
    let over = desk.post(&offer_on(third), &casey, &offer("credit", 2_001)).await;
    assert_eq!(over.error_code(), "over_budget", "offering beyond what is left is refused too");
    assert_eq!(desk.get(&offer_on(third), &casey).await.json["make_goods"], json!([]), "and nothing was written");

    // Withdrawing Casey's offer gives its 10.00 back; the approval now fits.
    assert_eq!(act(&desk, CASEY, direct["id"].as_i64().unwrap(), "withdraw").await.json["state"], "withdrawn");
    assert_eq!(act(&desk, CASEY, proposed["id"].as_i64().unwrap(), "approve").await.json["state"], "offered");
    let line = care_line(&desk).await;
    assert_eq!((line["remaining_minor"].as_i64(), line["spent_minor"].as_i64()), (Some(500), Some(spent + 2_500)));

    // HR has no budget: Hana cannot offer anything.
    let sam = desk.token("sam@harbor.example").await;
    let card = json!({"subject": "Discount card lost", "body": "Could I have a new one?", "service": "employee-discount"});
    let card = desk.post("/api/v1/tickets", &sam, &card).await;
    assert_eq!(card.status, 201, "{:?}", card.json);
    let hr_ticket = card.json["ticket"]["id"].as_i64().unwrap();
    let refused = desk.post(&offer_on(hr_ticket), &desk.token("hana@harbor.example").await, &offer("reward", 300)).await;
    assert_eq!(refused.error_code(), "no_budget", "{:?}", refused.json);
    assert!(refused.json["error"]["message"].as_str().unwrap().contains("People & HR has no make-good budget"));

    // The report: staff see their own teams, admins all, customers nothing.
    let ivan = desk.get("/api/v1/reports/make-goods", &desk.token("ivan@harbor.example").await).await.json;
    let names: Vec<&str> = ivan["teams"].as_array().unwrap().iter().filter_map(|line| line["team"]["name"].as_str()).collect();
    assert_eq!(names, ["IT Service Desk"]);
    let admin = desk.get("/api/v1/reports/make-goods", &desk.token("admin@harbor.example").await).await.json;
    assert!(admin["teams"].as_array().unwrap().len() >= 3, "{admin:?}");
    assert_eq!(desk.get("/api/v1/reports/make-goods", &desk.token(ERIN).await).await.status, 404);
    assert_eq!(desk.get("/api/v1/reports/make-goods?period=11-2026", &casey).await.status, 422);
}
}

test_both! {
    async fn customers_see_and_answer_only_their_own_make_goods(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let token = |email: &'static str| desk.token(email);
    let (casey, erin, olga, bea, ivan) = (
        token(CASEY).await, token(ERIN).await, token("olga@bayside.example").await, token("bea@harbor.example").await,
        token("ivan@harbor.example").await,
    );
    let id = erin_ticket(&desk, "Kettle leaks").await;
    let made = desk.post(&format!("/api/v1/tickets/{id}/make-goods"), &casey, &offer("credit", 500)).await.json;
    let mg = made["id"].as_i64().unwrap();
    let one = format!("/api/v1/make-goods/{mg}");
    assert_eq!(desk.get(&one, &erin).await.status, 200);
    for (who, stranger) in [("Olga, another customer", &olga), ("Bea, an employee", &bea), ("Ivan, another team", &ivan)] {
        assert_eq!(desk.get(&one, stranger).await.status, 404, "{who}");
        assert_eq!(desk.post(&format!("{one}/actions"), stranger, &json!({"action": "accept"})).await.status, 404, "{who}");
        assert_eq!(desk.get(&format!("/api/v1/tickets/{id}/make-goods"), stranger).await.status, 404, "{who}");
        let listed = desk.get("/api/v1/make-goods", stranger).await.json;
        assert!(listed["items"].as_array().unwrap().iter().all(|item| item["id"] != mg), "{who}");
    }
    assert_eq!(desk.send(axum::http::Method::GET, &one, None, None).await.status, 401, "visitors");
    assert_eq!(desk.post(&format!("/api/v1/tickets/{id}/make-goods"), &erin, &offer("credit", 500)).await.status, 403,
        "customers do not offer themselves make-goods");

    // Erin's list holds her offers only (the demo's and this one), in the customer's view.
    let mine = desk.get("/api/v1/make-goods", &erin).await.json;
    let items = mine["items"].as_array().unwrap();
    assert!(items.iter().any(|item| item["id"] == mg));
    assert!(items.iter().all(|item| item.get("note").is_none() && item.get("customer").is_none()));
    let demo_subjects: Vec<&str> = items.iter().filter_map(|item| item["ticket_subject"].as_str()).collect();
    assert!(demo_subjects.contains(&"I was charged twice for order HB-10501"), "{demo_subjects:?}");
    assert!(!demo_subjects.contains(&"Descaler missing from our machine order"), "Olga's is not Erin's");

    // Employees are customers of other teams the same way: Bea's make-good from IT is hers alone.
    let bea_items = desk.get("/api/v1/make-goods", &bea).await.json;
    let bea_items = bea_items["items"].as_array().unwrap();
    assert_eq!(bea_items.len(), 1, "{bea_items:?}");
    assert_eq!((bea_items[0]["state"].as_str(), bea_items[0]["ticket_subject"].as_str()),
        (Some("accepted"), Some("Till 2 freezes when taking card payments")));
    let bea_mg = bea_items[0]["id"].as_i64().unwrap();
    assert_eq!(desk.get(&format!("/api/v1/make-goods/{bea_mg}"), &casey).await.status, 404, "Care does not see IT's");
    assert_eq!(desk.get(&format!("/api/v1/make-goods/{bea_mg}"), &ivan).await.json["customer"]["name"], "Bea Barista");

    // Declining carries the customer's reason to the agents.
    let declined = desk.post(&format!("{one}/actions"), &erin, &json!({"action": "decline", "note": "I'd rather have a refund."})).await;
    assert_eq!(declined.json["state"], "declined");
    assert_eq!(desk.get(&one, &casey).await.json["customer_comment"], "I'd rather have a refund.");
    let unknown = desk.post(&format!("{one}/actions"), &erin, &json!({"action": "steal"})).await;
    assert_eq!(unknown.status, 422);
}
}

test_both! {
    async fn the_demo_has_make_goods_in_several_states_within_budget(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let admin = desk.token("admin@harbor.example").await;
    let all = desk.get("/api/v1/make-goods?limit=100", &admin).await.json;
    let mut states: Vec<&str> = all["items"].as_array().unwrap().iter().filter_map(|item| item["state"].as_str()).collect();
    states.sort_unstable();
    assert_eq!(states, ["accepted", "declined", "offered", "redeemed", "withdrawn"]);
    let line = care_line(&desk).await;
    assert_eq!((line["budget_minor"].as_i64(), line["spent_minor"].as_i64()), (Some(50_000), Some(1_500 + 2_490)));
}
}
