//! The REST API, `/api/v1`: each handler listed once, and served at the path and methods its
//! `#[utoipa::path]` declares, so the routes and the OpenAPI document cannot drift apart.

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

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::MethodRouter;
use serde::Deserialize;
use tandem_app::PageRequest;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::PathItemExt;
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

/// Every route of `/api/v1` but the upload (which has its own body limit), listed once and
/// handed to `$build`: [`documented`] or [`served`].
macro_rules! api_routes {
    ($build:ident) => {
        $build![
            (sessions::login),
            (sessions::logout),
            (sessions::me),
            (people::list_people, people::create_person),
            (people::show_person, people::update_person),
            (organizations::list_organizations, organizations::create_organization),
            (organizations::show_organization, organizations::update_organization),
            (teams::list_teams, teams::create_team),
            (teams::show_team, teams::update_team),
            (teams::list_members),
            (teams::put_member, teams::remove_member),
            (services::list_services, services::create_service),
            (services::show_service, services::update_service),
            (rules::list_rules, rules::create_rule),
            (rules::update_rule, rules::delete_rule),
            (tickets::list_tickets, tickets::create_ticket),
            (tickets::search_tickets),
            (tickets::show_ticket, tickets::update_ticket),
            (tickets::take_ticket),
            (tickets::merge_ticket),
            (tickets::list_events),
            (tickets::add_follower),
            (tickets::remove_follower),
            (ticket_messages::list_messages, ticket_messages::post_message),
            (chain::request_help),
            (chain::show_chain),
            (chain::link_ticket),
            (chain::unlink_ticket),
            (chain::rate_handoff),
            (feedback::rate_ticket),
            (feedback::weakest_links),
            (uploads::download),
            (jobs::list_parked_jobs),
            (jobs::retry_job),
            (standards::list_calendars, standards::create_calendar),
            (standards::list_standards, standards::create_standard),
            (standards::update_calendar, standards::delete_calendar),
            (standards::update_standard, standards::delete_standard),
            (standards::import_holidays),
            (mail::list_mailboxes, mail::create_mailbox),
            (mail::update_mailbox),
            (mail::list_inbound),
            (mail::show_inbound_raw),
            (incidents::list_incidents, incidents::create_incident),
            (incidents::show_incident, incidents::update_incident),
            (incidents::list_incident_tickets, incidents::link_incident_ticket),
            (incidents::unlink_incident_ticket),
            (incidents::post_update),
            (incidents::solve_incident),
            (articles::list_articles, articles::create_article),
            (articles::suggest_articles),
            (articles::show_article, articles::update_article),
            (articles::publish_article),
            (articles::list_versions),
            (articles::deflect),
            (articles::react),
            (articles::draft_from_message),
            (articles::list_categories, articles::create_category),
            (announcements::list_announcements, announcements::create_announcement),
            (announcements::show_announcement, announcements::update_announcement),
            (announcements::publish_announcement),
            (announcements::withdraw_announcement),
            (announcements::mark_announcement_read),
            (recovery::ticket_make_goods, recovery::offer_make_good),
            (recovery::list_make_goods),
            (recovery::show_make_good),
            (recovery::move_make_good),
            (recovery::put_budget),
            (recovery::budget_report),
            (loyalty::show_profile),
            (loyalty::record_referral),
            (loyalty::referral_code),
            (loyalty::claim_referral),
            (loyalty::record_purchase),
            (loyalty::import_purchases),
            (loyalty::list_detractors),
            (loyalty::work_detractor),
            (surveys::list_surveys, surveys::create_survey),
            (surveys::show_survey, surveys::update_survey),
            (surveys::send_survey),
            (surveys::survey_results),
            (surveys::show_survey_link, surveys::answer_survey_link),
            (reviews::list_reviews, reviews::create_review),
            (reviews::show_review, reviews::update_review),
            (reviews::answer_review),
            (reviews::hide_review),
            (feedback_routing::list_topics, feedback_routing::create_topic),
            (feedback_routing::update_topic),
            (feedback_routing::send_feedback),
        ]
    };
}

/// With utoipa-axum, each handler's OpenAPI operation and schemas too: for the document.
macro_rules! documented {
    ($( ($($handler:path),+) ),* $(,)?) => {
        OpenApiRouter::new() $( .routes(routes!($($handler),+)) )*
    };
}

/// Plain axum, each handler at the path and methods its `#[utoipa::path]` declares: for serving.
macro_rules! served {
    ($( ($($module:ident :: $handler:ident),+) ),* $(,)?) => {{
        let router = Router::new();
        $($( let router = pastey::paste!(served_route::<$module::[<__path_ $handler>], _, _>(router, $module::$handler)); )+)*
        router
    }};
}

/// The API with its OpenAPI document (`tandem openapi`, `GET /api/openapi.json`).
pub fn documented(options: &WebOptions) -> OpenApiRouter<AppState> {
    let uploads = documented![(uploads::upload)].layer(DefaultBodyLimit::max(options.max_upload_bytes));
    let v1 = api_routes!(documented).merge(uploads);
    OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1)
}

/// The same routes without the document, which a server builds only when it is asked for:
/// building every operation and schema takes about 7 MiB of heap and touches 10 MiB of code,
/// half of an idle node's memory.
pub fn served(options: &WebOptions) -> Router<AppState> {
    let uploads = served![(uploads::upload)].layer(DefaultBodyLimit::max(options.max_upload_bytes));
    Router::new().nest("/api/v1", api_routes!(served).merge(uploads))
}

fn served_route<P, H, T>(router: Router<AppState>, handler: H) -> Router<AppState>
where
    P: utoipa::Path,
    H: Handler<T, AppState>,
    T: 'static,
{
    let methods = P::methods()
        .iter()
        .fold(MethodRouter::new(), |methods, method| methods.on(method.to_method_filter(), handler.clone()));
    router.route(&P::path(), methods)
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
