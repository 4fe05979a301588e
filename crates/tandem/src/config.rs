//! Configuration, in layers: built-in defaults, then `tandem.toml`, then `TANDEM_*` environment
//! variables (`__` separates nested keys: `TANDEM_LIMITS__MAX_UPLOAD_BYTES`), then command-line
//! flags. Unknown or invalid settings stop start-up with a message that names the setting.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use tandem_app::mail::{ImapAccount, OutboundSettings, SmtpAccount, SmtpSecurity};

/// Every setting of a Tandem node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address and port the web server listens on.
    pub listen: SocketAddr,
    /// Directory for Tandem's own files; the default SQLite database lives here.
    pub data_dir: PathBuf,
    /// Database URL: `sqlite://PATH` or `postgres://USER@HOST:PORT/DB`. Empty: SQLite in `data_dir`.
    pub database_url: String,
    /// Log filter, in `tracing` env-filter syntax (`info`, `tandem=debug,sqlx=warn`).
    pub log: String,
    /// `text` for people, `json` for log collectors.
    pub log_format: LogFormat,
    pub limits: LimitsConfig,
    pub database: DatabaseConfig,
    pub mail: MailConfig,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Largest JSON request body, in bytes.
    pub max_body_bytes: usize,
    /// Largest attachment, in bytes.
    pub max_upload_bytes: usize,
    /// Largest page a list returns.
    pub max_page_size: u32,
    /// Largest message body, in characters.
    pub max_message_chars: usize,
    /// API requests in progress at once on this node; more are answered 503 (retry shortly).
    pub max_concurrent_requests: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// Connections this node keeps to PostgreSQL (keep nodes × this below the server's max_connections).
    pub pg_max_connections: u32,
    /// Read-only SQLite connections beside the single writer.
    pub sqlite_readers: u32,
}

/// Email in (IMAP folders `tandem serve` polls, each delivering into a Tandem mailbox) and out
/// (the SMTP server replies, acknowledgements and notifications go through).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// Seconds between two polling rounds of every IMAP account.
    pub poll_seconds: u64,
    /// `[[mail.imap]]` tables: mailbox, host, port, security ("tls" or "plain"), username,
    /// password, and optionally folder (INBOX) and ca_file (a PEM CA to trust).
    pub imap: Vec<ImapAccount>,
    /// Where people reach Tandem, for links in emails; empty: `http://` + `listen`.
    pub public_url: String,
    /// Confirm each new request to its requester by email.
    pub acknowledge: bool,
    /// Sender address for teams without a mailbox; empty: such teams send no email.
    pub from: String,
    /// The SMTP server; an empty host sends no email at all.
    pub smtp: SmtpAccount,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            poll_seconds: 60,
            imap: Vec::new(),
            public_url: String::new(),
            acknowledge: true,
            from: String::new(),
            smtp: SmtpAccount {
                host: String::new(),
                port: 587,
                security: SmtpSecurity::Starttls,
                username: String::new(),
                password: String::new(),
                ca_file: std::path::PathBuf::new(),
            },
        }
    }
}

impl Config {
    /// What shapes outgoing email, when an SMTP server is set.
    pub fn outbound_settings(&self) -> Option<OutboundSettings> {
        if self.mail.smtp.host.is_empty() {
            return None;
        }
        let public_url = if self.mail.public_url.is_empty() {
            format!("http://{}", self.listen)
        } else {
            self.mail.public_url.clone()
        };
        let from = Some(self.mail.from.clone()).filter(|from| !from.is_empty());
        Some(OutboundSettings { public_url, acknowledge: self.mail.acknowledge, from })
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("tandem-data"),
            database_url: String::new(),
            log: "info,sqlx=warn".to_owned(),
            log_format: LogFormat::Text,
            limits: LimitsConfig::default(),
            database: DatabaseConfig::default(),
            mail: MailConfig::default(),
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 10 * 1024 * 1024,
            max_page_size: 100,
            max_message_chars: 100_000,
            max_concurrent_requests: 128,
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig { pg_max_connections: 16, sqlite_readers: 4 }
    }
}

impl Config {
    /// The database URL to use: the configured one, or SQLite in the data directory.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("tandem.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// Loads defaults ← file ← environment. `file` is the explicit `--config`; without it,
    /// `./tandem.toml` is read when present.
    pub fn load(file: Option<&Path>, env: impl Iterator<Item = (String, String)>) -> anyhow::Result<Config> {
        let mut table = toml::Table::try_from(Config::default()).context("encoding the defaults")?;
        let default_file = Path::new("tandem.toml");
        let file = file.or_else(|| default_file.exists().then_some(default_file));
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let from_file: toml::Table =
                text.parse().with_context(|| format!("{} is not valid TOML", path.display()))?;
            merge(&mut table, from_file, &format!("{}", path.display()))?;
        }
        for (name, value) in env {
            let Some(key) = name.strip_prefix(ENV_PREFIX) else { continue };
            if NOT_SETTINGS.contains(&key) {
                continue;
            }
            set_from_env(&mut table, &name, key, &value)?;
        }
        serde_path_to_error::deserialize(table).map_err(|error| {
            let setting = error.path().to_string();
            anyhow::anyhow!("invalid setting `{setting}`: {}", error.into_inner())
        })
    }

    /// The documented example configuration (`tandem default-config`).
    pub fn example() -> String {
        let defaults = toml::to_string_pretty(&Config::default()).unwrap_or_default();
        format!("{EXAMPLE_HEADER}{defaults}")
    }
}

const ENV_PREFIX: &str = "TANDEM_";
/// Variables with our prefix that are not settings: the config file's path itself.
const NOT_SETTINGS: &[&str] = &["CONFIG"];

const EXAMPLE_HEADER: &str = "\
# Tandem configuration. Every setting can also be given as an environment variable:
# TANDEM_<NAME>, with `__` between nested names (TANDEM_LIMITS__MAX_UPLOAD_BYTES=20971520).
# Command-line flags (--listen, --data-dir, --database-url) win over both.
#
# listen: address and port of the web server.
# data_dir: directory for Tandem's files; the default SQLite database lives here.
# database_url: sqlite://PATH or postgres://USER@HOST:PORT/DB; empty means SQLite in data_dir.
# log: tracing filter, e.g. \"info,sqlx=warn\". log_format: text or json.
# [limits]: request body, upload, page size and concurrent request limits. [database]: pool sizes.
# [mail]: poll_seconds between IMAP rounds; each [[mail.imap]] table fetches one folder into a
# mailbox: mailbox = \"care\", host, port, security = \"tls\" or \"plain\", username, password,
# optional folder = \"INBOX\" and ca_file. Email goes out through [mail.smtp] once its host is set:
# port, security = \"starttls\", \"tls\" or \"plain\", username, password (better in
# TANDEM_MAIL__SMTP__PASSWORD), optional ca_file; public_url for the links in emails, acknowledge
# (confirm new requests), from (sender of teams without a mailbox). See docs/email.md.

";

/// Overlays `from` onto `into`, refusing keys the defaults do not have.
fn merge(into: &mut toml::Table, from: toml::Table, source: &str) -> anyhow::Result<()> {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (None, _) => bail!("unknown setting `{key}` in {source} (see `tandem default-config`)"),
            (Some(toml::Value::Table(inner)), toml::Value::Table(value)) => merge(inner, value, source)?,
            (Some(slot), value) => *slot = value,
        }
    }
    Ok(())
}

/// Sets one setting from `TANDEM_A__B=value`; numbers and booleans are typed, the rest strings.
fn set_from_env(table: &mut toml::Table, name: &str, key: &str, raw: &str) -> anyhow::Result<()> {
    let path: Vec<String> = key.split("__").map(str::to_lowercase).collect();
    let (last, parents) = path.split_last().context("empty setting name")?;
    let mut slot = &mut *table;
    for parent in parents {
        slot = match slot.get_mut(parent) {
            Some(toml::Value::Table(inner)) => inner,
            _ => bail!("unknown setting {name} (see `tandem default-config`)"),
        };
    }
    let Some(current) = slot.get(last) else { bail!("unknown setting {name} (see `tandem default-config`)") };
    let value = match current {
        toml::Value::Integer(_) => raw
            .trim()
            .parse::<i64>()
            .map(toml::Value::Integer)
            .with_context(|| format!("{name} must be a whole number"))?,
        toml::Value::Boolean(_) => raw
            .trim()
            .parse::<bool>()
            .map(toml::Value::Boolean)
            .with_context(|| format!("{name} must be true or false"))?,
        toml::Value::Table(_) => bail!("{name} names a group of settings; set one of its keys with __"),
        _ => toml::Value::String(raw.to_owned()),
    };
    slot.insert(last.clone(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(env: &[(&str, &str)]) -> anyhow::Result<Config> {
        Config::load(None, env.iter().map(|(name, value)| (name.to_string(), value.to_string())))
    }

    #[test]
    fn zero_config_works() {
        let config = load(&[]).unwrap();
        assert_eq!(config, Config::default());
        assert_eq!(config.database_url(), "sqlite://tandem-data/tandem.db");
    }

    #[test]
    fn environment_overrides_defaults() {
        let config = load(&[
            ("TANDEM_LISTEN", "0.0.0.0:9000"),
            ("TANDEM_DATABASE_URL", "postgres://root@127.0.0.1/test"),
            ("TANDEM_LIMITS__MAX_UPLOAD_BYTES", "42"),
            ("PATH", "/bin"),
        ])
        .unwrap();
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.database_url(), "postgres://root@127.0.0.1/test");
        assert_eq!(config.limits.max_upload_bytes, 42);
    }

    #[test]
    fn unknown_and_invalid_settings_are_named() {
        let error = load(&[("TANDEM_LISTN", "x")]).unwrap_err().to_string();
        assert!(error.contains("TANDEM_LISTN"), "{error}");
        let error = load(&[("TANDEM_LIMITS__MAX_UPLOAD_BYTES", "lots")]).unwrap_err().to_string();
        assert!(error.contains("TANDEM_LIMITS__MAX_UPLOAD_BYTES"), "{error}");
        let error = load(&[("TANDEM_LISTEN", "not an address")]).unwrap_err().to_string();
        assert!(error.contains("listen"), "{error}");
        let error = load(&[("TANDEM_LOG_FORMAT", "xml")]).unwrap_err().to_string();
        assert!(error.contains("log_format"), "{error}");
    }

    #[test]
    fn files_are_layered_and_checked() {
        let dir = std::env::temp_dir().join(format!("tandem-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("tandem.toml");
        std::fs::write(&file, "log = \"debug\"\n[limits]\nmax_page_size = 50\n").unwrap();
        let config = Config::load(Some(&file), std::iter::once(("TANDEM_LOG".to_owned(), "warn".to_owned()))).unwrap();
        assert_eq!(config.limits.max_page_size, 50);
        assert_eq!(config.log, "warn", "the environment wins over the file");
        std::fs::write(&file, "[limits]\nmax_pages = 50\n").unwrap();
        let error = Config::load(Some(&file), std::iter::empty()).unwrap_err().to_string();
        assert!(error.contains("max_pages"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn imap_accounts_come_from_the_file() {
        let dir = std::env::temp_dir().join(format!("tandem-config-imap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("tandem.toml");
        let account = "[mail]\npoll_seconds = 5\n[[mail.imap]]\nmailbox = \"care\"\nhost = \"imap.example.com\"\n\
            port = 993\nsecurity = \"tls\"\nusername = \"care\"\npassword = \"s3cret\"\n";
        std::fs::write(&file, account).unwrap();
        let config = Config::load(Some(&file), std::iter::empty()).unwrap();
        assert_eq!(config.mail.poll_seconds, 5);
        let imap = &config.mail.imap[0];
        assert_eq!((imap.mailbox.as_str(), imap.port, imap.folder.as_str()), ("care", 993, "INBOX"));
        std::fs::write(&file, account.replace("tls", "starttls")).unwrap();
        let error = Config::load(Some(&file), std::iter::empty()).unwrap_err().to_string();
        assert!(error.contains("security"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_committed_example_is_what_the_code_generates() {
        let committed = include_str!("../../../tandem.example.toml");
        assert_eq!(committed, Config::example(), "run `tandem default-config > tandem.example.toml`");
        let parsed: Config = toml::from_str(committed).unwrap();
        assert_eq!(parsed, Config::default());
    }
}
