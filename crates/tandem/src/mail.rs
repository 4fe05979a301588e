//! Email in, from the binary's side: `tandem mail ingest` takes one raw message from standard
//! input, the way an MTA's pipe transport delivers (Postfix `pipe`, Exim `pipe`, procmail); and
//! `tandem serve` polls the configured IMAP accounts ([`fetch_loop`]).

use std::io::Read;
use std::time::Duration;

use anyhow::Context;
use tandem_app::App;
use tokio::sync::watch;

use crate::cli::{now, open};
use crate::config::{Config, MailConfig};

/// The exit status MTAs read as "try again later" (sysexits.h `EX_TEMPFAIL`): nothing was stored,
/// so the message must stay queued at the MTA, not bounce back to its sender.
const EX_TEMPFAIL: i32 = 75;

pub async fn ingest_stdin(config: &Config, mailbox: &str) -> anyhow::Result<()> {
    let mut raw = Vec::new();
    std::io::stdin().lock().read_to_end(&mut raw).context("reading the message from standard input")?;
    let app = match open(config).await {
        Ok(app) => app,
        Err(error) => temporary_failure(&error),
    };
    let ingested = app.ingest_email(mailbox, &raw, now()).await;
    app.close().await;
    match ingested {
        Ok(ingested) => {
            println!("{}", serde_json::to_string(&ingested)?);
            Ok(())
        }
        Err(tandem_app::AppError::NotFound(what)) => anyhow::bail!("no such {what}: `{mailbox}`"),
        Err(error) => temporary_failure(&error),
    }
}

/// Nothing was stored (the database is unreachable, or failed): tell the MTA to keep the message.
fn temporary_failure(error: &dyn std::fmt::Display) -> ! {
    eprintln!("tandem: the message was not stored, try again later: {error:#}");
    std::process::exit(EX_TEMPFAIL)
}

/// Longest one account's round may take before it is abandoned (the server stopped answering);
/// what it stored stays stored, what it had not acknowledged is fetched again next round.
const ROUND_TIMEOUT: Duration = Duration::from_secs(300);

/// Polls every IMAP account each `poll_seconds` until `stopped` turns true. One account's failure
/// is logged and never stops the others. Several nodes may poll the same account: ingestion is
/// exactly-once in the database, so the worst case is a message fetched twice, stored once.
pub async fn fetch_loop(app: App, mail: MailConfig, mut stopped: watch::Receiver<bool>) {
    if mail.imap.is_empty() {
        return;
    }
    let mut tick = tokio::time::interval(Duration::from_secs(mail.poll_seconds.max(1)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stopped.changed() => return,
        }
        for account in &mail.imap {
            match tokio::time::timeout(ROUND_TIMEOUT, app.fetch_imap(account, now)).await {
                Ok(Ok(report)) if report.taken > 0 => tracing::info!(
                    mailbox.name = %account.mailbox, mail.taken = report.taken, mail.new = report.new,
                    "fetched {} messages for mailbox {}", report.taken, account.mailbox
                ),
                Ok(Ok(_)) => {}
                Ok(Err(error)) => {
                    tracing::warn!(mailbox.name = %account.mailbox, "IMAP round for mailbox {} failed: {error}", account.mailbox)
                }
                Err(_) => {
                    tracing::warn!(mailbox.name = %account.mailbox, "IMAP round for mailbox {} timed out", account.mailbox)
                }
            }
        }
    }
}
