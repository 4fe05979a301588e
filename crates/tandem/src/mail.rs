//! `tandem mail ingest`: one raw message from standard input into a mailbox, the way an MTA's
//! pipe transport delivers (Postfix `pipe`, Exim `pipe`, procmail, fetchmail's `--mda`).

use std::io::Read;

use anyhow::Context;

use crate::cli::{now, open};
use crate::config::Config;

/// The exit status MTAs read as "try again later" (sysexits.h `EX_TEMPFAIL`): nothing was stored,
/// so the message must stay queued at the MTA, not bounce back to its sender.
const EX_TEMPFAIL: i32 = 75;

pub async fn ingest_stdin(config: &Config, mailbox: &str) -> anyhow::Result<()> {
    let mut raw = Vec::new();
    std::io::stdin().lock().read_to_end(&mut raw).context("reading the message from standard input")?;
    let app = open(config).await?;
    let ingested = app.ingest_email(mailbox, &raw, now()).await;
    app.close().await;
    match ingested {
        Ok(ingested) => {
            println!("{}", serde_json::to_string(&ingested)?);
            Ok(())
        }
        Err(tandem_app::AppError::NotFound(what)) => anyhow::bail!("no such {what}: `{mailbox}`"),
        Err(error) => {
            eprintln!("tandem: the message was not stored, try again later: {error}");
            std::process::exit(EX_TEMPFAIL)
        }
    }
}
