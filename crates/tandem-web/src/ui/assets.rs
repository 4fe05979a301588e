//! The stylesheets and the two small scripts (shortcuts; article suggestions and links), compiled into the binary (no build step, no CDN).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::extract::Path;

const CSS: &str = include_str!("../../assets/tandem.css");
const PORTAL_CSS: &str = include_str!("../../assets/portal.css");
const AGENT_CSS: &str = include_str!("../../assets/agent.css");
const ADMIN_CSS: &str = include_str!("../../assets/admin.css");
const JS: &str = include_str!("../../assets/tandem.js");
const ARTICLES_JS: &str = include_str!("../../assets/articles.js");

pub async fn serve(Path(file): Path<String>) -> Response {
    let (body, content_type) = match file.as_str() {
        "tandem.css" => (CSS, "text/css; charset=utf-8"),
        "portal.css" => (PORTAL_CSS, "text/css; charset=utf-8"),
        "agent.css" => (AGENT_CSS, "text/css; charset=utf-8"),
        "admin.css" => (ADMIN_CSS, "text/css; charset=utf-8"),
        "tandem.js" => (JS, "text/javascript; charset=utf-8"),
        "articles.js" => (ARTICLES_JS, "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}
