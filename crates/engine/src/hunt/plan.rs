//! A parsed query compiled against the catalog into segments.
//!
//! A segment reads rows from its input (catalog tables, or the table the previous segment
//! made), runs the row-by-row operators over each (`where`, `extend`, `project`,
//! `project-away`…, which only filter rows and rename or compute columns), and hands the rows
//! it keeps to one sink: `summarize`, `sort`, `top`, `take`, `count`, `distinct`, or the
//! result itself. So `T | where … | summarize … by …` reads `T` once and copies only the
//! group keys, and `T | where …` copies only the rows it keeps.

use super::aggregate::Aggregate;
use super::ast::{Assignment, Expr, ExprKind, Operator, OperatorKind, Pattern};
use super::cexpr::{CExpr, Schema, SchemaColumn, Slot};
use super::error::{QueryError, Span};
use super::source::Column;
use super::typing::{suggestion, Scope};
use super::value::{Cell, Ty, Value};
use crate::time::Timestamp;

/// Where a segment's rows come from.
#[derive(Clone, Debug)]
pub enum Input {
    /// Catalog tables by index: one for a table, several for `search`.
    Tables(Vec<Part>),
    /// The table the previous segment made.
    Previous,
    /// No rows: a table that is not in these exports.
    Empty,
    /// One row without columns, for `print`.
    OneRow,
}

/// One catalog table read as the segment's input columns.
#[derive(Clone, Debug)]
pub struct Part {
    pub table: usize,
    pub map: Vec<InputColumn>,
}

/// How one input column of a segment is read from a table.
#[derive(Clone, Debug)]
pub enum InputColumn {
    Column(usize),
    /// A column this table of a `search` lacks.
    Null,
    /// `$table` in `search`.
    Const(Cell),
}

#[derive(Clone, Debug)]
pub enum Step {
    Filter(CExpr),
    /// Computes the next computed slot of the row.
    Compute(CExpr),
}

#[derive(Clone, Debug)]
pub struct SortSpec {
    pub expr: CExpr,
    pub descending: bool,
    pub nulls_first: bool,
}

#[derive(Clone, Debug)]
pub enum Sink {
    /// The rows themselves, at most `limit` of them (the rest only counted).
    Collect {
        limit: usize,
    },
    Take(usize),
    /// The first `count` rows in the keys' order. `cap` marks the result's own final sort,
    /// bounded by the row cap rather than by the query: rows past it are reported cut.
    Top {
        count: usize,
        keys: Vec<SortSpec>,
        cap: bool,
    },
    Sort(Vec<SortSpec>),
    Summarize {
        keys: Vec<CExpr>,
        aggregates: Vec<Aggregate>,
    },
    Count,
}

#[derive(Clone, Debug)]
pub struct Segment {
    pub input: Input,
    pub steps: Vec<Step>,
    /// The slots of the columns the segment's rows have after its row operators.
    pub output: Vec<Slot>,
    /// The columns of the table the segment makes.
    pub columns: Vec<Column>,
    pub sink: Sink,
    /// The input column and the text of each `column == "text"` of the steps, by probe.
    pub probes: Vec<(usize, String)>,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub segments: Vec<Segment>,
    pub notes: Vec<String>,
}

/// A segment being built: its input, its row operators so far, and the columns at this point.
pub struct Builder {
    pub input: Input,
    pub steps: Vec<Step>,
    pub computed: usize,
    pub schema: Schema,
}

impl Builder {
    pub fn over_previous(columns: &[Column]) -> Builder {
        Builder {
            input: Input::Previous,
            steps: Vec::new(),
            computed: 0,
            schema: Schema {
                columns: columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| SchemaColumn {
                        name: c.name.clone(),
                        ty: Ty::Known(c.kind),
                        slot: Slot::Input(i),
                    })
                    .collect(),
                open: false,
            },
        }
    }

    /// The slot holding this expression's value: its own when it is a plain column, else a
    /// new computed one.
    pub fn slot_for(&mut self, c: CExpr) -> Slot {
        if let CExpr::Slot(s) = c {
            return s;
        }
        let slot = Slot::Computed(self.computed);
        self.computed += 1;
        self.steps.push(Step::Compute(c));
        slot
    }

    pub fn finish(mut self, sink: Sink, columns: Vec<Column>) -> Segment {
        let mut probes = Vec::new();
        let mut next = 0;
        for step in &mut self.steps {
            match step {
                Step::Filter(c) | Step::Compute(c) => c.number_probes(&mut next, &mut probes),
            }
        }
        Segment {
            input: self.input,
            steps: self.steps,
            output: self.schema.columns.iter().map(|c| c.slot).collect(),
            columns,
            sink,
            probes,
        }
    }

    pub fn columns(&self) -> Vec<Column> {
        self.schema
            .columns
            .iter()
            .map(|c| Column::new(c.name.clone(), c.ty.kind()))
            .collect()
    }
}

/// What names mean in a pipeline besides its columns: the scalar `let`s in sight, the time
/// `now()` stands for, and which names are tables.
pub struct Names<'s> {
    pub lets: &'s [(String, Cell, Ty)],
    pub now: Timestamp,
    pub tables: &'s dyn Fn(&str) -> bool,
}

impl Names<'_> {
    pub fn scope<'x>(&'x self, schema: &'x Schema) -> Scope<'x> {
        Scope {
            schema,
            lets: self.lets,
            now: self.now,
            terms: None,
            tables: self.tables,
        }
    }
}

fn err(span: Span, message: impl Into<String>) -> QueryError {
    QueryError::at(span, message)
}

/// `name`, or `name1`, `name2`… if it is taken.
pub fn unique(name: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == name) {
        return name.to_owned();
    }
    (1..)
        .map(|i| format!("{name}{i}"))
        .find(|n| !taken.iter().any(|t| t == n))
        .unwrap_or_else(|| name.to_owned())
}

/// Whether a name matches a pattern, `*` standing for any run of characters.
pub fn glob(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == name;
    };
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    for m in middle {
        match rest.find(m) {
            Some(i) => rest = &rest[i + m.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// The name Kusto gives an unnamed column: a plain column keeps its name, `bin(T, 1d)` takes
/// its column's, anything else is `Column1`, `Column2`…
pub fn derived_name(e: &Expr, unnamed: &mut usize) -> String {
    let column = match &e.kind {
        ExprKind::Name(n) => Some(n),
        ExprKind::Call { name, args } if name == "bin" || name == "floor" => {
            match args.first().map(|a| &a.kind) {
                Some(ExprKind::Name(n)) => Some(n),
                _ => None,
            }
        }
        _ => None,
    };
    match column {
        Some(n) => n.clone(),
        None => {
            *unnamed += 1;
            format!("Column{unnamed}")
        }
    }
}

impl Builder {
    /// Applies a row operator (`where`, `extend`, `project`…) to the segment being built.
    pub fn row_operator(
        &mut self,
        op: &Operator,
        names: &Names<'_>,
        notes: &mut Vec<String>,
    ) -> Result<(), QueryError> {
        match &op.kind {
            OperatorKind::Where(e) => {
                let c = names.scope(&self.schema).condition(e, "`where`")?;
                self.steps.push(Step::Filter(c));
            }
            OperatorKind::Extend(list) => {
                let mut unnamed = 0;
                for a in list {
                    let name = a
                        .name
                        .as_ref()
                        .map_or_else(|| derived_name(&a.expr, &mut unnamed), |n| n.text.clone());
                    self.add_column(&name, &a.expr, names)?;
                }
            }
            OperatorKind::Project(list) => self.project(list, names)?,
            OperatorKind::ProjectAway(patterns) => {
                let drop = self.matching(patterns)?;
                let mut i = 0;
                self.schema.columns.retain(|_| {
                    i += 1;
                    !drop.contains(&(i - 1))
                });
            }
            OperatorKind::ProjectKeep(patterns) => {
                let keep = self.matching(patterns)?;
                let mut i = 0;
                self.schema.columns.retain(|_| {
                    i += 1;
                    keep.contains(&(i - 1))
                });
                self.schema.open = false;
            }
            OperatorKind::ProjectReorder(patterns) => {
                let first = self.matching(patterns)?;
                let mut columns: Vec<SchemaColumn> = first
                    .iter()
                    .filter_map(|&i| self.schema.columns.get(i).cloned())
                    .collect();
                for (i, c) in self.schema.columns.iter().enumerate() {
                    if !first.contains(&i) {
                        columns.push(c.clone());
                    }
                }
                self.schema.columns = columns;
            }
            OperatorKind::ProjectRename(pairs) => {
                for (new, old) in pairs {
                    let Some(i) = self.schema.position(&old.text) else {
                        if self.schema.open {
                            let slot = self.slot_for(CExpr::Const(Value::Null));
                            self.schema.columns.push(SchemaColumn {
                                name: new.text.clone(),
                                ty: Ty::Unknown,
                                slot,
                            });
                            continue;
                        }
                        return Err(self.unknown_column(&old.text, old.span));
                    };
                    if new.text != old.text && self.schema.find(&new.text).is_some() {
                        return Err(err(
                            new.span,
                            format!("a column named `{}` already exists", new.text),
                        ));
                    }
                    if let Some(c) = self.schema.columns.get_mut(i) {
                        c.name = new.text.clone();
                    }
                }
            }
            OperatorKind::Render(chart) => notes.push(format!(
                "`render {}` is ignored: the results are shown as a table",
                chart.text
            )),
            _ => {
                return Err(err(
                    op.span,
                    "this operator ends a segment and is compiled elsewhere",
                ))
            }
        }
        Ok(())
    }

    fn project(&mut self, list: &[Assignment], names: &Names<'_>) -> Result<(), QueryError> {
        let old = self.schema.clone();
        let mut columns: Vec<SchemaColumn> = Vec::new();
        let mut unnamed = 0;
        for a in list {
            let (c, ty) = names.scope(&old).expr(&a.expr)?;
            let name = a
                .name
                .as_ref()
                .map_or_else(|| derived_name(&a.expr, &mut unnamed), |n| n.text.clone());
            if columns.iter().any(|c| c.name == name) {
                let span = a.name.as_ref().map_or(a.expr.span, |n| n.span);
                return Err(err(span, format!("the column `{name}` is projected twice")));
            }
            let slot = self.slot_for(c);
            columns.push(SchemaColumn { name, ty, slot });
        }
        self.schema = Schema {
            columns,
            open: false,
        };
        Ok(())
    }

    /// `extend` and `print`: a column of that name is replaced where it stands, else added.
    pub fn add_column(
        &mut self,
        name: &str,
        expr: &Expr,
        names: &Names<'_>,
    ) -> Result<(), QueryError> {
        let (c, ty) = names.scope(&self.schema).expr(expr)?;
        let slot = self.slot_for(c);
        let column = SchemaColumn {
            name: name.to_owned(),
            ty,
            slot,
        };
        match self.schema.position(name) {
            Some(i) => {
                if let Some(c) = self.schema.columns.get_mut(i) {
                    *c = column;
                }
            }
            None => self.schema.columns.push(column),
        }
        Ok(())
    }

    /// The positions of the columns the patterns name, in the patterns' order. A plain name
    /// that is no column is an error (unless the table is not in these exports).
    fn matching(&self, patterns: &[Pattern]) -> Result<Vec<usize>, QueryError> {
        let mut out = Vec::new();
        for p in patterns {
            let before = out.len();
            for (i, c) in self.schema.columns.iter().enumerate() {
                let hit = if p.wildcard {
                    glob(&p.text, &c.name)
                } else {
                    p.text == c.name
                };
                if hit && !out.contains(&i) {
                    out.push(i);
                }
            }
            if out.len() == before && !p.wildcard && !self.schema.open {
                return Err(self.unknown_column(&p.text, p.span));
            }
        }
        Ok(out)
    }

    pub fn unknown_column(&self, name: &str, span: Span) -> QueryError {
        err(
            span,
            format!(
                "unknown column `{name}`{}",
                suggestion(name, self.schema.columns.iter().map(|c| c.name.as_str()))
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_like_kusto() {
        assert!(glob("Account*", "AccountName"));
        assert!(glob("*Id", "DeviceId"));
        assert!(glob("a*b*c", "aXbYc"));
        assert!(!glob("a*b*c", "aXcYb"));
        assert!(glob("*", "anything"));
        assert!(!glob("Account*", "DeviceName"));
        assert!(glob("ab*ab", "abab"));
        assert!(!glob("ab*ab", "aba"));
        assert!(glob("plain", "plain"));
    }

    #[test]
    fn names_are_made_unique_as_kusto_does() {
        let taken = vec!["e".to_owned(), "e1".to_owned()];
        assert_eq!(unique("e", &taken), "e2");
        assert_eq!(unique("n", &taken), "n");
    }
}
