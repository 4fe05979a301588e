//! Pages of a list: a bounded size and an opaque cursor to the next page.

use serde::Serialize;

/// What the caller asked for: a size (bounded by [`crate::Limits::max_page_size`]) and where to
/// continue.
#[derive(Clone, Debug, Default)]
pub struct PageRequest {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

pub const DEFAULT_PAGE_SIZE: u32 = 25;

impl PageRequest {
    /// The page size to use: the caller's, within 1..=max.
    pub fn size(&self, max: u32) -> u32 {
        self.limit.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, max)
    }
}

/// One page of items and the cursor to the next page (`None` on the last page).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from `size + 1` fetched rows: the extra row only says that more follow.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        size: u32,
        cursor_of: impl Fn(&R) -> String,
        view: impl FnMut(R) -> T,
    ) -> Page<T> {
        let more = rows.len() > size as usize;
        rows.truncate(size as usize);
        let next_cursor = if more { rows.last().map(&cursor_of) } else { None };
        Page { items: rows.into_iter().map(view).collect(), next_cursor }
    }
}

/// Encodes a list position as an opaque, URL-safe cursor.
pub fn encode_cursor<T: Serialize>(position: &T) -> String {
    use base64::Engine;
    let json = serde_json::to_vec(position).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

/// Decodes a cursor made by [`encode_cursor`]; anything else is the caller's mistake.
pub fn decode_cursor<T: serde::de::DeserializeOwned>(cursor: &str) -> Result<T, crate::AppError> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|json| serde_json::from_slice(&json).ok())
        .ok_or_else(|| crate::AppError::invalid("cursor", "is not a cursor from a previous page"))
}
