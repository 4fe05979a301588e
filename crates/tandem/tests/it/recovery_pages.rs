//! Make-goods in the browser's shoes: the ticket page's card with Tandem's suggestion and the offer
//! form, the approval queue with its budgets, and the customer's "Accept" on their request page.
//! Each outcome is checked through the REST API.

use super::*;
use crate::pages::{Browser, csrf, location, text};
use crate::recovery::{CASEY, CODY, ERIN, act, desk_with_cody, erin_ticket, offer};

/// Posts a form as `who` with the CSRF token of their session.
async fn post(desk: &TestApp, who: &str, path: &str, fields: &[(&str, &str)]) -> tandem_testkit::TestResponse {
    let browser = Browser::of(desk, who).await;
    let token = csrf(&text(&browser.get("/portal").await));
    let mut sent = vec![("_csrf", token.as_str())];
    sent.extend_from_slice(fields);
    browser.post(path, &sent).await
}

test_both! {
    async fn an_agent_offers_the_suggested_make_good_from_the_ticket_page(backend: TestBackend) {
    let (desk, _) = desk_with_cody(backend).await;
    let (casey, erin) = (desk.token(CASEY).await, desk.token(ERIN).await);
    let id = erin_ticket(&desk, "Scales show the wrong weight").await;
    desk.post(&format!("/api/v1/tickets/{id}/messages"), &casey, &json!({"body": "Fixed.", "status": "solved"})).await;
    desk.put(&format!("/api/v1/tickets/{id}/satisfaction"), &erin, &json!({"rating": 2})).await;

    let page = Browser::of(&desk, CASEY).await.page(&format!("/agent/tickets/{id}")).await;
    assert!(page.contains("id=\"make-good-suggestion\""), "{page}");
    assert!(page.contains("Low satisfaction rating: Tandem suggests a credit of 10.00 EUR."), "{page}");
    assert!(page.contains("value=\"10.00\""), "the form starts from the suggestion");
    let erin_id = desk.principal(ERIN).await.person_id;
    assert!(page.contains(&format!("href=\"/agent/people/{erin_id}\" id=\"customer-profile\"")), "{page}");

    let fields = [("kind", "credit"), ("amount", "10"), ("currency", "eur"),
        ("message", "A 10 € credit for the trouble."), ("note", "Second complaint this month.")];
    let offered = post(&desk, CASEY, &format!("/agent/tickets/{id}/make-goods"), &fields).await;
    assert_eq!(offered.status, 303, "{}", text(&offered));
    assert_eq!(location(&offered), format!("/agent/tickets/{id}?done=make_good#make-goods"));
    let made = &desk.get(&format!("/api/v1/tickets/{id}/make-goods"), &casey).await.json["make_goods"][0];
    assert_eq!((made["state"].as_str(), made["amount_minor"].as_i64()), (Some("offered"), Some(1_000)));
    let page = Browser::of(&desk, CASEY).await.page(&format!("/agent/tickets/{id}")).await;
    assert!(page.contains("Credit · 10.00 EUR") && page.contains("Offered by Casey Care"), "{page}");
    assert!(page.contains(">Withdraw<"));

    // A bad amount is refused in words, and nothing is written.
    let other = erin_ticket(&desk, "Beans stale").await;
    let bad = [("kind", "credit"), ("amount", "ten"), ("currency", "EUR"), ("message", "Sorry.")];
    let refused = post(&desk, CASEY, &format!("/agent/tickets/{other}/make-goods"), &bad).await;
    assert_eq!(refused.status, 400);
    assert!(text(&refused).contains("The value must be an amount"));
    assert_eq!(desk.get(&format!("/api/v1/tickets/{other}/make-goods"), &casey).await.json["make_goods"], json!([]));

    // Customers and employees get no console.
    for who in [ERIN, "bea@harbor.example"] {
        let refused = post(&desk, who, &format!("/agent/tickets/{other}/make-goods"), &bad).await;
        assert_eq!(refused.status, 404, "{who}");
        assert_eq!(Browser::of(&desk, who).await.get("/agent/make-goods").await.status, 404, "{who}");
    }
}
}

test_both! {
    async fn a_lead_approves_from_the_queue_and_sets_a_budget(backend: TestBackend) {
    let (desk, care) = desk_with_cody(backend).await;
    let cody = desk.token(CODY).await;
    let id = erin_ticket(&desk, "Espresso machine leaks").await;
    let proposed = desk.post(&format!("/api/v1/tickets/{id}/make-goods"), &cody, &offer("voucher", 3_000)).await.json;
    let mg = proposed["id"].as_i64().unwrap();

    let queue = Browser::of(&desk, CASEY).await.page("/agent/make-goods").await;
    assert!(queue.contains(&format!("id=\"make-good-{mg}\"")) && queue.contains("Espresso machine leaks"), "{queue}");
    assert!(queue.contains("Customer Care") && queue.contains("500.00 EUR"), "the budget table: {queue}");
    let cody_queue = Browser::of(&desk, CODY).await.page("/agent/make-goods").await;
    assert!(cody_queue.contains(&format!("id=\"make-good-{mg}\"")) && !cody_queue.contains(">Approve<"),
        "Cody sees it, without the lead's buttons");
    assert!(!cody_queue.contains("Set a budget"), "nor the budget form");

    let path = format!("/agent/make-goods/{mg}/actions");
    let refused = post(&desk, CODY, &path, &[("action", "approve"), ("back", "queue")]).await;
    assert_eq!(refused.status, 403);
    let approved = post(&desk, CASEY, &path, &[("action", "approve"), ("back", "queue")]).await;
    assert_eq!(approved.status, 303, "{}", text(&approved));
    assert_eq!(location(&approved), "/agent/make-goods?done=moved");
    assert_eq!(desk.get(&format!("/api/v1/make-goods/{mg}"), &cody).await.json["state"], "offered");

    let period = desk.get("/api/v1/reports/make-goods", &cody).await.json["period"].as_str().unwrap().to_owned();
    let care = care.to_string();
    let budget = [("team_id", care.as_str()), ("period", period.as_str()), ("currency", "EUR"), ("budget", "750"),
        ("approval_limit", "40")];
    assert_eq!(post(&desk, CODY, "/agent/make-goods/budgets", &budget).await.status, 403);
    let saved = post(&desk, CASEY, "/agent/make-goods/budgets", &budget).await;
    assert_eq!(location(&saved), "/agent/make-goods?done=budget");
    let report = desk.get("/api/v1/reports/make-goods", &cody).await.json;
    let line = report["teams"].as_array().unwrap().iter().find(|line| line["team"]["name"] == "Customer Care").unwrap().clone();
    assert_eq!((line["budget_minor"].as_i64(), line["approval_limit_minor"].as_i64()), (Some(75_000), Some(4_000)));
}
}

test_both! {
    async fn the_customer_accepts_their_offer_on_the_request_page(backend: TestBackend) {
    let (desk, _) = desk_with_cody(backend).await;
    let id = erin_ticket(&desk, "Order arrived late").await;
    let made = desk.post(&format!("/api/v1/tickets/{id}/make-goods"), &desk.token(CASEY).await, &offer("voucher", 1_200)).await.json;
    let mg = made["id"].as_i64().unwrap();
    let pending = desk.post(&format!("/api/v1/tickets/{id}/make-goods"), &desk.token(CODY).await, &offer("credit", 100)).await;
    assert_eq!(pending.error_code(), "make_good_open");

    let page = Browser::of(&desk, ERIN).await.page(&format!("/portal/requests/{id}")).await;
    assert!(page.contains("A voucher of 12.00 EUR") && page.contains("With our apologies for the wait."), "{page}");
    assert!(!page.contains("STAFF-ONLY") && !page.contains("Casey"), "no staff note, no offerer: {page}");
    assert!(page.contains(">Accept<") && page.contains(">Decline<"));

    let path = format!("/portal/requests/{id}/make-goods/{mg}");
    let olga = post(&desk, "olga@bayside.example", &path, &[("action", "accept")]).await;
    assert_eq!(olga.status, 404, "another customer's offer");
    let other = erin_ticket(&desk, "Unrelated").await;
    let wrong_request = post(&desk, ERIN, &format!("/portal/requests/{other}/make-goods/{mg}"), &[("action", "accept")]).await;
    assert_eq!(wrong_request.status, 404, "the offer belongs to its own request");
    let accepted = post(&desk, ERIN, &path, &[("action", "accept")]).await;
    assert_eq!(accepted.status, 303, "{}", text(&accepted));
    assert_eq!(location(&accepted), format!("/portal/requests/{id}?done=accepted#make-goods"));
    assert_eq!(desk.get(&format!("/api/v1/make-goods/{mg}"), &desk.token(ERIN).await).await.json["state"], "accepted");
    let page = Browser::of(&desk, ERIN).await.page(&format!("/portal/requests/{id}")).await;
    assert!(page.contains("You accepted it") && !page.contains(">Accept<"), "{page}");
    let twice = post(&desk, ERIN, &path, &[("action", "decline")]).await;
    assert_eq!(twice.status, 400, "a move the state does not allow");
    assert_eq!(act(&desk, CASEY, mg, "redeem").await.json["state"], "redeemed");
}
}
