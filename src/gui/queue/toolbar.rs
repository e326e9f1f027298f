//! The bars over the table: actions over the selection (or all), then the filters with
//! their counts, the kind of file and the search box. However narrow the window and long
//! the language's words, none is cut: actions become icons, the search hint shortens.

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

/// Which of the toolbar's actions keep their words in a window of some width (the others
/// are icons, their words in a tooltip), and whether the count shows: words are never
/// cut or wrapped, whatever the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fit {
    select: bool,
    count: bool,
    clear: bool,
    remove: bool,
    pause: bool,
}

impl Fit {
    /// The most words that fit `width`: first "select all" goes to an icon, then the
    /// count (the status bar has the counts), then the rarer actions.
    fn for_width(width: f32, labels: &Labels) -> Fit {
        let all = Fit {
            select: true,
            count: true,
            clear: true,
            remove: true,
            pause: true,
        };
        let steps = [
            all,
            Fit {
                select: false,
                ..all
            },
            Fit {
                select: false,
                count: false,
                ..all
            },
            Fit {
                select: false,
                count: false,
                clear: false,
                ..all
            },
            Fit {
                select: false,
                count: false,
                clear: false,
                remove: false,
                ..all
            },
        ];
        let last = Fit {
            pause: false,
            ..steps[4]
        };
        steps
            .into_iter()
            .find(|fit| fit.width(labels) <= width)
            .unwrap_or(last)
    }

    fn width(&self, labels: &Labels) -> f32 {
        let button = |words: bool, label: &str| {
            if words {
                widgets::labeled_width(label)
            } else {
                widgets::ICON_BUTTON
            }
        };
        let mut width = button(self.select, &labels.select)
            + button(self.pause, &labels.pause)
            + button(self.pause, &labels.resume)
            + button(self.remove, &labels.remove)
            + button(self.clear, &labels.clear)
            + 5.0 * SPACING;
        if self.count {
            width += widgets::text_width(&labels.count, 16.0) + SPACING;
        }
        width
    }
}

const SPACING: f32 = 8.0;
/// The least the search box is given beside the filters; with less room it goes up.
const SEARCH_LEAST: f32 = 140.0;
/// The search box's width beside the actions.
const SEARCH_UP: f32 = 160.0;

/// The filters and the kind, built, and the width they take.
struct Finder<'a> {
    filters: Element<'a, Message>,
    kind: Element<'a, Message>,
    width: f32,
}

/// The toolbar's words in the interface language.
struct Labels {
    select: String,
    pause: String,
    resume: String,
    remove: String,
    clear: String,
    count: String,
}

/// An action as a button with words, or as an icon with them in its tooltip.
fn action<'a>(
    words: bool,
    icon: Icon,
    label: String,
    message: Option<Message>,
    role: Role,
) -> Element<'a, Message> {
    if words {
        widgets::labeled(icon, label, message, role).into()
    } else {
        widgets::icon_button_maybe(icon, label, message, theme::icons::normal)
    }
}

impl Queue {
    /// The actions over the list, as many with their words as the width has room for.
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
        let labels = Labels {
            select: t("queue-select-all"),
            pause,
            resume,
            remove: t("queue-remove-selected"),
            clear: t("queue-clear-completed"),
            count: t_args(
                "queue-count",
                &[("count", counts.of(Filter::All).to_string())],
            ),
        };
        let Finder {
            filters,
            kind,
            width: taken,
        } = self.filters_and_kind(counts);
        // Where the filters and the kind leave the search box too little (long words at
        // 800 px), it goes up beside the actions, which become icons the sooner.
        let search_up = width - taken < SEARCH_LEAST;
        let fit = match search_up {
            true => Fit::for_width(width - SEARCH_UP - SPACING, &labels),
            false => Fit::for_width(width, &labels),
        };
        let mut actions = row![
            action(
                fit.select,
                Icon::SelectAll,
                labels.select,
                Some(Message::SelectAll),
                Role::Ghost
            ),
            action(
                fit.pause,
                Icon::Pause,
                labels.pause,
                Some(Message::PauseSelected),
                Role::Secondary
            ),
            action(
                fit.pause,
                Icon::Resume,
                labels.resume,
                Some(Message::ResumeSelected),
                Role::Secondary
            ),
            action(
                fit.remove,
                Icon::Remove,
                labels.remove,
                any_selected.then_some(Message::RemoveSelected),
                Role::Secondary
            ),
            container(action(
                fit.clear,
                Icon::Done,
                labels.clear,
                (counts.of(Filter::Done) > 0).then_some(Message::ClearCompleted),
                Role::Ghost
            ))
            .id("clear-completed"),
            space::horizontal(),
        ]
        .spacing(SPACING)
        .align_y(Alignment::Center);
        if search_up {
            actions = actions.push(self.search_box(SEARCH_UP, true));
        }
        if fit.count {
            actions = actions.push(
                text(labels.count)
                    .wrapping(iced::widget::text::Wrapping::None)
                    .style(iced::widget::text::secondary),
            );
        }
        let mut finder = row![filters, space::horizontal(), kind]
            .spacing(8)
            .align_y(Alignment::Center);
        if !search_up {
            let wanted = if narrow { 180.0 } else { 280.0 };
            let room = (width - taken).clamp(SEARCH_LEAST, wanted);
            finder = finder.push(self.search_box(room, narrow));
        }
        column![actions, finder].spacing(8).into()
    }

    /// The filters with their counts and the kind, and the width they take.
    fn filters_and_kind<'a>(&self, counts: Counts) -> Finder<'a> {
        let mut filters = row![].spacing(2).align_y(Alignment::Center);
        // What the filters and the kind take; the search box gets the rest, up to its
        // own width, and a shorter hint when the rest is small.
        let mut taken = KindOption::all()
            .iter()
            .map(|k| widgets::text_width(&k.to_string(), 13.0))
            .fold(0.0, f32::max)
            + 16.0
            + 24.0
            + 2.0 * SPACING;
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
            taken += widgets::text_width(&label, 13.0) + 20.0 + 2.0;
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
        Finder {
            filters: filters.into(),
            kind: kind.into(),
            width: taken + 8.0,
        }
    }

    /// The search box, `room` wide, with the longest hint that fits.
    fn search_box<'a>(&self, room: f32, narrow: bool) -> Element<'a, Message> {
        let hint = [
            "queue-search-hint",
            "queue-search-hint-short",
            "queue-search-hint-tiny",
        ]
        .into_iter()
        .skip(usize::from(narrow))
        .map(t)
        .find(|hint| widgets::text_width(hint, 13.0) + 16.0 <= room)
        .unwrap_or_else(|| t("queue-search-hint-tiny"));
        let mut search = row![
            text_input(&hint, &self.lens.search)
                .id(SEARCH_ID)
                .on_input(Message::Search)
                .size(13)
                .padding([5, 8])
                .width(Length::Fill),
        ]
        .spacing(2)
        .align_y(Alignment::Center)
        .width(room);
        if !self.lens.search.is_empty() {
            search = search.push(widgets::icon_button(
                Icon::Cancel,
                t("queue-search-clear"),
                Message::Search(String::new()),
                theme::icons::normal,
            ));
        }
        search.into()
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
