//! Partial updates need three states per nullable field: absent (keep), `null` (clear), a value (set).

use serde::{Deserialize, Deserializer};

/// Use with `#[serde(default, deserialize_with = "nullable")]` on an `Option<Option<T>>` field.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
