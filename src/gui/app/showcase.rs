//! Every screen of the window with sample data in it, for the screenshots in
//! `assets/screenshots/` (`cargo run --example screenshots`) and the GUI benchmark. The
//! downloads are made up; the engine behind them is real but idle.

use std::path::Path;
use std::time::{Duration, SystemTime};

use iced::Size;

use super::{App, Message};
use crate::config::{Config, ThemeChoice};
use crate::engine::{
    DownloadId, DropReason, Fault, JobError, JobSpec, MirrorFailure, MirrorReason, MirrorStatus,
    NetError, PieceStatus, Progress, Repair, Trouble,
};
use crate::gui::downloads::{Download, Failure, State};
use crate::gui::{add, settings, sources};
use crate::metalink::{Document, File, HashAlgorithm, MirrorUrl, Pieces, Version};
use crate::platform::drop::{Dragged, Item};
use crate::signature::{Check, Covers, Origin, Outcome, Signer, Verdict};

/// The screens there are to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    EmptyQueue,
    Queue,
    /// The add dialog with a metalink of 24 files.
    AddMany,
    /// Details of a download in progress: piece map, mirrors, a repair.
    Details,
    DetailsFailed,
    /// Details of a finished download whose signature names a key not in the keyring.
    DetailsSigned,
    Settings,
    /// Settings after a Save with two wrong fields.
    SettingsErrors,
    /// The add dialog for a plain link the server vouches for with a digest.
    AddLink,
    /// Create metalink…
    Create,
    /// Two links, a metalink file and a photo dragged over the queue.
    Drop,
}

impl Sample {
    pub const ALL: [Sample; 11] = [
        Sample::EmptyQueue,
        Sample::Queue,
        Sample::AddMany,
        Sample::Details,
        Sample::DetailsFailed,
        Sample::DetailsSigned,
        Sample::Settings,
        Sample::SettingsErrors,
        Sample::AddLink,
        Sample::Create,
        Sample::Drop,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Sample::EmptyQueue => "queue-empty",
            Sample::Queue => "queue",
            Sample::AddMany => "add",
            Sample::Details => "details",
            Sample::DetailsFailed => "details-failed",
            Sample::DetailsSigned => "details-signed",
            Sample::Settings => "settings",
            Sample::SettingsErrors => "settings-errors",
            Sample::AddLink => "add-link",
            Sample::Create => "create",
            Sample::Drop => "drop",
        }
    }
}

impl App {
    /// The window showing `sample` in `language` at `size`; `dir` holds its (empty)
    /// download folder and saved queue.
    pub fn showcase(sample: Sample, language: &str, size: Size, dark: bool, dir: &Path) -> App {
        let config = Config {
            // Shown only: nothing is downloaded.
            download_dir: std::path::PathBuf::from("/home/ana/Downloads"),
            ui_language: language.into(),
            notifications: false,
            theme: if dark {
                ThemeChoice::Dark
            } else {
                ThemeChoice::Light
            },
            rate_limit: "2M".into(),
            ..Config::default()
        };
        let mut app = App::new(config, dir.join("queue.json"));
        app.window = size;
        app.free = Some(184 << 30);
        if sample != Sample::EmptyQueue {
            app.sample_queue();
        }
        match sample {
            Sample::EmptyQueue | Sample::Queue => {}
            Sample::Drop => app.dragging = Some(Some(dragged())),
            Sample::AddMany => {
                let _ = app.update(Message::Resolved(many_files(), false));
                let _ = app.update(Message::Add(add::Message::Measured(
                    app.config.download_dir.clone(),
                    Some(184 << 30),
                )));
            }
            Sample::AddLink => {
                let _ = app.update(Message::Resolved(Ok(link()), false));
            }
            Sample::Create => {
                let _ = app.update(Message::ShowCreate);
            }
            Sample::Details => app.show_details(DownloadId(1)),
            Sample::DetailsFailed => app.show_details(DownloadId(5)),
            Sample::DetailsSigned => app.show_details(DownloadId(7)),
            Sample::Settings => {
                let _ = app.update(Message::ShowSettings);
            }
            Sample::SettingsErrors => {
                let _ = app.update(Message::ShowSettings);
                for message in [
                    settings::Message::Active("0".into()),
                    settings::Message::RateLimit("fast".into()),
                    settings::Message::Save,
                ] {
                    let _ = app.update(Message::Settings(message));
                }
            }
        }
        app
    }

    /// A queue with a download in every state.
    fn sample_queue(&mut self) {
        let dir = self.config.download_dir.clone();
        let now = SystemTime::now();
        let ago = |hours: u64| now - Duration::from_secs(hours * 3600);
        let mirrors = |running: bool| -> Vec<MirrorStatus> {
            [
                ("https://ftp.fau.de/debian-cd/", "de", 1, 46 << 20),
                ("https://mirror.init7.net/debian-cd/", "ch", 1, 31 << 20),
                ("http://ftp.uni-kl.de/debian-cd/", "de", 2, 12 << 20),
                ("https://mirrors.kernel.org/debian-cd/", "us", 3, 0),
            ]
            .iter()
            .enumerate()
            .map(|(i, (url, location, priority, bytes))| MirrorStatus {
                url: format!("{url}debian-13.1.0-amd64-netinst.iso"),
                location: Some((*location).into()),
                priority: *priority,
                connections: if running && i < 3 { 3 - i } else { 0 },
                bytes: *bytes,
                speed: if running && i < 3 {
                    [5.1e6, 3.2e6, 0.9e6][i]
                } else {
                    0.0
                },
                errors: u32::from(i == 2),
                bad_pieces: u32::from(i == 2),
                dropped: (i == 3).then_some(DropReason::Unusable(Fault::Missing { status: 404 })),
            })
            .collect()
        };
        let piece_count = 128;
        let mut pieces = vec![PieceStatus::Missing; piece_count];
        for (i, piece) in pieces.iter_mut().enumerate() {
            *piece = match i {
                0..70 => PieceStatus::Verified,
                70..76 => PieceStatus::InFlight,
                _ => PieceStatus::Missing,
            };
        }
        pieces[23] = PieceStatus::Repaired;
        let size: u64 = 754 << 20;
        let running = Progress {
            size: Some(size),
            done: 70 * (size / piece_count as u64),
            verified_prefix: 23 * (size / piece_count as u64),
            received: 433 << 20,
            speed: 9.2e6,
            connections: 6,
            pieces,
            mirrors: mirrors(true),
            repairs: vec![Repair {
                piece: 23,
                bad_mirror: "http://ftp.uni-kl.de/debian-cd/debian-13.1.0-amd64-netinst.iso".into(),
                good_mirror: Some(
                    "https://ftp.fau.de/debian-cd/debian-13.1.0-amd64-netinst.iso".into(),
                ),
            }],
        };
        let entries: Vec<SampleRow> = vec![
            (
                "debian-13.1.0-amd64-netinst.iso",
                size,
                State::Running,
                Some(running),
                9.2e6,
                0,
            ),
            (
                "LibreOffice_25.8.2_Linux_x86-64_deb.tar.gz",
                219 << 20,
                State::Running,
                Some(progress(219 << 20, 0.81, 1.4e6)),
                1.4e6,
                1,
            ),
            (
                "Fedora-Workstation-Live-x86_64-43-1.6.iso",
                2_300 << 20,
                State::Queued,
                None,
                0.0,
                2,
            ),
            (
                "ubuntu-24.04.3-desktop-amd64.iso",
                6_100 << 20,
                State::Paused,
                Some(progress(6_100 << 20, 0.37, 0.0)),
                0.0,
                5,
            ),
            (
                "openSUSE-Tumbleweed-DVD-x86_64-Snapshot20251124-Media.iso",
                4_400 << 20,
                State::Failed(Failure::Job(JobError::NoMirrors(vec![
                    MirrorFailure {
                        url: "https://download.opensuse.org/tumbleweed/iso/openSUSE-Tumbleweed-DVD-x86_64-Current.iso".into(),
                        reason: MirrorReason::Dropped(DropReason::Unusable(Fault::Missing {
                            status: 404,
                        })),
                    },
                    MirrorFailure {
                        url: "https://ftp.gwdg.de/pub/opensuse/tumbleweed/iso/openSUSE-Tumbleweed-DVD-x86_64-Current.iso".into(),
                        reason: MirrorReason::Dropped(DropReason::Failures {
                            count: 5,
                            last: Fault::Network(NetError::Timeout),
                        }),
                    },
                ]))),
                Some(progress(4_400 << 20, 0.12, 0.0)),
                0.0,
                26,
            ),
            (
                "gimp-3.0.6-x86_64.AppImage",
                188 << 20,
                State::Finished {
                    path: dir.join("gimp-3.0.6-x86_64.AppImage"),
                    verified: Some("sha-256".into()),
                    repaired: 0,
                    reused: None,
                },
                None,
                0.0,
                30,
            ),
            (
                "archlinux-2025.11.01-x86_64.iso",
                1_400 << 20,
                State::Finished {
                    path: dir.join("archlinux-2025.11.01-x86_64.iso"),
                    verified: Some("sha-256".into()),
                    repaired: 2,
                    reused: None,
                },
                None,
                0.0,
                400 * 24,
            ),
        ];
        for (index, (name, size, state, progress, speed, hours)) in entries.into_iter().enumerate()
        {
            let id = DownloadId(index as u64 + 1);
            let mut spec = spec(name, size, &dir);
            if index == 1 {
                // A metalink without piece hashes: the map says "received".
                spec.pieces = None;
            }
            if index == 4 {
                // The failed one's mirrors are those its failure names.
                spec.urls = [
                    "https://download.opensuse.org/tumbleweed/iso/openSUSE-Tumbleweed-DVD-x86_64-Current.iso",
                    "https://ftp.gwdg.de/pub/opensuse/tumbleweed/iso/openSUSE-Tumbleweed-DVD-x86_64-Current.iso",
                ]
                .into_iter()
                .enumerate()
                .map(|(i, url)| MirrorUrl {
                    url: url.into(),
                    priority: i as u32 + 1,
                    location: Some("de".into()),
                    max_connections: None,
                })
                .collect();
            }
            let mut download = Download::new(id, spec, state);
            download.added = ago(hours);
            download.progress = progress.map(Box::new);
            download.speed = speed;
            if index == 0 {
                download.troubles.push((
                    "http://ftp.uni-kl.de/debian-cd/debian-13.1.0-amd64-netinst.iso".into(),
                    Trouble::Fault(Fault::BadPiece { piece: 23 }),
                ));
            }
            if index == 3 {
                download.selected = true;
            }
            download.signature = match index {
                5 => Some(sample_verdict(Outcome::Good {
                    signer: sample_signer(),
                    warnings: Vec::new(),
                })),
                6 => Some(sample_verdict(Outcome::UnknownKey {
                    key: "3E80CA1A8B89F69CBA57D98A76A5EF9054449A5C".into(),
                })),
                _ => None,
            };
            self.downloads.insert(download);
        }
    }
}

/// What a made-up signature over the file said.
fn sample_verdict(outcome: Outcome) -> Verdict {
    Verdict {
        checks: vec![Check {
            covers: Covers::File,
            outcome,
        }],
    }
}

fn sample_signer() -> Signer {
    Signer {
        fingerprint: "D5D2A7E4A1E8C3B6F0E1A2B3C4D5E6F708192A3B".into(),
        user: Some("GIMP Release Team <gimp@example.org>".into()),
        subkey: None,
        origin: Origin::Braid,
    }
}

/// A sample download: name, size, state, progress, speed, hours since it was added.
type SampleRow = (&'static str, u64, State, Option<Progress>, f64, u64);

fn spec(name: &str, size: u64, dir: &Path) -> JobSpec {
    let file = {
        let mut file = File::new(name);
        file.size = Some(size);
        file
    };
    let mut spec = JobSpec::for_metalink_file(
        &format!("https://example.org/{name}.meta4"),
        &file,
        vec![MirrorUrl {
            url: format!("https://example.org/{name}"),
            priority: 1,
            location: None,
            max_connections: None,
        }],
        dir.to_path_buf(),
    );
    spec.hashes = vec![
        crate::metalink::Hash::from_hex(HashAlgorithm::Sha256, &"5e".repeat(32)).expect("hex"),
    ];
    spec.pieces = Some(Pieces::new(
        HashAlgorithm::Sha256,
        size.div_ceil(128).max(1),
        vec![0; 32 * 128],
    ));
    spec
}

fn progress(size: u64, fraction: f64, speed: f64) -> Progress {
    let done = (size as f64 * fraction) as u64;
    let count = 128;
    Progress {
        size: Some(size),
        done,
        verified_prefix: done,
        received: done,
        speed,
        connections: usize::from(speed > 0.0) * 4,
        pieces: (0..count)
            .map(|i| {
                if (i as f64) < fraction * count as f64 {
                    PieceStatus::Verified
                } else {
                    PieceStatus::Missing
                }
            })
            .collect(),
        mirrors: Vec::new(),
        repairs: Vec::new(),
    }
}

/// A plain link whose server sent a digest and one mirror.
pub(super) fn link() -> sources::Resolved {
    let given = url::Url::parse(
        "https://cdimage.example.org/releases/noble/ubuntu-24.04.3-live-server-amd64.iso",
    )
    .expect("a URL");
    let mirror = |url: &str, priority| MirrorUrl {
        url: url.into(),
        priority,
        location: None,
        max_connections: None,
    };
    let urls = vec![
        mirror(given.as_str(), 1),
        mirror(
            "https://mirror.example.de/ubuntu/noble/ubuntu-24.04.3-live-server-amd64.iso",
            2,
        ),
    ];
    sources::Resolved::File {
        source: given.to_string(),
        given: given.clone(),
        file: Box::new(crate::discover::RemoteFile {
            url: given,
            name: "ubuntu-24.04.3-live-server-amd64.iso".into(),
            size: Some(3_100 << 20),
            hashes: vec![
                crate::metalink::Hash::from_hex(HashAlgorithm::Sha256, &"c3".repeat(32))
                    .expect("hex"),
            ],
            duplicates: urls.clone(),
            urls,
            signature_links: Vec::new(),
            notes: Vec::new(),
        }),
    }
}

/// A metalink of 24 files in several languages and for several systems.
fn many_files() -> Result<sources::Resolved, crate::gui::reasons::Worded> {
    let languages = ["en", "de", "es", "fr", "it", "pt-BR", "ja", "zh-CN"];
    let systems = ["linux-x86_64", "windows-x86_64", "macos-aarch64"];
    let mut files = Vec::new();
    for system in systems {
        for language in languages {
            let name = format!("office-suite-25.8-{system}-{language}.tar.gz");
            let mut file = File::new(name.clone());
            file.size = Some(280 << 20);
            file.languages = vec![language.into()];
            file.os = vec![system.into()];
            file.hashes = vec![
                crate::metalink::Hash::from_hex(HashAlgorithm::Sha256, &"ab".repeat(32))
                    .expect("hex"),
            ];
            file.pieces = vec![Pieces::new(HashAlgorithm::Sha256, 1 << 20, vec![0; 32])];
            file.urls = ["de", "at", "us", "jp"]
                .iter()
                .map(|location| MirrorUrl {
                    url: format!("https://{location}.mirror.example/office/{name}"),
                    priority: 1,
                    location: Some((*location).into()),
                    max_connections: None,
                })
                .collect();
            files.push(file);
        }
    }
    Ok(sources::Resolved::Metalink {
        source: "https://download.example.org/office/25.8/office-suite-25.8.meta4".into(),
        document: Document {
            version: Version::V4,
            generator: None,
            origin: None,
            dynamic: false,
            published: None,
            updated: None,
            files,
        },
        warnings: Vec::new(),
        only: None,
    })
}

/// What the drop sample drags: two links, a metalink file, and a photo it refuses.
fn dragged() -> Dragged {
    Dragged {
        items: vec![
            Item::Link("https://cdimage.debian.org/debian-cd/current/amd64/iso-cd/debian-13.1.0-amd64-netinst.iso.meta4".into()),
            Item::Link("https://download.example.org/tools/tools-2.4.tar.xz".into()),
            Item::Metalink("/home/ana/Downloads/ubuntu-25.10-desktop-amd64.meta4".into()),
            Item::NotMetalink("/home/ana/Pictures/holiday.jpg".into()),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sample builds and draws in every language at both sizes.
    #[test]
    fn every_sample_draws() {
        let dir = std::env::temp_dir().join(format!("braid-showcase-{}", std::process::id()));
        for sample in Sample::ALL {
            for size in [Size::new(800.0, 500.0), Size::new(1600.0, 1000.0)] {
                let app = App::showcase(sample, "es", size, false, &dir);
                let mut ui = iced_test::Simulator::with_size(
                    iced_test::core::Settings::default(),
                    size,
                    app.view(),
                );
                assert!(ui.find("Braid").is_ok(), "{sample:?} {size:?}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
