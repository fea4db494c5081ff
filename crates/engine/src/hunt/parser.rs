//! The token cursor and the expression grammar, by precedence climbing.
//!
//! Loosest first: `or`, `and`, comparisons and string operators (`==`, `=~`, `has`, `in`,
//! `between`…), `+ -`, `* / %`, unary minus, then literals, names, calls and parentheses.
//! A tree deeper than `MAX_DEPTH` is refused, so that nothing that walks it (the compiler,
//! the evaluator, the printer) can run out of stack, whatever the input.

use super::ast::{
    Arith, BinaryOp, Comparison, Expr, ExprKind, ListOp, Literal, LogicalOp, Name, StringOp,
};
use super::error::{QueryError, Span};
use super::lexer::{Sym, Tok, Token};
use super::value::ColumnKind;

/// The deepest expression tree accepted.
pub const MAX_DEPTH: u32 = 100;

pub struct Parser<'q> {
    toks: Vec<Token<'q>>,
    pos: usize,
}

/// An expression and the depth of its tree.
type Parsed = (Expr, u32);

impl<'q> Parser<'q> {
    pub fn new(toks: Vec<Token<'q>>) -> Parser<'q> {
        Parser { toks, pos: 0 }
    }

    pub fn tok(&self) -> &Tok {
        self.toks.get(self.pos).map_or(&Tok::End, |t| &t.tok)
    }

    pub fn tok_at(&self, ahead: usize) -> &Tok {
        self.toks
            .get(self.pos + ahead)
            .map_or(&Tok::End, |t| &t.tok)
    }

    pub fn span(&self) -> Span {
        self.toks
            .get(self.pos)
            .or_else(|| self.toks.last())
            .map_or(Span::new(1, 1), |t| t.span)
    }

    pub fn advance(&mut self) {
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
    }

    /// Whether the current and the next token are written with nothing between them.
    pub fn next_is_adjacent(&self) -> bool {
        match (self.toks.get(self.pos), self.toks.get(self.pos + 1)) {
            (Some(a), Some(b)) => {
                let width = u32::try_from(a.text.chars().count()).unwrap_or(u32::MAX);
                a.span.line == b.span.line
                    && a.span.column.saturating_add(width) == b.span.column
                    && !b.text.is_empty()
            }
            _ => false,
        }
    }

    /// "expected …, found `…`" at the current token.
    pub fn expected(&self, what: &str) -> QueryError {
        let found = match self.toks.get(self.pos) {
            None => "the end of the query".to_owned(),
            Some(t) if t.tok == Tok::End => "the end of the query".to_owned(),
            Some(t) => {
                let text: String = t.text.chars().take(40).collect();
                if text.len() < t.text.len() {
                    format!("`{text}…`")
                } else {
                    format!("`{text}`")
                }
            }
        };
        QueryError::at(self.span(), format!("expected {what}, found {found}"))
    }

    pub fn is_sym(&self, sym: Sym) -> bool {
        *self.tok() == Tok::Sym(sym)
    }

    pub fn eat_sym(&mut self, sym: Sym) -> bool {
        let yes = self.is_sym(sym);
        if yes {
            self.advance();
        }
        yes
    }

    pub fn expect_sym(&mut self, sym: Sym, what: &str) -> Result<(), QueryError> {
        if self.eat_sym(sym) {
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    /// The current token is this word, written plainly (a quoted name is never a keyword).
    pub fn is_word(&self, word: &str) -> bool {
        matches!(self.tok(), Tok::Ident { name, quoted: false } if name == word)
    }

    pub fn eat_word(&mut self, word: &str) -> bool {
        let yes = self.is_word(word);
        if yes {
            self.advance();
        }
        yes
    }

    pub fn expect_word(&mut self, word: &str, what: &str) -> Result<(), QueryError> {
        if self.eat_word(word) {
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    /// A name, plain or quoted.
    pub fn name(&mut self, what: &str) -> Result<Name, QueryError> {
        match self.tok() {
            Tok::Ident { name, .. } => {
                let name = Name {
                    text: name.clone(),
                    span: self.span(),
                };
                self.advance();
                Ok(name)
            }
            _ => Err(self.expected(what)),
        }
    }

    pub fn expr(&mut self) -> Result<Expr, QueryError> {
        self.parse_or(0).map(|(e, _)| e)
    }

    /// `depth` is how many calls of the grammar are open around this one: parentheses,
    /// calls and unary minus nest by recursion, and are bounded like the tree.
    fn nested(&self, depth: u32) -> Result<(), QueryError> {
        if depth > MAX_DEPTH {
            Err(QueryError::at(
                self.span(),
                format!("the expression nests more than {MAX_DEPTH} levels deep"),
            ))
        } else {
            Ok(())
        }
    }

    fn deeper(&self, depth: u32) -> Result<u32, QueryError> {
        let d = depth + 1;
        self.nested(d)?;
        Ok(d)
    }

    fn parse_or(&mut self, depth: u32) -> Result<Parsed, QueryError> {
        self.logical(depth, LogicalOp::Or)
    }

    fn logical(&mut self, depth: u32, op: LogicalOp) -> Result<Parsed, QueryError> {
        let (word, next) = match op {
            LogicalOp::Or => ("or", LogicalOp::And),
            LogicalOp::And => ("and", LogicalOp::And),
        };
        let span = self.span();
        let first = if op == LogicalOp::Or {
            self.logical(depth, next)?
        } else {
            self.parse_compare(depth)?
        };
        if !self.is_word(word) {
            return Ok(first);
        }
        let mut tree = first.1;
        let mut operands = vec![first.0];
        while self.eat_word(word) {
            let (e, d) = if op == LogicalOp::Or {
                self.logical(depth, next)?
            } else {
                self.parse_compare(depth)?
            };
            tree = tree.max(d);
            operands.push(e);
        }
        let tree = self.deeper(tree)?;
        Ok((Expr::new(ExprKind::Logical { op, operands }, span), tree))
    }

    /// The comparison or string operator at the current token, if there is one.
    fn comparison_here(&self) -> Option<Compared> {
        let simple = |c| Some(Compared::Binary(BinaryOp::Compare(c)));
        match self.tok() {
            Tok::Sym(Sym::EqEq) => simple(Comparison::Eq),
            Tok::Sym(Sym::NotEq) => simple(Comparison::Ne),
            Tok::Sym(Sym::Lt) => simple(Comparison::Lt),
            Tok::Sym(Sym::Le) => simple(Comparison::Le),
            Tok::Sym(Sym::Gt) => simple(Comparison::Gt),
            Tok::Sym(Sym::Ge) => simple(Comparison::Ge),
            Tok::Sym(Sym::EqTilde) => simple(Comparison::EqCi),
            Tok::Sym(Sym::NotTilde) => simple(Comparison::NeCi),
            Tok::Ident {
                name,
                quoted: false,
            } => word_operator(name, false),
            Tok::NotWord(name) => word_operator(name, true),
            _ => None,
        }
    }

    fn parse_compare(&mut self, depth: u32) -> Result<Parsed, QueryError> {
        let (mut left, mut tree) = self.parse_add(depth)?;
        if let Tok::NotWord(w) = self.tok() {
            if self.comparison_here().is_none() {
                return Err(QueryError::at(
                    self.span(),
                    format!("`!{w}` is not an operator: write `not(…)` to negate a condition"),
                ));
            }
        }
        while let Some(op) = self.comparison_here() {
            let span = left.span;
            self.advance();
            match op {
                Compared::Binary(op) => {
                    let (right, d) = self.parse_add(depth)?;
                    tree = self.deeper(tree.max(d))?;
                    left = Expr::new(
                        ExprKind::Binary {
                            op,
                            left: Box::new(left),
                            right: Box::new(right),
                        },
                        span,
                    );
                }
                Compared::List(op, negated) => {
                    let (list, d) = self.list(depth, op)?;
                    tree = self.deeper(tree.max(d))?;
                    left = Expr::new(
                        ExprKind::List {
                            value: Box::new(left),
                            op,
                            negated,
                            list,
                        },
                        span,
                    );
                }
                Compared::Between(negated) => {
                    let inner = self.deeper(depth)?;
                    self.expect_sym(Sym::LParen, "`(` after `between`")?;
                    let (low, d1) = self.parse_or(inner)?;
                    self.expect_sym(Sym::DotDot, "`..` between the two bounds")?;
                    let (high, d2) = self.parse_or(inner)?;
                    self.expect_sym(Sym::RParen, "`)` after the upper bound")?;
                    tree = self.deeper(tree.max(d1).max(d2))?;
                    left = Expr::new(
                        ExprKind::Between {
                            value: Box::new(left),
                            low: Box::new(low),
                            high: Box::new(high),
                            negated,
                        },
                        span,
                    );
                }
                Compared::Unsupported(word) => {
                    return Err(QueryError::at(
                        span,
                        format!("`{word}` is not supported here"),
                    ))
                }
            }
        }
        Ok((left, tree))
    }

    /// `(a, b, c)` after `in`, `in~`, `has_any`, `has_all`.
    fn list(&mut self, depth: u32, op: ListOp) -> Result<(Vec<Expr>, u32), QueryError> {
        let inner = self.deeper(depth)?;
        self.expect_sym(Sym::LParen, &format!("`(` after `{}`", op.word()))?;
        let mut items = Vec::new();
        let mut tree = 0;
        if !self.is_sym(Sym::RParen) {
            loop {
                let (e, d) = self.parse_or(inner)?;
                tree = tree.max(d);
                items.push(e);
                if !self.eat_sym(Sym::Comma) {
                    break;
                }
            }
        }
        self.expect_sym(Sym::RParen, "`,` or `)` in the list")?;
        if items.is_empty() {
            return Err(QueryError::at(
                self.span(),
                format!("`{}` needs at least one value in its list", op.word()),
            ));
        }
        Ok((items, tree))
    }

    fn parse_add(&mut self, depth: u32) -> Result<Parsed, QueryError> {
        self.arithmetic(depth, true)
    }

    fn arithmetic(&mut self, depth: u32, additive: bool) -> Result<Parsed, QueryError> {
        let (mut left, mut tree) = if additive {
            self.arithmetic(depth, false)?
        } else {
            self.parse_unary(depth)?
        };
        loop {
            let op = match (self.tok(), additive) {
                (Tok::Sym(Sym::Plus), true) => Arith::Add,
                (Tok::Sym(Sym::Minus), true) => Arith::Sub,
                (Tok::Sym(Sym::Star), false) => Arith::Mul,
                (Tok::Sym(Sym::Slash), false) => Arith::Div,
                (Tok::Sym(Sym::Percent), false) => Arith::Mod,
                _ => return Ok((left, tree)),
            };
            self.advance();
            let (right, d) = if additive {
                self.arithmetic(depth, false)?
            } else {
                self.parse_unary(depth)?
            };
            tree = self.deeper(tree.max(d))?;
            let span = left.span;
            left = Expr::new(
                ExprKind::Binary {
                    op: BinaryOp::Arith(op),
                    left: Box::new(left),
                    right: Box::new(right),
                },
                span,
            );
        }
    }

    fn parse_unary(&mut self, depth: u32) -> Result<Parsed, QueryError> {
        let span = self.span();
        if self.eat_sym(Sym::Minus) {
            let inner = self.deeper(depth)?;
            let (e, d) = self.parse_unary(inner)?;
            let tree = self.deeper(d)?;
            return Ok((Expr::new(ExprKind::Negate(Box::new(e)), span), tree));
        }
        if self.eat_sym(Sym::Plus) {
            let inner = self.deeper(depth)?;
            return self.parse_unary(inner);
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: u32) -> Result<Parsed, QueryError> {
        let span = self.span();
        let literal = |l| Ok((Expr::new(ExprKind::Literal(l), span), 1));
        let tok = self.tok().clone();
        match tok {
            Tok::Long(n) => {
                self.advance();
                literal(Literal::Long(n))
            }
            Tok::Real(r) => {
                self.advance();
                literal(Literal::Real(r))
            }
            Tok::Str(s) => {
                self.advance();
                literal(Literal::Str(s))
            }
            Tok::Timespan(ms) | Tok::TimespanLiteral(Some(ms)) => {
                self.advance();
                literal(Literal::Timespan(ms))
            }
            Tok::TimespanLiteral(None) => {
                self.advance();
                literal(Literal::Null(ColumnKind::Timespan))
            }
            Tok::DateTime(t) => {
                self.advance();
                literal(t.map_or(Literal::Null(ColumnKind::DateTime), Literal::DateTime))
            }
            Tok::Sym(Sym::LParen) => {
                let inner = self.deeper(depth)?;
                self.advance();
                let e = self.parse_or(inner)?;
                self.expect_sym(Sym::RParen, "`)` to close the parenthesis")?;
                Ok(e)
            }
            Tok::Ident { name, quoted } => {
                if !quoted && (name == "true" || name == "false") {
                    self.advance();
                    return literal(Literal::Bool(name == "true"));
                }
                if !quoted && *self.tok_at(1) == Tok::Sym(Sym::LParen) {
                    if let Some(l) = self.typed_literal(&name)? {
                        return literal(l);
                    }
                    return self.call(name, span, depth);
                }
                self.advance();
                Ok((Expr::new(ExprKind::Name(name), span), 1))
            }
            _ => Err(self.expected("an expression")),
        }
    }

    /// `long(null)`, `real(nan)`, `bool(true)`, `dynamic(null)`…: literals written like calls.
    fn typed_literal(&mut self, name: &str) -> Result<Option<Literal>, QueryError> {
        let kind = match name {
            "long" | "int" => ColumnKind::Long,
            "real" | "double" => ColumnKind::Real,
            "bool" | "boolean" => ColumnKind::Bool,
            "dynamic" => ColumnKind::Dynamic,
            "string" | "guid" | "decimal" => {
                return Err(QueryError::at(
                    self.span(),
                    format!("`{name}(…)` literals are not supported: write a string in quotes"),
                ))
            }
            _ => return Ok(None),
        };
        let span = self.span();
        self.advance();
        self.advance();
        let sign = if self.is_sym(Sym::Minus) || self.is_sym(Sym::Plus) {
            let negative = self.is_sym(Sym::Minus);
            self.advance();
            Some(negative)
        } else {
            None
        };
        let negative = sign == Some(true);
        let word = match self.tok() {
            Tok::Ident {
                name,
                quoted: false,
            } => Some(name.clone()),
            _ => None,
        };
        let lit = match (kind, self.tok().clone(), word.as_deref()) {
            (_, _, Some("null")) if sign.is_none() => Literal::Null(kind),
            (ColumnKind::Long, Tok::Long(n), _) => Literal::Long(if negative { -n } else { n }),
            (ColumnKind::Real, Tok::Real(r), _) => Literal::Real(if negative { -r } else { r }),
            (ColumnKind::Real, Tok::Long(n), _) => {
                let r = n as f64;
                Literal::Real(if negative { -r } else { r })
            }
            (ColumnKind::Real, _, Some("nan")) if sign.is_none() => Literal::Real(f64::NAN),
            (ColumnKind::Real, _, Some("inf")) => Literal::Real(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }),
            (ColumnKind::Bool, _, Some(w @ ("true" | "false"))) if sign.is_none() => {
                Literal::Bool(w == "true")
            }
            _ => {
                let what = match kind {
                    ColumnKind::Dynamic => {
                        return Err(QueryError::at(
                            span,
                            "only `dynamic(null)` is supported among dynamic literals",
                        ))
                    }
                    _ => format!("a {} literal or `null` inside `{name}(…)`", kind.name()),
                };
                return Err(self.expected(&what));
            }
        };
        self.advance();
        self.expect_sym(Sym::RParen, &format!("`)` to close `{name}(`"))?;
        // A negative long literal is the negation of a positive one, as the parser reads `-5`.
        Ok(Some(lit))
    }

    fn call(&mut self, name: String, span: Span, depth: u32) -> Result<Parsed, QueryError> {
        let inner = self.deeper(depth)?;
        self.advance();
        self.advance();
        let mut args = Vec::new();
        let mut tree = 0;
        if !self.is_sym(Sym::RParen) {
            loop {
                if self.is_sym(Sym::Star) {
                    args.push(Expr::new(ExprKind::Star, self.span()));
                    self.advance();
                } else {
                    let (e, d) = self.parse_or(inner)?;
                    tree = tree.max(d);
                    args.push(e);
                }
                if !self.eat_sym(Sym::Comma) {
                    break;
                }
            }
        }
        self.expect_sym(
            Sym::RParen,
            &format!("`,` or `)` in the arguments of `{name}`"),
        )?;
        let tree = self.deeper(tree)?;
        Ok((Expr::new(ExprKind::Call { name, args }, span), tree))
    }
}

enum Compared {
    Binary(BinaryOp),
    List(ListOp, bool),
    Between(bool),
    Unsupported(String),
}

/// A word that is an operator between two operands: `has`, `!contains_cs`, `in~`, `between`.
fn word_operator(word: &str, negated: bool) -> Option<Compared> {
    let list = |op| Some(Compared::List(op, negated));
    match word {
        "in" => return list(ListOp::In),
        "in~" => return list(ListOp::InCi),
        "has_any" if !negated => return list(ListOp::HasAny),
        "has_all" if !negated => return list(ListOp::HasAll),
        "between" => return Some(Compared::Between(negated)),
        "matches" | "has_cs_any" | "startswith_any" | "regex" => {
            return Some(Compared::Unsupported(if negated {
                format!("!{word}")
            } else {
                word.to_owned()
            }))
        }
        _ => {}
    }
    let (base, case_sensitive) = match word.strip_suffix("_cs") {
        Some(base) => (base, true),
        None => (word, false),
    };
    let op = StringOp::ALL.into_iter().find(|op| op.word() == base)?;
    Some(Compared::Binary(BinaryOp::Match {
        op,
        negated,
        case_sensitive,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::lexer::tokenize;
    use super::*;

    fn parse(src: &str) -> Result<Expr, QueryError> {
        let mut p = Parser::new(tokenize(src)?);
        let e = p.expr()?;
        if *p.tok() != Tok::End {
            return Err(p.expected("the end"));
        }
        Ok(e)
    }

    fn shape(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Literal(Literal::Long(n)) => n.to_string(),
            ExprKind::Literal(l) => format!("{l:?}"),
            ExprKind::Name(n) => n.clone(),
            ExprKind::Binary { op, left, right } => {
                format!("({} {} {})", shape(left), op.text(), shape(right))
            }
            ExprKind::Logical { op, operands } => format!(
                "({:?} {})",
                op,
                operands.iter().map(shape).collect::<Vec<_>>().join(" ")
            ),
            ExprKind::Negate(e) => format!("(- {})", shape(e)),
            ExprKind::Call { name, args } => format!(
                "{name}({})",
                args.iter().map(shape).collect::<Vec<_>>().join(", ")
            ),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn precedence_climbs() {
        let e = parse("a or b and c == 1 + 2 * 3").unwrap();
        assert_eq!(shape(&e), "(Or a (And b (c == (1 + (2 * 3)))))");
        let e = parse("-x - -1").unwrap();
        assert_eq!(shape(&e), "((- x) - (- 1))");
        let e = parse("a and b and c").unwrap();
        assert_eq!(shape(&e), "(And a b c)");
        let e = parse("x !has_cs \"a\"").unwrap();
        assert_eq!(shape(&e), "(x !has_cs Str(\"a\"))");
    }

    #[test]
    fn lists_between_and_calls() {
        let e = parse("x in~ (\"a\", \"b\")").unwrap();
        assert!(matches!(
            e.kind,
            ExprKind::List {
                op: ListOp::InCi,
                negated: false,
                ..
            }
        ));
        let e = parse("t !between (1 .. 2)").unwrap();
        assert!(matches!(e.kind, ExprKind::Between { negated: true, .. }));
        let e = parse("arg_max(T, *)").unwrap();
        assert_eq!(shape(&e), "arg_max(T, Star)");
        assert_eq!(
            parse("long(null)").unwrap().kind,
            ExprKind::Literal(Literal::Null(ColumnKind::Long))
        );
        assert_eq!(
            parse("real(-inf)").unwrap().kind,
            ExprKind::Literal(Literal::Real(f64::NEG_INFINITY))
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("nests"), "{e}");
        let long_sum = vec!["1"; 10_000].join(" + ");
        assert!(parse(&long_sum).unwrap_err().message.contains("nests"));
        let minus = format!("{}1", "-".repeat(10_000));
        assert!(parse(&minus).unwrap_err().message.contains("nests"));
        // A long chain of `or` is flat, so it is accepted.
        let ors = vec!["a == 1"; 5_000].join(" or ");
        assert!(parse(&ors).is_ok());
    }

    #[test]
    fn errors_say_what_was_expected() {
        let e = parse("a == ").unwrap_err();
        assert_eq!(
            e.message,
            "expected an expression, found the end of the query"
        );
        let e = parse("f(a b)").unwrap_err();
        assert_eq!(
            e.message,
            "expected `,` or `)` in the arguments of `f`, found `b`"
        );
        assert_eq!((e.line, e.column), (1, 5));
        let e = parse("x !isempty").unwrap_err();
        assert!(e.message.contains("not(…)"), "{e}");
        let e = parse("x in ()").unwrap_err();
        assert!(e.message.contains("at least one"), "{e}");
    }
}
