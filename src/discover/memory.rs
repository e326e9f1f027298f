//! Braid's own memory of which mirrors carry which file: every metalink and every
//! `Link: rel=duplicate` Braid sees teaches it digest → mirrors, so that a later plain
//! URL whose digest becomes known (from `SHA256SUMS`, say) gets those mirrors too.
//!
//! It is a small JSON file in the per-user data folder, bounded in files, in mirrors per
//! file and in size, with the time each mirror was last seen. Several Braids (a window
//! and `braid get`) may learn at once: learning locks the file, reads it, merges and
//! replaces it atomically; reading needs no lock. Passwords are never remembered.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::metalink::{Hash, HashAlgorithm, MirrorUrl};

/// Files remembered; the ones seen longest ago are forgotten first.
pub const MAX_FILES: usize = 1024;
/// Mirrors remembered per file; the ones seen longest ago are forgotten first.
pub const MAX_MIRRORS: usize = 32;
/// Files learned from one document (a metalink can list thousands).
const MAX_FILES_PER_SIGHTING: usize = 64;
/// A memory file larger than this is not read (it was not written by Braid).
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// A file as Braid remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// The name it was last seen under.
    pub name: String,
    pub size: Option<u64>,
    /// At most one per algorithm.
    pub hashes: Vec<Hash>,
    /// Newest first.
    pub mirrors: Vec<Remembered>,
    /// When it was last seen (Unix seconds).
    pub last_seen: i64,
}

/// A mirror of a remembered file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// When Braid last saw this mirror carry the file (Unix seconds).
    pub last_seen: i64,
}

/// One thing seen that names mirrors of a file with its digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    pub name: String,
    pub size: Option<u64>,
    pub hashes: Vec<Hash>,
    pub urls: Vec<MirrorUrl>,
}

impl Sighting {
    /// Every file of a metalink that has a whole-file hash (up to a bound).
    pub fn from_document(document: &crate::metalink::Document) -> Vec<Sighting> {
        document
            .files
            .iter()
            .filter(|f| !f.hashes.is_empty() && !f.urls.is_empty())
            .take(MAX_FILES_PER_SIGHTING)
            .map(|f| Sighting {
                name: f.name.clone(),
                size: f.size,
                hashes: f.hashes.clone(),
                urls: crate::metalink::select::ordered_urls(f, &[])
                    .into_iter()
                    .cloned()
                    .collect(),
            })
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not Braid's memory (or was damaged); learning keeps it aside.
    #[error("{}: not readable as Braid's mirror memory ({reason})", .path.display())]
    Damaged { path: PathBuf, reason: String },
}

/// The memory file.
#[derive(Debug, Clone)]
pub struct Memory {
    path: PathBuf,
}

impl Memory {
    /// The memory in the per-user data folder.
    pub fn in_data_dir() -> Memory {
        Memory::at(crate::platform::paths::data_dir().join("mirrors.json"))
    }

    pub fn at(path: impl Into<PathBuf>) -> Memory {
        Memory { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file with any of these digests, if Braid has seen it.
    pub fn lookup(&self, hashes: &[Hash]) -> Result<Option<Known>, MemoryError> {
        let files = self.read()?;
        Ok(files.into_iter().find(|k| same_file(&k.hashes, hashes)))
    }

    /// Remembers what was seen at `now` (Unix seconds).
    pub fn learn(&self, sightings: &[Sighting], now: i64) -> Result<(), MemoryError> {
        let sightings: Vec<Sighting> = sightings.iter().filter_map(|s| clean(s.clone())).collect();
        if sightings.is_empty() {
            return Ok(());
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| self.io(source))?;
        }
        let lock_path = self.path.with_extension("json.lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| MemoryError::Io {
                path: lock_path.clone(),
                source,
            })?;
        lock.lock().map_err(|source| MemoryError::Io {
            path: lock_path,
            source,
        })?;
        let mut files = match self.read() {
            Ok(files) => files,
            Err(MemoryError::Damaged { .. }) => {
                // Kept for whoever wants to look; the memory starts afresh.
                let _ = std::fs::rename(&self.path, self.path.with_extension("json.damaged"));
                Vec::new()
            }
            Err(other) => return Err(other),
        };
        for sighting in sightings {
            merge(&mut files, sighting, now);
        }
        files.sort_by_key(|k| std::cmp::Reverse(k.last_seen));
        files.truncate(MAX_FILES);
        self.write(&files)
    }

    fn read(&self) -> Result<Vec<Known>, MemoryError> {
        let file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(self.io(source)),
        };
        let length = file.metadata().map_err(|source| self.io(source))?.len();
        if length > MAX_BYTES {
            return Err(self.damaged(format!("larger than {MAX_BYTES} bytes")));
        }
        let stored: Stored = serde_json::from_reader(std::io::BufReader::new(file))
            .map_err(|e| self.damaged(e.to_string()))?;
        stored
            .files
            .into_iter()
            .map(|f| f.into_known())
            .collect::<Result<_, _>>()
            .map_err(|reason| self.damaged(reason))
    }

    fn write(&self, files: &[Known]) -> Result<(), MemoryError> {
        let stored = Stored {
            version: 1,
            files: files.iter().map(StoredFile::from_known).collect(),
        };
        let text = serde_json::to_vec(&stored).expect("the memory serializes");
        let temp = self.path.with_extension("json.tmp");
        std::fs::write(&temp, text).map_err(|source| self.io(source))?;
        std::fs::rename(&temp, &self.path).map_err(|source| self.io(source))
    }

    fn io(&self, source: std::io::Error) -> MemoryError {
        MemoryError::Io {
            path: self.path.clone(),
            source,
        }
    }

    fn damaged(&self, reason: String) -> MemoryError {
        MemoryError::Damaged {
            path: self.path.clone(),
            reason,
        }
    }
}

/// The sighting without what must not be remembered: URLs with credentials, other
/// schemes than http, https and ftp, and mirrors beyond the bound.
fn clean(mut sighting: Sighting) -> Option<Sighting> {
    sighting.urls.retain(|u| {
        url::Url::parse(&u.url).is_ok_and(|url| {
            matches!(url.scheme(), "http" | "https" | "ftp")
                && url.username().is_empty()
                && url.password().is_none()
        })
    });
    sighting.urls.truncate(MAX_MIRRORS);
    (!sighting.hashes.is_empty() && !sighting.urls.is_empty()).then_some(sighting)
}

/// Whether two hash lists describe the same file: they share a digest, and no
/// algorithm both have differs.
fn same_file(a: &[Hash], b: &[Hash]) -> bool {
    let mut shared = false;
    for x in a {
        for y in b.iter().filter(|y| y.algorithm == x.algorithm) {
            if x.digest != y.digest {
                return false;
            }
            shared = true;
        }
    }
    shared
}

fn merge(files: &mut Vec<Known>, sighting: Sighting, now: i64) {
    let index = match files
        .iter()
        .position(|k| same_file(&k.hashes, &sighting.hashes))
    {
        Some(index) => index,
        None => {
            files.push(Known {
                name: sighting.name.clone(),
                size: sighting.size,
                hashes: Vec::new(),
                mirrors: Vec::new(),
                last_seen: now,
            });
            files.len() - 1
        }
    };
    let known = &mut files[index];
    known.name = sighting.name;
    known.size = sighting.size.or(known.size);
    known.last_seen = now;
    for hash in sighting.hashes {
        if known.hashes.iter().all(|h| h.algorithm != hash.algorithm) {
            known.hashes.push(hash);
        }
    }
    known.hashes.sort_by_key(|h| h.algorithm);
    for url in sighting.urls {
        match known.mirrors.iter_mut().find(|m| m.url == url.url) {
            Some(mirror) => {
                mirror.last_seen = now;
                mirror.location = url.location.or(mirror.location.take());
            }
            None => known.mirrors.push(Remembered {
                url: url.url,
                location: url.location,
                last_seen: now,
            }),
        }
    }
    // Newest first; among equals, the order they were first seen in.
    known
        .mirrors
        .sort_by_key(|m| std::cmp::Reverse(m.last_seen));
    known.mirrors.truncate(MAX_MIRRORS);
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    files: Vec<StoredFile>,
}

/// A file as written: digests as `sha-256:hex`, which people can read and grep.
#[derive(Serialize, Deserialize)]
struct StoredFile {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
    hashes: Vec<String>,
    mirrors: Vec<Remembered>,
    last_seen: i64,
}

impl StoredFile {
    fn from_known(known: &Known) -> StoredFile {
        StoredFile {
            name: known.name.clone(),
            size: known.size,
            hashes: known
                .hashes
                .iter()
                .map(|h| format!("{}:{}", h.algorithm, h.hex()))
                .collect(),
            mirrors: known.mirrors.clone(),
            last_seen: known.last_seen,
        }
    }

    fn into_known(self) -> Result<Known, String> {
        let hashes = self
            .hashes
            .iter()
            .map(|text| {
                let (name, hex) = text
                    .split_once(':')
                    .ok_or_else(|| format!("'{text}' is not algorithm:hex"))?;
                let algorithm = HashAlgorithm::from_iana(name)
                    .ok_or_else(|| format!("unknown algorithm '{name}'"))?;
                Hash::from_hex(algorithm, hex).map_err(|e| format!("'{text}': {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Known {
            name: self.name,
            size: self.size,
            hashes,
            mirrors: self.mirrors,
            last_seen: self.last_seen,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> Memory {
        let dir = std::env::temp_dir().join(format!("braid-memory-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Memory::at(dir.join("mirrors.json"))
    }

    fn sha(byte: u8) -> Hash {
        Hash {
            algorithm: HashAlgorithm::Sha256,
            digest: vec![byte; 32],
        }
    }

    fn md5(byte: u8) -> Hash {
        Hash {
            algorithm: HashAlgorithm::Md5,
            digest: vec![byte; 16],
        }
    }

    fn url(text: &str) -> MirrorUrl {
        MirrorUrl {
            url: text.into(),
            priority: 1,
            location: None,
            max_connections: None,
        }
    }

    fn seen(hashes: Vec<Hash>, urls: &[&str]) -> Sighting {
        Sighting {
            name: "a.iso".into(),
            size: Some(10),
            hashes,
            urls: urls.iter().map(|u| url(u)).collect(),
        }
    }

    #[test]
    fn learns_and_finds_by_any_digest() {
        let memory = temp("find");
        assert_eq!(memory.lookup(&[sha(1)]).unwrap(), None, "nothing yet");
        memory
            .learn(
                &[seen(
                    vec![md5(1), sha(1)],
                    &["http://a/a.iso", "ftp://b/a.iso"],
                )],
                100,
            )
            .unwrap();
        memory
            .learn(
                &[seen(vec![sha(1)], &["http://c/a.iso", "http://a/a.iso"])],
                200,
            )
            .unwrap();
        let known = memory.lookup(&[md5(1)]).unwrap().unwrap();
        assert_eq!(known.hashes, [md5(1), sha(1)]);
        let urls: Vec<_> = known
            .mirrors
            .iter()
            .map(|m| (m.url.as_str(), m.last_seen))
            .collect();
        assert_eq!(
            urls,
            [
                ("http://a/a.iso", 200),
                ("http://c/a.iso", 200),
                ("ftp://b/a.iso", 100)
            ]
        );
        assert_eq!(memory.lookup(&[sha(2)]).unwrap(), None);
        // A same-algorithm digest that differs is another file, whatever else matches.
        assert_eq!(memory.lookup(&[md5(1), sha(2)]).unwrap(), None);
    }

    #[test]
    fn passwords_and_other_schemes_are_not_remembered() {
        let memory = temp("secrets");
        memory
            .learn(
                &[seen(
                    vec![sha(3)],
                    &[
                        "http://user:secret@a/a.iso",
                        "magnet:?xt=urn:x",
                        "https://b/a.iso",
                    ],
                )],
                1,
            )
            .unwrap();
        let text = std::fs::read_to_string(memory.path()).unwrap();
        assert!(!text.contains("secret"), "{text}");
        let known = memory.lookup(&[sha(3)]).unwrap().unwrap();
        assert_eq!(known.mirrors.len(), 1);
    }

    #[test]
    fn bounded_in_files_and_mirrors() {
        let memory = temp("bounds");
        let many: Vec<String> = (0..MAX_MIRRORS + 10)
            .map(|i| format!("http://m{i}/a.iso"))
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        memory.learn(&[seen(vec![sha(0)], &many)], 1).unwrap();
        assert_eq!(
            memory.lookup(&[sha(0)]).unwrap().unwrap().mirrors.len(),
            MAX_MIRRORS
        );
        let sightings: Vec<Sighting> = (0..MAX_FILES as u32 + 5)
            .map(|i| {
                let mut digest = vec![0; 32];
                digest[..4].copy_from_slice(&i.to_be_bytes());
                digest[31] = 1;
                seen(
                    vec![Hash {
                        algorithm: HashAlgorithm::Sha256,
                        digest,
                    }],
                    &["http://x/a.iso"],
                )
            })
            .collect();
        memory.learn(&sightings, 2).unwrap();
        let stored: Stored =
            serde_json::from_slice(&std::fs::read(memory.path()).unwrap()).unwrap();
        assert_eq!(stored.files.len(), MAX_FILES);
        assert!(
            memory.lookup(&[sha(0)]).unwrap().is_none(),
            "the oldest file is forgotten first"
        );
    }

    #[test]
    fn a_damaged_memory_is_kept_aside_and_started_afresh() {
        let memory = temp("damaged");
        std::fs::create_dir_all(memory.path().parent().unwrap()).unwrap();
        std::fs::write(memory.path(), b"{not json").unwrap();
        assert!(matches!(
            memory.lookup(&[sha(1)]),
            Err(MemoryError::Damaged { .. })
        ));
        memory
            .learn(&[seen(vec![sha(1)], &["http://a/a.iso"])], 5)
            .unwrap();
        assert!(memory.lookup(&[sha(1)]).unwrap().is_some());
        assert_eq!(
            std::fs::read(memory.path().with_extension("json.damaged")).unwrap(),
            b"{not json"
        );
    }
}
