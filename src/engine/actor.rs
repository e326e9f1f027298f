//! The engine's actor: the queue of downloads in start order (`queue.rs`), at most
//! `max_active` running (within what the schedule allows), each a job task controlled
//! through watch channels; the clock read once a second for start times and windows.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::handle::{Command, DownloadId, Event};
use super::http::Trust;
use super::job::{self, Control, Ending, Report};
use super::queue::Order;
use super::rate::{RateLimiter, Rates};
use super::schedule::{Allowance, Clock, InForce, Schedule, WhenDone};
use super::transport::Transport;
use super::{JobError, JobSpec, Settings};
use crate::signature::KeySources;

/// How often the engine reads the clock: start times and schedule windows take effect
/// within this.
const CLOCK_EVERY: Duration = Duration::from_secs(1);

enum Status {
    Queued,
    /// Waits for its start time (seconds since 1970).
    Waiting(i64),
    Running(Running),
    Paused,
    Ended,
}

/// A running job's controls.
struct Running {
    control: watch::Sender<Control>,
    /// The limits it runs under: the engine's, within the download's own.
    settings: watch::Sender<Settings>,
    /// Set once it was told to stop: what it becomes when it has.
    then: Option<Then>,
}

/// What a download becomes once its job has stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Then {
    Paused,
    /// Back in the queue: it gave way to one before it, or the schedule stopped it.
    Queued,
    Waiting(i64),
    /// Forgotten; with `delete_files`, its part and state files go too.
    Removed {
        delete_files: bool,
    },
}

struct Download {
    spec: JobSpec,
    status: Status,
    /// Its own rate limit, shared with its job while it runs.
    rate: Arc<RateLimiter>,
}

impl Download {
    /// Running and not told to stop.
    fn runs_on(&self) -> bool {
        matches!(&self.status, Status::Running(r) if r.then.is_none())
    }

    /// Tells a running job to stop and what to become then.
    fn stop(&mut self, then: Then) {
        if let Status::Running(running) = &mut self.status {
            let control = match then {
                Then::Removed { .. } => Control::Cancel,
                _ => Control::Pause,
            };
            // A removal is never turned back into a pause.
            if !matches!(running.then, Some(Then::Removed { .. })) {
                running.then = Some(then);
                let _ = running.control.send(control);
            }
        }
    }
}

pub(super) struct Actor {
    settings: Settings,
    events: mpsc::UnboundedSender<Event>,
    downloads: HashMap<DownloadId, Download>,
    /// The order in which downloads start.
    order: Order,
    transport: Transport,
    /// The limit over all downloads: the user's, within what the schedule allows.
    rate: Arc<RateLimiter>,
    clock: Arc<dyn Clock>,
    schedule: Schedule,
    in_force: InForce,
    when_done: WhenDone,
    ended_tx: mpsc::UnboundedSender<(DownloadId, Result<Ending, JobError>)>,
    ended_rx: mpsc::UnboundedReceiver<(DownloadId, Result<Ending, JobError>)>,
    shutting_down: bool,
    /// The keys signatures are checked against; `None` trusts none.
    keys: Option<KeySources>,
    /// Downloads added since the queue was last balanced: those that did not start
    /// then show what their state file says is on disk.
    added: Vec<DownloadId>,
}

impl Actor {
    pub(super) fn new(
        settings: Settings,
        events: mpsc::UnboundedSender<Event>,
        clock: Arc<dyn Clock>,
        trust: &Trust,
    ) -> Self {
        let (ended_tx, ended_rx) = mpsc::unbounded_channel();
        Actor {
            settings,
            events,
            downloads: HashMap::new(),
            order: Order::default(),
            transport: Transport::new(trust),
            rate: Arc::new(RateLimiter::new(settings.rate_limit)),
            clock,
            schedule: Schedule::always(),
            in_force: InForce {
                allowance: Allowance::Full,
                until: None,
            },
            when_done: WhenDone::Nothing,
            ended_tx,
            ended_rx,
            shutting_down: false,
            keys: None,
            added: Vec::new(),
        }
    }

    pub(super) async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        let mut clock = tokio::time::interval(CLOCK_EVERY);
        clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                command = commands.recv() => match command {
                    Some(command) => self.handle(command),
                    None => self.shutdown(),
                },
                Some((id, result)) = self.ended_rx.recv() => self.ended(id, result),
                _ = clock.tick() => self.tick(),
            }
            if self.shutting_down && !self.any_running() {
                let _ = self.events.send(Event::ShutDown);
                return;
            }
            if !self.shutting_down {
                self.balance();
                self.show_stored();
            }
        }
    }

    fn send(&self, event: Event) {
        let _ = self.events.send(event);
    }

    fn any_running(&self) -> bool {
        self.downloads
            .values()
            .any(|d| matches!(d.status, Status::Running(_)))
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Add { id, spec, paused } => self.add(id, *spec, paused),
            Command::Pause(id) => self.pause(id),
            Command::Resume(id) => self.resume(id),
            Command::Remove { id, delete_files } => self.remove(id, delete_files),
            Command::SetKeys(keys) => self.keys = Some(keys),
            Command::CheckSignatures { id, spec, path } => self.check_signatures(id, *spec, path),
            Command::SetLimits(settings) => {
                self.settings = settings;
                self.rate
                    .set(self.in_force.allowance.rate(settings.rate_limit));
                for download in self.downloads.values() {
                    download.follow_limits(&settings);
                }
            }
            Command::SetRateLimit {
                id,
                bytes_per_second,
            } => self.update(id, |d, _| {
                d.spec.rate_limit = bytes_per_second;
                d.rate.set(bytes_per_second);
            }),
            Command::SetConnections { id, max } => self.update(id, |d, settings| {
                d.spec.max_connections = max.filter(|&m| m > 0);
                d.follow_limits(settings);
            }),
            Command::SetPriority { id, priority } => {
                if self.order.set_priority(id, priority) {
                    self.update(id, |d, _| d.spec.priority = priority);
                    self.send(Event::Order(self.order.to_vec()));
                }
            }
            Command::Reorder { id, place } => {
                if let Some(priority) = self.order.place(id, place) {
                    if self.downloads.get(&id).map(|d| d.spec.priority) != Some(priority) {
                        self.update(id, |d, _| d.spec.priority = priority);
                    }
                    self.send(Event::Order(self.order.to_vec()));
                }
            }
            Command::StartAt { id, at } => self.start_at(id, at),
            Command::SetSchedule(schedule) => {
                self.schedule = schedule;
                self.tick();
            }
            Command::SetWhenDone(when_done) => self.when_done = when_done,
            Command::Shutdown => self.shutdown(),
        }
    }

    /// Changes a download's own settings and tells the front ends.
    fn update(&mut self, id: DownloadId, change: impl FnOnce(&mut Download, &Settings)) {
        if let Some(download) = self.downloads.get_mut(&id) {
            change(download, &self.settings);
            let spec = Box::new(download.spec.clone());
            self.send(Event::Updated { id, spec });
        }
    }

    fn add(&mut self, id: DownloadId, spec: JobSpec, paused: bool) {
        self.send(Event::Added {
            id,
            name: spec.name.clone(),
            size: spec.size,
        });
        let now = self.clock.now().unix;
        let (status, event) = match spec.start_at {
            _ if paused => (Status::Paused, Event::Paused(id)),
            Some(at) if at > now => (Status::Waiting(at), Event::Waiting { id, until: at }),
            _ => (Status::Queued, Event::Queued(id)),
        };
        self.added.push(id);
        self.send(event);
        if self.order.push(id, spec.priority) {
            self.send(Event::Order(self.order.to_vec()));
        }
        self.downloads.insert(
            id,
            Download {
                rate: Arc::new(RateLimiter::new(spec.rate_limit)),
                spec,
                status,
            },
        );
    }

    /// Shows what is already on disk for each download just added that did not start
    /// (paused, waiting for its time, or queued behind `max_active` or the schedule's
    /// window, where it may stay for hours), read from its state file off the runtime.
    /// One that started reports its own progress.
    fn show_stored(&mut self) {
        for id in std::mem::take(&mut self.added) {
            let Some(download) = self.downloads.get(&id) else {
                continue;
            };
            if matches!(download.status, Status::Running(_)) {
                continue;
            }
            let events = self.events.clone();
            let stored = download.spec.clone();
            tokio::task::spawn_blocking(move || {
                if let Some(progress) = super::state::stored_progress(&stored) {
                    let _ = events.send(Event::Progress {
                        id,
                        progress: Box::new(progress),
                    });
                }
            });
        }
    }

    fn pause(&mut self, id: DownloadId) {
        let Some(download) = self.downloads.get_mut(&id) else {
            return;
        };
        download.spec.start_at = None;
        match &download.status {
            Status::Running(_) => download.stop(Then::Paused),
            Status::Queued | Status::Waiting(_) => {
                download.status = Status::Paused;
                self.send(Event::Paused(id));
            }
            Status::Paused | Status::Ended => {}
        }
    }

    fn resume(&mut self, id: DownloadId) {
        let Some(download) = self.downloads.get_mut(&id) else {
            return;
        };
        download.spec.start_at = None;
        match &mut download.status {
            Status::Paused | Status::Ended | Status::Waiting(_) => {
                download.status = Status::Queued;
                self.send(Event::Queued(id));
            }
            // Told to stop but not yet stopped: it comes back in the queue.
            Status::Running(running) if matches!(running.then, Some(Then::Paused)) => {
                running.then = Some(Then::Queued);
            }
            Status::Running(_) | Status::Queued => {}
        }
    }

    /// Checks a placed file's signatures again, off the actor, against the keys now.
    fn check_signatures(&self, id: DownloadId, spec: JobSpec, path: std::path::PathBuf) {
        let keys = self.keys.clone();
        let events = self.events.clone();
        tokio::task::spawn_blocking(move || {
            let keyring = keys.map(|k| k.load().0).unwrap_or_default();
            let verdict = crate::signature::check(
                &spec.signatures.found,
                &path,
                spec.strongest_hash(),
                &keyring,
                std::time::SystemTime::now(),
            )
            .map_err(|e| super::DiskError::io(&path, e));
            let _ = events.send(Event::SignatureChecked { id, verdict });
        });
    }

    fn remove(&mut self, id: DownloadId, delete_files: bool) {
        let Some(download) = self.downloads.get_mut(&id) else {
            return;
        };
        if let Status::Running(_) = download.status {
            download.stop(Then::Removed { delete_files });
            return;
        }
        if delete_files {
            delete_partial(&download.spec);
        }
        self.forget(id);
    }

    fn forget(&mut self, id: DownloadId) {
        self.downloads.remove(&id);
        self.order.remove(id);
        self.send(Event::Removed(id));
    }

    fn start_at(&mut self, id: DownloadId, at: Option<i64>) {
        let now = self.clock.now().unix;
        let Some(download) = self.downloads.get_mut(&id) else {
            return;
        };
        download.spec.start_at = at;
        match (at.filter(|&at| at > now), &download.status) {
            (Some(at), Status::Running(_)) => download.stop(Then::Waiting(at)),
            (Some(at), Status::Queued | Status::Paused | Status::Ended | Status::Waiting(_)) => {
                download.status = Status::Waiting(at);
                self.send(Event::Waiting { id, until: at });
            }
            (None, Status::Waiting(_)) => {
                download.status = Status::Queued;
                self.send(Event::Queued(id));
            }
            (None, _) => {}
        }
        self.update(id, |_, _| {});
    }

    /// Once a second: downloads whose time has come join the queue, and the schedule's
    /// allowance is brought up to date.
    fn tick(&mut self) {
        let now = self.clock.now();
        let mut due = Vec::new();
        for (id, download) in &mut self.downloads {
            if let Status::Waiting(at) = download.status
                && at <= now.unix
            {
                download.status = Status::Queued;
                download.spec.start_at = None;
                due.push(*id);
            }
        }
        due.sort();
        for id in due {
            self.send(Event::Queued(id));
        }
        let in_force = self.schedule.in_force(now);
        if in_force != self.in_force {
            self.in_force = in_force;
            self.rate
                .set(in_force.allowance.rate(self.settings.rate_limit));
            self.send(Event::Schedule(in_force));
        }
    }

    fn shutdown(&mut self) {
        self.shutting_down = true;
        for download in self.downloads.values_mut() {
            download.stop(Then::Paused);
        }
    }

    /// Lets the first downloads in start order run, as many as `max_active` and the
    /// schedule allow: a running download that a download before it needs the place of
    /// goes back to the queue (its state saved), and queued ones start in its place.
    fn balance(&mut self) {
        let allowed = match self.in_force.allowance {
            Allowance::Stopped => 0,
            _ => self.settings.max_active,
        };
        let wanted: Vec<DownloadId> = self
            .order
            .ids()
            .filter(|id| {
                self.downloads
                    .get(id)
                    .is_some_and(|d| d.runs_on() || matches!(d.status, Status::Queued))
            })
            .take(allowed)
            .collect();
        for (id, download) in &mut self.downloads {
            if download.runs_on() && !wanted.contains(id) {
                download.stop(Then::Queued);
            }
        }
        // Jobs still stopping hold their place until they have.
        let mut running = self
            .downloads
            .values()
            .filter(|d| matches!(d.status, Status::Running(_)))
            .count();
        for id in wanted {
            if running >= allowed {
                break;
            }
            if self
                .downloads
                .get(&id)
                .is_some_and(|d| matches!(d.status, Status::Queued))
            {
                self.start(id);
                running += 1;
            }
        }
    }

    fn start(&mut self, id: DownloadId) {
        let Some(download) = self.downloads.get_mut(&id) else {
            return;
        };
        let (control, control_rx) = watch::channel(Control::Run);
        let (settings, settings_rx) = watch::channel(job_settings(&self.settings, &download.spec));
        download.status = Status::Running(Running {
            control,
            settings,
            then: None,
        });
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
                    Report::Trouble { url, trouble } => Event::MirrorTrouble { id, url, trouble },
                };
                let _ = events.send(event);
            }
        });
        let spec = download.spec.clone();
        let links = job::Links {
            settings: settings_rx,
            transport: self.transport.for_site(spec.site_headers.clone()),
            rates: Rates {
                global: self.rate.clone(),
                own: download.rate.clone(),
            },
            reports,
            control: control_rx,
            keys: self.keys.clone(),
        };
        let ended = self.ended_tx.clone();
        tokio::spawn(async move {
            let result = job::run(spec, links).await;
            let _ = ended.send((id, result));
        });
    }

    fn ended(&mut self, id: DownloadId, result: Result<Ending, JobError>) {
        let Some(download) = self.downloads.get_mut(&id) else {
            return;
        };
        let then = match &download.status {
            Status::Running(running) => running.then,
            _ => None,
        };
        let event = match result {
            Ok(Ending::Finished {
                path,
                verified,
                repaired,
                reused,
                signature,
            }) => {
                download.status = Status::Ended;
                Event::Finished {
                    id,
                    path,
                    verified,
                    repaired,
                    reused,
                    signature,
                }
            }
            Ok(Ending::Paused) => match then {
                Some(Then::Queued) if !self.shutting_down => {
                    download.status = Status::Queued;
                    Event::Queued(id)
                }
                Some(Then::Waiting(at)) if !self.shutting_down => {
                    download.status = Status::Waiting(at);
                    Event::Waiting { id, until: at }
                }
                _ => {
                    download.status = Status::Paused;
                    Event::Paused(id)
                }
            },
            Ok(Ending::Cancelled) => {
                if let Some(Then::Removed { delete_files: true }) = then {
                    delete_partial(&download.spec);
                }
                self.forget(id);
                return;
            }
            Err(error) => {
                download.status = Status::Ended;
                Event::Failed { id, error }
            }
        };
        let completed = matches!(event, Event::Finished { .. } | Event::Failed { .. });
        self.send(event);
        if completed && !self.shutting_down && !self.busy() {
            self.send(Event::QueueDone(self.when_done));
        }
    }

    /// Whether any download runs or waits to.
    fn busy(&self) -> bool {
        self.downloads.values().any(|d| {
            matches!(
                d.status,
                Status::Queued | Status::Waiting(_) | Status::Running(_)
            )
        })
    }
}

impl Download {
    /// Passes changed limits on to its job, if it runs.
    fn follow_limits(&self, settings: &Settings) {
        if let Status::Running(running) = &self.status {
            let _ = running.settings.send(job_settings(settings, &self.spec));
        }
    }
}

/// The limits one job runs under: the engine's, with the download's own connection cap.
fn job_settings(settings: &Settings, spec: &JobSpec) -> Settings {
    let mut own = *settings;
    if let Some(max) = spec.max_connections {
        own.max_connections = own.max_connections.min(max).max(1);
    }
    own
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
