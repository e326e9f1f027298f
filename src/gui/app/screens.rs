//! Each screen's own update, and what its actions mean for the app.

use iced::Task;

use super::tasks::{look_around, pick_file, pick_folder};
use super::{App, Message, Screen};
use crate::engine::Command;
use crate::gui::{add, create, details, queue, settings};
use crate::i18n::{t, t_args};

impl App {
    /// Shows one download's details, with its own settings ready to edit.
    pub(super) fn show_details(&mut self, id: crate::engine::DownloadId) {
        self.screen = Screen::Details(id);
        self.limits = self.downloads.get(id).map(crate::gui::limits::Draft::new);
    }

    /// Back to the queue, scrolled where it was.
    pub(super) fn show_queue(&mut self) -> Task<Message> {
        if matches!(self.screen, Screen::Queue) {
            return Task::none();
        }
        self.screen = Screen::Queue;
        iced::widget::operation::scroll_to(
            queue::ROWS_ID,
            iced::widget::operation::AbsoluteOffset {
                x: None,
                y: Some(self.queue.offset()),
            },
        )
    }

    pub(super) fn add_message(&mut self, message: add::Message) -> Task<Message> {
        let Some(dialog) = &mut self.dialog else {
            return Task::none();
        };
        match dialog.update(message) {
            add::Action::None => Task::none(),
            add::Action::PickFolder(start) => pick_folder(start, Message::AddFolder),
            add::Action::PickFile(start) => pick_file(start),
            add::Action::Measure(_) => look_around(dialog),
            add::Action::Submit {
                specs,
                start,
                filed_as,
                all,
            } => {
                self.submit(specs, start, filed_as);
                let rest = if all {
                    self.start_the_rest()
                } else {
                    Task::none()
                };
                Task::batch([rest, self.next_dialog()])
            }
            add::Action::Run(task) => task.map(Message::Add),
            add::Action::ImportKey => self.keys_action(
                super::keys::KeysFor::Dialog,
                crate::gui::keys::Action::PickFile,
            ),
            add::Action::Close => self.next_dialog(),
        }
    }

    pub(super) fn details_message(&mut self, message: details::Message) -> Task<Message> {
        let to_queue = |message| Message::Queue(message);
        match message {
            details::Message::Back => self.show_queue(),
            details::Message::Own(message) => self.update(Message::Limits(message)),
            details::Message::ImportKey => self.keys_action(
                super::keys::KeysFor::Details,
                crate::gui::keys::Action::PickFile,
            ),
            details::Message::Pause(id) => self.send(vec![Command::Pause(id)]),
            details::Message::Resume(id) | details::Message::Retry(id) => {
                self.send(vec![Command::Resume(id)])
            }
            details::Message::OpenFile(id) => self.update(to_queue(queue::Message::OpenFile(id))),
            details::Message::OpenFolder(id) => {
                self.update(to_queue(queue::Message::OpenFolder(id)))
            }
            details::Message::Repair(id) => {
                self.repair(id);
                self.show_queue()
            }
            details::Message::DeleteFile(id) => {
                // Back in the queue, the row says what happened and offers Undo.
                let removed = self.update(to_queue(queue::Message::Remove {
                    id,
                    delete_files: true,
                }));
                Task::batch([removed, self.show_queue()])
            }
        }
    }

    pub(super) fn settings_message(&mut self, message: settings::Message) -> Task<Message> {
        let Screen::Settings(draft) = &mut self.screen else {
            return Task::none();
        };
        match draft.update(message) {
            settings::Action::None => Task::none(),
            settings::Action::PickFolder(start) => pick_folder(start, Message::SettingsFolder),
            settings::Action::Save(config) => {
                let applied = self.apply_settings(*config);
                Task::batch([applied, self.show_queue()])
            }
            settings::Action::Close => self.show_queue(),
            settings::Action::Keys(action) => {
                self.keys_action(super::keys::KeysFor::Settings, action)
            }
            settings::Action::Register => Task::perform(
                async {
                    tokio::task::spawn_blocking(crate::platform::register::register)
                        .await
                        .map_err(|e| e.to_string())
                        .and_then(|r| r)
                },
                |result| Message::Registered(result.map(|lines| lines.join("; "))),
            ),
        }
    }
}

impl App {
    pub(super) fn create_message(&mut self, message: create::Message) -> Task<Message> {
        let Screen::Create(screen) = &mut self.screen else {
            return Task::none();
        };
        match screen.update(message) {
            create::Action::None => Task::none(),
            create::Action::PickFiles => pick_files(),
            create::Action::PickSave(name) => pick_save(name, self.config.download_dir.clone()),
            create::Action::Run(task) => task.map(Message::Create),
            create::Action::Written(path) => {
                self.notices.info(t_args(
                    "create-written",
                    &[("file", path.display().to_string())],
                ));
                self.show_queue()
            }
            create::Action::Close => self.show_queue(),
        }
    }
}

fn pick_files() -> Task<Message> {
    Task::perform(
        super::tasks::answered_by_a_person(async {
            rfd::AsyncFileDialog::new()
                .set_title(t("create-pick-title"))
                .pick_files()
                .await
                .map(|files| {
                    files
                        .iter()
                        .map(|f| f.path().to_path_buf())
                        .collect::<Vec<_>>()
                })
        }),
        |picked| match picked {
            None => Message::NoFileDialog,
            Some(files) => Message::Create(create::Message::FilesPicked(files.unwrap_or_default())),
        },
    )
}

/// Where to save the metalink; without a file dialog (no desktop portal), the download
/// folder under the suggested name, if nothing is there yet.
fn pick_save(name: String, dir: std::path::PathBuf) -> Task<Message> {
    let fallback = dir.join(&name);
    Task::perform(
        super::tasks::answered_by_a_person(async move {
            rfd::AsyncFileDialog::new()
                .set_title(t("create-save-title"))
                .set_directory(&dir)
                .set_file_name(name)
                .add_filter("Metalink 4", &["meta4"])
                .save_file()
                .await
                .map(|f| f.path().to_path_buf())
        }),
        move |picked| match picked {
            None if !fallback.exists() => {
                Message::Create(create::Message::SavePicked(Some(fallback.clone())))
            }
            None => Message::NoFileDialog,
            Some(out) => Message::Create(create::Message::SavePicked(out)),
        },
    )
}
