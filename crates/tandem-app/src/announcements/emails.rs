//! Emailing a published announcement to its recipients, a batch per job: each batch claims an
//! `announcement_emails` row per recipient before queueing their email in the outbox, in the
//! job's transaction, so a department of thousands is many short transactions and a batch that
//! runs twice (a lost lease, a second node) emails nobody twice.

use serde::{Deserialize, Serialize};
use tandem_domain::{AnnouncementId, AnnouncementStatus, PersonId};
use tandem_store::Tx;
use tandem_store::announcements;

use crate::jobs::{self, Job, JobContext};
use crate::mail::outbox::{AnnouncementEmail, queue_announcement};

/// Emails announcement `announcement` to its recipients with person ids after `after`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendAnnouncementEmails {
    pub announcement: AnnouncementId,
    pub after: PersonId,
}

/// Recipients per batch: each is one rendered email and one outbox row with its sending job.
pub(crate) const BATCH: i64 = 200;

impl SendAnnouncementEmails {
    /// One job per batch across every node.
    pub(super) fn dedupe_key(&self) -> String {
        format!("send_announcement_emails:{}:{}", self.announcement, self.after)
    }
}

impl Job for SendAnnouncementEmails {
    const KIND: &'static str = "send_announcement_emails";

    async fn run(&self, tx: &mut Tx, context: JobContext<'_>) -> anyhow::Result<()> {
        let Some(outbound) = context.outbound else {
            anyhow::bail!("this node sends no email (no SMTP server configured)");
        };
        // Read as nobody in particular (no person has id 0): no one's read is joined.
        let Some(row) = announcements::get(tx.conn(), self.announcement, PersonId(0)).await? else { return Ok(()) };
        let status = AnnouncementStatus::at(row.published_at, row.withdrawn_at, row.expires_at, context.now);
        if status != AnnouncementStatus::Published {
            // Withdrawn (or expired) since: the rest of its emails are not sent.
            return Ok(());
        }
        let recipients = announcements::recipients_after(tx.conn(), row.department_id, self.after, BATCH).await?;
        let email = AnnouncementEmail { id: row.id, title: &row.title, body: &row.body, author: &row.author_name };
        for recipient in &recipients {
            if announcements::claim_email(tx.conn(), row.id, recipient.id, context.now).await? {
                queue_announcement(tx.conn(), outbound, &email, recipient, context.now).await?;
            }
        }
        if let Some(last) = recipients.last()
            && recipients.len() as i64 == BATCH
        {
            let next = SendAnnouncementEmails { announcement: row.id, after: last.id };
            jobs::enqueue(tx.conn(), &next, Some(&next.dedupe_key()), context.now, context.now).await?;
        }
        Ok(())
    }
}
