//! The make-goods a requester was offered on their request, shown on its page with "Accept" and
//! "Decline" while they stand offered. Read as the viewer's customer face: only their own offers,
//! never a note, a reason or who offered it.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tandem_app::recovery::{MakeGoodOut, MoveInput};
use tandem_app::{App, AppError, Principal};
use tandem_domain::{MakeGoodAction, MakeGoodId, MakeGoodKind, MakeGoodState, TicketId};

use super::{customer_face, ticket_id};
use crate::state::AppState;
use crate::ui::UiError;
use crate::ui::session::VerifiedForm;

/// One offer as its customer reads it.
pub(super) struct Offer {
    pub id: i64,
    pub what: String,
    pub message: String,
    pub state: &'static str,
    pub answerable: bool,
    pub comment: Option<String>,
}

/// The viewer's offers on request `id`, newest first.
pub(super) async fn offers(app: &App, face: &Principal, id: TicketId) -> Result<Vec<Offer>, AppError> {
    let shown = app.ticket_make_goods(face, id, crate::now()).await?;
    Ok(shown.make_goods.into_iter().map(offer).collect())
}

fn offer(made: MakeGoodOut) -> Offer {
    let kind = match made.kind {
        MakeGoodKind::Credit => "A credit",
        MakeGoodKind::Voucher => "A voucher",
        MakeGoodKind::Reward => "A reward",
    };
    let state = match made.state {
        MakeGoodState::Offered => "Offered to you",
        MakeGoodState::Accepted => "You accepted it",
        MakeGoodState::Redeemed => "Redeemed",
        MakeGoodState::Declined => "You declined it",
        MakeGoodState::Withdrawn => "Withdrawn",
        // Never shown to a customer; named all the same.
        MakeGoodState::PendingApproval | MakeGoodState::Rejected => "Not offered",
    };
    Offer {
        id: made.id.0,
        what: format!("{kind} of {}", made.amount),
        message: made.message,
        state,
        answerable: made.actions.contains(&MakeGoodAction::Accept),
        comment: made.customer_comment,
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct AnswerForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    comment: String,
}

/// `POST /portal/requests/{id}/make-goods/{make_good}`: accept or decline an offer.
pub(super) async fn answer(
    State(state): State<AppState>,
    Path((raw, make_good)): Path<(String, String)>,
    signed: VerifiedForm<AnswerForm>,
) -> Result<Response, UiError> {
    let id = ticket_id(&raw)?;
    let make_good = make_good.parse::<i64>().map(MakeGoodId).map_err(|_| UiError::NotFound)?;
    let (action, done) = match signed.form.action.as_str() {
        "accept" => (MakeGoodAction::Accept, "accepted"),
        "decline" => (MakeGoodAction::Decline, "declined"),
        _ => return Err(UiError::BadRequest("Choose to accept or decline.".into())),
    };
    let face = customer_face(&signed.viewer);
    let offered = state.app.get_make_good(&face, make_good).await?;
    if offered.ticket_id != id {
        return Err(UiError::NotFound);
    }
    let note = Some(signed.form.comment).filter(|comment| !comment.trim().is_empty());
    state.app.move_make_good(&face, make_good, MoveInput { action, note }, crate::now()).await?;
    Ok(Redirect::to(&format!("/portal/requests/{}?done={done}#make-goods", id.0)).into_response())
}
