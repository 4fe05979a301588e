//! Announcements as pages, driven as a browser would (`pages::Browser`): the employee portal's
//! banner with unread ones marked, the list and the page that marks one read; the console's list
//! with read counts and the editor (draft, publish, withdraw, refused input); and every role
//! against each page, external customers seeing none of it.

use axum::http::StatusCode;

use super::*;
use crate::pages::{ADMIN, BEA, Browser, ERIN, IVAN, csrf, location, text};

const HOLIDAYS: &str = "Opening hours over the holidays";
const ROTA: &str = "New rota app for store staff from 1 December";
const LAPTOPS: &str = "Laptop refresh in January";
const HANA: &str = "hana@harbor.example";
const SAM: &str = "sam@harbor.example";

/// Each demo announcement's id, from the admin's API list.
async fn ids(desk: &TestApp) -> [i64; 3] {
    let admin = desk.token(ADMIN).await;
    let listed = desk.get("/api/v1/announcements?limit=100", &admin).await.json;
    let items = listed["items"].as_array().unwrap().clone();
    let id = |title: &str| items.iter().find(|item| item["title"] == title).unwrap()["id"].as_i64().unwrap();
    [id(HOLIDAYS), id(ROTA), id(LAPTOPS)]
}

/// The `<li>` of announcement `id` in a page's list.
fn list_item(page: &str, id: i64) -> &str {
    let start = page.find(&format!("data-announcement=\"{id}\"")).unwrap_or_else(|| panic!("{id} listed: {page}"));
    let end = start + page[start..].find("</li>").unwrap();
    &page[start..end]
}

test_both! {
    async fn an_employee_sees_the_banner_opens_one_and_it_is_read(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let [holidays, rota, laptops] = ids(&desk).await;
    let bea = Browser::of(&desk, BEA).await;
    let home = bea.page("/portal").await;
    assert!(home.contains("id=\"announcements-title\""), "{home}");
    // Pinned first; Bea read the holiday hours in the demo, not the rota.
    assert!(home.find(HOLIDAYS).unwrap() < home.find(ROTA).unwrap(), "pinned first: {home}");
    assert!(!list_item(&home, holidays).contains("New</span>"));
    assert!(list_item(&home, rota).contains("New</span>"));
    assert!(!home.contains(LAPTOPS), "a draft reaches nobody");

    let page = bea.page(&format!("/portal/announcements/{rota}")).await;
    assert!(page.contains("<strong>Rota</strong>"), "Markdown rendered: {page}");
    assert!(page.contains("Hana HR") && page.contains("Store Operations"), "{page}");
    assert!(!page.contains("/agent/announcements/"), "no edit link for a reader");
    let home = bea.page("/portal").await;
    assert!(!list_item(&home, rota).contains("New</span>"), "opening it read it");
    let api = desk.get(&format!("/api/v1/announcements/{rota}"), bea.token()).await;
    assert!(api.json["read_at"].is_string(), "{:?}", api.json);
    let admin = desk.token(ADMIN).await;
    let receipts = desk.get(&format!("/api/v1/announcements/{rota}"), &admin).await.json["receipts"].clone();
    assert_eq!(receipts, json!({"read": 2, "recipients": 6}));

    let list = bea.page("/portal/announcements").await;
    assert!(list.contains(HOLIDAYS) && list.contains(ROTA) && !list.contains(LAPTOPS), "{list}");
    assert_eq!(bea.get(&format!("/portal/announcements/{laptops}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(bea.get("/portal/announcements/nonsense").await.status, StatusCode::NOT_FOUND);
    assert!(bea.page("/portal").await.contains("href=\"/portal/announcements\""), "the nav links them");
}
}

test_both! {
    async fn customers_and_visitors_see_no_announcement_page(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let [holidays, rota, laptops] = ids(&desk).await;
    for email in [ERIN, "olga@bayside.example"] {
        let customer = Browser::of(&desk, email).await;
        let home = customer.page("/portal").await;
        assert!(!home.contains("announcement") && !home.contains(HOLIDAYS), "{email}: {home}");
        let mut paths = vec!["/portal/announcements".to_owned(), "/agent/announcements".to_owned(),
                             "/agent/announcements/new".to_owned()];
        for id in [holidays, rota, laptops] {
            paths.push(format!("/portal/announcements/{id}"));
            paths.push(format!("/agent/announcements/{id}"));
        }
        for path in &paths {
            let response = customer.get(path).await;
            assert_eq!(response.status, StatusCode::NOT_FOUND, "{email} GET {path}");
            assert!(!text(&response).contains(HOLIDAYS), "{email}: the 404 names nothing");
        }
        let token = csrf(&home);
        let publish = customer.post(&format!("/agent/announcements/{laptops}/publish"), &[("_csrf", token.as_str())]).await;
        assert_eq!(publish.status, StatusCode::NOT_FOUND);
    }
    let visitor = Browser::anonymous(&desk);
    for path in ["/portal/announcements".to_owned(), format!("/portal/announcements/{holidays}"),
                 "/agent/announcements".to_owned()] {
        let response = visitor.get(&path).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), format!("/signin?next={path}"));
    }
}
}

test_both! {
    async fn only_leads_and_admins_use_the_console_and_see_read_counts(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let [holidays, rota, laptops] = ids(&desk).await;
    for email in [BEA, SAM] {
        let employee = Browser::of(&desk, email).await;
        for path in ["/agent/announcements".to_owned(), "/agent/announcements/new".to_owned(),
                     format!("/agent/announcements/{rota}")] {
            assert_eq!(employee.get(&path).await.status, StatusCode::FORBIDDEN, "{email} GET {path}");
        }
    }
    let ivan = Browser::of(&desk, IVAN).await;
    let list = ivan.page("/agent/announcements").await;
    assert!(list_row(&list, holidays).contains("2 of 13"), "{list}");
    assert!(list_row(&list, rota).contains("1 of 6"), "{list}");
    assert!(list_row(&list, laptops).contains("Draft"), "{list}");
    // Ivan's own draft: the form and Publish; Hana's: read counts, no form, no buttons.
    let own = ivan.page(&format!("/agent/announcements/{laptops}")).await;
    assert!(own.contains("id=\"publish\"") && own.contains("id=\"save\""), "{own}");
    let other = ivan.page(&format!("/agent/announcements/{rota}")).await;
    assert!(!other.contains("id=\"save\"") && !other.contains("id=\"withdraw\""), "{other}");
    assert!(other.contains("id=\"read-count\">1</strong> of 6"), "{other}");
    let publish = ivan.post(&format!("/agent/announcements/{rota}/withdraw"), &[("_csrf", csrf(&other).as_str())]).await;
    assert_eq!(publish.status, StatusCode::FORBIDDEN, "{}", text(&publish));
    // The portal shows a writer the edit link of what they may change.
    let admin = Browser::of(&desk, ADMIN).await;
    assert!(admin.page(&format!("/portal/announcements/{holidays}")).await.contains(&format!("/agent/announcements/{holidays}")));
}
}

fn list_row(page: &str, id: i64) -> &str {
    let start = page.find(&format!("<tr data-announcement=\"{id}\"")).unwrap_or_else(|| panic!("{id}: {page}"));
    let end = start + page[start..].find("</tr>").unwrap();
    &page[start..end]
}

test_both! {
    async fn a_lead_drafts_publishes_and_withdraws_from_the_console(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let hana = Browser::of(&desk, HANA).await;
    let form = hana.page("/agent/announcements/new").await;
    assert!(form.contains(">All employees</option>") && form.contains(">Store Operations</option>"), "{form}");
    assert!(!form.contains(">Customer Care</option>"), "teams are not audiences: {form}");
    let token = csrf(&form);
    let refused = hana.post("/agent/announcements/new", &[("_csrf", token.as_str()), ("title", ""), ("body", "Hi"),
                                                         ("audience", "all")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&refused).contains("title"), "{}", text(&refused));
    let bad_end = hana.post("/agent/announcements/new", &[("_csrf", token.as_str()), ("title", "T"), ("body", "B"),
                                                         ("audience", "all"), ("expires_at", "soon")]).await;
    assert_eq!(bad_end.status, StatusCode::UNPROCESSABLE_ENTITY);

    let stores = form.split("<option value=\"").find(|option| option.contains(">Store Operations<")).unwrap();
    let stores = &stores[..stores.find('"').unwrap()];
    let fields = [("_csrf", token.as_str()), ("title", "Payslips move online"), ("body", "See **Workday**."),
                  ("audience", stores), ("pinned", "on"), ("expires_at", "2099-01-31T17:00")];
    let created = hana.post("/agent/announcements/new", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", text(&created));
    let path = location(&created).split('?').next().unwrap().to_owned();
    let page = hana.page(&path).await;
    assert!(page.contains("<strong id=\"status\">Draft</strong>"), "{page}");
    assert!(page.contains("value=\"2099-01-31T17:00\""), "the end comes back as typed: {page}");
    let id = path.rsplit('/').next().unwrap();
    let bea = Browser::of(&desk, BEA).await;
    assert!(!bea.page("/portal").await.contains("Payslips move online"));

    let published = hana.post(&format!("{path}/publish"), &[("_csrf", token.as_str())]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert!(hana.page(&path).await.contains("<strong id=\"status\">Published</strong>"));
    let home = bea.page("/portal").await;
    assert!(home.contains("Payslips move online"), "{home}");
    assert!(home.find("Payslips move online").unwrap() < home.find(ROTA).unwrap(), "pinned above the rota");
    let ivan = Browser::of(&desk, IVAN).await;
    assert_eq!(ivan.get(&format!("/portal/announcements/{id}")).await.status, StatusCode::OK, "writers see it");
    assert!(!ivan.page("/portal").await.contains("Payslips move online"), "not on a non-recipient's portal");

    let withdrawn = hana.post(&format!("{path}/withdraw"), &[("_csrf", token.as_str())]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    let page = hana.page(&path).await;
    assert!(page.contains("<strong id=\"status\">Withdrawn</strong>") && !page.contains("id=\"save\""), "{page}");
    assert!(!bea.page("/portal").await.contains("Payslips move online"));
    assert_eq!(bea.get(&format!("/portal/announcements/{id}")).await.status, StatusCode::NOT_FOUND);
    let forged = hana.post(&format!("{path}/publish"), &[("title", "x")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no CSRF token, no action");
}
}
