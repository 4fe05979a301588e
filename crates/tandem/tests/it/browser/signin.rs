//! Signing in as a person does: a wrong password says so clearly and keeps the email typed; the
//! right one opens the page asked for, with a session cookie the page's scripts cannot read.

use super::Desk;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_sign_in_says_what_went_wrong_and_keeps_the_email() {
    let desk = Desk::demo().await;
    let browser = desk.browser().await;

    browser.visit("/portal").await;
    assert!(browser.path().await.starts_with("/signin"), "signed out, the portal asks to sign in first");
    browser.screenshot("signin").await;

    browser.sign_in_with("erin@example.com", "not-the-password", "/portal").await;
    assert_eq!(browser.status().await, 401);
    let error = browser.text("#signin-error").await;
    assert!(error.contains("do not match"), "a clear error: {error}");
    assert_eq!(browser.value("#email").await, "erin@example.com", "the email is still there to fix");
    assert_eq!(browser.value("#password").await, "", "the password is never sent back");
    let described = browser.find("#email").await.attr("aria-describedby").await.expect("an attribute");
    assert_eq!(described.as_deref(), Some("signin-error"), "a screen reader hears the error with the field");
    browser.screenshot("signin-error").await;

    browser.sign_in("erin@example.com", "/portal").await;
    assert_eq!(browser.status().await, 200);
    assert!(browser.text("h1").await.contains("Help centre"), "Erin, a customer, gets the help centre");
    // HttpOnly: the session is not in document.cookie, so a script injected into a page cannot take it.
    let cookies = browser.script("return document.cookie;", vec![]).await;
    assert!(!cookies.as_str().unwrap_or_default().contains("tandem_session"), "{cookies}");
    let cookie = browser.client.get_named_cookie("tandem_session").await.expect("the session cookie is set");
    assert_eq!(cookie.http_only(), Some(true));
    // Secure, and still kept on http://127.0.0.1: Chromium treats loopback as a secure context.
    assert_eq!(cookie.secure(), Some(true));
    assert_eq!(format!("{:?}", cookie.same_site()), "Some(Lax)", "the cookie is not sent on cross-site posts");
    browser.screenshot("portal-home").await;
}
