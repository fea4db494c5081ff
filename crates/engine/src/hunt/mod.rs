//! Hunting: a subset of the Kusto Query Language (KQL), run over tables that plug in through
//! the [`Source`] trait, so that a query written here runs in Advanced hunting and the other
//! way round.
//!
//! ```text
//! let since = ago(7d);
//! AlertEvidence
//! | where Timestamp > since and EntityType == "File" and SHA256 == "…"
//! | summarize count() by DeviceName
//! ```
//!
//! The path of a query: [`parse`] (text to a syntax tree, [`Query`], which prints back to
//! text that parses to the same tree), then [`Run::new`] (the tree compiled against a
//! [`Catalog`]: names resolved, types checked), then [`Run::step`] until it is done, then
//! [`Run::finish`] for the [`Output`]. [`run`] does all of it at once. Every refusal is a
//! [`QueryError`] with the 1-based line and column and what was expected there; a query that
//! compiles cannot fail while it runs (what cannot be computed is null, as in Kusto).
//!
//! A table is read one cell at a time and its strings are borrowed, so a table over a million
//! loaded evidence items is never copied into values: `where` filters it in place and
//! `summarize` copies only the group keys. A table that keeps its strings interned can also
//! give their codes ([`Source::code`], [`Source::code_of`]): `column == "text"` then compares
//! numbers instead of reading every row's text, three to four times faster on a hash.
//!
//! # What is supported
//!
//! Statements, separated by `;`: `let name = scalar;`, `let name = tabular expression;`
//! (a named pipeline, used like a table), and one tabular expression. `//` comments.
//!
//! Sources: a table name; `search [in (T, …)] predicate` (the union of the tables with a
//! `$table` column first; a bare string in the predicate is a term looked for in every text
//! column, `"*x*"` as contains, `"x*"` as a term prefix, `"*x"` as a term suffix; without
//! `in`, every table); `print a = expr, …`.
//!
//! Tables Advanced hunting has but the exports do not hold ([`ADVANCED_HUNTING_TABLES`]:
//! `DeviceProcessEvents`, `EmailEvents`, `IdentityLogonEvents`…) are not an error: each is
//! read as an empty table and named in a note ("not in these exports"); `search in (…)` reads
//! those that are held and skips the others. Columns of such a table are not checked.
//!
//! Operators: `where` (`filter`); `project` (renames `a = b` and expressions);
//! `project-away`, `project-keep`, `project-reorder` (names and `*` wildcards);
//! `project-rename new = old`; `extend` (a name already there is replaced in place);
//! `summarize [aggregations] [by keys]`; `sort by` / `order by` keys `asc|desc`
//! `nulls first|last` (descending by default, nulls last when descending and first when
//! ascending); `take` / `limit`; `top N by key [asc|desc] [nulls first|last]`; `count`;
//! `distinct a, b` and `distinct *`; `render` (accepted and ignored, with a note).
//!
//! Aggregations: `count()`, `countif(p)`, `dcount(x)` (exact), `min`, `max`, `sum`, `avg`,
//! `make_set(x [, max])`, `make_list(x [, max])`, `arg_max(x, cols | *)`,
//! `arg_min(x, cols | *)`. Unnamed columns get Kusto's names: `count_`, `countif_`,
//! `dcount_X`, `min_X`, `max_X`, `sum_X`, `avg_X`, `set_X`, `list_X`; a `by` key keeps its
//! column's name (`bin(Timestamp, 1d)` is `Timestamp`), other expressions are `Column1`…;
//! a name taken twice gets `1`, `2`… (`DeviceId1` after `arg_max(T, DeviceId) by
//! DeviceId`); `arg_max(T, *)` returns the columns the `by` keys do not already hold.
//!
//! Operators in expressions, loosest first: `or`; `and`; `==`, `!=` (`<>`), `<`, `<=`, `>`,
//! `>=`, `=~`, `!~`, `has`, `!has`, `hasprefix`, `hassuffix`, `contains`, `!contains`,
//! `startswith`, `endswith` (each with a `!` form and a case-sensitive `_cs` form), `in`,
//! `!in`, `in~`, `!in~`, `has_any`, `has_all`, `between (a .. b)`, `!between`; `+ -`;
//! `* / %`; unary `-`.
//!
//! Functions: `ago(t)`, `now([t])`, `iff` (`iif`), `case`, `not`, `isempty`, `isnotempty`,
//! `isnull`, `isnotnull`, `tolower`, `toupper`, `strcat`, `strlen`, `substring`,
//! `tostring`, `toint`, `tolong`, `toreal` (`todouble`), `todatetime`, `bin` (`floor`).
//!
//! Literals: longs, reals (`1.5`, `1e3`), strings (`"…"`, `'…'` with `\` escapes, `@"…"`
//! verbatim, `h"…"`), `true`, `false`, timespans (`7d`, `1h`, `30m`, `10s`, `100ms`,
//! `1.5h`, `timespan(1.02:00:00)`), `datetime(2024-01-31)`, `datetime(2024-01-31 08:00)`,
//! `datetime(2024-01-31T08:00:00.1234567Z)`, typed nulls (`long(null)`,
//! `datetime(null)`…), `real(nan)`, `real(+inf)`. Names that are not plain words are written
//! `['…']`.
//!
//! Semantics, as Kusto's: `==` and `in` are case-sensitive, `=~`, `in~`, `has` and
//! `contains` are not; `has` matches whole terms (maximal runs of letters and digits, any
//! alphabet), so
//! `"North America" has "america"` but `"NorthAmerica"` does not; strings are never null (a
//! missing string is `""`, `isnull("")` is false); `null == x` is false and `null != x` true;
//! comparisons with null are null, `and` and `or` are three-valued, and `where` keeps only
//! rows whose condition is true; aggregations skip nulls, and over no values `count`,
//! `dcount` and `sum` give 0, `make_set` `[]`, the others null; `summarize` without `by`
//! over no rows gives one row; long division by zero is null; `iff` and `case` refuse
//! branches of two types (a long beside a real too: convert one with `toreal()`); `tostring`
//! of a datetime is `2024-01-31T08:00:00.0000000Z`, of a bool `True` or `False`, of a timespan
//! `1.02:00:00`; `now()` is the time the run is considered at
//! ([`RunOptions::now`]). The result holds at most [`MAX_ROWS`] rows (100,000, Advanced
//! hunting's limit), and a note says when rows were cut.
//!
//! # Where this differs from Kusto
//!
//! Times have millisecond precision (the exports'), so `1tick` and `1microsecond` are
//! refused; `int` and `long` are one type (`toint` is null outside the 32-bit range);
//! `dcount` is exact; duplicate tables in `search in (…)` are read once; `tolong` and
//! `toreal` of a datetime or a timespan are refused (Kusto counts ticks); `make_set` and
//! `make_list` keep the order values came in; unnamed computed columns are `Column1`,
//! `Column2`… where Kusto sometimes derives a name from the expression.
//!
//! The differential test (`tests/hunt_differential.rs`) checks this against duckdb-kql,
//! another implementation of KQL, and lists in its corpus where duckdb-kql differs from
//! Kusto.
//!
//! # What is not supported
//!
//! `join`, `union`, `lookup`, `mv-expand`, `mv-apply`, `parse`, `evaluate`, `make-series`,
//! `as`, `invoke`, `serialize`, `sample`, `getschema`, `facet`, `fork`, `partition`,
//! `scan`, `range`, `find`, `top-nested`, `top-hitters`, `datatable`, `externaldata`, `search`
//! after `|`, `search kind=…`; user functions (`let f = (x: string) {…}`); dynamic literals
//! and property access (`AdditionalFields.Key`, `parse_json`, `bag_unpack`); regular
//! expressions (`matches regex`, `extract`); `has_cs_any` and `startswith_any`; the
//! `guid` and `decimal` types; aggregations inside expressions
//! (`summarize x = count() * 2`); `project-reorder … asc|desc`; `render … with (…)` options
//! (skipped); other scalar functions (`datetime_diff`, `format_datetime`, `split`,
//! `coalesce`, `round`…), which are reported as unknown functions.

mod aggregate;
mod ast;
mod cexpr;
mod compile;
mod error;
mod eval;
mod functions;
mod groups;
mod lexer;
mod operators;
mod output;
mod parser;
mod plan;
mod print;
mod run;
mod source;
mod strings;
mod typing;
mod value;

pub use ast::{
    Arith, Assignment, BinaryOp, Comparison, Expr, ExprKind, LetValue, ListOp, Literal, LogicalOp,
    Name, Nulls, Operator, OperatorKind, Order, Pattern, Pipeline, Query, SortKey,
    Source as SourceExpr, Statement, StringOp,
};
pub use error::{QueryError, Span};
pub use functions::SCALAR_FUNCTIONS;
pub use operators::{parse, OPERATORS};
pub use output::Output;
pub use parser::MAX_DEPTH;
pub use run::{run, Progress, Run, RunOptions, MAX_ROWS};
pub use source::{Catalog, Column, Source, Table, ADVANCED_HUNTING_TABLES};
pub use typing::AGGREGATIONS;
pub use value::{datetime_text, timespan_text, to_json, to_text, Cell, ColumnKind, Value};
