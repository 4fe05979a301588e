//! What readers do with an article: "this solved my problem" (a deflection: the request they were
//! typing is not filed) and a reaction. Both need a signed-in reader who may read the article;
//! editors see only the counts.

use serde::{Deserialize, Serialize};
use tandem_domain::{ArticleId, Millis, Principal, Reaction};
use tandem_store::articles::{self, feedback};

use super::readable;
use crate::{App, AppError};

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeflectionInput {
    /// The service whose request form the reader was filling in (id or slug), if any.
    #[serde(default)]
    pub service: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReactionInput {
    /// `sucks`, `boring`, `useful`, `interesting` or `awesome`.
    pub reaction: Reaction,
}

impl App {
    /// Records that the article answered what the reader was about to ask.
    pub async fn record_deflection(
        &self,
        principal: &Principal,
        id: ArticleId,
        input: DeflectionInput,
        now: Millis,
    ) -> Result<(), AppError> {
        // The service must be one the reader may request; its answer is a 422, not a leak.
        let service = match input.service.as_deref().filter(|service| !service.is_empty()) {
            Some(service) => Some(match self.get_service(principal, service).await {
                Ok(service) => service.id,
                Err(AppError::NotFound(_)) => return Err(AppError::invalid("service", "no such service")),
                Err(error) => return Err(error),
            }),
            None => None,
        };
        let mut tx = self.store().begin().await?;
        let row = articles::get(tx.conn(), id).await?.filter(|row| readable(Some(principal), row));
        let row = row.ok_or(AppError::NotFound("article"))?;
        feedback::insert_deflection(tx.conn(), row.id, service, principal.person_id, now).await?;
        tx.commit().await?;
        tracing::info!(article.id = id.0, "a request was deflected by article {id}");
        Ok(())
    }

    /// Sets the reader's reaction to the article, replacing an earlier one.
    pub async fn react_to_article(
        &self,
        principal: &Principal,
        id: ArticleId,
        input: ReactionInput,
        now: Millis,
    ) -> Result<(), AppError> {
        let mut tx = self.store().begin().await?;
        let row = articles::get(tx.conn(), id).await?.filter(|row| readable(Some(principal), row));
        let row = row.ok_or(AppError::NotFound("article"))?;
        feedback::upsert_reaction(tx.conn(), row.id, principal.person_id, input.reaction, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
