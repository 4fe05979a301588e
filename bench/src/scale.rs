//! Scale: against a generated desk of N tickets, how long the screens that must not slow down with
//! N take (queue, portal "my requests", ticket page), plus start-up time, idle and peak memory and
//! the database size. Requests run one at a time by default, so p99 is the query's own cost and
//! not time spent queueing behind other requests.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::db::{Database, mib};
use crate::desk_file::DeskFile;
use crate::generate::CHAIN_EVERY;
use crate::rng::Rng;
use crate::runner::{Budget, Outcome, run, success};
use crate::server::{Memory, Server, kib_as_mib};
use crate::stats::Report;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The desk file written by `generate`.
    #[arg(long)]
    token_file: PathBuf,
    /// The tandem binary to start.
    #[arg(long, default_value = "target/release/tandem")]
    tandem: PathBuf,
    /// Requests per step.
    #[arg(long, default_value_t = 1_000)]
    requests: usize,
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Times the server is started to measure start-up (the last one is measured further).
    #[arg(long, default_value_t = 3)]
    starts: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// The web pages people wait on most, rendered whole (queue and ticket page), signed in with a
/// session cookie as a browser would be.
async fn page_steps(server: &Server, desk: &Arc<DeskFile>, args: &Args) -> Vec<crate::stats::StepStats> {
    let budget = Budget::Operations(args.requests);
    let (client, agent) = (server.client.clone(), desk.agent.token.clone());
    let (queue, _) = run("agent console: queue page", budget, args.concurrency, move |_| {
        let (client, agent) = (client.clone(), agent.clone());
        async move {
            let answer = success(client.page(&agent, "/agent?view=open").await)?;
            Outcome::Ok((answer.status.as_u16(), ()))
        }
    })
    .await;
    let (client, admin, tickets, seed) =
        (server.client.clone(), desk.admin.token.clone(), desk.tickets.max(1), args.seed);
    let (ticket, _) = run("agent console: ticket page", budget, args.concurrency, move |n| {
        let (client, admin) = (client.clone(), admin.clone());
        let id = 1 + Rng::new(seed ^ 0x9A6E ^ n as u64).below(tickets);
        async move {
            let answer = success(client.page(&admin, &format!("/agent/tickets/{id}")).await)?;
            Outcome::Ok((answer.status.as_u16(), ()))
        }
    })
    .await;
    vec![queue, ticket]
}

/// What a search step looks for.
#[derive(Clone, Copy)]
enum Terms {
    /// Different words of the seeded text: each in about a fifth of the messages, the costliest
    /// words a desk has (too common to rank by relevance on SQLite).
    Common(usize),
    /// A product model: in about 0.2 % of the messages, ranked by relevance over all its matches.
    Model,
}

impl Terms {
    fn query(self, rng: &mut Rng) -> String {
        match self {
            Terms::Model => crate::words::model(rng),
            Terms::Common(words) => {
                let mut query: Vec<&str> = Vec::new();
                while query.len() < words {
                    let word = crate::words::word(rng);
                    if !query.contains(&word) {
                        query.push(word);
                    }
                }
                query.join("%20")
            }
        }
    }
}

/// Full-text search as the agent (their team's work), the admin (the whole desk) and a customer
/// (their own requests, public messages only).
async fn search_steps(server: &Server, desk: &Arc<DeskFile>, args: &Args) -> Vec<crate::stats::StepStats> {
    let searchers = [
        ("search: agent, team's tickets", desk.agent.token.clone(), Terms::Common(1)),
        ("search: admin, whole desk", desk.admin.token.clone(), Terms::Common(1)),
        ("search: admin, two words", desk.admin.token.clone(), Terms::Common(2)),
        ("search: admin, a model (ranked)", desk.admin.token.clone(), Terms::Model),
        ("search: agent, a model (ranked)", desk.agent.token.clone(), Terms::Model),
        ("search: customer, own requests", desk.customer.token.clone(), Terms::Common(1)),
    ];
    let mut steps = Vec::new();
    for (name, token, terms) in searchers {
        let (client, seed) = (server.client.clone(), args.seed);
        let (stats, _) = run(name, Budget::Operations(args.requests), args.concurrency, move |n| {
            let (client, token) = (client.clone(), token.clone());
            let query = terms.query(&mut Rng::new(seed ^ 0x5EA4C ^ n as u64));
            async move {
                let path = format!("/api/v1/tickets/search?q={query}");
                let answer = success(client.get(Some(&token), &path).await)?;
                Outcome::Ok((answer.status.as_u16(), ()))
            }
        })
        .await;
        steps.push(stats);
    }
    steps
}

pub async fn run_scale(args: Args) -> anyhow::Result<()> {
    let desk = Arc::new(DeskFile::read(&args.token_file)?);
    let database = Database::parse(&desk.database_url)?;
    let mut start_ups = Vec::new();
    let mut server = Server::start(&args.tandem, &desk.database_url).await?;
    for _ in 1..args.starts.max(1) {
        start_ups.push(server.start_up);
        server.stop().await?;
        server = Server::start(&args.tandem, &desk.database_url).await?;
    }
    start_ups.push(server.start_up);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = Memory::of(server.pid)?;

    let title =
        format!("scale: {} tickets on {} (concurrency {})", desk.tickets, database.backend_name(), args.concurrency);
    let mut report = Report::new(title);
    let budget = Budget::Operations(args.requests);
    let agent = desk.agent.token.clone();
    let lists = [
        (
            "team queue: open tickets",
            agent.clone(),
            format!("/api/v1/tickets?team_id={}&status=open", desk.queue_team_id),
        ),
        ("admin: all open tickets", desk.admin.token.clone(), "/api/v1/tickets?status=open".to_owned()),
        ("portal: my requests", desk.customer.token.clone(), "/api/v1/tickets?scope=requested".to_owned()),
        (
            "portal: my organization's requests",
            desk.org_customer.token.clone(),
            "/api/v1/tickets?scope=requested".to_owned(),
        ),
    ];
    for (name, token, path) in lists {
        let client = server.client.clone();
        let (stats, _) = run(name, budget, args.concurrency, move |_| {
            let (client, token, path) = (client.clone(), token.clone(), path.clone());
            async move {
                let answer = success(client.get(Some(&token), &path).await)?;
                Outcome::Ok((answer.status.as_u16(), ()))
            }
        })
        .await;
        report.step(&stats);
    }
    // As the admin, who may open every ticket of the desk.
    let (client, tickets, seed, admin) =
        (server.client.clone(), desk.tickets.max(1), args.seed, desk.admin.token.clone());
    let (pages, _) = run("ticket page (GET /tickets/{id})", budget, args.concurrency, move |n| {
        let (client, token) = (client.clone(), admin.clone());
        let id = 1 + Rng::new(seed ^ 0x5CA1E ^ n as u64).below(tickets);
        async move {
            let answer = success(client.get(Some(&token), &format!("/api/v1/tickets/{id}")).await)?;
            Outcome::Ok((answer.status.as_u16(), ()))
        }
    })
    .await;
    report.step(&pages);
    // Tickets 2 past a multiple of CHAIN_EVERY end chains of up to three links when internal.
    let (client, seed, admin) = (server.client.clone(), args.seed, desk.admin.token.clone());
    let chains = (tickets / CHAIN_EVERY).max(1);
    let (chain_stats, _) = run("ticket chain (GET /tickets/{id}/chain)", budget, args.concurrency, move |n| {
        let (client, token) = (client.clone(), admin.clone());
        let id = (CHAIN_EVERY * Rng::new(seed ^ 0xC4A1 ^ n as u64).below(chains) + 2).min(tickets);
        async move {
            let answer = success(client.get(Some(&token), &format!("/api/v1/tickets/{id}/chain")).await)?;
            Outcome::Ok((answer.status.as_u16(), ()))
        }
    })
    .await;
    report.step(&chain_stats);
    for step in page_steps(&server, &desk, &args).await {
        report.step(&step);
    }
    for step in search_steps(&server, &desk, &args).await {
        report.step(&step);
    }

    let after = Memory::of(server.pid)?;
    server.stop().await?;
    let start_ups: Vec<String> =
        start_ups.iter().map(|took| format!("{:.0} ms", took.as_secs_f64() * 1000.0)).collect();
    report.note(format!("start-up (spawn until /healthz answers): {}", start_ups.join(", ")));
    report.note(format!(
        "RSS idle (1 s after start-up): {}; peak after the steps (VmHWM): {}",
        kib_as_mib(idle.rss_kib),
        kib_as_mib(after.peak_kib)
    ));
    report.note(format!("database size: {}", mib(database.size().await?)));
    print!("{}", report.render());
    Ok(())
}
