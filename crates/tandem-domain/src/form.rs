//! A service's request form: typed custom fields, and the check of a ticket's values against it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::macros::string_enum;
use crate::validate::FieldErrors;

string_enum!(
    FieldKind {
        Text => "text",
        LongText => "long_text",
        Number => "number",
        Date => "date",
        Choice => "choice",
        YesNo => "yes_no",
    }
);

pub const MAX_FIELDS: usize = 50;
const MAX_TEXT_CHARS: usize = 1_000;
const MAX_LONG_TEXT_CHARS: usize = 20_000;

/// One field of a request form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Stable key used in the ticket's `fields` object (lowercase, digits, underscores).
    pub key: String,
    /// The label shown to the requester.
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    /// The allowed answers of a `choice` field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// The ordered fields of a form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct FormDef(pub Vec<FieldDef>);

impl FormDef {
    /// Checks the form definition an admin wrote. Errors are keyed `form[i].part`.
    pub fn check(&self, errors: &mut FieldErrors) {
        if self.0.len() > MAX_FIELDS {
            errors.add("form", format!("at most {MAX_FIELDS} fields"));
        }
        let mut keys = BTreeSet::new();
        for (index, field) in self.0.iter().enumerate() {
            let at = |part: &str| format!("form[{index}].{part}");
            let key_ok = !field.key.is_empty()
                && field.key.len() <= 40
                && field.key.starts_with(|c: char| c.is_ascii_lowercase())
                && field.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !key_ok {
                errors.add(at("key"), "must be 1–40 lowercase letters, digits or underscores, starting with a letter");
            } else if !keys.insert(field.key.as_str()) {
                errors.add(at("key"), format!("`{}` is used twice", field.key));
            }
            if field.label.trim().is_empty() || field.label.chars().count() > 200 {
                errors.add(at("label"), "must be 1–200 characters");
            }
            match field.kind {
                FieldKind::Choice if field.options.is_empty() => {
                    errors.add(at("options"), "a choice needs at least one option")
                }
                FieldKind::Choice => {}
                _ if !field.options.is_empty() => errors.add(at("options"), "only a choice field has options"),
                _ => {}
            }
        }
    }

    /// Checks a ticket's values against the form and returns them normalized (trimmed text,
    /// only known keys). Errors are keyed `fields.<key>`.
    pub fn check_values(&self, values: &Map<String, Value>, errors: &mut FieldErrors) -> Map<String, Value> {
        for key in values.keys() {
            if !self.0.iter().any(|field| &field.key == key) {
                errors.add(format!("fields.{key}"), "this service's form has no such field");
            }
        }
        let mut normalized = Map::new();
        for field in &self.0 {
            let at = format!("fields.{}", field.key);
            match values.get(&field.key) {
                None | Some(Value::Null) => {
                    if field.required {
                        errors.add(at, format!("`{}` is required", field.label));
                    }
                }
                Some(value) => match field.check_value(value) {
                    Ok(Some(clean)) => {
                        normalized.insert(field.key.clone(), clean);
                    }
                    Ok(None) if field.required => errors.add(at, format!("`{}` is required", field.label)),
                    Ok(None) => {}
                    Err(message) => errors.add(at, message),
                },
            }
        }
        normalized
    }
}

impl FieldDef {
    /// The normalized value, `None` for an empty text, or why the value does not fit.
    fn check_value(&self, value: &Value) -> Result<Option<Value>, String> {
        match (self.kind, value) {
            (FieldKind::Text, Value::String(text)) => bounded(text, MAX_TEXT_CHARS, true),
            (FieldKind::LongText, Value::String(text)) => bounded(text, MAX_LONG_TEXT_CHARS, false),
            (FieldKind::Number, Value::Number(number)) => Ok(Some(Value::Number(number.clone()))),
            (FieldKind::Date, Value::String(text)) => text
                .trim()
                .parse::<jiff::civil::Date>()
                .map(|date| Some(Value::String(date.to_string())))
                .map_err(|_| "must be a date like 2026-11-23".to_owned()),
            (FieldKind::Choice, Value::String(text)) if self.options.iter().any(|option| option == text) => {
                Ok(Some(value.clone()))
            }
            (FieldKind::Choice, _) => Err(format!("must be one of: {}", self.options.join(", "))),
            (FieldKind::YesNo, Value::Bool(_)) => Ok(Some(value.clone())),
            (kind, _) => Err(format!("must be {}", expected(kind))),
        }
    }
}

fn bounded(text: &str, max_chars: usize, single_line: bool) -> Result<Option<Value>, String> {
    let trimmed = text.trim();
    if trimmed.chars().count() > max_chars {
        return Err(format!("must be at most {max_chars} characters"));
    }
    if single_line && trimmed.contains(['\n', '\r']) {
        return Err("must be a single line".to_owned());
    }
    Ok((!trimmed.is_empty()).then(|| Value::String(trimmed.to_owned())))
}

fn expected(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text | FieldKind::LongText => "text",
        FieldKind::Number => "a number",
        FieldKind::Date => "a date like 2026-11-23",
        FieldKind::Choice => "one of the options",
        FieldKind::YesNo => "true or false",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn form() -> FormDef {
        serde_json::from_value(json!([
            {"key": "order_no", "label": "Order number", "kind": "text", "required": true},
            {"key": "details", "label": "Details", "kind": "long_text"},
            {"key": "quantity", "label": "Quantity", "kind": "number"},
            {"key": "needed_by", "label": "Needed by", "kind": "date"},
            {"key": "store", "label": "Store", "kind": "choice", "options": ["Harbor St", "Pier 9"]},
            {"key": "urgent", "label": "Blocks sales?", "kind": "yes_no"}
        ]))
        .unwrap()
    }

    fn check(values: serde_json::Value) -> Result<Map<String, Value>, FieldErrors> {
        let mut errors = FieldErrors::new();
        let normalized = form().check_values(values.as_object().unwrap(), &mut errors);
        errors.into_result().map(|()| normalized)
    }

    #[test]
    fn values_are_checked_against_the_form() {
        let ok = check(
            json!({"order_no": " A-1 ", "quantity": 3, "needed_by": "2026-12-01", "store": "Pier 9", "urgent": true}),
        )
        .unwrap();
        assert_eq!(
            Value::Object(ok),
            json!({"order_no": "A-1", "quantity": 3, "needed_by": "2026-12-01", "store": "Pier 9", "urgent": true})
        );

        let error_keys = |values| check(values).unwrap_err().0.into_keys().collect::<Vec<_>>();
        assert_eq!(error_keys(json!({})), ["fields.order_no"]);
        assert_eq!(error_keys(json!({"order_no": "   "})), ["fields.order_no"]);
        assert_eq!(error_keys(json!({"order_no": "1", "colour": "red"})), ["fields.colour"]);
        assert_eq!(error_keys(json!({"order_no": 1})), ["fields.order_no"]);
        assert_eq!(error_keys(json!({"order_no": "1", "quantity": "3"})), ["fields.quantity"]);
        assert_eq!(error_keys(json!({"order_no": "1", "needed_by": "tomorrow"})), ["fields.needed_by"]);
        assert_eq!(error_keys(json!({"order_no": "1", "needed_by": "2026-02-30"})), ["fields.needed_by"]);
        assert_eq!(error_keys(json!({"order_no": "1", "store": "Main St"})), ["fields.store"]);
        assert_eq!(error_keys(json!({"order_no": "1", "urgent": "yes"})), ["fields.urgent"]);
        assert_eq!(error_keys(json!({"order_no": "a\nb"})), ["fields.order_no"]);
        // Null is the same as leaving an optional field out.
        assert!(check(json!({"order_no": "1", "details": null})).is_ok());
    }

    #[test]
    fn form_definitions_are_checked() {
        let check = |form: serde_json::Value| {
            let mut errors = FieldErrors::new();
            serde_json::from_value::<FormDef>(form).unwrap().check(&mut errors);
            errors.0.into_keys().collect::<Vec<_>>()
        };
        assert!(check(json!([{"key": "a", "label": "A", "kind": "text"}])).is_empty());
        assert_eq!(check(json!([{"key": "A b", "label": "A", "kind": "text"}])), ["form[0].key"]);
        assert_eq!(
            check(json!([{"key": "a", "label": "A", "kind": "text"}, {"key": "a", "label": "B", "kind": "number"}])),
            ["form[1].key"]
        );
        assert_eq!(check(json!([{"key": "a", "label": "A", "kind": "choice"}])), ["form[0].options"]);
        assert_eq!(check(json!([{"key": "a", "label": "A", "kind": "text", "options": ["x"]}])), ["form[0].options"]);
        assert_eq!(check(json!([{"key": "a", "label": " ", "kind": "text"}])), ["form[0].label"]);
    }
}
