//! What every admin form shares: the problems a refused save shows next to each field, turning an
//! app answer into "saved" or "show the form again", the choices of a select, and reading the
//! optional and repeated values a posted form carries.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::str::FromStr;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tandem_app::AppError;
use tandem_domain::FieldErrors;

use crate::ui::{UiError, html};

/// Why a form was not saved: a message per field (keyed by the input's `name`) and maybe one for
/// the whole form (a conflict with someone else's change).
#[derive(Clone, Debug, Default)]
pub struct Problems {
    fields: BTreeMap<String, String>,
    page: Option<String>,
    status: Option<StatusCode>,
}

impl Problems {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    /// The message about the whole form, if any.
    pub fn page(&self) -> Option<&str> {
        self.page.as_deref()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.page.is_none()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.fields.entry(field.into()).or_insert_with(|| message.into());
        self.status.get_or_insert(StatusCode::UNPROCESSABLE_ENTITY);
    }

    /// Moves the app's field names onto the inputs that show them (`manager_id` is typed as
    /// `manager_email`, `form[2].key` in the form builder's third row).
    pub fn rename(&mut self, to_input: impl Fn(&str) -> Option<String>) {
        let fields = std::mem::take(&mut self.fields);
        for (field, message) in fields {
            let input = to_input(&field).unwrap_or(field);
            self.fields.entry(input).or_insert(message);
        }
    }

    /// The status of the page that shows the form again: 200 when nothing is wrong.
    pub fn status(&self) -> StatusCode {
        self.status.unwrap_or(StatusCode::OK)
    }

    /// Adds the app's (or the domain's) field errors.
    pub fn merge(&mut self, errors: FieldErrors) {
        for (field, message) in errors.0 {
            self.add(field, message);
        }
    }

    /// A taken email, slug or name belongs next to its field; anything else (a version conflict)
    /// concerns the whole form.
    fn conflict(code: &str, message: String) -> Problems {
        let field = match code {
            "email_taken" => Some("email"),
            "slug_taken" => Some("slug"),
            "name_taken" => Some("name"),
            _ => None,
        };
        let mut problems = Problems::default();
        match field {
            Some(field) => problems.fields.insert(field.to_owned(), message),
            None => problems.page.replace(sentence(&message)),
        };
        problems.status = Some(StatusCode::CONFLICT);
        problems
    }
}

/// Splits an app answer into what was saved, the problems to show on the form again, or an error
/// page (not found, not allowed, the database is down).
pub fn outcome<T>(result: Result<T, AppError>) -> Result<Result<T, Problems>, UiError> {
    match result {
        Ok(saved) => Ok(Ok(saved)),
        Err(AppError::Invalid(errors)) => {
            let mut problems = Problems::default();
            problems.merge(errors);
            Ok(Err(problems))
        }
        Err(AppError::Conflict { code, message }) => Ok(Err(Problems::conflict(code, message))),
        Err(other) => Err(other.into()),
    }
}

/// A form page shown again with its problems, under the status they call for.
pub fn form_page<T: askama::Template>(page: &T, problems: &Problems) -> Response {
    (problems.status(), html(page)).into_response()
}

/// After a save, the browser goes to the saved thing's page (so a reload does not post again),
/// which then says what happened.
pub fn done(path: &str, what: Done) -> Response {
    Redirect::to(&format!("{path}?done={}", what.as_str())).into_response()
}

/// What a redirect after a save announces. A closed set, so the notice is always our words.
#[derive(Clone, Copy, Debug)]
pub enum Done {
    Created,
    Saved,
    Added,
    Removed,
    Deleted,
    Sent,
}

impl Done {
    fn as_str(self) -> &'static str {
        match self {
            Done::Created => "created",
            Done::Saved => "saved",
            Done::Added => "added",
            Done::Removed => "removed",
            Done::Deleted => "deleted",
            Done::Sent => "sent",
        }
    }

    /// The notice for a `?done=` word.
    pub fn notice(word: Option<&str>) -> Option<String> {
        let text = match word? {
            "created" => "Created.",
            "saved" => "Saved.",
            "added" => "Added to the team.",
            "removed" => "Removed from the team.",
            "deleted" => "Deleted.",
            "sent" => "Sent: the invitations are on their way.",
            _ => return None,
        };
        Some(text.to_owned())
    }
}

/// One option of a select, a radio group or a checkbox group.
#[derive(Clone, Debug)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Display, label: impl Into<String>, selected: bool) -> Choice {
        Choice { value: value.to_string(), label: label.into(), selected }
    }
}

/// The choices of a closed set of words (a kind, a priority), the current one selected.
pub fn words<E: Copy + Display>(all: &[E], current: &str) -> Vec<Choice> {
    all.iter()
        .map(|word| {
            let value = word.to_string();
            let selected = value == current;
            Choice { label: humanize(&value), value, selected }
        })
        .collect()
}

/// `round_robin` → `Round robin`.
pub fn humanize(word: &str) -> String {
    let spaced = word.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn sentence(message: &str) -> String {
    let text = humanize(message);
    if text.ends_with('.') { text } else { format!("{text}.") }
}

/// An optional id from a select: empty means none; anything else must be a number.
pub fn optional_id<T: From<i64>>(problems: &mut Problems, field: &str, raw: &str) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i64>() {
        Ok(id) => Some(T::from(id)),
        Err(_) => {
            problems.add(field, "pick one of the choices");
            None
        }
    }
}

/// An optional word from a select (empty means none).
pub fn optional_word<E: FromStr>(problems: &mut Problems, field: &str, raw: &str) -> Option<E> {
    if raw.trim().is_empty() { None } else { word(problems, field, raw) }
}

/// A required word from a select.
pub fn word<E: FromStr>(problems: &mut Problems, field: &str, raw: &str) -> Option<E> {
    match raw.trim().parse::<E>() {
        Ok(word) => Some(word),
        Err(_) => {
            problems.add(field, "pick one of the choices");
            None
        }
    }
}

/// A post that carries nothing but its CSRF token (a remove or delete button).
#[derive(Debug, serde::Deserialize)]
pub struct Confirm {}

/// A form with repeated names (checkbox groups, the form builder's rows), as posted.
#[derive(Clone, Debug, Default)]
pub struct Posted(pub Vec<(String, String)>);

impl Posted {
    /// The first value of a name, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(key, _)| key == name).map_or("", |(_, value)| value.as_str())
    }

    /// Every value of a name, in the order posted.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(key, _)| key == name).map(|(_, value)| value.clone()).collect()
    }

    /// Whether a checkbox was ticked (an unticked box is not posted at all).
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key == name)
    }
}
