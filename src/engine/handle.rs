//! The engine's message interface: the [`Engine`] handle a front end holds, the
//! [`Command`]s it sends and the [`Event`]s it folds. The actor behind it is `actor.rs`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::mpsc;

use super::actor::Actor;
use super::http::Trust;
use super::queue::{Place, Priority};
use super::schedule::{Clock, InForce, Schedule, SystemClock, WhenDone};
use super::{Checking, DiskError, JobError, JobSpec, Progress, Reused, Settings, Trouble};
use crate::metalink::HashAlgorithm;
use crate::signature::{KeySources, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DownloadId(pub u64);

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Queues a download (at the end of its priority); with `paused`, it waits for
    /// `Resume`; with a `start_at` ahead, it waits until then.
    Add {
        id: DownloadId,
        spec: Box<JobSpec>,
        paused: bool,
    },
    Pause(DownloadId),
    /// Lets a paused, failed or waiting download run again (now), in its place.
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
    /// Changes one download's own cap on connections (running downloads follow at once).
    SetConnections {
        id: DownloadId,
        max: Option<usize>,
    },
    SetPriority {
        id: DownloadId,
        priority: Priority,
    },
    /// Moves a download in the queue.
    Reorder {
        id: DownloadId,
        place: Place,
    },
    /// Lets one download start only at `at` (seconds since 1970); `None` starts it as
    /// soon as its turn comes. A running download told to wait stops until then.
    StartAt {
        id: DownloadId,
        at: Option<i64>,
    },
    /// The weekly windows in which downloads run, and how fast.
    SetSchedule(Schedule),
    /// What the front end should do once the queue is done.
    SetWhenDone(WhenDone),
    /// Sets the keys signatures are checked against (read when a download finishes,
    /// so an import counts at once). Until then, no key is trusted.
    SetKeys(KeySources),
    /// Checks the signatures of a finished download's file at `path` again (after a
    /// key was imported, say); answered by [`Event::SignatureChecked`].
    CheckSignatures {
        id: DownloadId,
        spec: Box<JobSpec>,
        path: PathBuf,
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
    /// Waits for its start time (seconds since 1970).
    Waiting {
        id: DownloadId,
        until: i64,
    },
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
    /// A download's own settings changed (limit, connections, priority, start time).
    Updated {
        id: DownloadId,
        spec: Box<JobSpec>,
    },
    /// The queue in start order, after a download moved or changed priority.
    Order(Vec<DownloadId>),
    /// What the schedule allows now, and until when (sent when it changes).
    Schedule(InForce),
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
        /// What its OpenPGP signatures said; `None` when it has none.
        signature: Option<Verdict>,
    },
    Failed {
        id: DownloadId,
        error: JobError,
    },
    /// What a [`Command::CheckSignatures`] found: the verdict, or the file could not be
    /// read.
    SignatureChecked {
        id: DownloadId,
        verdict: Result<Verdict, DiskError>,
    },
    /// The last download that was running or waiting ended; the front end does `then`.
    QueueDone(WhenDone),
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
        Engine::spawn(settings, trust, Arc::new(SystemClock))
    }

    /// Starts the engine reading the time from `clock` (tests move a `TestClock`).
    pub fn start_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> (Engine, mpsc::UnboundedReceiver<Event>) {
        Engine::spawn(settings, Trust::default(), clock)
    }

    fn spawn(
        settings: Settings,
        trust: Trust,
        clock: Arc<dyn Clock>,
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
                runtime.block_on(Actor::new(settings, events, clock, &trust).run(command_rx));
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
