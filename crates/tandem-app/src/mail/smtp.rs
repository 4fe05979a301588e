//! Handing an email to the SMTP server (`[mail.smtp]` in tandem.toml): STARTTLS or TLS checked
//! against the public roots or a private CA file, or plain for a server on the same machine. The
//! message goes as the exact bytes the outbox recorded.

use std::path::PathBuf;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde::{Deserialize, Serialize};

/// The SMTP server Tandem sends through.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpAccount {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// Empty: no authentication (a local relay).
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password: String,
    /// A PEM file of the CA to trust instead of the public roots; empty for the public roots.
    #[serde(default)]
    pub ca_file: PathBuf,
}

impl std::fmt::Debug for SmtpAccount {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SmtpAccount")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &"(hidden)")
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a server on the same machine or a trusted network.
    Plain,
}

/// Why a send did not happen: `permanent` when the server refused the message for good (a 5xx
/// answer), so retrying is pointless.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    pub permanent: bool,
}

/// A connection pool to the SMTP server; cheap to clone.
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("SmtpSender")
    }
}

const TIMEOUT: Duration = Duration::from_secs(30);

impl SmtpSender {
    /// Prepares the transport; connections are made on first use. Fails on a CA file that cannot
    /// be read, so a bad setting stops start-up instead of every send.
    pub fn new(account: &SmtpAccount) -> anyhow::Result<SmtpSender> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&account.host)
            .port(account.port)
            .timeout(Some(TIMEOUT));
        if account.security != SmtpSecurity::Plain {
            let mut tls = TlsParameters::builder(account.host.clone());
            if !account.ca_file.as_os_str().is_empty() {
                let path = &account.ca_file;
                let pem = std::fs::read(path)
                    .map_err(|error| anyhow::anyhow!("reading the SMTP CA file {}: {error}", path.display()))?;
                tls = tls.add_root_certificate(Certificate::from_pem(&pem)?);
            }
            let tls = tls.build()?;
            builder = builder.tls(match account.security {
                SmtpSecurity::Tls => Tls::Wrapper(tls),
                _ => Tls::Required(tls),
            });
        }
        if !account.username.is_empty() {
            builder = builder.credentials(Credentials::new(account.username.clone(), account.password.clone()));
        }
        Ok(SmtpSender { transport: builder.build() })
    }

    /// Sends the raw message to `to` (envelope recipients), from `from`.
    pub async fn send(&self, from: &str, to: &[&str], raw: &[u8]) -> Result<(), SendError> {
        let invalid = |what: &str| SendError { message: format!("`{what}` is not an email address"), permanent: true };
        let from: Address = from.parse().map_err(|_| invalid(from))?;
        let to = to.iter().map(|to| to.parse::<Address>().map_err(|_| invalid(to))).collect::<Result<Vec<_>, _>>()?;
        let envelope =
            Envelope::new(Some(from), to).map_err(|error| SendError { message: error.to_string(), permanent: true })?;
        self.transport
            .send_raw(&envelope, raw)
            .await
            .map(|_| ())
            .map_err(|error| SendError { permanent: error.is_permanent(), message: format!("SMTP: {error}") })
    }
}
