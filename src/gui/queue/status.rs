//! The status bar: the speed over all downloads, how many run, wait, are paused, done
//! or failed, and the free space in the download folder.

use iced::widget::{container, row, space, text};
use iced::{Alignment, Element, Length};

use crate::engine::schedule::{Allowance, Clock, InForce, SystemClock, Weekday};
use crate::gui::downloads::{Downloads, State};
use crate::gui::icons::{self, Icon};
use crate::gui::{theme, units};
use crate::i18n::{t, t_args};

/// The queue in figures.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    pub speed: f64,
    pub running: usize,
    pub waiting: usize,
    pub paused: usize,
    pub done: usize,
    pub failed: usize,
}

impl Totals {
    pub fn of(downloads: &Downloads) -> Totals {
        let mut totals = Totals::default();
        for download in downloads.iter().filter(|d| d.leaving.is_none()) {
            match download.state {
                State::Running => {
                    totals.running += 1;
                    totals.speed += download.speed;
                }
                State::Queued | State::Waiting(_) => totals.waiting += 1,
                State::Paused => totals.paused += 1,
                State::Finished { .. } => totals.done += 1,
                State::Failed(_) => totals.failed += 1,
            }
        }
        totals
    }
}

/// What the weekly schedule does now, in words, when it holds downloads back ("Schedule:
/// downloads wait until 01:00"); nothing at full speed. `today` is the local weekday:
/// a change later today is said by its time alone.
pub fn schedule_text(in_force: &InForce, today: Weekday) -> Option<String> {
    let until = in_force.until.map(|(day, time)| {
        if day == today {
            time.to_string()
        } else {
            format!("{} {time}", weekday(day))
        }
    });
    let (key, speed) = match in_force.allowance {
        Allowance::Full => return None,
        Allowance::Limited(rate) => ("schedule-now-limited", units::speed(rate as f64)),
        Allowance::Stopped => ("schedule-now-stopped", String::new()),
    };
    Some(match until {
        Some(until) => t_args(key, &[("speed", speed), ("until", until)]),
        None => t_args(&format!("{key}-always"), &[("speed", speed)]),
    })
}

/// The schedule's words for now, read against the system's clock.
pub fn schedule_now(in_force: Option<&InForce>) -> Option<String> {
    schedule_text(in_force?, SystemClock.now().weekday)
}

fn weekday(day: Weekday) -> String {
    t(match day {
        Weekday::Monday => "weekday-mon",
        Weekday::Tuesday => "weekday-tue",
        Weekday::Wednesday => "weekday-wed",
        Weekday::Thursday => "weekday-thu",
        Weekday::Friday => "weekday-fri",
        Weekday::Saturday => "weekday-sat",
        Weekday::Sunday => "weekday-sun",
    })
}

/// The bar along the bottom of the window; `free` is the space left in the download
/// folder, once measured; `schedule`, what the schedule holds back now.
pub fn status_bar<'a, M: 'a>(
    totals: Totals,
    free: Option<u64>,
    schedule: Option<String>,
) -> Element<'a, M> {
    let count = |key: &str, n: usize| t_args(key, &[("count", n.to_string())]);
    let mut facts = vec![count("status-running", totals.running)];
    // Where the schedule takes room too, the counts that are 0 make way for it.
    let all = schedule.is_none();
    if all || totals.waiting > 0 {
        facts.push(count("status-waiting", totals.waiting));
    }
    // Paused is the user's own doing, not a turn to wait for: said apart, when any is.
    if totals.paused > 0 {
        facts.push(count("status-paused", totals.paused));
    }
    if all || totals.done > 0 {
        facts.push(count("status-done", totals.done));
    }
    if totals.failed > 0 {
        facts.push(count("status-failed", totals.failed));
    }
    let mut bar = row![
        icons::view(Icon::Speed, 14.0).style(theme::icons::tone(theme::Tone::Running)),
        text(units::speed(totals.speed)).size(12),
        text("·").size(12).style(text::secondary),
        text(facts.join(" · ")).size(12),
    ]
    .spacing(6)
    .align_y(Alignment::Center);
    if let Some(schedule) = schedule {
        bar = bar
            .push(text("·").size(12).style(text::secondary))
            .push(icons::view(Icon::Waiting, 14.0).style(theme::icons::tone(theme::Tone::Waiting)))
            .push(text(schedule).size(12).style(text::warning));
    }
    bar = bar.push(space::horizontal());
    if let Some(free) = free {
        bar = bar
            .push(icons::view(Icon::Disk, 14.0).style(theme::icons::muted))
            .push(
                text(t_args("status-free", &[("free", units::bytes(free))]))
                    .size(12)
                    .wrapping(text::Wrapping::None),
            );
    }
    container(bar)
        .padding([4, 16])
        .width(Length::Fill)
        .style(theme::surfaces::status_bar)
        .into()
}
