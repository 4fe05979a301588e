//! The REST API, `/api/v1`: each handler registered once with utoipa-axum, so the routes and the
//! OpenAPI document cannot drift apart.

mod announcements;
mod articles;
mod chain;
mod feedback;
mod feedback_routing;
pub mod health;
mod incidents;
mod jobs;
mod loyalty;
mod mail;
mod organizations;
mod people;
mod recovery;
mod reviews;
mod rules;
mod services;
mod sessions;
mod standards;
mod surveys;
mod teams;
mod ticket_messages;
mod tickets;
mod uploads;

use axum::extract::DefaultBodyLimit;
use serde::Deserialize;
use tandem_app::PageRequest;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::WebOptions;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Tandem", description = "One service desk for internal and external customers.", version = "1"),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "sessions", description = "Signing in and out, and who am I"),
        (name = "directory", description = "People, organizations, teams and departments"),
        (name = "catalog", description = "Services and their request forms"),
        (name = "routing", description = "Rules that send new tickets to the right team"),
        (name = "tickets", description = "Requests, their conversation, attachments and audit trail"),
        (name = "chain", description = "The service chain: internal requests linked to the tickets they serve"),
        (name = "feedback", description = "Satisfaction ratings, the weakest-link report, and feedback topics and their routing"),
        (name = "jobs", description = "The background job queue: jobs parked after their last attempt"),
        (name = "standards", description = "Business-hours calendars and service standards (SLAs and OLAs)"),
        (name = "email", description = "Mailboxes and the messages they received (admins)"),
        (name = "incidents", description = "Incidents that many tickets of both audiences are linked to (staff)"),
        (name = "knowledge", description = "Help articles for each audience, their search, suggestions and deflections"),
        (name = "announcements", description = "News from admins and team leads to employees, with read receipts"),
        (name = "loyalty", description = "Customer profiles, referrals, purchases and the detractors list"),
        (name = "recovery", description = "Make-goods after a bad experience, their approval and each team's budget"),
        (name = "surveys", description = "NPS and pulse surveys, their results, and signed survey and rating links"),
        (name = "reviews", description = "Customers' reviews of services, public or private, and the teams' answers"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn router(options: &WebOptions) -> OpenApiRouter<AppState> {
    let uploads =
        OpenApiRouter::new().routes(routes!(uploads::upload)).layer(DefaultBodyLimit::max(options.max_upload_bytes));
    let v1 = OpenApiRouter::new()
        .routes(routes!(sessions::login))
        .routes(routes!(sessions::logout))
        .routes(routes!(sessions::me))
        .routes(routes!(people::list_people, people::create_person))
        .routes(routes!(people::show_person, people::update_person))
        .routes(routes!(organizations::list_organizations, organizations::create_organization))
        .routes(routes!(organizations::show_organization, organizations::update_organization))
        .routes(routes!(teams::list_teams, teams::create_team))
        .routes(routes!(teams::show_team, teams::update_team))
        .routes(routes!(teams::list_members))
        .routes(routes!(teams::put_member, teams::remove_member))
        .routes(routes!(services::list_services, services::create_service))
        .routes(routes!(services::show_service, services::update_service))
        .routes(routes!(rules::list_rules, rules::create_rule))
        .routes(routes!(rules::update_rule, rules::delete_rule))
        .routes(routes!(tickets::list_tickets, tickets::create_ticket))
        .routes(routes!(tickets::search_tickets))
        .routes(routes!(tickets::show_ticket, tickets::update_ticket))
        .routes(routes!(tickets::take_ticket))
        .routes(routes!(tickets::merge_ticket))
        .routes(routes!(tickets::list_events))
        .routes(routes!(tickets::add_follower))
        .routes(routes!(tickets::remove_follower))
        .routes(routes!(ticket_messages::list_messages, ticket_messages::post_message))
        .routes(routes!(chain::request_help))
        .routes(routes!(chain::show_chain))
        .routes(routes!(chain::link_ticket))
        .routes(routes!(chain::unlink_ticket))
        .routes(routes!(chain::rate_handoff))
        .routes(routes!(feedback::rate_ticket))
        .routes(routes!(feedback::weakest_links))
        .routes(routes!(uploads::download))
        .routes(routes!(jobs::list_parked_jobs))
        .routes(routes!(jobs::retry_job))
        .routes(routes!(standards::list_calendars, standards::create_calendar))
        .routes(routes!(standards::list_standards, standards::create_standard))
        .routes(routes!(standards::update_calendar, standards::delete_calendar))
        .routes(routes!(standards::update_standard, standards::delete_standard))
        .routes(routes!(standards::import_holidays))
        .routes(routes!(mail::list_mailboxes, mail::create_mailbox))
        .routes(routes!(mail::update_mailbox))
        .routes(routes!(mail::list_inbound))
        .routes(routes!(mail::show_inbound_raw))
        .routes(routes!(incidents::list_incidents, incidents::create_incident))
        .routes(routes!(incidents::show_incident, incidents::update_incident))
        .routes(routes!(incidents::list_incident_tickets, incidents::link_incident_ticket))
        .routes(routes!(incidents::unlink_incident_ticket))
        .routes(routes!(incidents::post_update))
        .routes(routes!(incidents::solve_incident))
        .routes(routes!(articles::list_articles, articles::create_article))
        .routes(routes!(articles::suggest_articles))
        .routes(routes!(articles::show_article, articles::update_article))
        .routes(routes!(articles::publish_article))
        .routes(routes!(articles::list_versions))
        .routes(routes!(articles::deflect))
        .routes(routes!(articles::react))
        .routes(routes!(articles::draft_from_message))
        .routes(routes!(articles::list_categories, articles::create_category))
        .routes(routes!(announcements::list_announcements, announcements::create_announcement))
        .routes(routes!(announcements::show_announcement, announcements::update_announcement))
        .routes(routes!(announcements::publish_announcement))
        .routes(routes!(announcements::withdraw_announcement))
        .routes(routes!(announcements::mark_announcement_read))
        .routes(routes!(recovery::ticket_make_goods, recovery::offer_make_good))
        .routes(routes!(recovery::list_make_goods))
        .routes(routes!(recovery::show_make_good))
        .routes(routes!(recovery::move_make_good))
        .routes(routes!(recovery::put_budget))
        .routes(routes!(recovery::budget_report))
        .routes(routes!(loyalty::show_profile))
        .routes(routes!(loyalty::record_referral))
        .routes(routes!(loyalty::referral_code))
        .routes(routes!(loyalty::claim_referral))
        .routes(routes!(loyalty::record_purchase))
        .routes(routes!(loyalty::import_purchases))
        .routes(routes!(loyalty::list_detractors))
        .routes(routes!(loyalty::work_detractor))
        .routes(routes!(surveys::list_surveys, surveys::create_survey))
        .routes(routes!(surveys::show_survey, surveys::update_survey))
        .routes(routes!(surveys::send_survey))
        .routes(routes!(surveys::survey_results))
        .routes(routes!(surveys::show_survey_link, surveys::answer_survey_link))
        .routes(routes!(reviews::list_reviews, reviews::create_review))
        .routes(routes!(reviews::show_review, reviews::update_review))
        .routes(routes!(reviews::answer_review))
        .routes(routes!(reviews::hide_review))
        .routes(routes!(feedback_routing::list_topics, feedback_routing::create_topic))
        .routes(routes!(feedback_routing::update_topic))
        .routes(routes!(feedback_routing::send_feedback))
        .merge(uploads);
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1)
}

/// `limit` and `cursor` of every list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct PageParams {
    /// Items per page (1–100, default 25).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl From<PageParams> for PageRequest {
    fn from(params: PageParams) -> Self {
        PageRequest { limit: params.limit, cursor: params.cursor }
    }
}
