//! What one download is: a file's name, size, hashes and mirrors, and where it goes.
//! Built from a metalink's file, or from a probed URL (`discover::RemoteFile::into_spec`).

use std::path::PathBuf;

use super::verify;
use super::{ChecksumOrigin, Provenance};
use crate::metalink::{Hash, MirrorUrl, Pieces};

/// Piece lists with longer pieces are not used for scheduling: each connection holds a
/// piece in memory until it is verified.
pub(crate) const MAX_BUFFERED_PIECE: u64 = 16 * 1024 * 1024;

/// Everything a job needs to know about one file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
        }
    }

    pub(crate) fn strongest_hash(&self) -> Option<&Hash> {
        crate::metalink::hash::strongest(&self.hashes)
    }

    /// The piece list used for scheduling and repair, if it fits in memory.
    pub(crate) fn usable_pieces(&self) -> Option<&Pieces> {
        self.pieces
            .as_ref()
            .filter(|p| p.length <= MAX_BUFFERED_PIECE)
    }

    /// What the data on disk must belong to, so a state file from another version of the
    /// file is never trusted.
    pub(crate) fn identity(&self) -> String {
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
