//! What one download is: a file's name, size, hashes and mirrors, and where it goes.
//! Built from a metalink's file, or from a probed URL (`discover::RemoteFile::into_spec`).

use std::path::PathBuf;
use std::sync::Arc;

use super::queue::Priority;
use super::verify;
use super::{ChecksumOrigin, Provenance, SiteHeaders};
use crate::metalink::{Hash, MirrorUrl, Pieces};
use crate::signature::Signatures;
use crate::zsync::BlockSums;

/// Piece lists with longer pieces are not used for scheduling: each connection holds a
/// piece in memory until it is verified.
pub(crate) const MAX_BUFFERED_PIECE: u64 = 16 * 1024 * 1024;

/// Everything a job needs to know about one file. `Default` is an empty spec, for
/// literals that name only what they set (`..Default::default()`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct JobSpec {
    /// Where the download came from (metalink path or URL), shown and kept in the state.
    pub source: String,
    /// Relative name under `dir`, already checked.
    pub name: String,
    pub dir: PathBuf,
    /// `None` when neither the document nor the server tells: then the file comes in one
    /// stream, without segments or resume.
    pub size: Option<u64>,
    pub hashes: Vec<Hash>,
    pub pieces: Option<Pieces>,
    /// In the order to try them.
    pub urls: Vec<MirrorUrl>,
    pub overwrite: bool,
    /// This download's own limit in bytes per second (the engine's applies too).
    pub rate_limit: Option<u64>,
    /// Where the checksum and the mirrors came from, for the front ends to show.
    #[serde(default)]
    pub provenance: Provenance,
    /// This download's own cap on connections over all mirrors (the engine's applies too).
    #[serde(default)]
    pub max_connections: Option<usize>,
    /// Which downloads `max_active` lets run first.
    #[serde(default)]
    pub priority: Priority,
    /// Waits until then (seconds since 1970) before it may start.
    #[serde(default)]
    pub start_at: Option<i64>,
    /// A zsync control file's block checksums. When they fit the file they are its
    /// pieces (finer than a metalink's, and findable anywhere in other files).
    #[serde(default)]
    pub blocks: Option<Arc<BlockSums>>,
    /// Files on disk whose data the download may take instead of fetching it.
    #[serde(default)]
    pub reuse: Vec<ReuseFrom>,
    /// OpenPGP signatures to check once the hashes pass, before the file is placed.
    #[serde(default, skip_serializing_if = "Signatures::is_empty")]
    pub signatures: Signatures,
    /// The referrer and cookies a browser passed with the link: sent to the link's own
    /// origin only, never to the other mirrors (see [`SiteHeaders`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_headers: Option<SiteHeaders>,
}

/// A file on disk that may hold some of the download's data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReuseFrom {
    pub path: PathBuf,
    pub kind: ReuseKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReuseKind {
    /// A copy of this very file, perhaps damaged (the one a repair replaces): its
    /// pieces are checked where they are.
    Damaged,
    /// An older version, or another file that shares data: with block checksums its
    /// blocks are found wherever they moved; with piece hashes only, where they are.
    Seed,
}

/// How each piece of a download is checked.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PieceChecks<'a> {
    /// A metalink's piece hashes.
    Pieces(&'a Pieces),
    /// A zsync file's block checksums.
    Blocks(&'a BlockSums),
}

impl PieceChecks<'_> {
    pub fn length(&self) -> u64 {
        match self {
            PieceChecks::Pieces(p) => p.length,
            PieceChecks::Blocks(b) => b.block_size(),
        }
    }

    /// Whether `data` is piece `piece`.
    pub fn matches(&self, piece: usize, data: &[u8]) -> bool {
        match self {
            PieceChecks::Pieces(p) => {
                piece < p.count() && verify::digest(p.algorithm, data) == p.digest(piece)
            }
            PieceChecks::Blocks(b) => piece < b.count() && b.matches(piece, data),
        }
    }
}

impl JobSpec {
    /// One file of a metalink, from `urls` (its mirrors in the order to try them).
    pub fn for_metalink_file(
        source: &str,
        file: &crate::metalink::File,
        urls: Vec<MirrorUrl>,
        dir: PathBuf,
    ) -> JobSpec {
        JobSpec {
            source: source.to_owned(),
            name: file.name.clone(),
            dir,
            size: file.size,
            hashes: file.hashes.clone(),
            pieces: file.preferred_pieces().cloned(),
            urls,
            overwrite: false,
            rate_limit: None,
            provenance: Provenance {
                checksum: (!file.hashes.is_empty()).then_some(ChecksumOrigin::Metalink),
                mirrors: Vec::new(),
            },
            blocks: None,
            reuse: Vec::new(),
            max_connections: None,
            priority: Priority::Normal,
            start_at: None,
            signatures: Signatures {
                found: crate::signature::from_metalink_file(file),
                required: false,
            },
            site_headers: None,
        }
    }

    /// The hash the file is verified with: the strongest one.
    pub fn strongest_hash(&self) -> Option<&Hash> {
        crate::metalink::hash::strongest(&self.hashes)
    }

    /// The piece list used for scheduling and repair, if it fits in memory.
    fn usable_pieces(&self) -> Option<&Pieces> {
        self.pieces
            .as_ref()
            .filter(|p| p.length <= MAX_BUFFERED_PIECE)
    }

    /// Block checksums that describe this file (same length) in blocks a connection may
    /// buffer.
    fn usable_blocks(&self) -> Option<&BlockSums> {
        self.blocks
            .as_deref()
            .filter(|b| Some(b.length()) == self.size && b.block_size() <= MAX_BUFFERED_PIECE)
    }

    /// How pieces are checked, and so how long they are: block checksums before piece
    /// hashes, as their blocks are finer and can be found in other files.
    pub(crate) fn piece_checks(&self) -> Option<PieceChecks<'_>> {
        self.usable_blocks()
            .map(PieceChecks::Blocks)
            .or_else(|| self.usable_pieces().map(PieceChecks::Pieces))
    }

    /// What the data on disk must belong to, so a state file from another version of the
    /// file is never trusted.
    pub(crate) fn identity(&self) -> String {
        if let Some(blocks) = self.usable_blocks() {
            let fingerprint = crate::metalink::hash::encode_hex(&blocks.fingerprint());
            return format!("blocks:{fingerprint}");
        }
        if let Some(pieces) = self.usable_pieces() {
            let mut all = Vec::new();
            for d in pieces.digests() {
                all.extend_from_slice(d);
            }
            let fingerprint = verify::digest(crate::metalink::HashAlgorithm::Sha256, &all);
            return format!(
                "pieces:{}:{}",
                pieces.algorithm,
                crate::metalink::hash::encode_hex(&fingerprint)
            );
        }
        match self.strongest_hash() {
            Some(hash) => format!("hash:{}:{}", hash.algorithm, hash.hex()),
            None => format!("size:{}", self.size.unwrap_or_default()),
        }
    }
}
