//! The icons: a few of Lucide's (ISC licence, `assets/icons/LICENSE`), bundled as SVG and
//! drawn in the colour of their role (see `theme::icons`).

use std::sync::LazyLock;

use iced::widget::{Svg, svg};
use iced::{Length, Theme};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    Open,
    Paste,
    Settings,
    Pause,
    Resume,
    Retry,
    Cancel,
    Delete,
    OpenFile,
    Folder,
    Details,
    Remove,
    Undo,
    Running,
    Waiting,
    Paused,
    Done,
    Failed,
    Speed,
    Disk,
    Warning,
    Back,
    SelectAll,
    Dismiss,
    Create,
    /// Done, and a trusted key's good signature proves who published it.
    Signed,
    /// Done, but its signature proves nothing yet (a key not known, a warning).
    SignatureDoubtful,
    /// A placed file whose signature turned out BAD when checked again.
    SignatureBad,
}

const ALL: [Icon; 28] = [
    Icon::Open,
    Icon::Paste,
    Icon::Settings,
    Icon::Pause,
    Icon::Resume,
    Icon::Retry,
    Icon::Cancel,
    Icon::Delete,
    Icon::OpenFile,
    Icon::Folder,
    Icon::Details,
    Icon::Remove,
    Icon::Undo,
    Icon::Running,
    Icon::Waiting,
    Icon::Paused,
    Icon::Done,
    Icon::Failed,
    Icon::Speed,
    Icon::Disk,
    Icon::Warning,
    Icon::Back,
    Icon::SelectAll,
    Icon::Dismiss,
    Icon::Create,
    Icon::Signed,
    Icon::SignatureDoubtful,
    Icon::SignatureBad,
];

impl Icon {
    fn source(self) -> &'static [u8] {
        match self {
            Icon::Open => include_bytes!("../../assets/icons/folder-open.svg"),
            Icon::Paste => include_bytes!("../../assets/icons/clipboard-paste.svg"),
            Icon::Settings => include_bytes!("../../assets/icons/settings.svg"),
            Icon::Pause => include_bytes!("../../assets/icons/pause.svg"),
            Icon::Resume => include_bytes!("../../assets/icons/play.svg"),
            Icon::Retry => include_bytes!("../../assets/icons/rotate-ccw.svg"),
            Icon::Cancel => include_bytes!("../../assets/icons/x.svg"),
            Icon::Delete => include_bytes!("../../assets/icons/trash-2.svg"),
            Icon::OpenFile => include_bytes!("../../assets/icons/external-link.svg"),
            Icon::Folder => include_bytes!("../../assets/icons/folder.svg"),
            Icon::Details => include_bytes!("../../assets/icons/info.svg"),
            Icon::Remove => include_bytes!("../../assets/icons/list-x.svg"),
            Icon::Undo => include_bytes!("../../assets/icons/undo-2.svg"),
            Icon::Running => include_bytes!("../../assets/icons/download.svg"),
            Icon::Waiting => include_bytes!("../../assets/icons/clock.svg"),
            Icon::Paused => include_bytes!("../../assets/icons/circle-pause.svg"),
            Icon::Done => include_bytes!("../../assets/icons/circle-check.svg"),
            Icon::Failed => include_bytes!("../../assets/icons/circle-alert.svg"),
            Icon::Speed => include_bytes!("../../assets/icons/arrow-down.svg"),
            Icon::Disk => include_bytes!("../../assets/icons/hard-drive.svg"),
            Icon::Warning => include_bytes!("../../assets/icons/triangle-alert.svg"),
            Icon::Back => include_bytes!("../../assets/icons/arrow-left.svg"),
            Icon::SelectAll => include_bytes!("../../assets/icons/square-check-big.svg"),
            Icon::Dismiss => include_bytes!("../../assets/icons/circle-x.svg"),
            Icon::Create => include_bytes!("../../assets/icons/file-plus.svg"),
            Icon::Signed => include_bytes!("../../assets/icons/shield-check.svg"),
            Icon::SignatureDoubtful => include_bytes!("../../assets/icons/shield-alert.svg"),
            Icon::SignatureBad => include_bytes!("../../assets/icons/shield-x.svg"),
        }
    }
}

/// One handle per icon, made once: a handle is identified by a hash of its bytes, and
/// the renderer keeps one rasterisation per handle and size.
static HANDLES: LazyLock<Vec<svg::Handle>> = LazyLock::new(|| {
    ALL.iter()
        .map(|icon| svg::Handle::from_memory(icon.source()))
        .collect()
});

/// `icon` at `size` pixels, in the text colour; `.style(...)` gives it another role.
pub fn view<'a>(icon: Icon, size: f32) -> Svg<'a, Theme> {
    let index = ALL
        .iter()
        .position(|i| *i == icon)
        .expect("every icon is in ALL");
    svg(HANDLES[index].clone())
        .width(Length::Fixed(size))
        .height(Length::Fixed(size))
        .style(super::theme::icons::normal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_is_an_svg() {
        for icon in ALL {
            let source = std::str::from_utf8(icon.source()).unwrap();
            assert!(source.contains("<svg"), "{icon:?}");
            assert!(source.contains("viewBox=\"0 0 24 24\""), "{icon:?}");
        }
    }
}
