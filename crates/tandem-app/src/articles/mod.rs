//! Help articles: written by the agents of the owning team (and admins) as versions, published
//! to one audience (everyone, employees, or agents only), found by browsing, searching and by
//! suggestions while a request is typed, and credited when they answer one (a deflection).
//!
//! Visibility: a reader gets only the published copy, and only of an article whose audience they
//! may read (`ArticleAudience::readable_by`); anything else answers like a missing article (404),
//! drafts included. Editors of an article also see its draft, history and reader counts; someone
//! who can read an article but not edit it is refused its editing (403).

mod categories;
mod feedback;
mod from_message;
mod links;
mod read;
mod suggest;
mod views;
mod write;

pub use categories::CategoryInput;
pub use feedback::{DeflectionInput, ReactionInput};
pub use from_message::FromMessageInput;
pub use read::{ArticleQuery, ArticleScope};
pub use views::{
    ArticleContent, ArticleStats, ArticleSummary, ArticleView, CategoryRef, CategoryView, ReactionCounts, VersionOut,
};
pub use write::ArticleInput;

use tandem_domain::article::may_edit;
use tandem_domain::{ArticleAudience, ArticleId, Principal};
use tandem_store::Conn;
use tandem_store::articles::{self, ArticleRow};

use crate::AppError;

/// Whether the reader may read the article's published copy.
fn readable(reader: Option<&Principal>, row: &ArticleRow) -> bool {
    row.audience.is_some_and(|audience| audience.is_readable_by(reader))
}

fn is_editor(principal: Option<&Principal>, row: &ArticleRow) -> bool {
    principal.is_some_and(|principal| may_edit(principal, row.team_id))
}

/// Loads an article for its editors: 404 for anyone who cannot even read it, 403 for a reader.
async fn load_for_editor(mut conn: Conn<'_>, principal: &Principal, id: ArticleId) -> Result<ArticleRow, AppError> {
    articles::lock(conn.reborrow(), id).await?;
    let row = articles::get(conn, id).await?.ok_or(AppError::NotFound("article"))?;
    require_editor(principal, &row)?;
    Ok(row)
}

fn require_editor(principal: &Principal, row: &ArticleRow) -> Result<(), AppError> {
    if may_edit(principal, row.team_id) {
        Ok(())
    } else if readable(Some(principal), row) {
        Err(AppError::forbidden(format!("only {} and admins may change this article", row.team_name)))
    } else {
        Err(AppError::NotFound("article"))
    }
}

/// The audiences a reader's list and search cover.
fn audiences(reader: Option<&Principal>) -> &'static [ArticleAudience] {
    ArticleAudience::readable_by(reader)
}
