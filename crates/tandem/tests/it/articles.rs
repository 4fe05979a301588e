//! Help articles over the API, on the demo's articles: who reads what (every audience against
//! every kind of reader, in lists, reads, search results and suggestions), who writes what, drafts
//! and versions, deflections and reactions, and input that is refused field by field.
//!
//! Readers: nobody signed in, Erin (external customer), Bea (employee), Ivan (agent of IT, another
//! team than the one owning Care's articles), Casey (agent of Customer Care, the owner), the admin.

use std::collections::BTreeSet;

use axum::http::Method;
use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;

const DESCALE: &str = "How to descale your espresso machine";
const RETURNS: &str = "Returning an order";
const SHIPPING: &str = "Shipping times and costs";
const VPN: &str = "Setting up the VPN";
const LEAVE: &str = "Annual leave policy";
const EXPENSES: &str = "Claiming expenses";
const REFUNDS: &str = "Refund guidelines";

const PUBLIC: &[&str] = &[DESCALE, RETURNS, SHIPPING, "Placing a wholesale order"];
const EMPLOYEES: &[&str] = &[VPN, LEAVE, EXPENSES, "Resetting your password"];
const AGENTS: &[&str] = &[REFUNDS];

/// The demo's readers, each with a token (`None`: not signed in).
struct Readers {
    anonymous: Option<String>,
    erin: Option<String>,
    bea: Option<String>,
    ivan: Option<String>,
    casey: Option<String>,
    admin: Option<String>,
}

impl Readers {
    async fn of(desk: &TestApp) -> Readers {
        Readers {
            anonymous: None,
            erin: Some(desk.token("erin@example.com").await),
            bea: Some(desk.token("bea@harbor.example").await),
            ivan: Some(desk.token("ivan@harbor.example").await),
            casey: Some(desk.token("casey@harbor.example").await),
            admin: Some(desk.token("admin@harbor.example").await),
        }
    }

    /// Each reader with the published titles they must be able to read.
    fn with_audiences(&self) -> Vec<(&'static str, Option<&str>, Vec<&'static str>)> {
        let all = |parts: &[&[&'static str]]| parts.concat();
        vec![
            ("anonymous", self.anonymous.as_deref(), all(&[PUBLIC])),
            ("erin", self.erin.as_deref(), all(&[PUBLIC])),
            ("bea", self.bea.as_deref(), all(&[PUBLIC, EMPLOYEES])),
            ("ivan", self.ivan.as_deref(), all(&[PUBLIC, EMPLOYEES, AGENTS])),
            ("casey", self.casey.as_deref(), all(&[PUBLIC, EMPLOYEES, AGENTS])),
            ("admin", self.admin.as_deref(), all(&[PUBLIC, EMPLOYEES, AGENTS])),
        ]
    }
}

async fn get(desk: &TestApp, path: &str, token: Option<&str>) -> TestResponse {
    desk.send(Method::GET, path, token, None).await
}

fn titles(response: &TestResponse) -> BTreeSet<String> {
    let items = response.json["items"].as_array().or(response.json.as_array()).cloned().unwrap_or_default();
    items.iter().filter_map(|item| item["title"].as_str().map(str::to_owned)).collect()
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|title| (*title).to_owned()).collect()
}

/// The id of each demo article, from the admin's list of everything.
async fn ids(desk: &TestApp, admin: &str) -> Vec<(String, i64)> {
    let list = get(desk, "/api/v1/articles?scope=editable&limit=100", Some(admin)).await;
    assert_eq!(list.status, 200, "{:?}", list.json);
    let items = list.json["items"].as_array().unwrap().clone();
    items.iter().map(|item| (item["title"].as_str().unwrap().to_owned(), item["id"].as_i64().unwrap())).collect()
}

fn id_of(ids: &[(String, i64)], title: &str) -> i64 {
    // The shipping article's newest version is a draft with another title.
    ids.iter().find(|(found, _)| found.starts_with(title)).map(|(_, id)| *id).unwrap_or_else(|| panic!("{title}"))
}

test_both! {
    async fn each_reader_lists_reads_searches_and_is_suggested_only_their_audiences(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let readers = Readers::of(&desk).await;
    let ids = ids(&desk, readers.admin.as_deref().unwrap()).await;
    for (who, token, expected) in readers.with_audiences() {
        let listed = get(&desk, "/api/v1/articles?limit=100", token).await;
        assert_eq!(listed.status, 200, "{who}: {:?}", listed.json);
        assert_eq!(titles(&listed), set(&expected), "{who} lists");

        for title in PUBLIC.iter().chain(EMPLOYEES).chain(AGENTS) {
            let read = get(&desk, &format!("/api/v1/articles/{}", id_of(&ids, title)), token).await;
            let want = if expected.contains(title) { 200 } else { 404 };
            assert_eq!(read.status, want, "{who} reads {title}: {:?}", read.json);
            if want == 404 {
                assert_eq!(read.error_code(), "not_found", "{who}: unreadable is answered like missing");
            } else {
                assert_eq!(read.json["published"]["title"], *title, "{who} reads the published copy");
            }
        }

        // "days" is in articles of every audience; each reader finds theirs and nothing else.
        let found = get(&desk, "/api/v1/articles?q=days", token).await;
        assert_eq!(found.status, 200, "{who}: {:?}", found.json);
        let found_titles = titles(&found);
        for title in &found_titles {
            assert!(expected.contains(&title.as_str()), "{who} found {title}, which is not theirs");
        }
        assert!(found_titles.contains(RETURNS), "{who}: {found_titles:?}");
        assert_eq!(found_titles.contains(LEAVE), expected.contains(&LEAVE), "{who}: {found_titles:?}");
        assert_eq!(found_titles.contains(REFUNDS), expected.contains(&REFUNDS), "{who}: {found_titles:?}");
        let body = String::from_utf8_lossy(&found.body).to_string();
        assert!(body.contains("<mark>"), "{who}: hits are marked: {body}");
        if !expected.contains(&REFUNDS) {
            assert!(!body.contains("90 days") && !body.contains("team lead"), "{who}: no snippet of an agents' article");
        }
        if !expected.contains(&LEAVE) {
            assert!(!body.contains("25 days") && !body.contains("carry over"), "{who}: no snippet of an employees' article");
        }
        // The shipping article's pending draft is searchable by nobody, editors included.
        assert_eq!(titles(&get(&desk, "/api/v1/articles?q=december", token).await), set(&[]), "{who} finds a draft");

        let suggested = get(&desk, "/api/v1/articles/suggestions?q=vpn%20se", token).await;
        assert_eq!(suggested.status, 200, "{who}: {:?}", suggested.json);
        let suggested = titles(&suggested);
        assert_eq!(suggested.contains(VPN), expected.contains(&VPN), "{who} is suggested {suggested:?}");
        for title in &suggested {
            assert!(expected.contains(&title.as_str()), "{who} was suggested {title}, which is not theirs");
        }
        let refunds = titles(&get(&desk, "/api/v1/articles/suggestions?q=refun", token).await);
        assert_eq!(refunds.contains(REFUNDS), expected.contains(&REFUNDS), "{who}: {refunds:?}");
        assert!(refunds.contains(RETURNS), "{who}: the last word is a prefix: {refunds:?}");
        // A sentence no article holds whole still suggests the articles with its words, and only theirs.
        let sentence = titles(&get(&desk, "/api/v1/articles/suggestions?q=my%20laptop%20needs%20the%20vpn%20set", token).await);
        assert_eq!(sentence.contains(VPN), expected.contains(&VPN), "{who}: {sentence:?}");
        for title in &sentence {
            assert!(expected.contains(&title.as_str()), "{who} was suggested {title}, which is not theirs");
        }
    }
    // A token that is wrong is refused, not taken for a visitor.
    let wrong = get(&desk, "/api/v1/articles", Some("tdm_wrong")).await;
    assert_eq!(wrong.status, 401);
}
}

test_both! {
    async fn drafts_reach_only_editors_until_published_and_each_edit_is_a_version(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let readers = Readers::of(&desk).await;
    let (casey, ivan, erin, bea, admin) = (
        readers.casey.as_deref().unwrap(), readers.ivan.as_deref().unwrap(), readers.erin.as_deref().unwrap(),
        readers.bea.as_deref().unwrap(), readers.admin.as_deref().unwrap(),
    );
    let categories = get(&desk, "/api/v1/article-categories", None).await.json;
    let machines = categories.as_array().unwrap().iter().find(|category| category["slug"] == "machines").unwrap()["id"].clone();
    let care = desk.principal("casey@harbor.example").await.memberships[0].team_id.0;
    let input = |title: &str, body: &str| json!({"title": title, "category_id": machines, "audience": "public",
        "team_id": care, "body": body});

    assert_eq!(desk.post("/api/v1/articles", erin, &input("Mine", "x")).await.status, 403, "customers do not write");
    assert_eq!(desk.post("/api/v1/articles", bea, &input("Mine", "x")).await.status, 403, "nor do employees");
    let created = desk.post("/api/v1/articles", casey, &input("Grinder burrs", "Clean the zanzibar burrs weekly.")).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    let id = created.json["id"].as_i64().unwrap();
    assert_eq!(created.json["slug"], "grinder-burrs");
    assert!(created.json["published"].is_null());
    assert_eq!(created.json["draft"]["number"], 1);
    let path = format!("/api/v1/articles/{id}");

    // A draft: its editors and admins read it; for everyone else it does not exist.
    for (who, token, want) in [("casey", Some(casey), 200), ("admin", Some(admin), 200), ("ivan", Some(ivan), 404),
        ("bea", Some(bea), 404), ("erin", Some(erin), 404), ("anonymous", None, 404)] {
        assert_eq!(get(&desk, &path, token).await.status, want, "{who} reads the draft");
        let found = titles(&get(&desk, "/api/v1/articles?q=zanzibar", token).await);
        assert!(found.is_empty(), "{who} finds the draft: {found:?}");
        assert!(titles(&get(&desk, "/api/v1/articles/suggestions?q=zanzi", token).await).is_empty(), "{who}");
    }
    assert_eq!(desk.post(&format!("{path}/publish"), ivan, &json!({})).await.status, 404, "another team's draft is missing");
    let sneaky = desk.send_with(Method::PUT, &path, Some(ivan), Some(&input("Hijack", "x")), &[("if-match", "\"1\"")]).await;
    assert_eq!(sneaky.status, 404);

    let published = desk.post(&format!("{path}/publish"), casey, &json!({})).await;
    assert_eq!(published.status, 200, "{:?}", published.json);
    assert_eq!(published.json["published"]["title"], "Grinder burrs");
    assert!(published.json["published"]["body_html"].as_str().unwrap().contains("<p>Clean the zanzibar burrs"));
    let again = desk.post(&format!("{path}/publish"), casey, &json!({})).await;
    assert_eq!((again.status.as_u16(), again.error_code()), (409, "nothing_to_publish"));
    for token in [Some(erin), None] {
        assert_eq!(titles(&get(&desk, "/api/v1/articles?q=zanzibar", token).await), set(&["Grinder burrs"]));
    }

    // Readers who may read it may still not change it.
    let version = published.json["version"].as_i64().unwrap();
    let if_match = format!("\"{version}\"");
    for (who, token, want) in [("ivan", ivan, 403), ("bea", bea, 403), ("erin", erin, 403)] {
        let edit = desk.send_with(Method::PUT, &path, Some(token), Some(&input("Hijack", "x")), &[("if-match", &if_match)]).await;
        assert_eq!(edit.status, want, "{who} edits");
        assert_eq!(desk.post(&format!("{path}/publish"), token, &json!({})).await.status, want, "{who} publishes");
        assert_eq!(get(&desk, &format!("{path}/versions"), Some(token)).await.status, want, "{who} reads the history");
    }
    assert_eq!(get(&desk, &format!("{path}/versions"), None).await.status, 401);

    // An edit is a new draft version; readers keep the published one until it is published.
    let no_version = desk.put(&path, casey, &input("Grinder burrs, cleaned", "New text.")).await;
    assert_eq!(no_version.status, 428);
    let stale = desk.send_with(Method::PUT, &path, Some(casey), Some(&input("x", "y")), &[("if-match", "\"1\"")]).await;
    assert_eq!((stale.status.as_u16(), stale.error_code()), (409, "version_conflict"));
    let edited = desk.send_with(Method::PUT, &path, Some(casey),
        Some(&input("Grinder burrs, cleaned", "Brush the burrs daily.")), &[("if-match", &if_match)]).await;
    assert_eq!(edited.status, 200, "{:?}", edited.json);
    assert_eq!((edited.json["draft"]["number"].as_i64(), edited.json["published"]["number"].as_i64()), (Some(2), Some(1)));
    let read = get(&desk, &path, Some(erin)).await.json;
    assert_eq!(read["published"]["title"], "Grinder burrs");
    assert!(read.get("draft").is_none() && read.get("stats").is_none(), "readers get no draft or counts: {read}");
    assert!(titles(&get(&desk, "/api/v1/articles?q=brush", Some(casey)).await).is_empty(), "the draft is not searched");
    // The admin edits any team's article; the draft is rewritten in place, not a third version.
    let admin_edit = desk.send_with(Method::PUT, &path, Some(admin), Some(&input("Grinder burrs, cleaned", "Brush the burrs daily, then vacuum.")),
        &[("if-match", &format!("\"{}\"", edited.json["version"]))]).await;
    assert_eq!(admin_edit.status, 200, "{:?}", admin_edit.json);
    assert_eq!(admin_edit.json["draft"]["number"], 2);
    assert_eq!(desk.post(&format!("{path}/publish"), admin, &json!({})).await.status, 200);
    assert_eq!(get(&desk, &path, None).await.json["published"]["title"], "Grinder burrs, cleaned");
    assert_eq!(titles(&get(&desk, "/api/v1/articles?q=vacuum", None).await), set(&["Grinder burrs, cleaned"]));
    assert!(titles(&get(&desk, "/api/v1/articles?q=zanzibar", None).await).is_empty(), "the old text left the index");
    let history = get(&desk, &format!("{path}/versions"), Some(casey)).await;
    assert_eq!(history.status, 200, "{:?}", history.json);
    let numbers: Vec<i64> = history.json.as_array().unwrap().iter().map(|version| version["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [2, 1]);
    assert!(history.json[1]["published_at"].is_string(), "published versions stay in the history");

    // Moving it to agents only takes effect when published, and then the public loses it.
    let current = get(&desk, &path, Some(casey)).await.json;
    let mut agents_only = input("Grinder burrs, cleaned", "Brush the burrs daily, then vacuum.");
    agents_only["audience"] = json!("agents");
    let moved = desk.send_with(Method::PUT, &path, Some(casey), Some(&agents_only), &[("if-match", &format!("\"{}\"", current["version"]))]).await;
    assert_eq!(moved.status, 200);
    assert_eq!(get(&desk, &path, Some(erin)).await.status, 200, "the draft's audience is not live yet");
    assert_eq!(desk.post(&format!("{path}/publish"), casey, &json!({})).await.status, 200);
    assert_eq!(get(&desk, &path, Some(erin)).await.status, 404);
    assert!(titles(&get(&desk, "/api/v1/articles?q=vacuum", Some(erin)).await).is_empty());
    assert_eq!(titles(&get(&desk, "/api/v1/articles?q=vacuum", Some(ivan)).await), set(&["Grinder burrs, cleaned"]));
}
}

test_both! {
    async fn wrong_input_is_refused_field_by_field(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let casey = desk.token("casey@harbor.example").await;
    let admin = desk.token("admin@harbor.example").await;
    let categories = get(&desk, "/api/v1/article-categories", None).await.json;
    let category = categories[0]["id"].clone();
    let care = desk.principal("casey@harbor.example").await.memberships[0].team_id.0;
    let it = desk.principal("ivan@harbor.example").await.memberships[0].team_id.0;
    let good = json!({"title": "Milk frothing", "category_id": category, "audience": "public", "team_id": care, "body": "Cold milk."});
    let check = |change: Value, field: &'static str| {
        let mut input = good.clone();
        for (key, value) in change.as_object().unwrap() {
            input[key] = value.clone();
        }
        (input, field)
    };
    for (input, field) in [
        check(json!({"title": "  "}), "title"),
        check(json!({"title": "x".repeat(201)}), "title"),
        check(json!({"body": ""}), "body"),
        check(json!({"category_id": 999_999}), "category_id"),
        check(json!({"audience": "everyone"}), "audience"),
        check(json!({"team_id": it}), "team_id"),
        check(json!({"slug": "Not A Slug"}), "slug"),
        check(json!({"slug": "returning-an-order"}), "slug"),
    ] {
        let refused = desk.post("/api/v1/articles", &casey, &input).await;
        assert_eq!(refused.status, 422, "{input}: {:?}", refused.json);
        assert!(refused.json["error"]["fields"][field].is_string(), "{field} named in {:?}", refused.json);
    }
    let unknown = desk.post("/api/v1/articles", &casey, &json!({"title": "x", "category_id": category, "audience": "public", "team_id": care, "body": "y", "colour": "red"})).await;
    assert_eq!(unknown.status, 422);
    // Two articles with one title get two addresses.
    let first = desk.post("/api/v1/articles", &casey, &good).await;
    let second = desk.post("/api/v1/articles", &casey, &good).await;
    assert_eq!((first.json["slug"].as_str(), second.json["slug"].as_str()), (Some("milk-frothing"), Some("milk-frothing-2")));

    // Categories: admins only, with a slug and a name.
    let category_input = json!({"slug": "barista-tips", "name": "Barista tips"});
    assert_eq!(desk.post("/api/v1/article-categories", &casey, &category_input).await.status, 403);
    let made = desk.post("/api/v1/article-categories", &admin, &category_input).await;
    assert_eq!(made.status, 201, "{:?}", made.json);
    assert_eq!(desk.post("/api/v1/article-categories", &admin, &category_input).await.error_code(), "slug_taken");
    let nameless = desk.post("/api/v1/article-categories", &admin, &json!({"slug": "x-y", "name": ""})).await;
    assert!(nameless.json["error"]["fields"]["name"].is_string(), "{:?}", nameless.json);
}
}

test_both! {
    async fn deflections_and_reactions_are_counted_for_editors_only(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let readers = Readers::of(&desk).await;
    let (erin, bea, casey, ivan) = (readers.erin.as_deref().unwrap(), readers.bea.as_deref().unwrap(),
        readers.casey.as_deref().unwrap(), readers.ivan.as_deref().unwrap());
    let ids = ids(&desk, readers.admin.as_deref().unwrap()).await;
    let (descale, vpn, refunds) = (id_of(&ids, DESCALE), id_of(&ids, VPN), id_of(&ids, REFUNDS));
    let before = get(&desk, &format!("/api/v1/articles/{descale}"), Some(casey)).await.json["stats"].clone();

    let deflect = |id: i64| format!("/api/v1/articles/{id}/deflections");
    assert_eq!(desk.post(&deflect(descale), erin, &json!({"service": "order-problem"})).await.status, 204);
    assert_eq!(desk.post(&deflect(descale), erin, &json!({})).await.status, 204);
    assert_eq!(desk.post(&deflect(vpn), erin, &json!({})).await.status, 404, "not her article");
    assert_eq!(desk.post(&deflect(refunds), bea, &json!({})).await.status, 404);
    let hidden_service = desk.post(&deflect(descale), erin, &json!({"service": "till-or-laptop"})).await;
    assert_eq!(hidden_service.status, 422, "a service she may not request is no service");
    assert_eq!(desk.send(Method::POST, &deflect(descale), None, Some(&json!({}))).await.status, 401);

    let react = |id: i64| format!("/api/v1/articles/{id}/reaction");
    assert_eq!(desk.put(&react(descale), erin, &json!({"reaction": "boring"})).await.status, 204);
    assert_eq!(desk.put(&react(descale), erin, &json!({"reaction": "useful"})).await.status, 204, "changeable");
    assert_eq!(desk.put(&react(descale), bea, &json!({"reaction": "useful"})).await.status, 204);
    assert_eq!(desk.put(&react(descale), bea, &json!({"reaction": "meh"})).await.status, 422);
    assert_eq!(desk.put(&react(refunds), erin, &json!({"reaction": "sucks"})).await.status, 404);
    assert_eq!(desk.send(Method::PUT, &react(descale), None, Some(&json!({"reaction": "useful"}))).await.status, 401);

    let after = get(&desk, &format!("/api/v1/articles/{descale}"), Some(casey)).await.json["stats"].clone();
    assert_eq!(after["deflections"].as_i64().unwrap(), before["deflections"].as_i64().unwrap() + 2);
    assert_eq!(after["reactions"]["useful"].as_i64().unwrap(), before["reactions"]["useful"].as_i64().unwrap() + 2);
    assert_eq!(after["reactions"]["boring"], before["reactions"]["boring"], "Erin's first reaction was replaced");
    let as_erin = get(&desk, &format!("/api/v1/articles/{descale}"), Some(erin)).await.json;
    assert_eq!(as_erin["my_reaction"], "useful");
    assert!(as_erin.get("stats").is_none(), "readers never see counts");
    let as_ivan = get(&desk, &format!("/api/v1/articles/{descale}"), Some(ivan)).await.json;
    assert!(as_ivan.get("stats").is_none(), "nor do agents of other teams");
    assert!(!String::from_utf8_lossy(&get(&desk, &format!("/api/v1/articles/{descale}"), Some(casey)).await.body).contains("erin"),
        "editors see counts, never who reacted");
    let listed = get(&desk, "/api/v1/articles?scope=editable&limit=100", Some(casey)).await.json;
    let row = listed["items"].as_array().unwrap().iter().find(|item| item["id"] == descale).cloned().unwrap();
    assert_eq!(row["deflections"], after["deflections"]);
    let ivans = titles(&get(&desk, "/api/v1/articles?scope=editable&limit=100", Some(ivan)).await);
    assert!(!ivans.contains(DESCALE) && ivans.contains(VPN), "Ivan edits IT's articles only: {ivans:?}");
    assert_eq!(get(&desk, "/api/v1/articles?scope=editable", Some(erin)).await.json["items"], json!([]));
}
}

test_both! {
    async fn a_public_answer_becomes_a_draft_of_the_tickets_team_for_its_audience(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let (erin, casey, ivan, bea, admin) = (desk.token("erin@example.com").await, desk.token("casey@harbor.example").await,
        desk.token("ivan@harbor.example").await, desk.token("bea@harbor.example").await, desk.token("admin@harbor.example").await);
    let body = json!({"subject": "Milk steaming tips", "body": "How hot should the milk be?", "service": "order-problem",
        "fields": {"order_number": "HB-7"}});
    let ticket = desk.post("/api/v1/tickets", &erin, &body).await.json["ticket"]["id"].as_i64().unwrap();
    let post = |visibility: &'static str, text: &'static str| {
        let (desk, casey) = (&desk, &casey);
        async move {
            let sent = desk.post(&format!("/api/v1/tickets/{ticket}/messages"), casey, &json!({"body": text, "visibility": visibility})).await;
            sent.json["message"]["id"].as_i64().unwrap_or_else(|| panic!("{:?}", sent.json))
        }
    };
    let answer = post("public", "Around 60 °C: hot to the touch, never boiling.").await;
    let note = post("internal", "She asked this before.").await;
    let path = format!("/api/v1/tickets/{ticket}/article-drafts");
    for (who, token, want) in [("ivan", &ivan, 404), ("bea", &bea, 404), ("erin", &erin, 403)] {
        assert_eq!(desk.post(&path, token, &json!({"message_id": answer})).await.status, want, "{who}");
    }
    let from_note = desk.post(&path, &casey, &json!({"message_id": note})).await;
    assert!(from_note.json["error"]["fields"]["message_id"].is_string(), "an internal note never becomes an article");
    let drafted = desk.post(&path, &casey, &json!({"message_id": answer})).await;
    assert_eq!(drafted.status, 201, "{:?}", drafted.json);
    assert_eq!(drafted.json["draft"]["title"], "Milk steaming tips");
    assert_eq!(drafted.json["draft"]["audience"], "public", "an external ticket's answer is for the public");
    assert!(drafted.json["published"].is_null());
    let id = drafted.json["id"].as_i64().unwrap();
    assert_eq!(get(&desk, &format!("/api/v1/articles/{id}"), Some(&erin)).await.status, 404, "a draft until published");
    let history = get(&desk, &format!("/api/v1/articles/{id}/versions"), Some(&admin)).await;
    assert_eq!(history.json[0]["body"], "Around 60 °C: hot to the touch, never boiling.");
}
}
