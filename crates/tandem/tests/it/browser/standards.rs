//! The admin sets up a service standard in the pages: a calendar with a lunch break and a holiday,
//! then a standard counting in it, and finds both listed. Photographed at both widths.

use super::Desk;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_the_admin_creates_a_calendar_with_a_lunch_break_and_a_standard_using_it() {
    let desk = Desk::demo().await;
    let browser = desk.browser().await;
    browser.sign_in("admin@harbor.example", "/admin").await;
    browser.click_and_wait("a[href='/admin/calendars']").await;
    browser.click_and_wait("a[href='/admin/calendars/new']").await;

    browser.fill("#name", "Porto office").await;
    browser.fill("#time_zone", "Europe/Lisbon").await;
    for day in ["monday", "tuesday", "wednesday", "thursday", "friday"] {
        browser.fill(&format!("#hours_{day}"), "09:00-12:30, 13:30-17:30").await;
    }
    browser.fill("#holidays", "2026-12-24").await;
    browser.screenshot("admin-calendar-new").await;
    browser.click_and_wait("button.primary").await;
    assert!(browser.path().await.starts_with("/admin/calendars/"), "{}", browser.path().await);
    assert!(browser.source().await.contains("Created."));

    browser.visit("/admin/calendars").await;
    let row = browser.text("tr[data-calendar='Porto office']").await;
    assert!(row.contains("Monday, Tuesday, Wednesday, Thursday, Friday: 09:00-12:30, 13:30-17:30; 1 holiday"), "{row}");
    assert!(row.contains("Europe/Lisbon"), "{row}");

    browser.visit("/admin/standards/new").await;
    browser.fill("#name", "Porto promise").await;
    browser.fill("#position", "1").await;
    browser.click("input[name='priority'][value='high']").await;
    browser.choose("#calendar_id", "Porto office").await;
    browser.fill("#first_response_minutes", "60").await;
    browser.fill("#resolution_minutes", "480").await;
    browser.choose("[id='escalations.resolution.raise_priority']", "one step up").await;
    browser.screenshot("admin-standard-new").await;
    browser.click_and_wait("button.primary").await;
    assert!(browser.path().await.starts_with("/admin/standards/"), "{}", browser.path().await);
    assert!(browser.source().await.contains("Created."));

    browser.visit("/admin/standards").await;
    let row = browser.text("tr[data-standard='Porto promise']").await;
    assert!(row.contains("priority is high") && row.contains("First response 60 min, Resolution 480 min"), "{row}");
    assert!(row.contains("Porto office"), "{row}");
    let first = browser.text("#standards tbody tr").await;
    assert!(first.contains("Porto promise"), "order 1 is tried first: {first}");
    browser.screenshot("admin-standards").await;

    let saved = desk.test.get("/api/v1/standards", &desk.test.token("admin@harbor.example").await).await.json;
    let saved = saved.as_array().unwrap().iter().find(|standard| standard["name"] == "Porto promise").cloned().unwrap();
    assert_eq!(saved["escalations"]["resolution"]["raise_priority"], "one_step");
}
