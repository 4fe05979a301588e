//! Mailboxes: the demo has one per team named by its slug; only admins list, add or change them
//! (agents are refused, customers are told there is no such thing), and the same goes for the
//! list of received messages and their originals.

use axum::http::Method;

use super::*;

async fn team_id(desk: &TestApp, admin: &str, slug: &str) -> i64 {
    let teams = desk.get("/api/v1/teams", admin).await.json;
    teams.as_array().unwrap().iter().find(|team| team["slug"] == slug).unwrap()["id"].as_i64().unwrap()
}

test_both!(
    async fn the_demo_has_one_mailbox_per_team_named_by_its_slug(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let listed = desk.get("/api/v1/mailboxes", &admin).await;
        assert_eq!(listed.status, 200, "{:?}", listed.json);
        let names: Vec<(&str, &str)> = listed
            .json
            .as_array()
            .unwrap()
            .iter()
            .map(|mailbox| (mailbox["name"].as_str().unwrap(), mailbox["address"].as_str().unwrap()))
            .collect();
        assert_eq!(
            names,
            [
                ("accounting", "accounting@harbor.example"),
                ("care", "care@harbor.example"),
                ("hr", "hr@harbor.example"),
                ("it", "it@harbor.example"),
                ("marketing", "marketing@harbor.example"),
                ("warehouse", "warehouse@harbor.example"),
            ]
        );
        let care = &listed.json[1];
        assert_eq!(care["team_id"].as_i64(), Some(team_id(&desk, &admin, "care").await));
    }
);

test_both!(
    async fn admins_add_and_change_mailboxes_with_checked_input(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let it = team_id(&desk, &admin, "it").await;
        let new = json!({"name": "it-help", "address": "Help@Harbor.example", "team_id": it});
        let created = desk.post("/api/v1/mailboxes", &admin, &new).await;
        assert_eq!(created.status, 201, "{:?}", created.json);
        assert_eq!(created.json["address"], "help@harbor.example");
        let again = desk
            .post(
                "/api/v1/mailboxes",
                &admin,
                &json!({"name": "other", "address": "help@harbor.example", "team_id": it}),
            )
            .await;
        assert_eq!((again.status.as_u16(), again.error_code()), (409, "mailbox_taken"), "{:?}", again.json);
        let bad = json!({"name": "Bad Name", "address": "nobody", "team_id": 999_999});
        let refused = desk.post("/api/v1/mailboxes", &admin, &bad).await;
        assert_eq!((refused.status.as_u16(), refused.error_code()), (422, "invalid"), "{:?}", refused.json);
        let fields: Vec<&str> =
            refused.json["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(fields, ["address", "name", "team_id"]);
        let path = format!("/api/v1/mailboxes/{}", created.json["id"]);
        let care = team_id(&desk, &admin, "care").await;
        let change = json!({"name": "it-help", "address": "help@harbor.example", "team_id": care});
        let changed = desk.send_with(Method::PUT, &path, Some(&admin), Some(&change), &[("if-match", "1")]).await;
        assert_eq!(changed.status, 200, "{:?}", changed.json);
        assert_eq!(changed.json["team_id"].as_i64(), Some(care));
        let stale = desk.send_with(Method::PUT, &path, Some(&admin), Some(&change), &[("if-match", "1")]).await;
        assert_eq!((stale.status.as_u16(), stale.error_code()), (409, "version_conflict"));
        // Nothing half-done: the refused writes left exactly the demo's six and the new one.
        assert_eq!(desk.get("/api/v1/mailboxes", &admin).await.json.as_array().unwrap().len(), 7);
    }
);

test_both!(
    async fn only_admins_reach_mailboxes_and_received_mail(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let care = team_id(&desk, &admin, "care").await;
        let received = ingest(&desk, "care", &email("new@example.net", "", "Hello", "Hi")).await;
        assert_outcome(&received, InboundOutcome::Created);
        let listed = desk.get("/api/v1/inbound-messages", &admin).await;
        let inbound = listed.json["items"][0]["id"].as_i64().unwrap();
        let raw_path = format!("/api/v1/inbound-messages/{inbound}/raw");
        let new = json!({"name": "x", "address": "x@harbor.example", "team_id": care});
        // (who, expected status for reads, for writes, error code of the refusal)
        let roles = [
            ("casey@harbor.example", 403, "forbidden"), // an agent (team lead), not an admin
            ("sam@harbor.example", 404, "not_found"),   // an employee customer
            ("erin@example.com", 404, "not_found"),     // an external customer
        ];
        for (who, status, code) in roles {
            let token = desk.token(who).await;
            for path in ["/api/v1/mailboxes", "/api/v1/inbound-messages", raw_path.as_str()] {
                let refused = desk.get(path, &token).await;
                assert_eq!((refused.status.as_u16(), refused.error_code()), (status, code), "{who} GET {path}");
            }
            let refused = desk.post("/api/v1/mailboxes", &token, &new).await;
            assert_eq!((refused.status.as_u16(), refused.error_code()), (status, code), "{who} POST");
            let put = desk
                .send_with(Method::PUT, "/api/v1/mailboxes/1", Some(&token), Some(&new), &[("if-match", "1")])
                .await;
            assert_eq!((put.status.as_u16(), put.error_code()), (status, code), "{who} PUT");
        }
        let raw = desk.get(&raw_path, &admin).await;
        assert_eq!(raw.status, 200);
        assert_eq!(raw.headers["content-type"], "message/rfc822");
        assert!(String::from_utf8_lossy(&raw.body).starts_with("From: new@example.net"));
        assert_eq!(desk.get("/api/v1/mailboxes", &admin).await.json.as_array().unwrap().len(), 6);
    }
);
