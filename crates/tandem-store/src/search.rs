//! What a person typed into a search box, turned into each backend's full-text query.
//!
//! Both engines get the same words: letters and digits, lowercased, at most [`MAX_TERMS`] of them.
//! Everything else (quotes, operators, `NEAR`, `*`, `-`) is dropped rather than escaped, so no
//! input can be a syntax error or widen a query beyond the words typed. Every word must match
//! (AND); the last word also matches as a prefix when the search runs while someone types.

/// More words add nothing a person would miss and only make the index work harder.
pub const MAX_TERMS: usize = 8;

/// Words shorter than this are dropped from prefix matching: "a*" would match most of the index.
const MIN_PREFIX_CHARS: usize = 2;

/// The words of one search, ready to be written in either engine's syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchTerms {
    words: Vec<String>,
    /// Whether the last word is still being typed (suggestions) and should match as a prefix.
    prefix_last: bool,
}

impl SearchTerms {
    /// The words of `text`; `None` when it has none to search for.
    pub fn parse(text: &str, prefix_last: bool) -> Option<Self> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .take(MAX_TERMS)
            .collect();
        if words.is_empty() {
            return None;
        }
        let prefix_last = prefix_last && words.last().is_some_and(|word| word.chars().count() >= MIN_PREFIX_CHARS);
        Some(Self { words, prefix_last })
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// An FTS5 `MATCH` expression: every word quoted (so none is read as an operator), joined by
    /// the implicit AND, the last one with `*` when it is a prefix.
    pub fn fts5(&self) -> String {
        let last = self.words.len() - 1;
        let mut expr = String::new();
        for (index, word) in self.words.iter().enumerate() {
            if index > 0 {
                expr.push(' ');
            }
            expr.push('"');
            expr.push_str(word);
            expr.push('"');
            if index == last && self.prefix_last {
                expr.push('*');
            }
        }
        expr
    }

    /// A PostgreSQL `to_tsquery` text: the words joined by `&`, the last with `:*` when it is a
    /// prefix. Only letters and digits reach it, so it always parses.
    pub fn tsquery(&self) -> String {
        let last = self.words.len() - 1;
        let mut expr = String::new();
        for (index, word) in self.words.iter().enumerate() {
            if index > 0 {
                expr.push_str(" & ");
            }
            expr.push_str(word);
            if index == last && self.prefix_last {
                expr.push_str(":*");
            }
        }
        expr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_and_quotes_are_dropped_not_passed_to_the_engine() {
        let terms = SearchTerms::parse(r#"Refund "NEAR(x y)" -order* OR 42"#, false).unwrap();
        assert_eq!(terms.words(), ["refund", "near", "x", "y", "order", "or", "42"]);
        assert_eq!(terms.fts5(), r#""refund" "near" "x" "y" "order" "or" "42""#);
        assert_eq!(terms.tsquery(), "refund & near & x & y & order & or & 42");
    }

    #[test]
    fn the_last_word_is_a_prefix_only_while_typing_and_only_when_long_enough() {
        assert_eq!(SearchTerms::parse("reset pass", true).unwrap().fts5(), r#""reset" "pass"*"#);
        assert_eq!(SearchTerms::parse("reset pass", true).unwrap().tsquery(), "reset & pass:*");
        assert_eq!(SearchTerms::parse("reset p", true).unwrap().fts5(), r#""reset" "p""#);
        assert_eq!(SearchTerms::parse("reset pass", false).unwrap().fts5(), r#""reset" "pass""#);
    }

    #[test]
    fn nothing_to_search_for_is_none_and_long_input_is_capped() {
        assert_eq!(SearchTerms::parse("  -- \"\" ** ", false), None);
        let many = "w ".repeat(50);
        assert_eq!(SearchTerms::parse(&many, false).unwrap().words().len(), MAX_TERMS);
        assert_eq!(SearchTerms::parse("Café Über", false).unwrap().words(), ["café", "über"]);
    }
}
