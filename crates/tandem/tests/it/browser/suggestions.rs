//! Suggestions while a request is typed, in a real browser: Erin starts a request about her
//! espresso machine, the descaling article appears under the subject as she types, she presses
//! "This solved my problem", and she is thanked; no request was filed and the article's editors
//! see one more deflection. The Care editor then sees the count in the console.

use super::Desk;

const DESCALE: &str = "How to descale your espresso machine";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_suggested_article_solves_erins_problem_before_she_files_it() {
    let desk = Desk::demo().await;
    let (erin, casey) = (desk.test.token("erin@example.com").await, desk.test.token("casey@harbor.example").await);
    let found = desk.test.get("/api/v1/articles?q=descale", &casey).await;
    let article = found.json["items"][0]["id"].as_i64().expect("the demo's descaling article");
    let deflections = || async {
        let shown = desk.test.get(&format!("/api/v1/articles/{article}"), &casey).await;
        shown.json["stats"]["deflections"].as_i64().expect("editors see the count")
    };
    let requests = || async {
        let listed = desk.test.get("/api/v1/tickets?scope=requested&limit=100", &erin).await;
        listed.json["items"].as_array().map(Vec::len).unwrap_or_default()
    };
    let (deflections_before, requests_before) = (deflections().await, requests().await);
    let browser = desk.browser().await;

    browser.sign_in("erin@example.com", "/portal/services/order-problem").await;
    browser.fill("#subject", "My espresso machine needs descal").await;
    let suggestion = browser.text("#suggestions [data-suggestion='how-to-descale-your-espresso-machine']").await;
    assert!(suggestion.contains(DESCALE) && suggestion.contains("This solved my problem"), "{suggestion}");
    let all = browser.text("#suggestions").await;
    assert!(!all.contains("VPN") && !all.contains("Refund guidelines"), "only public articles for Erin: {all}");
    browser.screenshot("portal-suggestions").await;

    browser.click_and_wait("#suggestions [data-suggestion='how-to-descale-your-espresso-machine'] button").await;
    assert_eq!(browser.path().await, "/portal/services/order-problem/solved");
    assert!(browser.text("#solved").await.contains("Glad that helped"));
    browser.screenshot("portal-solved").await;
    assert_eq!(requests().await, requests_before, "the request was not filed");
    assert_eq!(deflections().await, deflections_before + 1, "the deflection was counted");

    browser.sign_in("casey@harbor.example", "/agent/articles").await;
    let row = browser.text("tr[data-article='how-to-descale-your-espresso-machine'] td.deflections").await;
    assert_eq!(row, (deflections_before + 1).to_string());
    browser.screenshot("agent-articles").await;
}
