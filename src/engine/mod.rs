//! The download engine: tokio + reqwest, driven only by messages. Front ends send
//! [`Command`]s and fold [`Event`]s; the engine runs on its own runtime thread so a slow
//! UI can never stall a transfer. It never imports the GUI.

mod handle;
pub mod http;
pub mod job;
pub mod metalink_http;
pub mod mirror;
pub mod plan;
pub mod probe;
pub mod rate;
pub mod state;
pub mod storage;
pub mod stream;
pub mod verify;

pub use handle::{Command, DownloadId, Engine, Event};
pub use job::JobSpec;

use std::path::PathBuf;

/// Limits a user can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Downloads that run at once; the rest wait in the queue.
    pub max_active: usize,
    /// Connections per download, over all mirrors.
    pub max_connections: usize,
    /// Connections to one origin (scheme, host, port) per download.
    pub connections_per_origin: usize,
    /// Bytes per second over all downloads; `None` for no limit.
    pub rate_limit: Option<u64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_active: 3,
            max_connections: 16,
            connections_per_origin: 4,
            rate_limit: None,
        }
    }
}

/// A coalesced snapshot of one download, sent a few times a second.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// `None` while the size is unknown (a stream without Content-Length).
    pub size: Option<u64>,
    /// Verified bytes.
    pub done: u64,
    /// Verified bytes from the start of the file without a gap.
    pub verified_prefix: u64,
    /// Bytes received, including any that were thrown away.
    pub received: u64,
    /// Bytes per second over the last interval.
    pub speed: f64,
    pub connections: usize,
    /// Pieces that failed their hash and were fetched again.
    pub repaired: usize,
    pub pieces: Vec<PieceStatus>,
    pub mirrors: Vec<MirrorStatus>,
    /// Pieces that failed their hash: who spoiled them, and who delivered them right.
    pub repairs: Vec<Repair>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub piece: usize,
    /// The mirror whose copy failed the hash.
    pub bad_mirror: String,
    /// The mirror whose copy passed, once one has.
    pub good_mirror: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceStatus {
    Missing,
    InFlight,
    Verified,
    /// Verified after a bad copy from another mirror.
    Repaired,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MirrorStatus {
    pub url: String,
    pub location: Option<String>,
    pub priority: u32,
    pub connections: usize,
    pub bytes: u64,
    pub speed: f64,
    pub errors: u32,
    pub bad_pieces: u32,
    /// Why the mirror is no longer used, if it is not.
    pub dropped: Option<String>,
}

/// Why a download failed. Partial data is kept for a later retry unless it cannot be
/// trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error("{} exists; use --overwrite to replace it", .0.display())]
    FileExists(PathBuf),
    #[error("{0}")]
    Io(String),
    #[error("no usable mirror left: {}", describe_mirrors(.0))]
    NoMirrors(Vec<(String, String)>),
    #[error("the downloaded file does not match its {0} hash; it was discarded")]
    HashMismatch(String),
    #[error(
        "not enough space in {}: {} more needed, {} free",
        .dir.display(),
        crate::format::bytes(*.needed),
        crate::format::bytes(*.free)
    )]
    NoSpace {
        dir: PathBuf,
        needed: u64,
        free: u64,
    },
    #[error("{0}")]
    Source(String),
}

fn describe_mirrors(reasons: &[(String, String)]) -> String {
    reasons
        .iter()
        .map(|(url, why)| format!("{}: {why}", crate::format::url(url)))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::JobError;

    #[test]
    fn mirror_reasons_do_not_show_passwords() {
        let error = JobError::NoMirrors(vec![(
            "http://user:secret@127.0.0.2/a.iso".into(),
            "HTTP 404".into(),
        )]);
        assert_eq!(
            error.to_string(),
            "no usable mirror left: http://user:***@127.0.0.2/a.iso: HTTP 404"
        );
    }
}
