//! The portals' time stamps.
//!
//! airview decides how they are read, since the exports carry no time zone: they are taken as
//! UTC. ISO 8601 (`2026-10-20T08:01:00Z`, `2026-10-20 08:01:00`), US dates
//! (`10/20/2026 8:01:00 AM`, the portal's default) and month names (`Oct 20, 2026 8:01 AM`,
//! `20 Oct 2026 08:01`) are read; in `a/b/yyyy`, `a` is the month unless it is over 12.

use airview_engine::Timestamp;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    let prefix = w.get(..3)?;
    let n = MONTHS.iter().position(|m| *m == prefix)?;
    let full_ok = w.len() == 3
        || [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "sept",
            "october",
            "november",
            "december",
        ]
        .contains(&w.as_str());
    full_ok.then(|| n as u32 + 1)
}

/// Reads a time stamp as the portals write them (see the module's documentation).
pub fn parse_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Some(t) = Timestamp::parse(text) {
        return Some(t);
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| -> Option<u32> {
        (!w.is_empty() && w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    // The date, then the words that follow it.
    let (year, month, day, rest) = match words.as_slice() {
        [date, rest @ ..] if date.contains('/') => {
            let parts: Vec<&str> = date.split('/').collect();
            let [a, b, y] = parts.as_slice() else {
                return None;
            };
            let (a, b, y) = (number(a)?, number(b)?, number(y)?);
            let (m, d) = if a > 12 { (b, a) } else { (a, b) };
            (y, m, d, rest)
        }
        [m, d, y, rest @ ..] if month_of(m).is_some() => {
            (number(y)?, month_of(m)?, number(d)?, rest)
        }
        [d, m, y, rest @ ..] if month_of(m).is_some() => {
            (number(y)?, month_of(m)?, number(d)?, rest)
        }
        _ => return None,
    };
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let (mut hour, minute, second, meridiem) = match rest {
        [] => (0, 0, 0, None),
        [time, tail @ ..] => {
            let parts: Vec<&str> = time.split(':').collect();
            let (h, m, s) = match parts.as_slice() {
                [h, m] => (number(h)?, number(m)?, 0),
                [h, m, s] => {
                    // Fractions of a second are dropped.
                    let s = s.split('.').next().unwrap_or(s);
                    (number(h)?, number(m)?, number(s)?)
                }
                _ => return None,
            };
            let meridiem = match tail {
                [] => None,
                [ampm] if ampm.eq_ignore_ascii_case("am") => Some(false),
                [ampm] if ampm.eq_ignore_ascii_case("pm") => Some(true),
                [zone] if zone.eq_ignore_ascii_case("utc") || zone.eq_ignore_ascii_case("gmt") => {
                    None
                }
                [ampm, zone]
                    if (zone.eq_ignore_ascii_case("utc") || zone.eq_ignore_ascii_case("gmt")) =>
                {
                    if ampm.eq_ignore_ascii_case("am") {
                        Some(false)
                    } else if ampm.eq_ignore_ascii_case("pm") {
                        Some(true)
                    } else {
                        return None;
                    }
                }
                _ => return None,
            };
            (h, m, s, meridiem)
        }
    };
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (pm, hour) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    Timestamp::parse(&format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_times() {
        let iso = Timestamp::parse("2026-10-20T20:01:05Z");
        for text in [
            "2026-10-20T20:01:05Z",
            "2026-10-20 20:01:05",
            "10/20/2026 8:01:05 PM",
            "20/10/2026 20:01:05",
            "Oct 20, 2026 8:01:05 PM",
            "October 20, 2026 8:01:05 pm UTC",
            "20 Oct 2026 20:01:05",
        ] {
            assert_eq!(parse_time(text), iso, "{text}");
        }
        assert_eq!(
            parse_time("10/20/2026 12:00 AM"),
            Timestamp::parse("2026-10-20T00:00:00Z")
        );
        for bad in [
            "yesterday",
            "13/13/2026",
            "10/20/26 8:00",
            "Oct 20, 2026 13:00 PM",
            "2/30/2026",
            "Octopus 3, 2026",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}
