//! Where queries read rows: the `Source` trait, the catalog of tables, and `Table`, rows held
//! as values.
//!
//! A source answers one cell at a time, borrowing its text, so a table built over the loaded
//! dataset (a million evidence items) is never copied into values to be queried.

use super::value::{Cell, ColumnKind, Value};

/// A column of a table: its name, as queries write it (case-sensitive), and its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
}

impl Column {
    pub fn new(name: impl Into<String>, kind: ColumnKind) -> Column {
        Column {
            name: name.into(),
            kind,
        }
    }
}

/// A table queries can name.
///
/// `cell` is called only with `row < len()` and `column < columns().len()`, and returns a
/// value of the column's kind or `Value::Null`, except that a string column returns
/// `Value::str("")` for a missing string: Kusto's strings are never null. (The engine does not
/// check each cell it reads; a null string would compare as null where Kusto has `""`.)
pub trait Source {
    fn name(&self) -> &str;
    fn columns(&self) -> &[Column];
    fn len(&self) -> usize;
    fn cell(&self, row: usize, column: usize) -> Value<'_>;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// For a string column the source keeps interned: a number for the row's string, the
    /// same for equal strings. With `code_of`, it lets `column == "text"` compare numbers
    /// instead of reading each row's text. `None` (the default): no codes for this column.
    fn code(&self, _row: usize, _column: usize) -> Option<u32> {
        None
    }

    /// The code `code` gives the rows of this column that hold exactly `text`: `Some(None)`
    /// when no row does, `None` when the column has no codes.
    fn code_of(&self, _column: usize, _text: &str) -> Option<Option<u32>> {
        None
    }
}

impl<S: Source + ?Sized> Source for &S {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn columns(&self) -> &[Column] {
        (**self).columns()
    }
    fn len(&self) -> usize {
        (**self).len()
    }
    fn cell(&self, row: usize, column: usize) -> Value<'_> {
        (**self).cell(row, column)
    }
    fn code(&self, row: usize, column: usize) -> Option<u32> {
        (**self).code(row, column)
    }
    fn code_of(&self, column: usize, text: &str) -> Option<Option<u32>> {
        (**self).code_of(column, text)
    }
}

/// The tables of Advanced hunting. A query may name any of them: one the catalog does not
/// hold is "not in these exports" and reads as an empty table, so that a query copied from the
/// portal (or a Go hunt query, which searches the device tables) runs here as written.
pub const ADVANCED_HUNTING_TABLES: &[&str] = &[
    "AlertInfo",
    "AlertEvidence",
    "BehaviorInfo",
    "BehaviorEntities",
    "DeviceInfo",
    "DeviceNetworkInfo",
    "DeviceProcessEvents",
    "DeviceNetworkEvents",
    "DeviceFileEvents",
    "DeviceRegistryEvents",
    "DeviceLogonEvents",
    "DeviceImageLoadEvents",
    "DeviceEvents",
    "DeviceFileCertificateInfo",
    "DeviceTvmSoftwareInventory",
    "DeviceTvmSoftwareVulnerabilities",
    "DeviceTvmSoftwareVulnerabilitiesKB",
    "DeviceTvmSecureConfigurationAssessment",
    "DeviceTvmSecureConfigurationAssessmentKB",
    "EmailEvents",
    "EmailAttachmentInfo",
    "EmailUrlInfo",
    "EmailPostDeliveryEvents",
    "UrlClickEvents",
    "IdentityInfo",
    "IdentityLogonEvents",
    "IdentityQueryEvents",
    "IdentityDirectoryEvents",
    "CloudAppEvents",
    "AADSignInEventsBeta",
    "AADSpnSignInEventsBeta",
    "ExposureGraphNodes",
    "ExposureGraphEdges",
];

/// The tables a query can read, and the names of Advanced hunting's other tables.
pub struct Catalog<'a> {
    tables: Vec<Box<dyn Source + 'a>>,
    known: &'static [&'static str],
}

impl Default for Catalog<'_> {
    fn default() -> Self {
        Catalog::new()
    }
}

impl<'a> Catalog<'a> {
    /// An empty catalog that knows Advanced hunting's table names.
    pub fn new() -> Catalog<'a> {
        Catalog {
            tables: Vec::new(),
            known: ADVANCED_HUNTING_TABLES,
        }
    }

    /// Adds a table, replacing one of the same name.
    pub fn add(&mut self, source: impl Source + 'a) {
        self.tables.retain(|t| t.name() != source.name());
        self.tables.push(Box::new(source));
    }

    pub fn with(mut self, source: impl Source + 'a) -> Catalog<'a> {
        self.add(source);
        self
    }

    /// The table of that name (names are case-sensitive, as in Kusto).
    pub fn get(&self, name: &str) -> Option<&dyn Source> {
        self.index_of(name).and_then(|i| self.source(i))
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| t.name() == name)
    }

    pub fn source(&self, index: usize) -> Option<&dyn Source> {
        self.tables.get(index).map(|t| &**t as &dyn Source)
    }

    /// The tables held, in the order they were added.
    pub fn tables(&self) -> impl Iterator<Item = &dyn Source> + '_ {
        self.tables.iter().map(|t| &**t as &dyn Source)
    }

    /// Whether the name is an Advanced hunting table that this catalog does not hold.
    pub fn is_absent(&self, name: &str) -> bool {
        self.index_of(name).is_none() && self.known.contains(&name)
    }

    /// Advanced hunting's table names that this catalog does not hold.
    pub fn absent(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.known
            .iter()
            .copied()
            .filter(|n| self.index_of(n).is_none())
    }
}

/// A table held as rows of values: the result of one step of a query, or a small table
/// built by a test.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(name: impl Into<String>, columns: Vec<Column>) -> Table {
        Table {
            name: name.into(),
            columns,
            rows: Vec::new(),
        }
    }
}

impl Source for Table {
    fn name(&self) -> &str {
        &self.name
    }
    fn columns(&self) -> &[Column] {
        &self.columns
    }
    fn len(&self) -> usize {
        self.rows.len()
    }
    /// A null in a string column is read as `""`, so that tables built by hand keep the
    /// contract of [`Source::cell`].
    fn cell(&self, row: usize, column: usize) -> Value<'_> {
        match self.rows.get(row).and_then(|r| r.get(column)) {
            Some(Value::Null) | None
                if self
                    .columns
                    .get(column)
                    .is_some_and(|c| c.kind == ColumnKind::String) =>
            {
                Value::str("")
            }
            Some(v) => v.reborrow(),
            None => Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_tells_held_from_absent_tables() {
        let mut t = Table::new(
            "AlertInfo",
            vec![Column::new("AlertId", ColumnKind::String)],
        );
        t.rows.push(vec![Value::string("da1".to_owned())]);
        t.rows.push(vec![Value::Null]);
        let catalog = Catalog::new().with(t);
        assert_eq!(catalog.get("AlertInfo").map(|s| s.len()), Some(2));
        assert!(catalog.get("alertinfo").is_none());
        assert!(!catalog.is_absent("AlertInfo"));
        assert!(catalog.is_absent("DeviceProcessEvents"));
        assert!(!catalog.is_absent("NoSuchTable"));
        assert!(catalog.absent().all(|n| n != "AlertInfo"));
        assert_eq!(
            catalog.get("AlertInfo").map(|s| s.cell(0, 0)),
            Some(Value::str("da1"))
        );
        // A missing string is empty, never null.
        assert_eq!(
            catalog.get("AlertInfo").map(|s| s.cell(1, 0)),
            Some(Value::str(""))
        );
    }
}
