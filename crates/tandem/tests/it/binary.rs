//! The real `tandem` binary, as a newcomer runs it: `serve --demo` on a fresh data directory
//! (SQLite) or a fresh PostgreSQL schema, walked over real HTTP; the command line beside a
//! running server; start-up refusing bad configuration; a SIGKILL losing nothing acknowledged.

use std::process::Stdio;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::*;

const BINARY: &str = env!("CARGO_BIN_EXE_tandem");

/// A running `tandem serve`, killed when dropped.
struct Server {
    child: Child,
    base: String,
    http: Client<HttpConnector, Full<axum::body::Bytes>>,
}

impl Server {
    /// Starts `tandem serve --demo` on a free port and waits for its banner.
    async fn start(data_dir: &std::path::Path, database_url: Option<&str>) -> Server {
        Self::start_with(data_dir, database_url, &[]).await
    }

    async fn start_with(data_dir: &std::path::Path, database_url: Option<&str>, env: &[(&str, &str)]) -> Server {
        let mut command = Command::new(BINARY);
        command.envs(env.iter().copied());
        command.args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir"]).arg(data_dir);
        if let Some(url) = database_url {
            command.args(["--database-url", url]);
        }
        let mut child =
            command.stdout(Stdio::piped()).stderr(Stdio::null()).kill_on_drop(true).spawn().expect("starting tandem");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let banner = tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                let line =
                    lines.next_line().await.expect("reading the banner").expect("tandem exited before listening");
                if let Some(rest) = line.strip_prefix("Tandem is listening on ") {
                    return rest.split_whitespace().next().unwrap_or_default().to_owned();
                }
            }
        })
        .await
        .expect("tandem printed where it listens within a minute");
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Server { child, base: banner, http: Client::builder(TokioExecutor::new()).build_http() }
    }

    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let mut request = axum::http::Request::builder().method(method).uri(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let payload = match body {
            Some(body) => {
                request = request.header("content-type", "application/json");
                Full::from(body.to_string())
            }
            None => Full::default(),
        };
        let response = self.http.request(request.body(payload).expect("a request")).await.expect("tandem answers");
        let status = response.status().as_u16();
        let bytes = response.into_body().collect().await.expect("a body").to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    /// Signs in with a demo account's password, as a person would.
    async fn sign_in(&self, email: &str) -> String {
        let (status, session) =
            self.call("POST", "/api/v1/sessions", None, Some(json!({"email": email, "password": "demo"}))).await;
        assert_eq!(status, 201, "{email} signs in: {session}");
        session["token"].as_str().expect("a token").to_owned()
    }

    fn kill(&mut self) {
        self.child.start_kill().expect("SIGKILL");
    }
}

async fn walk(server: &Server) {
    assert_eq!(server.call("GET", "/healthz", None, None).await.0, 200);
    let bea = server.sign_in("bea@harbor.example").await;
    let erin = server.sign_in("erin@example.com").await;
    let casey = server.sign_in("casey@harbor.example").await;

    let till = json!({"subject": "Till 1 is dead", "body": "No power at Old Town.", "service": "till-or-laptop",
        "fields": {"device": "Till", "store": "Old Town"}});
    let (status, created) = server.call("POST", "/api/v1/tickets", Some(&bea), Some(till)).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["ticket"]["team"]["slug"], "it");

    let order = json!({"subject": "Wrong grind", "body": "I asked for whole beans.", "service": "order-problem",
        "fields": {"order_number": "HB-20001"}});
    let (status, created) = server.call("POST", "/api/v1/tickets", Some(&erin), Some(order)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["ticket"]["id"].as_i64().expect("an id");
    let messages = format!("/api/v1/tickets/{id}/messages");
    let (status, _) =
        server.call("POST", &messages, Some(&casey), Some(json!({"body": "Whole beans are on the way."}))).await;
    assert_eq!(status, 201);
    let note = json!({"body": "Grinder setting was wrong in the warehouse.", "visibility": "internal"});
    assert_eq!(server.call("POST", &messages, Some(&casey), Some(note)).await.0, 201);

    let (status, seen) = server.call("GET", &format!("/api/v1/tickets/{id}"), Some(&erin), None).await;
    assert_eq!(status, 200);
    let text = seen.to_string();
    assert!(text.contains("Whole beans are on the way."), "{text}");
    assert!(!text.contains("Grinder setting"), "Erin must not see the note: {text}");
    let (_, services) = server.call("GET", "/api/v1/services", Some(&erin), None).await;
    assert!(!services.to_string().contains("till-or-laptop"), "{services}");
    assert_eq!(server.call("GET", "/api/v1/services/till-or-laptop", Some(&erin), None).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_demo_on_sqlite_is_walked_like_a_newcomer() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let server = Server::start(dir.path(), None).await;
    walk(&server).await;
    assert!(dir.path().join("tandem.db").exists(), "SQLite lives in the data directory");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_demo_on_postgres_is_walked_like_a_newcomer() {
    let db = tandem_testkit::TestDb::new(TestBackend::Postgres).await;
    let url = format!("{}?options[search_path]={}", db.url, db.schema.as_deref().expect("a schema"));
    let dir = tempfile::tempdir().expect("a temp dir");
    let server = Server::start(dir.path(), Some(&url)).await;
    walk(&server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_works_beside_a_running_server_and_a_kill_loses_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut server = Server::start(dir.path(), None).await;
    let output = Command::new(BINARY)
        .args(["token", "create", "--email", "olga@bayside.example", "--data-dir"])
        .arg(dir.path())
        .output()
        .await
        .expect("running tandem token create");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let token = String::from_utf8(output.stdout).expect("utf-8").trim().to_owned();
    assert!(token.starts_with("tdm_"), "{token}");
    let (status, me) = server.call("GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!((status, me["email"].as_str()), (200, Some("olga@bayside.example")));

    let request =
        json!({"subject": "Acknowledged before the crash", "body": "Please keep me.", "service": "product-question"});
    let (status, created) = server.call("POST", "/api/v1/tickets", Some(&token), Some(request)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["ticket"]["id"].as_i64().expect("an id");
    server.kill();
    let _ = server.child.wait().await;

    let restarted = Server::start(dir.path(), None).await;
    let (status, ticket) = restarted.call("GET", &format!("/api/v1/tickets/{id}"), Some(&token), None).await;
    assert_eq!(status, 200, "the acknowledged ticket survived SIGKILL: {ticket}");
    assert_eq!(ticket["messages"][0]["body"], "Please keep me.");
}

#[tokio::test]
async fn bad_configuration_stops_start_up_naming_the_setting() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let run = |env: (&'static str, &'static str)| {
        let mut command = Command::new(BINARY);
        command.args(["serve", "--listen", "127.0.0.1:0", "--data-dir"]).arg(dir.path()).env(env.0, env.1);
        command
    };
    for (variable, value, expected) in [
        ("TANDEM_LISTN", "127.0.0.1:1", "TANDEM_LISTN"),
        ("TANDEM_LIMITS__MAX_UPLOAD_BYTES", "lots", "TANDEM_LIMITS__MAX_UPLOAD_BYTES"),
        ("TANDEM_DATABASE_URL", "mysql://localhost/x", "sqlite:// or postgres://"),
    ] {
        let output = run((variable, value)).output().await.expect("running tandem");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{variable}={value} must stop start-up");
        assert!(stderr.contains(expected), "{variable}: {stderr}");
    }
    let help = Command::new(BINARY).arg("--help").output().await.expect("tandem --help");
    let help = String::from_utf8_lossy(&help.stdout);
    for command in ["serve", "migrate", "demo", "token", "admin", "default-config", "check-config"] {
        assert!(help.contains(command), "--help mentions {command}: {help}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_its_request_limit_a_node_sheds_load_and_recovers() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let server = Server::start_with(dir.path(), None, &[("TANDEM_LIMITS__MAX_CONCURRENT_REQUESTS", "1")]).await;
    let token = server.sign_in("casey@harbor.example").await;
    let mut server = server;
    // A client that opens a connection per request, so the 64 requests truly arrive together.
    server.http = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(0).build_http();
    let server = std::sync::Arc::new(server);
    let calls = (0..64).map(|_| {
        let (server, token) = (server.clone(), token.clone());
        tokio::spawn(async move { server.call("GET", "/api/v1/tickets?limit=100", Some(&token), None).await })
    });
    let calls: Vec<_> = calls.collect(); // spawn them all before awaiting any
    let mut statuses = Vec::new();
    for call in calls {
        let (status, body) = call.await.expect("a finished request");
        assert!(status == 200 || (status == 503 && body["error"]["code"] == "overloaded"), "{status}: {body}");
        statuses.push(status);
    }
    assert!(statuses.contains(&503), "64 requests at once past a limit of 1 shed some: {statuses:?}");
    assert!(statuses.contains(&200), "and serve the others: {statuses:?}");
    assert_eq!(server.call("GET", "/healthz", None, None).await.0, 200, "health is never shed");
    assert_eq!(server.call("GET", "/api/v1/me", Some(&token), None).await.0, 200, "it recovers at once");
}

/// `tandem serve` configured with an SMTP server sends through it from its own worker: the
/// acknowledgement of Erin's request and Casey's reply, and nothing for the demo's history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_with_smtp_emails_the_acknowledgement_and_the_reply() {
    let sink = super::mail::smtp_sink::SmtpSink::start();
    let dir = tempfile::tempdir().unwrap();
    let port = sink.port.to_string();
    let env = [
        ("TANDEM_MAIL__SMTP__HOST", "127.0.0.1"),
        ("TANDEM_MAIL__SMTP__PORT", port.as_str()),
        ("TANDEM_MAIL__SMTP__SECURITY", "plain"),
        ("TANDEM_MAIL__PUBLIC_URL", "http://help.harbor.example"),
    ];
    let server = Server::start_with(dir.path(), None, &env).await;
    let erin = server.sign_in("erin@example.com").await;
    let casey = server.sign_in("casey@harbor.example").await;
    let order = json!({"subject": "Wrong grind", "body": "I asked for whole beans.", "service": "order-problem",
        "fields": {"order_number": "HB-20001"}});
    let (status, created) = server.call("POST", "/api/v1/tickets", Some(&erin), Some(order)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["ticket"]["id"].as_i64().expect("an id");
    let messages = format!("/api/v1/tickets/{id}/messages");
    let reply = json!({"body": "Whole beans are on the way."});
    assert_eq!(server.call("POST", &messages, Some(&casey), Some(reply)).await.0, 201);
    let note = json!({"body": "Grinder setting was wrong.", "visibility": "internal"});
    assert_eq!(server.call("POST", &messages, Some(&casey), Some(note)).await.0, 201);

    let mut delivered = Vec::new();
    for _ in 0..150 {
        delivered = sink.delivered();
        if delivered.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let subjects: Vec<String> = delivered.iter().map(|email| email.header("Subject").unwrap_or_default()).collect();
    assert_eq!(
        subjects,
        vec![format!("Received: Wrong grind [#{id}]"), format!("Re: Wrong grind [#{id}]")],
        "the acknowledgement, then the reply; nothing for the demo's history or the note"
    );
    let reply = delivered[1].parsed();
    assert!(reply.text.contains("Whole beans are on the way."));
    assert!(reply.text.contains(&format!("http://help.harbor.example/portal/requests/{id}")));
    assert_eq!(delivered[1].envelope_to, vec!["erin@example.com".to_owned()]);
    // Still only those two a moment later: nothing else was queued.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sink.delivered().len(), 2);
}
