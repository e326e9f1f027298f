//! The status bar: the speed over all downloads, how many run, wait, are done or
//! failed, and the free space in the download folder.

use iced::widget::{container, row, space, text};
use iced::{Alignment, Element, Length};

use crate::gui::downloads::{Downloads, State};
use crate::gui::icons::{self, Icon};
use crate::gui::{theme, units};
use crate::i18n::t_args;

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

/// The bar along the bottom of the window; `free` is the space left in the download
/// folder, once measured.
pub fn status_bar<'a, M: 'a>(totals: Totals, free: Option<u64>) -> Element<'a, M> {
    let count = |key: &str, n: usize| t_args(key, &[("count", n.to_string())]);
    let mut facts = vec![
        count("status-running", totals.running),
        count("status-waiting", totals.waiting + totals.paused),
        count("status-done", totals.done),
    ];
    if totals.failed > 0 {
        facts.push(count("status-failed", totals.failed));
    }
    let mut bar = row![
        icons::view(Icon::Speed, 14.0).style(theme::icons::tone(theme::Tone::Running)),
        text(units::speed(totals.speed)).size(12),
        text("·").size(12).style(text::secondary),
        text(facts.join(" · ")).size(12),
        space::horizontal(),
    ]
    .spacing(6)
    .align_y(Alignment::Center);
    if let Some(free) = free {
        bar = bar
            .push(icons::view(Icon::Disk, 14.0).style(theme::icons::muted))
            .push(text(t_args("status-free", &[("free", units::bytes(free))])).size(12));
    }
    container(bar)
        .padding([4, 16])
        .width(Length::Fill)
        .style(theme::surfaces::status_bar)
        .into()
}
