//! Forms without the session's CSRF token are refused: a form whose `_csrf` input a script removed
//! gets the 403 refusal page and creates nothing; forms posted from a page on another origin
//! create nothing and sign nobody out.

use super::Desk;

const SUBJECT: &str = "Forged request";

/// How many tickets Erin can see, through the API.
async fn erins_tickets(desk: &Desk, token: &str) -> usize {
    let list = desk.test.get("/api/v1/tickets?limit=100", token).await;
    assert_eq!(list.status, 200, "{:?}", list.json);
    list.json["items"].as_array().map(Vec::len).expect("a list of tickets")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_post_without_the_csrf_token_is_refused_and_creates_nothing() {
    let desk = Desk::demo().await;
    let token = desk.test.token("erin@example.com").await;
    let before = erins_tickets(&desk, &token).await;
    let browser = desk.browser().await;

    browser.sign_in("erin@example.com", "/portal/services/order-problem").await;
    browser.fill("#subject", SUBJECT).await;
    browser.fill("#field-order_number", "HB-66666").await;
    browser.fill("#body", "Sent without the token.").await;
    let removed = browser
        .script(
            "const token = document.querySelector('form.request-form input[name=_csrf]'); token.remove(); return true;",
            vec![],
        )
        .await;
    assert_eq!(removed, serde_json::json!(true));
    browser.click_and_wait("form.request-form button[type=submit]").await;
    assert_eq!(browser.status().await, 403, "refused:\n{}", browser.source().await);
    assert!(browser.text("h1").await.contains("Not allowed"));
    assert_eq!(erins_tickets(&desk, &token).await, before, "nothing was created");

    // Another origin: a page of its own (a data: URL, an opaque origin) posting to the desk while
    // Erin is signed in. A forged request is not created: the SameSite=Lax cookie stays home, so the
    // desk sees nobody signed in and asks for a sign-in (which, Erin being signed in, shows the
    // empty form again).
    let forged = format!(
        "data:text/html,<form method=post enctype=multipart/form-data action='{}/portal/services/order-problem'>\
         <input name=subject value='{SUBJECT}'><input name=body value=forged>\
         <input name='fields.order_number' value=HB-1><button id=go>Go</button></form>",
        desk.base
    );
    browser.client.goto(&forged).await.expect("opening the other origin's page");
    browser.click_and_wait("#go").await;
    assert!(!browser.path().await.starts_with("/portal/requests/"), "no request page for a forged post");
    assert_eq!(erins_tickets(&desk, &token).await, before, "nothing was created");
    // A forged sign-out is refused outright by where it comes from, with the refusal page.
    let forged =
        format!("data:text/html,<form method=post action='{}/signout'><button id=go>Go</button></form>", desk.base);
    browser.client.goto(&forged).await.expect("opening the other origin's page");
    browser.click_and_wait("#go").await;
    assert_eq!(browser.status().await, 403, "refused:\n{}", browser.source().await);
    assert!(browser.source().await.contains("Tandem's own pages"), "the page says why");

    browser.visit("/portal/requests").await;
    assert_eq!(browser.path().await, "/portal/requests", "Erin is still signed in");
    assert!(!browser.source().await.contains(SUBJECT), "My requests has no forged request");
}
