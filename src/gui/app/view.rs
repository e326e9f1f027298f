//! The window's page: toolbar, notices, the screen, the status bar, and the layers over
//! them (the add dialog, the drop target).

use iced::widget::{column, container, opaque, row, space, stack, text};
use iced::{Alignment, Element, Length};

use super::{App, Message, Screen};
use crate::gui::icons::{self, Icon};
use crate::gui::theme::{self, Role};
use crate::gui::{details, overlay, queue, widgets};
use crate::i18n::t;

/// Padding around the page.
const PAGE: f32 = 16.0;

impl App {
    /// The view of the one window (for `iced::daemon`, which asks per window).
    pub fn view_window(&self, _window: iced::window::Id) -> Element<'_, Message> {
        self.view()
    }

    pub fn view(&self) -> Element<'_, Message> {
        let width = self.window.width - 2.0 * PAGE;
        let screen: Element<'_, Message> = match &self.screen {
            Screen::Queue => self.queue.view(&self.downloads, width).map(Message::Queue),
            Screen::Details(id) => match self.downloads.get(*id) {
                Some(download) => {
                    let own = self
                        .limits
                        .as_ref()
                        .filter(|l| l.id == *id && !download.state.is_done())
                        .map(|limits| limits.view(download));
                    details::view(download, self.trusted.as_deref(), width, own)
                        .map(Message::Details)
                }
                None => self.queue.view(&self.downloads, width).map(Message::Queue),
            },
            Screen::Settings(draft) => draft.view(width).map(Message::Settings),
            Screen::Create(screen) => screen.view().map(Message::Create),
        };
        let mut page = column![self.toolbar()].spacing(12).padding(PAGE);
        if let Some(notices) = self.notices.view() {
            page = page.push(notices.map(Message::Notices));
        }
        if self.closing.is_some() {
            page = page.push(text(t("closing")));
        }
        page = page.push(screen);
        let window = column![
            page.height(Length::Fill),
            queue::status_bar(
                queue::Totals::of(&self.downloads),
                self.free,
                queue::schedule_now(self.schedule.as_ref()),
            ),
        ];
        let mut layers = stack![window];
        if let Some(dialog) = &self.dialog {
            layers = layers.push(opaque(
                container(
                    dialog
                        .view_before(self.window, self.offers_waiting())
                        .map(Message::Add),
                )
                .center(Length::Fill)
                .style(theme::surfaces::scrim),
            ));
        }
        if let Some(dragged) = &self.dragging {
            let start = self.config.start_without_asking;
            layers = layers.push(overlay::view(dragged.as_ref(), start));
        }
        layers.into()
    }

    /// A ghost toolbar button: icon and label, or the icon alone (its label a tooltip)
    /// when the window is narrow.
    fn quiet_button(&self, icon: Icon, label: String, message: Message) -> Element<'_, Message> {
        if self.window.width < 1000.0 {
            widgets::icon_button(icon, label, message, theme::icons::normal)
        } else {
            widgets::labeled(icon, label, Some(message), Role::Ghost).into()
        }
    }

    fn toolbar(&self) -> Element<'_, Message> {
        row![
            icons::view(Icon::Running, 22.0).style(theme::icons::tone(theme::Tone::Running)),
            text("Braid").size(20),
            space::horizontal(),
            widgets::labeled(
                Icon::Open,
                t("toolbar-open"),
                Some(Message::OpenFiles),
                Role::Primary
            ),
            widgets::labeled(
                Icon::Paste,
                t("toolbar-paste"),
                Some(Message::Paste),
                Role::Secondary
            ),
            self.quiet_button(Icon::Create, t("toolbar-create"), Message::ShowCreate),
            self.quiet_button(Icon::Settings, t("toolbar-settings"), Message::ShowSettings),
        ]
        .spacing(8)
        .align_y(Alignment::Center)
        .into()
    }
}
