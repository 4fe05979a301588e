//! Feedback topics ("store", "delivery", "the office"): what people may tag feedback with, offered
//! to an audience like a service, and owned by teams that each receive the topic's feedback as
//! tickets or in a digest. Admins write them; everyone signed in lists the topics offered to
//! them, but only staff see who owns a topic and how it is routed.

use serde::{Deserialize, Serialize};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{Audience, FeedbackRouting, FeedbackTopicId, Millis, Principal, TeamId};
use tandem_store::feedback_routing::{self as store, OwnerRow, TopicRow};
use tandem_store::{Conn, StoreError, teams};

use crate::tickets::NamedRef;
use crate::{App, AppError, Instant, instant};

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicInput {
    pub slug: String,
    pub name: String,
    /// Who may tag feedback with it: `internal` (employees), `external` (customers) or `both`.
    pub audience: Audience,
    /// The teams that own it (at least one), each with how it receives the topic's feedback.
    pub owners: Vec<OwnerInput>,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerInput {
    pub team_id: TeamId,
    /// `digest` (a daily email), `tickets` (every item a ticket in the team's queue) or
    /// `low_ratings_as_tickets` (1–2 stars a ticket, the rest in the digest).
    pub routing: FeedbackRouting,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TopicView {
    pub id: FeedbackTopicId,
    pub slug: String,
    pub name: String,
    pub audience: Audience,
    /// Staff only: who owns it and how each owner receives its feedback.
    pub owners: Option<Vec<OwnerOut>>,
    pub version: i64,
    pub created_at: Instant,
    pub updated_at: Instant,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OwnerOut {
    pub team: NamedRef,
    pub routing: FeedbackRouting,
}

impl App {
    /// Admins add a topic with its owning teams.
    pub async fn create_topic(
        &self,
        principal: &Principal,
        input: TopicInput,
        now: Millis,
    ) -> Result<TopicView, AppError> {
        require_admin(principal)?;
        let (slug, name, owners) = check(input.slug, input.name, &input.owners)?;
        let mut tx = self.store().begin().await?;
        check_owners(tx.conn(), &owners).await?;
        let id = store::insert_topic(tx.conn(), &slug, &name, input.audience, now).await.map_err(slug_taken)?;
        store::set_owners(tx.conn(), id, &owners).await?;
        let view = topic_view(tx.conn(), principal, id).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Admins rewrite a topic (and its owners) if `expected_version` is still current.
    pub async fn update_topic(
        &self,
        principal: &Principal,
        id: FeedbackTopicId,
        expected_version: i64,
        input: TopicInput,
        now: Millis,
    ) -> Result<TopicView, AppError> {
        require_admin(principal)?;
        let (slug, name, owners) = check(input.slug, input.name, &input.owners)?;
        let mut tx = self.store().begin().await?;
        store::get_topic(tx.conn(), id).await?.ok_or(AppError::NotFound("feedback topic"))?;
        check_owners(tx.conn(), &owners).await?;
        let updated = store::update_topic(tx.conn(), id, expected_version, &slug, &name, input.audience, now)
            .await
            .map_err(slug_taken)?;
        if !updated {
            return Err(AppError::version_conflict("feedback topic"));
        }
        store::set_owners(tx.conn(), id, &owners).await?;
        let view = topic_view(tx.conn(), principal, id).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// The topics the principal may tag feedback with (staff: every topic, with its owners).
    pub async fn list_topics(&self, principal: &Principal) -> Result<Vec<TopicView>, AppError> {
        let mut reader = self.store().read().await?;
        let topics = store::list_topics(reader.conn()).await?;
        let owners = if principal.is_staff() { store::owners(reader.conn(), None).await? } else { Vec::new() };
        Ok(topics
            .into_iter()
            .filter(|topic| offered(principal, topic))
            .map(|topic| view(principal, topic, &owners))
            .collect())
    }
}

/// A topic the principal may tag feedback with, by id or slug; any other is "no such topic".
pub(crate) async fn topic_for(mut conn: Conn<'_>, principal: &Principal, topic: &str) -> Result<TopicRow, AppError> {
    let row = match topic.parse::<i64>() {
        Ok(id) => store::get_topic(conn.reborrow(), FeedbackTopicId(id)).await?,
        Err(_) => store::get_topic_by_slug(conn, topic).await?,
    };
    row.filter(|row| offered(principal, row)).ok_or_else(|| AppError::invalid("topic", "no such topic"))
}

/// Staff may tag anything; everyone else the topics offered to their kind (internal stays internal).
fn offered(principal: &Principal, topic: &TopicRow) -> bool {
    principal.is_staff() || topic.audience.offered_to(principal.kind)
}

fn require_admin(principal: &Principal) -> Result<(), AppError> {
    if principal.is_admin { Ok(()) } else { Err(AppError::forbidden("only admins manage feedback topics")) }
}

type Checked = (String, String, Vec<(TeamId, FeedbackRouting)>);

fn check(slug: String, name: String, owners: &[OwnerInput]) -> Result<Checked, AppError> {
    let mut errors = FieldErrors::new();
    let slug = validate::slug(&mut errors, "slug", &slug);
    let name = validate::required_line(&mut errors, "name", &name, 100);
    if owners.is_empty() {
        errors.add("owners", "name at least one team that owns the topic");
    }
    let mut seen = Vec::new();
    for owner in owners {
        if seen.contains(&owner.team_id) {
            errors.add("owners", "a team owns a topic once");
        }
        seen.push(owner.team_id);
    }
    errors.into_result()?;
    Ok((slug, name, owners.iter().map(|owner| (owner.team_id, owner.routing)).collect()))
}

/// Every owner exists, and a team that gets tickets has a queue (is a provider).
async fn check_owners(mut conn: Conn<'_>, owners: &[(TeamId, FeedbackRouting)]) -> Result<(), AppError> {
    for (team, routing) in owners {
        let row =
            teams::get(conn.reborrow(), *team).await?.ok_or_else(|| AppError::invalid("owners", "no such team"))?;
        if *routing != FeedbackRouting::Digest && !row.is_provider {
            return Err(AppError::invalid(
                "owners",
                format!("{} has no queue for tickets: route it a digest", row.name),
            ));
        }
    }
    Ok(())
}

fn slug_taken(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(_) => AppError::conflict("slug_taken", "a feedback topic with this slug already exists"),
        other => other.into(),
    }
}

async fn topic_view(mut conn: Conn<'_>, principal: &Principal, id: FeedbackTopicId) -> Result<TopicView, AppError> {
    let topic = store::get_topic(conn.reborrow(), id).await?.ok_or(AppError::NotFound("feedback topic"))?;
    let owners = store::owners(conn, Some(id)).await?;
    Ok(view(principal, topic, &owners))
}

fn view(principal: &Principal, topic: TopicRow, owners: &[OwnerRow]) -> TopicView {
    let owners = principal.is_staff().then(|| {
        owners
            .iter()
            .filter(|owner| owner.topic_id == topic.id)
            .map(|owner| OwnerOut {
                team: NamedRef { id: owner.team_id.0, slug: None, name: owner.team_name.clone() },
                routing: owner.routing,
            })
            .collect()
    });
    TopicView {
        id: topic.id,
        slug: topic.slug,
        name: topic.name,
        audience: topic.audience,
        owners,
        version: topic.version,
        created_at: instant(topic.created_at),
        updated_at: instant(topic.updated_at),
    }
}
