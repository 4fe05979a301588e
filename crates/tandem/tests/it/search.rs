//! Full-text search over tickets: ranked hits with marked passages, stemming, re-indexing on
//! edits, and visibility: each role finds only what it may list, and nobody but the ticket's
//! agents finds a ticket by the words of an internal note.

use serde_json::Value;

use super::*;

async fn open(desk: &TestApp, token: &str, subject: &str, body: &str) -> i64 {
    let ticket = json!({"subject": subject, "body": body, "service": "order-problem",
        "fields": {"order_number": "HB-7001"}});
    let created = desk.post("/api/v1/tickets", token, &ticket).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    created.json["ticket"]["id"].as_i64().unwrap()
}

async fn note(desk: &TestApp, token: &str, id: i64, body: &str, visibility: &str) {
    let posted = desk
        .post(&format!("/api/v1/tickets/{id}/messages"), token, &json!({"body": body, "visibility": visibility}))
        .await;
    assert_eq!(posted.status, 201, "{:?}", posted.json);
}

async fn search(desk: &TestApp, token: &str, query: &str) -> Value {
    let found = desk.get(&format!("/api/v1/tickets/search?{query}"), token).await;
    assert_eq!(found.status, 200, "{query}: {:?}", found.json);
    found.json
}

fn ids(results: &Value) -> Vec<i64> {
    results["items"].as_array().unwrap().iter().map(|hit| hit["ticket"]["id"].as_i64().unwrap()).collect()
}

test_both! {
    async fn search_ranks_subject_and_conversation_hits_and_marks_the_words_found(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let (erin, casey) = (desk.token("erin@example.com").await, desk.token("casey@harbor.example").await);
    let rattle = open(&desk, &erin, "Grinder makes a rattling noise", "Since Tuesday it sounds like gravel.").await;
    let mention = open(&desk, &erin, "Question about my order", "Also: is a rattling grinder normal after descaling?").await;
    note(&desk, &casey, rattle, "Probably a cracked zebrawood burr carrier: 3 < 5 & \"soon\" <img src=x onerror=alert(1)>", "internal").await;

    // Stemming: "rattles" finds "rattling"; the subject hit ranks above the passing mention.
    let found = search(&desk, &casey, "q=rattles%20grinder").await;
    assert_eq!(ids(&found), vec![rattle, mention], "{found:#}");
    let best = &found["items"][0];
    assert_eq!(best["subject_html"], "<mark>Grinder</mark> makes a <mark>rattling</mark> noise");
    assert!(best["snippet_html"].is_null() && best["message_id"].is_null(), "{best:#}");
    let second = &found["items"][1];
    assert!(second["snippet_html"].as_str().unwrap().contains("<mark>rattling</mark> <mark>grinder</mark>"), "{second:#}");
    assert!(second["message_id"].as_i64().is_some());

    // The agent finds the internal note; its passage is escaped text with only our marks.
    let found = search(&desk, &casey, "q=zebrawood").await;
    assert_eq!(ids(&found), vec![rattle]);
    let passage = found["items"][0]["snippet_html"].as_str().unwrap();
    assert!(passage.contains("<mark>zebrawood</mark>") && passage.contains("3 &lt; 5 &amp; &quot;soon&quot;"), "{passage}");
    assert!(!passage.contains("<img"), "{passage}");

    // Every word must match; the list's filters narrow further; operators are only words.
    assert_eq!(ids(&search(&desk, &casey, "q=rattling%20zebrawood%20unicorn").await), Vec::<i64>::new());
    assert_eq!(ids(&search(&desk, &casey, "q=grinder&status=solved").await), Vec::<i64>::new());
    assert_eq!(ids(&search(&desk, &casey, "q=grinder&limit=1").await), vec![rattle]);
    assert_eq!(ids(&search(&desk, &casey, "q=%22grinder%22%20OR%20NEAR(x*").await), Vec::<i64>::new());
    assert_eq!(ids(&search(&desk, &casey, "q=-grinder*%20%22rattling%22").await), vec![rattle, mention]);
}
}

test_both! {
    async fn each_role_finds_only_what_it_may_list_and_notes_stay_internal(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let token = |email: &'static str| desk.token(email);
    let (erin, olga, casey, wes, ivan, sam, admin) = (
        token("erin@example.com").await, token("olga@bayside.example").await, token("casey@harbor.example").await,
        token("wes@harbor.example").await, token("ivan@harbor.example").await, token("sam@harbor.example").await,
        token("admin@harbor.example").await,
    );
    let id = open(&desk, &erin, "Portafilter basket cracked", "The basket split along the rim.").await;
    note(&desk, &casey, id, "Supplier batch quokka-17 is known to crack.", "internal").await;
    note(&desk, &casey, id, "We are sending a replacement basket today.", "public").await;

    for (who, token, sees_ticket, sees_note) in [
        ("the requester", &erin, true, false),
        ("the agent of its team", &casey, true, true),
        ("the admin", &admin, true, true),
        ("another customer", &olga, false, false),
        ("an agent of another team", &wes, false, false),
        ("an IT agent", &ivan, false, false),
        ("an employee", &sam, false, false),
    ] {
        let expected = |sees: bool| if sees { vec![id] } else { Vec::new() };
        assert_eq!(ids(&search(&desk, token, "q=portafilter").await), expected(sees_ticket), "{who}: subject");
        assert_eq!(ids(&search(&desk, token, "q=replacement%20basket").await), expected(sees_ticket), "{who}: reply");
        assert_eq!(ids(&search(&desk, token, "q=quokka").await), expected(sees_note), "{who}: internal note");
    }
    // An agent's own requests to another team are searched in the customer's view.
    let scoped = search(&desk, &casey, "q=quokka&scope=requested").await;
    assert_eq!(ids(&scoped), Vec::<i64>::new());

    let anonymous = desk.send(axum::http::Method::GET, "/api/v1/tickets/search?q=portafilter", None, None).await;
    assert_eq!(anonymous.status, 401);
}
}

test_both! {
    async fn edits_and_merges_reach_the_index_and_bad_searches_are_refused(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let (erin, casey) = (desk.token("erin@example.com").await, desk.token("casey@harbor.example").await);
    let id = open(&desk, &erin, "Kettle whistle too quiet", "Cannot hear it from the next room.").await;
    let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &casey).await.json;
    let version = ticket["ticket"]["version"].as_i64().unwrap();
    let renamed = desk.patch(&format!("/api/v1/tickets/{id}"), &casey, version, &json!({"subject": "Gooseneck kettle alarm"})).await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.json);
    assert_eq!(ids(&search(&desk, &casey, "q=whistle%20quiet").await), Vec::<i64>::new(), "the old subject is gone");
    assert_eq!(ids(&search(&desk, &casey, "q=gooseneck").await), vec![id]);

    let twin = open(&desk, &erin, "Gooseneck kettle again", "Same kettle, same problem.").await;
    let merged = desk.post(&format!("/api/v1/tickets/{twin}/merge"), &casey, &json!({"into": id})).await;
    assert!(merged.status.is_success(), "{:?}", merged.json);
    assert_eq!(ids(&search(&desk, &casey, "q=gooseneck").await), vec![id], "a merged ticket is found as the one it joined");

    for (query, field) in [("q=", "q"), ("q=%20--%20**", "q"), ("q=kettle&limit=0", "limit"), ("q=kettle&limit=51", "limit"), ("q=kettle&status=lost", "status")] {
        let refused = desk.get(&format!("/api/v1/tickets/search?{query}"), &casey).await;
        assert_eq!((refused.status.as_u16(), refused.error_code()), (422, "invalid"), "{query}");
        assert!(refused.json["error"]["fields"][field].is_string() || refused.json["error"]["fields"][field].is_array(), "{query}: {:?}", refused.json);
    }
}
}

test_both! {
    async fn the_console_search_page_marks_hits_for_staff_and_is_not_found_for_everyone_else(backend: TestBackend) {
    use crate::pages::{Browser, text};
    let desk = TestApp::demo(backend).await;
    let (erin, casey, bea, admin) = (
        desk.token("erin@example.com").await, desk.token("casey@harbor.example").await,
        desk.token("bea@harbor.example").await, desk.token("admin@harbor.example").await,
    );
    let id = open(&desk, &erin, "Milk frother <b>squeals</b>", "It squeals at full steam.").await;
    note(&desk, &casey, id, "Same fault as the okapi batch.", "internal").await;

    let page = Browser::with_token(&desk, &casey).get("/agent/search?q=okapi").await;
    assert_eq!(page.status, 200);
    let html = text(&page);
    assert!(html.contains(&format!("href=\"/agent/tickets/{id}\"")), "{html}");
    assert!(html.contains("Same fault as the <mark>okapi</mark> batch"), "{html}");
    assert!(html.contains("Milk frother ") && !html.contains("<b>"), "the subject is escaped: {html}");
    let page = text(&Browser::with_token(&desk, &admin).get("/agent/search?q=squeals").await);
    assert!(page.contains("<mark>squeals</mark>") && !page.contains("<b>squeals"), "{page}");
    let nothing = text(&Browser::with_token(&desk, &casey).get("/agent/search?q=%22%22").await);
    assert!(nothing.contains("role=\"alert\""), "only punctuation is explained: {nothing}");

    for token in [&erin, &bea] {
        assert_eq!(Browser::with_token(&desk, token).get("/agent/search?q=okapi").await.status, 404);
    }
    let anonymous = Browser::anonymous(&desk).get("/agent/search?q=okapi").await;
    assert!(anonymous.status.is_redirection() || anonymous.status == 404, "{}", anonymous.status);
    assert!(!text(&anonymous).contains("okapi"));
}
}

test_both! {
    async fn my_requests_searches_only_my_requests_and_never_their_notes(backend: TestBackend) {
    use crate::pages::{Browser, text};
    let desk = TestApp::demo(backend).await;
    let (erin, olga, casey) = (
        desk.token("erin@example.com").await, desk.token("olga@bayside.example").await,
        desk.token("casey@harbor.example").await,
    );
    let id = open(&desk, &erin, "Tamper too small", "The tamper wobbles in the wombat basket.").await;
    note(&desk, &casey, id, "Wombat basket is the 58 mm one; narwhal supplier.", "internal").await;

    let found = text(&Browser::with_token(&desk, &erin).get("/portal/requests?q=wombat").await);
    assert!(found.contains(&format!("/portal/requests/{id}")), "{found}");
    let note_words = text(&Browser::with_token(&desk, &erin).get("/portal/requests?q=narwhal").await);
    assert!(!note_words.contains(&format!("/portal/requests/{id}")), "an internal note's words find nothing: {note_words}");
    assert!(note_words.contains("None of your requests holds all of these words."));
    let other = text(&Browser::with_token(&desk, &olga).get("/portal/requests?q=wombat").await);
    assert!(!other.contains(&format!("/portal/requests/{id}")) && !other.contains("Tamper too small"), "{other}");
    let punctuation = text(&Browser::with_token(&desk, &erin).get("/portal/requests?q=%2A%2A").await);
    assert!(punctuation.contains("role=\"alert\""), "{punctuation}");
}
}

test_both! {
    async fn a_word_too_common_to_weigh_ranks_newest_first_on_sqlite_and_by_relevance_elsewhere(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let (erin, casey) = (desk.token("erin@example.com").await, desk.token("casey@harbor.example").await);
    // A ticket whose conversation makes "rattling" common: more messages hold it than SQLite
    // weighs with bm25. They are older than the two tickets compared below.
    let common = open(&desk, &erin, "Noisy machines", "Let me list them.").await;
    let filler = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i <= {limit}) \
         INSERT INTO messages (ticket_id, author_id, visibility, channel, body, created_at) \
         SELECT {common}, NULL, 'public', 'api', 'another rattling machine', 1 FROM n",
        limit = tandem_store::ticket_search::RANKED_WORD_LIMIT,
    );
    let mut tx = desk.db.store.begin().await.unwrap();
    tandem_store::on_conn!(tx.conn(), c => sqlx::query(sqlx::AssertSqlSafe(filler)).execute(&mut *c).await.map(|done| done.rows_affected()))
        .unwrap();
    tx.commit().await.unwrap();

    let loud = open(&desk, &erin, "Grinder", "Rattling, rattling, rattling: zebrawood zebrawood zebrawood.").await;
    let passing = open(&desk, &erin, "Kettle", "It hums, and the lid is rattling a little; zebrawood handle, long words here.").await;

    // A rare word is weighed on both backends: the conversation saying it three times ranks first.
    assert_eq!(ids(&search(&desk, &casey, "q=zebrawood").await), vec![loud, passing]);
    // A common one is weighed on PostgreSQL; SQLite lists its newest matches first instead.
    let found = ids(&search(&desk, &casey, "q=rattling&limit=3").await);
    let expected = match backend {
        TestBackend::Sqlite => vec![passing, loud, common],
        TestBackend::Postgres => vec![loud, passing, common],
    };
    assert_eq!(found, expected);
}
}
