//! The add dialog: what a metalink (or a probed URL) offers, the files to fetch
//! pre-selected for the user's language and OS, their kind and the destination (the
//! kind's folder), their own limits and priority (`add_options`), and start or queue.
//!
//! However many files there are, the list scrolls and the buttons stay in view: the
//! dialog is measured against the window. Enter means "Download now", Escape cancels
//! (the app's keys). A file the queue already has is shown as such and not added twice.

use std::collections::HashMap;
use std::path::PathBuf;

use iced::widget::text::Wrapping;
use iced::widget::{checkbox, column, container, row, scrollable, space, text};
use iced::{Alignment, Element, Length, Size};

use super::add_options::{self, Folders, Options};
use super::icons::Icon;
use super::plain_offer::{self, PlainOffer};
use super::reuse;
use super::theme::{self, Role};
use super::{signed, units, widgets};
use crate::category::Category;
use crate::engine::JobSpec;
use crate::i18n::{t, t_args};
use crate::metalink::select::{self, Preferences, SelectionNote};
use crate::metalink::{Document, File};

#[derive(Debug, Clone)]
pub enum Message {
    Toggle(usize, bool),
    /// Tick every file (`true`) or none.
    All(bool),
    ChooseFolder,
    FolderChosen(Option<PathBuf>),
    /// The free space measured in a folder.
    Measured(PathBuf, Option<u64>),
    /// Add and start now (`true`) or add paused.
    Add(bool),
    /// "Download now", and queue every offer waiting behind this one too.
    AddAll,
    Cancel,
    /// The plain link's part: its expected hash, what was found for it.
    Plain(plain_offer::Message),
    /// The signatures' part: the keyring, the "require" tick, "Import key…".
    Signing(signed::Message),
    /// The kind, limits, priority and start time.
    Options(add_options::Message),
    /// The offer to reuse a file on disk.
    Reuse(reuse::Message),
}

/// What the dialog asks of the app.
#[derive(Debug)]
pub enum Action {
    None,
    PickFolder(PathBuf),
    /// A file to reuse, picked in a native dialog starting in this folder.
    PickFile(PathBuf),
    /// Measure the free space in this folder (off the UI thread), and look for files
    /// to reuse there.
    Measure(PathBuf),
    Submit {
        specs: Vec<JobSpec>,
        start: bool,
        /// The kind the user filed them under, if they picked one.
        filed_as: Option<Category>,
        /// Whether the offers waiting behind this one are to be queued as well.
        all: bool,
    },
    /// Run this for the dialog (a search for a plain link's checksums and mirrors).
    Run(iced::Task<Message>),
    /// "Import key…": a key file to pick and import (the keyring comes back after).
    ImportKey,
    Close,
}

/// A file the queue already holds, by where it will be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Twin {
    /// Waiting, running, paused or failed.
    Queued,
    /// Downloaded.
    Done,
}

impl Twin {
    pub(crate) fn text(self, name: &str) -> String {
        let key = match self {
            Twin::Queued => "add-twin-queued",
            Twin::Done => "add-twin-done",
        };
        t_args(key, &[("name", name.to_owned())])
    }

    /// The same, beside the file's name.
    fn tag(self) -> String {
        t(match self {
            Twin::Queued => "add-twin-queued-tag",
            Twin::Done => "add-twin-done-tag",
        })
    }
}

#[derive(Debug, Clone)]
pub enum Offer {
    Metalink {
        document: Document,
        warnings: Vec<String>,
        chosen: Vec<bool>,
        notes: Vec<SelectionNote>,
    },
    File(Box<PlainOffer>),
}

/// One of the files chosen in the dialog.
#[derive(Debug, Clone, Copy)]
enum Chosen<'a> {
    /// The plain link's file (there is only the one).
    Plain(&'a PlainOffer),
    /// One of a metalink's files, ticked.
    Listed(&'a File),
}

impl<'a> Chosen<'a> {
    fn name(self) -> &'a str {
        match self {
            Chosen::Plain(offer) => offer.name(),
            Chosen::Listed(file) => &file.name,
        }
    }

    fn size(self) -> Option<u64> {
        match self {
            Chosen::Plain(offer) => offer.size(),
            Chosen::Listed(file) => file.size,
        }
    }
}

/// A metalink's files whose tick is set.
fn ticked<'a>(files: &'a [File], chosen: &'a [bool]) -> impl Iterator<Item = &'a File> {
    files
        .iter()
        .zip(chosen)
        .filter(|(_, on)| **on)
        .map(|(file, _)| file)
}

/// Height of a file in the list.
const FILE_ROW: f32 = 44.0;
const FILE_SPACING: f32 = 2.0;
/// Everything in the dialog but the list, at most (title, source, notes, folder, kind
/// and limits, space, error, buttons, padding), so the list gets the rest of the window.
const CHROME: f32 = 390.0;
/// What is found for a plain link, at most without scrolling (name, size, checksum,
/// mirrors, a note or two, the expected hash field).
const PLAIN_FACTS: f32 = 230.0;
/// Room kept between the dialog and the window's edges.
const MARGIN: f32 = 24.0;
/// Windows at least this tall give the dialog the height of what it holds; in shorter
/// ones it takes the window's height and scrolls what it offers above its buttons.
const TALL: f32 = 800.0;

#[derive(Debug, Clone)]
pub struct Dialog {
    /// What the user opened (a path or URL), kept with each download.
    pub source: String,
    pub offer: Offer,
    pub dir: PathBuf,
    pub locations: Vec<String>,
    pub error: Option<String>,
    /// Free bytes in `dir`, once measured.
    pub free: Option<u64>,
    /// What the queue already holds, by target path.
    known: HashMap<PathBuf, Twin>,
    /// "Download now" (`true`) or "Add paused" pressed while a plain link's search ran:
    /// done when it answers.
    pending: Option<bool>,
    /// "Download all" was pressed: the offers waiting behind this one go with it.
    all: bool,
    /// What the signatures can tell, and whether one must prove the publisher.
    pub signing: signed::Signing,
    /// The kind of the files, their limits, priority and start time.
    options: Options,
    /// Each kind's folder, from the settings (none: the folder stays as given).
    folders: Option<Folders>,
    /// The user chose the folder: a change of the files chosen leaves it alone.
    dir_chosen: bool,
    /// A file on disk to take data from (for one chosen file).
    reuse: reuse::Section,
}

/// What to look for on disk (and beside the URLs) for the dialog's one chosen file.
pub struct Look {
    pub dir: PathBuf,
    pub name: String,
    pub urls: Vec<crate::metalink::MirrorUrl>,
    pub size: Option<u64>,
    pub has_blocks: bool,
}

impl Dialog {
    pub fn for_metalink(
        source: String,
        document: Document,
        warnings: Vec<String>,
        prefs: &Preferences,
        dir: PathBuf,
        only: Option<&str>,
    ) -> Self {
        let selection = select::choose_files(&document, prefs);
        let mut chosen = vec![false; document.files.len()];
        match only.and_then(|name| document.files.iter().position(|f| f.name == name)) {
            Some(index) => chosen[index] = true,
            None => {
                for index in selection.files {
                    chosen[index] = true;
                }
            }
        }
        let options = Options::for_names(ticked(&document.files, &chosen).map(|f| f.name.as_str()));
        Dialog {
            source,
            offer: Offer::Metalink {
                document,
                warnings,
                chosen,
                notes: selection.notes,
            },
            dir,
            locations: prefs.locations.clone(),
            error: None,
            free: None,
            known: HashMap::new(),
            pending: None,
            all: false,
            signing: signed::Signing::default(),
            options,
            folders: None,
            dir_chosen: false,
            reuse: reuse::Section::default(),
        }
    }

    /// A probed plain link; [`Dialog::begin`] starts the search for what it has.
    pub fn for_file(source: String, offer: PlainOffer, dir: PathBuf) -> Self {
        let options = Options::for_names([offer.name()]);
        Dialog {
            source,
            offer: Offer::File(Box::new(offer)),
            dir,
            locations: Vec::new(),
            error: None,
            free: None,
            known: HashMap::new(),
            pending: None,
            all: false,
            signing: signed::Signing::default(),
            options,
            folders: None,
            dir_chosen: false,
            reuse: reuse::Section::default(),
        }
    }

    /// Files of each kind go to that kind's folder: the folder follows the kind.
    pub fn with_folders(mut self, folders: Folders) -> Self {
        if let Some(dir) = folders.get(self.options.category) {
            self.dir = dir.clone();
        }
        self.folders = Some(folders);
        self
    }

    /// The kind the files are filed under.
    pub fn category(&self) -> Category {
        self.options.category
    }

    /// The files chosen now: the plain link's one, or the metalink's ticked ones. Every
    /// question about the choice (names, sizes, signatures, downloads) walks this.
    fn chosen(&self) -> impl Iterator<Item = Chosen<'_>> {
        let (plain, listed) = match &self.offer {
            Offer::File(offer) => (Some(Chosen::Plain(offer)), None),
            Offer::Metalink {
                document, chosen, ..
            } => (None, Some(ticked(&document.files, chosen))),
        };
        plain
            .into_iter()
            .chain(listed.into_iter().flatten().map(Chosen::Listed))
    }

    /// The files chosen changed: their kind may have, and with it their folder.
    fn refile(&mut self) -> Action {
        let names: Vec<String> = self.chosen().map(|c| c.name().to_owned()).collect();
        if !self.options.follow(names.iter().map(String::as_str)) || self.dir_chosen {
            return Action::None;
        }
        self.move_to_folder_of(self.options.category)
    }

    /// Moves the destination to `category`'s folder, when the settings name one.
    fn move_to_folder_of(&mut self, category: Category) -> Action {
        match self.folders.as_ref().and_then(|f| f.get(category)) {
            Some(dir) if *dir != self.dir => {
                self.dir = dir.clone();
                self.free = None;
                Action::Measure(self.dir.clone())
            }
            _ => Action::None,
        }
    }

    /// What the dialog must run once it is shown: a plain link's search, the first
    /// time.
    pub fn begin(&mut self) -> iced::Task<Message> {
        match &mut self.offer {
            Offer::File(offer) if !offer.is_started() => offer.start().map(Message::Plain),
            _ => iced::Task::none(),
        }
    }

    /// Whether its downloads must prove their publisher (ticked from the setting).
    pub fn requiring(mut self, require: bool) -> Self {
        self.signing = signed::Signing::new(require);
        self
    }

    /// The one download the dialog stands for now, when it is one.
    fn single(&self) -> Option<JobSpec> {
        match self.specs() {
            Ok(mut specs) if specs.len() == 1 => specs.pop(),
            _ => None,
        }
    }

    /// What to look for on disk for the one chosen file; `None` when several are chosen.
    pub fn look(&self) -> Option<Look> {
        let spec = self.single()?;
        Some(Look {
            dir: self.dir.clone(),
            name: spec.name,
            urls: spec.urls,
            size: spec.size,
            has_blocks: spec.blocks.is_some(),
        })
    }

    /// Tells the dialog what the queue holds: those files are unticked and cannot be
    /// added again. Returns what was unticked, in words.
    pub fn with_known(mut self, known: HashMap<PathBuf, Twin>) -> (Self, Vec<String>) {
        self.known = known;
        let mut unticked = Vec::new();
        let dir = self.dir.clone();
        if let Offer::Metalink {
            document, chosen, ..
        } = &mut self.offer
        {
            for (file, on) in document.files.iter().zip(chosen.iter_mut()) {
                if let Some(twin) = self.known.get(&dir.join(&file.name))
                    && *on
                {
                    *on = false;
                    unticked.push(twin.text(&file.name));
                }
            }
        }
        (self, unticked)
    }

    /// Whether the queue already has `name` in the chosen folder.
    fn twin(&self, name: &str) -> Option<Twin> {
        self.known.get(&self.dir.join(name)).copied()
    }

    /// The file names on offer.
    fn names(&self) -> Vec<&str> {
        match &self.offer {
            Offer::File(offer) => vec![offer.name()],
            Offer::Metalink { document, .. } => {
                document.files.iter().map(|f| f.name.as_str()).collect()
            }
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Toggle(index, on) => {
                if let Offer::Metalink { chosen, .. } = &mut self.offer
                    && let Some(slot) = chosen.get_mut(index)
                {
                    *slot = on;
                }
                self.refile()
            }
            Message::All(on) => {
                let twins: Vec<bool> = self
                    .names()
                    .iter()
                    .map(|n| self.twin(n).is_some())
                    .collect();
                if let Offer::Metalink { chosen, .. } = &mut self.offer {
                    for (slot, twin) in chosen.iter_mut().zip(twins) {
                        *slot = on && !twin;
                    }
                }
                self.refile()
            }
            Message::ChooseFolder => Action::PickFolder(self.dir.clone()),
            Message::FolderChosen(Some(dir)) => {
                self.dir_chosen = true;
                self.dir = dir.clone();
                self.free = None;
                Action::Measure(dir)
            }
            Message::FolderChosen(None) => Action::None,
            Message::Measured(dir, free) => {
                if dir == self.dir {
                    self.free = free;
                }
                Action::None
            }
            Message::Add(start) => {
                if let Offer::File(offer) = &self.offer
                    && offer.is_looking()
                {
                    self.pending = Some(start);
                    return Action::None;
                }
                self.submit(start)
            }
            Message::AddAll => {
                self.all = true;
                self.update(Message::Add(true))
            }
            Message::Cancel => Action::Close,
            Message::Signing(message) => {
                if self.signing.update(message) {
                    return Action::ImportKey;
                }
                Action::None
            }
            Message::Options(message) => match self.options.update(message) {
                Some(category) => {
                    self.dir_chosen = false;
                    self.move_to_folder_of(category)
                }
                None => Action::None,
            },
            Message::Plain(message) => {
                let Offer::File(offer) = &mut self.offer else {
                    return Action::None;
                };
                let task = offer.update(message);
                let looking = offer.is_looking();
                // The search may have brought piece hashes (the server's metalink): a
                // file under the name can then be repaired, not only replaced.
                if let Some(spec) = self.chosen_specs().ok().filter(|s| s.len() == 1) {
                    self.reuse.set_pieces(spec[0].piece_checks().is_some());
                }
                if !looking && let Some(start) = self.pending.take() {
                    return self.submit(start);
                }
                Action::Run(task.map(Message::Plain))
            }
            Message::Reuse(message) => {
                let Some(spec) = self.chosen_specs().ok().filter(|s| s.len() == 1) else {
                    return Action::None;
                };
                self.reuse.set_pieces(spec[0].piece_checks().is_some());
                let name = &spec[0].name;
                if let reuse::Message::Chosen(Some(picked)) = &message
                    && let Some(folder) = reuse::folder_to_repair_in(picked, name, &self.dir)
                {
                    // A copy of the download elsewhere is repaired where it is: the
                    // dialog moves to its folder (and looks there again).
                    self.dir = folder.clone();
                    self.free = None;
                    self.reuse.update(message, &self.dir, name);
                    return Action::Measure(folder);
                }
                match self.reuse.update(message, &self.dir, name) {
                    reuse::Action::None => Action::None,
                    reuse::Action::PickFile(dir) => Action::PickFile(dir),
                }
            }
        }
    }

    fn submit(&mut self, start: bool) -> Action {
        match self.specs() {
            Ok(specs) => Action::Submit {
                specs,
                start,
                filed_as: self.options.filed.then_some(self.options.category),
                all: self.all,
            },
            Err(message) => {
                self.error = Some(message);
                Action::None
            }
        }
    }

    /// Bytes the chosen files need (those of known size).
    pub fn needed(&self) -> u64 {
        self.chosen().filter_map(|c| c.size()).sum()
    }

    /// The downloads the dialog stands for now, with the file to reuse.
    pub fn specs(&self) -> Result<Vec<JobSpec>, String> {
        let mut specs = self.chosen_specs()?;
        for spec in &mut specs {
            spec.signatures.required = self.signing.require;
        }
        self.options.apply(&mut specs)?;
        if let [one] = specs.as_mut_slice() {
            self.reuse.apply(one);
        }
        Ok(specs)
    }

    /// The chosen files' signatures, each with the hash it will be checked with.
    fn signed_files(&self) -> Vec<(Vec<crate::signature::Found>, Option<crate::metalink::Hash>)> {
        self.chosen()
            .map(|chosen| match chosen {
                Chosen::Plain(offer) => offer.signatures(),
                Chosen::Listed(file) => (
                    crate::signature::from_metalink_file(file),
                    file.strongest_hash().cloned(),
                ),
            })
            .collect()
    }

    /// The downloads, before the signing, limits and priority asked for are given them.
    fn chosen_specs(&self) -> Result<Vec<JobSpec>, String> {
        if let Some((name, twin)) = self
            .chosen()
            .find_map(|chosen| Some((chosen.name(), self.twin(chosen.name())?)))
        {
            return Err(twin.text(name));
        }
        let mut specs = Vec::new();
        for chosen in self.chosen() {
            specs.push(match chosen {
                Chosen::Plain(offer) => offer.spec(&self.source, self.dir.clone())?,
                Chosen::Listed(file) => {
                    let urls: Vec<_> = select::ordered_urls(file, &self.locations)
                        .into_iter()
                        .cloned()
                        .collect();
                    if urls.is_empty() {
                        return Err(t_args("add-no-mirror", &[("name", file.name.clone())]));
                    }
                    JobSpec::for_metalink_file(&self.source, file, urls, self.dir.clone())
                }
            });
        }
        if specs.is_empty() {
            return Err(t("add-nothing-chosen"));
        }
        Ok(specs)
    }

    /// The dialog in a window of `window` size.
    pub fn view(&self, window: Size) -> Element<'_, Message> {
        self.view_before(window, 0)
    }

    /// The dialog with `waiting` more offers behind it: it says so, and offers to
    /// download them all.
    pub fn view_before(&self, window: Size, waiting: usize) -> Element<'_, Message> {
        let width = (window.width - 2.0 * MARGIN).clamp(300.0, 920.0);
        let height = (window.height - 2.0 * MARGIN).max(200.0);
        let name_chars = widgets::chars_that_fit(width - 200.0, 14.0);
        let head = column![
            text(t("add-title")).size(22),
            text(widgets::ellipsize(
                &self.source,
                widgets::chars_that_fit(width - 48.0, 12.0)
            ))
            .size(12)
            .wrapping(Wrapping::None)
            .style(text::secondary),
        ]
        .spacing(10);
        // What is offered, where it goes and how: scrolled when the window is short,
        // so the buttons below always stay in view.
        let mut content = column![].spacing(10);
        // A long list of files already takes the room there is.
        let mut filled = false;
        match &self.offer {
            Offer::Metalink {
                document,
                warnings,
                chosen,
                notes,
            } => {
                let picked = chosen.iter().filter(|on| **on).count();
                content = content.push(
                    row![
                        text(t_args(
                            "add-chosen",
                            &[
                                ("chosen", picked.to_string()),
                                ("count", document.files.len().to_string()),
                                ("size", units::bytes(self.needed())),
                            ],
                        ))
                        .size(13)
                        .width(Length::Fill),
                        widgets::plain(t("add-select-all"), Some(Message::All(true)), Role::Ghost),
                        widgets::plain(
                            t("add-select-none"),
                            Some(Message::All(false)),
                            Role::Ghost
                        ),
                    ]
                    .spacing(4)
                    .align_y(Alignment::Center),
                );
                let mut files = column![].spacing(FILE_SPACING);
                for (index, file) in document.files.iter().enumerate() {
                    files = files.push(self.file_row(index, file, chosen[index], name_chars));
                }
                let natural = document.files.len() as f32 * (FILE_ROW + FILE_SPACING);
                let room = (height - CHROME).max(FILE_ROW * 2.0);
                filled = natural > room;
                content = content.push(
                    container(scrollable(files.padding([0, 12])).height(Length::Fill))
                        .height(Length::Fixed(natural.min(room) + 8.0))
                        .style(theme::surfaces::panel)
                        .padding([4, 0]),
                );
                let notes = notes.iter().map(super::reasons::selection_note);
                for note in notes.chain(warnings.iter().cloned()).take(3) {
                    content = content.push(
                        text(note)
                            .size(12)
                            .wrapping(Wrapping::None)
                            .style(text::secondary),
                    );
                }
            }
            Offer::File(offer) => {
                let mut facts = column![
                    text(offer.name().to_owned())
                        .size(16)
                        .wrapping(Wrapping::None),
                    text(offer.size().map_or_else(|| t("size-unknown"), units::bytes)),
                    offer.view().map(Message::Plain),
                ]
                .spacing(6);
                if let Some(twin) = self.twin(offer.name()) {
                    facts = facts.push(text(twin.text(offer.name())).style(text::warning));
                }
                // In a short window what was found scrolls, so the folder, the reuse
                // offer and the buttons stay in view (at 800×500 they were squeezed).
                let room = height - CHROME;
                if room < PLAIN_FACTS {
                    content = content.push(
                        scrollable(facts.padding([0, 12]))
                            .height(Length::Fixed(room.max(FILE_ROW * 2.0))),
                    );
                } else {
                    content = content.push(facts);
                }
            }
        }
        content = content.push(
            row![
                text(t("add-destination")),
                text(self.dir.display().to_string())
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
            .align_y(Alignment::Center),
        );
        content = content.push(self.options.view().map(Message::Options));
        if let Some(spec) = self.chosen_specs().ok().filter(|s| s.len() == 1) {
            let chars = widgets::chars_that_fit(width - 200.0, 13.0);
            content = content.push(self.reuse.view(&spec[0].name, chars).map(Message::Reuse));
        }
        if let Some(free) = self.free {
            let needed = self.needed();
            let figures = [
                ("needed", units::bytes(needed)),
                ("free", units::bytes(free)),
            ];
            content = content.push(if needed > free {
                text(t_args("add-no-room", &figures)).style(text::danger)
            } else {
                text(t_args("add-free-space", &figures))
                    .size(12)
                    .style(text::secondary)
            });
        }
        if let Some(signing) = self.signing.view(&self.signed_files()) {
            content = content.push(signing.map(Message::Signing));
        }
        if let Some(error) = &self.error {
            content = content.push(text(error.clone()).style(text::danger));
        }
        let body = scrollable(content.padding(iced::Padding::ZERO.right(12))).height(
            if filled || window.height < TALL {
                Length::Fill
            } else {
                Length::Shrink
            },
        );
        let mut content = column![head, body].spacing(10);
        if waiting > 0 {
            let count = [("count", waiting.to_string())];
            content = content.push(
                row![
                    text(t_args("add-more-waiting", &count))
                        .size(13)
                        .style(text::secondary)
                        .width(Length::Fill),
                    widgets::labeled(
                        Icon::Running,
                        t_args("add-start-all", &[("count", (waiting + 1).to_string())]),
                        Some(Message::AddAll),
                        Role::Secondary
                    ),
                ]
                .spacing(8)
                .align_y(Alignment::Center),
            );
        }
        content = content.push(
            row![
                space::horizontal(),
                widgets::plain(t("add-cancel"), Some(Message::Cancel), Role::Ghost),
                widgets::labeled(
                    Icon::Pause,
                    t("add-queue"),
                    Some(Message::Add(false)),
                    Role::Secondary
                ),
                widgets::labeled(
                    Icon::Running,
                    t("add-start"),
                    Some(Message::Add(true)),
                    Role::Primary
                ),
            ]
            .spacing(8),
        );
        container(content)
            .padding(20)
            .width(width)
            .max_height(height)
            .style(theme::surfaces::card)
            .into()
    }

    fn file_row<'a>(
        &self,
        index: usize,
        file: &'a File,
        chosen: bool,
        name_chars: usize,
    ) -> Element<'a, Message> {
        let mut facts = Vec::new();
        if !file.languages.is_empty() {
            facts.push(file.languages.join(", "));
        }
        if !file.os.is_empty() {
            facts.push(file.os.join(", "));
        }
        facts.push(match (file.strongest_hash(), file.preferred_pieces()) {
            (Some(hash), Some(pieces)) => t_args(
                "add-hash-and-pieces",
                &[
                    ("hash", hash.algorithm.to_string()),
                    ("pieces", pieces.algorithm.to_string()),
                ],
            ),
            (Some(hash), None) => {
                t_args("add-checked-with", &[("hash", hash.algorithm.to_string())])
            }
            (None, Some(pieces)) => t_args(
                "add-pieces-only",
                &[("pieces", pieces.algorithm.to_string())],
            ),
            (None, None) => t("add-not-checked"),
        });
        facts.push(mirror_summary(file));
        let twin = self.twin(&file.name);
        let mut tick = checkbox(chosen);
        if twin.is_none() {
            tick = tick.on_toggle(move |on| Message::Toggle(index, on));
        }
        let mut first = row![
            tick,
            text(widgets::ellipsize(&file.name, name_chars))
                .wrapping(Wrapping::None)
                .width(Length::Fill),
        ]
        .spacing(8)
        .align_y(Alignment::Center);
        if let Some(twin) = twin {
            first = first.push(text(twin.tag()).size(12).style(text::warning));
        }
        first =
            first.push(text(file.size.map_or_else(|| t("size-unknown"), units::bytes)).size(13));
        container(
            column![
                first,
                row![
                    space::horizontal().width(26),
                    text(facts.join(" · "))
                        .size(12)
                        .wrapping(Wrapping::None)
                        .style(text::secondary),
                ],
            ]
            .spacing(2),
        )
        .height(FILE_ROW)
        .width(Length::Fill)
        .align_y(Alignment::Center)
        .clip(true)
        .into()
    }
}

/// `12 mirrors in de, fr, us, …`
fn mirror_summary(file: &File) -> String {
    let usable = select::ordered_urls(file, &[]);
    let mut places: Vec<&str> = usable
        .iter()
        .filter_map(|u| u.location.as_deref())
        .collect();
    places.sort_unstable();
    places.dedup();
    let mut where_ = places
        .iter()
        .take(6)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if places.len() > 6 {
        where_.push_str(", …");
    }
    if where_.is_empty() {
        t_args("add-mirror-count", &[("count", usable.len().to_string())])
    } else {
        t_args(
            "add-mirrors-in",
            &[("count", usable.len().to_string()), ("places", where_)],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metalink::{MirrorUrl, Version};

    fn document() -> Document {
        let file = |name: &str, language: &str, os: &str| {
            let mut file = File::new(name);
            file.size = Some(1 << 20);
            file.languages = vec![language.into()];
            file.os = vec![os.into()];
            file.urls = vec![MirrorUrl {
                url: format!("http://127.0.0.1/{name}"),
                priority: 1,
                location: Some("de".into()),
                max_connections: None,
            }];
            file
        };
        Document {
            version: Version::V4,
            generator: None,
            origin: None,
            dynamic: false,
            published: None,
            updated: None,
            files: vec![
                file("app-en-linux.tar.gz", "en", "linux-x86_64"),
                file("app-de-linux.tar.gz", "de", "linux-x86_64"),
                file("app-de-windows.zip", "de", "windows-x86_64"),
            ],
        }
    }

    fn prefs(language: &str, os: &str) -> Preferences {
        Preferences {
            languages: vec![language.into()],
            os: Some(os.into()),
            locations: Vec::new(),
        }
    }

    /// The dialog for `document()` as a Linux user speaking `language` sees it.
    fn linux_dialog(language: &str) -> Dialog {
        Dialog::for_metalink(
            "a.meta4".into(),
            document(),
            Vec::new(),
            &prefs(language, "linux-x86_64"),
            "/tmp".into(),
            None,
        )
    }

    #[test]
    fn files_are_preselected_for_language_and_os() {
        crate::i18n::set_language("en");
        let mut dialog = linux_dialog("de-AT");
        let messages: Vec<_> = {
            let mut ui = iced_test::simulator(dialog.view(Size::new(1000.0, 680.0)));
            ui.click("Download now").unwrap();
            ui.into_messages().collect()
        };
        let mut submitted = None;
        for message in messages {
            if let Action::Submit { specs, start, .. } = dialog.update(message) {
                submitted = Some((specs, start));
            }
        }
        let (specs, start) = submitted.expect("submitted");
        assert!(start);
        let names: Vec<_> = specs.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["app-de-linux.tar.gz"]);
        assert_eq!(specs[0].dir, PathBuf::from("/tmp"));
    }

    #[test]
    fn ticking_a_file_adds_it_and_nothing_chosen_is_refused() {
        crate::i18n::set_language("en");
        let mut dialog = linux_dialog("de");
        dialog.update(Message::Toggle(2, true));
        assert_eq!(dialog.specs().unwrap().len(), 2);
        dialog.update(Message::Toggle(1, false));
        dialog.update(Message::Toggle(2, false));
        assert!(matches!(dialog.update(Message::Add(false)), Action::None));
        assert_eq!(dialog.error.as_deref(), Some("Choose at least one file."));
        let mut ui = iced_test::simulator(dialog.view(Size::new(1000.0, 680.0)));
        assert!(
            ui.find("Choose at least one file.").is_ok(),
            "the reason is shown"
        );
    }

    #[test]
    fn the_free_space_is_shown_and_too_little_is_warned_of() {
        crate::i18n::set_language("en");
        let mut dialog = linux_dialog("de");
        assert!(matches!(
            dialog.update(Message::FolderChosen(Some("/srv".into()))),
            Action::Measure(dir) if dir == std::path::Path::new("/srv")
        ));
        // A late answer for the folder chosen before is ignored.
        dialog.update(Message::Measured("/tmp".into(), Some(1)));
        assert_eq!(dialog.free, None);
        let shows = |dialog: &Dialog, line: &str| {
            iced_test::simulator(dialog.view(Size::new(1000.0, 680.0)))
                .find(line)
                .is_ok()
        };
        dialog.update(Message::Measured("/srv".into(), Some(10 << 20)));
        assert!(shows(&dialog, "1.0 MiB needed, 10.0 MiB free"));
        dialog.update(Message::Measured("/srv".into(), Some(1000)));
        assert!(shows(
            &dialog,
            "Not enough space here: 1.0 MiB needed, 1,000 B free"
        ));
    }

    #[test]
    fn a_copy_of_the_file_picked_in_another_folder_is_repaired_there() {
        crate::i18n::set_language("en");
        let mut dialog = linux_dialog("de");
        let picked = PathBuf::from("/mnt/usb/app-de-linux.tar.gz");
        assert!(matches!(
            dialog.update(Message::Reuse(reuse::Message::Chosen(Some(picked)))),
            Action::Measure(dir) if dir == std::path::Path::new("/mnt/usb")
        ));
        let specs = dialog.specs().unwrap();
        assert_eq!(specs[0].dir, PathBuf::from("/mnt/usb"));
        assert!(specs[0].overwrite, "the copy is replaced once verified");
        // Another file picked is an older copy: the folder stays.
        let older = PathBuf::from("/mnt/usb/app-de-linux-0.9.tar.gz");
        assert!(matches!(
            dialog.update(Message::Reuse(reuse::Message::Chosen(Some(older)))),
            Action::None
        ));
        assert_eq!(dialog.dir, PathBuf::from("/mnt/usb"));
    }

    #[test]
    fn a_described_file_is_the_only_one_chosen() {
        let dialog = Dialog::for_metalink(
            "http://x/app-de-windows.zip".into(),
            document(),
            Vec::new(),
            &prefs("en", "linux-x86_64"),
            "/tmp".into(),
            Some("app-de-windows.zip"),
        );
        let names: Vec<_> = dialog
            .specs()
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["app-de-windows.zip"]);
    }

    #[test]
    fn files_go_to_their_category_s_folder_and_the_user_may_file_them_elsewhere() {
        crate::i18n::set_language("en");
        let mut config = crate::config::Config {
            download_dir: "/downloads".into(),
            ..Default::default()
        };
        config
            .category_folders
            .set(Category::Archive, "/archives".into());
        config.category_folders.set(Category::Image, "/isos".into());
        let dialog = linux_dialog("de").with_folders(Folders::of_config(&config));
        assert_eq!(dialog.category(), Category::Archive, "app-de-linux.tar.gz");
        assert_eq!(dialog.dir, PathBuf::from("/archives"));
        let mut dialog = dialog;
        // Ticking a .zip too keeps them archives; picking another kind moves the folder.
        assert!(matches!(
            dialog.update(Message::Toggle(2, true)),
            Action::None
        ));
        let action = dialog.update(Message::Options(add_options::Message::Category(
            add_options::CategoryOption(Category::Image),
        )));
        assert!(matches!(action, Action::Measure(dir) if dir == std::path::Path::new("/isos")));
        dialog.update(Message::Options(add_options::Message::Rate("200K".into())));
        let Action::Submit {
            specs, filed_as, ..
        } = dialog.update(Message::Add(true))
        else {
            panic!("submitted");
        };
        assert_eq!(filed_as, Some(Category::Image));
        assert!(specs.iter().all(|s| s.dir == std::path::Path::new("/isos")));
        assert!(specs.iter().all(|s| s.rate_limit == Some(200 * 1024)));
    }

    #[test]
    fn a_folder_the_user_chose_stays_when_the_files_change() {
        let mut config = crate::config::Config::default();
        config
            .category_folders
            .set(Category::Package, "/packages".into());
        let mut dialog = linux_dialog("de").with_folders(Folders::of_config(&config));
        dialog.update(Message::FolderChosen(Some("/mine".into())));
        dialog.update(Message::Toggle(1, false));
        assert_eq!(dialog.dir, PathBuf::from("/mine"));
    }

    #[test]
    fn the_dialog_shows_the_category_and_limit_fields() {
        crate::i18n::set_language("en");
        let dialog = linux_dialog("de");
        let mut ui = iced_test::simulator(dialog.view(Size::new(1000.0, 680.0)));
        for label in [
            "Category",
            "Speed limit",
            "Connections",
            "Priority",
            "Start at",
        ] {
            assert!(ui.find(label).is_ok(), "{label}");
        }
    }
}
