//! Reading a portal form sent as `multipart/form-data` (text and files): refused when it comes
//! from another site or without the session's CSRF token (checked before any file is read), every
//! part bounded while it streams in, then the files stored as the viewer's uploads.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::http::HeaderMap;
use tandem_app::{App, AppError, Limits, Principal};
use tandem_domain::AttachmentId;

use crate::ui::UiError;
use crate::ui::session::{Viewer, check_csrf, refuse_cross_site};

/// Files one form may carry: they are held in memory until the form checks out, so few and bounded.
pub(super) const MAX_FILES: usize = 5;

/// A form as sent: its text parts by name, and its files.
pub(super) struct SentForm {
    text: HashMap<String, String>,
    pub files: Vec<SentFile>,
    /// Why a file was not taken (too large, empty, one too many), said next to the file input.
    pub file_error: Option<String>,
}

pub(super) struct SentFile {
    name: String,
    content_type: String,
    data: Vec<u8>,
}

impl SentForm {
    /// A text part's value, empty when it was not sent.
    pub fn text(&self, name: &str) -> &str {
        self.text.get(name).map(String::as_str).unwrap_or_default()
    }

    /// Stores the files as the principal's uploads, to attach to what they post next.
    pub async fn store_files(&self, app: &App, principal: &Principal) -> Result<Vec<AttachmentId>, AppError> {
        let mut ids = Vec::with_capacity(self.files.len());
        for file in &self.files {
            ids.push(app.upload(principal, &file.name, &file.content_type, &file.data, crate::now()).await?.id);
        }
        Ok(ids)
    }
}

/// Reads a form the viewer sent from one of our pages.
pub(super) async fn read(
    viewer: &Viewer,
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
    limits: &Limits,
) -> Result<SentForm, UiError> {
    refuse_cross_site(headers)?;
    let mut multipart = multipart.map_err(|_| unreadable())?;
    // UTF-8 takes at most four bytes a character.
    let max_text = limits.max_body_chars * 4;
    // The whole form: every file at its largest, the message at its longest, room for the rest.
    let mut budget = MAX_FILES * limits.max_upload_bytes + 2 * max_text + 64 * 1024;
    let mut csrf: Option<String> = None;
    let mut form = SentForm { text: HashMap::new(), files: Vec::new(), file_error: None };
    while let Some(mut field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_owned();
        let Some(filename) = field.file_name().map(str::to_owned) else {
            let data = bounded(&mut field, max_text, &mut budget).await?.ok_or_else(too_large)?;
            let text = String::from_utf8(data).map_err(|_| unreadable())?;
            if name == "_csrf" {
                csrf = Some(text);
            } else {
                form.text.insert(name, text);
            }
            continue;
        };
        // Our pages put the token first: a file from anywhere else is not even read.
        check_csrf(viewer, csrf.as_deref().unwrap_or_default())?;
        let content_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
        let data = bounded(&mut field, limits.max_upload_bytes, &mut budget).await?;
        match data {
            // A file input left empty still sends a part, without a name.
            Some(data) if data.is_empty() && filename.is_empty() => {}
            Some(data) if data.is_empty() => form.file_error = Some(format!("{filename} is empty")),
            Some(_) if form.files.len() == MAX_FILES => {
                form.file_error = Some(format!("Attach at most {MAX_FILES} files"));
            }
            Some(data) => form.files.push(SentFile { name: filename, content_type, data }),
            None => {
                let most = super::file_size(limits.max_upload_bytes as i64);
                form.file_error = Some(format!("{filename} is larger than {most}"));
            }
        }
    }
    check_csrf(viewer, csrf.as_deref().unwrap_or_default())?;
    Ok(form)
}

/// A part's bytes, or `None` when it is longer than `max`. A part that is too long is still read
/// to its end (and dropped), so every byte of the form counts against its `budget`.
async fn bounded(field: &mut Field<'_>, max: usize, budget: &mut usize) -> Result<Option<Vec<u8>>, UiError> {
    let mut data = Vec::new();
    let mut fits = true;
    while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
        *budget = budget.checked_sub(chunk.len()).ok_or_else(too_large)?;
        fits = fits && data.len() + chunk.len() <= max;
        if fits {
            data.extend_from_slice(&chunk);
        } else {
            data = Vec::new();
        }
    }
    Ok(fits.then_some(data))
}

fn unreadable() -> UiError {
    UiError::BadRequest("The form could not be read. Reload the page and try again.".into())
}

fn too_large() -> UiError {
    UiError::BadRequest("The form is too large. Attach fewer or smaller files and try again.".into())
}
