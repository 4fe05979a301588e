//! Mailboxes: admins say which address feeds which team (and maybe which of its services).

use serde::{Deserialize, Serialize};
use tandem_domain::validate::FieldErrors;
use tandem_domain::{MailboxId, Millis, Principal, ServiceId, TeamId};
use tandem_store::mailboxes::{self, MailboxFields, MailboxRow};
use tandem_store::{Conn, services, teams};

use crate::directory::{require_admin, require_staff};
use crate::{App, AppError, Instant, instant};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxInput {
    /// What `tandem mail ingest --mailbox` and the IMAP settings call it: lower-case letters,
    /// digits and dashes (the demo names each after its team: `care`).
    pub name: String,
    /// The address customers write to (`care@harbor.example`).
    pub address: String,
    /// The provider team whose queue new tickets land in.
    pub team_id: TeamId,
    /// A service of that team that new tickets are filed under.
    pub service_id: Option<ServiceId>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MailboxView {
    pub id: MailboxId,
    pub name: String,
    pub address: String,
    pub team_id: TeamId,
    pub service_id: Option<ServiceId>,
    pub version: i64,
    pub created_at: Instant,
    pub updated_at: Instant,
}

impl From<MailboxRow> for MailboxView {
    fn from(row: MailboxRow) -> Self {
        MailboxView {
            id: row.id,
            name: row.fields.name,
            address: row.fields.address,
            team_id: row.fields.team_id,
            service_id: row.fields.service_id,
            version: row.version,
            created_at: instant(row.created_at),
            updated_at: instant(row.updated_at),
        }
    }
}

impl App {
    /// Mailboxes are admin business; to customers they do not exist.
    pub async fn list_mailboxes(&self, principal: &Principal) -> Result<Vec<MailboxView>, AppError> {
        require_staff(principal, "mailboxes")?;
        require_admin(principal)?;
        let mut reader = self.store().read().await?;
        Ok(mailboxes::list(reader.conn()).await?.into_iter().map(MailboxView::from).collect())
    }

    pub async fn create_mailbox(
        &self,
        principal: &Principal,
        input: MailboxInput,
        now: Millis,
    ) -> Result<MailboxView, AppError> {
        require_staff(principal, "mailbox")?;
        require_admin(principal)?;
        let mut tx = self.store().begin().await?;
        let fields = check(tx.conn(), input).await?;
        let row = mailboxes::insert(tx.conn(), &fields, now).await.map_err(taken)?;
        tx.commit().await?;
        Ok(row.into())
    }

    pub async fn update_mailbox(
        &self,
        principal: &Principal,
        id: MailboxId,
        expected_version: i64,
        input: MailboxInput,
        now: Millis,
    ) -> Result<MailboxView, AppError> {
        require_staff(principal, "mailbox")?;
        require_admin(principal)?;
        let mut tx = self.store().begin().await?;
        mailboxes::get(tx.conn(), id).await?.ok_or(AppError::NotFound("mailbox"))?;
        let fields = check(tx.conn(), input).await?;
        let row = mailboxes::update(tx.conn(), id, expected_version, &fields, now).await.map_err(taken)?;
        let row = row.ok_or_else(|| AppError::version_conflict("mailbox"))?;
        tx.commit().await?;
        Ok(row.into())
    }
}

fn taken(error: tandem_store::StoreError) -> AppError {
    match error {
        tandem_store::StoreError::Conflict(_) => {
            AppError::conflict("mailbox_taken", "another mailbox already has this name or address")
        }
        other => other.into(),
    }
}

async fn check(mut conn: Conn<'_>, input: MailboxInput) -> Result<MailboxFields, AppError> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim().to_owned();
    let name_ok = (1..=50).contains(&name.len())
        && name.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    if !name_ok {
        errors.add("name", "use 1 to 50 lower-case letters, digits and dashes");
    }
    let address = input.address.trim().to_lowercase();
    if !tandem_mail::is_address(&address) {
        errors.add("address", "must be an email address such as care@example.com");
    }
    match teams::get(conn.reborrow(), input.team_id).await? {
        Some(team) if team.is_provider => {}
        _ => errors.add("team_id", "must be a provider team"),
    }
    if let Some(service) = input.service_id {
        match services::get(conn.reborrow(), service).await? {
            Some(row) if row.team_id == input.team_id => {}
            _ => errors.add("service_id", "must be a service of the mailbox's team"),
        }
    }
    errors.into_result()?;
    Ok(MailboxFields { name, address, team_id: input.team_id, service_id: input.service_id })
}
