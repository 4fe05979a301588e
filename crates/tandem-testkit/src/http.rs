//! An in-process Tandem: the real router over a fresh database, driven with real HTTP requests
//! (no socket), plus shortcuts to act as any person.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tandem_app::{App, Limits, Principal};
use tower::ServiceExt;

use crate::db::{TestBackend, TestDb};

pub struct TestApp {
    pub app: App,
    pub router: Router,
    pub db: TestDb,
}

/// A response, with its body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub json: Value,
}

impl TestResponse {
    /// The stable error code of an error response.
    pub fn error_code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or_default()
    }
}

pub const TEST_MAX_UPLOAD_BYTES: usize = 64 * 1024;
pub const TEST_MAX_BODY_BYTES: usize = 256 * 1024;

impl TestApp {
    /// An empty desk.
    pub async fn new(backend: TestBackend) -> TestApp {
        let db = TestDb::new(backend).await;
        let limits = Limits { max_page_size: 100, max_upload_bytes: TEST_MAX_UPLOAD_BYTES, max_body_chars: 100_000 };
        let app = App::new(db.store.clone(), limits);
        TestApp { router: router(&app), app, db }
    }

    /// The same desk, sending email through `outbound` (the router is rebuilt around it).
    pub fn with_outbound(self, outbound: tandem_app::mail::Outbound) -> TestApp {
        let app = self.app.with_outbound(outbound);
        TestApp { router: router(&app), app, db: self.db }
    }

    /// A desk with the Harbor Coffee demo organization loaded.
    pub async fn demo(backend: TestBackend) -> TestApp {
        let test = TestApp::new(backend).await;
        tandem_app::seed::load_demo(&test.app, now()).await.expect("loading the demo");
        test
    }

    /// A fresh API token for the person with this email.
    pub async fn token(&self, email: &str) -> String {
        self.app.create_api_token(email, "test", now()).await.expect("creating a token")
    }

    /// The principal of the person with this email (for calling the app layer directly).
    pub async fn principal(&self, email: &str) -> Principal {
        let token = self.token(email).await;
        self.app.principal(&token, now()).await.expect("the principal of a fresh token")
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn send(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> TestResponse {
        self.send_with(method, path, token, body, &[]).await
    }

    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = match body {
            Some(body) => request.header("content-type", "application/json").body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        };
        self.raw(request.expect("a well-formed request")).await
    }

    /// Sends a request built by the caller (raw bodies, odd headers).
    pub async fn raw(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.expect("the router always answers");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("a readable body").to_bytes().to_vec();
        let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
        TestResponse { status, headers, body, json }
    }

    pub async fn get(&self, path: &str, token: &str) -> TestResponse {
        self.send(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> TestResponse {
        self.send(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: &Value) -> TestResponse {
        self.send(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> TestResponse {
        self.send(Method::DELETE, path, Some(token), None).await
    }

    /// PATCH with `If-Match: "<version>"`.
    pub async fn patch(&self, path: &str, token: &str, version: i64, body: &Value) -> TestResponse {
        let version = format!("\"{version}\"");
        self.send_with(Method::PATCH, path, Some(token), Some(body), &[("if-match", &version)]).await
    }
}

/// The real router around `app`, with the test limits.
fn router(app: &App) -> Router {
    let options = tandem_web::WebOptions {
        max_body_bytes: TEST_MAX_BODY_BYTES,
        max_upload_bytes: TEST_MAX_UPLOAD_BYTES,
        max_concurrent_requests: 1024,
    };
    tandem_web::router(app.clone(), &options)
}

pub fn now() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}
