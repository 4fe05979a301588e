//! Two `tandem serve` nodes on one PostgreSQL: W1's steps first on one node, then split round-robin
//! over two nodes started on the same database, reported side by side with each node's peak RSS.
//! And the check that the nodes agree: every ticket created through one node reads back whole
//! through the other, no ticket id is acknowledged twice, and the database holds exactly the
//! acknowledged creates. Any disagreement, or a 409 or 5xx (how a conflict between nodes would
//! surface), makes the command fail.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::bail;
use sqlx::{Connection, PgConnection};

use crate::client::Client;
use crate::db::Database;
use crate::desk_file::DeskFile;
use crate::runner::{Budget, Outcome, run, success};
use crate::server::{Memory, Server, kib_as_mib};
use crate::stats::{StepStats, table};
use crate::w1::{self, Steps, Workload};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The desk file written by `generate`, on a PostgreSQL database.
    #[arg(long)]
    token_file: PathBuf,
    #[arg(long, default_value = "target/release/tandem")]
    tandem: PathBuf,
    #[command(flatten)]
    workload: Workload,
}

/// The steps run on some number of nodes, the nodes' peak memory, and what the check found.
struct Phase {
    nodes: usize,
    steps: Steps,
    peaks_kib: Vec<u64>,
    check: Check,
}

/// What the database and the other node say about the creates one phase got acknowledged.
struct Check {
    /// Creates answered 2xx, by the node that answered.
    acked_by_node: BTreeMap<usize, usize>,
    /// Creates without a 2xx: such a create may or may not have committed.
    unanswered_creates: u64,
    /// Ticket ids acknowledged more than once.
    duplicate_ids: Vec<i64>,
    /// Acknowledged tickets the other node did not return whole (subject, replies).
    unreadable: Vec<i64>,
    /// Acknowledged tickets not in the database.
    missing: Vec<i64>,
    /// Tickets written during the phase that no 2xx accounts for.
    unaccounted: usize,
    /// Answers 409 or 5xx other than 503 (which is load shedding, not a conflict).
    conflicts: BTreeMap<u16, u64>,
}

impl Check {
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let first = |ids: &[i64]| ids.iter().take(10).map(i64::to_string).collect::<Vec<_>>().join(", ");
        if !self.duplicate_ids.is_empty() {
            problems.push(format!("ticket ids acknowledged twice: {}", first(&self.duplicate_ids)));
        }
        if !self.unreadable.is_empty() {
            problems.push(format!("not read back whole on the other node: {}", first(&self.unreadable)));
        }
        if !self.missing.is_empty() {
            problems.push(format!("acknowledged but not in the database: {}", first(&self.missing)));
        }
        // A create that got no answer may still have committed; more rows than that cannot be.
        if self.unaccounted as u64 > self.unanswered_creates {
            problems.push(format!(
                "{} tickets in the database that no create accounts for ({} creates unanswered)",
                self.unaccounted, self.unanswered_creates
            ));
        }
        if !self.conflicts.is_empty() {
            problems.push(format!("conflict answers (status×count): {:?}", self.conflicts));
        }
        problems
    }
}

pub async fn run_multinode(args: Args) -> anyhow::Result<()> {
    let desk = DeskFile::read(&args.token_file)?;
    let Database::Postgres(options) = Database::parse(&desk.database_url)? else {
        bail!("multinode needs a PostgreSQL desk: only PostgreSQL is shared by several nodes (SQLite is one node)");
    };
    // One node first, then two: the two-node run meets a desk larger by the first run's creates
    // (2,000 on 10,000 by default). Lists and fetches ride indexes: on PostgreSQL the scale runs
    // show ten times the tickets costing them at most 1.7 times as much, so 20 % more is noise.
    let one = phase(&args, &desk, &options, 1).await?;
    let two = phase(&args, &desk, &options, 2).await?;
    print!("{}", render(&args.workload, &desk, &one, &two));
    let problems: Vec<String> = [&one, &two]
        .iter()
        .flat_map(|phase| {
            phase.check.problems().into_iter().map(move |problem| format!("{} node(s): {problem}", phase.nodes))
        })
        .collect();
    if !problems.is_empty() {
        bail!("the nodes disagree:\n{}", problems.join("\n"));
    }
    Ok(())
}

async fn phase(
    args: &Args,
    desk: &DeskFile,
    options: &sqlx::postgres::PgConnectOptions,
    nodes: usize,
) -> anyhow::Result<Phase> {
    // Started one after the other, so each node picks its free port while the earlier ones hold theirs.
    let mut servers = Vec::new();
    for _ in 0..nodes {
        servers.push(Server::start(&args.tandem, &desk.database_url).await?);
    }
    let clients: Arc<[Client]> = servers.iter().map(|server| server.client.clone()).collect();
    let mut database = PgConnection::connect_with(options).await?;
    let before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM tickets").fetch_one(&mut database).await?;
    let steps = w1::steps(clients.clone(), desk, &args.workload).await?;
    let unreadable = read_back(clients, desk, &steps, args.workload.concurrency).await;
    let mut peaks_kib = Vec::new();
    for server in &mut servers {
        peaks_kib.push(Memory::of(server.pid)?.peak_kib);
        server.stop().await?;
    }
    let stored: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM tickets WHERE id > $1").bind(before).fetch_all(&mut database).await?;
    database.close().await?;
    let check = check(&steps, unreadable, &stored);
    Ok(Phase { nodes, steps, peaks_kib, check })
}

/// Reads every acknowledged ticket through the node after the one that created it (the same node
/// when there is one) as the queue's agent, and returns those that did not come back whole: the
/// subject sent, and a message per acknowledged reply besides the first. W1 replies to ticket n
/// through node n % nodes, which is the node that created it unless a create failed, so the
/// replies are read across nodes too.
async fn read_back(clients: Arc<[Client]>, desk: &DeskFile, steps: &Steps, concurrency: usize) -> Vec<i64> {
    let mut replies = BTreeMap::<i64, usize>::new();
    for acked in &steps.replied {
        *replies.entry(acked.ticket).or_default() += 1;
    }
    let expected: Arc<Vec<(usize, i64, String, usize)>> = Arc::new(
        steps
            .created
            .iter()
            .map(|(acked, subject)| {
                let messages = 1 + replies.get(&acked.ticket).copied().unwrap_or(0);
                ((acked.node + 1) % clients.len(), acked.ticket, subject.clone(), messages)
            })
            .collect(),
    );
    let (shared, token) = (expected.clone(), desk.agent.token.clone());
    let (_, whole): (StepStats, _) = run("read back", Budget::Operations(expected.len()), concurrency, move |n| {
        let (node, ticket, subject, messages) = shared[n].clone();
        let (client, token) = (clients[node].clone(), token.clone());
        async move {
            let answer = success(client.get(Some(&token), &format!("/api/v1/tickets/{ticket}")).await)?;
            let value = answer.json().map_err(|_| answer.status.as_u16())?;
            let whole = value["ticket"]["id"].as_i64() == Some(ticket)
                && value["ticket"]["subject"].as_str() == Some(subject.as_str())
                && value["messages"].as_array().is_some_and(|list| list.len() >= messages);
            Outcome::Ok((answer.status.as_u16(), whole))
        }
    })
    .await;
    let mut unreadable: Vec<i64> =
        (0..expected.len()).filter(|&n| whole.get(n).copied().flatten() != Some(true)).map(|n| expected[n].1).collect();
    unreadable.sort_unstable();
    unreadable
}

fn check(steps: &Steps, unreadable: Vec<i64>, stored: &[i64]) -> Check {
    let mut acked_by_node = BTreeMap::new();
    let (mut acked, mut duplicate_ids) = (BTreeSet::new(), Vec::new());
    for (write, _) in &steps.created {
        *acked_by_node.entry(write.node).or_default() += 1;
        if !acked.insert(write.ticket) {
            duplicate_ids.push(write.ticket);
        }
    }
    let stored: BTreeSet<i64> = stored.iter().copied().collect();
    let mut conflicts = BTreeMap::new();
    for step in steps.all() {
        for (&status, &count) in &step.statuses {
            if status == 409 || (status >= 500 && status != 503) {
                *conflicts.entry(status).or_default() += count;
            }
        }
    }
    Check {
        acked_by_node,
        unanswered_creates: steps.creates.errors,
        duplicate_ids,
        unreadable,
        missing: acked.difference(&stored).copied().collect(),
        unaccounted: stored.difference(&acked).count(),
        conflicts,
    }
}

fn render(workload: &Workload, desk: &DeskFile, one: &Phase, two: &Phase) -> String {
    let mut rows = Vec::new();
    for (a, b) in one.steps.all().into_iter().zip(two.steps.all()) {
        let mut row = vec![a.name.clone(), a.count().to_string()];
        row.extend(a.figures());
        row.extend(b.figures());
        rows.push(row);
    }
    let peaks = |phase: &Phase| {
        let shown = phase.peaks_kib.iter().enumerate();
        shown.map(|(node, kib)| format!("{} {}", node_name(node), kib_as_mib(*kib))).collect::<Vec<_>>().join(", ")
    };
    let blank = || String::new();
    let mut memory = vec!["server peak RSS (VmHWM)".to_owned(), blank(), peaks(one), blank(), blank(), blank()];
    memory.extend([peaks(two), blank(), blank(), blank()]);
    rows.push(memory);
    let header = ["step", "requests", "1 node ops/s", "p50 ms", "p99 ms", "errors"];
    let header: Vec<&str> = header.into_iter().chain(["2 nodes ops/s", "p50 ms", "p99 ms", "errors"]).collect();
    let mut out = format!(
        "\n## multinode: W1 on one node, then round-robin over two nodes on one PostgreSQL \
         (concurrency {}, desk of {} tickets)\n\n",
        workload.concurrency, desk.tickets
    );
    out.push_str(&table(&header, &rows));
    for phase in [one, two] {
        out.push_str(&summary(phase));
    }
    out
}

/// One line on what a phase's check found.
fn summary(phase: &Phase) -> String {
    let check = &phase.check;
    let acked: usize = check.acked_by_node.values().sum();
    let (nodes, through) = match phase.nodes {
        1 => ("1 node".to_owned(), "the same node"),
        count => (format!("{count} nodes"), "the other node"),
    };
    let split = check.acked_by_node.iter().map(|(node, count)| format!("{count} via {}", node_name(*node)));
    let verdict = if check.problems().is_empty() { "agree".to_owned() } else { check.problems().join("; ") };
    format!(
        "{nodes}: {acked} creates acknowledged ({}), {} read back whole through {through} with their {} replies; \
         ids unique: {}; tickets written = acknowledged creates: {}; 409/5xx answers: {}; verdict: {verdict}\n",
        split.collect::<Vec<_>>().join(", "),
        acked - check.unreadable.len(),
        phase.steps.replied.len(),
        if check.duplicate_ids.is_empty() { "yes" } else { "NO" },
        if check.missing.is_empty() && check.unaccounted == 0 { "yes" } else { "NO" },
        check.conflicts.values().sum::<u64>(),
    )
}

fn node_name(index: usize) -> String {
    char::from(b'A' + (index % 26) as u8).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::w1::Acked;

    fn steps(created: &[(usize, i64)]) -> Steps {
        let created = created.iter().map(|&(node, ticket)| (Acked { node, ticket }, format!("t{ticket}"))).collect();
        let step = StepStats::new("x");
        let (creates, replies, fetches, lists, searches) =
            (step.clone(), step.clone(), step.clone(), step.clone(), step);
        Steps { creates, replies, fetches, lists, searches, created, replied: Vec::new() }
    }

    #[test]
    fn agreeing_nodes_pass() {
        let check = check(&steps(&[(0, 11), (1, 12)]), Vec::new(), &[11, 12]);
        assert!(check.problems().is_empty(), "{:?}", check.problems());
    }

    #[test]
    fn a_collision_a_lost_or_stray_ticket_an_unread_one_or_a_conflict_fails() {
        assert_eq!(check(&steps(&[(0, 11), (1, 11)]), Vec::new(), &[11]).problems().len(), 1);
        assert_eq!(check(&steps(&[(0, 11), (1, 12)]), Vec::new(), &[11]).problems().len(), 1);
        assert_eq!(check(&steps(&[(0, 11)]), Vec::new(), &[11, 12]).problems().len(), 1);
        assert_eq!(check(&steps(&[(0, 11)]), vec![11], &[11]).problems().len(), 1);
        let mut conflicted = steps(&[(0, 11)]);
        conflicted.replies.record(std::time::Duration::ZERO, 500, false);
        assert_eq!(check(&conflicted, Vec::new(), &[11]).problems().len(), 1);
    }

    #[test]
    fn a_create_without_an_answer_may_have_committed_and_a_503_is_no_conflict() {
        let mut steps = steps(&[(0, 11)]);
        steps.creates.record(std::time::Duration::ZERO, 503, false);
        steps.creates.record(std::time::Duration::ZERO, 0, false);
        assert!(check(&steps, Vec::new(), &[11, 12]).problems().is_empty());
        assert_eq!(check(&steps, Vec::new(), &[11, 12, 13, 14]).problems().len(), 1);
    }
}
