//! Properties of the KQL parser and printer: any syntax tree prints to text that parses back
//! to the same tree, and no text makes the parser or a run panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use airview_engine::hunt::{
    parse, run, Arith, Assignment, BinaryOp, Catalog, Column, ColumnKind, Comparison, Expr,
    ExprKind, LetValue, ListOp, Literal, LogicalOp, Name, Nulls, Operator, OperatorKind, Order,
    Pattern, Pipeline, Query, RunOptions, SortKey, SourceExpr, Span, Statement, StringOp, Table,
    Value,
};
use airview_engine::Timestamp;
use proptest::prelude::*;

/// Names, plain and awkward: keywords, spaces, `$`, a lone `h`, non-ASCII.
const NAMES: &[&str] = &[
    "DeviceName",
    "FileName",
    "x",
    "T",
    "$table",
    "by",
    "has",
    "h",
    "a b",
    "Größe",
    "count",
    "search",
    "let",
    "in",
    "asc",
    "x_cs",
    "contains_cs",
    "true",
    "nulls",
    "project-away",
    "datetime",
    "it's",
    "q\"uote",
    "back\\slash",
    "_",
    "with",
];

const FUNCTIONS: &[&str] = &["tolower", "strcat", "iff", "count", "f", "not", "bin"];

fn span() -> Span {
    Span::new(1, 1)
}

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_owned)
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        prop::sample::select(vec![
            ColumnKind::Long,
            ColumnKind::Real,
            ColumnKind::Bool,
            ColumnKind::DateTime,
            ColumnKind::Timespan,
            ColumnKind::Dynamic,
        ])
        .prop_map(Literal::Null),
        any::<bool>().prop_map(Literal::Bool),
        (i64::MIN + 1..=i64::MAX).prop_map(Literal::Long),
        // Every NaN prints as `real(nan)`, which reads back as this one.
        prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-0.0)
        ]
        .prop_map(|r| Literal::Real(if r.is_nan() { f64::NAN } else { r })),
        any::<String>().prop_map(Literal::Str),
        (Timestamp::MIN.0..=Timestamp::MAX.0).prop_map(|t| Literal::DateTime(Timestamp(t))),
        (i64::MIN + 1..=i64::MAX).prop_map(Literal::Timespan),
    ]
}

fn expr_of(kind: ExprKind) -> Expr {
    Expr::new(kind, span())
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        literal().prop_map(|l| expr_of(ExprKind::Literal(l))),
        name().prop_map(|n| expr_of(ExprKind::Name(n))),
    ];
    leaf.prop_recursive(5, 48, 4, |inner| {
        let binary_op = prop_oneof![
            prop::sample::select(vec![
                Arith::Add,
                Arith::Sub,
                Arith::Mul,
                Arith::Div,
                Arith::Mod
            ])
            .prop_map(BinaryOp::Arith),
            prop::sample::select(vec![
                Comparison::Eq,
                Comparison::Ne,
                Comparison::Lt,
                Comparison::Le,
                Comparison::Gt,
                Comparison::Ge,
                Comparison::EqCi,
                Comparison::NeCi,
            ])
            .prop_map(BinaryOp::Compare),
            (
                prop::sample::select(StringOp::ALL.to_vec()),
                any::<bool>(),
                any::<bool>()
            )
                .prop_map(|(op, negated, case_sensitive)| BinaryOp::Match {
                    op,
                    negated,
                    case_sensitive
                }),
        ];
        let arg = prop_oneof![4 => inner.clone(), 1 => Just(expr_of(ExprKind::Star))];
        prop_oneof![
            inner
                .clone()
                .prop_map(|e| expr_of(ExprKind::Negate(Box::new(e)))),
            (binary_op, inner.clone(), inner.clone()).prop_map(|(op, l, r)| expr_of(
                ExprKind::Binary {
                    op,
                    left: Box::new(l),
                    right: Box::new(r)
                }
            )),
            (
                prop::sample::select(vec![LogicalOp::And, LogicalOp::Or]),
                prop::collection::vec(inner.clone(), 2..4)
            )
                .prop_map(|(op, operands)| expr_of(ExprKind::Logical { op, operands })),
            (
                prop::sample::select(FUNCTIONS).prop_map(str::to_owned),
                prop::collection::vec(arg, 0..4)
            )
                .prop_map(|(name, args)| expr_of(ExprKind::Call { name, args })),
            (
                inner.clone(),
                prop::sample::select(vec![
                    ListOp::In,
                    ListOp::InCi,
                    ListOp::HasAny,
                    ListOp::HasAll
                ]),
                any::<bool>(),
                prop::collection::vec(inner.clone(), 1..4)
            )
                .prop_map(|(value, op, negated, list)| expr_of(ExprKind::List {
                    value: Box::new(value),
                    negated: negated && matches!(op, ListOp::In | ListOp::InCi),
                    op,
                    list
                })),
            (inner.clone(), inner.clone(), inner, any::<bool>()).prop_map(
                |(value, low, high, negated)| expr_of(ExprKind::Between {
                    value: Box::new(value),
                    low: Box::new(low),
                    high: Box::new(high),
                    negated
                })
            ),
        ]
    })
}

fn a_name() -> impl Strategy<Value = Name> {
    name().prop_map(|text| Name { text, span: span() })
}

fn assignments() -> impl Strategy<Value = Vec<Assignment>> {
    prop::collection::vec(
        (prop::option::of(a_name()), expr()).prop_map(|(name, expr)| Assignment { name, expr }),
        1..4,
    )
}

fn pattern() -> impl Strategy<Value = Pattern> {
    prop_oneof![
        name().prop_map(|text| Pattern {
            text,
            wildcard: false,
            span: span()
        }),
        prop::sample::select(vec!["Account*", "*Id", "*", "a*b*c", "$x*", "by*"]).prop_map(|t| {
            Pattern {
                text: t.to_owned(),
                wildcard: true,
                span: span(),
            }
        }),
    ]
}

fn sort_key() -> impl Strategy<Value = SortKey> {
    (
        expr(),
        prop::option::of(prop::sample::select(vec![Order::Asc, Order::Desc])),
        prop::option::of(prop::sample::select(vec![Nulls::First, Nulls::Last])),
    )
        .prop_map(|(expr, order, nulls)| SortKey { expr, order, nulls })
}

fn operator() -> impl Strategy<Value = Operator> {
    let kind = prop_oneof![
        expr().prop_map(OperatorKind::Where),
        assignments().prop_map(OperatorKind::Project),
        assignments().prop_map(OperatorKind::Extend),
        prop::collection::vec(pattern(), 1..3).prop_map(OperatorKind::ProjectAway),
        prop::collection::vec(pattern(), 1..3).prop_map(OperatorKind::ProjectKeep),
        prop::collection::vec(pattern(), 1..3).prop_map(OperatorKind::ProjectReorder),
        prop::collection::vec((a_name(), a_name()), 1..3).prop_map(OperatorKind::ProjectRename),
        (
            assignments(),
            prop::collection::vec(
                (prop::option::of(a_name()), expr())
                    .prop_map(|(name, expr)| Assignment { name, expr }),
                0..3
            )
        )
            .prop_map(|(aggregates, by)| OperatorKind::Summarize { aggregates, by }),
        prop::collection::vec(
            (prop::option::of(a_name()), expr()).prop_map(|(name, expr)| Assignment { name, expr }),
            1..3
        )
        .prop_map(|by| OperatorKind::Summarize {
            aggregates: Vec::new(),
            by
        }),
        prop::collection::vec(sort_key(), 1..3).prop_map(OperatorKind::Sort),
        expr().prop_map(OperatorKind::Take),
        (expr(), sort_key()).prop_map(|(count, key)| OperatorKind::Top { count, key }),
        Just(OperatorKind::Count),
        prop::collection::vec(a_name(), 0..3).prop_map(OperatorKind::Distinct),
        a_name().prop_map(OperatorKind::Render),
    ];
    kind.prop_map(|kind| Operator { kind, span: span() })
}

fn source() -> impl Strategy<Value = SourceExpr> {
    prop_oneof![
        a_name().prop_map(SourceExpr::Table),
        (
            prop::option::of(prop::collection::vec(a_name(), 1..3)),
            expr()
        )
            .prop_map(|(tables, predicate)| SourceExpr::Search {
                tables,
                predicate,
                span: span()
            }),
        assignments().prop_map(|columns| SourceExpr::Print {
            columns,
            span: span()
        }),
    ]
}

fn pipeline() -> impl Strategy<Value = Pipeline> {
    (source(), prop::collection::vec(operator(), 0..4))
        .prop_map(|(source, operators)| Pipeline { source, operators })
}

fn statement() -> impl Strategy<Value = Statement> {
    prop_oneof![
        pipeline().prop_map(Statement::Tabular),
        (a_name(), expr()).prop_map(|(name, e)| Statement::Let {
            name,
            value: LetValue::Scalar(e)
        }),
        // A tabular `let` needs an operator or a `search`/`print` source to read as one: `let
        // x = T;` is a name until the query is compiled.
        (a_name(), pipeline())
            .prop_filter("reads as tabular", |(_, p)| {
                !p.operators.is_empty() || !matches!(p.source, SourceExpr::Table(_))
            })
            .prop_map(|(name, p)| Statement::Let {
                name,
                value: LetValue::Tabular(p)
            }),
    ]
}

fn query() -> impl Strategy<Value = Query> {
    prop::collection::vec(statement(), 1..4).prop_map(|statements| Query { statements })
}

fn catalog() -> Catalog<'static> {
    let mut t = Table::new(
        "T",
        vec![
            Column::new("x", ColumnKind::Long),
            Column::new("DeviceName", ColumnKind::String),
            Column::new("FileName", ColumnKind::String),
        ],
    );
    t.rows = (0..20)
        .map(|i| {
            vec![
                if i % 5 == 0 {
                    Value::Null
                } else {
                    Value::Long(i)
                },
                Value::string(format!("host-{}", i % 3)),
                Value::string(String::new()),
            ]
        })
        .collect();
    Catalog::new().with(t)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_tree_prints_to_text_that_parses_back_to_it(q in query()) {
        let text = q.to_string();
        let again = parse(&text);
        prop_assert!(again.is_ok(), "{text}\n{:?}", again.err());
        prop_assert_eq!(again.unwrap(), q, "{}", text);
    }

    #[test]
    fn running_a_generated_query_never_panics(q in query()) {
        // Most generated queries do not type-check; those that do must run to the end.
        let _ = run(&q.to_string(), &catalog(), &RunOptions::at(Timestamp(0)));
    }

    #[test]
    fn no_text_makes_the_parser_panic(text in "\\PC{0,200}") {
        let _ = parse(&text);
    }

    #[test]
    fn text_made_of_kql_tokens_never_panics(parts in prop::collection::vec(prop::sample::select(vec![
        "T", "|", "where", "x", "==", "1", "(", ")", "and", "or", "!has", "in~", "\"a\"", "project",
        "summarize", "count()", "by", "bin(", ",", "1d", "datetime(2024-01-01)", "..", "between",
        "sort", "top", "take", "let", "=", ";", "search", "*", "-", "print", "arg_max(", "extend",
        "iff(", "project-away", "distinct", "['a b']", "//", "\n", "nulls", "first", "asc",
    ]), 0..30)) {
        let text = parts.join(" ");
        if let Ok(q) = parse(&text) {
            prop_assert_eq!(parse(&q.to_string()).ok(), Some(q.clone()), "{}", text);
            let _ = run(&text, &catalog(), &RunOptions::at(Timestamp(0)));
        }
    }
}
