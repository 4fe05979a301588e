//! The service catalog: each provider team's services, their audience and request form.
//! A customer only ever sees services offered to their kind (internal-only stays internal).

use serde::{Deserialize, Serialize};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{Audience, FormDef, Millis, Principal, Priority, ServiceId, TeamId};
use tandem_store::services::{self, ServiceFields, ServiceFilter, ServiceRow};
use tandem_store::{StoreError, teams};

use crate::{App, AppError, Instant, instant};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The provider team that works its tickets.
    pub team_id: TeamId,
    pub audience: Audience,
    #[serde(default = "normal")]
    pub default_priority: Priority,
    /// The request form: typed fields a requester fills in.
    #[serde(default)]
    pub form: FormDef,
    #[serde(default = "yes")]
    pub active: bool,
}

fn normal() -> Priority {
    Priority::Normal
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ServiceView {
    pub id: ServiceId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub team_id: TeamId,
    pub audience: Audience,
    pub default_priority: Priority,
    pub form: FormDef,
    pub active: bool,
    pub version: i64,
    pub created_at: Instant,
    pub updated_at: Instant,
}

/// Filters of the catalog list (staff only; customers always get what is offered to them).
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ServiceQuery {
    pub team_id: Option<TeamId>,
    pub audience: Option<Audience>,
}

impl From<ServiceRow> for ServiceView {
    fn from(row: ServiceRow) -> Self {
        ServiceView {
            id: row.id,
            slug: row.slug,
            name: row.name,
            description: row.description,
            team_id: row.team_id,
            audience: row.audience,
            default_priority: row.default_priority,
            form: row.form.0,
            active: row.active,
            version: row.version,
            created_at: instant(row.created_at),
            updated_at: instant(row.updated_at),
        }
    }
}

impl App {
    /// Admins, and the leads of the provider team, add its services.
    pub async fn create_service(
        &self,
        principal: &Principal,
        input: ServiceInput,
        now: Millis,
    ) -> Result<ServiceView, AppError> {
        let fields = check(input)?;
        may_manage(principal, fields.team_id)?;
        let mut tx = self.store().begin().await?;
        check_provider(&mut tx, fields.team_id).await?;
        let row = services::insert(tx.conn(), &fields, now).await.map_err(slug_taken)?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Replaces a service's definition if `expected_version` is still current.
    pub async fn update_service(
        &self,
        principal: &Principal,
        id: ServiceId,
        expected_version: i64,
        input: ServiceInput,
        now: Millis,
    ) -> Result<ServiceView, AppError> {
        let fields = check(input)?;
        let mut tx = self.store().begin().await?;
        let current = services::get(tx.conn(), id)
            .await?
            .filter(|row| offered(principal, row))
            .ok_or(AppError::NotFound("service"))?;
        may_manage(principal, current.team_id)?;
        may_manage(principal, fields.team_id)?;
        check_provider(&mut tx, fields.team_id).await?;
        let row = services::update(tx.conn(), id, expected_version, &fields, now).await.map_err(slug_taken)?;
        let row = row.ok_or_else(|| AppError::version_conflict("service"))?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// One service, by id or slug, if it is offered to the principal (staff see every one).
    pub async fn get_service(&self, principal: &Principal, id_or_slug: &str) -> Result<ServiceView, AppError> {
        let mut reader = self.store().read().await?;
        let row = match id_or_slug.parse::<i64>() {
            Ok(id) => services::get(reader.conn(), ServiceId(id)).await?,
            Err(_) => services::get_by_slug(reader.conn(), id_or_slug).await?,
        };
        let row = row.filter(|row| offered(principal, row)).ok_or(AppError::NotFound("service"))?;
        Ok(row.into())
    }

    /// The catalog as the principal may see it: customers get the active services offered to
    /// their kind; staff get every service, filtered as asked.
    pub async fn list_services(
        &self,
        principal: &Principal,
        query: ServiceQuery,
    ) -> Result<Vec<ServiceView>, AppError> {
        let filter = if principal.is_staff() {
            ServiceFilter {
                audiences: query.audience.map(|audience| vec![audience]),
                team_id: query.team_id,
                active_only: false,
            }
        } else {
            let visible = Audience::visible_to(principal.kind).to_vec();
            let audiences = match query.audience {
                Some(audience) => visible.into_iter().filter(|visible| *visible == audience).collect(),
                None => visible,
            };
            ServiceFilter { audiences: Some(audiences), team_id: query.team_id, active_only: true }
        };
        if filter.audiences.as_ref().is_some_and(Vec::is_empty) {
            return Ok(Vec::new());
        }
        let mut reader = self.store().read().await?;
        Ok(services::list(reader.conn(), &filter).await?.into_iter().map(ServiceView::from).collect())
    }
}

/// Whether the principal may see and request this service.
pub(crate) fn offered(principal: &Principal, service: &ServiceRow) -> bool {
    principal.is_staff() || (service.active && service.audience.offered_to(principal.kind))
}

fn may_manage(principal: &Principal, team: TeamId) -> Result<(), AppError> {
    if principal.manages(team) {
        Ok(())
    } else {
        Err(AppError::forbidden("only an admin or the provider team's lead may manage its services"))
    }
}

async fn check_provider(tx: &mut tandem_store::Tx, team: TeamId) -> Result<(), AppError> {
    match teams::get(tx.conn(), team).await? {
        Some(row) if row.is_provider => Ok(()),
        Some(_) => Err(AppError::invalid("team_id", "this team does not provide services (is_provider is false)")),
        None => Err(AppError::invalid("team_id", "no such team")),
    }
}

fn check(input: ServiceInput) -> Result<ServiceFields, AppError> {
    let mut errors = FieldErrors::new();
    let slug = validate::slug(&mut errors, "slug", &input.slug);
    let name = validate::required_line(&mut errors, "name", &input.name, 200);
    validate::bounded_text(&mut errors, "description", &input.description, 10_000, false);
    input.form.check(&mut errors);
    errors.into_result()?;
    Ok(ServiceFields {
        slug,
        name,
        description: input.description,
        team_id: input.team_id,
        audience: input.audience,
        default_priority: input.default_priority,
        form: input.form,
        active: input.active,
    })
}

fn slug_taken(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(_) => AppError::conflict("slug_taken", "a service with this slug already exists"),
        other => other.into(),
    }
}
