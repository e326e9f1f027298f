//! The engine's message interface and its actor: a queue of downloads, at most
//! `max_active` running, each a job task controlled through a watch channel.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{mpsc, watch};

use super::http::Trust;
use super::job::{self, Control, Ending, Report};
use super::rate::{RateLimiter, Rates};
use super::transport::Transport;
use super::{Checking, JobError, JobSpec, Progress, Reused, Settings, Trouble};
use crate::metalink::HashAlgorithm;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DownloadId(pub u64);

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Queues a download; with `paused`, it waits for `Resume`.
    Add {
        id: DownloadId,
        spec: Box<JobSpec>,
        paused: bool,
    },
    Pause(DownloadId),
    Resume(DownloadId),
    /// Stops a download and forgets it; with `delete_files`, its part and state files go too.
    Remove {
        id: DownloadId,
        delete_files: bool,
    },
    /// Changes the engine's limits (running downloads follow at once).
    SetLimits(Settings),
    /// Changes one download's own rate limit, in bytes per second.
    SetRateLimit {
        id: DownloadId,
        bytes_per_second: Option<u64>,
    },
    /// Pauses everything (saving resume state) and stops the engine.
    Shutdown,
}

#[derive(Debug, Clone)]
pub enum Event {
    Added {
        id: DownloadId,
        name: String,
        size: Option<u64>,
    },
    Queued(DownloadId),
    Started(DownloadId),
    Progress {
        id: DownloadId,
        progress: Box<Progress>,
    },
    /// Files on disk are being checked for data the download can reuse (before it
    /// fetches anything).
    Checking {
        id: DownloadId,
        checking: Checking,
    },
    /// Something went wrong that the download survives (a mirror failed, the state
    /// could not be saved…); `url` is the mirror's (or the state file's path).
    MirrorTrouble {
        id: DownloadId,
        url: String,
        trouble: Trouble,
    },
    Paused(DownloadId),
    Removed(DownloadId),
    Finished {
        id: DownloadId,
        path: PathBuf,
        /// The hash it was verified with; `None` when the source has none.
        verified: Option<HashAlgorithm>,
        /// Bad copies of pieces that were caught and fetched again.
        repaired: usize,
        /// What files on disk gave, when it was told to reuse some.
        reused: Option<Reused>,
    },
    Failed {
        id: DownloadId,
        error: JobError,
    },
    /// Every download is paused and saved; the engine has stopped.
    ShutDown,
}

/// A handle to a running engine.
pub struct Engine {
    commands: mpsc::UnboundedSender<Command>,
    next_id: AtomicU64,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Engine {
    /// Starts the engine on its own runtime thread.
    pub fn start(settings: Settings) -> (Engine, mpsc::UnboundedReceiver<Event>) {
        Engine::start_with(settings, Trust::default())
    }

    /// Starts the engine trusting `trust`'s certificates for HTTPS besides the system's.
    pub fn start_with(
        settings: Settings,
        trust: Trust,
    ) -> (Engine, mpsc::UnboundedReceiver<Event>) {
        let (commands, command_rx) = mpsc::unbounded_channel();
        let (events, event_rx) = mpsc::unbounded_channel();
        let thread = std::thread::Builder::new()
            .name("braid-engine".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .thread_name("braid-io")
                    .build()
                    .expect("the engine runtime starts");
                runtime.block_on(Actor::new(settings, events, &trust).run(command_rx));
            })
            .expect("the engine thread starts");
        let engine = Engine {
            commands,
            next_id: AtomicU64::new(1),
            thread: Some(thread),
        };
        (engine, event_rx)
    }

    pub fn next_id(&self) -> DownloadId {
        DownloadId(self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    pub fn send(&self, command: Command) {
        let _ = self.commands.send(command);
    }

    /// Queues a download and returns its id.
    pub fn add(&self, spec: JobSpec) -> DownloadId {
        let id = self.next_id();
        self.send(Command::Add {
            id,
            spec: Box::new(spec),
            paused: false,
        });
        id
    }

    /// Adds a download that waits for `Command::Resume`.
    pub fn add_paused(&self, spec: JobSpec) -> DownloadId {
        let id = self.next_id();
        self.send(Command::Add {
            id,
            spec: Box::new(spec),
            paused: true,
        });
        id
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

enum Status {
    Queued,
    Running(watch::Sender<Control>),
    Paused,
    Ended,
}

struct Download {
    spec: JobSpec,
    status: Status,
    /// Delete the part and state files once the job has stopped.
    delete_when_stopped: bool,
    /// Its own rate limit, shared with its job while it runs.
    rate: Arc<RateLimiter>,
}

struct Actor {
    settings: Settings,
    events: mpsc::UnboundedSender<Event>,
    downloads: HashMap<DownloadId, Download>,
    /// Order in which queued downloads start.
    order: Vec<DownloadId>,
    transport: Transport,
    /// The limit over all downloads.
    rate: Arc<RateLimiter>,
    ended_tx: mpsc::UnboundedSender<(DownloadId, Result<Ending, JobError>)>,
    ended_rx: mpsc::UnboundedReceiver<(DownloadId, Result<Ending, JobError>)>,
    shutting_down: bool,
}

impl Actor {
    fn new(settings: Settings, events: mpsc::UnboundedSender<Event>, trust: &Trust) -> Self {
        let (ended_tx, ended_rx) = mpsc::unbounded_channel();
        Actor {
            settings,
            events,
            downloads: HashMap::new(),
            order: Vec::new(),
            transport: Transport::new(trust),
            rate: Arc::new(RateLimiter::new(settings.rate_limit)),
            ended_tx,
            ended_rx,
            shutting_down: false,
        }
    }

    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        loop {
            tokio::select! {
                command = commands.recv() => match command {
                    Some(command) => self.handle(command),
                    None => self.shutdown(),
                },
                Some((id, result)) = self.ended_rx.recv() => self.ended(id, result),
            }
            if self.shutting_down && !self.any_running() {
                let _ = self.events.send(Event::ShutDown);
                return;
            }
            if !self.shutting_down {
                self.start_queued();
            }
        }
    }

    fn any_running(&self) -> bool {
        self.downloads
            .values()
            .any(|d| matches!(d.status, Status::Running(_)))
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Add { id, spec, paused } => {
                let _ = self.events.send(Event::Added {
                    id,
                    name: spec.name.clone(),
                    size: spec.size,
                });
                let (status, event) = if paused {
                    (Status::Paused, Event::Paused(id))
                } else {
                    (Status::Queued, Event::Queued(id))
                };
                let _ = self.events.send(event);
                if paused {
                    // Show what is already on disk before the download runs again.
                    let events = self.events.clone();
                    let stored = (*spec).clone();
                    tokio::task::spawn_blocking(move || {
                        if let Some(progress) = super::state::stored_progress(&stored) {
                            let _ = events.send(Event::Progress {
                                id,
                                progress: Box::new(progress),
                            });
                        }
                    });
                }
                self.downloads.insert(
                    id,
                    Download {
                        rate: Arc::new(RateLimiter::new(spec.rate_limit)),
                        spec: *spec,
                        status,
                        delete_when_stopped: false,
                    },
                );
                self.order.push(id);
            }
            Command::Pause(id) => {
                if let Some(download) = self.downloads.get_mut(&id) {
                    match &download.status {
                        Status::Running(control) => {
                            let _ = control.send(Control::Pause);
                        }
                        Status::Queued => {
                            download.status = Status::Paused;
                            let _ = self.events.send(Event::Paused(id));
                        }
                        _ => {}
                    }
                }
            }
            Command::Resume(id) => {
                if let Some(download) = self.downloads.get_mut(&id)
                    && matches!(download.status, Status::Paused | Status::Ended)
                {
                    download.status = Status::Queued;
                    self.order.retain(|o| *o != id);
                    self.order.push(id);
                    let _ = self.events.send(Event::Queued(id));
                }
            }
            Command::Remove { id, delete_files } => {
                if let Some(download) = self.downloads.get_mut(&id) {
                    match &download.status {
                        Status::Running(control) => {
                            download.delete_when_stopped = delete_files;
                            let _ = control.send(Control::Cancel);
                        }
                        _ => {
                            if delete_files {
                                delete_partial(&download.spec);
                            }
                            self.downloads.remove(&id);
                            self.order.retain(|o| *o != id);
                            let _ = self.events.send(Event::Removed(id));
                        }
                    }
                }
            }
            Command::SetLimits(settings) => {
                self.rate.set(settings.rate_limit);
                self.settings = settings;
            }
            Command::SetRateLimit {
                id,
                bytes_per_second,
            } => {
                if let Some(download) = self.downloads.get_mut(&id) {
                    download.spec.rate_limit = bytes_per_second;
                    download.rate.set(bytes_per_second);
                }
            }
            Command::Shutdown => self.shutdown(),
        }
    }

    fn shutdown(&mut self) {
        self.shutting_down = true;
        for download in self.downloads.values() {
            // A download being removed stays removed: pausing it would keep it.
            if let Status::Running(control) = &download.status
                && *control.borrow() != Control::Cancel
            {
                let _ = control.send(Control::Pause);
            }
        }
    }

    fn start_queued(&mut self) {
        let mut running = self
            .downloads
            .values()
            .filter(|d| matches!(d.status, Status::Running(_)))
            .count();
        for id in self.order.clone() {
            if running >= self.settings.max_active {
                break;
            }
            let Some(download) = self.downloads.get_mut(&id) else {
                continue;
            };
            if !matches!(download.status, Status::Queued) {
                continue;
            }
            let (control, control_rx) = watch::channel(Control::Run);
            download.status = Status::Running(control);
            running += 1;
            let _ = self.events.send(Event::Started(id));
            let (reports, mut report_rx) = mpsc::unbounded_channel();
            let events = self.events.clone();
            tokio::spawn(async move {
                while let Some(report) = report_rx.recv().await {
                    let event = match report {
                        Report::Progress(progress) => Event::Progress {
                            id,
                            progress: Box::new(progress),
                        },
                        Report::Checking(checking) => Event::Checking { id, checking },
                        Report::Trouble { url, trouble } => {
                            Event::MirrorTrouble { id, url, trouble }
                        }
                    };
                    let _ = events.send(event);
                }
            });
            let spec = download.spec.clone();
            let links = job::Links {
                settings: self.settings,
                transport: self.transport.clone(),
                rates: Rates {
                    global: self.rate.clone(),
                    own: download.rate.clone(),
                },
                reports,
                control: control_rx,
            };
            let ended = self.ended_tx.clone();
            tokio::spawn(async move {
                let result = job::run(spec, links).await;
                let _ = ended.send((id, result));
            });
        }
    }

    fn ended(&mut self, id: DownloadId, result: Result<Ending, JobError>) {
        let Some(download) = self.downloads.get_mut(&id) else {
            return;
        };
        let event = match result {
            Ok(Ending::Finished {
                path,
                verified,
                repaired,
                reused,
            }) => {
                download.status = Status::Ended;
                Event::Finished {
                    id,
                    path,
                    verified,
                    repaired,
                    reused,
                }
            }
            Ok(Ending::Paused) => {
                download.status = Status::Paused;
                Event::Paused(id)
            }
            Ok(Ending::Cancelled) => {
                if download.delete_when_stopped {
                    delete_partial(&download.spec);
                }
                self.downloads.remove(&id);
                self.order.retain(|o| *o != id);
                Event::Removed(id)
            }
            Err(error) => {
                download.status = Status::Ended;
                Event::Failed { id, error }
            }
        };
        let _ = self.events.send(event);
    }
}

/// Deletes the part and state files, unless another Braid is downloading into them.
fn delete_partial(spec: &JobSpec) {
    let Ok(paths) = super::storage::Paths::new(&spec.dir, &spec.name) else {
        return;
    };
    if !paths.part.exists() && !paths.state.exists() {
        return;
    }
    // Held while deleting, so nobody starts on the files half-way through.
    if let Ok(_held) = super::storage::PartFile::claim(&paths.part) {
        let _ = std::fs::remove_file(&paths.part);
        let _ = std::fs::remove_file(&paths.state);
    }
}
