//! The side form's inputs: one typed input per custom field of the service's form (a number box
//! for numbers, a date picker for dates, a select for choices and yes/no), and the conversion of
//! what such an input holds to and from the ticket's JSON value.

use serde_json::{Number, Value};
use tandem_domain::form::FieldKind;
use tandem_domain::{FieldDef, FormDef};

use super::format::Choice;

/// One input of the side form, as the template draws it.
#[derive(Clone, Debug)]
pub(super) struct SideInput {
    /// The form field's name, also the key of its errors (`status`, `fields.order_number`).
    pub name: String,
    pub id: String,
    pub label: String,
    /// `select`, `text`, `long_text`, `number` or `date`.
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<Choice>,
    pub required: bool,
    pub help: Option<&'static str>,
    /// The key that focuses this input (`s` for the status).
    pub key: Option<&'static str>,
    pub error: Option<String>,
    /// After a conflict: what is saved now, where it differs from what the agent typed.
    pub saved_now: Option<String>,
}

impl SideInput {
    pub fn select(name: &str, label: &str, value: &str, options: Vec<Choice>) -> SideInput {
        SideInput {
            name: name.to_owned(),
            id: format!("side-{}", name.replace('.', "-")),
            label: label.to_owned(),
            kind: "select",
            value: value.to_owned(),
            options,
            required: false,
            help: None,
            key: None,
            error: None,
            saved_now: None,
        }
    }

    /// The ids of the help, error and "saved now" lines that describe this input.
    pub fn described_by(&self) -> String {
        let lines = [(self.help.is_some(), "help"), (self.error.is_some(), "error"), (self.saved_now.is_some(), "now")];
        let ids: Vec<String> =
            lines.iter().filter(|(shown, _)| *shown).map(|(_, line)| format!("{}-{line}", self.id)).collect();
        ids.join(" ")
    }

    /// The label of a value of this input, as its select shows it.
    pub fn shown(&self, value: &str) -> String {
        let option = self.options.iter().find(|option| option.value == value);
        match option {
            Some(option) => option.label.clone(),
            None if value.is_empty() => "(empty)".to_owned(),
            None => value.to_owned(),
        }
    }

    /// Marks the option holding `value` as the selected one.
    pub fn select_value(&mut self, value: &str) {
        self.value = value.to_owned();
        for option in &mut self.options {
            option.selected = option.value == value;
        }
    }
}

/// The name of a custom field's input.
pub(super) fn name(key: &str) -> String {
    format!("fields.{key}")
}

/// The input of one custom field, holding `value`.
pub(super) fn input(field: &FieldDef, value: &str) -> SideInput {
    let options = match field.kind {
        FieldKind::Choice => {
            let mut options = vec![Choice::new("", "—", value)];
            options.extend(field.options.iter().map(|option| Choice::new(option.clone(), option.clone(), value)));
            options
        }
        FieldKind::YesNo => {
            vec![Choice::new("", "—", value), Choice::new("yes", "Yes", value), Choice::new("no", "No", value)]
        }
        _ => Vec::new(),
    };
    let kind = match field.kind {
        FieldKind::Choice | FieldKind::YesNo => "select",
        FieldKind::Text => "text",
        FieldKind::LongText => "long_text",
        FieldKind::Number => "number",
        FieldKind::Date => "date",
    };
    SideInput { kind, required: field.required, ..SideInput::select(&name(&field.key), &field.label, value, options) }
}

/// What an input shows for a stored value.
pub(super) fn text_of(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        other => other.to_string(),
    }
}

/// The value to store for what an input holds: empty clears the field; numbers and yes/no are
/// typed; the app checks the rest against the form.
pub(super) fn value_of(form: &FormDef, key: &str, text: &str) -> Result<Value, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Value::Null);
    }
    let kind = form.0.iter().find(|field| field.key == key).map(|field| field.kind);
    match kind {
        Some(FieldKind::Number) => text
            .parse::<i64>()
            .map(Number::from)
            .ok()
            .or_else(|| text.parse::<f64>().ok().and_then(Number::from_f64))
            .map(Value::Number)
            .ok_or_else(|| "must be a number".to_owned()),
        Some(FieldKind::YesNo) => match text {
            "yes" => Ok(Value::Bool(true)),
            "no" => Ok(Value::Bool(false)),
            _ => Err("must be yes or no".to_owned()),
        },
        _ => Ok(Value::String(text.to_owned())),
    }
}
