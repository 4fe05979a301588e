//! `/agent/people/{id}`: a person's profile for staff (history across channels, satisfaction by
//! month, make-goods, referrals, purchases), with a form to record who referred them; and
//! `/agent/detractors`, the list leads work.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::PageRequest;
use tandem_app::directory::people::PersonQuery;
use tandem_app::loyalty::{DetractorOut, DetractorSource, ProfileOut, ReferralInput, WorkedInput};
use tandem_domain::PersonId;

use super::format::status_label;
use super::make_goods::{kind_label, state_label};
use super::require_staff;
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::{VerifiedForm, Viewer};
use crate::ui::{UiError, html};

#[derive(Template)]
#[template(path = "agent_person.html")]
struct ProfilePage {
    layout: Layout,
    profile: ProfileOut,
    /// (ticket, subject, status label, channel, team).
    tickets: Vec<(i64, String, &'static str, &'static str, String)>,
    /// (what, state, ticket).
    make_goods: Vec<(String, &'static str, i64)>,
}

fn person_id(raw: &str) -> Result<PersonId, UiError> {
    raw.parse::<i64>().map(PersonId).map_err(|_| UiError::NotFound)
}

pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let profile = state.app.person_profile(&viewer.principal, person_id(&id)?, crate::now()).await?;
    let tickets = profile
        .tickets
        .iter()
        .map(|ticket| {
            (
                ticket.id.0,
                ticket.subject.clone(),
                status_label(ticket.status),
                ticket.channel.as_str(),
                ticket.team.clone(),
            )
        })
        .collect();
    let make_goods = profile
        .make_goods
        .iter()
        .map(|made| (format!("{} · {}", kind_label(made.kind), made.amount), state_label(made.state), made.ticket_id.0))
        .collect();
    let page = ProfilePage { layout: Layout::for_viewer(&viewer, "agent"), profile, tickets, make_goods };
    Ok(html(&page))
}

#[derive(Debug, Deserialize)]
pub struct ReferralForm {
    #[serde(default)]
    referrer_email: String,
    #[serde(default)]
    note: String,
}

/// `POST /agent/people/{id}/referrals`: records who referred this person (found by email).
pub async fn record_referral(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<ReferralForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let referred = person_id(&id)?;
    let email = form.referrer_email.trim().to_lowercase();
    let query = PersonQuery { q: Some(email.clone()), ..PersonQuery::default() };
    let found = state.app.list_people(&viewer.principal, query, PageRequest { limit: Some(10), cursor: None }).await?;
    let referrer = found.items.into_iter().find(|person| person.email == email);
    let referrer = referrer.ok_or_else(|| UiError::BadRequest(format!("Nobody in Tandem has the email {email}.")))?;
    let note = Some(form.note).filter(|note| !note.trim().is_empty());
    let input = ReferralInput { referrer_id: referrer.id, referred_id: referred, note };
    state.app.record_referral(&viewer.principal, input, crate::now()).await?;
    Ok(Redirect::to(&format!("/agent/people/{referred}#referrals")).into_response())
}

#[derive(Template)]
#[template(path = "agent_detractors.html")]
struct DetractorsPage {
    layout: Layout,
    detractors: Vec<DetractorOut>,
}

fn source_label(source: &DetractorSource) -> &'static str {
    match source {
        DetractorSource::RepeatedLowCsat => "Rated 1 or 2 more than once",
        DetractorSource::RefusedMakeGood => "A make-good declined or rejected",
        DetractorSource::LowNps => "Answered NPS 0 to 6",
        DetractorSource::UnansweredBadReview => "A 1 or 2 star review nobody answered",
    }
}

/// `GET /agent/detractors` (leads and admins).
pub async fn detractors(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let detractors = state.app.detractors(&viewer.principal, crate::now()).await?;
    Ok(html(&DetractorsPage { layout: Layout::for_viewer(&viewer, "agent"), detractors }))
}

#[derive(Debug, Deserialize)]
pub struct WorkedForm {
    #[serde(default)]
    note: String,
}

/// `POST /agent/detractors/{id}/worked`.
pub async fn worked(
    State(state): State<AppState>,
    Path(id): Path<String>,
    VerifiedForm { viewer, form }: VerifiedForm<WorkedForm>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let person = person_id(&id)?;
    state.app.work_detractor(&viewer.principal, person, WorkedInput { note: form.note }, crate::now()).await?;
    Ok(Redirect::to(&format!("/agent/detractors#detractor-{person}")).into_response())
}
