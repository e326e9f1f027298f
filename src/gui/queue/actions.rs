//! A row's buttons: the main one for its state, its folder, its details and the
//! destructive one. Their tooltips never cover a button the pointer may be going to, and
//! a button that just changed what it does takes no click for a moment.

use iced::widget::{container, row, tooltip};
use iced::{Alignment, Element};

use super::Message;
use crate::gui::downloads::{Download, State};
use crate::gui::icons::{self, Icon};
use crate::gui::{theme, widgets};
use crate::i18n::t;

/// Width of all of a row's buttons.
pub(super) const ACTIONS: f32 = 4.0 * 28.0;

/// The widget id of a row's action: `main`, `folder`, `details` or `destructive` (and
/// `undo` on a removed row), so tests and tools can find them.
pub fn action_id(what: &str, id: crate::engine::DownloadId) -> String {
    format!("{what}-{}", id.0)
}

/// The row's actions: the main one for its state, its folder, its details, and the
/// destructive one last (Undo takes its place when used). Just after the state changed
/// what the main and the destructive button do, they look muted and their clicks are
/// dropped (see [`crate::gui::downloads::SETTLE`]); they still take the click, so a late
/// double click on Pause does not become a double click on the row (its details).
pub(super) fn actions(download: &Download) -> Element<'_, Message> {
    let id = download.id;
    let live = !download.settling(std::time::Instant::now());
    let (main, destructive) = match &download.state {
        State::Queued | State::Waiting(_) | State::Running => (
            (Icon::Pause, "action-pause", Message::Pause(id)),
            (Icon::Cancel, "action-cancel", Message::Cancel(id)),
        ),
        State::Paused => (
            (Icon::Resume, "action-resume", Message::Resume(id)),
            (Icon::Cancel, "action-cancel", Message::Cancel(id)),
        ),
        State::Failed(_) => (
            (Icon::Retry, "action-retry", Message::Retry(id)),
            (
                Icon::Remove,
                "action-remove",
                Message::Remove {
                    id,
                    delete_files: false,
                },
            ),
        ),
        // Deleting the file itself is on the details screen, away from the list.
        State::Finished { .. } => (
            (Icon::OpenFile, "action-open-file", Message::OpenFile(id)),
            (
                Icon::Remove,
                "action-remove",
                Message::Remove {
                    id,
                    delete_files: false,
                },
            ),
        ),
    };
    let buttons = [
        ("main", main, live, false),
        (
            "folder",
            (Icon::Folder, "action-open-folder", Message::OpenFolder(id)),
            true,
            false,
        ),
        (
            "details",
            (Icon::Details, "action-details", Message::Details(id)),
            true,
            false,
        ),
        ("destructive", destructive, live, true),
    ];
    let mut cells = row![].spacing(0).width(ACTIONS).align_y(Alignment::Center);
    for (slot, (what, (icon, tip, message), live, destructive)) in buttons.into_iter().enumerate() {
        let style = match (live, destructive) {
            (false, _) => theme::icons::muted,
            (true, true) => theme::icons::destructive,
            (true, false) => theme::icons::normal,
        };
        cells = cells.push(
            container(row_button(icon, t(tip), message, style, slot)).id(action_id(what, id)),
        );
    }
    cells.into()
}

/// Width of one of a row's icon buttons.
const BUTTON: f32 = 26.0;

/// One of a row's buttons (`slot` from the left). Its tooltip shows after a moment, left
/// of all the row's buttons, over the row's own words: never over a button of this row
/// or of the next, where the pointer may be going.
fn row_button<'a>(
    icon: Icon,
    tip: String,
    message: Message,
    style: fn(&iced::Theme, iced::widget::svg::Status) -> iced::widget::svg::Style,
    slot: usize,
) -> Element<'a, Message> {
    tooltip(
        iced::widget::button(icons::view(icon, 16.0).style(style))
            .padding(5)
            .width(BUTTON)
            .on_press(message)
            .style(theme::buttons::ghost),
        widgets::tip(tip),
        tooltip::Position::Left,
    )
    .gap(slot as f32 * BUTTON + 4.0)
    .delay(widgets::TIP_DELAY)
    .into()
}
