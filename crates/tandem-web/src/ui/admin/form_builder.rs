//! The request-form builder, which needs no script: the page shows one row per field (key, label,
//! kind, required, options one per line, an order number, a remove box) and blank rows to add
//! fields. A post applies the rows: ticked ones go, blank ones are ignored, the rest are sorted by
//! their order numbers. The result is both the form to save and the rows to show again, in that
//! same order, so the app's error on `form[2].key` lands on the third row shown.

use std::collections::BTreeMap;

use tandem_domain::form::MAX_FIELDS;
use tandem_domain::{FieldDef, FieldKind, FormDef};

use super::forms::{Choice, Posted, Problems, words};

/// Empty rows offered under the fields, for adding new ones.
const BLANK_ROWS: usize = 2;

/// Rows read from one post at most (more can only come from a forged form).
const MAX_ROWS: usize = 2 * MAX_FIELDS + BLANK_ROWS;

/// One field as typed in the builder.
#[derive(Clone, Debug, Default)]
pub struct Row {
    key: String,
    label: String,
    kind: String,
    required: bool,
    /// One option per line.
    options: String,
}

impl Row {
    fn is_blank(&self) -> bool {
        self.key.trim().is_empty() && self.label.trim().is_empty() && self.options.trim().is_empty() && !self.required
    }

    fn options(&self) -> Vec<String> {
        self.options.lines().map(str::trim).filter(|option| !option.is_empty()).map(str::to_owned).collect()
    }
}

/// A row as the page shows it: its inputs are named `field-{index}-{part}`.
#[derive(Clone, Debug)]
pub struct ShownRow {
    /// `field-3`: the prefix of the row's input names and ids.
    pub prefix: String,
    /// 1-based, as the order box shows it.
    pub number: usize,
    pub blank: bool,
    pub key: String,
    pub label: String,
    pub kinds: Vec<Choice>,
    pub required: bool,
    pub options: String,
}

/// A field as the requester will see it on the portal.
#[derive(Clone, Debug)]
pub struct PreviewField {
    pub id: String,
    pub key: String,
    pub label: String,
    /// The field kind's word (`long_text`, `choice`…); anything unknown previews as text.
    pub kind: &'static str,
    pub required: bool,
    pub options: Vec<String>,
}

/// The fields of a form being built, in their order, without the blank rows.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    rows: Vec<Row>,
}

impl Builder {
    /// The rows of a saved form.
    pub fn of(form: &FormDef) -> Builder {
        let rows = form
            .0
            .iter()
            .map(|field| Row {
                key: field.key.clone(),
                label: field.label.clone(),
                kind: field.kind.to_string(),
                required: field.required,
                options: field.options.join("\n"),
            })
            .collect();
        Builder { rows }
    }

    /// The rows of a post: removed and blank rows dropped, the rest sorted by their order
    /// numbers. A row whose number was changed goes before one that kept the same number, so
    /// typing 1 into the third row moves it to the top.
    pub fn posted(posted: &Posted) -> Builder {
        let mut typed: BTreeMap<usize, (Row, String, bool)> = BTreeMap::new();
        for (name, value) in &posted.0 {
            let Some((index, part)) = name.strip_prefix("field-").and_then(|rest| rest.split_once('-')) else {
                continue;
            };
            let Ok(index) = index.parse::<usize>() else { continue };
            if typed.len() >= MAX_ROWS && !typed.contains_key(&index) {
                continue;
            }
            let (row, order, remove) = typed.entry(index).or_default();
            match part {
                "key" => row.key = value.clone(),
                "label" => row.label = value.clone(),
                "kind" => row.kind = value.clone(),
                "required" => row.required = true,
                "options" => row.options = value.clone(),
                "order" => *order = value.clone(),
                "remove" => *remove = true,
                _ => {}
            }
        }
        let mut kept: Vec<(i64, bool, usize, Row)> = typed
            .into_iter()
            .filter(|(_, (row, _, remove))| !remove && !row.is_blank())
            .map(|(index, (row, order, _))| {
                let shown_at = index as i64 + 1;
                let wanted = order.trim().parse::<i64>().unwrap_or(shown_at);
                (wanted, wanted == shown_at, index, row)
            })
            .collect();
        kept.sort_by_key(|(wanted, stayed, index, _)| (*wanted, *stayed, *index));
        Builder { rows: kept.into_iter().map(|(_, _, _, row)| row).collect() }
    }

    /// The form to save. A kind that is not one of the choices is a problem on its row; options
    /// typed for a field that is not a choice are kept on the page but not saved.
    pub fn form(&self, problems: &mut Problems) -> FormDef {
        let fields = self
            .rows
            .iter()
            .enumerate()
            .map(|(index, row)| {
                let kind = row.kind.parse::<FieldKind>().unwrap_or_else(|_| {
                    problems.add(format!("field-{index}-kind"), "pick one of the kinds");
                    FieldKind::Text
                });
                let options = if kind == FieldKind::Choice { row.options() } else { Vec::new() };
                FieldDef {
                    key: row.key.trim().to_owned(),
                    label: row.label.trim().to_owned(),
                    kind,
                    required: row.required,
                    options,
                }
            })
            .collect();
        FormDef(fields)
    }

    /// The rows to show: the fields, then the blank rows.
    pub fn shown(&self) -> Vec<ShownRow> {
        let blank = Row { kind: FieldKind::Text.to_string(), ..Row::default() };
        let rows = self.rows.iter().map(|row| (row, false)).chain((0..BLANK_ROWS).map(|_| (&blank, true)));
        rows.enumerate()
            .map(|(index, (row, is_blank))| ShownRow {
                prefix: format!("field-{index}"),
                number: index + 1,
                blank: is_blank,
                key: row.key.clone(),
                label: row.label.clone(),
                kinds: words(FieldKind::ALL, &row.kind),
                required: row.required,
                options: row.options.clone(),
            })
            .collect()
    }

    /// The form as a requester will see it, built from the rows as typed.
    pub fn preview(&self) -> Vec<PreviewField> {
        self.rows
            .iter()
            .enumerate()
            .map(|(index, row)| {
                let kind = row.kind.parse::<FieldKind>().map_or("text", FieldKind::as_str);
                let label = if row.label.trim().is_empty() { row.key.clone() } else { row.label.clone() };
                PreviewField {
                    id: format!("preview-{index}"),
                    key: row.key.trim().to_owned(),
                    label,
                    kind,
                    required: row.required,
                    options: row.options(),
                }
            })
            .collect()
    }
}

/// The input that shows an app error about the form: `form[2].key` → `field-2-key`; `form`
/// itself (too many fields) stays on the builder as a whole.
pub fn row_input(field: &str) -> Option<String> {
    let rest = field.strip_prefix("form[")?;
    let (index, part) = rest.split_once("].")?;
    index.parse::<usize>().ok().map(|index| format!("field-{index}-{part}"))
}
