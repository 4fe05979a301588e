//! Runs one step of a workload: `concurrency` workers take operation numbers from a shared
//! counter until the budget is spent, timing each operation.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::client::Answer;
use crate::stats::StepStats;

/// How much of a step to run.
#[derive(Clone, Copy, Debug)]
pub enum Budget {
    Operations(usize),
    Time(Duration),
}

/// An operation's result: its status and value when it succeeded, its status (0 for no answer)
/// when it did not.
pub type Outcome<T> = Result<(u16, T), u16>;

/// Passes a 2xx answer on and turns anything else into its status.
pub fn success(result: anyhow::Result<Answer>) -> Result<Answer, u16> {
    match result {
        Ok(answer) if answer.status.is_success() => Ok(answer),
        Ok(answer) => Err(answer.status.as_u16()),
        Err(_) => Err(0),
    }
}

/// Runs operation `op(n)` for n = 0, 1, … and returns the step's figures and each successful
/// operation's value by its number.
pub async fn run<T, F, Fut>(name: &str, budget: Budget, concurrency: usize, op: F) -> (StepStats, Vec<Option<T>>)
where
    T: Send + 'static,
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Outcome<T>> + Send,
{
    let op = Arc::new(op);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (op, next) = (op.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut stats = StepStats::default();
            let mut values = Vec::new();
            loop {
                let number = next.fetch_add(1, Ordering::Relaxed);
                let more = match budget {
                    Budget::Operations(count) => number < count,
                    Budget::Time(limit) => started.elapsed() < limit,
                };
                if !more {
                    break;
                }
                let begun = Instant::now();
                match op(number).await {
                    Ok((status, value)) => {
                        stats.record(begun.elapsed(), status, true);
                        values.push((number, value));
                    }
                    Err(status) => stats.record(begun.elapsed(), status, false),
                }
            }
            (stats, values)
        }));
    }
    let mut total = StepStats::new(name);
    let mut by_number = Vec::new();
    for worker in workers {
        let Ok((stats, values)) = worker.await else { continue };
        total.merge(stats);
        for (number, value) in values {
            if by_number.len() <= number {
                by_number.resize_with(number + 1, || None);
            }
            by_number[number] = Some(value);
        }
    }
    total.elapsed = started.elapsed();
    (total, by_number)
}
