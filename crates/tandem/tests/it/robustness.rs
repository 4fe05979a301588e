//! The caller's mistakes: every error is JSON with a stable code and the right status, never a 500;
//! tokens, sign-in throttling, body limits, page limits, `If-Match`, and writes that fail leaving
//! nothing behind.

use axum::body::Body;
use axum::http::{Method, Request};
use tandem_testkit::TestResponse;

use super::*;

/// The limits `TestApp` gives the HTTP layer (see tandem-testkit's http.rs).
const MAX_BODY_BYTES: usize = 256 * 1024;
const MAX_UPLOAD_BYTES: usize = 64 * 1024;

/// Asserts an error response: its status, its stable code, and that it is the JSON error shape.
#[track_caller]
fn assert_error(response: &TestResponse, status: u16, code: &str) {
    assert_eq!(response.status.as_u16(), status, "{:?}", response.json);
    assert_eq!(response.error_code(), code, "{:?}", response.json);
    assert!(response.json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{:?}", response.json);
    let content_type = response.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(content_type.starts_with("application/json"), "content type {content_type}");
}

/// The field names of an `invalid` error.
fn fields(response: &TestResponse) -> Vec<String> {
    response.json["error"]["fields"].as_object().map(|map| map.keys().cloned().collect()).unwrap_or_default()
}

/// Sends raw bytes with a content type (or none).
async fn raw(
    desk: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    kind: Option<&str>,
    body: Vec<u8>,
) -> TestResponse {
    let mut request = Request::builder().method(method).uri(path).header("authorization", format!("Bearer {token}"));
    if let Some(kind) = kind {
        request = request.header("content-type", kind);
    }
    desk.raw(request.body(Body::from(body)).unwrap()).await
}

/// Counts rows with a static query, straight from the store.
async fn count(desk: &TestApp, sql: &'static str) -> i64 {
    let mut reader = desk.db.store.read().await.unwrap();
    tandem_store::on_conn!(reader.conn(), c => sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut *c).await).unwrap()
}

fn now() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn order(subject: &str) -> serde_json::Value {
    json!({"subject": subject, "body": "b", "service": "order-problem", "fields": {"order_number": "HB-1"}})
}

test_both!(
    async fn malformed_bodies_are_400_415_or_422_naming_the_field(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let erin = desk.token("erin@example.com").await;
        let json = Some("application/json");
        let post = |body: &str, kind: Option<&'static str>| {
            raw(&desk, Method::POST, "/api/v1/tickets", &erin, kind, body.as_bytes().to_vec())
        };
        assert_error(&post("{\"subject\": ", json).await, 400, "bad_request");
        assert_error(&post("{\"subject\": \"a\", \"body\": \"b\"} trailing", json).await, 400, "bad_request");
        assert_error(&post("", json).await, 400, "bad_request");
        assert_error(
            &post("{\"subject\": \"a\", \"body\": \"b\"}", Some("text/plain")).await,
            415,
            "unsupported_media_type",
        );
        assert_error(&post("{\"subject\": \"a\", \"body\": \"b\"}", None).await, 415, "unsupported_media_type");
        let ok = post(
            "{\"subject\": \"a\", \"body\": \"b\", \"service\": \"product-question\"}",
            Some("application/json; charset=utf-8"),
        )
        .await;
        assert_eq!(ok.status, 201, "{:?}", ok.json);

        let cases = [
            (json!({"subject": "a", "body": "b", "colour": "red"}), "colour"),
            (json!({"subject": 5, "body": "b"}), "subject"),
            (json!({"body": "b"}), "subject"),
            (json!({"subject": "a", "body": "b", "tags": "vip"}), "tags"),
            (json!({"subject": "a", "body": "b", "requester": {"email": 5}}), "requester.email"),
            (json!({"subject": "a", "body": "b", "requester": {"mail": "x@y.example"}}), "requester.mail"),
            (json!({"subject": "a", "body": "b", "channel": "pigeon"}), "channel"),
            (json!(["a", "b"]), "body"),
        ];
        for (body, field) in cases {
            let response = desk.post("/api/v1/tickets", &erin, &body).await;
            assert_error(&response, 422, "invalid");
            assert_eq!(fields(&response), [field], "{body}: {:?}", response.json);
        }
        let response = desk.post("/api/v1/tickets", &erin, &json!({"subject": " ", "body": ""})).await;
        assert_error(&response, 422, "invalid");
        assert_eq!(fields(&response), ["body", "subject"]);
    }
);

test_both!(
    async fn bad_paths_queries_and_routes_are_json_errors(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let casey = desk.token("casey@harbor.example").await;
        assert_error(&desk.get("/api/v1/tickets/abc", &casey).await, 400, "bad_request");
        assert_error(&desk.get("/api/v1/tickets/99999999999999999999", &casey).await, 400, "bad_request");
        assert_error(&desk.get("/api/v1/tickets/999999", &casey).await, 404, "not_found");
        assert_error(&desk.get("/api/v1/nowhere", &casey).await, 404, "not_found");
        assert_error(&desk.get("/nowhere/at/all", &casey).await, 404, "not_found");
        let wrong_method = desk.send(Method::DELETE, "/api/v1/tickets", Some(&casey), None).await;
        assert_error(&wrong_method, 405, "method_not_allowed");
        assert_eq!(wrong_method.headers["allow"], "GET,HEAD,POST");
        assert_error(&desk.get("/api/v1/tickets?limit=abc", &casey).await, 400, "bad_request");
        assert_error(&desk.get("/api/v1/tickets?limit=-1", &casey).await, 400, "bad_request");
        assert_error(&desk.get("/api/v1/tickets?audience=aliens", &casey).await, 400, "bad_request");
        for (query, field) in [
            ("status=open,bogus", "status"),
            ("assignee=somebody", "assignee"),
            ("tag=%3Cscript%3E", "tag"),
            ("updated_since=yesterday", "updated_since"),
            ("cursor=not-a-cursor", "cursor"),
            ("cursor=e30", "cursor"),
        ] {
            let response = desk.get(&format!("/api/v1/tickets?{query}"), &casey).await;
            assert_error(&response, 422, "invalid");
            assert_eq!(fields(&response), [field], "{query}");
        }
        let events = desk.get("/api/v1/tickets/1/events?cursor=%%%", &casey).await;
        assert_error(&events, 422, "invalid");
        assert_eq!(fields(&events), ["cursor"]);
    }
);

test_both!(
    async fn missing_garbage_and_revoked_tokens_are_401(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let anonymous = desk.send(Method::GET, "/api/v1/me", None, None).await;
        assert_error(&anonymous, 401, "unauthorized");
        assert_eq!(anonymous.headers["www-authenticate"], "Bearer");
        assert_error(&desk.get("/api/v1/me", "garbage").await, 401, "unauthorized");
        assert_error(
            &desk.get("/api/v1/me", "tdm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await,
            401,
            "unauthorized",
        );
        let basic = desk.send_with(Method::GET, "/api/v1/me", None, None, &[("authorization", "Basic YTpi")]).await;
        assert_error(&basic, 401, "unauthorized");

        let login = json!({"email": "Erin@Example.com", "password": "demo"});
        let session = desk.send(Method::POST, "/api/v1/sessions", None, Some(&login)).await;
        assert_eq!(session.status, 201, "{:?}", session.json);
        let token = session.json["token"].as_str().unwrap().to_owned();
        assert!(token.starts_with("tdm_"));
        let me = desk.get("/api/v1/me", &token).await;
        assert_eq!(me.status, 200);
        assert_eq!(me.json["email"], "erin@example.com");
        let other = desk.token("erin@example.com").await;

        let out = desk.delete("/api/v1/sessions/current", &token).await;
        assert_eq!(out.status, 204, "{:?}", out.json);
        assert_error(&desk.get("/api/v1/me", &token).await, 401, "unauthorized");
        assert_error(&desk.get("/api/v1/tickets", &token).await, 401, "unauthorized");
        assert_error(&desk.delete("/api/v1/sessions/current", &token).await, 401, "unauthorized");
        assert_eq!(desk.get("/api/v1/me", &other).await.status, 200, "signing out revokes only that token");
    }
);

test_both!(
    async fn wrong_passwords_are_401_then_the_email_is_throttled(backend: TestBackend) {
        let desk = &TestApp::demo(backend).await;
        let login = |email: &str, password: &str| {
            let body = json!({"email": email, "password": password});
            async move { desk.send(Method::POST, "/api/v1/sessions", None, Some(&body)).await }
        };
        assert_error(&login("erin@example.com", "wrong").await, 401, "unauthorized");
        assert_error(&login("nobody@example.com", "demo").await, 401, "unauthorized");
        assert_error(&login("not an email", "demo").await, 401, "unauthorized");
        // Nine more failures for Erin through the app (the per-address limiter of the HTTP layer is
        // not what is tested here); the database counts ten.
        for _ in 0..9 {
            let request = tandem_app::auth::LoginRequest { email: "erin@example.com".into(), password: "nope".into() };
            assert!(matches!(desk.app.login(request, now()).await, Err(tandem_app::AppError::Unauthorized(_))));
        }
        assert_error(&login("erin@example.com", "demo").await, 429, "rate_limited");
        assert_error(&login("ERIN@example.com ", "demo").await, 429, "rate_limited");
        let olga = login("olga@bayside.example", "demo").await;
        assert_eq!(olga.status, 201, "another email is not throttled: {:?}", olga.json);
    }
);

test_both!(
    async fn bodies_over_the_limits_are_413(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let erin = desk.token("erin@example.com").await;
        let big = "x".repeat(MAX_BODY_BYTES + 1);
        let response = desk.post("/api/v1/tickets", &erin, &json!({"subject": "big", "body": big})).await;
        assert_error(&response, 413, "payload_too_large");
        let long = "y".repeat(100_001);
        let response = desk.post("/api/v1/tickets", &erin, &json!({"subject": "long", "body": long})).await;
        assert_error(&response, 422, "invalid");
        assert_eq!(fields(&response), ["body"]);

        let upload = |size: usize| {
            raw(
                &desk,
                Method::POST,
                "/api/v1/uploads?filename=a.bin",
                &erin,
                Some("application/octet-stream"),
                vec![7; size],
            )
        };
        assert_error(&upload(MAX_UPLOAD_BYTES + 1).await, 413, "payload_too_large");
        assert_eq!(upload(MAX_UPLOAD_BYTES).await.status, 201);
        let empty = upload(0).await;
        assert_error(&empty, 422, "invalid");
        assert_eq!(fields(&empty), ["file"]);
        let nameless = raw(&desk, Method::POST, "/api/v1/uploads", &erin, None, vec![1]).await;
        assert_error(&nameless, 400, "bad_request");
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM attachments").await, 1);
    }
);

test_both!(
    async fn page_sizes_are_clamped(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token("admin@harbor.example").await;
        let erin = desk.principal("erin@example.com").await;
        let existing = count(&desk, "SELECT COUNT(*) FROM tickets").await;
        for index in existing..105 {
            let new = serde_json::from_value(order(&format!("Order {index}"))).unwrap();
            desk.app.create_ticket(&erin, new, None, now()).await.unwrap();
        }
        let page = desk.get("/api/v1/tickets?limit=1000", &admin).await;
        assert_eq!(page.status, 200, "{:?}", page.json);
        assert_eq!(page.json["items"].as_array().unwrap().len(), 100);
        assert!(page.json["next_cursor"].is_string());
        let page = desk.get("/api/v1/tickets?limit=0", &admin).await;
        assert_eq!(page.json["items"].as_array().unwrap().len(), 1);
        let page = desk.get("/api/v1/tickets", &admin).await;
        assert_eq!(page.json["items"].as_array().unwrap().len(), 25, "the default page size");
    }
);

test_both!(
    async fn updates_need_the_current_version(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let casey = desk.token("casey@harbor.example").await;
        let erin = desk.token("erin@example.com").await;
        let created = desk.post("/api/v1/tickets", &erin, &order("Version me")).await;
        let id = created.json["ticket"]["id"].as_i64().unwrap();
        let path = format!("/api/v1/tickets/{id}");
        let read = desk.get(&path, &casey).await;
        let version = read.json["ticket"]["version"].as_i64().unwrap();
        assert_eq!(read.headers["etag"], format!("\"{version}\""));
        assert_eq!(created.headers["etag"], format!("\"{version}\""));

        let change = json!({"priority": "high"});
        let missing = desk.send(Method::PATCH, &path, Some(&casey), Some(&change)).await;
        assert_error(&missing, 428, "precondition_required");
        let garbage =
            desk.send_with(Method::PATCH, &path, Some(&casey), Some(&change), &[("if-match", "\"v1\"")]).await;
        assert_error(&garbage, 400, "bad_request");
        assert_error(&desk.patch(&path, &casey, version + 1, &change).await, 409, "version_conflict");
        assert_error(&desk.patch(&path, &casey, version - 1, &change).await, 409, "version_conflict");
        let weak = format!("W/\"{version}\"");
        let done = desk.send_with(Method::PATCH, &path, Some(&casey), Some(&change), &[("if-match", &weak)]).await;
        assert_eq!(done.status, 200, "{:?}", done.json);
        assert_eq!(done.json["version"], version + 1);
        assert_eq!(done.headers["etag"], format!("\"{}\"", version + 1));
        let again = desk.patch(&path, &casey, version, &json!({"priority": "low"})).await;
        assert_error(&again, 409, "version_conflict");
        let read = desk.get(&path, &casey).await;
        assert_eq!(read.json["ticket"]["priority"], "high", "the stale write changed nothing");
        assert_eq!(read.headers["etag"], format!("\"{}\"", version + 1));
    }
);

/// The rows a failed write must not leave behind.
async fn footprint(desk: &TestApp) -> [i64; 7] {
    [
        count(desk, "SELECT COUNT(*) FROM tickets").await,
        count(desk, "SELECT COUNT(*) FROM people").await,
        count(desk, "SELECT COUNT(*) FROM messages").await,
        count(desk, "SELECT COUNT(*) FROM ticket_events").await,
        count(desk, "SELECT COUNT(*) FROM ticket_tags").await,
        count(desk, "SELECT COUNT(*) FROM ticket_followers").await,
        count(desk, "SELECT COUNT(*) FROM idempotency_keys").await,
    ]
}

test_both!(
    async fn a_write_that_fails_leaves_nothing_behind(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let casey = desk.token("casey@harbor.example").await;
        let before = footprint(&desk).await;
        let key = [("idempotency-key", "first-try")];
        let mut ticket = json!({
            "subject": "Broken grinder", "body": "It grinds nothing.", "service": "order-problem",
            "requester": {"email": "new.person@x.example", "name": "New Person"},
            "tags": ["vip"], "follower_ids": [], "fields": {"order_number": "HB-7", "problem": "Stolen"}
        });
        let bad_field = desk.send_with(Method::POST, "/api/v1/tickets", Some(&casey), Some(&ticket), &key).await;
        assert_error(&bad_field, 422, "invalid");
        assert_eq!(fields(&bad_field), ["fields.problem"]);
        assert_eq!(footprint(&desk).await, before, "a bad custom field left rows behind");

        ticket["fields"]["problem"] = json!("Late");
        let erin = desk.token("erin@example.com").await;
        let upload =
            raw(&desk, Method::POST, "/api/v1/uploads?filename=x.txt", &erin, Some("text/plain"), b"hi".to_vec()).await;
        ticket["attachment_ids"] = json!([upload.json["id"]]);
        let foreign = desk.send_with(Method::POST, "/api/v1/tickets", Some(&casey), Some(&ticket), &key).await;
        assert_error(&foreign, 422, "invalid");
        assert_eq!(fields(&foreign), ["attachment_ids"]);
        ticket["attachment_ids"] = json!([]);
        ticket["follower_ids"] = json!([999_999]);
        let follower = desk.send_with(Method::POST, "/api/v1/tickets", Some(&casey), Some(&ticket), &key).await;
        assert_error(&follower, 422, "invalid");
        assert_eq!(fields(&follower), ["follower_ids"]);
        assert_eq!(footprint(&desk).await, before, "a refused attachment or follower left rows behind");
        assert_eq!(count(&desk, "SELECT COUNT(*) FROM attachments WHERE message_id IS NULL").await, 1);

        ticket["follower_ids"] = json!([]);
        let created = desk.send_with(Method::POST, "/api/v1/tickets", Some(&casey), Some(&ticket), &key).await;
        assert_eq!(created.status, 201, "the failed attempts did not use up the key: {:?}", created.json);
        let after = footprint(&desk).await;
        let grown: Vec<i64> = after.iter().zip(before).map(|(after, before)| after - before).collect();
        // One ticket, one new person, one message, one event (`created`), one tag row, no follower, one key.
        assert_eq!(grown, [1, 1, 1, 1, 1, 0, 1], "{after:?} vs {before:?}");

        let id = created.json["ticket"]["id"].as_i64().unwrap();
        let closed = desk.patch(&format!("/api/v1/tickets/{id}"), &casey, 1, &json!({"status": "closed"})).await;
        assert_eq!(closed.status, 200);
        let before = footprint(&desk).await;
        let reply = desk.post(&format!("/api/v1/tickets/{id}/messages"), &casey, &json!({"body": "Too late"})).await;
        assert_error(&reply, 409, "ticket_closed");
        assert_eq!(footprint(&desk).await, before, "a refused reply left rows behind");
    }
);
