//! Loyalty: referral codes and referrals, purchases (repeat business), a person's ratings over
//! time, their make-goods, and the detractor signals with the notes of leads who worked them.

use tandem_domain::{MakeGoodKind, MakeGoodState, Millis, PersonId, TeamId, TicketId};

use crate::{Conn, StoreError, on_conn};

/// The person's referral code, if they have one.
pub async fn code_of(conn: Conn<'_>, person: PersonId) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT code FROM referral_codes WHERE person_id = $1";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, String>(SQL).bind(person).fetch_optional(&mut *c).await)?)
}

/// Gives the person `code` unless they have one already (then theirs stays).
pub async fn insert_code(conn: Conn<'_>, person: PersonId, code: &str, now: Millis) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO referral_codes (person_id, code, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (person_id) DO NOTHING";
    on_conn!(conn, c => sqlx::query(SQL).bind(person).bind(code).bind(now).execute(&mut *c).await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn owner_of_code(conn: Conn<'_>, code: &str) -> Result<Option<PersonId>, StoreError> {
    const SQL: &str = "SELECT person_id FROM referral_codes WHERE code = $1";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, PersonId>(SQL).bind(code).fetch_optional(&mut *c).await)?)
}

/// A referral as it is recorded.
#[derive(Clone, Copy, Debug)]
pub struct NewReferral<'a> {
    pub referrer_id: PersonId,
    pub referred_id: PersonId,
    /// `agent` or `link`.
    pub source: &'a str,
    pub recorded_by: Option<PersonId>,
    pub note: Option<&'a str>,
}

/// Records a referral; `false` when the referred person already has a referrer.
pub async fn insert_referral(conn: Conn<'_>, new: NewReferral<'_>, now: Millis) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO referrals (referrer_id, referred_id, source, recorded_by, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (referred_id) DO NOTHING";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(new.referrer_id).bind(new.referred_id).bind(new.source).bind(new.recorded_by).bind(new.note).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// One referral with both people's names.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ReferralRow {
    pub referrer_id: PersonId,
    pub referrer_name: String,
    pub referred_id: PersonId,
    pub referred_name: String,
    pub source: String,
    pub note: Option<String>,
    pub created_at: Millis,
}

/// Referrals the person made or came by, newest first (bounded).
pub async fn referrals_of(conn: Conn<'_>, person: PersonId, limit: i64) -> Result<Vec<ReferralRow>, StoreError> {
    const SQL: &str = "SELECT r.referrer_id, a.name AS referrer_name, r.referred_id, b.name AS referred_name, \
         r.source, r.note, r.created_at FROM referrals r JOIN people a ON a.id = r.referrer_id \
         JOIN people b ON b.id = r.referred_id WHERE r.referrer_id = $1 OR r.referred_id = $1 \
         ORDER BY r.id DESC LIMIT $2";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, ReferralRow>(SQL).bind(person).bind(limit).fetch_all(&mut *c).await)?)
}

/// A purchase as it is recorded.
#[derive(Clone, Debug)]
pub struct NewPurchase {
    pub person_id: PersonId,
    pub external_ref: String,
    pub description: String,
    pub amount_minor: i64,
    pub currency: String,
    pub purchased_at: Millis,
}

/// Records a purchase; `false` when its external reference was recorded before (nothing changes).
pub async fn insert_purchase(
    conn: Conn<'_>,
    new: &NewPurchase,
    source: &str,
    by: PersonId,
    now: Millis,
) -> Result<bool, StoreError> {
    const SQL: &str = "INSERT INTO purchases (person_id, external_ref, description, amount_minor, currency, \
         purchased_at, source, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (external_ref) DO NOTHING";
    let done = on_conn!(conn, c => sqlx::query(SQL)
        .bind(new.person_id).bind(&new.external_ref).bind(&new.description).bind(new.amount_minor)
        .bind(&new.currency).bind(new.purchased_at).bind(source).bind(by).bind(now)
        .execute(&mut *c).await.map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PurchaseRow {
    pub external_ref: String,
    pub description: String,
    pub amount_minor: i64,
    pub currency: String,
    pub purchased_at: Millis,
    pub source: String,
}

/// The person's latest purchases (bounded).
pub async fn purchases_of(conn: Conn<'_>, person: PersonId, limit: i64) -> Result<Vec<PurchaseRow>, StoreError> {
    const SQL: &str = "SELECT external_ref, description, amount_minor, currency, purchased_at, source FROM purchases \
         WHERE person_id = $1 ORDER BY purchased_at DESC, id DESC LIMIT $2";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, PurchaseRow>(SQL).bind(person).bind(limit).fetch_all(&mut *c).await)?)
}

/// The person's purchases in total, per currency: (currency, count, sum).
pub async fn purchase_totals(conn: Conn<'_>, person: PersonId) -> Result<Vec<(String, i64, i64)>, StoreError> {
    const SQL: &str = "SELECT currency, COUNT(*), CAST(SUM(amount_minor) AS BIGINT) FROM purchases \
         WHERE person_id = $1 GROUP BY currency ORDER BY currency";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, (String, i64, i64)>(SQL).bind(person).fetch_all(&mut *c).await)?)
}

/// The person's CSAT ratings since `since`, oldest first: (rating, when).
pub async fn ratings_of(conn: Conn<'_>, person: PersonId, since: Millis) -> Result<Vec<(i64, Millis)>, StoreError> {
    const SQL: &str = "SELECT rating, updated_at FROM satisfaction_ratings WHERE rated_by = $1 AND updated_at >= $2 \
         ORDER BY updated_at LIMIT 5000";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, (i64, Millis)>(SQL).bind(person).bind(since).fetch_all(&mut *c).await)?)
}

/// A make-good of the person, with the team that gave it (the caller filters what a viewer sees).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonMakeGood {
    pub id: tandem_domain::MakeGoodId,
    pub ticket_id: TicketId,
    pub team_id: TeamId,
    pub kind: MakeGoodKind,
    pub amount_minor: i64,
    pub currency: String,
    pub state: MakeGoodState,
    pub created_at: Millis,
}

pub async fn make_goods_of(conn: Conn<'_>, person: PersonId, limit: i64) -> Result<Vec<PersonMakeGood>, StoreError> {
    const SQL: &str = "SELECT id, ticket_id, team_id, kind, amount_minor, currency, state, created_at FROM make_goods \
         WHERE customer_id = $1 ORDER BY id DESC LIMIT $2";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, PersonMakeGood>(SQL).bind(person).bind(limit).fetch_all(&mut *c).await)?)
}

/// One detractor signal per person: how many times, and the latest.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SignalRow {
    pub person_id: PersonId,
    pub count: i64,
    pub latest: Millis,
}

/// People with at least `min` ratings of 2 or less since `since`.
pub async fn repeated_low_ratings(conn: Conn<'_>, since: Millis, min: i64) -> Result<Vec<SignalRow>, StoreError> {
    const SQL: &str = "SELECT rated_by AS person_id, COUNT(*) AS count, MAX(updated_at) AS latest \
         FROM satisfaction_ratings WHERE rating <= 2 AND updated_at >= $1 GROUP BY rated_by HAVING COUNT(*) >= $2 \
         ORDER BY latest DESC LIMIT 500";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, SignalRow>(SQL).bind(since).bind(min).fetch_all(&mut *c).await)?)
}

/// People whose make-good was declined (by them) or rejected (by a lead) since `since`.
pub async fn refused_make_goods(conn: Conn<'_>, since: Millis) -> Result<Vec<SignalRow>, StoreError> {
    const SQL: &str = "SELECT customer_id AS person_id, COUNT(*) AS count, MAX(updated_at) AS latest \
         FROM make_goods WHERE state IN ('declined', 'rejected') AND updated_at >= $1 GROUP BY customer_id \
         ORDER BY latest DESC LIMIT 500";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, SignalRow>(SQL).bind(since).fetch_all(&mut *c).await)?)
}

/// Customers who answered an NPS survey (only ever sent to external customers) 6 or less since
/// `since`. Only answers that name their person count: an anonymous answer (every pulse answer)
/// has none and never flags anyone.
pub async fn low_nps_answers(conn: Conn<'_>, since: Millis) -> Result<Vec<SignalRow>, StoreError> {
    const SQL: &str = "SELECT r.person_id AS person_id, COUNT(*) AS count, MAX(r.updated_at) AS latest \
         FROM survey_responses r JOIN survey_rounds sr ON sr.id = r.round_id JOIN surveys s ON s.id = sr.survey_id \
         WHERE s.kind = 'nps' AND NOT s.anonymous AND r.person_id IS NOT NULL AND r.score <= 6 \
         AND r.updated_at >= $1 GROUP BY r.person_id ORDER BY latest DESC LIMIT 500";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, SignalRow>(SQL).bind(since).fetch_all(&mut *c).await)?)
}

/// Authors of reviews of 1 or 2 stars (public or private, not hidden) the team has not answered,
/// written or last edited since `since`.
pub async fn unanswered_bad_reviews(conn: Conn<'_>, since: Millis) -> Result<Vec<SignalRow>, StoreError> {
    const SQL: &str = "SELECT author_id AS person_id, COUNT(*) AS count, MAX(updated_at) AS latest \
         FROM reviews WHERE rating <= 2 AND answered_at IS NULL AND hidden_at IS NULL AND updated_at >= $1 \
         GROUP BY author_id ORDER BY latest DESC LIMIT 500";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, SignalRow>(SQL).bind(since).fetch_all(&mut *c).await)?)
}

pub async fn insert_detractor_note(
    conn: Conn<'_>,
    person: PersonId,
    by: PersonId,
    note: &str,
    now: Millis,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO detractor_notes (person_id, worked_by, note, created_at) VALUES ($1, $2, $3, $4)";
    on_conn!(conn, c => sqlx::query(SQL).bind(person).bind(by).bind(note).bind(now).execute(&mut *c).await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The latest note on each of these people: (person, by name, note, when).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct NoteRow {
    pub person_id: PersonId,
    pub worked_by_name: String,
    pub note: String,
    pub created_at: Millis,
}

pub async fn latest_detractor_note(conn: Conn<'_>, person: PersonId) -> Result<Option<NoteRow>, StoreError> {
    const SQL: &str = "SELECT n.person_id, p.name AS worked_by_name, n.note, n.created_at FROM detractor_notes n \
         JOIN people p ON p.id = n.worked_by WHERE n.person_id = $1 ORDER BY n.id DESC LIMIT 1";
    Ok(on_conn!(conn, c => sqlx::query_as::<_, NoteRow>(SQL).bind(person).fetch_optional(&mut *c).await)?)
}

/// How many tickets the person asked for (a referral counts with the first).
pub async fn requests_of(conn: Conn<'_>, person: PersonId) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM tickets WHERE requester_id = $1";
    Ok(on_conn!(conn, c => sqlx::query_scalar::<_, i64>(SQL).bind(person).fetch_one(&mut *c).await)?)
}
