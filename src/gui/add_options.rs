//! The add dialog's part for how the new downloads are filed and run: their kind of
//! file (chosen from the names; each kind may have its own folder, from the settings),
//! a speed limit and a cap on connections of their own, a priority, and a time to
//! start at. All of it goes into the downloads' specs; the engine does the rest.

use std::path::PathBuf;

use iced::widget::{column, pick_list, row, text, text_input};
use iced::{Alignment, Element};

use super::limits::{PriorityOption, parse_connections, parse_rate};
use crate::category::Category;
use crate::config::Config;
use crate::engine::schedule::{self, TimeOfDay};
use crate::engine::{JobSpec, Priority};
use crate::i18n::{t, t_args};

#[derive(Debug, Clone)]
pub enum Message {
    Category(CategoryOption),
    Rate(String),
    Connections(String),
    Priority(PriorityOption),
    Start(String),
}

/// A kind with its name, for the pick list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryOption(pub Category);

impl std::fmt::Display for CategoryOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.label())
    }
}

/// Where each kind of file goes, as the settings say (the download folder where they
/// name none).
#[derive(Debug, Clone, PartialEq)]
pub struct Folders(Vec<(Category, PathBuf)>);

impl Folders {
    pub fn of_config(config: &Config) -> Folders {
        Folders(
            Category::ALL
                .into_iter()
                .map(|c| (c, config.folder_for(c)))
                .collect(),
        )
    }

    pub fn get(&self, category: Category) -> Option<&PathBuf> {
        self.0.iter().find(|(c, _)| *c == category).map(|(_, p)| p)
    }
}

/// The options as typed.
#[derive(Debug, Clone)]
pub struct Options {
    pub category: Category,
    /// The user picked the kind (else it follows the files chosen).
    pub filed: bool,
    rate: String,
    connections: String,
    priority: Priority,
    start: String,
}

impl Options {
    /// For files with these names: the kind most of them are.
    pub fn for_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Options {
        Options {
            category: kind_of(names),
            filed: false,
            rate: String::new(),
            connections: String::new(),
            priority: Priority::Normal,
            start: String::new(),
        }
    }

    /// The chosen files changed: the kind follows them, unless the user picked one.
    /// Returns whether it changed.
    pub fn follow<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> bool {
        if self.filed {
            return false;
        }
        let kind = kind_of(names);
        let changed = kind != self.category;
        self.category = kind;
        changed
    }

    /// Returns the kind the user picked, so the folder can follow it.
    pub fn update(&mut self, message: Message) -> Option<Category> {
        match message {
            Message::Category(CategoryOption(category)) => {
                self.category = category;
                self.filed = true;
                return Some(category);
            }
            Message::Rate(text) => self.rate = text,
            Message::Connections(text) => self.connections = text,
            Message::Priority(PriorityOption(priority)) => self.priority = priority,
            Message::Start(text) => self.start = text,
        }
        None
    }

    /// Gives every spec the limits, the priority and the start time typed; a mistake is
    /// named.
    pub fn apply(&self, specs: &mut [JobSpec]) -> Result<(), String> {
        let rate = parse_rate(&self.rate)?;
        let connections = parse_connections(&self.connections)?;
        let start_at = match self.start.trim() {
            "" => None,
            typed => Some(schedule::next_local(TimeOfDay::parse(typed).map_err(
                |_| t_args("limit-not-a-time", &[("text", typed.to_owned())]),
            )?)),
        };
        for spec in specs {
            spec.rate_limit = rate;
            spec.max_connections = connections;
            spec.priority = self.priority;
            spec.start_at = start_at;
        }
        Ok(())
    }

    pub fn view<'a>(&self) -> Element<'a, Message> {
        let field = |label: String, input: Element<'a, Message>, width: f32| {
            column![text(label).size(12), input].spacing(3).width(width)
        };
        let kind = pick_list(
            Category::ALL.map(CategoryOption),
            Some(CategoryOption(self.category)),
            Message::Category,
        )
        .text_size(13)
        .padding(5);
        let rate = text_input(&t("limit-rate-hint"), &self.rate)
            .id("add-limit-rate")
            .on_input(Message::Rate)
            .size(13)
            .padding(5);
        let connections = text_input(&t("limit-connections-hint"), &self.connections)
            .id("add-limit-connections")
            .on_input(Message::Connections)
            .size(13)
            .padding(5);
        let priority = pick_list(
            Priority::ALL.map(PriorityOption),
            Some(PriorityOption(self.priority)),
            Message::Priority,
        )
        .text_size(13)
        .padding(5);
        let start = text_input(&t("add-start-hint"), &self.start)
            .id("add-start-at")
            .on_input(Message::Start)
            .size(13)
            .padding(5);
        row![
            field(t("add-category"), kind.into(), 150.0),
            field(t("limit-rate"), rate.into(), 150.0),
            field(t("limit-connections"), connections.into(), 130.0),
            field(t("limit-priority"), priority.into(), 110.0),
            field(t("limit-start"), start.into(), 150.0),
        ]
        .spacing(10)
        .align_y(Alignment::End)
        .wrap()
        .into()
    }
}

/// The kind most of `names` are (the first of them on a tie); `Other` for none.
fn kind_of<'a>(names: impl IntoIterator<Item = &'a str>) -> Category {
    let mut counts: Vec<(Category, usize)> = Vec::new();
    for name in names {
        let kind = Category::of(name);
        match counts.iter_mut().find(|(c, _)| *c == kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((kind, 1)),
        }
    }
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == most)
        .map_or(Category::Other, |(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_follows_the_files_until_the_user_picks_one() {
        let mut options = Options::for_names(["a.iso", "b.tar.gz", "c.iso"]);
        assert_eq!(options.category, Category::Image);
        assert!(options.follow(["b.tar.gz"]));
        assert_eq!(options.category, Category::Archive);
        assert_eq!(
            options.update(Message::Category(CategoryOption(Category::Document))),
            Some(Category::Document)
        );
        assert!(!options.follow(["a.iso"]), "picked by the user");
        assert_eq!(options.category, Category::Document);
        assert_eq!(Options::for_names([]).category, Category::Other);
    }

    #[test]
    fn typed_limits_go_into_every_spec_and_mistakes_are_named() {
        crate::i18n::set_language("en");
        let mut options = Options::for_names(["a.iso"]);
        options.update(Message::Rate("200K".into()));
        options.update(Message::Connections("3".into()));
        options.update(Message::Priority(PriorityOption(Priority::High)));
        let mut specs = vec![JobSpec::default(), JobSpec::default()];
        options.apply(&mut specs).unwrap();
        for spec in &specs {
            assert_eq!(spec.rate_limit, Some(200 * 1024));
            assert_eq!(spec.max_connections, Some(3));
            assert_eq!(spec.priority, Priority::High);
            assert_eq!(spec.start_at, None);
        }
        options.update(Message::Start("23:30".into()));
        options.apply(&mut specs).unwrap();
        let at = specs[0].start_at.expect("a start time");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!(at > now && at <= now + 24 * 3600, "the next 23:30");
        options.update(Message::Rate("fast".into()));
        assert_eq!(
            options.apply(&mut specs).unwrap_err(),
            "'fast' is not a speed such as 200K or 2M"
        );
        options.update(Message::Rate(String::new()));
        options.update(Message::Connections("0".into()));
        assert!(options.apply(&mut specs).unwrap_err().contains("'0'"));
        options.update(Message::Connections(String::new()));
        options.update(Message::Start("25:00".into()));
        assert!(options.apply(&mut specs).unwrap_err().contains("25:00"));
    }
}
