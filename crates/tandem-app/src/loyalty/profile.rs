//! The customer profile staff read beside a ticket or on its own page: who the person is, the
//! tickets they asked for across channels (those the reader may see), their satisfaction by
//! month, their make-goods (from the reader's teams), referrals and purchases.

use std::collections::BTreeMap;

use serde::Serialize;
use tandem_domain::make_good::period_of;
use tandem_domain::{
    Channel, MakeGoodId, MakeGoodKind, MakeGoodState, Millis, PersonId, Principal, TicketId, TicketStatus,
};
use tandem_store::loyalty;

use super::purchases::PurchaseOut;
use super::referrals::ReferralOut;
use super::require_staff;
use crate::directory::people::PersonView;
use crate::recovery::money;
use crate::tickets::TicketQuery;
use crate::{App, AppError, Instant, PageRequest, instant};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ProfileOut {
    pub person: PersonView,
    /// Their latest tickets as requester that the reader may see (up to 100), all channels.
    pub tickets: Vec<ProfileTicket>,
    pub tickets_by_channel: Vec<ChannelCount>,
    /// Their CSAT ratings by month (UTC), the last two years, oldest first.
    pub satisfaction: Vec<MonthCsat>,
    pub make_goods: Vec<ProfileMakeGood>,
    /// Who referred them, if anyone.
    pub referred_by: Option<ReferralOut>,
    /// Whom they referred.
    pub referred: Vec<ReferralOut>,
    pub purchase_totals: Vec<PurchaseTotal>,
    pub purchases: Vec<PurchaseOut>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ProfileTicket {
    pub id: TicketId,
    pub subject: String,
    pub status: TicketStatus,
    pub channel: Channel,
    pub team: String,
    pub created_at: Instant,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ChannelCount {
    pub channel: Channel,
    pub tickets: i64,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MonthCsat {
    /// `YYYY-MM`.
    pub month: String,
    pub average: f64,
    pub ratings: i64,
    /// Ratings of 1 or 2.
    pub low: i64,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ProfileMakeGood {
    pub id: MakeGoodId,
    pub ticket_id: TicketId,
    pub kind: MakeGoodKind,
    pub amount: String,
    pub state: MakeGoodState,
    pub created_at: Instant,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PurchaseTotal {
    pub currency: String,
    pub purchases: i64,
    pub amount_minor: i64,
    pub amount: String,
}

const HISTORY: u32 = 100;
const TREND_MS: Millis = 2 * 366 * 24 * 3_600_000;
const LISTED: i64 = 50;

impl App {
    /// A person's profile (staff only; to anyone else, as if the person did not exist).
    pub async fn person_profile(
        &self,
        principal: &Principal,
        id: PersonId,
        now: Millis,
    ) -> Result<ProfileOut, AppError> {
        require_staff(principal)?;
        let person = self.get_person(principal, id).await?;
        // Every status: the history is the whole relationship, not the open work.
        let every = TicketStatus::ALL.iter().map(|status| status.as_str()).collect::<Vec<_>>().join(",");
        let query = TicketQuery { requester_id: Some(id), status: Some(every), ..TicketQuery::default() };
        let history = self.list_tickets(principal, query, PageRequest { limit: Some(HISTORY), cursor: None }).await?;
        let mut reader = self.store().read().await?;
        let ratings = loyalty::ratings_of(reader.conn(), id, now - TREND_MS).await?;
        let made = loyalty::make_goods_of(reader.conn(), id, LISTED).await?;
        let referrals = loyalty::referrals_of(reader.conn(), id, LISTED).await?;
        let totals = loyalty::purchase_totals(reader.conn(), id).await?;
        let purchases = loyalty::purchases_of(reader.conn(), id, LISTED).await?;
        let (referred_by, referred): (Vec<_>, Vec<_>) = referrals.into_iter().partition(|row| row.referred_id == id);
        let mut by_channel: BTreeMap<&str, (Channel, i64)> = BTreeMap::new();
        for ticket in &history.items {
            by_channel.entry(ticket.channel.as_str()).or_insert((ticket.channel, 0)).1 += 1;
        }
        Ok(ProfileOut {
            person,
            tickets_by_channel: by_channel
                .into_values()
                .map(|(channel, tickets)| ChannelCount { channel, tickets })
                .collect(),
            tickets: history
                .items
                .into_iter()
                .map(|ticket| ProfileTicket {
                    id: ticket.id,
                    subject: ticket.subject,
                    status: ticket.status,
                    channel: ticket.channel,
                    team: ticket.team.name,
                    created_at: ticket.created_at,
                })
                .collect(),
            satisfaction: by_month(&ratings),
            make_goods: made
                .into_iter()
                .filter(|row| principal.is_admin || principal.is_member_of(row.team_id))
                .map(|row| ProfileMakeGood {
                    id: row.id,
                    ticket_id: row.ticket_id,
                    kind: row.kind,
                    amount: money::format(row.amount_minor, &row.currency),
                    state: row.state,
                    created_at: instant(row.created_at),
                })
                .collect(),
            referred_by: referred_by.into_iter().next().map(ReferralOut::from),
            referred: referred.into_iter().map(ReferralOut::from).collect(),
            purchase_totals: totals
                .into_iter()
                .map(|(currency, purchases, amount_minor)| PurchaseTotal {
                    amount: money::format(amount_minor, &currency),
                    currency,
                    purchases,
                    amount_minor,
                })
                .collect(),
            purchases: purchases.into_iter().map(PurchaseOut::from).collect(),
        })
    }
}

/// Ratings (oldest first) grouped by UTC month.
fn by_month(ratings: &[(i64, Millis)]) -> Vec<MonthCsat> {
    let mut months: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for (rating, at) in ratings {
        let month = months.entry(period_of(*at)).or_default();
        *month = (month.0 + rating, month.1 + 1, month.2 + i64::from(*rating <= 2));
    }
    months
        .into_iter()
        .map(|(month, (sum, count, low))| MonthCsat {
            month,
            average: (sum as f64 / count as f64 * 100.0).round() / 100.0,
            ratings: count,
            low,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ratings_group_by_month() {
        const DAY: i64 = 86_400_000;
        let months = super::by_month(&[(1, 0), (4, DAY), (5, 40 * DAY)]);
        let shown: Vec<_> =
            months.iter().map(|month| (month.month.as_str(), month.average, month.ratings, month.low)).collect();
        assert_eq!(shown, [("1970-01", 2.5, 2, 1), ("1970-02", 5.0, 1, 0)]);
    }
}
