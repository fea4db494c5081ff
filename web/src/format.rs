//! How values read on screen.

use airview_engine::Timestamp;

/// `2026-11-23 09:30 UTC`: dense and unambiguous; every time in the app is UTC, as in the
/// exports, so that two analysts in different places read the same figures.
pub fn time(t: Option<Timestamp>) -> String {
    match t {
        None => String::new(),
        Some(t) => {
            let s = t.to_string();
            format!(
                "{} {} UTC",
                s.get(..10).unwrap_or(""),
                s.get(11..16).unwrap_or("")
            )
        }
    }
}

/// A duration in the largest sensible unit: `3 d 4 h`, `5 h 12 min`, `40 min`.
pub fn duration(ms: i64) -> String {
    let minutes = ms / 60_000;
    let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    match (d, h) {
        (0, 0) => format!("{m} min"),
        (0, _) => format!("{h} h {m} min"),
        _ => format!("{d} d {h} h"),
    }
}

pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
