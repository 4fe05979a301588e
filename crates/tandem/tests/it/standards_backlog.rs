//! A scan backlog, on both backends with a clock the test holds: more targets fall due at once than
//! one scan job marks, so the scan drains them a batch per job, each round enqueuing the next under
//! its dedupe key, with two nodes' workers taking turns; every warning and breach fires exactly once
//! and a later scan adds nothing.

use tandem_app::jobs::{Registry, Worker, WorkerOptions};
use tandem_app::standards::{SCAN_BATCH, ScanStandards};
use tandem_app::tickets::NewTicket;
use tandem_domain::{Millis, TicketId};

use super::standards::{events, standard};
use super::*;

const MINUTE: Millis = 60_000;

/// How many scan jobs exist, and how many of them finished.
async fn scan_jobs(desk: &TestApp) -> (i64, i64) {
    const SQL: &str = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END), 0) \
         FROM jobs WHERE kind = 'scan_standards'";
    let mut reader = desk.db.store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_as::<_, (i64, i64)>(SQL).fetch_one(&mut *c).await).unwrap()
}

/// Lets two nodes take turns claiming due jobs at `now` until neither finds any.
async fn drain_on_two_nodes(nodes: &[Worker; 2], now: Millis) {
    loop {
        let mut claimed = 0;
        for node in nodes {
            let report = node.run_due(now).await.unwrap();
            assert_eq!((report.retried, report.parked, report.lost), (0, 0, 0), "{report:?}");
            claimed += report.claimed;
        }
        if claimed == 0 {
            return;
        }
    }
}

test_both!(
    async fn a_backlog_larger_than_a_batch_drains_over_several_jobs_firing_each_mark_once(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        standard(&desk, &admin).await;
        let erin = desk.principal("erin@example.com").await;
        let t0 = jiff::Timestamp::now().as_millisecond() + 24 * 60 * MINUTE;
        let new: NewTicket = serde_json::from_value(json!({"subject": "Beans", "body": "Wrong beans.",
            "service": "order-problem", "fields": {"order_number": "HB-7"}}))
        .unwrap();
        let count = SCAN_BATCH + 120;
        let mut ids: Vec<TicketId> = Vec::new();
        for _ in 0..count {
            ids.push(desk.app.create_ticket(&erin, new.clone(), None, t0).await.unwrap().ticket.id);
        }

        let nodes = [(); 2]
            .map(|()| desk.app.worker(Registry::standard(), vec![ScanStandards::schedule()], WorkerOptions::default()));
        // An hour on: every new ticket's first response is past its warning (half) and its due time.
        let now = t0 + 61 * MINUTE;
        for node in &nodes {
            node.tick(now).await.unwrap();
        }
        drain_on_two_nodes(&nodes, now).await;
        let (scans, finished) = scan_jobs(&desk).await;
        assert!(
            scans >= 2 && finished == scans,
            "the backlog took several scan jobs, all finished: {scans}, {finished}"
        );
        for &id in &ids {
            assert_eq!(events(&desk, id, "sla_warning").await, 1, "ticket {} warned once", id.0);
            assert_eq!(events(&desk, id, "sla_breached").await, 1, "ticket {} breached once", id.0);
        }

        let later = now + MINUTE;
        for node in &nodes {
            node.tick(later).await.unwrap();
        }
        drain_on_two_nodes(&nodes, later).await;
        for &id in &ids {
            assert_eq!(events(&desk, id, "sla_breached").await, 1, "a later scan adds nothing");
            assert_eq!(events(&desk, id, "sla_warning").await, 1, "a later scan adds nothing");
        }
    }
);
