//! Expressions resolved and type-checked: names become slots or constants, operators are
//! checked against the types of their operands, and constant needles are prepared once.
//!
//! A query that compiles cannot fail while it runs: whatever cannot be computed (a division
//! by zero, a string that is not a number) is null, as in Kusto.

use super::ast::{
    Arith, BinaryOp, Comparison, Expr, ExprKind, ListOp, Literal, LogicalOp, StringOp,
};
use super::cexpr::{CExpr, NeedleArg, Schema, Slot};
use super::error::{QueryError, Span};
use super::functions::{signature, SCALAR_FUNCTIONS};
use super::strings::Needle;
use super::value::{Cell, ColumnKind, Ty, Value};
use crate::time::Timestamp;

/// What names mean where an expression is compiled.
pub struct Scope<'s> {
    pub schema: &'s Schema,
    /// Scalar `let` names and their values.
    pub lets: &'s [(String, Cell, Ty)],
    /// The time `now()` stands for.
    pub now: Timestamp,
    /// In a `search` predicate, the text columns a bare string is looked for in.
    pub terms: Option<&'s [Slot]>,
    /// Names of tables, to say so when one is used as a value.
    pub tables: &'s dyn Fn(&str) -> bool,
}

/// The aggregation functions, refused outside `summarize`.
pub const AGGREGATIONS: &[&str] = &[
    "count",
    "countif",
    "dcount",
    "min",
    "max",
    "sum",
    "avg",
    "make_set",
    "make_list",
    "arg_max",
    "arg_min",
];

fn err(span: Span, message: impl Into<String>) -> QueryError {
    QueryError::at(span, message)
}

fn literal(l: &Literal) -> (Cell, Ty) {
    match l {
        Literal::Null(kind) => (
            if *kind == ColumnKind::String {
                Value::string(String::new())
            } else {
                Value::Null
            },
            Ty::Known(*kind),
        ),
        Literal::Bool(b) => (Value::Bool(*b), Ty::BOOL),
        Literal::Long(n) => (Value::Long(*n), Ty::LONG),
        Literal::Real(r) => (Value::Real(*r), Ty::REAL),
        Literal::Str(s) => (Value::string(s.clone()), Ty::STRING),
        Literal::DateTime(t) => (Value::DateTime(*t), Ty::DATETIME),
        Literal::Timespan(ms) => (Value::Timespan(*ms), Ty::TIMESPAN),
    }
}

/// Levenshtein distance, bounded: enough to suggest `FileName` for `Filename` or `FielName`.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// "; did you mean `X`?" for a name close to one of the candidates.
pub fn suggestion<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> String {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = if c.eq_ignore_ascii_case(name) {
            0
        } else {
            distance(&name.to_lowercase(), &c.to_lowercase())
        };
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    match best {
        Some((0, c)) => format!("; did you mean `{c}`? (names are case-sensitive)"),
        Some((_, c)) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

fn boxed(e: CExpr) -> Box<CExpr> {
    Box::new(e)
}

/// The common type of the branches of `iff` and `case`. Kusto refuses a long beside a real
/// there (convert one with `toreal()`), and so does this.
fn unify(a: Ty, b: Ty) -> Option<Ty> {
    match (a, b) {
        (Ty::Unknown, t) | (t, Ty::Unknown) => Some(t),
        (x, y) if x == y => Some(x),
        _ => None,
    }
}

/// Whether `==` can compare the two.
fn comparable(a: Ty, b: Ty) -> bool {
    matches!(a, Ty::Unknown | Ty::DYNAMIC)
        || matches!(b, Ty::Unknown | Ty::DYNAMIC)
        || a == b
        || (a.is_numeric() && b.is_numeric())
}

/// Whether `<` can order the two.
fn orderable(a: Ty, b: Ty) -> bool {
    a == Ty::Unknown
        || b == Ty::Unknown
        || (a.is_numeric() && b.is_numeric())
        || (a == b && matches!(a, Ty::STRING | Ty::DATETIME | Ty::TIMESPAN))
}

fn arith_type(op: Arith, a: Ty, b: Ty) -> Option<Ty> {
    use Arith::*;
    if a == Ty::Unknown || b == Ty::Unknown {
        return Some(Ty::Unknown);
    }
    Some(match (op, a, b) {
        (_, Ty::LONG, Ty::LONG) => Ty::LONG,
        (_, x, y) if x.is_numeric() && y.is_numeric() => Ty::REAL,
        (Sub, Ty::DATETIME, Ty::DATETIME) => Ty::TIMESPAN,
        (Add | Sub, Ty::DATETIME, Ty::TIMESPAN) | (Add, Ty::TIMESPAN, Ty::DATETIME) => Ty::DATETIME,
        (Add | Sub | Mod, Ty::TIMESPAN, Ty::TIMESPAN) => Ty::TIMESPAN,
        (Div, Ty::TIMESPAN, Ty::TIMESPAN) => Ty::REAL,
        (Mul | Div, Ty::TIMESPAN, y) if y.is_numeric() => Ty::TIMESPAN,
        (Mul, x, Ty::TIMESPAN) if x.is_numeric() => Ty::TIMESPAN,
        _ => return None,
    })
}

impl Scope<'_> {
    /// Compiles an expression used as a value.
    pub fn expr(&self, e: &Expr) -> Result<(CExpr, Ty), QueryError> {
        let span = e.span;
        match &e.kind {
            ExprKind::Literal(l) => {
                let (c, t) = literal(l);
                Ok((CExpr::Const(c), t))
            }
            ExprKind::Name(n) => self.name(n, span),
            ExprKind::Star => Err(err(
                span,
                "`*` stands for every column only in arg_max(…, *), arg_min(…, *) and distinct *",
            )),
            ExprKind::Call { name, args } => self.call(name, args, span),
            ExprKind::Negate(x) => {
                let (c, t) = self.expr(x)?;
                if t.is_numeric() || t == Ty::TIMESPAN {
                    Ok((CExpr::Negate(boxed(c)), t))
                } else {
                    Err(err(span, format!("cannot negate a {}", t.name())))
                }
            }
            ExprKind::Binary { op, left, right } => self.binary(*op, left, right, span),
            ExprKind::Logical { op, operands } => {
                let mut out = Vec::with_capacity(operands.len());
                for o in operands {
                    out.push(self.condition(o, op_word(*op))?);
                }
                let c = match op {
                    LogicalOp::And => CExpr::And(out),
                    LogicalOp::Or => CExpr::Or(out),
                };
                Ok((c, Ty::BOOL))
            }
            ExprKind::List {
                value,
                op,
                negated,
                list,
            } => self.list(value, *op, *negated, list, span),
            ExprKind::Between {
                value,
                low,
                high,
                negated,
            } => self.between(value, low, high, *negated, span),
        }
    }

    /// Compiles an expression used as a condition: it must be a bool. In a `search`
    /// predicate a bare string is a term looked for in every text column.
    pub fn condition(&self, e: &Expr, context: &str) -> Result<CExpr, QueryError> {
        if let (ExprKind::Literal(Literal::Str(term)), Some(slots)) = (&e.kind, self.terms) {
            let (op, text) = match (term.strip_prefix('*'), term.strip_suffix('*')) {
                (Some(rest), _) if rest.ends_with('*') && rest.len() > 1 => {
                    (StringOp::Contains, &rest[..rest.len() - 1])
                }
                (Some(rest), _) => (StringOp::HasSuffix, rest),
                (None, Some(rest)) => (StringOp::HasPrefix, rest),
                (None, None) => (StringOp::Has, term.as_str()),
            };
            return Ok(CExpr::AnyTerm {
                slots: slots.to_vec(),
                op,
                needle: Needle::new(text),
            });
        }
        let (c, t) = self.expr(e)?;
        if t.fits(ColumnKind::Bool) {
            Ok(c)
        } else {
            Err(err(
                e.span,
                format!(
                    "{context} needs a true or false condition, found a {}",
                    t.name()
                ),
            ))
        }
    }

    fn name(&self, n: &str, span: Span) -> Result<(CExpr, Ty), QueryError> {
        if let Some(col) = self.schema.find(n) {
            return Ok((CExpr::Slot(col.slot), col.ty));
        }
        if let Some((_, value, ty)) = self.lets.iter().rev().find(|(name, _, _)| name == n) {
            return Ok((CExpr::Const(value.clone()), *ty));
        }
        if self.schema.open {
            return Ok((CExpr::Const(Value::Null), Ty::Unknown));
        }
        if (self.tables)(n) {
            return Err(err(span, format!("`{n}` is a table, not a value")));
        }
        let names = self
            .schema
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .chain(self.lets.iter().map(|(name, _, _)| name.as_str()));
        Err(err(
            span,
            format!("unknown column `{n}`{}", suggestion(n, names)),
        ))
    }

    fn call(&self, name: &str, args: &[Expr], span: Span) -> Result<(CExpr, Ty), QueryError> {
        if AGGREGATIONS.contains(&name) {
            return Err(err(
                span,
                format!("`{name}()` is an aggregation: it belongs in `summarize`"),
            ));
        }
        let count = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(err(
                    span,
                    format!(
                        "`{name}` takes {n} argument{}, found {}",
                        if n == 1 { "" } else { "s" },
                        args.len()
                    ),
                ))
            }
        };
        match name {
            "not" => {
                count(1)?;
                let c = self.condition(&args[0], "`not`")?;
                return Ok((CExpr::Not(boxed(c)), Ty::BOOL));
            }
            "iff" | "iif" => {
                count(3)?;
                let cond = self.condition(&args[0], &format!("the first argument of `{name}`"))?;
                let (a, ta) = self.expr(&args[1])?;
                let (b, tb) = self.expr(&args[2])?;
                let t = unify(ta, tb).ok_or_else(|| {
                    err(
                        span,
                        format!(
                            "`{name}` needs both branches of one type, found {} and {}; convert one with toreal() or tostring()",
                            ta.name(),
                            tb.name()
                        ),
                    )
                })?;
                let c = CExpr::Iff(boxed(cond), boxed(a), boxed(b));
                return Ok((c, t));
            }
            "case" => return self.case(args, span),
            "now" | "ago" => {
                let now = CExpr::Const(Value::DateTime(self.now));
                if name == "now" && args.is_empty() {
                    return Ok((now, Ty::DATETIME));
                }
                count(1)?;
                let (offset, t) = self.expr(&args[0])?;
                if !t.fits(ColumnKind::Timespan) {
                    return Err(err(
                        args[0].span,
                        format!("`{name}` takes a timespan such as 7d, found a {}", t.name()),
                    ));
                }
                let op = if name == "now" {
                    Arith::Add
                } else {
                    Arith::Sub
                };
                return Ok((CExpr::Arith(op, boxed(now), boxed(offset)), Ty::DATETIME));
            }
            _ => {}
        }
        let mut compiled = Vec::with_capacity(args.len());
        let mut types = Vec::with_capacity(args.len());
        for a in args {
            let (c, t) = self.expr(a)?;
            compiled.push(c);
            types.push(t);
        }
        match signature(name, &types) {
            Some(Ok((f, t))) => Ok((CExpr::Call(f, compiled), t)),
            Some(Err(message)) => Err(err(span, message)),
            None => Err(err(
                span,
                format!(
                    "unknown function `{name}`{}",
                    suggestion(name, SCALAR_FUNCTIONS.iter().copied())
                ),
            )),
        }
    }

    fn case(&self, args: &[Expr], span: Span) -> Result<(CExpr, Ty), QueryError> {
        if args.len() < 3 || args.len() & 1 == 0 {
            return Err(err(
                span,
                "`case` takes pairs of a condition and a value, then the value otherwise",
            ));
        }
        let mut arms = Vec::new();
        let mut t = Ty::Unknown;
        let mut values = Vec::new();
        for pair in args.chunks(2) {
            match pair {
                [cond, value] => {
                    let c = self.condition(cond, "a condition of `case`")?;
                    let (v, tv) = self.expr(value)?;
                    t = unify(t, tv).ok_or_else(|| mixed(value.span, t, tv))?;
                    arms.push(c);
                    values.push((v, tv));
                }
                [otherwise] => {
                    let (v, tv) = self.expr(otherwise)?;
                    t = unify(t, tv).ok_or_else(|| mixed(otherwise.span, t, tv))?;
                    values.push((v, tv));
                }
                _ => {}
            }
        }
        let mut values = values.into_iter().map(|(v, _)| v);
        let mut pairs = Vec::new();
        for c in arms {
            if let Some(v) = values.next() {
                pairs.push((c, v));
            }
        }
        let otherwise = values.next().unwrap_or(CExpr::Const(Value::Null));
        Ok((CExpr::Case(pairs, boxed(otherwise)), t))
    }

    fn binary(
        &self,
        op: BinaryOp,
        left: &Expr,
        right: &Expr,
        span: Span,
    ) -> Result<(CExpr, Ty), QueryError> {
        let (l, tl) = self.expr(left)?;
        match op {
            BinaryOp::Match {
                op: sop,
                negated,
                case_sensitive,
            } => {
                if !tl.is_text() {
                    return Err(err(
                        left.span,
                        format!(
                            "`{}` needs a string on its left, found a {}; convert it with tostring()",
                            op.text(),
                            tl.name()
                        ),
                    ));
                }
                let needle = self.needle(right, &op.text())?;
                Ok((
                    CExpr::Match {
                        op: sop,
                        case_sensitive,
                        negated,
                        value: boxed(l),
                        needle,
                    },
                    Ty::BOOL,
                ))
            }
            BinaryOp::Compare(c @ (Comparison::EqCi | Comparison::NeCi)) => {
                if !tl.is_text() {
                    return Err(err(
                        left.span,
                        format!(
                            "`{}` needs a string on its left, found a {}",
                            op.text(),
                            tl.name()
                        ),
                    ));
                }
                let needle = self.needle(right, &op.text())?;
                Ok((
                    CExpr::EqCi {
                        value: boxed(l),
                        needle,
                        negated: c == Comparison::NeCi,
                    },
                    Ty::BOOL,
                ))
            }
            BinaryOp::Compare(c) => {
                let (r, tr) = self.expr(right)?;
                let ok = match c {
                    Comparison::Eq | Comparison::Ne => comparable(tl, tr),
                    _ => orderable(tl, tr),
                };
                if !ok {
                    return Err(err(
                        span,
                        format!(
                            "cannot compare a {} with a {} using `{}`",
                            tl.name(),
                            tr.name(),
                            op.text()
                        ),
                    ));
                }
                // `DeviceName == "x"`, the commonest filter, gets a path of its own.
                if matches!(c, Comparison::Eq | Comparison::Ne)
                    && tl == Ty::STRING
                    && tr == Ty::STRING
                {
                    let negated = c == Comparison::Ne;
                    match (l, r) {
                        (CExpr::Slot(slot), CExpr::Const(Value::Str(text)))
                        | (CExpr::Const(Value::Str(text)), CExpr::Slot(slot)) => {
                            let text = text.into_owned();
                            return Ok((
                                CExpr::EqText {
                                    slot,
                                    text,
                                    negated,
                                    probe: usize::MAX,
                                },
                                Ty::BOOL,
                            ));
                        }
                        (l, r) => return Ok((CExpr::Compare(c, boxed(l), boxed(r)), Ty::BOOL)),
                    }
                }
                Ok((CExpr::Compare(c, boxed(l), boxed(r)), Ty::BOOL))
            }
            BinaryOp::Arith(a) => {
                let (r, tr) = self.expr(right)?;
                match arith_type(a, tl, tr) {
                    Some(t) => Ok((CExpr::Arith(a, boxed(l), boxed(r)), t)),
                    None => {
                        let hint = if tl == Ty::STRING && tr == Ty::STRING && a == Arith::Add {
                            "; join strings with strcat()"
                        } else {
                            ""
                        };
                        Err(err(
                            span,
                            format!(
                                "cannot apply `{}` to a {} and a {}{hint}",
                                op.text(),
                                tl.name(),
                                tr.name()
                            ),
                        ))
                    }
                }
            }
        }
    }

    /// The right side of a string operator: prepared once when it is a constant.
    fn needle(&self, e: &Expr, op: &str) -> Result<NeedleArg, QueryError> {
        let (c, t) = self.expr(e)?;
        if !t.is_text() {
            return Err(err(
                e.span,
                format!("`{op}` needs a string on its right, found a {}", t.name()),
            ));
        }
        Ok(match c {
            CExpr::Const(v) => NeedleArg::Const(Needle::new(&v.text())),
            other => NeedleArg::Expr(boxed(other)),
        })
    }

    fn list(
        &self,
        value: &Expr,
        op: ListOp,
        negated: bool,
        list: &[Expr],
        span: Span,
    ) -> Result<(CExpr, Ty), QueryError> {
        let (v, tv) = self.expr(value)?;
        if op != ListOp::In {
            if !tv.is_text() {
                return Err(err(
                    value.span,
                    format!(
                        "`{}` needs a string on its left, found a {}",
                        op.word(),
                        tv.name()
                    ),
                ));
            }
            let mut needles = Vec::with_capacity(list.len());
            for item in list {
                needles.push(self.needle(item, op.word())?);
            }
            return Ok((
                CExpr::InText {
                    value: boxed(v),
                    op,
                    needles,
                    negated,
                },
                Ty::BOOL,
            ));
        }
        let mut items = Vec::with_capacity(list.len());
        for item in list {
            let (c, t) = self.expr(item)?;
            if !comparable(tv, t) {
                return Err(err(
                    item.span,
                    format!(
                        "`in` compares a {} with a {} in its list",
                        tv.name(),
                        t.name()
                    ),
                ));
            }
            items.push(c);
        }
        let _ = span;
        Ok((
            CExpr::In {
                value: boxed(v),
                list: items,
                negated,
            },
            Ty::BOOL,
        ))
    }

    fn between(
        &self,
        value: &Expr,
        low: &Expr,
        high: &Expr,
        negated: bool,
        span: Span,
    ) -> Result<(CExpr, Ty), QueryError> {
        let (v, tv) = self.expr(value)?;
        let (lo, tl) = self.expr(low)?;
        let (hi, th) = self.expr(high)?;
        let ordered = |t: Ty| t.is_numeric() || matches!(t, Ty::DATETIME | Ty::TIMESPAN);
        if !ordered(tv) {
            return Err(err(
                value.span,
                format!(
                    "`between` needs a number, a datetime or a timespan, found a {}",
                    tv.name()
                ),
            ));
        }
        let high_is_offset = tv == Ty::DATETIME && th == Ty::TIMESPAN;
        let fits = |t: Ty| orderable(tv, t) && ordered(t);
        if !fits(tl) || !(fits(th) || high_is_offset) {
            return Err(err(
                span,
                format!(
                    "`between` compares a {} with bounds of {} and {}",
                    tv.name(),
                    tl.name(),
                    th.name()
                ),
            ));
        }
        Ok((
            CExpr::Between {
                value: boxed(v),
                low: boxed(lo),
                high: boxed(hi),
                high_is_offset,
                negated,
            },
            Ty::BOOL,
        ))
    }
}

fn mixed(span: Span, a: Ty, b: Ty) -> QueryError {
    err(
        span,
        format!(
            "`case` needs every value of one type, found {} and {}",
            a.name(),
            b.name()
        ),
    )
}

fn op_word(op: LogicalOp) -> &'static str {
    match op {
        LogicalOp::And => "`and`",
        LogicalOp::Or => "`or`",
    }
}

#[cfg(test)]
mod tests {
    use super::super::ast::Statement;
    use super::super::cexpr::SchemaColumn;
    use super::super::operators::parse;
    use super::*;

    fn schema() -> Schema {
        let col = |name: &str, ty, i| SchemaColumn {
            name: name.to_owned(),
            ty,
            slot: Slot::Input(i),
        };
        Schema {
            columns: vec![
                col("FileName", Ty::STRING, 0),
                col("FileSize", Ty::LONG, 1),
                col("Timestamp", Ty::DATETIME, 2),
            ],
            open: false,
        }
    }

    fn compile(src: &str) -> Result<(CExpr, Ty), QueryError> {
        let q = parse(&format!("print {src}")).unwrap();
        let Statement::Tabular(p) = &q.statements[0] else {
            panic!()
        };
        let super::super::ast::Source::Print { columns, .. } = &p.source else {
            panic!()
        };
        let schema = schema();
        let scope = Scope {
            schema: &schema,
            lets: &[],
            now: Timestamp(0),
            terms: None,
            tables: &|n| n == "AlertInfo",
        };
        scope.expr(&columns[0].expr)
    }

    #[test]
    fn types_follow_kusto() {
        assert_eq!(compile("FileSize + 1").unwrap().1, Ty::LONG);
        assert_eq!(compile("FileSize * 1.5").unwrap().1, Ty::REAL);
        assert_eq!(compile("Timestamp - ago(1d)").unwrap().1, Ty::TIMESPAN);
        assert_eq!(compile("Timestamp + 1h").unwrap().1, Ty::DATETIME);
        assert_eq!(
            compile("iff(FileSize > 1, toreal(1), 2.5)").unwrap().1,
            Ty::REAL
        );
        assert!(compile("iff(FileSize > 1, 1, 2.5)").is_err());
        assert_eq!(compile("FileName has 'x'").unwrap().1, Ty::BOOL);
        assert_eq!(compile("bin(Timestamp, 1d)").unwrap().1, Ty::DATETIME);
        assert_eq!(
            compile("Timestamp between (now() .. 1d)").unwrap().1,
            Ty::BOOL
        );
    }

    #[test]
    fn wrong_types_are_refused_with_their_place() {
        let e = compile("FileName == 1").unwrap_err();
        assert_eq!(e.message, "cannot compare a string with a long using `==`");
        assert_eq!((e.line, e.column), (1, 7));
        let e = compile("FileSize has 'x'").unwrap_err();
        assert!(
            e.message.starts_with("`has` needs a string on its left"),
            "{e}"
        );
        let e = compile("FileName + 'x'").unwrap_err();
        assert!(e.message.ends_with("join strings with strcat()"), "{e}");
        let e = compile("iff(FileName, 1, 2)").unwrap_err();
        assert!(e.message.contains("true or false"), "{e}");
        let e = compile("iff(true, 1, 'x')").unwrap_err();
        assert!(e.message.contains("both branches"), "{e}");
        let e = compile("count()").unwrap_err();
        assert!(e.message.contains("belongs in `summarize`"), "{e}");
        let e = compile("tolowr(FileName)").unwrap_err();
        assert_eq!(
            e.message,
            "unknown function `tolowr`; did you mean `tolower`?"
        );
    }

    #[test]
    fn unknown_names_suggest_a_column() {
        let e = compile("Filename").unwrap_err();
        assert_eq!(
            e.message,
            "unknown column `Filename`; did you mean `FileName`? (names are case-sensitive)"
        );
        let e = compile("FielName").unwrap_err();
        assert_eq!(
            e.message,
            "unknown column `FielName`; did you mean `FileName`?"
        );
        let e = compile("Nothing").unwrap_err();
        assert_eq!(e.message, "unknown column `Nothing`");
        let e = compile("AlertInfo").unwrap_err();
        assert_eq!(e.message, "`AlertInfo` is a table, not a value");
    }

    #[test]
    fn constant_needles_are_prepared() {
        let (c, _) = compile("FileName =~ 'CMD.exe'").unwrap();
        assert!(matches!(c, CExpr::EqCi { negated: false, .. }));
        let (c, _) = compile("FileName contains 'CMD'").unwrap();
        let CExpr::Match {
            needle: NeedleArg::Const(n),
            ..
        } = c
        else {
            panic!("{c:?}")
        };
        assert_eq!(n.lower, "cmd");
    }
}
