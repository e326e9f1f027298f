//! Keys and the streams that reach the window from outside.

use std::time::Duration;

use iced::{Subscription, Task, keyboard, window};

use super::{App, Message, Screen};
use crate::engine::Place;
use crate::gui::downloads::State;
use crate::gui::{add, queue, subscriptions};
use crate::platform::drop;

/// How often the free space is measured again while downloads run.
const FREE_SPACE_EVERY: Duration = Duration::from_secs(15);

impl App {
    pub(super) fn key(
        &mut self,
        key: keyboard::Key,
        modifiers: keyboard::Modifiers,
    ) -> Task<Message> {
        use keyboard::key::Named;
        let command = modifiers.command();
        match key.as_ref() {
            keyboard::Key::Character("o") if command => self.update(Message::OpenFiles),
            keyboard::Key::Character("v") if command => self.update(Message::Paste),
            keyboard::Key::Character(",") if command => self.update(Message::ShowSettings),
            keyboard::Key::Character("q") if command => self.begin_shutdown(),
            keyboard::Key::Character("a") if command && self.dialog.is_none() => {
                self.update(Message::Queue(queue::Message::SelectAll))
            }
            keyboard::Key::Character("z") if command && self.dialog.is_none() => {
                match self.downloads.last_leaving() {
                    Some(id) => self.update(Message::Queue(queue::Message::Undo(id))),
                    None => Task::none(),
                }
            }
            keyboard::Key::Character("f") if command && self.dialog.is_none() => {
                let back = self.show_queue();
                back.chain(iced::widget::operation::focus(queue::SEARCH_ID))
            }
            keyboard::Key::Named(
                named @ (Named::ArrowUp | Named::ArrowDown | Named::Home | Named::End),
            ) if self.dialog.is_none() && matches!(self.screen, Screen::Queue) => {
                let message = if modifiers.alt() {
                    queue::Message::MoveSelected(match named {
                        Named::ArrowUp => Place::Up,
                        Named::ArrowDown => Place::Down,
                        Named::Home => Place::Top,
                        _ => Place::Bottom,
                    })
                } else {
                    queue::Message::Step(match named {
                        Named::ArrowUp => queue::Step::Previous,
                        Named::ArrowDown => queue::Step::Next,
                        Named::Home => queue::Step::First,
                        _ => queue::Step::Last,
                    })
                };
                self.update(Message::Queue(message))
            }
            keyboard::Key::Named(Named::Escape) => {
                if self.dialog.is_some() {
                    self.update(Message::Add(add::Message::Cancel))
                } else {
                    self.show_queue()
                }
            }
            // In the dialog, Enter means its main button: "Download now".
            keyboard::Key::Named(Named::Enter) if self.dialog.is_some() => {
                self.update(Message::Add(add::Message::Add(true)))
            }
            keyboard::Key::Named(Named::Space)
                if self.dialog.is_none() && matches!(self.screen, Screen::Queue) =>
            {
                let action = self.queue.toggle_selected(&mut self.downloads);
                self.queue_action(action)
            }
            keyboard::Key::Named(Named::Delete)
                if self.dialog.is_none() && matches!(self.screen, Screen::Queue) =>
            {
                self.update(Message::Queue(queue::Message::RemoveSelected))
            }
            keyboard::Key::Named(Named::Enter)
                if self.dialog.is_none() && matches!(self.screen, Screen::Queue) =>
            {
                match self.downloads.selected().first() {
                    Some(id) => {
                        let id = *id;
                        self.show_details(id);
                        Task::none()
                    }
                    None => Task::none(),
                }
            }
            _ => Task::none(),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let mut list = vec![
            subscriptions::channel(self.events.clone()).map(Message::Engine),
            keyboard::listen().filter_map(|event| match event {
                keyboard::Event::KeyPressed { key, modifiers, .. } => {
                    Some(Message::Key(key, modifiers))
                }
                keyboard::Event::ModifiersChanged(modifiers) => Some(Message::Modifiers(modifiers)),
                _ => None,
            }),
            window::resize_events().map(|(_, size)| Message::Resized(size)),
            iced::system::theme_changes().map(Message::SystemTheme),
            iced::event::listen_with(|event, _status, id| match event {
                iced::Event::Window(window::Event::Opened { .. }) => {
                    Some(Message::WindowOpened(id))
                }
                iced::Event::Window(window::Event::Moved(at)) => Some(Message::Moved(at)),
                // Back to the window: its free space may have changed meanwhile.
                iced::Event::Window(window::Event::Focused) => Some(Message::MeasureFreeSpace),
                iced::Event::Window(window::Event::FileHovered(path)) => {
                    Some(Message::FileHovered(path))
                }
                iced::Event::Window(window::Event::FilesHoveredLeft) => {
                    Some(Message::Drop(drop::Event::Left))
                }
                iced::Event::Window(window::Event::FileDropped(path)) => {
                    Some(Message::Dropped(path))
                }
                _ => None,
            }),
            window::close_requests().map(Message::CloseRequested),
            subscriptions::terminate().map(|()| Message::Terminate),
        ];
        // A clock only while something waits for time to pass, so an idle window
        // stays idle: a notice fading, a removal to undo, a row's buttons settling.
        let now = std::time::Instant::now();
        if self.notices.fading()
            || self
                .downloads
                .iter()
                .any(|d| d.leaving.is_some() || d.settling(now))
        {
            list.push(iced::time::every(Duration::from_millis(500)).map(Message::Tick));
        }
        if self.downloads.iter().any(|d| d.state == State::Running) {
            list.push(iced::time::every(FREE_SPACE_EVERY).map(|_| Message::MeasureFreeSpace));
        }
        if self.config.watch_clipboard {
            list.push(
                iced::time::every(crate::gui::clipboard::INTERVAL).map(|_| Message::ReadClipboard),
            );
        }
        if let Some(slot) = &self.instance {
            list.push(subscriptions::hand_offs(slot.clone()).map(Message::HandedOff));
        }
        if let Some(slot) = &self.tray_actions {
            list.push(subscriptions::channel(slot.clone()).map(Message::Tray));
        }
        if let Some(slot) = &self.desktop_opens {
            list.push(subscriptions::channel(slot.clone()).map(Message::HandedOff));
        }
        list.push(subscriptions::channel(self.drops.clone()).map(Message::Drop));
        Subscription::batch(list)
    }
}
