//! Real headless Chromium behind Debian's `chromedriver`: one driver process and one browser per
//! test, both gone when the [`Browser`] is dropped. A machine without them fails loudly with the
//! way to get them; browser tests never skip.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::error::NewSessionError;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Map, Value, json};

const MISSING: &str = "run scripts/test, which installs Debian's `chromium` and `chromium-driver` when they are \
    missing (or: apt-get install chromium chromium-driver)";

/// A running `chromedriver` and its browser, both ended when dropped (also when a test panics).
struct Driver {
    child: Child,
    port: u16,
    session: Option<String>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Killing chromedriver alone leaves Chromium running (it was seen to), so first ask the
        // driver to end the session, which quits the browser, then kill the driver.
        if let Some(session) = &self.session {
            quit_session(self.port, session);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `DELETE /session/{id}`, blocking (drop cannot await); chromedriver answers once the browser
/// has quit. Errors are ignored: the driver is killed next either way.
fn quit_session(port: u16, session: &str) {
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = std::net::TcpStream::connect_timeout(&address, Duration::from_secs(2)) else { return };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return;
    }
    // The answer is the sign that the browser is gone; chromedriver keeps the connection open
    // after it despite `Connection: close`, so stop at the end of the headers.
    let (mut answer, mut chunk) = (Vec::new(), [0_u8; 512]);
    while !answer.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(read) => answer.extend_from_slice(&chunk[..read]),
        }
    }
}

/// A WebDriver session in a fresh headless Chromium profile.
pub struct Browser {
    pub client: Client,
    /// Where Tandem listens, like `http://127.0.0.1:41234`.
    pub base: String,
    // Field order is drop order: the session handle first, then the driver, then the profile dir
    // the browser was writing to.
    _driver: Driver,
    _profile: tempfile::TempDir,
}

/// The first executable of this name on PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| candidate.is_file())
}

fn free_port() -> u16 {
    // The port is free when we look; chromedriver binds it a moment later (good enough on a test box).
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free local port");
    listener.local_addr().expect("a bound address").port()
}

impl Browser {
    /// Starts chromedriver and opens a session in headless Chromium, pointed at Tandem at `base`.
    pub async fn start(base: &str, width: u32, height: u32) -> Browser {
        let chromedriver =
            on_path("chromedriver").unwrap_or_else(|| panic!("`chromedriver` is not on PATH: {MISSING}"));
        let chromium = on_path("chromium").unwrap_or_else(|| panic!("`chromium` is not on PATH: {MISSING}"));
        let port = free_port();
        let child = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("starting {}: {error}; {MISSING}", chromedriver.display()));
        let mut driver = Driver { child, port, session: None };
        let profile = tempfile::tempdir().expect("a temp dir for the browser profile");
        let capabilities = capabilities(&chromium, &profile, width, height);
        let url = format!("http://127.0.0.1:{port}");
        // chromedriver needs a moment to listen, and Chromium a moment to start: retry for a while.
        let started = Instant::now();
        let client = loop {
            let connector = HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(capabilities.clone()).connect(&url).await {
                Ok(client) => break client,
                // Not listening yet: wait a little. Any other answer (Chromium would not start) is final.
                Err(NewSessionError::Failed(_) | NewSessionError::FailedC(_) | NewSessionError::Lost(_))
                    if started.elapsed() < Duration::from_secs(20) =>
                {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => panic!(
                    "no WebDriver session from {} driving {}: {error:?}; {MISSING}",
                    chromedriver.display(),
                    chromium.display()
                ),
            }
        };
        driver.session = client.session_id().await.expect("the session id");
        Browser { client, base: base.to_owned(), _driver: driver, _profile: profile }
    }
}

/// `goog:chromeOptions` with the flags known to work here as root in a container: no sandbox (root),
/// no GPU, no /dev/shm (small in containers), nothing phoning home, a fresh profile.
fn capabilities(
    chromium: &std::path::Path,
    profile: &tempfile::TempDir,
    width: u32,
    height: u32,
) -> Map<String, Value> {
    let args = [
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-quic".to_owned(),
        format!("--window-size={width},{height}"),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    let options = json!({"binary": chromium.display().to_string(), "args": args});
    let mut capabilities = Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), options);
    capabilities
}
