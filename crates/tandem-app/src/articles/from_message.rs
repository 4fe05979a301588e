//! "Turn into draft article": a good public answer on a ticket becomes the first draft of an
//! article owned by the ticket's team, for the audience of the ticket's requesters (a public
//! article from an external ticket, an employees' one from an internal ticket). Nobody reads it
//! until an editor reviews and publishes it.

use serde::{Deserialize, Serialize};
use tandem_domain::article::may_edit;
use tandem_domain::{
    ArticleAudience, ArticleCategoryId, MessageId, MessageVisibility, Millis, Principal, TicketAccess, TicketAudience,
    TicketId,
};
use tandem_store::articles::categories;
use tandem_store::messages;

use super::views::ArticleView;
use super::write::ArticleInput;
use crate::{App, AppError};

#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromMessageInput {
    pub message_id: MessageId,
    /// The draft's category; the first category by name when absent.
    #[serde(default)]
    pub category_id: Option<ArticleCategoryId>,
}

impl App {
    pub async fn draft_article_from_message(
        &self,
        principal: &Principal,
        ticket: TicketId,
        input: FromMessageInput,
        now: Millis,
    ) -> Result<ArticleView, AppError> {
        let mut reader = self.store().read().await?;
        let (view, access) = crate::tickets::access(reader.conn(), principal, ticket).await?;
        if access != TicketAccess::Agent || !may_edit(principal, view.team_id) {
            return Err(AppError::forbidden("only the ticket's team writes articles from its answers"));
        }
        let message = messages::get(reader.conn(), input.message_id).await?;
        let message = message
            .filter(|message| message.ticket_id == ticket && message.visibility == MessageVisibility::Public)
            .ok_or_else(|| AppError::invalid("message_id", "no such public message on this ticket"))?;
        let category_id = match input.category_id {
            Some(id) => id,
            None => first_category(&mut reader).await?,
        };
        drop(reader);
        let audience = match view.audience {
            TicketAudience::External => ArticleAudience::Public,
            TicketAudience::Internal => ArticleAudience::Employees,
        };
        let input = ArticleInput {
            title: view.subject,
            category_id,
            audience,
            team_id: view.team_id,
            body: message.body,
            slug: None,
        };
        let created = self.create_article(principal, input, now).await?;
        tracing::info!(
            article.id = created.id.0,
            ticket.id = ticket.0,
            "article drafted from a message of ticket {ticket}"
        );
        Ok(created)
    }
}

async fn first_category(reader: &mut tandem_store::Reader) -> Result<ArticleCategoryId, AppError> {
    let all = categories::list(reader.conn()).await?;
    all.first().map(|category| category.id).ok_or_else(|| AppError::invalid("category_id", "create a category first"))
}
