//! Where trusted keys come from: Braid's own keyring, and read-only, each switchable, the
//! user's GnuPG public keys and the distribution's keyrings. A source that fails (gpg
//! hangs, a keyring file is damaged) costs its keys and says why; it never stops a
//! check.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::keyring::{Keyring, Origin};
use super::store::{KeyStore, MAX_KEY_FILE};

/// Where distributions keep the keys their packages and images are signed with: Debian
/// and Ubuntu, Fedora and RHEL, Arch.
pub const SYSTEM_KEYRING_DIRS: [&str; 3] = [
    "/usr/share/keyrings",
    "/etc/pki/rpm-gpg",
    "/usr/share/pacman/keyrings",
];

/// How long `gpg --export` may take before its keys are left out.
const GPG_TIMEOUT: Duration = Duration::from_secs(10);

/// Which keys to trust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySources {
    /// Braid's own keyring (always used).
    pub store: KeyStore,
    /// The user's GnuPG public keys, through `gpg --export`, when gpg is installed.
    pub gnupg: bool,
    /// Folders of distribution keyrings (`*.gpg`, `*.asc`, `*.pgp`, `RPM-GPG-KEY-*`);
    /// empty for none.
    pub system: Vec<PathBuf>,
}

/// A source whose keys could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceProblem {
    /// `gpg`, or a file's path.
    pub source: String,
    pub why: String,
}

impl KeySources {
    /// Braid's keyring in `store`, plus GnuPG's and the system's as switched.
    pub fn new(store: KeyStore, gnupg: bool, system: bool) -> KeySources {
        KeySources {
            store,
            gnupg,
            system: if system {
                SYSTEM_KEYRING_DIRS.iter().map(PathBuf::from).collect()
            } else {
                Vec::new()
            },
        }
    }

    /// Only Braid's own keyring.
    pub fn only(store: KeyStore) -> KeySources {
        KeySources {
            store,
            gnupg: false,
            system: Vec::new(),
        }
    }

    /// Every key from every source that is on: Braid's first (its copy of a key wins),
    /// then GnuPG's, then the system's.
    pub fn load(&self) -> (Keyring, Vec<SourceProblem>) {
        let mut ring = Keyring::new();
        let mut problems = Vec::new();
        match self.store.load() {
            Ok((keys, damaged)) => {
                ring.extend(keys);
                problems.extend(damaged.into_iter().map(|d| SourceProblem {
                    source: d.path.display().to_string(),
                    why: d.why,
                }));
            }
            Err(e) => problems.push(SourceProblem {
                source: self.store.dir().display().to_string(),
                why: e.to_string(),
            }),
        }
        if self.gnupg {
            match gnupg_keys() {
                Ok(Some(keys)) => ring.extend(keys),
                Ok(None) => {}
                Err(why) => problems.push(SourceProblem {
                    source: "gpg".into(),
                    why,
                }),
            }
        }
        for dir in &self.system {
            let (keys, trouble) = system_keys(dir);
            ring.extend(keys);
            problems.extend(trouble);
        }
        (ring, problems)
    }
}

/// Whether `gpg` can be run here (Settings greys out the switch when not).
pub fn gnupg_installed() -> bool {
    Command::new("gpg")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The user's GnuPG public keys (`GNUPGHOME` is honoured, as gpg does); `None` when gpg
/// is not installed or has no keys.
fn gnupg_keys() -> Result<Option<Keyring>, String> {
    let mut child = match Command::new("gpg")
        .args(["--batch", "--no-tty", "--quiet", "--export"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("could not run gpg: {e}")),
    };
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let read = (&mut stdout).take(MAX_KEY_FILE * 4).read_to_end(&mut bytes);
        read.map(|_| bytes)
    });
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + GPG_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "gpg --export took longer than {} s; its keys are left out",
                    GPG_TIMEOUT.as_secs()
                ));
            }
            Err(e) => return Err(format!("gpg: {e}")),
        }
    };
    let bytes = reader
        .join()
        .map_err(|_| "gpg's output could not be read".to_owned())?
        .map_err(|e| format!("gpg's output could not be read: {e}"))?;
    let errors = errors.join().unwrap_or_default();
    if !status.success() {
        let said = errors.lines().last().unwrap_or("").trim();
        return Err(format!("gpg --export failed ({status}): {said}"));
    }
    if bytes.is_empty() {
        return Ok(None);
    }
    Keyring::from_bytes(&bytes, Origin::GnuPg).map(Some)
}

/// Whether a file in a keyring folder looks like a key file.
fn is_key_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with("RPM-GPG-KEY-")
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "gpg" | "asc" | "pgp"))
}

/// The keys in a folder of keyring files; a missing folder has none.
fn system_keys(dir: &Path) -> (Keyring, Vec<SourceProblem>) {
    let mut ring = Keyring::new();
    let mut problems = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (ring, problems);
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_key_file(p))
        .collect();
    files.sort();
    for path in files {
        let read = std::fs::File::open(&path).and_then(|f| {
            let mut bytes = Vec::new();
            f.take(MAX_KEY_FILE).read_to_end(&mut bytes).map(|_| bytes)
        });
        let keys = read
            .map_err(|e| e.to_string())
            .and_then(|bytes| Keyring::from_bytes(&bytes, Origin::System(path.clone())));
        match keys {
            Ok(keys) => ring.extend(keys),
            Err(why) => problems.push(SourceProblem {
                source: path.display().to_string(),
                why,
            }),
        }
    }
    (ring, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_files_are_told_by_their_names() {
        assert!(is_key_file(Path::new(
            "/usr/share/keyrings/debian-archive-keyring.gpg"
        )));
        assert!(is_key_file(Path::new(
            "/etc/pki/rpm-gpg/RPM-GPG-KEY-fedora-40-x86_64"
        )));
        assert!(is_key_file(Path::new("/x/y.asc")));
        assert!(!is_key_file(Path::new("/usr/share/keyrings/README")));
    }

    #[test]
    fn a_missing_folder_has_no_keys_and_no_problem() {
        let (ring, problems) = system_keys(Path::new("/nonexistent/braid-keyrings"));
        assert!(ring.is_empty());
        assert!(problems.is_empty());
    }
}
