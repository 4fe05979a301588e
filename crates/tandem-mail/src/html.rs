//! HTML from strangers, made safe to show: ammonia's allow-list (no scripts, no event handlers,
//! no `javascript:` links, no styles that could overlay the page), links forced to open safely.

/// Cleans one HTML body. What is left is safe to render as-is inside a page.
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_relative(ammonia::UrlRelative::Deny)
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_script_links_are_removed() {
        let clean = sanitize_html(
            "<div onmouseover=\"steal()\"><img src=x onerror=alert(1)><a href=\"javascript:go()\">x</a>\
             <script>alert(1)</script><style>body{display:none}</style><b>kept</b></div>",
        );
        for forbidden in ["onmouseover", "onerror", "javascript", "<script", "<style"] {
            assert!(!clean.contains(forbidden), "{forbidden} in {clean}");
        }
        assert!(clean.contains("<b>kept</b>"), "{clean}");
    }
}
