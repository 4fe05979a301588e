//! Tandem's benchmarks: a desk generator, the W1 workload, scale runs, a crash harness, an
//! overload check and a two-node run on one PostgreSQL, all against real `tandem serve` processes
//! over loopback HTTP; and the standards recompute, run through the app in process. See
//! bench/README.md.

mod client;
mod crash;
mod db;
mod desk_file;
mod generate;
mod limit;
mod multinode;
mod overload;
mod recompute;
mod rng;
mod runner;
mod scale;
mod server;
mod stats;
mod w1;
mod words;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "tandem-bench")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build a realistic desk of any size directly in the database, and issue API tokens.
    Generate(generate::Args),
    /// Workload W1: creates, replies, fetches, queue lists (and search, once it exists).
    W1(w1::Args),
    /// List, portal and ticket-page latency, start-up time, memory and size on a generated desk.
    Scale(scale::Args),
    /// Kill the server at random moments under writes; check no acknowledged write is lost.
    Crash(crash::Args),
    /// Concurrency far above the cores for a while; check Tandem answers and recovers.
    Overload(overload::Args),
    /// W1 on one node, then on two nodes sharing one PostgreSQL; check the nodes agree.
    Multinode(multinode::Args),
    /// Standards: recompute every open ticket's clocks for a new and an edited standard; one scan.
    Recompute(recompute::Args),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Generate(args) => generate::run(args).await,
        Command::W1(args) => w1::run_w1(args).await,
        Command::Scale(args) => scale::run_scale(args).await,
        Command::Crash(args) => crash::run_crash(args).await,
        Command::Overload(args) => overload::run_overload(args).await,
        Command::Multinode(args) => multinode::run_multinode(args).await,
        Command::Recompute(args) => recompute::run_recompute(args).await,
    }
}
