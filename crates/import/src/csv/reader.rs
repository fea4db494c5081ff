//! An RFC 4180 reader over text: fields separated by commas (or, when the first line has none,
//! semicolons or tabs, as spreadsheets in some locales save), quoted when they hold a
//! separator, a quote or a line break, quotes doubled inside quotes, CRLF, LF or CR line ends,
//! a byte order mark allowed, blank lines skipped. Fields borrow from the text unless they
//! hold a doubled quote.

use super::CsvError;
use std::borrow::Cow;

/// One record and where it starts.
pub(super) struct Record<'a> {
    pub(super) fields: Vec<Cow<'a, str>>,
    /// 1-based row number, the header being row 1 (blank lines are not rows).
    pub(super) row: usize,
    pub(super) line: usize,
}

/// An RFC 4180 reader over text.
pub(super) struct Reader<'a> {
    /// The text after its byte order mark, if it has one.
    pub(super) text: &'a str,
    /// The offset in `text` the reader has reached.
    pub(super) pos: usize,
    line: usize,
    row: usize,
    separator: u8,
}

impl<'a> Reader<'a> {
    pub(super) fn new(text: &'a str) -> Reader<'a> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Reader {
            text,
            pos: 0,
            line: 1,
            row: 0,
            separator: separator_of(text),
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    /// Consumes a line end at `pos` (CRLF, LF or CR); false if there is none.
    fn line_end(&mut self) -> bool {
        match self.byte(self.pos) {
            Some(b'\r') => {
                self.pos += if self.byte(self.pos + 1) == Some(b'\n') {
                    2
                } else {
                    1
                };
                self.line += 1;
                true
            }
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
                true
            }
            _ => false,
        }
    }

    /// Skips lines that hold nothing but spaces and tabs.
    fn skip_blank_lines(&mut self) {
        loop {
            let rest = self.text.as_bytes().get(self.pos..).unwrap_or_default();
            let blank = rest
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
            match rest.get(blank) {
                Some(b'\r' | b'\n') => {
                    self.pos += blank;
                    self.line_end();
                }
                None if blank > 0 => self.pos += blank,
                _ => return,
            }
        }
    }

    /// The next record, or `None` at the end of the text.
    pub(super) fn next_record(&mut self) -> Option<Result<Record<'a>, CsvError>> {
        self.skip_blank_lines();
        if self.pos >= self.text.len() {
            return None;
        }
        self.row += 1;
        let (row, line) = (self.row, self.line);
        let mut fields = Vec::new();
        loop {
            let field = if self.byte(self.pos) == Some(b'"') {
                match self.quoted(row, line) {
                    Ok(f) => f,
                    Err(e) => return Some(Err(e)),
                }
            } else {
                self.unquoted()
            };
            fields.push(field);
            match self.byte(self.pos) {
                Some(c) if c == self.separator => self.pos += 1,
                None => break,
                Some(_) => {
                    self.line_end();
                    break;
                }
            }
        }
        Some(Ok(Record { fields, row, line }))
    }

    fn unquoted(&mut self) -> Cow<'a, str> {
        let start = self.pos;
        while let Some(c) = self.byte(self.pos) {
            if c == self.separator || c == b'\r' || c == b'\n' {
                break;
            }
            self.pos += 1;
        }
        Cow::Borrowed(self.text.get(start..self.pos).unwrap_or_default())
    }

    fn quoted(&mut self, row: usize, line: usize) -> Result<Cow<'a, str>, CsvError> {
        let opened_on = self.line;
        self.pos += 1;
        let mut start = self.pos;
        let mut owned: Option<String> = None;
        loop {
            match self.byte(self.pos) {
                None => {
                    return Err(CsvError {
                        row: Some(row),
                        line: Some(line),
                        message: format!(
                            "a quoted field opened on line {opened_on} is never closed (is the file truncated?)"
                        ),
                    })
                }
                Some(b'"') if self.byte(self.pos + 1) == Some(b'"') => {
                    // A doubled quote stands for one quote.
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(self.text.get(start..=self.pos).unwrap_or_default());
                    self.pos += 2;
                    start = self.pos;
                }
                Some(b'"') => {
                    let piece = self.text.get(start..self.pos).unwrap_or_default();
                    self.pos += 1;
                    match self.byte(self.pos) {
                        None | Some(b'\r' | b'\n') => {}
                        Some(c) if c == self.separator => {}
                        Some(_) => {
                            return Err(CsvError {
                                row: Some(row),
                                line: Some(self.line),
                                message: format!(
                                    "a quoted field must end at a `{}` or a line end, but text follows its closing quote",
                                    char::from(self.separator).escape_default()
                                ),
                            })
                        }
                    }
                    return Ok(match owned {
                        Some(mut s) => {
                            s.push_str(piece);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(piece),
                    });
                }
                Some(b'\n') => {
                    self.line += 1;
                    self.pos += 1;
                }
                Some(b'\r') => {
                    if self.byte(self.pos + 1) != Some(b'\n') {
                        self.line += 1;
                    }
                    self.pos += 1;
                }
                Some(_) => self.pos += 1,
            }
        }
    }
}

/// The separator: a comma, unless the first line has none and has semicolons or tabs.
fn separator_of(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.contains(',') {
        b','
    } else if first.contains(';') {
        b';'
    } else if first.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// The first record of a CSV text (its header), if it reads as one.
pub(crate) fn first_record(text: &str) -> Option<Vec<String>> {
    let mut r = Reader::new(text);
    match r.next_record()? {
        Ok(rec) => Some(rec.fields.into_iter().map(Cow::into_owned).collect()),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
        let mut r = Reader::new(text);
        let mut out = Vec::new();
        while let Some(rec) = r.next_record() {
            out.push(rec?.fields.into_iter().map(Cow::into_owned).collect());
        }
        Ok(out)
    }

    #[test]
    fn rfc_4180_quoting() {
        let rows =
            records("\u{feff}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,\n").unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["a", "b", "c"],
                vec!["x, y", "say \"hi\"", "two\nlines"],
                vec!["", "", ""],
            ]
        );
    }

    #[test]
    fn semicolons_and_tabs_when_the_header_has_no_comma() {
        assert_eq!(
            records("a;b\n1;2\n").unwrap(),
            vec![vec!["a", "b"], vec!["1", "2"]]
        );
        assert_eq!(
            records("a\tb\n1\t2").unwrap(),
            vec![vec!["a", "b"], vec!["1", "2"]]
        );
    }

    #[test]
    fn unclosed_quote_names_row_and_line() {
        let e = records("a,b\n1,2\n\n\"open,3\n").unwrap_err();
        assert_eq!((e.row, e.line), (Some(3), Some(4)));
        assert!(e.message.contains("never closed"), "{}", e.message);
        let e = records("a,b\n\"x\"y,2\n").unwrap_err();
        assert!(
            e.message.contains("text follows its closing quote"),
            "{}",
            e.message
        );
    }
}
