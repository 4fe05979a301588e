//! Writing articles: creating one (its first version is a draft), editing (the draft is rewritten
//! in place; editing a published article starts a new draft version, readers keep the published
//! one), and publishing the draft, which makes it the live copy readers and search see.

use serde::{Deserialize, Serialize};
use tandem_domain::article::{may_edit, slug_from_title};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{ArticleAudience, ArticleCategoryId, ArticleId, Millis, Principal, TeamId};
use tandem_store::articles::{self, VersionFields, categories};
use tandem_store::{Conn, teams};

use super::load_for_editor;
use super::read::article_view;
use super::views::ArticleView;
use crate::{App, AppError};

/// An article as an editor writes it; editing sends the whole of it again.
#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleInput {
    pub title: String,
    pub category_id: ArticleCategoryId,
    /// `public` (everyone, signed out too), `employees` (employees and staff) or `agents` (staff).
    pub audience: ArticleAudience,
    /// The owning team: one of yours (admins: any).
    pub team_id: TeamId,
    /// Markdown.
    pub body: String,
    /// The address (`/help/{slug}`), fixed at creation; made from the title when absent.
    #[serde(default)]
    pub slug: Option<String>,
}

const MAX_TITLE_CHARS: usize = 200;
const MAX_BODY_CHARS: usize = 100_000;

impl App {
    /// A new article whose first version is a draft; nobody reads it until it is published.
    pub async fn create_article(
        &self,
        principal: &Principal,
        input: ArticleInput,
        now: Millis,
    ) -> Result<ArticleView, AppError> {
        if !principal.is_staff() {
            return Err(AppError::forbidden("only agents write articles"));
        }
        let mut tx = self.store().begin().await?;
        let (team, fields) = checked(tx.conn(), principal, &input).await?;
        let slug = article_slug(tx.conn(), &input, &fields.title).await?;
        let id = articles::insert(tx.conn(), &slug, team, &fields, principal.person_id, now).await?;
        let row = articles::get(tx.conn(), id).await?;
        let view = article_view(tx.conn(), Some(principal), row).await?;
        tx.commit().await?;
        tracing::info!(article.id = id.0, "article {id} created");
        Ok(view)
    }

    /// Writes the draft if the article is still at `version`: the open draft is rewritten, or
    /// after a publish the next version is started. The published copy does not change.
    pub async fn update_article(
        &self,
        principal: &Principal,
        id: ArticleId,
        version: i64,
        input: ArticleInput,
        now: Millis,
    ) -> Result<ArticleView, AppError> {
        let mut tx = self.store().begin().await?;
        let current = load_for_editor(tx.conn(), principal, id).await?;
        if input.slug.as_deref().is_some_and(|slug| slug != current.slug) {
            return Err(AppError::invalid("slug", "is fixed once the article exists (links point to it)"));
        }
        let (team, fields) = checked(tx.conn(), principal, &input).await?;
        let number = if current.has_draft() {
            articles::update_draft(tx.conn(), id, current.latest_number, &fields, principal.person_id, now).await?;
            current.latest_number
        } else {
            let next = current.latest_number + 1;
            articles::insert_version(tx.conn(), id, next, &fields, principal.person_id, now).await?;
            next
        };
        if !articles::touch(tx.conn(), id, version, number, team, now).await? {
            return Err(AppError::version_conflict("article"));
        }
        let row = articles::get(tx.conn(), id).await?;
        let view = article_view(tx.conn(), Some(principal), row).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Publishes the draft: it becomes what readers see, the version before it stays in history.
    pub async fn publish_article(
        &self,
        principal: &Principal,
        id: ArticleId,
        now: Millis,
    ) -> Result<ArticleView, AppError> {
        let mut tx = self.store().begin().await?;
        let current = load_for_editor(tx.conn(), principal, id).await?;
        if !current.has_draft()
            || !articles::publish(tx.conn(), id, current.latest_number, principal.person_id, now).await?
        {
            return Err(AppError::conflict("nothing_to_publish", "the article has no draft to publish"));
        }
        let row = articles::get(tx.conn(), id).await?;
        let view = article_view(tx.conn(), Some(principal), row).await?;
        tx.commit().await?;
        tracing::info!(article.id = id.0, version = current.latest_number, "article {id} published");
        Ok(view)
    }
}

/// Checks the input field by field: the team must be one the caller edits for, the category must
/// exist.
pub(super) async fn checked(
    mut conn: Conn<'_>,
    principal: &Principal,
    input: &ArticleInput,
) -> Result<(TeamId, VersionFields), AppError> {
    let mut errors = FieldErrors::new();
    let title = validate::required_line(&mut errors, "title", &input.title, MAX_TITLE_CHARS);
    validate::bounded_text(&mut errors, "body", &input.body, MAX_BODY_CHARS, true);
    if !may_edit(principal, input.team_id) {
        errors.add("team_id", "must be one of your teams");
    } else if teams::get(conn.reborrow(), input.team_id).await?.is_none() {
        errors.add("team_id", "no such team");
    }
    if categories::get(conn, input.category_id).await?.is_none() {
        errors.add("category_id", "no such category");
    }
    if let Some(slug) = &input.slug {
        validate::slug(&mut errors, "slug", slug);
    }
    errors.into_result()?;
    let fields =
        VersionFields { title, category_id: input.category_id, audience: input.audience, body: input.body.clone() };
    Ok((input.team_id, fields))
}

/// The slug asked for (refused when taken), or one made from the title, with `-2`, `-3`… added
/// while it is taken.
async fn article_slug(mut conn: Conn<'_>, input: &ArticleInput, title: &str) -> Result<String, AppError> {
    if let Some(slug) = &input.slug {
        let slug = slug.trim().to_owned();
        if articles::slug_taken(conn, &slug).await? {
            return Err(AppError::invalid("slug", "is taken by another article"));
        }
        return Ok(slug);
    }
    let base = slug_from_title(title);
    let mut slug = base.clone();
    for suffix in 2.. {
        if !articles::slug_taken(conn.reborrow(), &slug).await? {
            break;
        }
        slug = format!("{base}-{suffix}");
    }
    Ok(slug)
}
