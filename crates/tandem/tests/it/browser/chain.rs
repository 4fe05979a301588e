//! The service chain in a real browser: Casey asks the warehouse for what Erin's order needs from
//! the ticket page (the service's own form), the ticket waits and shows the chain; Wes ships it,
//! Casey's ticket is open again and she rates the hand-off; Erin only ever reads a neutral notice.

use super::Desk;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_casey_asks_the_warehouse_and_the_ticket_resumes_when_wes_ships() {
    let desk = Desk::demo().await;
    let erin = desk.test.token("erin@example.com").await;
    let body = serde_json::json!({"subject": "Grinder arrived broken", "body": "The burr grinder's hopper is cracked.",
        "service": "order-problem", "fields": {"order_number": "HB-30112", "problem": "Damaged"}});
    let created = desk.test.post("/api/v1/tickets", &erin, &body).await;
    let id = created.json["ticket"]["id"].as_i64().expect("Erin's ticket");
    let browser = desk.browser().await;

    browser.sign_in("casey@harbor.example", &format!("/agent/tickets/{id}")).await;
    browser.click_and_wait("section.chain a.button").await;
    browser.click_and_wait("a[href$='?service=stock-replenishment']").await;
    browser.fill("#ask-subject", "Replacement grinder for HB-30112").await;
    browser.fill("#ask-body", "Erin's grinder arrived cracked: please ship a new one today.").await;
    browser.choose_value("#ask-store", "Pier 9").await;
    browser.fill("#ask-item", "Burr grinder").await;
    browser.fill("#ask-quantity", "1").await;
    browser.click_and_wait("form button.primary").await;
    assert!(browser.path().await.ends_with("?done=asked"), "back on the ticket: {}", browser.path().await);
    assert!(browser.text(".ticket-head .status").await.contains("Waiting"), "the ticket waits on the warehouse");
    let chain = browser.text("section.chain").await;
    assert!(chain.contains("Replacement grinder for HB-30112") && chain.contains("Warehouse"), "{chain}");
    browser.screenshot("agent-chain").await;

    let request =
        desk.test.get(&format!("/api/v1/tickets/{id}/chain"), &desk.test.token("casey@harbor.example").await).await;
    let request = request.json["links"][1]["id"].as_i64().expect("the warehouse request");
    browser.sign_in("erin@example.com", &format!("/portal/requests/{id}")).await;
    let notice = browser.text(".info-box.waiting").await;
    assert!(notice.contains("waiting on one of our teams"), "{notice}");
    let source = browser.source().await;
    assert!(!source.contains("Replacement grinder") && !source.contains("Warehouse"), "Erin sees nothing of the chain");
    browser.screenshot("portal-waiting").await;

    browser.sign_in("wes@harbor.example", &format!("/agent/tickets/{request}")).await;
    browser.fill("#reply-body", "Shipped by courier, arriving tomorrow.").await;
    browser.choose_value("#reply-status", "solved").await;
    browser.click_and_wait("#composer button.send-public").await;

    browser.sign_in("casey@harbor.example", &format!("/agent/tickets/{id}")).await;
    assert!(browser.text(".ticket-head .status").await.contains("Open"), "the ticket resumed by itself");
    browser.choose_value(&format!("#rate-{request}"), "4").await;
    browser.click_and_wait("form.handoff-rating button").await;
    let chain = browser.text("section.chain").await;
    assert!(chain.contains("hand-off rated 4/5"), "{chain}");

    browser.visit("/agent/reports/weakest-links?days=7").await;
    let report = browser.text("table.weakest-links").await;
    assert!(report.contains("Warehouse"), "{report}");
    browser.screenshot("weakest-links").await;
}
