//! Hunting queries over synthetic tables of N rows, shaped like the page's `AlertEvidence`
//! and `AirviewActions`: columns of interned strings, read through the engine's `Source`
//! trait as the real tables are, never copied into values. The tables give the engine their
//! codes of interned strings (`Source::code`); `--hunt N` also times them without.

use airview_engine::hunt::{run, Catalog, Column, ColumnKind, RunOptions, Source, Value};
use airview_engine::Timestamp;
use std::time::Duration;

/// The two queries the issue times, with the hash the generator puts on a few rows.
pub const BY_HASH: &str = "AlertEvidence | where SHA256 == \"5f1b7c3e9a0d4e2f8b6c1a3d5e7f9b0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a\" | summarize count() by DeviceName";
pub const BY_STATUS: &str =
    "AirviewActions | where Status == \"Pending\" | summarize count() by DeviceGroup";
const HASH: &str = "5f1b7c3e9a0d4e2f8b6c1a3d5e7f9b0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a";

enum Data {
    /// Each row's index into the pool.
    Text(Vec<u32>, Vec<String>),
    Time(Vec<i64>),
}

/// A table held by column, as the dataset holds evidence.
pub struct Synthetic {
    name: String,
    columns: Vec<Column>,
    data: Vec<Data>,
    len: usize,
}

impl Source for Synthetic {
    fn name(&self) -> &str {
        &self.name
    }
    fn columns(&self) -> &[Column] {
        &self.columns
    }
    fn len(&self) -> usize {
        self.len
    }
    fn cell(&self, row: usize, column: usize) -> Value<'_> {
        match self.data.get(column) {
            Some(Data::Text(ix, pool)) => ix
                .get(row)
                .and_then(|&i| pool.get(i as usize))
                .map_or(Value::Null, |s| Value::str(s)),
            Some(Data::Time(ts)) => ts
                .get(row)
                .map_or(Value::Null, |&t| Value::DateTime(Timestamp(t))),
            None => Value::Null,
        }
    }
    fn code(&self, row: usize, column: usize) -> Option<u32> {
        match self.data.get(column) {
            Some(Data::Text(ix, _)) => ix.get(row).copied(),
            _ => None,
        }
    }
    fn code_of(&self, column: usize, text: &str) -> Option<Option<u32>> {
        match self.data.get(column) {
            // A linear search, once per query: the dataset's interner answers with a map.
            Some(Data::Text(_, pool)) => Some(
                pool.iter()
                    .position(|s| s == text)
                    .and_then(|i| u32::try_from(i).ok()),
            ),
            _ => None,
        }
    }
}

/// A small deterministic generator: the bench must give the same rows every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as u32
    }
}

fn text(name: &str, pool: Vec<String>, rows: usize, rng: &mut Lcg) -> (Column, Data) {
    let ix = (0..rows).map(|_| rng.next(pool.len())).collect();
    (Column::new(name, ColumnKind::String), Data::Text(ix, pool))
}

fn table(name: &str, parts: Vec<(Column, Data)>, len: usize) -> Synthetic {
    let (columns, data) = parts.into_iter().unzip();
    Synthetic {
        name: name.to_owned(),
        columns,
        data,
        len,
    }
}

/// `AlertEvidence` and `AirviewActions` of `rows` rows each.
pub fn tables(rows: usize) -> (Synthetic, Synthetic) {
    let mut rng = Lcg(42);
    let devices: Vec<String> = (0..5_000)
        .map(|i| format!("host-{i:05}.contoso.com"))
        .collect();
    // Hex digits that differ from the first, as real hashes do.
    let mut hashes: Vec<String> = (0..50_000)
        .map(|_| {
            (0..4)
                .map(|_| format!("{:08x}{:08x}", rng.next(1 << 31), rng.next(1 << 31)))
                .collect()
        })
        .collect();
    hashes.push(HASH.to_owned());
    let start = Timestamp::parse("2024-01-01T00:00:00Z").map_or(0, |t| t.0);
    let times = (0..rows)
        .map(|_| start + i64::from(rng.next(30 * 86_400)) * 1000)
        .collect();
    let evidence = table(
        "AlertEvidence",
        vec![
            (
                Column::new("Timestamp", ColumnKind::DateTime),
                Data::Time(times),
            ),
            text(
                "AlertId",
                (0..rows / 4 + 1).map(|i| format!("da{i:012}")).collect(),
                rows,
                &mut rng,
            ),
            text(
                "EntityType",
                ["File", "Process", "Ip", "Url", "User", "MailMessage"]
                    .map(str::to_owned)
                    .to_vec(),
                rows,
                &mut rng,
            ),
            text("DeviceName", devices.clone(), rows, &mut rng),
            text("SHA256", hashes, rows, &mut rng),
        ],
        rows,
    );
    let actions = table(
        "AirviewActions",
        vec![
            text(
                "ActionId",
                (0..rows).map(|i| format!("act-{i}")).collect(),
                rows,
                &mut rng,
            ),
            text(
                "Status",
                ["Pending", "Completed", "Failed", "Declined", "TimedOut"]
                    .map(str::to_owned)
                    .to_vec(),
                rows,
                &mut rng,
            ),
            text(
                "DeviceGroup",
                (0..40).map(|i| format!("Group {i}")).collect(),
                rows,
                &mut rng,
            ),
            text("DeviceName", devices, rows, &mut rng),
        ],
        rows,
    );
    (evidence, actions)
}

/// A table read without its codes, as a source that keeps none would be read.
struct WithoutCodes(Synthetic);

impl Source for WithoutCodes {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn columns(&self) -> &[Column] {
        self.0.columns()
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    fn cell(&self, row: usize, column: usize) -> Value<'_> {
        self.0.cell(row, column)
    }
}

/// The median time of each query over tables of `rows` rows, and the rows each gave; with
/// the tables' codes of interned strings, or reading every row's text.
pub fn figures(rows: usize, runs: usize, codes: bool) -> [(Duration, usize); 2] {
    let (evidence, actions) = tables(rows);
    let catalog = if codes {
        Catalog::new().with(evidence).with(actions)
    } else {
        Catalog::new()
            .with(WithoutCodes(evidence))
            .with(WithoutCodes(actions))
    };
    let options = RunOptions::at(Timestamp(0));
    [BY_HASH, BY_STATUS].map(|q| {
        let mut times = Vec::new();
        let mut count = 0;
        for _ in 0..runs.max(1) {
            let start = std::time::Instant::now();
            count = run(q, &catalog, &options).map_or(0, |o| o.rows.len());
            times.push(start.elapsed());
        }
        times.sort();
        (times[times.len() / 2], count)
    })
}
