//! The drop overlay: while something is dragged over the window, what a drop will do
//! ("Drop to add 2 links") and what it will not take, and why.

use iced::widget::{column, container, text};
use iced::{Alignment, Color, Element, Length, Theme};

use crate::i18n::{t, t_args};
use crate::platform::drop::{Dragged, Item};

/// At most this many refusals are listed; the rest are counted.
const SHOWN_REFUSALS: usize = 3;

/// The overlay's headline: what a drop will do. `None` while the data is not known yet.
pub fn headline(dragged: Option<&Dragged>, start: bool) -> String {
    let Some(dragged) = dragged else {
        return t("drop-here");
    };
    let count = |key: &str, n: usize| (n > 0).then(|| t_args(key, &[("count", n.to_string())]));
    let what = match (
        count("drop-links", dragged.links()),
        count("drop-metalinks", dragged.metalinks()),
    ) {
        (Some(links), Some(metalinks)) => {
            t_args("drop-and", &[("first", links), ("second", metalinks)])
        }
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => return t("drop-nothing"),
    };
    t_args(
        if start { "drop-download" } else { "drop-add" },
        &[("what", what)],
    )
}

/// Why an item is not added; `None` for one that is.
pub fn refusal(item: &Item) -> Option<String> {
    Some(match item {
        Item::Link(_) | Item::Metalink(_) => return None,
        Item::NotMetalink(path) => t_args(
            "error-not-metalink",
            &[("file", path.display().to_string())],
        ),
        Item::Missing(path) => t_args(
            "error-no-such-file",
            &[("source", path.display().to_string())],
        ),
        Item::Unsupported(link) => t_args("refused-scheme", &[("link", link.clone())]),
        Item::NotALink(text) => t_args("refused-text", &[("text", text.clone())]),
    })
}

/// The lines under the headline: the first few refusals, then how many more.
fn refusal_lines(dragged: &Dragged) -> Vec<String> {
    let refused: Vec<String> = dragged.refused().filter_map(refusal).collect();
    let mut lines: Vec<String> = refused.iter().take(SHOWN_REFUSALS).cloned().collect();
    if refused.len() > SHOWN_REFUSALS {
        lines.push(t_args(
            "drop-more-refused",
            &[("count", (refused.len() - SHOWN_REFUSALS).to_string())],
        ));
    }
    lines
}

/// The overlay over the whole window.
pub fn view<'a, M: 'a>(dragged: Option<&Dragged>, start: bool) -> Element<'a, M> {
    let refused = dragged.map(refusal_lines).unwrap_or_default();
    let nothing = dragged.is_some_and(|d| !d.has_accepted());
    let mut lines = column![text(headline(dragged, start)).size(26)]
        .spacing(10)
        .align_x(Alignment::Center);
    for line in refused {
        lines = lines.push(text(line).size(16));
    }
    let message = container(lines)
        .padding([18, 28])
        .style(crate::gui::theme::surfaces::card);
    container(message)
        .center(Length::Fill)
        .padding(24)
        .style(move |theme: &Theme| {
            let style = crate::gui::theme::surfaces::drop_target(theme);
            // Nothing it holds can be added: the same frame, in the danger colour.
            let accent = match nothing {
                true => theme.palette().danger,
                false => theme.palette().primary,
            };
            container::Style {
                // Opaque: the window under it (rows, the empty queue's words) would
                // run into the message.
                background: Some(tint(theme.palette().background, accent).into()),
                border: iced::Border {
                    color: accent,
                    ..style.border
                },
                ..style
            }
        })
        .into()
}

/// `base` a quarter of the way to `accent`, opaque.
fn tint(base: Color, accent: Color) -> Color {
    let mix = |a: f32, b: f32| a + (b - a) * 0.25;
    Color::from_rgb(
        mix(base.r, accent.r),
        mix(base.g, accent.g),
        mix(base.b, accent.b),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headline_says_what_a_drop_will_do() {
        crate::i18n::set_language("en");
        let dragged = Dragged {
            items: vec![
                Item::Link("https://a/x.iso".into()),
                Item::Link("https://a/y.iso".into()),
                Item::Metalink("/tmp/z.meta4".into()),
                Item::NotALink("hello".into()),
            ],
        };
        assert_eq!(
            headline(Some(&dragged), false),
            "Drop to add 2 links and 1 metalink"
        );
        assert_eq!(
            headline(Some(&dragged), true),
            "Drop to download 2 links and 1 metalink"
        );
        assert_eq!(refusal_lines(&dragged), ["“hello” is not a link"]);
        let refused = Dragged {
            items: (0..5)
                .map(|i| Item::Unsupported(format!("gopher://h/{i}")))
                .collect(),
        };
        assert_eq!(headline(Some(&refused), false), "Nothing here can be added");
        assert_eq!(
            refusal_lines(&refused),
            [
                "gopher://h/0 is not an http(s) or ftp(s) link",
                "gopher://h/1 is not an http(s) or ftp(s) link",
                "gopher://h/2 is not an http(s) or ftp(s) link",
                "and 2 more not added",
            ]
        );
        assert_eq!(headline(None, false), t("drop-here"));
    }

    #[test]
    fn every_language_counts_its_own_way() {
        let one = Dragged {
            items: vec![Item::Link("https://a/x.iso".into())],
        };
        for (language, want) in [
            ("en", "Drop to add 1 link"),
            ("de", "Ablegen, um 1 Link hinzuzufügen"),
            ("es", "Suelte para añadir 1 enlace"),
        ] {
            crate::i18n::set_language(language);
            assert_eq!(headline(Some(&one), false), want);
        }
        crate::i18n::set_language("en");
    }
}
