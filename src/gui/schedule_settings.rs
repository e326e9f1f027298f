//! The settings' part about when and how Braid runs: closing into the tray, what to do
//! when the queue is done, the weekly schedule (windows with a speed each, and what
//! holds outside them), and a folder per category. A part of the settings draft.

use iced::widget::{button, column, pick_list, row, text, text_input, toggler};
use iced::{Alignment, Element, Length};

use super::theme;
use crate::category::Category;
use crate::config::{Config, ScheduleWindow};
use crate::engine::schedule::{Allowance, WhenDone};
use crate::i18n::{t, t_args};

#[derive(Debug, Clone)]
pub enum Message {
    CloseToTray(bool),
    WhenDone(WhenDoneOption),
    AddWindow,
    RemoveWindow(usize),
    Days(usize, String),
    From(usize, String),
    To(usize, String),
    Speed(usize, String),
    Otherwise(String),
    Folder(Category, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WhenDoneOption(pub WhenDone);

impl std::fmt::Display for WhenDoneOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&t(match self.0 {
            WhenDone::Nothing => "when-done-nothing",
            WhenDone::Quit => "when-done-quit",
        }))
    }
}

/// The part as typed.
#[derive(Debug, Clone)]
pub struct Draft {
    close_to_tray: bool,
    when_done: WhenDone,
    windows: Vec<ScheduleWindow>,
    otherwise: String,
    folders: Vec<(Category, String)>,
}

impl Draft {
    pub fn new(config: &Config) -> Draft {
        Draft {
            close_to_tray: config.close_to_tray,
            when_done: config.when_done,
            windows: config.schedule.clone(),
            otherwise: config.schedule_otherwise.clone(),
            folders: Category::ALL
                .iter()
                .map(|c| {
                    let folder = config.category_folders.get(*c);
                    (*c, folder.display().to_string())
                })
                .collect(),
        }
    }

    pub fn update(&mut self, message: Message) {
        match message {
            Message::CloseToTray(on) => self.close_to_tray = on,
            Message::WhenDone(option) => self.when_done = option.0,
            Message::AddWindow => self.windows.push(ScheduleWindow::default()),
            Message::RemoveWindow(index) => {
                if index < self.windows.len() {
                    self.windows.remove(index);
                }
            }
            Message::Days(i, v) => self.edit(i, |w| w.days = v),
            Message::From(i, v) => self.edit(i, |w| w.from = v),
            Message::To(i, v) => self.edit(i, |w| w.to = v),
            Message::Speed(i, v) => self.edit(i, |w| w.speed = v),
            Message::Otherwise(v) => self.otherwise = v,
            Message::Folder(category, v) => {
                if let Some((_, folder)) = self.folders.iter_mut().find(|(c, _)| *c == category) {
                    *folder = v;
                }
            }
        }
    }

    fn edit(&mut self, index: usize, change: impl FnOnce(&mut ScheduleWindow)) {
        if let Some(window) = self.windows.get_mut(index) {
            change(window);
        }
    }

    /// Writes the part into `config`; what is wrong, in words, if anything.
    pub fn apply(&self, config: &mut Config) -> Result<(), String> {
        for (index, window) in self.windows.iter().enumerate() {
            window.parse().map_err(|e| {
                t_args(
                    "schedule-error",
                    &[("row", (index + 1).to_string()), ("reason", e.to_string())],
                )
            })?;
        }
        Allowance::parse(&self.otherwise)
            .map_err(|e| t_args("schedule-error-otherwise", &[("reason", e.to_string())]))?;
        config.close_to_tray = self.close_to_tray;
        config.when_done = self.when_done;
        config.schedule = self.windows.clone();
        config.schedule_otherwise = self.otherwise.trim().to_owned();
        for (category, folder) in &self.folders {
            config.category_folders.set(*category, folder.trim().into());
        }
        Ok(())
    }

    pub fn view(&self, tray_shown: bool) -> Element<'_, Message> {
        let mut part = column![text(t("schedule-title")).size(18)].spacing(10);
        let tray_note = if tray_shown {
            t("settings-close-to-tray-note")
        } else {
            t("settings-close-to-tray-none")
        };
        part = part.push(
            row![
                text(t("settings-close-to-tray")).width(240),
                toggler(self.close_to_tray).on_toggle(Message::CloseToTray),
                text(tray_note).size(12).style(text::secondary),
            ]
            .spacing(12)
            .align_y(Alignment::Center),
        );
        part = part.push(
            row![
                text(t("settings-when-done")).width(240),
                pick_list(
                    [WhenDone::Nothing, WhenDone::Quit].map(WhenDoneOption),
                    Some(WhenDoneOption(self.when_done)),
                    Message::WhenDone,
                ),
            ]
            .spacing(12)
            .align_y(Alignment::Center),
        );
        part = part.push(text(t("schedule-help")).size(12).style(text::secondary));
        for (i, window) in self.windows.iter().enumerate() {
            part = part.push(
                row![
                    text_input("mon-fri", &window.days)
                        .on_input(move |v| Message::Days(i, v))
                        .width(140),
                    text_input("01:00", &window.from)
                        .on_input(move |v| Message::From(i, v))
                        .width(70),
                    text("–"),
                    text_input("07:00", &window.to)
                        .on_input(move |v| Message::To(i, v))
                        .width(70),
                    text_input("full", &window.speed)
                        .on_input(move |v| Message::Speed(i, v))
                        .width(110),
                    button(text(t("schedule-remove")))
                        .on_press(Message::RemoveWindow(i))
                        .style(theme::buttons::ghost),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
            );
        }
        part = part.push(
            row![
                button(text(t("schedule-add")))
                    .on_press(Message::AddWindow)
                    .style(theme::buttons::secondary),
                text(t("schedule-otherwise")),
                text_input("full", &self.otherwise)
                    .on_input(Message::Otherwise)
                    .width(110),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );
        part = part.push(text(t("categories-title")).size(18));
        for (category, folder) in &self.folders {
            let category = *category;
            part = part.push(
                row![
                    text(category.label()).width(240),
                    text_input(&t("categories-main-folder"), folder)
                        .on_input(move |v| Message::Folder(category, v))
                        .width(Length::Fill),
                ]
                .spacing(12)
                .align_y(Alignment::Center),
            );
        }
        part.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_added_checked_and_saved() {
        crate::i18n::set_language("en");
        let mut config = Config::default();
        let mut draft = Draft::new(&config);
        draft.update(Message::AddWindow);
        draft.update(Message::Speed(0, "full".into()));
        draft.update(Message::Otherwise("500K".into()));
        draft.update(Message::WhenDone(WhenDoneOption(WhenDone::Quit)));
        draft.update(Message::Folder(Category::Image, "/isos".into()));
        draft.apply(&mut config).unwrap();
        assert_eq!(config.schedule, [ScheduleWindow::default()]);
        assert_eq!(config.schedule().otherwise, Allowance::Limited(500 * 1024));
        assert_eq!(config.when_done, WhenDone::Quit);
        assert_eq!(
            config.folder_for(Category::Image),
            std::path::PathBuf::from("/isos")
        );
        draft.update(Message::To(0, "7 am".into()));
        let error = draft.apply(&mut config).unwrap_err();
        assert!(error.contains("'7 am'"), "{error}");
        assert!(error.contains('1'), "{error}");
    }
}
