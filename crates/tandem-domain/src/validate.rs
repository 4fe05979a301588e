//! Field-level validation errors and the small parsers used at every edge.

use std::collections::BTreeMap;

/// Validation failures keyed by the field they concern (a JSON path such as `fields.order_no`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was added, so checks can end with `errors.into_result()?`.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// A one-line summary for the human-readable error message.
    pub fn summary(&self) -> String {
        self.0.iter().map(|(field, message)| format!("{field}: {message}")).collect::<Vec<_>>().join("; ")
    }
}

/// A word outside a closed set (a status, a priority…).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown value `{got}`; expected one of: {allowed}")]
pub struct UnknownWord {
    pub got: String,
    pub allowed: String,
}

/// Trims and checks a required one-line text, such as a subject or a name.
pub fn required_line(errors: &mut FieldErrors, field: &str, value: &str, max_chars: usize) -> String {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        errors.add(field, "must not be empty");
    } else if trimmed.chars().count() > max_chars {
        errors.add(field, format!("must be at most {max_chars} characters"));
    } else if trimmed.chars().any(char::is_control) {
        errors.add(field, "must be a single line without control characters");
    }
    trimmed.to_owned()
}

/// Checks a free text body (a message, a description) against a size limit.
pub fn bounded_text(errors: &mut FieldErrors, field: &str, value: &str, max_chars: usize, required: bool) {
    if required && value.trim().is_empty() {
        errors.add(field, "must not be empty");
    } else if value.chars().count() > max_chars {
        errors.add(field, format!("must be at most {max_chars} characters"));
    }
}

/// Normalizes an email address to the one spelling stored (trimmed, lowercase) or says why not.
pub fn email(value: &str) -> Result<String, &'static str> {
    let address = value.trim().to_lowercase();
    let Some((local, domain)) = address.split_once('@') else {
        return Err("must be an email address like name@example.com");
    };
    let plausible = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && address.len() <= 254
        && !address.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    if plausible { Ok(address) } else { Err("must be an email address like name@example.com") }
}

/// A slug: lowercase letters, digits and dashes, starting with a letter, for URLs and mail addresses.
pub fn slug(errors: &mut FieldErrors, field: &str, value: &str) -> String {
    let slug = value.trim().to_owned();
    let well_formed = slug.len() >= 2
        && slug.len() <= 64
        && slug.starts_with(|c: char| c.is_ascii_lowercase())
        && !slug.ends_with('-')
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !well_formed {
        errors.add(field, "must be 2–64 lowercase letters, digits or dashes, starting with a letter");
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_or_refused() {
        let check = |input: &str, expect: Option<&str>| assert_eq!(email(input).ok().as_deref(), expect, "{input}");
        check(" Erin@Example.COM ", Some("erin@example.com"));
        check("sol@sunrisebeans.example", Some("sol@sunrisebeans.example"));
        check("no-at-sign", None);
        check("@example.com", None);
        check("a@b", None);
        check("a@.example", None);
        check("a b@example.com", None);
        check("a@b@example.com", None);
        check("<a@example.com>", None);
    }

    #[test]
    fn slugs_are_checked() {
        let check = |input: &str, ok: bool| {
            let mut errors = FieldErrors::new();
            slug(&mut errors, "slug", input);
            assert_eq!(errors.is_empty(), ok, "{input}");
        };
        check("till-or-laptop", true);
        check("it", true);
        check("x", false);
        check("Till", false);
        check("1abc", false);
        check("abc-", false);
        check("a_b", false);
    }

    #[test]
    fn required_lines_are_trimmed_and_bounded() {
        let mut errors = FieldErrors::new();
        assert_eq!(required_line(&mut errors, "subject", "  Till broken ", 11), "Till broken");
        assert!(errors.is_empty());
        required_line(&mut errors, "subject", "   ", 10);
        required_line(&mut errors, "name", "eleven chars", 10);
        required_line(&mut errors, "title", "two\nlines", 100);
        assert_eq!(errors.0.len(), 3);
    }
}
