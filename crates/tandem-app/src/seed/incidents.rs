//! The demo's incident: card payments failing at the tills. IT owns it; Bea's frozen till (an
//! internal ticket) and Erin's double charge (an external one) are linked, and one update told
//! each of them what is going on in their own words.

use std::collections::HashMap;

use tandem_domain::{Principal, Severity, TicketId};

use super::Builder;
use crate::incidents::{IncidentInput, IncidentLinkInput, UpdateInput};
use crate::tickets::TicketQuery;
use crate::{AppError, PageRequest};

const TILL: &str = "Till 2 freezes when taking card payments";
const DOUBLE_CHARGE: &str = "I was charged twice for order HB-10501";

/// Opens the incident over the stories' tickets (played before it), as of the builder's time.
pub(super) async fn build_incident(
    builder: &Builder,
    people: &HashMap<&'static str, Principal>,
) -> Result<(), AppError> {
    let app = builder.app();
    let (ivan, casey) = (&people["ivan@harbor.example"], &people["casey@harbor.example"]);
    let input = IncidentInput {
        title: "Card payments failing at the tills".into(),
        description: "Card reader firmware 4.2 makes tills freeze on card payments; some customers were charged twice."
            .into(),
        team_id: ivan.memberships[0].team_id,
        severity: Some(Severity::Major),
        match_service_id: None,
        match_words: Vec::new(),
    };
    let incident = app.create_incident(ivan, input, builder.now).await?;
    for (agent, subject) in [(ivan, TILL), (casey, DOUBLE_CHARGE)] {
        let ticket_id = ticket_by_subject(builder, subject).await?;
        app.link_incident_ticket(agent, incident.id, IncidentLinkInput { ticket_id }, builder.now).await?;
    }
    let update = UpdateInput {
        external_body: Some(
            "Card payments failed in some of our stores this morning and a few were taken twice. We are rolling the \
             card readers back and will refund every double charge; no need to do anything."
                .into(),
        ),
        internal_body: Some(
            "Card reader firmware 4.2 freezes tills on card payments. We are rolling it back store by store: until \
             then restart the till after a freeze, or take cash."
                .into(),
        ),
        note: Some("Vendor ticket VX-2231 open for the firmware.".into()),
    };
    app.post_incident_update(ivan, incident.id, update, builder.now).await?;
    Ok(())
}

pub(super) async fn ticket_by_subject(builder: &Builder, subject: &str) -> Result<TicketId, AppError> {
    let page = PageRequest { limit: Some(100), cursor: None };
    let tickets = builder.app().list_tickets(builder.admin(), TicketQuery::default(), page).await?;
    let found = tickets.items.into_iter().find(|ticket| ticket.subject == subject);
    found.map(|ticket| ticket.id).ok_or(AppError::NotFound("demo ticket"))
}
