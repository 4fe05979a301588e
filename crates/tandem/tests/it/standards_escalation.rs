//! Escalation after a breach, on both backends with a clock the test holds: a standard that raises
//! priority one step, moves the ticket to another team and notifies its people does each once, when
//! the first-response target breaches, and a later scan changes nothing; a bad escalation (unknown
//! team or priority, unknown field) is refused naming the field, and nothing is written.

use serde_json::Value;
use tandem_app::jobs::{Registry, Worker, WorkerOptions};
use tandem_app::standards::ScanStandards;
use tandem_app::tickets::NewTicket;
use tandem_domain::{Millis, PersonId, TeamId, TeamRole, TicketId};
use tandem_store::tickets::TicketView;

use super::standards::{always_open, events};
use super::*;

const MINUTE: Millis = 60_000;

async fn stored(desk: &TestApp, id: TicketId) -> TicketView {
    let mut reader = desk.db.store.read().await.unwrap();
    tandem_store::tickets::get(reader.conn(), id).await.unwrap().expect("the ticket")
}

/// Ticks the scan's schedule at `now` and runs what is due.
async fn scan_at(worker: &Worker, now: Millis) {
    worker.tick(now).await.unwrap();
    worker.run_until_idle(now).await.unwrap();
}

/// The data of the ticket's only `notified` event.
async fn notified(desk: &TestApp, id: TicketId) -> Value {
    const SQL: &str = "SELECT data FROM ticket_events WHERE ticket_id = $1 AND kind = 'notified'";
    let mut reader = desk.db.store.read().await.unwrap();
    let data: String =
        tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar(SQL).bind(id).fetch_one(&mut *c).await).unwrap();
    serde_json::from_str(&data).unwrap()
}

test_both!(
    async fn a_breach_raises_priority_moves_team_and_notifies_once(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let erin = desk.principal("erin@example.com").await;
        let t0 = jiff::Timestamp::now().as_millisecond() + 24 * 60 * MINUTE;
        let new = || -> NewTicket {
            serde_json::from_value(json!({"subject": "Beans", "body": "Wrong beans.",
                "service": "order-problem", "fields": {"order_number": "HB-7"}}))
            .unwrap()
        };
        // A first ticket shows where routing sends this request; the escalation moves it elsewhere.
        let probe = desk.app.create_ticket(&erin, new(), None, t0).await.unwrap().ticket.id;
        let home = stored(&desk, probe).await.team_id;
        let teams = desk.get("/api/v1/teams", &admin).await.json;
        let elsewhere =
            teams.as_array().unwrap().iter().map(|team| team["id"].as_i64().unwrap()).find(|&id| id != home.0);
        let elsewhere = TeamId(elsewhere.expect("a second demo team"));

        let calendar = desk.post("/api/v1/calendars", &admin, &always_open()).await;
        let escalation = json!({"raise_priority": "one_step", "move_to_team_id": elsewhere, "notify": true});
        let body = json!({"name": "Escalating promise", "position": -1, "calendar_id": calendar.json["id"],
            "first_response_minutes": 60, "escalations": {"first_response": escalation}});
        let created = desk.post("/api/v1/standards", &admin, &body).await;
        assert_eq!(created.status, 201, "{:?}", created.json);
        assert_eq!(created.json["escalations"]["first_response"], escalation, "the standard shows its escalation");

        let id = desk.app.create_ticket(&erin, new(), None, t0).await.unwrap().ticket.id;
        let before = stored(&desk, id).await;
        assert_eq!((before.priority.as_str(), before.team_id), ("normal", home));
        let worker = desk.app.worker(Registry::standard(), vec![ScanStandards::schedule()], WorkerOptions::default());
        scan_at(&worker, t0 + 59 * MINUTE).await;
        let unchanged = stored(&desk, id).await;
        assert_eq!((unchanged.priority, unchanged.team_id), (before.priority, home), "no breach yet");
        assert_eq!(events(&desk, id, "notified").await, 0);

        scan_at(&worker, t0 + 61 * MINUTE).await;
        let escalated = stored(&desk, id).await;
        assert_eq!((escalated.priority.as_str(), escalated.team_id), ("high", elsewhere), "raised one step, moved");
        let mut leads: Vec<PersonId> = before.assignee_id.into_iter().collect();
        let mut reader = desk.db.store.read().await.unwrap();
        let members = tandem_store::teams::members(reader.conn(), home).await.unwrap();
        drop(reader);
        leads.extend(members.iter().filter(|m| m.role == TeamRole::Lead).map(|m| m.person_id));
        assert!(!leads.is_empty(), "the home team has a lead to notify");
        let notice = notified(&desk, id).await;
        assert_eq!(notice["person_ids"], json!(leads), "the notice names the assignee and the team's leads");
        assert_eq!(notice["cause"]["metric"], "first_response");

        for later in [62, 63, 600] {
            scan_at(&worker, t0 + later * MINUTE).await;
        }
        let after = stored(&desk, id).await;
        assert_eq!((after.priority.as_str(), after.team_id), ("high", elsewhere), "a second scan changes nothing");
        for kind in ["sla_breached", "priority_changed", "team_changed", "notified"] {
            assert_eq!(events(&desk, id, kind).await, 1, "{kind} recorded once in the trail");
        }
    }
);

test_both!(
    async fn bad_escalations_are_refused_naming_the_field(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let calendar = desk.post("/api/v1/calendars", &admin, &always_open()).await.json["id"].clone();
        let before = desk.get("/api/v1/standards", &admin).await.json;
        let with = |escalations: Value| {
            json!({"name": "Escalating", "calendar_id": calendar, "first_response_minutes": 60,
                "resolution_minutes": 240, "escalations": escalations})
        };
        let bad = with(json!({"first_response": {"move_to_team_id": 999_999},
            "resolution": {"raise_priority": "asap"}}));
        let refused = desk.post("/api/v1/standards", &admin, &bad).await;
        assert_eq!((refused.status.as_u16(), refused.error_code()), (422, "invalid"), "{:?}", refused.json);
        let fields = &refused.json["error"]["fields"];
        assert_eq!(fields["escalations.first_response.move_to_team_id"], "no such team", "{fields:?}");
        let priority = fields["escalations.resolution.raise_priority"].as_str().unwrap_or_default();
        assert!(priority.contains("asap") && priority.contains("one_step"), "{fields:?}");
        let empty = desk.post("/api/v1/standards", &admin, &with(json!({"resolution": {}}))).await;
        assert!(empty.json["error"]["fields"]["escalations.resolution"].is_string(), "{:?}", empty.json);
        let typo = with(json!({"resolution": {"notify_all": true}}));
        assert_eq!(desk.post("/api/v1/standards", &admin, &typo).await.status, 422, "unknown fields are refused");
        assert_eq!(desk.get("/api/v1/standards", &admin).await.json, before, "nothing written");
    }
);
