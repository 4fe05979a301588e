//! `tandem serve`: load the demo if asked, bind, serve HTTP and run background jobs side by side
//! until SIGINT or SIGTERM, close cleanly. `tandem worker`: the jobs alone.

use std::net::SocketAddr;

use anyhow::Context;
use tandem_app::App;
use tandem_app::jobs::{Registry, WorkerOptions};
use tandem_web::WebOptions;

use crate::config::Config;

pub async fn serve(app: App, config: &Config, demo: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let empty = app.is_empty().await?;
    let loaded_demo = demo && empty;
    if loaded_demo {
        tandem_app::seed::load_demo(&app, crate::cli::now()).await.context("loading the demo organization")?;
    }
    let options = WebOptions {
        max_body_bytes: config.limits.max_body_bytes,
        max_upload_bytes: config.limits.max_upload_bytes,
        max_concurrent_requests: config.limits.max_concurrent_requests,
    };
    let router = tandem_web::router(app.clone(), &options);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let address = listener.local_addr()?;
    print_banner(address, demo, loaded_demo, started.elapsed());
    if empty && !demo {
        println!("The desk is empty. Create its first admin with `tandem admin create --email E --name N`,");
        println!("or start with the demo organization: `tandem serve --demo` on a fresh data directory.");
    }
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let fetcher = tokio::spawn(crate::mail::fetch_loop(app.clone(), config.mail.clone(), stopped.clone()));
    let worker = tokio::spawn(run_worker(app.clone(), stopped));
    let served = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving HTTP");
    // Whichever way HTTP ended, the worker stops too and finishes the job it is running.
    let _ = stop.send(true);
    worker.await.context("the job worker panicked")?;
    fetcher.await.context("the IMAP fetcher panicked")?;
    served?;
    app.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// `tandem worker`: runs background jobs (no HTTP) until SIGINT or SIGTERM.
pub async fn worker(app: App) -> anyhow::Result<()> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(run_worker(app.clone(), stopped));
    println!("Tandem worker running background jobs (stop with Ctrl-C)");
    shutdown_signal().await;
    let _ = stop.send(true);
    worker.await.context("the job worker panicked")?;
    app.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The node's job worker: every standard job kind and schedule, on the real clock.
async fn run_worker(app: App, stopped: tokio::sync::watch::Receiver<bool>) {
    let options = WorkerOptions::default();
    tracing::info!(worker.node = %options.node, "job worker {} started", options.node);
    let worker = app.worker(Registry::standard(), Registry::standard_schedules(), options);
    worker.run(crate::cli::now, stopped).await;
}

fn print_banner(address: SocketAddr, demo: bool, loaded_demo: bool, took: std::time::Duration) {
    println!("Tandem is listening on http://{address} (ready in {} ms)", took.as_millis());
    println!("  Web:     http://{address}/         (open it in a browser and sign in)");
    println!("  API:     http://{address}/api/v1   (described at http://{address}/api/openapi.json)");
    println!("  Health:  http://{address}/healthz");
    if demo {
        if loaded_demo {
            println!("Loaded the Harbor Coffee Co. demo organization.");
        } else {
            println!("The database already had data; the demo organization was not loaded again.");
        }
        println!("Demo accounts (password `demo`):");
        for (email, who) in DEMO_ACCOUNTS {
            println!("  {email:<28} {who}");
        }
        println!("Open http://{address}/ and sign in as any of them; for the API, get a token with:");
        println!("  curl -s -X POST http://{address}/api/v1/sessions -H 'content-type: application/json' \\");
        println!("    -d '{{\"email\":\"casey@harbor.example\",\"password\":\"demo\"}}'");
    }
}

const DEMO_ACCOUNTS: &[(&str, &str)] = &[
    ("admin@harbor.example", "Avery, admin"),
    ("casey@harbor.example", "Casey, agent and lead, Customer Care"),
    ("ivan@harbor.example", "Ivan, agent and lead, IT Service Desk"),
    ("hana@harbor.example", "Hana, agent and lead, People & HR"),
    ("wes@harbor.example", "Wes, agent and lead, Warehouse"),
    ("ada@harbor.example", "Ada, agent and lead, Accounting"),
    ("mia@harbor.example", "Mia, agent and lead, Marketing"),
    ("bea@harbor.example", "Bea, barista (employee, Store Operations)"),
    ("sam@harbor.example", "Sam, store manager (employee, Store Operations)"),
    ("erin@example.com", "Erin, consumer (external customer)"),
    ("olga@bayside.example", "Olga, buyer at Bayside Offices (external, sees her organization's tickets)"),
    ("sol@sunrisebeans.example", "Sol, supplier at Sunrise Beans (connected stakeholder)"),
];

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
