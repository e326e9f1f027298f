//! Braid's own keyring: one armored public key per file (`FINGERPRINT.asc`) in a folder
//! under the data dir, so adding and removing a key is one atomic file operation and a
//! damaged file costs one key, not the keyring.

use std::path::{Path, PathBuf};

use pgp::composed::{ArmorOptions, SignedPublicKey};

use super::keyring::{self, KeyInfo, Keyring, Origin};
use super::validity;

/// The biggest key file Braid reads (a key with many signatures is a few hundred KiB).
pub const MAX_KEY_FILE: u64 = 16 * 1024 * 1024;

/// Braid's own keyring folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStore {
    dir: PathBuf,
}

/// What importing did with one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub key: KeyInfo,
    pub change: Change,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    New,
    /// It was there; the import brought new signatures, user IDs or subkeys (a later
    /// expiry, a revocation…).
    Updated,
    Unchanged,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no OpenPGP public key in it ({0})")]
    NotKeys(String),
    #[error("key {fingerprint} has no valid self-signature; it was not imported")]
    NotSelfSigned { fingerprint: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: too big for a key file", path.display())]
    TooBig { path: PathBuf },
}

/// Whether the file at `path` holds OpenPGP public keys, armored (`-----BEGIN PGP
/// PUBLIC KEY BLOCK-----`) or binary (it opens with a public-key packet), judged from
/// its first bytes: what the window imports when such a file is dropped or pasted.
pub fn looks_like_key_file(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 1024];
    let Ok(read) = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) else {
        return false;
    };
    let head = &head[..read];
    let text = String::from_utf8_lossy(head);
    if text
        .trim_start()
        .starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----")
    {
        return true;
    }
    // Packet tag 6 (public key): old format 0b10_0110_xx, new format 0b11_000110.
    matches!(head.first(), Some(0x98..=0x9a | 0xc6))
}

/// A key file's bytes, at most [`MAX_KEY_FILE`].
pub fn read_key_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_KEY_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_KEY_FILE {
        return Err(ImportError::TooBig {
            path: path.to_path_buf(),
        });
    }
    Ok(bytes)
}

#[derive(Debug, thiserror::Error)]
pub enum RemoveError {
    #[error("no key {0} in Braid's keyring")]
    NotFound(String),
    #[error("'{handle}' is more than one key: {}", matches.join(", "))]
    Ambiguous {
        handle: String,
        matches: Vec<String>,
    },
    #[error("'{0}' is not a fingerprint (give at least its last 16 hex digits)")]
    NotAFingerprint(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A key file in the store that cannot be read: skipped, and said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    pub path: PathBuf,
    pub why: String,
}

impl KeyStore {
    pub fn new(dir: impl Into<PathBuf>) -> KeyStore {
        KeyStore { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path_of(&self, fingerprint: &str) -> PathBuf {
        self.dir.join(format!("{fingerprint}.asc"))
    }

    /// Imports every public key in `bytes` (armored or binary; of a secret key only the
    /// public part), merging with a copy already there.
    pub fn import(&self, bytes: &[u8]) -> Result<Vec<Imported>, ImportError> {
        let keys = keyring::parse_keys(bytes).map_err(ImportError::NotKeys)?;
        // Check all before writing any, so a bad key leaves the keyring as it was.
        for key in &keys {
            if validity::primary(key).is_none() {
                return Err(ImportError::NotSelfSigned {
                    fingerprint: validity::fingerprint(&key.primary_key),
                });
            }
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ImportError::Io { path, source }
        };
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let mut imported = Vec::new();
        for key in keys {
            let fingerprint = validity::fingerprint(&key.primary_key);
            let path = self.path_of(&fingerprint);
            let old = std::fs::read(&path)
                .ok()
                .and_then(|b| keyring::parse_keys(&b).ok())
                .and_then(|k| k.into_iter().next());
            let (key, change) = match old {
                None => (key, Change::New),
                Some(old) => {
                    let merged = merge(old.clone(), key);
                    let change = if merged == old {
                        Change::Unchanged
                    } else {
                        Change::Updated
                    };
                    (merged, change)
                }
            };
            if change != Change::Unchanged {
                let armored = key
                    .to_armored_bytes(ArmorOptions::default())
                    .map_err(|e| ImportError::NotKeys(e.to_string()))?;
                write_atomically(&path, &armored).map_err(io(&path))?;
            }
            imported.push(Imported {
                key: KeyInfo::of(&key, Origin::Braid),
                change,
            });
        }
        Ok(imported)
    }

    /// The keys in the store, and the files that could not be read.
    pub fn load(&self) -> Result<(Keyring, Vec<Damaged>), StoreError> {
        let mut ring = Keyring::new();
        let mut damaged = Vec::new();
        for path in self.files()? {
            let result = std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|bytes| Keyring::from_bytes(&bytes, Origin::Braid));
            match result {
                Ok(keys) => ring.extend(keys),
                Err(why) => damaged.push(Damaged { path, why }),
            }
        }
        Ok((ring, damaged))
    }

    /// The keys in the store, by user ID.
    pub fn list(&self) -> Result<Vec<KeyInfo>, StoreError> {
        let (ring, _) = self.load()?;
        let mut keys = ring.keys();
        keys.sort_by(|a, b| {
            a.user()
                .cmp(&b.user())
                .then(a.fingerprint.cmp(&b.fingerprint))
        });
        Ok(keys)
    }

    /// Removes the key with this fingerprint (or the last 16+ hex digits of it).
    pub fn remove(&self, handle: &str) -> Result<KeyInfo, RemoveError> {
        let wanted = keyring::normalize_handle(handle);
        if wanted.len() < 16 || !wanted.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(RemoveError::NotAFingerprint(handle.to_owned()));
        }
        let matches: Vec<KeyInfo> = self
            .list()?
            .into_iter()
            .filter(|k| k.fingerprint.ends_with(&wanted))
            .collect();
        match matches.as_slice() {
            [] => Err(RemoveError::NotFound(handle.to_owned())),
            [key] => {
                let path = self.path_of(&key.fingerprint);
                std::fs::remove_file(&path).map_err(|source| StoreError::Io { path, source })?;
                Ok(key.clone())
            }
            many => Err(RemoveError::Ambiguous {
                handle: handle.to_owned(),
                matches: many.iter().map(|k| k.fingerprint.clone()).collect(),
            }),
        }
    }

    fn files(&self) -> Result<Vec<PathBuf>, StoreError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(StoreError::Io {
                    path: self.dir.clone(),
                    source,
                });
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "asc"))
            .collect();
        files.sort();
        Ok(files)
    }
}

/// The union of two copies of one key: every signature, user ID and subkey either has.
fn merge(mut into: SignedPublicKey, from: SignedPublicKey) -> SignedPublicKey {
    fn union<T: PartialEq>(into: &mut Vec<T>, from: Vec<T>) {
        for item in from {
            if !into.contains(&item) {
                into.push(item);
            }
        }
    }
    union(
        &mut into.details.revocation_signatures,
        from.details.revocation_signatures,
    );
    union(
        &mut into.details.direct_signatures,
        from.details.direct_signatures,
    );
    for user in from.details.users {
        match into.details.users.iter_mut().find(|u| u.id == user.id) {
            Some(known) => union(&mut known.signatures, user.signatures),
            None => into.details.users.push(user),
        }
    }
    for subkey in from.public_subkeys {
        match into.public_subkeys.iter_mut().find(|s| s.key == subkey.key) {
            Some(known) => union(&mut known.signatures, subkey.signatures),
            None => into.public_subkeys.push(subkey),
        }
    }
    into
}

/// Temp file, fsync, rename: a crash leaves the old key or the new one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let temp = path.with_extension("asc.tmp");
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temp, path)
}
