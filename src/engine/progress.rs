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
