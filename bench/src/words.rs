//! Seeded text: subjects and message bodies made of service-desk words, and people's names. The
//! same seed always writes the same desk, so two runs compare like with like.

use crate::rng::Rng;

const WORDS: &[&str] = &[
    "account",
    "access",
    "after",
    "again",
    "alert",
    "app",
    "approval",
    "asked",
    "backup",
    "badge",
    "balance",
    "battery",
    "before",
    "billing",
    "blocked",
    "booking",
    "broken",
    "browser",
    "budget",
    "cable",
    "calendar",
    "cannot",
    "card",
    "cart",
    "change",
    "charge",
    "check",
    "client",
    "closed",
    "coffee",
    "contract",
    "copy",
    "crash",
    "customer",
    "damaged",
    "data",
    "deadline",
    "delivery",
    "desk",
    "device",
    "discount",
    "display",
    "document",
    "download",
    "driver",
    "email",
    "error",
    "expense",
    "export",
    "failed",
    "file",
    "folder",
    "form",
    "freeze",
    "grinder",
    "headset",
    "holiday",
    "install",
    "invoice",
    "keyboard",
    "label",
    "laptop",
    "late",
    "leave",
    "license",
    "login",
    "machine",
    "manager",
    "meeting",
    "missing",
    "monitor",
    "mouse",
    "network",
    "new",
    "office",
    "order",
    "outage",
    "package",
    "parcel",
    "password",
    "payment",
    "payroll",
    "pension",
    "phone",
    "please",
    "portal",
    "printer",
    "problem",
    "quote",
    "receipt",
    "refund",
    "reminder",
    "renewal",
    "replacement",
    "report",
    "request",
    "reset",
    "return",
    "roaster",
    "router",
    "schedule",
    "screen",
    "server",
    "shipment",
    "shift",
    "slow",
    "software",
    "stock",
    "store",
    "subscription",
    "supplier",
    "support",
    "team",
    "ticket",
    "till",
    "today",
    "tomorrow",
    "training",
    "transfer",
    "update",
    "upgrade",
    "urgent",
    "user",
    "vpn",
    "warehouse",
    "warranty",
    "website",
    "week",
    "wifi",
    "wrong",
];

const FILLER: &[&str] = &[
    "the", "a", "is", "was", "not", "and", "but", "for", "with", "on", "in", "my", "our", "this", "since", "still",
    "could", "you", "we", "it", "to", "of", "again", "now",
];

pub const FIRST_NAMES: &[&str] = &[
    "Ada", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam", "Maya", "Noah",
    "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wes", "Xena", "Yuki", "Zoe",
];

pub const LAST_NAMES: &[&str] = &[
    "Adams", "Berg", "Costa", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jansen", "Kowalski", "Lopez",
    "Martin", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Weber", "Xu",
    "Yilmaz", "Zimmer",
];

/// A subject of 3 to 8 words, capitalized.
pub fn subject(rng: &mut Rng) -> String {
    let mut text = sentence(rng, 3, 8);
    text.pop(); // no full stop in a subject
    text
}

/// A body of `low..=high` words in sentences.
pub fn body(rng: &mut Rng, low: u64, high: u64) -> String {
    let total = rng.between(low, high);
    let mut text = String::with_capacity(total as usize * 7);
    let mut written = 0;
    while written < total {
        let length = rng.between(4, 12).min(total - written);
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&sentence(rng, length, length));
        written += length;
    }
    text
}

/// `low..=high` words, the first capitalized, ending in a full stop.
fn sentence(rng: &mut Rng, low: u64, high: u64) -> String {
    let count = rng.between(low, high);
    let mut text = String::with_capacity(count as usize * 7);
    for index in 0..count {
        let word = if rng.chance(35) { rng.pick(FILLER) } else { rng.pick(WORDS) };
        if index == 0 {
            let mut letters = word.chars();
            text.extend(letters.next().map(|first| first.to_ascii_uppercase()));
            text.push_str(letters.as_str());
        } else {
            text.push(' ');
            text.push_str(word);
        }
    }
    text.push('.');
    text
}

/// A word from the list, for search terms and tags.
pub fn word(rng: &mut Rng) -> &'static str {
    WORDS[rng.below(WORDS.len() as u64) as usize]
}

/// Product models a message may name (`kx100` to `kx139`). Each is in about 0.2 % of a generated
/// desk's messages (10,000 of a 1M-ticket desk's 5M): rare enough for search to rank by relevance,
/// common enough that ranking has the most matches to weigh.
pub const MODELS: u64 = 40;
/// Percent of generated messages that name a model.
pub const MODEL_MENTION_PERCENT: u64 = 8;

/// One of the [`MODELS`] product models, as a message names it.
pub fn model(rng: &mut Rng) -> String {
    format!("kx{}", 100 + rng.below(MODELS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_seeded_and_bounded() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        assert_eq!(body(&mut a, 10, 20), body(&mut b, 10, 20));
        let text = subject(&mut a);
        let words = text.split(' ').count();
        assert!((3..=8).contains(&words), "{text}");
        assert!(text.chars().next().is_some_and(char::is_uppercase));
        let words = body(&mut a, 10, 20).split(' ').count();
        assert!((10..=20).contains(&words));
    }
}
