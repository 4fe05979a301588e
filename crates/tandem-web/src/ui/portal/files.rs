//! Downloading an attachment with the browser's session: always as a download, never rendered in
//! our origin (an uploaded page or image cannot run or sniff its way into a document here).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tandem_domain::AttachmentId;

use crate::state::AppState;
use crate::ui::UiError;
use crate::ui::session::Viewer;

/// The file, if the viewer uploaded it or may see the message it is on (as themselves: an agent
/// downloads the files of their team's internal notes here too).
pub(super) async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Response, UiError> {
    let id = raw.parse::<i64>().map_err(|_| UiError::NotFound)?;
    let file = state.app.download(&viewer.principal, AttachmentId(id)).await?;
    let mut headers = HeaderMap::new();
    let content_type =
        HeaderValue::from_str(&file.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    if let Ok(disposition) = HeaderValue::from_str(&disposition(&file.filename)) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok((headers, file.data).into_response())
}

/// `attachment` with the name twice: plain ASCII for old clients, RFC 5987 UTF-8 for the rest.
fn disposition(filename: &str) -> String {
    let ascii: String =
        filename.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let encoded: String = filename
        .bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b".-_~".contains(&byte) {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
