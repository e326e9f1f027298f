//! The queue screen: one row per download with its progress and actions. Only the rows
//! in view are built, so thousands of downloads stay fluent.

use std::path::PathBuf;

use iced::widget::{
    Space, button, checkbox, column, container, progress_bar, row, scrollable, space, text,
};
use iced::{Alignment, Element, Length};

use super::downloads::{Download, Downloads, State};
use crate::engine::{Command, DownloadId};
use crate::format;
use crate::i18n::{t, t_args};

/// Height of one row, fixed so the visible rows follow from the scroll offset.
pub const ROW_HEIGHT: f32 = 68.0;
/// Rows built beyond the visible ones, so fast scrolling shows no gap.
const OVERSCAN: usize = 4;

#[derive(Debug, Clone)]
pub enum Message {
    Select(DownloadId, bool),
    Pause(DownloadId),
    Resume(DownloadId),
    Retry(DownloadId),
    /// Stop and discard what was downloaded.
    Cancel(DownloadId),
    /// Take it off the list; with `delete_files`, its files go too.
    Remove {
        id: DownloadId,
        delete_files: bool,
    },
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
    /// Delete these finished files, then forget the downloads.
    DeleteFinished(Vec<(DownloadId, PathBuf)>),
    Open(PathBuf),
    ShowDetails(DownloadId),
}

#[derive(Debug, Default)]
pub struct Queue {
    offset: f32,
    height: f32,
}

impl Queue {
    pub fn update(&mut self, downloads: &mut Downloads, message: Message) -> Action {
        match message {
            Message::Select(id, selected) => {
                if let Some(d) = downloads.get_mut(id) {
                    d.selected = selected;
                }
                Action::None
            }
            Message::Pause(id) => Action::Engine(vec![Command::Pause(id)]),
            Message::Resume(id) | Message::Retry(id) => Action::Engine(vec![Command::Resume(id)]),
            Message::Cancel(id) => Action::Engine(vec![Command::Remove {
                id,
                delete_files: true,
            }]),
            Message::Remove { id, delete_files } => remove(downloads, &[id], delete_files),
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
                let all = downloads.iter().all(|d| d.selected);
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
                remove(downloads, &ids, false)
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

    pub fn view<'a>(&self, downloads: &'a Downloads) -> Element<'a, Message> {
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
        let total = downloads.len();
        let height = if self.height > 0.0 {
            self.height
        } else {
            800.0
        };
        let first = ((self.offset / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN);
        let visible = (height / ROW_HEIGHT).ceil() as usize + 2 * OVERSCAN;
        let last = (first + visible).min(total);
        let mut rows = column![Space::new().height(first as f32 * ROW_HEIGHT)];
        for index in first..last {
            if let Some(download) = downloads.nth(index) {
                rows = rows.push(row_view(download));
            }
        }
        rows = rows.push(Space::new().height((total - last) as f32 * ROW_HEIGHT));
        let any_selected = downloads.iter().any(|d| d.selected);
        let (pause, resume) = if any_selected {
            (t("queue-pause-selected"), t("queue-resume-selected"))
        } else {
            (t("queue-pause-all"), t("queue-resume-all"))
        };
        let toolbar = row![
            button(text(t("queue-select-all")))
                .on_press(Message::SelectAll)
                .style(button::text),
            button(text(pause))
                .on_press(Message::PauseSelected)
                .style(button::secondary),
            button(text(resume))
                .on_press(Message::ResumeSelected)
                .style(button::secondary),
            button(text(t("queue-remove-selected")))
                .on_press_maybe(
                    downloads
                        .iter()
                        .any(|d| d.selected)
                        .then_some(Message::RemoveSelected)
                )
                .style(button::secondary),
            space::horizontal(),
            text(t_args("queue-count", &[("count", total.to_string())])),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        column![
            toolbar,
            scrollable(rows)
                .on_scroll(Message::Scrolled)
                .height(Length::Fill),
        ]
        .spacing(8)
        .into()
    }
}

fn selected_or_all(downloads: &Downloads) -> Vec<DownloadId> {
    let selected = downloads.selected();
    if selected.is_empty() {
        downloads.iter().map(|d| d.id).collect()
    } else {
        selected
    }
}

fn remove(downloads: &Downloads, ids: &[DownloadId], delete_files: bool) -> Action {
    let mut finished = Vec::new();
    let mut commands = Vec::new();
    for &id in ids {
        let Some(download) = downloads.get(id) else {
            continue;
        };
        match (&download.state, delete_files) {
            (State::Finished { path, .. }, true) => finished.push((id, path.clone())),
            _ => commands.push(Command::Remove { id, delete_files }),
        }
    }
    if !finished.is_empty() {
        // Finished files are deleted first; the engine forgets the rows afterwards.
        return Action::DeleteFinished(finished);
    }
    Action::Engine(commands)
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

fn row_view(download: &Download) -> Element<'_, Message> {
    let id = download.id;
    let size = download
        .size()
        .map_or_else(|| t("size-unknown"), format::bytes);
    let mut facts = vec![size, state_text(&download.state)];
    if let Some(fraction) = download.fraction()
        && !download.state.is_done()
    {
        facts.push(format!("{:.0}%", fraction * 100.0));
    }
    if download.state == State::Running {
        facts.push(format::speed(download.speed));
        if let Some(eta) = download.eta() {
            facts.push(t_args("queue-eta", &[("time", format::duration(eta))]));
        }
        let (active, all) = download.mirrors();
        facts.push(t_args(
            "queue-mirrors",
            &[("active", active.to_string()), ("all", all.to_string())],
        ));
    }
    if let State::Failed(reason) = &download.state {
        facts.push(reason.clone());
    }
    let mut actions = row![].spacing(4).align_y(Alignment::Center);
    let small = |label: String, message: Message| {
        button(text(label).size(13))
            .on_press(message)
            .padding([3, 8])
    };
    match &download.state {
        State::Queued | State::Running => {
            actions = actions
                .push(small(t("action-pause"), Message::Pause(id)).style(button::secondary))
                .push(small(t("action-cancel"), Message::Cancel(id)).style(button::danger));
        }
        State::Paused => {
            actions = actions
                .push(small(t("action-resume"), Message::Resume(id)).style(button::primary))
                .push(small(t("action-cancel"), Message::Cancel(id)).style(button::danger));
        }
        State::Failed(_) => {
            actions = actions
                .push(small(t("action-retry"), Message::Retry(id)).style(button::primary))
                .push(
                    small(
                        t("action-remove"),
                        Message::Remove {
                            id,
                            delete_files: false,
                        },
                    )
                    .style(button::secondary),
                );
        }
        State::Finished { .. } => {
            actions = actions
                .push(small(t("action-open-file"), Message::OpenFile(id)).style(button::primary))
                .push(
                    small(
                        t("action-remove"),
                        Message::Remove {
                            id,
                            delete_files: false,
                        },
                    )
                    .style(button::secondary),
                )
                .push(
                    small(
                        t("action-delete"),
                        Message::Remove {
                            id,
                            delete_files: true,
                        },
                    )
                    .style(button::danger),
                );
        }
    }
    actions = actions
        .push(small(t("action-open-folder"), Message::OpenFolder(id)).style(button::text))
        .push(small(t("action-details"), Message::Details(id)).style(button::text));
    let bar = progress_bar(0.0..=1.0, download.fraction().unwrap_or(0.0)).girth(6);
    let content = column![
        row![
            checkbox(download.selected).on_toggle(move |on| Message::Select(id, on)),
            text(&download.spec.name).size(15).width(Length::Fill),
            actions,
        ]
        .spacing(8)
        .align_y(Alignment::Center),
        text(facts.join(" · ")).size(12),
        bar,
    ]
    .spacing(4);
    container(content)
        .padding([6, 10])
        .height(ROW_HEIGHT)
        .width(Length::Fill)
        .style(if download.selected {
            container::rounded_box
        } else {
            container::transparent
        })
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::downloads::tests::spec;

    fn with(states: &[State]) -> Downloads {
        let mut downloads = Downloads::default();
        for (i, state) in states.iter().enumerate() {
            let id = DownloadId(i as u64 + 1);
            downloads.insert(Download::new(
                id,
                spec(&format!("file{i}.iso")),
                state.clone(),
            ));
        }
        downloads
    }

    /// Clicks the widget showing `label` and folds the messages into the queue.
    fn click(queue: &mut Queue, downloads: &mut Downloads, label: &str) -> Vec<Action> {
        let messages = {
            let mut ui = iced_test::simulator(queue.view(downloads));
            ui.click(label).unwrap_or_else(|e| panic!("{label}: {e}"));
            ui.into_messages().collect::<Vec<_>>()
        };
        messages
            .into_iter()
            .map(|m| queue.update(downloads, m))
            .collect()
    }

    #[test]
    fn clicking_pause_pauses_that_row() {
        crate::i18n::set_language("en");
        let mut downloads = with(&[State::Running]);
        let mut queue = Queue::default();
        let actions = click(&mut queue, &mut downloads, "Pause");
        assert_eq!(
            actions,
            [Action::Engine(vec![Command::Pause(DownloadId(1))])]
        );
    }

    #[test]
    fn clicking_resume_and_retry_resume() {
        crate::i18n::set_language("en");
        let mut downloads = with(&[State::Paused]);
        let mut queue = Queue::default();
        let actions = click(&mut queue, &mut downloads, "Resume");
        assert_eq!(
            actions,
            [Action::Engine(vec![Command::Resume(DownloadId(1))])]
        );
        let mut downloads = with(&[State::Failed("HTTP 404".into())]);
        let actions = click(&mut queue, &mut downloads, "Retry");
        assert_eq!(
            actions,
            [Action::Engine(vec![Command::Resume(DownloadId(1))])]
        );
    }

    #[test]
    fn the_empty_queue_says_how_to_add() {
        crate::i18n::set_language("en");
        let downloads = Downloads::default();
        let queue = Queue::default();
        let mut ui = iced_test::simulator(queue.view(&downloads));
        assert!(ui.find("No downloads yet").is_ok());
    }

    #[test]
    fn removing_a_finished_download_with_its_file_deletes_it_first() {
        let done = State::Finished {
            path: "/tmp/x.iso".into(),
            verified: Some("sha-256".into()),
            repaired: 0,
        };
        let mut downloads = with(&[done, State::Paused]);
        let mut queue = Queue::default();
        let action = queue.update(
            &mut downloads,
            Message::Remove {
                id: DownloadId(1),
                delete_files: true,
            },
        );
        assert_eq!(
            action,
            Action::DeleteFinished(vec![(DownloadId(1), "/tmp/x.iso".into())])
        );
        let action = queue.update(&mut downloads, Message::Cancel(DownloadId(2)));
        assert_eq!(
            action,
            Action::Engine(vec![Command::Remove {
                id: DownloadId(2),
                delete_files: true
            }])
        );
    }

    #[test]
    fn multi_select_and_space_toggle_the_selection() {
        let mut downloads = with(&[State::Running, State::Running, State::Paused]);
        let mut queue = Queue::default();
        queue.update(&mut downloads, Message::Select(DownloadId(1), true));
        queue.update(&mut downloads, Message::Select(DownloadId(2), true));
        assert_eq!(
            queue.toggle_selected(&mut downloads),
            Action::Engine(vec![
                Command::Pause(DownloadId(1)),
                Command::Pause(DownloadId(2))
            ])
        );
        // Nothing selected: the toolbar acts on every download.
        downloads.select_all(false);
        assert_eq!(
            queue.update(&mut downloads, Message::ResumeSelected),
            Action::Engine(vec![Command::Resume(DownloadId(3))])
        );
    }

    #[test]
    fn only_rows_in_view_are_built() {
        let states = vec![State::Paused; 5000];
        let downloads = with(&states);
        let queue = Queue::default();
        let mut ui = iced_test::simulator(queue.view(&downloads));
        assert!(ui.find("file0.iso").is_ok());
        assert!(ui.find("file4999.iso").is_err(), "far rows are not built");
    }
}
