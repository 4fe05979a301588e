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
    /// The distinct words of `text`, in the order typed; `None` when it has none to search for.
    /// A word typed twice is searched once: it matches the same texts, and the planner, which
    /// takes repeated words for independent ones, would expect far fewer matches than there are.
    pub fn parse(text: &str, prefix_last: bool) -> Option<Self> {
        let mut words: Vec<String> = Vec::new();
        let mut last_was_repeated = false;
        for word in text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()) {
            let word = word.to_lowercase();
            last_was_repeated = words.contains(&word);
            if !last_was_repeated {
                if words.len() == MAX_TERMS {
                    break;
                }
                words.push(word);
            }
        }
        if words.is_empty() {
            return None;
        }
        // A repeated last word was finished when it was first typed: nothing is being typed.
        let prefix_last = prefix_last
            && !last_was_repeated
            && words.last().is_some_and(|word| word.chars().count() >= MIN_PREFIX_CHARS);
        Some(Self { words, prefix_last })
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// An FTS5 `MATCH` expression: every word quoted (so none is read as an operator), joined by
    /// the implicit AND, the last one with `*` when it is a prefix.
    pub fn fts5(&self) -> String {
        self.fts5_words().collect::<Vec<_>>().join(" ")
    }

    /// Each word alone as an FTS5 `MATCH` expression, as [`Self::fts5`] writes it.
    pub fn fts5_words(&self) -> impl Iterator<Item = String> + '_ {
        let last = self.words.len() - 1;
        self.words.iter().enumerate().map(move |(index, word)| {
            let star = if index == last && self.prefix_last { "*" } else { "" };
            format!("\"{word}\"{star}")
        })
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

/// Marks a hit's start and end inside a snippet the engine cut (FTS5 `snippet()`, PostgreSQL
/// `ts_headline`). Control characters never occur in stored text, so they cannot be forged by it.
pub const HIT_START: char = '\u{2}';
pub const HIT_END: char = '\u{3}';

/// A snippet as the engine cut it, hits between [`HIT_START`] and [`HIT_END`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet(pub String);

impl Snippet {
    /// The snippet as HTML: its text escaped, its hits in `<mark>`. The only markup in the result
    /// is ours, whatever the indexed text held.
    pub fn to_html(&self) -> String {
        let mut html = String::with_capacity(self.0.len() + 16);
        for c in self.0.chars() {
            match c {
                HIT_START => html.push_str("<mark>"),
                HIT_END => html.push_str("</mark>"),
                '&' => html.push_str("&amp;"),
                '<' => html.push_str("&lt;"),
                '>' => html.push_str("&gt;"),
                '"' => html.push_str("&quot;"),
                '\'' => html.push_str("&#39;"),
                c if c.is_control() && c != '\n' => {}
                c => html.push(c),
            }
        }
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_is_escaped_text_with_only_our_marks() {
        let raw = format!("<b>Refund</b> & {HIT_START}order{HIT_END} \"x\"");
        assert_eq!(Snippet(raw).to_html(), "&lt;b&gt;Refund&lt;/b&gt; &amp; <mark>order</mark> &quot;x&quot;");
    }

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
        let many: String = (0..50).map(|n| format!("w{n} ")).collect();
        let capped = SearchTerms::parse(&many, false).unwrap();
        assert_eq!(capped.words(), ["w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7"]);
        assert_eq!(SearchTerms::parse("Café Über", false).unwrap().words(), ["café", "über"]);
    }

    #[test]
    fn a_word_typed_twice_is_searched_once() {
        let terms = SearchTerms::parse("Label printer label", false).unwrap();
        assert_eq!(terms.words(), ["label", "printer"]);
        assert_eq!(terms.tsquery(), "label & printer");
        // The repeated last word is not being typed, so nothing becomes a prefix.
        assert_eq!(SearchTerms::parse("reset pass reset", true).unwrap().fts5(), r#""reset" "pass""#);
        assert_eq!(SearchTerms::parse("reset reset pass", true).unwrap().fts5(), r#""reset" "pass"*"#);
        let repeated: String = (0..50).map(|n| format!("w{} ", n % 3)).collect();
        assert_eq!(SearchTerms::parse(&repeated, false).unwrap().words(), ["w0", "w1", "w2"]);
    }
}
