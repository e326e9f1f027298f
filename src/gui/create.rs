//! "Create metalink…": the publisher's side in the app. Pick files, list the mirrors
//! (`URL`, optionally `,location=de,priority=1`, as `braid create` takes them), choose
//! pieces and extra hashes, save. The hashing runs off the UI thread with a progress
//! bar and can be stopped; the work itself is `publish`'s, as for `braid create`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use iced::widget::{
    checkbox, column, container, pick_list, progress_bar, row, rule, scrollable, space, text,
    text_input,
};
use iced::{Alignment, Element, Length, Task};

use super::icons::Icon;
use super::theme::{self, Role};
use super::{units, widgets};
use crate::i18n::{t, t_args};
use crate::metalink::HashAlgorithm;
use crate::publish::{self, ForFile, MirrorBase, Request};

#[derive(Debug, Clone)]
pub enum Message {
    AddFiles,
    FilesPicked(Vec<PathBuf>),
    RemoveFile(usize),
    MirrorText(String),
    AddMirror,
    RemoveMirror(usize),
    Pieces(PieceChoice),
    Hash(HashAlgorithm, bool),
    Languages(String),
    Os(String),
    Save,
    SavePicked(Option<PathBuf>),
    Progress(publish::Progress),
    Done(Result<PathBuf, String>),
    Stop,
    Close,
}

/// What the screen asks of the app.
#[derive(Debug)]
pub enum Action {
    None,
    /// Let the user pick files to describe.
    PickFiles,
    /// Let the user pick where to save, suggesting this name.
    PickSave(String),
    /// Run this (see [`work`]).
    Run(Task<Message>),
    /// Tell the user the metalink was written, and close.
    Written(PathBuf),
    Close,
}

/// The piece lengths offered; "automatic" is `braid create`'s default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceChoice {
    Automatic,
    None,
    Length(u64),
}

impl PieceChoice {
    pub const ALL: [PieceChoice; 6] = [
        PieceChoice::Automatic,
        PieceChoice::Length(256 * 1024),
        PieceChoice::Length(1024 * 1024),
        PieceChoice::Length(4 * 1024 * 1024),
        PieceChoice::Length(16 * 1024 * 1024),
        PieceChoice::None,
    ];

    fn length(self) -> Option<u64> {
        match self {
            PieceChoice::Automatic => None,
            PieceChoice::None => Some(0),
            PieceChoice::Length(length) => Some(length),
        }
    }
}

impl std::fmt::Display for PieceChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            PieceChoice::Automatic => t("create-pieces-automatic"),
            PieceChoice::None => t("create-pieces-none"),
            PieceChoice::Length(length) => units::bytes(*length),
        })
    }
}

/// Extra whole-file hashes offered besides sha-256.
const EXTRA_HASHES: [HashAlgorithm; 3] = [
    HashAlgorithm::Md5,
    HashAlgorithm::Sha1,
    HashAlgorithm::Sha512,
];

#[derive(Debug)]
pub struct Screen {
    files: Vec<PathBuf>,
    mirrors: Vec<MirrorBase>,
    mirror_text: String,
    pieces: PieceChoice,
    hashes: Vec<HashAlgorithm>,
    languages: String,
    os: String,
    error: Option<String>,
    running: Option<Running>,
}

#[derive(Debug)]
struct Running {
    progress: publish::Progress,
    stop: Arc<AtomicBool>,
}

impl Default for Screen {
    fn default() -> Self {
        Screen {
            files: Vec::new(),
            mirrors: Vec::new(),
            mirror_text: String::new(),
            pieces: PieceChoice::Automatic,
            hashes: Vec::new(),
            languages: String::new(),
            os: String::new(),
            error: None,
            running: None,
        }
    }
}

impl Screen {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::AddFiles => return Action::PickFiles,
            Message::FilesPicked(paths) => {
                for path in paths {
                    if !self.files.contains(&path) {
                        self.files.push(path);
                    }
                }
                self.error = None;
            }
            Message::RemoveFile(index) => {
                if index < self.files.len() {
                    self.files.remove(index);
                }
            }
            Message::MirrorText(text) => self.mirror_text = text,
            Message::AddMirror => match self.mirror_text.trim().parse::<MirrorBase>() {
                Ok(mirror) => {
                    if self.mirrors.iter().all(|m| m.url != mirror.url) {
                        self.mirrors.push(mirror);
                    }
                    self.mirror_text.clear();
                    self.error = None;
                }
                Err(e) => {
                    self.error = Some(t_args("create-bad-mirror", &[("reason", e.to_string())]));
                }
            },
            Message::RemoveMirror(index) => {
                if index < self.mirrors.len() {
                    self.mirrors.remove(index);
                }
            }
            Message::Pieces(choice) => self.pieces = choice,
            Message::Hash(algorithm, on) => {
                self.hashes.retain(|a| *a != algorithm);
                if on {
                    self.hashes.push(algorithm);
                }
            }
            Message::Languages(text) => self.languages = text,
            Message::Os(text) => self.os = text,
            Message::Save => {
                // A mirror typed but not added yet counts.
                if !self.mirror_text.trim().is_empty() {
                    let action = self.update(Message::AddMirror);
                    if self.error.is_some() {
                        return action;
                    }
                }
                if self.files.is_empty() {
                    self.error = Some(t("create-no-files"));
                } else if self.mirrors.is_empty() {
                    self.error = Some(t("create-no-mirrors"));
                } else {
                    self.error = None;
                    return Action::PickSave(suggested_name(&self.files));
                }
            }
            Message::SavePicked(None) => {}
            Message::SavePicked(Some(out)) => {
                if self.files.contains(&out) {
                    self.error = Some(t("create-out-is-input"));
                    return Action::None;
                }
                let stop = Arc::new(AtomicBool::new(false));
                self.running = Some(Running {
                    progress: publish::Progress { done: 0, total: 0 },
                    stop: stop.clone(),
                });
                return Action::Run(work(self.request(), out, stop));
            }
            Message::Progress(progress) => {
                if let Some(running) = &mut self.running {
                    running.progress = progress;
                }
            }
            Message::Done(result) => {
                self.running = None;
                match result {
                    Ok(path) => return Action::Written(path),
                    Err(message) => self.error = Some(message),
                }
            }
            Message::Stop => {
                if let Some(running) = &self.running {
                    running.stop.store(true, Ordering::Relaxed);
                }
            }
            Message::Close => {
                if let Some(running) = &self.running {
                    running.stop.store(true, Ordering::Relaxed);
                }
                return Action::Close;
            }
        }
        Action::None
    }

    /// What `braid create` would be asked with these fields.
    fn request(&self) -> Request {
        let split = |text: &str| -> Vec<ForFile> {
            text.split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(ForFile::parse)
                .collect()
        };
        Request {
            files: self.files.clone(),
            mirrors: self.mirrors.clone(),
            piece_length: self.pieces.length(),
            hashes: self.hashes.clone(),
            from_sums: None,
            languages: split(&self.languages),
            os: split(&self.os),
            origin: None,
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let busy = self.running.is_some();
        let mut files = column![].spacing(4);
        for (index, path) in self.files.iter().enumerate() {
            let size = std::fs::metadata(path)
                .map(|m| units::bytes(m.len()))
                .unwrap_or_default();
            files = files.push(
                row![
                    text(path.display().to_string()).width(Length::Fill),
                    text(size).size(12).style(text::secondary),
                    remove(busy, Message::RemoveFile(index)),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
            );
        }
        if self.files.is_empty() {
            files = files.push(
                text(t("create-no-files-yet"))
                    .size(13)
                    .style(text::secondary),
            );
        }
        let mut mirrors = column![].spacing(4);
        for (index, mirror) in self.mirrors.iter().enumerate() {
            let mut details = Vec::new();
            if let Some(location) = &mirror.location {
                details.push(location.clone());
            }
            if let Some(priority) = mirror.priority {
                details.push(t_args(
                    "create-priority",
                    &[("priority", priority.to_string())],
                ));
            }
            mirrors = mirrors.push(
                row![
                    text(mirror.url.to_string()).width(Length::Fill),
                    text(details.join(", ")).size(12).style(text::secondary),
                    remove(busy, Message::RemoveMirror(index)),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
            );
        }
        let mut hashes = row![text(t("create-hashes"))].spacing(12);
        hashes = hashes.push(checkbox(true).label(HashAlgorithm::Sha256.iana_name()));
        for algorithm in EXTRA_HASHES {
            hashes = hashes.push(
                checkbox(self.hashes.contains(&algorithm))
                    .label(algorithm.iana_name())
                    .on_toggle_maybe((!busy).then_some(move |on| Message::Hash(algorithm, on))),
            );
        }
        let mut body = column![
            text(t("create-title")).size(22),
            text(t("create-help")).size(13).style(text::secondary),
            row![
                text(t("create-files")).size(16).width(Length::Fill),
                widgets::labeled(
                    Icon::Open,
                    t("create-add-files"),
                    (!busy).then_some(Message::AddFiles),
                    Role::Secondary
                ),
            ]
            .align_y(Alignment::Center),
            files,
            text(t("create-mirrors")).size(16),
            mirrors,
            row![
                text_input(&t("create-mirror-hint"), &self.mirror_text)
                    .on_input(Message::MirrorText)
                    .on_submit(Message::AddMirror)
                    .width(Length::Fill),
                widgets::plain(
                    t("create-add-mirror"),
                    (!busy).then_some(Message::AddMirror),
                    Role::Secondary
                ),
            ]
            .spacing(8),
            row![
                text(t("create-pieces")),
                pick_list(PieceChoice::ALL, Some(self.pieces), Message::Pieces),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
            hashes.align_y(Alignment::Center),
            // A row each: side by side, the second label was squeezed under its
            // neighbour's field (seen under Xvfb at 1000 px, in English).
            row![
                text(t("create-languages")),
                text_input(&t("create-languages-hint"), &self.languages)
                    .on_input(Message::Languages)
                    .width(Length::Fill),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
            row![
                text(t("create-os")),
                text_input(&t("create-os-hint"), &self.os)
                    .on_input(Message::Os)
                    .width(Length::Fill),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        ]
        .spacing(12);
        if let Some(error) = &self.error {
            body = body.push(text(error.clone()).style(text::danger));
        }
        let footer: Element<'_, Message> = match &self.running {
            Some(running) => {
                let total = running.progress.total.max(1) as f32;
                column![
                    text(t_args(
                        "create-hashing",
                        &[
                            ("done", units::bytes(running.progress.done)),
                            ("total", units::bytes(running.progress.total)),
                        ]
                    ))
                    .size(13),
                    row![
                        progress_bar(0.0..=total, running.progress.done as f32)
                            .style(theme::progress(theme::Tone::Running)),
                        widgets::plain(t("create-stop"), Some(Message::Stop), Role::Secondary),
                    ]
                    .spacing(8)
                    .align_y(Alignment::Center),
                ]
                .spacing(6)
                .into()
            }
            None => row![
                space::horizontal(),
                widgets::plain(t("add-cancel"), Some(Message::Close), Role::Ghost),
                widgets::labeled(
                    Icon::Disk,
                    t("create-save"),
                    Some(Message::Save),
                    Role::Primary
                ),
            ]
            .spacing(8)
            .into(),
        };
        // Laid out as the settings are: the form scrolls, the buttons stay in view.
        column![
            scrollable(body.padding([0, 12])).height(Length::Fill),
            rule::horizontal(1),
            container(footer).padding([4, 12]),
        ]
        .spacing(8)
        .into()
    }
}

/// A row's remove button; none while the work runs.
fn remove<'a>(busy: bool, message: Message) -> Element<'a, Message> {
    if busy {
        return space::horizontal().width(0).into();
    }
    widgets::icon_button(
        Icon::Remove,
        t("create-remove"),
        message,
        theme::icons::muted,
    )
}

/// `disc.iso` → `disc.iso.meta4`; several files → `files.meta4` in the first's folder.
fn suggested_name(files: &[PathBuf]) -> String {
    match files {
        [one] => format!(
            "{}.meta4",
            one.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ),
        _ => "files.meta4".into(),
    }
}

/// Hashes the files on a thread of its own, reporting progress a few times a second,
/// and writes the metalink to `out`.
pub fn work(request: Request, out: PathBuf, stop: Arc<AtomicBool>) -> Task<Message> {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        let mut last = std::time::Instant::now();
        let progress_sender = sender.clone();
        let result = publish::create(
            &request,
            &mut |progress| {
                if last.elapsed() >= std::time::Duration::from_millis(100)
                    || progress.done == progress.total
                {
                    last = std::time::Instant::now();
                    let _ = progress_sender.send(Message::Progress(progress));
                }
            },
            &stop,
        )
        .and_then(|document| publish::write(&document))
        .and_then(|text| publish::save(&out, &text))
        .map(|()| out)
        .map_err(|e| match e {
            publish::CreateError::Stopped => t("create-stopped"),
            other => other.to_string(),
        });
        let _ = sender.send(Message::Done(result));
    });
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|message| (message, receiver))
    });
    Task::stream(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirrors_are_checked_as_they_are_added() {
        crate::i18n::set_language("en");
        let mut screen = Screen::default();
        let _ = screen.update(Message::MirrorText("not a url".into()));
        let _ = screen.update(Message::AddMirror);
        assert!(
            screen
                .error
                .as_deref()
                .unwrap()
                .contains("'not a url' is not a URL")
        );
        let _ = screen.update(Message::MirrorText(
            "http://m.example/pub,location=de".into(),
        ));
        let _ = screen.update(Message::AddMirror);
        assert_eq!(screen.mirrors.len(), 1);
        assert_eq!(screen.mirrors[0].location.as_deref(), Some("de"));
        assert!(screen.error.is_none());
        assert!(screen.mirror_text.is_empty());
    }

    #[test]
    fn saving_needs_files_and_mirrors_and_suggests_a_name() {
        crate::i18n::set_language("en");
        let mut screen = Screen::default();
        assert!(matches!(screen.update(Message::Save), Action::None));
        assert_eq!(screen.error.as_deref(), Some(t("create-no-files").as_str()));
        let _ = screen.update(Message::FilesPicked(vec!["/tmp/disc.iso".into()]));
        assert!(matches!(screen.update(Message::Save), Action::None));
        assert_eq!(
            screen.error.as_deref(),
            Some(t("create-no-mirrors").as_str())
        );
        let _ = screen.update(Message::MirrorText("http://m.example/".into()));
        match screen.update(Message::Save) {
            Action::PickSave(name) => assert_eq!(name, "disc.iso.meta4"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_request_is_what_braid_create_would_get() {
        let mut screen = Screen::default();
        let _ = screen.update(Message::FilesPicked(vec!["/a".into(), "/b".into()]));
        let _ = screen.update(Message::Pieces(PieceChoice::None));
        let _ = screen.update(Message::Hash(HashAlgorithm::Md5, true));
        let _ = screen.update(Message::Languages("de, /b=en".into()));
        let request = screen.request();
        assert_eq!(request.piece_length, Some(0));
        assert_eq!(request.hashes, [HashAlgorithm::Md5]);
        assert_eq!(request.languages.len(), 2);
        assert_eq!(request.languages[1].file.as_deref(), Some("/b"));
    }

    #[test]
    fn the_screen_shows_what_is_missing() {
        crate::i18n::set_language("en");
        let mut screen = Screen::default();
        let messages: Vec<Message> = {
            let mut ui = iced_test::simulator(screen.view());
            assert!(ui.find("Create metalink").is_ok());
            ui.click("Save metalink…").unwrap();
            ui.into_messages().collect()
        };
        for message in messages {
            let _ = screen.update(message);
        }
        let mut ui = iced_test::simulator(screen.view());
        assert!(ui.find("Add at least one file.").is_ok());
    }
}
