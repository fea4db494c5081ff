//! A parsed query, as written: names are not yet resolved and types not yet checked.
//!
//! Spans compare equal (see `Span`), so two trees are equal when they have the same shape:
//! the printer's round trip (`parse(print(q)) == q`) is checked with `==`.

use super::error::Span;
use super::value::ColumnKind;
use crate::time::Timestamp;

#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub statements: Vec<Statement>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    /// `let name = value;`. Whether the value is a scalar or a table is decided when the
    /// query is compiled against the tables (`let x = y;` could be either).
    Let {
        name: Name,
        value: LetValue,
    },
    Tabular(Pipeline),
}

#[derive(Clone, Debug, PartialEq)]
pub enum LetValue {
    Scalar(Expr),
    Tabular(Pipeline),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    pub source: Source,
    pub operators: Vec<Operator>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Table(Name),
    /// `search [in (T, …)] predicate`; without `in`, every table.
    Search {
        tables: Option<Vec<Name>>,
        predicate: Expr,
        span: Span,
    },
    /// `print a = 1, b = "x"`: one row.
    Print {
        columns: Vec<Assignment>,
        span: Span,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Operator {
    pub kind: OperatorKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum OperatorKind {
    Where(Expr),
    Project(Vec<Assignment>),
    ProjectAway(Vec<Pattern>),
    ProjectKeep(Vec<Pattern>),
    ProjectReorder(Vec<Pattern>),
    /// `project-rename new = old`.
    ProjectRename(Vec<(Name, Name)>),
    Extend(Vec<Assignment>),
    Summarize {
        aggregates: Vec<Assignment>,
        by: Vec<Assignment>,
    },
    Sort(Vec<SortKey>),
    Take(Expr),
    Top {
        count: Expr,
        key: SortKey,
    },
    Count,
    /// `distinct a, b`; an empty list is `distinct *`.
    Distinct(Vec<Name>),
    /// `render timechart`: accepted so that a portal query runs, and ignored.
    Render(Name),
}

/// `name = expr`, or `expr` alone (the column's name is then derived from the expression).
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub name: Option<Name>,
    pub expr: Expr,
}

/// A column name, or a pattern with `*` standing for any run of characters (`Account*`).
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    pub text: String,
    pub wildcard: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Asc,
    Desc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nulls {
    First,
    Last,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    pub expr: Expr,
    pub order: Option<Order>,
    pub nulls: Option<Nulls>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// A column, or a `let` name.
    Name(String),
    Call {
        name: String,
        args: Vec<Expr>,
    },
    /// `*` as an argument: `arg_max(Timestamp, *)`.
    Star,
    Negate(Box<Expr>),
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `a and b and c`: a chain of one operator, kept flat so that a long chain is not a
    /// deep tree.
    Logical {
        op: LogicalOp,
        operands: Vec<Expr>,
    },
    /// `x in (…)`, `x !in~ (…)`, `x has_any (…)`…
    List {
        value: Box<Expr>,
        op: ListOp,
        negated: bool,
        list: Vec<Expr>,
    },
    Between {
        value: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        negated: bool,
    },
}

#[derive(Clone, Debug)]
pub enum Literal {
    /// `long(null)`, `datetime(null)`…; strings have no null.
    Null(ColumnKind),
    Bool(bool),
    Long(i64),
    Real(f64),
    Str(String),
    DateTime(Timestamp),
    Timespan(i64),
}

/// Reals compare by their bits, so that NaN equals NaN and `-0.0` differs from `0.0`: the
/// printer's round trip must bring back the very same literal.
impl PartialEq for Literal {
    fn eq(&self, other: &Literal) -> bool {
        match (self, other) {
            (Literal::Real(a), Literal::Real(b)) => a.to_bits() == b.to_bits(),
            (Literal::Null(a), Literal::Null(b)) => a == b,
            (Literal::Bool(a), Literal::Bool(b)) => a == b,
            (Literal::Long(a), Literal::Long(b)) => a == b,
            (Literal::Str(a), Literal::Str(b)) => a == b,
            (Literal::DateTime(a), Literal::DateTime(b)) => a == b,
            (Literal::Timespan(a), Literal::Timespan(b)) => a == b,
            _ => false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogicalOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `=~`
    EqCi,
    /// `!~`
    NeCi,
}

/// The string operators that take a needle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StringOp {
    Has,
    HasPrefix,
    HasSuffix,
    Contains,
    StartsWith,
    EndsWith,
}

impl StringOp {
    pub const ALL: [StringOp; 6] = [
        StringOp::Has,
        StringOp::HasPrefix,
        StringOp::HasSuffix,
        StringOp::Contains,
        StringOp::StartsWith,
        StringOp::EndsWith,
    ];

    pub fn word(self) -> &'static str {
        match self {
            StringOp::Has => "has",
            StringOp::HasPrefix => "hasprefix",
            StringOp::HasSuffix => "hassuffix",
            StringOp::Contains => "contains",
            StringOp::StartsWith => "startswith",
            StringOp::EndsWith => "endswith",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOp {
    In,
    /// `in~`: case-insensitive.
    InCi,
    /// `has_any`: the value has one of the terms.
    HasAny,
    /// `has_all`: the value has every term.
    HasAll,
}

impl ListOp {
    pub fn word(self) -> &'static str {
        match self {
            ListOp::In => "in",
            ListOp::InCi => "in~",
            ListOp::HasAny => "has_any",
            ListOp::HasAll => "has_all",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Arith(Arith),
    Compare(Comparison),
    Match {
        op: StringOp,
        negated: bool,
        case_sensitive: bool,
    },
}

impl BinaryOp {
    /// The operator as written.
    pub fn text(self) -> String {
        match self {
            BinaryOp::Arith(a) => match a {
                Arith::Add => "+",
                Arith::Sub => "-",
                Arith::Mul => "*",
                Arith::Div => "/",
                Arith::Mod => "%",
            }
            .to_owned(),
            BinaryOp::Compare(c) => match c {
                Comparison::Eq => "==",
                Comparison::Ne => "!=",
                Comparison::Lt => "<",
                Comparison::Le => "<=",
                Comparison::Gt => ">",
                Comparison::Ge => ">=",
                Comparison::EqCi => "=~",
                Comparison::NeCi => "!~",
            }
            .to_owned(),
            BinaryOp::Match {
                op,
                negated,
                case_sensitive,
            } => format!(
                "{}{}{}",
                if negated { "!" } else { "" },
                op.word(),
                if case_sensitive { "_cs" } else { "" }
            ),
        }
    }
}

/// Precedence levels, loosest first; the parser and the printer share them.
pub const PREC_OR: u8 = 1;
pub const PREC_AND: u8 = 2;
pub const PREC_COMPARE: u8 = 3;
pub const PREC_ADD: u8 = 4;
pub const PREC_MUL: u8 = 5;
pub const PREC_UNARY: u8 = 6;
pub const PREC_PRIMARY: u8 = 7;

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// How tightly the expression binds, for deciding where the printer needs parentheses.
    pub fn precedence(&self) -> u8 {
        match &self.kind {
            ExprKind::Logical {
                op: LogicalOp::Or, ..
            } => PREC_OR,
            ExprKind::Logical {
                op: LogicalOp::And, ..
            } => PREC_AND,
            ExprKind::List { .. } | ExprKind::Between { .. } => PREC_COMPARE,
            ExprKind::Binary { op, .. } => match op {
                BinaryOp::Compare(_) | BinaryOp::Match { .. } => PREC_COMPARE,
                BinaryOp::Arith(Arith::Add | Arith::Sub) => PREC_ADD,
                BinaryOp::Arith(_) => PREC_MUL,
            },
            ExprKind::Negate(_) => PREC_UNARY,
            _ => PREC_PRIMARY,
        }
    }
}
