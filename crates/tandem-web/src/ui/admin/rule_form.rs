//! A routing rule as a form: its fields as typed (lists as checkbox groups, words and tags as
//! comma-separated text, the assignee by email), the choices the form offers, and the rule read
//! back in words for the list ("External requests; subject has refund" → "priority high").

use tandem_app::routing::{RuleInput, RuleView};
use tandem_domain::{
    Channel, OrganizationId, Priority, RuleActions, RuleConditions, RuleId, ServiceId, TeamId, TicketAudience,
};

use super::forms::{Choice, Posted, Problems, humanize, optional_id, optional_word, words};
use super::lookup::{Names, indented, organization_choices, person_by_email, service_choices, tree};
use crate::state::AppState;
use crate::ui::UiError;
use crate::ui::session::Viewer;

/// A rule as posted; list values are the ticked boxes.
#[derive(Clone, Debug, Default)]
pub struct RuleForm {
    pub name: String,
    pub position: String,
    pub enabled: bool,
    pub audience: String,
    pub services: Vec<String>,
    pub channels: Vec<String>,
    pub departments: Vec<String>,
    pub organizations: Vec<String>,
    pub subject_words: String,
    pub team_id: String,
    pub priority: String,
    pub add_tags: String,
    pub assignee_email: String,
    pub version: i64,
}

fn listed(values: &[impl ToString]) -> Vec<String> {
    values.iter().map(ToString::to_string).collect()
}

impl RuleForm {
    pub async fn of(state: &AppState, viewer: &Viewer, rule: RuleView) -> Result<RuleForm, UiError> {
        let (conditions, actions) = (rule.conditions, rule.actions);
        let assignee_email = match actions.assignee_id {
            Some(person) => state.app.get_person(&viewer.principal, person).await?.email,
            None => String::new(),
        };
        Ok(RuleForm {
            name: rule.name,
            position: rule.position.to_string(),
            enabled: rule.enabled,
            audience: conditions.audience.map(|audience| audience.to_string()).unwrap_or_default(),
            services: listed(&conditions.service_ids),
            channels: listed(&conditions.channels),
            departments: listed(&conditions.department_ids),
            organizations: listed(&conditions.organization_ids),
            subject_words: conditions.subject_words.join(", "),
            team_id: actions.team_id.map(|team| team.to_string()).unwrap_or_default(),
            priority: actions.priority.map(|priority| priority.to_string()).unwrap_or_default(),
            add_tags: actions.add_tags.join(", "),
            assignee_email,
            version: rule.version,
        })
    }

    pub fn posted(posted: &Posted) -> RuleForm {
        RuleForm {
            name: posted.get("name").to_owned(),
            position: posted.get("position").to_owned(),
            enabled: posted.checked("enabled"),
            audience: posted.get("audience").to_owned(),
            services: posted.all("service"),
            channels: posted.all("channel"),
            departments: posted.all("department"),
            organizations: posted.all("organization"),
            subject_words: posted.get("subject_words").to_owned(),
            team_id: posted.get("team_id").to_owned(),
            priority: posted.get("priority").to_owned(),
            add_tags: posted.get("add_tags").to_owned(),
            assignee_email: posted.get("assignee_email").to_owned(),
            version: posted.get("version").parse().unwrap_or_default(),
        }
    }

    /// The input that shows an app error: `conditions.subject_words` → `subject_words`,
    /// `actions.assignee_id` → `assignee_email`; `actions` (does nothing) stays on the actions.
    pub fn input_for(field: &str) -> Option<String> {
        let bare = field.strip_prefix("conditions.").or_else(|| field.strip_prefix("actions."))?;
        let input = match bare {
            "assignee_id" => "assignee_email",
            "service_ids" => "service",
            "channels" => "channel",
            "department_ids" => "department",
            "organization_ids" => "organization",
            other => other,
        };
        Some(input.to_owned())
    }
}

/// The rule the form describes, or the problems that stop it before the app is asked.
pub async fn input_of(
    state: &AppState,
    viewer: &Viewer,
    form: &RuleForm,
    problems: &mut Problems,
) -> Result<RuleInput, UiError> {
    let position = match form.position.trim() {
        "" => None,
        typed => typed.parse::<i64>().map_err(|_| problems.add("position", "must be a whole number")).ok(),
    };
    let assignee_id = match form.assignee_email.trim() {
        "" => None,
        email => {
            let found = person_by_email(state, viewer, email).await?;
            if found.is_none() {
                problems.add("assignee_email", "nobody in the directory has this email");
            }
            found.map(|person| person.id)
        }
    };
    let conditions = RuleConditions {
        audience: optional_word::<TicketAudience>(problems, "audience", &form.audience),
        service_ids: ids::<ServiceId>(problems, "service", &form.services),
        channels: form.channels.iter().filter_map(|channel| optional_word(problems, "channel", channel)).collect(),
        department_ids: ids::<TeamId>(problems, "department", &form.departments),
        organization_ids: ids::<OrganizationId>(problems, "organization", &form.organizations),
        subject_words: split(&form.subject_words, |c| c == ',' || c.is_whitespace()),
    };
    let actions = RuleActions {
        team_id: optional_id(problems, "team_id", &form.team_id),
        priority: optional_word::<Priority>(problems, "priority", &form.priority),
        // A tag may hold a space (it becomes a dash), so only commas separate tags.
        add_tags: split(&form.add_tags, |c| c == ','),
        assignee_id,
    };
    Ok(RuleInput { name: form.name.clone(), position, enabled: form.enabled, conditions, actions })
}

fn ids<T: From<i64>>(problems: &mut Problems, field: &str, raw: &[String]) -> Vec<T> {
    raw.iter().filter_map(|id| optional_id(problems, field, id)).collect()
}

fn split(text: &str, separator: impl Fn(char) -> bool) -> Vec<String> {
    text.split(separator).map(str::trim).filter(|part| !part.is_empty()).map(str::to_owned).collect()
}

/// What the rule form offers, with what the form holds ticked or selected.
pub struct RuleChoices {
    pub audiences: Vec<Choice>,
    pub services: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub departments: Vec<Choice>,
    pub organizations: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub priorities: Vec<Choice>,
}

impl RuleChoices {
    pub async fn load(state: &AppState, viewer: &Viewer, form: &RuleForm) -> Result<RuleChoices, UiError> {
        let principal = &viewer.principal;
        let ticked = |values: &[String], id: String| values.contains(&id);
        let teams = tree(state.app.list_teams(principal).await?);
        Ok(RuleChoices {
            audiences: words(TicketAudience::ALL, &form.audience),
            services: service_choices(state, viewer, &form.services).await?,
            channels: Channel::ALL
                .iter()
                .map(|channel| {
                    Choice::new(channel, humanize(channel.as_str()), ticked(&form.channels, channel.to_string()))
                })
                .collect(),
            departments: teams
                .iter()
                .map(|(depth, team)| {
                    let selected = ticked(&form.departments, team.id.to_string());
                    Choice::new(team.id, indented(*depth, &team.name), selected)
                })
                .collect(),
            organizations: organization_choices(state, viewer, &form.organizations).await?,
            teams: teams
                .iter()
                .filter(|(_, team)| team.is_provider)
                .map(|(_, team)| Choice::new(team.id, team.name.clone(), team.id.to_string() == form.team_id))
                .collect(),
            priorities: words(Priority::ALL, &form.priority),
        })
    }
}

/// A rule in words, for the list.
pub struct Summary {
    pub id: RuleId,
    pub position: i64,
    pub name: String,
    pub enabled: bool,
    pub when: String,
    pub then: String,
}

impl Names {
    pub async fn summary(&self, state: &AppState, viewer: &Viewer, rule: RuleView) -> Result<Summary, UiError> {
        let (conditions, actions) = (&rule.conditions, &rule.actions);
        let mut when = Vec::new();
        if let Some(audience) = conditions.audience {
            when.push(format!("{} requests", humanize(audience.as_str())));
        }
        if !conditions.service_ids.is_empty() {
            when.push(format!("service is {}", self.services(&conditions.service_ids)));
        }
        if !conditions.channels.is_empty() {
            when.push(format!("came by {}", listed(&conditions.channels).join(" or ")));
        }
        if !conditions.department_ids.is_empty() {
            when.push(format!("requester in {}", self.teams(&conditions.department_ids)));
        }
        if !conditions.organization_ids.is_empty() {
            when.push(format!("requester from {}", self.organizations(&conditions.organization_ids)));
        }
        if !conditions.subject_words.is_empty() {
            when.push(format!("subject has {}", conditions.subject_words.join(" or ")));
        }
        let mut then = Vec::new();
        if let Some(team) = actions.team_id {
            then.push(format!("team {}", self.teams(&[team])));
        }
        if let Some(priority) = actions.priority {
            then.push(format!("priority {priority}"));
        }
        if !actions.add_tags.is_empty() {
            then.push(format!("tags {}", actions.add_tags.join(", ")));
        }
        if let Some(person) = actions.assignee_id {
            then.push(format!("assign to {}", state.app.get_person(&viewer.principal, person).await?.name));
        }
        Ok(Summary {
            id: rule.id,
            position: rule.position,
            name: rule.name,
            enabled: rule.enabled,
            when: if when.is_empty() { "Every new request".to_owned() } else { when.join("; ") },
            then: then.join("; "),
        })
    }
}
