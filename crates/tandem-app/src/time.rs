//! Instants as the API shows them (RFC 3339) from the stored Unix milliseconds.

use serde::{Serialize, Serializer};
use tandem_domain::Millis;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

/// An instant in a response, serialized as RFC 3339 (`2026-11-23T18:53:43.512Z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant(pub Millis);

/// Converts stored milliseconds.
pub fn instant(millis: Millis) -> Instant {
    Instant(millis)
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Stored values come from the clock, always within jiff's range.
        let timestamp = jiff::Timestamp::from_millisecond(self.0).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        serializer.collect_str(&timestamp)
    }
}

impl utoipa::PartialSchema for Instant {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .into()
    }
}

impl utoipa::ToSchema for Instant {}
