//! The whole-file hash, computed along the verified prefix by a task of its own while
//! the download runs, reading back from the part file (usually still in the page
//! cache), so the check at the end costs almost nothing.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::watch;

use super::super::JobError;
use super::super::verify::PrefixHasher;
use super::Job;

pub(super) struct WholeHash {
    /// None when the download has no whole-file hash.
    task: Option<tokio::task::JoinHandle<PrefixHasher>>,
    prefix: watch::Sender<u64>,
}

impl WholeHash {
    pub fn start(job: &Arc<Job>) -> Self {
        let (prefix, watched) = watch::channel(0);
        let task = job.spec.strongest_hash().cloned().map(|expected| {
            tokio::spawn(hash_prefix(
                job.clone(),
                watched,
                PrefixHasher::new(expected),
            ))
        });
        WholeHash { task, prefix }
    }

    /// The verified prefix grew to `bytes`.
    pub fn advance(&self, bytes: u64) {
        let _ = self.prefix.send(bytes);
    }

    /// Hashes what is left of the complete file; the hasher, to compare.
    pub async fn finish(self, size: u64) -> Result<Option<PrefixHasher>, JobError> {
        let _ = self.prefix.send(size);
        drop(self.prefix);
        match self.task {
            Some(task) => Ok(Some(
                task.await.map_err(|e| JobError::Internal(e.to_string()))?,
            )),
            None => Ok(None),
        }
    }

    /// Stops the task and waits for it, so nothing holds the part file (and its lock)
    /// when the download is resumed or its files deleted right after.
    pub async fn stop(self, job: &Job) {
        job.stopping.store(true, Ordering::Relaxed);
        // Wakes the task if it waits for the prefix to grow.
        drop(self.prefix);
        if let Some(task) = self.task {
            let _ = task.await;
        }
    }
}

/// How often the hasher looks at the verified prefix between progress ticks: what it
/// has not reached when the last piece is in is what the download waits for at the end.
const FOLLOW_EVERY: Duration = Duration::from_millis(20);

/// Hashes the verified prefix of the file as it grows.
async fn hash_prefix(
    job: Arc<Job>,
    mut prefix: watch::Receiver<u64>,
    mut hasher: PrefixHasher,
) -> PrefixHasher {
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let target = (*prefix.borrow_and_update()).max(job.swarm.verified_prefix());
        hash_up_to(&job, &mut hasher, &mut buf, target);
        if hasher.hashed >= job.size {
            return hasher;
        }
        let told = tokio::select! {
            told = prefix.changed() => told,
            _ = tokio::time::sleep(FOLLOW_EVERY) => Ok(()),
        };
        if told.is_err() {
            // Finish whatever the final prefix still holds.
            let target = *prefix.borrow();
            hash_up_to(&job, &mut hasher, &mut buf, target);
            return hasher;
        }
    }
}

/// Feeds the part file's bytes `[hasher.hashed, target)` to the hasher.
fn hash_up_to(job: &Job, hasher: &mut PrefixHasher, buf: &mut [u8], target: u64) {
    tokio::task::block_in_place(|| {
        while hasher.hashed < target && !job.stopping.load(Ordering::Relaxed) {
            let len = ((target - hasher.hashed) as usize).min(buf.len());
            if job.part.read_at(hasher.hashed, &mut buf[..len]).is_err() {
                return;
            }
            hasher.update(&buf[..len]);
        }
    });
}
