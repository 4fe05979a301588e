//! A browser without a browser, shared by the page tests (`portal_pages`, `agent_pages`,
//! `admin_pages`): a session cookie on every request, forms posted url-encoded or as
//! `multipart/form-data`, and the few readings of a page those tests need (its text, a redirect's
//! target, hidden inputs, the CSRF token). What only one area needs stays in that area's module.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, request};
use tandem_testkit::{TestApp, TestResponse};

/// The demo's people whom more than one area's pages are driven as.
pub const ADMIN: &str = "admin@harbor.example";
pub const CASEY: &str = "casey@harbor.example";
pub const IVAN: &str = "ivan@harbor.example";
pub const BEA: &str = "bea@harbor.example";
pub const ERIN: &str = "erin@example.com";

const BOUNDARY: &str = "----tandem-test-boundary";

/// One part of a multipart form.
#[derive(Clone, Copy)]
pub enum Part<'a> {
    /// Name and value.
    Text(&'a str, &'a str),
    /// Name, file name, content type, content.
    File(&'a str, &'a str, &'a str, &'a [u8]),
}

/// A browser: one person's session cookie (`tandem_session=<token>`) on every request, or none.
pub struct Browser<'a> {
    pub desk: &'a TestApp,
    token: Option<String>,
}

impl<'a> Browser<'a> {
    /// Signed in as the person with this email, with a session of its own.
    pub async fn of(desk: &'a TestApp, email: &str) -> Browser<'a> {
        let token = desk.token(email).await;
        Browser { desk, token: Some(token) }
    }

    /// Signed in with a session token the test already holds.
    pub fn with_token(desk: &'a TestApp, token: &str) -> Browser<'a> {
        Browser { desk, token: Some(token.to_owned()) }
    }

    /// Signed out: no cookie at all.
    pub fn anonymous(desk: &'a TestApp) -> Browser<'a> {
        Browser { desk, token: None }
    }

    /// The session's token, to read through the API as the same person.
    pub fn token(&self) -> &str {
        self.token.as_deref().expect("a signed-in browser")
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.desk.raw(self.request(Method::GET, path, &[]).body(Body::empty()).unwrap()).await
    }

    /// A page that must answer 200, as text.
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "GET {path}: {}", text(&response));
        text(&response)
    }

    /// Posts a url-encoded form exactly as given (no CSRF field added).
    pub async fn post<K: AsRef<str>, V: AsRef<str>>(&self, path: &str, fields: &[(K, V)]) -> TestResponse {
        self.post_with(path, fields, &[]).await
    }

    /// [`Browser::post`] with extra request headers (`sec-fetch-site`, `origin`, …).
    pub async fn post_with<K: AsRef<str>, V: AsRef<str>>(
        &self,
        path: &str,
        fields: &[(K, V)],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let body: Vec<String> = fields
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name.as_ref()), encode(value.as_ref())))
            .collect();
        let request =
            self.request(Method::POST, path, headers).header("content-type", "application/x-www-form-urlencoded");
        self.desk.raw(request.body(Body::from(body.join("&"))).unwrap()).await
    }

    /// Posts a `multipart/form-data` form exactly as given, parts in order.
    pub async fn multipart(&self, path: &str, parts: &[Part<'_>]) -> TestResponse {
        self.multipart_with(path, parts, &[]).await
    }

    /// [`Browser::multipart`] with extra request headers.
    pub async fn multipart_with(&self, path: &str, parts: &[Part<'_>], headers: &[(&str, &str)]) -> TestResponse {
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        let request = self.request(Method::POST, path, headers).header("content-type", content_type);
        self.desk.raw(request.body(Body::from(multipart_body(parts))).unwrap()).await
    }

    fn request(&self, method: Method, path: &str, headers: &[(&str, &str)]) -> request::Builder {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = &self.token {
            request = request.header("cookie", format!("tandem_session={token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
    }
}

fn multipart_body(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
                body.extend_from_slice(value.as_bytes());
            }
            Part::File(name, filename, kind, data) => {
                let head = format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {kind}\r\n\r\n"
                );
                body.extend_from_slice(head.as_bytes());
                body.extend_from_slice(data);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Form encoding of one name or value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// The body of a page; every page Tandem draws is UTF-8.
pub fn text(response: &TestResponse) -> String {
    String::from_utf8(response.body.clone()).expect("a UTF-8 page")
}

/// Where a redirect sends the browser.
pub fn location(response: &TestResponse) -> &str {
    let value = response.headers.get("location").unwrap_or_else(|| panic!("a redirect, got {}", response.status));
    value.to_str().expect("a readable location")
}

/// Undoes HTML escaping (askama writes `&#38;`, `&#34;`, `&#39;`, `&#60;`, `&#62;`).
pub fn unescape(text: &str) -> String {
    [("&#34;", "\""), ("&#39;", "'"), ("&#60;", "<"), ("&#62;", ">"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">")]
        .into_iter()
        .chain([("&#38;", "&"), ("&amp;", "&")])
        .fold(text.to_owned(), |text, (escaped, plain)| text.replace(escaped, plain))
}

/// Every `<input type="hidden" name=… value=…>` of a piece of HTML, in order, unescaped.
pub fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let attribute = |tag: &str, name: &str| {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        Some(unescape(&tag[start..start + tag[start..].find('"')?]))
    };
    html.split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            Some((attribute(tag, "name")?, attribute(tag, "value")?))
        })
        .collect()
}

/// The value of the first hidden input named `name`.
pub fn hidden(html: &str, name: &str) -> String {
    let found = hidden_inputs(html).into_iter().find(|(found, _)| found == name);
    found.map(|(_, value)| value).unwrap_or_else(|| panic!("no hidden `{name}` in the page"))
}

/// The page's CSRF token (every page with a form carries it).
pub fn csrf(html: &str) -> String {
    hidden(html, "_csrf")
}
