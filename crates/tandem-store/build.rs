//! Rebuilds the crate when a migration is added or changed: `sqlx::migrate!` embeds the migration
//! folders at compile time, and a new file would otherwise go unnoticed by incremental builds.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
