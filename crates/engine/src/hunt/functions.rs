//! The scalar functions: their names, the types they take and give, and what they compute.
//!
//! `iff`, `case`, `not`, `now` and `ago` are compiled by the typing pass itself (`iff` and
//! `case` evaluate only the branch they take, `now` is the run's own time); the aggregations
//! are in `aggregate`.

use super::value::{to_text, Cell, ColumnKind, Ty, Value};
use crate::time::Timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    ToLower,
    ToUpper,
    Strcat,
    Strlen,
    Substring,
    ToStr,
    ToLong,
    ToInt,
    ToReal,
    ToDateTime,
    IsEmpty,
    IsNotEmpty,
    IsNull,
    IsNotNull,
    Bin,
}

/// Every scalar function a query may call, for the module's documentation and error messages.
pub const SCALAR_FUNCTIONS: &[&str] = &[
    "ago",
    "now",
    "iff",
    "iif",
    "case",
    "not",
    "isempty",
    "isnotempty",
    "isnull",
    "isnotnull",
    "tolower",
    "toupper",
    "strcat",
    "strlen",
    "substring",
    "tostring",
    "toint",
    "tolong",
    "toreal",
    "todouble",
    "todatetime",
    "bin",
    "floor",
];

fn arity(name: &str, args: &[Ty], min: usize, max: usize) -> Result<(), String> {
    if args.len() < min || args.len() > max {
        let wanted = if min == max {
            format!("{min}")
        } else if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        let s = if max == 1 && min == 1 { "" } else { "s" };
        return Err(format!(
            "`{name}` takes {wanted} argument{s}, found {}",
            args.len()
        ));
    }
    Ok(())
}

fn want_text(name: &str, t: Ty) -> Result<(), String> {
    if t.is_text() {
        Ok(())
    } else {
        Err(format!(
            "`{name}` needs a string, found {}; convert it with tostring()",
            t.name()
        ))
    }
}

/// The function of that name and the type of its result for these argument types; `None`
/// when no scalar function has the name.
pub fn signature(name: &str, args: &[Ty]) -> Option<Result<(Func, Ty), String>> {
    let first = args.first().copied().unwrap_or(Ty::Unknown);
    let result = match name {
        "tolower" | "toupper" => arity(name, args, 1, 1).and_then(|()| {
            want_text(name, first)?;
            let f = if name == "tolower" {
                Func::ToLower
            } else {
                Func::ToUpper
            };
            Ok((f, Ty::STRING))
        }),
        "strcat" => arity(name, args, 1, 64).map(|()| (Func::Strcat, Ty::STRING)),
        "strlen" => arity(name, args, 1, 1)
            .and_then(|()| want_text(name, first))
            .map(|()| (Func::Strlen, Ty::LONG)),
        "substring" => arity(name, args, 2, 3).and_then(|()| {
            want_text(name, first)?;
            if args.iter().skip(1).any(|t| !t.fits(ColumnKind::Long)) {
                return Err("`substring` takes a string, a start and a length, both long".into());
            }
            Ok((Func::Substring, Ty::STRING))
        }),
        "tostring" => arity(name, args, 1, 1).map(|()| (Func::ToStr, Ty::STRING)),
        "tolong" | "toint" | "toreal" | "todouble" => arity(name, args, 1, 1).and_then(|()| {
            if matches!(first, Ty::DATETIME | Ty::TIMESPAN) {
                return Err(format!(
                    "`{name}` of a {} counts 100-nanosecond ticks in Kusto; divide by 1ms or 1s instead",
                    first.name()
                ));
            }
            Ok(match name {
                "tolong" => (Func::ToLong, Ty::LONG),
                "toint" => (Func::ToInt, Ty::LONG),
                _ => (Func::ToReal, Ty::REAL),
            })
        }),
        "todatetime" => arity(name, args, 1, 1).and_then(|()| {
            if first.is_text() || first == Ty::DATETIME {
                Ok((Func::ToDateTime, Ty::DATETIME))
            } else {
                Err(format!("`todatetime` needs a string, found {}", first.name()))
            }
        }),
        "isempty" | "isnotempty" | "isnull" | "isnotnull" => {
            arity(name, args, 1, 1).map(|()| {
                let f = match name {
                    "isempty" => Func::IsEmpty,
                    "isnotempty" => Func::IsNotEmpty,
                    "isnull" => Func::IsNull,
                    _ => Func::IsNotNull,
                };
                (f, Ty::BOOL)
            })
        }
        "bin" | "floor" => arity(name, args, 2, 2).and_then(|()| bin_type(name, args)),
        _ => return None,
    };
    Some(result)
}

fn bin_type(name: &str, args: &[Ty]) -> Result<(Func, Ty), String> {
    let (value, size) = match args {
        [v, s] => (*v, *s),
        _ => return Err(format!("`{name}` takes a value and a bin size")),
    };
    let ty = match (value, size) {
        (Ty::Unknown, _) => Ty::Unknown,
        (Ty::DATETIME, Ty::TIMESPAN | Ty::Unknown) => Ty::DATETIME,
        (Ty::TIMESPAN, Ty::TIMESPAN | Ty::Unknown) => Ty::TIMESPAN,
        (Ty::LONG, Ty::LONG | Ty::Unknown) => Ty::LONG,
        (Ty::LONG | Ty::REAL, Ty::LONG | Ty::REAL | Ty::Unknown) => Ty::REAL,
        (v, s) => {
            return Err(format!(
                "`{name}` cannot bin a {} by a {}: bin a datetime by a timespan (bin(Timestamp, 1d)) or a number by a number",
                v.name(),
                s.name()
            ))
        }
    };
    Ok((Func::Bin, ty))
}

/// A string read as a long: an integer, or a real truncated toward zero.
fn parse_long(text: &str) -> Option<i64> {
    let t = text.trim();
    t.parse::<i64>()
        .ok()
        .or_else(|| real_to_long(t.parse::<f64>().ok()?))
}

fn real_to_long(r: f64) -> Option<i64> {
    // Beyond ±2^63 the conversion would saturate, which is not the number written.
    (r.is_finite() && r.abs() < 9.2e18).then(|| r.trunc() as i64)
}

fn to_long(v: &Value<'_>) -> Option<i64> {
    match v {
        Value::Long(n) => Some(*n),
        Value::Real(r) => real_to_long(*r),
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Str(_) | Value::Dynamic(_) => parse_long(&v.text()),
        _ => None,
    }
}

fn to_real(v: &Value<'_>) -> Option<f64> {
    match v {
        Value::Long(n) => Some(*n as f64),
        Value::Real(r) => Some(*r),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Str(_) | Value::Dynamic(_) => v.text().trim().parse().ok(),
        _ => None,
    }
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Cell) -> Cell {
    v.map_or(Value::Null, f)
}

/// Computes a function over evaluated arguments (whose number and types the signature
/// checked).
pub fn apply(f: Func, args: &[Value<'_>]) -> Cell {
    let arg = |i: usize| args.get(i).unwrap_or(&Value::Null);
    match f {
        Func::ToLower => Value::string(arg(0).text().to_lowercase()),
        Func::ToUpper => Value::string(arg(0).text().to_uppercase()),
        Func::Strcat => {
            let mut out = String::new();
            for a in args {
                out.push_str(&a.text());
            }
            Value::string(out)
        }
        Func::Strlen => {
            let n = arg(0).text().chars().count();
            Value::Long(i64::try_from(n).unwrap_or(i64::MAX))
        }
        Func::Substring => substring(arg(0), arg(1), args.get(2)),
        Func::ToStr => Value::string(to_text(arg(0))),
        Func::ToLong => opt(to_long(arg(0)), Value::Long),
        Func::ToInt => opt(
            to_long(arg(0)).filter(|n| i32::try_from(*n).is_ok()),
            Value::Long,
        ),
        Func::ToReal => opt(to_real(arg(0)), Value::Real),
        Func::ToDateTime => match arg(0) {
            Value::DateTime(t) => Value::DateTime(*t),
            v @ (Value::Str(_) | Value::Dynamic(_)) => {
                opt(Timestamp::parse(&v.text()), Value::DateTime)
            }
            _ => Value::Null,
        },
        Func::IsEmpty => Value::Bool(arg(0).is_empty()),
        Func::IsNotEmpty => Value::Bool(!arg(0).is_empty()),
        Func::IsNull => Value::Bool(arg(0).is_null()),
        Func::IsNotNull => Value::Bool(!arg(0).is_null()),
        Func::Bin => bin(arg(0), arg(1)),
    }
}

fn substring(s: &Value<'_>, start: &Value<'_>, length: Option<&Value<'_>>) -> Cell {
    let text = s.text();
    let Value::Long(start) = start else {
        return Value::string(String::new());
    };
    let start = usize::try_from((*start).max(0)).unwrap_or(usize::MAX);
    let chars = text.chars().skip(start);
    let out: String = match length {
        None => chars.collect(),
        Some(Value::Long(n)) => chars
            .take(usize::try_from((*n).max(0)).unwrap_or(usize::MAX))
            .collect(),
        Some(_) => String::new(),
    };
    Value::string(out)
}

/// `bin(value, size)`: the value rounded down to a multiple of the size; null for a size
/// that is not positive.
fn bin(v: &Value<'_>, size: &Value<'_>) -> Cell {
    let whole = |n: i64, s: i64| (s > 0).then(|| n.div_euclid(s).saturating_mul(s));
    match (v, size) {
        (Value::Long(n), Value::Long(s)) => opt(whole(*n, *s), Value::Long),
        (Value::DateTime(t), Value::Timespan(s)) => {
            opt(whole(t.0, *s), |ms| Value::DateTime(Timestamp(ms)))
        }
        (Value::Timespan(t), Value::Timespan(s)) => opt(whole(*t, *s), Value::Timespan),
        _ => match (to_real_number(v), to_real_number(size)) {
            (Some(x), Some(s)) if s > 0.0 => Value::Real((x / s).floor() * s),
            _ => Value::Null,
        },
    }
}

fn to_real_number(v: &Value<'_>) -> Option<f64> {
    match v {
        Value::Long(n) => Some(*n as f64),
        Value::Real(r) => Some(*r),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: &[Value<'_>]) -> Cell {
        let types: Vec<Ty> = args
            .iter()
            .map(|a| match a {
                Value::Null => Ty::Unknown,
                Value::Bool(_) => Ty::BOOL,
                Value::Long(_) => Ty::LONG,
                Value::Real(_) => Ty::REAL,
                Value::DateTime(_) => Ty::DATETIME,
                Value::Timespan(_) => Ty::TIMESPAN,
                Value::Str(_) => Ty::STRING,
                Value::Dynamic(_) => Ty::DYNAMIC,
            })
            .collect();
        let (f, _) = signature(name, &types).unwrap().unwrap();
        apply(f, args)
    }

    #[test]
    fn conversions() {
        assert_eq!(call("tolong", &[Value::str("-12")]), Value::Long(-12));
        assert_eq!(call("tolong", &[Value::str("12.7")]), Value::Long(12));
        assert_eq!(call("toint", &[Value::str("abc")]), Value::Null);
        assert_eq!(call("toint", &[Value::str("3000000000")]), Value::Null);
        assert_eq!(
            call("tolong", &[Value::str("3000000000")]),
            Value::Long(3_000_000_000)
        );
        assert_eq!(call("toint", &[Value::Real(2.9)]), Value::Long(2));
        assert_eq!(call("toreal", &[Value::Long(3)]), Value::Real(3.0));
        assert_eq!(call("tostring", &[Value::Null]), Value::str(""));
        assert_eq!(call("tostring", &[Value::Long(4)]), Value::str("4"));
        assert_eq!(
            call("todatetime", &[Value::str("2024-01-02")]),
            Value::DateTime(Timestamp::parse("2024-01-02").unwrap())
        );
    }

    #[test]
    fn strings() {
        assert_eq!(call("tolower", &[Value::str("AbC")]), Value::str("abc"));
        assert_eq!(
            call("toupper", &[Value::str("straße")]),
            Value::str("STRASSE")
        );
        assert_eq!(
            call(
                "strcat",
                &[
                    Value::str("a"),
                    Value::Long(1),
                    Value::Null,
                    Value::Bool(true)
                ]
            ),
            Value::str("a1True")
        );
        assert_eq!(call("strlen", &[Value::str("héllo")]), Value::Long(5));
        assert_eq!(
            call(
                "substring",
                &[Value::str("abcdef"), Value::Long(2), Value::Long(3)]
            ),
            Value::str("cde")
        );
        assert_eq!(
            call("substring", &[Value::str("abc"), Value::Long(5)]),
            Value::str("")
        );
    }

    #[test]
    fn bins_round_down() {
        assert_eq!(
            call("bin", &[Value::Long(7), Value::Long(5)]),
            Value::Long(5)
        );
        assert_eq!(
            call("bin", &[Value::Long(-1), Value::Long(5)]),
            Value::Long(-5)
        );
        assert_eq!(
            call("bin", &[Value::Real(7.5), Value::Real(2.0)]),
            Value::Real(6.0)
        );
        assert_eq!(call("bin", &[Value::Long(7), Value::Long(0)]), Value::Null);
        let t = Timestamp::parse("2024-01-02T13:14:15Z").unwrap();
        assert_eq!(
            call(
                "bin",
                &[Value::DateTime(t), Value::Timespan(crate::time::DAY_MS)]
            ),
            Value::DateTime(Timestamp::parse("2024-01-02").unwrap())
        );
    }

    #[test]
    fn wrong_types_are_refused_with_a_reason() {
        let e = signature("tolower", &[Ty::LONG]).unwrap().unwrap_err();
        assert!(e.contains("needs a string"), "{e}");
        let e = signature("tolong", &[Ty::TIMESPAN]).unwrap().unwrap_err();
        assert!(e.contains("ticks"), "{e}");
        let e = signature("bin", &[Ty::STRING, Ty::LONG])
            .unwrap()
            .unwrap_err();
        assert!(e.contains("cannot bin"), "{e}");
        let e = signature("strlen", &[]).unwrap().unwrap_err();
        assert_eq!(e, "`strlen` takes 1 argument, found 0");
        assert!(signature("frob", &[]).is_none());
    }
}
