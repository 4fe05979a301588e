//! The admin pages as a browser uses them (plain HTML forms, a session cookie, the CSRF field):
//! who may open each page, and people, teams, members, organizations, services with their form
//! builder, routing rules, calendars and service standards created and changed through the pages.
//! One module per area.

mod access;
mod builder;
mod directory;
mod rules;
mod standards;

use tandem_testkit::TestResponse;

use super::*;
use crate::pages::{ADMIN, BEA, Browser, CASEY, ERIN, IVAN, csrf, location, text, unescape};

/// The admin pages' way with the shared browser.
impl Browser<'_> {
    /// Opens `page`, takes its CSRF token, and posts the fields to `action` with it.
    async fn submit<K: AsRef<str>, V: AsRef<str>>(&self, page: &str, action: &str, fields: &[(K, V)]) -> TestResponse {
        let shown = self.page(page).await;
        let mut all: Vec<(String, String)> =
            fields.iter().map(|(name, value)| (name.as_ref().to_owned(), value.as_ref().to_owned())).collect();
        all.push(("_csrf".into(), csrf(&shown)));
        self.post(action, &all).await
    }
}

/// A redirect after a save: 303 to `path` (with its `?done=` notice).
fn assert_saved(response: &TestResponse, path_start: &str) {
    assert_eq!(response.status, 303, "{}", text(response));
    assert!(location(response).starts_with(path_start), "went to {}", location(response));
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

async fn service_id(desk: &TestApp, slug: &str) -> i64 {
    let service = desk.get(&format!("/api/v1/services/{slug}"), &desk.token(ADMIN).await).await.json;
    service["id"].as_i64().unwrap()
}
