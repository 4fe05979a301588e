//! The command line: parse, load the configuration, open the database, run one command.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use tandem_app::{App, Limits};
use tandem_store::{ConnectOptions, Store};

use crate::config::{Config, LogFormat};

/// Tandem: one service desk for external customers and for the teams inside the organization.
#[derive(Debug, Parser)]
#[command(name = "tandem", version)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
struct GlobalArgs {
    /// Configuration file [default: ./tandem.toml when it exists]
    #[arg(long, global = true, env = "TANDEM_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Directory for Tandem's files, including the default SQLite database [default: ./tandem-data]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL, sqlite://PATH or postgres://USER@HOST:PORT/DB (also TANDEM_DATABASE_URL)
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run Tandem: the web server and REST API, on the configured database (migrated first).
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long, value_name = "ADDR")]
        listen: Option<SocketAddr>,
        /// Load the Harbor Coffee demo organization if the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Run background jobs only (no web server), beside or instead of the ones `serve` runs.
    Worker,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the Harbor Coffee demo organization into an empty database.
    Demo,
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage admins.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Email: receive messages into a mailbox.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Print the documented default configuration (a tandem.toml to start from).
    DefaultConfig,
    /// Load the configuration, report what it resolves to, and exit non-zero if it is invalid.
    CheckConfig,
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Print a new API token for the person with this email.
    Create {
        #[arg(long)]
        email: String,
        /// A label to recognize the token by.
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum MailCommand {
    /// Ingest one raw message (RFC 5322) from standard input, as an MTA's pipe delivers it. Prints
    /// the outcome as JSON; exits 75 (temporary failure) when nothing could be stored.
    Ingest {
        /// The mailbox's name (`care`), as listed by GET /api/v1/mailboxes.
        #[arg(long)]
        mailbox: String,
    },
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Create an admin (the first person of a fresh desk).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Read a password from the first line of standard input (otherwise: token sign-in only).
        #[arg(long)]
        password_stdin: bool,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config = Config::load(cli.global.config.as_deref(), std::env::vars())?;
    if let Some(data_dir) = cli.global.data_dir {
        config.data_dir = data_dir;
    }
    if let Some(url) = cli.global.database_url {
        config.database_url = url;
    }
    if let Command::Serve { listen: Some(listen), .. } = &cli.command {
        config.listen = *listen;
    }
    match cli.command {
        Command::DefaultConfig => {
            print!("{}", Config::example());
            Ok(())
        }
        Command::CheckConfig => {
            println!("configuration is valid\n\n{}", toml::to_string_pretty(&redacted(&config))?);
            Ok(())
        }
        Command::Serve { demo, .. } => {
            init_tracing(&config);
            let app = open(&config).await?;
            crate::serve::serve(app, &config, demo).await
        }
        Command::Worker => {
            init_tracing(&config);
            let app = open(&config).await?;
            crate::serve::worker(app).await
        }
        Command::Migrate => {
            open(&config).await?.close().await;
            println!("database is up to date");
            Ok(())
        }
        Command::Demo => {
            let app = open(&config).await?;
            anyhow::ensure!(
                app.is_empty().await?,
                "the database already has people in it; the demo loads only into an empty one"
            );
            tandem_app::seed::load_demo(&app, now()).await?;
            app.close().await;
            println!("demo organization loaded");
            Ok(())
        }
        Command::Token(TokenCommand::Create { email, name }) => {
            let app = open(&config).await?;
            let token = app.create_api_token(&email, &name, now()).await?;
            app.close().await;
            println!("{token}");
            Ok(())
        }
        Command::Mail(MailCommand::Ingest { mailbox }) => crate::mail::ingest_stdin(&config, &mailbox).await,
        Command::Admin(AdminCommand::Create { email, name, password_stdin }) => {
            let password = if password_stdin { Some(read_line()?) } else { None };
            let app = open(&config).await?;
            let admin = app.create_admin(&email, &name, password, now()).await?;
            app.close().await;
            println!("admin {} created (person {})", admin.name, admin.person_id);
            Ok(())
        }
    }
}

/// Connects to the configured database (creating the data directory for SQLite) and migrates.
pub async fn open(config: &Config) -> anyhow::Result<App> {
    let url = config.database_url();
    if url.starts_with("sqlite:") && config.database_url.is_empty() {
        std::fs::create_dir_all(&config.data_dir).with_context(|| format!("creating {}", config.data_dir.display()))?;
    }
    let options = ConnectOptions {
        url,
        pg_max_connections: config.database.pg_max_connections,
        sqlite_readers: config.database.sqlite_readers,
        pg_schema: None,
    };
    let store = Store::connect(&options).await.context("connecting to the database")?;
    store.migrate().await?;
    let limits = Limits {
        max_page_size: config.limits.max_page_size,
        max_upload_bytes: config.limits.max_upload_bytes,
        max_body_chars: config.limits.max_message_chars,
    };
    let app = App::new(store, limits);
    Ok(match config.outbound_settings() {
        Some(settings) => {
            let sender = tandem_app::mail::SmtpSender::new(&config.mail.smtp).context("setting up [mail.smtp]")?;
            app.with_outbound(tandem_app::mail::Outbound { sender, settings })
        }
        None => app,
    })
}

pub fn now() -> tandem_app::Millis {
    jiff::Timestamp::now().as_millisecond()
}

fn read_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// The configuration with any password in the database URL hidden.
fn redacted(config: &Config) -> Config {
    let mut shown = config.clone();
    if let Some((scheme, rest)) = shown.database_url.split_once("://")
        && let Some((credentials, host)) = rest.split_once('@')
        && let Some((user, _password)) = credentials.split_once(':')
    {
        shown.database_url = format!("{scheme}://{user}:***@{host}");
    }
    for account in &mut shown.mail.imap {
        account.password = "***".to_owned();
    }
    if !shown.mail.smtp.password.is_empty() {
        shown.mail.smtp.password = "***".to_owned();
    }
    shown
}

fn init_tracing(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
