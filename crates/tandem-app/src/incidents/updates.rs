//! Posting an update: one text for external customers, one for employees, a note for staff; the
//! texts reach the linked tickets through `deliver`.

use serde::{Deserialize, Serialize};
use tandem_domain::validate::{self, FieldErrors};
use tandem_domain::{IncidentId, Millis, Principal, TicketId};
use tandem_store::Conn;
use tandem_store::incidents::{self, IncidentRow, NewUpdate};

use super::deliver::deliver_batch;
use super::views::{UpdateOut, update_out};
use super::{load_for_write, require_open, require_owner};
use crate::mail::Outbound;
use crate::{App, AppError};

/// An update. Leave a voice out and that audience's tickets get nothing.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateInput {
    /// Posted as a public reply on every linked external ticket still being worked.
    pub external_body: Option<String>,
    /// Posted as a public reply on every linked internal (employee) ticket still being worked.
    pub internal_body: Option<String>,
    /// For staff: kept on the incident, never posted on a ticket.
    pub note: Option<String>,
}

impl App {
    /// Posts an update on an open incident.
    pub async fn post_incident_update(
        &self,
        principal: &Principal,
        id: IncidentId,
        input: UpdateInput,
        now: Millis,
    ) -> Result<UpdateOut, AppError> {
        let input = self.checked_update(input, true)?;
        let mut tx = self.store().begin().await?;
        let incident = load_for_write(tx.conn(), principal, id).await?;
        require_owner(principal, &incident)?;
        require_open(&incident)?;
        let update = write_update(
            tx.conn(),
            self.outbound().map(|outbound| outbound.as_ref()),
            principal,
            &incident,
            input,
            false,
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(incident.id = id.0, update.id = update.id.0, "update posted on incident {id}");
        Ok(update_out(update))
    }

    /// Trims the texts (blank is absent) and bounds them; an ordinary update must say something.
    pub(super) fn checked_update(&self, input: UpdateInput, required: bool) -> Result<UpdateInput, AppError> {
        let max = self.limits().max_body_chars;
        let mut errors = FieldErrors::new();
        let mut text = |field: &str, value: Option<String>| {
            let value = value.map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());
            validate::bounded_text(&mut errors, field, value.as_deref().unwrap_or(""), max, false);
            value
        };
        let checked = UpdateInput {
            external_body: text("external_body", input.external_body),
            internal_body: text("internal_body", input.internal_body),
            note: text("note", input.note),
        };
        if required && checked.external_body.is_none() && checked.internal_body.is_none() && checked.note.is_none() {
            errors.add("external_body", "give at least one of external_body, internal_body or note");
        }
        errors.into_result()?;
        Ok(checked)
    }
}

/// Writes the update and posts it on the first batch of linked tickets, in the caller's transaction.
pub(super) async fn write_update(
    mut conn: Conn<'_>,
    outbound: Option<&Outbound>,
    principal: &Principal,
    incident: &IncidentRow,
    input: UpdateInput,
    solves_tickets: bool,
    now: Millis,
) -> Result<tandem_store::incidents::UpdateRow, AppError> {
    let new = NewUpdate {
        incident_id: incident.id,
        author_id: principal.person_id,
        external_body: input.external_body,
        internal_body: input.internal_body,
        note: input.note,
        solves_tickets,
    };
    let update_id = incidents::insert_update(conn.reborrow(), &new, now).await?;
    let update = incidents::get_update(conn.reborrow(), update_id).await?.ok_or(AppError::NotFound("update"))?;
    deliver_batch(conn, outbound, &update, TicketId(0), now).await?;
    Ok(update)
}
