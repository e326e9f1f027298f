//! The queue screen: a table of downloads (`table`), the bars over it (`toolbar`: actions,
//! filters with counts, kind, search), what of the queue it shows and in which order
//! (`shown`), moving downloads by keyboard or drag (`reorder`), and the status bar under
//! it (`status`). Only the rows in view are built, so thousands of downloads
//! stay fluent; every row has one height, so every row is reachable by scrolling.
//!
//! Removing is undoable: a removed row stays in place for a few seconds as "removed —
//! Undo" (the pointer lands on Undo, never on the next row's buttons), then the app
//! carries the removal out.

mod actions;
mod reorder;
mod shown;
mod status;
mod table;
mod toolbar;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use iced::widget::{column, container, mouse_area, scrollable, text};
use iced::{Alignment, Element, Length, Point};

#[cfg(test)]
pub(crate) use actions::action_id;
pub use shown::{Filter, Lens, SortKey};
pub use status::{Totals, schedule_now, status_bar};
#[cfg(test)]
pub(crate) use table::ROW_HEIGHT;

use super::downloads::{Download, Downloads, Leaving, State};
use crate::category::Category;
use crate::engine::{Command, DownloadId, Place};
use crate::i18n::{t, t_args};

/// How long a removed row can be brought back.
pub const UNDO_WINDOW: Duration = Duration::from_secs(6);

/// The scrollable holding the rows, so the app can put its offset back.
pub const ROWS_ID: &str = "queue-rows";

/// The search box, so Ctrl+F can reach it.
pub const SEARCH_ID: &str = "queue-search";

#[derive(Debug, Clone)]
pub enum Message {
    /// The row's tick box.
    Select(DownloadId, bool),
    /// A click on the row: it alone is selected (with Ctrl, it is added or taken away).
    Click(DownloadId),
    Pause(DownloadId),
    Resume(DownloadId),
    Retry(DownloadId),
    /// Stop and discard what was downloaded (undoable for a few seconds).
    Cancel(DownloadId),
    /// Take it off the list; with `delete_files`, its files go too (undoable).
    Remove {
        id: DownloadId,
        delete_files: bool,
    },
    Undo(DownloadId),
    OpenFolder(DownloadId),
    OpenFile(DownloadId),
    Details(DownloadId),
    Scrolled(scrollable::Viewport),
    SelectAll,
    PauseSelected,
    ResumeSelected,
    RemoveSelected,
    /// Takes the downloaded ones off the list (their files stay; undoable).
    ClearCompleted,
    Filter(Filter),
    Kind(Option<Category>),
    Search(String),
    /// A click on a column's header.
    Sort(SortKey),
    /// Back to every download, unsorted.
    ShowAll,
    /// Moves the selection (Alt+arrows, Alt+Home/End).
    MoveSelected(Place),
    /// The selection moves to another row (↑/↓, Home/End).
    Step(Step),
    /// The pointer over the rows while a row is held (from the top of all the rows).
    Pointer(Point),
    /// The mouse button let go over the rows: a held row is dropped where it is.
    Released,
    /// The pointer left the rows: a drag is given up.
    PointerLeft,
}

impl Message {
    /// The download whose row button this is, for the buttons that change with its
    /// state (the main one and the destructive one).
    fn row_button(&self) -> Option<DownloadId> {
        match self {
            Message::Pause(id)
            | Message::Resume(id)
            | Message::Retry(id)
            | Message::Cancel(id)
            | Message::Remove { id, .. }
            | Message::OpenFile(id) => Some(*id),
            _ => None,
        }
    }
}

/// Where the keyboard moves the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Previous,
    Next,
    First,
    Last,
}

/// What the queue asks of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    None,
    Engine(Vec<Command>),
    Open(PathBuf),
    ShowDetails(DownloadId),
    /// Scroll the rows to this offset (other rows are shown now: back to the top; a row
    /// selected by keyboard: into view).
    ScrollTo(f32),
}

#[derive(Debug, Default)]
pub struct Queue {
    offset: f32,
    height: f32,
    /// Whether Ctrl (Cmd) is held, for clicks on rows.
    pub adding_to_selection: bool,
    /// What of the queue is shown, and in which order.
    lens: Lens,
    /// A row held down with the mouse, perhaps being dragged.
    press: Option<reorder::Press>,
}

impl Queue {
    /// The scroll offset, to be put back when the screen is shown again.
    pub fn offset(&self) -> f32 {
        self.offset
    }

    #[cfg(test)]
    pub fn set_offset_for_tests(&mut self, offset: f32) {
        self.offset = offset;
    }

    /// The downloads shown, in the order shown.
    pub fn rows(&self, downloads: &Downloads) -> Vec<DownloadId> {
        self.lens.rows(downloads)
    }

    /// A change of what is shown: the list starts at its top again.
    fn refocus(&mut self, change: impl FnOnce(&mut Lens)) -> Action {
        let before = self.lens.clone();
        change(&mut self.lens);
        if self.lens == before {
            return Action::None;
        }
        self.offset = 0.0;
        self.press = None;
        Action::ScrollTo(0.0)
    }

    pub fn update(&mut self, downloads: &mut Downloads, message: Message) -> Action {
        if let Some(id) = message.row_button()
            && downloads
                .get(id)
                .is_some_and(|d| d.settling(Instant::now()))
        {
            // The button changed under the pointer: the click was meant for the old one.
            return Action::None;
        }
        match message {
            Message::Select(id, selected) => {
                if let Some(d) = downloads.get_mut(id) {
                    d.selected = selected;
                }
                Action::None
            }
            Message::Click(id) => {
                self.press = self.lens.in_queue_order().then(|| reorder::Press::new(id));
                if self.adding_to_selection {
                    if let Some(d) = downloads.get_mut(id) {
                        d.selected = !d.selected;
                    }
                } else {
                    downloads.select_all(false);
                    if let Some(d) = downloads.get_mut(id) {
                        d.selected = true;
                    }
                }
                Action::None
            }
            Message::Pause(id) => Action::Engine(vec![Command::Pause(id)]),
            Message::Resume(id) | Message::Retry(id) => Action::Engine(vec![Command::Resume(id)]),
            Message::Cancel(id) => leave(downloads, &[id], true, Instant::now()),
            Message::Remove { id, delete_files } => {
                leave(downloads, &[id], delete_files, Instant::now())
            }
            Message::Undo(id) => undo(downloads, id),
            Message::OpenFolder(id) => match downloads.get(id) {
                Some(d) => Action::Open(folder_of(d)),
                None => Action::None,
            },
            Message::OpenFile(id) => match downloads.get(id).map(|d| &d.state) {
                Some(State::Finished { path, .. }) => Action::Open(path.clone()),
                _ => Action::None,
            },
            Message::Details(id) => Action::ShowDetails(id),
            Message::Scrolled(viewport) => {
                self.offset = viewport.absolute_offset().y;
                self.height = viewport.bounds().height;
                Action::None
            }
            Message::SelectAll => {
                // The rows shown: what a filter or search hides stays as it was.
                let shown = self.rows(downloads);
                let all = shown
                    .iter()
                    .filter_map(|id| downloads.get(*id))
                    .filter(|d| d.leaving.is_none())
                    .all(|d| d.selected);
                for id in shown {
                    if let Some(d) = downloads.get_mut(id) {
                        d.selected = !all && d.leaving.is_none();
                    }
                }
                Action::None
            }
            Message::PauseSelected => Action::Engine(
                self.selected_or_shown(downloads)
                    .into_iter()
                    .filter(|id| downloads.get(*id).is_some_and(|d| d.state.is_active()))
                    .map(Command::Pause)
                    .collect(),
            ),
            Message::ResumeSelected => Action::Engine(
                self.selected_or_shown(downloads)
                    .into_iter()
                    .filter(|id| {
                        downloads
                            .get(*id)
                            .is_some_and(|d| matches!(d.state, State::Paused | State::Failed(_)))
                    })
                    .map(Command::Resume)
                    .collect(),
            ),
            Message::RemoveSelected => {
                let ids = downloads.selected();
                leave(downloads, &ids, false, Instant::now())
            }
            Message::ClearCompleted => {
                let done: Vec<DownloadId> = downloads
                    .iter()
                    .filter(|d| d.state.is_done())
                    .map(|d| d.id)
                    .collect();
                leave(downloads, &done, false, Instant::now())
            }
            Message::Filter(filter) => self.refocus(|lens| lens.filter = filter),
            Message::Kind(category) => self.refocus(|lens| lens.category = category),
            Message::Search(words) => self.refocus(|lens| lens.search = words),
            Message::Sort(key) => self.refocus(|lens| lens.sort_by(key)),
            Message::ShowAll => self.refocus(|lens| *lens = Lens::default()),
            Message::MoveSelected(place) => {
                if !self.lens.in_queue_order() {
                    return Action::None;
                }
                let rows = self.rows(downloads);
                Action::Engine(reorder::move_selected(&rows, downloads, place))
            }
            Message::Step(step) => self.step(downloads, step),
            Message::Pointer(point) => {
                let rows = self.rows(downloads).len();
                if let Some(press) = &mut self.press {
                    press.follow(point.y, rows);
                }
                Action::None
            }
            Message::Released => match self.press.take() {
                Some(press) => {
                    let rows = self.rows(downloads);
                    Action::Engine(press.drop(&rows, downloads).into_iter().collect())
                }
                None => Action::None,
            },
            Message::PointerLeft => {
                self.press = None;
                Action::None
            }
        }
    }

    /// Selects the row before or after the selected one (or the first or last), alone,
    /// and scrolls so it is in view.
    fn step(&mut self, downloads: &mut Downloads, step: Step) -> Action {
        let rows: Vec<DownloadId> = self
            .rows(downloads)
            .into_iter()
            .filter(|id| downloads.get(*id).is_some_and(|d| d.leaving.is_none()))
            .collect();
        if rows.is_empty() {
            return Action::None;
        }
        let current = rows
            .iter()
            .position(|id| downloads.get(*id).is_some_and(|d| d.selected));
        let last = rows.len() - 1;
        let index = match (step, current) {
            (Step::First, _) | (Step::Next, None) => 0,
            (Step::Last, _) | (Step::Previous, None) => last,
            (Step::Previous, Some(at)) => at.saturating_sub(1),
            (Step::Next, Some(at)) => (at + 1).min(last),
        };
        downloads.select_all(false);
        if let Some(d) = downloads.get_mut(rows[index]) {
            d.selected = true;
        }
        // Where the row is among all rows shown (those being removed count too).
        let at = self
            .rows(downloads)
            .iter()
            .position(|id| *id == rows[index])
            .unwrap_or(0) as f32
            * table::ROW_HEIGHT;
        if at < self.offset {
            self.offset = at;
            Action::ScrollTo(at)
        } else if self.height > 0.0 && at + table::ROW_HEIGHT > self.offset + self.height {
            self.offset = at + table::ROW_HEIGHT - self.height;
            Action::ScrollTo(self.offset)
        } else {
            Action::None
        }
    }

    /// The row a held row would be dropped on, while it is dragged.
    fn drop_target(&self, rows: &[DownloadId]) -> Option<usize> {
        self.press.as_ref()?.target(rows)
    }

    /// The selection, or when nothing is selected every download shown.
    fn selected_or_shown(&self, downloads: &Downloads) -> Vec<DownloadId> {
        let selected = downloads.selected();
        if selected.is_empty() {
            self.rows(downloads)
                .into_iter()
                .filter(|id| downloads.get(*id).is_some_and(|d| d.leaving.is_none()))
                .collect()
        } else {
            selected
        }
    }

    /// Pause or resume the selection (Space).
    pub fn toggle_selected(&mut self, downloads: &mut Downloads) -> Action {
        let ids = downloads.selected();
        let any_active = ids
            .iter()
            .any(|id| downloads.get(*id).is_some_and(|d| d.state.is_active()));
        let message = if any_active {
            Message::PauseSelected
        } else {
            Message::ResumeSelected
        };
        if ids.is_empty() {
            return Action::None;
        }
        self.update(downloads, message)
    }

    /// The queue at `width` pixels wide.
    pub fn view<'a>(&self, downloads: &'a Downloads, width: f32) -> Element<'a, Message> {
        if downloads.is_empty() {
            return container(
                column![
                    text(t("queue-empty-title")).size(22),
                    text(t("queue-empty-help")),
                ]
                .spacing(10)
                .align_x(Alignment::Center),
            )
            .center(Length::Fill)
            .into();
        }
        let layout = table::Layout::for_width(width);
        let height = if self.height > 0.0 {
            self.height
        } else {
            800.0
        };
        let shown = self.rows(downloads);
        let counts = self.lens.counts(downloads);
        let rows: Element<'a, Message> = if shown.is_empty() {
            self.nothing_shown()
        } else {
            let target = self.drop_target(&shown);
            let mut area = mouse_area(layout.rows(downloads, &shown, target, self.offset, height));
            if self.press.is_some() {
                area = area
                    .on_move(Message::Pointer)
                    .on_release(Message::Released)
                    .on_exit(Message::PointerLeft);
            }
            scrollable(area)
                .id(ROWS_ID)
                .on_scroll(Message::Scrolled)
                .height(Length::Fill)
                .into()
        };
        column![
            self.toolbar(downloads, counts, width),
            container(column![layout.header(&self.lens), rows].spacing(2))
                .padding(4)
                .height(Length::Fill)
                .style(super::theme::surfaces::panel),
        ]
        .spacing(8)
        .into()
    }
}

/// Marks `ids` as leaving (Undo is possible until the window ends); running ones are
/// paused at once, so nothing more is downloaded for them.
fn leave(
    downloads: &mut Downloads,
    ids: &[DownloadId],
    delete_files: bool,
    now: Instant,
) -> Action {
    let mut commands = Vec::new();
    for &id in ids {
        let Some(download) = downloads.get_mut(id) else {
            continue;
        };
        if download.leaving.is_some() {
            continue;
        }
        let was_active = download.state.is_active();
        if was_active {
            commands.push(Command::Pause(id));
        }
        download.selected = false;
        download.leaving = Some(Leaving {
            delete_files,
            was_active,
            until: now + UNDO_WINDOW,
        });
    }
    Action::Engine(commands)
}

fn undo(downloads: &mut Downloads, id: DownloadId) -> Action {
    let Some(download) = downloads.get_mut(id) else {
        return Action::None;
    };
    match download.leaving.take() {
        // The pause asked for on removal may not have happened yet: the engine ignores
        // a Resume while the download is still stopping, so it is sent once paused.
        Some(Leaving {
            was_active: true, ..
        }) if download.state.is_active() => {
            download.resume_when_paused = true;
            Action::None
        }
        Some(Leaving {
            was_active: true, ..
        }) => Action::Engine(vec![Command::Resume(id)]),
        _ => Action::None,
    }
}

fn folder_of(download: &Download) -> PathBuf {
    match &download.state {
        State::Finished { path, .. } => path
            .parent()
            .map_or_else(|| download.spec.dir.clone(), |p| p.to_path_buf()),
        _ => download.spec.dir.clone(),
    }
}

/// The state in words.
pub fn state_text(state: &State) -> String {
    match state {
        State::Queued => t("state-queued"),
        State::Waiting(at) => t_args(
            "state-waiting",
            &[(
                "time",
                super::units::date(
                    std::time::UNIX_EPOCH + Duration::from_secs((*at).max(0) as u64),
                    std::time::SystemTime::now(),
                ),
            )],
        ),
        State::Running => t("state-running"),
        State::Paused => t("state-paused"),
        State::Finished {
            verified: Some(hash),
            ..
        } => t_args("state-verified", &[("hash", hash.clone())]),
        State::Finished { verified: None, .. } => t("state-finished-unverified"),
        State::Failed(_) => t("state-failed"),
    }
}

#[cfg(test)]
mod tests;
