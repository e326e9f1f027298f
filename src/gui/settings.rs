//! The settings screen: a draft of the settings that is checked, then saved and applied.
//! A field's error sits under it and goes once the field is right; Save and Cancel stay
//! in view under the scrolling form.

use std::collections::BTreeMap;
use std::path::PathBuf;

use iced::widget::text::Wrapping;
use iced::widget::{
    column, container, pick_list, row, rule, scrollable, space, text, text_input, toggler,
};
use iced::{Alignment, Element, Length};

use super::icons::Icon;
use super::keys;
use super::theme::Role;
use super::widgets;

use crate::config::{ACTIVE_RANGE, CONNECTION_RANGE, Config, ThemeChoice};

/// Width of a field's label beside it, and the room between them.
const LABEL: f32 = 240.0;
const LABEL_GAP: f32 = 12.0;

/// The metalink services' field, for tests and tools.
pub const SERVICES_ID: &str = "settings-services";
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
    ChecksumSearch(bool),
    WatchClipboard(bool),
    Services(String),
    KeysFromGnupg(bool),
    KeysFromSystem(bool),
    RequireSignature(bool),
    Keys(keys::Message),
    Theme(ThemeOption),
    UiLanguage(LanguageOption),
    Save,
    Cancel,
    Register,
    /// The tray, the schedule, the end of the queue and the category folders.
    Running(super::schedule_settings::Message),
}

#[derive(Debug)]
pub enum Action {
    None,
    PickFolder(PathBuf),
    /// Make Braid the default for metalinks (as `braid register`).
    Register,
    Save(Box<Config>),
    Close,
    /// Key work for the app (a file to pick, an import, a removal).
    Keys(keys::Action),
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

/// The fields that can be wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Active,
    Connections,
    RateLimit,
    Services,
    Schedule,
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
    /// Metalink services, as typed (spaces or commas between them).
    services: String,
    /// The tray, the schedule, the end of the queue and the category folders.
    running: super::schedule_settings::Draft,
    /// Whether a tray shows Braid now (said beside "close to the tray").
    tray_shown: bool,
    /// What is wrong, per field, as of the last check.
    errors: BTreeMap<Field, String>,
    /// Braid's keyring (changes at once, not on Save).
    pub keys: keys::Panel,
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
            services: list(&config.metalink_services),
            running: super::schedule_settings::Draft::new(config),
            tray_shown: false,
            errors: BTreeMap::new(),
            keys: keys::Panel::default(),
        }
    }

    /// Says whether a tray shows Braid now.
    pub fn with_tray(mut self, shown: bool) -> Self {
        self.tray_shown = shown;
        self
    }

    /// What is wrong with `field`, if anything.
    pub fn error(&self, field: Field) -> Option<&str> {
        self.errors.get(&field).map(String::as_str)
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::ChooseFolder => return Action::PickFolder(self.base.download_dir.clone()),
            Message::FolderChosen(Some(dir)) => self.base.download_dir = dir,
            Message::FolderChosen(None) => {}
            Message::Active(v) => {
                self.active = v;
                self.recheck();
            }
            Message::Connections(v) => {
                self.connections = v;
                self.recheck();
            }
            Message::RateLimit(v) => {
                self.rate_limit = v;
                self.recheck();
            }
            Message::Languages(v) => self.languages = v,
            Message::Os(v) => self.os = v,
            Message::Locations(v) => self.locations = v,
            Message::StartWithoutAsking(on) => self.base.start_without_asking = on,
            Message::Notifications(on) => self.base.notifications = on,
            Message::ChecksumSearch(on) => self.base.checksum_search = on,
            Message::WatchClipboard(on) => self.base.watch_clipboard = on,
            Message::Services(v) => {
                self.services = v;
                self.recheck();
            }
            Message::KeysFromGnupg(on) => self.base.keys_from_gnupg = on,
            Message::KeysFromSystem(on) => self.base.keys_from_system = on,
            Message::RequireSignature(on) => self.base.require_signature = on,
            Message::Keys(message) => {
                if let Some(action) = self.keys.update(message) {
                    return Action::Keys(action);
                }
            }
            Message::Theme(option) => self.base.theme = option.0,
            Message::UiLanguage(option) => self.base.ui_language = option.0,
            Message::Save => {
                return match self.checked() {
                    Ok(config) => Action::Save(Box::new(config)),
                    Err(errors) => {
                        self.errors = errors;
                        Action::None
                    }
                };
            }
            Message::Cancel => return Action::Close,
            Message::Register => return Action::Register,
            Message::Running(message) => {
                self.running.update(message);
                self.recheck();
            }
        }
        Action::None
    }

    /// Errors already shown follow the typing: one that is fixed goes at once.
    fn recheck(&mut self) {
        if self.errors.is_empty() {
            return;
        }
        let now = match self.checked() {
            Ok(_) => BTreeMap::new(),
            Err(errors) => errors,
        };
        // Only fields that were already marked are re-marked while typing.
        self.errors = now
            .into_iter()
            .filter(|(field, _)| self.errors.contains_key(field))
            .collect();
    }

    /// The settings as typed, or what is wrong with them, per field.
    pub fn checked(&self) -> Result<Config, BTreeMap<Field, String>> {
        let mut errors = BTreeMap::new();
        let mut number = |text: &str,
                          range: std::ops::RangeInclusive<usize>,
                          field: Field,
                          key: &str| match text.trim().parse::<usize>() {
            Ok(n) if range.contains(&n) => n,
            _ => {
                errors.insert(
                    field,
                    t_args(
                        key,
                        &[
                            ("value", text.to_owned()),
                            ("min", range.start().to_string()),
                            ("max", range.end().to_string()),
                        ],
                    ),
                );
                *range.start()
            }
        };
        let active = number(
            &self.active,
            ACTIVE_RANGE,
            Field::Active,
            "settings-error-active",
        );
        let connections = number(
            &self.connections,
            CONNECTION_RANGE,
            Field::Connections,
            "settings-error-connections",
        );
        let mut config = Config {
            active_downloads: active,
            connections,
            rate_limit: self.rate_limit.trim().to_owned(),
            languages: split(&self.languages),
            os: self.os.trim().to_owned(),
            locations: split(&self.locations),
            metalink_services: split(&self.services),
            ..self.base.clone()
        };
        if let Some(bad) = config
            .metalink_services
            .iter()
            .find(|s| !crate::config::is_service(s))
        {
            errors.insert(
                Field::Services,
                t_args("settings-error-service", &[("value", bad.clone())]),
            );
        }
        if let Err(e) = config.rate_limit_bytes() {
            errors.insert(
                Field::RateLimit,
                t_args(
                    "settings-error-rate",
                    &[("reason", super::reasons::not_a_rate(&e))],
                ),
            );
        }
        if let Err(e) = self.running.apply(&mut config) {
            errors.insert(Field::Schedule, e);
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The form, `width` pixels wide: labels beside their fields, or above them when
    /// the window is narrow.
    pub fn view(&self, width: f32) -> Element<'_, Message> {
        let beside = width >= 760.0;
        let field = |label: String,
                     input: Element<'static, Message>,
                     note: Option<(String, bool)>|
         -> Element<'static, Message> {
            let note = note.map(|(words, is_error)| {
                let line = text(words).size(12);
                if is_error {
                    line.style(text::danger)
                } else {
                    line.style(text::secondary)
                }
            });
            if beside {
                // The label beside its own field, level with it; the note under the
                // field, so a label never sits between one field's note and the next.
                let mut rows = column![
                    row![
                        text(label).width(LABEL),
                        container(input).width(Length::Fill)
                    ]
                    .spacing(LABEL_GAP)
                    .align_y(Alignment::Center)
                ]
                .spacing(4);
                if let Some(note) = note {
                    rows = rows.push(row![space::horizontal().width(LABEL + LABEL_GAP), note]);
                }
                rows.into()
            } else {
                let mut rows = column![text(label), input].spacing(4);
                if let Some(note) = note {
                    rows = rows.push(note);
                }
                rows.into()
            }
        };
        let error = |f: Field| self.error(f).map(|e| (e.to_owned(), true));
        let number = |value: &str, on: fn(String) -> Message| -> Element<'static, Message> {
            text_input("", value).on_input(on).width(120).into()
        };
        let form = column![
            text(t("settings-title")).size(22),
            field(
                t("settings-folder"),
                row![
                    text(self.base.download_dir.display().to_string())
                        .wrapping(Wrapping::None)
                        .width(Length::Fill),
                    widgets::labeled(
                        Icon::Folder,
                        t("add-choose-folder"),
                        Some(Message::ChooseFolder),
                        Role::Secondary
                    ),
                ]
                .spacing(8)
                .align_y(Alignment::Center)
                .into(),
                None,
            ),
            field(
                t("settings-active"),
                number(&self.active, Message::Active),
                error(Field::Active)
            ),
            field(
                t("settings-connections"),
                number(&self.connections, Message::Connections),
                error(Field::Connections),
            ),
            field(
                t("settings-rate"),
                text_input("", &self.rate_limit)
                    .on_input(Message::RateLimit)
                    .width(200)
                    .into(),
                error(Field::RateLimit).or(Some((t("settings-rate-hint"), false))),
            ),
            field(
                t("settings-languages"),
                text_input(&t("settings-system-default"), &self.languages)
                    .on_input(Message::Languages)
                    .into(),
                None,
            ),
            field(
                t("settings-os"),
                text_input(&t("settings-system-default"), &self.os)
                    .on_input(Message::Os)
                    .into(),
                None,
            ),
            field(
                t("settings-locations"),
                text_input("de, at, ch", &self.locations)
                    .on_input(Message::Locations)
                    .into(),
                None,
            ),
            field(
                t("settings-checksum-search"),
                toggler(self.base.checksum_search)
                    .on_toggle(Message::ChecksumSearch)
                    .into(),
                Some((t("settings-checksum-search-hint"), false)),
            ),
            field(
                t("settings-services"),
                text_input(&t("settings-services-none"), &self.services)
                    .id(SERVICES_ID)
                    .on_input(Message::Services)
                    .into(),
                error(Field::Services).or(Some((t("settings-services-hint"), false))),
            ),
            field(
                t("settings-keys"),
                self.keys.view().map(Message::Keys),
                Some((t("settings-keys-hint"), false)),
            ),
            field(
                t("settings-keys-gnupg"),
                toggler(self.base.keys_from_gnupg)
                    .on_toggle_maybe(
                        self.keys
                            .listing()
                            .is_none_or(|l| l.gnupg.is_some())
                            .then_some(Message::KeysFromGnupg)
                    )
                    .into(),
                self.keys.listing().map(|l| match l.gnupg {
                    Some(count) => (
                        t_args("settings-keys-gnupg-count", &[("count", count.to_string())]),
                        false,
                    ),
                    None => (t("settings-keys-gnupg-missing"), false),
                }),
            ),
            field(
                t("settings-keys-system"),
                toggler(self.base.keys_from_system)
                    .on_toggle(Message::KeysFromSystem)
                    .into(),
                self.keys.listing().map(|l| {
                    (
                        t_args(
                            "settings-keys-system-count",
                            &[("count", l.system.to_string())],
                        ),
                        false,
                    )
                }),
            ),
            field(
                t("settings-require-signature"),
                toggler(self.base.require_signature)
                    .on_toggle(Message::RequireSignature)
                    .into(),
                Some((t("settings-require-signature-hint"), false)),
            ),
            field(
                t("settings-start-without-asking"),
                toggler(self.base.start_without_asking)
                    .on_toggle(Message::StartWithoutAsking)
                    .into(),
                None,
            ),
            field(
                t("settings-watch-clipboard"),
                toggler(self.base.watch_clipboard)
                    .on_toggle(Message::WatchClipboard)
                    .into(),
                Some((t("settings-watch-clipboard-hint"), false)),
            ),
            field(
                t("settings-notifications"),
                toggler(self.base.notifications)
                    .on_toggle(Message::Notifications)
                    .into(),
                None,
            ),
            field(
                t("settings-theme"),
                pick_list(
                    ThemeChoice::ALL.map(ThemeOption),
                    Some(ThemeOption(self.base.theme)),
                    Message::Theme,
                )
                .into(),
                None,
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
                None,
            ),
            field(
                t("settings-handler"),
                row![widgets::plain(
                    t("settings-register"),
                    Some(Message::Register),
                    Role::Secondary
                )]
                .into(),
                None,
            ),
            self.running.view(self.tray_shown).map(Message::Running),
        ]
        .spacing(16)
        .padding([0, 12]);
        let form = match self.error(Field::Schedule) {
            Some(e) => form.push(text(e.to_owned()).style(text::danger)),
            None => form,
        };
        let mut footer = row![].spacing(8).align_y(Alignment::Center);
        if !self.errors.is_empty() {
            footer = footer.push(
                text(t_args(
                    "settings-errors",
                    &[("count", self.errors.len().to_string())],
                ))
                .style(text::danger),
            );
        }
        footer = footer
            .push(space::horizontal())
            .push(widgets::plain(
                t("settings-cancel"),
                Some(Message::Cancel),
                Role::Ghost,
            ))
            .push(widgets::plain(
                t("settings-save"),
                Some(Message::Save),
                Role::Primary,
            ));
        column![
            scrollable(form).height(Length::Fill),
            rule::horizontal(1),
            container(footer).padding([4, 12]),
        ]
        .spacing(8)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iced::Size;
    use iced_test::Simulator;

    fn simulator(draft: &Draft, size: Size) -> Simulator<'_, Message> {
        Simulator::with_size(
            iced_test::core::Settings::default(),
            size,
            draft.view(size.width),
        )
    }

    /// Bug: the first Save showed one error of two, far from its field, and errors
    /// stayed after the field was fixed.
    #[test]
    fn errors_sit_at_their_fields_and_go_when_fixed() {
        crate::i18n::set_language("en");
        let mut draft = Draft::new(&Config::default());
        draft.update(Message::Active("0".into()));
        draft.update(Message::RateLimit("fast".into()));
        assert!(draft.errors.is_empty(), "nothing is judged before Save");
        let size = Size::new(1000.0, 680.0);
        let messages: Vec<_> = {
            let mut ui = simulator(&draft, size);
            ui.click("Save").unwrap();
            ui.into_messages().collect()
        };
        for message in messages {
            assert!(matches!(draft.update(message), Action::None));
        }
        assert_eq!(draft.errors.len(), 2, "{:?}", draft.errors);
        {
            let mut ui = simulator(&draft, size);
            let active_error = ui
                .find("Downloads at once: '0' is not a number from 1 to 20")
                .unwrap()
                .bounds();
            let rate_error = ui
                .find(draft.error(Field::RateLimit).unwrap())
                .unwrap()
                .bounds();
            let connections = ui.find("Connections per download").unwrap().bounds();
            let rate_label = ui.find("Speed limit (all downloads)").unwrap().bounds();
            assert!(
                active_error.y < connections.y,
                "under its field, above the next"
            );
            assert!(rate_error.y > rate_label.y - 20.0);
            assert!(ui.find("2 fields need a fix").is_ok());
        }
        draft.update(Message::Active("4".into()));
        assert_eq!(draft.error(Field::Active), None, "fixed, so gone");
        assert!(draft.error(Field::RateLimit).is_some(), "still wrong");
        draft.update(Message::RateLimit("300K".into()));
        assert!(draft.errors.is_empty());
    }

    /// Bug: the metalink services' label sat between the field and the hint over it, as
    /// if it belonged to neither: each label is level with its own field now.
    #[test]
    fn each_label_is_level_with_its_own_field() {
        for language in crate::i18n::LANGUAGES {
            crate::i18n::set_language(language);
            let draft = Draft::new(&Config::default());
            let mut ui = simulator(&draft, Size::new(1000.0, 2400.0));
            let label = ui.find(t("settings-services").as_str()).unwrap().bounds();
            let field = ui
                .find(iced_test::selector::id(SERVICES_ID))
                .unwrap()
                .bounds();
            let hint = ui
                .find(t("settings-services-hint").as_str())
                .unwrap()
                .bounds();
            let above = ui
                .find(t("settings-checksum-search-hint").as_str())
                .unwrap()
                .bounds();
            assert!(
                (label.center_y() - field.center_y()).abs() < 3.0,
                "{language}: {label:?} beside {field:?}"
            );
            assert!(
                hint.y >= field.y + field.height,
                "{language}: the hint under it"
            );
            assert!(
                above.y + above.height < label.y,
                "{language}: the hint before is above"
            );
        }
        crate::i18n::set_language("en");
    }

    #[test]
    fn save_and_cancel_stay_in_view_in_every_language() {
        for language in crate::i18n::LANGUAGES {
            crate::i18n::set_language(language);
            let draft = Draft::new(&Config::default());
            let size = Size::new(800.0, 420.0);
            let mut ui = simulator(&draft, size);
            for label in [t("settings-save"), t("settings-cancel")] {
                let bounds = ui.find(label.as_str()).unwrap().visible_bounds();
                let bounds = bounds.unwrap_or_else(|| panic!("{language}: {label} hidden"));
                assert!(
                    bounds.y + bounds.height <= size.height,
                    "{language}: {label}"
                );
            }
        }
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
