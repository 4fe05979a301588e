//! The side column's context about the ticket: who asked (internal or external, organization,
//! department, title), what else they asked lately, and the latest entries of the audit trail in
//! words.

use serde_json::Value;
use tandem_app::Millis;
use tandem_app::directory::people::PersonView;
use tandem_app::directory::teams::{MemberView, TeamView};
use tandem_app::tickets::{EventOut, TicketOut};
use tandem_domain::{PersonKind, TicketId, TicketStatus};

use super::format::{When, priority_label, status_label};

#[derive(Debug)]
pub(super) struct Profile {
    pub name: String,
    pub email: String,
    pub employee: bool,
    pub organization: Option<String>,
    pub department: Option<String>,
    pub title: Option<String>,
    pub stakeholder: Option<&'static str>,
    pub since: When,
    /// Why mail to them bounced, when it did (Tandem no longer emails them).
    pub undeliverable: Option<String>,
}

impl Profile {
    pub fn new(person: PersonView, ticket: &TicketOut, teams: &[TeamView], now: Millis) -> Profile {
        let department = person.department_id.and_then(|id| teams.iter().find(|team| team.id == id));
        Profile {
            employee: person.kind == PersonKind::Employee,
            organization: ticket.organization.as_ref().map(|organization| organization.name.clone()),
            department: department.map(|team| team.name.clone()),
            title: person.title,
            stakeholder: person.stakeholder.map(|stakeholder| stakeholder.as_str()),
            since: When::of(now, person.created_at),
            undeliverable: person.undeliverable.map(|undeliverable| undeliverable.reason),
            name: person.name,
            email: person.email,
        }
    }
}

#[derive(Debug)]
pub(super) struct HistoryRow {
    pub id: i64,
    pub subject: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub updated: When,
}

/// The requester's latest other tickets (of those the viewer works).
pub(super) fn history(tickets: Vec<TicketOut>, current: TicketId, limit: usize, now: Millis) -> Vec<HistoryRow> {
    tickets
        .into_iter()
        .filter(|ticket| ticket.id != current)
        .take(limit)
        .map(|ticket| HistoryRow {
            id: ticket.id.0,
            status: ticket.status.as_str(),
            status_label: status_label(ticket.status),
            updated: When::of(now, ticket.updated_at),
            subject: ticket.subject,
        })
        .collect()
}

#[derive(Debug)]
pub(super) struct TrailRow {
    pub actor: String,
    pub what: String,
    pub when: When,
}

/// The audit events in words, with the names of the teams and people they point to.
pub(super) fn trail(events: Vec<EventOut>, teams: &[TeamView], members: &[MemberView], now: Millis) -> Vec<TrailRow> {
    let names = Names { teams, members };
    events
        .into_iter()
        .map(|event| TrailRow {
            actor: event.actor.map_or_else(|| "Tandem".to_owned(), |actor| actor.name),
            what: names.describe(&event.kind, &event.data),
            when: When::of(now, event.at),
        })
        .collect()
}

struct Names<'a> {
    teams: &'a [TeamView],
    members: &'a [MemberView],
}

impl Names<'_> {
    fn team(&self, id: &Value) -> String {
        let found = id.as_i64().and_then(|id| self.teams.iter().find(|team| team.id.0 == id));
        found.map_or_else(|| format!("team {id}"), |team| team.name.clone())
    }

    /// People outside the ticket's team (a former assignee) are shown by number.
    fn person(&self, id: &Value) -> String {
        let found = id.as_i64().and_then(|id| self.members.iter().find(|member| member.person_id.0 == id));
        found.map_or_else(|| format!("person {id}"), |member| member.name.clone())
    }

    fn describe(&self, kind: &str, data: &Value) -> String {
        let status =
            |key: &str| data[key].as_str().and_then(|text| text.parse::<TicketStatus>().ok()).map(status_label);
        let priority = |key: &str| {
            data[key].as_str().and_then(|text| text.parse::<tandem_domain::Priority>().ok()).map(priority_label)
        };
        match kind {
            "created" => "opened the ticket".to_owned(),
            "routed" => format!("routed it by the rule “{}”", data["rule_name"].as_str().unwrap_or("?")),
            "assigned" if data["how"] == "taken" => "took the ticket".to_owned(),
            "assigned" if data["assignee_id"].is_null() => "unassigned it".to_owned(),
            "assigned" => format!("assigned it to {}", self.person(&data["assignee_id"])),
            "status_changed" => {
                format!("set the status {} → {}", status("from").unwrap_or("?"), status("to").unwrap_or("?"))
            }
            "priority_changed" => {
                format!("set the priority {} → {}", priority("from").unwrap_or("?"), priority("to").unwrap_or("?"))
            }
            "team_changed" => format!("moved it from {} to {}", self.team(&data["from"]), self.team(&data["to"])),
            "tags_changed" => format!("changed the tags: {}", tag_changes(data)),
            "fields_changed" => "changed the request's fields".to_owned(),
            "subject_changed" => format!("renamed it “{}”", data["to"].as_str().unwrap_or_default()),
            "message_added" if data["visibility"] == "internal" => "added an internal note".to_owned(),
            "message_added" => "added a public message".to_owned(),
            "merged" => format!("merged it into #{}", data["into"]),
            "merged_from" => format!("merged #{} into it", data["from"]),
            other => other.replace('_', " "),
        }
    }
}

/// "+billing −late": what a tags change added and removed.
fn tag_changes(data: &Value) -> String {
    let list = |key: &str, sign: char| -> Vec<String> {
        data[key].as_array().into_iter().flatten().filter_map(Value::as_str).map(|tag| format!("{sign}{tag}")).collect()
    };
    let mut changes = list("added", '+');
    changes.extend(list("removed", '−'));
    changes.join(" ")
}
