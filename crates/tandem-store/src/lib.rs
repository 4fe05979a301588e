//! The only crate that knows SQL. One [`Store`] over SQLite (the default: one writer connection,
//! a reader pool, WAL) or PostgreSQL (one pool, several nodes), chosen from the URL at start-up.
//!
//! Every query is written once in the SQL both databases understand (`$1` placeholders,
//! `RETURNING`, `ON CONFLICT`, row values) and run through [`on_conn!`]. The few places where the
//! two must differ are named in `docs/storage.md`. Functions are grouped by aggregate, take a
//! [`Conn`] (from a write [`Tx`] or a read [`Reader`]) and return row types or views.

mod db;
mod error;
mod group_commit;
mod json;
mod sql;

pub mod announcements;
pub mod articles;
pub mod attachments;
pub mod events;
pub mod feedback_routing;
pub mod idempotency;
pub mod inbound;
pub mod incidents;
pub mod jobs;
pub mod links;
pub mod login_failures;
pub mod loyalty;
pub mod mailboxes;
pub mod make_goods;
pub mod messages;
pub mod organizations;
pub mod outbound;
pub mod people;
pub mod recovery_budgets;
pub mod reviews;
pub mod routing_rules;
pub mod satisfaction;
pub mod services;
pub mod standards;
pub mod surveys;
pub mod targets;
pub mod teams;
pub mod ticket_list;
pub mod ticket_search;
pub mod tickets;
pub mod tokens;

pub use db::{Backend, Conn, ConnectOptions, Reader, Store, Tx};
pub use error::StoreError;
pub use json::JsonText;
/// The search-box parser, here too because the queries that use it live here.
pub use tandem_domain::search;
pub use ticket_list::{Cursor, TicketFilter, TicketOrder};
