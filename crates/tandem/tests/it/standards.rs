//! Service standards on both backends, with a clock the test holds: a ticket's targets start,
//! warn, are met, pause while the ticket waits on the customer (and a long pause never breaches),
//! resume, and breach once; agents see them in the ticket JSON, customers never do. Bad calendars
//! and standards are refused with the field named; only admins write (add or edit) them.

use serde_json::Value;
use tandem_app::jobs::{Registry, WorkerOptions};
use tandem_app::standards::{ScanStandards, TargetView};
use tandem_app::tickets::{NewMessage, NewTicket};
use tandem_domain::{Millis, TicketId};

use super::*;

const MINUTE: Millis = 60_000;

pub(super) fn always_open() -> Value {
    json!({"name": "Test hours, always open", "time_zone": "UTC", "always_open": true})
}

/// Creates the always-open calendar and a standard tried before any other; returns its id.
pub(super) async fn standard(desk: &TestApp, admin: &str) -> i64 {
    let calendar = desk.post("/api/v1/calendars", admin, &always_open()).await;
    assert_eq!(calendar.status, 201, "{:?}", calendar.json);
    let body = json!({"name": "Test promise", "position": -1, "calendar_id": calendar.json["id"],
        "first_response_minutes": 60, "next_response_minutes": 30, "resolution_minutes": 240, "warn_at_percent": 50});
    let created = desk.post("/api/v1/standards", admin, &body).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    created.json["id"].as_i64().unwrap()
}

pub(super) async fn events(desk: &TestApp, ticket: TicketId, kind: &'static str) -> i64 {
    const SQL: &str = "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = $1 AND kind = $2";
    let mut reader = desk.db.store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar::<_, i64>(SQL).bind(ticket).bind(kind).fetch_one(&mut *c).await)
        .unwrap()
}

/// Each target as (metric, state, business minutes left).
fn described(targets: &[TargetView]) -> Vec<(String, String, Option<i64>)> {
    targets
        .iter()
        .map(|target| (target.metric.to_string(), target.state.to_string(), target.business_minutes_left))
        .collect()
}

fn message(body: &str, status: Option<&str>) -> NewMessage {
    serde_json::from_value(json!({"body": body, "status": status})).unwrap()
}

test_both!(
    async fn targets_warn_pause_resume_and_breach_once(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        standard(&desk, &admin).await;
        let (erin, casey) = (desk.principal("erin@example.com").await, desk.principal("casey@harbor.example").await);
        let t0 = jiff::Timestamp::now().as_millisecond() + 24 * 60 * MINUTE;
        let new: NewTicket = serde_json::from_value(json!({"subject": "Beans", "body": "Wrong beans.",
            "service": "order-problem", "fields": {"order_number": "HB-7"}}))
        .unwrap();
        let id = desk.app.create_ticket(&erin, new, None, t0).await.unwrap().ticket.id;
        let shown = described(&desk.app.ticket_targets(&casey, id, t0 + 10 * MINUTE).await.unwrap());
        assert_eq!(
            shown,
            [("first_response".into(), "running".into(), Some(50)), ("resolution".into(), "running".into(), Some(230))]
        );

        let worker = desk.app.worker(Registry::standard(), vec![ScanStandards::schedule()], WorkerOptions::default());
        let scan = |now: Millis| {
            let worker = &worker;
            async move {
                worker.tick(now).await.unwrap();
                worker.run_until_idle(now).await.unwrap();
            }
        };
        scan(t0 + 29 * MINUTE).await;
        assert_eq!(events(&desk, id, "sla_warning").await, 0, "not yet half of the first-response target");
        scan(t0 + 31 * MINUTE).await;
        scan(t0 + 32 * MINUTE).await;
        assert_eq!(events(&desk, id, "sla_warning").await, 1, "the warning fires once");

        desk.app.post_message(&casey, id, message("Sorry! Sending more.", None), None, t0 + 40 * MINUTE).await.unwrap();
        desk.app.post_message(&erin, id, message("When?", None), None, t0 + 50 * MINUTE).await.unwrap();
        let pending = message("Tomorrow. Did they arrive?", Some("pending_customer"));
        desk.app.post_message(&casey, id, pending, None, t0 + 55 * MINUTE).await.unwrap();
        scan(t0 + 600 * MINUTE).await;
        assert_eq!(events(&desk, id, "sla_breached").await, 0, "a paused ticket never breaches");

        let back = t0 + 600 * MINUTE;
        desk.app.post_message(&erin, id, message("Not yet.", None), None, back).await.unwrap();
        scan(back + 31 * MINUTE).await;
        scan(back + 40 * MINUTE).await;
        assert_eq!(events(&desk, id, "sla_breached").await, 1, "the next response breached, once");
        let shown = described(&desk.app.ticket_targets(&casey, id, back + 40 * MINUTE).await.unwrap());
        assert_eq!(
            shown,
            [
                ("first_response".into(), "met".into(), None),
                ("next_response".into(), "breached".into(), Some(-10)),
                ("resolution".into(), "running".into(), Some(240 - 55 - 40)),
            ]
        );

        let casey_token = desk.token("casey@harbor.example").await;
        let agent_view = desk.get(&format!("/api/v1/tickets/{}", id.0), &casey_token).await;
        let metrics: Vec<&str> =
            agent_view.json["targets"].as_array().unwrap().iter().map(|t| t["metric"].as_str().unwrap()).collect();
        assert_eq!(metrics, ["first_response", "next_response", "resolution"]);
        assert_eq!(agent_view.json["targets"][1]["standard"], "Test promise");
        let erin_token = desk.token("erin@example.com").await;
        let customer_view = desk.get(&format!("/api/v1/tickets/{}", id.0), &erin_token).await;
        assert_eq!(customer_view.status, 200);
        assert!(customer_view.json.get("targets").is_none(), "customers never see targets");
        let page = super::pages::Browser::of(&desk, "casey@harbor.example").await;
        let html = page.page(&format!("/agent/tickets/{}", id.0)).await;
        assert!(html.contains("Service standard") && html.contains("Next response"), "{html}");
        assert!(html.contains("Breached") && html.contains("Met"), "{html}");
    }
);

test_both!(
    async fn bad_calendars_and_standards_are_refused_naming_the_field(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let calendars_before = desk.get("/api/v1/calendars", &admin).await.json;
        let standards_before = desk.get("/api/v1/standards", &admin).await.json;
        let refused = |body: Value| {
            let (desk, admin) = (&desk, &admin);
            async move { desk.post("/api/v1/calendars", admin, &body).await }
        };
        let unknown_zone = refused(json!({"name": "Mars", "time_zone": "Mars/Olympus", "always_open": true})).await;
        assert_eq!(unknown_zone.status, 422);
        assert!(unknown_zone.json["error"]["fields"]["time_zone"].is_string(), "{:?}", unknown_zone.json);
        let overlapping = refused(json!({"name": "Busy", "time_zone": "Europe/Paris", "weekly": [
            {"day": "monday", "start": "09:00", "end": "12:00"}, {"day": "monday", "start": "11:00", "end": "13:00"}]}))
        .await;
        assert_eq!(overlapping.json["error"]["fields"]["weekly[1]"], "overlaps weekly[0] on the same day");
        let empty = refused(json!({"name": "Never", "time_zone": "Europe/Paris", "weekly": [
            {"day": "monday", "start": "09:00", "end": "09:00"}]}))
        .await;
        assert!(empty.json["error"]["fields"]["weekly[0].end"].is_string(), "{:?}", empty.json);
        let unknown = refused(json!({"name": "Typo", "time_zone": "UTC", "always_open": true, "holiday": []})).await;
        assert_eq!(unknown.status, 422, "unknown fields are refused: {:?}", unknown.json);
        assert_eq!(desk.get("/api/v1/calendars", &admin).await.json, calendars_before, "nothing half-written");

        let calendar = desk.post("/api/v1/calendars", &admin, &always_open()).await.json["id"].clone();
        let twin = desk.post("/api/v1/calendars", &admin, &always_open()).await;
        assert_eq!((twin.status.as_u16(), twin.error_code()), (409, "name_taken"));
        let no_target =
            desk.post("/api/v1/standards", &admin, &json!({"name": "Empty", "calendar_id": calendar})).await;
        assert!(no_target.json["error"]["fields"]["targets"].is_string(), "{:?}", no_target.json);
        let typo = json!({"name": "Typo", "calendar_id": calendar, "resolution_minute": 60, "resolution_minutes": 60});
        assert_eq!(desk.post("/api/v1/standards", &admin, &typo).await.status, 422, "unknown fields are refused");
        let body = json!({"name": "Lost", "calendar_id": 999_999, "resolution_minutes": 0});
        let bad = desk.post("/api/v1/standards", &admin, &body).await;
        let fields = &bad.json["error"]["fields"];
        assert!(fields["calendar_id"].is_string() && fields["resolution_minutes"].is_string(), "{fields:?}");
        assert_eq!(desk.get("/api/v1/standards", &admin).await.json, standards_before);
    }
);

test_both!(
    async fn admins_write_standards_staff_read_them_customers_never_see_them(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let calendar_id = desk.post("/api/v1/calendars", &admin, &always_open()).await.json["id"].clone();
        for (email, read, write) in [
            ("admin@harbor.example", 200, 201),
            ("casey@harbor.example", 200, 403),
            ("bea@harbor.example", 404, 404),
            ("erin@example.com", 404, 404),
        ] {
            let token = desk.token(email).await;
            assert_eq!(desk.get("/api/v1/calendars", &token).await.status, read, "{email} lists calendars");
            assert_eq!(desk.get("/api/v1/standards", &token).await.status, read, "{email} lists standards");
            let calendar = json!({"name": format!("Hours of {email}"), "time_zone": "UTC", "always_open": true});
            let created = desk.post("/api/v1/calendars", &token, &calendar).await;
            assert_eq!(created.status, write, "{email} adds a calendar: {:?}", created.json);
            let standard = json!({"name": email, "calendar_id": calendar_id, "resolution_minutes": 60});
            let created = desk.post("/api/v1/standards", &token, &standard).await;
            assert_eq!(created.status, write, "{email} adds a standard: {:?}", created.json);
            let edit = if write == 201 { 200 } else { write };
            let calendar = json!({"name": "Test hours, edited", "time_zone": "UTC", "always_open": true});
            let version = desk.get("/api/v1/calendars", &admin).await.json;
            let version =
                version.as_array().unwrap().iter().find(|c| c["id"] == calendar_id).unwrap()["version"].clone();
            let path = format!("/api/v1/calendars/{calendar_id}");
            let edited = super::catalog::put_at(&desk, &path, &token, version.as_i64().unwrap(), &calendar).await;
            assert_eq!(edited.status, edit, "{email} edits a calendar: {:?}", edited.json);
            let listed = desk.get("/api/v1/standards", &admin).await.json;
            let first = &listed[0];
            let path = format!("/api/v1/standards/{}", first["id"]);
            let edited =
                super::catalog::put_at(&desk, &path, &token, first["version"].as_i64().unwrap(), &standard).await;
            assert_eq!(edited.status, edit, "{email} edits a standard: {:?}", edited.json);
        }
    }
);

test_both!(
    async fn the_demo_holds_internal_and_external_service_to_standards(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let calendars = desk.get("/api/v1/calendars", &admin).await.json;
        let office = calendars.as_array().unwrap().iter().find(|c| c["name"] == "Harbor office hours").unwrap();
        let monday: Vec<(&str, &str)> = office["weekly"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|period| period["day"] == "monday")
            .map(|period| (period["start"].as_str().unwrap(), period["end"].as_str().unwrap()))
            .collect();
        assert_eq!(monday, [("09:00", "12:30"), ("13:30", "17:30")], "a lunch break");
        assert!(office["holidays"].as_array().unwrap().contains(&json!("2026-12-25")));
        const USED: &str = "SELECT DISTINCT s.name FROM ticket_targets t JOIN standards s ON s.id = t.standard_id \
             ORDER BY s.name";
        let mut reader = desk.db.store.read().await.unwrap();
        let used: Vec<String> =
            tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar(USED).fetch_all(&mut *c).await).unwrap();
        assert!(used.iter().any(|name| name.ends_with("(SLA)")), "external tickets run SLAs: {used:?}");
        assert!(used.iter().any(|name| name.ends_with("(OLA)")), "internal tickets run OLAs: {used:?}");
    }
);

test_both!(
    async fn a_new_standard_reaches_open_tickets_through_the_queue(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let casey = desk.principal("casey@harbor.example").await;
        let casey_token = desk.token("casey@harbor.example").await;
        let open = desk.get("/api/v1/tickets?status=open,new", &casey_token).await;
        let id = TicketId(open.json["items"][0]["id"].as_i64().expect("an open demo ticket"));
        let now = jiff::Timestamp::now().as_millisecond();
        let names = |targets: Vec<TargetView>| targets.into_iter().map(|t| t.standard).collect::<Vec<_>>();
        let before = names(desk.app.ticket_targets(&casey, id, now).await.unwrap());
        assert!(!before.is_empty() && before.iter().all(|name| name != "Test promise"), "{before:?}");
        standard(&desk, &admin).await;
        const QUEUED: &str = "SELECT COUNT(*) FROM jobs WHERE kind = 'refresh_open_tickets'";
        let mut reader = desk.db.store.read().await.unwrap();
        let queued: i64 =
            tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar(QUEUED).fetch_one(&mut *c).await).unwrap();
        drop(reader);
        assert_eq!(queued, 1, "the refresh was enqueued with the standard");
        let worker = desk.app.worker(Registry::standard(), vec![], WorkerOptions::default());
        // The API stamped the job with its own clock, a little after `now`.
        assert_eq!(worker.run_until_idle(now + 60_000).await.unwrap().finished, 1);
        let after = names(desk.app.ticket_targets(&casey, id, now).await.unwrap());
        assert!(!after.is_empty() && after.iter().all(|name| name == "Test promise"), "{after:?}");
    }
);
