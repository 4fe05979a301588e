//! A request form sent with a required field left empty comes back with the error beside that
//! field (tied to it for screen readers) and with everything typed still in place.

use super::Desk;

const SUBJECT: &str = "Missing milk frother";
const BODY: &str = "The frother was not in the box.\nEverything else was there.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_missing_required_field_is_explained_beside_it_and_nothing_typed_is_lost() {
    let desk = Desk::demo().await;
    let browser = desk.browser().await;

    browser.sign_in("erin@example.com", "/portal/services/order-problem").await;
    browser.fill("#subject", SUBJECT).await;
    browser.fill("#body", BODY).await;
    browser.choose("#field-problem", "Missing item").await;
    // The order number is required and left empty; the browser's own check is off (novalidate)
    // so that the server's message, beside the field, is what a person reads.
    browser.click_and_wait("form.request-form button[type=submit]").await;

    assert_eq!(browser.status().await, 422);
    assert!(browser.path().await.starts_with("/portal/services/order-problem"), "still on the form");
    let error = browser.text("#field-order_number-error").await;
    assert!(error.contains("Order number"), "the error names the field: {error}");
    let field = browser.find("#field-order_number").await;
    let described = field.attr("aria-describedby").await.expect("an attribute").unwrap_or_default();
    assert!(described.split(' ').any(|id| id == "field-order_number-error"), "aria-describedby: {described:?}");
    assert_eq!(field.attr("aria-invalid").await.expect("an attribute").as_deref(), Some("true"));
    // Beside the field: the error and the input share a parent, so they are read and seen together.
    let together = browser
        .script(
            "const error = document.getElementById('field-order_number-error');\
             return error.parentElement === document.getElementById('field-order_number').parentElement;",
            vec![],
        )
        .await;
    assert_eq!(together, serde_json::json!(true), "the error sits with its field");
    let summary = browser.text(".error-summary").await;
    assert!(summary.contains("Order number"), "the summary at the top lists it too: {summary}");

    assert_eq!(browser.value("#subject").await, SUBJECT, "the subject is kept");
    assert_eq!(browser.value("#body").await, BODY, "the description is kept, line breaks and all");
    assert_eq!(browser.value("#field-problem").await, "Missing item", "the choice is kept");
    browser.screenshot("service-form-error").await;

    // Fixing the one field is enough to send it.
    browser.fill("#field-order_number", "HB-40404").await;
    browser.click_and_wait("form.request-form button[type=submit]").await;
    assert!(browser.path().await.starts_with("/portal/requests/"), "sent once fixed");
}
