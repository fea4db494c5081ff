//! The differential corpus (`corpus.kql`) and the files the Python side reads: each table as
//! JSON, whatever `Source` it comes from, and the engine's output for each query.
//!
//! A case begins at a `// @name: …` line; the `// @…` lines after it say how it is checked,
//! the other lines are the query:
//! - `// @ordered`: the rows are compared in order (the query sorts them);
//! - `// @duckdb: refuses <reason>` or `// @duckdb: differs <reason>`: duckdb-kql cannot run
//!   it or disagrees with Kusto, so the rows written below are the check;
//! - `// @columns: Name:type …` and `// @row: [JSON]` (one per row) or `// @rows: none`:
//!   the expected output, written by hand.

use airview_engine::hunt::{to_json, Output, Source};

#[derive(Clone, Debug, Default)]
pub struct Case {
    pub name: String,
    pub query: String,
    pub ordered: bool,
    /// Why duckdb-kql cannot be the check, if it cannot.
    pub duckdb: Option<String>,
    pub columns: Option<String>,
    /// Expected rows as JSON, when written by hand.
    pub rows: Option<Vec<String>>,
    /// The case's first line in the corpus, for messages.
    pub line: usize,
}

pub fn parse(text: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix("// @name:") {
            cases.push(Case {
                name: name.trim().to_owned(),
                line: i + 1,
                ..Case::default()
            });
            continue;
        }
        let Some(case) = cases.last_mut() else {
            continue;
        };
        if trimmed == "// @ordered" {
            case.ordered = true;
        } else if let Some(reason) = trimmed.strip_prefix("// @duckdb:") {
            case.duckdb = Some(reason.trim().to_owned());
        } else if let Some(columns) = trimmed.strip_prefix("// @columns:") {
            case.columns = Some(columns.trim().to_owned());
        } else if let Some(row) = trimmed.strip_prefix("// @row:") {
            case.rows
                .get_or_insert_with(Vec::new)
                .push(row.trim().to_owned());
        } else if trimmed == "// @rows: none" {
            case.rows = Some(Vec::new());
        } else {
            case.query.push_str(line);
            case.query.push('\n');
        }
    }
    for c in &mut cases {
        c.query = c.query.trim().to_owned();
    }
    cases
}

/// A table as `{"name": …, "columns": [{"name", "type"}], "rows": [[…]]}`, values as the
/// engine's JSON writes them.
pub fn table_json(source: &dyn Source) -> String {
    let columns: Vec<serde_json::Value> = source
        .columns()
        .iter()
        .map(|c| serde_json::json!({"name": c.name, "type": c.kind.name()}))
        .collect();
    let rows: Vec<serde_json::Value> = (0..source.len())
        .map(|r| {
            serde_json::Value::Array(
                (0..source.columns().len())
                    .map(|c| to_json(&source.cell(r, c)))
                    .collect(),
            )
        })
        .collect();
    serde_json::json!({"name": source.name(), "columns": columns, "rows": rows}).to_string()
}

pub fn column_line(out: &Output) -> String {
    out.columns
        .iter()
        .map(|(n, k)| format!("{n}:{}", k.name()))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn row_lines(out: &Output) -> Vec<String> {
    out.rows
        .iter()
        .map(|row| serde_json::Value::Array(row.iter().map(to_json).collect()).to_string())
        .collect()
}
