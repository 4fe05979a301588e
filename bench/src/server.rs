//! The server under test: a real `tandem serve` process on a free loopback port, started and
//! stopped (or killed) by the benchmark, and its memory as the kernel counts it.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::process::{Child, Command};

use crate::client::Client;

/// How to reach the server a command measures: one it starts, or one already running.
#[derive(Clone, Debug, clap::Args)]
pub struct TargetArgs {
    /// The tandem binary to start (on the desk file's database). Ignored with --url.
    #[arg(long, default_value = "target/release/tandem")]
    pub tandem: PathBuf,
    /// Measure a server that is already running instead of starting one.
    #[arg(long, requires = "server_pid")]
    pub url: Option<String>,
    /// The process id of the server at --url, to read its memory.
    #[arg(long)]
    pub server_pid: Option<u32>,
}

/// A server being measured.
pub enum Target {
    Started(Box<Server>),
    Running { client: Client, pid: u32 },
}

impl Target {
    pub async fn open(args: &TargetArgs, database_url: &str) -> anyhow::Result<Target> {
        match (&args.url, args.server_pid) {
            (Some(url), Some(pid)) => Ok(Target::Running { client: Client::new(url), pid }),
            _ => Ok(Target::Started(Box::new(Server::start(&args.tandem, database_url).await?))),
        }
    }

    pub fn client(&self) -> &Client {
        match self {
            Target::Started(server) => &server.client,
            Target::Running { client, .. } => client,
        }
    }

    pub fn pid(&self) -> u32 {
        match self {
            Target::Started(server) => server.pid,
            Target::Running { pid, .. } => *pid,
        }
    }

    /// Stops the server if this run started it.
    pub async fn close(self) -> anyhow::Result<()> {
        match self {
            Target::Started(mut server) => server.stop().await,
            Target::Running { .. } => Ok(()),
        }
    }
}

pub struct Server {
    child: Child,
    pub pid: u32,
    pub client: Client,
    /// From spawning the process until `/healthz` first answered 200.
    pub start_up: Duration,
    log: PathBuf,
}

impl Server {
    /// Starts `tandem serve` on `database_url` and waits until it answers `/healthz`.
    pub async fn start(binary: &Path, database_url: &str) -> anyhow::Result<Server> {
        let binary = std::fs::canonicalize(binary)
            .with_context(|| format!("{} not found: run `cargo build --release -p tandem`", binary.display()))?;
        let port = free_port()?;
        let log = std::env::temp_dir().join(format!("tandem-bench-serve-{port}.log"));
        let output = std::fs::File::create(&log)?;
        let mut command = Command::new(&binary);
        command
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database-url", database_url])
            // Its own directory, so no ./tandem.toml of the caller's is picked up.
            .current_dir(std::env::temp_dir());
        // Tandem reads every TANDEM_* variable as a setting and refuses unknown ones (the bench's own
        // TANDEM_BENCH_* among them): the server gets only the flags above.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("TANDEM_") {
                command.env_remove(name);
            }
        }
        let begun = Instant::now();
        let child = command
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let pid = child.id().context("the server exited at once")?;
        let client = Client::new(&format!("http://127.0.0.1:{port}"));
        let mut server = Server { child, pid, client, start_up: Duration::ZERO, log };
        server.wait_healthy(begun).await?;
        server.start_up = begun.elapsed();
        Ok(server)
    }

    async fn wait_healthy(&mut self, begun: Instant) -> anyhow::Result<()> {
        while begun.elapsed() < Duration::from_secs(120) {
            if let Some(status) = self.child.try_wait()? {
                bail!("tandem serve exited with {status}:\n{}", self.log_tail());
            }
            if self.client.get(None, "/healthz").await.is_ok_and(|answer| answer.status.is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        bail!("tandem serve did not answer /healthz within 120 s:\n{}", self.log_tail())
    }

    /// SIGKILL: the process gets no chance to finish anything.
    pub async fn kill(&mut self) -> anyhow::Result<()> {
        self.child.start_kill()?;
        self.child.wait().await?;
        Ok(())
    }

    /// SIGTERM, then waits for the graceful shutdown (SQLite checkpoints its log on close).
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        let status = Command::new("kill").args(["-TERM", &self.pid.to_string()]).status().await?;
        if !status.success() || tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await.is_err() {
            self.kill().await?;
        }
        Ok(())
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// Resident memory of a process, from /proc/PID/status: now (VmRSS) and at its peak (VmHWM).
#[derive(Clone, Copy, Debug)]
pub struct Memory {
    pub rss_kib: u64,
    pub peak_kib: u64,
}

impl Memory {
    pub fn of(pid: u32) -> anyhow::Result<Memory> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .with_context(|| format!("reading the memory of process {pid}"))?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse::<u64>().ok())
                .with_context(|| format!("no {name} in /proc/{pid}/status"))
        };
        Ok(Memory { rss_kib: field("VmRSS:")?, peak_kib: field("VmHWM:")? })
    }
}

pub fn kib_as_mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}
