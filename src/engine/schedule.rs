//! When downloads may run, and how fast: the user's weekly time windows, each with its
//! own allowance ("full speed 01:00–07:00, 500K otherwise"), a start time for a single
//! download, and what to do once the queue is done. The engine asks a [`Clock`] once a
//! second, so a suspended laptop, a change of time zone or daylight saving never leave
//! a window open too long; tests hand it a [`TestClock`] and move time by hand.

use std::fmt;
use std::sync::Mutex;

/// A day of the week, Monday first (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// 0 for Monday … 6 for Sunday.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The three-letter English name used in settings files (`mon` … `sun`).
    pub fn code(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self.index()]
    }

    fn from_index(index: usize) -> Weekday {
        Weekday::ALL[index % 7]
    }
}

/// The local time now, as the schedule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// Seconds since 1970 (UTC), for one download's start time.
    pub unix: i64,
    /// The local day and minute, for the weekly windows.
    pub weekday: Weekday,
    /// Minutes since local midnight, 0..1440.
    pub minute: u16,
}

impl Moment {
    fn minute_of_week(self) -> u32 {
        self.weekday.index() as u32 * DAY + u32::from(self.minute)
    }
}

const DAY: u32 = 24 * 60;
const WEEK: u32 = 7 * DAY;

/// Where the engine reads the time.
pub trait Clock: Send + Sync {
    fn now(&self) -> Moment;
}

/// The system's clock in the system's time zone.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Moment {
        let now = jiff::ZonedDateTime::now();
        let weekday = Weekday::from_index(now.weekday() as usize - 1);
        Moment {
            unix: now.timestamp().as_second(),
            weekday,
            minute: now.hour() as u16 * 60 + now.minute() as u16,
        }
    }
}

/// A clock that only moves when told to, for tests.
#[derive(Debug)]
pub struct TestClock(Mutex<Moment>);

impl TestClock {
    pub fn new(now: Moment) -> Self {
        TestClock(Mutex::new(now))
    }

    pub fn set(&self, now: Moment) {
        *self.0.lock().unwrap() = now;
    }
}

impl Clock for TestClock {
    fn now(&self) -> Moment {
        *self.0.lock().unwrap()
    }
}

/// A time of day, minutes since midnight (0..1440).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    pub fn new(hour: u8, minute: u8) -> Option<TimeOfDay> {
        (hour < 24 && minute < 60).then(|| TimeOfDay(u16::from(hour) * 60 + u16::from(minute)))
    }

    pub fn minutes(self) -> u16 {
        self.0
    }

    /// `HH:MM` (24-hour; `7:30` and `24:00`, the end of a day, too).
    pub fn parse(text: &str) -> Result<TimeOfDay, BadSchedule> {
        let bad = || BadSchedule::Time(text.trim().to_owned());
        let (hour, minute) = text.trim().split_once(':').ok_or_else(bad)?;
        let hour: u8 = hour.parse().map_err(|_| bad())?;
        let minute: u8 = minute.parse().map_err(|_| bad())?;
        if hour == 24 && minute == 0 {
            return Ok(TimeOfDay(0));
        }
        TimeOfDay::new(hour, minute).ok_or_else(bad)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// The days a window opens on, as a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Days(u8);

impl Days {
    pub const EVERY: Days = Days(0b111_1111);
    pub const WORKDAYS: Days = Days(0b001_1111);
    pub const WEEKEND: Days = Days(0b110_0000);
    pub const NONE: Days = Days(0);

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.index()) != 0
    }

    pub fn with(self, day: Weekday, on: bool) -> Days {
        if on {
            Days(self.0 | 1 << day.index())
        } else {
            Days(self.0 & !(1 << day.index()))
        }
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// `mon-fri`, `sat,sun`, `mon,wed-fri`, `all` (or `daily`).
    pub fn parse(text: &str) -> Result<Days, BadSchedule> {
        let bad = || BadSchedule::Days(text.trim().to_owned());
        let lower = text.trim().to_ascii_lowercase();
        if lower == "all" || lower == "daily" || lower == "every day" {
            return Ok(Days::EVERY);
        }
        let day = |name: &str| {
            Weekday::ALL
                .into_iter()
                .find(|d| name.trim().starts_with(d.code()) && !name.trim().is_empty())
                .ok_or_else(bad)
        };
        let mut days = Days::NONE;
        for part in lower.split(',').filter(|p| !p.trim().is_empty()) {
            match part.split_once('-') {
                Some((from, to)) => {
                    let (from, to) = (day(from)?.index(), day(to)?.index());
                    let mut i = from;
                    loop {
                        days = days.with(Weekday::from_index(i), true);
                        if i % 7 == to {
                            break;
                        }
                        i += 1;
                    }
                }
                None => days = days.with(day(part)?, true),
            }
        }
        if days.is_empty() {
            return Err(bad());
        }
        Ok(days)
    }
}

impl fmt::Display for Days {
    /// The shortest form `parse` reads back: `all`, `mon-fri`, `sat,sun`, `mon,wed-fri`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Days::EVERY {
            return f.write_str("all");
        }
        let mut parts = Vec::new();
        let mut i = 0;
        while i < 7 {
            if !self.contains(Weekday::from_index(i)) {
                i += 1;
                continue;
            }
            let start = i;
            while i + 1 < 7 && self.contains(Weekday::from_index(i + 1)) {
                i += 1;
            }
            let first = Weekday::from_index(start).code();
            parts.push(match i - start {
                0 => first.to_owned(),
                1 => format!("{first},{}", Weekday::from_index(i).code()),
                _ => format!("{first}-{}", Weekday::from_index(i).code()),
            });
            i += 1;
        }
        f.write_str(&parts.join(","))
    }
}

/// What the schedule allows at some time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Allowance {
    /// As fast as the other limits let them.
    #[default]
    Full,
    /// At most this many bytes per second over all downloads.
    Limited(u64),
    /// No download runs; running ones wait in the queue until a window opens.
    Stopped,
}

impl Allowance {
    /// `full`, `stop` (or `paused`), or a rate such as `500K`.
    pub fn parse(text: &str) -> Result<Allowance, BadSchedule> {
        match text.trim().to_ascii_lowercase().as_str() {
            "full" | "" | "unlimited" => Ok(Allowance::Full),
            "stop" | "stopped" | "paused" | "none" => Ok(Allowance::Stopped),
            _ => match super::parse_rate(text) {
                Ok(Some(rate)) => Ok(Allowance::Limited(rate)),
                Ok(None) => Ok(Allowance::Full),
                Err(_) => Err(BadSchedule::Allowance(text.trim().to_owned())),
            },
        }
    }

    /// The engine's limit under this allowance, given the user's overall `limit`.
    pub fn rate(self, limit: Option<u64>) -> Option<u64> {
        match (self, limit) {
            (Allowance::Limited(rate), Some(limit)) => Some(rate.min(limit)),
            (Allowance::Limited(rate), None) => Some(rate),
            _ => limit,
        }
    }
}

/// A weekly time window: from `from` to `to` on each of `days` (a window that ends at
/// or before it starts goes on past midnight into the next day; `from == to` is the
/// whole day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub days: Days,
    pub from: TimeOfDay,
    pub to: TimeOfDay,
    pub allowance: Allowance,
}

impl Window {
    /// Whether the window is open at `minute` of the week (Monday 00:00 = 0).
    fn covers(&self, minute: u32) -> bool {
        let from = u32::from(self.from.minutes());
        let length = match u32::from(self.to.minutes()) {
            to if to > from => to - from,
            to => to + DAY - from,
        };
        Weekday::ALL.into_iter().any(|day| {
            self.days.contains(day) && {
                let start = day.index() as u32 * DAY + from;
                (minute + WEEK - start) % WEEK < length
            }
        })
    }
}

/// The user's weekly schedule: the first window open at a time decides; outside all of
/// them, `otherwise`. The default has no windows: full speed at all times.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schedule {
    pub windows: Vec<Window>,
    pub otherwise: Allowance,
}

/// The allowance in force and until when it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InForce {
    pub allowance: Allowance,
    /// When the allowance changes next (local day and time); `None` if never.
    pub until: Option<(Weekday, TimeOfDay)>,
}

impl Schedule {
    /// Full speed at all times.
    pub fn always() -> Schedule {
        Schedule::default()
    }

    fn at_minute(&self, minute: u32) -> Allowance {
        self.windows
            .iter()
            .find(|w| w.covers(minute))
            .map_or(self.otherwise, |w| w.allowance)
    }

    /// What the schedule allows at `now`, and until when.
    pub fn in_force(&self, now: Moment) -> InForce {
        let minute = now.minute_of_week();
        let allowance = self.at_minute(minute);
        // The allowance only changes where a window starts or ends.
        let mut edges: Vec<u32> = self
            .windows
            .iter()
            .flat_map(|w| {
                Weekday::ALL
                    .into_iter()
                    .filter(|d| w.days.contains(*d))
                    .flat_map(move |d| {
                        let start = d.index() as u32 * DAY + u32::from(w.from.minutes());
                        let from = u32::from(w.from.minutes());
                        let length = match u32::from(w.to.minutes()) {
                            to if to > from => to - from,
                            to => to + DAY - from,
                        };
                        [start % WEEK, (start + length) % WEEK]
                    })
            })
            .map(|edge| (edge + WEEK - minute - 1) % WEEK + 1)
            .collect();
        edges.sort_unstable();
        let until = edges
            .into_iter()
            .find(|ahead| self.at_minute((minute + ahead) % WEEK) != allowance)
            .map(|ahead| {
                let at = (minute + ahead) % WEEK;
                (
                    Weekday::from_index((at / DAY) as usize),
                    TimeOfDay((at % DAY) as u16),
                )
            });
        InForce { allowance, until }
    }
}

/// What happens once nothing is left running or waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WhenDone {
    #[default]
    Nothing,
    /// The front end quits (the engine only says so: `Event::QueueDone`).
    Quit,
}

/// A part of a schedule written wrongly (the text as given).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadSchedule {
    #[error("'{0}' is not a time such as 01:00 or 23:30")]
    Time(String),
    #[error("'{0}' is not a list of days such as mon-fri, sat,sun or all")]
    Days(String),
    #[error("'{0}' is not full, stop or a rate such as 500K")]
    Allowance(String),
}

/// The next time the local clock shows `time`, in seconds since 1970: today if that is
/// still ahead, else tomorrow.
pub fn next_local(time: TimeOfDay) -> i64 {
    let now = jiff::ZonedDateTime::now();
    let today = now
        .with()
        .hour((time.minutes() / 60) as i8)
        .minute((time.minutes() % 60) as i8)
        .second(0)
        .subsec_nanosecond(0)
        .build();
    let Ok(today) = today else {
        return now.timestamp().as_second();
    };
    let at = if today > now {
        today
    } else {
        today.tomorrow().unwrap_or(today)
    };
    at.timestamp().as_second()
}

/// `unix` as the local date and time, `2026-12-02 23:00`.
pub fn local_text(unix: i64) -> String {
    match jiff::Timestamp::from_second(unix) {
        Ok(at) => at
            .to_zoned_datetime(jiff::tz::TimeZone::system())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => unix.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(weekday: Weekday, hour: u16, minute: u16) -> Moment {
        Moment {
            unix: 0,
            weekday,
            minute: hour * 60 + minute,
        }
    }

    fn time(text: &str) -> TimeOfDay {
        TimeOfDay::parse(text).unwrap()
    }

    fn night() -> Schedule {
        Schedule {
            windows: vec![Window {
                days: Days::EVERY,
                from: time("01:00"),
                to: time("07:00"),
                allowance: Allowance::Full,
            }],
            otherwise: Allowance::Limited(500 * 1024),
        }
    }

    #[test]
    fn full_speed_at_night_and_limited_otherwise() {
        let schedule = night();
        let noon = schedule.in_force(at(Weekday::Tuesday, 12, 0));
        assert_eq!(noon.allowance, Allowance::Limited(500 * 1024));
        assert_eq!(noon.until, Some((Weekday::Wednesday, time("01:00"))));
        let night = schedule.in_force(at(Weekday::Wednesday, 1, 0));
        assert_eq!(night.allowance, Allowance::Full);
        assert_eq!(night.until, Some((Weekday::Wednesday, time("07:00"))));
        assert_eq!(
            schedule.in_force(at(Weekday::Wednesday, 7, 0)).allowance,
            Allowance::Limited(500 * 1024),
            "the end is not inside"
        );
    }

    #[test]
    fn windows_past_midnight_and_on_some_days() {
        let schedule = Schedule {
            windows: vec![Window {
                days: Days::parse("fri").unwrap(),
                from: time("22:00"),
                to: time("06:00"),
                allowance: Allowance::Full,
            }],
            otherwise: Allowance::Stopped,
        };
        assert_eq!(
            schedule.in_force(at(Weekday::Saturday, 5, 59)).allowance,
            Allowance::Full
        );
        assert_eq!(
            schedule.in_force(at(Weekday::Saturday, 22, 30)).allowance,
            Allowance::Stopped
        );
        let thursday = schedule.in_force(at(Weekday::Thursday, 23, 0));
        assert_eq!(thursday.until, Some((Weekday::Friday, time("22:00"))));
        // Wrapping across the week: Sunday night to Monday.
        let sunday = Schedule {
            windows: vec![Window {
                days: Days::parse("sun").unwrap(),
                from: time("23:00"),
                to: time("01:00"),
                allowance: Allowance::Limited(1),
            }],
            otherwise: Allowance::Full,
        };
        assert_eq!(
            sunday.in_force(at(Weekday::Monday, 0, 30)).allowance,
            Allowance::Limited(1)
        );
        assert_eq!(
            sunday.in_force(at(Weekday::Monday, 0, 30)).until,
            Some((Weekday::Monday, time("01:00")))
        );
    }

    #[test]
    fn the_first_open_window_decides_and_no_windows_is_always_full() {
        let schedule = Schedule {
            windows: vec![
                Window {
                    days: Days::WORKDAYS,
                    from: time("09:00"),
                    to: time("17:00"),
                    allowance: Allowance::Limited(100),
                },
                Window {
                    days: Days::EVERY,
                    from: time("00:00"),
                    to: time("00:00"),
                    allowance: Allowance::Stopped,
                },
            ],
            otherwise: Allowance::Full,
        };
        assert_eq!(
            schedule.in_force(at(Weekday::Monday, 10, 0)).allowance,
            Allowance::Limited(100)
        );
        assert_eq!(
            schedule.in_force(at(Weekday::Sunday, 10, 0)).allowance,
            Allowance::Stopped
        );
        let always = Schedule::always().in_force(at(Weekday::Monday, 3, 0));
        assert_eq!(always.allowance, Allowance::Full);
        assert_eq!(always.until, None);
    }

    #[test]
    fn text_forms_read_back() {
        for text in ["all", "mon-fri", "sat,sun", "mon,wed-fri", "tue", "mon,tue"] {
            assert_eq!(Days::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Days::parse("Monday-Friday").unwrap(), Days::WORKDAYS);
        assert_eq!(Days::parse("fri-mon").unwrap().to_string(), "mon,fri-sun");
        assert!(Days::parse("someday").is_err());
        assert!(Days::parse("").is_err());
        assert_eq!(time("7:05").to_string(), "07:05");
        assert_eq!(time("24:00").to_string(), "00:00");
        assert!(TimeOfDay::parse("25:00").is_err());
        assert!(TimeOfDay::parse("noon").is_err());
        assert_eq!(Allowance::parse("500K"), Ok(Allowance::Limited(512_000)));
        assert_eq!(Allowance::parse("Full"), Ok(Allowance::Full));
        assert_eq!(Allowance::parse("stop"), Ok(Allowance::Stopped));
        assert_eq!(
            Allowance::parse("slow"),
            Err(BadSchedule::Allowance("slow".into()))
        );
        assert_eq!(Allowance::Limited(10).rate(Some(5)), Some(5));
        assert_eq!(Allowance::Limited(10).rate(None), Some(10));
        assert_eq!(Allowance::Full.rate(Some(5)), Some(5));
    }

    #[test]
    fn a_start_time_is_ahead_within_a_day() {
        let now = jiff::Timestamp::now().as_second();
        let at = next_local(time("03:00"));
        assert!(at > now && at <= now + 24 * 3600 + 3600, "{at} vs {now}");
        assert_eq!(local_text(at).len(), "2026-12-02 03:00".len());
        assert!(local_text(at).ends_with("03:00"));
    }
}
