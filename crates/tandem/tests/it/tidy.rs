//! Mechanical checks on the source tree: every Rust file says what it owns in a `//!` doc at its
//! top, and no file grows past the size where it stops owning one thing.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 700;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the workspace root")
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_source_file_documents_what_it_owns_and_stays_small() {
    let root = workspace();
    let mut files = Vec::new();
    for crate_dir in std::fs::read_dir(root.join("crates")).expect("crates/").flatten() {
        rust_files(&crate_dir.path().join("src"), &mut files);
        rust_files(&crate_dir.path().join("tests"), &mut files);
    }
    rust_files(&root.join("bench/src"), &mut files);
    assert!(files.len() > 40, "found only {} files under {}", files.len(), root.display());
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a readable file");
        let shown = file.strip_prefix(&root).unwrap_or(file).display().to_string();
        if !text.trim_start().starts_with("//!") {
            problems.push(format!("{shown}: starts without a `//!` doc saying what it owns"));
        }
        let lines = text.lines().count();
        if lines > MAX_LINES {
            problems.push(format!("{shown}: {lines} lines (over {MAX_LINES}); split what it owns"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
