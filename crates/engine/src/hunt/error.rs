//! Where a query went wrong: a place in its text and what was expected there.

use std::fmt;

/// A place in the query text: 1-based line and column, the column counted in characters.
///
/// Two spans always compare equal, so that two syntax trees compare by their shape alone: a
/// query printed back and parsed again has the same tree although its tokens moved.
#[derive(Clone, Copy, Debug, Default)]
pub struct Span {
    pub line: u32,
    pub column: u32,
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

impl Eq for Span {}

impl Span {
    pub fn new(line: u32, column: u32) -> Span {
        Span { line, column }
    }
}

/// A query refused before it ran: it does not parse, names a table or a column that does not
/// exist, or applies an operator or a function to values of the wrong type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub line: u32,
    pub column: u32,
    /// What was expected or what is wrong, lowercase, with the query's own words in backticks.
    pub message: String,
}

impl QueryError {
    pub fn at(span: Span, message: impl Into<String>) -> QueryError {
        QueryError {
            line: span.line,
            column: span.column,
            message: message.into(),
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for QueryError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_names_its_line_and_column_first() {
        let e = QueryError::at(Span::new(2, 14), "expected a column name");
        assert_eq!(e.to_string(), "line 2, column 14: expected a column name");
    }

    #[test]
    fn spans_never_make_two_trees_differ() {
        assert_eq!(Span::new(1, 1), Span::new(9, 40));
    }
}
