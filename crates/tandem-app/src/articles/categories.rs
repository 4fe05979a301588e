//! The help centre's categories: everyone may list them (they are the help centre's headings);
//! admins create them.

use serde::{Deserialize, Serialize};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{Millis, Principal};
use tandem_store::StoreError;
use tandem_store::articles::categories;

use super::views::CategoryView;
use crate::{App, AppError};

#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryInput {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

impl App {
    pub async fn list_article_categories(&self) -> Result<Vec<CategoryView>, AppError> {
        let mut reader = self.store().read().await?;
        Ok(categories::list(reader.conn()).await?.into_iter().map(CategoryView::from).collect())
    }

    pub async fn create_article_category(
        &self,
        principal: &Principal,
        input: CategoryInput,
        now: Millis,
    ) -> Result<CategoryView, AppError> {
        if !principal.is_admin {
            return Err(AppError::forbidden("only admins create categories"));
        }
        let mut errors = FieldErrors::new();
        let slug = validate::slug(&mut errors, "slug", &input.slug);
        let name = validate::required_line(&mut errors, "name", &input.name, 100);
        validate::bounded_text(&mut errors, "description", &input.description, 300, false);
        let description = input.description.trim().to_owned();
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        let id = categories::insert(tx.conn(), &slug, &name, &description, now).await.map_err(slug_taken)?;
        let row = categories::get(tx.conn(), id).await?.ok_or(AppError::NotFound("category"))?;
        tx.commit().await?;
        Ok(row.into())
    }
}

fn slug_taken(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(_) => AppError::conflict("slug_taken", "a category with this slug already exists"),
        other => other.into(),
    }
}
