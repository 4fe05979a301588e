//! Errors on pages are pages: a sign-in redirect, or an error page that says what happened and
//! carries the request id (the same id the logs carry). Never JSON, never a stack trace.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use tandem_app::AppError;

use super::layout::Layout;

#[derive(Debug)]
pub enum UiError {
    /// Not signed in: go to the sign-in page, then come back to `next`.
    SignIn {
        next: String,
    },
    NotFound,
    Forbidden(String),
    BadRequest(String),
    Unavailable,
    Internal,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: &'static str,
    message: String,
}

impl From<AppError> for UiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound(_) => UiError::NotFound,
            AppError::Forbidden(message) => UiError::Forbidden(message),
            AppError::Unauthorized(_) => UiError::SignIn { next: "/".into() },
            AppError::Invalid(fields) => UiError::BadRequest(fields.summary()),
            AppError::Conflict { message, .. } => UiError::BadRequest(message),
            AppError::PreconditionRequired(message) => UiError::BadRequest(message.into()),
            AppError::RateLimited => UiError::BadRequest(error.to_string()),
            AppError::Unavailable => UiError::Unavailable,
            AppError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "page failed");
                UiError::Internal
            }
        }
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match self {
            UiError::SignIn { next } => {
                let target = format!("/signin?next={}", super::signin::encode_next(&next));
                return Redirect::to(&target).into_response();
            }
            UiError::NotFound => {
                (StatusCode::NOT_FOUND, "Not found", "There is nothing here, or it is not yours to see.".to_owned())
            }
            UiError::Forbidden(message) => (StatusCode::FORBIDDEN, "Not allowed", message),
            UiError::BadRequest(message) => (StatusCode::BAD_REQUEST, "That did not work", message),
            UiError::Unavailable => {
                (StatusCode::SERVICE_UNAVAILABLE, "Try again in a moment", "Tandem is busy right now.".to_owned())
            }
            UiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Something went wrong on our side. It has been logged.".to_owned(),
            ),
        };
        let page = ErrorPage { layout: Layout::anonymous(), heading, message };
        (status, super::html(&page)).into_response()
    }
}

pub(super) fn render_failed(error: askama::Error) -> Response {
    tracing::error!(error = %error, "rendering a page failed");
    (StatusCode::INTERNAL_SERVER_ERROR, Html("Something went wrong on our side.".to_owned())).into_response()
}
