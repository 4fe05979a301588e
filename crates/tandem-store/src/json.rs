//! JSON kept in TEXT columns (tags, custom field values, rule conditions, event data): the same
//! representation on both backends, decoded into typed values as rows are read.

use serde::de::DeserializeOwned;

/// A JSON value stored as TEXT. Rows use `#[sqlx(try_from = "String")]` on such fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonText<T>(pub T);

impl<T: DeserializeOwned> TryFrom<String> for JsonText<T> {
    type Error = serde_json::Error;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        serde_json::from_str(&text).map(JsonText)
    }
}

/// Encodes a value for a TEXT column. Serializing our own types cannot fail; if it ever did,
/// the write is refused rather than storing something unreadable.
pub fn to_text<T: serde::Serialize>(value: &T) -> Result<String, crate::StoreError> {
    serde_json::to_string(value).map_err(|error| crate::StoreError::Other(error.into()))
}
