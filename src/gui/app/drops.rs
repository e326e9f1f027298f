//! Links coming in by hand: drags and drops (the overlay while something is over the
//! window, a drop's items sent the way of every source, what it refused said in a
//! notice), and links copied while the clipboard is watched (offered with "Add").

use iced::{Task, window};

use std::path::PathBuf;

use super::{App, Message, Screen};
use crate::gui::clipboard;
use crate::gui::create;
use crate::gui::overlay;
use crate::i18n::t;
use crate::platform::drop::{self, Dragged, Item};

impl App {
    pub(super) fn drop_message(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::FileHovered(path) => {
                let mut dragged = self.dragging.take().flatten().unwrap_or_default();
                dragged.items.extend(Dragged::from_paths([path]).items);
                self.dragging = Some(Some(dragged));
                Task::none()
            }
            Message::Dropped(path) => self.dropped(Dragged::from_paths([path])),
            Message::Drop(drop::Event::Over(dragged)) => {
                self.dragging = Some(dragged);
                Task::none()
            }
            Message::Drop(drop::Event::Left) => {
                self.dragging = None;
                Task::none()
            }
            Message::Drop(drop::Event::Dropped(dragged)) => self.dropped(dragged),
            // Each window gets its own receiver: one reopened from the tray is new.
            Message::WindowOpened(id) => match self.drop_sink.clone() {
                Some(sink) => window::run(id, move |window| drop::attach(window, sink))
                    .map(Message::DropsAttached),
                None => Task::none(),
            },
            Message::DropsAttached(Err(reason)) => {
                // The window system's own file drops still arrive.
                eprintln!("braid: links cannot be dropped on this window: {reason}");
                Task::none()
            }
            _ => Task::none(),
        }
    }

    /// A drop: what it refused is said, the rest goes the way of every source.
    fn dropped(&mut self, mut dragged: Dragged) -> Task<Message> {
        self.dragging = None;
        // On the publisher's screen, dropped files are files to describe.
        if matches!(self.screen, Screen::Create(_)) {
            let files: Vec<PathBuf> = dragged
                .items
                .into_iter()
                .filter_map(|item| match item {
                    Item::Metalink(path) | Item::NotMetalink(path) => Some(path),
                    _ => None,
                })
                .collect();
            if files.is_empty() {
                self.notices.error(t("drop-nothing"));
                return Task::none();
            }
            return self.create_message(create::Message::FilesPicked(files));
        }
        if dragged.items.is_empty() {
            self.notices.error(t("drop-nothing"));
        }
        // OpenPGP key files are no metalinks, but welcome: they go to the keyring.
        let mut sources = dragged.sources();
        dragged.items.retain(|item| match item {
            Item::NotMetalink(path) if crate::signature::looks_like_key_file(path) => {
                sources.push(path.to_string_lossy().into_owned());
                false
            }
            _ => true,
        });
        for refusal in dragged.refused().filter_map(overlay::refusal) {
            self.notices.error(refusal);
        }
        self.open_sources(sources)
    }

    /// The watched clipboard was read: links copied since are offered, unless they are
    /// in the queue already.
    pub(super) fn clipboard_read(&mut self, text: Option<String>) {
        if !self.config.watch_clipboard {
            return;
        }
        let links: Vec<String> = self
            .clipboard
            .read(text)
            .into_iter()
            .filter(|link| self.downloads.iter().all(|d| d.spec.source != *link))
            .collect();
        if !links.is_empty() {
            self.notices.offer(clipboard::offer_text(&links), links);
        }
    }
}
