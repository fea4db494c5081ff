//! The aggregations of `summarize`: their types, their default column names, and their
//! running state per group.
//!
//! Nulls are left out of every aggregation but `count()`. Over a group with no value left,
//! `count`, `countif`, `dcount` and `sum` give 0, `make_set` and `make_list` an empty array,
//! and the others null, as Kusto documents. `dcount` is exact here (Kusto estimates it).

use super::ast::{Expr, ExprKind};
use super::cexpr::CExpr;
use super::error::{QueryError, Span};
use super::eval::{eval, truth, Env, NoRow};
use super::groups::{Entry, HashIndex};
use super::typing::Scope;
use super::value::{hash_value, order, same, sorts_as_null, to_json, Cell, Ty, Value};
use std::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggKind {
    Count,
    CountIf,
    DCount,
    Min,
    Max,
    Sum,
    Avg,
    MakeSet,
    MakeList,
    ArgMax,
    ArgMin,
}

/// Kusto's default cap on `make_set` and `make_list`.
const DEFAULT_LIST_LIMIT: usize = 1_048_576;

#[derive(Clone, Debug)]
pub struct Aggregate {
    pub kind: AggKind,
    pub arg: Option<CExpr>,
    arg_ty: Ty,
    /// The other columns `arg_max` and `arg_min` return.
    outputs: Vec<CExpr>,
    limit: usize,
    /// The columns this aggregation gives, named as Kusto names them by default.
    pub columns: Vec<(String, Ty)>,
}

fn err(span: Span, message: impl Into<String>) -> QueryError {
    QueryError::at(span, message)
}

fn column_name(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Name(n) => Some(n),
        _ => None,
    }
}

/// The aggregation written `name(args)`, or `None` when `name` is not an aggregation.
/// `grouped` names the columns the `summarize` groups by, which `arg_max(…, *)` leaves out
/// since the group key already holds them.
pub fn aggregation(
    name: &str,
    args: &[Expr],
    given: Option<&str>,
    span: Span,
    scope: &Scope<'_>,
    grouped: &[&str],
) -> Option<Result<Aggregate, QueryError>> {
    let kind = match name {
        "count" => AggKind::Count,
        "countif" => AggKind::CountIf,
        "dcount" => AggKind::DCount,
        "min" => AggKind::Min,
        "max" => AggKind::Max,
        "sum" => AggKind::Sum,
        "avg" => AggKind::Avg,
        "make_set" => AggKind::MakeSet,
        "make_list" => AggKind::MakeList,
        "arg_max" => AggKind::ArgMax,
        "arg_min" => AggKind::ArgMin,
        _ => return None,
    };
    Some(compile(kind, name, args, given, span, scope, grouped))
}

fn compile(
    kind: AggKind,
    name: &str,
    args: &[Expr],
    given: Option<&str>,
    span: Span,
    scope: &Scope<'_>,
    grouped: &[&str],
) -> Result<Aggregate, QueryError> {
    let (min, max) = match kind {
        AggKind::Count => (0, 0),
        AggKind::CountIf | AggKind::Min | AggKind::Max | AggKind::Sum | AggKind::Avg => (1, 1),
        AggKind::DCount | AggKind::MakeSet | AggKind::MakeList => (1, 2),
        AggKind::ArgMax | AggKind::ArgMin => (2, usize::MAX),
    };
    if args.len() < min || args.len() > max {
        let wanted = match (min, max) {
            (0, 0) => "no arguments".to_owned(),
            (1, 1) => "1 argument".to_owned(),
            (a, usize::MAX) => format!("at least {a} arguments"),
            (a, b) => format!("{a} or {b} arguments"),
        };
        return Err(err(
            span,
            format!("`{name}` takes {wanted}, found {}", args.len()),
        ));
    }
    let suffix = args.first().and_then(column_name).unwrap_or("");
    let default = |prefix: &str| format!("{prefix}_{suffix}");
    let mut agg = Aggregate {
        kind,
        arg: None,
        arg_ty: Ty::Unknown,
        outputs: Vec::new(),
        limit: DEFAULT_LIST_LIMIT,
        columns: Vec::new(),
    };
    let first = args.first();
    if kind == AggKind::CountIf {
        if let Some(e) = first {
            agg.arg = Some(scope.condition(e, "`countif`")?);
        }
    } else if let Some(e) = first {
        let (c, t) = scope.expr(e)?;
        agg.arg = Some(c);
        agg.arg_ty = t;
    }
    let t = agg.arg_ty;
    let wrong = |what: &str| {
        err(
            first.map_or(span, |e| e.span),
            format!("`{name}` needs {what}, found a {}", t.name()),
        )
    };
    let (column, ty) = match kind {
        AggKind::Count => ("count_".to_owned(), Ty::LONG),
        AggKind::CountIf => ("countif_".to_owned(), Ty::LONG),
        AggKind::DCount => (default("dcount"), Ty::LONG),
        AggKind::Min | AggKind::Max => {
            if t == Ty::DYNAMIC {
                return Err(wrong("a number, a string, a datetime or a timespan"));
            }
            (default(if kind == AggKind::Min { "min" } else { "max" }), t)
        }
        AggKind::Sum => {
            if !(t.is_numeric() || t == Ty::TIMESPAN) {
                return Err(wrong("a number or a timespan"));
            }
            (default("sum"), t)
        }
        AggKind::Avg => {
            if !t.is_numeric() {
                return Err(wrong("a number"));
            }
            (default("avg"), Ty::REAL)
        }
        AggKind::MakeSet => (default("set"), Ty::DYNAMIC),
        AggKind::MakeList => (default("list"), Ty::DYNAMIC),
        AggKind::ArgMax | AggKind::ArgMin => {
            if matches!(t, Ty::DYNAMIC | Ty::BOOL) {
                return Err(wrong("a number, a string, a datetime or a timespan"));
            }
            let prefix = if kind == AggKind::ArgMax {
                "max"
            } else {
                "min"
            };
            let name = first
                .and_then(column_name)
                .map_or_else(|| format!("{prefix}_"), str::to_owned);
            (name, t)
        }
    };
    agg.columns.push((given.map_or(column, str::to_owned), ty));
    match kind {
        AggKind::DCount | AggKind::MakeSet | AggKind::MakeList => {
            if let Some(limit) = args.get(1) {
                let (c, lt) = scope.expr(limit)?;
                let n = match eval(&c, &NoRow) {
                    Value::Long(n) if lt == Ty::LONG && n > 0 => n,
                    _ => {
                        return Err(err(
                            limit.span,
                            format!(
                                "the second argument of `{name}` must be a positive whole number"
                            ),
                        ))
                    }
                };
                if kind != AggKind::DCount {
                    agg.limit = usize::try_from(n).unwrap_or(usize::MAX);
                }
            }
        }
        AggKind::ArgMax | AggKind::ArgMin => {
            for e in args.iter().skip(1) {
                if e.kind == ExprKind::Star {
                    for col in &scope.schema.columns {
                        if Some(col.name.as_str()) == first.and_then(column_name)
                            || grouped.contains(&col.name.as_str())
                        {
                            continue;
                        }
                        agg.outputs.push(CExpr::Slot(col.slot));
                        agg.columns.push((col.name.clone(), col.ty));
                    }
                } else {
                    let (c, t) = scope.expr(e)?;
                    agg.outputs.push(c);
                    let n = column_name(e).map_or_else(|| "Column1".to_owned(), str::to_owned);
                    agg.columns.push((n, t));
                }
            }
        }
        _ => {}
    }
    Ok(agg)
}

/// One group's running value of one aggregation.
#[derive(Clone, Debug)]
pub enum State {
    Count(i64),
    Distinct { index: HashIndex, values: Vec<Cell> },
    List(Vec<Cell>),
    Best(Option<Cell>),
    Sum(Cell),
    Avg { sum: f64, n: u64 },
    Arg { best: Option<Cell>, row: Vec<Cell> },
}

fn hash_of(v: &Value<'_>) -> u64 {
    let mut h = 0;
    hash_value(v, &mut h);
    h
}

impl Aggregate {
    pub fn start(&self) -> State {
        match self.kind {
            AggKind::Count | AggKind::CountIf => State::Count(0),
            AggKind::DCount | AggKind::MakeSet => State::Distinct {
                index: HashIndex::new(),
                values: Vec::new(),
            },
            AggKind::MakeList => State::List(Vec::new()),
            AggKind::Min | AggKind::Max => State::Best(None),
            AggKind::Sum => State::Sum(match self.arg_ty {
                Ty::REAL => Value::Real(0.0),
                Ty::TIMESPAN => Value::Timespan(0),
                _ => Value::Long(0),
            }),
            AggKind::Avg => State::Avg { sum: 0.0, n: 0 },
            AggKind::ArgMax | AggKind::ArgMin => State::Arg {
                best: None,
                row: vec![Value::Null; self.outputs.len()],
            },
        }
    }

    pub fn update<E: Env>(&self, state: &mut State, env: &E) {
        let arg = match (&self.arg, self.kind) {
            (_, AggKind::Count) => {
                if let State::Count(n) = state {
                    *n += 1;
                }
                return;
            }
            (Some(a), AggKind::CountIf) => {
                if let State::Count(n) = state {
                    *n += i64::from(truth(a, env) == Some(true));
                }
                return;
            }
            (Some(a), _) => a,
            (None, _) => return,
        };
        let v = eval(arg, env);
        if sorts_as_null(&v) {
            return;
        }
        match state {
            State::Count(_) => {}
            State::Distinct { index, values } => {
                if self.kind == AggKind::MakeSet && values.len() >= self.limit {
                    return;
                }
                if let Entry::New(_) = index.entry(hash_of(&v), |i| same(&values[i], &v)) {
                    values.push(v.into_owned());
                }
            }
            State::List(values) => {
                if values.len() < self.limit {
                    values.push(v.into_owned());
                }
            }
            State::Best(best) => {
                let better = match best {
                    None => true,
                    Some(b) => {
                        let o = order(&v, b);
                        if self.kind == AggKind::Min {
                            o == Ordering::Less
                        } else {
                            o == Ordering::Greater
                        }
                    }
                };
                if better {
                    *best = Some(v.into_owned());
                }
            }
            State::Sum(total) => {
                *total = super::eval::arith(super::ast::Arith::Add, total, &v);
            }
            State::Avg { sum, n } => {
                if let Value::Long(x) = v {
                    *sum += x as f64;
                } else if let Value::Real(x) = v {
                    *sum += x;
                }
                *n += 1;
            }
            State::Arg { best, row } => {
                let better = match best {
                    None => true,
                    Some(b) => {
                        let o = order(&v, b);
                        if self.kind == AggKind::ArgMin {
                            o == Ordering::Less
                        } else {
                            o == Ordering::Greater
                        }
                    }
                };
                if better {
                    *best = Some(v.into_owned());
                    for (cell, e) in row.iter_mut().zip(&self.outputs) {
                        *cell = eval(e, env).into_owned();
                    }
                }
            }
        }
    }

    /// The group's result columns, appended to `out`.
    pub fn finish(&self, state: State, out: &mut Vec<Cell>) {
        match state {
            State::Count(n) => out.push(Value::Long(n)),
            State::Distinct { values, .. } => {
                if self.kind == AggKind::DCount {
                    out.push(Value::Long(i64::try_from(values.len()).unwrap_or(i64::MAX)));
                } else {
                    out.push(json_array(&values));
                }
            }
            State::List(values) => out.push(json_array(&values)),
            State::Best(best) => out.push(best.unwrap_or(Value::Null)),
            State::Sum(total) => out.push(total),
            State::Avg { sum, n } => out.push(if n == 0 {
                Value::Null
            } else {
                Value::Real(sum / n as f64)
            }),
            State::Arg { best, row } => {
                out.push(best.unwrap_or(Value::Null));
                out.extend(row);
            }
        }
    }
}

fn json_array(values: &[Cell]) -> Cell {
    let array = serde_json::Value::Array(values.iter().map(to_json).collect());
    Value::Dynamic(array.to_string().into())
}
