//! The KQL parser and runner on arbitrary bytes: a query or an error with its place, never a
//! panic; an accepted query prints to text that parses to the same syntax tree, and runs over
//! a small table without panicking.
#![no_main]

use airview_engine::hunt::{parse, run, Catalog, Column, ColumnKind, RunOptions, Table, Value};
use airview_engine::Timestamp;
use libfuzzer_sys::fuzz_target;

fn catalog() -> Catalog<'static> {
    let mut t = Table::new(
        "T",
        vec![
            Column::new("Timestamp", ColumnKind::DateTime),
            Column::new("DeviceName", ColumnKind::String),
            Column::new("FileSize", ColumnKind::Long),
            Column::new("Score", ColumnKind::Real),
            Column::new("AdditionalFields", ColumnKind::Dynamic),
        ],
    );
    t.rows = (0..8i64)
        .map(|i| {
            vec![
                Value::DateTime(Timestamp(1_709_251_200_000 + i * 3_600_000)),
                Value::string(format!("Host-{}", i % 3)),
                if i % 3 == 0 { Value::Null } else { Value::Long(i * 100) },
                Value::Real(i as f64 / 3.0),
                Value::Dynamic(format!("{{\"n\":{i}}}").into()),
            ]
        })
        .collect();
    Catalog::new().with(t)
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match parse(text) {
        Ok(query) => {
            let printed = query.to_string();
            match parse(&printed) {
                Ok(again) => assert!(again == query, "printed differently:\n{text}\n---\n{printed}"),
                Err(e) => panic!("the printed query does not parse: {e}\n{text}\n---\n{printed}"),
            }
            let _ = run(text, &catalog(), &RunOptions::at(Timestamp(1_709_300_000_000)));
        }
        Err(e) => assert!(e.line >= 1 && e.column >= 1 && !e.message.is_empty()),
    }
});
