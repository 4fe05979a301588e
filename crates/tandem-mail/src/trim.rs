//! What the sender actually wrote: a reply's text without the quoted history and signature that
//! mail clients append. Used for display only; the full original is always kept beside it.
//!
//! The cues are the ones clients really produce (talon's and crisp's fixtures in the shared
//! corpus): `>` quote blocks and the "On … wrote:" line above them (in several languages, possibly
//! wrapped over two lines), Outlook's "-----Original Message-----" or `From:`/`Sent:` header block,
//! an underscore rule, the `-- ` signature separator and "Sent from my …" footers.

/// The new part of a reply. Falls back to the whole text when trimming would leave nothing.
pub fn trim_reply(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        if is_signature(line) || starts_history(&lines[index..]) {
            break;
        }
        if let Some(attribution) = attribution_len(&lines[index..]) {
            let after = index + attribution;
            // An attribution above a quote (Thunderbird, inline answers): drop both and go on.
            // Without a quote under it, everything below is the history (Gmail's HTML as text).
            match quote_after(&lines[after..]) {
                Some(quoted) => index = after + quoted,
                None => break,
            }
            continue;
        }
        if is_quote(line) {
            index += 1;
            continue;
        }
        kept.push(line);
        index += 1;
    }
    let trimmed = kept.join("\n").trim().to_owned();
    if trimmed.is_empty() { text.trim().to_owned() } else { trimmed }
}

fn is_quote(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

/// Lines of the quote block that follows (blank lines before it included), if one does.
fn quote_after(lines: &[&str]) -> Option<usize> {
    let blanks = lines.iter().take_while(|line| line.trim().is_empty()).count();
    let quoted = lines[blanks..].iter().take_while(|line| is_quote(line) || line.trim().is_empty()).count();
    (quoted > 0 && lines.get(blanks).is_some_and(|line| is_quote(line))).then_some(blanks + quoted)
}

const WROTE: [&str; 14] = [
    "wrote",
    "a écrit",
    "schrieb",
    "escribió",
    "ha scritto",
    "escreveu",
    "skrev",
    "kirjoitti",
    "napisał",
    "написал",
    "schreef",
    "írta",
    "wrote the following",
    "geschreven",
];

/// "On Mon, Apr 2, 2012 at 6:26 PM, Megan <m@x> wrote:", on one line or wrapped over two.
fn attribution_len(lines: &[&str]) -> Option<usize> {
    let is_attribution = |text: &str| {
        let text = text.trim();
        let lower = text.to_lowercase();
        text.ends_with(':') && text.chars().count() <= 300 && WROTE.iter().any(|word| lower.contains(word))
    };
    if is_attribution(lines[0]) {
        return Some(1);
    }
    // Wrapped: a first half that carries the date ("On Mon, Apr 2, 2012 at 6:26 PM, Megan <m@x>"),
    // so a short reply line right above an attribution is never taken for its first half.
    let next = lines.get(1)?;
    let first_half = lines[0].chars().any(|c| c.is_ascii_digit()) && !is_quote(lines[0]) && !is_quote(next);
    (first_half && is_attribution(&format!("{} {}", lines[0].trim(), next.trim()))).then_some(2)
}

const SEPARATORS: [&str; 4] = ["original message", "ursprüngliche nachricht", "message d'origine", "mensaje original"];
const HEADER_NAMES: [&str; 9] =
    ["sent:", "date:", "to:", "subject:", "cc:", "gesendet:", "envoyé :", "an:", "betreff:"];

/// Where a client's copy of the earlier message begins.
fn starts_history(lines: &[&str]) -> bool {
    let line = lines[0].trim();
    let lower = line.to_lowercase();
    if line.starts_with('-') && SEPARATORS.iter().any(|separator| lower.contains(separator)) {
        return true;
    }
    if line.len() >= 20 && line.chars().all(|c| c == '_') {
        return true;
    }
    let header_start = ["from:", "*from:*", "von:", "de :", "de:"].iter().any(|start| lower.starts_with(start));
    header_start
        && lines[1..].iter().take(4).any(|next| {
            let next = next.trim().trim_start_matches('*').to_lowercase();
            HEADER_NAMES.iter().any(|name| next.starts_with(name))
        })
}

const FOOTERS: [&str; 5] = ["sent from my ", "sent with ", "get outlook for ", "envoyé de mon ", "von meinem "];

fn is_signature(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    line == "--" || line == "-- " || (lower.len() < 80 && FOOTERS.iter().any(|footer| lower.starts_with(footer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_their_attribution_go() {
        assert_eq!(trim_reply("Hello\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan <m@x.com> wrote:\n\n> Hi\n"), "Hello");
        assert_eq!(trim_reply("Hello\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan <m@x.com>\nwrote:\n> Hi"), "Hello");
        assert_eq!(trim_reply("On 04/02/2012 06:26 PM, Megan One wrote:\n> Hi \nHello"), "Hello");
        assert_eq!(trim_reply("Hello\n> On 22 Aug 2015, at 19:21, Adam <a@x.com> wrote:\n>\n> Hi there!"), "Hello");
        assert_eq!(trim_reply("Le 3 avr. 2012 à 16:19, bob a écrit :\n> Salut\nBonjour"), "Bonjour");
    }

    #[test]
    fn inline_answers_stay() {
        assert_eq!(trim_reply("> Which store?\nPier 9\n> Which till?\nThe second"), "Pier 9\nThe second");
    }

    #[test]
    fn outlook_history_and_signatures_go() {
        assert_eq!(trim_reply("Hello\n\n-----Original Message-----\nFrom: bob\nHi"), "Hello");
        assert_eq!(trim_reply("Hello\n\nFrom: bob@x.com [mailto:bob@x.com]\nSent: Monday\nTo: me\n\nHi"), "Hello");
        assert_eq!(trim_reply("Hello\n________________________________\nFrom: bob"), "Hello");
        assert_eq!(trim_reply("Hello \n\n-- \nBob\nSent with Sparrow"), "Hello");
        assert_eq!(trim_reply("Hello\n\nSent from my iPhone\n\nOn Apr 3 bob wrote:\n\n> Hi"), "Hello");
    }

    #[test]
    fn a_message_that_is_all_history_is_kept_whole() {
        assert_eq!(trim_reply("> only a quote\n"), "> only a quote");
        assert_eq!(
            trim_reply("From: a@x.com\nSent: today\nTo: b\n\nforwarded"),
            "From: a@x.com\nSent: today\nTo: b\n\nforwarded"
        );
    }

    #[test]
    fn ordinary_text_is_untouched() {
        let text = "The grinder at Pier 9 stopped.\nIt makes a noise: loud.\n\nThanks,\nErin";
        assert_eq!(trim_reply(text), text);
    }
}
