//! The details screen: one download's progress, its mirrors, a map of its pieces, and
//! how it was verified and repaired.

use iced::widget::canvas::{self, Frame, Geometry};
use iced::widget::{button, column, container, row, scrollable, text};
use iced::{Alignment, Color, Element, Length, Point, Rectangle, Renderer, Size, Theme, mouse};

use super::downloads::{Download, State};
use super::queue::state_text;
use crate::engine::{DownloadId, MirrorStatus, PieceStatus};
use crate::format;
use crate::i18n::{t, t_args};

#[derive(Debug, Clone)]
pub enum Message {
    Back,
    Pause(DownloadId),
    Resume(DownloadId),
}

pub fn view(download: &Download) -> Element<'_, Message> {
    let id = download.id;
    let mut header = row![
        button(text(t("details-back")))
            .on_press(Message::Back)
            .style(button::text),
        text(download.spec.name.clone())
            .size(20)
            .width(Length::Fill),
    ]
    .spacing(10)
    .align_y(Alignment::Center);
    header = match download.state {
        State::Queued | State::Running => {
            header.push(button(text(t("action-pause"))).on_press(Message::Pause(id)))
        }
        State::Paused | State::Failed(_) => {
            header.push(button(text(t("action-resume"))).on_press(Message::Resume(id)))
        }
        State::Finished { .. } => header,
    };
    let size = download
        .size()
        .map_or_else(|| t("size-unknown"), format::bytes);
    let summary = t_args(
        "details-summary",
        &[
            ("done", format::bytes(download.done_bytes())),
            ("size", size),
            ("state", state_text(&download.state)),
        ],
    );
    let mut body = column![
        text(summary),
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
    body = body.push(text(verification(download)));
    if let State::Failed(reason) = &download.state {
        body = body.push(text(reason.clone()).style(text::danger));
    }
    if let Some(progress) = &download.progress {
        if !progress.pieces.is_empty() {
            body = body
                .push(text(t("details-pieces")).size(16))
                .push(piece_legend())
                .push(
                    canvas::Canvas::new(PieceMap {
                        pieces: progress.pieces.clone(),
                    })
                    .width(Length::Fill)
                    .height(120),
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
        body = body
            .push(text(t("details-mirrors")).size(16))
            .push(mirror_table(&progress.mirrors));
    } else {
        body = body.push(text(t_args(
            "details-mirror-count",
            &[("count", download.spec.urls.len().to_string())],
        )));
    }
    if !download.troubles.is_empty() {
        body = body.push(text(t("details-trouble")).size(16));
        for (url, message) in download.troubles.iter().rev().take(8) {
            let url = crate::format::url(url);
            body = body.push(text(format!("{url}: {message}")).size(12));
        }
    }
    column![
        header,
        scrollable(body.padding([0, 12])).height(Length::Fill)
    ]
    .spacing(12)
    .into()
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

fn mirror_table(mirrors: &[MirrorStatus]) -> Element<'_, Message> {
    let cell = |s: String, width: u16| text(s).size(12).width(Length::FillPortion(width));
    let mut table = column![
        row![
            cell(t("mirror-origin"), 6),
            cell(t("mirror-location"), 1),
            cell(t("mirror-priority"), 1),
            cell(t("mirror-connections"), 1),
            cell(t("mirror-speed"), 2),
            cell(t("mirror-bytes"), 2),
            cell(t("mirror-errors"), 1),
            cell(t("mirror-status"), 4),
        ]
        .spacing(6)
    ]
    .spacing(4);
    for mirror in mirrors {
        let status = match &mirror.dropped {
            Some(reason) => t_args("mirror-dropped", &[("reason", reason.to_string())]),
            None if mirror.connections > 0 => t("mirror-active"),
            None => t("mirror-idle"),
        };
        table = table.push(
            row![
                cell(crate::engine::origin(&mirror.url), 6),
                cell(mirror.location.clone().unwrap_or_default(), 1),
                cell(mirror.priority.to_string(), 1),
                cell(mirror.connections.to_string(), 1),
                cell(format::speed(mirror.speed), 2),
                cell(format::bytes(mirror.bytes), 2),
                cell(format!("{} / {}", mirror.errors, mirror.bad_pieces), 1),
                cell(status, 4),
            ]
            .spacing(6),
        );
    }
    container(table)
        .padding(8)
        .style(container::rounded_box)
        .into()
}

fn piece_color(status: PieceStatus) -> Color {
    match status {
        PieceStatus::Missing => Color::from_rgb8(0x9e, 0x9e, 0x9e),
        PieceStatus::InFlight => Color::from_rgb8(0x42, 0x8b, 0xf5),
        PieceStatus::Verified => Color::from_rgb8(0x3d, 0xa5, 0x5d),
        PieceStatus::Repaired => Color::from_rgb8(0xe6, 0x9a, 0x1f),
    }
}

fn piece_legend<'a>() -> Element<'a, Message> {
    let item = |status, key: &str| {
        row![
            container(text(" "))
                .width(12)
                .height(12)
                .style(move |_: &Theme| container::Style {
                    background: Some(piece_color(status).into()),
                    ..container::Style::default()
                }),
            text(t(key)).size(12),
        ]
        .spacing(4)
        .align_y(Alignment::Center)
    };
    row![
        item(PieceStatus::Missing, "piece-missing"),
        item(PieceStatus::InFlight, "piece-in-flight"),
        item(PieceStatus::Verified, "piece-verified"),
        item(PieceStatus::Repaired, "piece-repaired"),
    ]
    .spacing(16)
    .into()
}

/// The pieces as a grid of cells; when there are more pieces than cells, each cell
/// shows the least finished piece it covers.
pub struct PieceMap {
    pub pieces: Vec<PieceStatus>,
}

/// Smallest cell edge in pixels.
const CELL: f32 = 6.0;

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
                piece_color(status),
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
        let map = PieceMap { pieces };
        let (columns, cells) = map.cells(Size::new(60.0, 60.0));
        assert_eq!(columns, 10);
        assert!(cells.len() <= 100);
        assert_eq!(cells[0], PieceStatus::Missing);
        assert!(cells[1..].iter().all(|c| *c == PieceStatus::Verified));
    }
}
