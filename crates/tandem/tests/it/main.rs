//! Tandem's integration tests, in one binary (one link instead of many). Each module mirrors an
//! area of the product; every test built with `test_both!` runs on SQLite and on PostgreSQL.
//! `pages` is not an area: it is the browser without a browser that the page tests share.

mod admin_pages;
mod agent_pages;
mod announcement_pages;
mod announcements;
mod articles;
mod binary;
mod browser;
mod catalog;
mod chain;
mod concurrency;
mod demo_walk;
mod directory;
mod feedback;
mod feedback_routing;
mod help_pages;
mod incident_pages;
mod incidents;
mod jobs;
mod loyalty;
mod mail;
mod multinode;
mod openapi;
mod pages;
mod portal_pages;
mod recovery;
mod recovery_pages;
mod review_pages;
mod reviews;
mod robustness;
mod routing;
mod search;
mod standards;
mod standards_backlog;
mod standards_edit;
mod standards_escalation;
mod standards_lifecycle;
mod storage_parity;
mod store;
mod store_commits;
mod survey_pages;
mod surveys;
mod tickets;
mod tidy;
mod visibility;

pub use serde_json::json;
pub use tandem_testkit::{TestApp, TestBackend, test_both};

/// Runs `n` futures at once, each in its own task and released together by a barrier, and
/// returns their outputs in order (a panic in one is the test's).
pub async fn together<T, F, Fut>(n: usize, make: F) -> Vec<T>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|index| {
            let (run, barrier) = (make(index), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                run.await
            })
        })
        .collect();
    let mut outputs = Vec::with_capacity(n);
    for task in tasks {
        outputs.push(task.await.expect("a task run together"));
    }
    outputs
}
