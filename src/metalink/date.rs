//! Dates: RFC 3339 for Metalink 4, plus the looser forms found in Metalink 3.0 files
//! (RFC 822, asctime, `2006-03-31-11:23:22`).

use std::fmt;

/// A point in time, in whole seconds since the Unix epoch (UTC). Fractions of a second
/// are dropped: nothing in a metalink needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub i64);

/// The North American zone names RFC 822 allows, with their offsets in minutes.
const US_ZONES: [(&str, i64); 8] = [
    ("EST", -300),
    ("EDT", -240),
    ("CST", -360),
    ("CDT", -300),
    ("MST", -420),
    ("MDT", -360),
    ("PST", -480),
    ("PDT", -420),
];

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

impl Timestamp {
    /// Parses an RFC 3339 date-time (`2009-05-15T12:23:23+09:30`, fractions allowed).
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
            return None;
        }
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let year = digits(&b[0..4])?;
        let month = digits(&b[5..7])?;
        let day = digits(&b[8..10])?;
        let hour = digits(&b[11..13])?;
        let minute = digits(&b[14..16])?;
        let second = digits(&b[17..19])?;
        let mut rest = &b[19..];
        if rest.first() == Some(&b'.') {
            let frac = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if frac == 0 {
                return None;
            }
            rest = &rest[1 + frac..];
        }
        let offset = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let minutes = digits(&[*h1, *h2])? * 60 + digits(&[*m1, *m2])?;
                if *sign == b'+' { minutes } else { -minutes }
            }
            _ => return None,
        };
        Self::from_parts(year, month, day, hour, minute, second, offset)
    }

    /// Parses the forms seen in Metalink 3.0 files: RFC 3339, RFC 822/1123
    /// (`Tue, 11 Sep 2012 07:36:51 GMT`), asctime (`Mon Feb  4 14:43:24 2008`) and
    /// `2006-03-31-11:23:22` (taken as UTC).
    pub fn parse_lenient(text: &str) -> Option<Self> {
        Self::parse_rfc3339(text)
            .or_else(|| parse_rfc822(text))
            .or_else(|| parse_asctime(text))
            .or_else(|| parse_dashed(text))
    }

    fn from_parts(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        minute: i64,
        second: i64,
        offset_minutes: i64,
    ) -> Option<Self> {
        let valid = (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && hour < 24
            && minute < 60
            && second <= 60
            && offset_minutes.abs() < 24 * 60;
        if !valid {
            return None;
        }
        let days = days_from_civil(year, month, day);
        Some(Timestamp(
            days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_minutes * 60,
        ))
    }

    fn civil(self) -> (i64, i64, i64, i64, i64, i64) {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC: `2009-05-15T02:53:23Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.civil();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

fn digits(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
}

fn number(text: &str) -> Option<i64> {
    digits(text.as_bytes())
}

fn month_number(name: &str) -> Option<i64> {
    let lower = name.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as i64 + 1)
}

/// `HH:MM` or `HH:MM:SS`.
fn time_of_day(text: &str) -> Option<(i64, i64, i64)> {
    let mut parts = text.split(':');
    let h = number(parts.next()?)?;
    let m = number(parts.next()?)?;
    let s = match parts.next() {
        Some(s) => number(s)?,
        None => 0,
    };
    parts.next().is_none().then_some((h, m, s))
}

fn parse_rfc822(text: &str) -> Option<Timestamp> {
    let text = text.split_once(',').map_or(text, |(_, rest)| rest);
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [day, month, year, time, zone @ ..] = fields.as_slice() else {
        return None;
    };
    let mut year = number(year)?;
    if year < 100 {
        year += if year < 50 { 2000 } else { 1900 };
    }
    let (h, mi, s) = time_of_day(time)?;
    let offset = match zone.first().copied() {
        None | Some("GMT" | "UT" | "UTC" | "Z") => 0,
        Some(z) if z.len() == 5 && (z.starts_with('+') || z.starts_with('-')) => {
            let minutes = number(&z[1..3])? * 60 + number(&z[3..5])?;
            if z.starts_with('-') {
                -minutes
            } else {
                minutes
            }
        }
        Some(z) => US_ZONES.iter().find(|(name, _)| *name == z)?.1,
    };
    Timestamp::from_parts(year, month_number(month)?, number(day)?, h, mi, s, offset)
}

fn parse_asctime(text: &str) -> Option<Timestamp> {
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [_weekday, month, day, time, year] = fields.as_slice() else {
        return None;
    };
    let (h, mi, s) = time_of_day(time)?;
    Timestamp::from_parts(
        number(year)?,
        month_number(month)?,
        number(day)?,
        h,
        mi,
        s,
        0,
    )
}

fn parse_dashed(text: &str) -> Option<Timestamp> {
    let b = text.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'-' | b' ') {
        return None;
    }
    let (h, mi, s) = time_of_day(&text[11..])?;
    Timestamp::from_parts(
        number(&text[0..4])?,
        number(&text[5..7])?,
        number(&text[8..10])?,
        h,
        mi,
        s,
        0,
    )
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_offset() {
        // libmetalink's test2.xml expects this instant.
        let t = Timestamp::parse_rfc3339("2009-05-15T12:23:23+09:30").unwrap();
        assert_eq!(t.0, 1_242_356_003);
        assert_eq!(t.to_string(), "2009-05-15T02:53:23Z");
        assert_eq!(Timestamp::parse_rfc3339(&t.to_string()), Some(t));
    }

    #[test]
    fn rfc3339_rejects_garbage() {
        for bad in [
            "2009-05-15",
            "2009-13-01T00:00:00Z",
            "2009-02-30T00:00:00Z",
            "2009-05-15T12:23:23",
            "2009-05-15T12:23:23.Z",
            " 2009-05-15T12:23:23Z",
        ] {
            assert_eq!(Timestamp::parse_rfc3339(bad), None, "{bad}");
        }
        assert!(Timestamp::parse_rfc3339("2010-05-01T12:15:02.123Z").is_some());
    }

    #[test]
    fn metalink3_forms() {
        let rfc822 = Timestamp::parse_lenient("Tue, 11 Sep 2012 07:36:51 GMT").unwrap();
        assert_eq!(rfc822.to_string(), "2012-09-11T07:36:51Z");
        let asctime = Timestamp::parse_lenient("Mon Feb  4 14:43:24 2008").unwrap();
        assert_eq!(asctime.to_string(), "2008-02-04T14:43:24Z");
        let dashed = Timestamp::parse_lenient("2006-03-31-11:23:22").unwrap();
        assert_eq!(dashed.to_string(), "2006-03-31T11:23:22Z");
        let offset = Timestamp::parse_lenient("Mon, 07 Jul 2008 15:00:00 +0200").unwrap();
        assert_eq!(offset.to_string(), "2008-07-07T13:00:00Z");
        assert_eq!(Timestamp::parse_lenient("yesterday"), None);
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1_000_000, -1, 0, 1, 11_016, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
