//! The help centre's categories ("Orders and shipping", "IT how-tos"): a slug, a name, a line.

use tandem_domain::{ArticleCategoryId, Millis};

use crate::{Conn, StoreError, on_conn};

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct CategoryRow {
    pub id: ArticleCategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
}

pub async fn insert(
    conn: Conn<'_>,
    slug: &str,
    name: &str,
    description: &str,
    now: Millis,
) -> Result<ArticleCategoryId, StoreError> {
    const SQL: &str =
        "INSERT INTO article_categories (slug, name, description, created_at) VALUES ($1, $2, $3, $4) RETURNING id";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, ArticleCategoryId>(SQL)
        .bind(slug).bind(name).bind(description).bind(now).fetch_one(&mut *c).await)?)
}

pub async fn get(conn: Conn<'_>, id: ArticleCategoryId) -> Result<Option<CategoryRow>, StoreError> {
    const SQL: &str = "SELECT id, slug, name, description FROM article_categories WHERE id = $1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, CategoryRow>(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Every category by name; a help centre has tens, not thousands, so one bounded read.
pub async fn list(conn: Conn<'_>) -> Result<Vec<CategoryRow>, StoreError> {
    const SQL: &str = "SELECT id, slug, name, description FROM article_categories ORDER BY name, id LIMIT 500";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, CategoryRow>(SQL).fetch_all(&mut *c).await)?)
}
