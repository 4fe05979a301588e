//! Customer organizations: the companies, suppliers and partners external contacts belong to.

use serde::{Deserialize, Serialize};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{Millis, OrganizationId, Principal};
use tandem_store::StoreError;
use tandem_store::organizations::{self, OrganizationFields, OrganizationRow};

use super::require_staff;
use crate::page::{decode_cursor, encode_cursor};
use crate::{App, AppError, Instant, Page, PageRequest, instant};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationInput {
    pub name: String,
    /// The email domain of its people (e.g. `bayside.example`), if it has one.
    pub domain: Option<String>,
    #[serde(default)]
    pub notes: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OrganizationView {
    pub id: OrganizationId,
    pub name: String,
    pub domain: Option<String>,
    pub notes: String,
    pub created_at: Instant,
    pub updated_at: Instant,
}

impl From<OrganizationRow> for OrganizationView {
    fn from(row: OrganizationRow) -> Self {
        OrganizationView {
            id: row.id,
            name: row.name,
            domain: row.domain,
            notes: row.notes,
            created_at: instant(row.created_at),
            updated_at: instant(row.updated_at),
        }
    }
}

impl App {
    /// Agents and admins keep the customer organizations.
    pub async fn create_organization(
        &self,
        principal: &Principal,
        input: OrganizationInput,
        now: Millis,
    ) -> Result<OrganizationView, AppError> {
        may_write(principal)?;
        let fields = check(input)?;
        let mut tx = self.store().begin().await?;
        let row = organizations::insert(tx.conn(), &fields, now).await.map_err(name_taken)?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Replaces an organization's fields (PUT semantics).
    pub async fn update_organization(
        &self,
        principal: &Principal,
        id: OrganizationId,
        input: OrganizationInput,
        now: Millis,
    ) -> Result<OrganizationView, AppError> {
        require_staff(principal, "organization")?;
        may_write(principal)?;
        let fields = check(input)?;
        let mut tx = self.store().begin().await?;
        let row = organizations::update(tx.conn(), id, &fields, now).await.map_err(name_taken)?;
        let row = row.ok_or(AppError::NotFound("organization"))?;
        tx.commit().await?;
        Ok(row.into())
    }

    pub async fn get_organization(
        &self,
        principal: &Principal,
        id: OrganizationId,
    ) -> Result<OrganizationView, AppError> {
        require_staff(principal, "organization")?;
        let mut reader = self.store().read().await?;
        Ok(organizations::get(reader.conn(), id).await?.ok_or(AppError::NotFound("organization"))?.into())
    }

    pub async fn list_organizations(
        &self,
        principal: &Principal,
        page: PageRequest,
    ) -> Result<Page<OrganizationView>, AppError> {
        require_staff(principal, "organizations")?;
        let size = page.size(self.limits().max_page_size);
        let after = page.cursor.as_deref().map(decode_cursor::<String>).transpose()?;
        let mut reader = self.store().read().await?;
        let rows = organizations::list(reader.conn(), after.as_deref(), size + 1).await?;
        Ok(Page::from_rows(rows, size, |row| encode_cursor(&row.name), OrganizationView::from))
    }
}

fn may_write(principal: &Principal) -> Result<(), AppError> {
    if principal.is_staff() {
        Ok(())
    } else {
        Err(AppError::forbidden("only agents and admins may manage organizations"))
    }
}

fn check(input: OrganizationInput) -> Result<OrganizationFields, AppError> {
    let mut errors = FieldErrors::new();
    let name = validate::required_line(&mut errors, "name", &input.name, 200);
    let domain = input.domain.map(|domain| domain.trim().to_lowercase()).filter(|domain| !domain.is_empty());
    if let Some(domain) = &domain
        && validate::email(&format!("x@{domain}")).is_err()
    {
        errors.add("domain", "must be a domain like example.com");
    }
    validate::bounded_text(&mut errors, "notes", &input.notes, 10_000, false);
    errors.into_result()?;
    Ok(OrganizationFields { name, domain, notes: input.notes })
}

fn name_taken(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(_) => AppError::conflict("name_taken", "an organization with this name already exists"),
        other => other.into(),
    }
}
