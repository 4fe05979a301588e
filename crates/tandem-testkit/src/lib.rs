//! Test support: a fresh database per test on SQLite (a temp file) or PostgreSQL (a fresh schema),
//! and an in-process [`TestApp`] that sends real HTTP requests through the real router.
//!
//! PostgreSQL tests read `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`)
//! and fail loudly when the server cannot be reached: `scripts/test` starts one.

mod db;
mod http;

pub use db::{TestBackend, TestDb};
pub use http::{TestApp, TestResponse, now};

/// Defines one async test per backend: `name::sqlite` and `name::postgres`, each given a fresh
/// [`TestBackend`] to build what it needs from.
#[macro_export]
macro_rules! test_both {
    ($(#[$meta:meta])* async fn $name:ident($backend:ident: TestBackend) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($backend: $crate::TestBackend) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$meta])*
            async fn sqlite() {
                run($crate::TestBackend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$meta])*
            async fn postgres() {
                run($crate::TestBackend::Postgres).await
            }
        }
    };
}
