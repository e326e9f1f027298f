//! One download's lifecycle, in four steps:
//!
//! 1. **prepare** (`prepare.rs`): refuse to replace a file, take the part file, check the
//!    free space, resume what a state file vouches for or the piece hashes confirm;
//! 2. **swarm** (`swarm.rs`): the state the connections share, behind methods;
//! 3. **supervise** (here): start connections (`connection.rs`, one request loop each)
//!    as the limits allow, save the state (`saver.rs`), report progress, and stop when
//!    told, when every piece is in, or when no mirror is left;
//! 4. **finish** (here): check the whole-file hash (`whole_hash.rs`, computed along the
//!    way), then the OpenPGP signatures (`signed.rs`), and rename the part file into
//!    place. A file that fails verification never appears under its final name.
//!
//! A file of unknown size has no pieces to plan: `stream.rs` fetches it in one go.

mod connection;
mod prepare;
mod reuse;
mod saver;
mod signed;
mod stream;
mod swarm;
mod whole_hash;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use super::mirror::Mirror;
use super::rate::Rates;
use super::state::ResumeState;
use super::storage::{PartFile, Paths};
use super::timeline;
use super::transport::Transport;
use super::{
    Checking, DiskError, JobError, JobSpec, MirrorFailure, Progress, Reused, Settings, Trouble,
};
use crate::metalink::HashAlgorithm;
use crate::signature::{KeySources, Verdict};
use prepare::{Begin, Claimed, Prepared};
use saver::Saver;
use swarm::Swarm;
use whole_hash::WholeHash;

const PROGRESS_EVERY: Duration = Duration::from_millis(250);
/// How long a pausing download waits for its connections to put what they hold of a
/// piece on disk before it stops them anyway.
const HALT_GRACE: Duration = Duration::from_secs(2);

/// Control of a running job from the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Control {
    Run,
    Pause,
    Cancel,
}

/// What a job reports while it runs.
#[derive(Debug)]
pub(crate) enum Report {
    Progress(Progress),
    /// Files on disk are being checked for data to reuse.
    Checking(Checking),
    Trouble {
        url: String,
        trouble: Trouble,
    },
}

/// How a job ended.
#[derive(Debug)]
pub(crate) enum Ending {
    /// Verified and in place; the hash it was verified with, if any.
    Finished {
        path: PathBuf,
        verified: Option<HashAlgorithm>,
        repaired: usize,
        reused: Option<Reused>,
        /// What the signatures said; `None` when there are none.
        signature: Option<Verdict>,
    },
    Paused,
    Cancelled,
}

/// Where a job gets its limits, its connections and its orders, and where it reports.
pub(crate) struct Links {
    /// The limits it runs under; they may change while it runs.
    pub settings: watch::Receiver<Settings>,
    pub transport: Transport,
    pub rates: Rates,
    pub reports: mpsc::UnboundedSender<Report>,
    pub control: watch::Receiver<Control>,
    /// The keys signatures are checked against; `None` trusts none.
    pub keys: Option<KeySources>,
}

/// A running download with a known size: what its connections, saver and hasher share.
struct Job {
    spec: JobSpec,
    size: u64,
    paths: Paths,
    part: PartFile,
    transport: Transport,
    rates: Rates,
    swarm: Swarm,
    /// The state as last saved; only the saver touches it.
    state: Mutex<ResumeState>,
    reports: mpsc::UnboundedSender<Report>,
    /// What files on disk gave, when the download was told to reuse some.
    reused: Option<Reused>,
    keys: Option<KeySources>,
    /// Set when the download stops before the end: the whole-file hasher quits at once,
    /// so the part file (and its lock) is let go before `run` returns.
    stopping: AtomicBool,
    /// Tells connections to stop (keeping what they hold of a piece) when pausing.
    halt: watch::Sender<bool>,
}

/// Why supervision ended.
enum Stop {
    Complete,
    Paused,
    Cancelled,
    Disk(DiskError),
    NoMirrors(Vec<MirrorFailure>),
}

pub(crate) async fn run(spec: JobSpec, links: Links) -> Result<Ending, JobError> {
    let paths = Paths::new(&spec.dir, &spec.name)?;
    let part = match prepare::claim(&spec, &paths).await? {
        Claimed::AlreadyThere => return already_there(&spec, paths, links.keys.as_ref()),
        Claimed::Part(part) => part,
    };
    let Some(size) = spec.size else {
        return stream::run(spec, paths, part, links).await;
    };
    let Links {
        settings,
        transport,
        rates,
        reports,
        control,
        keys,
    } = links;
    let prepared =
        prepare::prepare(&spec, &paths, &part, size, &transport, &reports, &control).await?;
    let Prepared {
        plan,
        state,
        mut validators,
        reused,
    } = match prepared {
        Begin::Ready(prepared) => *prepared,
        Begin::Stopped(Control::Cancel) => return Ok(Ending::Cancelled),
        Begin::Stopped(_) => return Ok(Ending::Paused),
    };
    let mirrors = spec
        .urls
        .iter()
        .map(|u| {
            Mirror::new(&u.url, u.location.clone(), u.priority)
                .with_validators(validators.remove(&u.url))
        })
        .collect();
    let job = Arc::new(Job {
        swarm: Swarm::new(plan, mirrors),
        state: Mutex::new(state),
        spec,
        size,
        paths,
        part,
        transport,
        rates,
        reports,
        reused,
        keys,
        stopping: AtomicBool::new(false),
        halt: watch::Sender::new(false),
    });
    let hash = WholeHash::start(&job);
    let stop = supervise(&job, settings, control).await;
    let error = match stop {
        Stop::Complete => return finish(job, hash).await,
        Stop::Cancelled => {
            hash.stop(&job).await;
            return Ok(Ending::Cancelled);
        }
        Stop::Paused => None,
        // What was written is kept: the download resumes once there is room.
        Stop::Disk(error) => Some(JobError::Disk(error)),
        Stop::NoMirrors(why) => Some(JobError::NoMirrors(why)),
    };
    saver::save(&job, true);
    hash.stop(&job).await;
    match error {
        Some(error) => Err(error),
        None => Ok(Ending::Paused),
    }
}

/// The verified file is already in place: Braid did not place it now, so it is left
/// alone whatever the signatures say; a BAD one is still said.
fn already_there(
    spec: &JobSpec,
    paths: Paths,
    keys: Option<&KeySources>,
) -> Result<Ending, JobError> {
    let target = paths.target.clone();
    let open = || -> std::io::Result<Box<dyn std::io::Read>> {
        Ok(signed::buffered(std::fs::File::open(&target)?))
    };
    let signature = signed::check(spec, &target, &open, spec.strongest_hash(), keys)?;
    Ok(Ending::Finished {
        verified: spec.strongest_hash().map(|h| h.algorithm),
        path: paths.target,
        repaired: 0,
        reused: None,
        signature,
    })
}

/// Runs connections until the download is complete, told to stop, out of mirrors or
/// out of disk; then no connection runs and no save is under way.
async fn supervise(
    job: &Arc<Job>,
    mut limits: watch::Receiver<Settings>,
    mut control: watch::Receiver<Control>,
) -> Stop {
    let mut connections: JoinSet<()> = JoinSet::new();
    let mut settings = *limits.borrow_and_update();
    job.swarm.set_connection_cap(settings.max_connections);
    let mut saver = Saver::new();
    let mut ticker = tokio::time::interval(PROGRESS_EVERY);
    let stop = loop {
        if let Some(error) = job.swarm.take_disk_error() {
            break Stop::Disk(error);
        }
        match *control.borrow() {
            Control::Run => {}
            Control::Pause => break Stop::Paused,
            Control::Cancel => break Stop::Cancelled,
        }
        start_connections(job, &settings, &mut connections);
        if job.swarm.is_complete() {
            break Stop::Complete;
        }
        // Whether any mirror is left only matters when no connection runs; the check
        // scans every piece, so it stays off the busy path.
        if connections.is_empty()
            && let Some(why) = job.swarm.exhausted()
        {
            break Stop::NoMirrors(why);
        }
        tokio::select! {
            _ = connections.join_next(), if !connections.is_empty() => {}
            _ = ticker.tick() => {
                job.swarm.adapt(&settings);
                let progress = job.swarm.snapshot();
                let _ = job.reports.send(Report::Progress(progress));
                saver.tick(job);
            }
            _ = control.changed() => {}
            Ok(()) = limits.changed() => {
                // Fewer connections: the extra ones end at their next request.
                settings = *limits.borrow_and_update();
                job.swarm.set_connection_cap(settings.max_connections);
            }
            _ = job.swarm.woken() => {}
            // Another download's connection to a shared origin ended.
            _ = job.transport.slots.freed() => {}
        }
    };
    if matches!(stop, Stop::Paused) {
        // What connections hold of their pieces is kept for the resume.
        job.halt.send_replace(true);
        let drained = async { while connections.join_next().await.is_some() {} };
        let _ = tokio::time::timeout(HALT_GRACE, drained).await;
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
    saver.settle().await;
    // Aborted connections never ran their epilogue: none is running now.
    job.swarm.all_disconnected();
    stop
}

/// Starts connections while the limits allow and there is work a mirror may take.
fn start_connections(job: &Arc<Job>, settings: &Settings, connections: &mut JoinSet<()>) {
    while connections.len() < settings.max_connections {
        let slots = &job.transport.slots;
        let Some(claim) = job.swarm.claim(settings, connections.is_empty(), slots) else {
            // Nothing for any mirror now; try again on the next event.
            break;
        };
        let job = job.clone();
        timeline::note(format_args!(
            "claim mirror {} run {} pieces {}..{}{}",
            claim.mirror,
            claim.run.id,
            claim.run.next,
            claim.run.end,
            if claim.run.duplicate { " (copy)" } else { "" }
        ));
        connections.spawn(async move {
            let mut progressed = false;
            let outcome = connection::run(&job, &claim, &mut progressed).await;
            timeline::note(format_args!(
                "end mirror {} run {}: {}",
                claim.mirror,
                claim.run.id,
                match &outcome {
                    Ok(()) => "done".to_owned(),
                    Err(connection::Error::Fault(fault)) => format!("{fault:?}"),
                    Err(connection::Error::Disk(_)) => "disk".to_owned(),
                    Err(connection::Error::Halted) => "halted".to_owned(),
                }
            ));
            if let Some(trouble) = job.swarm.release(&claim, outcome, progressed) {
                let _ = job.reports.send(Report::Trouble {
                    url: claim.url.clone(),
                    trouble,
                });
            }
        });
    }
}

/// Every piece is in: checks the whole-file hash and the signatures, and moves the file
/// into place.
async fn finish(job: Arc<Job>, hash: WholeHash) -> Result<Ending, JobError> {
    timeline::note(format_args!("every piece in"));
    let verified = match hash.finish(job.size).await? {
        Some(hasher) => {
            let algorithm = hasher.expected.algorithm;
            if !hasher.matches() {
                // The data cannot be trusted: forget it so a retry starts clean.
                let _ = std::fs::remove_file(&job.paths.state);
                let _ = std::fs::remove_file(&job.paths.part);
                return Err(JobError::HashMismatch { algorithm });
            }
            Some(algorithm)
        }
        None => None,
    };
    // A last snapshot, so front ends show the finished piece map and repairs.
    let last = job.swarm.snapshot();
    let pieces = last.pieces.len();
    let _ = job.reports.send(Report::Progress(last));
    let open = || -> std::io::Result<Box<dyn std::io::Read + '_>> {
        Ok(signed::buffered(job.part.reader(job.size)))
    };
    let signature = signed::check(
        &job.spec,
        &job.paths.part,
        &open,
        verified.and(job.spec.strongest_hash()),
        job.keys.as_ref(),
    )
    .inspect_err(|e| match e {
        // Like a hash mismatch: the data is not what its publisher signed.
        JobError::SignatureBad { .. } => {
            let _ = std::fs::remove_file(&job.paths.state);
            let _ = std::fs::remove_file(&job.paths.part);
        }
        // Kept for a retry once the key is imported: saved so it resumes complete.
        JobError::SignatureRequired { .. } => saver::save(&job, true),
        _ => {}
    })?;
    let repaired = job.swarm.repaired();
    let reused = job.reused.map(|found| Reused {
        fetched: pieces.saturating_sub(found.pieces),
        ..found
    });
    let job = Arc::into_inner(job).expect("connections have ended");
    let paths = job.paths;
    job.part
        .finish(&paths)
        .map_err(|e| DiskError::io(&paths.target, e))?;
    let _ = std::fs::remove_file(&paths.state);
    timeline::note(format_args!("in place"));
    Ok(Ending::Finished {
        path: paths.target,
        verified,
        repaired,
        reused,
        signature,
    })
}
