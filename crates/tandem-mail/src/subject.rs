//! The ticket number in a subject line (`Re: Broken grinder [#42]`), the fallback threading key
//! when a client dropped In-Reply-To and References. Only the bracketed form counts: a bare
//! "#42" in a subject is too often an order or invoice number.

/// The number of the last `[#N]` (or `[Label #N]`) tag in the subject.
pub fn ticket_number(subject: &str) -> Option<i64> {
    let mut found = None;
    let mut rest = subject;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else { break };
        let inside = &after[..close];
        if let Some((label, digits)) = inside.rsplit_once('#')
            && label.chars().count() <= 40
            && !label.contains('[')
            && (1..=18).contains(&digits.len())
            && digits.bytes().all(|byte| byte.is_ascii_digit())
        {
            found = digits.parse().ok().or(found);
        }
        rest = &after[close + 1..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_numbers_are_found_and_bare_ones_are_not() {
        assert_eq!(ticket_number("Re: Broken grinder [#42]"), Some(42));
        assert_eq!(ticket_number("AW: [Harbor #7] Till"), Some(7));
        assert_eq!(ticket_number("Fwd: [#3] then [#9]"), Some(9));
        assert_eq!(ticket_number("Order #42 is late"), None);
        assert_eq!(ticket_number("[#] or [#x1] or [#99999999999999999999]"), None);
        assert_eq!(ticket_number("unclosed [#5"), None);
        assert_eq!(ticket_number(""), None);
    }
}
