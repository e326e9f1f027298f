//! Each screen's own update, and what its actions mean for the app.

use iced::Task;

use super::tasks::{measure_space, pick_folder};
use super::{App, Message, Screen};
use crate::engine::Command;
use crate::gui::{add, details, settings};

impl App {
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
        match message {
            details::Message::Back => {
                self.screen = Screen::Queue;
                Task::none()
            }
            details::Message::Pause(id) => self.send(vec![Command::Pause(id)]),
            details::Message::Resume(id) => self.send(vec![Command::Resume(id)]),
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
                self.apply_settings(config);
                self.screen = Screen::Queue;
                Task::none()
            }
            settings::Action::Close => {
                self.screen = Screen::Queue;
                Task::none()
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
