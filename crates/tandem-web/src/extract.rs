//! Extractors that turn a request into typed values or a JSON error: the bearer principal, JSON
//! bodies with field-level errors, query and path parameters, `If-Match` and `Idempotency-Key`.

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;
use tandem_app::{AppError, Principal};

use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in principal, from `Authorization: Bearer <token>`.
pub struct Auth(pub Principal);

/// The raw bearer token of the request (for sign-out).
pub struct BearerToken(pub String);

fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    let value = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok());
    let token = value.and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")));
    token.map(str::trim).filter(|token| !token.is_empty()).ok_or_else(|| {
        ApiError::from(AppError::Unauthorized(
            "send Authorization: Bearer <token> (tandem token create, or POST /api/v1/sessions)",
        ))
    })
}

impl<S: Send + Sync> FromRequestParts<S> for Auth
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let token = bearer(&parts.headers)?;
        Ok(Auth(state.app.principal(token, crate::now()).await?))
    }
}

/// The principal when the request carries a bearer token, `None` for a visitor without one (the
/// public help centre). A wrong or expired token is still a 401: the caller meant to be someone.
pub struct MaybeAuth(pub Option<Principal>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuth
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if !parts.headers.contains_key(header::AUTHORIZATION) {
            return Ok(MaybeAuth(None));
        }
        let Auth(principal) = Auth::from_request_parts(parts, state).await?;
        Ok(MaybeAuth(Some(principal)))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for BearerToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(BearerToken(bearer(&parts.headers)?.to_owned()))
    }
}

/// A JSON body. Syntax errors are 400; a field of the wrong type or a missing or unknown field
/// is 422 naming the field; a wrong content type 415; an oversized body 413.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json =
            request.headers().get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|value| {
                value.split(';').next().is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send JSON with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(ApiError::from)?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// An iCalendar body (`Content-Type: text/calendar`), as text. Another content type is 415; bytes
/// that are not UTF-8 are 422 on `body`; an oversized body 413.
pub struct CalendarText(pub String);

impl<S: Send + Sync> FromRequest<S> for CalendarText {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        text_body(request, state, "text/calendar", "an iCalendar file").await.map(CalendarText)
    }
}

/// A CSV file in the body (`Content-Type: text/csv`), as UTF-8 text.
pub struct CsvText(pub String);

impl<S: Send + Sync> FromRequest<S> for CsvText {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        text_body(request, state, "text/csv", "a CSV file").await.map(CsvText)
    }
}

/// The body as UTF-8 text, if its content type is `media` (415 otherwise).
async fn text_body<S: Send + Sync>(request: Request, state: &S, media: &str, what: &str) -> Result<String, ApiError> {
    let is_media =
        request.headers().get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|value| {
            value.split(';').next().is_some_and(|essence| essence.trim().eq_ignore_ascii_case(media))
        });
    if !is_media {
        return Err(ApiError::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("send {what} with Content-Type: {media}"),
        ));
    }
    let bytes = Bytes::from_request(request, state).await.map_err(ApiError::from)?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::from(AppError::invalid("body", format!("{what} must be UTF-8 text"))))
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_data() {
            // A missing field is reported at its parent's path: name the field itself.
            let missing = inner
                .to_string()
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split_once('`'))
                .map(|(name, _)| name.to_owned());
            let field = match (path.as_str(), missing) {
                (".", Some(name)) => name,
                (_, Some(name)) => format!("{path}.{name}"),
                (".", None) => "body".to_owned(),
                (_, None) => path,
            };
            ApiError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "invalid", "the request has invalid fields")
                .with_field(field, inner.to_string())
        } else {
            ApiError::bad_request(format!("the body is not valid JSON: {inner}"))
        }
    })?;
    deserializer.end().map_err(|error| ApiError::bad_request(format!("the body is not valid JSON: {error}")))?;
    Ok(value)
}

/// Query parameters, with a JSON error when they do not parse.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// Path parameters, with a JSON error when they do not parse.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// The version an update applies to, from `If-Match` (`"3"`, `W/"3"` or `3`). Required: an
/// update that does not say which version it changes could silently overwrite another.
pub struct IfMatch(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Err(AppError::PreconditionRequired(
                "send If-Match with the version you read (the ETag of the GET)",
            )
            .into());
        };
        let text = value.to_str().unwrap_or_default().trim();
        let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
        text.parse::<i64>()
            .map(IfMatch)
            .map_err(|_| ApiError::bad_request("If-Match must be a version number such as \"3\""))
    }
}

/// The optional `Idempotency-Key` header.
pub struct IdempotencyHeader(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyHeader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let value = parts.headers.get("idempotency-key").map(|value| value.to_str().map(str::to_owned));
        match value {
            None => Ok(IdempotencyHeader(None)),
            Some(Ok(key)) => Ok(IdempotencyHeader(Some(key))),
            Some(Err(_)) => Err(ApiError::bad_request("Idempotency-Key must be visible ASCII")),
        }
    }
}

/// The client's address when the server knows it (a real socket); unspecified otherwise.
pub struct ClientIp(pub std::net::IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let address =
            parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|info| info.0.ip());
        Ok(ClientIp(address.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))))
    }
}
