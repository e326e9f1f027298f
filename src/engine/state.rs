//! Resume state: a small JSON file beside the part file saying which pieces are verified
//! and what they belong to. Written atomically (temp file, fsync, rename) so a crash
//! leaves the old state or the new one, never a torn file.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Reused;
use super::http::Validators;

const VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumeState {
    pub version: u32,
    /// Where the download came from (metalink path or URL), for the user.
    pub source: String,
    /// The file's name in the document.
    pub name: String,
    pub size: u64,
    pub piece_length: u64,
    /// What the pieces must hash to: a fingerprint of the document's hashes, or of the
    /// server's validators for plain URLs, so data from another version is never reused.
    pub identity: String,
    /// Verified pieces whose data was synced to disk before this was written, one
    /// character per piece: `1` done, `0` missing.
    pub done: String,
    /// Verified pieces written since the last sync (same form; may be empty). They
    /// survive a killed process but perhaps not a power cut, so a resume checks them
    /// against their piece hashes instead of trusting them.
    #[serde(default)]
    pub unsynced: String,
    /// Each mirror's ETag / Last-Modified as first seen, so a mirror whose file changed
    /// since is noticed on resume.
    #[serde(default)]
    pub validators: BTreeMap<String, Validators>,
    /// Pieces begun but not finished: how many of their first bytes are on disk (synced
    /// before this was written). They are continued, and verified as a whole.
    #[serde(default)]
    pub partial: BTreeMap<usize, u64>,
    /// What files on disk gave the download so far, and whether all were checked (an
    /// interrupted check is done again for the pieces still missing).
    #[serde(default)]
    pub reused: Option<Reused>,
    #[serde(default)]
    pub reuse_checked: bool,
}

impl ResumeState {
    pub fn new(
        source: String,
        name: String,
        size: u64,
        piece_length: u64,
        identity: String,
    ) -> Self {
        ResumeState {
            version: VERSION,
            source,
            name,
            size,
            piece_length,
            identity,
            done: String::new(),
            unsynced: String::new(),
            validators: BTreeMap::new(),
            partial: BTreeMap::new(),
            reused: None,
            reuse_checked: false,
        }
    }

    /// Records `done` as synced: everything in it is on disk.
    pub fn set_done(&mut self, done: &[bool]) {
        self.done = done.iter().map(|&d| if d { '1' } else { '0' }).collect();
        self.unsynced.clear();
    }

    /// Records the pieces of `done` that are not yet synced.
    pub fn set_unsynced(&mut self, done: &[bool]) {
        let synced = self.done.as_bytes();
        self.unsynced = done
            .iter()
            .enumerate()
            .map(|(i, &d)| {
                if d && synced.get(i) != Some(&b'1') {
                    '1'
                } else {
                    '0'
                }
            })
            .collect();
    }

    pub fn done_pieces(&self) -> impl Iterator<Item = usize> + '_ {
        ones(&self.done)
    }

    pub fn unsynced_pieces(&self) -> impl Iterator<Item = usize> + '_ {
        ones(&self.unsynced)
    }

    /// Whether this state describes the same download as `other` (ignoring progress).
    pub fn same_download(&self, other: &ResumeState) -> bool {
        self.version == other.version
            && self.size == other.size
            && self.piece_length == other.piece_length
            && self.identity == other.identity
    }

    /// Reads a state file; `None` when it is missing or damaged.
    pub fn load(path: &Path) -> Option<ResumeState> {
        let bytes = fs::read(path).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes the state atomically.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let mut temp = path.as_os_str().to_owned();
        temp.push(".tmp");
        let temp = std::path::PathBuf::from(temp);
        {
            let mut file = fs::File::create(&temp)?;
            file.write_all(&serde_json::to_vec(self).map_err(io::Error::other)?)?;
            file.sync_all()?;
        }
        fs::rename(&temp, path)?;
        super::storage::sync_parent(path);
        Ok(())
    }
}

/// What a stopped download's state file says of its progress, for a front end to show
/// before the download runs again: its verified pieces, and the bytes they hold.
/// `None` without a state file for this very file (name and size must match).
pub fn stored_progress(spec: &super::JobSpec) -> Option<super::Progress> {
    let paths = super::storage::Paths::new(&spec.dir, &spec.name).ok()?;
    let state = ResumeState::load(&paths.state)?;
    if state.name != spec.name || Some(state.size) != spec.size || state.piece_length == 0 {
        return None;
    }
    let count = state.size.div_ceil(state.piece_length) as usize;
    let mut pieces = vec![super::PieceStatus::Missing; count];
    for index in state.done_pieces().chain(state.unsynced_pieces()) {
        if let Some(piece) = pieces.get_mut(index) {
            *piece = super::PieceStatus::Verified;
        }
    }
    let piece_bytes = |index: usize| {
        let start = index as u64 * state.piece_length;
        state.piece_length.min(state.size - start)
    };
    let done = (0..count)
        .filter(|i| pieces[*i] == super::PieceStatus::Verified)
        .map(piece_bytes)
        .sum();
    let verified_prefix = pieces
        .iter()
        .take_while(|p| **p == super::PieceStatus::Verified)
        .enumerate()
        .map(|(i, _)| piece_bytes(i))
        .sum();
    Some(super::Progress {
        size: Some(state.size),
        done,
        verified_prefix,
        received: 0,
        speed: 0.0,
        connections: 0,
        pieces,
        mirrors: Vec::new(),
        repairs: Vec::new(),
    })
}

fn ones(flags: &str) -> impl Iterator<Item = usize> + '_ {
    flags
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'1')
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_load_round_trip_and_damage() {
        let dir = std::env::temp_dir().join(format!("braid-state-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.braid-state");
        let mut state = ResumeState::new("a.meta4".into(), "x".into(), 300, 100, "id".into());
        state.set_done(&[true, false, true]);
        state.save(&path).unwrap();
        let loaded = ResumeState::load(&path).unwrap();
        assert_eq!(loaded, state);
        assert_eq!(loaded.done_pieces().collect::<Vec<_>>(), [0, 2]);
        state.set_unsynced(&[true, true, true]);
        assert_eq!(state.unsynced_pieces().collect::<Vec<_>>(), [1]);
        state.set_done(&[true, true, true]);
        assert_eq!(state.unsynced_pieces().count(), 0);
        assert!(!dir.join("x.braid-state.tmp").exists());
        let mut spec = crate::engine::JobSpec {
            source: "a.meta4".into(),
            name: "x".into(),
            dir: dir.clone(),
            size: Some(300),
            hashes: Vec::new(),
            pieces: None,
            urls: Vec::new(),
            overwrite: false,
            rate_limit: None,
            ..Default::default()
        };
        state.save(&path).unwrap();
        let stored = stored_progress(&spec).unwrap();
        assert_eq!(stored.done, 300, "every piece is done");
        assert_eq!(stored.pieces.len(), 3);
        spec.size = Some(301);
        assert_eq!(
            stored_progress(&spec),
            None,
            "another file's state is not shown"
        );
        fs::write(&path, b"{\"version\": 1, \"si").unwrap();
        assert_eq!(ResumeState::load(&path), None);
        fs::remove_dir_all(&dir).unwrap();
    }
}
