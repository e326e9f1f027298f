//! The application: screens, the engine link, and everything that reaches the window
//! from outside (files, links, other instances, signals).

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::time::Instant;

use iced::theme::Mode;
use iced::{Size, Task, Theme, keyboard, window};
use tokio::sync::mpsc::UnboundedReceiver;

use super::Launch;
use super::add::{self, Dialog};
use super::clipboard;
use super::create;
use super::details;
use super::downloads::{Downloads, State};
use super::notices::{self, Notices};
use super::queue::{self, Queue};
use super::reasons::Worded;
use super::saved::{self, SavedState, Store};
use super::settings::{self, Draft};
use super::sources::{self, Resolved};
use super::subscriptions::Slot;
use crate::config::{Config, ThemeChoice};
use crate::engine::{Command, DownloadId, Engine, Event, SiteHeaders};
use crate::i18n::{self, t, t_args};
use crate::platform::drop::{self, Dragged};
use crate::platform::instance::{HandOff, Listener};

mod actions;
mod arrivals;
mod drops;
mod input;
mod keys;
mod lifecycle;
mod screens;
pub mod showcase;
mod tasks;
#[cfg(test)]
mod tests;
mod tray;
mod view;

use tasks::answered_by_a_person;

/// What looking into a source gave, and whether it is to be queued without asking.
#[derive(Debug, Clone)]
pub struct Resolution {
    result: Result<Resolved, Worded>,
    start: bool,
}

/// How many links or files are probed at once (about what a browser opens to one host).
const PROBES_AT_ONCE: usize = 6;

#[derive(Debug, Clone)]
pub enum Message {
    Engine(Event),
    Queue(queue::Message),
    Add(add::Message),
    Details(details::Message),
    Settings(settings::Message),
    Create(create::Message),
    /// "Create metalink…": the publisher's screen.
    ShowCreate,
    Notices(notices::Message),
    ShowSettings,
    OpenFiles,
    FilesPicked(Option<Vec<PathBuf>>),
    /// The native dialog could not open (no desktop portal).
    NoFileDialog,
    Paste,
    Pasted(Option<String>),
    /// A file dragged over the window, as winit reports them (one by one).
    FileHovered(PathBuf),
    /// A file dropped, as winit reports them (one by one).
    Dropped(PathBuf),
    /// From Braid's own drop receiver (links and files; see `platform::drop`).
    Drop(drop::Event),
    /// The window is open (at start, or again from the tray): attach the drop receiver
    /// to it.
    WindowOpened(window::Id),
    DropsAttached(drop::Attached),
    Key(keyboard::Key, keyboard::Modifiers),
    Modifiers(keyboard::Modifiers),
    /// Metalinks and URLs to open (arguments, another instance, paste, the file dialog).
    Sources(Vec<String>),
    /// Sources from another `braid` process or from the desktop: the window comes forward.
    HandedOff(Vec<String>),
    /// A source resolved; `true` to queue it without asking.
    Resolved(Result<Resolved, Worded>, bool),
    /// What was found for a plain link queued without asking (its source).
    Found(arrivals::Ticket, Box<arrivals::Answer>),
    /// A source given among others was looked into: offered in the order given.
    ResolvedInTurn(arrivals::Ticket, Box<Resolution>),
    AddFolder(Option<PathBuf>),
    SettingsFolder(Option<PathBuf>),
    /// Finished files deleted (their downloads go), and what could not be deleted.
    Deleted(Vec<DownloadId>, Vec<String>),
    /// A file or folder was handed to the desktop; the error says why it did not open.
    Opened(Result<(), String>),
    Registered(Result<String, String>),
    /// A key file picked for an import, and who asked.
    KeyFile(keys::KeysFor, Option<PathBuf>),
    /// Key work done, for whoever asked.
    KeysDone(keys::KeysFor, crate::gui::keys::Done),
    /// The keys trusted now, read again.
    Trusted(std::sync::Arc<crate::signature::Keyring>),
    /// The clock, while something waits for time to pass (Undo, fading notices).
    Tick(Instant),
    /// Time to read the clipboard (while it is watched).
    ReadClipboard,
    /// What the clipboard holds now (while it is watched).
    Clipboard(Option<String>),
    Resized(Size),
    /// Where the window is on the screen now.
    Moved(iced::Point),
    /// The desktop's light or dark preference.
    SystemTheme(Mode),
    /// Free space in a folder: the download folder's for the status bar, the add
    /// dialog's for it.
    FreeSpace(PathBuf, Option<u64>),
    MeasureFreeSpace,
    CloseRequested(window::Id),
    Tray(crate::platform::tray::TrayAction),
    /// The details screen's own settings for its download.
    Limits(super::limits::Message),
    Terminate,
}

enum Screen {
    Queue,
    Details(DownloadId),
    Settings(Box<Draft>),
    Create(Box<create::Screen>),
}

pub struct App {
    engine: Engine,
    events: Slot<UnboundedReceiver<Event>>,
    instance: Option<Slot<Listener>>,
    desktop_opens: Option<Slot<UnboundedReceiver<Vec<String>>>>,
    /// Events of the drop receiver, and its sink until it is attached to the window.
    drops: Slot<UnboundedReceiver<drop::Event>>,
    drop_sink: Option<drop::Sink>,
    downloads: Downloads,
    queue: Queue,
    screen: Screen,
    dialog: Option<Dialog>,
    /// Offers waiting for the dialog, oldest first.
    waiting: VecDeque<Resolved>,
    config: Config,
    notices: Notices,
    /// A drag over the window: what it carries, once known.
    dragging: Option<Option<Dragged>>,
    store: Store,
    /// Set while shutting down: the queue as it was before everything was paused.
    closing: Option<Vec<saved::SavedDownload>>,
    /// The window's size, for the columns that fit and the dialog's height; a window
    /// opened again from the tray gets it back.
    window: Size,
    /// Where the window was last, for a window opened again from the tray.
    window_at: Option<iced::Point>,
    /// The desktop's preference, followed when the settings say "like the system".
    system_theme: Mode,
    theme: Theme,
    /// Free bytes in the download folder, once measured.
    free: Option<u64>,
    /// Braid's memory of mirrors, beside the saved queue.
    memory: crate::discover::memory::Memory,
    /// Braid's keyring, beside the saved queue (`braid keys` uses the same folder).
    keyring: PathBuf,
    /// The keys trusted now (every source switched on), once read: what the add dialog
    /// and the details of a download not yet in check its signatures against.
    trusted: Option<std::sync::Arc<crate::signature::Keyring>>,
    /// The referrer and cookies the browser passed for links it handed over (by link):
    /// their probes and their downloads send them to the link's own origin.
    sites: HashMap<String, SiteHeaders>,
    /// Links and files looked into at once: 500 pasted links are probed a few at a
    /// time, not with 500 connections to one server.
    probes: std::sync::Arc<tokio::sync::Semaphore>,
    /// Links queued without asking whose searches run: they join in the order given.
    arrivals: arrivals::Arrivals<arrivals::Answer>,
    /// Sources being looked into: offered in the order given.
    resolving: arrivals::Arrivals<Resolution>,
    /// What the clipboard watch has seen.
    clipboard: clipboard::Watch,
    /// The window, while it is open (closed into the tray, it is `None`).
    window_id: Option<window::Id>,
    tray: Option<tray::Docked>,
    tray_actions: Option<Slot<UnboundedReceiver<crate::platform::tray::TrayAction>>>,
    /// Said once per session that closing the window kept Braid running.
    told_about_tray: bool,
    /// What the schedule allows now, as the engine last said.
    schedule: Option<crate::engine::schedule::InForce>,
    /// What is typed on the details screen for its download.
    limits: Option<super::limits::Draft>,
}

impl App {
    pub fn boot(launch: Launch) -> (App, Task<Message>) {
        let (config, warning) = Config::load(&Config::path());
        let (saved_list, saved_warning) = saved::load(&saved::path());
        let mut app = App::new(config, saved::path());
        app.instance = launch.listener.map(|l| Slot::new("instance", l));
        app.desktop_opens = launch.desktop_opens.map(|r| Slot::new("desktop-opens", r));
        let (drop_sink, drops) = drop::channel();
        app.drops = Slot::new("drops", drops);
        app.drop_sink = Some(drop_sink);
        for warning in warning.into_iter().chain(saved_warning) {
            app.notices.error(warning);
        }
        app.restore(saved_list);
        app.start_tray();
        let window = app.show_window();
        let task = app.resolve_all(launch.sources, launch.start);
        let theme = iced::system::theme().map(Message::SystemTheme);
        let space = app.measure_free_space();
        let keys = app.read_trusted();
        (app, Task::batch([window, task, theme, space, keys]))
    }

    fn new(config: Config, store_path: PathBuf) -> App {
        i18n::set_language(&config.ui_language);
        let (engine, events) = Engine::start(config.engine_settings());
        let keyring = store_path.with_file_name("keyring");
        engine.send(Command::SetKeys(config.key_sources_in(keyring.clone())));
        let (_, drops) = drop::channel();
        let mut app = App {
            engine,
            events: Slot::new("engine-events", events),
            instance: None,
            desktop_opens: None,
            drops: Slot::new("drops", drops),
            drop_sink: None,
            downloads: Downloads::default(),
            queue: Queue::default(),
            screen: Screen::Queue,
            dialog: None,
            waiting: VecDeque::new(),
            notices: Notices::default(),
            memory: crate::discover::memory::Memory::at(store_path.with_file_name("mirrors.json")),
            dragging: None,
            keyring,
            trusted: None,
            store: Store::start(store_path),
            closing: None,
            window: Size::new(1000.0, 680.0),
            window_at: None,
            system_theme: Mode::None,
            theme: Theme::Light,
            free: None,
            sites: HashMap::new(),
            probes: std::sync::Arc::new(tokio::sync::Semaphore::new(PROBES_AT_ONCE)),
            arrivals: arrivals::Arrivals::default(),
            resolving: arrivals::Arrivals::default(),
            clipboard: clipboard::Watch::default(),
            window_id: None,
            tray: None,
            tray_actions: None,
            told_about_tray: false,
            schedule: None,
            limits: None,
            config,
        };
        app.theme = app.chosen_theme();
        app.send_schedule();
        app
    }

    /// A headless app for tests: its own engine, no saved queue, no instance socket.
    pub fn for_tests(config: Config, store_path: PathBuf) -> App {
        App::new(config, store_path)
    }

    pub fn restore(&mut self, list: Vec<saved::SavedDownload>) {
        for saved in list {
            let id = match saved.state {
                SavedState::Finished { .. } => self.engine.next_id(),
                SavedState::Active => self.engine.add(saved.spec.clone()),
                // A failed download waits, paused, for Retry.
                SavedState::Paused | SavedState::Failed { .. } => {
                    self.engine.add_paused(saved.spec.clone())
                }
            };
            self.downloads.insert(saved.into_download(id));
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
        format!("Braid — {} · {}", running.len(), super::units::speed(speed))
    }

    pub fn theme(&self) -> Option<Theme> {
        Some(self.theme.clone())
    }

    /// Braid's light or dark theme, as the settings choose or the desktop prefers.
    fn chosen_theme(&self) -> Theme {
        super::theme::for_mode(match self.config.theme {
            ThemeChoice::System => self.system_theme,
            ThemeChoice::Light => Mode::Light,
            ThemeChoice::Dark => Mode::Dark,
        })
    }

    pub fn downloads(&self) -> &Downloads {
        &self.downloads
    }

    /// The notices' words, oldest first.
    pub fn notices(&self) -> Vec<&str> {
        self.notices.iter().map(|n| n.text.as_str()).collect()
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
            Message::ShowCreate => {
                if !matches!(self.screen, Screen::Create(_)) {
                    self.screen = Screen::Create(Box::default());
                }
                Task::none()
            }
            Message::Create(message) => self.create_message(message),
            Message::ShowSettings => {
                self.screen = Screen::Settings(Box::new(
                    Draft::new(&self.config).with_tray(self.tray_shown()),
                ));
                self.keys_job(keys::KeysFor::Settings, crate::gui::keys::Job::List)
            }
            Message::KeyFile(asker, path) => self.key_file(asker, path),
            Message::KeysDone(asker, done) => self.keys_done(asker, done),
            Message::Trusted(ring) => self.trusted(ring),
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
                self.notices.error(t("error-no-file-dialog"));
                Task::none()
            }
            Message::Paste => iced::clipboard::read().map(Message::Pasted),
            Message::Pasted(Some(text)) => {
                let sources = sources::split_pasted(&text);
                if sources.is_empty() {
                    self.notices.info(t("error-paste-empty"));
                }
                self.open_sources(sources)
            }
            Message::Pasted(None) => {
                self.notices.info(t("error-paste-empty"));
                Task::none()
            }
            Message::FileHovered(_)
            | Message::Dropped(_)
            | Message::Drop(_)
            | Message::WindowOpened(_)
            | Message::DropsAttached(_) => self.drop_message(message),
            Message::Key(key, modifiers) => self.key(key, modifiers),
            Message::Modifiers(modifiers) => {
                self.queue.adding_to_selection = modifiers.command();
                Task::none()
            }
            Message::Sources(list) => self.open_sources(list),
            Message::HandedOff(list) => {
                // The window comes forward, or opens again when it was closed into the tray.
                let focus = self.show_window();
                let hand_off = HandOff::from_args(list);
                self.sites.extend(hand_off.sites);
                Task::batch([focus, self.resolve_all(hand_off.sources, hand_off.start)])
            }
            Message::Resolved(Ok(resolved), start) => self.offer(resolved, start),
            Message::ResolvedInTurn(ticket, resolution) => {
                let ready = self.resolving.answer(ticket, *resolution);
                let offered: Vec<Task<Message>> = ready
                    .into_iter()
                    .map(|r| self.update(Message::Resolved(r.result, r.start)))
                    .collect();
                Task::batch(offered)
            }
            Message::Found(ticket, answer) => {
                for ready in self.arrivals.answer(ticket, *answer) {
                    self.queue_found(ready.source, ready.found);
                }
                Task::none()
            }
            Message::Resolved(Err(error), _) => {
                self.notices.error(error);
                Task::none()
            }
            Message::Deleted(ids, errors) => {
                for error in errors {
                    self.notices.error(error);
                }
                for id in &ids {
                    self.downloads.remove(*id);
                }
                self.store.save(saved::snapshot(&self.downloads));
                let commands = ids
                    .into_iter()
                    .map(|id| Command::Remove {
                        id,
                        delete_files: true,
                    })
                    .collect();
                self.send(commands)
            }
            Message::Opened(Ok(())) => Task::none(),
            Message::Opened(Err(why)) => {
                self.notices.error(why);
                Task::none()
            }
            Message::Registered(result) => {
                match result {
                    Ok(done) => self
                        .notices
                        .info(t_args("register-done", &[("what", done)])),
                    Err(e) => self
                        .notices
                        .error(t_args("register-failed", &[("reason", e)])),
                }
                Task::none()
            }
            Message::Notices(message) => match self.notices.update(message) {
                notices::Taken::Sources(sources) => self.open_sources(sources),
                notices::Taken::Nothing => Task::none(),
            },
            Message::ReadClipboard => iced::clipboard::read().map(Message::Clipboard),
            Message::Clipboard(text) => {
                self.clipboard_read(text);
                Task::none()
            }
            Message::Tick(now) => {
                self.notices.expire(now);
                self.carry_out_removals(Some(now))
            }
            Message::Resized(size) => {
                self.window = size;
                Task::none()
            }
            Message::Moved(at) => {
                self.window_at = Some(at);
                Task::none()
            }
            Message::SystemTheme(mode) => {
                self.system_theme = mode;
                self.theme = self.chosen_theme();
                Task::none()
            }
            Message::MeasureFreeSpace => self.measure_free_space(),
            Message::FreeSpace(dir, free) => {
                if dir == self.config.download_dir {
                    self.free = free;
                }
                match &self.dialog {
                    Some(dialog) if dialog.dir == dir => {
                        self.add_message(add::Message::Measured(dir, free))
                    }
                    _ => Task::none(),
                }
            }
            Message::CloseRequested(id) => self.close_requested(id),
            Message::Tray(action) => self.tray_action(action),
            Message::Limits(message) => {
                let (Some(draft), Screen::Details(id)) = (&mut self.limits, &self.screen) else {
                    return Task::none();
                };
                match self.downloads.get(*id) {
                    Some(download) if draft.id == *id => {
                        let commands = draft.update(download, message);
                        self.send(commands)
                    }
                    _ => Task::none(),
                }
            }
            Message::Terminate => self.begin_shutdown(),
        }
    }
}
