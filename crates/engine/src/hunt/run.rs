//! Running a compiled query in slices: `step(budget)` reads at most `budget` rows and returns,
//! so that the page can run a query over a million rows between two frames without freezing.
//!
//! Each segment of the plan reads its input row by row, keeps the rows its filters pass, and
//! hands them to its sink; when the input is read (or a `take` has its rows), the sink makes
//! the table the next segment reads. The last table is the output, cut at the row cap.

use super::aggregate::State;
use super::ast::Query;
use super::cexpr::{CExpr, Slot};
use super::compile::Compiler;
use super::error::QueryError;
use super::eval::{eval, truth, Env};
use super::groups::{Entry, HashIndex};
use super::operators::parse;
use super::output::Output;
use super::plan::{Input, InputColumn, Plan, Segment, Sink, SortSpec, Step};
use super::source::{Catalog, Source, Table};
use super::value::{hash_value, order, same, sorts_as_null, Cell, Value};
use crate::time::Timestamp;
use std::cmp::Ordering;

/// Advanced hunting returns at most this many rows; so does a run here, by default.
pub const MAX_ROWS: usize = 100_000;

/// What a run needs besides the query and the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunOptions {
    /// The time `now()` and `ago()` are counted from: the time the action center is
    /// considered at, so that a query gives the same rows for the same center.
    pub now: Timestamp,
    /// The most rows the output holds; the rest are counted in a note.
    pub max_rows: usize,
}

impl RunOptions {
    pub fn at(now: Timestamp) -> RunOptions {
        RunOptions {
            now,
            max_rows: MAX_ROWS,
        }
    }
}

/// How far a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Rows read so far, and the rows the segments started so far have to read.
    Running {
        rows_read: usize,
        rows_to_read: usize,
    },
    Done,
}

/// A query being run over a catalog.
pub struct Run<'a> {
    catalog: &'a Catalog<'a>,
    plan: Plan,
    segment: usize,
    part: usize,
    row: usize,
    /// The table the previous segment made, and how the current segment reads it.
    previous: Table,
    previous_map: Vec<InputColumn>,
    one_row: Table,
    sink: SinkState,
    computed: Vec<Cell>,
    seq: usize,
    rows_read: usize,
    rows_to_read: usize,
    max_rows: usize,
    output: Option<Output>,
}

struct Keyed {
    keys: Vec<Cell>,
    seq: usize,
    row: Vec<Cell>,
}

struct Group {
    keys: Vec<Cell>,
    states: Vec<State>,
}

enum SinkState {
    Rows {
        rows: Vec<Vec<Cell>>,
        seen: usize,
    },
    Ordered {
        rows: Vec<Keyed>,
        threshold: Option<Vec<Cell>>,
        seen: usize,
    },
    Groups {
        index: HashIndex,
        groups: Vec<Group>,
    },
    Count(i64),
}

impl SinkState {
    fn start(sink: Option<&Sink>) -> SinkState {
        match sink {
            Some(Sink::Top { .. } | Sink::Sort(_)) => SinkState::Ordered {
                rows: Vec::new(),
                threshold: None,
                seen: 0,
            },
            Some(Sink::Summarize { .. }) => SinkState::Groups {
                index: HashIndex::new(),
                groups: Vec::new(),
            },
            Some(Sink::Count) => SinkState::Count(0),
            _ => SinkState::Rows {
                rows: Vec::new(),
                seen: 0,
            },
        }
    }
}

/// One row of a segment's input, with the values its `extend`s computed so far.
struct RowEnv<'r> {
    source: &'r dyn Source,
    map: &'r [InputColumn],
    row: usize,
    computed: &'r [Cell],
    /// The code of each probe's text in the current table, if it keeps codes.
    codes: &'r [Option<Option<u32>>],
}

impl Env for RowEnv<'_> {
    fn slot(&self, slot: Slot) -> Value<'_> {
        match slot {
            Slot::Input(i) => match self.map.get(i) {
                // Returned as the source gives it: a copy of the value here would cost more
                // than the rest of a filter on a string (a store-forwarding stall per row).
                Some(InputColumn::Column(c)) => self.source.cell(self.row, *c),
                Some(InputColumn::Const(v)) => v.reborrow(),
                _ => Value::Null,
            },
            Slot::Computed(i) => self.computed.get(i).map_or(Value::Null, Value::reborrow),
        }
    }

    fn same_code(&self, probe: usize, slot: Slot) -> Option<bool> {
        let wanted = (*self.codes.get(probe)?)?;
        let Slot::Input(i) = slot else {
            return None;
        };
        let Some(InputColumn::Column(c)) = self.map.get(i) else {
            return None;
        };
        let code = self.source.code(self.row, *c)?;
        Some(wanted == Some(code))
    }
}

/// Each probe's text looked up in the source's codes, once per table read.
fn codes_of(seg: &Segment, source: &dyn Source, map: &[InputColumn]) -> Vec<Option<Option<u32>>> {
    seg.probes
        .iter()
        .map(|(input, text)| match map.get(*input) {
            Some(InputColumn::Column(c)) => source.code_of(*c, text),
            _ => None,
        })
        .collect()
}

fn identity_map(columns: &[super::source::Column]) -> Vec<InputColumn> {
    (0..columns.len()).map(InputColumn::Column).collect()
}

/// The order of `sort` and `top` between two rows' keys, with Kusto's nulls: first when
/// ascending, last when descending, unless the query says otherwise; NaN goes with them.
fn compare_keys(a: &[Value<'_>], b: &[Value<'_>], specs: &[SortSpec]) -> Ordering {
    for ((x, y), spec) in a.iter().zip(b).zip(specs) {
        let o = match (sorts_as_null(x), sorts_as_null(y)) {
            (true, true) => Ordering::Equal,
            (true, false) if spec.nulls_first => Ordering::Less,
            (true, false) => Ordering::Greater,
            (false, true) if spec.nulls_first => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) if spec.descending => order(y, x),
            (false, false) => order(x, y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

fn materialise(seg: &Segment, env: &RowEnv<'_>) -> Vec<Cell> {
    seg.output
        .iter()
        .map(|s| env.slot(*s).into_owned())
        .collect()
}

/// Evaluates group keys without allocating for up to three of them.
fn with_keys<R>(keys: &[CExpr], env: &RowEnv<'_>, f: impl FnOnce(&[Value<'_>]) -> R) -> R {
    match keys {
        [] => f(&[]),
        [a] => f(&[eval(a, env)]),
        [a, b] => f(&[eval(a, env), eval(b, env)]),
        [a, b, c] => f(&[eval(a, env), eval(b, env), eval(c, env)]),
        many => {
            let values: Vec<Value<'_>> = many.iter().map(|k| eval(k, env)).collect();
            f(&values)
        }
    }
}

/// Hands one kept row to the sink; true when the sink needs no more rows.
fn push(state: &mut SinkState, seg: &Segment, env: &RowEnv<'_>, seq: usize) -> bool {
    match (state, &seg.sink) {
        (SinkState::Rows { rows, seen }, Sink::Collect { limit }) => {
            *seen += 1;
            if rows.len() < *limit {
                rows.push(materialise(seg, env));
            }
            false
        }
        (SinkState::Rows { rows, seen }, Sink::Take(n)) => {
            if rows.len() < *n {
                *seen += 1;
                rows.push(materialise(seg, env));
            }
            rows.len() >= *n
        }
        (
            SinkState::Ordered {
                rows,
                threshold,
                seen,
            },
            Sink::Top { keys, count, .. },
        ) => {
            push_ordered(rows, threshold, seen, keys, Some(*count), seg, env, seq);
            false
        }
        (
            SinkState::Ordered {
                rows,
                threshold,
                seen,
            },
            Sink::Sort(keys),
        ) => {
            push_ordered(rows, threshold, seen, keys, None, seg, env, seq);
            false
        }
        (SinkState::Groups { index, groups }, Sink::Summarize { keys, aggregates }) => {
            with_keys(keys, env, |values| {
                let mut h = 0;
                for v in values {
                    hash_value(v, &mut h);
                }
                let at = match index.entry(h, |i| {
                    groups.get(i).is_some_and(|g| {
                        g.keys.len() == values.len()
                            && g.keys.iter().zip(values).all(|(a, b)| same(a, b))
                    })
                }) {
                    Entry::Found(i) => i,
                    Entry::New(i) => {
                        groups.push(Group {
                            keys: values.iter().map(|v| v.clone().into_owned()).collect(),
                            states: aggregates.iter().map(|a| a.start()).collect(),
                        });
                        i
                    }
                };
                if let Some(g) = groups.get_mut(at) {
                    for (a, s) in aggregates.iter().zip(g.states.iter_mut()) {
                        a.update(s, env);
                    }
                }
            });
            false
        }
        (SinkState::Count(n), _) => {
            *n += 1;
            false
        }
        _ => false,
    }
}

/// `top` and `sort`: keeps the row with its keys. `top` keeps about twice its count, then
/// sorts and cuts; after that, a row that does not beat the last one kept is skipped before
/// it is copied.
#[expect(
    clippy::too_many_arguments,
    reason = "the parts of one sink state, borrowed apart"
)]
fn push_ordered(
    rows: &mut Vec<Keyed>,
    threshold: &mut Option<Vec<Cell>>,
    seen: &mut usize,
    keys: &[SortSpec],
    count: Option<usize>,
    seg: &Segment,
    env: &RowEnv<'_>,
    seq: usize,
) {
    *seen += 1;
    if count == Some(0) {
        return;
    }
    let values: Vec<Value<'_>> = keys.iter().map(|k| eval(&k.expr, env)).collect();
    if let Some(t) = threshold {
        // On a tie the earlier row stays, so `top` agrees with a stable sort.
        if compare_keys(&values, t, keys) != Ordering::Less {
            return;
        }
    }
    rows.push(Keyed {
        keys: values.into_iter().map(Value::into_owned).collect(),
        seq,
        row: materialise(seg, env),
    });
    if let Some(n) = count {
        if rows.len() >= n.saturating_mul(2).saturating_add(1024) {
            sort_keyed(rows, keys);
            rows.truncate(n);
            *threshold = rows.last().map(|r| r.keys.clone());
        }
    }
}

fn sort_keyed(rows: &mut [Keyed], specs: &[SortSpec]) {
    rows.sort_by(|a, b| compare_keys(&a.keys, &b.keys, specs).then(a.seq.cmp(&b.seq)));
}

/// The table a segment's sink makes, and how many rows reached the sink.
fn finish(state: SinkState, seg: &Segment) -> (Table, usize) {
    let mut table = Table::new("", seg.columns.clone());
    let seen = match state {
        SinkState::Rows { rows, seen } => {
            table.rows = rows;
            seen
        }
        SinkState::Ordered { mut rows, seen, .. } => {
            let (keys, count) = match &seg.sink {
                Sink::Top { keys, count, .. } => (keys.as_slice(), Some(*count)),
                Sink::Sort(keys) => (keys.as_slice(), None),
                _ => (&[][..], None),
            };
            sort_keyed(&mut rows, keys);
            if let Some(n) = count {
                rows.truncate(n);
            }
            table.rows = rows.into_iter().map(|k| k.row).collect();
            seen
        }
        SinkState::Groups { mut groups, .. } => {
            let Sink::Summarize { keys, aggregates } = &seg.sink else {
                return (table, 0);
            };
            // Without `by`, an empty input still gives one row of default values.
            if groups.is_empty() && keys.is_empty() {
                groups.push(Group {
                    keys: Vec::new(),
                    states: aggregates.iter().map(|a| a.start()).collect(),
                });
            }
            let seen = groups.len();
            for g in groups {
                let mut row = g.keys;
                for (a, s) in aggregates.iter().zip(g.states) {
                    a.finish(s, &mut row);
                }
                table.rows.push(row);
            }
            seen
        }
        SinkState::Count(n) => {
            table.rows.push(vec![Value::Long(n)]);
            1
        }
    };
    (table, seen)
}

impl<'a> Run<'a> {
    /// Parses and compiles a query; refuses it with its line and column if it does not
    /// parse, names an unknown table or column, or mixes types.
    pub fn new(
        query: &str,
        catalog: &'a Catalog<'a>,
        options: &RunOptions,
    ) -> Result<Run<'a>, QueryError> {
        Run::of(&parse(query)?, catalog, options)
    }

    /// A run of a query already parsed.
    pub fn of(
        query: &Query,
        catalog: &'a Catalog<'a>,
        options: &RunOptions,
    ) -> Result<Run<'a>, QueryError> {
        let plan = Compiler::new(catalog, options.now, options.max_rows).compile(query)?;
        let mut one_row = Table::new("print", Vec::new());
        one_row.rows.push(Vec::new());
        let sink = SinkState::start(plan.segments.first().map(|s| &s.sink));
        let mut run = Run {
            catalog,
            plan,
            segment: 0,
            part: 0,
            row: 0,
            previous: Table::new("", Vec::new()),
            previous_map: Vec::new(),
            one_row,
            sink,
            computed: Vec::new(),
            seq: 0,
            rows_read: 0,
            rows_to_read: 0,
            max_rows: options.max_rows,
            output: None,
        };
        run.rows_to_read = run.input_rows();
        Ok(run)
    }

    /// The rows the current segment reads.
    fn input_rows(&self) -> usize {
        match self.plan.segments.get(self.segment).map(|s| &s.input) {
            Some(Input::Tables(parts)) => parts
                .iter()
                .filter_map(|p| self.catalog.source(p.table))
                .map(|s| s.len())
                .sum(),
            Some(Input::Previous) => self.previous.rows.len(),
            Some(Input::OneRow) => 1,
            _ => 0,
        }
    }

    /// Reads at most `budget_rows` rows (at least one), and says how far the run is. A step
    /// that reads the last row of a segment's input also finishes its sink (a `sort` sorts
    /// there), which takes longer than reading rows when many rows reached it.
    pub fn step(&mut self, budget_rows: usize) -> Progress {
        let mut left = budget_rows.max(1);
        while self.output.is_none() {
            if !self.scan(&mut left) {
                return Progress::Running {
                    rows_read: self.rows_read,
                    rows_to_read: self.rows_to_read,
                };
            }
            self.end_segment();
        }
        Progress::Done
    }

    /// Runs to the end and returns the output.
    pub fn finish(mut self) -> Output {
        while self.step(usize::MAX) != Progress::Done {}
        self.output.take().unwrap_or_default()
    }

    /// The output, once the run is done.
    pub fn output(&self) -> Option<&Output> {
        self.output.as_ref()
    }

    /// Reads rows of the current segment until the budget is spent (false) or the input is
    /// read or the sink is full (true).
    fn scan(&mut self, left: &mut usize) -> bool {
        let Run {
            catalog,
            plan,
            segment,
            part,
            row,
            previous,
            previous_map,
            one_row,
            sink,
            computed,
            seq,
            rows_read,
            ..
        } = self;
        let Some(seg) = plan.segments.get(*segment) else {
            return true;
        };
        loop {
            let (source, map): (&dyn Source, &[InputColumn]) = match &seg.input {
                Input::Tables(parts) => match parts.get(*part) {
                    Some(p) => match catalog.source(p.table) {
                        Some(s) => (s, &p.map),
                        None => {
                            *part += 1;
                            continue;
                        }
                    },
                    None => return true,
                },
                Input::Previous if *part == 0 => (&*previous, previous_map.as_slice()),
                Input::OneRow if *part == 0 => (&*one_row, &[]),
                _ => return true,
            };
            let n = source.len();
            let codes = codes_of(seg, source, map);
            // The cursor is kept in locals while rows are read and written back after:
            // through `&mut` fields it was stored and reloaded on every row.
            let start = *row;
            let end = n.min(start.saturating_add(*left));
            let mut next_seq = *seq;
            let mut r = start;
            let mut full = false;
            while r < end {
                let at = r;
                r += 1;
                computed.clear();
                let mut keep = true;
                for step in &seg.steps {
                    let env = RowEnv {
                        source,
                        map,
                        row: at,
                        computed,
                        codes: &codes,
                    };
                    match step {
                        Step::Filter(c) => {
                            if truth(c, &env) != Some(true) {
                                keep = false;
                                break;
                            }
                        }
                        Step::Compute(c) => {
                            let v = eval(c, &env).into_owned();
                            computed.push(v);
                        }
                    }
                }
                if keep {
                    let env = RowEnv {
                        source,
                        map,
                        row: at,
                        computed,
                        codes: &codes,
                    };
                    next_seq += 1;
                    if push(sink, seg, &env, next_seq) {
                        full = true;
                        break;
                    }
                }
            }
            let read = r - start;
            *left -= read;
            *rows_read += read;
            *row = r;
            *seq = next_seq;
            if full {
                return true;
            }
            if r < n {
                return false;
            }
            *part += 1;
            *row = 0;
        }
    }

    /// Ends the current segment: its sink's table becomes the next segment's input, or the
    /// output when it was the last.
    fn end_segment(&mut self) {
        let Some(seg) = self.plan.segments.get(self.segment) else {
            self.output = Some(Output::default());
            return;
        };
        let state = std::mem::replace(&mut self.sink, SinkState::Count(0));
        let (mut table, seen) = finish(state, seg);
        let capped = matches!(seg.sink, Sink::Collect { .. } | Sink::Top { cap: true, .. });
        self.segment += 1;
        self.part = 0;
        self.row = 0;
        if self.segment >= self.plan.segments.len() {
            let mut notes = self.plan.notes.clone();
            let total = if capped {
                seen.max(table.rows.len())
            } else {
                table.rows.len()
            };
            if table.rows.len() > self.max_rows {
                table.rows.truncate(self.max_rows);
            }
            if total > table.rows.len() {
                notes.push(format!(
                    "the query gave {total} rows; the first {} are shown, as Advanced hunting shows at most {MAX_ROWS}",
                    table.rows.len()
                ));
            }
            self.output = Some(Output {
                columns: table
                    .columns
                    .iter()
                    .map(|c| (c.name.clone(), c.kind))
                    .collect(),
                rows: table.rows,
                notes,
            });
            return;
        }
        self.previous_map = identity_map(&table.columns);
        self.previous = table;
        self.sink = SinkState::start(self.plan.segments.get(self.segment).map(|s| &s.sink));
        self.rows_to_read += self.input_rows();
    }
}

/// Runs a query to the end.
pub fn run(query: &str, catalog: &Catalog<'_>, options: &RunOptions) -> Result<Output, QueryError> {
    Ok(Run::new(query, catalog, options)?.finish())
}
