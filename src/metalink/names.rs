//! File-name safety: RFC 5854 §4.1.2.1 plus the rules other clients learned the hard
//! way (libmetalink's checks, Windows device names, alternate data streams, …).
//!
//! A name from a metalink is a relative, `/`-separated path such as `iso/amd64/disc1.iso`.
//! Both `/` and `\` count as separators on every OS, so a name that is safe here is safe
//! wherever the document is opened.

use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

/// Longest name accepted, in bytes.
const MAX_NAME_LEN: usize = 4096;
/// Longest path component accepted, in bytes (the common file-system limit).
const MAX_COMPONENT_LEN: usize = 255;

const WINDOWS_DEVICES: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why a name was refused; the message completes "unsafe file name 'x': …".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnsafeName {
    #[error("the name is empty")]
    Empty,
    #[error("the name is longer than {MAX_NAME_LEN} bytes")]
    TooLong,
    #[error("it is an absolute path")]
    Absolute,
    #[error("it contains a backslash")]
    Backslash,
    #[error("it contains a control character")]
    ControlCharacter,
    #[error("it contains '{0}', which is not allowed in file names")]
    ForbiddenCharacter(char),
    #[error("it contains an empty path component")]
    EmptyComponent,
    #[error("it contains a '.' or '..' path component")]
    DotComponent,
    #[error("the component '{0}' starts with '{1}'")]
    BadStart(String, char),
    #[error("the component '{0}' ends with '{1}'")]
    BadEnd(String, char),
    #[error("'{0}' is a reserved device name on Windows")]
    DeviceName(String),
    #[error("the component '{0}' is longer than {MAX_COMPONENT_LEN} bytes")]
    ComponentTooLong(String),
}

/// Checks a file name from a document; `Ok` means it can be joined under a download
/// directory without leaving it, on any OS.
pub fn check(name: &str) -> Result<(), UnsafeName> {
    if name.is_empty() {
        return Err(UnsafeName::Empty);
    }
    if name.len() > MAX_NAME_LEN {
        return Err(UnsafeName::TooLong);
    }
    if name.starts_with('/') {
        return Err(UnsafeName::Absolute);
    }
    if name.contains('\\') {
        return Err(UnsafeName::Backslash);
    }
    if name.chars().any(char::is_control) {
        return Err(UnsafeName::ControlCharacter);
    }
    // ':' covers drive letters (C:foo) and NTFS alternate data streams.
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, ':' | '<' | '>' | '|' | '"' | '*' | '?'))
    {
        return Err(UnsafeName::ForbiddenCharacter(c));
    }
    for component in name.split('/') {
        check_component(component)?;
    }
    Ok(())
}

fn check_component(component: &str) -> Result<(), UnsafeName> {
    if component.is_empty() {
        return Err(UnsafeName::EmptyComponent);
    }
    if component == "." || component == ".." {
        return Err(UnsafeName::DotComponent);
    }
    if component.len() > MAX_COMPONENT_LEN {
        return Err(UnsafeName::ComponentTooLong(component.to_owned()));
    }
    // Hidden files, home-directory shorthands and leading spaces surprise users and
    // shells; libmetalink refuses them too.
    let first = component.chars().next().unwrap_or(' ');
    if matches!(first, '.' | '~' | ' ') {
        return Err(UnsafeName::BadStart(component.to_owned(), first));
    }
    // Windows drops trailing dots and spaces, so `a.` and `a` would be one file.
    let last = component.chars().last().unwrap_or(' ');
    if matches!(last, '.' | ' ') {
        return Err(UnsafeName::BadEnd(component.to_owned(), last));
    }
    let stem = component.split('.').next().unwrap_or(component);
    if WINDOWS_DEVICES
        .iter()
        .any(|device| stem.trim_end().eq_ignore_ascii_case(device))
    {
        return Err(UnsafeName::DeviceName(component.to_owned()));
    }
    Ok(())
}

/// Remembers the names seen so far and spots a name that would be the same file as an
/// earlier one on a case-insensitive or normalizing file system.
#[derive(Default)]
pub struct NameSet {
    seen: HashSet<String>,
}

impl NameSet {
    /// Returns false when `name` collides with a name inserted before.
    pub fn insert(&mut self, name: &str) -> bool {
        let key: String = name.nfc().flat_map(char::to_lowercase).collect();
        self.seen.insert(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_and_subdirectories_pass() {
        for name in [
            "disc1.iso",
            "iso/amd64/disc1.iso",
            "c++/gtkmm-2.10.2.tar.bz2",
            "libmetalink-0.0.2a.tar.bz2",
            "Ünïcödé name.txt",
            "a.b.c",
        ] {
            assert_eq!(check(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn traversal_and_tricks_are_refused() {
        let refused = [
            "",
            "/etc/passwd",
            "./x",
            "../x",
            "a/../b",
            "a/..",
            "..",
            ".",
            "a/./b",
            "a/",
            "a//b",
            "..\\..\\x",
            "C:foo",
            "c:/windows",
            "file.txt:stream",
            "~/x",
            "log/.hidden",
            ".hidden",
            "a >/dev/null",
            "a |/dev/null",
            "nul.txt",
            "dir/CON",
            "com1.tar.gz",
            "trailing.",
            "trailing ",
            " leading",
            "tab\there",
            "nul\0byte",
            "del\x7f",
        ];
        for name in refused {
            assert!(check(name).is_err(), "{name:?} should be refused");
        }
    }

    #[test]
    fn messages_say_why() {
        assert_eq!(
            check("a/../b").unwrap_err().to_string(),
            "it contains a '.' or '..' path component"
        );
        assert_eq!(
            check("nul.txt").unwrap_err().to_string(),
            "'nul.txt' is a reserved device name on Windows"
        );
    }

    #[test]
    fn duplicates_after_case_folding_and_normalization() {
        let mut set = NameSet::default();
        assert!(set.insert("Readme.txt"));
        assert!(!set.insert("README.TXT"));
        assert!(set.insert("caf\u{e9}"));
        assert!(!set.insert("cafe\u{301}"));
        assert!(set.insert("dir/readme.txt"));
    }
}
