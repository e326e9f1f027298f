//! What a download looks like from outside while it runs: coalesced snapshots, a few a
//! second, never one per chunk.

use super::DropReason;

/// A snapshot of one download.
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
    pub pieces: Vec<PieceStatus>,
    pub mirrors: Vec<MirrorStatus>,
    /// Pieces that failed their hash: who spoiled them, and who delivered them right.
    pub repairs: Vec<Repair>,
}

impl Progress {
    /// Bad copies caught and fetched again.
    pub fn repaired(&self) -> usize {
        self.repairs.len()
    }
}

/// What a download took from files already on disk (a damaged copy, an older version)
/// instead of fetching it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Reused {
    /// Bytes found on disk.
    pub bytes: u64,
    /// Pieces found on disk.
    pub pieces: usize,
    /// Pieces that had to be fetched from mirrors (set when the download finishes).
    pub fetched: usize,
}

/// Where the check of a file on disk stands, before any byte is fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checking {
    /// The file being checked.
    pub path: std::path::PathBuf,
    /// Bytes of it checked so far, of `total`.
    pub done: u64,
    pub total: u64,
    /// Bytes of the download found so far, over every file checked.
    pub found: u64,
}

/// A bad copy of a piece, and the mirror that delivered it right once one has.
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
    pub dropped: Option<DropReason>,
}
