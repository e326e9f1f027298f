//! The user's settings, stored as TOML in the per-user config folder. A damaged or
//! partly wrong file never stops Braid: what can be read is kept, the rest falls back to
//! defaults, and the warning says what and where. A file that cannot be read at all is
//! kept aside (`settings.toml.damaged`) before anything is written over it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::category::Category;
use crate::engine::schedule::{
    Allowance, BadSchedule, Days, Schedule, TimeOfDay, WhenDone, Window,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub download_dir: PathBuf,
    /// Downloads that run at once.
    pub active_downloads: usize,
    /// Connections per download over all mirrors.
    pub connections: usize,
    /// Bytes per second over all downloads, as typed (`2M`); empty for no limit.
    pub rate_limit: String,
    /// Preferred languages (BCP 47), best first; empty for the system's.
    pub languages: Vec<String>,
    /// Operating system to choose files for; empty for this one.
    pub os: String,
    /// Preferred mirror countries (ISO 3166 codes), best first.
    pub locations: Vec<String>,
    pub start_without_asking: bool,
    pub notifications: bool,
    pub theme: ThemeChoice,
    /// `en`, `de`, `es`; empty to follow the system.
    pub ui_language: String,
    /// Look for checksums published next to plain URLs (`SHA256SUMS`, sidecars…).
    pub checksum_search: bool,
    /// Metalink services asked for mirrors of plain URLs (Dynmirror style), e.g.
    /// `https://dynmirror.example`; none by default.
    pub metalink_services: Vec<String>,
    /// Trust the user's GnuPG public keys too (read-only, through `gpg --export`).
    pub keys_from_gnupg: bool,
    /// Trust the distribution's keyrings too (`/usr/share/keyrings`, …; read-only).
    pub keys_from_system: bool,
    /// New downloads fail unless a trusted key's good signature vouches for them.
    pub require_signature: bool,
    /// Offer links to metalinks and downloads copied anywhere (off by default: the
    /// clipboard is the user's business).
    pub watch_clipboard: bool,
    /// Closing the window keeps Braid downloading in the tray, when a tray shows it.
    pub close_to_tray: bool,
    /// What happens once the queue is done.
    pub when_done: WhenDone,
    /// Weekly time windows, the first open one decides (see [`ScheduleWindow`]).
    pub schedule: Vec<ScheduleWindow>,
    /// Outside every window: `full`, `stop` or a rate such as `500K`.
    pub schedule_otherwise: String,
    /// A download folder per category; empty for the download folder.
    pub category_folders: CategoryFolders,
}

/// One window of the schedule, as written: `days = "mon-fri"`, `from = "01:00"`,
/// `to = "07:00"`, `speed = "full"` (or `stop`, or a rate such as `500K`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleWindow {
    pub days: String,
    pub from: String,
    pub to: String,
    pub speed: String,
}

impl Default for ScheduleWindow {
    fn default() -> Self {
        ScheduleWindow {
            days: "all".into(),
            from: "01:00".into(),
            to: "07:00".into(),
            speed: "full".into(),
        }
    }
}

impl ScheduleWindow {
    pub fn parse(&self) -> Result<Window, BadSchedule> {
        Ok(Window {
            days: Days::parse(&self.days)?,
            from: TimeOfDay::parse(&self.from)?,
            to: TimeOfDay::parse(&self.to)?,
            allowance: Allowance::parse(&self.speed)?,
        })
    }
}

/// Where each category's downloads go; an empty path is the download folder.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CategoryFolders {
    pub image: PathBuf,
    pub archive: PathBuf,
    pub package: PathBuf,
    pub document: PathBuf,
    pub other: PathBuf,
}

impl CategoryFolders {
    pub fn get(&self, category: Category) -> &PathBuf {
        match category {
            Category::Image => &self.image,
            Category::Archive => &self.archive,
            Category::Package => &self.package,
            Category::Document => &self.document,
            Category::Other => &self.other,
        }
    }

    pub fn set(&mut self, category: Category, folder: PathBuf) {
        *match category {
            Category::Image => &mut self.image,
            Category::Archive => &mut self.archive,
            Category::Package => &mut self.package,
            Category::Document => &mut self.document,
            Category::Other => &mut self.other,
        } = folder;
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            download_dir: crate::platform::paths::default_download_dir(),
            active_downloads: 3,
            connections: 16,
            rate_limit: String::new(),
            languages: Vec::new(),
            os: String::new(),
            locations: Vec::new(),
            start_without_asking: false,
            notifications: true,
            theme: ThemeChoice::System,
            ui_language: String::new(),
            checksum_search: true,
            metalink_services: Vec::new(),
            keys_from_gnupg: true,
            keys_from_system: true,
            require_signature: false,
            watch_clipboard: false,
            close_to_tray: true,
            when_done: WhenDone::Nothing,
            schedule: Vec::new(),
            schedule_otherwise: "full".into(),
            category_folders: CategoryFolders::default(),
        }
    }
}

pub const ACTIVE_RANGE: std::ops::RangeInclusive<usize> = 1..=20;
pub const CONNECTION_RANGE: std::ops::RangeInclusive<usize> = 1..=64;

impl Config {
    /// The keys signature checks trust: Braid's keyring, and GnuPG's and the system's as
    /// switched.
    pub fn key_sources(&self) -> crate::signature::KeySources {
        self.key_sources_in(crate::platform::paths::keyring_dir())
    }

    /// [`Config::key_sources`] with Braid's keyring in `dir` (the window keeps it beside
    /// its saved queue, so a test's app has its own).
    pub fn key_sources_in(&self, dir: std::path::PathBuf) -> crate::signature::KeySources {
        crate::signature::KeySources::new(
            crate::signature::KeyStore::new(dir),
            self.keys_from_gnupg,
            self.keys_from_system,
        )
    }

    pub fn path() -> PathBuf {
        crate::platform::paths::config_dir().join("settings.toml")
    }

    /// Reads the settings; the warning, if any, is for the user to see.
    pub fn load(path: &Path) -> (Config, Option<String>) {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Config::default(), None),
            Err(e) => {
                return (
                    Config::default(),
                    Some(format!("{}: {e}; using the defaults", path.display())),
                );
            }
        };
        match toml::from_str::<Config>(&text) {
            Ok(config) => {
                let problems = config.problems();
                let warning = (!problems.is_empty()).then(|| {
                    format!(
                        "{}: {}; using the defaults for these",
                        path.display(),
                        problems.join("; ")
                    )
                });
                (config.sanitized(), warning)
            }
            Err(e) => {
                let kept = path.with_extension("toml.damaged");
                let _ = std::fs::copy(path, &kept);
                let reason = e.message().to_owned();
                let place = e
                    .span()
                    .map(|span| {
                        let line = text[..span.start].matches('\n').count() + 1;
                        format!(" (line {line})")
                    })
                    .unwrap_or_default();
                (
                    Config::default(),
                    Some(format!(
                        "{}{place}: {reason}; using the defaults (the file was kept as {})",
                        path.display(),
                        kept.display()
                    )),
                )
            }
        }
    }

    /// Writes the settings atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = toml::to_string_pretty(self).map_err(std::io::Error::other)?;
        let temp = path.with_extension("toml.tmp");
        std::fs::write(&temp, text)?;
        std::fs::rename(&temp, path)
    }

    /// Values that are out of range or unreadable, in words.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !ACTIVE_RANGE.contains(&self.active_downloads) {
            problems.push(format!(
                "active_downloads = {} is not within {}–{}",
                self.active_downloads,
                ACTIVE_RANGE.start(),
                ACTIVE_RANGE.end()
            ));
        }
        if !CONNECTION_RANGE.contains(&self.connections) {
            problems.push(format!(
                "connections = {} is not within {}–{}",
                self.connections,
                CONNECTION_RANGE.start(),
                CONNECTION_RANGE.end()
            ));
        }
        if let Err(e) = self.rate_limit_bytes() {
            problems.push(format!("rate_limit: {e}"));
        }
        if !self.ui_language.is_empty()
            && !crate::i18n::LANGUAGES.contains(&self.ui_language.as_str())
        {
            problems.push(format!(
                "ui_language = '{}' is not one of {}",
                self.ui_language,
                crate::i18n::LANGUAGES.join(", ")
            ));
        }
        for service in &self.metalink_services {
            if !is_service(service) {
                problems.push(format!(
                    "metalink_services: '{service}' is not an http or https URL"
                ));
            }
        }
        for (index, window) in self.schedule.iter().enumerate() {
            if let Err(e) = window.parse() {
                problems.push(format!("schedule window {}: {e}", index + 1));
            }
        }
        if let Err(e) = Allowance::parse(&self.schedule_otherwise) {
            problems.push(format!("schedule_otherwise: {e}"));
        }
        problems
    }

    /// The same settings with every problem replaced by its default.
    pub fn sanitized(mut self) -> Config {
        let defaults = Config::default();
        if !ACTIVE_RANGE.contains(&self.active_downloads) {
            self.active_downloads = defaults.active_downloads;
        }
        if !CONNECTION_RANGE.contains(&self.connections) {
            self.connections = defaults.connections;
        }
        if self.rate_limit_bytes().is_err() {
            self.rate_limit = defaults.rate_limit;
        }
        if !self.ui_language.is_empty()
            && !crate::i18n::LANGUAGES.contains(&self.ui_language.as_str())
        {
            self.ui_language = defaults.ui_language;
        }
        self.metalink_services.retain(|s| is_service(s));
        self.schedule.retain(|w| w.parse().is_ok());
        if Allowance::parse(&self.schedule_otherwise).is_err() {
            self.schedule_otherwise = defaults.schedule_otherwise;
        }
        self
    }

    /// The schedule for the engine (windows that do not parse are left out).
    pub fn schedule(&self) -> Schedule {
        Schedule {
            windows: self
                .schedule
                .iter()
                .filter_map(|w| w.parse().ok())
                .collect(),
            otherwise: Allowance::parse(&self.schedule_otherwise).unwrap_or_default(),
        }
    }

    /// Where a download of `category` goes.
    pub fn folder_for(&self, category: Category) -> PathBuf {
        let folder = self.category_folders.get(category);
        if folder.as_os_str().is_empty() {
            self.download_dir.clone()
        } else {
            folder.clone()
        }
    }

    /// The rate limit in bytes per second (`None` for none).
    pub fn rate_limit_bytes(&self) -> Result<Option<u64>, crate::engine::NotARate> {
        if self.rate_limit.trim().is_empty() {
            return Ok(None);
        }
        crate::engine::parse_rate(&self.rate_limit)
    }

    /// The engine limits these settings ask for.
    pub fn engine_settings(&self) -> crate::engine::Settings {
        crate::engine::Settings {
            max_active: self.active_downloads,
            max_connections: self.connections,
            rate_limit: self.rate_limit_bytes().ok().flatten(),
            ..crate::engine::Settings::default()
        }
    }

    /// What to look for when a plain URL is opened: these settings, the user's mirror
    /// memory, the default time budget.
    pub fn plain_options(&self) -> crate::discover::plain::Options {
        crate::discover::plain::Options {
            search: self.checksum_search,
            services: self.metalink_services.clone(),
            memory: Some(crate::discover::memory::Memory::in_data_dir()),
            ..crate::discover::plain::Options::default()
        }
    }

    /// File choice preferences: these settings over the system's.
    pub fn preferences(&self) -> crate::metalink::select::Preferences {
        let mut prefs = crate::metalink::select::Preferences::from_system();
        if !self.languages.is_empty() {
            prefs.languages = self.languages.clone();
        }
        if !self.os.trim().is_empty() {
            prefs.os = Some(self.os.trim().to_owned());
        }
        if !self.locations.is_empty() {
            prefs.locations = self
                .locations
                .iter()
                .map(|l| l.to_ascii_lowercase())
                .collect();
        }
        prefs
    }
}

/// Whether a metalink service address can be asked: an http or https URL.
pub fn is_service(text: &str) -> bool {
    url::Url::parse(text.trim()).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("braid-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("settings.toml")
    }

    #[test]
    fn round_trip() {
        let path = temp("round");
        let config = Config {
            rate_limit: "2M".into(),
            languages: vec!["de".into()],
            theme: ThemeChoice::Dark,
            ..Config::default()
        };
        config.save(&path).unwrap();
        assert_eq!(Config::load(&path), (config, None));
    }

    #[test]
    fn a_missing_file_is_the_defaults_without_a_warning() {
        let path = temp("missing");
        assert_eq!(Config::load(&path), (Config::default(), None));
    }

    #[test]
    fn a_damaged_file_gives_defaults_a_warning_and_is_kept() {
        let path = temp("damaged");
        std::fs::write(&path, "connections = 8\nrate_limit = \"2M\n").unwrap();
        let (config, warning) = Config::load(&path);
        assert_eq!(config, Config::default());
        let warning = warning.unwrap();
        assert!(warning.contains("line 2"), "{warning}");
        assert!(warning.contains("damaged"), "{warning}");
        assert!(path.with_extension("toml.damaged").exists());
    }

    #[test]
    fn wrong_values_fall_back_one_by_one() {
        let path = temp("values");
        std::fs::write(
            &path,
            "connections = 0\nactive_downloads = 5\nrate_limit = \"fast\"\nui_language = \"xx\"\nmetalink_services = [\"http://ok.example\", \"dynmirror\"]\n",
        )
        .unwrap();
        let (config, warning) = Config::load(&path);
        assert_eq!(config.active_downloads, 5, "good values are kept");
        assert_eq!(config.connections, 16);
        assert_eq!(config.rate_limit, "");
        assert_eq!(config.ui_language, "");
        let warning = warning.unwrap();
        assert!(warning.contains("connections = 0"), "{warning}");
        assert!(warning.contains("'fast'"), "{warning}");
        assert!(warning.contains("'xx'"), "{warning}");
        assert_eq!(config.metalink_services, ["http://ok.example"]);
        assert!(warning.contains("'dynmirror'"), "{warning}");
    }

    #[test]
    fn the_schedule_round_trips_and_bad_windows_fall_back_one_by_one() {
        let path = temp("schedule");
        std::fs::write(
            &path,
            "when_done = \"quit\"\nschedule_otherwise = \"500K\"\n\
             [[schedule]]\ndays = \"mon-fri\"\nfrom = \"01:00\"\nto = \"07:00\"\nspeed = \"full\"\n\
             [[schedule]]\ndays = \"sat\"\nfrom = \"25:00\"\nto = \"07:00\"\nspeed = \"full\"\n\
             [category_folders]\nimage = \"/isos\"\n",
        )
        .unwrap();
        let (config, warning) = Config::load(&path);
        let warning = warning.unwrap();
        assert!(
            warning.contains("schedule window 2: '25:00' is not a time"),
            "{warning}"
        );
        assert_eq!(config.schedule.len(), 1, "the good window is kept");
        assert_eq!(config.when_done, WhenDone::Quit);
        let schedule = config.schedule();
        assert_eq!(schedule.otherwise, Allowance::Limited(500 * 1024));
        assert_eq!(schedule.windows[0].days, Days::WORKDAYS);
        assert_eq!(config.folder_for(Category::Image), PathBuf::from("/isos"));
        assert_eq!(config.folder_for(Category::Archive), config.download_dir);
        config.save(&path).unwrap();
        assert_eq!(Config::load(&path), (config, None));
    }
}
