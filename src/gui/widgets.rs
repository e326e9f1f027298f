//! Small pieces every screen uses: buttons with icons, and names that fit a column.

use std::time::Duration;

use iced::widget::text::Wrapping;
use iced::widget::{button, container, row, text, tooltip};
use iced::{Alignment, Element, Theme};

use super::icons::{self, Icon};
use super::theme::{self, Role};

type IconStyle = fn(&Theme, iced::widget::svg::Status) -> iced::widget::svg::Style;

/// A button with an icon and a label; `None` disables it.
pub fn labeled<'a, M: Clone + 'a>(
    icon: Icon,
    label: String,
    message: Option<M>,
    role: Role,
) -> button::Button<'a, M> {
    button(
        row![icons::view(icon, 16.0).style(role.icon()), text(label)]
            .spacing(6)
            .align_y(Alignment::Center),
    )
    .padding([6, 12])
    .on_press_maybe(message)
    .style(role.button())
}

/// A button with a label only.
pub fn plain<'a, M: Clone + 'a>(
    label: String,
    message: Option<M>,
    role: Role,
) -> button::Button<'a, M> {
    button(text(label))
        .padding([6, 12])
        .on_press_maybe(message)
        .style(role.button())
}

/// How long the pointer rests on something before its tooltip shows: passing over it on
/// the way to something else shows nothing that could hide the goal.
pub const TIP_DELAY: Duration = Duration::from_millis(500);

/// A tooltip's box with its words.
pub fn tip<'a, M: 'a>(words: String) -> container::Container<'a, M> {
    container(text(words).size(12).wrapping(Wrapping::WordOrGlyph))
        .padding([3, 8])
        .style(container::bordered_box)
}

/// A quiet icon button with its meaning in a tooltip (toolbar actions).
pub fn icon_button<'a, M: Clone + 'a>(
    icon: Icon,
    tip_words: String,
    message: M,
    icon_style: IconStyle,
) -> Element<'a, M> {
    icon_button_maybe(icon, tip_words, Some(message), icon_style)
}

/// [`icon_button`], disabled without a message.
pub fn icon_button_maybe<'a, M: Clone + 'a>(
    icon: Icon,
    tip_words: String,
    message: Option<M>,
    icon_style: IconStyle,
) -> Element<'a, M> {
    let icon_style = if message.is_some() {
        icon_style
    } else {
        theme::icons::muted
    };
    tooltip(
        button(icons::view(icon, 16.0).style(icon_style))
            .padding(5)
            .on_press_maybe(message)
            .style(theme::buttons::ghost),
        tip(tip_words),
        tooltip::Position::Bottom,
    )
    .delay(TIP_DELAY)
    .into()
}

/// Width of an icon button.
pub const ICON_BUTTON: f32 = 26.0;

/// About how wide `words` are at `size` (as [`chars_that_fit`], on the safe side).
pub fn text_width(words: &str, size: f32) -> f32 {
    words.chars().count() as f32 * size * 0.58
}

/// About how wide a [`labeled`] button with `label` is.
pub fn labeled_width(label: &str) -> f32 {
    16.0 + 6.0 + text_width(label, 16.0) + 24.0
}

/// `name` shortened in the middle to at most `max` characters: the start and the
/// extension both stay readable (`distribution-2…-amd64.iso`).
pub fn ellipsize(name: &str, max: usize) -> String {
    let count = name.chars().count();
    if count <= max || max < 5 {
        return name.to_owned();
    }
    let keep = max - 1;
    let tail = keep / 3;
    let head = keep - tail;
    let start: String = name.chars().take(head).collect();
    let end: String = name.chars().skip(count - tail).collect();
    format!("{start}…{end}")
}

/// How many characters of text at `size` fit in `width` pixels (a conservative
/// estimate for the proportional UI font; the cell clips whatever is left over).
pub fn chars_that_fit(width: f32, size: f32) -> usize {
    (width / (size * 0.58)).floor().max(0.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_keep_their_start_and_end() {
        assert_eq!(ellipsize("short.iso", 20), "short.iso");
        let long = "debian-13.1.0-amd64-DVD-1-with-firmware.iso";
        let short = ellipsize(long, 20);
        assert_eq!(short.chars().count(), 20);
        assert!(short.starts_with("debian-13.1"), "{short}");
        assert!(short.ends_with("re.iso"), "{short}");
    }
}
