//! The clipboard watch (a setting, off by default): a link copied anywhere that names a
//! metalink, or looks like a download, is offered in the window as a notice with "Add";
//! nothing is added until the user says so. The clipboard is read every [`INTERVAL`]
//! while the setting is on (iced's clipboard: X11's CLIPBOARD selection, Wayland's
//! selection, which a compositor hands to a program only while one of its windows has
//! the keyboard focus, so there the offer comes once Braid's window is next used).

use crate::i18n::t_args;

use std::collections::HashSet;
use std::time::Duration;

/// How often the clipboard is read while the watch is on.
pub const INTERVAL: Duration = Duration::from_millis(1500);

/// Most links offered from one copy.
const MAX_OFFERED: usize = 50;

/// Endings of downloads worth offering (besides metalinks): archives, disk images,
/// packages and installers, large media.
const DOWNLOAD_ENDINGS: [&str; 37] = [
    ".iso",
    ".img",
    ".zip",
    ".7z",
    ".rar",
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".gz",
    ".bz2",
    ".xz",
    ".zst",
    ".deb",
    ".rpm",
    ".apk",
    ".appimage",
    ".flatpak",
    ".snap",
    ".dmg",
    ".pkg",
    ".exe",
    ".msi",
    ".msix",
    ".jar",
    ".mp4",
    ".mkv",
    ".webm",
    ".avi",
    ".mp3",
    ".flac",
    ".ogg",
    ".qcow2",
];

/// What the watch has seen.
#[derive(Debug, Default)]
pub struct Watch {
    /// Whether the first read was made: it only notes what was there (copied before the
    /// watch began: not offered), even when that was nothing.
    started: bool,
    /// The clipboard's text at the last read that had some.
    last: Option<String>,
    /// Links offered already this session, so the same copy is not offered twice.
    offered: HashSet<String>,
}

impl Watch {
    /// The clipboard was read: links to offer, if it changed to some.
    pub fn read(&mut self, text: Option<String>) -> Vec<String> {
        if !self.started {
            self.started = true;
            self.last = text;
            return Vec::new();
        }
        let Some(text) = text else {
            // Unreadable now (no focus on Wayland, empty): nothing changed.
            return Vec::new();
        };
        if self.last.as_deref() == Some(text.as_str()) {
            return Vec::new();
        }
        self.last = Some(text.clone());
        let links: Vec<String> = offered_links(&text)
            .into_iter()
            .filter(|link| !self.offered.contains(link))
            .collect();
        self.offered.extend(links.iter().cloned());
        links
    }

    /// Forgets the baseline, so the watch starts afresh (turned off and on again).
    pub fn reset(&mut self) {
        self.started = false;
        self.last = None;
    }
}

/// The words of the notice that offers `links`.
pub fn offer_text(links: &[String]) -> String {
    match links {
        [link] => t_args("clipboard-offer", &[("link", crate::format::url(link))]),
        _ => t_args(
            "clipboard-offer-many",
            &[("count", links.len().to_string())],
        ),
    }
}

/// The links in copied text worth offering: each line an http(s) link that names a
/// metalink or a download. Text with other lines in it (a paragraph, code) is not a
/// copied link and gives nothing.
pub fn offered_links(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() || lines.len() > MAX_OFFERED {
        return Vec::new();
    }
    let mut links = Vec::new();
    for line in lines {
        let Ok(url) = url::Url::parse(line) else {
            return Vec::new();
        };
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Vec::new();
        }
        if names_a_download(&url) {
            links.push(url.to_string());
        }
    }
    links
}

/// Whether a link's path ends like a metalink or a download.
fn names_a_download(url: &url::Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    path.ends_with(".meta4")
        || path.ends_with(".metalink")
        || DOWNLOAD_ENDINGS.iter().any(|ending| path.ends_with(ending))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_metalinks_and_downloads_are_offered_once() {
        let mut watch = Watch::default();
        assert!(
            watch
                .read(Some("https://a.example/old.meta4".into()))
                .is_empty(),
            "what was there before the watch began is not offered"
        );
        assert_eq!(
            watch.read(Some("https://a.example/new.meta4".into())),
            ["https://a.example/new.meta4"]
        );
        assert!(
            watch.read(None).is_empty(),
            "an unreadable clipboard changes nothing"
        );
        assert!(
            watch
                .read(Some("https://a.example/new.meta4".into()))
                .is_empty()
        );
        assert!(watch.read(Some("some words".into())).is_empty());
        assert!(
            watch
                .read(Some("https://a.example/new.meta4".into()))
                .is_empty(),
            "offered once a session"
        );
        assert_eq!(
            watch.read(Some(
                "https://b.example/debian-12.iso\nhttps://b.example/SHA256SUMS\n".into()
            )),
            ["https://b.example/debian-12.iso"]
        );
        let mut empty_at_first = Watch::default();
        assert!(empty_at_first.read(None).is_empty());
        assert_eq!(
            empty_at_first.read(Some("https://a.example/x.meta4".into())),
            ["https://a.example/x.meta4"],
            "copied after the watch began on an empty clipboard"
        );
        empty_at_first.reset();
        assert!(
            empty_at_first
                .read(Some("https://a.example/y.meta4".into()))
                .is_empty(),
            "turned on again: what is there was copied before"
        );
    }

    #[test]
    fn only_copied_links_count_not_text_with_links_in_it() {
        assert!(offered_links("see https://a.example/x.iso for details").is_empty());
        assert!(offered_links("https://a.example/x.iso\nand more words").is_empty());
        assert!(offered_links("file:///home/u/x.meta4").is_empty());
        assert!(offered_links("ftp://a.example/x.iso").is_empty());
        assert!(offered_links("https://a.example/page.html").is_empty());
        assert_eq!(
            offered_links("  https://a.example/Disc.METALINK?mirror=1  "),
            ["https://a.example/Disc.METALINK?mirror=1"]
        );
        assert_eq!(
            offered_links("https://a.example/x.tar.gz"),
            ["https://a.example/x.tar.gz"]
        );
    }
}
