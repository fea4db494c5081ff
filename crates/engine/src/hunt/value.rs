//! The values a query computes with: their kinds, how they compare, order, hash and print.
//!
//! A value read from a table borrows its text (`Value<'a>`), so a scan over a million rows
//! copies no string; a value kept after the scan (a group key, a result cell) is a `Cell`,
//! the same type owning its text.

use crate::time::{Timestamp, DAY_MS, HOUR_MS, MINUTE_MS};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt::Write;

/// The type of a column, as Advanced hunting names it.
///
/// Kusto's `int` and `long` are both `Long` here, and `double` is `Real`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    String,
    Long,
    Real,
    Bool,
    DateTime,
    Timespan,
    Dynamic,
}

impl ColumnKind {
    /// The name Kusto gives the type (`string`, `long`, `datetime`…).
    pub fn name(self) -> &'static str {
        match self {
            ColumnKind::String => "string",
            ColumnKind::Long => "long",
            ColumnKind::Real => "real",
            ColumnKind::Bool => "bool",
            ColumnKind::DateTime => "datetime",
            ColumnKind::Timespan => "timespan",
            ColumnKind::Dynamic => "dynamic",
        }
    }
}

/// The type of an expression as the compiler sees it: a kind, or unknown, which is what a
/// column of a table that is not in these exports has (the query is then run over no rows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Known(ColumnKind),
    Unknown,
}

impl Ty {
    pub const STRING: Ty = Ty::Known(ColumnKind::String);
    pub const LONG: Ty = Ty::Known(ColumnKind::Long);
    pub const REAL: Ty = Ty::Known(ColumnKind::Real);
    pub const BOOL: Ty = Ty::Known(ColumnKind::Bool);
    pub const DATETIME: Ty = Ty::Known(ColumnKind::DateTime);
    pub const TIMESPAN: Ty = Ty::Known(ColumnKind::Timespan);
    pub const DYNAMIC: Ty = Ty::Known(ColumnKind::Dynamic);

    /// Whether a value of this type can stand where `kind` is wanted.
    pub fn fits(self, kind: ColumnKind) -> bool {
        self == Ty::Unknown || self == Ty::Known(kind)
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, Ty::Unknown | Ty::LONG | Ty::REAL)
    }

    /// Strings, and dynamic values read as their text.
    pub fn is_text(self) -> bool {
        matches!(self, Ty::Unknown | Ty::STRING | Ty::DYNAMIC)
    }

    /// The kind a result column of this type gets; unknown columns (which hold no rows) are
    /// given as strings.
    pub fn kind(self) -> ColumnKind {
        match self {
            Ty::Known(k) => k,
            Ty::Unknown => ColumnKind::String,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Ty::Known(k) => k.name(),
            Ty::Unknown => "unknown",
        }
    }
}

/// One value. Strings are never null in Kusto: a missing string is `Str("")`.
#[derive(Clone, Debug)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Long(i64),
    Real(f64),
    DateTime(Timestamp),
    /// Milliseconds, the precision of the exports' time stamps.
    Timespan(i64),
    Str(Cow<'a, str>),
    /// JSON text (an array, an object or a scalar), as `AdditionalFields` holds.
    Dynamic(Cow<'a, str>),
}

/// A value that owns its text: a result cell, a group key.
pub type Cell = Value<'static>;

impl PartialEq for Value<'_> {
    /// Structural equality, for tests and grouping: `NaN` equals `NaN` here, unlike `==` in a
    /// query (see `equals`).
    fn eq(&self, other: &Self) -> bool {
        same(self, other)
    }
}

impl<'a> Value<'a> {
    pub fn str(text: &'a str) -> Value<'a> {
        Value::Str(Cow::Borrowed(text))
    }

    pub fn string(text: String) -> Cell {
        Value::Str(Cow::Owned(text))
    }

    /// The same value, borrowing this one's text.
    pub fn reborrow(&self) -> Value<'_> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(*b),
            Value::Long(n) => Value::Long(*n),
            Value::Real(r) => Value::Real(*r),
            Value::DateTime(t) => Value::DateTime(*t),
            Value::Timespan(t) => Value::Timespan(*t),
            Value::Str(s) => Value::Str(Cow::Borrowed(s)),
            Value::Dynamic(s) => Value::Dynamic(Cow::Borrowed(s)),
        }
    }

    /// The same value owning its text.
    pub fn into_owned(self) -> Cell {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Long(n) => Value::Long(n),
            Value::Real(r) => Value::Real(r),
            Value::DateTime(t) => Value::DateTime(t),
            Value::Timespan(t) => Value::Timespan(t),
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Dynamic(s) => Value::Dynamic(Cow::Owned(s.into_owned())),
        }
    }

    /// `isnull()`: only null; a string is never null.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// `isempty()`: null, an empty string, or a dynamic value that is null or empty text.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Str(s) => s.is_empty(),
            Value::Dynamic(s) => s.is_empty() || s.as_ref() == "null",
            _ => false,
        }
    }

    /// The text string operators see: a string as it is, dynamic JSON text with a JSON
    /// string unquoted, anything else as `tostring()` writes it.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Str(s) => Cow::Borrowed(s.as_ref()),
            Value::Dynamic(s) => dynamic_text(s),
            other => Cow::Owned(to_text(other)),
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Long(n) => Some(*n as f64),
            Value::Real(r) => Some(*r),
            _ => None,
        }
    }
}

/// A dynamic value as text: a JSON string without its quotes, null as nothing, anything else
/// as its JSON text.
fn dynamic_text(json: &str) -> Cow<'_, str> {
    let t = json.trim();
    if t == "null" {
        return Cow::Borrowed("");
    }
    if t.starts_with('"') {
        if let Ok(s) = serde_json::from_str::<String>(t) {
            return Cow::Owned(s);
        }
    }
    Cow::Borrowed(json)
}

/// `tostring()`: Kusto's text for each kind. Null is the empty string.
pub fn to_text(v: &Value<'_>) -> String {
    match v {
        Value::Null => String::new(),
        // .NET's spelling, which Kusto keeps.
        Value::Bool(b) => if *b { "True" } else { "False" }.to_owned(),
        Value::Long(n) => n.to_string(),
        Value::Real(r) => real_text(*r),
        Value::DateTime(t) => datetime_text(*t),
        Value::Timespan(ms) => timespan_text(*ms),
        Value::Str(s) => s.to_string(),
        Value::Dynamic(s) => dynamic_text(s).into_owned(),
    }
}

/// A real as Kusto writes it: shortest round-trip digits, `NaN`, `Infinity`, `-Infinity`.
pub fn real_text(r: f64) -> String {
    if r.is_nan() {
        "NaN".to_owned()
    } else if r.is_infinite() {
        if r > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        r.to_string()
    }
}

/// `2024-01-02T03:04:05.1230000Z`: Kusto's text for a datetime, seven fraction digits.
pub fn datetime_text(t: Timestamp) -> String {
    let iso = t.to_string();
    // `Timestamp` writes milliseconds (`.123Z`); Kusto writes ticks of 100 ns.
    match iso.strip_suffix('Z') {
        Some(head) => format!("{head}0000Z"),
        None => iso,
    }
}

/// `[-][d.]hh:mm:ss[.fffffff]`: Kusto's text for a timespan.
pub fn timespan_text(ms: i64) -> String {
    let mut out = String::new();
    if ms < 0 {
        out.push('-');
    }
    let total = ms.unsigned_abs();
    let day = DAY_MS.unsigned_abs();
    let (days, rest) = (total / day, total % day);
    if days > 0 {
        let _ = write!(out, "{days}.");
    }
    let hours = rest / HOUR_MS.unsigned_abs();
    let minutes = rest % HOUR_MS.unsigned_abs() / MINUTE_MS.unsigned_abs();
    let seconds = rest % MINUTE_MS.unsigned_abs() / 1000;
    let millis = rest % 1000;
    let _ = write!(out, "{hours:02}:{minutes:02}:{seconds:02}");
    if millis > 0 {
        let _ = write!(out, ".{millis:03}0000");
    }
    out
}

/// Structural sameness: the equality of group keys and of `distinct`. Null is the same as
/// null, NaN as NaN, and `0.0` as `-0.0`.
pub fn same(a: &Value<'_>, b: &Value<'_>) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Long(x), Value::Long(y)) => x == y,
        (Value::Real(x), Value::Real(y)) => real_bits(*x) == real_bits(*y),
        (Value::DateTime(x), Value::DateTime(y)) => x == y,
        (Value::Timespan(x), Value::Timespan(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Dynamic(x), Value::Dynamic(y)) => x == y,
        _ => false,
    }
}

/// The bits a real is grouped and hashed by: every NaN alike, `-0.0` as `0.0`.
fn real_bits(r: f64) -> u64 {
    if r.is_nan() {
        f64::NAN.to_bits()
    } else if r == 0.0 {
        0
    } else {
        r.to_bits()
    }
}

/// `==` in a query, with Kusto's nulls: null and a value are unequal (false), two nulls give
/// null. A long and a real compare as reals.
pub fn equals(a: &Value<'_>, b: &Value<'_>) -> Option<bool> {
    match (a, b) {
        (Value::Null, Value::Null) => None,
        (Value::Null, _) | (_, Value::Null) => Some(false),
        (Value::Str(x), Value::Str(y)) => Some(x == y),
        (Value::Dynamic(_), _) | (_, Value::Dynamic(_)) => Some(a.text() == b.text()),
        (Value::Real(_), _) | (_, Value::Real(_)) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => Some(x == y),
            _ => Some(false),
        },
        _ => Some(same(a, b)),
    }
}

/// `<`, `>`… in a query: null when either side is null or NaN, or when the two cannot be
/// ordered.
pub fn compare(a: &Value<'_>, b: &Value<'_>) -> Option<Ordering> {
    match (a, b) {
        (Value::Long(x), Value::Long(y)) => Some(x.cmp(y)),
        (Value::DateTime(x), Value::DateTime(y)) => Some(x.cmp(y)),
        (Value::Timespan(x), Value::Timespan(y)) => Some(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Some(x.as_ref().cmp(y.as_ref())),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Dynamic(_), Value::Dynamic(_) | Value::Str(_))
        | (Value::Str(_), Value::Dynamic(_)) => Some(a.text().cmp(&b.text())),
        _ => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => None,
        },
    }
}

/// The order of `sort` and `top` between two values that are not null or NaN. Values that
/// cannot be compared (which typing rules out within one column) are equal.
pub fn order(a: &Value<'_>, b: &Value<'_>) -> Ordering {
    compare(a, b).unwrap_or(Ordering::Equal)
}

/// Whether a sort puts the value with the nulls: null itself and NaN.
pub fn sorts_as_null(v: &Value<'_>) -> bool {
    match v {
        Value::Null => true,
        Value::Real(r) => r.is_nan(),
        _ => false,
    }
}

/// A fast hash, consistent with [`same`]: group keys and distinct values are hashed once per
/// row, so SipHash's protection against chosen keys costs more than it buys here.
pub fn hash_value(v: &Value<'_>, h: &mut u64) {
    let (tag, word) = match v {
        Value::Null => (0, 0),
        Value::Bool(b) => (1, u64::from(*b)),
        Value::Long(n) => (2, *n as u64),
        Value::Real(r) => (3, real_bits(*r)),
        Value::DateTime(t) => (4, t.0 as u64),
        Value::Timespan(t) => (5, *t as u64),
        Value::Str(s) => (6, hash_bytes(s.as_bytes())),
        Value::Dynamic(s) => (7, hash_bytes(s.as_bytes())),
    };
    mix(h, tag);
    mix(h, word);
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

fn mix(h: &mut u64, word: u64) {
    *h = (h.rotate_left(5) ^ word).wrapping_mul(SEED);
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        mix(&mut h, u64::from_le_bytes(word));
    }
    let mut last = [0u8; 8];
    let rest = chunks.remainder();
    last[..rest.len()].copy_from_slice(rest);
    mix(&mut h, u64::from_le_bytes(last));
    h
}

/// A value as JSON: numbers as numbers (a non-finite real as its text), times as text,
/// dynamic values as the JSON they hold.
pub fn to_json(v: &Value<'_>) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Long(n) => J::from(*n),
        Value::Real(r) => serde_json::Number::from_f64(*r)
            .map(J::Number)
            .unwrap_or_else(|| J::String(real_text(*r))),
        Value::DateTime(t) => J::String(t.to_string()),
        Value::Timespan(ms) => J::String(timespan_text(*ms)),
        Value::Str(s) => J::String(s.to_string()),
        Value::Dynamic(s) => serde_json::from_str(s).unwrap_or_else(|_| J::String(s.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_compare_as_kusto_says() {
        assert_eq!(equals(&Value::Null, &Value::Long(1)), Some(false));
        assert_eq!(equals(&Value::Null, &Value::Null), None);
        assert_eq!(equals(&Value::Long(2), &Value::Real(2.0)), Some(true));
        assert_eq!(compare(&Value::Null, &Value::Long(1)), None);
        assert_eq!(
            equals(&Value::Real(f64::NAN), &Value::Real(f64::NAN)),
            Some(false)
        );
        assert!(same(&Value::Real(f64::NAN), &Value::Real(f64::NAN)));
    }

    #[test]
    fn texts_follow_kusto() {
        assert_eq!(to_text(&Value::Real(2.0)), "2");
        assert_eq!(to_text(&Value::Real(1.5)), "1.5");
        assert_eq!(to_text(&Value::Bool(true)), "True");
        assert_eq!(
            to_text(&Value::DateTime(Timestamp(1_704_103_200_123))),
            "2024-01-01T10:00:00.1230000Z"
        );
        assert_eq!(timespan_text(DAY_MS + 2 * HOUR_MS), "1.02:00:00");
        assert_eq!(timespan_text(90 * MINUTE_MS), "01:30:00");
        assert_eq!(timespan_text(-1500), "-00:00:01.5000000");
        assert_eq!(to_text(&Value::Dynamic("\"a\\\"b\"".into())), "a\"b");
        assert_eq!(to_text(&Value::Dynamic("[1,2]".into())), "[1,2]");
    }

    #[test]
    fn equal_values_hash_alike() {
        let h = |v: &Value<'_>| {
            let mut h = 0;
            hash_value(v, &mut h);
            h
        };
        assert_eq!(h(&Value::Real(0.0)), h(&Value::Real(-0.0)));
        assert_eq!(h(&Value::str("abc")), h(&Value::string("abc".to_owned())));
        assert_ne!(h(&Value::str("abc")), h(&Value::str("abd")));
        assert_ne!(h(&Value::Long(1)), h(&Value::Bool(true)));
    }

    #[test]
    fn json_keeps_dynamic_values_as_json() {
        assert_eq!(
            to_json(&Value::Dynamic("[1,\"a\"]".into())).to_string(),
            "[1,\"a\"]"
        );
        assert_eq!(
            to_json(&Value::Real(f64::INFINITY)).to_string(),
            "\"Infinity\""
        );
        assert_eq!(to_json(&Value::Null).to_string(), "null");
    }
}
