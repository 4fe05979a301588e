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
    let ranked = match conn {
        Conn::Sqlite(ref mut c) if filter.customer_scope.is_none() => every_word_is_rare(c, terms).await?,
        _ => true,
    };
    let subjects = candidates(conn.reborrow(), Source::Subjects, terms, filter, public_only, ranked).await?;
    let messages = candidates(conn, Source::Messages, terms, filter, public_only, ranked).await?;
    Ok(rank(subjects, messages, limit))
}

/// More messages than this holding one word make it too common to rank by on SQLite: bm25 weighs
/// each word by reading every one of its matches, which for a word in a fifth of five million
/// messages costs 100–200 ms, while such a word's weight is close to nothing. Searches with one go
/// without bm25: every match counts the same and the newest come first (a subject's still twice).
pub const RANKED_WORD_LIMIT: i64 = 20_000;

/// Whether no word of the search is found in more than [`RANKED_WORD_LIMIT`] messages; each count
/// stops there, so asking costs a fraction of a millisecond per word.
async fn every_word_is_rare(conn: &mut sqlx::SqliteConnection, terms: &SearchTerms) -> Result<bool, StoreError> {
    for word in terms.fts5_words() {
        let found: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (SELECT 1 FROM message_search WHERE message_search MATCH $1 LIMIT $2)",
        )
        .bind(word)
        .bind(RANKED_WORD_LIMIT + 1)
        .fetch_one(&mut *conn)
        .await?;
        if found > RANKED_WORD_LIMIT {
            return Ok(false);
        }
    }
    Ok(true)
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
    ranked: bool,
) -> Result<Vec<Candidate>, StoreError> {
    let sql = match conn {
        Conn::Sqlite(_) if filter.customer_scope.is_some() => {
            sqlite_customer_candidates(source, terms, filter, public_only)
        }
        Conn::Sqlite(_) => sqlite_candidates(source, terms, filter, public_only, ranked),
        Conn::Postgres(_) => postgres_candidates(source, terms, filter, public_only),
    };
    let (text, args) = sql.sql();
    Ok(on_conn!(conn, c => bind_args!(sqlx::query_as::<_, Candidate>(text), args).fetch_all(&mut *c).await)?)
}

/// Staff on SQLite: the index drives, newest match first, and each match is joined to its ticket to
/// test the filter until enough pass. `CROSS JOIN` fixes that order: left free, SQLite may walk a
/// team's tickets and ask FTS5 about each one, which reads the word's whole list (and computes
/// bm25's statistics) again per ticket.
fn sqlite_candidates(
    source: Source,
    terms: &SearchTerms,
    filter: &TicketFilter,
    public_only: bool,
    ranked: bool,
) -> SqlBuf {
    let mut sql = SqlBuf::new(match (source, ranked) {
        (Source::Subjects, true) => {
            "SELECT t.id AS ticket_id, CAST(NULL AS BIGINT) AS message_id, -bm25(ticket_search) AS score "
        }
        (Source::Subjects, false) => "SELECT t.id AS ticket_id, CAST(NULL AS BIGINT) AS message_id, 1.0 AS score ",
        (Source::Messages, true) => "SELECT m.ticket_id, m.id AS message_id, -bm25(message_search) AS score ",
        (Source::Messages, false) => "SELECT m.ticket_id, m.id AS message_id, 1.0 AS score ",
    });
    sql.push(match source {
        Source::Subjects => {
            "FROM ticket_search CROSS JOIN tickets t ON t.id = ticket_search.rowid WHERE ticket_search MATCH "
        }
        Source::Messages => {
            "FROM message_search CROSS JOIN messages m ON m.id = message_search.rowid \
             CROSS JOIN tickets t ON t.id = m.ticket_id WHERE message_search MATCH "
        }
    });
    sql.bind(Arg::Text(terms.fts5()));
    push_common(&mut sql, source, filter, public_only);
    sql.push(match source {
        Source::Subjects => " ORDER BY ticket_search.rowid DESC LIMIT ",
        Source::Messages => " ORDER BY message_search.rowid DESC LIMIT ",
    });
    sql.bind(Arg::Int(i64::from(CANDIDATES)));
    sql
}

/// A customer on SQLite: their own few tickets drive, and FTS5 is asked about each of their
/// subjects and messages by rowid, so the cost follows what the customer may see, not how often
/// the word occurs in the desk (walking a common word's matches to find a customer's few costs
/// hundreds of milliseconds at a million tickets). bm25 would recompute its statistics over the
/// whole index for every rowid asked about, so these matches are not scored: every one counts the
/// same, a subject's twice, and the newest come first among equals.
fn sqlite_customer_candidates(source: Source, terms: &SearchTerms, filter: &TicketFilter, public_only: bool) -> SqlBuf {
    let mut sql = SqlBuf::new(match source {
        Source::Subjects => {
            "SELECT t.id AS ticket_id, CAST(NULL AS BIGINT) AS message_id, 1.0 AS score \
             FROM tickets t CROSS JOIN ticket_search ON ticket_search.rowid = t.id WHERE ticket_search MATCH "
        }
        Source::Messages => {
            "SELECT m.ticket_id, m.id AS message_id, 1.0 AS score \
             FROM messages m CROSS JOIN tickets t ON t.id = m.ticket_id \
             CROSS JOIN message_search ON message_search.rowid = m.id WHERE message_search MATCH "
        }
    });
    sql.bind(Arg::Text(terms.fts5()));
    match (source, filter.customer_scope) {
        (Source::Messages, Some(scope)) => {
            // The messages of the customer's tickets, found through the message index by ticket.
            sql.push(" AND m.ticket_id IN ");
            push_customer_tickets(&mut sql, scope);
            push_common(&mut sql, source, &TicketFilter { customer_scope: None, ..filter.clone() }, public_only);
        }
        _ => push_common(&mut sql, source, filter, public_only),
    }
    sql.push(match source {
        Source::Subjects => " ORDER BY t.id DESC LIMIT ",
        Source::Messages => " ORDER BY m.id DESC LIMIT ",
    });
    sql.bind(Arg::Int(i64::from(CANDIDATES)));
    sql
}

fn postgres_candidates(source: Source, terms: &SearchTerms, filter: &TicketFilter, public_only: bool) -> SqlBuf {
    let mut sql = SqlBuf::new(match source {
        Source::Subjects => {
            "SELECT t.id AS ticket_id, CAST(NULL AS BIGINT) AS message_id, \
             CAST(ts_rank(t.subject_search, to_tsquery('english', $1)) AS DOUBLE PRECISION) AS score \
             FROM tickets t WHERE t.subject_search @@ to_tsquery('english', "
        }
        Source::Messages => {
            "SELECT m.ticket_id, m.id AS message_id, \
             CAST(ts_rank(m.body_search, to_tsquery('english', $1)) AS DOUBLE PRECISION) AS score \
             FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.body_search @@ to_tsquery('english', "
        }
    });
    // The terms are the first argument: the texts above name `$1` twice.
    sql.bind(Arg::Text(terms.tsquery())).push(")");
    push_common(&mut sql, source, filter, public_only);
    sql.push(match source {
        Source::Subjects => " ORDER BY t.id DESC LIMIT ",
        Source::Messages => " ORDER BY m.id DESC LIMIT ",
    });
    sql.bind(Arg::Int(i64::from(CANDIDATES)));
    sql
}

/// What every candidate query tests of the match's ticket (and, for a message, its visibility).
fn push_common(sql: &mut SqlBuf, source: Source, filter: &TicketFilter, public_only: bool) {
    sql.push(" AND t.merged_into_id IS NULL");
    if public_only && source == Source::Messages {
        sql.push(" AND m.visibility = 'public'");
    }
    push_conditions(sql, filter);
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
