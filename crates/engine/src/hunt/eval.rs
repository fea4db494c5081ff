//! Compiled expressions evaluated over one row, with Kusto's nulls: a comparison with null is
//! null (or false for `==`, true for `!=`), `and` and `or` follow three-valued logic, and
//! `where` keeps a row only when its condition is true.
//!
//! Evaluation borrows: a column read from a source or a constant is returned without copying
//! its text, so filtering a million rows on a string allocates nothing.

use super::ast::{Arith, Comparison, ListOp, StringOp};
use super::cexpr::{CExpr, NeedleArg, Slot};
use super::functions::apply;
use super::strings::{eq_ci, eq_ci_needle, matches, Needle};
use super::value::{compare, equals, Cell, Value};
use crate::time::Timestamp;
use std::cmp::Ordering;

/// The row an expression is evaluated over.
pub trait Env {
    fn slot(&self, slot: Slot) -> Value<'_>;

    /// Whether the string in `slot` is the text of comparison `probe`, answered from the
    /// source's codes of interned strings; `None` when the source keeps no codes for it.
    fn same_code(&self, _probe: usize, _slot: Slot) -> Option<bool> {
        None
    }
}

/// No row: for constants (`let` values, the count of `take`).
pub struct NoRow;

impl Env for NoRow {
    fn slot(&self, _: Slot) -> Value<'_> {
        Value::Null
    }
}

/// An expression's truth: `None` for null. Conditions are decided here without making a
/// value, since `where` asks this of every row.
pub fn truth<E: Env>(e: &CExpr, env: &E) -> Option<bool> {
    match e {
        CExpr::EqText {
            slot,
            text,
            negated,
            probe,
        } => match env.same_code(*probe, *slot) {
            Some(same) => Some(same != *negated),
            None => text_equals(env, *slot, text, *negated),
        },
        CExpr::Not(x) => truth(x, env).map(|b| !b),
        CExpr::And(xs) => {
            let mut all = Some(true);
            for x in xs {
                match truth(x, env) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        CExpr::Or(xs) => {
            let mut any = Some(false);
            for x in xs {
                match truth(x, env) {
                    Some(true) => return Some(true),
                    None => any = None,
                    Some(false) => {}
                }
            }
            any
        }
        _ => match eval(e, env) {
            Value::Bool(b) => Some(b),
            _ => None,
        },
    }
}

fn text_equals<E: Env>(env: &E, slot: Slot, text: &str, negated: bool) -> Option<bool> {
    match env.slot(slot) {
        Value::Str(s) => Some((s.len() == text.len() && *s == *text) != negated),
        other => equals(&other, &Value::str(text)).map(|b| b != negated),
    }
}

fn bool_or_null(b: Option<bool>) -> Value<'static> {
    b.map_or(Value::Null, Value::Bool)
}

pub fn eval<'c, E: Env>(e: &'c CExpr, env: &'c E) -> Value<'c> {
    match e {
        CExpr::Const(c) => c.reborrow(),
        CExpr::Slot(s) => env.slot(*s),
        CExpr::Not(_) | CExpr::And(_) | CExpr::Or(_) | CExpr::EqText { .. } => {
            bool_or_null(truth(e, env))
        }
        CExpr::Compare(c, l, r) => {
            let (a, b) = (eval(l, env), eval(r, env));
            bool_or_null(match c {
                Comparison::Eq => equals(&a, &b),
                Comparison::Ne => equals(&a, &b).map(|x| !x),
                Comparison::Lt => compare(&a, &b).map(|o| o == Ordering::Less),
                Comparison::Le => compare(&a, &b).map(|o| o != Ordering::Greater),
                Comparison::Gt => compare(&a, &b).map(|o| o == Ordering::Greater),
                Comparison::Ge => compare(&a, &b).map(|o| o != Ordering::Less),
                Comparison::EqCi => Some(eq_ci(&a.text(), &b.text())),
                Comparison::NeCi => Some(!eq_ci(&a.text(), &b.text())),
            })
        }
        CExpr::EqCi {
            value,
            needle,
            negated,
        } => {
            let v = eval(value, env);
            let text = v.text();
            let same = match needle {
                NeedleArg::Const(n) => eq_ci_needle(&text, n),
                NeedleArg::Expr(x) => eq_ci(&text, &eval(x, env).text()),
            };
            Value::Bool(same != *negated)
        }
        CExpr::Match {
            op,
            case_sensitive,
            negated,
            value,
            needle,
        } => {
            let v = eval(value, env);
            let found = with_needle(needle, env, |n| matches(*op, *case_sensitive, &v.text(), n));
            Value::Bool(found != *negated)
        }
        CExpr::In {
            value,
            list,
            negated,
        } => {
            let v = eval(value, env);
            let found = list
                .iter()
                .any(|item| equals(&v, &eval(item, env)) == Some(true));
            Value::Bool(found != *negated)
        }
        CExpr::InText {
            value,
            op,
            needles,
            negated,
        } => {
            let v = eval(value, env);
            let text = v.text();
            let test = |n: &NeedleArg| match op {
                ListOp::InCi => match n {
                    NeedleArg::Const(n) => eq_ci_needle(&text, n),
                    NeedleArg::Expr(x) => eq_ci(&text, &eval(x, env).text()),
                },
                _ => with_needle(n, env, |n| matches(StringOp::Has, false, &text, n)),
            };
            let found = if *op == ListOp::HasAll {
                needles.iter().all(test)
            } else {
                needles.iter().any(test)
            };
            Value::Bool(found != *negated)
        }
        CExpr::Between {
            value,
            low,
            high,
            high_is_offset,
            negated,
        } => {
            let v = eval(value, env);
            let lo = eval(low, env);
            let hi = eval(high, env);
            let hi = if *high_is_offset {
                arith(Arith::Add, &lo, &hi)
            } else {
                hi
            };
            let inside = match (compare(&lo, &v), compare(&v, &hi)) {
                (Some(a), Some(b)) => Some(a != Ordering::Greater && b != Ordering::Greater),
                _ => None,
            };
            bool_or_null(inside.map(|b| b != *negated))
        }
        CExpr::Arith(op, l, r) => arith(*op, &eval(l, env), &eval(r, env)),
        CExpr::Negate(x) => match eval(x, env) {
            Value::Long(n) => Value::Long(n.wrapping_neg()),
            Value::Real(r) => Value::Real(-r),
            Value::Timespan(t) => Value::Timespan(t.wrapping_neg()),
            _ => Value::Null,
        },
        CExpr::Call(f, args) => match args.as_slice() {
            [] => apply(*f, &[]),
            [a] => apply(*f, &[eval(a, env)]),
            [a, b] => apply(*f, &[eval(a, env), eval(b, env)]),
            many => {
                let values: Vec<Value<'_>> = many.iter().map(|a| eval(a, env)).collect();
                apply(*f, &values)
            }
        },
        CExpr::Iff(c, a, b) => {
            if truth(c, env) == Some(true) {
                eval(a, env)
            } else {
                eval(b, env)
            }
        }
        CExpr::Case(arms, otherwise) => {
            for (c, v) in arms {
                if truth(c, env) == Some(true) {
                    return eval(v, env);
                }
            }
            eval(otherwise, env)
        }
        CExpr::AnyTerm { slots, op, needle } => Value::Bool(
            slots
                .iter()
                .any(|s| matches(*op, false, &env.slot(*s).text(), needle)),
        ),
    }
}

fn with_needle<E: Env>(needle: &NeedleArg, env: &E, f: impl FnOnce(&Needle) -> bool) -> bool {
    match needle {
        NeedleArg::Const(n) => f(n),
        NeedleArg::Expr(x) => f(&Needle::new(&eval(x, env).text())),
    }
}

fn real_of(v: &Value<'_>) -> Option<f64> {
    match v {
        Value::Long(n) => Some(*n as f64),
        Value::Real(r) => Some(*r),
        _ => None,
    }
}

/// A real number of milliseconds as a timespan, or null when it does not fit.
fn span_of(ms: f64) -> Cell {
    if ms.is_finite() && ms.abs() < 9.2e18 {
        Value::Timespan(ms.trunc() as i64)
    } else {
        Value::Null
    }
}

fn datetime(ms: Option<i64>) -> Cell {
    ms.filter(|t| (Timestamp::MIN.0..=Timestamp::MAX.0).contains(t))
        .map_or(Value::Null, |t| Value::DateTime(Timestamp(t)))
}

/// Arithmetic with Kusto's types; null when an operand is null or the result does not exist
/// (an integer division by zero, a time past year 9999).
pub fn arith(op: Arith, a: &Value<'_>, b: &Value<'_>) -> Cell {
    use Arith::*;
    match (op, a, b) {
        (_, Value::Null, _) | (_, _, Value::Null) => Value::Null,
        (_, Value::Long(x), Value::Long(y)) => {
            let (x, y) = (*x, *y);
            match op {
                Add => Value::Long(x.wrapping_add(y)),
                Sub => Value::Long(x.wrapping_sub(y)),
                Mul => Value::Long(x.wrapping_mul(y)),
                Div if y == 0 => Value::Null,
                Div => Value::Long(x.wrapping_div(y)),
                Mod if y == 0 => Value::Null,
                Mod => Value::Long(x.wrapping_rem(y)),
            }
        }
        (Sub, Value::DateTime(x), Value::DateTime(y)) => {
            x.0.checked_sub(y.0).map_or(Value::Null, Value::Timespan)
        }
        (Add, Value::DateTime(t), Value::Timespan(s))
        | (Add, Value::Timespan(s), Value::DateTime(t)) => datetime(t.0.checked_add(*s)),
        (Sub, Value::DateTime(t), Value::Timespan(s)) => datetime(t.0.checked_sub(*s)),
        (_, Value::Timespan(x), Value::Timespan(y)) => match op {
            Add => x.checked_add(*y).map_or(Value::Null, Value::Timespan),
            Sub => x.checked_sub(*y).map_or(Value::Null, Value::Timespan),
            Div => Value::Real(*x as f64 / *y as f64),
            Mod if *y == 0 => Value::Null,
            Mod => Value::Timespan(x.wrapping_rem(*y)),
            Mul => Value::Null,
        },
        (Mul, Value::Timespan(t), n) | (Mul, n, Value::Timespan(t)) => match n {
            Value::Long(k) => t.checked_mul(*k).map_or(Value::Null, Value::Timespan),
            other => real_of(other).map_or(Value::Null, |k| span_of(*t as f64 * k)),
        },
        (Div, Value::Timespan(t), n) => match n {
            Value::Long(0) => Value::Null,
            Value::Long(k) => Value::Timespan(t.wrapping_div(*k)),
            other => real_of(other).map_or(Value::Null, |k| span_of(*t as f64 / k)),
        },
        _ => match (real_of(a), real_of(b)) {
            (Some(x), Some(y)) => Value::Real(match op {
                Add => x + y,
                Sub => x - y,
                Mul => x * y,
                Div => x / y,
                Mod => x % y,
            }),
            _ => Value::Null,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_with_times_and_nulls() {
        let t = Value::DateTime(Timestamp(10_000));
        assert_eq!(
            arith(Arith::Add, &t, &Value::Timespan(5)),
            Value::DateTime(Timestamp(10_005))
        );
        assert_eq!(arith(Arith::Sub, &t, &t), Value::Timespan(0));
        assert_eq!(
            arith(Arith::Div, &Value::Long(7), &Value::Long(2)),
            Value::Long(3)
        );
        assert_eq!(
            arith(Arith::Div, &Value::Long(-7), &Value::Long(2)),
            Value::Long(-3)
        );
        assert_eq!(
            arith(Arith::Mod, &Value::Long(-7), &Value::Long(3)),
            Value::Long(-1)
        );
        assert_eq!(
            arith(Arith::Div, &Value::Long(1), &Value::Long(0)),
            Value::Null
        );
        assert_eq!(
            arith(Arith::Div, &Value::Real(1.0), &Value::Long(0)),
            Value::Real(f64::INFINITY)
        );
        assert_eq!(
            arith(Arith::Add, &Value::Null, &Value::Long(1)),
            Value::Null
        );
        assert_eq!(
            arith(Arith::Mul, &Value::Timespan(1000), &Value::Real(1.5)),
            Value::Timespan(1500)
        );
        assert_eq!(
            arith(Arith::Div, &Value::Timespan(3000), &Value::Timespan(1000)),
            Value::Real(3.0)
        );
        assert_eq!(
            arith(
                Arith::Add,
                &Value::DateTime(Timestamp::MAX),
                &Value::Timespan(1)
            ),
            Value::Null
        );
        assert_eq!(
            arith(Arith::Add, &Value::Long(i64::MAX), &Value::Long(1)),
            Value::Long(i64::MIN)
        );
    }

    #[test]
    fn logic_is_three_valued() {
        let null = CExpr::Const(Value::Null);
        let t = CExpr::Const(Value::Bool(true));
        let f = CExpr::Const(Value::Bool(false));
        assert_eq!(
            truth(&CExpr::Or(vec![null.clone(), t.clone()]), &NoRow),
            Some(true)
        );
        assert_eq!(
            truth(&CExpr::Or(vec![null.clone(), f.clone()]), &NoRow),
            None
        );
        assert_eq!(
            truth(&CExpr::And(vec![null.clone(), f]), &NoRow),
            Some(false)
        );
        assert_eq!(truth(&CExpr::And(vec![null.clone(), t]), &NoRow), None);
        assert_eq!(truth(&CExpr::Not(Box::new(null)), &NoRow), None);
    }
}
