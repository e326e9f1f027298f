//! The details screen: one download's progress, its mirrors, a map of its pieces, and
//! how it was verified and repaired. A download that is not running shows what it
//! last knew, never live state (no piece "downloading", no mirror "in use").

use iced::widget::canvas::{self, Frame, Geometry};
use iced::widget::text::Wrapping;
use iced::widget::{column, container, row, scrollable, text, tooltip};
use iced::{Alignment, Color, Element, Length, Point, Rectangle, Renderer, Size, Theme, mouse};

use super::downloads::{Download, Failure, State};
use super::icons::Icon;
use super::queue::state_text;
use super::theme::{self, Role, Tone};
use super::{units, widgets};
use crate::engine::{DownloadId, JobError, MirrorStatus, PieceStatus};
use crate::i18n::{t, t_args};
use crate::signature::Keyring;

#[derive(Debug, Clone)]
pub enum Message {
    Back,
    Pause(DownloadId),
    Resume(DownloadId),
    Retry(DownloadId),
    OpenFile(DownloadId),
    OpenFolder(DownloadId),
    /// Delete the finished file (undoable from the queue, where this leads).
    DeleteFile(DownloadId),
    /// "Import key…" for a signature by a key not in the keyring.
    ImportKey,
    /// Check the file on disk piece by piece and fetch what is bad (a finished file,
    /// or another file that was in the way); without piece checks, replace it.
    Repair(DownloadId),
    /// The download's own settings (limit, connections, priority, start time).
    Own(super::limits::Message),
}

/// Whether the download's file on disk can be repaired (or replaced): it finished, or
/// it failed because another file was in its place.
fn repairable(download: &Download) -> bool {
    match &download.state {
        State::Finished { .. } => download.spec.piece_checks().is_some(),
        State::Failed(reason) => reason.is_file_exists(),
        _ => false,
    }
}

/// The screen for `download`, `width` pixels wide; `keyring` is the keys trusted now,
/// once read (what a signature can tell before the file is in); `own`, the panel of
/// its own settings, shown under the title, when it can still change them.
pub fn view<'a>(
    download: &'a Download,
    keyring: Option<&Keyring>,
    width: f32,
    own: Option<Element<'a, super::limits::Message>>,
) -> Element<'a, Message> {
    let id = download.id;
    let mut header = row![
        widgets::labeled(
            Icon::Back,
            t("details-back"),
            Some(Message::Back),
            Role::Ghost
        ),
        title(download, width),
    ]
    .spacing(10)
    .align_y(Alignment::Center);
    let button =
        |icon, key: &str, message, role| widgets::labeled(icon, t(key), Some(message), role);
    header = match download.state {
        State::Queued | State::Waiting(_) | State::Running => header.push(button(
            Icon::Pause,
            "action-pause",
            Message::Pause(id),
            Role::Secondary,
        )),
        State::Paused => header.push(button(
            Icon::Resume,
            "action-resume",
            Message::Resume(id),
            Role::Primary,
        )),
        State::Failed(_) if repairable(download) => header.push(button(
            Icon::Retry,
            if download.spec.piece_checks().is_some() {
                "action-repair-existing"
            } else {
                "action-replace-existing"
            },
            Message::Repair(id),
            Role::Primary,
        )),
        State::Failed(_) => header.push(button(
            Icon::Retry,
            "action-retry",
            Message::Retry(id),
            Role::Primary,
        )),
        State::Finished { .. } => {
            header = header.push(button(
                Icon::OpenFile,
                "action-open-file",
                Message::OpenFile(id),
                Role::Primary,
            ));
            if repairable(download) {
                header = header.push(button(
                    Icon::Retry,
                    "action-repair",
                    Message::Repair(id),
                    Role::Secondary,
                ));
            }
            header
                .push(button(
                    Icon::Folder,
                    "action-open-folder",
                    Message::OpenFolder(id),
                    Role::Secondary,
                ))
                .push(button(
                    Icon::Delete,
                    "action-delete",
                    Message::DeleteFile(id),
                    Role::Danger,
                ))
        }
    };
    let size = download
        .size()
        .map_or_else(|| t("size-unknown"), units::bytes);
    let summary = t_args(
        "details-summary",
        &[
            ("done", units::bytes(download.done_bytes())),
            ("size", size),
            ("state", state_text(&download.state)),
        ],
    );
    let tone = Tone::of(&download.state);
    let mut body = column![
        text(summary).style(move |theme: &Theme| text::Style {
            color: Some(tone.color(theme)),
        }),
        text(t_args(
            "details-source",
            &[("source", download.spec.source.clone())]
        ))
        .size(12),
        text(t_args(
            "details-folder",
            &[("folder", download.spec.dir.display().to_string())]
        ))
        .size(12),
    ]
    .spacing(10);
    if let State::Failed(reason) = &download.state {
        let mut said = column![text(reason.text())].spacing(6);
        // The systems' own words, for whoever wants to know more or to report it.
        if let Some(detail) = reason.detail() {
            said = said.push(text(detail).size(12).style(text::secondary));
        }
        body = body.push(
            container(said)
                .padding([8, 12])
                .width(Length::Fill)
                .style(theme::surfaces::notice_error),
        );
    }
    body = body.push(text(verification(download)));
    let provenance = &download.spec.provenance;
    if let (Some(hash), Some(origin)) = (
        crate::metalink::hash::strongest(&download.spec.hashes),
        &provenance.checksum,
    ) {
        body = body.push(
            text(t_args(
                "details-checksum-origin",
                &[("how", super::found::checksum(hash.algorithm, origin))],
            ))
            .size(12),
        );
    }
    let signed = super::signed::Signed {
        verdict: download.signature.as_ref(),
        found: &download.spec.signatures.found,
        expected: download.spec.strongest_hash(),
        keyring,
        told: matches!(
            &download.state,
            State::Failed(Failure::Job(
                JobError::SignatureBad { .. } | JobError::SignatureRequired { .. }
            ))
        ),
    };
    if let Some(signature) = super::signed::details(signed, Message::ImportKey) {
        body = body.push(signature);
    }
    if let State::Finished {
        reused: Some(reused),
        ..
    } = &download.state
    {
        body = body.push(text(super::reuse::reused_text(reused, download.size())));
    }
    if let (State::Running, Some(checking)) = (&download.state, &download.checking) {
        body = body.push(text(super::reuse::checking_text(checking)));
    }
    // A zsync file's blocks are checked one by one like a metalink's pieces.
    let has_piece_hashes = download.spec.piece_checks().is_some();
    if !has_piece_hashes {
        body = body.push(
            text(t("details-no-piece-hashes"))
                .size(12)
                .style(text::secondary),
        );
    }
    let running = download.state == State::Running;
    if let Some(progress) = &download.progress {
        if !progress.pieces.is_empty() {
            body = body
                .push(text(t("details-pieces")).size(16))
                .push(piece_legend(has_piece_hashes, running))
                .push(
                    canvas::Canvas::new(PieceMap {
                        pieces: progress.pieces.clone(),
                        checked: has_piece_hashes,
                    })
                    .width(Length::Fill)
                    .height(map_height(progress.pieces.len(), width)),
                );
        }
        for repair in &progress.repairs {
            let fixed = repair
                .good_mirror
                .as_deref()
                .map_or_else(|| t("details-not-yet"), crate::format::url);
            body = body.push(
                text(t_args(
                    "details-repair",
                    &[
                        ("piece", repair.piece.to_string()),
                        ("bad", crate::format::url(&repair.bad_mirror)),
                        ("good", fixed),
                    ],
                ))
                .size(12),
            );
        }
    }
    body = body.push(text(t("details-mirrors")).size(16));
    if let Some(counts) = super::found::mirror_counts(&download.spec.provenance) {
        body = body.push(text(counts).size(12).style(text::secondary));
    }
    // Before the first progress (queued, or failed at once), the mirrors are the
    // source's, with nothing fetched yet.
    let listed: Vec<MirrorStatus>;
    let mirrors = match download.progress.as_ref().filter(|p| !p.mirrors.is_empty()) {
        Some(progress) => &progress.mirrors,
        None => {
            listed = download
                .spec
                .urls
                .iter()
                .map(|u| MirrorStatus {
                    url: u.url.clone(),
                    location: u.location.clone(),
                    priority: u.priority,
                    connections: 0,
                    bytes: 0,
                    speed: 0.0,
                    errors: 0,
                    bad_pieces: 0,
                    dropped: None,
                })
                .collect();
            &listed
        }
    };
    body = body.push(mirror_table(
        mirrors,
        width,
        |m| download.drop_text(m),
        |url| match download.spec.provenance.mirror_origin(url)? {
            crate::engine::MirrorOrigin::Given => None,
            origin => Some(super::found::mirror_origin(origin)),
        },
    ));
    if !download.troubles.is_empty() {
        body = body.push(text(t("details-trouble")).size(16));
        for (url, trouble) in download.troubles.iter().rev().take(8) {
            let url = crate::format::url(url);
            let what = super::reasons::trouble(trouble);
            body = body.push(text(format!("{url}: {what}")).size(12));
        }
    }
    let mut page = column![header].spacing(12);
    if let Some(own) = own {
        body = column![own.map(Message::Own), body].spacing(12);
    }
    page = page.push(scrollable(body.padding([0, 12])).height(Length::Fill));
    page.into()
}

/// The download's name, shortened to leave its buttons room (the whole name in a
/// tooltip then).
fn title(download: &Download, width: f32) -> Element<'_, Message> {
    let buttons = match download.state {
        State::Finished { .. } => 380.0,
        _ => 130.0,
    };
    let back_and_margins = 150.0;
    let fits = widgets::chars_that_fit(width - buttons - back_and_margins, 20.0);
    let name = &download.spec.name;
    let shown = text(widgets::ellipsize(name, fits))
        .size(20)
        .wrapping(Wrapping::None);
    let shown: Element<'_, Message> = if name.chars().count() > fits {
        tooltip(
            shown,
            container(text(name.clone()).size(12))
                .padding([3, 8])
                .style(container::bordered_box),
            tooltip::Position::Bottom,
        )
        .into()
    } else {
        shown.into()
    };
    container(shown).width(Length::Fill).clip(true).into()
}

/// Which hash the file was, or will be, checked with.
fn verification(download: &Download) -> String {
    match &download.state {
        State::Finished {
            verified: Some(hash),
            repaired,
            ..
        } => t_args(
            "details-verified",
            &[("hash", hash.clone()), ("repaired", repaired.to_string())],
        ),
        State::Finished { verified: None, .. } => t("details-unverified"),
        _ => match crate::metalink::hash::strongest(&download.spec.hashes) {
            Some(hash) => t_args(
                "details-will-verify",
                &[("hash", hash.algorithm.to_string())],
            ),
            None => t("details-no-hash"),
        },
    }
}

/// One column of the mirror table: its header key and fixed width (`None` fills).
struct MirrorColumn {
    key: &'static str,
    width: Option<f32>,
    /// Dropped first when the window is narrow.
    optional: bool,
    /// Long values wrap (a dropped mirror's reason) instead of being clipped.
    wraps: bool,
}

const MIRROR_COLUMNS: [MirrorColumn; 8] = [
    // Wraps: a plain link's extra mirror says where it came from, which was cut off
    // ("(from metalink service 127.0…", seen under Xvfb at 1000 px).
    MirrorColumn {
        key: "mirror-origin",
        width: None,
        optional: false,
        wraps: true,
    },
    MirrorColumn {
        key: "mirror-location",
        width: Some(56.0),
        optional: true,
        wraps: false,
    },
    MirrorColumn {
        key: "mirror-priority",
        width: Some(72.0),
        optional: true,
        wraps: false,
    },
    MirrorColumn {
        key: "mirror-connections",
        width: Some(56.0),
        optional: false,
        wraps: false,
    },
    MirrorColumn {
        key: "mirror-speed",
        width: Some(88.0),
        optional: false,
        wraps: false,
    },
    MirrorColumn {
        key: "mirror-bytes",
        width: Some(92.0),
        optional: false,
        wraps: false,
    },
    MirrorColumn {
        key: "mirror-errors",
        width: Some(104.0),
        optional: true,
        wraps: false,
    },
    MirrorColumn {
        key: "mirror-status",
        width: None,
        optional: false,
        wraps: true,
    },
];

fn mirror_table<'a>(
    mirrors: &[MirrorStatus],
    width: f32,
    drop_text: impl Fn(&MirrorStatus) -> Option<String>,
    found_in: impl Fn(&str) -> Option<String>,
) -> Element<'a, Message> {
    let wide = width >= 1000.0;
    let shown: Vec<(usize, &MirrorColumn)> = MIRROR_COLUMNS
        .iter()
        .enumerate()
        .filter(|(_, c)| wide || !c.optional)
        .collect();
    let cell = |s: String, column: &MirrorColumn| {
        let wrapping = if column.wraps {
            Wrapping::WordOrGlyph
        } else {
            Wrapping::None
        };
        container(text(s).size(12).wrapping(wrapping))
            .width(column.width.map_or(Length::Fill, Length::Fixed))
            .clip(true)
    };
    let mut header = row![].spacing(10);
    for (_, column) in &shown {
        header = header.push(cell(t(column.key), column));
    }
    let mut table = column![
        container(header)
            .padding([4, 8])
            .style(theme::surfaces::header)
    ]
    .spacing(4);
    for mirror in mirrors {
        let status = match drop_text(mirror) {
            Some(reason) => t_args("mirror-dropped", &[("reason", reason)]),
            None if mirror.connections > 0 => t("mirror-active"),
            None => t("mirror-idle"),
        };
        // A plain link's extra mirrors say where they came from.
        let host = shown_origin(&mirror.url);
        let host = match found_in(&mirror.url) {
            Some(from) => t_args("details-mirror-from", &[("mirror", host), ("from", from)]),
            None => host,
        };
        let values = [
            host,
            mirror.location.clone().unwrap_or_default(),
            mirror.priority.to_string(),
            mirror.connections.to_string(),
            units::speed(mirror.speed),
            units::bytes(mirror.bytes),
            format!("{} / {}", mirror.errors, mirror.bad_pieces),
            status,
        ];
        let mut line = row![].spacing(10);
        for (index, column) in &shown {
            line = line.push(cell(values[*index].clone(), column));
        }
        table = table.push(container(line).padding([0, 8]));
    }
    container(table)
        .padding(6)
        .style(theme::surfaces::panel)
        .into()
}

/// `scheme://host`, with the port only when it is not the scheme's own.
fn shown_origin(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match u.port() {
            Some(port) => format!("{}://{}:{port}", u.scheme(), u.host_str().unwrap_or("")),
            None => format!("{}://{}", u.scheme(), u.host_str().unwrap_or("")),
        },
        Err(_) => crate::format::url(url),
    }
}

/// A piece's colour; without piece hashes a received piece is not "verified" and is not
/// shown in the verified green.
fn piece_color(status: PieceStatus, checked: bool) -> Color {
    match status {
        PieceStatus::Missing => Color::from_rgb8(0x9e, 0x9e, 0x9e),
        PieceStatus::InFlight => Color::from_rgb8(0x42, 0x8b, 0xf5),
        PieceStatus::Verified if checked => Color::from_rgb8(0x3d, 0xa5, 0x5d),
        PieceStatus::Verified => Color::from_rgb8(0x5f, 0x7f, 0x99),
        PieceStatus::Repaired => Color::from_rgb8(0xe6, 0x9a, 0x1f),
    }
}

fn piece_legend<'a>(checked: bool, running: bool) -> Element<'a, Message> {
    let item = |status, key: &str| {
        row![
            container(text(" "))
                .width(12)
                .height(12)
                .style(move |_: &Theme| container::Style {
                    background: Some(piece_color(status, checked).into()),
                    ..container::Style::default()
                }),
            text(t(key)).size(12),
        ]
        .spacing(4)
        .align_y(Alignment::Center)
    };
    let mut legend = row![item(PieceStatus::Missing, "piece-missing")].spacing(16);
    if running {
        legend = legend.push(item(PieceStatus::InFlight, "piece-in-flight"));
    }
    if checked {
        legend = legend
            .push(item(PieceStatus::Verified, "piece-verified"))
            .push(item(PieceStatus::Repaired, "piece-repaired"));
    } else {
        legend = legend.push(item(PieceStatus::Verified, "piece-received"));
    }
    legend.into()
}

/// The pieces as a grid of cells; when there are more pieces than cells, each cell
/// shows the least finished piece it covers.
pub struct PieceMap {
    pub pieces: Vec<PieceStatus>,
    /// Whether pieces are checked against piece hashes (else they are only received).
    pub checked: bool,
}

/// Smallest cell edge in pixels.
const CELL: f32 = 6.0;

/// Room for the map: as many rows of cells as the pieces need, up to 120 pixels.
fn map_height(pieces: usize, width: f32) -> f32 {
    let columns = (width / CELL).floor().max(1.0);
    ((pieces as f32 / columns).ceil() * 14.0).clamp(14.0, 120.0)
}

impl PieceMap {
    /// Cells that fit `size`, and the status each shows.
    pub fn cells(&self, size: Size) -> (usize, Vec<PieceStatus>) {
        let columns = ((size.width / CELL).floor() as usize).max(1);
        let rows = ((size.height / CELL).floor() as usize).max(1);
        let count = self.pieces.len().min(columns * rows).max(1);
        let per_cell = self.pieces.len().div_ceil(count).max(1);
        let cells = self
            .pieces
            .chunks(per_cell)
            .map(|chunk| {
                let rank = |s: &PieceStatus| match s {
                    PieceStatus::Missing => 0,
                    PieceStatus::InFlight => 1,
                    PieceStatus::Repaired => 2,
                    PieceStatus::Verified => 3,
                };
                *chunk
                    .iter()
                    .min_by_key(|s| rank(s))
                    .expect("chunks are not empty")
            })
            .collect();
        (columns, cells)
    }
}

impl<Message> canvas::Program<Message> for PieceMap {
    type State = ();

    fn draw(
        &self,
        _state: &(),
        renderer: &Renderer,
        _theme: &Theme,
        bounds: Rectangle,
        _cursor: mouse::Cursor,
    ) -> Vec<Geometry> {
        let mut frame = Frame::new(renderer, bounds.size());
        let (columns, cells) = self.cells(bounds.size());
        let rows = cells.len().div_ceil(columns).max(1);
        let width = (bounds.width / columns as f32).max(1.0);
        let height = (bounds.height / rows as f32).clamp(1.0, 16.0);
        for (index, status) in cells.into_iter().enumerate() {
            let x = (index % columns) as f32 * width;
            let y = (index / columns) as f32 * height;
            frame.fill_rectangle(
                Point::new(x, y),
                Size::new((width - 1.0).max(1.0), (height - 1.0).max(1.0)),
                piece_color(status, self.checked),
            );
        }
        vec![frame.into_geometry()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_pieces_share_cells_showing_the_least_finished() {
        let mut pieces = vec![PieceStatus::Verified; 10_000];
        pieces[5] = PieceStatus::Missing;
        let map = PieceMap {
            pieces,
            checked: true,
        };
        let (columns, cells) = map.cells(Size::new(60.0, 60.0));
        assert_eq!(columns, 10);
        assert!(cells.len() <= 100);
        assert_eq!(cells[0], PieceStatus::Missing);
        assert!(cells[1..].iter().all(|c| *c == PieceStatus::Verified));
    }

    use crate::gui::downloads::Download;

    fn download(state: State, pieces: bool) -> Download {
        let mut spec = crate::gui::downloads::tests::spec("a.iso");
        if pieces {
            spec.pieces = Some(crate::metalink::Pieces::new(
                crate::metalink::HashAlgorithm::Sha256,
                500,
                vec![0; 64],
            ));
        }
        let mut download = Download::new(DownloadId(1), spec, state);
        download.progress = Some(Box::new(crate::engine::Progress {
            size: Some(1000),
            done: 500,
            verified_prefix: 500,
            received: 500,
            speed: 0.0,
            connections: 0,
            pieces: vec![PieceStatus::Verified, PieceStatus::Missing],
            mirrors: Vec::new(),
            repairs: Vec::new(),
        }));
        download
    }

    /// Bug 7: green "verified" pieces on a metalink without piece hashes.
    #[test]
    fn without_piece_hashes_pieces_are_received_not_verified() {
        crate::i18n::set_language("en");
        let plain = download(State::Paused, false);
        let mut ui = iced_test::simulator(view(&plain, None, 1000.0, None));
        assert!(ui.find("received").is_ok());
        assert!(ui.find("verified").is_err());
        assert!(
            ui.find("downloading").is_err(),
            "nothing in flight when paused"
        );
        assert!(ui.find(t("details-no-piece-hashes").as_str()).is_ok());
        let checked = download(State::Paused, true);
        let mut ui = iced_test::simulator(view(&checked, None, 1000.0, None));
        assert!(ui.find("verified").is_ok());
        assert!(ui.find("received").is_err());
        // A zsync file's blocks check pieces too (seen under Xvfb: an update from an
        // older copy said "No piece hashes", every block "received").
        let mut zsync = download(State::Paused, false);
        zsync.spec.size = Some(1000);
        zsync.spec.blocks = Some(std::sync::Arc::new(crate::zsync::BlockSums::compute(
            &[7; 1000],
            512,
            1,
            crate::zsync::StrongAlgorithm::Md4,
        )));
        let mut ui = iced_test::simulator(view(&zsync, None, 1000.0, None));
        assert!(ui.find("verified").is_ok());
        assert!(ui.find(t("details-no-piece-hashes").as_str()).is_err());
    }

    /// Bug 5: "Resume" where the queue said "Retry".
    #[test]
    fn a_failed_download_offers_retry_and_says_why() {
        crate::i18n::set_language("en");
        let failed = download(State::Failed("disk full".into()), true);
        let mut ui = iced_test::simulator(view(&failed, None, 1000.0, None));
        assert!(ui.find("Retry").is_ok());
        assert!(ui.find("Resume").is_err());
        assert!(ui.find("disk full").is_ok());
        let messages: Vec<_> = {
            ui.click("Retry").unwrap();
            ui.into_messages().collect()
        };
        assert!(matches!(messages[..], [Message::Retry(DownloadId(1))]));
    }

    /// Bug 5's sibling: a download that failed for want of mirrors showed the mirror
    /// its last progress still counted as usable "idle".
    #[test]
    fn a_download_failed_for_want_of_mirrors_names_each_mirrors_reason() {
        use crate::engine::{
            DropReason, Fault, JobError, MirrorFailure, MirrorReason, MirrorStatus, NetError,
        };
        crate::i18n::set_language("en");
        let refused = |url: &str| MirrorFailure {
            url: url.into(),
            reason: MirrorReason::Dropped(DropReason::Failures {
                count: 5,
                last: Fault::Network(NetError::Connect),
            }),
        };
        let failed = State::Failed(crate::gui::downloads::Failure::Job(JobError::NoMirrors(
            vec![
                refused("http://127.0.0.1:9/a.iso"),
                refused("http://127.0.0.3:9/a.iso"),
            ],
        )));
        let mut download = download(failed, false);
        let mirror = |url: &str, dropped: Option<DropReason>| MirrorStatus {
            url: url.into(),
            location: None,
            priority: 1,
            connections: 0,
            bytes: 0,
            speed: 0.0,
            errors: 5,
            bad_pieces: 0,
            dropped,
        };
        if let Some(progress) = &mut download.progress {
            progress.mirrors = vec![
                mirror(
                    "http://127.0.0.1:9/a.iso",
                    Some(DropReason::Failures {
                        count: 5,
                        last: Fault::Network(NetError::Connect),
                    }),
                ),
                mirror("http://127.0.0.3:9/a.iso", None),
            ];
        }
        let why = "5 failures in a row, the last: could not connect";
        let mirrors = download.progress.as_ref().unwrap().mirrors.clone();
        for mirror in &mirrors {
            assert_eq!(
                download.drop_text(mirror).as_deref(),
                Some(why),
                "{}",
                mirror.url
            );
        }
        let mut ui = iced_test::simulator(view(&download, None, 1000.0, None));
        assert!(
            ui.find(t("mirror-idle").as_str()).is_err(),
            "no mirror is idle"
        );
        assert!(
            ui.find(format!("dropped: {why}").as_str()).is_ok(),
            "said in full"
        );
    }

    #[test]
    fn a_plain_links_checksum_and_mirrors_say_where_they_came_from() {
        use crate::engine::{ChecksumOrigin, MirrorOrigin, MirrorStatus, Provenance};
        crate::i18n::set_language("en");
        let mut found = download(State::Running, false);
        found.spec.hashes = vec![crate::metalink::Hash {
            algorithm: crate::metalink::HashAlgorithm::Sha256,
            digest: vec![0; 32],
        }];
        found.spec.provenance = Provenance {
            checksum: Some(ChecksumOrigin::HashFile {
                url: "http://127.0.0.1/d/SHA256SUMS".into(),
                signed: false,
            }),
            mirrors: vec![
                ("http://127.0.0.1/d/a.iso".into(), MirrorOrigin::Given),
                (
                    "http://127.0.0.2/m/a.iso".into(),
                    MirrorOrigin::Memory { last_seen: 1 },
                ),
            ],
        };
        let mirror = |url: &str| MirrorStatus {
            url: url.into(),
            location: None,
            priority: 1,
            connections: 1,
            bytes: 0,
            speed: 0.0,
            errors: 0,
            bad_pieces: 0,
            dropped: None,
        };
        if let Some(progress) = &mut found.progress {
            progress.mirrors = vec![
                mirror("http://127.0.0.1/d/a.iso"),
                mirror("http://127.0.0.2/m/a.iso"),
            ];
        }
        let mut ui = iced_test::simulator(view(&found, None, 1200.0, None));
        assert!(ui.find("Checksum: sha-256 from SHA256SUMS").is_ok());
        assert!(ui.find("1 more mirror: 1 from Braid's memory").is_ok());
        assert!(ui.find("http://127.0.0.2 (from Braid's memory)").is_ok());
        assert!(
            ui.find("http://127.0.0.1 (from").is_err(),
            "the link itself says nothing"
        );
    }
}
