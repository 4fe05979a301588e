//! Write transactions under concurrency, on both backends. On SQLite, concurrent writes share
//! one `COMMIT` (group commit), so these check what that must keep:
//! - a commit that returns is durable and visible to every reader;
//! - a write that rolls back takes nothing of the others with it;
//! - a request cancelled at any point leaves nothing half-done and nothing stuck.

use std::sync::Arc;
use std::time::Duration;

use tandem_domain::PersonKind;
use tandem_store::people::{self, PersonFields};
use tandem_testkit::TestDb;

use super::*;

const WRITERS: usize = 24;

fn email(n: usize) -> String {
    format!("writer{n}@example.com")
}

async fn person_exists(db: &TestDb, n: usize) -> bool {
    let mut reader = db.store.read().await.unwrap();
    people::get_by_email(reader.conn(), &email(n)).await.unwrap().is_some()
}

/// Writes person `n`; commits it unless `n` is one to roll back (those also hit a conflict
/// first, the way a failed write ends). Says whether it committed.
async fn write_person(db: &TestDb, n: usize, roll_back: bool) -> bool {
    let mut tx = db.store.begin().await.unwrap();
    let fields = PersonFields::new(email(n), format!("Writer {n}"), PersonKind::External);
    people::insert_if_absent(tx.conn(), &fields, None, 1).await.unwrap().expect("a new person");
    tokio::task::yield_now().await; // let the others queue behind this one
    if roll_back {
        let twin = PersonFields::new(email(n), "Twin", PersonKind::External);
        assert!(people::insert_if_absent(tx.conn(), &twin, None, 2).await.unwrap().is_none());
        drop(tx);
        return false;
    }
    tx.commit().await.unwrap();
    true
}

test_both!(
    async fn a_commit_that_returns_is_visible_to_every_reader(backend: TestBackend) {
        let db = Arc::new(TestDb::new(backend).await);
        together(WRITERS, |n| {
            let db = db.clone();
            async move {
                write_person(&db, n, false).await;
                // Read at once, on another connection: the batch holding the write has committed.
                assert!(person_exists(&db, n).await, "writer {n}'s commit returned before it was visible");
            }
        })
        .await;
    }
);

test_both!(
    async fn a_write_that_rolls_back_takes_nothing_of_the_others(backend: TestBackend) {
        let db = Arc::new(TestDb::new(backend).await);
        let committed = together(WRITERS, |n| {
            let db = db.clone();
            async move { write_person(&db, n, n % 3 == 1).await }
        })
        .await;
        for (n, committed) in committed.into_iter().enumerate() {
            assert_eq!(person_exists(&db, n).await, committed, "writer {n} committed: {committed}");
        }
    }
);

test_both!(
    async fn cancelled_writes_leave_nothing_stuck_or_half_done(backend: TestBackend) {
        let db = Arc::new(TestDb::new(backend).await);
        let writers: Vec<_> = (0..WRITERS)
            .map(|n| {
                let db = db.clone();
                tokio::spawn(async move { write_person(&db, n, false).await })
            })
            .collect();
        // Cancel some writers at different moments: waiting for the connection, mid-write, or
        // waiting for their batch's COMMIT.
        for (n, writer) in writers.iter().enumerate() {
            if n % 2 == 0 {
                tokio::time::sleep(Duration::from_micros(200 * n as u64)).await;
                writer.abort();
            }
        }
        let mut finished = Vec::new();
        for writer in writers {
            finished.push(match writer.await {
                Ok(committed) => Some(committed),
                Err(error) if error.is_cancelled() => None,
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            });
        }
        // Nothing is left holding the write connection: a new write commits promptly.
        let next = tokio::time::timeout(Duration::from_secs(10), write_person(&db, WRITERS, false)).await;
        assert_eq!(next.ok(), Some(true), "a write after the cancellations did not commit");
        for (n, finished) in finished.into_iter().enumerate() {
            let exists = person_exists(&db, n).await;
            // A writer that finished committed; a cancelled one may or may not have, but never
            // leaves a person without its commit having run to the end.
            if finished == Some(true) {
                assert!(exists, "writer {n} committed but its person is missing");
            }
        }
        let mut reader = db.store.read().await.unwrap();
        let all = people::list(reader.conn(), &Default::default(), 100).await.unwrap();
        assert!(all.iter().all(|person| person.fields.name.starts_with("Writer ")), "{all:?}");
    }
);
