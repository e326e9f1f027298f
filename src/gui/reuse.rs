//! The add dialog's offer to reuse a file already on disk: the file under the target
//! name (repair it: keep what checks out, fetch the rest), or an older copy of the same
//! name family in the folder (update from it: with a zsync control file beside the
//! download, only the blocks that changed are fetched). What to offer is looked up off
//! the UI thread ([`look`]) whenever the dialog opens or its folder changes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use iced::widget::{checkbox, column, row, text};
use iced::{Alignment, Element, Length};

use super::theme::Role;
use super::widgets;
use crate::discover::zsync::FoundControl;
use crate::engine::{JobSpec, ReuseFrom, ReuseKind};
use crate::i18n::{t, t_args};
use crate::metalink::MirrorUrl;

#[derive(Debug, Clone)]
pub enum Message {
    Toggle(bool),
    /// Pick another file to reuse.
    Choose,
    Chosen(Option<PathBuf>),
    /// What [`look`] found in a folder.
    Found(PathBuf, Arc<Found>),
}

/// What the section asks of the dialog.
pub enum Action {
    None,
    /// A native file dialog, starting in this folder.
    PickFile(PathBuf),
}

/// What is on disk and on the server for one download.
#[derive(Debug)]
pub struct Found {
    /// A file is already under the target name.
    pub existing: bool,
    /// Files of the same name family, best first.
    pub older: Vec<PathBuf>,
    /// A control file beside the download's URL.
    pub zsync: Option<FoundControl>,
}

/// The file to reuse, and whether to.
#[derive(Debug, Clone, PartialEq)]
struct Choice {
    path: PathBuf,
    kind: ReuseKind,
    on: bool,
}

/// The dialog's reuse section for its one chosen file.
#[derive(Debug, Clone, Default)]
pub struct Section {
    choice: Option<Choice>,
    zsync: Option<Arc<FoundControl>>,
    /// Whether the download checks its pieces without a zsync file (metalink pieces).
    pieces: bool,
}

impl Section {
    #[cfg(test)]
    fn new(pieces: bool) -> Self {
        Section {
            pieces,
            ..Section::default()
        }
    }

    /// Whether the download checks its pieces without a zsync file.
    pub fn set_pieces(&mut self, pieces: bool) {
        self.pieces = pieces;
    }

    /// Whether a file on disk can be checked piece by piece, and a moved block found.
    fn checks(&self) -> bool {
        self.pieces || self.zsync.is_some()
    }

    pub fn update(&mut self, message: Message, dir: &Path, name: &str) -> Action {
        match message {
            Message::Toggle(on) => {
                if let Some(choice) = &mut self.choice {
                    choice.on = on;
                }
            }
            Message::Choose => return Action::PickFile(dir.to_path_buf()),
            Message::Chosen(Some(path)) => {
                let kind = if path == dir.join(name) {
                    ReuseKind::Damaged
                } else {
                    ReuseKind::Seed
                };
                self.choice = Some(Choice {
                    path,
                    kind,
                    on: true,
                });
            }
            Message::Chosen(None) => {}
            Message::Found(looked, found) => {
                if looked != dir {
                    return Action::None;
                }
                if let Some(zsync) = &found.zsync {
                    self.zsync = Some(Arc::new(zsync.clone()));
                }
                self.choice = if found.existing {
                    // Repair it when it can be checked; else it can only be replaced.
                    Some(Choice {
                        path: dir.join(name),
                        kind: ReuseKind::Damaged,
                        on: true,
                    })
                } else {
                    found.older.first().map(|path| Choice {
                        path: path.clone(),
                        kind: ReuseKind::Seed,
                        // An older version pays off when its blocks can be found where
                        // they moved; metalink pieces only match where they were.
                        on: self.zsync.is_some(),
                    })
                };
            }
        }
        Action::None
    }

    /// Adds the chosen reuse (and the zsync file found) to the download of the file.
    pub fn apply(&self, spec: &mut JobSpec) {
        let Some(choice) = self.choice.as_ref().filter(|c| c.on) else {
            return;
        };
        if let Some(zsync) = &self.zsync {
            (**zsync).clone().attach_to(spec);
        }
        let target = spec.dir.join(&spec.name);
        if choice.path == target {
            spec.overwrite = true;
        }
        if spec.piece_checks().is_some() {
            spec.reuse = vec![ReuseFrom {
                path: choice.path.clone(),
                kind: choice.kind,
            }];
        }
    }

    /// The section, when there is anything to offer.
    pub fn view(&self, name: &str, chars: usize) -> Element<'_, Message> {
        let mut section = column![].spacing(4);
        match &self.choice {
            Some(choice) => {
                let label = match (choice.kind, self.checks()) {
                    (ReuseKind::Damaged, true) => {
                        t_args("reuse-repair", &[("name", name.to_owned())])
                    }
                    (ReuseKind::Damaged, false) => {
                        t_args("reuse-replace", &[("name", name.to_owned())])
                    }
                    (ReuseKind::Seed, _) => t_args(
                        "reuse-update",
                        &[(
                            "path",
                            widgets::ellipsize(&choice.path.display().to_string(), chars),
                        )],
                    ),
                };
                let usable = self.checks() || choice.kind == ReuseKind::Damaged;
                let mut tick = checkbox(choice.on && usable).label(label);
                if usable {
                    tick = tick.on_toggle(Message::Toggle);
                }
                section = section.push(
                    row![
                        tick.width(Length::Fill),
                        widgets::plain(t("reuse-choose"), Some(Message::Choose), Role::Ghost),
                    ]
                    .spacing(8)
                    .align_y(Alignment::Center),
                );
                // A damaged copy is checked where its pieces belong (zsync blocks or
                // metalink pieces alike); an older one is scanned for moved blocks.
                let hint = match (choice.kind, self.checks(), self.zsync.is_some()) {
                    (ReuseKind::Damaged, true, _) => "reuse-hint-repair",
                    (ReuseKind::Damaged, false, _) => "reuse-hint-replace",
                    (ReuseKind::Seed, _, true) => "reuse-hint-zsync",
                    (ReuseKind::Seed, true, false) => "reuse-hint-pieces",
                    (ReuseKind::Seed, false, false) => "reuse-hint-unusable",
                };
                // Wrapped: a narrow window keeps the whole sentence inside the dialog.
                section = section.push(text(t(hint)).size(12).style(text::secondary));
            }
            None => {
                if !self.checks() {
                    return section.into();
                }
                section = section.push(widgets::plain(
                    t("reuse-choose-file"),
                    Some(Message::Choose),
                    Role::Ghost,
                ));
            }
        }
        section.into()
    }
}

/// "Checking old.iso: 45 %, 1.2 GiB reusable so far".
pub fn checking_text(checking: &crate::engine::Checking) -> String {
    let percent = checking
        .done
        .saturating_mul(100)
        .checked_div(checking.total)
        .map_or(100, |p| p.min(100));
    let file = checking.path.file_name().map_or_else(
        || checking.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    t_args(
        "state-checking",
        &[
            ("file", file),
            ("percent", percent.to_string()),
            ("found", super::units::bytes(checking.found)),
        ],
    )
}

/// "3.9 GiB of 4.0 GiB reused; 12 pieces fetched (96.0 MiB)".
pub fn reused_text(reused: &crate::engine::Reused, size: Option<u64>) -> String {
    t_args(
        "details-reused",
        &[
            ("reused", super::units::bytes(reused.bytes)),
            (
                "size",
                size.map_or_else(|| t("size-unknown"), super::units::bytes),
            ),
            ("fetched", reused.fetched.to_string()),
            (
                "fetched_bytes",
                size.map_or_else(
                    || t("size-unknown"),
                    |size| super::units::bytes(size.saturating_sub(reused.bytes)),
                ),
            ),
        ],
    )
}

/// The folder to repair a picked file in, when it is a copy of the download (its own
/// name) outside the dialog's folder `dir`: a damaged file is repaired where it is.
pub fn folder_to_repair_in(picked: &Path, name: &str, dir: &Path) -> Option<PathBuf> {
    if !picked.ends_with(name) || picked == dir.join(name) {
        return None;
    }
    let depth = Path::new(name).components().count();
    picked.ancestors().nth(depth).map(Path::to_path_buf)
}

/// Looks in `dir` for the file `name` and older copies of it and, when there is one,
/// beside the download's first URLs for a zsync control file of `size` bytes.
pub async fn look(
    dir: PathBuf,
    name: String,
    urls: Vec<MirrorUrl>,
    size: Option<u64>,
    has_blocks: bool,
) -> Found {
    let (existing, older) = {
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || {
            let existing = dir.join(&name).is_file();
            (existing, crate::discover::older::older_copies(&dir, &name))
        })
        .await
        .unwrap_or((false, Vec::new()))
    };
    let zsync = if !has_blocks && (existing || !older.is_empty()) {
        crate::discover::zsync::beside(&crate::discover::client(), &urls, size).await
    } else {
        None
    };
    Found {
        existing,
        older,
        zsync,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seen under Xvfb in German: "1 Stücke geladen".
    #[test]
    fn one_piece_fetched_is_one_in_every_language() {
        let reused = crate::engine::Reused {
            bytes: 3 << 20,
            pieces: 12,
            fetched: 1,
        };
        for (language, one) in [
            ("en", "1 piece fetched"),
            ("de", "1 Stück geladen"),
            ("es", "1 pieza descargada"),
        ] {
            crate::i18n::set_language(language);
            let said = reused_text(&reused, Some(4 << 20));
            assert!(said.contains(one), "{language}: {said}");
        }
        crate::i18n::set_language("en");
        let many = reused_text(
            &crate::engine::Reused {
                fetched: 12,
                ..reused
            },
            Some(4 << 20),
        );
        assert!(many.contains("12 pieces fetched (1.0 MiB)"), "{many}");
    }

    fn found(existing: bool, older: &[&str]) -> Arc<Found> {
        Arc::new(Found {
            existing,
            older: older.iter().map(PathBuf::from).collect(),
            zsync: None,
        })
    }

    fn spec(dir: &Path, pieces: bool) -> JobSpec {
        JobSpec {
            name: "os-2.iso".into(),
            dir: dir.to_path_buf(),
            size: Some(10),
            pieces: pieces.then(|| {
                crate::metalink::Pieces::new(crate::metalink::HashAlgorithm::Sha1, 10, vec![0; 20])
            }),
            ..JobSpec::default()
        }
    }

    #[test]
    fn an_existing_file_is_offered_for_repair_and_an_older_copy_for_update() {
        let dir = Path::new("/downloads");
        let mut section = Section::new(true);
        section.update(
            Message::Found(dir.into(), found(true, &[])),
            dir,
            "os-2.iso",
        );
        let mut repaired = spec(dir, true);
        section.apply(&mut repaired);
        assert!(repaired.overwrite);
        assert_eq!(repaired.reuse[0].kind, ReuseKind::Damaged);
        assert_eq!(repaired.reuse[0].path, dir.join("os-2.iso"));

        let mut section = Section::new(true);
        section.update(
            Message::Found(dir.into(), found(false, &["/downloads/os-1.iso"])),
            dir,
            "os-2.iso",
        );
        let mut plain = spec(dir, true);
        section.apply(&mut plain);
        assert!(plain.reuse.is_empty(), "offered, not ticked, without zsync");
        section.update(Message::Toggle(true), dir, "os-2.iso");
        section.apply(&mut plain);
        assert_eq!(plain.reuse[0].kind, ReuseKind::Seed);
        assert!(!plain.overwrite);
    }

    #[test]
    fn a_copy_of_the_download_elsewhere_is_repaired_where_it_is() {
        let dir = Path::new("/downloads");
        assert_eq!(
            folder_to_repair_in(Path::new("/mnt/usb/os-2.iso"), "os-2.iso", dir),
            Some(PathBuf::from("/mnt/usb"))
        );
        assert_eq!(
            folder_to_repair_in(Path::new("/mnt/usb/disc/os-2.iso"), "disc/os-2.iso", dir),
            Some(PathBuf::from("/mnt/usb"))
        );
        assert_eq!(
            folder_to_repair_in(Path::new("/downloads/os-2.iso"), "os-2.iso", dir),
            None
        );
        assert_eq!(
            folder_to_repair_in(Path::new("/mnt/usb/os-1.iso"), "os-2.iso", dir),
            None,
            "another name is an older copy to update from"
        );
    }

    #[test]
    fn without_checks_an_existing_file_can_only_be_replaced() {
        let dir = Path::new("/downloads");
        let mut section = Section::new(false);
        section.update(
            Message::Found(dir.into(), found(true, &[])),
            dir,
            "os-2.iso",
        );
        let mut replaced = spec(dir, false);
        section.apply(&mut replaced);
        assert!(replaced.overwrite);
        assert!(replaced.reuse.is_empty());
        // A look for another folder is ignored.
        let mut section = Section::new(true);
        section.update(
            Message::Found("/elsewhere".into(), found(true, &[])),
            dir,
            "os-2.iso",
        );
        let mut untouched = spec(dir, true);
        section.apply(&mut untouched);
        assert!(!untouched.overwrite);
    }
}
