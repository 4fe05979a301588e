//! Tags: short lowercase labels, normalized once so that filters match what people typed.

use crate::validate::FieldErrors;

pub const MAX_TAGS: usize = 20;
const MAX_TAG_CHARS: usize = 40;

/// Normalizes a list of tags (trim, lowercase, spaces to dashes, deduplicated, sorted).
pub fn normalize(errors: &mut FieldErrors, field: &str, tags: &[String]) -> Vec<String> {
    let mut normalized: Vec<String> = Vec::with_capacity(tags.len());
    for raw in tags {
        let tag = raw.trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join("-");
        let well_formed = !tag.is_empty()
            && tag.chars().count() <= MAX_TAG_CHARS
            && tag.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
        if !well_formed {
            errors.add(field, format!("`{raw}` is not a tag: use up to {MAX_TAG_CHARS} letters, digits, - _ . :"));
            continue;
        }
        normalized.push(tag);
    }
    normalized.sort();
    normalized.dedup();
    if normalized.len() > MAX_TAGS {
        errors.add(field, format!("at most {MAX_TAGS} tags"));
    }
    normalized
}

/// Adds `extra` to `tags`, keeping the list sorted and unique.
pub fn union(tags: &[String], extra: &[String]) -> Vec<String> {
    let mut all: Vec<String> = tags.iter().chain(extra).cloned().collect();
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalized() {
        let mut errors = FieldErrors::new();
        let tags = normalize(&mut errors, "tags", &["  Wrong Order ".into(), "vip".into(), "VIP".into(), "a:b".into()]);
        assert_eq!(tags, ["a:b", "vip", "wrong-order"]);
        assert!(errors.is_empty());
        normalize(&mut errors, "tags", &["".into(), "<script>".into()]);
        assert!(errors.0.contains_key("tags"));
    }

    #[test]
    fn union_keeps_order_and_uniqueness() {
        assert_eq!(union(&["b".into(), "d".into()], &["a".into(), "b".into()]), ["a", "b", "d"]);
    }
}
