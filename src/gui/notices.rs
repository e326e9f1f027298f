//! What the window tells the user in passing: errors stay until dismissed, everything
//! else fades after a few seconds. An offer (links copied while the clipboard is
//! watched) has an "Add" button and stays until taken or dismissed; a newer offer
//! replaces it. The newest few are shown, with a count of the rest and a way to dismiss
//! them all.

use std::time::{Duration, Instant};

use iced::widget::{button, column, container, row, text};
use iced::{Alignment, Element, Length};

use super::icons::{self, Icon};
use super::reasons::Worded;
use super::theme;
use super::widgets;
use crate::i18n::{t, t_args};

/// How long a notice that is not an error stays.
pub const FADE_AFTER: Duration = Duration::from_secs(8);
/// Notices shown at once; the others are counted.
const SHOWN: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Something went wrong: it stays until read.
    Error,
    /// Something happened: it fades.
    Info,
    /// Sources to add if the user says so ("Add"): it stays until answered.
    Offer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    /// What a system said in its own words, which `text` leaves out: a hover away.
    pub detail: Option<String>,
    pub kind: Kind,
    pub since: Instant,
    /// What "Add" hands over (offers only).
    pub sources: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Dismiss(usize),
    DismissAll,
    /// "Add" on an offer.
    Take(usize),
}

/// What a notice's button asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    Nothing,
    /// Add these sources, as if pasted.
    Sources(Vec<String>),
}

#[derive(Debug, Default)]
pub struct Notices {
    list: Vec<Notice>,
}

impl Notices {
    /// An error, with the system's own words as its detail when there are some.
    pub fn error(&mut self, worded: impl Into<Worded>) {
        let worded = worded.into();
        self.push(worded.words, Kind::Error);
        if let Some(notice) = self.list.last_mut() {
            notice.detail = worded.detail;
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.push(text.into(), Kind::Info);
    }

    /// Offers `sources` with "Add"; an earlier offer goes (it was copied over).
    pub fn offer(&mut self, text: impl Into<String>, sources: Vec<String>) {
        self.list.retain(|n| n.kind != Kind::Offer);
        self.push(text.into(), Kind::Offer);
        if let Some(notice) = self.list.last_mut() {
            notice.sources = sources;
        }
    }

    fn push(&mut self, text: String, kind: Kind) {
        // The same words again only move to the front.
        self.list.retain(|n| n.text != text);
        self.list.push(Notice {
            text,
            detail: None,
            kind,
            since: Instant::now(),
            sources: Vec::new(),
        });
    }

    pub fn update(&mut self, message: Message) -> Taken {
        match message {
            Message::Dismiss(index) => {
                if index < self.list.len() {
                    self.list.remove(index);
                }
            }
            Message::DismissAll => self.list.clear(),
            Message::Take(index) => {
                if index < self.list.len() && self.list[index].kind == Kind::Offer {
                    return Taken::Sources(self.list.remove(index).sources);
                }
            }
        }
        Taken::Nothing
    }

    /// Lets notices that are not errors or offers fade once their time is up.
    pub fn expire(&mut self, now: Instant) {
        self.list
            .retain(|n| n.kind != Kind::Info || now.duration_since(n.since) < FADE_AFTER);
    }

    /// Whether some notice will fade, so the window needs a clock.
    pub fn fading(&self) -> bool {
        self.list.iter().any(|n| n.kind == Kind::Info)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Notice> {
        self.list.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The newest notices, newest first, and a line for the rest.
    pub fn view(&self) -> Option<Element<'_, Message>> {
        if self.is_empty() {
            return None;
        }
        let mut list = column![].spacing(6);
        for (index, notice) in self.list.iter().enumerate().rev().take(SHOWN) {
            let (icon, style, tone): (_, fn(&iced::Theme) -> container::Style, _) =
                match notice.kind {
                    Kind::Error => (
                        Icon::Warning,
                        theme::surfaces::notice_error,
                        theme::Tone::Failed,
                    ),
                    Kind::Info => (
                        Icon::Details,
                        theme::surfaces::notice_info,
                        theme::Tone::Running,
                    ),
                    Kind::Offer => (
                        Icon::Paste,
                        theme::surfaces::notice_info,
                        theme::Tone::Running,
                    ),
                };
            let mut line = row![
                icons::view(icon, 16.0).style(theme::icons::tone(tone)),
                text(notice.text.clone()).width(Length::Fill),
            ]
            .spacing(8)
            .align_y(Alignment::Center);
            if let Some(detail) = &notice.detail {
                // The technical words, for whoever wants them: a hover on the icon.
                line = line.push(
                    container(
                        iced::widget::tooltip(
                            icons::view(Icon::Details, 16.0).style(theme::icons::muted),
                            widgets::tip(detail.clone()).max_width(480),
                            iced::widget::tooltip::Position::Left,
                        )
                        .gap(6),
                    )
                    .id(detail_id(index)),
                );
            }
            if notice.kind == Kind::Offer {
                line = line.push(
                    button(text(t("notice-add")).size(13))
                        .on_press(Message::Take(index))
                        .padding([3, 10])
                        .style(theme::buttons::primary),
                );
            }
            line = line.push(
                button(icons::view(Icon::Cancel, 14.0))
                    .on_press(Message::Dismiss(index))
                    .padding(4)
                    .style(theme::buttons::ghost),
            );
            list = list.push(
                container(line)
                    .padding([6, 10])
                    .width(Length::Fill)
                    .style(style),
            );
        }
        let hidden = self.list.len().saturating_sub(SHOWN);
        if self.list.len() > 1 {
            let mut line = row![].spacing(8).align_y(Alignment::Center);
            if hidden > 0 {
                line = line.push(
                    text(t_args("notices-more", &[("count", hidden.to_string())]))
                        .size(12)
                        .style(text::secondary),
                );
            }
            line = line.push(
                button(text(t("notices-dismiss-all")).size(12))
                    .on_press(Message::DismissAll)
                    .padding([2, 8])
                    .style(theme::buttons::ghost),
            );
            list = list.push(line);
        }
        Some(list.into())
    }
}

/// The widget id of a notice's detail icon, for tests and tools.
pub fn detail_id(index: usize) -> String {
    format!("notice-detail-{index}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_stay_the_rest_fade_and_the_hidden_are_counted() {
        crate::i18n::set_language("en");
        let mut notices = Notices::default();
        notices.error("disk full");
        for i in 0..4 {
            notices.info(format!("added {i}"));
        }
        {
            let mut ui = iced_test::simulator(notices.view().unwrap());
            assert!(ui.find("added 3").is_ok(), "the newest shows");
            assert!(ui.find("disk full").is_err(), "beyond the newest three");
            assert!(ui.find("2 more").is_ok(), "the hidden are counted");
            assert!(ui.find("Dismiss all").is_ok());
        }
        notices.expire(Instant::now() + FADE_AFTER);
        let left: Vec<_> = notices.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(left, ["disk full"], "only the error stays");
        assert!(!notices.fading());
        notices.update(Message::DismissAll);
        assert!(notices.is_empty());
    }

    /// A link that could not be probed: the sentence in the user's words, the
    /// transport's own words behind an icon.
    #[test]
    fn an_errors_technical_words_are_behind_its_icon() {
        crate::i18n::set_language("de");
        let error = crate::discover::ProbeError::Request {
            url: url::Url::parse("http://127.0.0.1:8080/a.iso").unwrap(),
            error: crate::engine::Fault::Network(crate::engine::NetError::Other(
                "invalid HTTP version parsed".into(),
            )),
        };
        let mut notices = Notices::default();
        notices.error(crate::gui::reasons::probe_worded(&error));
        notices.error("Datenträger voll");
        let mut ui = iced_test::simulator(notices.view().unwrap());
        assert!(
            ui.find("http://127.0.0.1:8080/a.iso: Netzwerkfehler")
                .is_ok()
        );
        assert!(
            ui.find("invalid HTTP version parsed").is_err(),
            "not in the sentence"
        );
        assert!(ui.find(iced_test::selector::id(detail_id(0))).is_ok());
        assert!(
            ui.find(iced_test::selector::id(detail_id(1))).is_err(),
            "nothing behind words of our own"
        );
        crate::i18n::set_language("en");
    }

    #[test]
    fn an_offer_stays_until_taken_and_a_newer_one_replaces_it() {
        crate::i18n::set_language("en");
        let mut notices = Notices::default();
        notices.offer("first", vec!["https://a.example/a.meta4".into()]);
        notices.offer("second", vec!["https://a.example/b.iso".into()]);
        notices.info("added");
        notices.expire(Instant::now() + FADE_AFTER);
        let left: Vec<_> = notices.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(
            left,
            ["second"],
            "offers do not fade; the newer replaced the older"
        );
        {
            let mut ui = iced_test::simulator(notices.view().unwrap());
            assert!(ui.find("Add").is_ok());
        }
        assert_eq!(notices.update(Message::Take(5)), Taken::Nothing);
        assert_eq!(
            notices.update(Message::Take(0)),
            Taken::Sources(vec!["https://a.example/b.iso".into()])
        );
        assert!(notices.is_empty());
        notices.error("disk full");
        assert_eq!(
            notices.update(Message::Take(0)),
            Taken::Nothing,
            "not an offer"
        );
    }
}
