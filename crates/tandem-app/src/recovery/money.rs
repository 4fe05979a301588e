//! Amounts as people read and type them: integers in the currency's minor unit, shown with two
//! decimals.

/// "20.00 EUR".
pub fn format(amount_minor: i64, currency: &str) -> String {
    format!("{} {currency}", decimal(amount_minor))
}

/// 2000 → "20.00".
pub fn decimal(amount_minor: i64) -> String {
    let sign = if amount_minor < 0 { "-" } else { "" };
    let amount = amount_minor.unsigned_abs();
    format!("{sign}{}.{:02}", amount / 100, amount % 100)
}

/// What a person types in a form ("20", "12.5", "12.50") in minor units; `None` for anything else.
pub fn parse_minor(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, cents) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || cents.len() > 2 || !digits(cents) {
        return None;
    }
    let cents = format!("{cents:0<2}").parse::<i64>().ok()?;
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_with_two_decimals() {
        assert_eq!(format(2_000, "EUR"), "20.00 EUR");
        assert_eq!(format(5, "USD"), "0.05 USD");
        assert_eq!(format(-1_250, "GBP"), "-12.50 GBP");
    }

    #[test]
    fn typed_amounts_become_minor_units() {
        assert_eq!(parse_minor("20"), Some(2_000));
        assert_eq!(parse_minor("12.5"), Some(1_250));
        assert_eq!(parse_minor(" 0.05 "), Some(5));
        for bad in ["", "-3", "1.234", "1,50", "abc", ".5", "99999999999999999999"] {
            assert_eq!(parse_minor(bad), None, "{bad}");
        }
    }
}
