//! The part file: positional writes while downloading, then fsync and an atomic rename
//! to the final name once the file is verified. Nothing is ever written outside the
//! chosen directory: names are checked by `metalink::names`, and no directory on the way
//! may be a symbolic link.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Component, Path, PathBuf};

use super::{DiskError, JobError};
use crate::metalink::names::UnsafeName;

/// Where a download lives: `<dir>/<name>` when done, `<name>.part` and
/// `<name>.braid-state` beside it until then.
#[derive(Debug, Clone)]
pub struct Paths {
    pub target: PathBuf,
    pub part: PathBuf,
    pub state: PathBuf,
}

impl Paths {
    /// Joins a checked relative name under `dir`, refusing anything that would leave it.
    pub fn new(dir: &Path, name: &str) -> Result<Self, JobError> {
        let unsafe_name = |reason| JobError::UnsafeName {
            name: name.to_owned(),
            reason,
        };
        crate::metalink::names::check(name).map_err(unsafe_name)?;
        let relative = Path::new(name);
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            // `check` refuses these already; a platform may still see a prefix.
            return Err(unsafe_name(UnsafeName::Absolute));
        }
        let target = dir.join(relative);
        let with_suffix = |suffix: &str| {
            let mut os = target.clone().into_os_string();
            os.push(suffix);
            PathBuf::from(os)
        };
        Ok(Paths {
            part: with_suffix(".part"),
            state: with_suffix(".braid-state"),
            target,
        })
    }
}

/// Creates the directories between `dir` and `path`, one by one, refusing symbolic links
/// so a planted link cannot redirect a download elsewhere. Other downloads may create
/// the same directories at the same time: one that appears meanwhile is checked like
/// one that was there.
pub fn create_parents(dir: &Path, path: &Path) -> Result<(), DiskError> {
    let relative = path
        .strip_prefix(dir)
        .map_err(|e| DiskError::io(path, io::Error::other(e)))?;
    let mut current = dir.to_path_buf();
    fs::create_dir_all(&current).map_err(|e| DiskError::io(&current, e))?;
    let components: Vec<_> = relative.components().collect();
    for component in &components[..components.len().saturating_sub(1)] {
        current.push(component);
        match fs::create_dir(&current) {
            Ok(()) => continue,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(DiskError::io(&current, e)),
        }
        // It was there (or another download made it just now): it must be a real
        // directory, not a link planted to lead the download elsewhere.
        let meta = fs::symlink_metadata(&current).map_err(|e| DiskError::io(&current, e))?;
        if meta.file_type().is_symlink() {
            return Err(DiskError::Symlink { path: current });
        }
        if !meta.is_dir() {
            return Err(DiskError::NotADirectory { path: current });
        }
    }
    Ok(())
}

/// Bytes the file takes on disk: its blocks where the system says, else its length.
pub fn bytes_on_disk(path: &Path) -> u64 {
    let Ok(meta) = fs::metadata(path) else {
        return 0;
    };
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::blocks(&meta) * 512
    }
    #[cfg(not(unix))]
    {
        meta.len()
    }
}

/// Free bytes where `dir` is or will be (its nearest existing parent), if the system says.
pub fn free_space(dir: &Path) -> Option<u64> {
    let existing = dir.ancestors().find(|d| d.exists())?;
    fs4::available_space(existing).ok()
}

/// Free space for `needed` more bytes in `dir`. The part file is sparse, so without
/// this a full disk would only show part-way through. When the system cannot tell, the
/// download goes ahead.
pub fn room_for(dir: &Path, needed: u64) -> Result<(), DiskError> {
    match free_space(dir) {
        Some(free) if free < needed => Err(DiskError::NoSpace {
            dir: dir.to_path_buf(),
            needed,
            free,
        }),
        _ => Ok(()),
    }
}

/// An open part file.
pub struct PartFile {
    file: File,
}

impl PartFile {
    /// Opens (or creates) the part file and locks it for this process, before anything
    /// of the download is read or written: two Braids (the window and `braid get`, say)
    /// must never write the same file. Fails with `Locked` when another holds it.
    pub fn claim(path: &Path) -> Result<Self, DiskError> {
        if let Ok(meta) = fs::symlink_metadata(path)
            && meta.file_type().is_symlink()
        {
            return Err(DiskError::Symlink {
                path: path.to_path_buf(),
            });
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| DiskError::io(path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(PartFile { file }),
            Err(TryLockError::WouldBlock) => Err(DiskError::Locked {
                path: path.to_path_buf(),
            }),
            // Some network file systems have no locks; go on without.
            Err(TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {
                Ok(PartFile { file })
            }
            Err(TryLockError::Error(e)) => Err(DiskError::io(path, e)),
        }
    }

    /// Gives the file its final length, sparse where the file system allows, so
    /// nothing is zero-filled up front; `fresh` drops what was there first.
    pub fn prepare(&self, size: u64, fresh: bool) -> io::Result<()> {
        if fresh {
            self.file.set_len(0)?;
        }
        self.file.set_len(size)
    }

    pub fn write_at(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        positional::write_all_at(&self.file, data, offset)
    }

    pub fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        positional::read_exact_at(&self.file, buf, offset)
    }

    /// Reads its first `len` bytes through its own handle (on Windows another handle
    /// may not read a locked file).
    pub fn reader(&self, len: u64) -> PartReader<'_> {
        PartReader {
            part: self,
            offset: 0,
            len,
        }
    }

    pub fn sync(&self) -> io::Result<()> {
        self.file.sync_data()
    }

    /// Flushes the data and moves the part file to its final name.
    pub fn finish(self, paths: &Paths) -> io::Result<()> {
        self.file.sync_all()?;
        drop(self.file);
        fs::rename(&paths.part, &paths.target)?;
        sync_parent(&paths.target);
        Ok(())
    }
}

/// Makes a rename durable by syncing the directory that holds it (Unix only).
/// A part file read from the start, e.g. to check a signature before it is placed.
pub struct PartReader<'a> {
    part: &'a PartFile,
    offset: u64,
    len: u64,
}

impl io::Read for PartReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (self.len - self.offset).min(buf.len() as u64) as usize;
        if n > 0 {
            self.part.read_at(self.offset, &mut buf[..n])?;
            self.offset += n as u64;
        }
        Ok(n)
    }
}

pub fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(parent) = path.parent()
        && let Ok(dir) = File::open(parent)
    {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(unix)]
mod positional {
    use std::fs::File;
    use std::io;
    use std::os::unix::fs::FileExt;

    pub fn write_all_at(file: &File, data: &[u8], offset: u64) -> io::Result<()> {
        file.write_all_at(data, offset)
    }

    pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
        file.read_exact_at(buf, offset)
    }
}

#[cfg(windows)]
mod positional {
    use std::fs::File;
    use std::io;
    use std::os::windows::fs::FileExt;

    pub fn write_all_at(file: &File, mut data: &[u8], mut offset: u64) -> io::Result<()> {
        while !data.is_empty() {
            let n = file.seek_write(data, offset)?;
            data = &data[n..];
            offset += n as u64;
        }
        Ok(())
    }

    pub fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
        while !buf.is_empty() {
            let n = file.seek_read(buf, offset)?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            buf = &mut buf[n..];
            offset += n as u64;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_directory() {
        let dir = Path::new("/downloads");
        let p = Paths::new(dir, "iso/disc1.iso").unwrap();
        assert_eq!(p.target, Path::new("/downloads/iso/disc1.iso"));
        assert_eq!(p.part, Path::new("/downloads/iso/disc1.iso.part"));
        assert_eq!(p.state, Path::new("/downloads/iso/disc1.iso.braid-state"));
        for bad in ["../x", "/etc/passwd", "a/../../b", "..\\x"] {
            assert!(Paths::new(dir, bad).is_err(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_directories_are_refused() {
        let tmp = std::env::temp_dir().join(format!("braid-storage-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(tmp.join("elsewhere")).unwrap();
        std::os::unix::fs::symlink(tmp.join("elsewhere"), tmp.join("link")).unwrap();
        let target = tmp.join("link/file");
        let err = create_parents(&tmp, &target).unwrap_err();
        assert_eq!(
            err,
            DiskError::Symlink {
                path: tmp.join("link")
            }
        );
        create_parents(&tmp, &tmp.join("real/sub/file")).unwrap();
        assert!(tmp.join("real/sub").is_dir());
        fs::write(tmp.join("plain"), b"").unwrap();
        assert_eq!(
            create_parents(&tmp, &tmp.join("plain/file")).unwrap_err(),
            DiskError::NotADirectory {
                path: tmp.join("plain")
            }
        );
        fs::remove_dir_all(&tmp).unwrap();
    }

    /// Parents that other downloads create at the same moment are success, not
    /// "File exists".
    #[test]
    fn parents_made_at_once_by_many_are_fine() {
        let tmp = std::env::temp_dir().join(format!("braid-parents-{}", std::process::id()));
        for round in 0..20 {
            let dir = tmp.join(round.to_string());
            let threads: Vec<_> = (0..16)
                .map(|i| {
                    let dir = dir.clone();
                    std::thread::spawn(move || {
                        create_parents(&dir, &dir.join(format!("deep/er/dir/f-{i}.bin")))
                    })
                })
                .collect();
            for thread in threads {
                thread.join().unwrap().unwrap();
            }
            assert!(dir.join("deep/er/dir").is_dir());
        }
        fs::remove_dir_all(&tmp).unwrap();
    }
}
