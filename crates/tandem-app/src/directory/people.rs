//! People: create, change, look up and list employees and external contacts.

use serde::{Deserialize, Serialize};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{
    Connection, Membership, Millis, OrganizationId, PersonId, PersonKind, Principal, Stakeholder, TeamId, TeamRole,
};
use tandem_store::people::{self, PersonFields, PersonFilter, PersonRow};
use tandem_store::{Conn, StoreError, organizations, teams};

use super::{nullable, require_staff};
use crate::page::{decode_cursor, encode_cursor};
use crate::{App, AppError, Instant, Page, PageRequest, instant, passwords};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    pub email: String,
    pub name: String,
    pub kind: PersonKind,
    #[serde(default)]
    pub is_admin: bool,
    pub title: Option<String>,
    /// Employees: their department (or team) in the tree.
    pub department_id: Option<TeamId>,
    pub manager_id: Option<PersonId>,
    /// External contacts: their customer organization.
    pub organization_id: Option<OrganizationId>,
    pub stakeholder: Option<Stakeholder>,
    pub connection: Option<Connection>,
    /// External contacts: may follow every ticket of their organization.
    #[serde(default)]
    pub org_access: bool,
    /// Lets the person sign in with a password (at least 8 characters).
    pub password: Option<String>,
}

/// A partial update: absent fields stay, `null` clears a nullable field.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonChanges {
    pub email: Option<String>,
    pub name: Option<String>,
    pub kind: Option<PersonKind>,
    pub is_admin: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<TeamId>)]
    pub department_id: Option<Option<TeamId>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<PersonId>)]
    pub manager_id: Option<Option<PersonId>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<OrganizationId>)]
    pub organization_id: Option<Option<OrganizationId>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Stakeholder>)]
    pub stakeholder: Option<Option<Stakeholder>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Connection>)]
    pub connection: Option<Option<Connection>>,
    pub org_access: Option<bool>,
    pub password: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PersonView {
    pub id: PersonId,
    pub email: String,
    pub name: String,
    pub kind: PersonKind,
    pub is_admin: bool,
    pub title: Option<String>,
    pub department_id: Option<TeamId>,
    pub manager_id: Option<PersonId>,
    pub organization_id: Option<OrganizationId>,
    pub stakeholder: Option<Stakeholder>,
    pub connection: Option<Connection>,
    pub org_access: bool,
    pub version: i64,
    pub created_at: Instant,
    pub updated_at: Instant,
    /// Present when mail to this address bounced: Tandem no longer emails it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undeliverable: Option<Undeliverable>,
}

/// Since when, and why, mail to a person's address fails.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Undeliverable {
    pub since: Instant,
    /// What the delivery report said.
    pub reason: String,
}

/// The signed-in person and their faces (which teams they work in).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MeView {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub kind: PersonKind,
    pub is_admin: bool,
    pub is_agent: bool,
    pub teams: Vec<MembershipView>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MembershipView {
    pub team_id: TeamId,
    pub role: TeamRole,
}

/// Filters of the people list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PersonQuery {
    pub kind: Option<PersonKind>,
    pub organization_id: Option<OrganizationId>,
    pub department_id: Option<TeamId>,
    /// Start of a name or email.
    pub q: Option<String>,
}

impl From<PersonRow> for PersonView {
    fn from(row: PersonRow) -> Self {
        let fields = row.fields;
        PersonView {
            id: row.id,
            email: fields.email,
            name: fields.name,
            kind: fields.kind,
            is_admin: fields.is_admin,
            title: fields.title,
            department_id: fields.department_id,
            manager_id: fields.manager_id,
            organization_id: fields.organization_id,
            stakeholder: fields.stakeholder,
            connection: fields.connection,
            org_access: fields.org_access,
            version: row.version,
            created_at: instant(row.created_at),
            updated_at: instant(row.updated_at),
            undeliverable: row.undeliverable_at.map(|since| Undeliverable {
                since: instant(since),
                reason: row.undeliverable_reason.unwrap_or_default(),
            }),
        }
    }
}

impl App {
    pub async fn me(&self, principal: &Principal) -> Result<MeView, AppError> {
        let mut reader = self.store().read().await?;
        let person = people::get(reader.conn(), principal.person_id).await?.ok_or(AppError::NotFound("person"))?;
        Ok(MeView {
            id: person.id,
            name: person.fields.name,
            email: person.fields.email,
            kind: person.fields.kind,
            is_admin: person.fields.is_admin,
            is_agent: principal.is_agent(),
            teams: principal
                .memberships
                .iter()
                .map(|m: &Membership| MembershipView { team_id: m.team_id, role: m.role })
                .collect(),
        })
    }

    /// Admins add anyone; agents add external contacts (a caller on the phone, a new buyer).
    pub async fn create_person(
        &self,
        principal: &Principal,
        new: NewPerson,
        now: Millis,
    ) -> Result<PersonView, AppError> {
        let mut fields = PersonFields {
            email: new.email,
            name: new.name,
            kind: new.kind,
            is_admin: new.is_admin,
            title: new.title,
            department_id: new.department_id,
            manager_id: new.manager_id,
            organization_id: new.organization_id,
            stakeholder: new.stakeholder,
            connection: new.connection,
            org_access: new.org_access,
        };
        may_write_person(principal, &fields)?;
        check_person(&mut fields, new.password.as_deref())?;
        let password_hash = match new.password {
            Some(password) => Some(passwords::hash(password).await?),
            None => None,
        };
        let mut tx = self.store().begin().await?;
        check_references(tx.conn(), &fields, None).await?;
        let row = people::insert_if_absent(tx.conn(), &fields, password_hash.as_deref(), now)
            .await?
            .ok_or_else(email_taken)?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Applies a partial update if `expected_version` is still current.
    pub async fn update_person(
        &self,
        principal: &Principal,
        id: PersonId,
        expected_version: i64,
        changes: PersonChanges,
        now: Millis,
    ) -> Result<PersonView, AppError> {
        // Anyone may read their own record (so changing it is forbidden, not missing).
        if principal.person_id != id {
            require_staff(principal, "person")?;
        }
        let password_hash = match &changes.password {
            Some(password) => Some(passwords::hash(password.clone()).await?),
            None => None,
        };
        let mut tx = self.store().begin().await?;
        let current = people::get(tx.conn(), id).await?.ok_or(AppError::NotFound("person"))?;
        may_write_person(principal, &current.fields)?;
        let mut fields = apply_changes(current.fields.clone(), changes.clone());
        may_write_person(principal, &fields)?;
        check_person(&mut fields, changes.password.as_deref())?;
        check_references(tx.conn(), &fields, Some(id)).await?;
        if fields.kind != current.fields.kind && !teams::memberships(tx.conn(), id).await?.is_empty() {
            return Err(AppError::conflict(
                "person_is_agent",
                "remove this person from their teams before changing their kind",
            ));
        }
        let updated =
            people::update(tx.conn(), id, expected_version, &fields, now).await.map_err(|error| match error {
                StoreError::Conflict(_) => email_taken(),
                other => other.into(),
            })?;
        if !updated {
            return Err(AppError::version_conflict("person"));
        }
        if let Some(hash) = password_hash {
            people::set_password_hash(tx.conn(), id, &hash, now).await?;
        }
        let row = people::get(tx.conn(), id).await?.ok_or(AppError::NotFound("person"))?;
        tx.commit().await?;
        Ok(row.into())
    }

    pub async fn get_person(&self, principal: &Principal, id: PersonId) -> Result<PersonView, AppError> {
        if principal.person_id != id {
            require_staff(principal, "person")?;
        }
        let mut reader = self.store().read().await?;
        Ok(people::get(reader.conn(), id).await?.ok_or(AppError::NotFound("person"))?.into())
    }

    pub async fn list_people(
        &self,
        principal: &Principal,
        query: PersonQuery,
        page: PageRequest,
    ) -> Result<Page<PersonView>, AppError> {
        require_staff(principal, "people")?;
        let size = page.size(self.limits().max_page_size);
        let filter = PersonFilter {
            kind: query.kind,
            organization_id: query.organization_id,
            department_id: query.department_id,
            prefix: query.q.filter(|q| !q.trim().is_empty()).map(|q| q.trim().to_owned()),
            after: page.cursor.as_deref().map(decode_cursor::<(String, PersonId)>).transpose()?,
        };
        let mut reader = self.store().read().await?;
        let rows = people::list(reader.conn(), &filter, size + 1).await?;
        Ok(Page::from_rows(rows, size, |row| encode_cursor(&(&row.fields.name, row.id)), PersonView::from))
    }
}

fn email_taken() -> AppError {
    AppError::conflict("email_taken", "a person with this email address already exists")
}

/// Admins write anyone; other agents only external contacts who are not admins.
fn may_write_person(principal: &Principal, fields: &PersonFields) -> Result<(), AppError> {
    if principal.is_admin {
        return Ok(());
    }
    if !principal.is_agent() {
        return Err(AppError::forbidden("only agents and admins may manage people"));
    }
    if fields.kind != PersonKind::External || fields.is_admin {
        return Err(AppError::forbidden("only an admin may manage employees"));
    }
    Ok(())
}

fn apply_changes(mut fields: PersonFields, changes: PersonChanges) -> PersonFields {
    if let Some(email) = changes.email {
        fields.email = email;
    }
    if let Some(name) = changes.name {
        fields.name = name;
    }
    fields.kind = changes.kind.unwrap_or(fields.kind);
    fields.is_admin = changes.is_admin.unwrap_or(fields.is_admin);
    fields.org_access = changes.org_access.unwrap_or(fields.org_access);
    if let Some(title) = changes.title {
        fields.title = title;
    }
    if let Some(department) = changes.department_id {
        fields.department_id = department;
    }
    if let Some(manager) = changes.manager_id {
        fields.manager_id = manager;
    }
    if let Some(organization) = changes.organization_id {
        fields.organization_id = organization;
    }
    if let Some(stakeholder) = changes.stakeholder {
        fields.stakeholder = stakeholder;
    }
    if let Some(connection) = changes.connection {
        fields.connection = connection;
    }
    fields
}

/// Normalizes and checks a person's fields against the rules of their kind.
fn check_person(fields: &mut PersonFields, password: Option<&str>) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    match validate::email(&fields.email) {
        Ok(email) => fields.email = email,
        Err(message) => errors.add("email", message),
    }
    fields.name = validate::required_line(&mut errors, "name", &fields.name, 200);
    if let Some(title) = &fields.title {
        let title = validate::required_line(&mut errors, "title", title, 200);
        fields.title = Some(title);
    }
    match fields.kind {
        PersonKind::Employee => {
            for (field, set) in [
                ("organization_id", fields.organization_id.is_some()),
                ("stakeholder", fields.stakeholder.is_some()),
                ("connection", fields.connection.is_some()),
                ("org_access", fields.org_access),
            ] {
                if set {
                    errors.add(field, "is for external contacts, not employees");
                }
            }
        }
        PersonKind::External => {
            for (field, set) in [
                ("department_id", fields.department_id.is_some()),
                ("manager_id", fields.manager_id.is_some()),
                ("is_admin", fields.is_admin),
            ] {
                if set {
                    errors.add(field, "is for employees, not external contacts");
                }
            }
            if fields.org_access && fields.organization_id.is_none() {
                errors.add("org_access", "needs an organization_id");
            }
        }
    }
    if password.is_some_and(|password| password.chars().count() < passwords::MIN_PASSWORD_CHARS) {
        errors.add("password", format!("must be at least {} characters", passwords::MIN_PASSWORD_CHARS));
    }
    Ok(errors.into_result()?)
}

/// Checks that referenced records exist and fit: a department is a team or department, a
/// manager is another employee, an organization exists.
async fn check_references(mut conn: Conn<'_>, fields: &PersonFields, myself: Option<PersonId>) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    if let Some(department) = fields.department_id
        && teams::get(conn.reborrow(), department).await?.is_none()
    {
        errors.add("department_id", "no such team or department");
    }
    if let Some(manager) = fields.manager_id {
        let row = people::get(conn.reborrow(), manager).await?;
        if Some(manager) == myself {
            errors.add("manager_id", "a person cannot manage themselves");
        } else if row.is_none_or(|row| row.fields.kind != PersonKind::Employee) {
            errors.add("manager_id", "must be an employee");
        }
    }
    if let Some(organization) = fields.organization_id
        && organizations::get(conn.reborrow(), organization).await?.is_none()
    {
        errors.add("organization_id", "no such organization");
    }
    Ok(errors.into_result()?)
}
