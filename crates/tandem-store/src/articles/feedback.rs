//! What readers did with articles: deflections ("this solved my problem", so no request was
//! filed) and reactions (one per reader and article, changed in place). Editors see counts only.

use tandem_domain::{ArticleId, Millis, PersonId, Reaction, ServiceId};

use crate::{Conn, StoreError, on_conn};

pub async fn insert_deflection(
    conn: Conn<'_>,
    article: ArticleId,
    service: Option<ServiceId>,
    person: PersonId,
    now: Millis,
) -> Result<(), StoreError> {
    const SQL: &str =
        "INSERT INTO article_deflections (article_id, service_id, person_id, created_at) VALUES ($1, $2, $3, $4)";
    on_conn!(conn, c => sqlx::query(SQL)
        .bind(article).bind(service).bind(person).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn deflections(conn: Conn<'_>, article: ArticleId) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM article_deflections WHERE article_id = $1";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, i64>(SQL).bind(article).fetch_one(&mut *c).await)?)
}

/// Records the reader's reaction, replacing their earlier one.
pub async fn upsert_reaction(
    conn: Conn<'_>,
    article: ArticleId,
    person: PersonId,
    reaction: Reaction,
    now: Millis,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO article_reactions (article_id, person_id, reaction, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (article_id, person_id) \
         DO UPDATE SET reaction = excluded.reaction, updated_at = excluded.updated_at";
    on_conn!(conn, c => sqlx::query(SQL)
        .bind(article).bind(person).bind(reaction).bind(now).execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// The reader's own reaction, if any.
pub async fn reaction_of(conn: Conn<'_>, article: ArticleId, person: PersonId) -> Result<Option<Reaction>, StoreError> {
    const SQL: &str = "SELECT reaction FROM article_reactions WHERE article_id = $1 AND person_id = $2";
    Ok(
        on_conn!(conn, c => sqlx::query_scalar::<_, Reaction>(SQL).bind(article).bind(person).fetch_optional(&mut *c).await)?,
    )
}

/// How many readers gave each reaction (reactions nobody gave are absent).
pub async fn reaction_counts(conn: Conn<'_>, article: ArticleId) -> Result<Vec<(Reaction, i64)>, StoreError> {
    const SQL: &str =
        "SELECT reaction, COUNT(*) FROM article_reactions WHERE article_id = $1 GROUP BY reaction ORDER BY reaction";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, (Reaction, i64)>(SQL).bind(article).fetch_all(&mut *c).await)?)
}
