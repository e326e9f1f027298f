//! The window's page: toolbar, notices, the screen, and the layers over it.

use iced::widget::{button, column, container, opaque, row, space, stack, text};
use iced::{Alignment, Element, Length, Theme};

use super::{App, Message, Screen};
use crate::gui::details;
use crate::i18n::t;

impl App {
    pub fn view(&self) -> Element<'_, Message> {
        let toolbar = row![
            text("Braid").size(20),
            space::horizontal(),
            button(text(t("toolbar-open"))).on_press(Message::OpenFiles),
            button(text(t("toolbar-paste")))
                .on_press(Message::Paste)
                .style(button::secondary),
            button(text(t("toolbar-settings")))
                .on_press(Message::ShowSettings)
                .style(button::secondary),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        let screen: Element<'_, Message> = match &self.screen {
            Screen::Queue => self.queue.view(&self.downloads).map(Message::Queue),
            Screen::Details(id) => match self.downloads.get(*id) {
                Some(download) => details::view(download).map(Message::Details),
                None => self.queue.view(&self.downloads).map(Message::Queue),
            },
            Screen::Settings(draft) => draft.view().map(Message::Settings),
        };
        let mut page = column![toolbar].spacing(12).padding(16);
        for (index, notice) in self.notices.iter().enumerate().rev().take(3) {
            page = page.push(
                container(
                    row![
                        text(notice.clone()).width(Length::Fill),
                        button(text(t("notice-dismiss")))
                            .on_press(Message::Dismiss(index))
                            .style(button::text),
                    ]
                    .align_y(Alignment::Center),
                )
                .padding(8)
                .width(Length::Fill)
                .style(container::bordered_box),
            );
        }
        if self.closing.is_some() {
            page = page.push(text(t("closing")));
        }
        page = page.push(screen);
        let mut layers = stack![page];
        if let Some(dialog) = &self.dialog {
            layers = layers.push(opaque(
                container(dialog.view().map(Message::Add))
                    .center(Length::Fill)
                    .style(|_: &Theme| container::Style {
                        background: Some(iced::Color::from_rgba(0.0, 0.0, 0.0, 0.45).into()),
                        ..container::Style::default()
                    }),
            ));
        }
        if self.hovering {
            layers = layers.push(
                container(text(t("drop-here")).size(26))
                    .center(Length::Fill)
                    .style(|theme: &Theme| container::Style {
                        background: Some(theme.palette().primary.scale_alpha(0.25).into()),
                        border: iced::Border {
                            color: theme.palette().primary,
                            width: 3.0,
                            radius: 12.0.into(),
                        },
                        ..container::Style::default()
                    }),
            );
        }
        layers.into()
    }
}
