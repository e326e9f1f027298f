//! The queue as a table: a header and one row per download, columns chosen for the
//! window's width. Every row is [`ROW_HEIGHT`] tall whatever it holds (names are
//! shortened in the middle, never wrapped), so the rows in view follow from the scroll
//! offset and the last row is always fully reachable.

use std::time::SystemTime;

use iced::widget::text::Wrapping;
use iced::widget::{
    Space, checkbox, column, container, mouse_area, progress_bar, row, text, tooltip,
};
use iced::{Alignment, Element, Length};

use super::actions::{ACTIONS, action_id, actions};
use super::shown::{Lens, SortKey};
use super::{Message, state_text};
use crate::engine::{DownloadId, Priority};
use crate::gui::downloads::{Download, Downloads, State};
use crate::gui::icons::{self, Icon};
use crate::gui::theme::{self, Tone};
use crate::gui::{units, widgets};
use crate::i18n::t;

/// Height of every row.
pub const ROW_HEIGHT: f32 = 40.0;
/// Rows built beyond the visible ones, so fast scrolling shows no gap.
const OVERSCAN: usize = 4;
const SPACING: f32 = 8.0;
const TICK: f32 = 22.0;
const STATE_ICON: f32 = 18.0;
const TEXT: f32 = 13.0;
/// The least room for what a download that is not running is doing ("Starts 3. Dez.,
/// 23:00", "Fertig, ungeprüft"): the speed column widens to it in narrow windows, where
/// it is the only live column left.
const MIN_SPAN: f32 = 170.0;

/// A column of the table. The name takes the room the others leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Size,
    Progress,
    Speed,
    TimeLeft,
    Mirrors,
    Added,
}

impl Column {
    /// Every column, in the order shown.
    pub const ALL: [Column; 7] = [
        Column::Name,
        Column::Size,
        Column::Progress,
        Column::Speed,
        Column::TimeLeft,
        Column::Mirrors,
        Column::Added,
    ];

    pub fn label(self) -> String {
        t(match self {
            Column::Name => "column-name",
            Column::Size => "column-size",
            Column::Progress => "column-progress",
            Column::Speed => "column-speed",
            Column::TimeLeft => "column-time-left",
            Column::Mirrors => "column-mirrors",
            Column::Added => "column-added",
        })
    }

    /// Fixed width in pixels; `None` for the name, which fills.
    fn width(self) -> Option<f32> {
        match self {
            Column::Name => None,
            Column::Size => Some(84.0),
            Column::Progress => Some(150.0),
            Column::Speed => Some(92.0),
            Column::TimeLeft => Some(96.0),
            Column::Mirrors => Some(64.0),
            Column::Added => Some(104.0),
        }
    }

    /// Columns that only say something while a download runs; otherwise their cells
    /// join into one that says what the download is doing.
    fn live(self) -> bool {
        matches!(self, Column::Speed | Column::TimeLeft | Column::Mirrors)
    }

    /// What a click on its header sorts by (the progress column: the state).
    fn sort_key(self) -> Option<SortKey> {
        match self {
            Column::Name => Some(SortKey::Name),
            Column::Size => Some(SortKey::Size),
            Column::Progress => Some(SortKey::State),
            Column::Speed => Some(SortKey::Speed),
            Column::Added => Some(SortKey::Added),
            Column::TimeLeft | Column::Mirrors => None,
        }
    }
}

/// The widget id of a column's header, for tests and tools.
pub fn header_id(key: SortKey) -> String {
    format!("sort-{key:?}").to_lowercase()
}

/// The columns that fit a width, and how many characters of a name do.
pub struct Layout {
    pub(super) columns: Vec<Column>,
    /// The speed column's width: wider than its own when it alone is live.
    speed: f32,
    /// Characters of a name that fit its column.
    pub(super) name_chars: usize,
    /// Room between the name and the row's buttons (for the whole name's tooltip).
    beside_name: f32,
}

impl Layout {
    /// Narrow windows drop "added" first, then the mirrors, then the time left.
    pub fn for_width(width: f32) -> Layout {
        let drop_order = [Column::Added, Column::Mirrors, Column::TimeLeft];
        let mut columns = Column::ALL.to_vec();
        // The speed column's width, widened so the live columns make room for a state.
        let speed = |columns: &[Column]| -> f32 {
            let live: f32 = columns
                .iter()
                .filter(|c| c.live())
                .filter_map(|c| c.width())
                .map(|w| w + SPACING)
                .sum::<f32>()
                - SPACING;
            Column::Speed.width().unwrap_or(0.0) + (MIN_SPAN - live).max(0.0)
        };
        let fixed = |columns: &[Column]| -> f32 {
            columns.iter().filter_map(|c| c.width()).sum::<f32>()
                + (speed(columns) - Column::Speed.width().unwrap_or(0.0))
                + TICK
                + STATE_ICON
                + ACTIONS
                + SPACING * (columns.len() + 3) as f32
                + 24.0
        };
        for column in drop_order {
            if width - fixed(&columns) >= 200.0 {
                break;
            }
            columns.retain(|c| *c != column);
        }
        let name_width = (width - fixed(&columns)).max(80.0);
        let mut layout = Layout {
            name_chars: widgets::chars_that_fit(name_width, TEXT + 1.0),
            speed: speed(&columns),
            beside_name: 0.0,
            columns,
        };
        layout.beside_name = layout.spanned(|c| c != Column::Name);
        layout
    }

    /// A column's width in pixels here; `None` for the name, which fills.
    fn width(&self, column: Column) -> Option<f32> {
        match column {
            Column::Speed => Some(self.speed),
            other => other.width(),
        }
    }

    fn length(&self, column: Column) -> Length {
        self.width(column).map_or(Length::Fill, Length::Fixed)
    }

    /// The width of the columns `which` takes, side by side.
    fn spanned(&self, which: impl Fn(Column) -> bool) -> f32 {
        let widths: Vec<f32> = self
            .columns
            .iter()
            .filter(|c| which(**c))
            .filter_map(|c| self.width(*c))
            .collect();
        widths.iter().sum::<f32>() + SPACING * widths.len().saturating_sub(1) as f32
    }

    /// The column names; those that sort are buttons, the sorted one with its arrow.
    pub fn header<'a>(&self, lens: &Lens) -> Element<'a, Message> {
        let mut cells = row![Space::new().width(TICK), Space::new().width(STATE_ICON)]
            .spacing(SPACING)
            .align_y(Alignment::Center);
        for column in &self.columns {
            let mut label = column.label();
            let Some(key) = column.sort_key() else {
                cells = cells.push(
                    text(label)
                        .size(12)
                        .wrapping(Wrapping::None)
                        .width(self.length(*column)),
                );
                continue;
            };
            if let Some(sort) = lens.sort.filter(|s| s.key == key) {
                label.push_str(if sort.descending { " ▼" } else { " ▲" });
            }
            cells = cells.push(
                container(
                    iced::widget::button(text(label).size(12).wrapping(Wrapping::None))
                        .padding(0)
                        .width(Length::Fill)
                        .on_press(Message::Sort(key))
                        .style(theme::buttons::header),
                )
                .id(header_id(key))
                .width(self.length(*column))
                .clip(true),
            );
        }
        cells = cells.push(Space::new().width(ACTIONS));
        container(cells)
            .padding([6, 8])
            .width(Length::Fill)
            .clip(true)
            .style(theme::surfaces::header)
            .into()
    }

    /// The rows in view for a scroll `offset` and viewport `height`, with space for the
    /// others so the scroll bar tells the truth.
    pub fn rows<'a>(
        &self,
        downloads: &'a Downloads,
        shown: &[DownloadId],
        drop_target: Option<usize>,
        offset: f32,
        height: f32,
    ) -> Element<'a, Message> {
        let total = shown.len();
        let first = ((offset / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN);
        let visible = (height / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN;
        let last = (first + visible).min(total);
        let first = first.min(last);
        let now = SystemTime::now();
        let mut rows = column![Space::new().height(first as f32 * ROW_HEIGHT)];
        for (index, id) in shown.iter().enumerate().take(last).skip(first) {
            if let Some(download) = downloads.get(*id) {
                rows = rows.push(match download.leaving {
                    Some(_) => self.leaving_row(download),
                    None => self.row(download, now, drop_target == Some(index)),
                });
            }
        }
        rows.push(Space::new().height((total - last) as f32 * ROW_HEIGHT))
            .into()
    }

    fn row<'a>(
        &self,
        download: &'a Download,
        now: SystemTime,
        drop_target: bool,
    ) -> Element<'a, Message> {
        let id = download.id;
        let mut cells = row![
            checkbox(download.selected).on_toggle(move |on| Message::Select(id, on)),
            state_icon(download),
        ]
        .spacing(SPACING)
        .align_y(Alignment::Center);
        // While files on disk are checked nothing flows yet: the row says so instead.
        let running = download.state == State::Running && download.checking.is_none();
        // The live columns sit side by side; for a download that is not running they
        // make one cell, in their place, saying what it is doing. A finished one's full
        // progress bar says nothing its words do not: they take its place too.
        let finished = download.state.is_done();
        let spans = |column: Column| {
            (column.live() && !running) || (finished && column == Column::Progress)
        };
        let spanned = self.spanned(spans);
        let mut span_shown = false;
        for column in &self.columns {
            if spans(*column) {
                if !span_shown && spanned > 0.0 {
                    cells = cells.push(container(status_text(download)).width(spanned).clip(true));
                    span_shown = true;
                }
                continue;
            }
            cells = cells.push(self.cell(*column, download, now));
        }
        cells = cells.push(actions(download));
        let content = container(cells)
            .padding([0, 8])
            .height(ROW_HEIGHT)
            .width(Length::Fill)
            .align_y(Alignment::Center)
            .clip(true)
            .style(if drop_target {
                theme::surfaces::row_drop_target
            } else if download.selected {
                theme::surfaces::row_selected
            } else {
                container::transparent
            });
        mouse_area(content)
            .on_press(Message::Click(id))
            .on_double_click(Message::Details(id))
            .into()
    }

    fn cell<'a>(
        &self,
        column: Column,
        download: &'a Download,
        now: SystemTime,
    ) -> Element<'a, Message> {
        let small = |s: String| text(s).size(TEXT).wrapping(Wrapping::None);
        let content: Element<'a, Message> = match column {
            Column::Name => {
                let priority = match download.spec.priority {
                    Priority::Normal => None,
                    other => Some(crate::gui::limits::priority_text(other)),
                };
                let room = self
                    .name_chars
                    .saturating_sub(priority.as_ref().map_or(0, |p| p.chars().count() + 2));
                let shown = widgets::ellipsize(&download.spec.name, room);
                let name = text(shown).size(TEXT + 1.0).wrapping(Wrapping::None);
                let name: Element<'a, Message> = match priority {
                    Some(priority) => row![
                        name,
                        container(text(priority).size(11)).padding([1, 6]).style(
                            match download.spec.priority {
                                Priority::High => theme::surfaces::tag_high,
                                _ => theme::surfaces::tag_low,
                            }
                        ),
                    ]
                    .spacing(6)
                    .align_y(Alignment::Center)
                    .into(),
                    None => name.into(),
                };
                if download.spec.name.chars().count() > room {
                    // Right of the name, over the row's own size and progress, as wide
                    // as they are: never over a button of this row or of the next.
                    tooltip(
                        name,
                        widgets::tip(download.spec.name.clone()).max_width(self.beside_name),
                        tooltip::Position::Right,
                    )
                    .gap(8)
                    .delay(widgets::TIP_DELAY)
                    .into()
                } else {
                    name
                }
            }
            Column::Size => small(download.size().map_or_else(|| "—".into(), units::bytes)).into(),
            Column::Progress => {
                let fraction = download.checked().or_else(|| download.fraction());
                row![
                    progress_bar(0.0..=1.0, fraction.unwrap_or(0.0))
                        .girth(6)
                        .length(Length::Fill)
                        .style(theme::progress(Tone::of(&download.state))),
                    small(fraction.map_or_else(String::new, units::percent)).width(40),
                ]
                .spacing(6)
                .align_y(Alignment::Center)
                .into()
            }
            Column::Speed => small(units::speed(download.speed)).into(),
            Column::TimeLeft => {
                small(download.eta().map_or_else(|| "—".into(), units::duration)).into()
            }
            Column::Mirrors => {
                let (active, all) = download.mirrors();
                small(format!("{active}/{all}"))
                    .style(iced::widget::text::secondary)
                    .into()
            }
            Column::Added => small(units::date(download.added, now))
                .style(iced::widget::text::secondary)
                .into(),
        };
        container(content)
            .width(self.length(column))
            .clip(true)
            .into()
    }

    /// A removed row, still in its place: what happened, and Undo where the pointer is.
    fn leaving_row<'a>(&self, download: &'a Download) -> Element<'a, Message> {
        let id = download.id;
        let deleting = download.leaving.is_some_and(|l| l.delete_files);
        let what = if deleting {
            t("queue-deleted")
        } else {
            t("queue-removed")
        };
        let name = widgets::ellipsize(&download.spec.name, self.name_chars);
        container(
            row![
                Space::new().width(TICK + STATE_ICON + SPACING),
                text(format!("{name} — {what}"))
                    .size(TEXT)
                    .wrapping(Wrapping::None)
                    .width(Length::Fill),
                container(
                    widgets::labeled(
                        Icon::Undo,
                        t("action-undo"),
                        Some(Message::Undo(id)),
                        theme::Role::Secondary
                    )
                    .padding([3, 10])
                )
                .id(action_id("undo", id)),
            ]
            .spacing(SPACING)
            .align_y(Alignment::Center),
        )
        .padding([0, 8])
        .height(ROW_HEIGHT)
        .width(Length::Fill)
        .align_y(Alignment::Center)
        .clip(true)
        .style(theme::surfaces::row_leaving)
        .into()
    }
}

/// The state's icon in its colour; a finished download's says what its signature
/// proved (a shield), which a narrow window's cut status words may not.
fn state_icon(download: &Download) -> Element<'_, Message> {
    let tone = Tone::of(&download.state);
    let look = signed_text(download).map(|(_, look)| look);
    let icon = match (&download.state, look) {
        (State::Finished { .. }, Some(Signed::Good)) => Icon::Signed,
        (State::Finished { .. }, Some(Signed::Doubtful)) => Icon::SignatureDoubtful,
        (State::Finished { .. }, Some(Signed::Bad)) => Icon::SignatureBad,
        (State::Queued | State::Waiting(_), _) => Icon::Waiting,
        (State::Running, _) => Icon::Running,
        (State::Paused, _) => Icon::Paused,
        (State::Finished { .. }, None) => Icon::Done,
        (State::Failed(_), _) => Icon::Failed,
    };
    icons::view(icon, STATE_ICON)
        .style(move |theme: &iced::Theme, _| iced::widget::svg::Style {
            color: Some(match look {
                Some(Signed::Doubtful) => theme.palette().warning,
                Some(Signed::Bad) => theme.palette().danger,
                _ => tone.color(theme),
            }),
        })
        .into()
}

/// What a finished download's signature says, briefly: the words and how they look.
fn signed_text(download: &Download) -> Option<(String, Signed)> {
    let verdict = download.signature.as_ref()?;
    if !matches!(download.state, State::Finished { .. }) || verdict.checks.is_empty() {
        return None;
    }
    Some(if verdict.is_bad() {
        (t("state-signature-bad-short"), Signed::Bad)
    } else if verdict.proves_publisher() {
        (t("state-signed-short"), Signed::Good)
    } else {
        (t("state-signature-unchecked-short"), Signed::Doubtful)
    })
}

/// How a finished download's signature colours its state.
#[derive(Debug, Clone, Copy)]
enum Signed {
    Good,
    Doubtful,
    Bad,
}

/// What a download that is not running is doing, in its state's colour.
fn status_text(download: &Download) -> Element<'_, Message> {
    let tone = Tone::of(&download.state);
    let signed = signed_text(download);
    let words = match (&download.state, &signed, &download.checking) {
        (State::Running, _, Some(checking)) => super::super::reuse::checking_text(checking),
        (State::Failed(reason), _, _) => format!("{}: {}", t("state-failed"), reason.text()),
        (State::Finished { .. }, Some((words, _)), _) => words.clone(),
        // The table says it briefly; the hash is a hover away in the details.
        (
            State::Finished {
                verified: Some(_), ..
            },
            None,
            _,
        ) => t("state-verified-short"),
        (State::Finished { verified: None, .. }, None, _) => t("state-done-short"),
        (other, _, _) => state_text(other),
    };
    let look = signed.as_ref().map(|(_, look)| *look);
    let label = text(words.clone())
        .size(TEXT)
        .wrapping(Wrapping::None)
        .style(move |theme: &iced::Theme| text::Style {
            color: Some(match (look, tone) {
                (Some(Signed::Doubtful), _) => theme.palette().warning,
                (Some(Signed::Bad), _) => theme.palette().danger,
                (_, Tone::Waiting | Tone::Paused) => theme::muted(theme),
                (_, other) => other.color(theme),
            }),
        });
    // The whole verdict (who signed, which key is missing) is a hover away.
    let hover = match (&download.state, &download.signature) {
        (State::Failed(reason), _) => Some(match reason.detail() {
            Some(detail) => format!("{words}\n\n{detail}"),
            None => words,
        }),
        (State::Finished { .. }, Some(verdict)) if signed.is_some() => {
            crate::words::verdict(verdict).map(|(line, warnings)| {
                std::iter::once(line)
                    .chain(warnings)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        _ => None,
    };
    if let Some(words) = hover {
        // A long reason is cut by the cell; all of it is a hover away.
        // Left of the cell, over the row's own name and progress: not over the next
        // row's buttons.
        tooltip(
            label,
            widgets::tip(words).max_width(460),
            tooltip::Position::Left,
        )
        .gap(8)
        .delay(widgets::TIP_DELAY)
        .into()
    } else {
        label.into()
    }
}
