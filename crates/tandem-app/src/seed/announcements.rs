//! The demo's announcements: the holiday opening hours for every employee (pinned, from the
//! admin), the new rota app for Store Operations (from HR's lead), and IT's laptop refresh still
//! a draft. Sam has read both that are for him, Bea only the first, so her portal shows one unread.

use std::collections::HashMap;

use tandem_domain::Principal;

use super::Builder;
use crate::AppError;
use crate::announcements::{AnnouncementInput, AnnouncementView};

const HOUR: i64 = 60 * 60 * 1000;

/// Writes and publishes the announcements as of the builder's time, and records the reads.
pub(super) async fn build_announcements(
    builder: &Builder,
    people: &HashMap<&'static str, Principal>,
) -> Result<(), AppError> {
    let app = builder.app();
    let (admin, hana, ivan) = (builder.admin(), &people["hana@harbor.example"], &people["ivan@harbor.example"]);
    let (sam, bea) = (&people["sam@harbor.example"], &people["bea@harbor.example"]);
    let holidays = AnnouncementInput {
        title: "Opening hours over the holidays".into(),
        body: "Stores close at **4 pm** on 24 and 31 December and stay closed on 25 and 26 December and \
               1 January.\n\nThe roastery ships its last orders before the break on *19 December*. Thank you \
               all for a busy year: the party is on 12 December at the Harbor Street store."
            .into(),
        department_id: None,
        pinned: true,
        email: true,
        expires_at: None,
    };
    let holidays = publish(builder, admin, holidays, builder.now - 26 * HOUR).await?;
    let rota = AnnouncementInput {
        title: "New rota app for store staff from 1 December".into(),
        body:
            "From 1 December shifts are planned in the **Rota** app instead of the paper sheet in the back office.\n\n\
               - Install it from the staff app store and sign in with your work account.\n\
               - Swap shifts in the app; your store manager approves them.\n\n\
               Questions? Ask People & HR on the employee portal."
                .into(),
        department_id: sam.department_id,
        pinned: false,
        email: false,
        expires_at: None,
    };
    let rota = publish(builder, hana, rota, builder.now - 5 * HOUR).await?;
    let laptops = AnnouncementInput {
        title: "Laptop refresh in January".into(),
        body: "Office laptops older than four years are replaced in January. IT will book a slot with each of you."
            .into(),
        department_id: None,
        pinned: false,
        email: false,
        expires_at: None,
    };
    app.create_announcement(ivan, laptops, builder.now).await?;
    for (reader, announcement, hours_ago) in [(sam, &holidays, 20), (sam, &rota, 2), (bea, &holidays, 3)] {
        app.mark_announcement_read(reader, announcement.id, builder.now - hours_ago * HOUR).await?;
    }
    Ok(())
}

async fn publish(
    builder: &Builder,
    author: &Principal,
    input: AnnouncementInput,
    at: i64,
) -> Result<AnnouncementView, AppError> {
    let draft = builder.app().create_announcement(author, input, at).await?;
    builder.app().publish_announcement(author, draft.id, at).await
}
