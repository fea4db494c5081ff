//! Query text to tokens, each with its place.
//!
//! Literals whose inside is not an expression are read here whole: `datetime(2024-01-31 08:00)`
//! and `timespan(1.02:00:00)` become one token each, and a number followed by a unit (`1h`,
//! `7d`, `30m`, `1.5s`, `100ms`) is a timespan. Operators spelt with a hyphen
//! (`project-away`) and negated word operators (`!has`, `!in~`) are one token too.

use super::error::{QueryError, Span};
use crate::time::{Timestamp, DAY_MS, HOUR_MS, MINUTE_MS};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sym {
    Pipe,
    LParen,
    RParen,
    Comma,
    Semi,
    Assign,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    EqTilde,
    NotTilde,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    DotDot,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A name: a plain word, or `['…']` / `["…"]`, which is never a keyword.
    Ident {
        name: String,
        quoted: bool,
    },
    /// `!` and a word written together: `!has`, `!contains`, `!in`, `!in~`, `!between`.
    NotWord(String),
    Str(String),
    Long(i64),
    Real(f64),
    /// A number with a unit, in milliseconds.
    Timespan(i64),
    /// `datetime(…)`; `None` is `datetime(null)`.
    DateTime(Option<Timestamp>),
    /// `timespan(…)` or `time(…)`, in milliseconds; `None` is `timespan(null)`.
    TimespanLiteral(Option<i64>),
    Sym(Sym),
    End,
}

#[derive(Clone, Debug)]
pub struct Token<'q> {
    pub tok: Tok,
    pub span: Span,
    /// The token as written, for error messages.
    pub text: &'q str,
}

/// Operators whose names have a hyphen, read as one word when written without spaces.
const HYPHENATED: &[&str] = &[
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "mv-expand",
    "mv-apply",
    "make-series",
];

/// Timespan units and their length in milliseconds.
const UNITS: &[(&str, i64)] = &[
    ("d", DAY_MS),
    ("day", DAY_MS),
    ("days", DAY_MS),
    ("h", HOUR_MS),
    ("hr", HOUR_MS),
    ("hrs", HOUR_MS),
    ("hour", HOUR_MS),
    ("hours", HOUR_MS),
    ("m", MINUTE_MS),
    ("min", MINUTE_MS),
    ("minute", MINUTE_MS),
    ("minutes", MINUTE_MS),
    ("s", 1000),
    ("sec", 1000),
    ("second", 1000),
    ("seconds", 1000),
    ("ms", 1),
    ("milli", 1),
    ("millis", 1),
    ("millisecond", 1),
    ("milliseconds", 1),
];

/// Units finer than the exports' milliseconds, refused with a reason.
const FINE_UNITS: &[&str] = &[
    "tick",
    "ticks",
    "microsecond",
    "microseconds",
    "micro",
    "micros",
];

pub fn tokenize(src: &str) -> Result<Vec<Token<'_>>, QueryError> {
    let mut lexer = Lexer {
        src,
        chars: src.char_indices().collect(),
        i: 0,
        line: 1,
        column: 1,
    };
    let mut out = Vec::new();
    loop {
        lexer.skip_space_and_comments();
        let span = lexer.span();
        let start = lexer.offset();
        let Some(c) = lexer.peek(0) else {
            out.push(Token {
                tok: Tok::End,
                span,
                text: "",
            });
            return Ok(out);
        };
        let tok = lexer.token(c, span)?;
        let text = &src[start..lexer.offset()];
        out.push(Token { tok, span, text });
    }
}

struct Lexer<'q> {
    src: &'q str,
    chars: Vec<(usize, char)>,
    i: usize,
    line: u32,
    column: u32,
}

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '$'
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).map(|&(_, c)| c)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.i).map_or(self.src.len(), |&(o, _)| o)
    }

    fn span(&self) -> Span {
        Span::new(self.line, self.column)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.i += 1;
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else {
            self.column = self.column.saturating_add(1);
        }
        Some(c)
    }

    fn skip_space_and_comments(&mut self) {
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                _ => return,
            }
        }
    }

    fn word(&mut self) -> String {
        let mut w = String::new();
        while let Some(c) = self
            .peek(0)
            .filter(|&c| is_word(c) || (w.is_empty() && c == '$'))
        {
            w.push(c);
            self.bump();
        }
        w
    }

    fn token(&mut self, c: char, span: Span) -> Result<Tok, QueryError> {
        if c.is_ascii_digit() {
            return self.number(span);
        }
        if c == '@' && matches!(self.peek(1), Some('"' | '\'')) {
            self.bump();
            return self.verbatim(span);
        }
        if matches!(c, 'h' | 'H') {
            match (self.peek(1), self.peek(2)) {
                (Some('"' | '\''), _) => {
                    self.bump();
                    return self.string(span);
                }
                (Some('@'), Some('"' | '\'')) => {
                    self.bump();
                    self.bump();
                    return self.verbatim(span);
                }
                _ => {}
            }
        }
        if is_word_start(c) {
            return self.word_token(span);
        }
        match c {
            '"' | '\'' => self.string(span),
            '[' => self.quoted_name(span),
            '!' if self.peek(1).is_some_and(|c| c.is_ascii_alphabetic()) => {
                self.bump();
                let mut w = self.word();
                if w == "in" && self.peek(0) == Some('~') {
                    self.bump();
                    w.push('~');
                }
                Ok(Tok::NotWord(w))
            }
            _ => self.symbol(c, span),
        }
    }

    fn word_token(&mut self, span: Span) -> Result<Tok, QueryError> {
        let mut w = self.word();
        if w == "in" && self.peek(0) == Some('~') {
            self.bump();
            w.push('~');
        }
        if self.peek(0) == Some('-') {
            for h in HYPHENATED {
                let Some(rest) = h.strip_prefix(w.as_str()).and_then(|r| r.strip_prefix('-'))
                else {
                    continue;
                };
                let n = rest.chars().count();
                let follows = (0..n).all(|k| self.peek(1 + k) == rest.chars().nth(k))
                    && !self.peek(1 + n).is_some_and(is_word);
                if follows {
                    for _ in 0..=n {
                        self.bump();
                    }
                    return Ok(Tok::Ident {
                        name: (*h).to_owned(),
                        quoted: false,
                    });
                }
            }
        }
        if matches!(w.as_str(), "datetime" | "timespan" | "time") && self.peek(0) == Some('(') {
            return self.raw_literal(&w, span);
        }
        Ok(Tok::Ident {
            name: w,
            quoted: false,
        })
    }

    /// The inside of `datetime(…)` or `timespan(…)`, up to the closing parenthesis.
    fn raw_literal(&mut self, word: &str, span: Span) -> Result<Tok, QueryError> {
        self.bump();
        let mut inside = String::new();
        loop {
            match self.peek(0) {
                Some(')') => {
                    self.bump();
                    break;
                }
                Some('\n') | None => {
                    return Err(QueryError::at(
                        span,
                        format!("`{word}(` is not closed by `)` on its line"),
                    ))
                }
                Some(c) => {
                    inside.push(c);
                    self.bump();
                }
            }
        }
        let inside = inside.trim();
        if word == "datetime" {
            if inside == "null" {
                return Ok(Tok::DateTime(None));
            }
            return match Timestamp::parse(inside) {
                Some(t) => Ok(Tok::DateTime(Some(t))),
                None => Err(QueryError::at(
                    span,
                    format!(
                        "`{inside}` is not a date and time: write it as 2024-01-31, \
                         2024-01-31 08:00 or 2024-01-31T08:00:00Z"
                    ),
                )),
            };
        }
        if inside == "null" {
            return Ok(Tok::TimespanLiteral(None));
        }
        match parse_timespan_text(inside) {
            Some(ms) => Ok(Tok::TimespanLiteral(Some(ms))),
            None => Err(QueryError::at(
                span,
                format!("`{inside}` is not a timespan: write it as 1h, 30m or 1.02:00:00"),
            )),
        }
    }

    fn number(&mut self, span: Span) -> Result<Tok, QueryError> {
        let start = self.offset();
        let mut real = false;
        while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
        if self.peek(0) == Some('.') && self.peek(1).is_some_and(|c| c.is_ascii_digit()) {
            real = true;
            self.bump();
            while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                self.bump();
            }
        }
        if matches!(self.peek(0), Some('e' | 'E')) {
            let digit_at = if matches!(self.peek(1), Some('+' | '-')) {
                2
            } else {
                1
            };
            if self.peek(digit_at).is_some_and(|c| c.is_ascii_digit()) {
                real = true;
                for _ in 0..digit_at {
                    self.bump();
                }
                while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                    self.bump();
                }
            }
        }
        let digits = &self.src[start..self.offset()];
        let unit = if self.peek(0).is_some_and(|c| c.is_ascii_alphabetic()) {
            self.word()
        } else {
            String::new()
        };
        if !unit.is_empty() {
            return timespan_of(digits, &unit)
                .map(Tok::Timespan)
                .map_err(|m| QueryError::at(span, m));
        }
        if real {
            return match digits.parse::<f64>() {
                Ok(r) if r.is_finite() => Ok(Tok::Real(r)),
                _ => Err(QueryError::at(
                    span,
                    format!("the number `{digits}` is too large"),
                )),
            };
        }
        digits.parse::<i64>().map(Tok::Long).map_err(|_| {
            QueryError::at(
                span,
                format!("the number `{digits}` is too large for a long"),
            )
        })
    }

    fn string(&mut self, span: Span) -> Result<Tok, QueryError> {
        let quote = self.bump().unwrap_or('"');
        let mut out = String::new();
        loop {
            let at = self.span();
            match self.bump() {
                None | Some('\n') => return Err(unclosed(span)),
                Some(c) if c == quote => return Ok(Tok::Str(out)),
                Some('\\') => {
                    let escaped = match self.bump() {
                        Some('n') => '\n',
                        Some('r') => '\r',
                        Some('t') => '\t',
                        Some('0') => '\0',
                        Some('\\') => '\\',
                        Some('"') => '"',
                        Some('\'') => '\'',
                        Some('u') => self.unicode_escape(at)?,
                        Some(c) if c != '\n' => {
                            return Err(QueryError::at(
                                at,
                                format!("`\\{c}` is not an escape Kusto knows in a string"),
                            ))
                        }
                        _ => return Err(unclosed(span)),
                    };
                    out.push(escaped);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn unicode_escape(&mut self, at: Span) -> Result<char, QueryError> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = self.peek(0).and_then(|c| c.to_digit(16));
            let Some(d) = digit else {
                return Err(QueryError::at(at, "`\\u` needs four hexadecimal digits"));
            };
            self.bump();
            code = code * 16 + d;
        }
        char::from_u32(code).ok_or_else(|| {
            QueryError::at(
                at,
                format!("`\\u{code:04x}` is half of a surrogate pair, not a character"),
            )
        })
    }

    /// `@"C:\Windows"`: backslashes are themselves, a doubled quote is one quote.
    fn verbatim(&mut self, span: Span) -> Result<Tok, QueryError> {
        let quote = self.bump().unwrap_or('"');
        let mut out = String::new();
        loop {
            match self.bump() {
                None | Some('\n') => return Err(unclosed(span)),
                Some(c) if c == quote => {
                    if self.peek(0) == Some(quote) {
                        self.bump();
                        out.push(quote);
                    } else {
                        return Ok(Tok::Str(out));
                    }
                }
                Some(c) => out.push(c),
            }
        }
    }

    /// `['name']` or `["name"]`: a name that is not a plain word.
    fn quoted_name(&mut self, span: Span) -> Result<Tok, QueryError> {
        self.bump();
        if !matches!(self.peek(0), Some('"' | '\'')) {
            return Err(QueryError::at(
                span,
                "expected a quoted name after `[`, as in ['Column name']",
            ));
        }
        let Tok::Str(name) = self.string(span)? else {
            return Err(unclosed(span));
        };
        if self.peek(0) != Some(']') {
            return Err(QueryError::at(span, "expected `]` after the quoted name"));
        }
        self.bump();
        Ok(Tok::Ident { name, quoted: true })
    }

    fn symbol(&mut self, c: char, span: Span) -> Result<Tok, QueryError> {
        let next = self.peek(1);
        let (sym, len) = match (c, next) {
            ('=', Some('=')) => (Sym::EqEq, 2),
            ('=', Some('~')) => (Sym::EqTilde, 2),
            ('!', Some('=')) => (Sym::NotEq, 2),
            ('!', Some('~')) => (Sym::NotTilde, 2),
            ('<', Some('=')) => (Sym::Le, 2),
            ('<', Some('>')) => (Sym::NotEq, 2),
            ('>', Some('=')) => (Sym::Ge, 2),
            ('.', Some('.')) => (Sym::DotDot, 2),
            ('=', _) => (Sym::Assign, 1),
            ('<', _) => (Sym::Lt, 1),
            ('>', _) => (Sym::Gt, 1),
            ('|', _) => (Sym::Pipe, 1),
            ('(', _) => (Sym::LParen, 1),
            (')', _) => (Sym::RParen, 1),
            (',', _) => (Sym::Comma, 1),
            (';', _) => (Sym::Semi, 1),
            ('+', _) => (Sym::Plus, 1),
            ('-', _) => (Sym::Minus, 1),
            ('*', _) => (Sym::Star, 1),
            ('/', _) => (Sym::Slash, 1),
            ('%', _) => (Sym::Percent, 1),
            _ => {
                let shown = if c.is_control() {
                    format!("the control character U+{:04X}", u32::from(c))
                } else {
                    format!("`{c}`")
                };
                return Err(QueryError::at(
                    span,
                    format!("unexpected {shown} in the query"),
                ));
            }
        };
        for _ in 0..len {
            self.bump();
        }
        Ok(Tok::Sym(sym))
    }
}

fn unclosed(span: Span) -> QueryError {
    QueryError::at(span, "this string is not closed before the end of its line")
}

/// `1.5h` as milliseconds, or why not.
fn timespan_of(digits: &str, unit: &str) -> Result<i64, String> {
    if FINE_UNITS.contains(&unit) {
        return Err(format!(
            "`{digits}{unit}`: times here have millisecond precision, the precision of the exports"
        ));
    }
    let Some(&(_, ms)) = UNITS.iter().find(|(u, _)| *u == unit) else {
        return Err(format!(
            "`{unit}` is not a timespan unit: use d, h, m, s or ms (as in 7d, 1h, 30m)"
        ));
    };
    let too_long = || format!("the timespan `{digits}{unit}` is too long");
    if let Ok(n) = digits.parse::<i64>() {
        return n.checked_mul(ms).ok_or_else(too_long);
    }
    let r: f64 = digits.parse().map_err(|_| too_long())?;
    let total = r * ms as f64;
    if total.is_finite() && total.abs() < 9.0e18 {
        Ok(total.trunc() as i64)
    } else {
        Err(too_long())
    }
}

/// The inside of `timespan(…)`: `1h`, `1.5d`, `02:30`, `1.02:03:04.5`.
fn parse_timespan_text(text: &str) -> Option<i64> {
    let split = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(text.len(), |(i, _)| i);
    let (digits, unit) = text.split_at(split);
    if !digits.is_empty() && unit.chars().all(|c| c.is_ascii_alphabetic()) && !unit.is_empty() {
        return timespan_of(digits, unit).ok();
    }
    parse_clock(text)
}

/// `[d.]hh:mm[:ss[.fff]]`.
fn parse_clock(text: &str) -> Option<i64> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut parts = text.split(':');
    let first = parts.next()?;
    let (days, hours) = match first.split_once('.') {
        Some((d, h)) => (number(d)?, number(h)?),
        None => (0, number(first)?),
    };
    let minutes = number(parts.next()?)?;
    let (seconds, millis) = match parts.next() {
        None => (0, 0),
        Some(s) => match s.split_once('.') {
            None => (number(s)?, 0),
            Some((whole, frac)) => {
                if frac.is_empty() || !frac.chars().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                let padded: String = frac.chars().chain("000".chars()).take(3).collect();
                (number(whole)?, number(&padded)?)
            }
        },
    };
    if parts.next().is_some() || hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    let ms = days
        .checked_mul(DAY_MS)?
        .checked_add(hours * HOUR_MS + minutes * MINUTE_MS + seconds * 1000 + millis)?;
    Some(if negative { -ms } else { ms })
}

fn number(text: &str) -> Option<i64> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        tokenize(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    fn ident(name: &str) -> Tok {
        Tok::Ident {
            name: name.to_owned(),
            quoted: false,
        }
    }

    #[test]
    fn words_numbers_and_symbols() {
        assert_eq!(
            toks("T | where x >= 1.5 and y != 'a' // comment\n| take 10"),
            vec![
                ident("T"),
                Tok::Sym(Sym::Pipe),
                ident("where"),
                ident("x"),
                Tok::Sym(Sym::Ge),
                Tok::Real(1.5),
                ident("and"),
                ident("y"),
                Tok::Sym(Sym::NotEq),
                Tok::Str("a".to_owned()),
                Tok::Sym(Sym::Pipe),
                ident("take"),
                Tok::Long(10),
                Tok::End,
            ]
        );
    }

    #[test]
    fn timespans_and_datetimes_are_one_token() {
        assert_eq!(toks("1h")[0], Tok::Timespan(HOUR_MS));
        assert_eq!(toks("1.5d")[0], Tok::Timespan(36 * HOUR_MS));
        assert_eq!(toks("30m")[0], Tok::Timespan(30 * MINUTE_MS));
        assert_eq!(toks("100ms")[0], Tok::Timespan(100));
        assert_eq!(
            toks("datetime(2024-01-02 03:04)")[0],
            Tok::DateTime(Timestamp::parse("2024-01-02T03:04:00Z"))
        );
        assert_eq!(toks("datetime(null)")[0], Tok::DateTime(None));
        assert_eq!(
            toks("timespan(1.02:00:00)")[0],
            Tok::TimespanLiteral(Some(DAY_MS + 2 * HOUR_MS))
        );
        assert_eq!(toks("time(2h)")[0], Tok::TimespanLiteral(Some(2 * HOUR_MS)));
    }

    #[test]
    fn between_bounds_are_not_reals() {
        assert_eq!(
            toks("(1..2)"),
            vec![
                Tok::Sym(Sym::LParen),
                Tok::Long(1),
                Tok::Sym(Sym::DotDot),
                Tok::Long(2),
                Tok::Sym(Sym::RParen),
                Tok::End
            ]
        );
    }

    #[test]
    fn hyphenated_and_negated_operators() {
        assert_eq!(toks("project-away")[0], ident("project-away"));
        assert_eq!(
            toks("project - away")[..3],
            [ident("project"), Tok::Sym(Sym::Minus), ident("away")]
        );
        assert_eq!(toks("!has")[0], Tok::NotWord("has".to_owned()));
        assert_eq!(toks("!in~")[0], Tok::NotWord("in~".to_owned()));
        assert_eq!(toks("in~")[0], ident("in~"));
    }

    #[test]
    fn strings_in_every_quoting() {
        assert_eq!(toks(r#""a\"b\\c\n""#)[0], Tok::Str("a\"b\\c\n".to_owned()));
        assert_eq!(
            toks(r#"@"C:\Win""dows""#)[0],
            Tok::Str(r#"C:\Win"dows"#.to_owned())
        );
        assert_eq!(toks("h'secret'")[0], Tok::Str("secret".to_owned()));
        assert_eq!(
            toks("['$table']")[0],
            Tok::Ident {
                name: "$table".to_owned(),
                quoted: true
            }
        );
        assert_eq!(toks("$table")[0], ident("$table"));
        assert_eq!(toks(r#""\u00e9""#)[0], Tok::Str("é".to_owned()));
    }

    #[test]
    fn errors_name_their_place() {
        let e = tokenize("T\n| where x == \"abc").unwrap_err();
        assert_eq!((e.line, e.column), (2, 14));
        assert!(e.message.contains("not closed"), "{e}");
        let e = tokenize("99999999999999999999").unwrap_err();
        assert!(e.message.contains("too large"), "{e}");
        let e = tokenize("5x").unwrap_err();
        assert!(e.message.contains("not a timespan unit"), "{e}");
        let e = tokenize("1tick").unwrap_err();
        assert!(e.message.contains("millisecond"), "{e}");
        let e = tokenize("T | where a # b").unwrap_err();
        assert_eq!((e.line, e.column), (1, 13));
        let e = tokenize("datetime(yesterday)").unwrap_err();
        assert!(e.message.contains("not a date"), "{e}");
        let e = tokenize("1e999").unwrap_err();
        assert!(e.message.contains("too large"), "{e}");
    }
}
