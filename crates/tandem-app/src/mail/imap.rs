//! Fetching a mailbox over IMAP: TLS (public roots, or a private CA file for a self-signed
//! server), or plain for a server on the same machine. One call is one polling round: log in,
//! find the messages not yet taken, and for each one fetch it, ingest it, and only then mark it
//! with the keyword [`INGESTED_KEYWORD`]. A crash between the two leaves the message unmarked; the
//! next round fetches it again and ingestion answers "repeated", so nothing is lost or doubled.
//! Messages stay in the folder (people may read the mailbox too); the keyword is the receipt.

use std::fmt::Debug;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_imap::{Client, Session};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tandem_domain::Millis;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

use crate::{App, AppError};

/// The IMAP keyword a message gets once it is stored in Tandem.
pub const INGESTED_KEYWORD: &str = "$TandemIngested";
/// Messages taken per round, so one round stays short and a huge backlog drains over several.
const MAX_PER_ROUND: usize = 100;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// One IMAP folder that feeds a Tandem mailbox (`[[mail.imap]]` in tandem.toml).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImapAccount {
    /// The Tandem mailbox (its name) the messages are delivered to.
    pub mailbox: String,
    pub host: String,
    pub port: u16,
    pub security: ImapSecurity,
    pub username: String,
    pub password: String,
    #[serde(default = "inbox")]
    pub folder: String,
    /// A PEM file of the CA to trust instead of the public roots (a server with its own CA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<PathBuf>,
}

fn inbox() -> String {
    "INBOX".to_owned()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImapSecurity {
    /// TLS from the first byte (port 993).
    Tls,
    /// No encryption: only for a server on the same machine or a trusted network.
    Plain,
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FetchReport {
    /// Messages fetched, stored and acknowledged.
    pub taken: usize,
    /// Of those, the ones the mailbox did not have yet.
    pub new: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("IMAP server {0}")]
    Server(String),
    /// The message stays unacknowledged on the server and is fetched again next round.
    #[error("storing a fetched message: {0}")]
    Store(AppError),
}

fn server(context: &str) -> impl FnOnce(async_imap::error::Error) -> FetchError + '_ {
    move |error| FetchError::Server(format!("{context}: {error}"))
}

impl App {
    /// One polling round of an IMAP account; `clock` stamps each message as it is stored.
    pub async fn fetch_imap(
        &self,
        account: &ImapAccount,
        clock: impl Fn() -> Millis,
    ) -> Result<FetchReport, FetchError> {
        let address = (account.host.as_str(), account.port);
        let tcp = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(address))
            .await
            .map_err(|_| FetchError::Server(format!("{}:{} did not answer in time", account.host, account.port)))?
            .map_err(|error| FetchError::Server(format!("connecting to {}:{}: {error}", account.host, account.port)))?;
        match account.security {
            ImapSecurity::Plain => self.fetch_round(Client::new(tcp), account, clock).await,
            ImapSecurity::Tls => {
                let name = ServerName::try_from(account.host.clone())
                    .map_err(|error| FetchError::Server(format!("host name {}: {error}", account.host)))?;
                let tls = tls_connector(account)?
                    .connect(name, tcp)
                    .await
                    .map_err(|error| FetchError::Server(format!("TLS with {}: {error}", account.host)))?;
                self.fetch_round(Client::new(tls), account, clock).await
            }
        }
    }

    async fn fetch_round<T: AsyncRead + AsyncWrite + Unpin + Debug + Send>(
        &self,
        mut client: Client<T>,
        account: &ImapAccount,
        clock: impl Fn() -> Millis,
    ) -> Result<FetchReport, FetchError> {
        client.read_response().await.map_err(|error| FetchError::Server(format!("greeting: {error}")))?;
        let mut session = client
            .login(&account.username, &account.password)
            .await
            .map_err(|(error, _)| FetchError::Server(format!("login as {}: {error}", account.username)))?;
        session.select(&account.folder).await.map_err(server("selecting the folder"))?;
        let query = format!("UNKEYWORD {INGESTED_KEYWORD}");
        let mut uids: Vec<u32> = session.uid_search(&query).await.map_err(server("searching"))?.into_iter().collect();
        uids.sort_unstable();
        uids.truncate(MAX_PER_ROUND);
        let mut report = FetchReport::default();
        for uid in uids {
            let Some(raw) = fetch_message(&mut session, uid).await? else { continue };
            let ingested = self.ingest_email(&account.mailbox, &raw, clock()).await.map_err(FetchError::Store)?;
            acknowledge(&mut session, uid).await?;
            report.taken += 1;
            report.new += usize::from(!ingested.repeated);
        }
        session.logout().await.map_err(server("logging out"))?;
        Ok(report)
    }
}

/// The whole message, without setting `\Seen` (people reading the mailbox still see it as new).
async fn fetch_message<T: AsyncRead + AsyncWrite + Unpin + Debug + Send>(
    session: &mut Session<T>,
    uid: u32,
) -> Result<Option<Vec<u8>>, FetchError> {
    let mut fetches = session.uid_fetch(uid.to_string(), "BODY.PEEK[]").await.map_err(server("fetching"))?;
    let mut raw = None;
    while let Some(fetch) = fetches.next().await {
        let fetch = fetch.map_err(server("fetching"))?;
        if fetch.uid == Some(uid)
            && let Some(body) = fetch.body()
        {
            raw = Some(body.to_vec());
        }
    }
    Ok(raw)
}

async fn acknowledge<T: AsyncRead + AsyncWrite + Unpin + Debug + Send>(
    session: &mut Session<T>,
    uid: u32,
) -> Result<(), FetchError> {
    let flags = format!("+FLAGS.SILENT ({INGESTED_KEYWORD})");
    let mut updates = session.uid_store(uid.to_string(), &flags).await.map_err(server("acknowledging"))?;
    while let Some(update) = updates.next().await {
        update.map_err(server("acknowledging"))?;
    }
    Ok(())
}

/// TLS with ring as the explicit provider: with more than one provider compiled in, rustls
/// cannot pick a process default and panics; naming it here never depends on that.
fn tls_connector(account: &ImapAccount) -> Result<TlsConnector, FetchError> {
    let mut roots = RootCertStore::empty();
    match &account.ca_file {
        Some(path) => {
            let pem = std::fs::read(path)
                .map_err(|error| FetchError::Server(format!("reading CA file {}: {error}", path.display())))?;
            for certificate in CertificateDer::pem_slice_iter(&pem) {
                let certificate =
                    certificate.map_err(|error| FetchError::Server(format!("CA file {}: {error}", path.display())))?;
                roots
                    .add(certificate)
                    .map_err(|error| FetchError::Server(format!("CA file {}: {error}", path.display())))?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let config = ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|error| FetchError::Server(format!("TLS setup: {error}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}
