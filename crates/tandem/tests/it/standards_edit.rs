//! Editing calendars and standards on both backends, with a clock the test holds: an edit is
//! checked as a create is (the field named, nothing written), needs the current version in
//! `If-Match`, and reaches running tickets through the queue with the business time they already
//! used kept, so only their due times move.

use serde_json::Value;
use tandem_app::jobs::{Registry, WorkerOptions};
use tandem_app::standards::TargetView;
use tandem_app::tickets::NewTicket;
use tandem_domain::{Millis, TicketId};

use super::catalog::put_at;
use super::standards::{always_open, standard};
use super::*;

const MINUTE: Millis = 60_000;

/// The ticket's resolution target as (due at, business minutes left, target minutes).
async fn resolution(desk: &TestApp, id: TicketId, now: Millis) -> (Millis, Option<i64>, i64) {
    let casey = desk.principal("casey@harbor.example").await;
    let targets: Vec<TargetView> = desk.app.ticket_targets(&casey, id, now).await.unwrap();
    let target = targets.into_iter().find(|t| t.metric.to_string() == "resolution").expect("a resolution target");
    (target.due_at.expect("a running clock").0, target.business_minutes_left, target.target_minutes)
}

async fn refreshes_queued(desk: &TestApp) -> i64 {
    const SQL: &str = "SELECT COUNT(*) FROM jobs WHERE kind = 'refresh_open_tickets'";
    let mut reader = desk.db.store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar::<_, i64>(SQL).fetch_one(&mut *c).await).unwrap()
}

/// The standard `id` as listed, as a PUT body.
async fn shown_standard(desk: &TestApp, admin: &str, id: i64) -> Value {
    let listed = desk.get("/api/v1/standards", admin).await.json;
    listed.as_array().unwrap().iter().find(|s| s["id"] == id).expect("the standard is listed").clone()
}

fn input_of(shown: &Value) -> Value {
    let mut input = shown.clone();
    for key in ["id", "version", "created_at"] {
        input.as_object_mut().unwrap().remove(key);
    }
    input
}

test_both!(
    async fn editing_a_standard_moves_running_due_times_and_keeps_the_time_used(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let id = standard(&desk, &admin).await;
        let erin = desk.principal("erin@example.com").await;
        let t0 = jiff::Timestamp::now().as_millisecond() + 24 * 60 * MINUTE;
        let new: NewTicket = serde_json::from_value(json!({"subject": "Beans", "body": "Wrong beans.",
            "service": "order-problem", "fields": {"order_number": "HB-7"}}))
        .unwrap();
        let ticket = desk.app.create_ticket(&erin, new, None, t0).await.unwrap().ticket.id;
        let hour_in = t0 + 60 * MINUTE;
        assert_eq!(resolution(&desk, ticket, hour_in).await, (t0 + 240 * MINUTE, Some(180), 240));

        let shown = shown_standard(&desk, &admin, id).await;
        let mut edit = input_of(&shown);
        edit["resolution_minutes"] = json!(480);
        let queued = refreshes_queued(&desk).await;
        let edited = put_at(&desk, &format!("/api/v1/standards/{id}"), &admin, 1, &edit).await;
        assert_eq!(edited.status, 200, "{:?}", edited.json);
        assert_eq!((edited.json["version"].as_i64(), edited.json["resolution_minutes"].as_i64()), (Some(2), Some(480)));
        assert_eq!(refreshes_queued(&desk).await, queued + 1, "the refresh was enqueued with the edit");

        let worker = desk.app.worker(Registry::standard(), vec![], WorkerOptions::default());
        worker.run_until_idle(hour_in).await.unwrap();
        assert_eq!(
            resolution(&desk, ticket, hour_in).await,
            (t0 + 480 * MINUTE, Some(420), 480),
            "the due time moved; the hour already used is kept"
        );
    }
);

test_both!(
    async fn stale_missing_and_bad_edits_are_refused_with_nothing_written(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let id = standard(&desk, &admin).await;
        let path = format!("/api/v1/standards/{id}");
        let good = input_of(&shown_standard(&desk, &admin, id).await);
        let before = desk.get("/api/v1/standards", &admin).await.json;
        let queued = refreshes_queued(&desk).await;

        let mut bad = good.clone();
        bad["calendar_id"] = json!(999_999);
        bad["resolution_minutes"] = json!(0);
        let refused = put_at(&desk, &path, &admin, 1, &bad).await;
        assert_eq!(refused.status, 422, "{:?}", refused.json);
        let fields = &refused.json["error"]["fields"];
        assert!(fields["calendar_id"].is_string() && fields["resolution_minutes"].is_string(), "{fields:?}");
        let stale = put_at(&desk, &path, &admin, 7, &good).await;
        assert_eq!((stale.status.as_u16(), stale.error_code()), (409, "version_conflict"));
        let unversioned = desk.put(&path, &admin, &good).await;
        assert_eq!((unversioned.status.as_u16(), unversioned.error_code()), (428, "precondition_required"));
        let ghost = put_at(&desk, "/api/v1/standards/999999", &admin, 1, &good).await;
        assert_eq!(ghost.status, 404);
        assert_eq!(desk.get("/api/v1/standards", &admin).await.json, before, "nothing written");
        assert_eq!(refreshes_queued(&desk).await, queued, "nothing enqueued");

        let calendars_before = desk.get("/api/v1/calendars", &admin).await.json;
        let calendar = calendars_before.as_array().unwrap().iter().find(|c| c["name"] == always_open()["name"]);
        let calendar_path = format!("/api/v1/calendars/{}", calendar.unwrap()["id"]);
        let mars = json!({"name": "Mars", "time_zone": "Mars/Olympus", "always_open": true});
        let refused = put_at(&desk, &calendar_path, &admin, 1, &mars).await;
        assert!(refused.json["error"]["fields"]["time_zone"].is_string(), "{:?}", refused.json);
        let stale = put_at(&desk, &calendar_path, &admin, 2, &always_open()).await;
        assert_eq!((stale.status.as_u16(), stale.error_code()), (409, "version_conflict"));
        let taken = json!({"name": "Harbor office hours", "time_zone": "UTC", "always_open": true});
        let twin = put_at(&desk, &calendar_path, &admin, 1, &taken).await;
        assert_eq!((twin.status.as_u16(), twin.error_code()), (409, "name_taken"));
        assert_eq!(put_at(&desk, "/api/v1/calendars/999999", &admin, 1, &mars).await.status, 404);
        assert_eq!(desk.get("/api/v1/calendars", &admin).await.json, calendars_before, "nothing written");

        let renamed = json!({"name": "Test hours, renamed", "time_zone": "Europe/Paris", "always_open": true});
        let edited = put_at(&desk, &calendar_path, &admin, 1, &renamed).await;
        assert_eq!((edited.status.as_u16(), edited.json["version"].as_i64()), (200, Some(2)), "{:?}", edited.json);
        assert_eq!(edited.json["time_zone"], "Europe/Paris");
    }
);
