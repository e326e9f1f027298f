//! The resume state, kept up to date while the download runs: recorded every progress
//! tick, made durable (part file synced first) every second, and on every stop.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::super::{DiskError, Trouble};
use super::{Job, Report};

/// How often the part file is synced and the state records its pieces as durable.
const SYNC_EVERY: Duration = Duration::from_secs(1);

/// Saves off the runtime (a sync can take a while), one at a time; each is waited for
/// before any other save or the end.
pub(super) struct Saver {
    task: Option<tokio::task::JoinHandle<()>>,
    last_sync: Instant,
}

impl Saver {
    pub fn new() -> Self {
        Saver {
            task: None,
            last_sync: Instant::now(),
        }
    }

    /// Starts a save unless one is still running; every second's is durable.
    pub fn tick(&mut self, job: &Arc<Job>) {
        if self.task.as_ref().is_some_and(|t| !t.is_finished()) {
            return;
        }
        let durable = self.last_sync.elapsed() >= SYNC_EVERY;
        if durable {
            self.last_sync = Instant::now();
        }
        let job = job.clone();
        self.task = Some(tokio::task::spawn_blocking(move || save(&job, durable)));
    }

    /// Waits for the save under way, if any.
    pub async fn settle(&mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Writes the state file: with `durable`, after syncing the part file, so every done
/// piece is recorded as safe; otherwise the pieces since the last sync are recorded as
/// written but unsynced.
pub(super) fn save(job: &Job, durable: bool) {
    let (done, partials) = job.swarm.progress_on_disk();
    let validators = job.swarm.validators();
    let mut state = job.state.lock().unwrap();
    if durable {
        // Data first, then the state that vouches for it.
        if job.part.sync().is_err() {
            return;
        }
        state.set_done(&done);
        state.partial = partials;
    } else {
        state.set_unsynced(&done);
    }
    state.validators = validators;
    if let Err(e) = state.save(&job.paths.state) {
        let _ = job.reports.send(Report::Trouble {
            url: job.paths.state.display().to_string(),
            trouble: Trouble::StateNotSaved(DiskError::io(&job.paths.state, e)),
        });
    }
}
