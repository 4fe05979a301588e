//! Latency figures of a step and the report table they are printed in.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// What one step measured: every request's latency, the answers by status, and the wall time.
#[derive(Clone, Debug, Default)]
pub struct StepStats {
    pub name: String,
    /// Latencies of the requests, in microseconds.
    latencies: Vec<u64>,
    pub errors: u64,
    /// How many answers had each HTTP status (0: no answer, such as a timeout or a reset).
    pub statuses: BTreeMap<u16, u64>,
    pub elapsed: Duration,
}

impl StepStats {
    pub fn new(name: impl Into<String>) -> Self {
        StepStats { name: name.into(), ..StepStats::default() }
    }

    pub fn record(&mut self, latency: Duration, status: u16, ok: bool) {
        self.latencies.push(latency.as_micros() as u64);
        *self.statuses.entry(status).or_default() += 1;
        if !ok {
            self.errors += 1;
        }
    }

    pub fn merge(&mut self, other: StepStats) {
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
        for (status, count) in other.statuses {
            *self.statuses.entry(status).or_default() += count;
        }
    }

    pub fn count(&self) -> usize {
        self.latencies.len()
    }

    pub fn ops_per_second(&self) -> f64 {
        self.count() as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// The latency below which `percent` of the requests finished (nearest rank), in ms.
    pub fn percentile_ms(&self, percent: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        if sorted.is_empty() {
            return 0.0;
        }
        let rank = ((percent / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
    }

    /// The step's figures as printed: ops/s, p50 ms, p99 ms, errors.
    pub fn figures(&self) -> [String; 4] {
        [
            format!("{:.0}", self.ops_per_second()),
            format!("{:.2}", self.percentile_ms(50.0)),
            format!("{:.2}", self.percentile_ms(99.0)),
            self.errors.to_string(),
        ]
    }

    /// `201×1998 0×2`: the statuses seen and how often.
    pub fn status_summary(&self) -> String {
        self.statuses.iter().map(|(status, count)| format!("{status}×{count}")).collect::<Vec<_>>().join(" ")
    }
}

/// A report: a titled table of steps plus free lines below it.
#[derive(Debug, Default)]
pub struct Report {
    title: String,
    rows: Vec<Vec<String>>,
    notes: Vec<String>,
}

impl Report {
    pub fn new(title: impl Into<String>) -> Self {
        Report { title: title.into(), ..Report::default() }
    }

    pub fn step(&mut self, stats: &StepStats) {
        let mut row = vec![stats.name.clone(), stats.count().to_string()];
        row.extend(stats.figures());
        self.rows.push(row);
    }

    pub fn note(&mut self, line: impl Into<String>) {
        self.notes.push(line.into());
    }

    pub fn render(&self) -> String {
        let mut out = format!("\n## {}\n\n", self.title);
        out.push_str(&table(&["step", "requests", "ops/s", "p50 ms", "p99 ms", "errors"], &self.rows));
        for note in &self.notes {
            let _ = writeln!(out, "{note}");
        }
        out
    }
}

/// A Markdown table, each column padded to its widest cell so it reads in a terminal as well.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let cell = |row: &Vec<String>, column: usize| row.get(column).map_or(0, String::len);
    let widths: Vec<usize> = (0..header.len())
        .map(|column| rows.iter().map(|row| cell(row, column)).chain([header[column].len()]).max().unwrap_or(0))
        .collect();
    let line = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}")).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut out = line(&header.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>());
    out.push_str(&line(&widths.iter().map(|width| "-".repeat(*width)).collect::<Vec<_>>()));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut stats = StepStats::new("x");
        for ms in 1..=100 {
            stats.record(Duration::from_millis(ms), 200, true);
        }
        stats.record(Duration::from_millis(500), 0, false);
        assert_eq!(stats.percentile_ms(50.0), 51.0);
        assert_eq!(stats.percentile_ms(99.0), 100.0);
        assert_eq!(stats.errors, 1);
        assert_eq!(stats.status_summary(), "0×1 200×100");
    }
}
