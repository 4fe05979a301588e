//! `/admin/purchases`: an admin uploads a shop's CSV export of purchases (pasted or chosen as a
//! file the browser reads into the box); all or nothing, as the API's import.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::loyalty::CSV_HEADER;

use super::admin_only;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/purchases", get(show).post(import))
}

#[derive(Template)]
#[template(path = "admin_purchases.html")]
struct PurchasesPage {
    layout: Layout,
    header: &'static str,
    csv: String,
    error: Option<String>,
    done: Option<String>,
}

fn page(viewer: &Viewer, csv: String, error: Option<String>, done: Option<String>) -> PurchasesPage {
    PurchasesPage { layout: Layout::for_viewer(viewer, "admin"), header: CSV_HEADER, csv, error, done }
}

async fn show(viewer: Viewer) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    Ok(html(&page(&viewer, String::new(), None, None)))
}

#[derive(Debug, Deserialize)]
struct ImportForm {
    #[serde(default)]
    csv: String,
}

async fn import(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<ImportForm>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    match state.app.import_purchases(&viewer.principal, &form.csv, crate::now()).await {
        Ok(outcome) => {
            let done = format!(
                "Imported {} purchases; {} were already recorded and were not counted again.",
                outcome.imported, outcome.duplicates
            );
            Ok(html(&page(&viewer, String::new(), None, Some(done))))
        }
        Err(AppError::Invalid(errors)) => {
            let message = errors.0.into_values().collect::<Vec<_>>().join("; ");
            let refused = page(&viewer, form.csv, Some(message), None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&refused)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
