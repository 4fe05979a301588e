//! A service standard as a form: its conditions as checkbox groups, its targets in business
//! minutes of a chosen calendar, the warning share, and per target what a breach sets off. Inputs
//! are named as the app names its fields (`escalations.resolution.move_to_team_id`), so a refused
//! save lands next to the input without renaming, except the condition lists. Also the standard
//! read back in words for the list.

use std::collections::HashMap;

use tandem_app::standards::{StandardInput, StandardView};
use tandem_domain::standard::{Escalation, Escalations, ONE_STEP, StandardConditions, Targets};
use tandem_domain::{CalendarId, Metric, OrganizationId, Priority, ServiceId, TeamId, TicketAudience};

use super::forms::{Choice, Posted, Problems, humanize, optional_id, optional_word, word, words};
use super::lookup::{Names, indented, name_of, organization_choices, service_choices, tree};
use crate::state::AppState;
use crate::ui::UiError;
use crate::ui::session::Viewer;

/// A standard as typed; list values are the ticked boxes.
#[derive(Clone, Debug, Default)]
pub struct StandardForm {
    pub name: String,
    pub position: String,
    pub enabled: bool,
    pub audience: String,
    pub services: Vec<String>,
    pub teams: Vec<String>,
    pub priorities: Vec<String>,
    pub organizations: Vec<String>,
    pub calendar_id: String,
    pub first_response_minutes: String,
    pub next_response_minutes: String,
    pub resolution_minutes: String,
    pub warn_at_percent: String,
    pub escalations: Vec<EscalationForm>,
    pub derive_from_served: bool,
    pub version: i64,
}

/// What one target's breach sets off, as typed.
#[derive(Clone, Debug)]
pub struct EscalationForm {
    pub metric: Metric,
    pub raise_priority: String,
    pub move_to_team_id: String,
    pub notify: bool,
}

impl EscalationForm {
    /// The input names, as the app names the fields.
    pub fn field(&self) -> String {
        format!("escalations.{}", self.metric)
    }

    pub fn input(&self, part: &str) -> String {
        format!("escalations.{}.{part}", self.metric)
    }

    pub fn label(&self) -> String {
        humanize(self.metric.as_str())
    }
}

fn listed(values: &[impl ToString]) -> Vec<String> {
    values.iter().map(ToString::to_string).collect()
}

fn minutes(value: Option<i64>) -> String {
    value.map(|minutes| minutes.to_string()).unwrap_or_default()
}

impl StandardForm {
    /// An empty form: enabled, warning at 75 %.
    pub fn blank() -> StandardForm {
        let escalations = Metric::ALL
            .iter()
            .map(|&metric| EscalationForm {
                metric,
                raise_priority: String::new(),
                move_to_team_id: String::new(),
                notify: false,
            })
            .collect();
        StandardForm { enabled: true, warn_at_percent: "75".to_owned(), escalations, ..StandardForm::default() }
    }

    pub fn of(standard: &StandardView) -> StandardForm {
        let conditions = &standard.conditions;
        let escalations = Metric::ALL
            .iter()
            .map(|&metric| {
                let escalation = standard.escalations.of(metric).cloned().unwrap_or_default();
                EscalationForm {
                    metric,
                    raise_priority: escalation.raise_priority.unwrap_or_default(),
                    move_to_team_id: escalation.move_to_team_id.map(|team| team.to_string()).unwrap_or_default(),
                    notify: escalation.notify,
                }
            })
            .collect();
        StandardForm {
            name: standard.name.clone(),
            position: standard.position.to_string(),
            enabled: standard.enabled,
            audience: conditions.audience.map(|audience| audience.to_string()).unwrap_or_default(),
            services: listed(&conditions.service_ids),
            teams: listed(&conditions.team_ids),
            priorities: listed(&conditions.priorities),
            organizations: listed(&conditions.organization_ids),
            calendar_id: standard.calendar_id.to_string(),
            first_response_minutes: minutes(standard.targets.first_response_minutes),
            next_response_minutes: minutes(standard.targets.next_response_minutes),
            resolution_minutes: minutes(standard.targets.resolution_minutes),
            warn_at_percent: standard.warn_at_percent.to_string(),
            escalations,
            derive_from_served: standard.derive_from_served,
            version: standard.version,
        }
    }

    pub fn posted(posted: &Posted) -> StandardForm {
        let mut form = StandardForm::blank();
        for escalation in &mut form.escalations {
            escalation.raise_priority = posted.get(&escalation.input("raise_priority")).to_owned();
            escalation.move_to_team_id = posted.get(&escalation.input("move_to_team_id")).to_owned();
            escalation.notify = posted.checked(&escalation.input("notify"));
        }
        StandardForm {
            name: posted.get("name").to_owned(),
            position: posted.get("position").to_owned(),
            enabled: posted.checked("enabled"),
            audience: posted.get("audience").to_owned(),
            services: posted.all("service"),
            teams: posted.all("team"),
            priorities: posted.all("priority"),
            organizations: posted.all("organization"),
            calendar_id: posted.get("calendar_id").to_owned(),
            first_response_minutes: posted.get("first_response_minutes").to_owned(),
            next_response_minutes: posted.get("next_response_minutes").to_owned(),
            resolution_minutes: posted.get("resolution_minutes").to_owned(),
            warn_at_percent: posted.get("warn_at_percent").to_owned(),
            derive_from_served: posted.checked("derive_from_served"),
            version: posted.get("version").parse().unwrap_or_default(),
            ..form
        }
    }

    /// The input that shows an app error: `conditions.team_ids` → the `team` boxes.
    pub fn input_for(field: &str) -> Option<String> {
        let input = match field.strip_prefix("conditions.")? {
            "service_ids" => "service",
            "team_ids" => "team",
            "priorities" => "priority",
            "organization_ids" => "organization",
            other => other,
        };
        Some(input.to_owned())
    }
}

/// A whole number typed in a box, or `None` when blank.
fn number(problems: &mut Problems, field: &str, raw: &str) -> Option<i64> {
    match raw.trim() {
        "" => None,
        typed => typed.parse::<i64>().map_err(|_| problems.add(field, "must be a whole number")).ok(),
    }
}

/// The standard the form describes; what cannot even be read is a problem already.
pub fn input_of(form: &StandardForm, problems: &mut Problems) -> StandardInput {
    let conditions = StandardConditions {
        audience: optional_word::<TicketAudience>(problems, "audience", &form.audience),
        service_ids: ids::<ServiceId>(problems, "service", &form.services),
        team_ids: ids::<TeamId>(problems, "team", &form.teams),
        priorities: form.priorities.iter().filter_map(|priority| word(problems, "priority", priority)).collect(),
        organization_ids: ids::<OrganizationId>(problems, "organization", &form.organizations),
    };
    let calendar_id = optional_id::<CalendarId>(problems, "calendar_id", &form.calendar_id);
    if form.calendar_id.trim().is_empty() {
        problems.add("calendar_id", "pick the calendar whose hours the targets count in");
    }
    let targets = Targets {
        first_response_minutes: number(problems, "first_response_minutes", &form.first_response_minutes),
        next_response_minutes: number(problems, "next_response_minutes", &form.next_response_minutes),
        resolution_minutes: number(problems, "resolution_minutes", &form.resolution_minutes),
    };
    let warn_at_percent = number(problems, "warn_at_percent", &form.warn_at_percent).unwrap_or(0);
    let mut escalations = Escalations::default();
    for typed in &form.escalations {
        let escalation = Escalation {
            raise_priority: Some(typed.raise_priority.trim().to_owned()).filter(|raise| !raise.is_empty()),
            move_to_team_id: optional_id(problems, &typed.input("move_to_team_id"), &typed.move_to_team_id),
            notify: typed.notify,
        };
        // A target with nothing ticked or chosen has no escalation.
        let chosen = (escalation != Escalation::default()).then_some(escalation);
        match typed.metric {
            Metric::FirstResponse => escalations.first_response = chosen,
            Metric::NextResponse => escalations.next_response = chosen,
            Metric::Resolution => escalations.resolution = chosen,
        }
    }
    StandardInput {
        name: form.name.clone(),
        position: number(problems, "position", &form.position),
        enabled: form.enabled,
        conditions,
        calendar_id: calendar_id.unwrap_or(CalendarId(0)),
        targets,
        warn_at_percent,
        escalations,
        derive_from_served: form.derive_from_served,
    }
}

fn ids<T: From<i64>>(problems: &mut Problems, field: &str, raw: &[String]) -> Vec<T> {
    raw.iter().filter_map(|id| optional_id(problems, field, id)).collect()
}

/// What the standard form offers, with what the form holds ticked or selected.
pub struct StandardChoices {
    pub audiences: Vec<Choice>,
    pub services: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub organizations: Vec<Choice>,
    pub calendars: Vec<Choice>,
    /// Per escalation, in the form's order: how to raise the priority, and where to move.
    pub raises: Vec<Vec<Choice>>,
    pub moves: Vec<Vec<Choice>>,
}

impl StandardChoices {
    pub async fn load(state: &AppState, viewer: &Viewer, form: &StandardForm) -> Result<StandardChoices, UiError> {
        let principal = &viewer.principal;
        let teams = tree(state.app.list_teams(principal).await?);
        let providers: Vec<_> = teams.iter().filter(|(_, team)| team.is_provider).collect();
        let calendars = state.app.list_calendars(principal).await?;
        let raises = form
            .escalations
            .iter()
            .map(|typed| {
                let mut choices = vec![Choice::new(ONE_STEP, "one step up", typed.raise_priority == ONE_STEP)];
                choices.extend(
                    words(Priority::ALL, &typed.raise_priority)
                        .into_iter()
                        .map(|choice| Choice { label: format!("to {}", choice.label.to_lowercase()), ..choice }),
                );
                choices
            })
            .collect();
        let moves = form
            .escalations
            .iter()
            .map(|typed| {
                let chosen = |team: TeamId| team.to_string() == typed.move_to_team_id;
                providers.iter().map(|(_, team)| Choice::new(team.id, team.name.clone(), chosen(team.id))).collect()
            })
            .collect();
        Ok(StandardChoices {
            audiences: words(TicketAudience::ALL, &form.audience),
            services: service_choices(state, viewer, &form.services).await?,
            teams: providers
                .iter()
                .map(|(depth, team)| {
                    Choice::new(team.id, indented(*depth, &team.name), form.teams.contains(&team.id.to_string()))
                })
                .collect(),
            priorities: Priority::ALL
                .iter()
                .map(|priority| {
                    let value = priority.to_string();
                    Choice::new(&value, humanize(&value), form.priorities.contains(&value))
                })
                .collect(),
            organizations: organization_choices(state, viewer, &form.organizations).await?,
            calendars: calendars
                .into_iter()
                .map(|calendar| Choice::new(calendar.id, calendar.name, calendar.id.to_string() == form.calendar_id))
                .collect(),
            raises,
            moves,
        })
    }
}

/// A standard in words, for the list.
pub struct Summary {
    pub id: tandem_domain::StandardId,
    pub position: i64,
    pub name: String,
    pub enabled: bool,
    pub when: String,
    pub targets: String,
    pub calendar: String,
}

/// A standard in words, for the list, naming what it points at.
pub fn summary(names: &Names, calendars: &HashMap<CalendarId, String>, standard: StandardView) -> Summary {
    let conditions = &standard.conditions;
    let mut when = Vec::new();
    if let Some(audience) = conditions.audience {
        when.push(format!("{} requests", humanize(audience.as_str())));
    }
    if !conditions.service_ids.is_empty() {
        when.push(format!("service is {}", names.services(&conditions.service_ids)));
    }
    if !conditions.team_ids.is_empty() {
        when.push(format!("team is {}", names.teams(&conditions.team_ids)));
    }
    if !conditions.priorities.is_empty() {
        when.push(format!("priority is {}", listed(&conditions.priorities).join(" or ")));
    }
    if !conditions.organization_ids.is_empty() {
        when.push(format!("requester from {}", names.organizations(&conditions.organization_ids)));
    }
    let targets: Vec<String> = Metric::ALL
        .iter()
        .filter_map(|&metric| {
            let minutes = standard.targets.of(metric)? / 60_000;
            Some(format!("{} {minutes} min", humanize(metric.as_str())))
        })
        .collect();
    Summary {
        id: standard.id,
        position: standard.position,
        when: if when.is_empty() { "Every ticket".to_owned() } else { when.join("; ") },
        targets: targets.join(", "),
        calendar: name_of(calendars, &[standard.calendar_id]),
        name: standard.name,
        enabled: standard.enabled,
    }
}
