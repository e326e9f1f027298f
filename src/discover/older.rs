//! An older copy of a file in the download folder: last month's ISO beside this month's
//! name, yesterday's daily build. Names of one family differ only in their numbers
//! (versions, dates, build counts): `ubuntu-24.04.1-desktop-amd64.iso` and
//! `ubuntu-24.04.2-desktop-amd64.iso`, `openSUSE-Tumbleweed-DVD-x86_64-Snapshot20261115-Media.iso`
//! and its next snapshot.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Files smaller than this are not worth scanning as a seed.
const MIN_SEED_BYTES: u64 = 64 * 1024;
/// Folder entries looked at, at most.
const MAX_ENTRIES: usize = 10_000;

/// The family of a file name: lower case, every run of digits as `#`.
pub fn family(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_digits = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

/// Files in `dir` of the same family as `name` (not `name` itself, nor Braid's own part
/// and state files), the most alike and newest first.
pub fn older_copies(dir: &Path, name: &str) -> Vec<PathBuf> {
    let wanted = family(name);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(usize, SystemTime, PathBuf)> = entries
        .take(MAX_ENTRIES)
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let file_name = entry.file_name().into_string().ok()?;
            if file_name == name
                || file_name.ends_with(".part")
                || file_name.ends_with(".braid-state")
                || family(&file_name) != wanted
            {
                return None;
            }
            let meta = entry.metadata().ok()?;
            if !meta.is_file() || meta.len() < MIN_SEED_BYTES {
                return None;
            }
            let alike = common_prefix(&file_name, name);
            Some((alike, meta.modified().ok()?, entry.path()))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    found.into_iter().map(|(_, _, path)| path).collect()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_differ_only_in_numbers() {
        assert_eq!(
            family("ubuntu-24.04.1-desktop-amd64.iso"),
            family("Ubuntu-24.04.2-desktop-amd64.iso")
        );
        assert_eq!(
            family("openSUSE-Tumbleweed-DVD-x86_64-Snapshot20261115-Media.iso"),
            family("openSUSE-Tumbleweed-DVD-x86_64-Snapshot20261201-Media.iso")
        );
        assert_ne!(
            family("debian-13.1.0-amd64-netinst.iso"),
            family("debian-13.1.0-arm64-netinst.iso")
        );
        assert_ne!(family("a-1.iso"), family("a-1.iso.zsync"));
    }

    #[test]
    fn the_most_alike_and_newest_copy_comes_first() {
        let dir = std::env::temp_dir().join(format!("braid-older-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let big = vec![0u8; MIN_SEED_BYTES as usize];
        for name in [
            "os-1.0.iso",
            "os-1.1.iso",
            "os-2.0.iso",
            "os-1.2.iso.part",
            "other-1.iso",
        ] {
            std::fs::write(dir.join(name), &big).unwrap();
        }
        std::fs::write(dir.join("os-0.9.iso"), b"small").unwrap();
        let found = older_copies(&dir, "os-1.2.iso");
        let names: Vec<_> = found
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert_eq!(names[2], "os-2.0.iso", "{names:?}");
        assert!(older_copies(&dir, "nothing-1.iso").is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
