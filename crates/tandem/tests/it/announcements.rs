//! Announcements over the API, on the demo's three (holiday hours for every employee, pinned, from
//! the admin; the rota app for Store Operations from Hana, HR's lead; Ivan's laptop refresh, a
//! draft): who lists and reads what (an external customer never anything), who writes what,
//! department targeting, read receipts as counts, idempotent reads, withdrawal, expiry, and input
//! refused field by field.
//!
//! People: nobody signed in, Erin (external consumer), Olga (external buyer with organization
//! access), Bea and Sam (employees of Store Operations), Cody (an agent of Care, not a lead, in no
//! department), Ivan and Hana (team leads), the admin.

use std::collections::BTreeSet;

use axum::http::Method;
use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;

const HOLIDAYS: &str = "Opening hours over the holidays";
const ROTA: &str = "New rota app for store staff from 1 December";
const LAPTOPS: &str = "Laptop refresh in January";

const ADMIN: &str = "admin@harbor.example";
const IVAN: &str = "ivan@harbor.example";
const HANA: &str = "hana@harbor.example";
const BEA: &str = "bea@harbor.example";
const SAM: &str = "sam@harbor.example";
const CODY: &str = "cody@harbor.example";
const ERIN: &str = "erin@example.com";
const OLGA: &str = "olga@bayside.example";

/// The demo's employees (the admin, six leads, Sam, Bea and the four baristas of Store Operations)
/// and Cody.
const EMPLOYEES: i64 = 14;

/// Store Operations: Sam, Bea and the four baristas.
const STORE_OPERATIONS: i64 = 6;

/// The demo desk with Cody, a plain agent of Care, and a token for each person.
struct Desk {
    desk: TestApp,
    tokens: Vec<(&'static str, String)>,
}

impl Desk {
    async fn new(backend: TestBackend) -> Desk {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let teams = desk.get("/api/v1/teams", &admin).await.json;
        let care = teams.as_array().unwrap().iter().find(|team| team["slug"] == "care").unwrap()["id"].clone();
        let cody =
            desk.post("/api/v1/people", &admin, &json!({"email": CODY, "name": "Cody Care", "kind": "employee"})).await;
        assert_eq!(cody.status, 201, "{:?}", cody.json);
        let member = format!("/api/v1/teams/{care}/members/{}", cody.json["id"]);
        assert_eq!(desk.put(&member, &admin, &json!({"role": "agent"})).await.status, 200);
        let mut tokens = Vec::new();
        for email in [ADMIN, IVAN, HANA, BEA, SAM, CODY, ERIN, OLGA] {
            tokens.push((email, desk.token(email).await));
        }
        Desk { desk, tokens }
    }

    fn token(&self, email: &str) -> &str {
        &self.tokens.iter().find(|(who, _)| *who == email).expect("a known person").1
    }

    async fn send(&self, who: Option<&str>, method: Method, path: &str, body: Option<Value>) -> TestResponse {
        let token = who.map(|email| self.token(email));
        self.desk.send(method, path, token, body.as_ref()).await
    }

    async fn get(&self, who: &str, path: &str) -> TestResponse {
        self.send(Some(who), Method::GET, path, None).await
    }

    async fn post(&self, who: &str, path: &str, body: Value) -> TestResponse {
        self.send(Some(who), Method::POST, path, Some(body)).await
    }

    async fn put(&self, who: &str, path: &str, version: i64, body: Value) -> TestResponse {
        let token = self.token(who);
        let version = format!("\"{version}\"");
        self.desk.send_with(Method::PUT, path, Some(token), Some(&body), &[("if-match", &version)]).await
    }

    /// The titles `who` lists (with an optional query string).
    async fn titles(&self, who: &str, query: &str) -> BTreeSet<String> {
        let listed = self.get(who, &format!("/api/v1/announcements{query}")).await;
        assert_eq!(listed.status, 200, "{who}: {:?}", listed.json);
        let items = listed.json["items"].as_array().unwrap().clone();
        items.iter().map(|item| item["title"].as_str().unwrap().to_owned()).collect()
    }

    /// Each demo announcement's id, from the admin's list of everything.
    async fn id(&self, title: &str) -> i64 {
        let listed = self.get(ADMIN, "/api/v1/announcements?limit=100").await;
        let items = listed.json["items"].as_array().unwrap().clone();
        let found = items.iter().find(|item| item["title"] == title).unwrap_or_else(|| panic!("{title}"));
        found["id"].as_i64().unwrap()
    }

    /// A draft by `who`, for a department (`None`: everyone); returns the answer.
    async fn draft(&self, who: &str, title: &str, department: Option<i64>) -> TestResponse {
        let input = json!({"title": title, "body": "Read **this**.", "department_id": department});
        self.post(who, "/api/v1/announcements", input).await
    }

    async fn department(&self, slug: &str) -> i64 {
        let teams = self.get(ADMIN, "/api/v1/teams").await.json;
        teams.as_array().unwrap().iter().find(|team| team["slug"] == slug).unwrap()["id"].as_i64().unwrap()
    }
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|title| (*title).to_owned()).collect()
}

fn assert_error(response: &TestResponse, status: u16, code: &str) {
    assert_eq!(response.status, status, "{:?}", response.json);
    assert_eq!(response.error_code(), code, "{:?}", response.json);
}

test_both! {
    async fn each_person_lists_and_reads_only_what_is_for_them(backend: TestBackend) {
    let desk = Desk::new(backend).await;
    let ids = [desk.id(HOLIDAYS).await, desk.id(ROTA).await, desk.id(LAPTOPS).await];
    // Published to them now: every employee gets the holiday hours, Store Operations the rota too;
    // the draft reaches nobody. Writers list everything.
    let cases: [(&str, &[&str]); 8] = [
        (ERIN, &[]),
        (OLGA, &[]),
        (BEA, &[HOLIDAYS, ROTA]),
        (SAM, &[HOLIDAYS, ROTA]),
        (CODY, &[HOLIDAYS]),
        (IVAN, &[HOLIDAYS, ROTA, LAPTOPS]),
        (HANA, &[HOLIDAYS, ROTA, LAPTOPS]),
        (ADMIN, &[HOLIDAYS, ROTA, LAPTOPS]),
    ];
    for (who, expected) in cases {
        assert_eq!(desk.titles(who, "").await, set(expected), "{who} lists");
        for (title, id) in [HOLIDAYS, ROTA, LAPTOPS].into_iter().zip(ids) {
            let read = desk.get(who, &format!("/api/v1/announcements/{id}")).await;
            if expected.contains(&title) {
                assert_eq!(read.status, 200, "{who} reads {title}: {:?}", read.json);
                assert_eq!(read.json["title"], title);
            } else {
                assert_error(&read, 404, "not_found");
            }
        }
    }
    // A writer's own list is what is published to them; readers may not list everything.
    assert_eq!(desk.titles(IVAN, "?scope=for_me").await, set(&[HOLIDAYS]));
    assert_eq!(desk.titles(SAM, "?scope=for_me").await, set(&[HOLIDAYS, ROTA]));
    assert_error(&desk.get(BEA, "/api/v1/announcements?scope=all").await, 403, "forbidden");
    assert_eq!(desk.titles(ERIN, "?scope=for_me").await, set(&[]));
    assert_error(&desk.get(ERIN, "/api/v1/announcements?scope=all").await, 403, "forbidden");
    assert_error(&desk.get(BEA, "/api/v1/announcements?scope=everything").await, 400, "bad_request");
    // Signed out: nothing at all.
    let anonymous = desk.send(None, Method::GET, "/api/v1/announcements", None).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(desk.send(None, Method::GET, &format!("/api/v1/announcements/{}", ids[0]), None).await.status, 401);

    // Readers see their own read and never the receipts; writers see the counts, never who.
    let bea_holidays = desk.get(BEA, &format!("/api/v1/announcements/{}", ids[0])).await.json;
    assert!(bea_holidays["read_at"].is_string(), "Bea read it in the demo: {bea_holidays:?}");
    assert!(bea_holidays["receipts"].is_null());
    assert_eq!(bea_holidays["can_edit"], false);
    assert!(desk.get(BEA, &format!("/api/v1/announcements/{}", ids[1])).await.json["read_at"].is_null());
    let holidays = desk.get(HANA, &format!("/api/v1/announcements/{}", ids[0])).await.json;
    assert_eq!(holidays["receipts"], json!({"read": 2, "recipients": EMPLOYEES}));
    assert_eq!(holidays["audience"], json!({"kind": "all_employees", "department": null}));
    assert_eq!(holidays["pinned"], true);
    assert!(holidays["body_html"].as_str().unwrap().contains("<strong>4 pm</strong>"), "{holidays:?}");
    let rota = desk.get(ADMIN, &format!("/api/v1/announcements/{}", ids[1])).await.json;
    assert_eq!(rota["receipts"], json!({"read": 1, "recipients": STORE_OPERATIONS}), "Sam read it; Bea not yet");
    assert_eq!(rota["audience"]["kind"], "department");
    assert_eq!(rota["audience"]["department"]["name"], "Store Operations");
    assert_eq!(rota["can_edit"], true, "admins change any announcement");
    let laptops = desk.get(HANA, &format!("/api/v1/announcements/{}", ids[2])).await.json;
    assert_eq!(laptops["status"], "draft");
    assert_eq!(laptops["can_edit"], false, "Hana did not write Ivan's draft");
    let text = serde_json::to_string(&rota).unwrap();
    assert!(!text.contains("sam@") && !text.contains("Sam Store"), "receipts name nobody: {text}");
}
}

test_both! {
    async fn an_external_customer_can_do_nothing_with_any_announcement(backend: TestBackend) {
    let desk = Desk::new(backend).await;
    let id = desk.id(HOLIDAYS).await;
    let draft = desk.id(LAPTOPS).await;
    for who in [ERIN, OLGA] {
        for path in [format!("/api/v1/announcements/{id}/read"), format!("/api/v1/announcements/{id}/publish"),
                     format!("/api/v1/announcements/{id}/withdraw"), format!("/api/v1/announcements/{draft}/publish")] {
            assert_error(&desk.post(who, &path, json!({})).await, 404, "not_found");
        }
        let edit = desk.put(who, &format!("/api/v1/announcements/{id}"), 1, json!({"title": "x", "body": "y"})).await;
        assert_error(&edit, 404, "not_found");
        assert_error(&desk.draft(who, "Hello customers", None).await, 404, "not_found");
    }
    assert_eq!(desk.titles(ADMIN, "").await.len(), 3, "nothing was written");
}
}

test_both! {
    async fn a_department_announcement_goes_from_draft_to_its_employees_and_is_withdrawn(backend: TestBackend) {
    let desk = Desk::new(backend).await;
    let stores = desk.department("stores").await;
    // Only leadership writes: employees and plain agents are refused.
    assert_error(&desk.draft(BEA, "Free coffee", None).await, 403, "forbidden");
    assert_error(&desk.draft(CODY, "Free coffee", None).await, 403, "forbidden");
    let created = desk.draft(IVAN, "New tills on Monday", Some(stores)).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    assert_eq!(created.json["status"], "draft");
    assert_eq!(created.json["receipts"], json!({"read": 0, "recipients": STORE_OPERATIONS}));
    let id = created.json["id"].as_i64().unwrap();
    let path = format!("/api/v1/announcements/{id}");
    assert_error(&desk.get(BEA, &path).await, 404, "not_found");
    assert_error(&desk.post(BEA, &format!("{path}/read"), json!({})).await, 404, "not_found");

    // Another lead sees it but may not change it; nor may its readers once it is out.
    assert_error(&desk.post(HANA, &format!("{path}/publish"), json!({})).await, 403, "forbidden");
    let published = desk.post(IVAN, &format!("{path}/publish"), json!({})).await;
    assert_eq!(published.status, 200, "{:?}", published.json);
    assert_eq!(published.json["status"], "published");
    assert!(published.json["published_at"].is_string());
    assert_error(&desk.post(IVAN, &format!("{path}/publish"), json!({})).await, 409, "already_published");
    let version = published.json["version"].as_i64().unwrap();
    let edit = json!({"title": "New tills on Tuesday", "body": "A day later.", "department_id": stores});
    assert_error(&desk.put(BEA, &path, version, edit.clone()).await, 403, "forbidden");
    assert_error(&desk.put(HANA, &path, version, edit.clone()).await, 403, "forbidden");
    assert_error(&desk.put(IVAN, &path, version - 1, edit.clone()).await, 409, "version_conflict");
    let missing = desk.send(Some(IVAN), Method::PUT, &path, Some(edit.clone())).await;
    assert_eq!(missing.status, 428, "{:?}", missing.json);
    let edited = desk.put(IVAN, &path, version, edit).await;
    assert_eq!(edited.status, 200, "{:?}", edited.json);
    assert_eq!(edited.json["status"], "published", "a correction stays published");

    // Store Operations reads it; nobody else does.
    assert!(desk.titles(BEA, "").await.contains("New tills on Tuesday"));
    assert!(desk.titles(SAM, "").await.contains("New tills on Tuesday"));
    assert_error(&desk.get(CODY, &path).await, 404, "not_found");
    assert_error(&desk.post(CODY, &format!("{path}/read"), json!({})).await, 404, "not_found");
    assert_error(&desk.post(IVAN, &format!("{path}/read"), json!({})).await, 403, "forbidden");

    // Reading is idempotent: the first time is kept, the count moves once.
    let first = desk.post(BEA, &format!("{path}/read"), json!({})).await;
    assert_eq!(first.status, 200, "{:?}", first.json);
    let read_at = first.json["read_at"].clone();
    assert!(read_at.is_string());
    assert!(first.json["receipts"].is_null(), "a reader gets no counts");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let again = desk.post(BEA, &format!("{path}/read"), json!({})).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json["read_at"], read_at);
    assert_eq!(desk.get(IVAN, &path).await.json["receipts"], json!({"read": 1, "recipients": STORE_OPERATIONS}));

    // Withdrawn: gone for readers, frozen for writers.
    assert_error(&desk.post(HANA, &format!("{path}/withdraw"), json!({})).await, 403, "forbidden");
    assert_error(&desk.post(BEA, &format!("{path}/withdraw"), json!({})).await, 403, "forbidden");
    let withdrawn = desk.post(ADMIN, &format!("{path}/withdraw"), json!({})).await;
    assert_eq!(withdrawn.status, 200, "{:?}", withdrawn.json);
    assert_eq!(withdrawn.json["status"], "withdrawn");
    assert_error(&desk.get(BEA, &path).await, 404, "not_found");
    assert_error(&desk.post(BEA, &format!("{path}/read"), json!({})).await, 404, "not_found");
    assert!(!desk.titles(BEA, "").await.contains("New tills on Tuesday"));
    assert_error(&desk.post(IVAN, &format!("{path}/withdraw"), json!({})).await, 409, "announcement_withdrawn");
    let late = desk.put(IVAN, &path, withdrawn.json["version"].as_i64().unwrap(), json!({"title": "x", "body": "y"})).await;
    assert_error(&late, 409, "announcement_withdrawn");
    assert_error(&desk.post(IVAN, &format!("{path}/publish"), json!({})).await, 409, "announcement_withdrawn");
    assert_eq!(desk.get(IVAN, &path).await.json["status"], "withdrawn", "writers still see it");
}
}

test_both! {
    async fn input_is_refused_field_by_field_and_nothing_is_written(backend: TestBackend) {
    let desk = Desk::new(backend).await;
    let care = desk.department("care").await;
    let cases = [
        (json!({"title": " ", "body": "b"}), "title"),
        (json!({"title": "t", "body": ""}), "body"),
        (json!({"title": "t".repeat(201), "body": "b"}), "title"),
        (json!({"title": "t", "body": "b", "department_id": care}), "department_id"),
        (json!({"title": "t", "body": "b", "department_id": 987_654}), "department_id"),
        (json!({"title": "t", "body": "b", "expires_at": "2020-01-01T00:00:00Z"}), "expires_at"),
        (json!({"title": "t", "body": "b", "expires_at": "next friday"}), "expires_at"),
        (json!({"title": "t", "body": "b", "audience": "everyone"}), "audience"),
        (json!({"title": "t", "body": "b", "pinned": "yes"}), "pinned"),
    ];
    for (input, field) in cases {
        let refused = desk.post(IVAN, "/api/v1/announcements", input.clone()).await;
        assert_error(&refused, 422, "invalid");
        let fields = &refused.json["error"]["fields"];
        assert!(fields.get(field).is_some() || refused.json["error"]["message"].as_str().unwrap().contains(field),
            "{input}: {:?}", refused.json);
    }
    assert_eq!(desk.titles(ADMIN, "").await.len(), 3, "nothing was written");
    assert_error(&desk.get(ADMIN, "/api/v1/announcements/abc").await, 400, "bad_request");
    assert_error(&desk.get(ADMIN, "/api/v1/announcements/987654").await, 404, "not_found");
    assert_error(&desk.get(BEA, "/api/v1/announcements?cursor=nonsense").await, 422, "invalid");
}
}

test_both! {
    async fn readers_page_through_and_an_expired_announcement_leaves_their_lists(backend: TestBackend) {
    let desk = Desk::new(backend).await;
    let now = tandem_testkit::now();
    let hana = desk.desk.principal(HANA).await;
    let bea = desk.desk.principal(BEA).await;
    let input = tandem_app::announcements::AnnouncementInput {
        title: "Stocktake tonight".into(),
        body: "Count the beans.".into(),
        department_id: None,
        pinned: false,
        email: false,
        expires_at: Some(jiff::Timestamp::from_millisecond(now + 60_000).unwrap().to_string()),
    };
    let draft = desk.desk.app.create_announcement(&hana, input, now).await.unwrap();
    desk.desk.app.publish_announcement(&hana, draft.id, now).await.unwrap();
    let page = tandem_app::PageRequest { limit: Some(2), cursor: None };
    let mine = |at: i64, page: tandem_app::PageRequest| {
        let (app, bea) = (&desk.desk.app, &bea);
        async move { app.list_announcements(bea, Default::default(), page, at).await.unwrap() }
    };
    // Newest first, two by two.
    let first = mine(now + 1, page.clone()).await;
    let titles: Vec<&str> = first.items.iter().map(|item| item.title.as_str()).collect();
    assert_eq!(titles, ["Stocktake tonight", ROTA]);
    let cursor = first.next_cursor.clone().expect("a second page");
    let second = mine(now + 1, tandem_app::PageRequest { limit: Some(2), cursor: Some(cursor) }).await;
    let titles: Vec<&str> = second.items.iter().map(|item| item.title.as_str()).collect();
    assert_eq!(titles, [HOLIDAYS]);
    assert!(second.next_cursor.is_none());
    // After its end it is gone for readers and shown as expired to writers.
    let later = now + 120_000;
    assert!(mine(later, page).await.items.iter().all(|item| item.title != "Stocktake tonight"));
    assert!(desk.desk.app.get_announcement(&bea, draft.id, later).await.is_err());
    assert!(desk.desk.app.mark_announcement_read(&bea, draft.id, later).await.is_err());
    let seen = desk.desk.app.get_announcement(&hana, draft.id, later).await.unwrap();
    assert_eq!(seen.status, tandem_domain::AnnouncementStatus::Expired);
}
}
