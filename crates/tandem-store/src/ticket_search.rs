//! Full-text search over tickets: which tickets' subjects or messages hold the words searched,
//! among the tickets a list filter admits, ranked by relevance, with the snippets to show.
//!
//! The second query fork of docs/storage.md: FTS5 tables on SQLite, `tsvector` columns on
//! PostgreSQL (migration 0011). Each backend's statement is its own text; what they return is one
//! shape, with scores that grow with relevance on both.

use std::collections::HashMap;

use tandem_domain::search::{HIT_END, HIT_START, SearchTerms, Snippet};
use tandem_domain::{MessageId, TicketId};

use crate::sql::{Arg, SqlBuf};
use crate::ticket_list::{push_conditions, push_customer_tickets};
use crate::{Conn, StoreError, TicketFilter, bind_args, on_conn};

/// How many of the newest matches, of subjects and of messages each, are ranked. The search walks
/// its index from the newest row and stops after this many, so a word found in half the desk costs
/// what a rare one costs; the ranking is relevance among the recent matches, which is what a service
/// desk looks for (and narrowing the words narrows the candidates).
pub const CANDIDATES: u32 = 400;

/// A title match outranks the same words deep in a conversation.
const SUBJECT_WEIGHT: f64 = 2.0;

/// Where a ticket matched best.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TicketHit {
    pub ticket_id: TicketId,
    /// The best-matching message, or `None` when the subject matched best.
    pub message_id: Option<MessageId>,
    pub score: f64,
}

#[derive(sqlx::FromRow)]
struct Candidate {
    ticket_id: TicketId,
    message_id: Option<MessageId>,
    score: f64,
}

/// The `limit` best tickets the filter admits whose subject or messages hold every word;
/// `public_only` leaves internal notes out of the search (a customer must not find a ticket by
/// words only its notes hold).
pub async fn search(
    mut conn: Conn<'_>,
    terms: &SearchTerms,
    filter: &TicketFilter,
    public_only: bool,
    limit: usize,
) -> Result<Vec<TicketHit>, StoreError> {
    let subjects = candidates(conn.reborrow(), Source::Subjects, terms, filter, public_only).await?;
    let messages = candidates(conn, Source::Messages, terms, filter, public_only).await?;
    Ok(rank(subjects, messages, limit))
}

#[derive(Clone, Copy, PartialEq)]
enum Source {
    Subjects,
    Messages,
}

async fn candidates(
    conn: Conn<'_>,
    source: Source,
    terms: &SearchTerms,
    filter: &TicketFilter,
    public_only: bool,
) -> Result<Vec<Candidate>, StoreError> {
    let sqlite = matches!(conn, Conn::Sqlite(_));
    let mut sql = match (sqlite, source) {
        (true, Source::Subjects) => SqlBuf::new(
            "SELECT t.id AS ticket_id, CAST(NULL AS BIGINT) AS message_id, -bm25(ticket_search) AS score \
             FROM ticket_search JOIN tickets t ON t.id = ticket_search.rowid WHERE ticket_search MATCH ",
        ),
        (true, Source::Messages) => SqlBuf::new(
            "SELECT m.ticket_id, m.id AS message_id, -bm25(message_search) AS score \
             FROM message_search JOIN messages m ON m.id = message_search.rowid \
             JOIN tickets t ON t.id = m.ticket_id WHERE message_search MATCH ",
        ),
        (false, Source::Subjects) => SqlBuf::new(
            "SELECT t.id AS ticket_id, CAST(NULL AS BIGINT) AS message_id, \
             CAST(ts_rank(t.subject_search, to_tsquery('english', $1)) AS DOUBLE PRECISION) AS score \
             FROM tickets t WHERE t.subject_search @@ to_tsquery('english', ",
        ),
        (false, Source::Messages) => SqlBuf::new(
            "SELECT m.ticket_id, m.id AS message_id, \
             CAST(ts_rank(m.body_search, to_tsquery('english', $1)) AS DOUBLE PRECISION) AS score \
             FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.body_search @@ to_tsquery('english', ",
        ),
    };
    // The terms are always the first argument: the PostgreSQL texts above name `$1` twice.
    if sqlite {
        sql.bind(Arg::Text(terms.fts5()));
    } else {
        sql.bind(Arg::Text(terms.tsquery())).push(")");
    }
    sql.push(" AND t.merged_into_id IS NULL");
    if public_only && source == Source::Messages {
        sql.push(" AND m.visibility = 'public'");
    }
    match (sqlite, filter.customer_scope) {
        (true, Some(scope)) => {
            // A customer's few tickets are tested against each match in one walk of the index (the
            // unary `+` keeps SQLite from turning the set into one index lookup per row, which
            // FTS5 answers by reading the word's whole list again each time). Joining each match
            // to its ticket to test the scope instead would cost a B-tree lookup per match.
            sql.push(match source {
                Source::Subjects => " AND +ticket_search.rowid IN ",
                Source::Messages => " AND +message_search.rowid IN (SELECT id FROM messages WHERE ticket_id IN ",
            });
            push_customer_tickets(&mut sql, scope);
            if source == Source::Messages {
                sql.push(")");
            }
            push_conditions(&mut sql, &TicketFilter { customer_scope: None, ..filter.clone() });
        }
        _ => push_conditions(&mut sql, filter),
    }
    sql.push(match (sqlite, source) {
        (true, Source::Subjects) => " ORDER BY ticket_search.rowid DESC LIMIT ",
        (true, Source::Messages) => " ORDER BY message_search.rowid DESC LIMIT ",
        (false, Source::Subjects) => " ORDER BY t.id DESC LIMIT ",
        (false, Source::Messages) => " ORDER BY m.id DESC LIMIT ",
    });
    sql.bind(Arg::Int(i64::from(CANDIDATES)));
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, Candidate>(text), args).fetch_all(&mut *c).await)?)
}

/// Each ticket scored by its best match (a subject's weighted), best first, ties to the newest.
fn rank(subjects: Vec<Candidate>, messages: Vec<Candidate>, limit: usize) -> Vec<TicketHit> {
    let mut best: HashMap<TicketId, TicketHit> = HashMap::new();
    let weighted = subjects.into_iter().map(|c| Candidate { score: c.score * SUBJECT_WEIGHT, ..c });
    for candidate in weighted.chain(messages) {
        let hit =
            TicketHit { ticket_id: candidate.ticket_id, message_id: candidate.message_id, score: candidate.score };
        best.entry(hit.ticket_id)
            .and_modify(|kept| {
                if hit.score > kept.score {
                    *kept = hit
                }
            })
            .or_insert(hit);
    }
    let mut hits: Vec<TicketHit> = best.into_values().collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.ticket_id.0.cmp(&a.ticket_id.0)));
    hits.truncate(limit);
    hits
}

/// The words found, marked in each message's body (a passage around them) and in each ticket's
/// subject (the whole subject), for the hits shown.
pub async fn snippets(
    mut conn: Conn<'_>,
    terms: &SearchTerms,
    messages: &[MessageId],
    subjects: &[TicketId],
) -> Result<(HashMap<MessageId, Snippet>, HashMap<TicketId, Snippet>), StoreError> {
    let sqlite = matches!(conn, Conn::Sqlite(_));
    let mut bodies = HashMap::new();
    if !messages.is_empty() {
        let mut sql = if sqlite {
            let mut sql = SqlBuf::new(
                "SELECT rowid, snippet(message_search, 0, char(2), char(3), '…', 24) FROM message_search \
                 WHERE message_search MATCH ",
            );
            sql.bind(Arg::Text(terms.fts5())).push(" AND rowid IN ");
            sql
        } else {
            let mut sql = SqlBuf::new("SELECT id, ts_headline('english', left(body, 100000), to_tsquery('english', ");
            sql.bind(Arg::Text(terms.tsquery())).push("), ").bind(Arg::Text(headline_options(false)));
            sql.push(") FROM messages WHERE id IN ");
            sql
        };
        sql.bind_list(messages.iter().map(|id| Arg::Int(id.0)));
        let (text, args) = sql.sql();
        let rows = on_conn!(conn.reborrow(), c => bind_args!(sqlx::query_as::<_, (MessageId, String)>(text), args)
            .fetch_all(&mut *c).await)?;
        bodies.extend(rows.into_iter().map(|(id, text)| (id, Snippet(text))));
    }
    let mut titles = HashMap::new();
    if !subjects.is_empty() {
        let mut sql = if sqlite {
            let mut sql = SqlBuf::new(
                "SELECT rowid, highlight(ticket_search, 0, char(2), char(3)) FROM ticket_search \
                 WHERE ticket_search MATCH ",
            );
            sql.bind(Arg::Text(terms.fts5())).push(" AND rowid IN ");
            sql
        } else {
            let mut sql = SqlBuf::new("SELECT id, ts_headline('english', subject, to_tsquery('english', ");
            sql.bind(Arg::Text(terms.tsquery())).push("), ").bind(Arg::Text(headline_options(true)));
            sql.push(") FROM tickets WHERE id IN ");
            sql
        };
        sql.bind_list(subjects.iter().map(|id| Arg::Int(id.0)));
        let (text, args) = sql.sql();
        let rows = on_conn!(conn, c => bind_args!(sqlx::query_as::<_, (TicketId, String)>(text), args)
            .fetch_all(&mut *c).await)?;
        titles.extend(rows.into_iter().map(|(id, text)| (id, Snippet(text))));
    }
    Ok((bodies, titles))
}

/// `ts_headline` options marking hits as FTS5's `snippet` does: a passage of about as many words,
/// or (for a subject) the whole text.
fn headline_options(whole: bool) -> String {
    let extent = if whole { "HighlightAll=true" } else { "MaxWords=24, MinWords=10, MaxFragments=2" };
    format!("StartSel={HIT_START}, StopSel={HIT_END}, FragmentDelimiter=\" … \", {extent}")
}
