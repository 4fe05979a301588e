//! Tandem driven as a person would, in real headless Chromium over WebDriver: each test serves the
//! demo desk in-process on a real socket, opens a browser, and walks a journey through the pages.
//!
//! `driver.rs` owns chromedriver and the browser, `page.rs` the moves a person makes (sign in,
//! fill, submit, read), `shots.rs` the screenshots; every other file is one journey.

mod driver;
mod page;
mod shots;

mod admin;
mod announcements;
mod catalog;
mod chain;
mod csrf;
mod form_errors;
mod incident;
mod order_problem;
mod shortcuts;
mod signin;
mod standards;
mod status_priority;
mod suggestions;

use std::net::SocketAddr;

use driver::Browser;
use tandem_testkit::{TestApp, TestBackend};

/// Every demo account signs in with this password.
const PASSWORD: &str = tandem_app::seed::DEMO_PASSWORD;

/// The desktop window most journeys run in; screenshots also take the phone width.
const DESKTOP: (u32, u32) = (1440, 900);

/// The demo desk served on `127.0.0.1:<free port>` for the life of the test.
pub struct Desk {
    /// The desk in-process, for arranging and checking through the API (and it holds the database).
    pub test: TestApp,
    pub base: String,
}

impl Desk {
    /// Loads the demo on a fresh SQLite file and serves the real router on a real socket, with the
    /// client address known (the sign-in limiter keys on it, as in `tandem serve`).
    pub async fn demo() -> Desk {
        let test = TestApp::demo(TestBackend::Sqlite).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let address = listener.local_addr().expect("a bound address");
        let service = test.router.clone().into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await.expect("serving the desk") });
        Desk { test, base: format!("http://{address}") }
    }

    /// A fresh browser on this desk, signed in as nobody.
    pub async fn browser(&self) -> Browser {
        Browser::start(&self.base, DESKTOP.0, DESKTOP.1).await
    }
}
