//! Braid's look in one place: a light and a dark palette (the system's choice unless the
//! settings say otherwise), one colour per download state, and one style per role for
//! buttons, cards, rows and progress bars. Screens pick a role, never a colour.

use iced::theme::{Mode, Palette};
use iced::widget::{button, container, progress_bar, svg};
use iced::{Background, Border, Color, Shadow, Theme};

use super::downloads::State;

const LIGHT: Palette = Palette {
    background: Color::from_rgb8(0xf6, 0xf7, 0xf9),
    text: Color::from_rgb8(0x1f, 0x23, 0x28),
    primary: Color::from_rgb8(0x2f, 0x6f, 0xeb),
    success: Color::from_rgb8(0x1a, 0x7f, 0x37),
    warning: Color::from_rgb8(0xb3, 0x62, 0x00),
    danger: Color::from_rgb8(0xcf, 0x22, 0x2e),
};

const DARK: Palette = Palette {
    background: Color::from_rgb8(0x17, 0x1a, 0x1f),
    text: Color::from_rgb8(0xe6, 0xed, 0xf3),
    primary: Color::from_rgb8(0x44, 0x93, 0xf8),
    success: Color::from_rgb8(0x3f, 0xb9, 0x50),
    warning: Color::from_rgb8(0xd2, 0x99, 0x22),
    danger: Color::from_rgb8(0xf8, 0x51, 0x49),
};

/// Corner radius shared by buttons, fields and rows.
const RADIUS: f32 = 6.0;

/// The theme for a light or dark desktop.
pub fn for_mode(mode: Mode) -> Theme {
    match mode {
        Mode::Dark => Theme::custom("Braid dark", DARK),
        Mode::Light | Mode::None => Theme::custom("Braid light", LIGHT),
    }
}

/// What a download's state means, as a colour family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Running,
    Waiting,
    Paused,
    Done,
    Failed,
}

impl Tone {
    pub fn of(state: &State) -> Tone {
        match state {
            State::Running => Tone::Running,
            State::Queued | State::Waiting(_) => Tone::Waiting,
            State::Paused => Tone::Paused,
            State::Finished { .. } => Tone::Done,
            State::Failed(_) => Tone::Failed,
        }
    }

    pub fn color(self, theme: &Theme) -> Color {
        let palette = theme.palette();
        match self {
            Tone::Running => palette.primary,
            Tone::Waiting => muted(theme),
            Tone::Paused => palette.warning,
            Tone::Done => palette.success,
            Tone::Failed => palette.danger,
        }
    }
}

/// Text that matters less: units, hints, secondary facts.
pub fn muted(theme: &Theme) -> Color {
    theme.palette().text.scale_alpha(0.62)
}

/// A progress bar in its state's colour.
pub fn progress(tone: Tone) -> impl Fn(&Theme) -> progress_bar::Style {
    move |theme| progress_bar::Style {
        background: Background::Color(theme.extended_palette().background.strong.color),
        bar: Background::Color(tone.color(theme)),
        border: Border::default().rounded(3),
    }
}

/// What a button is for; each role has one look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Primary,
    Secondary,
    Danger,
    Ghost,
}

impl Role {
    pub fn button(self) -> fn(&Theme, button::Status) -> button::Style {
        match self {
            Role::Primary => buttons::primary,
            Role::Secondary => buttons::secondary,
            Role::Danger => buttons::danger,
            Role::Ghost => buttons::ghost,
        }
    }

    /// The icon colour that reads on this role's background.
    pub fn icon(self) -> fn(&Theme, svg::Status) -> svg::Style {
        match self {
            Role::Primary | Role::Danger => icons::on_primary,
            Role::Secondary | Role::Ghost => icons::normal,
        }
    }
}

/// The button roles. `primary`: the one main action of a screen or dialog; `secondary`:
/// the other actions beside it; `danger`: confirming something that cannot be undone;
/// `ghost`: toolbar and row actions, quiet until hovered.
pub mod buttons {
    use super::*;

    fn base(background: Option<Color>, text: Color, border: Color) -> button::Style {
        button::Style {
            background: background.map(Background::Color),
            text_color: text,
            border: Border {
                color: border,
                width: 1.0,
                radius: RADIUS.into(),
            },
            shadow: Shadow::default(),
            snap: true,
        }
    }

    fn disabled(style: button::Style) -> button::Style {
        button::Style {
            background: style.background.map(|b| b.scale_alpha(0.45)),
            text_color: style.text_color.scale_alpha(0.45),
            border: Border {
                color: style.border.color.scale_alpha(0.45),
                ..style.border
            },
            ..style
        }
    }

    pub fn primary(theme: &Theme, status: button::Status) -> button::Style {
        let palette = theme.extended_palette();
        let color = match status {
            button::Status::Hovered => palette.primary.strong.color,
            _ => palette.primary.base.color,
        };
        let style = base(Some(color), palette.primary.base.text, color);
        match status {
            button::Status::Disabled => disabled(style),
            _ => style,
        }
    }

    pub fn secondary(theme: &Theme, status: button::Status) -> button::Style {
        let palette = theme.extended_palette();
        let background = match status {
            button::Status::Hovered | button::Status::Pressed => palette.background.weak.color,
            _ => palette.background.base.color,
        };
        let style = base(
            Some(background),
            palette.background.base.text,
            palette.background.strong.color,
        );
        match status {
            button::Status::Disabled => disabled(style),
            _ => style,
        }
    }

    pub fn danger(theme: &Theme, status: button::Status) -> button::Style {
        let palette = theme.extended_palette();
        let color = match status {
            button::Status::Hovered => palette.danger.strong.color,
            _ => palette.danger.base.color,
        };
        let style = base(Some(color), palette.danger.base.text, color);
        match status {
            button::Status::Disabled => disabled(style),
            _ => style,
        }
    }

    pub fn ghost(theme: &Theme, status: button::Status) -> button::Style {
        let palette = theme.extended_palette();
        let background = match status {
            button::Status::Hovered => Some(palette.background.weak.color),
            button::Status::Pressed => Some(palette.background.strong.color),
            _ => None,
        };
        let style = base(background, palette.background.base.text, Color::TRANSPARENT);
        match status {
            button::Status::Disabled => disabled(style),
            _ => style,
        }
    }

    /// A column's header that sorts: the header's muted words, the text colour when
    /// hovered.
    pub fn header(theme: &Theme, status: button::Status) -> button::Style {
        let text = match status {
            button::Status::Hovered | button::Status::Pressed => theme.palette().text,
            _ => super::muted(theme),
        };
        button::Style {
            background: None,
            text_color: text,
            border: Border::default(),
            shadow: Shadow::default(),
            snap: true,
        }
    }
}

/// Icons take the text colour, or their role's colour.
pub mod icons {
    use super::*;

    pub fn normal(theme: &Theme, _status: svg::Status) -> svg::Style {
        svg::Style {
            color: Some(theme.palette().text),
        }
    }

    pub fn muted(theme: &Theme, _status: svg::Status) -> svg::Style {
        svg::Style {
            color: Some(super::muted(theme)),
        }
    }

    pub fn on_primary(theme: &Theme, _status: svg::Status) -> svg::Style {
        svg::Style {
            color: Some(theme.extended_palette().primary.base.text),
        }
    }

    /// Quiet until hovered, then red: the icon of a destructive row action.
    pub fn destructive(theme: &Theme, status: svg::Status) -> svg::Style {
        svg::Style {
            color: Some(match status {
                svg::Status::Hovered => theme.palette().danger,
                svg::Status::Idle => super::muted(theme),
            }),
        }
    }

    pub fn tone(tone: Tone) -> impl Fn(&Theme, svg::Status) -> svg::Style {
        move |theme, _| svg::Style {
            color: Some(tone.color(theme)),
        }
    }
}

/// Surfaces.
pub mod surfaces {
    use super::*;

    /// A dialog over the window.
    pub fn card(theme: &Theme) -> container::Style {
        let palette = theme.extended_palette();
        container::Style {
            background: Some(Background::Color(palette.background.base.color)),
            text_color: Some(palette.background.base.text),
            border: Border {
                color: palette.background.strong.color,
                width: 1.0,
                radius: 10.0.into(),
            },
            // No blurred shadow: the software renderer spreads it over the window's width.
            shadow: Shadow::default(),
            snap: true,
        }
    }

    /// A framed group inside a screen (a table, a list of files).
    pub fn panel(theme: &Theme) -> container::Style {
        let palette = theme.extended_palette();
        container::Style {
            background: Some(Background::Color(palette.background.weakest.color)),
            border: Border {
                color: palette.background.strong.color,
                width: 1.0,
                radius: RADIUS.into(),
            },
            ..container::Style::default()
        }
    }

    /// A table's header row.
    pub fn header(theme: &Theme) -> container::Style {
        let palette = theme.extended_palette();
        container::Style {
            background: Some(Background::Color(palette.background.weak.color)),
            text_color: Some(muted(theme)),
            border: Border::default().rounded(RADIUS),
            ..container::Style::default()
        }
    }

    pub fn row_selected(theme: &Theme) -> container::Style {
        container::Style {
            background: Some(Background::Color(theme.palette().primary.scale_alpha(0.14))),
            border: Border::default().rounded(RADIUS),
            ..container::Style::default()
        }
    }

    /// A row that is going away (Undo is still possible).
    pub fn row_leaving(theme: &Theme) -> container::Style {
        container::Style {
            background: Some(Background::Color(theme.palette().warning.scale_alpha(0.10))),
            text_color: Some(muted(theme)),
            border: Border::default().rounded(RADIUS),
            ..container::Style::default()
        }
    }

    /// The row a dragged download would take the place of.
    pub fn row_drop_target(theme: &Theme) -> container::Style {
        container::Style {
            background: Some(Background::Color(theme.palette().primary.scale_alpha(0.08))),
            border: Border::default()
                .rounded(RADIUS)
                .width(2)
                .color(theme.palette().primary),
            ..container::Style::default()
        }
    }

    /// A high priority beside a download's name.
    pub fn tag_high(theme: &Theme) -> container::Style {
        tag(theme.palette().primary)
    }

    /// A low priority beside a download's name.
    pub fn tag_low(theme: &Theme) -> container::Style {
        tag(super::muted(theme))
    }

    fn tag(color: Color) -> container::Style {
        container::Style {
            background: Some(Background::Color(color.scale_alpha(0.14))),
            text_color: Some(color),
            border: Border::default().rounded(RADIUS),
            ..container::Style::default()
        }
    }

    /// The status bar along the bottom of the window.
    pub fn status_bar(theme: &Theme) -> container::Style {
        let palette = theme.extended_palette();
        container::Style {
            background: Some(Background::Color(palette.background.weak.color)),
            text_color: Some(palette.background.base.text),
            ..container::Style::default()
        }
    }

    pub fn notice_error(theme: &Theme) -> container::Style {
        notice(theme, theme.palette().danger)
    }

    pub fn notice_info(theme: &Theme) -> container::Style {
        notice(theme, theme.palette().primary)
    }

    fn notice(theme: &Theme, accent: Color) -> container::Style {
        let palette = theme.extended_palette();
        container::Style {
            background: Some(Background::Color(
                palette.background.base.color.mix(accent, 0.10),
            )),
            text_color: Some(palette.background.base.text),
            border: Border {
                color: accent.scale_alpha(0.6),
                width: 1.0,
                radius: RADIUS.into(),
            },
            ..container::Style::default()
        }
    }

    /// The dimmed window behind a dialog.
    pub fn scrim(_theme: &Theme) -> container::Style {
        container::Style {
            background: Some(Background::Color(Color::BLACK.scale_alpha(0.45))),
            ..container::Style::default()
        }
    }

    /// The window while files are dragged over it.
    pub fn drop_target(theme: &Theme) -> container::Style {
        container::Style {
            background: Some(Background::Color(theme.palette().primary.scale_alpha(0.25))),
            border: Border {
                color: theme.palette().primary,
                width: 3.0,
                radius: 12.0.into(),
            },
            ..container::Style::default()
        }
    }
}

/// Colour mixing the palette lacks.
trait Mix {
    fn mix(self, other: Color, amount: f32) -> Color;
}

impl Mix for Color {
    fn mix(self, other: Color, amount: f32) -> Color {
        let blend = |a: f32, b: f32| a + (b - a) * amount;
        Color {
            r: blend(self.r, other.r),
            g: blend(self.g, other.g),
            b: blend(self.b, other.b),
            a: self.a,
        }
    }
}
