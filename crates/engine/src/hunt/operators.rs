//! The statement grammar: `let`, then one tabular expression, a source (a table, `search`,
//! `print`) followed by `| operator …`.

use super::ast::{
    Assignment, Expr, LetValue, Nulls, Operator, OperatorKind, Order, Pattern, Pipeline, Query,
    SortKey, Source, Statement,
};
use super::error::QueryError;
use super::lexer::{tokenize, Sym, Tok};
use super::parser::Parser;

/// The tabular operators this subset runs, as the error for an unknown one lists them.
pub const OPERATORS: &[&str] = &[
    "where",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "extend",
    "summarize",
    "sort",
    "order",
    "take",
    "limit",
    "top",
    "count",
    "distinct",
    "render",
];

/// Kusto operators that exist but that this subset does not run.
const UNSUPPORTED: &[&str] = &[
    "join",
    "union",
    "lookup",
    "mv-expand",
    "mv-apply",
    "parse",
    "parse-where",
    "evaluate",
    "make-series",
    "as",
    "invoke",
    "serialize",
    "sample",
    "sample-distinct",
    "getschema",
    "facet",
    "fork",
    "partition",
    "scan",
    "range",
    "find",
    "top-nested",
    "top-hitters",
    "reduce",
    "consume",
    "search",
    "externaldata",
    "datatable",
];

/// Parses a whole query.
pub fn parse(text: &str) -> Result<Query, QueryError> {
    let mut p = Parser::new(tokenize(text)?);
    let mut statements = Vec::new();
    loop {
        while p.eat_sym(Sym::Semi) {}
        if *p.tok() == Tok::End {
            break;
        }
        statements.push(statement(&mut p)?);
        if *p.tok() == Tok::End {
            break;
        }
        if !p.eat_sym(Sym::Semi) {
            return Err(p.expected("`|`, `;` or the end of the query"));
        }
    }
    Ok(Query { statements })
}

fn statement(p: &mut Parser<'_>) -> Result<Statement, QueryError> {
    if p.eat_word("let") {
        let name = p.name("a name after `let`")?;
        p.expect_sym(Sym::Assign, &format!("`=` after `let {}`", name.text))?;
        let tabular = p.is_word("search")
            || p.is_word("print")
            || (matches!(p.tok(), Tok::Ident { .. }) && *p.tok_at(1) == Tok::Sym(Sym::Pipe));
        let value = if tabular {
            LetValue::Tabular(pipeline(p)?)
        } else {
            LetValue::Scalar(p.expr()?)
        };
        return Ok(Statement::Let { name, value });
    }
    Ok(Statement::Tabular(pipeline(p)?))
}

fn pipeline(p: &mut Parser<'_>) -> Result<Pipeline, QueryError> {
    let source = source(p)?;
    let mut operators = Vec::new();
    while p.eat_sym(Sym::Pipe) {
        operators.push(operator(p)?);
    }
    Ok(Pipeline { source, operators })
}

fn source(p: &mut Parser<'_>) -> Result<Source, QueryError> {
    let span = p.span();
    if p.eat_word("search") {
        if p.is_word("kind") {
            return Err(QueryError::at(
                p.span(),
                "`search kind=…` is not supported: search is case-insensitive here",
            ));
        }
        let tables = if p.eat_word("in") {
            p.expect_sym(Sym::LParen, "`(` after `search in`")?;
            let mut names = vec![p.name("a table name")?];
            while p.eat_sym(Sym::Comma) {
                names.push(p.name("a table name after `,`")?);
            }
            p.expect_sym(Sym::RParen, "`,` or `)` after the table names")?;
            Some(names)
        } else {
            None
        };
        let predicate = p.expr()?;
        return Ok(Source::Search {
            tables,
            predicate,
            span,
        });
    }
    if p.eat_word("print") {
        let columns = assignments(p, "an expression after `print`")?;
        return Ok(Source::Print { columns, span });
    }
    match p.tok() {
        Tok::Ident { .. } => Ok(Source::Table(p.name("a table name")?)),
        _ => Err(p.expected("a table name, `search`, `print` or `let`")),
    }
}

fn operator(p: &mut Parser<'_>) -> Result<Operator, QueryError> {
    let span = p.span();
    let word = match p.tok() {
        Tok::Ident {
            name,
            quoted: false,
        } => name.clone(),
        _ => return Err(p.expected("an operator after `|`")),
    };
    p.advance();
    let kind = match word.as_str() {
        "where" | "filter" => OperatorKind::Where(p.expr()?),
        "project" => OperatorKind::Project(assignments(p, "a column after `project`")?),
        "extend" => OperatorKind::Extend(assignments(p, "a column after `extend`")?),
        "project-away" => OperatorKind::ProjectAway(patterns(p, &word)?),
        "project-keep" => OperatorKind::ProjectKeep(patterns(p, &word)?),
        "project-reorder" => OperatorKind::ProjectReorder(patterns(p, &word)?),
        "project-rename" => {
            let mut pairs = Vec::new();
            loop {
                let new = p.name("a new column name after `project-rename`")?;
                p.expect_sym(Sym::Assign, &format!("`=` after `{}`", new.text))?;
                let old = p.name("the column to rename")?;
                pairs.push((new, old));
                if !p.eat_sym(Sym::Comma) {
                    break;
                }
            }
            OperatorKind::ProjectRename(pairs)
        }
        "summarize" => {
            let aggregates = if p.is_word("by") {
                Vec::new()
            } else {
                assignments(
                    p,
                    "an aggregation such as count() or `by` after `summarize`",
                )?
            };
            let by = if p.eat_word("by") {
                assignments(p, "a column name or an expression after `by`")?
            } else {
                Vec::new()
            };
            OperatorKind::Summarize { aggregates, by }
        }
        "sort" | "order" => {
            p.expect_word("by", &format!("`by` after `{word}`"))?;
            let mut keys = vec![sort_key(p)?];
            while p.eat_sym(Sym::Comma) {
                keys.push(sort_key(p)?);
            }
            OperatorKind::Sort(keys)
        }
        "take" | "limit" => OperatorKind::Take(p.expr()?),
        "top" => {
            let count = p.expr()?;
            p.expect_word("by", "`by` after the number of rows of `top`")?;
            OperatorKind::Top {
                count,
                key: sort_key(p)?,
            }
        }
        "count" => OperatorKind::Count,
        "distinct" => {
            if p.eat_sym(Sym::Star) {
                OperatorKind::Distinct(Vec::new())
            } else {
                let mut names = vec![p.name("a column name or `*` after `distinct`")?];
                while p.eat_sym(Sym::Comma) {
                    names.push(p.name("a column name after `,`")?);
                }
                OperatorKind::Distinct(names)
            }
        }
        "render" => {
            let chart = p.name("a chart type after `render`, such as timechart")?;
            if p.eat_word("with") {
                skip_parenthesised(p)?;
            }
            OperatorKind::Render(chart)
        }
        w if UNSUPPORTED.contains(&w) => {
            return Err(QueryError::at(
                span,
                format!(
                    "`{w}` is not supported here; the operators are {}",
                    OPERATORS.join(", ")
                ),
            ))
        }
        w => {
            return Err(QueryError::at(
                span,
                format!(
                    "unknown operator `{w}`: expected one of {}",
                    OPERATORS.join(", ")
                ),
            ))
        }
    };
    Ok(Operator { kind, span })
}

/// `with (title="…", …)` after `render`: skipped, since rendering is the page's business.
fn skip_parenthesised(p: &mut Parser<'_>) -> Result<(), QueryError> {
    p.expect_sym(Sym::LParen, "`(` after `with`")?;
    let mut open = 1usize;
    while open > 0 {
        match p.tok() {
            Tok::End => return Err(p.expected("`)` to close `with (`")),
            Tok::Sym(Sym::LParen) => open += 1,
            Tok::Sym(Sym::RParen) => open -= 1,
            _ => {}
        }
        p.advance();
    }
    Ok(())
}

/// `a = expr, expr, …`.
fn assignments(p: &mut Parser<'_>, what: &str) -> Result<Vec<Assignment>, QueryError> {
    let mut out = Vec::new();
    loop {
        let named = matches!(p.tok(), Tok::Ident { .. }) && *p.tok_at(1) == Tok::Sym(Sym::Assign);
        let name = if named {
            let n = p.name("a column name")?;
            p.advance();
            Some(n)
        } else {
            None
        };
        if out.is_empty() && !named && starts_no_expression(p.tok()) {
            return Err(p.expected(what));
        }
        let expr: Expr = p.expr()?;
        out.push(Assignment { name, expr });
        if !p.eat_sym(Sym::Comma) {
            return Ok(out);
        }
    }
}

/// Tokens that cannot begin an expression, for a clearer message than "expected an expression".
fn starts_no_expression(tok: &Tok) -> bool {
    match tok {
        Tok::End | Tok::Sym(Sym::RParen | Sym::Pipe | Sym::Semi | Sym::Comma | Sym::Assign) => true,
        Tok::Ident {
            name,
            quoted: false,
        } => name == "by",
        _ => false,
    }
}

fn sort_key(p: &mut Parser<'_>) -> Result<SortKey, QueryError> {
    if starts_no_expression(p.tok()) {
        return Err(p.expected("a column name or an expression to sort by"));
    }
    let expr = p.expr()?;
    let order = if p.eat_word("asc") {
        Some(Order::Asc)
    } else if p.eat_word("desc") {
        Some(Order::Desc)
    } else {
        None
    };
    let nulls = if p.eat_word("nulls") {
        if p.eat_word("first") {
            Some(Nulls::First)
        } else if p.eat_word("last") {
            Some(Nulls::Last)
        } else {
            return Err(p.expected("`first` or `last` after `nulls`"));
        }
    } else {
        None
    };
    Ok(SortKey { expr, order, nulls })
}

/// Column names or wildcard patterns (`Account*`, `*Id`), separated by commas.
fn patterns(p: &mut Parser<'_>, op: &str) -> Result<Vec<Pattern>, QueryError> {
    let mut out = Vec::new();
    loop {
        out.push(pattern(p, op)?);
        if !p.eat_sym(Sym::Comma) {
            return Ok(out);
        }
    }
}

fn pattern(p: &mut Parser<'_>, op: &str) -> Result<Pattern, QueryError> {
    let span = p.span();
    if let Tok::Ident { name, quoted: true } = p.tok() {
        let text = name.clone();
        p.advance();
        return Ok(Pattern {
            text,
            wildcard: false,
            span,
        });
    }
    let mut text = String::new();
    let mut wildcard = false;
    loop {
        match p.tok() {
            Tok::Ident {
                name,
                quoted: false,
            } => text.push_str(name),
            Tok::Sym(Sym::Star) => {
                wildcard = true;
                text.push('*');
            }
            _ if text.is_empty() => {
                return Err(p.expected(&format!("a column name or pattern after `{op}`")))
            }
            _ => break,
        }
        let adjacent = p.next_is_adjacent();
        p.advance();
        if !adjacent {
            break;
        }
    }
    Ok(Pattern {
        text,
        wildcard,
        span,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_go_hunt_query_parses() {
        let q = parse(
            "let selectedTimestamp = datetime(2020-06-02T02:06:47.1167157Z);\n\
             let deviceName = \"fv-az770.example.com\";\n\
             search in (DeviceLogonEvents, DeviceProcessEvents)\n\
             Timestamp between ((selectedTimestamp - 1h) .. (selectedTimestamp + 1h))\n\
             and DeviceName == deviceName\n\
             // or DeviceId == deviceId\n\
             | take 100",
        )
        .unwrap();
        assert_eq!(q.statements.len(), 3);
        let Statement::Tabular(pipe) = &q.statements[2] else {
            panic!("{q:?}")
        };
        assert!(matches!(pipe.source, Source::Search { .. }));
        assert_eq!(pipe.operators.len(), 1);
    }

    #[test]
    fn every_operator_parses() {
        let q = parse(
            "T | where a == 1 | project a, b = c * 2 | project-away x* | project-keep a, b \
             | project-reorder b | project-rename z = a | extend y = iff(a > 1, 'x', 'y') \
             | summarize n = count(), dcount(b) by bin(t, 1d), k | sort by n asc nulls last, k \
             | take 5 | top 3 by n desc | count | distinct * | distinct Count | render timechart with (title='x')",
        )
        .unwrap();
        let Statement::Tabular(pipe) = &q.statements[0] else {
            panic!()
        };
        assert_eq!(pipe.operators.len(), 15);
    }

    #[test]
    fn tabular_lets_are_pipelines() {
        let q = parse("let E = T | where x == 1; E | count").unwrap();
        assert!(matches!(
            q.statements[0],
            Statement::Let {
                value: LetValue::Tabular(_),
                ..
            }
        ));
    }

    #[test]
    fn errors_point_at_the_token() {
        let e = parse("T\n| summarize count() by )").unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 2, column 24: expected a column name or an expression after `by`, found `)`"
        );
        let e = parse("T | join U on x").unwrap_err();
        assert!(e.message.starts_with("`join` is not supported here"), "{e}");
        let e = parse("T | frobnicate").unwrap_err();
        assert!(
            e.message.starts_with("unknown operator `frobnicate`"),
            "{e}"
        );
        let e = parse("T | where").unwrap_err();
        assert_eq!(
            e.message,
            "expected an expression, found the end of the query"
        );
        let e = parse("T T").unwrap_err();
        assert_eq!(
            e.message,
            "expected `|`, `;` or the end of the query, found `T`"
        );
        let e = parse("| where x").unwrap_err();
        assert!(e.message.starts_with("expected a table name"), "{e}");
        let e = parse("T | sort by").unwrap_err();
        assert!(e
            .message
            .starts_with("expected a column name or an expression to sort by"));
    }
}
