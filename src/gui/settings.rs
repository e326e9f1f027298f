//! The settings screen: a draft of the settings that is checked, then saved and applied.

use std::path::PathBuf;

use iced::widget::{button, column, pick_list, row, scrollable, space, text, text_input, toggler};
use iced::{Alignment, Element, Length};

use crate::config::{ACTIVE_RANGE, CONNECTION_RANGE, Config, ThemeChoice};
use crate::i18n::{LANGUAGES, t, t_args};

#[derive(Debug, Clone)]
pub enum Message {
    ChooseFolder,
    FolderChosen(Option<PathBuf>),
    Active(String),
    Connections(String),
    RateLimit(String),
    Languages(String),
    Os(String),
    Locations(String),
    StartWithoutAsking(bool),
    Notifications(bool),
    Theme(ThemeOption),
    UiLanguage(LanguageOption),
    Save,
    Cancel,
    Register,
}

#[derive(Debug)]
pub enum Action {
    None,
    PickFolder(PathBuf),
    /// Make Braid the default for metalinks (as `braid register`).
    Register,
    Save(Config),
    Close,
}

/// A theme choice with its label, for the pick list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeOption(pub ThemeChoice);

impl std::fmt::Display for ThemeOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self.0 {
            ThemeChoice::System => t("theme-system"),
            ThemeChoice::Light => t("theme-light"),
            ThemeChoice::Dark => t("theme-dark"),
        })
    }
}

/// `""` (the system's) or one of [`LANGUAGES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageOption(pub String);

impl std::fmt::Display for LanguageOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self.0.as_str() {
            "" => t("language-system"),
            "en" => "English".into(),
            "de" => "Deutsch".into(),
            "es" => "Español".into(),
            other => other.into(),
        })
    }
}

/// The fields as typed; numbers stay text until saved, so typing is never fought.
#[derive(Debug, Clone)]
pub struct Draft {
    base: Config,
    active: String,
    connections: String,
    rate_limit: String,
    languages: String,
    os: String,
    locations: String,
    errors: Vec<String>,
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

fn split(text: &str) -> Vec<String> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Draft {
    pub fn new(config: &Config) -> Self {
        Draft {
            base: config.clone(),
            active: config.active_downloads.to_string(),
            connections: config.connections.to_string(),
            rate_limit: config.rate_limit.clone(),
            languages: list(&config.languages),
            os: config.os.clone(),
            locations: list(&config.locations),
            errors: Vec::new(),
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::ChooseFolder => return Action::PickFolder(self.base.download_dir.clone()),
            Message::FolderChosen(Some(dir)) => self.base.download_dir = dir,
            Message::FolderChosen(None) => {}
            Message::Active(v) => self.active = v,
            Message::Connections(v) => self.connections = v,
            Message::RateLimit(v) => self.rate_limit = v,
            Message::Languages(v) => self.languages = v,
            Message::Os(v) => self.os = v,
            Message::Locations(v) => self.locations = v,
            Message::StartWithoutAsking(on) => self.base.start_without_asking = on,
            Message::Notifications(on) => self.base.notifications = on,
            Message::Theme(option) => self.base.theme = option.0,
            Message::UiLanguage(option) => self.base.ui_language = option.0,
            Message::Save => {
                return match self.checked() {
                    Ok(config) => Action::Save(config),
                    Err(errors) => {
                        self.errors = errors;
                        Action::None
                    }
                };
            }
            Message::Cancel => return Action::Close,
            Message::Register => return Action::Register,
        }
        Action::None
    }

    /// The settings as typed, or what is wrong with them.
    pub fn checked(&self) -> Result<Config, Vec<String>> {
        let mut errors = Vec::new();
        let mut number = |text: &str, range: std::ops::RangeInclusive<usize>, key: &str| match text
            .trim()
            .parse::<usize>()
        {
            Ok(n) if range.contains(&n) => n,
            _ => {
                errors.push(t_args(
                    key,
                    &[
                        ("value", text.to_owned()),
                        ("min", range.start().to_string()),
                        ("max", range.end().to_string()),
                    ],
                ));
                *range.start()
            }
        };
        let active = number(&self.active, ACTIVE_RANGE, "settings-error-active");
        let connections = number(
            &self.connections,
            CONNECTION_RANGE,
            "settings-error-connections",
        );
        let config = Config {
            active_downloads: active,
            connections,
            rate_limit: self.rate_limit.trim().to_owned(),
            languages: split(&self.languages),
            os: self.os.trim().to_owned(),
            locations: split(&self.locations),
            ..self.base.clone()
        };
        if let Err(e) = config.rate_limit_bytes() {
            errors.push(t_args("settings-error-rate", &[("reason", e.to_string())]));
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let field =
            |label: String, input: Element<'static, Message>| -> Element<'static, Message> {
                row![text(label).width(260), input]
                    .spacing(12)
                    .align_y(Alignment::Center)
                    .into()
            };
        let mut form = column![
            text(t("settings-title")).size(22),
            field(
                t("settings-folder"),
                row![
                    text(self.base.download_dir.display().to_string()).width(Length::Fill),
                    button(text(t("add-choose-folder")))
                        .on_press(Message::ChooseFolder)
                        .style(button::secondary),
                ]
                .spacing(8)
                .align_y(Alignment::Center)
                .into(),
            ),
            field(
                t("settings-active"),
                text_input("3", &self.active)
                    .on_input(Message::Active)
                    .width(120)
                    .into()
            ),
            field(
                t("settings-connections"),
                text_input("16", &self.connections)
                    .on_input(Message::Connections)
                    .width(120)
                    .into(),
            ),
            field(
                t("settings-rate"),
                text_input(&t("settings-rate-hint"), &self.rate_limit)
                    .on_input(Message::RateLimit)
                    .width(200)
                    .into(),
            ),
            field(
                t("settings-languages"),
                text_input(&t("settings-system-default"), &self.languages)
                    .on_input(Message::Languages)
                    .into(),
            ),
            field(
                t("settings-os"),
                text_input(&t("settings-system-default"), &self.os)
                    .on_input(Message::Os)
                    .into()
            ),
            field(
                t("settings-locations"),
                text_input("de, at, ch", &self.locations)
                    .on_input(Message::Locations)
                    .into(),
            ),
            field(
                t("settings-start-without-asking"),
                toggler(self.base.start_without_asking)
                    .on_toggle(Message::StartWithoutAsking)
                    .into(),
            ),
            field(
                t("settings-notifications"),
                toggler(self.base.notifications)
                    .on_toggle(Message::Notifications)
                    .into(),
            ),
            field(
                t("settings-theme"),
                pick_list(
                    ThemeChoice::ALL.map(ThemeOption),
                    Some(ThemeOption(self.base.theme)),
                    Message::Theme,
                )
                .into(),
            ),
            field(
                t("settings-handler"),
                button(text(t("settings-register")))
                    .on_press(Message::Register)
                    .style(button::secondary)
                    .into(),
            ),
            field(
                t("settings-ui-language"),
                pick_list(
                    std::iter::once(String::new())
                        .chain(LANGUAGES.iter().map(|l| l.to_string()))
                        .map(LanguageOption)
                        .collect::<Vec<_>>(),
                    Some(LanguageOption(self.base.ui_language.clone())),
                    Message::UiLanguage,
                )
                .into(),
            ),
        ]
        .spacing(14);
        for error in &self.errors {
            form = form.push(text(error.clone()).style(text::danger));
        }
        form = form.push(
            row![
                space::horizontal(),
                button(text(t("settings-cancel")))
                    .on_press(Message::Cancel)
                    .style(button::text),
                button(text(t("settings-save")))
                    .on_press(Message::Save)
                    .style(button::primary),
            ]
            .spacing(8),
        );
        scrollable(form.padding([0, 12]))
            .height(Length::Fill)
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_checks_every_field_and_shows_what_is_wrong() {
        crate::i18n::set_language("en");
        let mut draft = Draft::new(&Config::default());
        draft.update(Message::Active("0".into()));
        draft.update(Message::RateLimit("fast".into()));
        let messages: Vec<_> = {
            let mut ui = iced_test::simulator(draft.view());
            ui.click("Save").unwrap();
            ui.into_messages().collect()
        };
        for message in messages {
            assert!(matches!(draft.update(message), Action::None));
        }
        assert_eq!(draft.errors.len(), 2, "{:?}", draft.errors);
        let mut ui = iced_test::simulator(draft.view());
        assert!(
            ui.find("Downloads at once: '0' is not a number from 1 to 20")
                .is_ok()
        );
    }

    #[test]
    fn a_good_draft_saves_the_typed_values() {
        let mut draft = Draft::new(&Config::default());
        draft.update(Message::Active("5".into()));
        draft.update(Message::RateLimit("2M".into()));
        draft.update(Message::Languages("de-AT, en".into()));
        draft.update(Message::Theme(ThemeOption(ThemeChoice::Dark)));
        let Action::Save(config) = draft.update(Message::Save) else {
            panic!("saved");
        };
        assert_eq!(config.active_downloads, 5);
        assert_eq!(config.rate_limit_bytes(), Ok(Some(2 << 20)));
        assert_eq!(config.languages, ["de-AT", "en"]);
        assert_eq!(config.theme, ThemeChoice::Dark);
    }
}
