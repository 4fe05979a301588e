//! People: the searchable list of everyone in the directory, and the form that creates or changes
//! one person, employee (department, manager, title) or external contact (organization,
//! stakeholder kind, connection, organization access), with the admin flag and a password.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use tandem_app::PageRequest;
use tandem_app::directory::people::{NewPerson, PersonChanges, PersonQuery, PersonView};
use tandem_domain::{Connection, PersonId, PersonKind, Stakeholder};

use super::forms::{
    Choice, Done, Problems, done, form_page, humanize, optional_id, optional_word, outcome, word, words,
};
use super::lookup::{indented, organizations, person_by_email, tree};
use super::{DoneQuery, admin_only, layout, path_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/people", get(list))
        .route("/admin/people/new", get(new).post(create))
        .route("/admin/people/{id}", get(edit).post(update))
}

const PAGE_SIZE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    q: String,
    kind: String,
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_people.html")]
struct ListPage {
    layout: Layout,
    q: String,
    kinds: Vec<Choice>,
    people: Vec<Listed>,
    next: Option<String>,
    first: Option<String>,
}

/// One line of the list: who, and where they belong.
struct Listed {
    id: PersonId,
    name: String,
    email: String,
    kind: String,
    belongs: String,
    is_admin: bool,
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let filter = PersonQuery {
        kind: query.kind.parse().ok(),
        q: Some(query.q.clone()).filter(|q| !q.trim().is_empty()),
        ..PersonQuery::default()
    };
    let request = PageRequest { limit: Some(PAGE_SIZE), cursor: query.cursor.clone() };
    let page = state.app.list_people(&viewer.principal, filter, request).await?;
    let teams: HashMap<_, _> =
        state.app.list_teams(&viewer.principal).await?.into_iter().map(|team| (team.id, team.name)).collect();
    let orgs: HashMap<_, _> = organizations(&state, &viewer).await?.into_iter().map(|org| (org.id, org.name)).collect();
    let people = page
        .items
        .into_iter()
        .map(|person| {
            let place = match person.kind {
                PersonKind::Employee => person.department_id.and_then(|id| teams.get(&id)),
                PersonKind::External => person.organization_id.and_then(|id| orgs.get(&id)),
            };
            let belongs = [person.title.as_deref(), place.map(String::as_str)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            Listed {
                id: person.id,
                name: person.name,
                email: person.email,
                kind: humanize(person.kind.as_str()),
                belongs,
                is_admin: person.is_admin,
            }
        })
        .collect();
    let link = |cursor: Option<&str>| {
        let mut params = vec![("q", query.q.as_str()), ("kind", query.kind.as_str())];
        params.extend(cursor.map(|cursor| ("cursor", cursor)));
        format!("/admin/people?{}", serde_urlencoded::to_string(&params).unwrap_or_default())
    };
    let page = ListPage {
        layout: layout(&viewer, &done),
        kinds: words(PersonKind::ALL, &query.kind),
        next: page.next_cursor.as_deref().map(|cursor| link(Some(cursor))),
        first: query.cursor.is_some().then(|| link(None)),
        q: query.q,
        people,
    };
    Ok(html(&page))
}

/// The person form as posted: every value as typed, so a refused form comes back unchanged.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct PersonForm {
    email: String,
    name: String,
    kind: String,
    is_admin: bool,
    title: String,
    department_id: String,
    manager_email: String,
    organization_id: String,
    stakeholder: String,
    connection: String,
    org_access: bool,
    /// Never shown again (the page's password box is always empty): a password does not
    /// travel back into a page.
    password: String,
    version: i64,
}

impl PersonForm {
    async fn of(state: &AppState, viewer: &Viewer, person: PersonView) -> Result<PersonForm, UiError> {
        let manager_email = match person.manager_id {
            Some(manager) => state.app.get_person(&viewer.principal, manager).await?.email,
            None => String::new(),
        };
        let text = |value: Option<String>| value.unwrap_or_default();
        let id = |value: Option<i64>| value.map(|id| id.to_string()).unwrap_or_default();
        Ok(PersonForm {
            email: person.email,
            name: person.name,
            kind: person.kind.to_string(),
            is_admin: person.is_admin,
            title: text(person.title),
            department_id: id(person.department_id.map(|team| team.0)),
            manager_email,
            organization_id: id(person.organization_id.map(|org| org.0)),
            stakeholder: text(person.stakeholder.map(|word| word.to_string())),
            connection: text(person.connection.map(|word| word.to_string())),
            org_access: person.org_access,
            password: String::new(),
            version: person.version,
        })
    }

    /// The person the form describes, or the problems that stop it before the app is asked.
    async fn read(&self, state: &AppState, viewer: &Viewer, problems: &mut Problems) -> Result<NewPerson, UiError> {
        let manager_id = match self.manager_email.trim() {
            "" => None,
            email => match person_by_email(state, viewer, email).await? {
                Some(manager) => Some(manager.id),
                None => {
                    problems.add("manager_email", "nobody in the directory has this email");
                    None
                }
            },
        };
        let title = Some(self.title.trim().to_owned()).filter(|title| !title.is_empty());
        Ok(NewPerson {
            email: self.email.clone(),
            name: self.name.clone(),
            kind: word(problems, "kind", &self.kind).unwrap_or(PersonKind::Employee),
            is_admin: self.is_admin,
            title,
            department_id: optional_id(problems, "department_id", &self.department_id),
            manager_id,
            organization_id: optional_id(problems, "organization_id", &self.organization_id),
            stakeholder: optional_word::<Stakeholder>(problems, "stakeholder", &self.stakeholder),
            connection: optional_word::<Connection>(problems, "connection", &self.connection),
            org_access: self.org_access,
            password: Some(self.password.clone()).filter(|password| !password.is_empty()),
        })
    }
}

#[derive(Template)]
#[template(path = "admin_person.html")]
struct PersonPage {
    layout: Layout,
    /// The person being changed; `None` on the new-person form.
    person: Option<PersonId>,
    form: PersonForm,
    problems: Problems,
    kinds: Vec<Choice>,
    departments: Vec<Choice>,
    organizations: Vec<Choice>,
    stakeholders: Vec<Choice>,
    connections: Vec<Choice>,
}

/// The form page, fresh or shown again with its problems.
async fn page(
    state: &AppState,
    viewer: &Viewer,
    layout: Layout,
    person: Option<PersonId>,
    form: PersonForm,
    mut problems: Problems,
) -> Result<Response, UiError> {
    problems.rename(|field| (field == "manager_id").then(|| "manager_email".to_owned()));
    let departments = tree(state.app.list_teams(&viewer.principal).await?)
        .into_iter()
        .map(|(depth, team)| {
            let selected = team.id.to_string() == form.department_id;
            Choice::new(team.id, indented(depth, &team.name), selected)
        })
        .collect();
    let organizations = organizations(state, viewer)
        .await?
        .into_iter()
        .map(|org| Choice::new(org.id, org.name, org.id.to_string() == form.organization_id))
        .collect();
    let page = PersonPage {
        layout,
        person,
        kinds: words(PersonKind::ALL, &form.kind),
        departments,
        organizations,
        stakeholders: words(Stakeholder::ALL, &form.stakeholder),
        connections: words(Connection::ALL, &form.connection),
        form,
        problems,
    };
    Ok(form_page(&page, &page.problems))
}

async fn new(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let form = PersonForm { kind: PersonKind::Employee.to_string(), ..PersonForm::default() };
    let layout = layout(&viewer, &DoneQuery::default());
    page(&state, &viewer, layout, None, form, Problems::default()).await
}

async fn create(
    State(state): State<AppState>,
    VerifiedForm { viewer, form }: VerifiedForm<PersonForm>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let mut problems = Problems::default();
    let new = form.read(&state, &viewer, &mut problems).await?;
    if problems.is_empty() {
        match outcome(state.app.create_person(&viewer.principal, new, crate::now()).await)? {
            Ok(person) => return Ok(done(&format!("/admin/people/{}", person.id), Done::Created)),
            Err(refused) => problems = refused,
        }
    }
    let layout = layout(&viewer, &DoneQuery::default());
    page(&state, &viewer, layout, None, form, problems).await
}

async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let person = state.app.get_person(&viewer.principal, path_id(&id)?).await?;
    let id = person.id;
    let form = PersonForm::of(&state, &viewer, person).await?;
    page(&state, &viewer, layout(&viewer, &done), Some(id), form, Problems::default()).await
}

async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<PersonForm>,
) -> Result<Response, UiError> {
    admin_only(&viewer)?;
    let id: PersonId = path_id(&id)?;
    let mut problems = Problems::default();
    let person = form.read(&state, &viewer, &mut problems).await?;
    if problems.is_empty() {
        let saved = state.app.update_person(&viewer.principal, id, form.version, changes(person), crate::now()).await;
        match outcome(saved)? {
            Ok(person) => return Ok(done(&format!("/admin/people/{}", person.id), Done::Saved)),
            Err(refused) => problems = refused,
        }
    }
    let layout = layout(&viewer, &DoneQuery::default());
    page(&state, &viewer, layout, Some(id), form, problems).await
}

/// The form says everything about the person, so every field is replaced (blank clears it);
/// only a blank password leaves the current one.
fn changes(person: NewPerson) -> PersonChanges {
    PersonChanges {
        email: Some(person.email),
        name: Some(person.name),
        kind: Some(person.kind),
        is_admin: Some(person.is_admin),
        title: Some(person.title),
        department_id: Some(person.department_id),
        manager_id: Some(person.manager_id),
        organization_id: Some(person.organization_id),
        stakeholder: Some(person.stakeholder),
        connection: Some(person.connection),
        org_access: Some(person.org_access),
        password: person.password,
    }
}
