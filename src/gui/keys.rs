//! Braid's keyring in the window: the Settings section (Braid's keys, each with Remove;
//! importing from a file or a URL; how many keys GnuPG and the system keyrings add) and
//! the work behind every "Import key…" (add dialog, details), done off the UI thread.

use std::path::PathBuf;
use std::sync::Arc;

use iced::widget::{column, row, text, text_input};
use iced::{Alignment, Element, Length};

use super::icons::Icon;
use super::theme::Role;
use super::widgets;
use crate::i18n::{t, t_args};
use crate::signature::{Change, Imported, KeyInfo, KeySources, Keyring, Origin};

/// Key work for a task.
#[derive(Debug, Clone)]
pub enum Job {
    List,
    ImportFile(PathBuf),
    ImportUrl(String),
    Remove(String),
}

/// What a [`Job`] did.
#[derive(Debug, Clone)]
pub enum Done {
    Listed(Listing),
    /// What was imported, or why nothing was, in words.
    Imported(Result<Vec<Imported>, String>),
    Removed(Result<KeyInfo, String>),
}

impl Done {
    /// Whether it changed the keyring (so lists and checks are worth redoing).
    pub fn changed(&self) -> bool {
        matches!(self, Done::Imported(Ok(_)) | Done::Removed(Ok(_)))
    }

    /// What to tell the user: the words, and whether it is an error.
    pub fn said(&self) -> Option<(String, bool)> {
        match self {
            Done::Listed(_) => None,
            Done::Imported(Ok(keys)) => Some((
                keys.iter()
                    .map(|k| {
                        let key = [("key", name(&k.key))];
                        t_args(
                            match k.change {
                                Change::New => "keys-imported",
                                Change::Updated => "keys-updated",
                                Change::Unchanged => "keys-unchanged",
                            },
                            &key,
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                false,
            )),
            Done::Removed(Ok(key)) => Some((t_args("keys-removed", &[("key", name(key))]), false)),
            Done::Imported(Err(why)) | Done::Removed(Err(why)) => {
                Some((t_args("keys-failed", &[("reason", why.clone())]), true))
            }
        }
    }
}

/// The keys as Settings shows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    pub braid: Vec<KeyInfo>,
    /// GnuPG's public keys; `None` when gpg is not installed.
    pub gnupg: Option<usize>,
    pub system: usize,
    /// Sources that could not be read, in words.
    pub problems: Vec<String>,
}

/// "Alice <alice@example.org> (FINGERPRINT)".
fn name(key: &KeyInfo) -> String {
    format!(
        "{} ({})",
        key.user().unwrap_or(&t("signature-unnamed")),
        key.fingerprint
    )
}

/// Does `job` against the keys `sources` name (blocking work on a worker thread).
pub async fn run(job: Job, sources: KeySources) -> Done {
    let store = sources.store.clone();
    let bytes = match &job {
        Job::ImportUrl(url) => {
            let shown = crate::format::url(url);
            let fetched = match url::Url::parse(url.trim()) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {
                    crate::discover::signatures::fetch_key(&parsed)
                        .await
                        .map_err(|e| format!("{shown}: {e}"))
                }
                _ => Err(t_args("keys-not-a-url", &[("url", shown)])),
            };
            match fetched {
                Ok(bytes) => Some(bytes),
                Err(why) => return Done::Imported(Err(why)),
            }
        }
        _ => None,
    };
    let work = move || match job {
        Job::List => Done::Listed(listing(&sources)),
        Job::ImportFile(path) => Done::Imported(
            crate::signature::read_key_file(&path)
                .and_then(|bytes| store.import(&bytes))
                .map_err(|e| e.to_string()),
        ),
        Job::ImportUrl(_) => Done::Imported(
            store
                .import(&bytes.unwrap_or_default())
                .map_err(|e| e.to_string()),
        ),
        Job::Remove(fingerprint) => {
            Done::Removed(store.remove(&fingerprint).map_err(|e| e.to_string()))
        }
    };
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Done::Imported(Err(e.to_string())))
}

/// Every source counted, whether it is switched on or not (Settings shows what a switch
/// would bring).
fn listing(sources: &KeySources) -> Listing {
    let all = KeySources::new(sources.store.clone(), true, true);
    let (ring, problems) = all.load();
    let keys = ring.keys();
    let count = |wanted: fn(&Origin) -> bool| keys.iter().filter(|k| wanted(&k.origin)).count();
    let mut braid: Vec<KeyInfo> = keys
        .iter()
        .filter(|k| k.origin == Origin::Braid)
        .cloned()
        .collect();
    braid.sort_by(|a, b| a.user().cmp(&b.user()));
    Listing {
        braid,
        gnupg: crate::signature::gnupg_installed().then(|| count(|o| *o == Origin::GnuPg)),
        system: count(|o| matches!(o, Origin::System(_))),
        problems: problems
            .into_iter()
            .map(|p| format!("{}: {}", p.source, p.why))
            .collect(),
    }
}

/// The keys signatures are checked against now, for the add dialog.
pub async fn keyring(sources: KeySources) -> Arc<Keyring> {
    let ring = tokio::task::spawn_blocking(move || sources.load().0)
        .await
        .unwrap_or_default();
    Arc::new(ring)
}

/// Asks for a key file (armored or binary).
pub async fn pick_file() -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title(t("keys-pick-title"))
        .add_filter(
            t("keys-file-filter"),
            &["asc", "gpg", "pgp", "key", "pub", "sig"],
        )
        .pick_file()
        .await
        .map(|f| f.path().to_path_buf())
}

/// The Settings section.
#[derive(Debug, Clone, Default)]
pub struct Panel {
    listing: Option<Listing>,
    url: String,
    /// The last thing done, in words (and whether it went wrong).
    said: Option<(String, bool)>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Url(String),
    ImportUrl,
    ImportFile,
    Remove(String),
}

/// What the panel asks of the app.
#[derive(Debug, Clone)]
pub enum Action {
    PickFile,
    Run(Job),
}

impl Panel {
    pub fn update(&mut self, message: Message) -> Option<Action> {
        match message {
            Message::Url(url) => {
                self.url = url;
                None
            }
            Message::ImportUrl if !self.url.trim().is_empty() => {
                Some(Action::Run(Job::ImportUrl(self.url.trim().to_owned())))
            }
            Message::ImportUrl => None,
            Message::ImportFile => Some(Action::PickFile),
            Message::Remove(fingerprint) => Some(Action::Run(Job::Remove(fingerprint))),
        }
    }

    /// Takes in what a job did.
    pub fn done(&mut self, done: &Done) {
        match done {
            Done::Listed(listing) => self.listing = Some(listing.clone()),
            other => {
                if matches!(other, Done::Imported(Ok(_))) {
                    self.url.clear();
                }
                self.said = other.said();
            }
        }
    }

    pub fn listing(&self) -> Option<&Listing> {
        self.listing.as_ref()
    }

    /// Braid's keys and the import row.
    pub fn view(&self) -> Element<'static, Message> {
        let mut keys = column![].spacing(4);
        match &self.listing {
            None => keys = keys.push(text(t("keys-loading")).size(12)),
            Some(listing) if listing.braid.is_empty() => {
                keys = keys.push(text(t("settings-keys-none")).size(12))
            }
            Some(listing) => {
                for key in &listing.braid {
                    keys = keys.push(
                        row![
                            column![
                                text(key.user().unwrap_or(&t("signature-unnamed")).to_owned())
                                    .size(13),
                                text(format!("{}{}", key.fingerprint, tags(key)))
                                    .size(11)
                                    .style(text::secondary),
                            ]
                            .width(Length::Fill),
                            widgets::plain(
                                t("keys-remove"),
                                Some(Message::Remove(key.fingerprint.clone())),
                                Role::Ghost
                            ),
                        ]
                        .spacing(8)
                        .align_y(Alignment::Center),
                    );
                }
            }
        }
        // The URL field on its own row keeps room to type in a narrow window.
        let import = column![
            row![
                text_input(&t("settings-keys-url"), &self.url)
                    .on_input(Message::Url)
                    .on_submit(Message::ImportUrl)
                    .width(Length::Fill),
                widgets::plain(
                    t("settings-keys-import-url"),
                    Some(Message::ImportUrl),
                    Role::Secondary
                ),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
            widgets::labeled(
                Icon::Folder,
                t("settings-keys-import-file"),
                Some(Message::ImportFile),
                Role::Secondary
            ),
        ]
        .spacing(8);
        let mut section = column![keys, import].spacing(8);
        if let Some((words, is_error)) = &self.said {
            let line = text(words.clone()).size(12);
            section = section.push(if *is_error {
                line.style(text::danger)
            } else {
                line.style(text::success)
            });
        }
        for problem in self.listing.iter().flat_map(|l| &l.problems).take(3) {
            section = section.push(text(problem.clone()).size(11).style(text::warning));
        }
        section.into()
    }
}

/// ` · expires 2027-01-01`, ` · revoked`, ` · cannot sign`.
fn tags(key: &KeyInfo) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut tags = Vec::new();
    if key.revoked {
        tags.push(t("keys-tag-revoked"));
    }
    match key.expires {
        Some(on) if on <= now => tags.push(t_args(
            "keys-tag-expired",
            &[("date", crate::format::date(on))],
        )),
        Some(on) => tags.push(t_args(
            "keys-tag-expires",
            &[("date", crate::format::date(on))],
        )),
        None => {}
    }
    if !key.can_sign {
        tags.push(t("keys-tag-cannot-sign"));
    }
    tags.iter().map(|tag| format!(" · {tag}")).collect()
}
