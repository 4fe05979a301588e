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
    ] {
        assert!(paths.get(path).and_then(|item| item.get(method)).is_some(), "{method} {path} is documented");
    }
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
    for schema in ["NewTicket", "TicketDetail", "ErrorBody", "PersonView", "ServiceInput", "RuleInput", "StandardMatch"]
    {
        assert!(document["components"]["schemas"][schema].is_object(), "schema {schema}");
    }
}

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
