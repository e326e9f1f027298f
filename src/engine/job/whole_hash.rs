//! The whole-file hash, computed along the verified prefix by a task of its own while
//! the download runs, reading back from the part file (usually still in the page
//! cache), so the check at the end costs almost nothing.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::sync::watch;

use super::super::JobError;
use super::super::verify::PrefixHasher;
use super::Job;

pub(super) struct WholeHash {
    /// None when the download has no whole-file hash.
    task: Option<tokio::task::JoinHandle<PrefixHasher>>,
    /// Where it must hash to before it returns (the file's size, once every piece is
    /// in); dropped to stop it.
    until: watch::Sender<u64>,
}

impl WholeHash {
    pub fn start(job: &Arc<Job>) -> Self {
        let (until, told) = watch::channel(0);
        let task = job.spec.strongest_hash().cloned().map(|expected| {
            tokio::spawn(hash_prefix(job.clone(), told, PrefixHasher::new(expected)))
        });
        WholeHash { task, until }
    }

    /// Hashes what is left of the complete file; the hasher, to compare.
    pub async fn finish(self, size: u64) -> Result<Option<PrefixHasher>, JobError> {
        let _ = self.until.send(size);
        drop(self.until);
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
        // Wakes the task if it waits for the prefix to grow: it ends at once.
        drop(self.until);
        if let Some(task) = self.task {
            let _ = task.await;
        }
    }
}

/// Hashes the verified prefix of the file as it grows, piece by piece as they are
/// delivered (what it has not reached when the last piece is in is what the download
/// waits for at the end), until told where to end.
async fn hash_prefix(
    job: Arc<Job>,
    mut until: watch::Receiver<u64>,
    mut hasher: PrefixHasher,
) -> PrefixHasher {
    let mut verified = job.swarm.verified_prefix();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let target = (*until.borrow_and_update()).max(*verified.borrow_and_update());
        hash_up_to(&job, &mut hasher, &mut buf, target);
        if hasher.hashed >= job.size {
            return hasher;
        }
        let told = tokio::select! {
            told = until.changed() => told,
            // The swarm lives as long as the job this task holds: it never closes.
            Ok(()) = verified.changed() => Ok(()),
        };
        if told.is_err() {
            // Finish whatever the final prefix still holds.
            let target = *until.borrow();
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
