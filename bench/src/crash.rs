//! The crash harness: nothing acknowledged is ever lost. Each round drives creates and replies at
//! concurrency 8 against a real `tandem serve`, SIGKILLs it at a random moment, starts it again and
//! checks in the database that every write answered with a 2xx is there and whole (the ticket, its
//! first message and its `created` event; the reply and its `message_added` event), and that SQLite
//! passes its integrity check. The restarted server carries the next round's load.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::bail;
use serde_json::json;
use tandem_store::{ConnectOptions, Store, on_conn};

use crate::client::Client;
use crate::db::Database;
use crate::desk_file::DeskFile;
use crate::rng::Rng;
use crate::runner::success;
use crate::server::Server;
use crate::words;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The desk file written by `generate` (its database receives the writes).
    #[arg(long)]
    token_file: PathBuf,
    #[arg(long, default_value = "target/release/tandem")]
    tandem: PathBuf,
    #[arg(long, default_value_t = 20)]
    rounds: usize,
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// The kill comes at a random moment between these many milliseconds of load.
    #[arg(long, default_value_t = 300)]
    min_ms: u64,
    #[arg(long, default_value_t = 2_000)]
    max_ms: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// A write the server acknowledged with a 2xx.
#[derive(Clone, Debug)]
enum Acked {
    Ticket { id: i64, subject: String, body: String },
    Reply { ticket: i64, message: i64, body: String },
}

#[derive(Default)]
struct Ledger {
    acked: Vec<Acked>,
    tickets: Vec<i64>,
    /// Requests that got no 2xx, by status (0: no answer, as when the server was killed).
    refused: BTreeMap<u16, u64>,
}

pub async fn run_crash(args: Args) -> anyhow::Result<()> {
    let desk = Arc::new(DeskFile::read(&args.token_file)?);
    let database = Database::parse(&desk.database_url)?;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut rng = Rng::new(args.seed);
    let mut server = Server::start(&args.tandem, &desk.database_url).await?;
    let mut lost_total = 0;
    for round in 1..=args.rounds {
        let stop = Arc::new(AtomicBool::new(false));
        let workers: Vec<_> = (0..args.concurrency)
            .map(|worker| {
                let seed = args.seed ^ ((round as u64) << 32) ^ worker as u64;
                tokio::spawn(drive(server.client.clone(), desk.clone(), ledger.clone(), stop.clone(), seed))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(rng.between(args.min_ms, args.max_ms))).await;
        server.kill().await?;
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.await?;
        }
        server = Server::start(&args.tandem, &desk.database_url).await?;
        let acked = ledger.lock().map_err(|_| anyhow::anyhow!("ledger poisoned"))?.acked.clone();
        let lost = verify(&desk.database_url, desk.tickets as i64, &acked).await?;
        let integrity = database.integrity_check().await?;
        println!(
            "round {round:>2}: {} writes acknowledged so far, {} lost, integrity {}",
            acked.len(),
            lost.len(),
            integrity.as_deref().unwrap_or("(PostgreSQL: n/a)")
        );
        for write in lost.iter().take(5) {
            println!("  lost: {write:?}");
        }
        lost_total = lost.len();
        if integrity.as_ref().is_some_and(|result| result != "ok") {
            bail!("SQLite integrity check failed after round {round}: {}", integrity.unwrap_or_default());
        }
    }
    server.stop().await?;
    let ledger = ledger.lock().map_err(|_| anyhow::anyhow!("ledger poisoned"))?;
    let tickets = ledger.acked.iter().filter(|write| matches!(write, Acked::Ticket { .. })).count();
    println!(
        "\n## crash on {}\n\nrounds: {}; acknowledged writes: {} ({tickets} tickets, {} replies); \
         requests without a 2xx (status×count, 0 = no answer): {:?}; writes lost: {lost_total}",
        database.backend_name(),
        args.rounds,
        ledger.acked.len(),
        ledger.acked.len() - tickets,
        ledger.refused
    );
    if lost_total > 0 {
        bail!("{lost_total} acknowledged writes were lost");
    }
    Ok(())
}

/// One worker: creates as the customer, and (two times in five) replies as the agent to a ticket
/// already acknowledged, until stopped. Every 2xx goes into the ledger.
async fn drive(client: Client, desk: Arc<DeskFile>, ledger: Arc<Mutex<Ledger>>, stop: Arc<AtomicBool>, seed: u64) {
    let mut rng = Rng::new(seed);
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let target = ledger
            .lock()
            .ok()
            .and_then(|ledger| (!ledger.tickets.is_empty() && rng.chance(40)).then(|| *rng.pick(&ledger.tickets)));
        let body = format!("{} [crash {seed:x}/{n}]", words::body(&mut rng, 10, 40));
        let acked = match target {
            Some(ticket) => reply(&client, &desk.agent.token, ticket, body).await,
            None => {
                let subject = format!("{} [crash {seed:x}/{n}]", words::subject(&mut rng));
                create(&client, &desk.customer.token, &desk.service, subject, body).await
            }
        };
        let Ok(mut ledger) = ledger.lock() else { return };
        match acked {
            Ok(write) => {
                if let Acked::Ticket { id, .. } = &write {
                    ledger.tickets.push(*id);
                }
                ledger.acked.push(write);
            }
            Err(status) => *ledger.refused.entry(status).or_default() += 1,
        }
    }
}

async fn create(client: &Client, token: &str, service: &str, subject: String, body: String) -> Result<Acked, u16> {
    let request = json!({"subject": subject, "body": body, "service": service});
    let answer = success(client.post(token, "/api/v1/tickets", &request).await)?;
    let id = answer.json().ok().and_then(|value| value["ticket"]["id"].as_i64()).ok_or(answer.status.as_u16())?;
    Ok(Acked::Ticket { id, subject, body })
}

async fn reply(client: &Client, token: &str, ticket: i64, body: String) -> Result<Acked, u16> {
    let request = json!({"body": body});
    let answer = success(client.post(token, &format!("/api/v1/tickets/{ticket}/messages"), &request).await)?;
    let message = answer.json().ok().and_then(|value| value["message"]["id"].as_i64()).ok_or(answer.status.as_u16())?;
    Ok(Acked::Reply { ticket, message, body })
}

/// The acknowledged writes that are missing or not whole in the database.
async fn verify(url: &str, generated: i64, acked: &[Acked]) -> anyhow::Result<Vec<Acked>> {
    const TICKETS: &str = "SELECT t.id, t.subject, \
           COALESCE((SELECT body FROM messages m WHERE m.ticket_id = t.id ORDER BY m.id LIMIT 1), ''), \
           (SELECT COUNT(*) FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'created') \
         FROM tickets t WHERE t.id > $1";
    const MESSAGES: &str = "SELECT id, ticket_id, body FROM messages WHERE ticket_id > $1";
    const EVENTS: &str = "SELECT data FROM ticket_events WHERE ticket_id > $1 AND kind = 'message_added'";
    let store = Store::connect(&ConnectOptions::new(url)).await?;
    let mut reader = store.read().await?;
    let tickets: Vec<(i64, String, String, i64)> =
        on_conn!(reader.conn(), c => sqlx::query_as(TICKETS).bind(generated).fetch_all(&mut *c).await)?;
    let messages: Vec<(i64, i64, String)> =
        on_conn!(reader.conn(), c => sqlx::query_as(MESSAGES).bind(generated).fetch_all(&mut *c).await)?;
    let events: Vec<String> =
        on_conn!(reader.conn(), c => sqlx::query_scalar(EVENTS).bind(generated).fetch_all(&mut *c).await)?;
    drop(reader);
    store.close().await;
    let tickets: HashMap<i64, (String, String, i64)> =
        tickets.into_iter().map(|(id, subject, body, created)| (id, (subject, body, created))).collect();
    let messages: HashMap<i64, (i64, String)> =
        messages.into_iter().map(|(id, ticket, body)| (id, (ticket, body))).collect();
    let recorded: HashSet<i64> = events
        .iter()
        .filter_map(|data| serde_json::from_str::<serde_json::Value>(data).ok()?["message_id"].as_i64())
        .collect();
    let whole = |write: &Acked| match write {
        Acked::Ticket { id, subject, body } => {
            tickets.get(id).is_some_and(|(s, b, created)| s == subject && b == body && *created == 1)
        }
        Acked::Reply { ticket, message, body } => {
            messages.get(message).is_some_and(|(t, b)| t == ticket && b == body) && recorded.contains(message)
        }
    };
    Ok(acked.iter().filter(|write| !whole(write)).cloned().collect())
}
