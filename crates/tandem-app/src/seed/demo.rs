//! Harbor Coffee Co., the demo organization: a coffee company whose front line (Customer Care,
//! the stores) depends on IT, HR, the warehouse, accounting and marketing, with a living desk of
//! tickets in every status for both audiences.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Value, json};
use tandem_domain::person::Assignment;
use tandem_domain::{
    Audience, Connection, FormDef, Millis, PersonKind, Principal, Priority, RuleActions, RuleConditions, Stakeholder,
    TeamRole, TicketAudience,
};

use super::stories::{STORIES, Step, Story};
use super::{Builder, new_person, new_ticket};
use crate::chain::HelpRequest;
use crate::directory::people::NewPerson;
use crate::directory::teams::TeamInput;
use crate::feedback::RatingInput;
use crate::routing::RuleInput;
use crate::tickets::TicketDetail;
use crate::{App, AppError};

/// How many tickets the demo opens (tests count on it).
pub const DEMO_TICKETS: usize = super::stories::demo_tickets() + super::feedback::FEEDBACK_TICKETS;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "demo";

const HOUR: Millis = 60 * 60 * 1000;

/// Loads the demo organization into an empty desk, as of `now`.
pub async fn load_demo(app: &App, now: Millis) -> Result<(), AppError> {
    let start = now - 14 * 24 * HOUR;
    // The demo's two weeks of history happened before the desk existed: nobody is emailed for it.
    let quiet = app.without_outbound();
    let mut builder = Builder::new(&quiet, "admin@harbor.example", "Avery Admin", start).await?;
    let people = build_directory(&builder).await?;
    build_catalog(&builder, &people).await?;
    build_routing(&builder).await?;
    super::standards::build_standards(&builder, start).await?;
    let hash = demo_password_hash().await?;
    for person in people.values().map(|principal| principal.person_id).chain([builder.admin().person_id]) {
        builder.set_password_hash(person, &hash).await?;
    }
    for story in STORIES {
        play(&mut builder, &people, story, now).await?;
    }
    super::incidents::build_incident(builder.at(now - 3 * HOUR / 2), &people).await?;
    super::articles::build_articles(builder.at(now - HOUR), &people).await?;
    super::announcements::build_announcements(builder.at(now - HOUR), &people).await?;
    super::recovery::build_recovery(builder.at(now - HOUR / 2), &people).await?;
    super::recovery::build_loyalty(&builder, &people).await?;
    if let Some(stores) = people["sam@harbor.example"].department_id {
        super::surveys::build_surveys(&mut builder, stores, now).await?;
    }
    super::reviews::build_reviews(&quiet, &people, now).await?;
    super::feedback::build_feedback(&builder, &people, now).await?;
    Ok(())
}

/// The demo password's Argon2id hash, computed once per process: every demo account shares it, and
/// hashing costs ~50 ms (tests load the demo many times).
async fn demo_password_hash() -> Result<String, AppError> {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(hash) = HASH.get() {
        return Ok(hash.clone());
    }
    let hash = crate::passwords::hash(DEMO_PASSWORD.to_owned()).await?;
    Ok(HASH.get_or_init(|| hash).clone())
}

/// Teams, departments, people and organizations; returns principals by email.
async fn build_directory(builder: &Builder) -> Result<HashMap<&'static str, Principal>, AppError> {
    let stores = builder.department("stores", "Store Operations").await?;
    let mut principals = HashMap::new();
    let teams = [
        ("care", "Customer Care", "casey@harbor.example", "Casey Care"),
        ("it", "IT Service Desk", "ivan@harbor.example", "Ivan IT"),
        ("hr", "People & HR", "hana@harbor.example", "Hana HR"),
        ("warehouse", "Warehouse", "wes@harbor.example", "Wes Warehouse"),
        ("accounting", "Accounting", "ada@harbor.example", "Ada Accounting"),
        ("marketing", "Marketing", "mia@harbor.example", "Mia Marketing"),
    ];
    for (slug, name, email, agent) in teams {
        let team = builder.team(slug, name, None).await?;
        builder.mailbox(&team, "harbor.example").await?;
        principals.insert(email, builder.agent(&team, email, agent, TeamRole::Lead).await?);
    }
    // IT hands new tickets out in turn; the others keep a queue agents take from.
    let it = builder.app().list_teams(builder.admin()).await?.into_iter().find(|team| team.slug == "it");
    if let Some(it) = it {
        let input = TeamInput {
            slug: it.slug,
            name: it.name,
            kind: it.kind,
            parent_id: it.parent_id,
            is_provider: true,
            assignment: Assignment::RoundRobin,
        };
        builder.app().update_team(builder.admin(), it.id, input, builder.now).await?;
    }
    let sam = builder
        .person(NewPerson {
            title: Some("Store manager".into()),
            department_id: Some(stores.id),
            ..new_person("sam@harbor.example", "Sam Store", PersonKind::Employee)
        })
        .await?;
    let bea = NewPerson {
        title: Some("Barista".into()),
        department_id: Some(stores.id),
        manager_id: Some(sam.id),
        ..new_person("bea@harbor.example", "Bea Barista", PersonKind::Employee)
    };
    let bea = builder.person(bea).await?;
    let bayside = builder.organization("Bayside Offices", Some("bayside.example")).await?;
    let sunrise = builder.organization("Sunrise Beans", Some("sunrisebeans.example")).await?;
    let erin = builder.external("erin@example.com", "Erin Consumer", None, Some(Stakeholder::Consumer)).await?;
    let olga = NewPerson {
        organization_id: Some(bayside.id),
        stakeholder: Some(Stakeholder::Client),
        title: Some("Office manager, buys for Bayside".into()),
        org_access: true,
        ..new_person("olga@bayside.example", "Olga Buyer", PersonKind::External)
    };
    let olga = builder.person(olga).await?;
    let sol = NewPerson {
        organization_id: Some(sunrise.id),
        stakeholder: Some(Stakeholder::Supplier),
        connection: Some(Connection::Connected),
        ..new_person("sol@sunrisebeans.example", "Sol Supplier", PersonKind::External)
    };
    let sol = builder.person(sol).await?;
    for (email, person) in [
        ("sam@harbor.example", sam.id),
        ("bea@harbor.example", bea.id),
        ("erin@example.com", erin.id),
        ("olga@bayside.example", olga.id),
        ("sol@sunrisebeans.example", sol.id),
    ] {
        principals.insert(email, builder.principal(person).await?);
    }
    Ok(principals)
}

async fn build_catalog(builder: &Builder, people: &HashMap<&'static str, Principal>) -> Result<(), AppError> {
    let team_of = |email: &str| people[email].memberships[0].team_id;
    let form =
        |fields: Value| serde_json::from_value::<FormDef>(fields).map_err(|error| AppError::Internal(error.into()));
    let stores = json!(["Harbor Street", "Pier 9", "Old Town"]);
    let services = [
        (
            "till-or-laptop",
            "Till or laptop problem",
            "ivan@harbor.example",
            Audience::Internal,
            json!([
                {"key": "device", "label": "Device", "kind": "choice", "required": true, "options": ["Till", "Laptop", "Card reader", "Printer"]},
                {"key": "store", "label": "Store", "kind": "choice", "options": stores},
                {"key": "asset_tag", "label": "Asset tag", "kind": "text"},
                {"key": "blocks_sales", "label": "Does it stop sales?", "kind": "yes_no"}
            ]),
        ),
        (
            "benefits-question",
            "Benefits question",
            "hana@harbor.example",
            Audience::Internal,
            json!([
                {"key": "topic", "label": "Topic", "kind": "choice", "options": ["Health", "Pension", "Leave", "Other"]}
            ]),
        ),
        (
            "stock-replenishment",
            "Stock replenishment",
            "wes@harbor.example",
            Audience::Internal,
            json!([
                {"key": "store", "label": "Store", "kind": "choice", "required": true, "options": stores},
                {"key": "item", "label": "Item", "kind": "text", "required": true},
                {"key": "quantity", "label": "Quantity", "kind": "number", "required": true},
                {"key": "needed_by", "label": "Needed by", "kind": "date"}
            ]),
        ),
        (
            "sales-figures",
            "Sales figures",
            "ada@harbor.example",
            Audience::Internal,
            json!([
                {"key": "period", "label": "Period", "kind": "text", "required": true},
                {"key": "store", "label": "Store", "kind": "choice", "options": stores}
            ]),
        ),
        ("employee-discount", "Employee discount card", "hana@harbor.example", Audience::Internal, json!([])),
        (
            "order-problem",
            "Problem with an order",
            "casey@harbor.example",
            Audience::External,
            json!([
                {"key": "order_number", "label": "Order number", "kind": "text", "required": true},
                {"key": "problem", "label": "What went wrong?", "kind": "choice", "options": ["Wrong item", "Missing item", "Damaged", "Late"]}
            ]),
        ),
        (
            "product-question",
            "Question about a product",
            "casey@harbor.example",
            Audience::Both,
            json!([
                {"key": "product", "label": "Product", "kind": "text"}
            ]),
        ),
        (
            "store-feedback",
            "Feedback about a store",
            "mia@harbor.example",
            Audience::Both,
            json!([
                {"key": "store", "label": "Store", "kind": "choice", "options": stores},
                {"key": "visit_date", "label": "Date of visit", "kind": "date"}
            ]),
        ),
    ];
    for (slug, name, owner, audience, fields) in services {
        builder.service(slug, name, team_of(owner), audience, form(fields)?).await?;
    }
    Ok(())
}

async fn build_routing(builder: &Builder) -> Result<(), AppError> {
    let stores = builder.app().list_teams(builder.admin()).await?.into_iter().find(|team| team.slug == "stores");
    let rules = [
        RuleInput {
            name: "Money trouble from customers is urgent for Care".into(),
            position: Some(10),
            enabled: true,
            conditions: RuleConditions {
                audience: Some(TicketAudience::External),
                subject_words: vec!["refund".into(), "charged".into(), "overcharged".into()],
                ..RuleConditions::default()
            },
            actions: RuleActions {
                priority: Some(Priority::High),
                add_tags: vec!["billing".into()],
                ..RuleActions::default()
            },
        },
        RuleInput {
            name: "A store that cannot sell comes first".into(),
            position: Some(20),
            enabled: true,
            conditions: RuleConditions {
                department_ids: stores.map(|team| vec![team.id]).unwrap_or_default(),
                subject_words: vec!["till".into(), "register".into()],
                ..RuleConditions::default()
            },
            actions: RuleActions {
                priority: Some(Priority::Urgent),
                add_tags: vec!["store-down".into()],
                ..RuleActions::default()
            },
        },
    ];
    for rule in rules {
        builder.app().create_rule(builder.admin(), rule, builder.now).await?;
    }
    Ok(())
}

async fn play(
    builder: &mut Builder,
    people: &HashMap<&'static str, Principal>,
    story: &Story,
    now: Millis,
) -> Result<(), AppError> {
    let requester = &people[story.requester];
    builder.at(now - story.hours_ago * HOUR);
    let mut new = new_ticket(Some(story.service), story.subject, story.body);
    new.fields = (story.fields)().as_object().cloned().unwrap_or_default();
    new.channel = Some(tandem_domain::Channel::Web);
    let ticket = builder.ticket_with(requester, new).await?;
    play_steps(builder, people, &ticket, requester, story.steps, now - story.hours_ago * HOUR).await?;
    Ok(())
}

/// Plays `steps` on `ticket` half an hour apart from `start`, by an agent of its team; returns
/// when the last one happened. A step that asks another team plays that request's whole story
/// first, and the ticket's own story goes on after it.
async fn play_steps(
    builder: &mut Builder,
    people: &HashMap<&'static str, Principal>,
    ticket: &TicketDetail,
    requester: &Principal,
    steps: &[Step],
    start: Millis,
) -> Result<Millis, AppError> {
    let agent = people.values().find(|person| person.is_member_of(team_id(ticket))).unwrap_or(builder.admin()).clone();
    let id = ticket.ticket.id;
    let mut at = start;
    for step in steps {
        at += HOUR / 2;
        builder.at(at);
        match step {
            Step::Take => {
                if ticket.ticket.assignee.is_none() {
                    builder.app().take_ticket(&agent, id, builder.now).await?;
                }
            }
            Step::Reply(text) => builder.message(&agent, id, text, false, None).await?,
            Step::Note(text) => builder.message(&agent, id, text, true, None).await?,
            Step::Customer(text) => builder.message(requester, id, text, false, None).await?,
            Step::Set(status) => {
                let current = builder.app().get_ticket(&agent, id).await?.ticket.version;
                let changes = crate::tickets::TicketChanges { status: Some(*status), ..Default::default() };
                builder.app().update_ticket(&agent, id, current, changes, builder.now).await?;
            }
            Step::Ask(request) => {
                let help = HelpRequest {
                    service: Some(request.service.to_owned()),
                    service_id: None,
                    subject: request.subject.to_owned(),
                    body: request.body.to_owned(),
                    fields: (request.fields)().as_object().cloned().unwrap_or_default(),
                    wait: true,
                };
                let asked = builder.app().request_help(&agent, id, help, builder.now).await?;
                at = Box::pin(play_steps(builder, people, &asked, &agent, request.steps, at)).await?;
            }
            Step::Rated(rating, comment) => {
                let input = RatingInput { rating: *rating, comment: Some((*comment).to_owned()), topic: None };
                builder.app().rate_ticket(requester, id, input, builder.now).await?;
            }
        }
    }
    Ok(at)
}

fn team_id(ticket: &crate::tickets::TicketDetail) -> tandem_domain::TeamId {
    tandem_domain::TeamId(ticket.ticket.team.id)
}
