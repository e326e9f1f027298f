//! The queue across restarts: `queue.json` in the per-user data folder lists every
//! download with what it was doing. Written by a thread of its own (the newest list
//! wins), so the window never waits on the disk.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::downloads::{Download, Downloads, Failure, State};
use crate::engine::{DownloadId, JobSpec, MirrorStatus, Repair};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum SavedState {
    /// Queued or running: continues on the next start.
    Active,
    Paused,
    Finished {
        path: PathBuf,
        verified: Option<String>,
        repaired: usize,
        /// What files on disk gave it (a repair, an update from an older copy).
        #[serde(default)]
        reused: Option<crate::engine::Reused>,
    },
    Failed {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedDownload {
    pub spec: JobSpec,
    #[serde(flatten)]
    pub state: SavedState,
    /// When it was added, in seconds since 1970 (absent in files of older versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added: Option<u64>,
    /// What the details screen showed of its mirrors and repairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<SavedDetails>,
    /// What its signatures said, for the details after a restart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<crate::signature::Verdict>,
    /// The kind it was filed under in the add dialog (else its name tells).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<crate::category::Category>,
}

impl SavedDownload {
    /// A download as first added: no history yet.
    pub fn new(spec: JobSpec, state: SavedState) -> Self {
        SavedDownload {
            spec,
            state,
            added: None,
            details: None,
            signature: None,
            category: None,
        }
    }

    pub fn added_at(&self) -> Option<SystemTime> {
        self.added
            .map(|seconds| UNIX_EPOCH + Duration::from_secs(seconds))
    }

    /// The row it was, under its new `id`: its state (a failure with its reason), when
    /// it was added, and what its details showed.
    pub fn into_download(self, id: DownloadId) -> Download {
        let added = self.added_at();
        let state = match self.state {
            SavedState::Active => State::Queued,
            SavedState::Paused => State::Paused,
            SavedState::Failed { reason } => State::Failed(Failure::Saved(reason)),
            SavedState::Finished {
                path,
                verified,
                repaired,
                reused,
            } => State::Finished {
                path,
                verified,
                repaired,
                reused,
            },
        };
        let mut download = Download::new(id, self.spec, state);
        if let Some(added) = added {
            download.added = added;
        }
        download.restore_details(self.details.as_ref());
        download.signature = self.signature;
        download.filed_as = self.category;
        download
    }
}

/// The mirrors' record and the repairs, so the details survive a restart (the pieces
/// come back from the state file, through the engine).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedDetails {
    pub mirrors: Vec<SavedMirror>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<SavedRepair>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedMirror {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub priority: u32,
    pub bytes: u64,
    pub errors: u32,
    pub bad_pieces: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dropped: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedRepair {
    pub piece: usize,
    pub bad: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub good: Option<String>,
}

impl SavedDetails {
    fn of(download: &Download) -> Option<SavedDetails> {
        let mirrors = download.mirror_statuses();
        if mirrors.is_empty() {
            return None;
        }
        Some(SavedDetails {
            mirrors: mirrors
                .iter()
                .map(|m| SavedMirror {
                    url: m.url.clone(),
                    location: m.location.clone(),
                    priority: m.priority,
                    bytes: m.bytes,
                    errors: m.errors,
                    bad_pieces: m.bad_pieces,
                    dropped: download.drop_text(m),
                })
                .collect(),
            repairs: download
                .repairs()
                .iter()
                .map(|r| SavedRepair {
                    piece: r.piece,
                    bad: r.bad_mirror.clone(),
                    good: r.good_mirror.clone(),
                })
                .collect(),
        })
    }

    pub fn mirrors(&self) -> Vec<MirrorStatus> {
        self.mirrors
            .iter()
            .map(|m| MirrorStatus {
                url: m.url.clone(),
                location: m.location.clone(),
                priority: m.priority,
                connections: 0,
                bytes: m.bytes,
                speed: 0.0,
                errors: m.errors,
                bad_pieces: m.bad_pieces,
                // Kept as words (see `drops`): the reason's type does not outlive the run.
                dropped: None,
            })
            .collect()
    }

    /// Why mirrors were dropped, as they were worded when saved.
    pub fn drops(&self) -> Vec<(String, String)> {
        self.mirrors
            .iter()
            .filter_map(|m| Some((m.url.clone(), m.dropped.clone()?)))
            .collect()
    }

    pub fn repairs(&self) -> Vec<Repair> {
        self.repairs
            .iter()
            .map(|r| Repair {
                piece: r.piece,
                bad_mirror: r.bad.clone(),
                good_mirror: r.good.clone(),
            })
            .collect()
    }
}

pub fn path() -> PathBuf {
    crate::platform::paths::data_dir().join("queue.json")
}

/// The queue as it stands, each download with what it should do on the next start.
/// Downloads being removed are left out: the removal is carried out before the end.
pub fn snapshot(downloads: &Downloads) -> Vec<SavedDownload> {
    downloads
        .iter()
        .filter(|d| d.leaving.is_none())
        .map(|d| SavedDownload {
            added: d
                .added
                .duration_since(UNIX_EPOCH)
                .ok()
                .map(|since| since.as_secs()),
            details: SavedDetails::of(d),
            signature: d.signature.clone(),
            category: d.filed_as,
            spec: d.spec.clone(),
            state: match &d.state {
                State::Queued | State::Waiting(_) | State::Running => SavedState::Active,
                State::Paused => SavedState::Paused,
                State::Finished {
                    path,
                    verified,
                    repaired,
                    reused,
                } => SavedState::Finished {
                    path: path.clone(),
                    verified: verified.clone(),
                    repaired: *repaired,
                    reused: *reused,
                },
                State::Failed(reason) => SavedState::Failed {
                    reason: reason.text(),
                },
            },
        })
        .collect()
}

/// Reads the saved queue; a damaged file is kept aside and reported.
pub fn load(path: &Path) -> (Vec<SavedDownload>, Option<String>) {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), None),
        Err(e) => return (Vec::new(), Some(format!("{}: {e}", path.display()))),
    };
    match serde_json::from_slice(&bytes) {
        Ok(list) => (list, None),
        Err(e) => {
            let kept = path.with_extension("json.damaged");
            let _ = std::fs::copy(path, &kept);
            (
                Vec::new(),
                Some(format!(
                    "{}: {e}; the queue starts empty (the file was kept as {})",
                    path.display(),
                    kept.display()
                )),
            )
        }
    }
}

/// Writes atomically: a crash leaves the old list or the new one.
pub fn write(path: &Path, list: &[SavedDownload]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = path.with_extension("json.tmp");
    std::fs::write(
        &temp,
        serde_json::to_vec(list).map_err(std::io::Error::other)?,
    )?;
    std::fs::rename(&temp, path)
}

/// A writer thread: `save` hands it the newest list and returns at once.
pub struct Store {
    sender: Option<mpsc::Sender<Vec<SavedDownload>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Store {
    pub fn start(path: PathBuf) -> Self {
        let (sender, receiver) = mpsc::channel::<Vec<SavedDownload>>();
        let thread = std::thread::Builder::new()
            .name("braid-queue-store".into())
            .spawn(move || {
                while let Ok(mut list) = receiver.recv() {
                    // Only the newest list matters.
                    while let Ok(newer) = receiver.try_recv() {
                        list = newer;
                    }
                    if let Err(e) = write(&path, &list) {
                        eprintln!("braid: cannot save the queue to {}: {e}", path.display());
                    }
                }
            })
            .expect("the queue store thread starts");
        Store {
            sender: Some(sender),
            thread: Some(thread),
        }
    }

    pub fn save(&self, list: Vec<SavedDownload>) {
        if let Some(sender) = &self.sender {
            let _ = sender.send(list);
        }
    }

    /// Saves `list` last and waits until it is on disk.
    pub fn finish(&mut self, list: Vec<SavedDownload>) {
        self.save(list);
        self.sender = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.sender = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::DownloadId;
    use crate::gui::downloads::Download;

    #[test]
    fn the_queue_round_trips_with_its_states() {
        let dir = std::env::temp_dir().join(format!("braid-saved-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("queue.json");
        let mut downloads = Downloads::default();
        let spec = crate::gui::downloads::tests::spec("a");
        downloads.insert(Download::new(DownloadId(1), spec.clone(), State::Running));
        downloads.insert(Download::new(DownloadId(2), spec.clone(), State::Paused));
        let list = snapshot(&downloads);
        let mut store = Store::start(path.clone());
        store.finish(list.clone());
        assert_eq!(load(&path), (list.clone(), None));
        assert_eq!(list[0].state, SavedState::Active);
        assert_eq!(list[1].state, SavedState::Paused);
        std::fs::write(&path, b"[{").unwrap();
        let (empty, warning) = load(&path);
        assert!(empty.is_empty());
        assert!(warning.unwrap().contains("damaged"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A download that failed for want of mirrors keeps each mirror's reason across a
    /// restart, also for the mirror its last progress still showed as usable.
    #[test]
    fn every_mirrors_reason_of_a_failure_is_kept() {
        use crate::engine::{
            DropReason, Fault, JobError, MirrorFailure, MirrorReason, MirrorStatus, NetError,
            Progress,
        };
        crate::i18n::set_language("en");
        let urls = ["http://127.0.0.1:9/a", "http://127.0.0.3:9/a"];
        let refused = DropReason::Failures {
            count: 5,
            last: Fault::Network(NetError::Connect),
        };
        let failure = JobError::NoMirrors(
            urls.iter()
                .map(|url| MirrorFailure {
                    url: (*url).into(),
                    reason: MirrorReason::Dropped(refused.clone()),
                })
                .collect(),
        );
        let spec = crate::gui::downloads::tests::spec("a");
        let mut download = Download::new(DownloadId(1), spec, State::Failed(Failure::Job(failure)));
        download.progress = Some(Box::new(Progress {
            mirrors: urls
                .iter()
                .enumerate()
                .map(|(i, url)| MirrorStatus {
                    url: (*url).into(),
                    location: None,
                    priority: 1,
                    connections: 0,
                    bytes: 0,
                    speed: 0.0,
                    errors: 5,
                    bad_pieces: 0,
                    dropped: (i == 0).then(|| refused.clone()),
                })
                .collect(),
            size: Some(1000),
            done: 0,
            verified_prefix: 0,
            received: 0,
            speed: 0.0,
            connections: 0,
            pieces: Vec::new(),
            repairs: Vec::new(),
        }));
        let mut downloads = Downloads::default();
        downloads.insert(download);
        let restored = snapshot(&downloads).remove(0).into_download(DownloadId(7));
        for mirror in restored.mirror_statuses() {
            assert_eq!(
                restored.drop_text(mirror).as_deref(),
                Some("5 failures in a row, the last: could not connect"),
                "{}",
                mirror.url
            );
        }
        assert_eq!(restored.mirror_statuses().len(), 2);
    }
}
