//! One download's lifecycle: plan the pieces, resume what is verified, run connections
//! against the mirrors, verify every piece and the whole file, then rename the part file
//! into place. A file that fails verification never appears under its final name.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use super::http::{self, Answer, FetchError, Validators};
use super::mirror::Mirror;
use super::plan::{Plan, Run};
use super::rate::Rates;
use super::state::ResumeState;
use super::storage::{self, PartFile, Paths};
use super::verify::{self, PrefixHasher};
use super::{JobError, MirrorStatus, PieceStatus, Progress, Settings};
use crate::metalink::{Hash, MirrorUrl, Pieces};

/// Chunk size when the document has no piece hashes (or pieces too long to buffer)...
const DEFAULT_PIECE_LENGTH: u64 = 1024 * 1024;
/// ...unless the file would have more chunks than this: the plan keeps a flag per chunk.
const MAX_CHUNKS: u64 = 4 * 1024 * 1024;
/// Piece lists with longer pieces are not used for scheduling: each connection holds a
/// piece in memory until it is verified.
const MAX_BUFFERED_PIECE: u64 = 16 * 1024 * 1024;
/// A connection that receives nothing for this long is stalled.
pub(super) const STALL: Duration = Duration::from_secs(20);
/// Bytes asked for in one request.
const REQUEST_WINDOW: u64 = 2 * 1024 * 1024;
const PROGRESS_EVERY: Duration = Duration::from_millis(250);
/// How often the part file is synced and the state records its pieces as durable.
const SYNC_EVERY: Duration = Duration::from_secs(1);

/// Everything a job needs to know about one file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JobSpec {
    /// Where the download came from (metalink path or URL), shown and kept in the state.
    pub source: String,
    /// Relative name under `dir`, already checked.
    pub name: String,
    pub dir: PathBuf,
    /// `None` when neither the document nor the server tells: then the file comes in one
    /// stream, without segments or resume.
    pub size: Option<u64>,
    pub hashes: Vec<Hash>,
    pub pieces: Option<Pieces>,
    /// In the order to try them.
    pub urls: Vec<MirrorUrl>,
    pub overwrite: bool,
    /// This download's own limit in bytes per second (the engine's applies too).
    pub rate_limit: Option<u64>,
}

impl JobSpec {
    /// One file of a metalink, from `urls` (its mirrors in the order to try them).
    pub fn for_metalink_file(
        source: &str,
        file: &crate::metalink::File,
        urls: Vec<MirrorUrl>,
        dir: PathBuf,
    ) -> JobSpec {
        JobSpec {
            source: source.to_owned(),
            name: file.name.clone(),
            dir,
            size: file.size,
            hashes: file.hashes.clone(),
            pieces: file.preferred_pieces().cloned(),
            urls,
            overwrite: false,
            rate_limit: None,
        }
    }

    /// A plain URL as probed: its digests and the mirrors its server named.
    pub fn for_remote_file(source: &str, file: super::probe::RemoteFile, dir: PathBuf) -> JobSpec {
        JobSpec {
            source: source.to_owned(),
            name: file.name,
            dir,
            size: file.size,
            hashes: file.hashes,
            pieces: None,
            urls: file.urls,
            overwrite: false,
            rate_limit: None,
        }
    }

    fn strongest_hash(&self) -> Option<&Hash> {
        crate::metalink::hash::strongest(&self.hashes)
    }

    /// The piece list used for scheduling and repair, if it fits in memory.
    fn usable_pieces(&self) -> Option<&Pieces> {
        self.pieces
            .as_ref()
            .filter(|p| p.length <= MAX_BUFFERED_PIECE)
    }

    /// What the data on disk must belong to, so a state file from another version of the
    /// file is never trusted.
    fn identity(&self) -> String {
        if let Some(pieces) = self.usable_pieces() {
            let mut all = Vec::new();
            for d in pieces.digests() {
                all.extend_from_slice(d);
            }
            let fingerprint = verify::digest(crate::metalink::HashAlgorithm::Sha256, &all);
            return format!(
                "pieces:{}:{}",
                pieces.algorithm,
                crate::metalink::hash::encode_hex(&fingerprint)
            );
        }
        match self.strongest_hash() {
            Some(hash) => format!("hash:{}:{}", hash.algorithm, hash.hex()),
            None => format!("size:{}", self.size.unwrap_or_default()),
        }
    }
}

/// Control of a running job from the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Run,
    Pause,
    Cancel,
}

/// What a job reports while it runs.
#[derive(Debug)]
pub enum Report {
    Progress(Progress),
    MirrorTrouble { url: String, message: String },
}

/// How a job ended.
#[derive(Debug)]
pub enum Ending {
    /// Verified and in place; the hash it was verified with, if any.
    Finished {
        path: PathBuf,
        verified: Option<String>,
        repaired: usize,
    },
    Paused,
    Cancelled,
}

/// State shared by the job's connections.
struct Shared {
    plan: Plan,
    mirrors: Vec<Mirror>,
    /// Each mirror's origin, as an index into `origin_active`.
    origin_of: Vec<usize>,
    /// Connections running per origin: the per-origin cap is checked for every new
    /// connection, so the count is kept rather than summed over all mirrors each time.
    origin_active: Vec<usize>,
    /// Bytes received, wasted ones included.
    received: u64,
    /// Pieces that failed their hash and were fetched again.
    repaired: usize,
    /// Each bad copy: the piece, the mirror that spoiled it, who fixed it.
    repairs: Vec<(usize, usize, Option<usize>)>,
    /// Set when the part file could not be written: the download stops.
    disk_error: Option<std::io::Error>,
}

struct Context {
    spec: JobSpec,
    size: u64,
    rates: Rates,
    paths: Paths,
    /// The state as last saved; only the saver touches it.
    state: Mutex<ResumeState>,
    part: PartFile,
    client: reqwest::Client,
    shared: Mutex<Shared>,
    reports: mpsc::UnboundedSender<Report>,
    /// Wakes the supervisor when more connections may start before any ends (a mirror
    /// delivered its first piece).
    wake: tokio::sync::Notify,
    /// Set when the download stops before the end: the prefix hasher quits at once, so
    /// the part file (and its lock) is let go before `run` returns.
    stopping: AtomicBool,
}

/// Where a job gets its limits, its connections and its orders, and where it reports.
pub struct Links {
    pub settings: Settings,
    pub client: reqwest::Client,
    pub rates: Rates,
    pub reports: mpsc::UnboundedSender<Report>,
    pub control: watch::Receiver<Control>,
}

pub async fn run(spec: JobSpec, links: Links) -> Result<Ending, JobError> {
    let paths = Paths::new(&spec.dir, &spec.name).map_err(|e| JobError::Io(e.to_string()))?;
    if paths.target.exists() && !spec.overwrite {
        if already_there(&spec, &paths).await {
            let verified = spec.strongest_hash().map(|h| h.algorithm.to_string());
            return Ok(Ending::Finished {
                path: paths.target,
                verified,
                repaired: 0,
            });
        }
        return Err(JobError::FileExists(paths.target));
    }
    storage::create_parents(&spec.dir, &paths.target).map_err(|e| JobError::Io(e.to_string()))?;
    let part = PartFile::claim(&paths.part).map_err(|e| io_error(&paths.part, e))?;
    let Some(size) = spec.size else {
        return super::stream::run(spec, paths, part, links).await;
    };
    let Links {
        settings,
        client,
        rates,
        reports,
        mut control,
    } = links;

    // Whatever is on disk is either kept or truncated away, so the file needs this
    // much more either way.
    let needed = size.saturating_sub(storage::bytes_on_disk(&paths.part));
    let dir = paths.part.parent().unwrap_or(&spec.dir);
    if let Err(free) = storage::room_for(dir, needed) {
        if std::fs::metadata(&paths.part).is_ok_and(|m| m.len() == 0) {
            // Nothing was written: leave no empty part file behind.
            let _ = std::fs::remove_file(&paths.part);
        }
        return Err(JobError::NoSpace {
            dir: dir.to_path_buf(),
            needed,
            free,
        });
    }

    let piece_length = spec
        .usable_pieces()
        .map_or_else(|| chunk_length(size), |p| p.length);
    let mut plan = Plan::new(size, piece_length);
    let mut state = ResumeState::new(
        spec.source.clone(),
        spec.name.clone(),
        size,
        piece_length,
        spec.identity(),
    );
    let Resumed {
        mut start,
        mut validators,
        recheck,
    } = resume(&spec, &paths, &state, &mut plan);
    if start == Start::Resume && changed_since(&spec, &client, &validators).await {
        let _ = reports.send(Report::MirrorTrouble {
            url: spec.urls[0].url.clone(),
            message: "the file changed on the server since the download began; starting over"
                .into(),
        });
        plan = Plan::new(size, piece_length);
        validators.clear();
        start = Start::Fresh;
    }
    part.prepare(size, start == Start::Fresh)
        .map_err(|e| io_error(&paths.part, e))?;
    match start {
        Start::Verify => {
            let all: Vec<usize> = (0..plan.piece_count()).collect();
            verify_on_disk(&spec, &part, &mut plan, &all).await;
        }
        Start::Resume => verify_on_disk(&spec, &part, &mut plan, &recheck).await,
        Start::Fresh => {}
    }
    // What was found on disk is made durable before a state file vouches for it.
    if start != Start::Fresh {
        part.sync().map_err(|e| io_error(&paths.part, e))?;
    }
    state.set_done(plan.done());

    let mirrors: Vec<Mirror> = spec
        .urls
        .iter()
        .map(|u| {
            let mut mirror = Mirror::new(&u.url, u.location.clone(), u.priority);
            mirror.validators = validators.remove(&u.url);
            mirror
        })
        .collect();
    let mut origins = std::collections::HashMap::new();
    let origin_of: Vec<usize> = mirrors
        .iter()
        .map(|m| {
            let next = origins.len();
            *origins.entry(m.origin.clone()).or_insert(next)
        })
        .collect();
    let context = Arc::new(Context {
        state: Mutex::new(state),
        paths: paths.clone(),
        size,
        rates,
        part,
        client,
        shared: Mutex::new(Shared {
            plan,
            mirrors,
            origin_of,
            origin_active: vec![0; origins.len()],
            received: 0,
            repaired: 0,
            repairs: Vec::new(),
            disk_error: None,
        }),
        reports,
        spec,
        wake: tokio::sync::Notify::new(),
        stopping: AtomicBool::new(false),
    });

    let hashing = PrefixHashing::start(&context);

    let mut connections: JoinSet<()> = JoinSet::new();
    let mut last_sync = Instant::now();
    // Saves run off the runtime (a sync can take a while), one at a time, and are
    // waited for before any other save or the end.
    let mut saving: Option<tokio::task::JoinHandle<()>> = None;
    let mut last_received = (Instant::now(), 0u64);
    let mut ticker = tokio::time::interval(PROGRESS_EVERY);
    // Ok(how the loop was told to end), or Err(the part file could not be written).
    let ending = loop {
        if let Some(error) = context.shared.lock().unwrap().disk_error.take() {
            break Err(error);
        }
        if *control.borrow() != Control::Run {
            break Ok(*control.borrow());
        }
        start_connections(&context, &settings, &mut connections);
        if context.shared.lock().unwrap().plan.is_complete() {
            break Ok(Control::Run);
        }
        // Whether any mirror is left only matters when no connection runs; the check
        // scans every piece, so it stays off the busy path.
        let exhausted = connections
            .is_empty()
            .then(|| no_mirror_left(&context.shared.lock().unwrap()))
            .flatten();
        if let Some(reasons) = exhausted {
            finish_saving(&mut saving).await;
            save_state(&context, true);
            hashing.stop(&context).await;
            return Err(JobError::NoMirrors(reasons));
        }
        tokio::select! {
            _ = connections.join_next(), if !connections.is_empty() => {}
            _ = ticker.tick() => {
                adapt_connections(&context, &settings);
                let progress = snapshot(&context, &mut last_received);
                hashing.advance(progress.verified_prefix);
                let _ = context.reports.send(Report::Progress(progress));
                // Every tick records what is written; every second also makes it durable.
                if saving.as_ref().is_none_or(|t| t.is_finished()) {
                    let durable = last_sync.elapsed() >= SYNC_EVERY;
                    if durable {
                        last_sync = Instant::now();
                    }
                    let context = context.clone();
                    saving = Some(tokio::task::spawn_blocking(move || save_state(&context, durable)));
                }
            }
            _ = control.changed() => {}
            _ = context.wake.notified() => {}
        }
    };
    connections.abort_all();
    while connections.join_next().await.is_some() {}
    finish_saving(&mut saving).await;
    // Aborted connections never ran their epilogue: none is running now.
    {
        let mut shared = context.shared.lock().unwrap();
        shared.origin_active.fill(0);
        for mirror in &mut shared.mirrors {
            mirror.active = 0;
        }
    }

    match ending {
        Err(error) => {
            // What was written is kept: the download resumes once there is room.
            save_state(&context, true);
            hashing.stop(&context).await;
            return Err(io_error(&paths.part, error));
        }
        Ok(Control::Pause) => {
            save_state(&context, true);
            hashing.stop(&context).await;
            return Ok(Ending::Paused);
        }
        Ok(Control::Cancel) => {
            hashing.stop(&context).await;
            return Ok(Ending::Cancelled);
        }
        Ok(Control::Run) => {}
    }

    let verified = match hashing.finish(context.size).await? {
        Some(hasher) => {
            let algorithm = hasher.expected.algorithm;
            if !hasher.matches() {
                // The data cannot be trusted: forget it so a retry starts clean.
                let _ = std::fs::remove_file(&paths.state);
                let _ = std::fs::remove_file(&paths.part);
                return Err(JobError::HashMismatch(algorithm.to_string()));
            }
            Some(algorithm.to_string())
        }
        None => None,
    };
    // A last snapshot, so front ends show the finished piece map and repairs.
    let last = snapshot(&context, &mut last_received);
    let _ = context.reports.send(Report::Progress(last));
    let repaired = context.shared.lock().unwrap().repaired;
    let context = Arc::into_inner(context).expect("connections have ended");
    context
        .part
        .finish(&paths)
        .map_err(|e| io_error(&paths.target, e))?;
    let _ = std::fs::remove_file(&paths.state);
    Ok(Ending::Finished {
        path: paths.target,
        verified,
        repaired,
    })
}

/// The chunk length for a file without usable piece hashes: 1 MiB, longer for files
/// beyond 4 TiB so the chunk count stays bounded, but never longer than a connection may
/// buffer.
fn chunk_length(size: u64) -> u64 {
    size.div_ceil(MAX_CHUNKS)
        .next_power_of_two()
        .clamp(DEFAULT_PIECE_LENGTH, MAX_BUFFERED_PIECE)
}

async fn finish_saving(saving: &mut Option<tokio::task::JoinHandle<()>>) {
    if let Some(task) = saving.take() {
        let _ = task.await;
    }
}

fn io_error(path: &std::path::Path, e: std::io::Error) -> JobError {
    JobError::Io(format!("{}: {e}", path.display()))
}

/// A file already at the target that is this download (same size and hash) is kept.
async fn already_there(spec: &JobSpec, paths: &Paths) -> bool {
    let Some(hash) = spec.strongest_hash().cloned() else {
        return false;
    };
    let path = paths.target.clone();
    let size = spec.size;
    tokio::task::spawn_blocking(move || {
        let Ok(bytes_on_disk) = std::fs::metadata(&path).map(|m| m.len()) else {
            return false;
        };
        if size.is_some_and(|size| bytes_on_disk != size) {
            return false;
        }
        let Ok(mut file) = std::fs::File::open(&path) else {
            return false;
        };
        let mut hasher = verify::Hasher::new(hash.algorithm);
        let mut buf = vec![0; 1 << 20];
        loop {
            match std::io::Read::read(&mut file, &mut buf) {
                Ok(0) => break,
                Ok(n) => hasher.update(&buf[..n]),
                Err(_) => return false,
            }
        }
        hasher.finalize() == hash.digest
    })
    .await
    .unwrap_or(false)
}

/// How a job begins with what is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// Nothing usable: an empty part file.
    Fresh,
    /// A matching state file: its verified pieces are trusted.
    Resume,
    /// A part file without trustworthy state, but piece hashes to check it with.
    Verify,
}

/// What a state file left for the next start.
struct Resumed {
    start: Start,
    /// The mirrors' validators as saved.
    validators: BTreeMap<String, Validators>,
    /// Pieces written but not known to be synced: checked against their hashes.
    recheck: Vec<usize>,
}

/// Marks the pieces a matching state file says are verified and synced, and says how
/// to start.
fn resume(spec: &JobSpec, paths: &Paths, fresh: &ResumeState, plan: &mut Plan) -> Resumed {
    let nothing = |start| Resumed {
        start,
        validators: BTreeMap::new(),
        recheck: Vec::new(),
    };
    let part_ok = std::fs::metadata(&paths.part).is_ok_and(|m| m.len() == fresh.size);
    // A part file with piece hashes can still be checked piece by piece.
    let fallback = if part_ok && spec.usable_pieces().is_some() {
        Start::Verify
    } else {
        Start::Fresh
    };
    let Some(saved) = ResumeState::load(&paths.state) else {
        return nothing(fallback);
    };
    if !saved.same_download(fresh) || !part_ok || saved.done.len() != plan.piece_count() {
        let _ = std::fs::remove_file(&paths.state);
        return nothing(fallback);
    }
    for piece in saved.done_pieces() {
        plan.mark_done(piece);
    }
    let piece_count = plan.piece_count();
    Resumed {
        start: Start::Resume,
        recheck: saved
            .unsynced_pieces()
            .filter(|&p| p < piece_count)
            .collect(),
        validators: saved.validators,
    }
}

/// For a download that nothing but the server vouches for (one URL, no hash): whether
/// the file there is another version than the data on disk, which must then be
/// discarded rather than continued. Downloads with hashes find out by checking them.
async fn changed_since(
    spec: &JobSpec,
    client: &reqwest::Client,
    saved: &BTreeMap<String, Validators>,
) -> bool {
    if spec.urls.len() != 1 || !spec.hashes.is_empty() || spec.usable_pieces().is_some() {
        return false;
    }
    let Some(known) = saved.get(&spec.urls[0].url) else {
        return false;
    };
    match http::validators_of(client, &spec.urls[0].url).await {
        Some(now) => known.changed(&now),
        None => false,
    }
}

/// Hashes the given pieces on disk and keeps the ones that match (without piece
/// hashes there is nothing to check them with: they are fetched again).
async fn verify_on_disk(spec: &JobSpec, part: &PartFile, plan: &mut Plan, candidates: &[usize]) {
    let Some(pieces) = spec.usable_pieces() else {
        return;
    };
    tokio::task::block_in_place(|| {
        let mut buf = Vec::new();
        for &piece in candidates {
            if plan.is_done(piece) {
                continue;
            }
            let (start, end) = plan.piece_range(piece);
            buf.resize((end - start) as usize, 0);
            if part.read_at(start, &mut buf).is_ok()
                && verify::digest(pieces.algorithm, &buf) == pieces.digest(piece)
            {
                plan.mark_done(piece);
            }
        }
    });
}

/// Writes the state file: with `durable`, after syncing the part file, so every done
/// piece is recorded as safe; otherwise the pieces since the last sync are recorded as
/// written but unsynced.
fn save_state(context: &Context, durable: bool) {
    let (done, validators) = {
        let shared = context.shared.lock().unwrap();
        let validators = shared
            .mirrors
            .iter()
            .filter_map(|m| Some((m.url.clone(), m.validators.clone()?)))
            .collect();
        (shared.plan.done().to_vec(), validators)
    };
    let mut state = context.state.lock().unwrap();
    if durable {
        // Data first, then the state that vouches for it.
        if context.part.sync().is_err() {
            return;
        }
        state.set_done(&done);
    } else {
        state.set_unsynced(&done);
    }
    state.validators = validators;
    if let Err(e) = state.save(&context.paths.state) {
        let _ = context.reports.send(Report::MirrorTrouble {
            url: context.paths.state.display().to_string(),
            message: format!("cannot save resume state: {e}"),
        });
    }
}

/// When no connection runs and none can start: `Some(reasons)` if every mirror is gone
/// (the download fails), `None` if some are only backing off.
fn no_mirror_left(shared: &Shared) -> Option<Vec<(String, String)>> {
    if shared.mirrors.iter().any(|m| m.dropped.is_none()) {
        let now = Instant::now();
        let banned_everywhere = (0..shared.plan.piece_count())
            .filter(|&p| !shared.plan.is_done(p))
            .any(|p| {
                shared
                    .mirrors
                    .iter()
                    .all(|m| m.dropped.is_some() || m.banned.contains(&p))
            });
        let waiting = shared
            .mirrors
            .iter()
            .any(|m| m.dropped.is_none() && !m.available(now));
        if !banned_everywhere || waiting {
            return None;
        }
    }
    Some(
        shared
            .mirrors
            .iter()
            .map(|m| {
                let reason = m
                    .dropped
                    .clone()
                    .or_else(|| m.last_error.clone())
                    .unwrap_or_else(|| "no usable data".into());
                (m.url.clone(), reason)
            })
            .collect(),
    )
}

/// Starts connections while the limits allow and there is work a mirror may take.
fn start_connections(context: &Arc<Context>, settings: &Settings, connections: &mut JoinSet<()>) {
    let now = Instant::now();
    let mut shared = context.shared.lock().unwrap();
    while connections.len() < settings.max_connections {
        // The least busy usable mirror, best priority first among equals.
        let candidate = (0..shared.mirrors.len())
            .filter(|&i| {
                let m = &shared.mirrors[i];
                // One connection to a mirror until it has delivered a piece (a dead or
                // refusing mirror costs one request, not one per connection slot),
                // then as many as it has proved worth.
                let cap = if m.no_range {
                    1
                } else {
                    settings.connections_per_origin.min(m.ramp.allowed)
                };
                m.available(now)
                    && shared.origin_active[shared.origin_of[i]] < cap
                    && (!m.no_range || m.active == 0)
            })
            .filter(|&i| {
                // Only mirrors that can take some piece.
                let banned = &shared.mirrors[i].banned;
                banned.is_empty()
                    || (0..shared.plan.piece_count())
                        .any(|p| !shared.plan.is_done(p) && !banned.contains(&p))
            })
            .min_by_key(|&i| (shared.mirrors[i].active, i));
        let Some(index) = candidate else { break };
        let speed = shared.mirrors[index].speed;
        let new_work = connections.is_empty() || !too_slow_for_the_rest(&shared, index);
        let banned = shared.mirrors[index].banned.clone();
        let Some(run) = shared.plan.claim(index, &banned, speed, new_work) else {
            // Nothing for this mirror now; try again on the next event.
            break;
        };
        shared.mirrors[index].active += 1;
        let origin = shared.origin_of[index];
        shared.origin_active[origin] += 1;
        let context = context.clone();
        connections.spawn(async move {
            let mut delivered = 0;
            let outcome = connection(&context, index, run.clone(), &mut delivered).await;
            let mut shared = context.shared.lock().unwrap();
            shared.plan.release(run.id);
            shared.origin_active[origin] -= 1;
            shared.mirrors[index].active -= 1;
            if let Err(error) = outcome {
                if let FetchError::Disk(error) = error {
                    shared.disk_error.get_or_insert(error);
                    context.wake.notify_one();
                    return;
                }
                let mirror = &mut shared.mirrors[index];
                let message = error.to_string();
                match error {
                    FetchError::Gone(_) | FetchError::Unusable(_) => {
                        mirror.drop_for(message.clone())
                    }
                    // A connection that broke off after good pieces is not a failing
                    // mirror: it goes on at once from where it broke.
                    FetchError::Transient { .. } if delivered > 0 => {
                        mirror.interrupted(message.clone())
                    }
                    FetchError::Transient { retry_after, .. } => {
                        mirror.failed(message.clone(), retry_after)
                    }
                    // Already counted against the mirror by `spoiled`.
                    FetchError::Spoiled(_) => mirror.last_error = Some(message.clone()),
                    FetchError::Disk(_) => unreachable!("handled above"),
                }
                let _ = context.reports.send(Report::MirrorTrouble {
                    url: mirror.url.clone(),
                    message,
                });
            }
        });
    }
}

/// Lets each mirror's connection count follow its measured throughput.
fn adapt_connections(context: &Context, settings: &Settings) {
    let now = Instant::now();
    let mut shared = context.shared.lock().unwrap();
    for mirror in &mut shared.mirrors {
        let cap = if mirror.no_range {
            1
        } else {
            settings.connections_per_origin
        };
        mirror.adapt(now, cap);
    }
}

/// Near the end, a connection to a mirror slower than another, that would take longer
/// over one piece than all running connections together need for everything left,
/// would deliver last: its new pieces only add waiting and waste.
fn too_slow_for_the_rest(shared: &Shared, mirror: usize) -> bool {
    let speed = shared.mirrors[mirror].speed;
    let now = Instant::now();
    let faster_exists = shared
        .mirrors
        .iter()
        .any(|m| m.available(now) && m.speed > speed);
    if speed <= 0.0 || !faster_exists {
        return false;
    }
    let total: f64 = shared
        .mirrors
        .iter()
        .map(|m| m.speed * m.active as f64)
        .sum();
    if total <= 0.0 {
        return false;
    }
    let plan = &shared.plan;
    let left = (plan.piece_count() - plan.done_count()) as f64 * plan.piece_length as f64;
    plan.piece_length as f64 / speed > left / total
}

/// Pieces per request for a connection at `speed`: about half a second's worth, so
/// little is committed to a slow connection, within one piece and [`REQUEST_WINDOW`].
fn window_pieces(piece_length: u64, speed: f64) -> usize {
    let most = (REQUEST_WINDOW / piece_length).max(1);
    let bytes = if speed > 0.0 {
        (speed * 0.5) as u64
    } else {
        REQUEST_WINDOW / 2
    };
    (bytes / piece_length).clamp(1, most) as usize
}

/// Fetches a run of pieces from one mirror. Pieces are buffered until verified, then
/// written; a bad piece bans the mirror from it and ends the connection.
/// `delivered` counts the verified pieces it wrote, even when it fails later.
async fn connection(
    context: &Context,
    mirror: usize,
    run: Run,
    delivered: &mut usize,
) -> Result<(), FetchError> {
    let (url, piece_length) = {
        let shared = context.shared.lock().unwrap();
        (shared.mirrors[mirror].url.clone(), shared.plan.piece_length)
    };
    // Each request covers a window of the run, sized to the mirror's speed, so a mirror
    // that turns out slow or bad has little in flight that others must wait for.
    let mut piece = run.next;
    loop {
        let end_piece = {
            let mut shared = context.shared.lock().unwrap();
            let window = window_pieces(piece_length, shared.mirrors[mirror].speed);
            let end_piece = match shared.plan.run(run.id) {
                Some(r) if piece < r.end => r.end.min(piece + window),
                _ => return Ok(()),
            };
            shared.plan.set_requested(run.id, end_piece);
            end_piece
        };
        match fetch_window(context, mirror, &run, &url, piece, end_piece, delivered).await? {
            Some(next) => piece = next,
            None => return Ok(()),
        }
    }
}

/// Fetches pieces `[first, end)` in one request. Returns the next piece of the run to
/// fetch, or `None` when the run is over.
async fn fetch_window(
    context: &Context,
    mirror: usize,
    run: &Run,
    url: &str,
    first: usize,
    end: usize,
    delivered: &mut usize,
) -> Result<Option<usize>, FetchError> {
    let size = context.size;
    let (start, stop) = {
        let shared = context.shared.lock().unwrap();
        (
            shared.plan.piece_range(first).0,
            shared.plan.piece_range(end - 1).1,
        )
    };
    let answer = http::fetch_range(&context.client, url, start, stop, size).await?;
    let (mut response, sequential) = match answer {
        Answer::Range(r) => (r, false),
        Answer::Whole(r) => {
            context.shared.lock().unwrap().mirrors[mirror].no_range = true;
            if start != 0 {
                // It can only stream from the start; a later connection will.
                return Ok(None);
            }
            (r, true)
        }
    };
    check_validators(context, mirror, &response)?;
    let pieces = context.spec.usable_pieces();
    let mut piece = first;
    let mut buffer: Vec<u8> = Vec::new();
    // Bytes of a chunk that belong to the next piece.
    let mut carry: Option<bytes::Bytes> = None;
    let started = Instant::now();
    let mut received = 0u64;
    loop {
        let (piece_start, piece_end) = context.shared.lock().unwrap().plan.piece_range(piece);
        let wanted = (piece_end - piece_start) as usize;
        buffer.reserve(wanted);
        while buffer.len() < wanted {
            let (chunk, fresh) = match carry.take() {
                Some(rest) => (rest, false),
                None => (read_chunk(&mut response).await?, true),
            };
            let take = (wanted - buffer.len()).min(chunk.len());
            buffer.extend_from_slice(&chunk[..take]);
            if take < chunk.len() {
                carry = Some(chunk.slice(take..));
            }
            if fresh {
                received += chunk.len() as u64;
                {
                    let mut shared = context.shared.lock().unwrap();
                    shared.received += chunk.len() as u64;
                    shared.mirrors[mirror].bytes += chunk.len() as u64;
                    shared.plan.set_piece_bytes(run.id, buffer.len() as u64);
                }
                context.rates.pace(chunk.len()).await;
            }
        }
        deliver(context, mirror, run.id, piece, &mut buffer, pieces)?;
        *delivered += 1;
        let speed = received as f64 / started.elapsed().as_secs_f64().max(1e-3);
        let mut shared = context.shared.lock().unwrap();
        shared.plan.set_speed(run.id, speed);
        shared.mirrors[mirror].record_speed(speed);
        shared.mirrors[mirror].succeeded();
        shared.mirrors[mirror].pieces += 1;
        if shared.mirrors[mirror].pieces == 1 {
            context.wake.notify_one();
        }
        let next = if sequential {
            // A whole-file stream goes on to the end; done pieces are skipped.
            (piece + 1 < shared.plan.piece_count()).then_some(piece + 1)
        } else {
            shared.plan.next_piece(run.id)
        };
        match next {
            Some(n) if n == piece + 1 && (sequential || n < end) => piece = n,
            // The window is done; the run goes on with a new request.
            Some(n) if n == piece + 1 => return Ok(Some(n)),
            // The run ended or was shortened: the rest of the response is not needed.
            _ => return Ok(None),
        }
    }
}

/// The next chunk of a body; a stall or an early end is a transient failure.
async fn read_chunk(response: &mut reqwest::Response) -> Result<bytes::Bytes, FetchError> {
    http::next_chunk(response, STALL)
        .await?
        .ok_or_else(http::closed_early)
}

/// Verifies a buffered piece and writes it unless an end-game copy delivered it first.
fn deliver(
    context: &Context,
    mirror: usize,
    run: u64,
    piece: usize,
    buffer: &mut Vec<u8>,
    pieces: Option<&Pieces>,
) -> Result<(), FetchError> {
    let good = tokio::task::block_in_place(|| match pieces {
        Some(p) => verify::digest(p.algorithm, buffer) == p.digest(piece),
        None => true,
    });
    if !good {
        let mut shared = context.shared.lock().unwrap();
        shared.repaired += 1;
        shared.repairs.push((piece, mirror, None));
        shared.mirrors[mirror].spoiled(piece);
        buffer.clear();
        return Err(FetchError::Spoiled(format!(
            "piece {piece} failed its hash check; it will be fetched from another mirror"
        )));
    }
    let (already, offset) = {
        let shared = context.shared.lock().unwrap();
        (shared.plan.is_done(piece), shared.plan.piece_range(piece).0)
    };
    // Written before it is marked done, so the prefix hasher never reads a hole.
    if !already {
        tokio::task::block_in_place(|| context.part.write_at(offset, buffer))
            .map_err(FetchError::Disk)?;
    }
    let mut shared = context.shared.lock().unwrap();
    if shared.plan.complete(run, piece) {
        for repair in shared.repairs.iter_mut().filter(|r| r.0 == piece) {
            repair.2 = Some(mirror);
        }
    }
    drop(shared);
    buffer.clear();
    Ok(())
}

/// A mirror whose file changed (ETag or Last-Modified) since it first answered is not
/// used again, so two versions are never spliced together. With piece hashes every
/// piece is checked anyway, and mirrors may re-publish the same bytes.
fn check_validators(
    context: &Context,
    mirror: usize,
    response: &reqwest::Response,
) -> Result<(), FetchError> {
    let seen = Validators::from_headers(response.headers());
    let mut shared = context.shared.lock().unwrap();
    let mirror = &mut shared.mirrors[mirror];
    match &mirror.validators {
        None => {
            mirror.validators = Some(seen);
            Ok(())
        }
        Some(known) if known.changed(&seen) && context.spec.usable_pieces().is_none() => Err(
            FetchError::Unusable("the file changed on this mirror since the download began".into()),
        ),
        Some(_) => Ok(()),
    }
}

/// The whole-file hash, computed along the verified prefix by a task of its own, so the
/// check at the end costs almost nothing.
struct PrefixHashing {
    /// None when the download has no whole-file hash.
    task: Option<tokio::task::JoinHandle<PrefixHasher>>,
    prefix: watch::Sender<u64>,
}

impl PrefixHashing {
    fn start(context: &Arc<Context>) -> Self {
        let (prefix, watched) = watch::channel(0);
        let task = context.spec.strongest_hash().cloned().map(|expected| {
            tokio::spawn(hash_prefix(
                context.clone(),
                watched,
                PrefixHasher::new(expected),
            ))
        });
        PrefixHashing { task, prefix }
    }

    /// The verified prefix grew to `bytes`.
    fn advance(&self, bytes: u64) {
        let _ = self.prefix.send(bytes);
    }

    /// Hashes what is left of the complete file; the hasher, to compare.
    async fn finish(self, size: u64) -> Result<Option<PrefixHasher>, JobError> {
        let _ = self.prefix.send(size);
        drop(self.prefix);
        match self.task {
            Some(task) => Ok(Some(task.await.map_err(|e| JobError::Io(e.to_string()))?)),
            None => Ok(None),
        }
    }

    /// Stops the task and waits for it, so nothing holds the part file (and its lock)
    /// when the download is resumed or its files deleted right after.
    async fn stop(self, context: &Context) {
        context.stopping.store(true, Ordering::Relaxed);
        // Wakes the task if it waits for the prefix to grow.
        drop(self.prefix);
        if let Some(task) = self.task {
            let _ = task.await;
        }
    }
}

/// Hashes the verified prefix of the file as it grows, reading back from the part file
/// (usually still in the page cache), so the final check has little left to do.
async fn hash_prefix(
    context: Arc<Context>,
    mut prefix: watch::Receiver<u64>,
    mut hasher: PrefixHasher,
) -> PrefixHasher {
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let target = *prefix.borrow_and_update();
        hash_up_to(&context, &mut hasher, &mut buf, target);
        if hasher.hashed >= context.size || prefix.changed().await.is_err() {
            // Finish whatever the final prefix still holds.
            let target = *prefix.borrow();
            hash_up_to(&context, &mut hasher, &mut buf, target);
            return hasher;
        }
    }
}

/// Feeds the part file's bytes `[hasher.hashed, target)` to the hasher.
fn hash_up_to(context: &Context, hasher: &mut PrefixHasher, buf: &mut [u8], target: u64) {
    tokio::task::block_in_place(|| {
        while hasher.hashed < target && !context.stopping.load(Ordering::Relaxed) {
            let len = ((target - hasher.hashed) as usize).min(buf.len());
            if context
                .part
                .read_at(hasher.hashed, &mut buf[..len])
                .is_err()
            {
                return;
            }
            hasher.update(&buf[..len]);
        }
    });
}

fn snapshot(context: &Context, last: &mut (Instant, u64)) -> Progress {
    let shared = context.shared.lock().unwrap();
    let now = Instant::now();
    let elapsed = now.duration_since(last.0).as_secs_f64().max(1e-3);
    let speed = (shared.received - last.1) as f64 / elapsed;
    *last = (now, shared.received);
    let plan = &shared.plan;
    // One pass over the pieces and one over the runs, not a run lookup per piece.
    let mut pieces: Vec<PieceStatus> = plan
        .done()
        .iter()
        .map(|&done| {
            if done {
                PieceStatus::Verified
            } else {
                PieceStatus::Missing
            }
        })
        .collect();
    // In flight: what connections have asked for, not the rest of their runs.
    for run in plan.runs() {
        let asked = run.requested.max(run.next + 1).min(run.end);
        for status in &mut pieces[run.next.min(asked)..asked] {
            if *status == PieceStatus::Missing {
                *status = PieceStatus::InFlight;
            }
        }
    }
    for &(piece, _, fixed) in &shared.repairs {
        if fixed.is_some() {
            pieces[piece] = PieceStatus::Repaired;
        }
    }
    let url = |m: usize| shared.mirrors[m].url.clone();
    let repairs = shared
        .repairs
        .iter()
        .map(|&(piece, bad, good)| super::Repair {
            piece,
            bad_mirror: url(bad),
            good_mirror: good.map(url),
        })
        .collect();
    Progress {
        size: Some(plan.size),
        done: plan.done_bytes(),
        verified_prefix: plan.done_prefix_bytes(),
        received: shared.received,
        speed,
        connections: shared.mirrors.iter().map(|m| m.active).sum(),
        repaired: shared.repaired,
        pieces,
        repairs,
        mirrors: shared
            .mirrors
            .iter()
            .map(|m| MirrorStatus {
                url: m.url.clone(),
                location: m.location.clone(),
                priority: m.priority,
                connections: m.active,
                bytes: m.bytes,
                // `m.speed` is per connection; the mirror delivers that on each.
                speed: m.speed * m.active as f64,
                errors: m.errors,
                bad_pieces: m.bad_pieces,
                dropped: m.dropped.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_grow_only_for_huge_files_and_stay_bufferable() {
        const MIB: u64 = 1024 * 1024;
        assert_eq!(chunk_length(0), MIB);
        assert_eq!(chunk_length(100 * 1024 * MIB), MIB);
        assert_eq!(chunk_length(MAX_CHUNKS * MIB), MIB);
        assert_eq!(chunk_length(MAX_CHUNKS * MIB + 1), 2 * MIB);
        assert_eq!(chunk_length(1 << 60), MAX_BUFFERED_PIECE);
    }
}
