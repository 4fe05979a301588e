//! SQLite's single write connection, and group commit on it.
//!
//! Write transactions take the connection in turn (a fair queue). Each one runs in a SAVEPOINT
//! inside a batch transaction (`BEGIN IMMEDIATE`). At commit, a transaction releases its savepoint.
//! If others are queued, it leaves the batch open for them and waits. The last one of the batch
//! (nobody queued, or the batch full) runs the one `COMMIT`, and that answers every member.
//!
//! So concurrent writes share one `COMMIT`: one WAL append of the pages they all touched, instead
//! of one per write, with the same guarantee. `commit` returns only once the batch holding the
//! write is durable, and a write that fails rolls back to its own savepoint without touching the
//! others.
//!
//! The price is latency. A write's answer waits for the writes queued behind it, at most
//! `MAX_BATCH - 1` of them. A long transaction among them (a standards recompute takes 1,000
//! tickets at a time) delays the answers of the writes ahead of it in the batch by its own length.
//!
//! A transaction dropped without a commit commits the rest of its batch at once. Whoever dropped
//! it may read next (an idempotency twin reads its winner), and must find the earlier writes
//! there.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

use crate::error::StoreError;

/// Writes per `COMMIT` at most: more would make the first of them wait long for its answer.
const MAX_BATCH: usize = 32;

/// How long a write waits for the connection before it is refused as unavailable (503), as the
/// one-connection pool this replaced did.
const MAX_WAIT: Duration = Duration::from_secs(30);

/// The batch's outcome as its members receive it (an error is shared as its message).
type Outcome = Result<(), Arc<str>>;

#[derive(Clone)]
pub(crate) struct Writer {
    state: Arc<Mutex<WriterState>>,
    /// Transactions waiting in [`Writer::begin`]: while there are some, a commit leaves its batch
    /// open for them.
    queued: Arc<AtomicUsize>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("queued", &self.queued.load(Ordering::Relaxed)).finish_non_exhaustive()
    }
}

struct WriterState {
    /// `None` once the store is closed.
    connection: Option<SqliteConnection>,
    batch: Option<Batch>,
    batches_begun: u64,
}

/// The open batch transaction: which one it is, and who waits for its `COMMIT`.
struct Batch {
    number: u64,
    waiting: Vec<oneshot::Sender<Outcome>>,
}

/// A write transaction on SQLite: the connection, held until commit or drop.
pub struct SqliteTx {
    guard: Option<OwnedMutexGuard<WriterState>>,
    writer: Writer,
}

impl Writer {
    /// Opens the write connection. Its statements run on the caller's thread (our sqlx-sqlite
    /// patch), which [`run`] relies on.
    pub(crate) async fn connect(options: SqliteConnectOptions) -> Result<Writer, StoreError> {
        let connection = SqliteConnection::connect_with(&options.run_on_caller(true)).await?;
        let state = WriterState { connection: Some(connection), batch: None, batches_begun: 0 };
        Ok(Writer { state: Arc::new(Mutex::new(state)), queued: Arc::new(AtomicUsize::new(0)) })
    }

    /// Waits for the connection, then opens a savepoint in the open batch (or a new batch).
    pub(crate) async fn begin(&self) -> Result<SqliteTx, StoreError> {
        let mut guard = {
            let _queued = Queued::enter(&self.queued);
            tokio::time::timeout(MAX_WAIT, self.state.clone().lock_owned())
                .await
                .map_err(|_| StoreError::Unavailable(sqlx::Error::PoolTimedOut))?
        };
        if guard.batch.is_none() {
            // IMMEDIATE takes the write lock first, so read-then-write never fails half-way.
            run(guard.connection()?, "BEGIN IMMEDIATE")?;
            guard.batches_begun += 1;
            guard.batch = Some(Batch { number: guard.batches_begun, waiting: Vec::new() });
        }
        if let Err(error) = run(guard.connection()?, "SAVEPOINT tandem_write") {
            guard.finish_batch();
            return Err(error);
        }
        Ok(SqliteTx { guard: Some(guard), writer: self.clone() })
    }

    /// The connection alone, outside any batch (migrations bring their own transactions).
    pub(crate) async fn exclusive(&self) -> Exclusive {
        let mut guard = self.state.clone().lock_owned().await;
        guard.finish_batch();
        Exclusive(guard)
    }

    /// Commits what is open and closes the connection, letting SQLite checkpoint its WAL.
    pub(crate) async fn close(&self) {
        let mut guard = self.state.lock().await;
        guard.finish_batch();
        if let Some(connection) = guard.connection.take()
            && let Err(error) = connection.close().await
        {
            tracing::warn!(%error, "closing the SQLite write connection");
        }
    }

    /// Waits for batch `number` to commit. If the connection comes free while that batch is still
    /// open, the members that would have committed it are gone (their requests were cancelled
    /// while queued), so this member commits it.
    async fn await_batch(&self, number: u64, mut outcome: oneshot::Receiver<Outcome>) -> Result<(), StoreError> {
        tokio::select! {
            biased;
            received = &mut outcome => shared_outcome(received),
            mut guard = self.state.clone().lock_owned() => {
                if guard.batch.as_ref().is_some_and(|batch| batch.number == number) {
                    guard.commit_batch()
                } else {
                    drop(guard);
                    shared_outcome(outcome.await)
                }
            }
        }
    }
}

/// The write connection lent outside any batch.
pub(crate) struct Exclusive(OwnedMutexGuard<WriterState>);

impl Exclusive {
    pub(crate) fn connection(&mut self) -> Result<&mut SqliteConnection, StoreError> {
        self.0.connection()
    }
}

impl SqliteTx {
    pub(crate) fn connection(&mut self) -> &mut SqliteConnection {
        let guard = self.guard.as_mut().expect("a transaction holds the connection until it ends");
        guard.connection.as_mut().expect("a transaction began on an open connection")
    }

    /// Releases the savepoint, then commits the batch or, with writes queued behind, leaves it
    /// to them and waits for its `COMMIT`.
    pub(crate) async fn commit(mut self) -> Result<(), StoreError> {
        let mut guard = self.guard.take().expect("a transaction holds the connection until it ends");
        if let Err(error) = run(guard.connection()?, "RELEASE tandem_write") {
            self.guard = Some(guard); // dropping it rolls back
            return Err(error);
        }
        let others_queued = self.writer.queued.load(Ordering::Acquire) > 0;
        let batch = guard.batch.as_mut().expect("a transaction runs inside a batch");
        if !others_queued || batch.waiting.len() + 1 >= MAX_BATCH {
            return guard.commit_batch();
        }
        let (answer, outcome) = oneshot::channel();
        batch.waiting.push(answer);
        let number = batch.number;
        drop(guard);
        // In a task of its own: if this request is cancelled, the batch still gets committed.
        let writer = self.writer.clone();
        tokio::spawn(async move { writer.await_batch(number, outcome).await })
            .await
            .map_err(|error| StoreError::Other(anyhow::Error::new(error).context("waiting for a group commit")))?
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        let Some(mut guard) = self.guard.take() else { return };
        let undone = guard.connection().and_then(|connection| {
            run(connection, "ROLLBACK TO tandem_write")?;
            run(connection, "RELEASE tandem_write")
        });
        if let Err(error) = undone {
            // The savepoint could not be undone alone: give up the whole batch.
            tracing::error!(%error, "rolling back a write transaction");
            guard.abandon_batch(&error);
            return;
        }
        guard.finish_batch();
    }
}

impl WriterState {
    fn connection(&mut self) -> Result<&mut SqliteConnection, StoreError> {
        self.connection.as_mut().ok_or_else(|| StoreError::Config("the database is closed".to_owned()))
    }

    /// Commits the open batch (a batch nobody waits for has nothing in it: it rolls back).
    fn finish_batch(&mut self) {
        match &self.batch {
            Some(batch) if batch.waiting.is_empty() => {
                self.batch = None;
                if let Err(error) = self.connection().and_then(|connection| run(connection, "ROLLBACK")) {
                    tracing::error!(%error, "ending an empty write batch");
                }
            }
            Some(_) => {
                let _ = self.commit_batch();
            }
            None => {}
        }
    }

    /// `COMMIT`s the open batch and answers everyone waiting for it.
    fn commit_batch(&mut self) -> Result<(), StoreError> {
        let Some(batch) = self.batch.take() else { return Ok(()) };
        let committed = self.connection().and_then(|connection| run(connection, "COMMIT"));
        let outcome: Outcome = match &committed {
            Ok(()) => Ok(()),
            Err(error) => {
                // A COMMIT that failed may leave the transaction open: end it.
                if let Ok(connection) = self.connection() {
                    let _ = run(connection, "ROLLBACK");
                }
                Err(Arc::from(error.to_string()))
            }
        };
        for member in batch.waiting {
            let _ = member.send(outcome.clone());
        }
        committed
    }

    /// Rolls the whole batch back and tells its members so.
    fn abandon_batch(&mut self, error: &StoreError) {
        let Some(batch) = self.batch.take() else { return };
        if let Ok(connection) = self.connection() {
            let _ = run(connection, "ROLLBACK");
        }
        let outcome: Outcome = Err(Arc::from(format!("the write batch was rolled back: {error}")));
        for member in batch.waiting {
            let _ = member.send(outcome.clone());
        }
    }
}

fn shared_outcome(received: Result<Outcome, oneshot::error::RecvError>) -> Result<(), StoreError> {
    match received {
        Ok(Ok(())) => Ok(()),
        Ok(Err(message)) => Err(StoreError::Other(anyhow::anyhow!("the group commit failed: {message}"))),
        Err(_) => Err(StoreError::Other(anyhow::anyhow!("the group commit ended without an answer"))),
    }
}

/// Runs one statement to completion on the calling thread. The write connection runs statements
/// on its caller (`run_on_caller`), so the future is ready at its first poll; that is what lets a
/// `Drop` roll back.
fn run(connection: &mut SqliteConnection, sql: &'static str) -> Result<(), StoreError> {
    let statement = sqlx::query(sql).execute(connection);
    match pin!(statement).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(done) => done.map(|_| ()).map_err(StoreError::from),
        Poll::Pending => unreachable!("the SQLite write connection runs statements on its caller"),
    }
}

/// Counts a transaction as queued for the connection while it waits, including when its request
/// is cancelled while waiting.
struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    fn enter(queued: &'a AtomicUsize) -> Queued<'a> {
        queued.fetch_add(1, Ordering::AcqRel);
        Queued(queued)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
