//! The admin pages as a browser uses them (plain HTML forms, a session cookie, the CSRF field):
//! who may open each page, and people, teams, members, organizations, services with their form
//! builder, and routing rules created and changed through the pages. One module per area.

mod access;
mod builder;
mod directory;
mod rules;

use axum::body::Body;
use axum::http::{Method, Request};
use tandem_testkit::TestResponse;

use super::*;

const ADMIN: &str = "admin@harbor.example";
const CASEY: &str = "casey@harbor.example";
const IVAN: &str = "ivan@harbor.example";
const BEA: &str = "bea@harbor.example";
const ERIN: &str = "erin@example.com";

/// A browser: the session cookie of one person, or none.
struct Browser<'a> {
    desk: &'a TestApp,
    cookie: Option<String>,
}

impl<'a> Browser<'a> {
    async fn of(desk: &'a TestApp, email: &str) -> Browser<'a> {
        let token = desk.token(email).await;
        Browser { desk, cookie: Some(format!("tandem_session={token}")) }
    }

    fn anonymous(desk: &'a TestApp) -> Browser<'a> {
        Browser { desk, cookie: None }
    }

    async fn get(&self, path: &str) -> TestResponse {
        let mut request = Request::builder().method(Method::GET).uri(path);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        self.desk.raw(request.body(Body::empty()).unwrap()).await
    }

    /// Posts a form exactly as given (no CSRF field added).
    async fn post<K: AsRef<str>, V: AsRef<str>>(&self, path: &str, fields: &[(K, V)]) -> TestResponse {
        let body: Vec<String> =
            fields.iter().map(|(name, value)| format!("{}={}", encode(name.as_ref()), encode(value.as_ref()))).collect();
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        self.desk.raw(request.body(Body::from(body.join("&"))).unwrap()).await
    }

    /// Opens `page`, takes its CSRF token, and posts the fields to `action` with it.
    async fn submit<K: AsRef<str>, V: AsRef<str>>(&self, page: &str, action: &str, fields: &[(K, V)]) -> TestResponse {
        let shown = self.get(page).await;
        assert_eq!(shown.status, 200, "{page}: {}", text(&shown));
        let mut all: Vec<(String, String)> =
            fields.iter().map(|(name, value)| (name.as_ref().to_owned(), value.as_ref().to_owned())).collect();
        all.push(("_csrf".into(), csrf(&text(&shown))));
        self.post(action, &all).await
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

fn text(response: &TestResponse) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

fn location(response: &TestResponse) -> &str {
    response.headers.get("location").and_then(|value| value.to_str().ok()).unwrap_or_default()
}

/// A redirect after a save: 303 to `path` (with its `?done=` notice).
fn assert_saved(response: &TestResponse, path_start: &str) {
    assert_eq!(response.status, 303, "{}", text(response));
    assert!(location(response).starts_with(path_start), "went to {}", location(response));
}

/// The page's CSRF token (every page with a form carries it).
fn csrf(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("a page with a CSRF field") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The opening tag of the element with this id.
fn tag<'h>(html: &'h str, id: &str) -> &'h str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in the page"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

/// The message shown under a field, if any.
fn field_error(html: &str, field: &str) -> Option<String> {
    let marker = format!("id=\"{field}-error\">");
    let start = html.find(&marker)? + marker.len();
    Some(html[start..].split('<').next().unwrap_or_default().to_owned())
}

/// Asserts a field is marked invalid, keeps `value` and says `message` right under it.
fn assert_refused_field(html: &str, field: &str, value: &str, message: &str) {
    let input = tag(html, field);
    assert!(input.contains("aria-invalid=\"true\""), "{field} not marked: {input}");
    assert!(input.contains(&format!("value=\"{value}\"")), "{field} lost what was typed: {input}");
    let said = field_error(html, field).unwrap_or_else(|| panic!("no message under {field}"));
    assert!(said.contains(message), "{field} says {said:?}, not {message:?}");
}

async fn api_id(desk: &TestApp, path: &str, field: &str, value: &str) -> i64 {
    let admin = desk.token(ADMIN).await;
    let found = desk.get(path, &admin).await.json;
    let items = found.get("items").unwrap_or(&found).as_array().unwrap().clone();
    let item = items.iter().find(|item| item[field] == value).unwrap_or_else(|| panic!("{value} in {path}"));
    item["id"].as_i64().unwrap()
}

async fn team_id(desk: &TestApp, slug: &str) -> i64 {
    api_id(desk, "/api/v1/teams", "slug", slug).await
}

async fn person_id(desk: &TestApp, email: &str) -> i64 {
    api_id(desk, &format!("/api/v1/people?q={email}"), "email", email).await
}
