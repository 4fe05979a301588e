//! The demo's service recovery: this month's make-good budgets of Customer Care, the Warehouse and
//! IT, and make-goods in several states over the stories' bad experiences: Olga's slow descaler
//! (rated 2: a voucher, accepted and redeemed), Erin's double charge (an incident: a credit still
//! offered), her wrong beans (a free coffee she declined), her lost parcel (withdrawn once the
//! courier found it) and Bea's frozen till (an employee's make-good from IT, accepted). Erin's
//! declined coffee puts her on the detractors list. Loyalty: Erin has a referral link, Casey
//! recorded that Erin referred Olga and Olga referred Sol, and the shop's export brought both
//! customers' purchases.

use std::collections::HashMap;

use tandem_domain::make_good::period_of;
use tandem_domain::{MakeGoodAction, MakeGoodKind, Principal};

use super::Builder;
use super::incidents::ticket_by_subject;
use crate::AppError;
use crate::loyalty::ReferralInput;
use crate::recovery::{BudgetInput, MoveInput, OfferInput};

struct Offer {
    subject: &'static str,
    agent: &'static str,
    kind: MakeGoodKind,
    amount_minor: i64,
    message: &'static str,
    note: Option<&'static str>,
    /// What happened next: who moved it, how, and with what words.
    then: &'static [(&'static str, MakeGoodAction, Option<&'static str>)],
}

const CASEY: &str = "casey@harbor.example";

const OFFERS: &[Offer] = &[
    Offer {
        subject: "Descaler missing from our machine order",
        agent: CASEY,
        kind: MakeGoodKind::Voucher,
        amount_minor: 1_500,
        message: "A 15.00 EUR voucher toward your next office order, with our apologies for the three-day wait.",
        note: Some("Tablets were out of stock; Bayside rated the ticket 2."),
        then: &[
            ("olga@bayside.example", MakeGoodAction::Accept, None),
            (CASEY, MakeGoodAction::Redeem, Some("Voucher BAY-15 applied to invoice 2026-340.")),
        ],
    },
    Offer {
        subject: "I was charged twice for order HB-10501",
        agent: CASEY,
        kind: MakeGoodKind::Credit,
        amount_minor: 2_490,
        message: "We refunded the second charge, and your next order of up to 24.90 EUR is on us for the trouble.",
        note: Some("Double charge from the card reader incident."),
        then: &[],
    },
    Offer {
        subject: "Wrong beans in my subscription box",
        agent: CASEY,
        kind: MakeGoodKind::Reward,
        amount_minor: 450,
        message: "Your next flat white at any Harbor Coffee store is on us.",
        note: None,
        then: &[("erin@example.com", MakeGoodAction::Decline, Some("No need, I just want the right beans."))],
    },
    Offer {
        subject: "Parcel says delivered but nothing arrived",
        agent: CASEY,
        kind: MakeGoodKind::Credit,
        amount_minor: 1_000,
        message: "A 10.00 EUR credit on your account while the courier looks for your parcel.",
        note: None,
        then: &[(CASEY, MakeGoodAction::Withdraw, Some("Courier found the parcel at the depot; resend instead."))],
    },
    Offer {
        subject: "Till 2 freezes when taking card payments",
        agent: "ivan@harbor.example",
        kind: MakeGoodKind::Reward,
        amount_minor: 300,
        message: "Lunch is on IT for the morning the till froze. Sorry, Bea!",
        note: None,
        then: &[("bea@harbor.example", MakeGoodAction::Accept, None)],
    },
];

/// Budgets first (set by each team's lead), then the offers and what became of them.
pub(super) async fn build_recovery(
    builder: &Builder,
    people: &HashMap<&'static str, Principal>,
) -> Result<(), AppError> {
    let app = builder.app();
    let period = period_of(builder.now);
    for (lead, budget_minor, approval_limit_minor) in
        [(CASEY, 50_000, 2_500), ("wes@harbor.example", 20_000, 2_000), ("ivan@harbor.example", 10_000, 1_000)]
    {
        let lead = &people[lead];
        let input = BudgetInput { currency: "EUR".into(), budget_minor, approval_limit_minor };
        app.put_make_good_budget(lead, lead.memberships[0].team_id, &period, input, builder.now).await?;
    }
    for offer in OFFERS {
        let ticket = ticket_by_subject(builder, offer.subject).await?;
        let input = OfferInput {
            kind: offer.kind,
            amount_minor: offer.amount_minor,
            currency: "EUR".into(),
            message: offer.message.into(),
            note: offer.note.map(str::to_owned),
        };
        let made = app.offer_make_good(&people[offer.agent], ticket, input, builder.now).await?;
        for (who, action, note) in offer.then {
            let input = MoveInput { action: *action, note: note.map(str::to_owned) };
            app.move_make_good(&people[who], made.id, input, builder.now).await?;
        }
    }
    Ok(())
}

/// The shop's export of the demo customers' purchases (as an admin would import it).
const PURCHASES: &str = "email,external_ref,description,amount,currency,purchased_at
erin@example.com,SHOP-40211,Ethiopia Yirgacheffe 1 kg,24.90,EUR,2026-09-14
erin@example.com,SHOP-40877,Subscription box (monthly),19.50,EUR,2026-10-01
erin@example.com,SHOP-41502,\"Filter papers, 200\",4.20,EUR,2026-10-19
olga@bayside.example,SHOP-39990,Office espresso machine,649.00,EUR,2026-08-03
olga@bayside.example,SHOP-41120,\"Office beans, 5 x 1 kg\",98.50,EUR,2026-10-07
";

/// Referrals both ways (a link and an agent's record) and the purchases import.
pub(super) async fn build_loyalty(
    builder: &Builder,
    people: &HashMap<&'static str, Principal>,
) -> Result<(), AppError> {
    let app = builder.app();
    let (erin, olga, sol) =
        (&people["erin@example.com"], &people["olga@bayside.example"], &people["sol@sunrisebeans.example"]);
    // Erin has a referral link to share; Casey recorded the referrals people told her about.
    app.referral_code(erin, builder.now).await?;
    let referrals = [
        (erin, olga, "Olga found us through Erin's subscription box."),
        (olga, sol, "Sol told us Olga recommended our wholesale beans."),
    ];
    for (referrer, referred, note) in referrals {
        let input =
            ReferralInput { referrer_id: referrer.person_id, referred_id: referred.person_id, note: Some(note.into()) };
        app.record_referral(&people[CASEY], input, builder.now).await?;
    }
    app.import_purchases(builder.admin(), PURCHASES, builder.now).await?;
    Ok(())
}
