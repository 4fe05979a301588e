//! The OpenAPI document describes every route the router serves, and what it serves is valid JSON
//! with the security scheme and the error shape.

use super::*;

#[tokio::test]
async fn the_document_lists_every_api_route() {
    let desk = TestApp::new(TestBackend::Sqlite).await;
    let response = desk.send(axum::http::Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(response.status, 200);
    let document = &response.json;
    assert_eq!(document["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    let paths = document["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/v1/sessions", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/people", "get"),
        ("/api/v1/people/{id}", "patch"),
        ("/api/v1/organizations", "post"),
        ("/api/v1/teams/{id}/members/{person_id}", "put"),
        ("/api/v1/services/{service}", "put"),
        ("/api/v1/routing-rules", "post"),
        ("/api/v1/tickets", "get"),
        ("/api/v1/tickets", "post"),
        ("/api/v1/tickets/search", "get"),
        ("/api/v1/tickets/{id}", "patch"),
        ("/api/v1/tickets/{id}/take", "post"),
        ("/api/v1/tickets/{id}/merge", "post"),
        ("/api/v1/tickets/{id}/events", "get"),
        ("/api/v1/tickets/{id}/messages", "post"),
        ("/api/v1/uploads", "post"),
        ("/api/v1/attachments/{id}", "get"),
        ("/api/v1/calendars/{id}", "delete"),
        ("/api/v1/calendars/{id}/holidays/import", "post"),
        ("/api/v1/standards/{id}", "delete"),
        ("/api/v1/articles", "get"),
        ("/api/v1/articles", "post"),
        ("/api/v1/articles/suggestions", "get"),
        ("/api/v1/articles/{id}", "put"),
        ("/api/v1/articles/{id}/publish", "post"),
        ("/api/v1/articles/{id}/versions", "get"),
        ("/api/v1/articles/{id}/deflections", "post"),
        ("/api/v1/articles/{id}/reaction", "put"),
        ("/api/v1/tickets/{id}/article-drafts", "post"),
        ("/api/v1/article-categories", "post"),
        ("/api/v1/surveys", "post"),
        ("/api/v1/surveys/{id}/send", "post"),
        ("/api/v1/surveys/{id}/results", "get"),
        ("/api/v1/survey-links/{token}", "post"),
        ("/api/v1/reviews", "get"),
        ("/api/v1/reviews", "post"),
        ("/api/v1/reviews/{id}", "get"),
        ("/api/v1/reviews/{id}", "put"),
        ("/api/v1/reviews/{id}/answer", "put"),
        ("/api/v1/reviews/{id}/hide", "post"),
        ("/api/v1/feedback-topics", "get"),
        ("/api/v1/feedback-topics", "post"),
        ("/api/v1/feedback-topics/{id}", "put"),
        ("/api/v1/feedback", "post"),
    ] {
        assert!(paths.get(path).and_then(|item| item.get(method)).is_some(), "{method} {path} is documented");
    }
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
    for schema in ["NewTicket", "TicketDetail", "ErrorBody", "PersonView", "ServiceInput", "RuleInput", "StandardMatch"]
    {
        assert!(document["components"]["schemas"][schema].is_object(), "schema {schema}");
    }
    let sources = &document["components"]["schemas"]["DetractorSource"]["enum"];
    assert_eq!(
        sources,
        &serde_json::json!(["repeated_low_csat", "refused_make_good", "low_nps", "unanswered_bad_review"]),
        "every detractor source is documented"
    );
}

/// The reads of the public help centre, the only operations besides signing in that need no token.
const OPEN_READS: &[&str] = &[
    "/api/v1/articles",
    "/api/v1/articles/suggestions",
    "/api/v1/articles/{id}",
    "/api/v1/article-categories",
    "/api/v1/reviews",
    "/api/v1/reviews/{id}",
];

#[tokio::test]
async fn every_documented_operation_is_served_and_asks_for_credentials() {
    let desk = TestApp::new(TestBackend::Sqlite).await;
    let document = desk.send(axum::http::Method::GET, "/api/openapi.json", None, None).await.json;
    let mut operations = 0;
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            let concrete = path.replace("{id}", "1").replace("{person_id}", "1").replace("{service}", "1");
            let method = axum::http::Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
            let response = desk.send(method.clone(), &concrete, None, None).await;
            operations += 1;
            if method == axum::http::Method::GET && OPEN_READS.contains(&path.as_str()) {
                // The help centre is open to visitors: reading articles and reviews asks for no credentials.
                assert!(matches!(response.status.as_u16(), 200 | 404), "{method} {concrete}: {:?}", response.json);
                continue;
            }
            if path == "/api/v1/survey-links/{token}" {
                // A signed survey link is its own credential: an unknown one is simply not found,
                // and answering with no body is refused as such.
                let expected = if method == axum::http::Method::GET { 404 } else { 415 };
                assert_eq!(response.status, expected, "{method} {concrete}: {:?}", response.json);
                continue;
            }
            if (method.as_str(), path.as_str()) == ("POST", "/api/v1/sessions") {
                // Signing in is the one operation open to everyone; with no body it is refused as such.
                assert_eq!(response.status, 415, "{method} {concrete}");
                continue;
            }
            // The router matched the route (the fallback would say 404) and the handler asked who is calling.
            assert_eq!(response.status, 401, "{method} {concrete}: {:?}", response.json);
            assert_eq!(response.error_code(), "unauthorized", "{method} {concrete}");
        }
    }
    assert!(operations >= 30, "only {operations} operations documented");
}
