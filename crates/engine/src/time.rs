//! Timestamps as milliseconds since the Unix epoch, with an RFC 3339 parser and formatter.
//!
//! The engine keeps its own small implementation rather than a date crate: exports only ever
//! carry UTC ISO 8601 strings, and every kilobyte of WebAssembly is downloaded by every analyst.

use std::fmt;

/// A point in time, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub i64);

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

impl Timestamp {
    /// Parses `2021-04-27T12:19:27.7211305Z`, `2021-04-27T12:19:27+02:00`, `2021-04-27 12:19:27`
    /// or a bare date. Fractions beyond milliseconds are truncated.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let b = text.trim().as_bytes();
        let num = |s: &[u8]| -> Option<i64> {
            if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
                return None;
            }
            s.iter().try_fold(0i64, |acc, d| {
                acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
            })
        };
        let year = num(b.get(0..4)?)?;
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let month = num(b.get(5..7)?)?;
        let day = num(b.get(8..10)?)?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let mut ms = days_from_civil(year, month, day) * DAY_MS;
        let rest = b.get(10..)?;
        if rest.is_empty() {
            return Some(Timestamp(ms));
        }
        if !matches!(rest.first(), Some(b'T' | b't' | b' ')) || rest.get(3) != Some(&b':') {
            return None;
        }
        let hour = num(rest.get(1..3)?)?;
        let minute = num(rest.get(4..6)?)?;
        let (second, mut tail) = if rest.get(6) == Some(&b':') {
            (num(rest.get(7..9)?)?, rest.get(9..)?)
        } else {
            (0, rest.get(6..)?)
        };
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        ms += hour * HOUR_MS + minute * MINUTE_MS + second * 1000;
        if let Some(frac) = tail.strip_prefix(b".") {
            let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            let mut millis = 0;
            for i in 0..3 {
                millis = millis * 10
                    + frac
                        .get(i)
                        .filter(|_| i < digits)
                        .map_or(0, |d| i64::from(d - b'0'));
            }
            ms += millis;
            tail = frac.get(digits..)?;
        }
        let utc = match tail {
            [] | [b'Z' | b'z'] => ms,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let offset = num(&[*h1, *h2])? * HOUR_MS + num(&[*m1, *m2])? * MINUTE_MS;
                if *sign == b'+' {
                    ms - offset
                } else {
                    ms + offset
                }
            }
            _ => return None,
        };
        // A leap second or an offset can carry a time past year 9999 or before year 0, which
        // `Display` could not write back in a form this function reads.
        (Timestamp::MIN.0..=Timestamp::MAX.0)
            .contains(&utc)
            .then_some(Timestamp(utc))
    }

    /// 0000-01-01T00:00:00.000Z, the earliest time `parse` reads.
    pub const MIN: Timestamp = Timestamp(-62_167_219_200_000);
    /// 9999-12-31T23:59:59.999Z, the latest time `parse` reads.
    pub const MAX: Timestamp = Timestamp(253_402_300_799_999);

    pub fn plus_days(self, days: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(days.saturating_mul(DAY_MS)))
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with millisecond precision, the form every export and the journal use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(DAY_MS);
        let in_day = self.0.rem_euclid(DAY_MS);
        let (y, m, d) = civil_from_days(days);
        let (h, rest) = (in_day / HOUR_MS, in_day % HOUR_MS);
        let (min, rest) = (rest / MINUTE_MS, rest % MINUTE_MS);
        let (s, milli) = (rest / 1000, rest % 1000);
        write!(f, "{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor rather than `Cow<str>`, whose `Deserialize` always allocates: every
        // evidence item carries a timestamp, so this is on the import's hot path.
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date and time (ISO 8601)")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Timestamp, E> {
                Timestamp::parse(text)
                    .ok_or_else(|| E::custom(format!("invalid date and time `{text}`")))
            }
        }
        d.deserialize_str(V)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's `days_from_civil`: days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_graph_timestamps_and_formats_back() {
        let t = Timestamp::parse("2021-04-27T12:19:27.7211305Z").unwrap();
        assert_eq!(t.to_string(), "2021-04-27T12:19:27.721Z");
        let offset = Timestamp::parse("2021-04-27T14:19:27.721+02:00").unwrap();
        assert_eq!(offset, t);
        assert_eq!(Timestamp::parse("1970-01-01").unwrap(), Timestamp(0));
        assert_eq!(
            Timestamp::parse("2024-02-29T00:00:00Z")
                .unwrap()
                .to_string(),
            "2024-02-29T00:00:00.000Z"
        );
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "yesterday",
            "2021-13-01",
            "2023-02-29",
            "2021-04-27T25:00:00Z",
            "2021-04-27T12:19:27.Z",
            "2021-04-27T12:19:27Q",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_range_is_what_display_writes_back() {
        assert_eq!(Timestamp::MIN.to_string(), "0000-01-01T00:00:00.000Z");
        assert_eq!(Timestamp::MAX.to_string(), "9999-12-31T23:59:59.999Z");
        assert_eq!(
            Timestamp::parse("9999-12-31T23:59:59.999Z"),
            Some(Timestamp::MAX)
        );
        // Found by fuzzing the importers: these read, but wrote back as years 10000 and -1.
        assert_eq!(Timestamp::parse("9999-12-31T23:59:60.9999Z"), None);
        assert_eq!(Timestamp::parse("9999-12-31T23:30:00-01:00"), None);
        assert_eq!(Timestamp::parse("0000-01-01T00:30:00+01:00"), None);
        assert_eq!(
            Timestamp::parse("2016-12-31T23:59:60Z")
                .map(|t| t.to_string())
                .as_deref(),
            Some("2017-01-01T00:00:00.000Z")
        );
    }

    proptest::proptest! {
        #[test]
        fn format_then_parse_is_identity(ms in -10_000_000_000_000i64..10_000_000_000_000) {
            let t = Timestamp(ms);
            proptest::prop_assert_eq!(Timestamp::parse(&t.to_string()), Some(t));
        }
    }
}
