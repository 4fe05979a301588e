//! Reviews of services over the API: who writes them (external customers only, of services offered
//! to them), who reads them (public ones everyone; private and hidden ones their author and staff,
//! everyone else a 404), who answers and hides them (the service's team and admins), the author's
//! edits under `If-Match`, the audit trail, and internal-only services never showing.

use axum::http::Method;
use serde_json::Value;
use tandem_testkit::TestResponse;

use super::*;
use crate::catalog::put_at;

const ADMIN: &str = "admin@harbor.example";

/// The demo's people by role: a visitor has no token.
struct Cast {
    erin: String,
    olga: String,
    bea: String,
    casey: String,
    ivan: String,
    mia: String,
    admin: String,
}

async fn cast(desk: &TestApp) -> Cast {
    Cast {
        erin: desk.token("erin@example.com").await,
        olga: desk.token("olga@bayside.example").await,
        bea: desk.token("bea@harbor.example").await,
        casey: desk.token("casey@harbor.example").await,
        ivan: desk.token("ivan@harbor.example").await,
        mia: desk.token("mia@harbor.example").await,
        admin: desk.token(ADMIN).await,
    }
}

fn review(service: &str, rating: i64, visibility: &str) -> Value {
    json!({"service": service, "rating": rating, "title": "Grinder advice", "body": "Helpful and quick.",
        "visibility": visibility})
}

async fn write(desk: &TestApp, token: &str, body: Value) -> i64 {
    let made = desk.post("/api/v1/reviews", token, &body).await;
    assert_eq!(made.status, 201, "{:?}", made.json);
    made.json["id"].as_i64().unwrap()
}

/// The fields a 422 names.
fn fields(response: &TestResponse) -> Vec<String> {
    response.json["error"]["fields"].as_object().map(|fields| fields.keys().cloned().collect()).unwrap_or_default()
}

async fn visitor_get(desk: &TestApp, path: &str) -> TestResponse {
    desk.send(Method::GET, path, None, None).await
}

/// The ids in a list as `token` (or a visitor) gets it.
async fn listed(desk: &TestApp, token: Option<&str>, query: &str) -> Vec<i64> {
    let list = desk.send(Method::GET, &format!("/api/v1/reviews?limit=100{query}"), token, None).await;
    assert_eq!(list.status, 200, "{:?}", list.json);
    list.json["items"].as_array().unwrap().iter().map(|item| item["id"].as_i64().unwrap()).collect()
}

test_both! {
    async fn customers_review_what_they_may_request_and_only_they_and_staff_read_the_private_ones(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let who = cast(&desk).await;
    let public = write(&desk, &who.erin, review("product-question", 5, "public")).await;
    let private = write(&desk, &who.erin, review("store-feedback", 2, "private")).await;

    // Only external customers write, and only about services offered to them.
    assert_eq!(desk.send(Method::POST, "/api/v1/reviews", None, Some(&review("order-problem", 4, "public"))).await.status, 401);
    for token in [&who.bea, &who.casey, &who.admin] {
        let refused = desk.post("/api/v1/reviews", token, &review("product-question", 4, "public")).await;
        assert_eq!((refused.status.as_u16(), refused.error_code()), (403, "forbidden"));
    }
    for service in ["till-or-laptop", "no-such-service"] {
        let refused = desk.post("/api/v1/reviews", &who.erin, &review(service, 4, "public")).await;
        assert_eq!((refused.status.as_u16(), fields(&refused)), (422, vec!["service".to_owned()]), "{service}");
    }
    for (field, body) in [
        ("rating", review("order-problem", 6, "public")),
        ("title", json!({"service": "order-problem", "rating": 3, "title": "  ", "body": "Fine."})),
        ("body", json!({"service": "order-problem", "rating": 3, "title": "Fine", "body": ""})),
    ] {
        let refused = desk.post("/api/v1/reviews", &who.erin, &body).await;
        assert_eq!((refused.status.as_u16(), fields(&refused)), (422, vec![field.to_owned()]));
    }
    let odd = desk.post("/api/v1/reviews", &who.erin, &json!({"service": "order-problem", "rating": 3, "title": "x", "body": "y", "visibility": "friends"})).await;
    assert_eq!(odd.status, 422);

    // The public review: everyone reads it; nobody but staff gets the staff part.
    let path = format!("/api/v1/reviews/{public}");
    let seen = visitor_get(&desk, &path).await;
    assert_eq!(seen.status, 200, "{:?}", seen.json);
    assert_eq!((seen.json["rating"].as_i64(), seen.json["service"]["slug"].as_str()), (Some(5), Some("product-question")));
    assert!(seen.json["staff"].is_null() && seen.json["hidden"].is_null() && seen.json["mine"] == false);
    for token in [&who.olga, &who.bea] {
        let seen = desk.get(&path, token).await;
        assert_eq!(seen.status, 200);
        assert!(seen.json["staff"].is_null(), "{:?}", seen.json);
    }
    assert_eq!(desk.get(&path, &who.erin).await.json["mine"], true);

    // The private review: a 404 to everyone but its author and staff.
    let path = format!("/api/v1/reviews/{private}");
    assert_eq!(visitor_get(&desk, &path).await.status, 404);
    for token in [&who.olga, &who.bea] {
        let hidden = desk.get(&path, token).await;
        assert_eq!((hidden.status.as_u16(), hidden.error_code()), (404, "not_found"));
        assert_eq!(hidden.json, desk.get("/api/v1/reviews/987654", token).await.json, "answered like a missing one");
    }
    assert_eq!(desk.get(&path, &who.erin).await.status, 200);
    for token in [&who.casey, &who.ivan, &who.mia, &who.admin] {
        let seen = desk.get(&path, token).await;
        assert_eq!(seen.status, 200);
        assert_eq!(seen.json["staff"]["team"]["name"], "Marketing", "staff see whose it is to answer");
        assert_eq!(seen.json["staff"]["history"][0]["kind"], "created");
    }

    // Lists hold only what the reader may read.
    for token in [None, Some(who.olga.as_str()), Some(who.bea.as_str())] {
        let ids = listed(&desk, token, "").await;
        assert!(ids.contains(&public) && !ids.contains(&private), "{token:?}");
    }
    assert_eq!(listed(&desk, Some(&who.erin), "&mine=true").await[..2], [private, public]);
    assert_eq!(listed(&desk, Some(&who.olga), "&mine=true&visibility=private").await.len(), 1, "Olga's own demo review only");
    assert!(listed(&desk, Some(&who.ivan), "&visibility=private").await.contains(&private));
    assert_eq!(desk.send(Method::GET, "/api/v1/reviews?mine=true", None, None).await.status, 401);
    assert_eq!(listed(&desk, None, &format!("&rating=5&service_id={}", seen_service(&desk, public).await)).await[0], public);
}
}

/// The id of the service a review is about.
async fn seen_service(desk: &TestApp, review: i64) -> i64 {
    visitor_get(desk, &format!("/api/v1/reviews/{review}")).await.json["service"]["id"].as_i64().unwrap()
}

test_both! {
    async fn the_services_team_answers_and_hides_and_only_the_author_edits(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let who = cast(&desk).await;
    let id = write(&desk, &who.erin, review("product-question", 2, "public")).await;
    let path = format!("/api/v1/reviews/{id}");
    let answer = format!("{path}/answer");

    // Answering: Customer Care owns the service; other agents and customers may not.
    for (token, status) in [(&who.ivan, 403), (&who.mia, 403), (&who.erin, 403), (&who.olga, 403)] {
        assert_eq!(desk.put(&answer, token, &json!({"answer": "Hello"})).await.status, status);
    }
    assert_eq!(desk.send(Method::PUT, &answer, None, Some(&json!({"answer": "Hello"}))).await.status, 401);
    assert_eq!(desk.put(&answer, &who.casey, &json!({"answer": "  "})).await.status, 422);
    let answered = desk.put(&answer, &who.casey, &json!({"answer": "Sorry to hear it: we will call you."})).await;
    assert_eq!(answered.status, 200, "{:?}", answered.json);
    let rewritten = desk.put(&answer, &who.admin, &json!({"answer": "Sorry to hear it: Casey will call you today."})).await;
    assert_eq!(rewritten.status, 200);
    let seen = visitor_get(&desk, &path).await.json;
    assert_eq!(seen["answer"]["body"], "Sorry to hear it: Casey will call you today.", "one answer, rewritten");

    // Editing: the author, at the version they read.
    let version = seen["version"].as_i64().unwrap();
    let edit = json!({"rating": 3, "title": "Better after a call", "body": "They called back.", "visibility": "public"});
    assert_eq!(desk.put(&path, &who.erin, &edit).await.status, 428, "If-Match is required");
    assert_eq!(put_at(&desk, &path, &who.erin, version - 1, &edit).await.status, 409);
    for token in [&who.olga, &who.casey, &who.admin] {
        assert_eq!(put_at(&desk, &path, token, version, &edit).await.status, 403, "others read it but do not edit it");
    }
    let edited = put_at(&desk, &path, &who.erin, version, &edit).await;
    assert_eq!((edited.status.as_u16(), edited.json["rating"].as_i64()), (200, Some(3)), "{:?}", edited.json);

    // Hiding: the owning team, with a reason, once, and only a public review.
    let hide = format!("{path}/hide");
    for token in [&who.erin, &who.ivan, &who.olga] {
        assert_eq!(desk.post(&hide, token, &json!({"reason": "Abusive"})).await.status, 403);
    }
    assert_eq!(desk.post(&hide, &who.casey, &json!({"reason": ""})).await.status, 422);
    let hidden = desk.post(&hide, &who.casey, &json!({"reason": "Names a member of staff"})).await;
    assert_eq!(hidden.status, 200, "{:?}", hidden.json);
    let again = desk.post(&hide, &who.admin, &json!({"reason": "Twice"})).await;
    assert_eq!((again.status.as_u16(), again.error_code()), (409, "already_hidden"));
    let private = write(&desk, &who.erin, review("order-problem", 1, "private")).await;
    let refused = desk.post(&format!("/api/v1/reviews/{private}/hide"), &who.casey, &json!({"reason": "Rude"})).await;
    assert_eq!((refused.status.as_u16(), refused.error_code()), (409, "not_public"));

    // A hidden review vanishes for the public; its author and staff still read it, and why.
    assert_eq!(visitor_get(&desk, &path).await.status, 404);
    for token in [&who.olga, &who.bea] {
        assert_eq!(desk.get(&path, token).await.status, 404);
        assert!(!listed(&desk, Some(token), "").await.contains(&id));
    }
    assert!(!listed(&desk, None, "").await.contains(&id));
    let own = desk.get(&path, &who.erin).await.json;
    assert_eq!(own["hidden"]["reason"], "Names a member of staff");
    assert!(listed(&desk, Some(&who.erin), "&hidden=true").await.contains(&id));
    let staff = desk.get(&path, &who.ivan).await.json;
    let trail: Vec<(&str, &str)> = staff["staff"]["history"].as_array().unwrap().iter()
        .map(|event| (event["kind"].as_str().unwrap(), event["actor_name"].as_str().unwrap_or(""))).collect();
    assert_eq!(trail, [("created", "Erin Consumer"), ("answered", "Casey Care"), ("answer_edited", "Avery Admin"),
        ("edited", "Erin Consumer"), ("hidden", "Casey Care")]);
    assert_eq!(staff["staff"]["history"][4]["data"]["reason"], "Names a member of staff");
}
}

test_both! {
    async fn a_service_made_internal_takes_its_reviews_off_the_public_lists(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let who = cast(&desk).await;
    let id = write(&desk, &who.erin, review("product-question", 4, "public")).await;
    assert!(listed(&desk, None, "").await.contains(&id));
    let service = desk.get("/api/v1/services/product-question", &who.admin).await.json;
    let mut input = service.clone();
    for key in ["id", "version", "created_at", "updated_at"] {
        input.as_object_mut().unwrap().remove(key);
    }
    input["audience"] = json!("internal");
    let version = service["version"].as_i64().unwrap();
    let moved = put_at(&desk, "/api/v1/services/product-question", &who.admin, version, &input).await;
    assert_eq!(moved.status, 200, "{:?}", moved.json);

    // Internal stays internal: no visitor, customer or employee reads it any more.
    let path = format!("/api/v1/reviews/{id}");
    assert_eq!(visitor_get(&desk, &path).await.status, 404);
    for token in [&who.olga, &who.bea] {
        assert_eq!(desk.get(&path, token).await.status, 404);
        assert!(!listed(&desk, Some(token), "").await.contains(&id));
    }
    assert!(!listed(&desk, None, "").await.contains(&id));
    assert_eq!(desk.get(&path, &who.erin).await.status, 200, "the author keeps their own words");
    assert_eq!(desk.get(&path, &who.casey).await.status, 200);
    // And nobody outside reviews it now.
    assert_eq!(desk.post("/api/v1/reviews", &who.olga, &review("product-question", 5, "public")).await.status, 422);
}
}

test_both! {
    async fn the_demo_has_answered_reviews_and_one_bad_one_waiting(backend: TestBackend) {
    let desk = TestApp::demo(backend).await;
    let who = cast(&desk).await;
    let public = desk.send(Method::GET, "/api/v1/reviews?limit=100", None, None).await.json;
    let titles: Vec<&str> = public["items"].as_array().unwrap().iter().map(|item| item["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Nobody answers", "Lovely baristas, long queue", "Office order put right quickly", "They know their beans"]);
    let waiting = desk.get("/api/v1/reviews?answered=false", &who.casey).await.json;
    let waiting = waiting["items"].as_array().unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!((waiting[0]["title"].as_str(), waiting[0]["rating"].as_i64()), (Some("Nobody answers"), Some(1)));
    let private = desk.get("/api/v1/reviews?visibility=private", &who.admin).await.json;
    assert_eq!(private["items"][0]["answer"]["body"].as_str().map(|body| body.contains("Pier 9")), Some(true));
}
}
