//! UTC timestamps in whole seconds: the build time of a generation and each document's
//! `first_seen`. Written as RFC 3339 (`2026-12-01T04:43:20Z`); read from RFC 3339 (any
//! offset, fractional seconds dropped) or a plain date (`2026-12-01`, midnight UTC).
//! Only std: the calendar arithmetic is Howard Hinnant's days-from-civil and back.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub u64);

/// Why a date or time did not parse (the message names what to write instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(pub String);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a date; write YYYY-MM-DD (2024-05-31) or an RFC 3339 time \
             (2024-05-31T08:00:00Z)",
            self.0
        )
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// Now, by the system clock (the epoch if the clock is before it).
    pub fn now() -> Timestamp {
        Timestamp(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        )
    }

    /// Seconds since the epoch.
    pub fn secs(self) -> u64 {
        self.0
    }

    /// Parse `YYYY-MM-DD` (midnight UTC) or RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`;
    /// `t`, `z` and a space for `T` are accepted). Times before 1970 are refused.
    pub fn parse(s: &str) -> Result<Timestamp, TimestampError> {
        let err = || TimestampError(s.to_string());
        let t = s.trim();
        let (date, time) = match t.find(['T', 't', ' ']) {
            Some(i) => (&t[..i], Some(&t[i + 1..])),
            None => (t, None),
        };
        let days = parse_date(date).ok_or_else(err)?;
        let secs_of_day = match time {
            None => 0,
            Some(time) => parse_time(time).ok_or_else(err)?,
        };
        let secs = days * 86_400 + secs_of_day;
        u64::try_from(secs).map(Timestamp).map_err(|_| err())
    }
}

/// Days since the epoch of `YYYY-MM-DD` (a real calendar date), or `None`.
fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = digits(&s[0..4])?;
    let m: i64 = digits(&s[5..7])?;
    let d: i64 = digits(&s[8..10])?;
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Seconds since midnight UTC of `HH:MM:SS[.frac](Z|±HH:MM)`; may be negative or past a
/// day after the offset is applied (the caller adds it to the date's seconds).
fn parse_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let h: i64 = digits(&s[0..2])?;
    let mi: i64 = digits(&s[3..5])?;
    let sec: i64 = digits(&s[6..8])?;
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[8..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let o = &rest[1..];
            if o.len() != 5 || o.as_bytes()[2] != b':' {
                return None;
            }
            let (oh, om): (i64, i64) = (digits(&o[0..2])?, digits(&o[3..5])?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(h * 3600 + mi * 60 + sec.min(59) - offset)
}

/// A run of ASCII digits as a number (no sign, no spaces).
fn digits(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC: `2026-12-01T04:43:20Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = (self.0 / 86_400) as i64;
        let rem = self.0 % 86_400;
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        )
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339_utc() {
        assert_eq!(Timestamp(0).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp(951_782_400).to_string(), "2000-02-29T00:00:00Z");
        assert_eq!(Timestamp(1_764_564_200).to_string(), "2025-12-01T04:43:20Z");
    }

    #[test]
    fn parses_dates_and_times() {
        let p = |s: &str| Timestamp::parse(s).map(|t| t.to_string());
        for (input, want) in [
            ("2024-05-31", "2024-05-31T00:00:00Z"),
            (" 2024-02-29 ", "2024-02-29T00:00:00Z"),
            ("2024-05-31T08:00:00Z", "2024-05-31T08:00:00Z"),
            ("2024-05-31t08:00:00z", "2024-05-31T08:00:00Z"),
            ("2024-05-31 08:00:00Z", "2024-05-31T08:00:00Z"),
            ("2024-05-31T08:00:00.123456Z", "2024-05-31T08:00:00Z"),
            ("2024-05-31T10:00:00+02:00", "2024-05-31T08:00:00Z"),
            ("2024-05-31T00:30:00-01:00", "2024-05-31T01:30:00Z"),
            ("2024-01-01T00:30:00+01:00", "2023-12-31T23:30:00Z"),
        ] {
            assert_eq!(p(input).as_deref(), Ok(want), "{input}");
        }
        for bad in [
            "",
            "2024",
            "2024-5-31",
            "2024-13-01",
            "2023-02-29",
            "2024-05-32",
            "31/05/2024",
            "2024-05-31T25:00:00Z",
            "2024-05-31T08:00:00",
            "2024-05-31T08:00Z",
            "2024-05-31T08:00:00+2",
            "2024-05-31T08:00:00.Z",
            "1969-12-31",
            "+024-05-31",
        ] {
            let e = Timestamp::parse(bad).unwrap_err();
            assert!(e.to_string().contains("YYYY-MM-DD"), "{bad}: {e}");
        }
    }

    #[test]
    fn round_trips_through_text_and_serde() {
        for secs in [0, 1, 86_399, 86_400, 1_700_000_000, 4_102_444_800] {
            let t = Timestamp(secs);
            assert_eq!(Timestamp::parse(&t.to_string()), Ok(t));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
        }
    }
}
