//! The queue as the window knows it: one entry per download, folded from engine events.
//! No I/O here, so every rule can be tested by feeding events.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use crate::category::Category;
use crate::engine::{
    Checking, DownloadId, Event, JobError, JobSpec, MirrorStatus, PieceStatus, Progress, Repair,
    Trouble,
};
use crate::signature::Verdict;

#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Queued,
    /// Waits for its start time (seconds since 1970).
    Waiting(i64),
    Running,
    Paused,
    Finished {
        path: PathBuf,
        verified: Option<String>,
        repaired: usize,
        /// What files on disk gave it (a repair, an update from an older copy).
        reused: Option<crate::engine::Reused>,
    },
    Failed(Failure),
}

impl State {
    pub fn is_active(&self) -> bool {
        matches!(self, State::Queued | State::Waiting(_) | State::Running)
    }

    pub fn is_done(&self) -> bool {
        matches!(self, State::Finished { .. })
    }

    /// What a row's buttons do in this state.
    pub fn controls(&self) -> Controls {
        match self {
            State::Queued | State::Waiting(_) | State::Running => Controls::Stop,
            State::Paused => Controls::Resume,
            State::Failed(_) => Controls::Retry,
            State::Finished { .. } => Controls::Open,
        }
    }
}

/// What a row's buttons do (Pause and Cancel, Resume and Cancel, Retry and Remove, Open
/// and Remove): when it changes, the buttons under the pointer change with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Controls {
    Stop,
    Resume,
    Retry,
    Open,
}

/// How long a row's buttons take no clicks after what they do changed. A click aimed at
/// Pause that lands just after the download finished must not open the file: people take
/// a few hundred milliseconds from seeing a button to clicking it.
pub const SETTLE: Duration = Duration::from_secs(1);

/// What a progress report said, kept for the speeds over the window.
#[derive(Debug, Clone)]
struct Sample {
    at: Instant,
    received: u64,
    /// Bytes each mirror had sent, in the report's order.
    mirror_bytes: Vec<u64>,
}

#[derive(Debug, Clone)]
pub struct Download {
    pub id: DownloadId,
    pub spec: JobSpec,
    pub state: State,
    pub progress: Option<Box<Progress>>,
    /// While files on disk are checked for data to reuse, before anything is fetched.
    pub checking: Option<Checking>,
    /// Bytes per second over the last few seconds (see [`SPEED_WINDOW`]).
    pub speed: f64,
    /// Bytes received at each progress report within the speed window, oldest first.
    samples: VecDeque<Sample>,
    /// The last problems mirrors had (url, what), newest last.
    pub troubles: Vec<(String, Trouble)>,
    pub selected: bool,
    /// When it was first added (kept across restarts).
    pub added: SystemTime,
    /// Set while the row is being removed and Undo is still possible.
    pub leaving: Option<Leaving>,
    /// Why mirrors were dropped before a restart, in words (url, reason).
    restored_drops: Vec<(String, String)>,
    /// Bytes each mirror (by URL) sent in the job's earlier runs, before a pause, a
    /// failure or a restart: each run of the job counts from zero again, and the
    /// details show what each mirror sent for the download.
    carried: std::collections::HashMap<String, u64>,
    /// What its OpenPGP signatures said when it finished (or failed because of them).
    pub signature: Option<Verdict>,
    /// The kind the user filed it under in the add dialog; else its name tells.
    pub filed_as: Option<Category>,
    /// Undo came before the pause asked for on removal: resume once paused.
    pub resume_when_paused: bool,
    /// When its buttons last changed what they do (see [`SETTLE`]).
    controls_changed: Option<Instant>,
}

/// Why a download failed: the engine's reason, or its words as saved before a restart.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Job(JobError),
    Saved(String),
}

impl Failure {
    /// Whether another file was in the download's place.
    pub fn is_file_exists(&self) -> bool {
        matches!(self, Failure::Job(JobError::FileExists(_)))
    }

    /// In the interface language.
    pub fn text(&self) -> String {
        match self {
            Failure::Job(error) => super::reasons::job_error(error),
            Failure::Saved(words) => words.clone(),
        }
    }

    /// What the systems said in their own words, which [`Failure::text`] leaves out.
    pub fn detail(&self) -> Option<String> {
        match self {
            Failure::Job(error) => super::reasons::job_detail(error),
            Failure::Saved(_) => None,
        }
    }
}

impl From<&str> for Failure {
    fn from(words: &str) -> Self {
        Failure::Saved(words.to_owned())
    }
}

/// A removal that waits a few seconds, so it can be undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leaving {
    /// The part file (or the finished file) goes too.
    pub delete_files: bool,
    /// It was running or waiting: Undo starts it again.
    pub was_active: bool,
    pub until: Instant,
}

const TROUBLES_KEPT: usize = 20;

/// Speeds are averaged over this long: a rate limit that lets bytes through in bursts
/// reads as the limit, not as swings between a fraction and a multiple of it.
pub const SPEED_WINDOW: Duration = Duration::from_secs(5);

impl Download {
    pub fn new(id: DownloadId, spec: JobSpec, state: State) -> Self {
        Download {
            id,
            spec,
            state,
            progress: None,
            checking: None,
            speed: 0.0,
            samples: VecDeque::new(),
            troubles: Vec::new(),
            selected: false,
            added: SystemTime::now(),
            leaving: None,
            restored_drops: Vec::new(),
            carried: std::collections::HashMap::new(),
            signature: None,
            filed_as: None,
            resume_when_paused: false,
            controls_changed: None,
        }
    }

    /// Whether its buttons changed what they do less than [`SETTLE`] before `now`: they
    /// take no click yet.
    pub fn settling(&self, now: Instant) -> bool {
        self.controls_changed
            .is_some_and(|at| now.saturating_duration_since(at) < SETTLE)
    }

    /// Its kind of file: as filed in the add dialog, or as its name says.
    pub fn category(&self) -> Category {
        self.filed_as
            .unwrap_or_else(|| Category::of(&self.spec.name))
    }

    /// Why the mirror at `url` was dropped, as saved before a restart.
    pub fn restored_drop(&self, url: &str) -> Option<&str> {
        self.restored_drops
            .iter()
            .find(|(u, _)| u == url)
            .map(|(_, why)| why.as_str())
    }

    /// Why the mirror was dropped, in words, if it was. A download that failed for
    /// want of mirrors names each one's reason, also for those its last progress still
    /// showed as usable.
    pub fn drop_text(&self, mirror: &MirrorStatus) -> Option<String> {
        mirror
            .dropped
            .as_ref()
            .map(super::reasons::drop_reason)
            .or_else(|| self.restored_drop(&mirror.url).map(str::to_owned))
            .or_else(|| match &self.state {
                State::Failed(Failure::Job(JobError::NoMirrors(failures))) => failures
                    .iter()
                    .find(|f| f.url == mirror.url)
                    .map(|f| super::reasons::mirror_reason(&f.reason)),
                _ => None,
            })
    }

    /// Where the file is (or will be) once complete.
    pub fn target(&self) -> PathBuf {
        match &self.state {
            State::Finished { path, .. } => path.clone(),
            _ => self.spec.dir.join(&self.spec.name),
        }
    }

    /// Folds a progress report received at `now` in, and updates the speed. Each
    /// mirror's speed is smoothed over the same window, so the mirrors' speeds in the
    /// details add up to the download's.
    pub fn observe(&mut self, mut progress: Box<Progress>, now: Instant) {
        if let Some(before) = self
            .progress
            .as_ref()
            .filter(|before| before.received > progress.received)
        {
            // A new run of the job counts from zero again.
            self.carried = before
                .mirrors
                .iter()
                .map(|m| (m.url.clone(), m.bytes))
                .collect();
            self.samples.clear();
        }
        for mirror in &mut progress.mirrors {
            mirror.bytes += self.carried.get(&mirror.url).copied().unwrap_or(0);
        }
        self.samples.push_back(Sample {
            at: now,
            received: progress.received,
            mirror_bytes: progress.mirrors.iter().map(|m| m.bytes).collect(),
        });
        while self
            .samples
            .front()
            .is_some_and(|sample| now.duration_since(sample.at) > SPEED_WINDOW)
        {
            self.samples.pop_front();
        }
        let first = &self.samples[0];
        let span = now.duration_since(first.at).as_secs_f64();
        self.speed = if span >= 1.0 {
            for (mirror, then) in progress.mirrors.iter_mut().zip(&first.mirror_bytes) {
                mirror.speed = mirror.bytes.saturating_sub(*then) as f64 / span;
            }
            (progress.received - first.received) as f64 / span
        } else if self.speed == 0.0 {
            progress.speed
        } else {
            0.7 * self.speed + 0.3 * progress.speed
        };
        self.progress = Some(progress);
    }

    /// What a stopped download still shows: no piece in flight, no mirror in use.
    fn settle(&mut self) {
        self.speed = 0.0;
        self.samples.clear();
        if let Some(progress) = &mut self.progress {
            progress.speed = 0.0;
            progress.connections = 0;
            for piece in &mut progress.pieces {
                if *piece == PieceStatus::InFlight {
                    *piece = PieceStatus::Missing;
                }
            }
            for mirror in &mut progress.mirrors {
                mirror.connections = 0;
                mirror.speed = 0.0;
            }
        }
    }

    /// Puts back what the saved queue knew: the mirrors and repairs, and for a finished
    /// download its piece map (every piece verified, the repaired ones marked). The
    /// pieces of an unfinished one come from its state file, through the engine.
    pub fn restore_details(&mut self, details: Option<&super::saved::SavedDetails>) {
        let finished = self.state.is_done();
        if details.is_none() && !finished {
            return;
        }
        let repairs = details.map(|d| d.repairs()).unwrap_or_default();
        self.restored_drops = details.map(|d| d.drops()).unwrap_or_default();
        let mut pieces = Vec::new();
        if finished && let Some(list) = &self.spec.pieces {
            pieces = vec![PieceStatus::Verified; list.count()];
            for repair in &repairs {
                if let Some(piece) = pieces.get_mut(repair.piece) {
                    *piece = PieceStatus::Repaired;
                }
            }
        }
        let size = self.spec.size;
        let done = if finished { size.unwrap_or(0) } else { 0 };
        self.progress = Some(Box::new(Progress {
            size,
            done,
            verified_prefix: done,
            received: done,
            speed: 0.0,
            connections: 0,
            pieces,
            mirrors: details.map(|d| d.mirrors()).unwrap_or_default(),
            repairs,
        }));
    }

    /// Mirrors as last reported, and the repairs made.
    pub fn mirror_statuses(&self) -> &[MirrorStatus] {
        self.progress.as_ref().map_or(&[], |p| &p.mirrors)
    }

    pub fn repairs(&self) -> &[Repair] {
        self.progress.as_ref().map_or(&[], |p| &p.repairs)
    }

    pub fn size(&self) -> Option<u64> {
        self.spec
            .size
            .or_else(|| self.progress.as_ref().and_then(|p| p.size))
    }

    pub fn done_bytes(&self) -> u64 {
        match (&self.state, self.size()) {
            (State::Finished { .. }, Some(size)) => size,
            _ => self.progress.as_ref().map_or(0, |p| p.done),
        }
    }

    /// 0.0 ..= 1.0, when the size is known. While running, bytes received count before
    /// their piece is verified, so a file of a few large pieces moves too (never to 100%
    /// before it is done).
    pub fn fraction(&self) -> Option<f32> {
        let size = self.size()?;
        if size == 0 || self.state.is_done() {
            return Some(1.0);
        }
        let mut shown = self.done_bytes();
        if self.state == State::Running
            && let Some(progress) = &self.progress
        {
            shown = shown.max(progress.received.min(size.saturating_sub(1)));
        }
        Some((shown as f64 / size as f64).clamp(0.0, 1.0) as f32)
    }

    /// How far the check of the files on disk has come (0.0 ..= 1.0), while it runs:
    /// before anything is fetched, that is the download's progress.
    pub fn checked(&self) -> Option<f32> {
        let checking = self
            .checking
            .as_ref()
            .filter(|_| self.state == State::Running)?;
        if checking.total == 0 {
            return Some(1.0);
        }
        Some((checking.done as f64 / checking.total as f64).clamp(0.0, 1.0) as f32)
    }

    /// Seconds left at the smoothed speed.
    pub fn eta(&self) -> Option<u64> {
        if self.state != State::Running || self.speed < 1.0 {
            return None;
        }
        let left = self.size()?.saturating_sub(self.done_bytes());
        Some((left as f64 / self.speed).ceil() as u64)
    }

    /// Mirrors in use now and in all.
    pub fn mirrors(&self) -> (usize, usize) {
        match &self.progress {
            Some(p) if !p.mirrors.is_empty() => (
                p.mirrors.iter().filter(|m| m.connections > 0).count(),
                p.mirrors.len(),
            ),
            _ => (0, self.spec.urls.len()),
        }
    }
}

/// The downloads in the order they were added.
#[derive(Debug, Default)]
pub struct Downloads {
    order: Vec<DownloadId>,
    entries: HashMap<DownloadId, Download>,
}

impl Downloads {
    pub fn insert(&mut self, download: Download) {
        if !self.entries.contains_key(&download.id) {
            self.order.push(download.id);
        }
        self.entries.insert(download.id, download);
    }

    pub fn remove(&mut self, id: DownloadId) -> Option<Download> {
        self.order.retain(|o| *o != id);
        self.entries.remove(&id)
    }

    pub fn get(&self, id: DownloadId) -> Option<&Download> {
        self.entries.get(&id)
    }

    pub fn get_mut(&mut self, id: DownloadId) -> Option<&mut Download> {
        self.entries.get_mut(&id)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// In queue order.
    pub fn iter(&self) -> impl Iterator<Item = &Download> {
        self.order.iter().filter_map(|id| self.entries.get(id))
    }

    /// The `index`-th download in queue order.
    pub fn nth(&self, index: usize) -> Option<&Download> {
        self.order.get(index).and_then(|id| self.entries.get(id))
    }

    /// The ticked downloads that are not on their way out.
    pub fn selected(&self) -> Vec<DownloadId> {
        self.iter()
            .filter(|d| d.selected && d.leaving.is_none())
            .map(|d| d.id)
            .collect()
    }

    /// The download removed last that can still be brought back.
    pub fn last_leaving(&self) -> Option<DownloadId> {
        self.iter()
            .filter_map(|d| Some((d.leaving?.until, d.id)))
            .max()
            .map(|(_, id)| id)
    }

    /// The download that will write `target`, if one is in the queue.
    pub fn with_target(&self, target: &std::path::Path) -> Option<&Download> {
        self.iter()
            .find(|d| d.leaving.is_none() && d.target() == target)
    }

    pub fn select_all(&mut self, selected: bool) {
        for download in self.entries.values_mut() {
            download.selected = selected;
        }
    }

    /// Puts the downloads the engine knows in its start order; the others (finished
    /// before this session) keep their places.
    fn follow(&mut self, order: &[DownloadId]) {
        let known: std::collections::HashSet<DownloadId> = order
            .iter()
            .copied()
            .filter(|id| self.entries.contains_key(id))
            .collect();
        let mut next = order.iter().copied().filter(|id| known.contains(id));
        for slot in &mut self.order {
            if known.contains(slot)
                && let Some(id) = next.next()
            {
                *slot = id;
            }
        }
    }

    /// Folds one engine event in; returns the download it concerned.
    pub fn apply(&mut self, event: &Event) -> Option<DownloadId> {
        self.apply_at(event, Instant::now())
    }

    /// As [`Downloads::apply`], for an event that arrived at `now`.
    pub fn apply_at(&mut self, event: &Event, now: Instant) -> Option<DownloadId> {
        let (id, state) = match event {
            Event::Queued(id) => (*id, Some(State::Queued)),
            Event::Waiting { id, until } => (*id, Some(State::Waiting(*until))),
            Event::Updated { id, spec } => {
                self.entries.get_mut(id)?.spec = (**spec).clone();
                return Some(*id);
            }
            Event::Order(order) => {
                self.follow(order);
                return None;
            }
            Event::Started(id) => (*id, Some(State::Running)),
            Event::Paused(id) => (*id, Some(State::Paused)),
            Event::Finished {
                id,
                path,
                verified,
                repaired,
                signature,
                reused,
                ..
            } => {
                if let Some(download) = self.entries.get_mut(id) {
                    download.signature = signature.clone();
                }
                (
                    *id,
                    Some(State::Finished {
                        path: path.clone(),
                        verified: verified.map(|h| h.to_string()),
                        repaired: *repaired,
                        reused: *reused,
                    }),
                )
            }
            Event::Failed { id, error } => {
                if let (
                    Some(download),
                    JobError::SignatureBad { verdict }
                    | JobError::SignatureRequired {
                        verdict: Some(verdict),
                    },
                ) = (self.entries.get_mut(id), error)
                {
                    download.signature = Some(verdict.clone());
                }
                (*id, Some(State::Failed(Failure::Job(error.clone()))))
            }
            Event::Removed(id) => {
                self.remove(*id);
                return Some(*id);
            }
            Event::Checking { id, checking } => {
                let download = self.entries.get_mut(id)?;
                download.checking = Some(checking.clone());
                return Some(*id);
            }
            Event::Progress { id, progress } => {
                let download = self.entries.get_mut(id)?;
                download.checking = None;
                if download.state == State::Running {
                    download.observe(progress.clone(), now);
                } else {
                    // What a stopped download knows (its pieces read back from its state
                    // file at start): the mirrors and repairs saved with the queue stay.
                    let mut progress = progress.clone();
                    if let Some(known) = &download.progress {
                        if progress.mirrors.is_empty() {
                            progress.mirrors = known.mirrors.clone();
                        }
                        if progress.repairs.is_empty() {
                            progress.repairs = known.repairs.clone();
                        }
                    }
                    download.progress = Some(progress);
                    download.settle();
                }
                return Some(*id);
            }
            Event::MirrorTrouble { id, url, trouble } => {
                let download = self.entries.get_mut(id)?;
                download.troubles.push((url.clone(), trouble.clone()));
                if download.troubles.len() > TROUBLES_KEPT {
                    download.troubles.remove(0);
                }
                return Some(*id);
            }
            Event::SignatureChecked { id, verdict } => {
                // A file that could not be read keeps what was known (the app says why).
                if let (Some(download), Ok(verdict)) = (self.entries.get_mut(id), verdict) {
                    download.signature = Some(verdict.clone());
                }
                return Some(*id);
            }
            Event::Added { id, .. } => (*id, None),
            Event::Schedule(_) | Event::QueueDone(_) | Event::ShutDown => return None,
        };
        let download = self.entries.get_mut(&id)?;
        if let Some(state) = state {
            if matches!(download.state, State::Failed(_)) && state == State::Paused {
                // A failed download restored after a restart waits in the engine as
                // paused: it stays failed, with its reason, until retried.
                return Some(id);
            }
            if state.controls() != download.state.controls() {
                download.controls_changed = Some(now);
            }
            download.state = state;
            if download.state != State::Running {
                download.settle();
            }
        }
        Some(id)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::JobError;

    pub fn spec(name: &str) -> JobSpec {
        JobSpec {
            source: format!("{name}.meta4"),
            name: name.into(),
            dir: PathBuf::from("/tmp"),
            size: Some(1000),
            hashes: Vec::new(),
            pieces: None,
            urls: Vec::new(),
            overwrite: false,
            rate_limit: None,
            provenance: Default::default(),
            blocks: None,
            reuse: Vec::new(),
            max_connections: None,
            priority: Default::default(),
            start_at: None,
            signatures: Default::default(),
            site_headers: None,
        }
    }

    #[test]
    fn events_move_a_download_through_its_states() {
        let mut downloads = Downloads::default();
        let id = DownloadId(1);
        downloads.insert(Download::new(id, spec("a"), State::Queued));
        downloads.apply(&Event::Started(id));
        assert_eq!(downloads.get(id).unwrap().state, State::Running);
        downloads.apply(&Event::Failed {
            id,
            error: JobError::FileExists("/tmp/a".into()),
        });
        let State::Failed(failure) = &downloads.get(id).unwrap().state else {
            panic!("failed");
        };
        crate::i18n::set_language("de");
        assert_eq!(
            failure.text(),
            "/tmp/a gibt es schon; entfernen Sie es oder wählen Sie einen anderen Ordner",
            "the reason is worded in the interface language"
        );
        downloads.apply(&Event::Removed(id));
        assert!(downloads.is_empty());
    }

    #[test]
    fn fraction_and_eta() {
        let mut download = Download::new(DownloadId(1), spec("a"), State::Running);
        download.progress = Some(Box::new(Progress {
            size: Some(1000),
            done: 250,
            verified_prefix: 250,
            received: 250,
            speed: 100.0,
            connections: 1,
            pieces: Vec::new(),
            mirrors: Vec::new(),
            repairs: Vec::new(),
        }));
        download.speed = 100.0;
        assert_eq!(download.fraction(), Some(0.25));
        assert_eq!(download.eta(), Some(8));
        download.state = State::Paused;
        assert_eq!(download.eta(), None);
    }

    #[test]
    fn while_files_on_disk_are_checked_the_check_is_the_progress() {
        let mut downloads = Downloads::default();
        let id = DownloadId(1);
        downloads.insert(Download::new(id, spec("a"), State::Running));
        let checking = crate::engine::Checking {
            path: "/downloads/old.iso".into(),
            done: 300,
            total: 1200,
            found: 200,
        };
        downloads.apply(&Event::Checking { id, checking });
        assert_eq!(downloads.get(id).unwrap().checked(), Some(0.25));
        // The first progress report: the check is over, the download's own progress shows.
        downloads.apply(&Event::Progress {
            id,
            progress: report(1 << 20, 0.0),
        });
        assert_eq!(downloads.get(id).unwrap().checked(), None);
    }

    fn report(received: u64, speed: f64) -> Box<Progress> {
        Box::new(Progress {
            size: Some(100 << 20),
            done: received,
            verified_prefix: 0,
            received,
            speed,
            connections: 2,
            pieces: vec![
                PieceStatus::Verified,
                PieceStatus::InFlight,
                PieceStatus::Missing,
            ],
            mirrors: vec![MirrorStatus {
                url: "http://127.0.0.2/a".into(),
                location: None,
                priority: 1,
                connections: 1,
                bytes: received,
                speed,
                errors: 0,
                bad_pieces: 0,
                dropped: None,
            }],
            repairs: Vec::new(),
        })
    }

    /// A paused download resumed: the job counts from zero again, but each mirror's
    /// bytes in the details go on from what it had sent (helper's walk: a finished 1 GiB
    /// download showed 153 MiB received from its mirrors after one pause).
    #[test]
    fn mirror_bytes_go_on_after_a_pause() {
        let mut downloads = Downloads::default();
        let id = DownloadId(1);
        downloads.insert(Download::new(id, spec("a"), State::Running));
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        downloads.apply_at(
            &Event::Progress {
                id,
                progress: report(600, 0.0),
            },
            at(250),
        );
        downloads.apply_at(
            &Event::Progress {
                id,
                progress: report(100, 0.0),
            },
            at(500),
        );
        downloads.apply_at(
            &Event::Progress {
                id,
                progress: report(300, 0.0),
            },
            at(750),
        );
        let download = downloads.get(id).unwrap();
        assert_eq!(download.progress.as_ref().unwrap().mirrors[0].bytes, 900);
        downloads.apply_at(
            &Event::Progress {
                id,
                progress: report(50, 0.0),
            },
            at(1000),
        );
        let download = downloads.get(id).unwrap();
        assert_eq!(
            download.progress.as_ref().unwrap().mirrors[0].bytes,
            950,
            "a second pause"
        );
    }

    /// Two mirrors, one sending three times what the other does: the speeds the
    /// details show for them add up to the download's, over the same window.
    #[test]
    fn mirror_speeds_add_up_to_the_download_speed() {
        let mut downloads = Downloads::default();
        let id = DownloadId(1);
        downloads.insert(Download::new(id, spec("a"), State::Running));
        let start = Instant::now();
        let (mut a, mut b) = (0u64, 0u64);
        for tick in 0..12u64 {
            // Bursts: the slow mirror sends every other report.
            a += 300 * 1024;
            b += if tick % 2 == 0 { 200 * 1024 } else { 0 };
            let mut progress = report(a + b, 0.0);
            progress.mirrors = [a, b]
                .iter()
                .map(|&bytes| MirrorStatus {
                    bytes,
                    speed: 0.0,
                    ..progress.mirrors[0].clone()
                })
                .collect();
            let now = start + Duration::from_millis(250 * (tick + 1));
            downloads.apply_at(&Event::Progress { id, progress }, now);
        }
        let download = downloads.get(id).unwrap();
        let mirrors = &download.progress.as_ref().unwrap().mirrors;
        let sum: f64 = mirrors.iter().map(|m| m.speed).sum();
        assert!(
            (sum - download.speed).abs() < 1.0,
            "{sum} against {}",
            download.speed
        );
        assert!(mirrors[0].speed > 2.5 * mirrors[1].speed);
    }

    /// Under a 300 KiB/s limit bytes arrive in bursts: 80 and 450 KiB/s by turns over
    /// 250 ms reports. The speed shown stays near the limit.
    #[test]
    fn speeds_are_smoothed_over_a_few_seconds() {
        let mut downloads = Downloads::default();
        let id = DownloadId(1);
        downloads.insert(Download::new(id, spec("a"), State::Running));
        let start = Instant::now();
        let mut received = 0;
        let mut shown = Vec::new();
        for tick in 0..40u64 {
            let burst = if tick % 2 == 0 { 80 } else { 520 } * 1024 / 4;
            received += burst;
            let now = start + Duration::from_millis(250 * (tick + 1));
            downloads.apply_at(
                &Event::Progress {
                    id,
                    progress: report(received, burst as f64 * 4.0),
                },
                now,
            );
            if tick >= 8 {
                shown.push(downloads.get(id).unwrap().speed / 1024.0);
            }
        }
        let (low, high) = shown
            .iter()
            .fold((f64::MAX, 0.0f64), |(l, h), s| (l.min(*s), h.max(*s)));
        assert!(low > 255.0 && high < 345.0, "{low:.0}..{high:.0} KiB/s");
    }

    /// Bug 5: a failed download's details showed a piece "downloading" and a mirror in
    /// use with one connection.
    #[test]
    fn a_stopped_download_shows_nothing_live() {
        let mut downloads = Downloads::default();
        let id = DownloadId(1);
        downloads.insert(Download::new(id, spec("a"), State::Running));
        downloads.apply(&Event::Progress {
            id,
            progress: report(1 << 20, 1e6),
        });
        downloads.apply(&Event::Failed {
            id,
            error: JobError::Internal("disk full".into()),
        });
        let download = downloads.get(id).unwrap();
        let progress = download.progress.as_ref().unwrap();
        assert!(!progress.pieces.contains(&PieceStatus::InFlight));
        assert!(
            progress
                .mirrors
                .iter()
                .all(|m| m.connections == 0 && m.speed == 0.0)
        );
        assert_eq!(download.speed, 0.0);
        assert_eq!(download.mirrors(), (0, 1));
    }

    #[test]
    fn progress_moves_before_a_large_piece_is_verified() {
        let mut download = Download::new(DownloadId(1), spec("a"), State::Running);
        let mut progress = report(0, 0.0);
        progress.size = Some(1000);
        progress.received = 400;
        download.progress = Some(progress);
        download.spec.size = Some(1000);
        assert_eq!(download.fraction(), Some(0.4));
        download.state = State::Paused;
        assert_eq!(
            download.fraction(),
            Some(0.0),
            "only verified bytes count when stopped"
        );
    }
}
