//! The application: screens, the engine link, and everything that reaches the window
//! from outside (files, links, other instances, signals).

use std::collections::VecDeque;
use std::path::PathBuf;

use iced::widget::{button, column, container, opaque, row, space, stack, text};
use iced::{Alignment, Element, Length, Subscription, Task, Theme, keyboard, window};
use tokio::sync::mpsc::UnboundedReceiver;

use super::Launch;
use super::add::{self, Dialog};
use super::details;
use super::downloads::{Download, Downloads, State};
use super::queue::{self, Queue};
use super::saved::{self, SavedState, Store};
use super::settings::{self, Draft};
use super::sources::{self, Resolved};
use super::subscriptions::{self, Slot};
use crate::config::{Config, ThemeChoice};
use crate::engine::{Command, DownloadId, Engine, Event, JobSpec};
use crate::i18n::{self, t, t_args};
use crate::platform::instance::{Listener, START_FLAG};

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
            Message::Add(message) => {
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
            Message::AddFolder(folder) => match &mut self.dialog {
                Some(dialog) => match dialog.update(add::Message::FolderChosen(folder)) {
                    add::Action::Measure(dir) => measure_space(dir),
                    _ => Task::none(),
                },
                None => Task::none(),
            },
            Message::Details(message) => match message {
                details::Message::Back => {
                    self.screen = Screen::Queue;
                    Task::none()
                }
                details::Message::Pause(id) => self.send(vec![Command::Pause(id)]),
                details::Message::Resume(id) => self.send(vec![Command::Resume(id)]),
            },
            Message::ShowSettings => {
                self.screen = Screen::Settings(Box::new(Draft::new(&self.config)));
                Task::none()
            }
            Message::Settings(message) => {
                let Screen::Settings(draft) = &mut self.screen else {
                    return Task::none();
                };
                match draft.update(message) {
                    settings::Action::None => Task::none(),
                    settings::Action::PickFolder(start) => {
                        pick_folder(start, Message::SettingsFolder)
                    }
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
            Message::SettingsFolder(folder) => {
                if let Screen::Settings(draft) = &mut self.screen {
                    draft.update(settings::Message::FolderChosen(folder));
                }
                Task::none()
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

    fn engine_event(&mut self, event: Event) -> Task<Message> {
        if matches!(event, Event::ShutDown) {
            // Every download is paused and saved: remember the queue as it was.
            let list = self
                .closing
                .take()
                .unwrap_or_else(|| saved::snapshot(&self.downloads));
            self.store.finish(list);
            return iced::exit();
        }
        let changed_state = !matches!(event, Event::Progress { .. } | Event::MirrorTrouble { .. });
        if self.config.notifications && self.closing.is_none() {
            self.notify(&event);
        }
        self.downloads.apply(&event);
        if changed_state && self.closing.is_none() {
            self.store.save(saved::snapshot(&self.downloads));
        }
        Task::none()
    }

    fn notify(&self, event: &Event) {
        let name = |id: &DownloadId| {
            self.downloads
                .get(*id)
                .map_or_else(String::new, |d| d.spec.name.clone())
        };
        match event {
            Event::Finished { id, verified, .. } => crate::platform::notify::show(
                t_args("notify-finished", &[("name", name(id))]),
                match verified {
                    Some(hash) => t_args("state-verified", &[("hash", hash.clone())]),
                    None => t("state-finished-unverified"),
                },
            ),
            Event::Failed { id, error } => crate::platform::notify::show(
                t_args("notify-failed", &[("name", name(id))]),
                error.to_string(),
            ),
            _ => {}
        }
    }

    fn queue_action(&mut self, action: queue::Action) -> Task<Message> {
        match action {
            queue::Action::None => Task::none(),
            queue::Action::Engine(commands) => self.send(commands),
            queue::Action::DeleteFinished(files) => Task::perform(
                async move {
                    tokio::task::spawn_blocking(move || {
                        let mut ids = Vec::new();
                        let mut errors = Vec::new();
                        for (id, path) in files {
                            match std::fs::remove_file(&path) {
                                Ok(()) => ids.push(id),
                                Err(e) if e.kind() == std::io::ErrorKind::NotFound => ids.push(id),
                                Err(e) => errors.push(format!("{}: {e}", path.display())),
                            }
                        }
                        (ids, errors)
                    })
                    .await
                    .unwrap_or_default()
                },
                |(ids, errors)| Message::Deleted(ids, errors),
            ),
            queue::Action::Open(path) => {
                if let Err(e) = crate::platform::open::open(&path) {
                    self.notices.push(format!("{}: {e}", path.display()));
                }
                Task::none()
            }
            queue::Action::ShowDetails(id) => {
                self.screen = Screen::Details(id);
                Task::none()
            }
        }
    }

    /// Sends commands; removals of finished downloads are done here, since the engine
    /// has nothing left to stop for them.
    fn send(&mut self, commands: Vec<Command>) -> Task<Message> {
        for command in commands {
            if let Command::Remove { id, .. } = &command
                && self.downloads.get(*id).is_some_and(|d| d.state.is_done())
            {
                self.downloads.remove(*id);
                self.store.save(saved::snapshot(&self.downloads));
            }
            self.engine.send(command);
        }
        Task::none()
    }

    fn submit(&mut self, specs: Vec<JobSpec>, start: bool) {
        for spec in specs {
            let (id, state) = if start {
                (self.engine.add(spec.clone()), State::Queued)
            } else {
                (self.engine.add_paused(spec.clone()), State::Paused)
            };
            self.downloads.insert(Download::new(id, spec, state));
        }
        self.store.save(saved::snapshot(&self.downloads));
    }

    fn open_sources(&mut self, list: Vec<String>) -> Task<Message> {
        self.resolve_all(list, false)
    }

    fn resolve_all(&mut self, list: Vec<String>, start: bool) -> Task<Message> {
        Task::batch(list.into_iter().map(move |source| {
            Task::perform(sources::resolve(source), move |result| {
                Message::Resolved(result, start)
            })
        }))
    }

    /// Shows a resolved source in the add dialog, or queues it at once when asked to.
    fn offer(&mut self, resolved: Resolved, start: bool) -> Task<Message> {
        let dir = self.config.download_dir.clone();
        let dialog = match resolved {
            Resolved::Metalink {
                source,
                document,
                warnings,
                only,
            } => Dialog::for_metalink(
                source,
                document,
                warnings,
                &self.config.preferences(),
                dir,
                only.as_deref(),
            ),
            Resolved::File { source, file } => Dialog::for_file(source, file, dir),
        };
        if start || self.config.start_without_asking {
            match dialog.specs() {
                Ok(specs) => self.submit(specs, true),
                Err(error) => self.notices.push(format!("{}: {error}", dialog.source)),
            }
            return Task::none();
        }
        if self.dialog.is_none() {
            let measure = measure_space(dialog.dir.clone());
            self.dialog = Some(dialog);
            return measure;
        }
        self.waiting.push_back(dialog);
        Task::none()
    }

    /// Shows the next waiting offer, if any, and measures the space where it would go.
    fn next_dialog(&mut self) -> Task<Message> {
        self.dialog = self.waiting.pop_front();
        match &self.dialog {
            Some(dialog) => measure_space(dialog.dir.clone()),
            None => Task::none(),
        }
    }

    fn apply_settings(&mut self, config: Config) {
        if let Err(e) = config.save(&Config::path()) {
            self.notices
                .push(t_args("error-settings-save", &[("reason", e.to_string())]));
        }
        i18n::set_language(&config.ui_language);
        self.engine
            .send(Command::SetLimits(config.engine_settings()));
        self.config = config;
    }

    fn key(&mut self, key: keyboard::Key, modifiers: keyboard::Modifiers) -> Task<Message> {
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
            keyboard::Key::Named(Named::Escape) => {
                if self.dialog.is_some() {
                    self.next_dialog()
                } else {
                    self.screen = Screen::Queue;
                    Task::none()
                }
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
                        self.screen = Screen::Details(*id);
                        Task::none()
                    }
                    None => Task::none(),
                }
            }
            _ => Task::none(),
        }
    }

    /// Pauses everything (the engine saves each download's state); the window closes
    /// once the engine says it has stopped.
    fn begin_shutdown(&mut self) -> Task<Message> {
        if self.closing.is_none() {
            self.closing = Some(saved::snapshot(&self.downloads));
            self.engine.send(Command::Shutdown);
        }
        Task::none()
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let mut list = vec![
            subscriptions::channel(self.events.clone()).map(Message::Engine),
            keyboard::listen().filter_map(|event| match event {
                keyboard::Event::KeyPressed { key, modifiers, .. } => {
                    Some(Message::Key(key, modifiers))
                }
                _ => None,
            }),
            iced::event::listen_with(|event, _status, _window| match event {
                iced::Event::Window(window::Event::FileHovered(_)) => Some(Message::Hovering(true)),
                iced::Event::Window(window::Event::FilesHoveredLeft) => {
                    Some(Message::Hovering(false))
                }
                iced::Event::Window(window::Event::FileDropped(path)) => {
                    Some(Message::Dropped(path))
                }
                _ => None,
            }),
            window::close_requests().map(|_| Message::CloseRequested),
            subscriptions::terminate().map(|()| Message::Terminate),
        ];
        if let Some(slot) = &self.instance {
            list.push(subscriptions::hand_offs(slot.clone()).map(Message::HandedOff));
        }
        if let Some(slot) = &self.desktop_opens {
            list.push(subscriptions::channel(slot.clone()).map(Message::HandedOff));
        }
        Subscription::batch(list)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let toolbar = row![
            text("Braid").size(20),
            space::horizontal(),
            button(text(t("toolbar-open"))).on_press(Message::OpenFiles),
            button(text(t("toolbar-paste")))
                .on_press(Message::Paste)
                .style(button::secondary),
            button(text(t("toolbar-settings")))
                .on_press(Message::ShowSettings)
                .style(button::secondary),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        let screen: Element<'_, Message> = match &self.screen {
            Screen::Queue => self.queue.view(&self.downloads).map(Message::Queue),
            Screen::Details(id) => match self.downloads.get(*id) {
                Some(download) => details::view(download).map(Message::Details),
                None => self.queue.view(&self.downloads).map(Message::Queue),
            },
            Screen::Settings(draft) => draft.view().map(Message::Settings),
        };
        let mut page = column![toolbar].spacing(12).padding(16);
        for (index, notice) in self.notices.iter().enumerate().rev().take(3) {
            page = page.push(
                container(
                    row![
                        text(notice.clone()).width(Length::Fill),
                        button(text(t("notice-dismiss")))
                            .on_press(Message::Dismiss(index))
                            .style(button::text),
                    ]
                    .align_y(Alignment::Center),
                )
                .padding(8)
                .width(Length::Fill)
                .style(container::bordered_box),
            );
        }
        if self.closing.is_some() {
            page = page.push(text(t("closing")));
        }
        page = page.push(screen);
        let mut layers = stack![page];
        if let Some(dialog) = &self.dialog {
            layers = layers.push(opaque(
                container(dialog.view().map(Message::Add))
                    .center(Length::Fill)
                    .style(|_: &Theme| container::Style {
                        background: Some(iced::Color::from_rgba(0.0, 0.0, 0.0, 0.45).into()),
                        ..container::Style::default()
                    }),
            ));
        }
        if self.hovering {
            layers = layers.push(
                container(text(t("drop-here")).size(26))
                    .center(Length::Fill)
                    .style(|theme: &Theme| container::Style {
                        background: Some(theme.palette().primary.scale_alpha(0.25).into()),
                        border: iced::Border {
                            color: theme.palette().primary,
                            width: 3.0,
                            radius: 12.0.into(),
                        },
                        ..container::Style::default()
                    }),
            );
        }
        layers.into()
    }
}

/// Measures the free space in `dir` off the UI thread (a network mount may be slow).
fn measure_space(dir: PathBuf) -> Task<Message> {
    Task::perform(
        async move {
            let measured = dir.clone();
            let free =
                tokio::task::spawn_blocking(move || crate::engine::storage::free_space(&measured))
                    .await
                    .ok()
                    .flatten();
            (dir, free)
        },
        |(dir, free)| Message::Add(add::Message::Measured(dir, free)),
    )
}

fn pick_folder(start: PathBuf, to: fn(Option<PathBuf>) -> Message) -> Task<Message> {
    Task::perform(
        answered_by_a_person(async move {
            rfd::AsyncFileDialog::new()
                .set_directory(&start)
                .pick_folder()
                .await
                .map(|f| f.path().to_path_buf())
        }),
        move |picked| picked.map_or(Message::NoFileDialog, to),
    )
}

/// Runs a native dialog. `None` when it answered "nothing chosen" faster than a person
/// could: then there was no dialog at all (no desktop portal), which the user must be
/// told rather than left clicking a button that does nothing.
async fn answered_by_a_person<T>(
    dialog: impl std::future::Future<Output = Option<T>>,
) -> Option<Option<T>> {
    let asked = std::time::Instant::now();
    let answer = dialog.await;
    if answer.is_none() && asked.elapsed() < std::time::Duration::from_millis(300) {
        return None;
    }
    Some(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metalink::{File, MirrorUrl, Version};

    fn app(name: &str) -> (App, PathBuf) {
        let dir = std::env::temp_dir().join(format!("braid-app-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let config = Config {
            download_dir: dir.clone(),
            ui_language: "en".into(),
            notifications: false,
            ..Config::default()
        };
        (App::for_tests(config, dir.join("queue.json")), dir)
    }

    fn metalink(name: &str) -> Resolved {
        let mut file = File::new(name);
        file.size = Some(10);
        file.urls = vec![MirrorUrl {
            url: format!("http://127.0.0.1:9/{name}"),
            priority: 1,
            location: None,
            max_connections: None,
        }];
        Resolved::Metalink {
            source: format!("{name}.meta4"),
            document: crate::metalink::Document {
                version: Version::V4,
                generator: None,
                origin: None,
                dynamic: false,
                published: None,
                updated: None,
                files: vec![file],
            },
            warnings: Vec::new(),
            only: None,
        }
    }

    #[test]
    fn dropping_another_kind_of_file_says_so() {
        let (mut app, dir) = app("drop");
        let photo = dir.join("photo.jpg");
        std::fs::write(&photo, b"\xff\xd8\xff").unwrap();
        let _ = app.update(Message::Hovering(true));
        let _ = app.update(Message::Dropped(photo));
        assert!(!app.hovering);
        assert!(
            app.notices()[0].contains("photo.jpg is not a metalink"),
            "{:?}",
            app.notices()
        );
        assert!(app.dialog().is_none());
    }

    #[test]
    fn opened_metalinks_take_turns_in_the_dialog() {
        let (mut app, _dir) = app("dialog");
        let _ = app.update(Message::Resolved(Ok(metalink("a.iso")), false));
        let _ = app.update(Message::Resolved(Ok(metalink("b.iso")), false));
        assert_eq!(app.dialog().unwrap().source, "a.iso.meta4");
        let _ = app.update(Message::Add(add::Message::Add(false)));
        assert_eq!(app.downloads().len(), 1);
        assert_eq!(app.downloads().nth(0).unwrap().state, State::Paused);
        assert_eq!(
            app.dialog().unwrap().source,
            "b.iso.meta4",
            "the next one shows"
        );
        let _ = app.update(Message::Add(add::Message::Cancel));
        assert!(app.dialog().is_none());
        assert_eq!(app.downloads().len(), 1);
    }

    #[test]
    fn start_queues_without_asking() {
        let (mut app, _dir) = app("start");
        let _ = app.update(Message::Resolved(Ok(metalink("c.iso")), true));
        assert!(app.dialog().is_none());
        assert_eq!(app.downloads().len(), 1);
        assert_eq!(app.downloads().nth(0).unwrap().state, State::Queued);
    }

    #[test]
    fn closing_remembers_what_was_running() {
        let (mut app, dir) = app("close");
        let _ = app.update(Message::Resolved(Ok(metalink("d.iso")), true));
        let id = app.downloads().nth(0).unwrap().id;
        let _ = app.update(Message::Engine(Event::Started(id)));
        let _ = app.update(Message::CloseRequested);
        // Shutting down pauses everything; that must not be what is remembered.
        let _ = app.update(Message::Engine(Event::Paused(id)));
        let _ = app.update(Message::Engine(Event::ShutDown));
        let (list, warning) = saved::load(&dir.join("queue.json"));
        assert_eq!(warning, None);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].state, SavedState::Active);
    }

    #[test]
    fn keys_act_on_the_selection() {
        let (mut app, _dir) = app("keys");
        let _ = app.update(Message::Resolved(Ok(metalink("e.iso")), false));
        let _ = app.update(Message::Add(add::Message::Add(false)));
        let ctrl = keyboard::Modifiers::CTRL;
        let _ = app.update(Message::Key(keyboard::Key::Character("a".into()), ctrl));
        assert_eq!(app.downloads().selected().len(), 1, "Ctrl+A selects all");
        let _ = app.update(Message::Key(
            keyboard::Key::Named(keyboard::key::Named::Enter),
            keyboard::Modifiers::empty(),
        ));
        assert!(
            matches!(app.screen, Screen::Details(_)),
            "Enter shows details"
        );
        let _ = app.update(Message::Key(
            keyboard::Key::Named(keyboard::key::Named::Escape),
            keyboard::Modifiers::empty(),
        ));
        assert!(matches!(app.screen, Screen::Queue), "Escape goes back");
        let _ = app.update(Message::Key(keyboard::Key::Character(",".into()), ctrl));
        assert!(
            matches!(app.screen, Screen::Settings(_)),
            "Ctrl+, opens settings"
        );
    }

    #[test]
    fn a_missing_file_dialog_is_explained() {
        let (mut app, _dir) = app("nodialog");
        let _ = app.update(Message::NoFileDialog);
        assert!(
            app.notices()[0].contains("No file dialog"),
            "{:?}",
            app.notices()
        );
    }

    #[test]
    fn bad_sources_are_reported_not_dropped() {
        let (mut app, _dir) = app("bad");
        let _ = app.update(Message::Resolved(
            Err("x.meta4 (line 3, column 7): bad size".into()),
            false,
        ));
        assert_eq!(app.notices(), ["x.meta4 (line 3, column 7): bad size"]);
        let _ = app.update(Message::Dismiss(0));
        assert!(app.notices().is_empty());
    }
}
