//! Announcements in a real browser: Bea opens the employee portal, sees the banner with the rota
//! announcement marked new beside the pinned holiday hours she has read, opens it, reads it, and
//! back on the portal it is no longer new; HR's lead sees the count move in the console.

use serde_json::json;

use super::Desk;
use super::driver::Browser;

const ROTA: &str = "New rota app for store staff from 1 December";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_an_employee_opens_an_unread_announcement_from_the_banner() {
    let desk = Desk::demo().await;
    let admin = desk.test.token("admin@harbor.example").await;
    let listed = desk.test.get("/api/v1/announcements", &admin).await;
    let items = listed.json["items"].as_array().expect("the admin lists every announcement").clone();
    let rota = items.iter().find(|item| item["title"] == ROTA).expect("the demo's rota announcement")["id"].clone();
    let item = format!("#announcements li[data-announcement='{rota}']");
    let browser = desk.browser().await;

    browser.sign_in("bea@harbor.example", "/portal").await;
    let banner = browser.text("#announcements").await;
    assert!(banner.contains("Opening hours over the holidays") && banner.contains(ROTA), "{banner}");
    assert!(!banner.contains("Laptop refresh"), "a draft reaches nobody: {banner}");
    assert!(unread(&browser, &item).await, "the rota is unread");
    assert_eq!(browser.text(&format!("{item} .tag.new")).await, "New");
    browser.screenshot("portal-announcements").await;

    browser.click_and_wait(&format!("{item} a")).await;
    assert_eq!(browser.path().await, format!("/portal/announcements/{rota}"));
    let shown = browser.text("#announcement").await;
    assert!(shown.contains(ROTA) && shown.contains("Swap shifts in the app"), "{shown}");
    browser.screenshot("portal-announcement").await;

    browser.visit("/portal").await;
    assert!(!unread(&browser, &item).await, "opening it marked it read");

    browser.sign_in("hana@harbor.example", "/agent/announcements").await;
    let row = browser.text(&format!("tr[data-announcement='{rota}'] td.receipts")).await;
    assert_eq!(row, "2 of 6", "Sam and now Bea, of Store Operations' six");
    browser.screenshot("agent-announcements").await;
}

/// Whether the banner marks the item unread.
async fn unread(browser: &Browser, item: &str) -> bool {
    let script = "return document.querySelector(arguments[0]).classList.contains('unread');";
    browser.script(script, vec![json!(item)]).await.as_bool().expect("a list item")
}
