//! The first journey: Erin, a customer, reports a problem with an order from the portal and
//! finds it under My requests; Casey, an agent, opens it in the console and answers with a public
//! reply and an internal note; Erin sees the reply and never the note.

use super::Desk;

const REPLY: &str = "Whole beans are on their way, with our apologies.";
const NOTE: &str = "Grinder setting was wrong in the warehouse; told Wes.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_erin_sees_caseys_reply_but_never_the_internal_note() {
    let desk = Desk::demo().await;
    let browser = desk.browser().await;

    browser.sign_in("erin@example.com", "/portal/services/order-problem").await;
    browser.fill("#subject", "Got ground coffee, ordered beans").await;
    browser.fill("#field-order_number", "HB-20417").await;
    browser.fill("#body", "My order HB-20417 came ground, but I asked for whole beans.").await;
    browser.click_and_wait("form.request-form button[type=submit]").await;
    let path = browser.path().await;
    let id = request_id(&path);
    assert!(browser.text("h1").await.contains("Got ground coffee"), "the request page after sending ({path})");

    browser.visit("/portal/requests").await;
    let row = browser.text(&format!("tr[data-ticket='{id}']")).await;
    assert!(row.contains("Got ground coffee, ordered beans"), "My requests lists it: {row}");
    browser.screenshot("my-requests").await;

    browser.sign_in("casey@harbor.example", "/agent").await;
    browser.screenshot("agent-queue").await;
    browser.visit(&format!("/agent/tickets/{id}")).await;
    assert!(browser.text("h1").await.contains("Got ground coffee"));
    // The public reply: the default mode, sent with the button that names who will read it.
    browser.fill("#reply-body", REPLY).await;
    browser.click_and_wait("#composer button.send-public").await;
    // The note: its own mode, which turns the composer yellow and swaps in its own button.
    assert!(!browser.shown("#composer button.send-note").await, "in reply mode only the reply button shows");
    browser.click("label.mode-note").await;
    assert!(!browser.shown("#composer button.send-public").await, "in note mode the reply button is gone");
    browser.fill("#reply-body", NOTE).await;
    browser.click_and_wait("#composer button.send-note").await;
    let note = browser.text(".conversation .message.internal").await;
    assert!(note.contains(NOTE), "Casey sees the note marked as internal: {note}");
    let conversation = browser.text(".conversation").await;
    assert!(conversation.contains(REPLY), "and the reply: {conversation}");
    browser.screenshot("agent-ticket").await;

    browser.sign_in("erin@example.com", &format!("/portal/requests/{id}")).await;
    let conversation = browser.text("#conversation").await;
    assert!(conversation.contains(REPLY), "Erin sees Casey's reply: {conversation}");
    let source = browser.source().await;
    assert!(!source.contains("Grinder setting"), "the note is nowhere in Erin's page:\n{source}");
    browser.screenshot("portal-request").await;
}

/// The ticket number in `/portal/requests/{id}?done=sent`.
fn request_id(path: &str) -> i64 {
    let rest = path.strip_prefix("/portal/requests/").unwrap_or_else(|| panic!("a request page, not {path}"));
    rest.split(['?', '/']).next().and_then(|id| id.parse().ok()).unwrap_or_else(|| panic!("a number in {path}"))
}
