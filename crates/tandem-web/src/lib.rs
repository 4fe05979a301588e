//! Tandem's HTTP face: the REST API under `/api/v1` (described by `/api/openapi.json`), `/healthz`,
//! and the layers every request passes (request id, tracing, body limits, panic safety, security
//! headers, load shedding). Handlers only translate HTTP to calls on [`tandem_app::App`] and back;
//! there are no business rules and no SQL here (this crate cannot even name the store).

mod api;
mod error;
mod extract;
mod state;
mod ui;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tandem_app::App;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::{ApiError, ErrorBody};

/// Limits the HTTP layer enforces before a handler runs.
#[derive(Clone, Debug)]
pub struct WebOptions {
    /// Largest JSON body, in bytes.
    pub max_body_bytes: usize,
    /// Largest upload, in bytes.
    pub max_upload_bytes: usize,
    /// API requests in progress at once; past it, new ones are answered 503 at once instead of
    /// queueing without bound behind the database.
    pub max_concurrent_requests: usize,
}

/// The whole HTTP application.
pub fn router(app: App, options: &WebOptions) -> Router {
    let state = state::AppState::new(app);
    let api = api::served(options);
    // One pool of slots for the whole API (a layer on a router wraps each route separately, so the
    // shared semaphore is what makes the limit per node rather than per route).
    let slots = Arc::new(Semaphore::new(options.max_concurrent_requests.max(1)));
    let api = api.layer(middleware::from_fn_with_state(slots, shed_load));
    let document = openapi_document(options.clone());
    let x_request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", get(api::health::healthz))
        .route("/api/openapi.json", get(document))
        .merge(api)
        .merge(ui::router())
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .fallback(|| async { ApiError::not_found() })
        .layer(DefaultBodyLimit::max(options.max_body_bytes))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
        .with_state(state)
}

/// The OpenAPI document of the REST API.
pub fn openapi(options: &WebOptions) -> utoipa::openapi::OpenApi {
    api::documented(options).into_openapi()
}

/// `GET /api/openapi.json`: the document is built on the first request and kept as its JSON, so a
/// node that is never asked for it never pays for it.
fn openapi_document(options: WebOptions) -> impl Fn() -> std::future::Ready<Response> + Clone {
    let json = Arc::new(OnceLock::<Bytes>::new());
    move || {
        let body = json.get_or_init(|| serde_json::to_vec(&openapi(&options)).expect("the document serializes").into());
        std::future::ready(([(header::CONTENT_TYPE, "application/json")], body.clone()).into_response())
    }
}

/// The current instant; the only place the web layer reads the clock.
pub(crate) fn now() -> tandem_app::Millis {
    jiff::Timestamp::now().as_millisecond()
}

/// One span per request, with the matched route (not the raw path, which holds ids) and its id.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let route = request.extensions().get::<axum::extract::MatchedPath>().map(|path| path.as_str().to_owned());
    let id = request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok()).unwrap_or_default();
    tracing::info_span!("request", method = %request.method(), route = route.as_deref().unwrap_or("unmatched"), request.id = id)
}

/// Admits a request if a slot is free, and answers 503 at once otherwise: past the limit, waiting
/// would only grow a queue behind the database.
async fn shed_load(State(slots): State<Arc<Semaphore>>, request: axum::extract::Request, next: Next) -> Response {
    let Ok(_slot) = slots.try_acquire() else { return overloaded() };
    next.run(request).await
}

/// The answer when the node is at its limit of requests in progress: try again in a moment.
fn overloaded() -> Response {
    let mut response = ApiError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "overloaded",
        "too many requests at once; retry shortly",
    )
    .into_response();
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    ApiError::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "something went wrong on our side; it has been logged",
    )
    .into_response()
}
