//! Markdown written by staff (help articles), made into HTML that is safe to show anywhere: the
//! help centre, the console's preview, an email. pulldown-cmark renders CommonMark (with tables and
//! strike-through), then ammonia's allow-list removes whatever raw HTML the text carried (scripts,
//! event handlers, `javascript:` links, styles), so an article is only ever text and plain markup.

use pulldown_cmark::{Options, Parser, html};

/// The body as sanitized HTML. Links keep relative addresses (articles link to one another with
/// `/help/…`) and open without handing the reader's page to the target.
pub fn markdown_to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_markup() {
        let html =
            markdown_to_html("# Descaling\n\n1. Fill the tank\n2. Run **hot** water\n\n[Returns](/help/returns)");
        assert!(html.contains("<h1>Descaling</h1>"), "{html}");
        assert!(html.contains("<li>Fill the tank</li>"), "{html}");
        assert!(html.contains("<strong>hot</strong>"), "{html}");
        assert!(html.contains("href=\"/help/returns\""), "{html}");
    }

    #[test]
    fn raw_html_and_script_links_are_removed() {
        let html = markdown_to_html(
            "Hi <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) \
             <a href=\"https://evil.example\" onclick=\"go()\">y</a>",
        );
        for forbidden in ["<script", "onerror", "javascript:", "onclick"] {
            assert!(!html.contains(forbidden), "{forbidden} in {html}");
        }
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""), "{html}");
    }
}
