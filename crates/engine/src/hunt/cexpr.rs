//! Compiled expressions: the tree the evaluator walks, with names resolved to slots and
//! constant needles prepared, and the schema that says which slot holds which column.

use super::ast::{Arith, Comparison, ListOp, StringOp};
use super::functions::Func;
use super::strings::Needle;
use super::value::{Cell, Ty};

/// Where a column's value is read while a row is processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A column of the rows coming in.
    Input(usize),
    /// A value computed for the row by `extend` or `project`.
    Computed(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaColumn {
    pub name: String,
    pub ty: Ty,
    pub slot: Slot,
}

/// The columns at one point of a pipeline. An open schema belongs to a table that is not in
/// these exports: any name is a column of unknown type there.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    pub columns: Vec<SchemaColumn>,
    pub open: bool,
}

impl Schema {
    pub fn find(&self, name: &str) -> Option<&SchemaColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum NeedleArg {
    Const(Needle),
    Expr(Box<CExpr>),
}

/// A compiled expression.
#[derive(Clone, Debug, PartialEq)]
pub enum CExpr {
    Const(Cell),
    Slot(Slot),
    Not(Box<CExpr>),
    And(Vec<CExpr>),
    Or(Vec<CExpr>),
    Compare(Comparison, Box<CExpr>, Box<CExpr>),
    /// `column == "text"` or `!=`: a string column against a constant. `probe` numbers the
    /// comparison within its segment, so that a source holding the column interned can answer
    /// it by comparing codes (`Source::code`); `usize::MAX` until the segment numbers it.
    EqText {
        slot: Slot,
        text: String,
        negated: bool,
        probe: usize,
    },
    Match {
        op: StringOp,
        case_sensitive: bool,
        negated: bool,
        value: Box<CExpr>,
        needle: NeedleArg,
    },
    /// `=~` and `!~`.
    EqCi {
        value: Box<CExpr>,
        needle: NeedleArg,
        negated: bool,
    },
    In {
        value: Box<CExpr>,
        list: Vec<CExpr>,
        negated: bool,
    },
    /// `in~`, `has_any`, `has_all`: the value against each needle.
    InText {
        value: Box<CExpr>,
        op: ListOp,
        needles: Vec<NeedleArg>,
        negated: bool,
    },
    Between {
        value: Box<CExpr>,
        low: Box<CExpr>,
        high: Box<CExpr>,
        /// `Timestamp between (t .. 1h)`: the upper bound is the lower plus a timespan.
        high_is_offset: bool,
        negated: bool,
    },
    Arith(Arith, Box<CExpr>, Box<CExpr>),
    Negate(Box<CExpr>),
    Call(Func, Vec<CExpr>),
    Iff(Box<CExpr>, Box<CExpr>, Box<CExpr>),
    Case(Vec<(CExpr, CExpr)>, Box<CExpr>),
    /// A bare string in a `search` predicate: any of these text columns matches it.
    AnyTerm {
        slots: Vec<Slot>,
        op: StringOp,
        needle: Needle,
    },
}

impl CExpr {
    /// Numbers the `column == "text"` comparisons of this expression that read an input
    /// column, from `next` on, and lists each one's input column and text.
    pub fn number_probes(&mut self, next: &mut usize, out: &mut Vec<(usize, String)>) {
        let mut visit = |e: &mut CExpr| e.number_probes(next, out);
        match self {
            CExpr::EqText {
                slot: Slot::Input(column),
                text,
                probe,
                ..
            } => {
                *probe = *next;
                *next += 1;
                out.push((*column, text.clone()));
            }
            CExpr::Const(_) | CExpr::Slot(_) | CExpr::EqText { .. } | CExpr::AnyTerm { .. } => {}
            CExpr::Not(x) | CExpr::Negate(x) => visit(x),
            CExpr::And(xs) | CExpr::Or(xs) | CExpr::Call(_, xs) => xs.iter_mut().for_each(visit),
            CExpr::Compare(_, a, b) | CExpr::Arith(_, a, b) => {
                visit(a);
                visit(b);
            }
            CExpr::Match { value, needle, .. } | CExpr::EqCi { value, needle, .. } => {
                visit(value);
                if let NeedleArg::Expr(x) = needle {
                    visit(x);
                }
            }
            CExpr::In { value, list, .. } => {
                visit(value);
                list.iter_mut().for_each(visit);
            }
            CExpr::InText { value, needles, .. } => {
                visit(value);
                for n in needles {
                    if let NeedleArg::Expr(x) = n {
                        visit(x);
                    }
                }
            }
            CExpr::Between {
                value, low, high, ..
            } => {
                visit(value);
                visit(low);
                visit(high);
            }
            CExpr::Iff(c, a, b) => {
                visit(c);
                visit(a);
                visit(b);
            }
            CExpr::Case(arms, otherwise) => {
                for (c, v) in arms {
                    visit(c);
                    visit(v);
                }
                visit(otherwise);
            }
        }
    }
}
