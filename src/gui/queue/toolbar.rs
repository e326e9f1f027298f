//! The bars over the table: actions over the selection (or all), then the filters with
//! their counts, the kind of file and the search box.

use iced::widget::{column, container, pick_list, row, space, text, text_input};
use iced::{Alignment, Element, Length};

use super::shown::{Counts, Filter};
use super::{Message, Queue, SEARCH_ID};
use crate::category::Category;
use crate::gui::downloads::Downloads;
use crate::gui::icons::Icon;
use crate::gui::theme::{self, Role};
use crate::gui::widgets;
use crate::i18n::{t, t_args};

/// A kind of file to show, or all of them, for the pick list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindOption(pub Option<Category>);

impl KindOption {
    fn all() -> Vec<KindOption> {
        std::iter::once(KindOption(None))
            .chain(Category::ALL.into_iter().map(|c| KindOption(Some(c))))
            .collect()
    }
}

impl std::fmt::Display for KindOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(category) => f.write_str(&category.label()),
            None => f.write_str(&t("filter-all-kinds")),
        }
    }
}

impl Queue {
    /// The actions over the list; a narrow window keeps "select all" as an icon and
    /// leaves the count to the status bar.
    pub(super) fn toolbar<'a>(
        &self,
        downloads: &'a Downloads,
        counts: Counts,
        width: f32,
    ) -> Element<'a, Message> {
        let narrow = width < 900.0;
        let any_selected = downloads.iter().any(|d| d.selected && d.leaving.is_none());
        let (pause, resume) = match (any_selected, self.lens.narrows()) {
            (true, _) => (t("queue-pause-selected"), t("queue-resume-selected")),
            (false, false) => (t("queue-pause-all"), t("queue-resume-all")),
            (false, true) => (t("queue-pause-shown"), t("queue-resume-shown")),
        };
        let select_all = if narrow {
            widgets::icon_button(
                Icon::SelectAll,
                t("queue-select-all"),
                Message::SelectAll,
                theme::icons::normal,
            )
        } else {
            widgets::labeled(
                Icon::SelectAll,
                t("queue-select-all"),
                Some(Message::SelectAll),
                Role::Ghost,
            )
            .into()
        };
        let mut actions = row![
            select_all,
            widgets::labeled(
                Icon::Pause,
                pause,
                Some(Message::PauseSelected),
                Role::Secondary
            ),
            widgets::labeled(
                Icon::Resume,
                resume,
                Some(Message::ResumeSelected),
                Role::Secondary
            ),
            widgets::labeled(
                Icon::Remove,
                t("queue-remove-selected"),
                any_selected.then_some(Message::RemoveSelected),
                Role::Secondary
            ),
            container(widgets::labeled(
                Icon::Done,
                t("queue-clear-completed"),
                (counts.of(Filter::Done) > 0).then_some(Message::ClearCompleted),
                Role::Ghost
            ))
            .id("clear-completed"),
            space::horizontal(),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        if !narrow {
            actions = actions.push(
                text(t_args(
                    "queue-count",
                    &[("count", counts.of(Filter::All).to_string())],
                ))
                .wrapping(iced::widget::text::Wrapping::None)
                .style(iced::widget::text::secondary),
            );
        }
        column![actions, self.finder(counts, narrow)]
            .spacing(8)
            .into()
    }

    /// The filters with their counts, the kind, and the search.
    fn finder<'a>(&self, counts: Counts, narrow: bool) -> Element<'a, Message> {
        let mut filters = row![].spacing(2).align_y(Alignment::Center);
        for filter in Filter::ALL {
            let role = if filter == self.lens.filter {
                Role::Secondary
            } else {
                Role::Ghost
            };
            let label = t_args(
                "filter-with-count",
                &[
                    ("filter", filter.label()),
                    ("count", counts.of(filter).to_string()),
                ],
            );
            filters = filters.push(
                container(
                    iced::widget::button(text(label).size(13))
                        .padding([4, 10])
                        .on_press(Message::Filter(filter))
                        .style(role.button()),
                )
                .id(filter.id()),
            );
        }
        let kind = pick_list(
            KindOption::all(),
            Some(KindOption(self.lens.category)),
            |KindOption(kind)| Message::Kind(kind),
        )
        .text_size(13)
        .padding([4, 8]);
        let mut search = row![
            text_input(
                &t(if narrow {
                    "queue-search-hint-short"
                } else {
                    "queue-search-hint"
                }),
                &self.lens.search
            )
            .id(SEARCH_ID)
            .on_input(Message::Search)
            .size(13)
            .padding([5, 8])
            .width(Length::Fill),
        ]
        .spacing(2)
        .align_y(Alignment::Center)
        .width(if narrow { 180 } else { 280 });
        if !self.lens.search.is_empty() {
            search = search.push(widgets::icon_button(
                Icon::Cancel,
                t("queue-search-clear"),
                Message::Search(String::new()),
                theme::icons::normal,
            ));
        }
        row![filters, space::horizontal(), kind, search]
            .spacing(8)
            .align_y(Alignment::Center)
            .into()
    }

    /// Said in place of the rows when the filter or the search hides every download.
    pub(super) fn nothing_shown<'a>(&self) -> Element<'a, Message> {
        container(
            column![
                text(t("queue-nothing-matches")),
                widgets::plain(t("queue-show-all"), Some(Message::ShowAll), Role::Secondary),
            ]
            .spacing(10)
            .align_x(Alignment::Center),
        )
        .center(Length::Fill)
        .into()
    }
}
