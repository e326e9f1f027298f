//! The application: screens, the engine link, and everything that reaches the window
//! from outside (files, links, other instances, signals).

use std::collections::VecDeque;
use std::path::PathBuf;

use iced::{Task, Theme, keyboard, window};
use tokio::sync::mpsc::UnboundedReceiver;

use super::Launch;
use super::add::{self, Dialog};
use super::details;
use super::downloads::{Download, Downloads, State};
use super::queue::{self, Queue};
use super::saved::{self, SavedState, Store};
use super::settings::{self, Draft};
use super::sources::{self, Resolved};
use super::subscriptions::Slot;
use crate::config::{Config, ThemeChoice};
use crate::engine::{Command, DownloadId, Engine, Event};
use crate::i18n::{self, t, t_args};
use crate::platform::instance::{Listener, START_FLAG};

mod actions;
mod input;
mod lifecycle;
mod screens;
mod tasks;
#[cfg(test)]
mod tests;
mod view;

use tasks::answered_by_a_person;

#[derive(Debug, Clone)]
pub enum Message {
    Engine(Event),
    Queue(queue::Message),
    Add(add::Message),
    Details(details::Message),
    Settings(settings::Message),
    ShowSettings,
    OpenFiles,
    FilesPicked(Option<Vec<PathBuf>>),
    /// The native dialog could not open (no desktop portal).
    NoFileDialog,
    Paste,
    Pasted(Option<String>),
    Hovering(bool),
    Dropped(PathBuf),
    Key(keyboard::Key, keyboard::Modifiers),
    /// Metalinks and URLs to open (arguments, another instance, paste, the file dialog).
    Sources(Vec<String>),
    /// Sources from another `braid` process or from the desktop: the window comes forward.
    HandedOff(Vec<String>),
    /// A source resolved; `true` to queue it without asking.
    Resolved(Result<Resolved, String>, bool),
    AddFolder(Option<PathBuf>),
    SettingsFolder(Option<PathBuf>),
    Deleted(Vec<DownloadId>, Vec<String>),
    Dismiss(usize),
    Registered(Result<String, String>),
    CloseRequested,
    Terminate,
}

enum Screen {
    Queue,
    Details(DownloadId),
    Settings(Box<Draft>),
}

pub struct App {
    engine: Engine,
    events: Slot<UnboundedReceiver<Event>>,
    instance: Option<Slot<Listener>>,
    desktop_opens: Option<Slot<UnboundedReceiver<Vec<String>>>>,
    downloads: Downloads,
    queue: Queue,
    screen: Screen,
    dialog: Option<Dialog>,
    /// Offers waiting for the dialog, oldest first.
    waiting: VecDeque<Dialog>,
    config: Config,
    /// Warnings and errors for the user, newest last.
    notices: Vec<String>,
    hovering: bool,
    store: Store,
    /// Set while shutting down: the queue as it was before everything was paused.
    closing: Option<Vec<saved::SavedDownload>>,
}

impl App {
    pub fn boot(launch: Launch) -> (App, Task<Message>) {
        let (config, warning) = Config::load(&Config::path());
        i18n::set_language(&config.ui_language);
        let (engine, events) = Engine::start(config.engine_settings());
        let (saved_list, saved_warning) = saved::load(&saved::path());
        let mut app = App {
            engine,
            events: Slot::new("engine-events", events),
            instance: launch.listener.map(|l| Slot::new("instance", l)),
            desktop_opens: launch.desktop_opens.map(|r| Slot::new("desktop-opens", r)),
            downloads: Downloads::default(),
            queue: Queue::default(),
            screen: Screen::Queue,
            dialog: None,
            waiting: VecDeque::new(),
            notices: warning.into_iter().chain(saved_warning).collect(),
            hovering: false,
            store: Store::start(saved::path()),
            closing: None,
            config,
        };
        app.restore(saved_list);
        let task = app.resolve_all(launch.sources, launch.start);
        (app, task)
    }

    /// A headless app for tests: its own engine, no saved queue, no instance socket.
    pub fn for_tests(config: Config, store_path: PathBuf) -> App {
        i18n::set_language(&config.ui_language);
        let (engine, events) = Engine::start(config.engine_settings());
        App {
            engine,
            events: Slot::new("engine-events", events),
            instance: None,
            desktop_opens: None,
            downloads: Downloads::default(),
            queue: Queue::default(),
            screen: Screen::Queue,
            dialog: None,
            waiting: VecDeque::new(),
            notices: Vec::new(),
            hovering: false,
            store: Store::start(store_path),
            closing: None,
            config,
        }
    }

    /// Puts the saved queue back: finished rows as they were, the rest into the engine,
    /// continuing what was running.
    pub fn restore(&mut self, list: Vec<saved::SavedDownload>) {
        for saved in list {
            match saved.state {
                SavedState::Finished {
                    path,
                    verified,
                    repaired,
                } => {
                    let id = self.engine.next_id();
                    let state = State::Finished {
                        path,
                        verified,
                        repaired,
                    };
                    self.downloads.insert(Download::new(id, saved.spec, state));
                }
                SavedState::Active => {
                    let id = self.engine.add(saved.spec.clone());
                    self.downloads
                        .insert(Download::new(id, saved.spec, State::Queued));
                }
                SavedState::Paused | SavedState::Failed { .. } => {
                    let id = self.engine.add_paused(saved.spec.clone());
                    self.downloads
                        .insert(Download::new(id, saved.spec, State::Paused));
                }
            }
        }
    }

    pub fn title(&self) -> String {
        let running: Vec<_> = self
            .downloads
            .iter()
            .filter(|d| d.state == State::Running)
            .collect();
        if running.is_empty() {
            return "Braid".into();
        }
        let speed: f64 = running.iter().map(|d| d.speed).sum();
        format!(
            "Braid — {} · {}",
            running.len(),
            crate::format::speed(speed)
        )
    }

    pub fn theme(&self) -> Option<Theme> {
        match self.config.theme {
            ThemeChoice::System => None,
            ThemeChoice::Light => Some(Theme::Light),
            ThemeChoice::Dark => Some(Theme::Dark),
        }
    }

    pub fn downloads(&self) -> &Downloads {
        &self.downloads
    }

    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialog.as_ref()
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Engine(event) => self.engine_event(event),
            Message::Queue(message) => {
                let action = self.queue.update(&mut self.downloads, message);
                self.queue_action(action)
            }
            Message::Add(message) => self.add_message(message),
            Message::AddFolder(folder) => self.add_message(add::Message::FolderChosen(folder)),
            Message::Details(message) => self.details_message(message),
            Message::ShowSettings => {
                self.screen = Screen::Settings(Box::new(Draft::new(&self.config)));
                Task::none()
            }
            Message::Settings(message) => self.settings_message(message),
            Message::SettingsFolder(folder) => {
                self.settings_message(settings::Message::FolderChosen(folder))
            }
            Message::OpenFiles => Task::perform(
                answered_by_a_person(async {
                    rfd::AsyncFileDialog::new()
                        .set_title(t("open-title"))
                        .add_filter(t("open-filter"), &["meta4", "metalink"])
                        .pick_files()
                        .await
                        .map(|files| files.into_iter().map(|f| f.path().to_path_buf()).collect())
                }),
                |picked| picked.map_or(Message::NoFileDialog, Message::FilesPicked),
            ),
            Message::FilesPicked(paths) => self.open_sources(
                paths
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect(),
            ),
            Message::NoFileDialog => {
                self.notices.push(t("error-no-file-dialog"));
                Task::none()
            }
            Message::Paste => iced::clipboard::read().map(Message::Pasted),
            Message::Pasted(Some(text)) => {
                let sources = sources::split_pasted(&text);
                if sources.is_empty() {
                    self.notices.push(t("error-paste-empty"));
                }
                self.open_sources(sources)
            }
            Message::Pasted(None) => {
                self.notices.push(t("error-paste-empty"));
                Task::none()
            }
            Message::Hovering(on) => {
                self.hovering = on;
                Task::none()
            }
            Message::Dropped(path) => {
                self.hovering = false;
                if sources::is_metalink_file(&path) {
                    self.open_sources(vec![path.to_string_lossy().into_owned()])
                } else {
                    self.notices.push(t_args(
                        "error-not-metalink",
                        &[("file", path.display().to_string())],
                    ));
                    Task::none()
                }
            }
            Message::Key(key, modifiers) => self.key(key, modifiers),
            Message::Sources(list) => self.open_sources(list),
            Message::HandedOff(mut list) => {
                let focus = window::latest().and_then(window::gain_focus);
                let start = list.first().is_some_and(|a| a == START_FLAG);
                if start {
                    list.remove(0);
                }
                Task::batch([focus, self.resolve_all(list, start)])
            }
            Message::Resolved(Ok(resolved), start) => self.offer(resolved, start),
            Message::Resolved(Err(error), _) => {
                self.notices.push(error);
                Task::none()
            }
            Message::Deleted(ids, errors) => {
                self.notices.extend(errors);
                let commands = ids
                    .into_iter()
                    .map(|id| {
                        self.downloads.remove(id);
                        Command::Remove {
                            id,
                            delete_files: true,
                        }
                    })
                    .collect();
                self.send(commands)
            }
            Message::Registered(result) => {
                self.notices.push(match result {
                    Ok(done) => t_args("register-done", &[("what", done)]),
                    Err(e) => t_args("register-failed", &[("reason", e)]),
                });
                Task::none()
            }
            Message::Dismiss(index) => {
                if index < self.notices.len() {
                    self.notices.remove(index);
                }
                Task::none()
            }
            Message::CloseRequested | Message::Terminate => self.begin_shutdown(),
        }
    }
}
