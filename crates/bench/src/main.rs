//! `cargo run --profile bench-fast -p airview-bench [-- SIZES...]`
//!
//! For generated exports of 10k, 100k and 1M evidence items (or the sizes given), prints the
//! time and throughput of: a bare `serde_json` parse into `IgnoredAny` (the floor any JSON
//! reader pays), the import into the engine's dataset, the evaluation of every decision, and
//! import plus evaluation together; then the snapshot of the dataset (`airview_engine::snapshot`):
//! its encoding and decoding time, its size, and the longest step when it is decoded
//! `SNAPSHOT_STEP` items at a time as the page does; and two hunting queries over synthetic
//! tables of the same size (`hunt.rs`). Each figure is the median of several runs.
//! Also writes the figures as JSON to `bench-results/native.json`.

use airview_engine::queue::{self, Column, Filters};
use airview_engine::snapshot::{self, Decoder};
use airview_engine::{evaluate, Center, Dataset, Policy};
use serde::de::IgnoredAny;

mod hunt;
use std::time::{Duration, Instant};

/// Items the page decodes between two yields to the browser.
const SNAPSHOT_STEP: usize = 20_000;

/// Decodes `bytes` `SNAPSHOT_STEP` items at a time; returns the longest step.
fn longest_step(bytes: &[u8]) -> Duration {
    let mut longest = Duration::ZERO;
    let Ok(mut decoder) = Decoder::new(bytes) else {
        return longest;
    };
    loop {
        let start = Instant::now();
        let step = decoder.step(SNAPSHOT_STEP);
        longest = longest.max(start.elapsed());
        if !matches!(step, Ok(None)) {
            return longest;
        }
    }
}

/// The generator's average is a little over four evidence items per alert.
const EVIDENCE_PER_ALERT: f64 = 4.15;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                let out = std::hint::black_box(f());
                let elapsed = start.elapsed();
                // Freeing what was built is not part of building it.
                drop(out);
                elapsed
            })
            .collect(),
    )
}

fn main() {
    // `--profile-import N`: only import an export of N evidence items, over and over, for a
    // profiler to look at without the generator and the other steps in the picture.
    if std::env::args().nth(1).as_deref() == Some("--profile-import") {
        let n: usize = std::env::args()
            .nth(2)
            .and_then(|a| a.parse().ok())
            .unwrap_or(100_000);
        let text = airview_import::generate::generate_string(
            ((n as f64) / EVIDENCE_PER_ALERT).ceil() as usize,
            42,
        );
        let start = Instant::now();
        for _ in 0..20 {
            let mut d = Dataset::new();
            std::hint::black_box(airview_import::load(&mut d, "bench.json", &text, None).is_ok());
        }
        println!(
            "import: {:.1} ms per run",
            start.elapsed().as_secs_f64() * 1e3 / 20.0
        );
        return;
    }
    // `--hunt N`: only the hunting queries, over tables of N rows.
    if std::env::args().nth(1).as_deref() == Some("--hunt") {
        let n: usize = std::env::args()
            .nth(2)
            .and_then(|a| a.replace('_', "").parse().ok())
            .unwrap_or(1_000_000);
        print_hunt(n, 5);
        return;
    }
    let sizes: Vec<usize> = {
        let given: Vec<usize> = std::env::args()
            .skip(1)
            .filter_map(|a| a.replace('_', "").parse().ok())
            .collect();
        if given.is_empty() {
            vec![10_000, 100_000, 1_000_000]
        } else {
            given
        }
    };
    let (policy, _) = Policy::parse_json(include_str!("../../../tests/fixtures/policy-semi.json"))
        .unwrap_or_else(|_| (Policy::default(), Vec::new()));
    let mut rows = Vec::new();
    println!(
        "{:>10} {:>9} {:>10} | {:>22} | {:>22} | {:>22} | {:>22} | {:>6}",
        "evidence", "MB", "step", "bare parse", "import", "evaluate", "import+evaluate", "ratio"
    );
    for target in sizes {
        let alerts = ((target as f64) / EVIDENCE_PER_ALERT).ceil() as usize;
        let text = airview_import::generate::generate_string(alerts, 42);
        let mb = text.len() as f64 / 1e6;
        let runs = if target >= 1_000_000 { 3 } else { 5 };
        let mut data = Dataset::new();
        if let Err(e) = airview_import::load(&mut data, "bench.json", &text, None) {
            eprintln!("the generated export did not load: {e}");
            std::process::exit(1);
        }
        let evidence = data.evidence.len();
        let bytes_per_evidence = data.approx_bytes() as f64 / evidence.max(1) as f64;
        let parse = time(runs, || serde_json::from_str::<IgnoredAny>(&text).is_ok());
        let import = time(runs, || {
            let mut d = Dataset::new();
            let _ = airview_import::load(&mut d, "bench.json", &text, None);
            d
        });
        let eval = time(runs, || evaluate(&data, &policy));
        let both = time(runs, || {
            let mut d = Dataset::new();
            let _ = airview_import::load(&mut d, "bench.json", &text, None);
            let decisions = evaluate(&d, &policy);
            (d, decisions)
        });
        let fmt = |d: Duration| {
            format!(
                "{:>7.1} ms {:>6.0} MB/s",
                d.as_secs_f64() * 1e3,
                mb / d.as_secs_f64()
            )
        };
        let ratio = parse.as_secs_f64() / both.as_secs_f64();
        println!(
            "{evidence:>10} {mb:>9.1} {:>10} | {} | {} | {} | {} | {:>5.0}%",
            "",
            fmt(parse),
            fmt(import),
            fmt(eval),
            fmt(both),
            ratio * 100.0
        );
        println!(
            "{:>10} {:>9} {:>10} | {:>16.2} M/s | {:>16.2} M/s | {:>16.2} M/s | {:>16.2} M/s |",
            "",
            "",
            "evidence/s",
            evidence as f64 / parse.as_secs_f64() / 1e6,
            evidence as f64 / import.as_secs_f64() / 1e6,
            evidence as f64 / eval.as_secs_f64() / 1e6,
            evidence as f64 / both.as_secs_f64() / 1e6
        );
        let snap = snapshot::encode(&data);
        if snapshot::decode(&snap).as_ref() != Ok(&data) {
            eprintln!("the snapshot did not decode to the dataset");
            std::process::exit(1);
        }
        let encode_time = time(runs, || snapshot::encode(&data));
        let decode_time = time(runs, || snapshot::decode(&snap));
        let step_time = median((0..runs).map(|_| longest_step(&snap)).collect());
        let snapshot_per_evidence = snap.len() as f64 / evidence.max(1) as f64;
        println!(
            "{:>10} {:>9} {:>10} | encode {:.1} ms, decode {:.1} ms ({:.0} MB/s), longest step of {SNAPSHOT_STEP} items {:.1} ms; {:.1} MB, {snapshot_per_evidence:.1} bytes per evidence item",
            "",
            "",
            "snapshot",
            encode_time.as_secs_f64() * 1e3,
            decode_time.as_secs_f64() * 1e3,
            snap.len() as f64 / 1e6 / decode_time.as_secs_f64(),
            step_time.as_secs_f64() * 1e3,
            snap.len() as f64 / 1e6,
        );
        println!("{:>10} {:>9} {:>10} | dataset in memory: {bytes_per_evidence:.0} bytes per evidence item (interned strings included)", "", "", "memory");
        // The action center's lists over the same data: what the page does on its main thread
        // after a load, and when the analyst sorts and filters.
        let now = data.newest().unwrap_or_default();
        let shared = std::sync::Arc::new(data.clone());
        let center_time = time(runs, || Center::new(shared.clone(), policy.clone(), now));
        let center = Center::new(shared.clone(), policy.clone(), now);
        let rows_time = time(runs, || center.rows());
        let lists = center.rows();
        let all: Vec<_> = lists
            .pending
            .iter()
            .chain(&lists.history)
            .copied()
            .collect();
        let by_text = Filters {
            text: "invoice".to_owned(),
            ..Filters::default()
        };
        let filter_time = time(runs, || queue::filter(&center, &all, &by_text));
        let group = Filters {
            group: Some("Servers".to_owned()),
            ..Filters::default()
        };
        let group_time = time(runs, || queue::filter(&center, &all, &group));
        let sort_entity = time(runs, || queue::sort(&center, &all, Column::Entity, true));
        let sort_updated = time(runs, || queue::sort(&center, &all, Column::Updated, false));
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "{:>10} {:>9} {:>10} | {} actions: center {:.1} ms, rows {:.1} ms, filter by text {:.1} ms, by group {:.1} ms, sort by entity {:.1} ms, by time {:.1} ms",
            "", "", "lists", all.len(), ms(center_time), ms(rows_time), ms(filter_time), ms(group_time), ms(sort_entity), ms(sort_updated)
        );
        let [[(by_hash, _), (by_status, _)], [(by_hash_text, _), (by_status_text, _)]] =
            print_hunt(evidence, runs);
        rows.push(serde_json::json!({
            "hunt_by_hash_ms": by_hash.as_secs_f64() * 1e3,
            "hunt_by_status_ms": by_status.as_secs_f64() * 1e3,
            "hunt_by_hash_text_ms": by_hash_text.as_secs_f64() * 1e3,
            "hunt_by_status_text_ms": by_status_text.as_secs_f64() * 1e3,
            "evidence": evidence, "bytes": text.len(), "runs": runs,
            "bare_parse_ms": parse.as_secs_f64() * 1e3, "import_ms": import.as_secs_f64() * 1e3,
            "evaluate_ms": eval.as_secs_f64() * 1e3, "import_and_evaluate_ms": both.as_secs_f64() * 1e3,
            "import_and_evaluate_vs_bare_parse": ratio,
            "dataset_bytes_per_evidence": bytes_per_evidence,
            "actions": all.len(), "center_ms": ms(center_time), "rows_ms": ms(rows_time),
            "filter_text_ms": ms(filter_time), "filter_group_ms": ms(group_time),
            "sort_entity_ms": ms(sort_entity), "sort_updated_ms": ms(sort_updated),
            "snapshot_encode_ms": encode_time.as_secs_f64() * 1e3,
            "snapshot_decode_ms": decode_time.as_secs_f64() * 1e3,
            "snapshot_longest_step_ms": step_time.as_secs_f64() * 1e3,
            "snapshot_step_items": SNAPSHOT_STEP,
            "snapshot_bytes": snap.len(),
            "snapshot_bytes_per_evidence": snapshot_per_evidence,
        }));
    }
    println!(
        "ratio: bare parse time / (import + evaluate) time; 100% would be as fast as parsing alone"
    );
    let _ = std::fs::create_dir_all("bench-results");
    let _ = std::fs::write(
        "bench-results/native.json",
        serde_json::to_string_pretty(&rows).unwrap_or_default(),
    );
}

/// Prints the hunting figures over tables of `rows` rows, with and without the tables' codes
/// of interned strings; returns them, with codes first.
fn print_hunt(rows: usize, runs: usize) -> [[(Duration, usize); 2]; 2] {
    let both = [true, false].map(|codes| hunt::figures(rows, runs, codes));
    for (figures, how) in both.iter().zip(["codes", "text"]) {
        let [(by_hash, hash_rows), (by_status, status_rows)] = *figures;
        println!(
            "{:>10} {:>9} {:>10} | {rows} rows, by {how}: `where SHA256 == … | summarize count() by DeviceName` {:.1} ms ({hash_rows} groups), `where Status == \"Pending\" | summarize count() by DeviceGroup` {:.1} ms ({status_rows} groups)",
            "",
            "",
            "hunt",
            by_hash.as_secs_f64() * 1e3,
            by_status.as_secs_f64() * 1e3,
        );
    }
    both
}
