//! Casey changes a ticket's status and priority from the side form of the agent console; the
//! requester, Erin, sees the new status on her request page in her own words.

use serde_json::json;

use super::Desk;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_casey_changes_status_and_priority_and_erin_sees_the_status() {
    let desk = Desk::demo().await;
    // The request itself is not this journey: Erin files it through the API.
    let erin = desk.test.token("erin@example.com").await;
    let request = json!({"subject": "Parcel arrived crushed", "body": "The box was flat.", "service": "order-problem",
        "fields": {"order_number": "HB-30001"}});
    let created = desk.test.post("/api/v1/tickets", &erin, &request).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    let id = created.json["ticket"]["id"].as_i64().expect("a ticket id");

    let browser = desk.browser().await;
    browser.sign_in("casey@harbor.example", &format!("/agent/tickets/{id}")).await;
    browser.choose_value("#side-status", "pending_customer").await;
    browser.choose_value("#side-priority", "high").await;
    browser.click_and_wait("section.side-form button[type=submit]").await;
    assert_eq!(browser.status().await, 200, "saved:\n{}", browser.source().await);
    let facts = browser.text(".ticket-head .facts").await;
    assert!(facts.contains("Waiting on customer"), "the console shows the new status: {facts}");
    assert!(facts.contains("High priority"), "and the new priority: {facts}");

    browser.sign_in("erin@example.com", &format!("/portal/requests/{id}")).await;
    let status = browser.text("#request-status").await;
    assert_eq!(status, "Waiting for your reply", "Erin sees the status, in a customer's words");
}
