//! `generate`: a realistic desk of any size written straight into the database. Tandem's own
//! migrations make the schema; the rows go in with bulk SQL (minutes for a million tickets,
//! where the API would take hours); API tokens for the load's accounts are issued through the app.

mod directory;
mod indexes;
mod sink;
mod tickets;

pub use tickets::CHAIN_EVERY;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use tandem_app::{App, Limits};
use tandem_store::{ConnectOptions, Store};

use crate::db::{Database, mib};
use crate::desk_file::{Account, DeskFile};
use crate::rng::Rng;
use directory::{BENCH_EMAILS, QUEUE_TEAM_SLUG, W1_SERVICE};
use sink::Sink;
use tickets::TicketWriter;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Tickets to generate (about five messages each).
    #[arg(long, required_unless_present = "demo")]
    tickets: Option<u64>,
    /// Load Tandem's own demo organization (Harbor Coffee, as `tandem serve --demo` shows it)
    /// instead of generating a desk, so the pages can be timed on the data a newcomer clicks through.
    #[arg(long, conflicts_with = "tickets")]
    demo: bool,
    /// sqlite://PATH or postgres://USER@HOST:PORT/tandem_bench_NAME; it is emptied first.
    #[arg(long)]
    database_url: String,
    /// Where to write the desk file (database URL, accounts, API tokens) the other commands read.
    #[arg(long, default_value = "tandem-bench-desk.json")]
    token_file: PathBuf,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Tickets per transaction (about 150,000 rows with their messages and events).
const CHUNK: u64 = 10_000;

pub async fn run(args: Args) -> anyhow::Result<()> {
    match args.tickets {
        Some(tickets) if !args.demo => generate(&args, tickets).await,
        _ => demo(&args).await,
    }
}

async fn generate(args: &Args, tickets: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let database = Database::parse(&args.database_url)?;
    database.recreate().await?;
    let store = Store::connect(&ConnectOptions::new(&args.database_url)).await.context("connecting with Tandem")?;
    store.migrate().await?;
    store.close().await;

    let mut sink = Sink::open(&database).await?;
    let indexes = indexes::drop_secondary(&mut sink).await?;
    let now = jiff::Timestamp::now().as_millisecond();
    let mut rng = Rng::new(args.seed);
    let (directory, directory_rows) = directory::build(&mut rng, tickets, now - 3 * 365 * 24 * 3_600_000);
    sink.execute("BEGIN".into()).await?;
    for rows in directory_rows {
        sink.write(rows).await?;
    }
    sink.execute("COMMIT".into()).await?;
    let counts = load_tickets(&mut sink, directory, tickets, args.seed, now).await?;
    let loaded = started.elapsed();
    indexes::create(&mut sink, indexes).await?;
    if matches!(database, Database::Postgres(_)) {
        settle_postgres(&mut sink).await?;
    }
    sink.finish().await?;
    let indexed = started.elapsed();

    let accounts = BenchAccounts { emails: BENCH_EMAILS, queue_team: QUEUE_TEAM_SLUG, service: W1_SERVICE };
    let desk = issue_tokens(&args.database_url, tickets, now, &accounts).await?;
    desk.write(&args.token_file)?;
    let size = database.size().await?;
    println!(
        "generated {} tickets, {} messages, {} events on {} in {:.1} s (rows {:.1} s, indexes {:.1} s); \
         database {}; desk file {}",
        tickets,
        counts.messages,
        counts.events,
        database.backend_name(),
        started.elapsed().as_secs_f64(),
        loaded.as_secs_f64(),
        (indexed - loaded).as_secs_f64(),
        mib(size),
        args.token_file.display()
    );
    Ok(())
}

#[derive(Default)]
struct Counts {
    messages: usize,
    events: usize,
}

/// Generates on a blocking thread while this task writes, so both cores work.
async fn load_tickets(
    sink: &mut Sink,
    directory: directory::Directory,
    total: u64,
    seed: u64,
    now: i64,
) -> anyhow::Result<Counts> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel(4);
    let generator = tokio::task::spawn_blocking(move || {
        let mut writer = TicketWriter::new(seed.wrapping_add(1), &directory, total, now);
        let mut first = 1;
        while first <= total {
            let last = (first + CHUNK - 1).min(total);
            if sender.blocking_send(writer.batch(first, last)).is_err() {
                return; // the writer failed; its error is reported
            }
            first = last + 1;
        }
    });
    let mut counts = Counts::default();
    let mut written = 0;
    let started = Instant::now();
    while let Some(batch) = receiver.recv().await {
        written += batch.tickets.len() as u64;
        counts.messages += batch.messages.len();
        counts.events += batch.events.len();
        sink.execute("BEGIN".into()).await?;
        for rows in batch.into_rows() {
            sink.write(rows).await?;
        }
        sink.execute("COMMIT".into()).await?;
        if written % (CHUNK * 10) == 0 {
            eprintln!("  {written} tickets ({:.0}/s)", written as f64 / started.elapsed().as_secs_f64());
        }
    }
    generator.await?;
    Ok(counts)
}

/// Identity columns continue after the ids the generator chose, and the planner gets statistics
/// (autovacuum would gather them soon after such a load anyway). SQLite is left as Tandem leaves
/// it: Tandem never runs ANALYZE, so neither does the generator.
async fn settle_postgres(sink: &mut Sink) -> anyhow::Result<()> {
    for table in ["organizations", "teams", "people", "services", "tickets", "messages", "ticket_events"] {
        sink.execute(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        ))
        .await?;
    }
    sink.execute("VACUUM ANALYZE".into()).await
}

/// The demo's stand-ins for the bench accounts: the admin, Casey of Customer Care (whose queue is
/// listed), Erin (a customer) and Olga (who follows all of Bayside's requests).
const DEMO_ACCOUNTS: BenchAccounts = BenchAccounts {
    emails: ["admin@harbor.example", "casey@harbor.example", "erin@example.com", "olga@bayside.example"],
    queue_team: "care",
    service: "product-question",
};

/// Tandem's demo organization in a fresh database, loaded by the same code as `tandem demo`.
async fn demo(args: &Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let database = Database::parse(&args.database_url)?;
    database.recreate().await?;
    let store = Store::connect(&ConnectOptions::new(&args.database_url)).await.context("connecting with Tandem")?;
    store.migrate().await?;
    let app = App::new(store, Limits::default());
    let now = jiff::Timestamp::now().as_millisecond();
    tandem_app::seed::load_demo(&app, now).await.context("loading the demo organization")?;
    app.close().await;
    let tickets = tandem_app::seed::DEMO_TICKETS as u64;
    let desk = issue_tokens(&args.database_url, tickets, now, &DEMO_ACCOUNTS).await?;
    desk.write(&args.token_file)?;
    println!(
        "loaded the demo organization ({tickets} tickets) on {} in {:.1} s; database {}; desk file {}",
        database.backend_name(),
        started.elapsed().as_secs_f64(),
        mib(database.size().await?),
        args.token_file.display()
    );
    Ok(())
}

/// Who the load acts as: admin, agent of the queue team, customer, customer with organization
/// access (in that order), the queue team's slug and the service customers file requests with.
struct BenchAccounts {
    emails: [&'static str; 4],
    queue_team: &'static str,
    service: &'static str,
}

/// API tokens for the bench accounts, issued by the app itself (so they are hashed exactly as
/// Tandem checks them).
async fn issue_tokens(url: &str, tickets: u64, now: i64, bench: &BenchAccounts) -> anyhow::Result<DeskFile> {
    let store = Store::connect(&ConnectOptions::new(url)).await?;
    let app = App::new(store, Limits::default());
    let mut accounts = Vec::new();
    for email in bench.emails {
        let token = app.create_api_token(email, "bench", now).await.with_context(|| format!("token for {email}"))?;
        let person_id = app.principal(&token, now).await?.person_id.0;
        accounts.push(Account { email: email.to_owned(), person_id, token });
    }
    let admin = app.principal(&accounts[0].token, now).await?;
    let teams = app.list_teams(&admin).await?;
    let queue_team = teams.iter().find(|team| team.slug == bench.queue_team).context("the queue team")?.id.0;
    app.close().await;
    let [admin, agent, customer, org_customer] =
        <[Account; 4]>::try_from(accounts).map_err(|_| anyhow::anyhow!("four bench accounts"))?;
    Ok(DeskFile {
        database_url: url.to_owned(),
        tickets,
        admin,
        agent,
        customer,
        org_customer,
        queue_team_id: queue_team,
        service: bench.service.to_owned(),
    })
}
