//! Tandem's integration tests, in one binary (one link instead of many). Each module mirrors an
//! area of the product; every test built with `test_both!` runs on SQLite and on PostgreSQL.

mod demo_walk;

pub use serde_json::json;
pub use tandem_testkit::{TestApp, TestBackend, test_both};
