//! Who sees which services: Bea, an employee, finds the internal `till-or-laptop` service and the
//! employee offer in her portal; Erin, an external customer, sees neither, and the form's address
//! typed by hand is a not-found page for her.

use super::Desk;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_bea_sees_internal_services_and_offers_erin_does_not() {
    let desk = Desk::demo().await;
    let browser = desk.browser().await;

    browser.sign_in("bea@harbor.example", "/portal").await;
    assert!(browser.text("h1").await.contains("Employee portal"));
    let services = browser.text("#services").await;
    for slug in ["till-or-laptop", "employee-discount"] {
        browser.find(&format!("#services a[data-service='{slug}']")).await;
    }
    assert!(services.contains("Employee discount card"), "the offer is listed by name: {services}");
    browser.screenshot("portal-home-employee").await;
    browser.visit("/portal/services/till-or-laptop").await;
    assert_eq!(browser.status().await, 200);
    assert!(browser.text("h1").await.contains("Till or laptop problem"));

    browser.sign_in("erin@example.com", "/portal").await;
    let services = browser.source().await;
    for slug in ["till-or-laptop", "employee-discount"] {
        assert!(!services.contains(slug), "Erin's portal must not mention {slug}");
    }
    browser.visit("/portal/services/till-or-laptop").await;
    assert_eq!(browser.status().await, 404, "an internal service does not exist for a customer");
    assert!(browser.text("h1").await.contains("Not found"));
    assert!(!browser.source().await.contains("Till or laptop problem"), "not even its name leaks");
}
