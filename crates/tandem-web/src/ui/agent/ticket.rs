//! `GET /agent/tickets/{id}`: the ticket page. Reads everything the page shows at once (the
//! ticket with its conversation, teams, the team's members, the service's form, the requester,
//! their recent tickets, the end of the audit trail) and renders it; the write handlers render
//! the same page again, with what was typed, when a write does not go through.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_app::directory::teams::{MemberView, TeamView};
use tandem_app::tickets::{EmailDelivery, MessageOut, TicketOut, TicketQuery, ViewKind};
use tandem_app::{Millis, PageRequest};
use tandem_domain::{EmailStatus, FormDef, MessageVisibility, PersonId, TicketId, TicketStatus};

use super::chain::ChainLine;
use super::edit::{SideDraft, SideForm};
use super::format::{When, priority_label, status_label};
use super::make_goods::MakeGoodBox;
use super::profile::{HistoryRow, Profile, TrailRow};
use super::reply::Composer;
use super::targets::TargetLine;
use super::ticket_incident::IncidentBox;
use super::{require_staff, ticket_id};
use crate::state::AppState;
use crate::ui::layout::Layout;
use crate::ui::session::Viewer;
use crate::ui::{UiError, html};

/// Audit events shown beside a ticket (the latest ones).
const TRAIL_EVENTS: u32 = 20;
/// The requester's other tickets shown in their history.
const HISTORY_TICKETS: u32 = 5;
/// Messages per page of a long conversation (as many as a ticket's first page holds).
const MESSAGES_PER_PAGE: u32 = 100;

/// Everything the ticket page shows, as the app answered it for the viewer.
pub(super) struct Loaded {
    pub ticket: TicketOut,
    pub messages: Vec<MessageOut>,
    /// Where the conversation continues past what is shown (it shows 100 messages at a time).
    pub later_messages: Option<String>,
    /// Whether the page shows a later part of the conversation than its start.
    pub paged: bool,
    pub teams: Vec<TeamView>,
    pub members: Vec<MemberView>,
    pub form: FormDef,
    pub profile: Profile,
    pub history: Vec<HistoryRow>,
    pub trail: Vec<TrailRow>,
    pub targets: Vec<TargetLine>,
    /// Which standard applies and why, or that none does.
    pub standard: Option<String>,
    pub chain: Vec<ChainLine>,
    /// The requester's rating once solved: "Rated 4/5: “Quick and kind.”"
    pub satisfaction: Option<String>,
    pub incident: IncidentBox,
    pub make_goods: MakeGoodBox,
}

/// Reads the ticket page's data. A ticket the viewer sees only as its requester (a staff member's
/// own request to another team) is not theirs to work: not found, like any ticket of another team.
pub(super) async fn load(state: &AppState, viewer: &Viewer, id: TicketId) -> Result<Loaded, UiError> {
    load_from(state, viewer, id, None).await
}

/// Like [`load`], with the conversation from a position after its start (`after`, a cursor).
async fn load_from(state: &AppState, viewer: &Viewer, id: TicketId, after: Option<String>) -> Result<Loaded, UiError> {
    let principal = &viewer.principal;
    let app = &state.app;
    let detail = app.get_ticket_with_targets(principal, id, crate::now()).await?;
    if detail.ticket.view != ViewKind::Agent {
        return Err(UiError::NotFound);
    }
    let ticket = detail.ticket;
    let targets = super::targets::lines(&detail.targets);
    let standard = detail.standard.map(|matched| matched.summary);
    let satisfaction = detail.satisfaction.map(|rated| match rated.comment {
        Some(comment) => format!("Rated {}/5 by the requester: “{comment}”", rated.rating),
        None => format!("Rated {}/5 by the requester", rated.rating),
    });
    let incident = IncidentBox::load(app, principal, detail.incident).await?;
    let make_goods = MakeGoodBox::load(app, principal, id, ticket.requester.id).await?;
    let paged = after.is_some();
    let (messages, later_messages) = match after {
        Some(cursor) => {
            let page = PageRequest { limit: Some(MESSAGES_PER_PAGE), cursor: Some(cursor) };
            let page = app.list_messages(principal, id, page).await?;
            (page.items, page.next_cursor)
        }
        None => (detail.messages, detail.messages_next_cursor),
    };
    let requester = ticket.requester.id.unwrap_or(PersonId(0));
    let service = ticket.service.as_ref().map(|service| service.id.to_string());
    let history_query = TicketQuery { requester_id: Some(requester), ..TicketQuery::default() };
    // One more than shown: this ticket itself is usually among the requester's latest.
    let history_page = PageRequest { limit: Some(HISTORY_TICKETS + 1), cursor: None };
    let (teams, members, service, person, history, events, chain) = tokio::try_join!(
        app.list_teams(principal),
        app.list_members(principal, tandem_domain::TeamId(ticket.team.id)),
        async {
            match &service {
                Some(service) => app.get_service(principal, service).await.map(Some),
                None => Ok(None),
            }
        },
        app.get_person(principal, requester),
        app.list_tickets(principal, history_query, history_page),
        app.latest_events(principal, id, TRAIL_EVENTS),
        app.ticket_chain(principal, id, crate::now()),
    )?;
    let workable = |link: &tandem_app::chain::ChainLink| {
        principal.is_admin || principal.is_member_of(tandem_domain::TeamId(link.team.id))
    };
    let chain = super::chain::lines(&chain, workable);
    let now = crate::now();
    Ok(Loaded {
        profile: Profile::new(person, &ticket, &teams, now),
        history: super::profile::history(history.items, id, HISTORY_TICKETS as usize, now),
        trail: super::profile::trail(events, &teams, &members, now),
        form: service.map(|service| service.form).unwrap_or_default(),
        messages,
        later_messages,
        paged,
        ticket,
        teams,
        members,
        targets,
        standard,
        chain,
        satisfaction,
        incident,
        make_goods,
    })
}

/// What the page shows beyond the stored ticket: drafts kept after a refused write, and notices.
#[derive(Default)]
pub(super) struct Drafts {
    pub composer: Composer,
    pub side: Option<SideDraft>,
    pub take_error: Option<String>,
    pub notice: Option<String>,
    /// Why a link or a hand-off rating from the chain card did not happen.
    pub chain_error: Option<String>,
}

#[derive(Debug)]
pub(super) struct MessageRow {
    id: i64,
    internal: bool,
    from_requester: bool,
    author: String,
    body: String,
    channel: &'static str,
    attachments: Vec<(i64, String)>,
    /// How the emails of this message went: a state word (a class) and a sentence.
    emails: Vec<(&'static str, String)>,
    when: When,
}

#[derive(Template)]
#[template(path = "agent_ticket.html")]
pub(super) struct TicketPage {
    layout: Layout,
    id: i64,
    subject: String,
    status: &'static str,
    status_label: &'static str,
    priority: &'static str,
    priority_label: &'static str,
    team: String,
    service: Option<String>,
    channel: &'static str,
    opened: When,
    assignee: Option<String>,
    closed: bool,
    can_take: bool,
    take_error: Option<String>,
    messages: Vec<MessageRow>,
    later_messages: Option<String>,
    paged: bool,
    composer: Composer,
    side: SideForm,
    profile: Profile,
    history: Vec<HistoryRow>,
    trail: Vec<TrailRow>,
    targets: Vec<TargetLine>,
    standard: Option<String>,
    chain: Vec<ChainLine>,
    chain_error: Option<String>,
    satisfaction: Option<String>,
    /// Whether the ticket can still ask another team for help (it is not solved, closed or merged).
    can_ask: bool,
    incident: IncidentBox,
    make_goods: MakeGoodBox,
}

impl TicketPage {
    pub fn new(viewer: &Viewer, loaded: Loaded, drafts: Drafts) -> TicketPage {
        let now = crate::now();
        let ticket = &loaded.ticket;
        let requester = ticket.requester.id;
        let priority = ticket.priority.unwrap_or(tandem_domain::Priority::Normal);
        let mut composer = drafts.composer;
        composer.prepare(ticket);
        let open_links: Vec<String> =
            loaded.chain.iter().filter(|link| link.open_request).map(|link| format!("#{}", link.id)).collect();
        composer.open_links = open_links.join(", ");
        let side = SideForm::new(&loaded, drafts.side);
        let later_messages = loaded.later_messages.as_ref().map(|cursor| {
            let query = serde_urlencoded::to_string([("after", cursor)]).unwrap_or_default();
            format!("/agent/tickets/{}?{query}", ticket.id)
        });
        TicketPage {
            layout: Layout::for_viewer(viewer, "agent").with_notice(drafts.notice),
            id: ticket.id.0,
            subject: ticket.subject.clone(),
            status: ticket.status.as_str(),
            status_label: status_label(ticket.status),
            priority: priority.as_str(),
            priority_label: priority_label(priority),
            team: ticket.team.name.clone(),
            service: ticket.service.as_ref().map(|service| service.name.clone()),
            channel: ticket.channel.as_str(),
            opened: When::of(now, ticket.created_at),
            assignee: ticket.assignee.as_ref().map(|person| person.name.clone()),
            closed: ticket.status == TicketStatus::Closed,
            // Only members of the ticket's team may take it (an admin outside it assigns instead).
            can_take: ticket.assignee.is_none()
                && ticket.status != TicketStatus::Closed
                && viewer.principal.is_member_of(tandem_domain::TeamId(ticket.team.id)),
            take_error: drafts.take_error,
            messages: loaded.messages.iter().map(|message| message_row(now, message, requester)).collect(),
            later_messages,
            paged: loaded.paged,
            composer,
            side,
            profile: loaded.profile,
            history: loaded.history,
            trail: loaded.trail,
            targets: loaded.targets,
            standard: loaded.standard,
            can_ask: ticket.status.is_active() && ticket.merged_into_id.is_none(),
            chain: loaded.chain,
            chain_error: drafts.chain_error,
            satisfaction: loaded.satisfaction,
            incident: loaded.incident,
            make_goods: loaded.make_goods,
        }
    }
}

/// Renders the page with a status (200, or the status of a refused write).
pub(super) fn respond(status: StatusCode, page: &TicketPage) -> Response {
    (status, html(page)).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowParams {
    #[serde(default)]
    done: String,
    /// A position in a long conversation.
    #[serde(default)]
    after: String,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(params): Query<ShowParams>,
) -> Result<Response, UiError> {
    require_staff(&viewer)?;
    let after = Some(params.after).filter(|after| !after.is_empty());
    let loaded = load_from(&state, &viewer, ticket_id(&id)?, after).await?;
    let notice = notice(&params.done, &loaded.ticket);
    Ok(respond(StatusCode::OK, &TicketPage::new(&viewer, loaded, Drafts { notice, ..Drafts::default() })))
}

/// What the action that led here did (fixed words; nothing from the URL is shown).
fn notice(done: &str, ticket: &TicketOut) -> Option<String> {
    let text = match done {
        "replied" => format!("Reply sent to {}.", ticket.requester.name),
        "noted" => "Internal note added. Only agents see it.".to_owned(),
        "saved" => "Changes saved.".to_owned(),
        "taken" => "You took this ticket.".to_owned(),
        "asked" => "Request sent: it is linked to this ticket in the service chain.".to_owned(),
        "linked" => "Request linked to this ticket in the service chain.".to_owned(),
        "rated" => "Hand-off rated. Thank you: the serving team sees how it went.".to_owned(),
        "incident_linked" => "Ticket linked to the incident.".to_owned(),
        "make_good" => "Make-good updated.".to_owned(),
        _ => return None,
    };
    Some(text)
}

fn email_line(email: &EmailDelivery) -> (&'static str, String) {
    let to = &email.to;
    match email.status {
        EmailStatus::Sent => ("sent", format!("Emailed to {to}.")),
        EmailStatus::Queued if email.attempts == 0 => ("queued", format!("Sending to {to}…")),
        EmailStatus::Queued => {
            let error = email.error.as_deref().unwrap_or("no reason given");
            ("queued", format!("Sending to {to}: attempt {} failed ({error}), trying again.", email.attempts))
        }
        EmailStatus::Failed => {
            ("failed", format!("Email to {to} failed: {}", email.error.as_deref().unwrap_or("no reason given")))
        }
    }
}

fn message_row(now: Millis, message: &MessageOut, requester: Option<PersonId>) -> MessageRow {
    let author_id = message.author.as_ref().and_then(|author| author.id);
    MessageRow {
        id: message.id.0,
        internal: message.visibility == MessageVisibility::Internal,
        from_requester: author_id.is_some() && author_id == requester,
        author: message.author.as_ref().map_or_else(|| "Tandem".to_owned(), |author| author.name.clone()),
        body: message.body.clone(),
        channel: message.channel.as_str(),
        attachments: message.attachments.iter().map(|file| (file.id.0, file.filename.clone())).collect(),
        emails: message.emails.iter().map(email_line).collect(),
        when: When::of(now, message.created_at),
    }
}
