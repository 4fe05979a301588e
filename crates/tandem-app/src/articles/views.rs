//! Articles as the API and the pages show them: the published copy for readers; the draft, the
//! history and the reader counts (never who reacted) for editors only.

use serde::Serialize;
use tandem_domain::{ArticleAudience, ArticleCategoryId, ArticleId, PersonId, Reaction};
use tandem_mail::markdown_to_html;
use tandem_store::articles::categories::CategoryRow;
use tandem_store::articles::search::SearchHit;
use tandem_store::articles::{ArticleRow, EditorRow, VersionRow};

use crate::tickets::NamedRef;
use crate::{Instant, instant};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleView {
    pub id: ArticleId,
    pub slug: String,
    /// Where readers find it in the help centre.
    pub url: String,
    /// The owning team: its agents (and admins) edit and publish.
    pub team: NamedRef,
    /// What readers see; `null` until the article is first published.
    pub published: Option<ArticleContent>,
    /// Editors only: the newest version, when it is a draft not yet published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<ArticleContent>,
    /// Editors only: what readers did with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<ArticleStats>,
    /// The caller's own reaction, if they gave one.
    pub my_reaction: Option<Reaction>,
    /// Whether the caller may edit and publish it.
    pub can_edit: bool,
    /// Send it back in `If-Match` to edit.
    pub version: i64,
}

/// One version's content.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleContent {
    /// The version number (1, 2, …).
    pub number: i64,
    pub title: String,
    pub category: CategoryRef,
    pub audience: ArticleAudience,
    /// Markdown, as written.
    pub body: String,
    /// The body rendered and sanitized: safe to insert into a page.
    pub body_html: String,
    pub updated_at: Instant,
    pub published_at: Option<Instant>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CategoryRef {
    pub id: ArticleCategoryId,
    pub name: String,
}

#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct ArticleStats {
    /// Requests not filed because this article answered them.
    pub deflections: i64,
    pub reactions: ReactionCounts,
}

/// How many readers gave each reaction.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct ReactionCounts {
    pub sucks: i64,
    pub boring: i64,
    pub useful: i64,
    pub interesting: i64,
    pub awesome: i64,
}

impl ReactionCounts {
    pub fn from_counts(counts: &[(Reaction, i64)]) -> ReactionCounts {
        let mut out = ReactionCounts::default();
        for (reaction, count) in counts {
            let slot = match reaction {
                Reaction::Sucks => &mut out.sucks,
                Reaction::Boring => &mut out.boring,
                Reaction::Useful => &mut out.useful,
                Reaction::Interesting => &mut out.interesting,
                Reaction::Awesome => &mut out.awesome,
            };
            *slot = *count;
        }
        out
    }
}

/// One line of a list or of search results.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub slug: String,
    pub url: String,
    /// For editors' lists, the newest version's title (a draft's, if there is one).
    pub title: String,
    pub category: String,
    pub audience: ArticleAudience,
    /// Search results only: where the words were found, as HTML (escaped text, hits in `<mark>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet_html: Option<String>,
    /// Editors' list only: `draft` (never published), `published`, or `published_with_draft`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<NamedRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deflections: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reactions: Option<i64>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CategoryView {
    pub id: ArticleCategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// One version in an article's history.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct VersionOut {
    #[serde(flatten)]
    pub content: ArticleContent,
    pub author_id: PersonId,
    pub author_name: String,
    pub created_at: Instant,
}

pub fn article_url(slug: &str) -> String {
    format!("/help/{slug}")
}

pub(super) fn team_ref(row: &ArticleRow) -> NamedRef {
    NamedRef { id: row.team_id.0, slug: None, name: row.team_name.clone() }
}

/// The live copy of an article; `None` when it was never published.
pub(super) fn published(row: &ArticleRow) -> Option<ArticleContent> {
    let (Some(number), Some(title), Some(category_id), Some(audience), Some(body)) =
        (row.published_number, row.title.clone(), row.category_id, row.audience, row.body.clone())
    else {
        return None;
    };
    Some(ArticleContent {
        number,
        title,
        category: CategoryRef { id: category_id, name: row.category_name.clone().unwrap_or_default() },
        audience,
        body_html: markdown_to_html(&body),
        body,
        updated_at: instant(row.published_at.unwrap_or(row.updated_at)),
        published_at: row.published_at.map(instant),
    })
}

pub(super) fn version_content(row: VersionRow) -> ArticleContent {
    ArticleContent {
        number: row.number,
        title: row.title,
        category: CategoryRef { id: row.category_id, name: row.category_name },
        audience: row.audience,
        body_html: markdown_to_html(&row.body),
        body: row.body,
        updated_at: instant(row.updated_at),
        published_at: row.published_at.map(instant),
    }
}

pub(super) fn version_out(row: VersionRow) -> VersionOut {
    let (author_id, author_name, created_at) = (row.author_id, row.author_name.clone(), instant(row.created_at));
    VersionOut { content: version_content(row), author_id, author_name, created_at }
}

/// A published article in a reader's list.
pub(super) fn live_summary(row: ArticleRow) -> ArticleSummary {
    ArticleSummary {
        id: row.id,
        url: article_url(&row.slug),
        slug: row.slug,
        title: row.title.unwrap_or_default(),
        category: row.category_name.unwrap_or_default(),
        audience: row.audience.unwrap_or(ArticleAudience::Agents),
        snippet_html: None,
        status: None,
        team: None,
        deflections: None,
        reactions: None,
    }
}

pub(super) fn hit_summary(hit: SearchHit, categories: &[CategoryRow]) -> ArticleSummary {
    let category = categories.iter().find(|category| category.id == hit.category_id);
    ArticleSummary {
        id: hit.id,
        url: article_url(&hit.slug),
        slug: hit.slug,
        title: hit.title,
        category: category.map(|category| category.name.clone()).unwrap_or_default(),
        audience: hit.audience,
        snippet_html: Some(hit.snippet.to_html()),
        status: None,
        team: None,
        deflections: None,
        reactions: None,
    }
}

pub(super) fn editor_summary(row: EditorRow) -> ArticleSummary {
    let status = match row.published_number {
        None => "draft",
        Some(number) if number == row.latest_number => "published",
        Some(_) => "published_with_draft",
    };
    ArticleSummary {
        id: row.id,
        url: article_url(&row.slug),
        slug: row.slug,
        title: row.title,
        category: row.category_name,
        audience: row.audience,
        snippet_html: None,
        status: Some(status),
        team: Some(NamedRef { id: row.team_id.0, slug: None, name: row.team_name }),
        deflections: Some(row.deflections),
        reactions: Some(row.reactions),
    }
}

impl From<CategoryRow> for CategoryView {
    fn from(row: CategoryRow) -> Self {
        CategoryView { id: row.id, slug: row.slug, name: row.name, description: row.description }
    }
}
