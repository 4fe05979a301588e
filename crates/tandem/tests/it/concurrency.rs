//! Races the database decides, on both backends: idempotent retries (sequential and concurrent),
//! one person for one new email, one winner when two agents take a ticket, no lost update under
//! `If-Match`, and many replies at once that all land.

use std::sync::Arc;

use axum::http::Method;
use tandem_testkit::TestResponse;

use super::*;

/// Counts rows with a static query, straight from the store.
async fn count(desk: &TestApp, sql: &'static str) -> i64 {
    let mut reader = desk.db.store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut *c).await).unwrap()
}

/// POST with an `Idempotency-Key`.
async fn post_keyed(desk: &TestApp, path: &str, token: &str, key: &str, body: &serde_json::Value) -> TestResponse {
    desk.send_with(Method::POST, path, Some(token), Some(body), &[("idempotency-key", key)]).await
}

fn order(subject: &str) -> serde_json::Value {
    json!({"subject": subject, "body": "Wrong beans.", "service": "order-problem", "fields": {"order_number": "HB-1"}})
}

async fn open_ticket(desk: &TestApp, token: &str, subject: &str) -> i64 {
    let created = desk.post("/api/v1/tickets", token, &order(subject)).await;
    assert_eq!(created.status, 201, "{:?}", created.json);
    created.json["ticket"]["id"].as_i64().unwrap()
}

fn statuses(responses: &[TestResponse]) -> Vec<u16> {
    let mut statuses: Vec<u16> = responses.iter().map(|response| response.status.as_u16()).collect();
    statuses.sort();
    statuses
}

test_both!(
    async fn ticket_creation_is_idempotent_under_retries_and_races(backend: TestBackend) {
        let desk = Arc::new(TestApp::demo(backend).await);
        let erin = desk.token("erin@example.com").await;
        let tickets = count(&desk, "SELECT COUNT(*) FROM tickets").await;
        let messages = count(&desk, "SELECT COUNT(*) FROM messages").await;

        let first = post_keyed(&desk, "/api/v1/tickets", &erin, "order-42", &order("Decaf again")).await;
        assert_eq!(first.status, 201, "{:?}", first.json);
        let retry = post_keyed(&desk, "/api/v1/tickets", &erin, "order-42", &order("Decaf again")).await;
        assert_eq!(retry.status, 201, "{:?}", retry.json);
        assert_eq!(retry.json["ticket"]["id"], first.json["ticket"]["id"]);
        assert_eq!(retry.json["messages"].as_array().unwrap().len(), 1);
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM tickets").await, tickets + 1);
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM messages").await, messages + 1);

        let reused = post_keyed(&desk, "/api/v1/tickets", &erin, "order-42", &order("Something else")).await;
        assert_eq!(reused.status, 409, "{:?}", reused.json);
        assert_eq!(reused.error_code(), "idempotency_key_reused");
        // Keys belong to a person: Olga's "order-42" is hers.
        let olga = desk.token("olga@bayside.example").await;
        let hers = post_keyed(&desk, "/api/v1/tickets", &olga, "order-42", &order("Decaf again")).await;
        assert_eq!(hers.status, 201, "{:?}", hers.json);
        assert_ne!(hers.json["ticket"]["id"], first.json["ticket"]["id"]);
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM tickets").await, tickets + 2);

        let responses = together(8, |_| {
            let (desk, erin) = (desk.clone(), erin.clone());
            async move { post_keyed(&desk, "/api/v1/tickets", &erin, "burst-1", &order("Pressed eight times")).await }
        })
        .await;
        assert_eq!(statuses(&responses), [201; 8], "{:?}", responses.iter().map(|r| &r.json).collect::<Vec<_>>());
        let ids: Vec<&serde_json::Value> = responses.iter().map(|response| &response.json["ticket"]["id"]).collect();
        assert!(ids.iter().all(|id| *id == ids[0] && id.is_i64()), "{ids:?}");
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM tickets").await, tickets + 3);
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM messages").await, messages + 3);
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM ticket_events WHERE kind = 'created'").await, tickets + 3);
    }
);

test_both!(
    async fn posting_a_message_is_idempotent_under_retries_and_races(backend: TestBackend) {
        let desk = Arc::new(TestApp::demo(backend).await);
        let erin = desk.token("erin@example.com").await;
        let casey = desk.token("casey@harbor.example").await;
        let id = open_ticket(&desk, &erin, "Where is my order?").await;
        let other = open_ticket(&desk, &erin, "And the other one?").await;
        let path = format!("/api/v1/tickets/{id}/messages");
        let reply = json!({"body": "It ships today."});

        let first = post_keyed(&desk, &path, &casey, "reply-1", &reply).await;
        assert_eq!(first.status, 201, "{:?}", first.json);
        let version = first.json["ticket"]["version"].as_i64().unwrap();
        let retry = post_keyed(&desk, &path, &casey, "reply-1", &reply).await;
        assert_eq!(retry.status, 201, "{:?}", retry.json);
        assert_eq!(retry.json["message"]["id"], first.json["message"]["id"]);
        assert_eq!(retry.json["ticket"]["version"], version, "a replay changes nothing");
        let reused = post_keyed(&desk, &path, &casey, "reply-1", &json!({"body": "It ships tomorrow."})).await;
        assert_eq!((reused.status.as_u16(), reused.error_code()), (409, "idempotency_key_reused"));
        let elsewhere =
            post_keyed(&desk, &format!("/api/v1/tickets/{other}/messages"), &casey, "reply-1", &reply).await;
        assert_eq!((elsewhere.status.as_u16(), elsewhere.error_code()), (409, "idempotency_key_reused"));
        let as_ticket = post_keyed(&desk, "/api/v1/tickets", &casey, "reply-1", &order("x")).await;
        assert_eq!((as_ticket.status.as_u16(), as_ticket.error_code()), (409, "idempotency_key_reused"));

        let responses = together(6, |_| {
            let (desk, erin, path) = (desk.clone(), erin.clone(), path.clone());
            async move { post_keyed(&desk, &path, &erin, "thanks-1", &json!({"body": "Thanks!"})).await }
        })
        .await;
        assert_eq!(statuses(&responses), [201; 6], "{:?}", responses.iter().map(|r| &r.json).collect::<Vec<_>>());
        let ids: Vec<&serde_json::Value> = responses.iter().map(|response| &response.json["message"]["id"]).collect();
        assert!(ids.iter().all(|id| *id == ids[0] && id.is_i64()), "{ids:?}");
        let conversation = desk.get(&format!("/api/v1/tickets/{id}"), &casey).await;
        let bodies: Vec<&str> =
            conversation.json["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
        assert_eq!(bodies, ["Wrong beans.", "It ships today.", "Thanks!"]);
        assert_eq!(conversation.json["ticket"]["version"], version + 1);
    }
);

test_both!(
    async fn a_new_requester_email_racing_makes_one_person(backend: TestBackend) {
        let desk = Arc::new(TestApp::demo(backend).await);
        let casey = desk.token("casey@harbor.example").await;
        let people = count(&desk, "SELECT COUNT(*) FROM people").await;
        let responses = together(6, |index| {
            let (desk, casey) = (desk.clone(), casey.clone());
            let mut ticket = order(&format!("Phoned in, call {index}"));
            ticket["requester"] = json!({"email": "New@X.example", "name": "New"});
            async move { desk.post("/api/v1/tickets", &casey, &ticket).await }
        })
        .await;
        assert_eq!(statuses(&responses), [201; 6], "{:?}", responses.iter().map(|r| &r.json).collect::<Vec<_>>());
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM people").await, people + 1);
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM people WHERE email = 'new@x.example'").await, 1);
        let requesters: Vec<&serde_json::Value> =
            responses.iter().map(|response| &response.json["ticket"]["requester"]["id"]).collect();
        assert!(requesters.iter().all(|id| *id == requesters[0] && id.is_i64()), "{requesters:?}");
        let tickets = count(
            &desk,
            "SELECT COUNT(*) FROM tickets t JOIN people p ON p.id = t.requester_id \
             WHERE p.email = 'new@x.example'",
        )
        .await;
        assert_eq!(tickets, 6);
    }
);

test_both!(
    async fn two_agents_taking_one_ticket_get_one_winner(backend: TestBackend) {
        let desk = Arc::new(TestApp::demo(backend).await);
        let admin = desk.token("admin@harbor.example").await;
        let erin = desk.token("erin@example.com").await;
        let (casey, ivan) = (desk.token("casey@harbor.example").await, desk.token("ivan@harbor.example").await);
        let teams = desk.get("/api/v1/teams", &admin).await;
        let care = teams.json.as_array().unwrap().iter().find(|team| team["slug"] == "care").unwrap()["id"].clone();
        let ivan_id = desk.get("/api/v1/me", &ivan).await.json["id"].clone();
        let joined =
            desk.put(&format!("/api/v1/teams/{care}/members/{ivan_id}"), &admin, &json!({"role": "agent"})).await;
        assert_eq!(joined.status, 200, "{:?}", joined.json);

        for round in 0..4 {
            let id = open_ticket(&desk, &erin, &format!("Take me {round}")).await;
            let path = format!("/api/v1/tickets/{id}/take");
            let responses = together(2, |index| {
                let (desk, path) = (desk.clone(), path.clone());
                let token = if index == 0 { casey.clone() } else { ivan.clone() };
                async move { desk.send(Method::POST, &path, Some(&token), None).await }
            })
            .await;
            assert_eq!(statuses(&responses), [200, 409], "{:?}", responses.iter().map(|r| &r.json).collect::<Vec<_>>());
            let winner = responses.iter().find(|response| response.status == 200).unwrap();
            let loser = responses.iter().find(|response| response.status == 409).unwrap();
            assert_eq!(loser.error_code(), "already_assigned");
            let name = winner.json["assignee"]["name"].as_str().unwrap();
            assert!(loser.json["error"]["message"].as_str().unwrap().contains(name), "{:?}", loser.json);
            let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &casey).await;
            assert_eq!(ticket.json["ticket"]["assignee"]["id"], winner.json["assignee"]["id"]);
            assert_eq!(ticket.json["ticket"]["version"], 2, "one take, one version");
            let events = desk.get(&format!("/api/v1/tickets/{id}/events"), &casey).await;
            let assigned = events.json["items"].as_array().unwrap().iter().filter(|e| e["kind"] == "assigned").count();
            assert_eq!(assigned, 1);
        }
    }
);

test_both!(
    async fn concurrent_patches_with_one_version_lose_no_update(backend: TestBackend) {
        let desk = Arc::new(TestApp::demo(backend).await);
        let erin = desk.token("erin@example.com").await;
        let casey = desk.token("casey@harbor.example").await;
        for round in 0..4 {
            let id = open_ticket(&desk, &erin, &format!("Patch me {round}")).await;
            let path = format!("/api/v1/tickets/{id}");
            let changes = [json!({"priority": "high"}), json!({"subject": "Renamed", "add_tags": ["late"]})];
            let responses = together(2, |index| {
                let (desk, casey, path, change) = (desk.clone(), casey.clone(), path.clone(), changes[index].clone());
                async move { desk.patch(&path, &casey, 1, &change).await }
            })
            .await;
            assert_eq!(statuses(&responses), [200, 409], "{:?}", responses.iter().map(|r| &r.json).collect::<Vec<_>>());
            let loser = responses.iter().position(|response| response.status == 409).unwrap();
            assert_eq!(responses[loser].error_code(), "version_conflict");
            let ticket = desk.get(&path, &casey).await.json["ticket"].clone();
            assert_eq!(ticket["version"], 2);
            let expected = if loser == 0 {
                json!(["normal", "Renamed", ["late"]])
            } else {
                json!(["high", format!("Patch me {round}"), []])
            };
            assert_eq!(
                json!([ticket["priority"], ticket["subject"], ticket["tags"]]),
                expected,
                "only the winner's change"
            );
            // The loser reloads and retries: both changes stand.
            let retried = desk.patch(&path, &casey, 2, &changes[loser]).await;
            assert_eq!(retried.status, 200, "{:?}", retried.json);
            assert_eq!((&retried.json["priority"], &retried.json["subject"]), (&json!("high"), &json!("Renamed")));
            assert_eq!(retried.json["version"], 3);
        }
    }
);

test_both!(
    async fn many_replies_at_once_all_land(backend: TestBackend) {
        let desk = Arc::new(TestApp::demo(backend).await);
        let erin = desk.token("erin@example.com").await;
        let casey = desk.token("casey@harbor.example").await;
        let id = open_ticket(&desk, &erin, "Busy ticket").await;
        let path = format!("/api/v1/tickets/{id}/messages");
        const REPLIES: usize = 16;
        let responses = together(REPLIES, |index| {
            let (desk, path) = (desk.clone(), path.clone());
            let token = if index % 2 == 0 { casey.clone() } else { erin.clone() };
            async move { desk.post(&path, &token, &json!({"body": format!("reply {index}")})).await }
        })
        .await;
        assert_eq!(statuses(&responses), [201; REPLIES], "{:?}", responses.iter().map(|r| &r.json).collect::<Vec<_>>());
        let ticket = desk.get(&format!("/api/v1/tickets/{id}"), &casey).await.json;
        let mut bodies: Vec<String> =
            ticket["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap().to_owned()).collect();
        assert_eq!(bodies.remove(0), "Wrong beans.");
        bodies.sort();
        let mut expected: Vec<String> = (0..REPLIES).map(|index| format!("reply {index}")).collect();
        expected.sort();
        assert_eq!(bodies, expected);
        assert_eq!(ticket["ticket"]["version"], 1 + REPLIES as i64, "each reply bumped the version once");
        assert_eq!(ticket["ticket"]["status"], "open");
        let events = desk.get(&format!("/api/v1/tickets/{id}/events?limit=100"), &casey).await.json;
        let kinds: Vec<&str> =
            events["items"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds.iter().filter(|kind| **kind == "message_added").count(), REPLIES);
        assert_eq!(kinds.iter().filter(|kind| **kind == "status_changed").count(), 1, "{kinds:?}");
    }
);
