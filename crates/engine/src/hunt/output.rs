//! A query's result: its columns, its rows as owned cells, the notes of the run, and the JSON
//! and CSV forms the CLI prints and the page exports.

use super::value::{to_json, to_text, Cell, ColumnKind, Value};
use crate::history::csv_cell;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    pub columns: Vec<(String, ColumnKind)>,
    pub rows: Vec<Vec<Cell>>,
    /// What the analyst should know about the run: tables not in these exports, results cut
    /// at the row cap, `render` ignored.
    pub notes: Vec<String>,
}

impl Output {
    /// `{"columns": [{"name": "DeviceName", "type": "string"}, …], "rows": [[…], …],
    /// "notes": […]}`: numbers as numbers, times as ISO 8601 text, timespans as Kusto writes
    /// them (`1.02:00:00`), dynamic values as the JSON they hold.
    pub fn to_json(&self) -> String {
        let columns: Vec<serde_json::Value> = self
            .columns
            .iter()
            .map(|(name, kind)| serde_json::json!({"name": name, "type": kind.name()}))
            .collect();
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|r| serde_json::Value::Array(r.iter().map(to_json).collect()))
            .collect();
        // Written by hand so that the keys come in this order (serde_json sorts a map's).
        format!(
            "{{\"columns\":{},\"rows\":{},\"notes\":{}}}",
            serde_json::Value::Array(columns),
            serde_json::Value::Array(rows),
            serde_json::Value::from(self.notes.clone())
        )
    }

    /// CSV with a header of column names. Text cells are guarded against spreadsheet formulas
    /// (`csv_cell`); numbers are written as they are, a negative one included.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let header: Vec<String> = self.columns.iter().map(|(n, _)| csv_cell(n)).collect();
        out.push_str(&header.join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Value::Long(_) | Value::Real(_) | Value::Bool(_) => to_text(c),
                    Value::DateTime(t) => t.to_string(),
                    other => csv_cell(&to_text(other)),
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    fn sample() -> Output {
        Output {
            columns: vec![
                ("DeviceName".to_owned(), ColumnKind::String),
                ("n".to_owned(), ColumnKind::Long),
                ("t".to_owned(), ColumnKind::DateTime),
                ("set".to_owned(), ColumnKind::Dynamic),
            ],
            rows: vec![vec![
                Value::string("=cmd|' /C calc'!A0".to_owned()),
                Value::Long(-3),
                Value::DateTime(Timestamp(0)),
                Value::Dynamic("[\"a\"]".into()),
            ]],
            notes: vec!["a note".to_owned()],
        }
    }

    #[test]
    fn json_has_columns_rows_and_notes() {
        assert_eq!(
            sample().to_json(),
            r#"{"columns":[{"name":"DeviceName","type":"string"},{"name":"n","type":"long"},{"name":"t","type":"datetime"},{"name":"set","type":"dynamic"}],"rows":[["=cmd|' /C calc'!A0",-3,"1970-01-01T00:00:00.000Z",["a"]]],"notes":["a note"]}"#
        );
    }

    #[test]
    fn csv_guards_formulas_but_not_numbers() {
        assert_eq!(
            sample().to_csv(),
            "DeviceName,n,t,set\r\n'=cmd|' /C calc'!A0,-3,1970-01-01T00:00:00.000Z,\"[\"\"a\"\"]\"\r\n"
        );
    }
}
