//! Numbers, sizes, speeds, durations and dates as the chosen language writes them
//! (German and Spanish "96,0 MiB", "45 %"). The words come from the translations; the
//! terminal keeps `crate::format`, which is English.

use std::time::SystemTime;

use chrono::{DateTime, Datelike, Local};

use crate::i18n::{self, t_args};

/// The decimal separator of the interface language.
fn decimal_separator() -> char {
    match i18n::language() {
        "de" | "es" => ',',
        _ => '.',
    }
}

/// `value` with `places` decimals.
pub fn decimal(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    match decimal_separator() {
        '.' => text,
        separator => text.replace('.', &separator.to_string()),
    }
}

/// A whole number with thousands grouped (`12,345`, `12.345`; Spanish groups from five
/// digits on, as its style guides ask).
pub fn integer(n: u64) -> String {
    let digits = n.to_string();
    let (separator, from) = match i18n::language() {
        "de" => ('.', 4),
        "es" => ('.', 5),
        _ => (',', 4),
    };
    if digits.len() < from {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// `1536` → `1.5 KiB` / `1,5 KiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{} B", integer(n))
    } else {
        format!("{} {}", decimal(value, 1), UNITS[unit])
    }
}

/// Bytes per second.
pub fn speed(bytes_per_second: f64) -> String {
    format!("{}/s", bytes(bytes_per_second.max(0.0) as u64))
}

/// `0.456` → `45%` (English) / `45 %` (German, Spanish).
pub fn percent(fraction: f32) -> String {
    let whole = (fraction.clamp(0.0, 1.0) * 100.0).floor() as u32;
    match i18n::language() {
        "de" | "es" => format!("{whole}\u{a0}%"),
        _ => format!("{whole}%"),
    }
}

/// Seconds → `42 s`, `3 min 5 s`, `2 h 10 min` in the interface language.
pub fn duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    match seconds {
        0..60 => t_args("duration-seconds", &[("s", s.to_string())]),
        60..3600 => t_args(
            "duration-minutes",
            &[("m", m.to_string()), ("s", s.to_string())],
        ),
        _ => t_args(
            "duration-hours",
            &[("h", h.to_string()), ("m", m.to_string())],
        ),
    }
}

/// When something happened, briefly: the time today, the day this year, else the date.
pub fn date(when: SystemTime, now: SystemTime) -> String {
    let when: DateTime<Local> = when.into();
    let now: DateTime<Local> = now.into();
    let time = when.format("%H:%M").to_string();
    let day = when.day().to_string();
    let month = t_args("month", &[("n", when.month().to_string())]);
    if when.date_naive() == now.date_naive() {
        time
    } else if when.year() == now.year() {
        t_args(
            "date-this-year",
            &[("day", day), ("month", month), ("time", time)],
        )
    } else {
        t_args(
            "date-other-year",
            &[
                ("day", day),
                ("month", month),
                ("year", when.year().to_string()),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Formats in `language` (nextest runs each test in a process of its own, so the
    /// global language is this test's alone).
    fn in_language<T>(language: &str, f: impl FnOnce() -> T) -> T {
        i18n::set_language(language);
        f()
    }

    #[test]
    fn sizes_follow_the_language() {
        assert_eq!(in_language("en", || bytes(96 << 20)), "96.0 MiB");
        assert_eq!(in_language("de", || bytes(96 << 20)), "96,0 MiB");
        assert_eq!(in_language("es", || bytes(1536)), "1,5 KiB");
        assert_eq!(in_language("de", || speed(1536.0)), "1,5 KiB/s");
        assert_eq!(in_language("en", || integer(1_234_567)), "1,234,567");
        assert_eq!(in_language("de", || integer(1234)), "1.234");
        assert_eq!(in_language("es", || integer(1234)), "1234");
        assert_eq!(in_language("es", || integer(12_345)), "12.345");
        assert_eq!(in_language("de", || percent(0.456)), "45\u{a0}%");
        assert_eq!(in_language("en", || percent(0.999)), "99%");
    }

    #[test]
    fn durations_and_dates_are_translated() {
        assert_eq!(in_language("en", || duration(185)), "3 min 5 s");
        assert_eq!(in_language("de", || duration(7800)), "2 Std. 10 Min.");
        let now = SystemTime::now();
        let long_ago = now - Duration::from_secs(400 * 86_400);
        let year = DateTime::<Local>::from(long_ago).year().to_string();
        let shown = in_language("de", || date(long_ago, now));
        assert!(shown.ends_with(&year), "{shown}");
        let today = in_language("es", || date(now, now));
        assert_eq!(today.len(), 5, "{today}");
    }
}
