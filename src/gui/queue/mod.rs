//! The queue screen: a table of downloads (`table`), the actions over it, and the status
//! bar under it (`status`). Only the rows in view are built, so thousands of downloads
//! stay fluent; every row has one height, so every row is reachable by scrolling.
//!
//! Removing is undoable: a removed row stays in place for a few seconds as "removed —
//! Undo" (the pointer lands on Undo, never on the next row's buttons), then the app
//! carries the removal out.

mod status;
mod table;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use iced::widget::{column, container, row, scrollable, space, text};
use iced::{Alignment, Element, Length};

pub use status::{Totals, status_bar};
#[cfg(test)]
pub(crate) use table::{ROW_HEIGHT, action_id};

use super::downloads::{Download, Downloads, Leaving, State};
use super::icons::Icon;
use super::theme::Role;
use super::widgets;
use crate::engine::{Command, DownloadId};
use crate::i18n::{t, t_args};

/// How long a removed row can be brought back.
pub const UNDO_WINDOW: Duration = Duration::from_secs(6);

/// The scrollable holding the rows, so the app can put its offset back.
pub const ROWS_ID: &str = "queue-rows";

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
}

/// What the queue asks of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    None,
    Engine(Vec<Command>),
    Open(PathBuf),
    ShowDetails(DownloadId),
}

#[derive(Debug, Default)]
pub struct Queue {
    offset: f32,
    height: f32,
    /// Whether Ctrl (Cmd) is held, for clicks on rows.
    pub adding_to_selection: bool,
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

    pub fn update(&mut self, downloads: &mut Downloads, message: Message) -> Action {
        match message {
            Message::Select(id, selected) => {
                if let Some(d) = downloads.get_mut(id) {
                    d.selected = selected;
                }
                Action::None
            }
            Message::Click(id) => {
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
                let all = downloads
                    .iter()
                    .filter(|d| d.leaving.is_none())
                    .all(|d| d.selected);
                downloads.select_all(!all);
                Action::None
            }
            Message::PauseSelected => Action::Engine(
                selected_or_all(downloads)
                    .into_iter()
                    .filter(|id| downloads.get(*id).is_some_and(|d| d.state.is_active()))
                    .map(Command::Pause)
                    .collect(),
            ),
            Message::ResumeSelected => Action::Engine(
                selected_or_all(downloads)
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
        column![
            self.toolbar(downloads, width),
            container(
                column![
                    layout.header(),
                    scrollable(layout.rows(downloads, self.offset, height))
                        .id(ROWS_ID)
                        .on_scroll(Message::Scrolled)
                        .height(Length::Fill),
                ]
                .spacing(2)
            )
            .padding(4)
            .height(Length::Fill)
            .style(super::theme::surfaces::panel),
        ]
        .spacing(8)
        .into()
    }

    /// The actions over the list; a narrow window keeps "select all" as an icon and
    /// leaves the count to the status bar.
    fn toolbar<'a>(&self, downloads: &'a Downloads, width: f32) -> Element<'a, Message> {
        let narrow = width < 900.0;
        let any_selected = downloads.iter().any(|d| d.selected && d.leaving.is_none());
        let (pause, resume) = if any_selected {
            (t("queue-pause-selected"), t("queue-resume-selected"))
        } else {
            (t("queue-pause-all"), t("queue-resume-all"))
        };
        let shown = downloads.iter().filter(|d| d.leaving.is_none()).count();
        let select_all = if narrow {
            widgets::icon_button(
                Icon::SelectAll,
                t("queue-select-all"),
                Message::SelectAll,
                super::theme::icons::normal,
            )
        } else {
            widgets::labeled(
                Icon::SelectAll,
                t("queue-select-all"),
                Some(Message::SelectAll),
                Role::Ghost,
            )
            .into()
        };
        let mut bar = row![
            select_all,
            widgets::labeled(
                Icon::Pause,
                pause,
                Some(Message::PauseSelected),
                Role::Secondary
            ),
            widgets::labeled(
                Icon::Resume,
                resume,
                Some(Message::ResumeSelected),
                Role::Secondary
            ),
            widgets::labeled(
                Icon::Remove,
                t("queue-remove-selected"),
                any_selected.then_some(Message::RemoveSelected),
                Role::Secondary
            ),
            space::horizontal(),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        if !narrow {
            bar = bar.push(
                text(t_args("queue-count", &[("count", shown.to_string())]))
                    .wrapping(iced::widget::text::Wrapping::None)
                    .style(iced::widget::text::secondary),
            );
        }
        bar.into()
    }
}

fn selected_or_all(downloads: &Downloads) -> Vec<DownloadId> {
    let selected = downloads.selected();
    if selected.is_empty() {
        downloads
            .iter()
            .filter(|d| d.leaving.is_none())
            .map(|d| d.id)
            .collect()
    } else {
        selected
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
            &[("time", crate::engine::schedule::local_text(*at))],
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
