//! The rest of a standard's life, on both backends: a ticket says which standard applies and why
//! (or that none does), in its JSON and on the agent page; an edit on one node reaches the very
//! next ticket write on another (the version row, not a timer); admins delete standards (measured
//! clocks keep naming them) and unused calendars (409 `calendar_in_use` otherwise); holidays come
//! in from an iCalendar file, a bad one refused naming the line with nothing written. Each write is
//! tried by every role: admin, plain agent, team lead, employee and external customer.

use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::Value;
use tandem_app::jobs::{Registry, WorkerOptions};
use tandem_app::tickets::NewTicket;
use tandem_domain::{Millis, TicketId};
use tandem_testkit::TestResponse;

use super::catalog::put_at;
use super::standards::{always_open, standard};
use super::*;
use crate::pages::Browser;

const CODY: &str = "cody@harbor.example";
const MINUTE: Millis = 60_000;

/// The demo desk with Cody, a plain agent of Customer Care (Casey leads it).
async fn desk_with_cody(backend: TestBackend) -> (TestApp, String) {
    let desk = TestApp::demo(backend).await;
    let admin = desk.token("admin@harbor.example").await;
    let teams = desk.get("/api/v1/teams", &admin).await.json;
    let care = teams.as_array().unwrap().iter().find(|team| team["slug"] == "care").unwrap()["id"].clone();
    let cody = json!({"email": CODY, "name": "Cody Care", "kind": "employee", "department_id": care});
    let cody = desk.post("/api/v1/people", &admin, &cody).await.json["id"].clone();
    let member = desk.put(&format!("/api/v1/teams/{care}/members/{cody}"), &admin, &json!({"role": "agent"})).await;
    assert_eq!(member.status, 200, "{:?}", member.json);
    (desk, admin)
}

/// Everyone but the admin, with what each gets from an admin-only write: staff 403, others 404.
const NOT_ADMINS: [(&str, u16); 4] =
    [("casey@harbor.example", 403), (CODY, 403), ("bea@harbor.example", 404), ("erin@example.com", 404)];

async fn erin_ticket(desk: &TestApp, at: Millis) -> TicketId {
    let erin = desk.principal("erin@example.com").await;
    let new: NewTicket = serde_json::from_value(json!({"subject": "Beans", "body": "Wrong beans.",
        "service": "order-problem", "fields": {"order_number": "HB-7"}}))
    .unwrap();
    desk.app.create_ticket(&erin, new, None, at).await.unwrap().ticket.id
}

async fn standard_id(desk: &TestApp, admin: &str, name: &str) -> i64 {
    let listed = desk.get("/api/v1/standards", admin).await.json;
    listed.as_array().unwrap().iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("{name} is listed"))["id"]
        .as_i64()
        .unwrap()
}

async fn calendar_id(desk: &TestApp, admin: &str, name: &str) -> i64 {
    let listed = desk.get("/api/v1/calendars", admin).await.json;
    listed.as_array().unwrap().iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("{name} is listed"))["id"]
        .as_i64()
        .unwrap()
}

/// The ticket's targets as (metric, standard, state) from the table, whatever the API shows.
async fn clocks(desk: &TestApp, id: TicketId) -> Vec<(String, String, String)> {
    const SQL: &str = "SELECT t.metric, s.name, t.state FROM ticket_targets t JOIN standards s ON s.id = t.standard_id \
         WHERE t.ticket_id = $1 ORDER BY t.metric";
    let mut reader = desk.db.store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_as::<_, (String, String, String)>(SQL).bind(id).fetch_all(&mut *c).await)
        .unwrap()
}

async fn run_jobs(desk: &TestApp, now: Millis) {
    let worker = desk.app.worker(Registry::standard(), vec![], WorkerOptions::default());
    worker.run_until_idle(now).await.unwrap();
}

test_both!(
    async fn a_ticket_shows_which_standard_applies_and_why_or_that_none_does(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let casey = desk.token("casey@harbor.example").await;
        let erin = desk.token("erin@example.com").await;
        let now = jiff::Timestamp::now().as_millisecond();
        let id = erin_ticket(&desk, now).await;
        let path = format!("/api/v1/tickets/{}", id.0);

        let shown = desk.get(&path, &casey).await.json;
        assert_eq!(shown["standard"]["applies"]["name"], "Customer service (SLA)", "{shown:?}");
        assert_eq!(shown["standard"]["why"], json!(["audience external"]));
        assert_eq!(shown["standard"]["summary"], "Customer service (SLA) applies: audience external.");
        let customer = desk.get(&path, &erin).await.json;
        assert!(customer.get("standard").is_none() && customer.get("targets").is_none(), "{customer:?}");

        let version = shown["ticket"]["version"].as_i64().unwrap();
        let raised = desk.patch(&path, &casey, version, &json!({"priority": "high"})).await;
        assert_eq!(raised.status, 200, "{:?}", raised.json);
        let shown = desk.get(&path, &casey).await.json;
        assert_eq!(shown["standard"]["applies"]["name"], "Urgent customer trouble (SLA)");
        assert_eq!(shown["standard"]["why"], json!(["audience external", "priority high"]));
        let page = Browser::of(&desk, "casey@harbor.example").await.page(&format!("/agent/tickets/{}", id.0)).await;
        assert!(
            page.contains("Urgent customer trouble (SLA) applies: audience external, priority high."),
            "the agent page says why"
        );

        for name in ["Urgent customer trouble (SLA)", "Customer service (SLA)"] {
            let id = standard_id(&desk, &admin, name).await;
            assert_eq!(desk.delete(&format!("/api/v1/standards/{id}"), &admin).await.status, 204);
        }
        let shown = desk.get(&path, &casey).await.json;
        assert_eq!((&shown["standard"]["applies"], &shown["standard"]["why"]), (&Value::Null, &json!([])));
        assert!(shown["standard"]["summary"].as_str().unwrap().starts_with("No standard applies"), "{shown:?}");
        let page = Browser::of(&desk, "casey@harbor.example").await.page(&format!("/agent/tickets/{}", id.0)).await;
        assert!(page.contains("No standard applies"), "the agent page says so too");
    }
);

test_both!(
    async fn an_edit_on_one_node_reaches_the_next_ticket_write_on_another(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let casey = desk.principal("casey@harbor.example").await;
        let other = tandem_app::App::new(super::jobs::second_node(&desk.db).await, tandem_app::Limits::default());
        let erin = desk.principal("erin@example.com").await;
        let now = jiff::Timestamp::now().as_millisecond();
        let new = || -> NewTicket {
            serde_json::from_value(json!({"subject": "Beans", "body": "Wrong beans.", "service": "order-problem",
                "fields": {"order_number": "HB-7"}}))
            .unwrap()
        };
        let resolution = |targets: Vec<tandem_app::standards::TargetView>| {
            targets.into_iter().find(|t| t.metric.to_string() == "resolution").map(|t| t.target_minutes)
        };
        // The other node has the standards in memory after its first write.
        let first = other.create_ticket(&erin, new(), None, now).await.unwrap().ticket.id;
        assert_eq!(resolution(other.ticket_targets(&casey, first, now).await.unwrap()), Some(2_400));

        let id = standard_id(&desk, &admin, "Customer service (SLA)").await;
        let listed = desk.get("/api/v1/standards", &admin).await.json;
        let mut edit = listed.as_array().unwrap().iter().find(|s| s["id"] == id).unwrap().clone();
        for key in ["id", "version", "created_at"] {
            edit.as_object_mut().unwrap().remove(key);
        }
        edit["resolution_minutes"] = json!(600);
        assert_eq!(put_at(&desk, &format!("/api/v1/standards/{id}"), &admin, 1, &edit).await.status, 200);

        // No job has run: the next write on the other node reads the moved version and reloads.
        let second = other.create_ticket(&erin, new(), None, now).await.unwrap().ticket.id;
        assert_eq!(resolution(other.ticket_targets(&casey, second, now).await.unwrap()), Some(600));
        assert_eq!(
            resolution(desk.app.ticket_targets(&casey, first, now).await.unwrap()),
            Some(2_400),
            "until the queue"
        );
        other.close().await;
    }
);

test_both!(
    async fn admins_delete_standards_and_unused_calendars_and_measured_clocks_stay(backend: TestBackend) {
        let (desk, admin) = desk_with_cody(backend).await;
        let id = standard(&desk, &admin).await;
        let calendar = calendar_id(&desk, &admin, always_open()["name"].as_str().unwrap()).await;
        let t0 = jiff::Timestamp::now().as_millisecond();
        let ticket = erin_ticket(&desk, t0).await;
        let casey = desk.principal("casey@harbor.example").await;
        let reply: tandem_app::tickets::NewMessage = serde_json::from_value(json!({"body": "On it."})).unwrap();
        desk.app.post_message(&casey, ticket, reply, None, t0 + 10 * MINUTE).await.unwrap();
        assert_eq!(
            clocks(&desk, ticket).await,
            [
                ("first_response".into(), "Test promise".into(), "met".into()),
                ("resolution".into(), "Test promise".into(), "running".into())
            ]
        );

        let standard_path = format!("/api/v1/standards/{id}");
        let calendar_path = format!("/api/v1/calendars/{calendar}");
        for (email, status) in NOT_ADMINS {
            let token = desk.token(email).await;
            let refused = desk.delete(&standard_path, &token).await;
            assert_eq!(refused.status, status, "{email} deletes a standard: {:?}", refused.json);
            let refused = desk.delete(&calendar_path, &token).await;
            assert_eq!(refused.status, status, "{email} deletes a calendar: {:?}", refused.json);
        }
        let in_use = desk.delete(&calendar_path, &admin).await;
        assert_eq!((in_use.status.as_u16(), in_use.error_code()), (409, "calendar_in_use"));
        assert!(in_use.json["error"]["message"].as_str().unwrap().contains("Test promise"), "{:?}", in_use.json);

        assert_eq!(desk.delete(&standard_path, &admin).await.status, 204);
        let listed = desk.get("/api/v1/standards", &admin).await.json;
        assert!(listed.as_array().unwrap().iter().all(|s| s["id"] != id), "no longer listed");
        assert_eq!(desk.delete(&standard_path, &admin).await.status, 404, "deleted once");
        let edit = json!({"name": "Back", "calendar_id": calendar, "resolution_minutes": 60});
        assert_eq!(
            put_at(&desk, &standard_path, &admin, 1, &edit).await.status,
            404,
            "a deleted standard is not edited"
        );
        run_jobs(&desk, t0 + 20 * MINUTE).await;
        assert_eq!(
            clocks(&desk, ticket).await,
            [
                ("first_response".into(), "Test promise".into(), "met".into()),
                ("resolution".into(), "Customer service (SLA)".into(), "running".into())
            ],
            "the met clock keeps its standard; the running one moved to the next standard that applies"
        );

        let used = json!({"name": "Uses it", "calendar_id": calendar, "resolution_minutes": 60});
        let deleted = desk.delete(&calendar_path, &admin).await;
        assert_eq!(deleted.status, 204, "no standard uses it now: {:?}", deleted.json);
        let refused = desk.post("/api/v1/standards", &admin, &used).await;
        assert!(refused.json["error"]["fields"]["calendar_id"].is_string(), "{:?}", refused.json);
        assert_eq!(desk.delete(&calendar_path, &admin).await.status, 404);
        let again = desk.post("/api/v1/calendars", &admin, &always_open()).await;
        assert_eq!(again.status, 201, "the name is free again: {:?}", again.json);
        let page = desk.get(&format!("/api/v1/tickets/{}", ticket.0), &desk.token("casey@harbor.example").await).await;
        let names: Vec<&str> =
            page.json["targets"].as_array().unwrap().iter().map(|t| t["standard"].as_str().unwrap()).collect();
        assert_eq!(names, ["Test promise", "Customer service (SLA)"], "the ticket still shows what measured it");
    }
);

test_both!(
    async fn with_no_standard_left_open_clocks_go_and_measured_ones_stay(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let t0 = jiff::Timestamp::now().as_millisecond();
        let ticket = erin_ticket(&desk, t0).await;
        let casey = desk.principal("casey@harbor.example").await;
        let reply: tandem_app::tickets::NewMessage = serde_json::from_value(json!({"body": "On it."})).unwrap();
        desk.app.post_message(&casey, ticket, reply, None, t0 + MINUTE).await.unwrap();
        for name in ["Urgent customer trouble (SLA)", "Customer service (SLA)"] {
            let id = standard_id(&desk, &admin, name).await;
            assert_eq!(desk.delete(&format!("/api/v1/standards/{id}"), &admin).await.status, 204);
        }
        run_jobs(&desk, t0 + 2 * MINUTE).await;
        assert_eq!(
            clocks(&desk, ticket).await,
            [("first_response".into(), "Customer service (SLA)".into(), "met".into())],
            "nothing promises a resolution now; the met first response is history"
        );
    }
);

fn ical(events: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Harbor//Holidays//EN\r\n{events}END:VCALENDAR\r\n")
}

async fn import(desk: &TestApp, token: &str, calendar: i64, content_type: &str, body: &str) -> TestResponse {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/calendars/{calendar}/holidays/import"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(Body::from(body.to_owned()))
        .unwrap();
    desk.raw(request).await
}

test_both!(
    async fn holidays_come_in_from_an_icalendar_file_and_a_bad_one_changes_nothing(backend: TestBackend) {
        let (desk, admin) = desk_with_cody(backend).await;
        let office = calendar_id(&desk, &admin, "Harbor office hours").await;
        let file = ical(
            "BEGIN:VEVENT\r\nUID:easter@harbor\r\nDTSTART;VALUE=DATE:20270326\r\nDTEND;VALUE=DATE:20270330\r\n\
             SUMMARY:Easter\r\n  weekend\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:xmas@harbor\r\nDTSTART;VALUE=DATE:20261225\r\nEND:VEVENT\r\n",
        );
        let before = desk.get("/api/v1/calendars", &admin).await.json;
        for (email, status) in NOT_ADMINS {
            let refused = import(&desk, &desk.token(email).await, office, "text/calendar", &file).await;
            assert_eq!(refused.status, status, "{email} imports holidays: {:?}", refused.json);
        }
        let bad = ical(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20270102T090000Z\r\nEND:VEVENT\r\n",
        );
        let refused = import(&desk, &admin, office, "text/calendar", &bad).await;
        assert_eq!((refused.status.as_u16(), refused.error_code()), (422, "invalid"), "{:?}", refused.json);
        let problem = refused.json["error"]["fields"]["body"].as_str().unwrap();
        assert!(problem.contains("line 8") && problem.contains("only all-day events"), "{problem}");
        let wrong_type = import(&desk, &admin, office, "application/json", &file).await;
        assert_eq!((wrong_type.status.as_u16(), wrong_type.error_code()), (415, "unsupported_media_type"));
        assert_eq!(import(&desk, &admin, 999_999, "text/calendar", &file).await.status, 404);
        assert_eq!(desk.get("/api/v1/calendars", &admin).await.json, before, "nothing written");

        let imported = import(&desk, &admin, office, "text/calendar; charset=utf-8", &file).await;
        assert_eq!(imported.status, 200, "{:?}", imported.json);
        let holidays: Vec<&str> =
            imported.json["holidays"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
        assert_eq!(
            holidays,
            ["2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26", "2027-03-27", "2027-03-28", "2027-03-29"],
            "the range without its end, Christmas kept once"
        );
        assert_eq!(imported.json["version"], 2);
        let always = calendar_id(&desk, &admin, "Around the clock").await;
        let refused = import(&desk, &admin, always, "text/calendar", &file).await;
        assert_eq!(refused.status, 422, "an always-open calendar has no holidays: {:?}", refused.json);
    }
);
