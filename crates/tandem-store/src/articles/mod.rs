//! Help articles: the article row with its live (published) copy, and its versions. Readers'
//! queries read only the live columns, which are NULL until the first publish, so a draft can
//! never reach a reader through them. Search over the live copies is in `search.rs` (the one
//! fork), categories in `categories.rs`, deflections and reactions in `feedback.rs`.

pub mod categories;
pub mod feedback;
pub mod search;

use tandem_domain::{ArticleAudience, ArticleCategoryId, ArticleId, Millis, PersonId, TeamId};

use crate::sql::{Arg, SqlBuf};
use crate::{Conn, StoreError, bind_args, on_conn};

macro_rules! columns {
    () => {
        "a.id, a.slug, a.team_id, tm.name AS team_name, a.title, a.category_id, c.name AS category_name, \
         a.audience, a.body, a.published_number, a.published_at, a.latest_number, a.version, a.created_at, \
         a.updated_at FROM articles a JOIN teams tm ON tm.id = a.team_id \
         LEFT JOIN article_categories c ON c.id = a.category_id"
    };
}

/// An article with its live copy (all `None` until it is first published).
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ArticleRow {
    pub id: ArticleId,
    pub slug: String,
    pub team_id: TeamId,
    pub team_name: String,
    pub title: Option<String>,
    pub category_id: Option<ArticleCategoryId>,
    pub category_name: Option<String>,
    pub audience: Option<ArticleAudience>,
    pub body: Option<String>,
    pub published_number: Option<i64>,
    pub published_at: Option<Millis>,
    pub latest_number: i64,
    pub version: i64,
    pub created_at: Millis,
    pub updated_at: Millis,
}

impl ArticleRow {
    /// Whether the newest version is a draft not yet published.
    pub fn has_draft(&self) -> bool {
        self.published_number != Some(self.latest_number)
    }
}

/// What an editor writes in one version.
#[derive(Clone, Debug, PartialEq)]
pub struct VersionFields {
    pub title: String,
    pub category_id: ArticleCategoryId,
    pub audience: ArticleAudience,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct VersionRow {
    pub article_id: ArticleId,
    pub number: i64,
    pub title: String,
    pub category_id: ArticleCategoryId,
    pub category_name: String,
    pub audience: ArticleAudience,
    pub body: String,
    pub author_id: PersonId,
    pub author_name: String,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub published_at: Option<Millis>,
}

macro_rules! version_columns {
    () => {
        "SELECT v.article_id, v.number, v.title, v.category_id, c.name AS category_name, v.audience, v.body, \
         v.author_id, p.name AS author_name, v.created_at, v.updated_at, v.published_at FROM article_versions v \
         JOIN article_categories c ON c.id = v.category_id JOIN people p ON p.id = v.author_id"
    };
}

/// A new article whose first version (number 1) is a draft.
pub async fn insert(
    mut conn: Conn<'_>,
    slug: &str,
    team: TeamId,
    fields: &VersionFields,
    author: PersonId,
    now: Millis,
) -> Result<ArticleId, StoreError> {
    const SQL: &str = "INSERT INTO articles (slug, team_id, latest_number, created_by, version, created_at, updated_at) \
         VALUES ($1, $2, 1, $3, 1, $4, $4) RETURNING id";
    let id = on_conn!(conn.reborrow(), c => sqlx::query_scalar::<_, ArticleId>(SQL)
        .bind(slug).bind(team).bind(author).bind(now).fetch_one(&mut *c).await)?;
    insert_version(conn, id, 1, fields, author, now).await?;
    Ok(id)
}

pub async fn insert_version(
    conn: Conn<'_>,
    article: ArticleId,
    number: i64,
    fields: &VersionFields,
    author: PersonId,
    now: Millis,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO article_versions (article_id, number, title, category_id, audience, body, \
         author_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)";
    on_conn!(conn, c => sqlx::query(SQL)
        .bind(article).bind(number).bind(&fields.title).bind(fields.category_id).bind(fields.audience)
        .bind(&fields.body).bind(author).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// Rewrites a draft in place; `false` if that version is published (history is never changed).
pub async fn update_draft(
    conn: Conn<'_>,
    article: ArticleId,
    number: i64,
    fields: &VersionFields,
    author: PersonId,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE article_versions SET title = $3, category_id = $4, audience = $5, body = $6, \
         author_id = $7, updated_at = $8 WHERE article_id = $1 AND number = $2 AND published_at IS NULL";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(article).bind(number).bind(&fields.title).bind(fields.category_id).bind(fields.audience)
        .bind(&fields.body).bind(author).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Records an edit on the article row if it is still at `expected_version`: its newest version
/// and owning team. It leaves the live copy alone, so readers (and the search index) see no
/// change until the draft is published.
pub async fn touch(
    conn: Conn<'_>,
    id: ArticleId,
    expected_version: i64,
    latest_number: i64,
    team: TeamId,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE articles SET latest_number = $3, team_id = $4, version = version + 1, updated_at = $5 \
         WHERE id = $1 AND version = $2";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(id).bind(expected_version).bind(latest_number).bind(team).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Makes version `number` the live copy and marks it published; `false` if it already was.
pub async fn publish(
    mut conn: Conn<'_>,
    id: ArticleId,
    number: i64,
    publisher: PersonId,
    now: Millis,
) -> Result<bool, StoreError> {
    const MARK: &str = "UPDATE article_versions SET published_at = $3, published_by = $4 \
         WHERE article_id = $1 AND number = $2 AND published_at IS NULL";
    const LIVE: &str = "UPDATE articles SET (title, category_id, audience, body) = \
         (SELECT v.title, v.category_id, v.audience, v.body FROM article_versions v \
          WHERE v.article_id = $1 AND v.number = $2), \
         published_number = $2, published_at = $3, version = version + 1, updated_at = $3 WHERE id = $1";
    let marked = on_conn!(conn.reborrow(), c => sqlx::query(MARK)
        .bind(id).bind(number).bind(now).bind(publisher).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    if marked != 1 {
        return Ok(false);
    }
    on_conn!(conn, c => sqlx::query(LIVE)
        .bind(id).bind(number).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(true)
}

/// Takes the article's row lock (a no-op update), so edits and publishing serialize.
pub async fn lock(conn: Conn<'_>, id: ArticleId) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE articles SET version = version WHERE id = $1";
    let locked =
        on_conn!(conn, c => sqlx::query(SQL).bind(id).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(locked == 1)
}

pub async fn get(conn: Conn<'_>, id: ArticleId) -> Result<Option<ArticleRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " WHERE a.id = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ArticleRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

pub async fn get_by_slug(conn: Conn<'_>, slug: &str) -> Result<Option<ArticleRow>, StoreError> {
    const SQL: &str = concat!("SELECT ", columns!(), " WHERE a.slug = $1");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ArticleRow>(SQL).bind(slug).fetch_optional(&mut *c).await)?)
}

pub async fn slug_taken(conn: Conn<'_>, slug: &str) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM articles WHERE slug = $1";
    let count = on_conn!(conn, c => sqlx::query_scalar::<_, i64>(SQL).bind(slug).fetch_one(&mut *c).await)?;
    Ok(count > 0)
}

/// The three audience placeholders of a reader's filter, filled with the audiences they may read
/// (repeated when fewer), so one SQL text serves every reader.
fn audience_args(audiences: &[ArticleAudience]) -> [ArticleAudience; 3] {
    let at = |index: usize| audiences.get(index).or(audiences.last()).copied().unwrap_or(ArticleAudience::Public);
    [at(0), at(1), at(2)]
}

/// Published articles in one of `audiences` (optionally of one category), by id below `before`,
/// newest first. Only the live copy is read.
pub async fn list_live(
    conn: Conn<'_>,
    audiences: &[ArticleAudience],
    category: Option<ArticleCategoryId>,
    before: ArticleId,
    limit: i64,
) -> Result<Vec<ArticleRow>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " WHERE a.audience IN ($1, $2, $3) AND ($4 IS NULL OR a.category_id = $4) AND a.id < $5 \
         ORDER BY a.id DESC LIMIT $6"
    );
    let [first, second, third] = audience_args(audiences);
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ArticleRow>(SQL)
        .bind(first).bind(second).bind(third).bind(category).bind(before).bind(limit).fetch_all(&mut *c).await)?)
}

/// An article as its editors' list shows it: the newest version's title and audience, whether it
/// is live, and what readers made of it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct EditorRow {
    pub id: ArticleId,
    pub slug: String,
    pub team_id: TeamId,
    pub team_name: String,
    pub title: String,
    pub audience: ArticleAudience,
    pub category_name: String,
    pub published_number: Option<i64>,
    pub latest_number: i64,
    pub updated_at: Millis,
    pub deflections: i64,
    pub reactions: i64,
}

/// Articles (drafts too) of `teams` (every team when `None`), by id below `before`, newest first.
pub async fn list_for_editors(
    conn: Conn<'_>,
    teams: Option<&[TeamId]>,
    before: ArticleId,
    limit: i64,
) -> Result<Vec<EditorRow>, StoreError> {
    let mut sql = SqlBuf::new(
        "SELECT a.id, a.slug, a.team_id, tm.name AS team_name, v.title, v.audience, c.name AS category_name, \
         a.published_number, a.latest_number, a.updated_at, \
         (SELECT COUNT(*) FROM article_deflections d WHERE d.article_id = a.id) AS deflections, \
         (SELECT COUNT(*) FROM article_reactions r WHERE r.article_id = a.id) AS reactions \
         FROM articles a JOIN teams tm ON tm.id = a.team_id \
         JOIN article_versions v ON v.article_id = a.id AND v.number = a.latest_number \
         JOIN article_categories c ON c.id = v.category_id WHERE a.id < ",
    );
    sql.bind(Arg::Int(before.0));
    if let Some(teams) = teams {
        if teams.is_empty() {
            return Ok(Vec::new());
        }
        sql.push(" AND a.team_id IN ").bind_list(teams.iter().map(|team| Arg::Int(team.0)));
    }
    sql.push(" ORDER BY a.id DESC LIMIT ").bind(Arg::Int(limit));
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, EditorRow>(text), args).fetch_all(&mut *c).await)?)
}

pub async fn version(conn: Conn<'_>, id: ArticleId, number: i64) -> Result<Option<VersionRow>, StoreError> {
    const SQL: &str = concat!(version_columns!(), " WHERE v.article_id = $1 AND v.number = $2");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, VersionRow>(SQL)
        .bind(id).bind(number).fetch_optional(&mut *c).await)?)
}

/// The article's versions, newest first (at most `limit`).
pub async fn versions(conn: Conn<'_>, id: ArticleId, limit: i64) -> Result<Vec<VersionRow>, StoreError> {
    const SQL: &str = concat!(version_columns!(), " WHERE v.article_id = $1 ORDER BY v.number DESC LIMIT $2");
    Ok(on_conn!(conn, c => sqlx::query_as::<_, VersionRow>(SQL)
        .bind(id).bind(limit).fetch_all(&mut *c).await)?)
}
