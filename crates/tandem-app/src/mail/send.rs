//! Sending one email of the outbox: the job that hands its recorded bytes to the SMTP server, with
//! no transaction open meanwhile, then records the outcome. A temporary failure (the server is
//! down, a 4xx answer) is retried with the queue's backoff; a permanent refusal (5xx) or the last
//! attempt marks the email failed, which the agent sees beside the message.
//!
//! Delivery is at least once: if the node dies after the server accepted the email but before
//! `sent` is recorded, the job runs again and the email goes again, with the same Message-ID (mail
//! programs show such a duplicate once). Only that window can repeat a send: a job that finds its
//! email already sent or failed does nothing.

use serde::{Deserialize, Serialize};
use tandem_domain::{EmailStatus, OutboundEmailId};
use tandem_store::outbound;

use crate::jobs::{Effect, EffectContext};

/// Sends the outbox email `email`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendEmail {
    pub email: OutboundEmailId,
}

impl Effect for SendEmail {
    const KIND: &'static str = "send_email";
    /// With the queue's backoff (10 s doubling), the last attempt comes about 40 minutes after the
    /// first: a mail server restart or a short outage is ridden out.
    const MAX_ATTEMPTS: i64 = 8;

    async fn run(&self, context: EffectContext<'_>) -> anyhow::Result<()> {
        let Some(outbound) = context.outbound else {
            anyhow::bail!("this node has no SMTP server configured ([mail.smtp]), so it cannot send email");
        };
        let mut reader = context.store.read().await?;
        let email = outbound::get(reader.conn(), self.email).await?;
        drop(reader);
        let Some(email) = email.filter(|email| email.status == EmailStatus::Queued) else {
            return Ok(());
        };
        let to: Vec<&str> = email.envelope_to.split(',').map(str::trim).filter(|to| !to.is_empty()).collect();
        let sent = outbound.sender.send(&email.envelope_from, &to, &email.raw).await;
        let (status, error) = match sent {
            Ok(()) => (EmailStatus::Sent, None),
            Err(error) if error.permanent || context.attempt >= Self::MAX_ATTEMPTS => {
                (EmailStatus::Failed, Some(error.message))
            }
            Err(error) => {
                // Shown beside the message while it waits; the job itself retries with backoff.
                let mut tx = context.store.begin().await?;
                outbound::note_attempt(tx.conn(), self.email, context.attempt, &error.message).await?;
                tx.commit().await?;
                return Err(error.into());
            }
        };
        let mut tx = context.store.begin().await?;
        outbound::finish(tx.conn(), self.email, status, context.attempt, error.as_deref(), context.now).await?;
        tx.commit().await?;
        match status {
            EmailStatus::Sent => {
                tracing::info!(email.id = %self.email, to = %email.envelope_to, "email {} sent", self.email)
            }
            _ => {
                tracing::warn!(email.id = %self.email, to = %email.envelope_to, error = ?error, "email {} failed", self.email)
            }
        }
        Ok(())
    }
}
