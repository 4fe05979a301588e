//! The desk's directory: provider teams with their agents, departments of employees, external
//! contacts in organizations, and a catalog of services for both audiences. Sizes grow with the
//! number of tickets, within bounds a real organization of that volume would have.

use super::sink::{Rows, Table, Value};
use crate::rng::Rng;
use crate::words::{FIRST_NAMES, LAST_NAMES};

pub static ORGANIZATIONS: Table =
    Table { name: "organizations", columns: &["id", "name", "domain", "notes", "created_at", "updated_at"] };
pub static TEAMS: Table = Table {
    name: "teams",
    columns: &[
        "id",
        "slug",
        "name",
        "kind",
        "parent_id",
        "is_provider",
        "assignment",
        "last_assigned_id",
        "created_at",
        "updated_at",
    ],
};
pub static PEOPLE: Table = Table {
    name: "people",
    columns: &[
        "id",
        "email",
        "name",
        "kind",
        "is_admin",
        "title",
        "department_id",
        "manager_id",
        "organization_id",
        "stakeholder",
        "connection",
        "org_access",
        "password_hash",
        "version",
        "created_at",
        "updated_at",
    ],
};
pub static TEAM_MEMBERS: Table =
    Table { name: "team_members", columns: &["team_id", "person_id", "role", "available"] };
pub static SERVICES: Table = Table {
    name: "services",
    columns: &[
        "id",
        "slug",
        "name",
        "description",
        "team_id",
        "audience",
        "default_priority",
        "form",
        "active",
        "version",
        "created_at",
        "updated_at",
    ],
};

/// Provider teams; the first is the queue the load lists and the bench agent works.
const PROVIDER_TEAMS: &[(&str, &str)] = &[
    ("care", "Customer Care"),
    ("it", "IT Service Desk"),
    ("hr", "People & HR"),
    ("facilities", "Facilities"),
    ("warehouse", "Warehouse"),
    ("accounting", "Accounting"),
    ("marketing", "Marketing"),
    ("legal", "Legal"),
];
const DEPARTMENTS: &[(&str, &str)] = &[
    ("stores", "Store Operations"),
    ("sales", "Sales"),
    ("finance", "Finance"),
    ("engineering", "Engineering"),
    ("logistics", "Logistics"),
    ("head-office", "Head Office"),
];
const STAKEHOLDERS: &[&str] = &["client", "consumer", "supplier", "shareholder", "partner", "community"];

pub const AGENT_ID: i64 = 2;
pub const CUSTOMER_ID: i64 = 3;
pub const ORG_CUSTOMER_ID: i64 = 4;
pub const QUEUE_TEAM_ID: i64 = 1;
/// The slug of the team with `QUEUE_TEAM_ID` (the first provider team).
pub const QUEUE_TEAM_SLUG: &str = PROVIDER_TEAMS[0].0;
pub const BENCH_ORGANIZATION_ID: i64 = 1;
pub const W1_SERVICE: &str = "care-customers";
pub const BENCH_EMAILS: [&str; 4] =
    ["admin@bench.example", "agent@bench.example", "customer@bench.example", "buyer@bench.example"];

/// Who exists, for the ticket generator to draw requesters, agents and services from.
#[derive(Debug)]
pub struct Directory {
    /// Agents of each provider team (index = team id - 1).
    pub agents: Vec<Vec<i64>>,
    pub employees: Vec<i64>,
    /// External contacts and their organization.
    pub externals: Vec<(i64, Option<i64>)>,
    pub services: Vec<Service>,
}

#[derive(Debug)]
pub struct Service {
    pub id: i64,
    pub team_id: i64,
    pub internal: bool,
    pub external: bool,
}

impl Directory {
    pub fn team_count(&self) -> i64 {
        self.agents.len() as i64
    }
}

/// Builds the directory's rows for a desk of `tickets`, created at `at`.
pub fn build(rng: &mut Rng, tickets: u64, at: i64) -> (Directory, Vec<Rows>) {
    let scaled = |per: u64, low: u64, high: u64| (tickets / per).clamp(low, high);
    let mut builder = Builder { rng, at, people: Rows::new(&PEOPLE), members: Rows::new(&TEAM_MEMBERS), next_id: 1 };
    let organizations = builder.organizations(scaled(500, 5, 2_000) as i64);
    let teams = builder.teams();
    builder.bench_accounts();
    let agents = builder.agents(scaled(40_000, 3, 25));
    let employees = builder.employees(scaled(25, 40, 40_000));
    let externals = builder.externals(scaled(8, 60, 150_000), organizations.len() as i64);
    let (services, service_rows) = builder.services();
    let directory = Directory { agents, employees, externals, services };
    (directory, vec![organizations, teams, builder.people, builder.members, service_rows])
}

struct Builder<'r> {
    rng: &'r mut Rng,
    at: i64,
    people: Rows,
    members: Rows,
    next_id: i64,
}

impl Builder<'_> {
    fn organizations(&mut self, count: i64) -> Rows {
        let mut rows = Rows::new(&ORGANIZATIONS);
        for id in 1..=count {
            let name = format!("{} {} Ltd {id}", self.rng.pick(LAST_NAMES), self.rng.pick(LAST_NAMES));
            rows.push([
                id.into(),
                name.into(),
                format!("org{id}.example").into(),
                "".into(),
                self.at.into(),
                self.at.into(),
            ]);
        }
        rows
    }

    /// Provider teams get ids 1..; departments follow.
    fn teams(&mut self) -> Rows {
        let mut rows = Rows::new(&TEAMS);
        let provider = PROVIDER_TEAMS.iter().map(|team| (team, "team", true));
        let departments = DEPARTMENTS.iter().map(|team| (team, "department", false));
        for (index, ((slug, name), kind, is_provider)) in provider.chain(departments).enumerate() {
            let id = index as i64 + 1;
            let at = self.at;
            let assignment = if *slug == "it" { "round_robin" } else { "queue" };
            rows.push([
                id.into(),
                (*slug).into(),
                (*name).into(),
                kind.into(),
                Value::Null,
                is_provider.into(),
                assignment.into(),
                Value::Null,
                at.into(),
                at.into(),
            ]);
        }
        rows
    }

    fn person(&mut self, email: String, name: String, kind: &str, details: PersonDetails) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let at = self.at;
        let stakeholder = details.stakeholder.into();
        self.people.push([
            id.into(),
            email.into(),
            name.into(),
            kind.into(),
            details.is_admin.into(),
            details.title.into(),
            details.department.into(),
            details.manager.into(),
            details.organization.into(),
            stakeholder,
            Value::Null,
            details.org_access.into(),
            Value::Null,
            1.into(),
            at.into(),
            at.into(),
        ]);
        id
    }

    fn member(&mut self, team: i64, person: i64, role: &str) {
        self.members.push([team.into(), person.into(), role.into(), true.into()]);
    }

    /// The four accounts the load signs in as, always ids 1–4.
    fn bench_accounts(&mut self) {
        let [admin, agent, customer, buyer] = BENCH_EMAILS.map(str::to_owned);
        let admin_details = PersonDetails { is_admin: true, ..PersonDetails::default() };
        self.person(admin, "Bench Admin".into(), "employee", admin_details);
        let agent_details = PersonDetails { department: Some(QUEUE_TEAM_ID), ..PersonDetails::default() };
        let agent = self.person(agent, "Bench Agent".into(), "employee", agent_details);
        self.member(QUEUE_TEAM_ID, agent, "lead");
        let external = |org_access| PersonDetails {
            organization: Some(BENCH_ORGANIZATION_ID),
            stakeholder: Some("client"),
            org_access,
            ..PersonDetails::default()
        };
        self.person(customer, "Bench Customer".into(), "external", external(false));
        self.person(buyer, "Bench Buyer".into(), "external", external(true));
    }

    fn agents(&mut self, per_team: u64) -> Vec<Vec<i64>> {
        let mut teams = Vec::new();
        for team in 1..=PROVIDER_TEAMS.len() as i64 {
            let mut agents = Vec::new();
            for index in 0..per_team {
                let (email, name) = self.name("desk.example");
                let details =
                    PersonDetails { department: Some(team), title: Some("Agent"), ..PersonDetails::default() };
                let id = self.person(email, name, "employee", details);
                self.member(team, id, if index == 0 { "lead" } else { "agent" });
                agents.push(id);
            }
            teams.push(agents);
        }
        teams[0].push(AGENT_ID);
        teams
    }

    fn employees(&mut self, count: u64) -> Vec<i64> {
        let first_department = PROVIDER_TEAMS.len() as i64 + 1;
        let mut managers: Vec<Option<i64>> = vec![None; DEPARTMENTS.len()];
        let mut ids = Vec::new();
        for _ in 0..count {
            let department = self.rng.below(DEPARTMENTS.len() as u64) as usize;
            let (email, name) = self.name("staff.example");
            let manager = managers[department];
            let details = PersonDetails {
                department: Some(first_department + department as i64),
                manager,
                title: Some(if manager.is_none() { "Manager" } else { "Associate" }),
                ..PersonDetails::default()
            };
            let id = self.person(email, name, "employee", details);
            managers[department].get_or_insert(id);
            ids.push(id);
        }
        ids
    }

    fn externals(&mut self, count: u64, organizations: i64) -> Vec<(i64, Option<i64>)> {
        let mut contacts = Vec::new();
        for _ in 0..count {
            let organization = self.rng.chance(70).then(|| self.rng.between(1, organizations as u64) as i64);
            let domain = organization.map_or_else(|| "mail.example".to_owned(), |id| format!("org{id}.example"));
            let (email, name) = self.name(&domain);
            let details = PersonDetails {
                organization,
                stakeholder: Some(*self.rng.pick(STAKEHOLDERS)),
                org_access: organization.is_some() && self.rng.chance(10),
                ..PersonDetails::default()
            };
            contacts.push((self.person(email, name, "external", details), organization));
        }
        contacts
    }

    /// Three services per provider team: for employees, for customers, and for both.
    fn services(&mut self) -> (Vec<Service>, Rows) {
        let mut rows = Rows::new(&SERVICES);
        let mut services = Vec::new();
        let staff_form = r#"[{"key":"reference","label":"Reference","kind":"text","required":false}]"#;
        for (index, (slug, name)) in PROVIDER_TEAMS.iter().enumerate() {
            let team_id = index as i64 + 1;
            for (suffix, audience, form) in
                [("staff", "internal", staff_form), ("customers", "external", "[]"), ("general", "both", "[]")]
            {
                let id = services.len() as i64 + 1;
                let at = self.at;
                rows.push([
                    id.into(),
                    format!("{slug}-{suffix}").into(),
                    format!("{name} ({suffix})").into(),
                    format!("Requests to {name}.").into(),
                    team_id.into(),
                    audience.into(),
                    "normal".into(),
                    form.into(),
                    true.into(),
                    1.into(),
                    at.into(),
                    at.into(),
                ]);
                services.push(Service {
                    id,
                    team_id,
                    internal: audience != "external",
                    external: audience != "internal",
                });
            }
        }
        (services, rows)
    }

    /// A unique email (the person id that follows is unique) and a display name.
    fn name(&mut self, domain: &str) -> (String, String) {
        let (first, last) = (self.rng.pick(FIRST_NAMES), self.rng.pick(LAST_NAMES));
        let email = format!("{}.{}.{}@{domain}", first.to_lowercase(), last.to_lowercase(), self.next_id);
        (email, format!("{first} {last}"))
    }
}

#[derive(Default)]
struct PersonDetails {
    is_admin: bool,
    title: Option<&'static str>,
    department: Option<i64>,
    manager: Option<i64>,
    organization: Option<i64>,
    stakeholder: Option<&'static str>,
    org_access: bool,
}
