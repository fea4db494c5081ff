//! A file's bytes to text, the same way for the CLI and the app.
//!
//! Exports are UTF-8, with or without a byte order mark; some tools save a CSV as UTF-16 with
//! a byte order mark, which is honoured. Bytes that are not text in the file's encoding are
//! replaced by `U+FFFD` and reported with their offset, rather than refusing a large export
//! for one bad byte: what the importer then reads is still checked value by value.

/// How a file's text was encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-8 starting with a byte order mark, which stays at the start of the text: every
    /// importer skips it.
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with a byte order mark",
            Encoding::Utf16Le => "UTF-16 (little-endian)",
            Encoding::Utf16Be => "UTF-16 (big-endian)",
        }
    }
}

/// Where bytes that were not text were replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replaced {
    /// How many replacement characters were put in.
    pub count: usize,
    /// The byte offset in the file of the first bytes replaced.
    pub offset: usize,
    /// The 1-based line and column (in characters) of the first replacement in the text.
    pub line: usize,
    pub column: usize,
}

/// A file's text, its encoding, and what had to be replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    pub replaced: Option<Replaced>,
}

impl Decoded {
    /// What the analyst should be told about the file's text, if anything.
    pub fn warning(&self, file: &str) -> Option<String> {
        let r = self.replaced?;
        let encoding = match self.encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => "UTF-8",
            Encoding::Utf16Le | Encoding::Utf16Be => "UTF-16",
        };
        Some(format!(
            "`{file}`: bytes that are not {encoding} text were replaced by `\u{FFFD}`, the first at line {}, column {} (byte {}; {} replaced in all)",
            r.line, r.column, r.offset, r.count
        ))
    }
}

/// Decodes a file's bytes. Valid UTF-8 is taken as it is, without a copy: the app reads
/// files of up to a gigabyte.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    match bytes.get(..2) {
        Some([0xFF, 0xFE]) => return utf16(&bytes, Encoding::Utf16Le),
        Some([0xFE, 0xFF]) => return utf16(&bytes, Encoding::Utf16Be),
        _ => {}
    }
    let encoding = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Encoding::Utf8Bom
    } else {
        Encoding::Utf8
    };
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            encoding,
            replaced: None,
        },
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // Each invalid run becomes one replacement character, as in `from_utf8_lossy`.
            let count = e
                .as_bytes()
                .utf8_chunks()
                .filter(|c| !c.invalid().is_empty())
                .count();
            let (line, column) = place(text.get(..offset).unwrap_or_default());
            Decoded {
                text,
                encoding,
                replaced: Some(Replaced {
                    count,
                    offset,
                    line,
                    column,
                }),
            }
        }
    }
}

/// UTF-16 after its byte order mark. A lone surrogate, or an odd last byte, is replaced.
fn utf16(bytes: &[u8], encoding: Encoding) -> Decoded {
    let body = bytes.get(2..).unwrap_or_default();
    let units = body.chunks_exact(2).map(|p| match (encoding, p) {
        (Encoding::Utf16Be, [a, b]) => u16::from_be_bytes([*a, *b]),
        (_, [a, b]) => u16::from_le_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    let mut text = String::with_capacity(body.len());
    let mut replaced: Option<Replaced> = None;
    // The byte offset of the code unit being read: 2 for the byte order mark, then 2 a unit
    // (a surrogate pair's second unit is counted when the pair is decoded).
    let mut offset = 2;
    for unit in char::decode_utf16(units) {
        match unit {
            Ok(c) => {
                text.push(c);
                offset += 2 * c.len_utf16();
            }
            Err(_) => {
                note(&mut replaced, &text, offset);
                text.push('\u{FFFD}');
                offset += 2;
            }
        }
    }
    if body.len() % 2 == 1 {
        note(&mut replaced, &text, offset);
        text.push('\u{FFFD}');
    }
    Decoded {
        text,
        encoding,
        replaced,
    }
}

fn note(replaced: &mut Option<Replaced>, text: &str, offset: usize) {
    match replaced {
        Some(r) => r.count += 1,
        None => {
            let (line, column) = place(text);
            *replaced = Some(Replaced {
                count: 1,
                offset,
                line,
                column,
            });
        }
    }
}

/// The 1-based line and column just after `before`.
fn place(before: &str) -> (usize, usize) {
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |p| p + 1);
    let column = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16_bytes(text: &str, le: bool) -> Vec<u8> {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            out.extend(if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn utf8_with_and_without_a_byte_order_mark_is_taken_as_it_is() {
        let plain = decode(b"{\"value\": []}".to_vec());
        assert_eq!(plain.text, "{\"value\": []}");
        assert_eq!(plain.encoding, Encoding::Utf8);
        assert_eq!(plain.replaced, None);
        let marked = decode(b"\xEF\xBB\xBF{}".to_vec());
        assert_eq!(marked.text, "\u{feff}{}");
        assert_eq!(marked.encoding, Encoding::Utf8Bom);
    }

    #[test]
    fn utf16_in_both_byte_orders_reads_the_same_text() {
        let text = "Action type,Entity\r\nSoft delete,caf\u{e9} \u{1F600}\r\n";
        for le in [true, false] {
            let d = decode(utf16_bytes(text, le));
            assert_eq!(d.text, text);
            assert_eq!(d.replaced, None);
            assert_eq!(
                d.encoding,
                if le {
                    Encoding::Utf16Le
                } else {
                    Encoding::Utf16Be
                }
            );
        }
    }

    #[test]
    fn bad_utf8_bytes_are_replaced_and_the_first_is_placed() {
        let d = decode(b"{\n  \"a\": \"x\xFFy\xFE\"\n}".to_vec());
        assert_eq!(d.text, "{\n  \"a\": \"x\u{FFFD}y\u{FFFD}\"\n}");
        let r = d.replaced.unwrap();
        assert_eq!((r.count, r.offset, r.line, r.column), (2, 11, 2, 10));
        assert_eq!(
            d.warning("alerts.json").unwrap(),
            "`alerts.json`: bytes that are not UTF-8 text were replaced by `\u{FFFD}`, the first at line 2, column 10 (byte 11; 2 replaced in all)"
        );
    }

    #[test]
    fn a_lone_surrogate_and_an_odd_last_byte_are_replaced_in_utf16() {
        let mut bytes = vec![0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0];
        bytes.push(b'c');
        let d = decode(bytes);
        assert_eq!(d.text, "a\u{FFFD}b\u{FFFD}");
        let r = d.replaced.unwrap();
        assert_eq!((r.count, r.offset, r.line, r.column), (2, 4, 1, 2));
    }
}
