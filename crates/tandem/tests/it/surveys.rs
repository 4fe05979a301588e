//! Surveys: CSAT rating requests by signed link when a ticket is solved, NPS and pulse surveys
//! defined by admins and sent in rounds by deduplicated jobs (each person once per round), answers
//! through the links (changed, never counted twice; tampered and expired links record nothing),
//! anonymity of employees' answers, and results that hide groups below the minimum size. The
//! links are taken from the emails in the outbox, as a person would take them from their inbox.

use serde_json::Value;
use tandem_app::jobs::{Registry, Worker, WorkerOptions};
use tandem_app::mail::{Outbound, OutboundSettings, SmtpAccount, SmtpSecurity, SmtpSender};
use tandem_domain::{Millis, PersonId, SurveyRoundId};
use tandem_store::Store;
use tandem_testkit::now;

use super::*;

const DAY: Millis = 24 * 3_600_000;
const ADMIN: &str = "admin@harbor.example";

/// The demo desk with email on: what it sends stays in the outbox (the SMTP server is never
/// reached in these tests; it/mail/surveys.rs sends for real).
pub async fn desk_with_outbox(backend: TestBackend) -> TestApp {
    let account = SmtpAccount {
        host: "127.0.0.1".to_owned(),
        port: 9,
        security: SmtpSecurity::Plain,
        username: String::new(),
        password: String::new(),
        ca_file: std::path::PathBuf::new(),
    };
    let sender = SmtpSender::new(&account).expect("an SMTP transport");
    let settings = OutboundSettings {
        public_url: "http://desk.harbor.example".to_owned(),
        acknowledge: false,
        from: Some("desk@harbor.example".to_owned()),
    };
    TestApp::demo(backend).await.with_outbound(Outbound { sender, settings })
}

fn worker(desk: &TestApp) -> Worker {
    desk.app.worker(Registry::standard(), Registry::standard_schedules(), WorkerOptions::default())
}

/// Runs every survey job due at `at` (email sends fail against the closed port and wait).
pub async fn run_jobs(desk: &TestApp, at: Millis) {
    worker(desk).run_until_idle(at).await.expect("running the queued jobs");
}

pub async fn scalar(store: &Store, sql: &'static str) -> i64 {
    let mut reader = store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut *c).await).unwrap()
}

/// The survey links in the emails queued to `to`, oldest first, as the reader's mail program
/// shows them (decoded).
pub async fn links_to(desk: &TestApp, to: &str) -> Vec<String> {
    const SQL: &str = "SELECT raw FROM outbound_emails WHERE envelope_to = $1 ORDER BY id";
    let mut reader = desk.db.store.read().await.unwrap();
    let raws: Vec<Vec<u8>> =
        tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar(SQL).bind(to).fetch_all(&mut *c).await).unwrap();
    raws.iter().flat_map(|raw| tokens_in(&tandem_mail::parse(raw).expect("a parsable email").text)).collect()
}

/// The distinct tokens of the `/survey/{token}` links in a text.
pub fn tokens_in(text: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for (at, _) in text.match_indices("/survey/") {
        let token: String =
            text[at + 8..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
        if !tokens.contains(&token) {
            tokens.push(token);
        }
    }
    tokens
}

async fn open_ticket(desk: &TestApp, token: &str) -> i64 {
    let body = json!({"subject": "Lid missing", "body": "My grinder came without its lid.", "service": "order-problem",
        "fields": {"order_number": "HB-7001"}});
    let created = desk.post("/api/v1/tickets", token, &body).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    created.json["ticket"]["id"].as_i64().unwrap()
}

async fn solve(desk: &TestApp, token: &str, id: i64) {
    let path = format!("/api/v1/tickets/{id}/messages");
    let solved = desk.post(&path, token, &json!({"body": "A lid is on its way.", "status": "solved"})).await;
    assert_eq!(solved.status, 201, "{:?}", solved.json);
}

fn link(token: &str) -> String {
    format!("/api/v1/survey-links/{token}")
}

async fn open_link(desk: &TestApp, token: &str) -> tandem_testkit::TestResponse {
    desk.send(axum::http::Method::GET, &link(token), None, None).await
}

pub async fn answer(desk: &TestApp, token: &str, answers: Value) -> tandem_testkit::TestResponse {
    desk.send(axum::http::Method::POST, &link(token), None, Some(&json!({ "answers": answers }))).await
}

/// The same token with its last character changed.
fn tampered(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    let last = chars.pop().unwrap();
    chars.push(if last == 'A' { 'B' } else { 'A' });
    chars.into_iter().collect()
}

test_both!(
    async fn a_solved_ticket_asks_its_requester_to_rate_it_by_a_link_that_needs_no_sign_in(backend: TestBackend) {
        let desk = desk_with_outbox(backend).await;
        let (erin, casey) = (desk.token("erin@example.com").await, desk.token("casey@harbor.example").await);
        let ratings = || scalar(&desk.db.store, "SELECT COUNT(*) FROM satisfaction_ratings");
        let rated_before = ratings().await;
        let id = open_ticket(&desk, &erin).await;
        assert!(links_to(&desk, "erin@example.com").await.is_empty(), "nothing before the solve");
        solve(&desk, &casey, id).await;
        let tokens = links_to(&desk, "erin@example.com").await;
        assert_eq!(tokens.len(), 1, "one link, preselecting each rating: {tokens:?}");
        let token = &tokens[0];
        assert_eq!(scalar(&desk.db.store, "SELECT COUNT(*) FROM rating_links").await, 1);
        let stored = scalar(&desk.db.store, "SELECT COUNT(*) FROM rating_links WHERE token_hash LIKE 'sv_%'").await;
        assert_eq!(stored, 0, "only the token's hash is stored");

        let shown = open_link(&desk, token).await;
        assert_eq!(shown.status, 200, "{:?}", shown.json);
        assert_eq!(shown.json["kind"], "csat");
        assert_eq!(shown.json["questions"][0]["kind"], "scale_1_5");
        assert!(shown.json["title"].as_str().unwrap().contains("Lid missing"));
        assert_eq!(shown.json["answers"], json!([]));

        let rated = answer(&desk, token, json!([{"question": 0, "number": 2}])).await;
        assert_eq!(rated.status, 200, "{:?}", rated.json);
        let again =
            answer(&desk, token, json!([{"question": 0, "number": 5}, {"question": 1, "text": " Quick! "}])).await;
        assert_eq!(again.json["answers"], json!([{"question": 0, "number": 5}, {"question": 1, "text": "Quick!"}]));
        let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &erin).await.json;
        assert_eq!(ticket["satisfaction"]["rating"], 5, "the same answer as the portal's, changed in place");
        assert_eq!(ticket["satisfaction"]["comment"], "Quick!");
        assert_eq!(ratings().await, rated_before + 1, "one rating, however often it is answered");
        let trail = desk.get(&format!("/api/v1/tickets/{id}/events"), &casey).await.json;
        let rated: Vec<&Value> =
            trail["items"].as_array().unwrap().iter().filter(|event| event["kind"] == "satisfaction_rated").collect();
        assert_eq!(rated.len(), 2, "each answer is in the trail: {trail:?}");

        // Bad input and bad links record nothing.
        assert_eq!(answer(&desk, token, json!([{"question": 0, "number": 6}])).await.status, 422);
        assert_eq!(answer(&desk, token, json!([{"question": 1, "text": "no rating"}])).await.status, 422);
        for bad in [tampered(token), "sv_unknown".to_owned(), "tdm_notalink".to_owned()] {
            let shown = open_link(&desk, &bad).await;
            assert_eq!((shown.status.as_u16(), shown.error_code()), (404, "not_found"), "{bad}");
            let posted = answer(&desk, &bad, json!([{"question": 0, "number": 1}])).await;
            assert_eq!((posted.status.as_u16(), posted.error_code()), (404, "not_found"), "{bad}");
        }
        let later = now() + 31 * DAY;
        let input = serde_json::from_value(json!({"answers": [{"question": 0, "number": 1}]})).unwrap();
        let closed = desk.app.answer_survey_link(token, input, later).await.unwrap_err();
        assert!(closed.to_string().contains("closed"), "{closed}");
        assert!(desk.app.survey_link(token, later).await.is_err(), "an expired link shows nothing");
        let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &erin).await.json;
        assert_eq!(ticket["satisfaction"]["rating"], 5, "nothing recorded through a bad or expired link");

        // Employees are asked about their internal requests the same way.
        let bea = desk.token("bea@harbor.example").await;
        let body = json!({"subject": "Till frozen", "body": "Till 3 froze.", "service": "till-or-laptop",
            "fields": {"device": "Till"}});
        let created = desk.post("/api/v1/tickets", &bea, &body).await;
        assert_eq!(created.status, 201, "{:?}", created.json);
        let internal = created.json["ticket"]["id"].as_i64().unwrap();
        solve(&desk, &desk.token("ivan@harbor.example").await, internal).await;
        let tokens = links_to(&desk, "bea@harbor.example").await;
        assert_eq!(tokens.len(), 1);
        assert_eq!(answer(&desk, &tokens[0], json!([{"question": 0, "number": 4}])).await.status, 200);
        let ticket = desk.get(&format!("/api/v1/tickets/{internal}"), &bea).await.json;
        assert_eq!(ticket["satisfaction"]["rating"], 4);
    }
);

pub fn pulse(audience: &str, department: Option<i64>) -> Value {
    json!({
        "kind": "pulse", "title": "Spring pulse", "audience": audience, "department_id": department,
        "questions": [
            {"kind": "scale_0_10", "text": "How likely are you to recommend us as a place to work?"},
            {"kind": "scale_1_5", "text": "How is your workload?"},
            {"kind": "choice", "text": "What helps most?", "choices": ["Tools", "Training"]},
            {"kind": "text", "text": "Anything else?"}
        ],
        "active": false
    })
}

pub fn nps() -> Value {
    json!({
        "kind": "nps", "title": "Would you recommend us?", "audience": "external", "every_days": 30,
        "questions": [{"kind": "scale_0_10", "text": "How likely are you to recommend Harbor Coffee?"},
            {"kind": "text", "text": "Why?"}],
        "active": false
    })
}

pub async fn create(desk: &TestApp, admin: &str, body: &Value) -> i64 {
    let created = desk.post("/api/v1/surveys", admin, body).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    created.json["id"].as_i64().unwrap()
}

async fn team_id(desk: &TestApp, admin: &str, slug: &str) -> i64 {
    let teams = desk.get("/api/v1/teams", admin).await.json;
    let list = teams.as_array().or_else(|| teams["items"].as_array()).cloned().unwrap_or_default();
    list.iter().find(|team| team["slug"] == slug).and_then(|team| team["id"].as_i64()).expect("the team")
}

test_both!(
    async fn admins_define_and_send_surveys_leads_read_them_and_everyone_else_sees_nothing(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let casey = desk.token("casey@harbor.example").await;
        let stores = team_id(&desk, &admin, "stores").await;
        let id = create(&desk, &admin, &pulse("department", Some(stores))).await;
        let shown = desk.get(&format!("/api/v1/surveys/{id}"), &admin).await;
        assert_eq!(shown.json["survey"]["anonymous"], true, "pulse surveys are always anonymous");
        assert_eq!(shown.json["survey"]["min_group"], 5, "the default minimum group");
        assert_eq!(shown.json["survey"]["department"]["name"], "Store Operations");

        // Refused definitions, each with its field.
        let mut bad_audience = nps();
        bad_audience["audience"] = json!("employees");
        let mut not_anonymous = pulse("employees", None);
        not_anonymous["anonymous"] = json!(false);
        let mut first_not_nps = nps();
        first_not_nps["questions"][0]["kind"] = json!("scale_1_5");
        let mut lone_choice = nps();
        lone_choice["questions"][1] = json!({"kind": "choice", "text": "Pick", "choices": ["One"]});
        for (body, field) in [
            (bad_audience, "audience"),
            (not_anonymous, "anonymous"),
            (pulse("department", None), "department_id"),
            (pulse("department", Some(team_id(&desk, &admin, "care").await)), "department_id"),
            (first_not_nps, "questions[0].kind"),
            (lone_choice, "questions[1].choices"),
        ] {
            let refused = desk.post("/api/v1/surveys", &admin, &body).await;
            assert_eq!(refused.status, 422, "{body}");
            assert!(refused.json["error"]["fields"].get(field).is_some(), "{field}: {:?}", refused.json);
        }

        // Edit with the version read; a stale version is refused.
        let mut edited = pulse("department", Some(stores));
        edited["title"] = json!("Store pulse");
        let path = format!("/api/v1/surveys/{id}");
        let put =
            desk.send_with(axum::http::Method::PUT, &path, Some(&admin), Some(&edited), &[("if-match", "1")]).await;
        assert_eq!(put.status, 200, "{:?}", put.json);
        assert_eq!(put.json["title"], "Store pulse");
        let stale =
            desk.send_with(axum::http::Method::PUT, &path, Some(&admin), Some(&edited), &[("if-match", "1")]).await;
        assert_eq!(stale.error_code(), "version_conflict");

        // Leads read surveys and results but neither write nor send.
        assert_eq!(desk.get(&path, &casey).await.status, 200);
        assert_eq!(desk.get(&format!("{path}/results"), &casey).await.status, 200);
        assert_eq!(desk.post("/api/v1/surveys", &casey, &nps()).await.status, 403);
        assert_eq!(desk.post(&format!("{path}/send"), &casey, &json!({})).await.status, 403);

        // An agent who leads nothing, an employee, an external customer: every survey is missing.
        let sam_id =
            desk.get("/api/v1/people?q=sam@harbor.example", &admin).await.json["items"][0]["id"].as_i64().unwrap();
        let care = team_id(&desk, &admin, "care").await;
        let member =
            desk.put(&format!("/api/v1/teams/{care}/members/{sam_id}"), &admin, &json!({"role": "agent"})).await;
        assert_eq!(member.status.as_u16() / 100, 2, "{:?}", member.json);
        for email in ["sam@harbor.example", "bea@harbor.example", "erin@example.com", "olga@bayside.example"] {
            let token = desk.token(email).await;
            for route in [path.clone(), format!("{path}/results"), "/api/v1/surveys".to_owned()] {
                let response = desk.get(&route, &token).await;
                assert_eq!((response.status.as_u16(), response.error_code()), (404, "not_found"), "{email} {route}");
            }
            assert_eq!(desk.post(&format!("{path}/send"), &token, &json!({})).await.status, 404, "{email}");
            assert_eq!(desk.post("/api/v1/surveys", &token, &nps()).await.status, 404, "{email}");
            let put =
                desk.send_with(axum::http::Method::PUT, &path, Some(&token), Some(&edited), &[("if-match", "2")]).await;
            assert_eq!(put.status, 404, "{email}");
        }
        assert_eq!(desk.send(axum::http::Method::GET, "/api/v1/surveys", None, None).await.status, 401);
        assert_eq!(desk.get("/api/v1/surveys/999999", &admin).await.status, 404);
        assert_eq!(desk.get(&format!("{path}/results?round=9"), &admin).await.status, 404, "no such round");
        let listed = desk.get("/api/v1/surveys?limit=100", &admin).await.json;
        assert!(listed["items"].as_array().unwrap().iter().any(|survey| survey["id"] == id));
    }
);

async fn round_ids(store: &Store) -> Vec<i64> {
    const SQL: &str = "SELECT id FROM survey_rounds ORDER BY id";
    let mut reader = store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar::<_, i64>(SQL).fetch_all(&mut *c).await).unwrap()
}

test_both!(
    async fn each_person_gets_each_round_once_however_often_it_is_sent(backend: TestBackend) {
        let desk = desk_with_outbox(backend).await;
        let admin = desk.token(ADMIN).await;
        let id = create(&desk, &admin, &nps()).await;
        let externals = scalar(&desk.db.store, "SELECT COUNT(*) FROM people WHERE kind = 'external'").await;
        let sent = desk.post(&format!("/api/v1/surveys/{id}/send"), &admin, &json!({})).await;
        assert_eq!(sent.status, 201, "{:?}", sent.json);
        assert_eq!(sent.json["number"], 1);
        run_jobs(&desk, now()).await;
        let round = *round_ids(&desk.db.store).await.last().unwrap();
        let invited = || {
            scalar(
                &desk.db.store,
                "SELECT COUNT(*) FROM survey_invitations i JOIN survey_rounds r ON r.id = i.round_id JOIN surveys s ON s.id = r.survey_id WHERE s.title = 'Would you recommend us?'",
            )
        };
        assert_eq!(invited().await, externals, "every external customer, once");
        assert_eq!(links_to(&desk, "olga@bayside.example").await.len(), 1);

        // The same round's sending job again (another node, a retry): nobody is invited twice.
        let job = tandem_app::surveys::SendSurveyRound { round: SurveyRoundId(round), after: PersonId(0) };
        let mut tx = desk.db.store.begin().await.unwrap();
        tandem_app::jobs::enqueue(tx.conn(), &job, Some("a second node"), now(), now()).await.unwrap();
        tx.commit().await.unwrap();
        run_jobs(&desk, now()).await;
        assert_eq!(invited().await, externals);
        assert_eq!(links_to(&desk, "olga@bayside.example").await.len(), 1, "one email per person and round");
        let detail = desk.get(&format!("/api/v1/surveys/{id}"), &admin).await.json;
        assert_eq!(detail["rounds"][0]["invited"], externals);

        // The schedule: an active survey repeating every 30 days opens its first round on the next
        // tick, once however many ticks, and the second 30 days after.
        let mut scheduled = nps();
        scheduled["title"] = json!("Scheduled NPS");
        scheduled["active"] = json!(true);
        let scheduled = create(&desk, &admin, &scheduled).await;
        let rounds = async || {
            desk.get(&format!("/api/v1/surveys/{scheduled}"), &admin).await.json["rounds"].as_array().unwrap().len()
        };
        for at in [now(), now() + 60_000, now() + 120_000] {
            worker(&desk).tick(at).await.unwrap();
            run_jobs(&desk, at).await;
        }
        assert_eq!(rounds().await, 1);
        let later = now() + 30 * DAY + 3 * 60_000;
        worker(&desk).tick(later).await.unwrap();
        run_jobs(&desk, later).await;
        assert_eq!(rounds().await, 2);
        assert_eq!(links_to(&desk, "erin@example.com").await.len(), 3, "one invitation per round");
    }
);

/// Every employee of the demo answers the pulse survey through their own link.
async fn answer_pulse(desk: &TestApp, admin: &str, id: i64) -> Vec<(String, String)> {
    let sent = desk.post(&format!("/api/v1/surveys/{id}/send"), admin, &json!({})).await;
    assert_eq!(sent.status, 201, "{:?}", sent.json);
    run_jobs(desk, now()).await;
    const SQL: &str = "SELECT email FROM people WHERE kind = 'employee' ORDER BY id";
    let mut reader = desk.db.store.read().await.unwrap();
    let emails: Vec<String> =
        tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar(SQL).fetch_all(&mut *c).await).unwrap();
    drop(reader);
    let mut links = Vec::new();
    for (index, email) in emails.into_iter().enumerate() {
        let token = links_to(desk, &email).await.pop().expect("an invitation");
        let score = (index % 11) as i64;
        let said = format!("comment {index}");
        let given =
            json!([{"question": 0, "number": score}, {"question": 2, "text": "Tools"}, {"question": 3, "text": said}]);
        let answered = answer(desk, &token, given).await;
        assert_eq!(answered.status, 200, "{:?}", answered.json);
        links.push((email, token));
    }
    links
}

test_both!(
    async fn employees_answers_cannot_be_traced_to_them_and_small_groups_show_nothing(backend: TestBackend) {
        let desk = desk_with_outbox(backend).await;
        let admin = desk.token(ADMIN).await;
        let id = create(&desk, &admin, &pulse("employees", None)).await;
        let links = answer_pulse(&desk, &admin, id).await;
        let (bea_email, bea_token) = links.iter().find(|(email, _)| email == "bea@harbor.example").unwrap().clone();

        // Bea changes her mind: her answer is replaced, not counted twice.
        let responses = || {
            scalar(
                &desk.db.store,
                "SELECT COUNT(*) FROM survey_responses r JOIN survey_rounds o ON o.id = r.round_id JOIN surveys s ON s.id = o.survey_id WHERE s.title = 'Spring pulse'",
            )
        };
        let before = responses().await;
        assert_eq!(before, links.len() as i64);
        let changed =
            answer(&desk, &bea_token, json!([{"question": 0, "number": 10}, {"question": 3, "text": "BEA-SECRET"}]))
                .await;
        assert_eq!(changed.status, 200, "{:?}", changed.json);
        assert_eq!(responses().await, before);
        let shown = open_link(&desk, &bea_token).await.json;
        assert_eq!(shown["anonymous"], true);
        assert_eq!(shown["answers"][1]["text"], "BEA-SECRET", "the link's holder sees her own answers");

        // The tables: no person on an anonymous answer, and nothing on an invitation but "answered".
        let named = scalar(&desk.db.store, "SELECT COUNT(*) FROM survey_responses r JOIN survey_rounds o ON o.id = r.round_id JOIN surveys s ON s.id = o.survey_id WHERE s.anonymous AND r.person_id IS NOT NULL").await;
        assert_eq!(named, 0);
        let columns: Vec<String> = match backend {
            TestBackend::Sqlite => {
                let mut reader = desk.db.store.read().await.unwrap();
                tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar("SELECT name FROM pragma_table_info('survey_invitations') ORDER BY cid").fetch_all(&mut *c).await).unwrap()
            }
            TestBackend::Postgres => {
                let mut reader = desk.db.store.read().await.unwrap();
                tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar("SELECT column_name::text FROM information_schema.columns WHERE table_name = 'survey_invitations' AND table_schema = current_schema() ORDER BY ordinal_position").fetch_all(&mut *c).await).unwrap()
            }
        };
        assert_eq!(
            columns,
            ["id", "round_id", "person_id", "token_hash", "answered", "created_at"],
            "no time or reference to an answer"
        );
        let stored_hash = scalar(
            &desk.db.store,
            "SELECT COUNT(*) FROM survey_responses WHERE answer_key IN (SELECT token_hash FROM survey_invitations)",
        )
        .await;
        assert_eq!(stored_hash, 0, "an answer's key is not its invitation's hash");

        // Every survey endpoint, as everyone who can read it: nothing leads to Bea.
        let bea_id = desk.get("/api/v1/people?q=bea@harbor.example", &admin).await.json["items"][0]["id"].clone();
        let lead = desk.token("casey@harbor.example").await;
        let mut seen = Vec::new();
        for token in [&admin, &lead] {
            for route in [
                "/api/v1/surveys".to_owned(),
                format!("/api/v1/surveys/{id}"),
                format!("/api/v1/surveys/{id}/results"),
                format!("/api/v1/surveys/{id}/results?round=1"),
            ] {
                let response = desk.get(&route, token).await;
                assert_eq!(response.status, 200, "{route}");
                seen.push(response.json);
            }
        }
        seen.push(open_link(&desk, &bea_token).await.json);
        for json in &seen {
            let text = json.to_string();
            assert!(!text.contains(&bea_email) && !text.contains("Bea Barista"), "{text}");
            assert!(!text.contains("person_id") && !text.contains("respondent") && !text.contains("email"), "{text}");
            assert!(!text.contains("\"answered_at\""), "{text}");
        }
        assert!(!bea_id.is_null());

        // Results: the eNPS over everyone; texts sorted; departments below five show nothing.
        let results = &seen[2];
        let overall = &results["overall"];
        assert_eq!(overall["not_enough_answers"], false, "{results}");
        assert_eq!(overall["responses"], links.len());
        let texts = overall["questions"][3]["texts"].as_array().unwrap();
        let mut sorted = texts.clone();
        sorted.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        assert_eq!(texts, &sorted, "never in the order they came");
        assert!(texts.iter().any(|text| text == "BEA-SECRET"));
        let departments = results["departments"].as_array().unwrap();
        let stores = departments.iter().find(|group| group["department"]["name"] == "Store Operations").unwrap();
        assert_eq!(stores["results"]["not_enough_answers"], false, "six store employees answered: {stores}");
        let care = departments.iter().find(|group| group["department"]["name"] == "Customer Care").unwrap();
        assert_eq!(
            care["results"],
            json!({"not_enough_answers": true, "message": "Not enough answers: results are shown from 5 answers."})
        );
    }
);

test_both!(
    async fn nps_results_count_promoters_minus_detractors_once_enough_customers_answered(backend: TestBackend) {
        let desk = desk_with_outbox(backend).await;
        let admin = desk.token(ADMIN).await;
        let id = create(&desk, &admin, &nps()).await;
        let results = format!("/api/v1/surveys/{id}/results");
        let before = desk.get(&results, &admin).await.json;
        assert!(before["round"].is_null());
        assert_eq!(before["overall"]["not_enough_answers"], true);
        desk.post(&format!("/api/v1/surveys/{id}/send"), &admin, &json!({})).await;
        run_jobs(&desk, now()).await;
        let customers = [
            "erin@example.com",
            "olga@bayside.example",
            "sol@sunrisebeans.example",
            "theo@example.net",
            "priya@example.org",
        ];
        for (email, score) in customers.iter().zip([10, 9, 8, 3, 9]).take(4) {
            let token = links_to(&desk, email).await.pop().unwrap();
            assert_eq!(answer(&desk, &token, json!([{"question": 0, "number": score}])).await.status, 200);
        }
        let four = desk.get(&results, &admin).await.json;
        assert_eq!(four["overall"]["not_enough_answers"], true, "four answers: not enough");
        assert!(four["overall"].get("score").is_none());
        let token = links_to(&desk, customers[4]).await.pop().unwrap();
        assert_eq!(
            answer(&desk, &token, json!([{"question": 0, "number": 9}, {"question": 1, "text": "Great beans"}]))
                .await
                .status,
            200
        );
        let five = desk.get(&results, &admin).await.json;
        let overall = &five["overall"];
        assert_eq!(
            (overall["promoters"].as_i64(), overall["passives"].as_i64(), overall["detractors"].as_i64()),
            (Some(3), Some(1), Some(1))
        );
        assert_eq!(overall["score"], 40, "(3 - 1) / 5");
        assert_eq!(overall["questions"][0]["average"], 7.8);
        assert_eq!(overall["questions"][0]["distribution"][9]["count"], 2);
        assert_eq!(overall["questions"][1]["texts"], json!(["Great beans"]));
        assert_eq!(five["round"]["answered"], 5);
        assert_eq!(five["departments"], json!([]), "no department breakdown of customers");
        let named = scalar(&desk.db.store, "SELECT COUNT(*) FROM survey_responses r JOIN survey_rounds o ON o.id = r.round_id WHERE o.survey_id IN (SELECT id FROM surveys WHERE title = 'Would you recommend us?') AND r.person_id IS NOT NULL").await;
        assert_eq!(named, 5, "customers' NPS answers are not anonymous unless the survey says so");
    }
);

test_both!(
    async fn the_demo_has_answered_surveys_whose_results_show_and_hide_as_they_should(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let surveys = desk.get("/api/v1/surveys", &admin).await.json;
        let items = surveys["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{surveys}");
        for survey in items {
            let results = desk.get(&format!("/api/v1/surveys/{}/results", survey["id"]), &admin).await.json;
            assert_eq!(results["overall"]["not_enough_answers"], false, "{results}");
            assert!(results["overall"]["score"].is_i64());
            if survey["kind"] == "pulse" {
                let departments = results["departments"].as_array().unwrap();
                assert!(departments.iter().any(|group| group["results"]["not_enough_answers"] == true), "{results}");
                assert!(departments.iter().any(|group| group["results"]["not_enough_answers"] == false), "{results}");
            }
        }
    }
);
