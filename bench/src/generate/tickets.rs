//! Tickets and everything that hangs off them: messages (public replies and internal notes, about
//! five a ticket), tags, followers and the audit trail, as the app would have written them.
//!
//! Tickets are spread over three years up to now. Old ones are mostly closed; the last weeks hold
//! the new, open and pending work, as on a real desk.

use super::directory::{AGENT_ID, CUSTOMER_ID, Directory, ORG_CUSTOMER_ID, QUEUE_TEAM_ID};
use super::sink::{Rows, Table, Value};
use crate::rng::Rng;
use crate::words;

pub static TICKETS: Table = Table {
    name: "tickets",
    columns: &[
        "id",
        "subject",
        "status",
        "priority",
        "audience",
        "channel",
        "requester_id",
        "recipient_id",
        "organization_id",
        "service_id",
        "team_id",
        "assignee_id",
        "tags",
        "fields",
        "merged_into_id",
        "version",
        "created_at",
        "updated_at",
        "first_responded_at",
        "solved_at",
    ],
};
pub static MESSAGES: Table = Table {
    name: "messages",
    columns: &["id", "ticket_id", "author_id", "visibility", "channel", "body", "created_at"],
};
pub static EVENTS: Table =
    Table { name: "ticket_events", columns: &["id", "ticket_id", "actor_id", "kind", "data", "at"] };
pub static TAGS: Table = Table { name: "ticket_tags", columns: &["tag", "ticket_id"] };
pub static FOLLOWERS: Table = Table { name: "ticket_followers", columns: &["ticket_id", "person_id"] };
pub static LINKS: Table = Table {
    name: "ticket_links",
    columns: &["child_id", "parent_id", "created_by", "created_at", "served_left_ms", "waiting_since", "waited_ms"],
};

/// One ticket in [`CHAIN_EVERY`] whose number is 1 past a multiple, if internal, serves the ticket
/// before it; one 2 past, the ticket before that: chains of two and three links, as an agent
/// asking the warehouse, which asks accounting, makes them.
pub const CHAIN_EVERY: u64 = 25;

const STATUSES: &[&str] = &["new", "open", "pending_customer", "pending_internal", "solved", "closed"];
const PRIORITIES: &[&str] = &["low", "normal", "high", "urgent"];
const CHANNELS: &[&str] = &["web", "email", "api", "phone"];
const HOUR: i64 = 3_600_000;
const SPAN: i64 = 3 * 365 * 24 * HOUR;

/// The rows of a range of tickets.
pub struct Batch {
    pub tickets: Rows,
    pub messages: Rows,
    pub events: Rows,
    pub tags: Rows,
    pub followers: Rows,
    pub links: Rows,
}

impl Batch {
    pub fn into_rows(self) -> [Rows; 6] {
        // Links after tickets: both ends exist when a link row arrives.
        [self.tickets, self.messages, self.events, self.tags, self.followers, self.links]
    }
}

/// Writes tickets in id order, numbering messages and events as it goes.
pub struct TicketWriter<'d> {
    rng: Rng,
    directory: &'d Directory,
    total: u64,
    now: i64,
    next_message: i64,
    next_event: i64,
}

/// What one ticket turned out to be, before it becomes rows.
struct Plan {
    id: i64,
    status: &'static str,
    external: bool,
    channel: &'static str,
    requester: i64,
    organization: Option<i64>,
    service: Option<i64>,
    team: i64,
    assignee: Option<i64>,
    created_at: i64,
}

impl<'d> TicketWriter<'d> {
    pub fn new(seed: u64, directory: &'d Directory, total: u64, now: i64) -> Self {
        TicketWriter { rng: Rng::new(seed), directory, total, now, next_message: 1, next_event: 1 }
    }

    /// The rows of tickets `first..=last`.
    pub fn batch(&mut self, first: u64, last: u64) -> Batch {
        let mut batch = Batch {
            tickets: Rows::new(&TICKETS),
            messages: Rows::new(&MESSAGES),
            events: Rows::new(&EVENTS),
            tags: Rows::new(&TAGS),
            followers: Rows::new(&FOLLOWERS),
            links: Rows::new(&LINKS),
        };
        for id in first..=last {
            let plan = self.plan(id);
            self.write(plan, &mut batch);
        }
        batch
    }

    fn plan(&mut self, id: u64) -> Plan {
        let recency = id as f64 / self.total.max(1) as f64;
        let created_at = self.now - SPAN + (SPAN as f64 * recency) as i64 - self.rng.below(HOUR as u64) as i64;
        let status = STATUSES[self.rng.weighted(status_weights(recency))];
        // The bench customers ask now and then, so their "my requests" list is a real one.
        let stride = (self.total / 20).max(1);
        let bench_customer = match id % stride {
            0 => Some(CUSTOMER_ID),
            1 if self.total > 40 => Some(ORG_CUSTOMER_ID),
            _ => None,
        };
        let external = bench_customer.is_some() || self.rng.chance(60);
        let (requester, organization) = match bench_customer {
            Some(customer) => (customer, Some(super::directory::BENCH_ORGANIZATION_ID)),
            None if external => *self.rng.pick(&self.directory.externals),
            None => (*self.rng.pick(&self.directory.employees), None),
        };
        let service = self.service(external);
        let team = match service {
            Some(index) => self.directory.services[index].team_id,
            None => self.rng.between(1, self.directory.team_count() as u64) as i64,
        };
        let agents = &self.directory.agents[team as usize - 1];
        let assignee = (status != "new" || self.rng.chance(30)).then(|| *self.rng.pick(agents));
        let channel = *self.rng.pick(CHANNELS);
        let service = service.map(|index| self.directory.services[index].id);
        Plan { id: id as i64, status, external, channel, requester, organization, service, team, assignee, created_at }
    }

    /// Customers mostly ask Customer Care; employees ask every team. One ticket in ten came in
    /// by mail or phone with no service.
    fn service(&mut self, external: bool) -> Option<usize> {
        if self.rng.chance(10) {
            return None;
        }
        let services = &self.directory.services;
        if external && self.rng.chance(60) {
            return services.iter().position(|service| service.team_id == QUEUE_TEAM_ID && !service.internal);
        }
        let offered: Vec<usize> = (0..services.len())
            .filter(|&index| if external { services[index].external } else { services[index].internal })
            .collect();
        Some(*self.rng.pick(&offered))
    }

    fn write(&mut self, plan: Plan, batch: &mut Batch) {
        self.link(&plan, batch);
        let tags = self.tags(plan.id, batch);
        let priority = PRIORITIES[self.rng.weighted(&[20, 60, 15, 5])];
        let actor = Some(plan.requester);
        let created = format!(
            r#"{{"channel":"{}","requester_id":{},"team_id":{},"service_id":{},"priority":"{priority}","tags":{tags}}}"#,
            plan.channel,
            plan.requester,
            plan.team,
            plan.service.map_or("null".to_owned(), |id| id.to_string()),
        );
        self.event(batch, plan.id, actor, "created", created, plan.created_at);
        let mut at = plan.created_at;
        if let Some(assignee) = plan.assignee {
            at += self.gap();
            self.event(
                batch,
                plan.id,
                Some(assignee),
                "assigned",
                format!(r#"{{"assignee_id":{assignee},"how":"taken"}}"#),
                at,
            );
        }
        let conversation = self.conversation(&plan, batch, at);
        let follower = self.rng.chance(10).then(|| *self.rng.pick(&self.directory.agents[plan.team as usize - 1]));
        if let Some(follower) = follower.filter(|follower| Some(*follower) != plan.assignee) {
            batch.followers.push([plan.id.into(), follower.into()]);
            let data = format!(r#"{{"person_id":{follower}}}"#);
            self.event(batch, plan.id, plan.assignee, "follower_added", data, conversation.last_at);
        }
        let mut updated_at = conversation.last_at;
        let solved_at = matches!(plan.status, "solved" | "closed").then(|| {
            updated_at += self.gap();
            updated_at
        });
        if plan.status != conversation.status {
            let data = format!(r#"{{"from":"{}","to":"{}"}}"#, conversation.status, plan.status);
            self.event(batch, plan.id, plan.assignee, "status_changed", data, updated_at);
        }
        let recipient =
            self.rng.chance(3).then(|| *self.rng.pick(&self.directory.employees)).filter(|_| !plan.external);
        let version = 1 + conversation.count as i64 + i64::from(plan.assignee.is_some());
        batch.tickets.push([
            plan.id.into(),
            words::subject(&mut self.rng).into(),
            plan.status.into(),
            priority.into(),
            (if plan.external { "external" } else { "internal" }).into(),
            plan.channel.into(),
            plan.requester.into(),
            recipient.into(),
            plan.organization.into(),
            plan.service.into(),
            plan.team.into(),
            plan.assignee.into(),
            tags.into(),
            "{}".into(),
            Value::Null,
            version.into(),
            plan.created_at.into(),
            updated_at.into(),
            conversation.first_response.into(),
            solved_at.into(),
        ]);
    }

    /// An internal request serving the ticket before it (see [`CHAIN_EVERY`]), with the time it
    /// kept it waiting.
    fn link(&mut self, plan: &Plan, batch: &mut Batch) {
        let place = plan.id as u64 % CHAIN_EVERY;
        if plan.external || plan.id <= 2 || !(1..=2).contains(&place) {
            return;
        }
        let waited = self.rng.below(8 * HOUR as u64) as i64;
        batch.links.push([
            plan.id.into(),
            (plan.id - 1).into(),
            plan.requester.into(),
            plan.created_at.into(),
            Value::Null,
            Value::Null,
            waited.into(),
        ]);
    }

    /// Zero to three tags, as rows and as the ticket's JSON list.
    fn tags(&mut self, ticket: i64, batch: &mut Batch) -> String {
        let mut tags: Vec<&str> =
            (0..self.rng.weighted(&[40, 35, 15, 10])).map(|_| words::word(&mut self.rng)).collect();
        tags.sort_unstable();
        tags.dedup();
        for tag in &tags {
            batch.tags.push([(*tag).into(), ticket.into()]);
        }
        serde_json::to_string(&tags).unwrap_or_else(|_| "[]".to_owned())
    }

    /// The requester's first message, then replies, customer answers and internal notes.
    fn conversation(&mut self, plan: &Plan, batch: &mut Batch, mut at: i64) -> Conversation {
        let count = if plan.status == "new" { 1 + self.rng.below(2) } else { self.rng.between(2, 8) };
        self.message(batch, plan.id, plan.requester, "public", plan.channel, plan.created_at);
        let mut outcome = Conversation { status: "new", first_response: None, last_at: at, count };
        for index in 1..count {
            at += self.gap();
            let agent = plan.assignee.unwrap_or(AGENT_ID);
            let (author, visibility) = match index % 2 {
                _ if plan.status == "new" || self.rng.chance(20) => (agent, "internal"),
                1 => (agent, "public"),
                _ => (plan.requester, "public"),
            };
            let message = self.message(batch, plan.id, author, visibility, "web", at);
            let data = format!(r#"{{"message_id":{message},"visibility":"{visibility}"}}"#);
            self.event(batch, plan.id, Some(author), "message_added", data, at);
            if author == agent && visibility == "public" && outcome.first_response.is_none() {
                outcome.first_response = Some(at);
                outcome.status = "open";
                self.event(batch, plan.id, Some(author), "status_changed", r#"{"from":"new","to":"open"}"#.into(), at);
            }
        }
        outcome.last_at = at;
        outcome
    }

    fn message(
        &mut self,
        batch: &mut Batch,
        ticket: i64,
        author: i64,
        visibility: &str,
        channel: &str,
        at: i64,
    ) -> i64 {
        let id = self.next_message;
        self.next_message += 1;
        let mut body = words::body(&mut self.rng, 12, 70);
        if self.rng.chance(words::MODEL_MENTION_PERCENT) {
            body.push_str(&format!(" It is the {} model.", words::model(&mut self.rng)));
        }
        batch.messages.push([
            id.into(),
            ticket.into(),
            author.into(),
            visibility.into(),
            channel.into(),
            body.into(),
            at.into(),
        ]);
        id
    }

    fn event(&mut self, batch: &mut Batch, ticket: i64, actor: Option<i64>, kind: &str, data: String, at: i64) {
        let id = self.next_event;
        self.next_event += 1;
        batch.events.push([id.into(), ticket.into(), actor.into(), kind.into(), data.into(), at.into()]);
    }

    /// Time between two steps of a ticket: minutes to a day.
    fn gap(&mut self) -> i64 {
        self.rng.between(5 * 60_000, 24 * HOUR as u64) as i64
    }
}

struct Conversation {
    /// The status the conversation left the ticket in (`open` after the first public reply).
    status: &'static str,
    first_response: Option<i64>,
    last_at: i64,
    count: u64,
}

/// Weights of [`STATUSES`] by how recent a ticket is (0 = oldest, 1 = newest).
fn status_weights(recency: f64) -> &'static [u64] {
    if recency > 0.98 {
        &[25, 30, 15, 10, 20, 0]
    } else if recency > 0.90 {
        &[0, 10, 5, 3, 30, 52]
    } else {
        &[0, 1, 0, 0, 2, 97]
    }
}
