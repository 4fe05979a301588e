//! Full-text search over the articles' live copies: the one place articles' SQL forks by backend
//! (listed in docs/storage.md). SQLite asks the FTS5 table `article_search` (ranked by `bm25`,
//! the title weighted above the body); PostgreSQL the `content_search` tsvector column through
//! its GIN index (ranked by `ts_rank`, title weight A, body B). Both cut a snippet of the body
//! with hits between [`HIT_START`](tandem_domain::search::HIT_START) and [`HIT_END`](tandem_domain::search::HIT_END).
//!
//! The reader's audiences are part of the query: a result, and so its snippet, exists only for
//! an article the reader may read. Drafts are not in the index at all (only the live copy is).
//!
//! A search matches all the words ([`Match::All`]), or any of them ([`Match::Any`]): suggestions
//! fall back to "any" when a whole typed sentence ("my machine needs descaling") matches nothing
//! as a whole; the rank still puts the articles with the most and rarest words first.

use tandem_domain::search::{SearchTerms, Snippet};
use tandem_domain::{ArticleAudience, ArticleCategoryId, ArticleId};

use super::audience_args;
use crate::{Conn, StoreError};

/// Whether every word must match, or one is enough.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    All,
    Any,
}

/// One ranked result.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    pub id: ArticleId,
    pub slug: String,
    pub title: String,
    pub category_id: ArticleCategoryId,
    pub audience: ArticleAudience,
    pub snippet: Snippet,
}

#[derive(sqlx::FromRow)]
struct HitRow {
    id: ArticleId,
    slug: String,
    title: String,
    category_id: ArticleCategoryId,
    audience: ArticleAudience,
    snippet: String,
}

const SQLITE: &str = "SELECT a.id, a.slug, a.title, a.category_id, a.audience, \
     snippet(article_search, 1, char(2), char(3), '…', 12) AS snippet \
     FROM article_search JOIN articles a ON a.id = article_search.rowid \
     WHERE article_search MATCH $1 AND a.audience IN ($2, $3, $4) \
     ORDER BY bm25(article_search, 10.0, 1.0), a.id LIMIT $5";

const POSTGRES: &str = "SELECT a.id, a.slug, a.title, a.category_id, a.audience, \
     ts_headline('english', a.body, q.query, \
       'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=…') \
       AS snippet \
     FROM articles a, to_tsquery('english', $1) AS q(query) \
     WHERE a.content_search @@ q.query AND a.audience IN ($2, $3, $4) \
     ORDER BY ts_rank(a.content_search, q.query) DESC, a.id LIMIT $5";

/// The best `limit` published articles in `audiences` matching `terms`, best first.
pub async fn search(
    conn: Conn<'_>,
    terms: &SearchTerms,
    mode: Match,
    audiences: &[ArticleAudience],
    limit: i64,
) -> Result<Vec<SearchHit>, StoreError> {
    let [first, second, third] = audience_args(audiences);
    let (fts5, tsquery) = match mode {
        Match::All => (terms.fts5(), terms.tsquery()),
        Match::Any => any_of(terms),
    };
    let rows = match conn {
        Conn::Sqlite(c) => {
            sqlx::query_as::<_, HitRow>(SQLITE)
                .bind(fts5)
                .bind(first)
                .bind(second)
                .bind(third)
                .bind(limit)
                .fetch_all(&mut *c)
                .await?
        }
        Conn::Postgres(c) => {
            sqlx::query_as::<_, HitRow>(POSTGRES)
                .bind(tsquery)
                .bind(first)
                .bind(second)
                .bind(third)
                .bind(limit)
                .fetch_all(&mut *c)
                .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|row| SearchHit {
            id: row.id,
            slug: row.slug,
            title: row.title,
            category_id: row.category_id,
            audience: row.audience,
            snippet: Snippet(row.snippet),
        })
        .collect())
}

/// The FTS5 and tsquery expressions for any of the words: the same words `SearchTerms` kept
/// (letters and digits only, so nothing needs quoting beyond what it does), joined by OR, the last
/// still a prefix when the all-words expression makes it one.
fn any_of(terms: &SearchTerms) -> (String, String) {
    let prefix = terms.fts5().ends_with('*');
    let last = terms.words().len() - 1;
    let mut fts5 = Vec::new();
    let mut tsquery = Vec::new();
    for (index, word) in terms.words().iter().enumerate() {
        let star = index == last && prefix;
        fts5.push(format!("\"{word}\"{}", if star { "*" } else { "" }));
        tsquery.push(format!("{word}{}", if star { ":*" } else { "" }));
    }
    (fts5.join(" OR "), tsquery.join(" | "))
}
