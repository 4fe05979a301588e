//! The admin pages: the admin opens them all; a team lead (Casey) only what concerns her teams, not
//! the people directory; a customer none. Photographed at both widths.

use super::Desk;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_the_admin_opens_admin_pages_others_only_what_is_theirs() {
    let desk = Desk::demo().await;
    let browser = desk.browser().await;

    browser.sign_in("admin@harbor.example", "/admin").await;
    assert_eq!(browser.status().await, 200);
    browser.screenshot("admin").await;
    browser.visit("/admin/people").await;
    assert_eq!(browser.status().await, 200);
    assert!(browser.source().await.contains("erin@example.com"), "people lists the demo's customers");
    browser.screenshot("admin-people").await;

    browser.sign_in("casey@harbor.example", "/admin").await;
    assert_eq!(browser.status().await, 200, "a team lead manages her team");
    browser.visit("/admin/people").await;
    assert_eq!(browser.status().await, 404, "but the people directory is the admin's");

    browser.sign_in("erin@example.com", "/portal").await;
    browser.visit("/admin").await;
    assert_eq!(browser.status().await, 404, "a customer has no admin pages");
    assert!(!browser.source().await.contains("/admin/people"), "nor links to them");
}
