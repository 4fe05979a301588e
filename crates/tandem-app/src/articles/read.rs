//! Reading articles: a reader's list (newest first, by cursor) or search (ranked, with snippets),
//! an editor's list with drafts and counts, one article by id or slug, and its version history.

use serde::Deserialize;
use tandem_domain::search::SearchTerms;
use tandem_domain::{ArticleCategoryId, ArticleId, Principal};
use tandem_store::Conn;
use tandem_store::articles::search::{self, Match};
use tandem_store::articles::{self, ArticleRow, categories, feedback};

use super::views::{
    ArticleStats, ArticleSummary, ArticleView, ReactionCounts, VersionOut, article_url, editor_summary, hit_summary,
    live_summary, published, team_ref, version_content, version_out,
};
use super::{audiences, is_editor, readable, require_editor};
use crate::page::{decode_cursor, encode_cursor};
use crate::{App, AppError, Page, PageRequest};

/// Filters of the article list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ArticleQuery {
    /// Words to search for: results come ranked, with snippets, on one page.
    pub q: Option<String>,
    /// Only this category.
    pub category_id: Option<ArticleCategoryId>,
    /// `published` (default): what you may read. `editable`: the articles you may edit, drafts
    /// included, with reader counts.
    pub scope: Option<ArticleScope>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArticleScope {
    #[default]
    Published,
    Editable,
}

/// Search results are one page: past this many, a reader refines the words instead.
pub(super) const MAX_RESULTS: u32 = 50;

/// Versions an article's history shows.
const MAX_VERSIONS: i64 = 200;

impl App {
    /// What the reader may read (`None`: a visitor not signed in), or with `scope=editable` what
    /// the caller may edit.
    pub async fn list_articles(
        &self,
        reader: Option<&Principal>,
        query: ArticleQuery,
        page: PageRequest,
    ) -> Result<Page<ArticleSummary>, AppError> {
        let size = page.size(self.limits().max_page_size);
        if query.scope == Some(ArticleScope::Editable) {
            let principal = reader.ok_or(AppError::Unauthorized("sign in to list the articles you edit"))?;
            return self.list_editable(principal, page).await;
        }
        let mut reader_conn = self.store().read().await?;
        if let Some(terms) = query.q.as_deref().and_then(|text| SearchTerms::parse(text, false)) {
            let items = search_hits(reader_conn.conn(), reader, &terms, Match::All, size.min(MAX_RESULTS)).await?;
            return Ok(Page { items, next_cursor: None });
        }
        let before = page.cursor.as_deref().map(decode_cursor::<ArticleId>).transpose()?;
        let before = before.unwrap_or(ArticleId(i64::MAX));
        let rows =
            articles::list_live(reader_conn.conn(), audiences(reader), query.category_id, before, i64::from(size) + 1)
                .await?;
        Ok(Page::from_rows(rows, size, |row| encode_cursor(&row.id), live_summary))
    }

    async fn list_editable(&self, principal: &Principal, page: PageRequest) -> Result<Page<ArticleSummary>, AppError> {
        let size = page.size(self.limits().max_page_size);
        let before = page.cursor.as_deref().map(decode_cursor::<ArticleId>).transpose()?;
        let teams = principal.team_ids();
        let teams = if principal.is_admin { None } else { Some(teams.as_slice()) };
        let mut reader = self.store().read().await?;
        let before = before.unwrap_or(ArticleId(i64::MAX));
        let rows = articles::list_for_editors(reader.conn(), teams, before, i64::from(size) + 1).await?;
        Ok(Page::from_rows(rows, size, |row| encode_cursor(&row.id), editor_summary))
    }

    pub async fn get_article(&self, reader: Option<&Principal>, id: ArticleId) -> Result<ArticleView, AppError> {
        let mut conn = self.store().read().await?;
        let row = articles::get(conn.conn(), id).await?;
        article_view(conn.conn(), reader, row).await
    }

    /// The article at `/help/{slug}`.
    pub async fn get_article_by_slug(&self, reader: Option<&Principal>, slug: &str) -> Result<ArticleView, AppError> {
        let mut conn = self.store().read().await?;
        let row = articles::get_by_slug(conn.conn(), slug).await?;
        article_view(conn.conn(), reader, row).await
    }

    /// Every version, newest first: for editors.
    pub async fn list_article_versions(
        &self,
        principal: &Principal,
        id: ArticleId,
    ) -> Result<Vec<VersionOut>, AppError> {
        let mut reader = self.store().read().await?;
        let row = articles::get(reader.conn(), id).await?.ok_or(AppError::NotFound("article"))?;
        require_editor(principal, &row)?;
        let versions = articles::versions(reader.conn(), id, MAX_VERSIONS).await?;
        Ok(versions.into_iter().map(version_out).collect())
    }
}

/// The best matches the reader may read, with their snippets.
pub(super) async fn search_hits(
    mut conn: Conn<'_>,
    reader: Option<&Principal>,
    terms: &SearchTerms,
    mode: Match,
    limit: u32,
) -> Result<Vec<ArticleSummary>, AppError> {
    let hits = search::search(conn.reborrow(), terms, mode, audiences(reader), i64::from(limit)).await?;
    if hits.is_empty() {
        return Ok(Vec::new());
    }
    let names = categories::list(conn).await?;
    Ok(hits.into_iter().map(|hit| hit_summary(hit, &names)).collect())
}

/// The article as this reader may see it: editors get everything, readers the published copy of
/// an article in their audience; anyone else a 404, exactly as for a missing article.
pub(super) async fn article_view(
    mut conn: Conn<'_>,
    reader: Option<&Principal>,
    row: Option<ArticleRow>,
) -> Result<ArticleView, AppError> {
    let row = row.ok_or(AppError::NotFound("article"))?;
    let editor = is_editor(reader, &row);
    if !editor && !readable(reader, &row) {
        return Err(AppError::NotFound("article"));
    }
    let (draft, stats) = if editor {
        let draft = if row.has_draft() {
            articles::version(conn.reborrow(), row.id, row.latest_number).await?.map(version_content)
        } else {
            None
        };
        let counts = feedback::reaction_counts(conn.reborrow(), row.id).await?;
        let deflections = feedback::deflections(conn.reborrow(), row.id).await?;
        (draft, Some(ArticleStats { deflections, reactions: ReactionCounts::from_counts(&counts) }))
    } else {
        (None, None)
    };
    let my_reaction = match reader {
        Some(principal) => feedback::reaction_of(conn, row.id, principal.person_id).await?,
        None => None,
    };
    Ok(ArticleView {
        id: row.id,
        slug: row.slug.clone(),
        url: article_url(&row.slug),
        team: team_ref(&row),
        published: published(&row),
        draft,
        stats,
        my_reaction,
        can_edit: editor,
        version: row.version,
    })
}
