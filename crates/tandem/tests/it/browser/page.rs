//! The moves a person makes in the browser, as short helpers the journeys read like prose: open a
//! page, sign in as someone, type into a field, press a button and wait for the next page, read
//! what is on screen. Failures name the page they happened on.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use serde_json::{Value, json};

use super::PASSWORD;
use super::driver::Browser;

/// How long a page may take to appear after a click (a debug build on a busy 2-core box).
const PAGE_WAIT: Duration = Duration::from_secs(10);

impl Browser {
    /// Opens a path on the desk, like typing it into the address bar.
    pub async fn visit(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client.goto(&url).await.unwrap_or_else(|error| panic!("opening {url}: {error}"));
    }

    /// The path (and query) of the page on screen.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("the current URL");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// The HTTP status the page on screen was served with (Chromium's navigation timing records it).
    pub async fn status(&self) -> u16 {
        let status = self.script("return performance.getEntriesByType('navigation')[0].responseStatus;", vec![]).await;
        status.as_u64().and_then(|status| u16::try_from(status).ok()).expect("a response status")
    }

    /// The page's markup as the browser holds it now.
    pub async fn source(&self) -> String {
        self.client.source().await.expect("the page source")
    }

    /// Runs a script in the page and returns its result.
    pub async fn script(&self, script: &str, args: Vec<Value>) -> Value {
        self.client.execute(script, args).await.unwrap_or_else(|error| panic!("running {script}: {error}"))
    }

    /// The element matching a CSS selector, waiting briefly for it to be there.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.wait().at_most(PAGE_WAIT).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(error) => panic!("no `{css}` on {}: {error}\n{}", self.path().await, self.source().await),
        }
    }

    /// The visible text of the element matching a CSS selector.
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("an element's text")
    }

    /// The current value of a form control.
    pub async fn value(&self, css: &str) -> String {
        self.find(css).await.prop("value").await.expect("a control's value").unwrap_or_default()
    }

    /// Whether the element matching a CSS selector is shown (not hidden by the page's styles).
    pub async fn shown(&self, css: &str) -> bool {
        self.find(css).await.is_displayed().await.unwrap_or_else(|error| panic!("is `{css}` shown: {error}"))
    }

    /// Clicks something that changes the page in place (a label, a tab), not one that loads a page.
    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|error| panic!("clicking `{css}`: {error}"));
    }

    /// Replaces what a field holds with `text`, typed key by key.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap_or_else(|error| panic!("clearing `{css}`: {error}"));
        field.send_keys(text).await.unwrap_or_else(|error| panic!("typing into `{css}`: {error}"));
    }

    /// Picks the option showing this text in a `<select>`, as a person picks it.
    pub async fn choose(&self, css: &str, label: &str) {
        let select = self.find(css).await;
        select.select_by_label(label).await.unwrap_or_else(|error| panic!("choosing {label:?} in `{css}`: {error}"));
    }

    /// Picks the option with this value in a `<select>`.
    pub async fn choose_value(&self, css: &str, value: &str) {
        let select = self.find(css).await;
        select.select_by_value(value).await.unwrap_or_else(|error| panic!("choosing {value:?} in `{css}`: {error}"));
    }

    /// Clicks something that loads a new page (a submit button, a link) and waits for that page.
    ///
    /// The old document is marked first, so "the next page is here" means "a document without the
    /// mark has finished loading", whatever the server answered (a redirect, an error page, the
    /// same URL again).
    pub async fn click_and_wait(&self, css: &str) {
        self.script("window.__tandemOldPage = true;", vec![]).await;
        let target = self.find(css).await;
        target.click().await.unwrap_or_else(|error| panic!("clicking `{css}`: {error}"));
        self.wait_for_new_page(&format!("clicking `{css}`")).await;
    }

    /// Presses one key on the keyboard, wherever the focus is (a shortcut, when it is on the page).
    pub async fn press(&self, key: char) {
        let keys =
            KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        self.client.perform_actions(keys).await.unwrap_or_else(|error| panic!("pressing {key:?}: {error}"));
    }

    /// Presses a key that loads a new page (a shortcut that opens something) and waits for it.
    pub async fn press_and_wait(&self, key: char) {
        self.script("window.__tandemOldPage = true;", vec![]).await;
        self.press(key).await;
        self.wait_for_new_page(&format!("pressing {key:?}")).await;
    }

    /// The id of the element that has the focus.
    pub async fn focused_id(&self) -> String {
        let focused = self.client.active_element().await.expect("the focused element");
        focused.attr("id").await.expect("an id attribute").unwrap_or_default()
    }

    /// Waits until the marked document has been replaced by a fully loaded one.
    pub async fn wait_for_new_page(&self, after: &str) {
        let started = Instant::now();
        let check = "return !window.__tandemOldPage && document.readyState === 'complete';";
        loop {
            // While the old document unloads the script may fail; that is "not yet".
            if self.client.execute(check, vec![]).await.ok() == Some(json!(true)) {
                return;
            }
            assert!(
                started.elapsed() < PAGE_WAIT,
                "no new page {PAGE_WAIT:?} after {after} (on {})",
                self.path().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Signs in through the sign-in page as a demo account and lands on `next`. Any earlier session
    /// in this browser is dropped first, so one browser can play several people in turn.
    pub async fn sign_in(&self, email: &str, next: &str) {
        self.sign_in_with(email, PASSWORD, next).await;
        let landed = self.path().await;
        assert!(!landed.starts_with("/signin"), "{email} is still on the sign-in page:\n{}", self.source().await);
        assert!(landed.starts_with(next), "{email} landed on {landed}, not {next}");
    }

    /// Fills and sends the sign-in form with any password (the journey checks the outcome).
    pub async fn sign_in_with(&self, email: &str, password: &str, next: &str) {
        self.visit("/signin").await;
        self.client.delete_all_cookies().await.expect("dropping the earlier session");
        self.visit(&format!("/signin?next={next}")).await;
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.click_and_wait("form[action='/signin'] button[type=submit]").await;
    }
}
