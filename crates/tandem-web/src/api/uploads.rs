//! `/uploads` and `/attachments`: files go up as a raw body, come back down as an attachment
//! (never rendered inline by the browser, so an uploaded page cannot run in our origin).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Deserialize;
use tandem_app::tickets::AttachmentOut;
use tandem_domain::AttachmentId;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Auth, Path, Query};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct UploadParams {
    /// The file's name, as it should be shown.
    pub filename: String,
}

/// Upload a file (the raw bytes as the body, its type in Content-Type); then pass the returned id
/// in `attachment_ids` when opening a ticket or posting a message.
#[utoipa::path(post, path = "/uploads", tag = "tickets", params(UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = AttachmentOut), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Query(params): Query<UploadParams>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<AttachmentOut>)> {
    let body = body.map_err(ApiError::from)?;
    let content_type =
        headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or("application/octet-stream");
    let uploaded = state.app.upload(&principal, &params.filename, content_type, &body, crate::now()).await?;
    Ok((StatusCode::CREATED, Json(uploaded)))
}

/// Download an attachment the caller may see.
#[utoipa::path(get, path = "/attachments/{id}", tag = "tickets", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Path(id): Path<i64>,
) -> ApiResult<(HeaderMap, Vec<u8>)> {
    let file = state.app.download(&principal, AttachmentId(id)).await?;
    let mut headers = HeaderMap::new();
    let content_type =
        HeaderValue::from_str(&file.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    let ascii_name: String =
        file.filename.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let disposition =
        format!("attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{}", percent_encode(&file.filename));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok((headers, file.data))
}

/// RFC 5987 percent-encoding of a UTF-8 filename.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b".-_~".contains(&byte) {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}
