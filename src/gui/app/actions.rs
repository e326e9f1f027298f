//! What the screens ask of the app: engine commands, files, offers for the dialog, settings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use iced::Task;

use super::{App, Message};
use crate::config::Config;
use crate::discover::fetch;
use crate::discover::plain::{self, PlainFile};
use crate::engine::{Command, DownloadId, JobSpec};
use crate::gui::add::{Dialog, Twin};
use crate::gui::add_options::Folders;
use crate::gui::downloads::{Download, State};
use crate::gui::plain_offer::PlainOffer;
use crate::gui::queue;
use crate::gui::saved;
use crate::gui::sources::{self, Resolved};
use crate::i18n::{self, t_args};
use crate::platform::open::OpenError;

impl App {
    pub(super) fn queue_action(&mut self, action: queue::Action) -> Task<Message> {
        match action {
            queue::Action::None => Task::none(),
            queue::Action::Engine(commands) => self.send(commands),
            queue::Action::Open(path) => open(path),
            queue::Action::ShowDetails(id) => {
                self.show_details(id);
                Task::none()
            }
            queue::Action::ScrollTo(y) => iced::widget::operation::scroll_to(
                queue::ROWS_ID,
                iced::widget::operation::AbsoluteOffset {
                    x: None,
                    y: Some(y),
                },
            ),
        }
    }

    /// Carries out the removals whose Undo time is over (all of them with `None`, when
    /// the window closes): the engine forgets the download and, when asked, deletes its
    /// part file; a finished file to delete is deleted first.
    pub(super) fn carry_out_removals(&mut self, now: Option<Instant>) -> Task<Message> {
        let due: Vec<_> = self
            .downloads
            .iter()
            .filter_map(|d| {
                let leaving = d.leaving?;
                now.is_none_or(|now| now >= leaving.until).then_some((
                    d.id,
                    leaving.delete_files,
                    d.state.clone(),
                ))
            })
            .collect();
        if due.is_empty() {
            return Task::none();
        }
        let mut files = Vec::new();
        let mut commands = Vec::new();
        for (id, delete_files, state) in due {
            match state {
                State::Finished { path, .. } if delete_files => files.push((id, path)),
                _ => commands.push(Command::Remove { id, delete_files }),
            }
        }
        let sent = self.send(commands);
        if files.is_empty() {
            return sent;
        }
        if now.is_none() {
            // Closing: done here, before the queue is saved for the last time.
            let (ids, errors) = delete_files(files);
            return Task::batch([sent, self.update(Message::Deleted(ids, errors))]);
        }
        Task::batch([
            sent,
            Task::perform(
                async move {
                    tokio::task::spawn_blocking(move || delete_files(files))
                        .await
                        .unwrap_or_default()
                },
                |(ids, errors)| Message::Deleted(ids, errors),
            ),
        ])
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

    /// Adds the downloads (filed under a kind the user picked, if any).
    pub(super) fn submit(
        &mut self,
        specs: Vec<JobSpec>,
        start: bool,
        filed_as: Option<crate::category::Category>,
    ) {
        for mut spec in specs {
            if spec.site_headers.is_none() {
                spec.site_headers = self.sites.get(&spec.source).cloned();
            }
            let (id, state) = if start {
                (self.engine.add(spec.clone()), State::Queued)
            } else {
                (self.engine.add_paused(spec.clone()), State::Paused)
            };
            let mut download = Download::new(id, spec, state);
            download.filed_as = filed_as;
            self.downloads.insert(download);
        }
        self.store.save(saved::snapshot(&self.downloads));
    }

    /// Repairs a download's file on disk: a new download of the same file that keeps
    /// what of it checks out, fetches the rest and replaces it once verified; without
    /// piece checks, one that replaces it.
    pub(super) fn repair(&mut self, id: DownloadId) {
        let Some(download) = self.downloads.get(id) else {
            return;
        };
        let mut spec = download.spec.clone();
        let filed_as = download.filed_as;
        let target = download.target();
        spec.overwrite = true;
        spec.reuse = if spec.piece_checks().is_some() && target.is_file() {
            vec![crate::engine::ReuseFrom {
                path: target,
                kind: crate::engine::ReuseKind::Damaged,
            }]
        } else {
            Vec::new()
        };
        self.engine.send(Command::Remove {
            id,
            delete_files: false,
        });
        self.downloads.remove(id);
        self.submit(vec![spec], true, filed_as);
    }

    pub(super) fn open_sources(&mut self, list: Vec<String>) -> Task<Message> {
        self.resolve_all(list, false)
    }

    /// Opens what was given, dropped, pasted or handed over: OpenPGP key files are
    /// imported into Braid's keyring (the way to do so where no file dialog opens), the
    /// rest is offered for download.
    pub(super) fn resolve_all(&mut self, list: Vec<String>, start: bool) -> Task<Message> {
        let (keys, offered): (Vec<String>, Vec<String>) = list
            .into_iter()
            .partition(|source| crate::signature::looks_like_key_file(Path::new(source)));
        let imports: Vec<Task<Message>> = keys
            .into_iter()
            .map(|key| {
                self.keys_job(
                    super::keys::KeysFor::Dropped,
                    crate::gui::keys::Job::ImportFile(key.into()),
                )
            })
            .collect();
        let offers: Vec<Task<Message>> = offered
            .into_iter()
            .map(|source| {
                let site = self.sites.get(&source).cloned();
                let probes = self.probes.clone();
                let ticket = self.resolving.ticket();
                let resolve = async move {
                    // Never closed, so a permit always comes.
                    let _permit = probes.acquire_owned().await;
                    Box::new(super::Resolution {
                        result: sources::resolve(source, site).await,
                        start,
                    })
                };
                Task::perform(resolve, move |resolution| {
                    Message::ResolvedInTurn(ticket, resolution)
                })
            })
            .collect();
        Task::batch(imports.into_iter().chain(offers))
    }

    /// Shows a resolved source in the add dialog (or keeps it for its turn there while
    /// another is shown), or queues it at once when asked to.
    pub(super) fn offer(&mut self, resolved: Resolved, start: bool) -> Task<Message> {
        let learn = match &resolved {
            Resolved::Metalink { document, .. } => self.remember(document),
            Resolved::File { .. } => Task::none(),
        };
        let start = start || self.config.start_without_asking;
        if !start && self.dialog.is_some() {
            self.waiting.push_back(resolved);
            return learn;
        }
        Task::batch([learn, self.present(resolved, start)])
    }

    /// Queues every offer still waiting for the dialog, each as "Download now" would
    /// with its own folder and the settings' defaults ("Download all" in the dialog).
    pub(super) fn start_the_rest(&mut self) -> Task<Message> {
        let rest: Vec<Resolved> = self.waiting.drain(..).collect();
        Task::batch(
            rest.into_iter()
                .map(|resolved| self.present(resolved, true)),
        )
    }

    /// Opens the dialog for `resolved` (there is none open), or with `start` queues it.
    fn present(&mut self, resolved: Resolved, start: bool) -> Task<Message> {
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
            // Queued without asking: the search runs first, then it is queued (after
            // the links given before it).
            Resolved::File {
                source,
                given,
                file,
            } if start => {
                let options = self.plain_options();
                let ticket = self.arrivals.ticket();
                return Task::perform(
                    async move {
                        let found =
                            plain::complete(&fetch::client(), &given, *file, &options).await;
                        Box::new(super::arrivals::Answer { source, found })
                    },
                    move |answer| Message::Found(ticket, answer),
                );
            }
            Resolved::File {
                source,
                given,
                file,
            } => {
                let offer = PlainOffer::new(given, *file, self.plain_options());
                Dialog::for_file(source, offer, dir)
            }
        };
        let (mut dialog, twins) = dialog
            .requiring(self.config.require_signature)
            .with_folders(Folders::of_config(&self.config))
            .with_known(self.known_targets());
        if start {
            let nothing_new = !twins.is_empty();
            for twin in twins {
                self.notices.info(twin);
            }
            match dialog.specs() {
                Ok(specs) => self.submit(specs, true, None),
                // The twins were the reason: that was said.
                Err(_) if nothing_new => {}
                Err(error) => self.notices.error(format!("{}: {error}", dialog.source)),
            }
            return Task::none();
        }
        // The status bar's figure is measured again with the dialog's: both are now.
        let measure = super::tasks::look_around(&dialog);
        let begin = dialog.begin().map(Message::Add);
        self.dialog = Some(dialog);
        self.hand_keys_to_dialog();
        Task::batch([measure, self.measure_free_space(), begin])
    }

    /// A plain link queued without asking, once its search answered.
    pub(super) fn queue_found(&mut self, source: String, found: PlainFile) {
        let dir = self.config.download_dir.clone();
        if let Some(twin) = self.known_targets().get(&dir.join(&found.name)) {
            let name = found.name.clone();
            self.notices.info(twin.text(&name));
            return;
        }
        match found.into_spec(&source, dir) {
            Ok(spec) => self.submit(vec![spec], true, None),
            Err(conflict) => self.notices.error(format!(
                "{source}: {}",
                crate::gui::found::conflict(&conflict)
            )),
        }
    }

    /// What a plain link is given: the settings' search and services, and the mirror
    /// memory beside the saved queue.
    pub(super) fn plain_options(&self) -> plain::Options {
        let mut options = self.config.plain_options();
        options.memory = Some(self.memory.clone());
        options
    }

    /// Teaches the mirror memory what a metalink says, off the UI thread.
    fn remember(&self, document: &crate::metalink::Document) -> Task<Message> {
        let memory = self.memory.clone();
        let document = document.clone();
        Task::future(async move {
            let _ = plain::remember_document(&memory, &document).await;
        })
        .discard()
    }

    /// Where each download in the queue writes, for telling twins apart.
    fn known_targets(&self) -> HashMap<PathBuf, Twin> {
        self.downloads
            .iter()
            .filter(|d| d.leaving.is_none())
            .map(|d| {
                let twin = if d.state.is_done() {
                    Twin::Done
                } else {
                    Twin::Queued
                };
                (d.target(), twin)
            })
            .collect()
    }

    /// Shows the next waiting offer, if any, and measures the space where it would go.
    pub(super) fn next_dialog(&mut self) -> Task<Message> {
        self.dialog = None;
        match self.waiting.pop_front() {
            Some(resolved) => self.present(resolved, false),
            None => Task::none(),
        }
    }

    /// How many offers wait for the dialog after the one it shows.
    pub(super) fn offers_waiting(&self) -> usize {
        self.waiting.len()
    }

    pub(super) fn apply_settings(&mut self, config: Config) -> Task<Message> {
        if let Err(e) = config.save(&Config::path()) {
            self.notices
                .error(t_args("error-settings-save", &[("reason", e.to_string())]));
        }
        i18n::set_language(&config.ui_language);
        self.engine
            .send(Command::SetLimits(config.engine_settings()));
        self.engine.send(Command::SetKeys(
            config.key_sources_in(self.keyring.clone()),
        ));
        let sources_changed = (config.keys_from_gnupg, config.keys_from_system)
            != (self.config.keys_from_gnupg, self.config.keys_from_system);
        if config.watch_clipboard && !self.config.watch_clipboard {
            // What is in the clipboard now was copied before: not offered.
            self.clipboard.reset();
        }
        self.config = config;
        self.send_schedule();
        self.refresh_tray(true);
        self.theme = self.chosen_theme();
        let space = self.measure_free_space();
        match sources_changed {
            true => Task::batch([space, self.read_trusted()]),
            false => space,
        }
    }

    /// Measures the free space in the download folder, for the status bar.
    pub(super) fn measure_free_space(&self) -> Task<Message> {
        super::tasks::free_space(self.config.download_dir.clone())
    }
}

/// Deletes finished files; a file already gone counts as deleted.
pub(super) fn delete_files(files: Vec<(DownloadId, PathBuf)>) -> (Vec<DownloadId>, Vec<String>) {
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for (id, path) in files {
        match std::fs::remove_file(&path) {
            Ok(()) => ids.push(id),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => ids.push(id),
            Err(e) => errors.push(t_args(
                "error-delete",
                &[
                    ("file", path.display().to_string()),
                    ("reason", e.to_string()),
                ],
            )),
        }
    }
    (ids, errors)
}

/// Hands a file or folder to the desktop, off the UI thread; the answer says whether
/// anything could open it.
fn open(path: PathBuf) -> Task<Message> {
    Task::perform(
        async move {
            let shown = path.display().to_string();
            let result = tokio::task::spawn_blocking(move || crate::platform::open::open(&path))
                .await
                .unwrap_or(Ok(()));
            result.map_err(|error| match error {
                OpenError::Missing(_) => t_args("error-open-missing", &[("file", shown)]),
                OpenError::NoHandler(_) => t_args("error-open-no-handler", &[("file", shown)]),
                OpenError::Io { source, .. } => t_args(
                    "error-open-failed",
                    &[("file", shown), ("reason", source.to_string())],
                ),
            })
        },
        Message::Opened,
    )
}
