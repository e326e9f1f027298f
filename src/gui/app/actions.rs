//! What the screens ask of the app: engine commands, files, offers for the dialog, settings.

use iced::Task;

use super::tasks::measure_space;
use super::{App, Message, Screen};
use crate::config::Config;
use crate::engine::{Command, JobSpec};
use crate::gui::add::Dialog;
use crate::gui::downloads::{Download, State};
use crate::gui::queue;
use crate::gui::saved;
use crate::gui::sources::{self, Resolved};
use crate::i18n::{self, t_args};

impl App {
    pub(super) fn queue_action(&mut self, action: queue::Action) -> Task<Message> {
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
    pub(super) fn send(&mut self, commands: Vec<Command>) -> Task<Message> {
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

    pub(super) fn submit(&mut self, specs: Vec<JobSpec>, start: bool) {
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

    pub(super) fn open_sources(&mut self, list: Vec<String>) -> Task<Message> {
        self.resolve_all(list, false)
    }

    pub(super) fn resolve_all(&mut self, list: Vec<String>, start: bool) -> Task<Message> {
        Task::batch(list.into_iter().map(move |source| {
            Task::perform(sources::resolve(source), move |result| {
                Message::Resolved(result, start)
            })
        }))
    }

    /// Shows a resolved source in the add dialog, or queues it at once when asked to.
    pub(super) fn offer(&mut self, resolved: Resolved, start: bool) -> Task<Message> {
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
    pub(super) fn next_dialog(&mut self) -> Task<Message> {
        self.dialog = self.waiting.pop_front();
        match &self.dialog {
            Some(dialog) => measure_space(dialog.dir.clone()),
            None => Task::none(),
        }
    }

    pub(super) fn apply_settings(&mut self, config: Config) {
        if let Err(e) = config.save(&Config::path()) {
            self.notices
                .push(t_args("error-settings-save", &[("reason", e.to_string())]));
        }
        i18n::set_language(&config.ui_language);
        self.engine
            .send(Command::SetLimits(config.engine_settings()));
        self.config = config;
    }
}
