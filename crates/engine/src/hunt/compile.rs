//! A parsed query compiled against the catalog: `let`s bound, the sources resolved (a table,
//! a tabular `let`, `search` over several tables, `print`), and each operator placed in the
//! segment plan of `plan`.

use super::aggregate::aggregation;
use super::ast::{
    Expr, ExprKind, LetValue, Name, Nulls, OperatorKind, Order, Pipeline, Query, SortKey,
    Source as SourceAst, Statement,
};
use super::cexpr::{CExpr, Schema, SchemaColumn, Slot};
use super::error::{QueryError, Span};
use super::eval::{eval, NoRow};
use super::plan::{
    derived_name, unique, Builder, Input, InputColumn, Names, Part, Plan, Segment, Sink, SortSpec,
};
use super::source::{Catalog, Column};
use super::typing::{suggestion, AGGREGATIONS};
use super::value::{Cell, ColumnKind, Ty, Value};
use crate::time::Timestamp;

/// A tabular `let`: its name, its pipeline, and how many scalar `let`s it sees (those before
/// it).
struct TabularLet {
    name: String,
    pipeline: Pipeline,
    lets: usize,
}

pub struct Compiler<'c, 'a> {
    catalog: &'c Catalog<'a>,
    now: Timestamp,
    max_rows: usize,
    lets: Vec<(String, Cell, Ty)>,
    tabular: Vec<TabularLet>,
    notes: Vec<String>,
    segments: Vec<Segment>,
}

fn err(span: Span, message: impl Into<String>) -> QueryError {
    QueryError::at(span, message)
}

fn pipeline_span(p: &Pipeline) -> Span {
    match &p.source {
        SourceAst::Table(n) => n.span,
        SourceAst::Search { span, .. } | SourceAst::Print { span, .. } => *span,
    }
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'c, 'a> Compiler<'c, 'a> {
    pub fn new(catalog: &'c Catalog<'a>, now: Timestamp, max_rows: usize) -> Self {
        Compiler {
            catalog,
            now,
            max_rows,
            lets: Vec::new(),
            tabular: Vec::new(),
            notes: Vec::new(),
            segments: Vec::new(),
        }
    }

    /// The names that are tables at this point: the catalog's, Advanced hunting's, the
    /// tabular `let`s'.
    fn table_names(&self) -> Vec<String> {
        self.catalog
            .tables()
            .map(|t| t.name().to_owned())
            .chain(self.catalog.absent().map(str::to_owned))
            .chain(self.tabular.iter().map(|t| t.name.clone()))
            .collect()
    }

    pub fn compile(mut self, query: &Query) -> Result<Plan, QueryError> {
        let mut result: Option<&Pipeline> = None;
        for s in &query.statements {
            match s {
                Statement::Let { name, value } => self.bind(name, value)?,
                Statement::Tabular(p) => {
                    if result.is_some() {
                        return Err(err(
                            pipeline_span(p),
                            "a query runs one tabular expression, and this is a second one",
                        ));
                    }
                    result = Some(p);
                }
            }
        }
        let Some(p) = result else {
            return Err(err(
                Span::new(1, 1),
                "the query has no tabular expression to run: end it with a table and its operators",
            ));
        };
        let (lets, tabular) = (self.lets.len(), self.tabular.len());
        if let Some(b) = self.pipeline(p, lets, tabular, true)? {
            let columns = b.columns();
            let limit = self.max_rows;
            self.segments
                .push(b.finish(Sink::Collect { limit }, columns));
        }
        Ok(Plan {
            segments: self.segments,
            notes: self.notes,
        })
    }

    fn bind(&mut self, name: &Name, value: &LetValue) -> Result<(), QueryError> {
        let pipeline = match value {
            LetValue::Tabular(p) => Some(p.clone()),
            LetValue::Scalar(Expr {
                kind: ExprKind::Name(table),
                span,
            }) if self.table_names().contains(table) => Some(Pipeline {
                source: SourceAst::Table(Name {
                    text: table.clone(),
                    span: *span,
                }),
                operators: Vec::new(),
            }),
            LetValue::Scalar(_) => None,
        };
        if let Some(pipeline) = pipeline {
            self.tabular.push(TabularLet {
                name: name.text.clone(),
                pipeline,
                lets: self.lets.len(),
            });
            return Ok(());
        }
        if let LetValue::Scalar(e) = value {
            let tables = self.table_names();
            let is_table = |n: &str| tables.iter().any(|t| t == n);
            let names = Names {
                lets: &self.lets,
                now: self.now,
                tables: &is_table,
            };
            let schema = Schema::default();
            let (c, t) = names.scope(&schema).expr(e)?;
            let value = eval(&c, &NoRow).into_owned();
            self.lets.push((name.text.clone(), value, t));
        }
        Ok(())
    }

    /// Compiles a pipeline, pushing the segments its sinks end; returns the segment still
    /// open, or `None` when the pipeline ends with a sink. `lets` and `tabular` are how many
    /// `let`s it sees. `last` says whether it makes the query's result, whose final sort
    /// keeps only the rows the result can show.
    fn pipeline(
        &mut self,
        p: &Pipeline,
        lets: usize,
        tabular: usize,
        last: bool,
    ) -> Result<Option<Builder>, QueryError> {
        let mut builder = Some(self.source(&p.source, lets, tabular)?);
        let ops = &p.operators;
        let tables = self.table_names();
        let is_table = |n: &str| tables.iter().any(|t| t == n);
        let scalars: Vec<(String, Cell, Ty)> = self.lets.iter().take(lets).cloned().collect();
        let names = Names {
            lets: &scalars,
            now: self.now,
            tables: &is_table,
        };
        let mut i = 0;
        while let Some(op) = ops.get(i) {
            let mut b = match builder.take() {
                Some(b) => b,
                None => Builder::over_previous(&self.last_columns()),
            };
            let at_end = last && i + 1 == ops.len();
            let sink = match &op.kind {
                OperatorKind::Sort(keys) => {
                    let keys = sort_specs(&b, keys, &names)?;
                    match ops.get(i + 1).map(|o| &o.kind) {
                        Some(OperatorKind::Take(e)) => {
                            i += 1;
                            let count = count(e, "take", &names)?;
                            Some(Sink::Top {
                                count,
                                keys,
                                cap: false,
                            })
                        }
                        _ if at_end => Some(Sink::Top {
                            count: self.max_rows,
                            keys,
                            cap: true,
                        }),
                        _ => Some(Sink::Sort(keys)),
                    }
                }
                OperatorKind::Take(e) => Some(Sink::Take(count(e, "take", &names)?)),
                OperatorKind::Top { count: n, key } => Some(Sink::Top {
                    count: count(n, "top", &names)?,
                    keys: sort_specs(&b, std::slice::from_ref(key), &names)?,
                    cap: false,
                }),
                OperatorKind::Count => Some(Sink::Count),
                OperatorKind::Summarize { aggregates, by } => {
                    let (sink, columns) = summarize(&b, aggregates, by, &names)?;
                    self.segments.push(b.finish(sink, columns));
                    i += 1;
                    continue;
                }
                OperatorKind::Distinct(list) => {
                    let (sink, columns) = distinct(&b, list)?;
                    self.segments.push(b.finish(sink, columns));
                    i += 1;
                    continue;
                }
                _ => {
                    b.row_operator(op, &names, &mut self.notes)?;
                    None
                }
            };
            match sink {
                Some(Sink::Count) => {
                    let columns = vec![Column::new("Count", ColumnKind::Long)];
                    self.segments.push(b.finish(Sink::Count, columns));
                }
                Some(sink) => {
                    let columns = b.columns();
                    self.segments.push(b.finish(sink, columns));
                }
                None => builder = Some(b),
            }
            i += 1;
        }
        Ok(builder)
    }

    fn last_columns(&self) -> Vec<Column> {
        self.segments
            .last()
            .map(|s| s.columns.clone())
            .unwrap_or_default()
    }

    fn source(
        &mut self,
        source: &SourceAst,
        lets: usize,
        tabular: usize,
    ) -> Result<Builder, QueryError> {
        match source {
            SourceAst::Table(name) => self.table(name, tabular),
            SourceAst::Search {
                tables, predicate, ..
            } => self.search(tables.as_deref(), predicate, lets),
            SourceAst::Print { columns, .. } => {
                let mut b = Builder {
                    input: Input::OneRow,
                    steps: Vec::new(),
                    computed: 0,
                    schema: Schema::default(),
                };
                let tables = self.table_names();
                let is_table = |n: &str| tables.iter().any(|t| t == n);
                let names = Names {
                    lets: self.lets.get(..lets).unwrap_or(&self.lets),
                    now: self.now,
                    tables: &is_table,
                };
                for (i, a) in columns.iter().enumerate() {
                    let name = a
                        .name
                        .as_ref()
                        .map_or_else(|| format!("print_{i}"), |n| n.text.clone());
                    b.add_column(&name, &a.expr, &names)?;
                }
                Ok(b)
            }
        }
    }

    fn table(&mut self, name: &Name, tabular: usize) -> Result<Builder, QueryError> {
        let visible = self.tabular.get(..tabular).unwrap_or(&self.tabular);
        if let Some(at) = visible.iter().rposition(|t| t.name == name.text) {
            let (pipeline, lets) = match self.tabular.get(at) {
                Some(t) => (t.pipeline.clone(), t.lets),
                None => return Err(self.unknown_table(name)),
            };
            return Ok(match self.pipeline(&pipeline, lets, at, false)? {
                Some(b) => b,
                None => Builder::over_previous(&self.last_columns()),
            });
        }
        if let Some(index) = self.catalog.index_of(&name.text) {
            let columns = self
                .catalog
                .source(index)
                .map(|s| s.columns().to_vec())
                .unwrap_or_default();
            let map = (0..columns.len()).map(InputColumn::Column).collect();
            let mut b = Builder::over_previous(&columns);
            b.input = Input::Tables(vec![Part { table: index, map }]);
            return Ok(b);
        }
        if self.catalog.is_absent(&name.text) {
            self.notes.push(format!(
                "`{}` is not in these exports: it is an Advanced hunting table, read here as an empty table",
                name.text
            ));
            return Ok(Builder {
                input: Input::Empty,
                steps: Vec::new(),
                computed: 0,
                schema: Schema {
                    columns: Vec::new(),
                    open: true,
                },
            });
        }
        Err(self.unknown_table(name))
    }

    fn unknown_table(&self, name: &Name) -> QueryError {
        let names = self.table_names();
        let held: Vec<&str> = self.catalog.tables().map(|t| t.name()).collect();
        let tables = if held.is_empty() {
            String::new()
        } else {
            format!(" (the tables here are {})", held.join(", "))
        };
        err(
            name.span,
            format!(
                "unknown table `{}`{}{tables}",
                name.text,
                suggestion(&name.text, names.iter().map(String::as_str))
            ),
        )
    }

    /// `search in (…)`: the union of the tables held, a `$table` column first, then every
    /// column in the order the tables bring them (a name two tables type differently gets
    /// the type's name as a suffix, `Size_long`). Tables not in these exports are skipped.
    fn search(
        &mut self,
        tables: Option<&[Name]>,
        predicate: &Expr,
        lets: usize,
    ) -> Result<Builder, QueryError> {
        let named: Vec<Name> = match tables {
            Some(list) => {
                let mut seen: Vec<Name> = Vec::new();
                for n in list {
                    if !seen.iter().any(|s| s.text == n.text) {
                        seen.push(n.clone());
                    }
                }
                seen
            }
            None => self
                .catalog
                .tables()
                .map(|t| Name {
                    text: t.name().to_owned(),
                    span: predicate.span,
                })
                .collect(),
        };
        let mut held = Vec::new();
        let mut absent = Vec::new();
        for n in &named {
            if let Some(i) = self.catalog.index_of(&n.text) {
                held.push(i);
            } else if self.catalog.is_absent(&n.text) {
                absent.push(n.text.as_str());
            } else if self.tabular.iter().any(|t| t.name == n.text) {
                return Err(err(
                    n.span,
                    format!("`search` reads tables, and `{}` is a `let`", n.text),
                ));
            } else {
                return Err(self.unknown_table(n));
            }
        }
        let mut union: Vec<(String, ColumnKind)> = vec![("$table".to_owned(), ColumnKind::String)];
        let mut parts = Vec::new();
        for &index in &held {
            let Some(source) = self.catalog.source(index) else {
                continue;
            };
            let mut map = vec![InputColumn::Const(Value::string(source.name().to_owned()))];
            for (ci, col) in source.columns().iter().enumerate() {
                let clash = union.iter().any(|(n, k)| *n == col.name && *k != col.kind);
                let name = if clash {
                    format!("{}_{}", col.name, col.kind.name())
                } else {
                    col.name.clone()
                };
                let at = match union.iter().position(|(n, k)| *n == name && *k == col.kind) {
                    Some(at) => at,
                    None => {
                        union.push((name, col.kind));
                        union.len() - 1
                    }
                };
                if map.len() <= at {
                    map.resize(at + 1, InputColumn::Null);
                }
                if let Some(m) = map.get_mut(at) {
                    *m = InputColumn::Column(ci);
                }
            }
            parts.push(Part { table: index, map });
        }
        for part in &mut parts {
            part.map.resize(union.len(), InputColumn::Null);
            // A string column a table lacks reads as empty there: strings are never null.
            for (m, (_, kind)) in part.map.iter_mut().zip(&union) {
                if matches!(m, InputColumn::Null) && *kind == ColumnKind::String {
                    *m = InputColumn::Const(Value::string(String::new()));
                }
            }
        }
        let schema = Schema {
            columns: union
                .iter()
                .enumerate()
                .map(|(i, (name, kind))| SchemaColumn {
                    name: name.clone(),
                    ty: Ty::Known(*kind),
                    slot: Slot::Input(i),
                })
                .collect(),
            open: !absent.is_empty(),
        };
        let terms: Vec<Slot> = union
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, (_, k))| matches!(k, ColumnKind::String | ColumnKind::Dynamic))
            .map(|(i, _)| Slot::Input(i))
            .collect();
        let tables = self.table_names();
        let is_table = |n: &str| tables.iter().any(|t| t == n);
        let names = Names {
            lets: self.lets.get(..lets).unwrap_or(&self.lets),
            now: self.now,
            tables: &is_table,
        };
        let mut scope = names.scope(&schema);
        scope.terms = Some(&terms);
        let filter = scope.condition(predicate, "`search`")?;
        if !absent.is_empty() {
            let read: Vec<&str> = held
                .iter()
                .filter_map(|&i| self.catalog.source(i).map(|s| s.name()))
                .collect();
            self.notes.push(if read.is_empty() {
                format!(
                    "`search` found no rows: {} are not in these exports",
                    list(&absent)
                )
            } else {
                format!(
                    "`search` read {}; {} are not in these exports and were skipped",
                    list(&read),
                    list(&absent)
                )
            });
        }
        let mut b = Builder {
            input: if parts.is_empty() {
                Input::Empty
            } else {
                Input::Tables(parts)
            },
            steps: Vec::new(),
            computed: 0,
            schema,
        };
        b.steps.push(super::plan::Step::Filter(filter));
        Ok(b)
    }
}

fn sort_specs(
    b: &Builder,
    keys: &[SortKey],
    names: &Names<'_>,
) -> Result<Vec<SortSpec>, QueryError> {
    let scope = names.scope(&b.schema);
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let (expr, t) = scope.expr(&k.expr)?;
        if t == Ty::DYNAMIC {
            return Err(err(
                k.expr.span,
                "cannot sort by a dynamic value: convert it with tostring()",
            ));
        }
        let descending = k.order != Some(Order::Asc);
        let nulls_first = k.nulls.map_or(!descending, |n| n == Nulls::First);
        out.push(SortSpec {
            expr,
            descending,
            nulls_first,
        });
    }
    Ok(out)
}

/// The number of rows of `take` or `top`: a whole number, written or from a `let`.
fn count(e: &Expr, op: &str, names: &Names<'_>) -> Result<usize, QueryError> {
    let schema = Schema::default();
    let (c, _) = names.scope(&schema).expr(e)?;
    match eval(&c, &NoRow) {
        Value::Long(n) if n >= 0 => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
        other => Err(err(
            e.span,
            format!(
                "`{op}` needs a whole number of rows, found `{}`",
                super::value::to_text(&other)
            ),
        )),
    }
}

fn summarize(
    b: &Builder,
    aggregates: &[super::ast::Assignment],
    by: &[super::ast::Assignment],
    names: &Names<'_>,
) -> Result<(Sink, Vec<Column>), QueryError> {
    let scope = names.scope(&b.schema);
    let mut keys = Vec::new();
    let mut columns = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    let mut unnamed = 0;
    for a in by {
        let (c, t) = scope.expr(&a.expr)?;
        if t == Ty::DYNAMIC {
            return Err(err(
                a.expr.span,
                "cannot group by a dynamic value: convert it with tostring()",
            ));
        }
        let name = a
            .name
            .as_ref()
            .map_or_else(|| derived_name(&a.expr, &mut unnamed), |n| n.text.clone());
        let name = unique(&name, &taken);
        taken.push(name.clone());
        columns.push(Column::new(name, t.kind()));
        keys.push(c);
    }
    let grouped: Vec<&str> = by
        .iter()
        .filter_map(|a| match &a.expr.kind {
            ExprKind::Name(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    let mut aggs = Vec::new();
    for a in aggregates {
        let ExprKind::Call { name, args } = &a.expr.kind else {
            return Err(err(
                a.expr.span,
                "expected an aggregation such as count() or dcount(DeviceName)",
            ));
        };
        let given = a.name.as_ref().map(|n| n.text.as_str());
        let agg = match aggregation(name, args, given, a.expr.span, &scope, &grouped) {
            Some(r) => r?,
            None => {
                return Err(err(
                    a.expr.span,
                    format!(
                        "`{name}` is not an aggregation{}: summarize takes {}",
                        suggestion(name, AGGREGATIONS.iter().copied()),
                        AGGREGATIONS.join(", ")
                    ),
                ))
            }
        };
        for (n, t) in &agg.columns {
            let n = unique(n, &taken);
            taken.push(n.clone());
            columns.push(Column::new(n, t.kind()));
        }
        aggs.push(agg);
    }
    Ok((
        Sink::Summarize {
            keys,
            aggregates: aggs,
        },
        columns,
    ))
}

fn distinct(b: &Builder, list: &[Name]) -> Result<(Sink, Vec<Column>), QueryError> {
    let mut keys = Vec::new();
    let mut columns = Vec::new();
    if list.is_empty() {
        for c in &b.schema.columns {
            keys.push(CExpr::Slot(c.slot));
            columns.push(Column::new(c.name.clone(), c.ty.kind()));
        }
    }
    for n in list {
        match b.schema.find(&n.text) {
            Some(c) => {
                keys.push(CExpr::Slot(c.slot));
                columns.push(Column::new(c.name.clone(), c.ty.kind()));
            }
            None if b.schema.open => {
                keys.push(CExpr::Const(Value::Null));
                columns.push(Column::new(n.text.clone(), ColumnKind::String));
            }
            None => return Err(b.unknown_column(&n.text, n.span)),
        }
    }
    Ok((
        Sink::Summarize {
            keys,
            aggregates: Vec::new(),
        },
        columns,
    ))
}
