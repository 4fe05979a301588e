//! The file `generate` writes beside a desk and every other command reads: where the database
//! is, the accounts the load uses (with their API tokens), and what to aim at.

use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeskFile {
    pub database_url: String,
    /// Tickets generated (their ids are 1..=tickets).
    pub tickets: u64,
    pub admin: Account,
    /// An agent of the queue team.
    pub agent: Account,
    /// An external customer who sees only their own requests.
    pub customer: Account,
    /// An external customer with organization access (sees the whole organization's requests).
    pub org_customer: Account,
    /// The team whose queue is listed.
    pub queue_team_id: i64,
    /// A service of the queue team offered to external customers, with no required fields.
    pub service: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Account {
    pub email: String,
    pub person_id: i64,
    pub token: String,
}

impl DeskFile {
    pub fn read(path: &Path) -> anyhow::Result<DeskFile> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not a desk file from `generate`", path.display()))
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(self)?;
        std::fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))
    }
}
