//! Casey works the console from the keyboard: `j` moves down the queue, `o` opens the ticket,
//! `n` switches the composer to an internal note with the focus in the text box, Escape leaves
//! the box, and `r` switches back to a public reply.

use super::Desk;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_casey_moves_opens_and_switches_the_composer_from_the_keyboard() {
    let desk = Desk::demo().await;
    let browser = desk.browser().await;
    browser.sign_in("casey@harbor.example", "/agent?view=open").await;
    let first = browser.find("[data-row]").await.attr("data-ticket").await.expect("a row attribute");
    let first = first.expect("the first row names its ticket");

    browser.press('j').await;
    assert_eq!(browser.text("[data-row].selected").await, browser.text("[data-row]").await, "j selects the first row");
    browser.press_and_wait('o').await;
    assert_eq!(browser.path().await, format!("/agent/tickets/{first}"), "o opens the selected ticket");

    browser.press('n').await;
    assert_eq!(browser.focused_id().await, "reply-body", "n puts the focus in the text box");
    assert!(browser.shown("#composer button.send-note").await, "in note mode the note button shows");
    assert!(!browser.shown("#composer button.send-public").await, "and the reply button does not");

    browser.press(fantoccini::key::Key::Escape.into()).await;
    assert_ne!(browser.focused_id().await, "reply-body", "Escape leaves the text box");
    browser.press('r').await;
    assert_eq!(browser.focused_id().await, "reply-body", "r puts the focus back in the text box");
    assert!(browser.shown("#composer button.send-public").await, "in reply mode the reply button shows");
    assert!(!browser.shown("#composer button.send-note").await, "and the note button does not");
}
