//! A syntax tree back to KQL text that parses to the same tree: parentheses only where the
//! precedence needs them, names quoted (`['…']`) where they are not plain words or would be
//! read as keywords, literals in a form the lexer reads back exactly.

use super::ast::{
    Assignment, Expr, ExprKind, LetValue, Literal, Name, Nulls, Operator, OperatorKind, Order,
    Pattern, Pipeline, Query, SortKey, Source, Statement, PREC_COMPARE, PREC_UNARY,
};
use super::value::{timespan_text, ColumnKind};
use crate::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use std::fmt::{self, Display, Write};

/// Words the parser reads as keywords in some position: a column with one of these names is
/// written quoted.
const RESERVED: &[&str] = &[
    "and",
    "or",
    "true",
    "false",
    "by",
    "asc",
    "desc",
    "nulls",
    "in",
    "between",
    "has_any",
    "has_all",
    "matches",
    "regex",
    "has_cs_any",
    "startswith_any",
    "search",
    "print",
    "let",
    "kind",
    "with",
];

const STRING_OPERATORS: &[&str] = &[
    "has",
    "hasprefix",
    "hassuffix",
    "contains",
    "startswith",
    "endswith",
];

/// A name as it must be written: plain when it is a plain word and no keyword, else quoted.
pub fn name_text(name: &str) -> String {
    let mut chars = name.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    let reserved = RESERVED.contains(&name)
        || STRING_OPERATORS
            .iter()
            .any(|w| name == *w || name.strip_suffix("_cs") == Some(w));
    // `h"…"` is a string, so a column named `h` or `H` before a quote would be misread; a
    // name is never followed by a quote, but quoting costs nothing.
    if plain && !reserved && name != "h" && name != "H" {
        name.to_owned()
    } else {
        format!("[{}]", string_text(name))
    }
}

/// A string literal: double quotes, with the escapes the lexer reads.
pub fn string_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn literal_text(l: &Literal) -> String {
    match l {
        Literal::Null(kind) => match kind {
            ColumnKind::String => "\"\"".to_owned(),
            k => format!("{}(null)", k.name()),
        },
        Literal::Bool(b) => b.to_string(),
        Literal::Long(n) if *n < 0 => format!("long({n})"),
        Literal::Long(n) => n.to_string(),
        Literal::Real(r) if r.is_nan() => "real(nan)".to_owned(),
        Literal::Real(r) if r.is_infinite() => {
            if *r > 0.0 { "real(+inf)" } else { "real(-inf)" }.to_owned()
        }
        Literal::Real(r) if r.is_sign_negative() => format!("real({r:?})"),
        Literal::Real(r) => format!("{r:?}"),
        Literal::Str(s) => string_text(s),
        Literal::DateTime(t) => format!("datetime({t})"),
        Literal::Timespan(ms) if *ms < 0 => format!("timespan({})", timespan_text(*ms)),
        Literal::Timespan(ms) => {
            let ms = *ms;
            let unit = [(DAY_MS, "d"), (HOUR_MS, "h"), (MINUTE_MS, "m"), (1000, "s")]
                .into_iter()
                .find(|(len, _)| ms % len == 0);
            match unit {
                Some((len, u)) => format!("{}{u}", ms / len),
                None => format!("{ms}ms"),
            }
        }
    }
}

fn write_wrapped(out: &mut String, e: &Expr, wrap: bool) {
    if wrap {
        out.push('(');
        write_expr(out, e);
        out.push(')');
    } else {
        write_expr(out, e);
    }
}

fn write_list(out: &mut String, items: &[Expr]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_expr(out, item);
    }
}

pub fn write_expr(out: &mut String, e: &Expr) {
    let p = e.precedence();
    match &e.kind {
        ExprKind::Literal(l) => out.push_str(&literal_text(l)),
        ExprKind::Name(n) => out.push_str(&name_text(n)),
        ExprKind::Star => out.push('*'),
        ExprKind::Call { name, args } => {
            out.push_str(name);
            out.push('(');
            write_list(out, args);
            out.push(')');
        }
        ExprKind::Negate(x) => {
            out.push('-');
            write_wrapped(out, x, x.precedence() < PREC_UNARY);
        }
        ExprKind::Binary { op, left, right } => {
            write_wrapped(out, left, left.precedence() < p);
            let _ = write!(out, " {} ", op.text());
            write_wrapped(out, right, right.precedence() <= p);
        }
        ExprKind::Logical { op, operands } => {
            let word = match op {
                super::ast::LogicalOp::And => " and ",
                super::ast::LogicalOp::Or => " or ",
            };
            for (i, x) in operands.iter().enumerate() {
                if i > 0 {
                    out.push_str(word);
                }
                write_wrapped(out, x, x.precedence() <= p);
            }
        }
        ExprKind::List {
            value,
            op,
            negated,
            list,
        } => {
            write_wrapped(out, value, value.precedence() < PREC_COMPARE);
            let _ = write!(out, " {}{} (", if *negated { "!" } else { "" }, op.word());
            write_list(out, list);
            out.push(')');
        }
        ExprKind::Between {
            value,
            low,
            high,
            negated,
        } => {
            write_wrapped(out, value, value.precedence() < PREC_COMPARE);
            out.push_str(if *negated {
                " !between ("
            } else {
                " between ("
            });
            write_expr(out, low);
            out.push_str(" .. ");
            write_expr(out, high);
            out.push(')');
        }
    }
}

fn write_assignments(out: &mut String, list: &[Assignment]) {
    for (i, a) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if let Some(n) = &a.name {
            let _ = write!(out, "{} = ", name_text(&n.text));
        }
        write_expr(out, &a.expr);
    }
}

fn write_patterns(out: &mut String, list: &[Pattern]) {
    for (i, p) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if p.wildcard {
            out.push_str(&p.text);
        } else {
            out.push_str(&name_text(&p.text));
        }
    }
}

fn write_names(out: &mut String, list: &[Name]) {
    for (i, n) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&name_text(&n.text));
    }
}

fn write_sort_key(out: &mut String, k: &SortKey) {
    write_expr(out, &k.expr);
    match k.order {
        Some(Order::Asc) => out.push_str(" asc"),
        Some(Order::Desc) => out.push_str(" desc"),
        None => {}
    }
    match k.nulls {
        Some(Nulls::First) => out.push_str(" nulls first"),
        Some(Nulls::Last) => out.push_str(" nulls last"),
        None => {}
    }
}

fn write_operator(out: &mut String, op: &Operator) {
    match &op.kind {
        OperatorKind::Where(e) => {
            out.push_str("where ");
            write_expr(out, e);
        }
        OperatorKind::Project(list) => {
            out.push_str("project ");
            write_assignments(out, list);
        }
        OperatorKind::Extend(list) => {
            out.push_str("extend ");
            write_assignments(out, list);
        }
        OperatorKind::ProjectAway(list) => {
            out.push_str("project-away ");
            write_patterns(out, list);
        }
        OperatorKind::ProjectKeep(list) => {
            out.push_str("project-keep ");
            write_patterns(out, list);
        }
        OperatorKind::ProjectReorder(list) => {
            out.push_str("project-reorder ");
            write_patterns(out, list);
        }
        OperatorKind::ProjectRename(pairs) => {
            out.push_str("project-rename ");
            for (i, (new, old)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{} = {}", name_text(&new.text), name_text(&old.text));
            }
        }
        OperatorKind::Summarize { aggregates, by } => {
            out.push_str("summarize");
            if !aggregates.is_empty() {
                out.push(' ');
                write_assignments(out, aggregates);
            }
            if !by.is_empty() {
                out.push_str(" by ");
                write_assignments(out, by);
            }
        }
        OperatorKind::Sort(keys) => {
            out.push_str("sort by ");
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_sort_key(out, k);
            }
        }
        OperatorKind::Take(e) => {
            out.push_str("take ");
            write_expr(out, e);
        }
        OperatorKind::Top { count, key } => {
            out.push_str("top ");
            write_expr(out, count);
            out.push_str(" by ");
            write_sort_key(out, key);
        }
        OperatorKind::Count => out.push_str("count"),
        OperatorKind::Distinct(names) if names.is_empty() => out.push_str("distinct *"),
        OperatorKind::Distinct(names) => {
            out.push_str("distinct ");
            write_names(out, names);
        }
        OperatorKind::Render(chart) => {
            out.push_str("render ");
            out.push_str(&name_text(&chart.text));
        }
    }
}

fn write_pipeline(out: &mut String, p: &Pipeline) {
    match &p.source {
        Source::Table(name) => out.push_str(&name_text(&name.text)),
        Source::Search {
            tables, predicate, ..
        } => {
            out.push_str("search ");
            if let Some(tables) = tables {
                out.push_str("in (");
                write_names(out, tables);
                out.push_str(") ");
            }
            write_expr(out, predicate);
        }
        Source::Print { columns, .. } => {
            out.push_str("print ");
            write_assignments(out, columns);
        }
    }
    for op in &p.operators {
        out.push_str("\n| ");
        write_operator(out, op);
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        for (i, s) in self.statements.iter().enumerate() {
            if i > 0 {
                out.push_str(";\n");
            }
            match s {
                Statement::Let { name, value } => {
                    let _ = write!(out, "let {} = ", name_text(&name.text));
                    match value {
                        LetValue::Scalar(e) => write_expr(&mut out, e),
                        LetValue::Tabular(p) => write_pipeline(&mut out, p),
                    }
                }
                Statement::Tabular(p) => write_pipeline(&mut out, p),
            }
        }
        f.write_str(&out)
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_expr(&mut out, self);
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::operators::parse;

    fn round_trip(src: &str) -> String {
        let q = parse(src).unwrap();
        let printed = q.to_string();
        let again = parse(&printed).unwrap_or_else(|e| panic!("{printed}\n{e}"));
        assert_eq!(again, q, "{printed}");
        printed
    }

    #[test]
    fn parentheses_only_where_needed() {
        assert_eq!(
            round_trip("T | where (a + b) * c > 1"),
            "T\n| where (a + b) * c > 1"
        );
        assert_eq!(
            round_trip("T | where a - (b - c) == 0"),
            "T\n| where a - (b - c) == 0"
        );
        assert_eq!(
            round_trip("T | where a or (b and c)"),
            "T\n| where a or b and c"
        );
        assert_eq!(
            round_trip("T | where (a or b) and c"),
            "T\n| where (a or b) and c"
        );
        assert_eq!(
            round_trip("T | where a and (b and c)"),
            "T\n| where a and (b and c)"
        );
        assert_eq!(round_trip("print -(1 + 2)"), "print -(1 + 2)");
    }

    #[test]
    fn literals_come_back_exactly() {
        round_trip(
            "print 1.0, 1e300, 0.1, long(-5), real(-0.5), real(nan), real(-inf), long(null)",
        );
        round_trip("print 1d, 90m, 1500ms, 36h, timespan(-01:00), timespan(null), datetime(null)");
        round_trip(r#"print datetime(2020-06-02T02:06:47.1167157Z), 'it\'s', "a\"b\\\n", @'C:\x'"#);
        round_trip("print x = true, y = bool(null), z = real(3)");
    }

    #[test]
    fn awkward_names_are_quoted() {
        assert_eq!(
            round_trip("T | project ['a b'], ['by'], ['has'], ['$table'], ['h'], x_cs"),
            "T\n| project [\"a b\"], [\"by\"], [\"has\"], $table, [\"h\"], x_cs"
        );
        round_trip("['search'] | project-away ['project-away'], Account*, *Id, a*b");
        round_trip("let ['let'] = 1; T | where x == ['let']");
    }

    #[test]
    fn every_operator_round_trips() {
        round_trip(
            "T | where a == 1 and b !has_cs 'x' or c in~ ('a', 'b') | project a, b = c * 2 \
             | project-away x* | project-keep a, b | project-reorder b | project-rename z = a \
             | extend y = iff(a > 1, 'x', 'y') | summarize n = count(), dcount(b) by bin(t, 1d), k \
             | summarize by k | sort by n asc nulls last, k | take 5 | top 3 by n desc | count \
             | distinct * | distinct Count | render timechart",
        );
        round_trip(
            "let E = T | where x !between (1 .. 2); search in (E, F) \"term\" and y == 2 | take 1",
        );
        round_trip("let n = 5; let m = now() - ago(1h); T | take n");
    }
}
