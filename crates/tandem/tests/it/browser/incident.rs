//! An incident in a real browser: Casey links Erin's new ticket to the demo's open incident from
//! the ticket page; Ivan, whose team owns the incident, posts an update in two voices from its
//! page; Erin reads the words meant for customers on her request and nothing else of it.

use super::Desk;

const EXTERNAL: &str = "Card payments work again in every store; the double charges are being refunded.";
const INTERNAL: &str = "Card readers are rolled back: restart any till that still freezes.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_casey_links_a_ticket_to_the_incident_and_ivans_update_reaches_erin() {
    let desk = Desk::demo().await;
    let erin = desk.test.token("erin@example.com").await;
    let body = serde_json::json!({"subject": "Card declined at Pier 9", "body": "My card was refused twice.",
        "service": "order-problem", "fields": {"order_number": "HB-30113", "problem": "Damaged"}});
    let created = desk.test.post("/api/v1/tickets", &erin, &body).await;
    let id = created.json["ticket"]["id"].as_i64().expect("Erin's ticket");
    let casey = desk.test.token("casey@harbor.example").await;
    let incidents = desk.test.get("/api/v1/incidents?status=open", &casey).await;
    let incident = incidents.json["items"][0]["id"].as_i64().expect("the demo's open incident");
    let browser = desk.browser().await;

    browser.sign_in("casey@harbor.example", &format!("/agent/tickets/{id}")).await;
    browser.choose_value("#incident-select", &incident.to_string()).await;
    browser.click_and_wait("section.incident-box form button").await;
    assert!(browser.path().await.ends_with("?done=incident_linked"), "{}", browser.path().await);
    let boxed = browser.text("section.incident-box").await;
    assert!(boxed.contains("Card payments failing at the tills"), "{boxed}");

    browser.sign_in("ivan@harbor.example", &format!("/agent/incidents/{incident}")).await;
    browser.fill("#u-external", EXTERNAL).await;
    browser.fill("#u-internal", INTERNAL).await;
    browser.click_and_wait("form[action$='/updates'] button").await;
    assert!(browser.path().await.ends_with("?done=updated"), "{}", browser.path().await);
    let linked = browser.text("table.linked-tickets").await;
    assert!(linked.contains(&format!("Unlink #{id}")), "{linked}");
    browser.screenshot("agent-incident").await;

    browser.sign_in("erin@example.com", &format!("/portal/requests/{id}")).await;
    let source = browser.source().await;
    assert!(source.contains("Card payments work again in every store"), "Erin reads the customers' words");
    assert!(!source.contains("Card readers are rolled back") && !source.contains("Card payments failing at the tills"));
    browser.screenshot("portal-incident-update").await;
}
