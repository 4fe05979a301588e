//! The `tandem` binary: one program for every role a node plays. `tandem --help` lists them.

mod cli;
mod config;
mod mail;
mod serve;

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tandem: {error:#}");
            ExitCode::FAILURE
        }
    }
}
