//! Before any byte is fetched: is the file already there, may the part file be taken,
//! is there room, and what of the part file can be trusted (a matching state file, or
//! piece hashes to check it with)?

use std::collections::BTreeMap;
use std::path::Path;

use tokio::sync::{mpsc, watch};

use super::super::http::Validators;
use super::super::plan::Plan;
use super::super::state::ResumeState;
use super::super::storage::{self, PartFile, Paths};
use super::super::transport::Transport;
use super::super::{DiskError, JobError, JobSpec, Reused, Trouble, verify};
use super::reuse::{self, Filled};
use super::{Control, Report};

/// Chunk size when the document has no piece hashes (or pieces too long to buffer)...
const DEFAULT_PIECE_LENGTH: u64 = 1024 * 1024;
/// ...unless the file would have more chunks than this: the plan keeps a flag per chunk.
const MAX_CHUNKS: u64 = 4 * 1024 * 1024;

/// Where the download stands before it starts.
pub(super) enum Claimed {
    /// The target is this download already (same size and hash): nothing to do.
    AlreadyThere,
    /// The part file, locked for this process.
    Part(PartFile),
}

/// Refuses to replace a file unless told to, creates the directories and takes the
/// part file.
pub(super) async fn claim(spec: &JobSpec, paths: &Paths) -> Result<Claimed, JobError> {
    if paths.target.exists() && !spec.overwrite {
        if already_there(spec, paths).await {
            return Ok(Claimed::AlreadyThere);
        }
        return Err(JobError::FileExists(paths.target.clone()));
    }
    storage::create_parents(&spec.dir, &paths.target)?;
    Ok(Claimed::Part(PartFile::claim(&paths.part)?))
}

/// What the job starts from: the plan with every piece that can be trusted marked done,
/// the state to keep up to date, and each mirror's validators as saved.
pub(super) struct Prepared {
    pub plan: Plan,
    pub state: ResumeState,
    pub validators: BTreeMap<String, Validators>,
    /// What files on disk gave, when the download was told to reuse some.
    pub reused: Option<Reused>,
}

/// How preparing ended.
pub(super) enum Begin {
    Ready(Box<Prepared>),
    /// Told to stop while files on disk were checked; what was found is saved.
    Stopped(Control),
}

/// Checks the free space, then resumes what a state file vouches for (or what the piece
/// hashes confirm), takes what files on disk hold, and sizes the part file.
pub(super) async fn prepare(
    spec: &JobSpec,
    paths: &Paths,
    part: &PartFile,
    size: u64,
    transport: &Transport,
    reports: &mpsc::UnboundedSender<Report>,
    control: &watch::Receiver<Control>,
) -> Result<Begin, JobError> {
    // Whatever is on disk is either kept or truncated away, so the file needs this
    // much more either way.
    let needed = size.saturating_sub(storage::bytes_on_disk(&paths.part));
    let dir = paths.part.parent().unwrap_or(&spec.dir);
    if let Err(no_space) = storage::room_for(dir, needed) {
        if std::fs::metadata(&paths.part).is_ok_and(|m| m.len() == 0) {
            // Nothing was written: leave no empty part file behind.
            let _ = std::fs::remove_file(&paths.part);
        }
        return Err(no_space.into());
    }

    let piece_length = spec
        .piece_checks()
        .map_or_else(|| chunk_length(size), |p| p.length());
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
        reused,
    } = resume(spec, paths, &state, &mut plan);
    if start == Start::Resume && changed_since(spec, transport, &validators).await {
        let _ = reports.send(Report::Trouble {
            url: spec.urls[0].url.clone(),
            trouble: Trouble::ChangedRestarting,
        });
        plan = Plan::new(size, piece_length);
        validators.clear();
        start = Start::Fresh;
    }
    let io = |e| JobError::Disk(DiskError::io(&paths.part, e));
    part.prepare(size, start == Start::Fresh).map_err(io)?;
    match start {
        Start::Verify => {
            let all: Vec<usize> = (0..plan.piece_count()).collect();
            verify_on_disk(spec, part, &mut plan, &all);
        }
        Start::Resume => verify_on_disk(spec, part, &mut plan, &recheck),
        Start::Fresh => {}
    }
    let mut stopped = None;
    if !spec.reuse.is_empty() && !reused.checked {
        let watch = reuse::Watch { reports, control };
        let so_far = reused.so_far.unwrap_or_default();
        state.reused = Some(
            match tokio::task::block_in_place(|| {
                reuse::fill(spec, part, &paths.part, &mut plan, so_far, watch)
            })? {
                Filled::Done(found) => {
                    state.reuse_checked = true;
                    found
                }
                Filled::Stopped(control, found) => {
                    stopped = Some(control);
                    found
                }
            },
        );
    } else {
        state.reused = reused.so_far;
        state.reuse_checked = reused.checked;
    }
    // What was found on disk is made durable before a state file vouches for it.
    if start != Start::Fresh || state.reused.is_some() {
        part.sync().map_err(io)?;
    }
    state.set_done(plan.done());
    if let Some(control) = stopped {
        if control == Control::Pause
            && let Err(e) = state.save(&paths.state)
        {
            return Err(JobError::Disk(DiskError::io(&paths.state, e)));
        }
        return Ok(Begin::Stopped(control));
    }
    Ok(Begin::Ready(Box::new(Prepared {
        plan,
        reused: state.reused,
        state,
        validators,
    })))
}

/// The chunk length for a file without usable piece hashes: 1 MiB, longer for files
/// beyond 4 TiB so the chunk count stays bounded, but never longer than a connection may
/// buffer.
fn chunk_length(size: u64) -> u64 {
    size.div_ceil(MAX_CHUNKS)
        .next_power_of_two()
        .clamp(DEFAULT_PIECE_LENGTH, super::super::spec::MAX_BUFFERED_PIECE)
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
        hash_of(&path, hash.algorithm).is_some_and(|digest| digest == hash.digest)
    })
    .await
    .unwrap_or(false)
}

fn hash_of(path: &Path, algorithm: crate::metalink::HashAlgorithm) -> Option<Vec<u8>> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = verify::Hasher::new(algorithm);
    let mut buf = vec![0; 1 << 20];
    loop {
        match std::io::Read::read(&mut file, &mut buf) {
            Ok(0) => return Some(hasher.finalize()),
            Ok(n) => hasher.update(&buf[..n]),
            Err(_) => return None,
        }
    }
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
    /// What files on disk gave before.
    reused: Earlier,
}

/// What an earlier start took from files on disk.
#[derive(Default)]
struct Earlier {
    so_far: Option<Reused>,
    /// Whether every file was checked (else the check goes on for what is missing).
    checked: bool,
}

/// Marks the pieces a matching state file says are verified and synced, and says how
/// to start.
fn resume(spec: &JobSpec, paths: &Paths, fresh: &ResumeState, plan: &mut Plan) -> Resumed {
    let nothing = |start| Resumed {
        start,
        validators: BTreeMap::new(),
        recheck: Vec::new(),
        reused: Earlier::default(),
    };
    let part_ok = std::fs::metadata(&paths.part).is_ok_and(|m| m.len() == fresh.size);
    // A part file with piece hashes can still be checked piece by piece.
    let fallback = if part_ok && spec.piece_checks().is_some() {
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
    for (&piece, &bytes) in &saved.partial {
        if piece < piece_count {
            let (start, end) = plan.piece_range(piece);
            // Of unknown origin by now: a bad result blames no mirror.
            plan.set_partial(piece, bytes.min(end - start - 1), None);
        }
    }
    Resumed {
        start: Start::Resume,
        recheck: saved
            .unsynced_pieces()
            .filter(|&p| p < piece_count)
            .collect(),
        validators: saved.validators,
        reused: Earlier {
            so_far: saved.reused,
            checked: saved.reuse_checked,
        },
    }
}

/// For a download that nothing but the server vouches for (one URL, no hash): whether
/// the file there is another version than the data on disk, which must then be
/// discarded rather than continued. Downloads with hashes find out by checking them.
async fn changed_since(
    spec: &JobSpec,
    transport: &Transport,
    saved: &BTreeMap<String, Validators>,
) -> bool {
    if spec.urls.len() != 1 || !spec.hashes.is_empty() || spec.piece_checks().is_some() {
        return false;
    }
    let Some(known) = saved.get(&spec.urls[0].url) else {
        return false;
    };
    match transport.validators_of(&spec.urls[0].url).await {
        Some(now) => known.changed(&now),
        None => false,
    }
}

/// Hashes the given pieces on disk and keeps the ones that match (without piece
/// hashes there is nothing to check them with: they are fetched again).
fn verify_on_disk(spec: &JobSpec, part: &PartFile, plan: &mut Plan, candidates: &[usize]) {
    let Some(checks) = spec.piece_checks() else {
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
            if part.read_at(start, &mut buf).is_ok() && checks.matches(piece, &buf) {
                plan.mark_done(piece);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_grow_only_for_huge_files_and_stay_bufferable() {
        const MIB: u64 = 1024 * 1024;
        use super::super::super::spec::MAX_BUFFERED_PIECE;
        assert_eq!(chunk_length(0), MIB);
        assert_eq!(chunk_length(100 * 1024 * MIB), MIB);
        assert_eq!(chunk_length(MAX_CHUNKS * MIB), MIB);
        assert_eq!(chunk_length(MAX_CHUNKS * MIB + 1), 2 * MIB);
        assert_eq!(chunk_length(1 << 60), MAX_BUFFERED_PIECE);
    }
}
