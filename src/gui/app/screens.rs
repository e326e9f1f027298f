//! Each screen's own update, and what its actions mean for the app.

use iced::Task;

use super::tasks::{measure_space, pick_folder};
use super::{App, Message, Screen};
use crate::engine::Command;
use crate::gui::{add, details, queue, settings};

impl App {
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
            add::Action::Measure(dir) => measure_space(dir),
            add::Action::Submit { specs, start } => {
                self.submit(specs, start);
                self.next_dialog()
            }
            add::Action::Close => self.next_dialog(),
        }
    }

    pub(super) fn details_message(&mut self, message: details::Message) -> Task<Message> {
        let to_queue = |message| Message::Queue(message);
        match message {
            details::Message::Back => self.show_queue(),
            details::Message::Pause(id) => self.send(vec![Command::Pause(id)]),
            details::Message::Resume(id) | details::Message::Retry(id) => {
                self.send(vec![Command::Resume(id)])
            }
            details::Message::OpenFile(id) => self.update(to_queue(queue::Message::OpenFile(id))),
            details::Message::OpenFolder(id) => {
                self.update(to_queue(queue::Message::OpenFolder(id)))
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
                let applied = self.apply_settings(config);
                Task::batch([applied, self.show_queue()])
            }
            settings::Action::Close => self.show_queue(),
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
