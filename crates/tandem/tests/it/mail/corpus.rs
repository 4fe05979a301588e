//! The shared corpus of real messages (`../shared/corpora/email`, next to the repository; see
//! its SOURCES.md): every message is ingested without a panic or an error and ends with exactly
//! one outcome, every real bounce is ignored, and the reply-quoting fixtures of real clients
//! thread onto their ticket showing only the new text.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::*;

/// The corpus directory; its absence fails the test (it is part of the test setup, not optional).
fn corpus() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/email");
    assert!(
        dir.join("manifest.tsv").is_file(),
        "the email corpus is missing at {}: it lives beside the repository, in ../shared/corpora/email",
        dir.display()
    );
    dir
}

/// Paths (relative to the corpus) of every full message in the manifest.
fn messages() -> Vec<String> {
    let manifest = std::fs::read_to_string(corpus().join("manifest.tsv")).expect("reading manifest.tsv");
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut columns = line.split('\t');
            let (path, _set, kind) = (columns.next()?, columns.next()?, columns.next()?);
            (kind == "message").then(|| path.to_owned())
        })
        .collect()
}

/// Bounces the headers do not give away, each explained: reports from a human-looking address
/// with a "Re:" subject and no report part (Apache James, Verizon), a list manager's "not a member"
/// notices (fml), Japanese-only subjects from `no-reply@`/`postmaster@` (KDDI, InterScan), and a
/// person forwarding a bounce to the desk ("Fwd: Returned mail"), which rightly opens a ticket.
const KNOWN_MISSES: [&str; 7] = [
    "sisimai-bounces/bounce/lhost-apachejames-01.eml: created None",
    "sisimai-bounces/bounce/lhost-fml-02.eml: created None",
    "sisimai-bounces/bounce/lhost-fml-03.eml: created None",
    "sisimai-bounces/bounce/lhost-kddi-01.eml: created None",
    "sisimai-bounces/bounce/lhost-sendmail-14.eml: created None",
    "sisimai-bounces/bounce/lhost-trendmicro-01.eml: created None",
    "sisimai-bounces/bounce/lhost-verizon-02.eml: created None",
];

test_both!(
    async fn every_corpus_message_is_ingested_with_one_outcome(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let root = corpus();
        let paths = messages();
        assert!(paths.len() > 1000, "only {} messages in the manifest", paths.len());
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut bounces_not_ignored = Vec::new();
        for path in &paths {
            let raw = std::fs::read(root.join(path)).unwrap_or_else(|error| panic!("reading {path}: {error}"));
            let ingested =
                desk.app.ingest_email("care", &raw, now()).await.unwrap_or_else(|error| panic!("{path}: {error}"));
            if path.starts_with("sisimai-bounces/bounce/") && ingested.outcome != InboundOutcome::Ignored {
                bounces_not_ignored.push(format!("{path}: {} {:?}", ingested.outcome, ingested.reason));
            }
            let key = match (ingested.repeated, ingested.outcome) {
                (true, _) => "repeated".to_owned(),
                (false, InboundOutcome::Ignored) => format!("ignored:{}", ingested.reason.unwrap_or_default()),
                (false, InboundOutcome::Quarantined) => "quarantined".to_owned(),
                (false, outcome) => outcome.to_string(),
            };
            *counts.entry(key).or_default() += 1;
        }
        println!("corpus of {} messages: {counts:#?}", paths.len());
        assert_eq!(counts.values().sum::<usize>(), paths.len());
        assert_eq!(bounces_not_ignored, KNOWN_MISSES, "bounces not ignored (KNOWN_MISSES holds only explained misses)");
        for outcome in
            ["created", "threaded", "quarantined", "ignored:bounce", "ignored:auto_reply", "ignored:mailing_list"]
        {
            assert!(counts.get(outcome).is_some_and(|n| *n > 0), "no message ended {outcome}: {counts:?}");
        }
        // What the admins see agrees with what ingestion answered.
        let admin = desk.token(ADMIN).await;
        let quarantined = desk.get("/api/v1/inbound-messages?outcome=quarantined&limit=100", &admin).await;
        let listed = quarantined.json["items"].as_array().unwrap().len();
        assert_eq!(listed, counts["quarantined"].min(100));
    }
);

test_both!(
    async fn real_clients_replies_thread_and_show_only_the_new_text(backend: TestBackend) {
        let desk = TestApp::demo(backend).await;
        let admin = desk.token(ADMIN).await;
        let original = email("bob@example.com", "Message-ID: <original@example.com>\r\n", "Test", "Hi");
        let id = ticket_id(&ingest(&desk, "care", &original).await);
        let dir = corpus().join("talon-replies/standard_replies");
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|entry| entry.path()).collect();
        files.retain(|path| path.extension().is_some_and(|extension| extension == "eml"));
        files.sort();
        assert!(files.len() >= 12, "{files:?}");
        for path in &files {
            // A reply to our original: the fixtures' own threading headers (one line each in
            // these files) point elsewhere, so they make way for ours.
            let fixture = String::from_utf8(std::fs::read(path).unwrap()).unwrap();
            let own_headers = |line: &&str| {
                let lower = line.to_ascii_lowercase();
                !lower.starts_with("in-reply-to:") && !lower.starts_with("references:")
            };
            let kept: Vec<&str> = fixture.split_inclusive('\n').filter(own_headers).collect();
            let raw = format!("In-Reply-To: <original@example.com>\r\n{}", kept.concat()).into_bytes();
            let ingested = desk.app.ingest_email("care", &raw, now()).await.unwrap();
            let name = path.file_name().unwrap().to_string_lossy();
            assert_eq!(
                (ingested.outcome, ingested.ticket_id.map(|t| t.0)),
                (InboundOutcome::Threaded, Some(id)),
                "{name}"
            );
        }
        let page = desk.get(&format!("/api/v1/tickets/{id}/messages?limit=100"), &admin).await;
        let bodies: Vec<&str> =
            page.json["items"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
        assert_eq!(bodies.len(), files.len() + 1);
        for (path, body) in files.iter().zip(&bodies[1..]) {
            assert_eq!(*body, "Hello", "{}", path.display());
        }
    }
);
