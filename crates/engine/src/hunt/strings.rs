//! Kusto's string operators over borrowed text: `=~`, `has`, `contains`, `startswith`…
//!
//! Case-insensitive matching compares ASCII letters without allocating; text with other
//! characters is lowercased first. `has` matches whole terms: a term is a maximal run of
//! alphanumeric characters, so `"Foo Bar" has "bar"` but not `"Foobar" has "bar"`; a needle
//! that starts or ends with punctuation needs no term boundary on that side.

use super::ast::StringOp;
use std::borrow::Cow;

/// A needle prepared once: its text and its lowercase form.
#[derive(Clone, Debug, PartialEq)]
pub struct Needle {
    pub text: String,
    pub lower: String,
}

impl Needle {
    pub fn new(text: &str) -> Needle {
        Needle {
            text: text.to_owned(),
            lower: lower(text).into_owned(),
        }
    }
}

fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// `=~`.
pub fn eq_ci(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// `=~` against a prepared needle.
pub fn eq_ci_needle(hay: &str, needle: &Needle) -> bool {
    if hay.is_ascii() && needle.text.is_ascii() {
        hay.len() == needle.text.len() && hay.eq_ignore_ascii_case(&needle.text)
    } else {
        hay.to_lowercase() == needle.lower
    }
}

fn is_term(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `op` holds between the text and the needle.
pub fn matches(op: StringOp, case_sensitive: bool, hay: &str, needle: &Needle) -> bool {
    if case_sensitive {
        return matches_exact(op, hay, &needle.text);
    }
    if hay.is_ascii() && needle.text.is_ascii() {
        return matches_ascii_ci(op, hay.as_bytes(), needle.text.as_bytes());
    }
    matches_exact(op, &hay.to_lowercase(), &needle.lower)
}

fn matches_exact(op: StringOp, hay: &str, needle: &str) -> bool {
    match op {
        StringOp::Contains => hay.contains(needle),
        StringOp::StartsWith => hay.starts_with(needle),
        StringOp::EndsWith => hay.ends_with(needle),
        StringOp::Has | StringOp::HasPrefix | StringOp::HasSuffix => {
            let (left, right) = boundaries(op, needle);
            hay.match_indices(needle)
                .any(|(i, _)| at_boundary(hay, i, i + needle.len(), left, right))
        }
    }
}

/// Which sides of a match must fall on a term boundary, for a term operator and a needle.
fn boundaries(op: StringOp, needle: &str) -> (bool, bool) {
    let starts_term = needle.chars().next().is_some_and(is_term);
    let ends_term = needle.chars().next_back().is_some_and(is_term);
    let left = matches!(op, StringOp::Has | StringOp::HasPrefix) && starts_term;
    let right = matches!(op, StringOp::Has | StringOp::HasSuffix) && ends_term;
    (left, right)
}

fn at_boundary(hay: &str, start: usize, end: usize, left: bool, right: bool) -> bool {
    let left_ok = !left
        || hay
            .get(..start)
            .and_then(|s| s.chars().next_back())
            .is_none_or(|c| !is_term(c));
    let right_ok = !right
        || hay
            .get(end..)
            .and_then(|s| s.chars().next())
            .is_none_or(|c| !is_term(c));
    left_ok && right_ok
}

fn matches_ascii_ci(op: StringOp, hay: &[u8], needle: &[u8]) -> bool {
    let n = needle.len();
    match op {
        StringOp::StartsWith => hay.get(..n).is_some_and(|h| h.eq_ignore_ascii_case(needle)),
        StringOp::EndsWith => hay
            .len()
            .checked_sub(n)
            .and_then(|at| hay.get(at..))
            .is_some_and(|h| h.eq_ignore_ascii_case(needle)),
        StringOp::Contains => find_ascii_ci(hay, needle, 0).is_some(),
        StringOp::Has | StringOp::HasPrefix | StringOp::HasSuffix => {
            let needle_text = std::str::from_utf8(needle).unwrap_or("");
            let (left, right) = boundaries(op, needle_text);
            let term = |i: usize| hay.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
            let mut from = 0;
            while let Some(i) = find_ascii_ci(hay, needle, from) {
                let left_ok = !left || i == 0 || !term(i - 1);
                let right_ok = !right || !term(i + n);
                if left_ok && right_ok {
                    return true;
                }
                from = i + 1;
            }
            false
        }
    }
}

/// The first position at or after `from` where `needle` occurs, ignoring ASCII case.
fn find_ascii_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let Some(&first) = needle.first() else {
        return (from <= hay.len()).then_some(from);
    };
    let first = first.to_ascii_lowercase();
    let last_start = hay.len().checked_sub(needle.len())?;
    let mut i = from;
    while i <= last_start {
        let b = hay.get(i).copied().unwrap_or(0);
        if b.to_ascii_lowercase() == first
            && hay
                .get(i..i + needle.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(needle))
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(op: StringOp, cs: bool, hay: &str, needle: &str) -> bool {
        matches(op, cs, hay, &Needle::new(needle))
    }

    #[test]
    fn has_matches_whole_terms_ignoring_case() {
        use StringOp::Has;
        assert!(m(Has, false, "North America", "america"));
        assert!(!m(Has, false, "NorthAmerica", "america"));
        assert!(!m(Has, false, "Foo Bar", "oo"));
        assert!(m(Has, false, "C:\\Windows\\System32\\cmd.exe", "cmd.exe"));
        assert!(m(Has, false, "run.exe", ".exe"));
        assert!(!m(Has, false, "run.exec", ".exe"));
        assert!(m(Has, false, "ad67d136-c1db-4f9f", "C1DB"));
        assert!(!m(Has, true, "ad67d136-c1db-4f9f", "C1DB"));
        assert!(m(Has, false, "anything", ""));
        assert!(m(Has, false, "Ärger Öl", "öl"));
        assert!(!m(Has, false, "ÄrgerÖl", "öl"));
    }

    #[test]
    fn prefix_and_suffix_need_one_boundary() {
        assert!(m(StringOp::HasPrefix, false, "Foo Barbell", "bar"));
        assert!(!m(StringOp::HasPrefix, false, "Foo rebar", "bar"));
        assert!(m(StringOp::HasSuffix, false, "Foo rebar", "BAR"));
        assert!(!m(StringOp::HasSuffix, false, "Foo Barbell", "bar"));
    }

    #[test]
    fn contains_starts_and_ends() {
        assert!(m(StringOp::Contains, false, "FabriKam", "BRik"));
        assert!(!m(StringOp::Contains, true, "FabriKam", "BRik"));
        assert!(m(StringOp::StartsWith, false, "Fabrikam", "fab"));
        assert!(m(StringOp::EndsWith, false, "Fabrikam", "KAM"));
        assert!(!m(StringOp::EndsWith, false, "am", "kam"));
        assert!(m(StringOp::Contains, false, "STRASSE Café", "CAFÉ"));
        assert!(m(StringOp::Contains, false, "", ""));
    }

    #[test]
    fn equality_ignoring_case() {
        assert!(eq_ci("ABC", "abc"));
        assert!(eq_ci("Émile", "éMILE"));
        assert!(!eq_ci("abc", "abd"));
        assert!(eq_ci_needle("HOST-1", &Needle::new("host-1")));
        assert!(!eq_ci_needle("HOST-12", &Needle::new("host-1")));
    }
}
