//! The state one download's connections share: the plan (who fetches which piece), the
//! mirrors (their stats and blame), the bytes received and the repairs. It lives behind
//! one lock that only this file takes; connections and the supervisor go through the
//! methods below, each one short step under the lock:
//!
//! - supervisor: [`Swarm::claim`] work for a new connection, [`Swarm::adapt`] connection
//!   counts, [`Swarm::exhausted`] (is any mirror left?), [`Swarm::snapshot`];
//! - connection: [`Swarm::window`] (the next request), [`Swarm::received`],
//!   [`Swarm::accept`] / [`Swarm::spoiled`] a piece, [`Swarm::delivered`], and at its end
//!   [`Swarm::release`], which decides what the outcome costs the mirror.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::super::http::Validators;
use super::super::mirror::Mirror;
use super::super::multipart;
use super::super::plan::{Partial, Plan, Run};
use super::super::transport::{OriginSlots, Slot};
use super::super::{
    DiskError, Fault, MirrorFailure, PieceStatus, Progress, Repair, Settings, Trouble,
};

/// Bytes asked for in one request.
const REQUEST_WINDOW: u64 = 2 * 1024 * 1024;

pub(super) struct Swarm {
    inner: Mutex<Inner>,
    /// Wakes the supervisor when more connections may start before any ends (a mirror
    /// delivered its first piece) or the download must stop (the disk failed).
    wake: tokio::sync::Notify,
    /// The verified prefix in bytes, sent as each delivered piece extends it: the
    /// whole-file hasher follows it.
    prefix: tokio::sync::watch::Sender<u64>,
}

struct Inner {
    plan: Plan,
    mirrors: Vec<Mirror>,
    /// Each mirror's origin, as an index into `origin_active`.
    origin_of: Vec<usize>,
    /// Connections running per origin: the per-origin cap is checked for every new
    /// connection, so the count is kept rather than summed over all mirrors each time.
    origin_active: Vec<usize>,
    /// Bytes received, wasted ones included.
    received: u64,
    /// Each bad copy of a piece, in the order they were caught.
    repairs: Vec<BadCopy>,
    /// Set when the part file could not be written: the download stops.
    disk_error: Option<DiskError>,
    /// When the last snapshot was taken, and `received` then, for the speed.
    last_snapshot: (Instant, u64),
    /// Connections allowed at once; when it falls, the extra ones end at their next
    /// request, so nothing in flight is thrown away.
    connection_cap: usize,
    /// Connections told to end that have not yet been released.
    leaving: usize,
}

/// A piece a mirror spoiled, and who delivered it right.
struct BadCopy {
    piece: usize,
    bad: usize,
    good: Option<usize>,
}

/// Work handed to a new connection: a run of pieces from one mirror, and its place at
/// the mirror's origin (over all downloads).
pub(super) struct Claim {
    pub mirror: usize,
    pub url: String,
    pub run: Run,
    origin: usize,
    _slot: Slot,
    /// Told to end at its next request (the connection cap fell).
    leaving: std::sync::atomic::AtomicBool,
}

/// One request of a connection: stretches of missing pieces, in order (several when
/// its run passes over pieces already done: one multi-range request), and the bytes
/// wanted of each; when the first piece was begun before, the first range starts where
/// it stopped and `prefill` says what of it is on disk.
pub(super) struct Window {
    pub pieces: Vec<Range<usize>>,
    pub bytes: Vec<Range<u64>>,
    pub prefill: Option<Partial>,
}

impl Window {
    pub fn first(&self) -> usize {
        self.pieces[0].start
    }

    /// The piece after `piece` in this request, `None` after its last.
    pub fn after(&self, piece: usize) -> Option<usize> {
        let next = piece + 1;
        self.pieces
            .iter()
            .find(|s| next < s.end)
            .map(|s| next.max(s.start))
    }

    /// Keeps only the pieces wholly in bytes before `covers` (a server answered with
    /// fewer ranges than asked); `false` when not even the first one is.
    pub fn keep_until(&mut self, covers: u64, end_of: impl Fn(usize) -> u64) -> bool {
        let mut kept = Vec::new();
        for stretch in &self.pieces {
            let whole = (stretch.start..stretch.end)
                .take_while(|&p| end_of(p) <= covers)
                .count();
            if whole > 0 {
                kept.push(stretch.start..stretch.start + whole);
            }
            if whole < stretch.end - stretch.start {
                break;
            }
        }
        if kept.is_empty() {
            return false;
        }
        self.bytes.truncate(kept.len());
        self.pieces = kept;
        true
    }
}

/// What a connection does after a verified piece.
pub(super) enum Next {
    /// The next piece is in the body being read.
    Read(usize),
    /// The window is done; the run goes on with a new request from this piece.
    Request(usize),
    /// The run ended or was shortened: the rest of the body is not needed.
    Stop,
}

impl Swarm {
    pub fn new(plan: Plan, mirrors: Vec<Mirror>) -> Self {
        let prefix = tokio::sync::watch::Sender::new(plan.done_prefix_bytes());
        let mut origins = HashMap::new();
        let origin_of: Vec<usize> = mirrors
            .iter()
            .map(|m| {
                let next = origins.len();
                *origins.entry(m.origin().to_owned()).or_insert(next)
            })
            .collect();
        Swarm {
            inner: Mutex::new(Inner {
                plan,
                mirrors,
                origin_of,
                origin_active: vec![0; origins.len()],
                received: 0,
                repairs: Vec::new(),
                disk_error: None,
                last_snapshot: (Instant::now(), 0),
                connection_cap: usize::MAX,
                leaving: 0,
            }),
            wake: tokio::sync::Notify::new(),
            prefix,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap()
    }

    /// Resolves when something happened that the supervisor should look at.
    pub async fn woken(&self) {
        self.wake.notified().await
    }

    pub fn is_complete(&self) -> bool {
        self.lock().plan.is_complete()
    }

    /// The verified prefix in bytes (everything before it is verified), as it grows.
    pub fn verified_prefix(&self) -> tokio::sync::watch::Receiver<u64> {
        self.prefix.subscribe()
    }

    pub fn take_disk_error(&self) -> Option<DiskError> {
        self.lock().disk_error.take()
    }

    /// Each mirror's validators, to save with the state.
    pub fn validators(&self) -> BTreeMap<String, Validators> {
        self.lock()
            .mirrors
            .iter()
            .filter_map(|m| Some((m.url().to_owned(), m.validators()?.clone())))
            .collect()
    }

    /// Bad copies caught so far.
    pub fn repaired(&self) -> usize {
        self.lock().repairs.len()
    }

    /// Work for one more connection, when the limits allow and some mirror may take
    /// some: the least busy usable mirror, best priority first among equals. `alone`
    /// says no other connection of this download runs; `slots` are the origins' over
    /// all downloads.
    pub fn claim(
        &self,
        settings: &Settings,
        alone: bool,
        slots: &Arc<OriginSlots>,
    ) -> Option<Claim> {
        let now = Instant::now();
        let per_origin = settings.connections_per_origin;
        let mut inner = self.lock();
        let inner = &mut *inner;
        let index = (0..inner.mirrors.len())
            .filter(|&i| {
                let m = &inner.mirrors[i];
                m.available(now)
                    && inner.origin_active[inner.origin_of[i]] < m.cap(per_origin)
                    && m.takes_another()
                    && slots.has_room(m.origin(), per_origin)
                    && inner.worth_streaming(i)
            })
            .filter(|&i| inner.has_work_for(i))
            .min_by_key(|&i| (inner.mirrors[i].active(), i))?;
        let mirror = &inner.mirrors[index];
        let new_work = alone || !inner.too_slow_for_the_rest(index);
        let run = inner
            .plan
            .claim(index, mirror.banned(), mirror.speed(), new_work)?;
        let Some(slot) = slots.take(mirror.origin(), per_origin) else {
            inner.plan.release(run.id);
            return None;
        };
        let origin = inner.origin_of[index];
        inner.origin_active[origin] += 1;
        inner.mirrors[index].connected();
        Some(Claim {
            mirror: index,
            url: inner.mirrors[index].url().to_owned(),
            run,
            origin,
            _slot: slot,
            leaving: false.into(),
        })
    }

    /// Sets how many connections may run at once.
    pub fn set_connection_cap(&self, cap: usize) {
        self.lock().connection_cap = cap.max(1);
    }

    /// A connection ended: its run's unfetched pieces go back, and its outcome is
    /// charged to the mirror (or, for the disk, stops the download). Returns what the
    /// user should be told.
    pub fn release(
        &self,
        claim: &Claim,
        outcome: Result<(), super::connection::Error>,
        progressed: bool,
    ) -> Option<Trouble> {
        let mut inner = self.lock();
        if claim.leaving.load(std::sync::atomic::Ordering::Relaxed) {
            inner.leaving -= 1;
        }
        inner.plan.release(claim.run.id);
        inner.origin_active[claim.origin] -= 1;
        inner.mirrors[claim.mirror].disconnected();
        match outcome {
            Ok(()) | Err(super::connection::Error::Halted) => None,
            Err(super::connection::Error::Disk(error)) => {
                inner.disk_error.get_or_insert(error);
                self.wake.notify_one();
                None
            }
            Err(super::connection::Error::Fault(fault)) => {
                inner.mirrors[claim.mirror].failed(fault.clone(), progressed);
                Some(Trouble::Fault(fault))
            }
        }
    }

    /// Every connection was aborted at once (the download stopped).
    pub fn all_disconnected(&self) {
        let mut inner = self.lock();
        inner.origin_active.fill(0);
        inner.leaving = 0;
        for mirror in &mut inner.mirrors {
            mirror.all_disconnected();
        }
    }

    /// Lets each mirror's connection count follow its measured throughput.
    pub fn adapt(&self, settings: &Settings) {
        let now = Instant::now();
        let mut inner = self.lock();
        for mirror in &mut inner.mirrors {
            mirror.adapt(now, settings.connections_per_origin);
        }
    }

    /// When no connection runs and none can start: `Some(why)` if every mirror is gone
    /// (the download fails), `None` if some are only backing off.
    pub fn exhausted(&self) -> Option<Vec<MirrorFailure>> {
        let inner = self.lock();
        if inner.mirrors.iter().any(|m| !m.is_dropped()) {
            let now = Instant::now();
            let plan = &inner.plan;
            let banned_everywhere =
                (0..plan.piece_count())
                    .filter(|&p| !plan.is_done(p))
                    .any(|p| {
                        inner
                            .mirrors
                            .iter()
                            .all(|m| m.is_dropped() || !m.may_fetch(p))
                    });
            let waiting = inner.mirrors.iter().any(|m| m.waiting(now));
            if !banned_everywhere || waiting {
                return None;
            }
        }
        Some(inner.mirrors.iter().map(Mirror::failure).collect())
    }

    /// The next request of a connection whose run goes on at `piece`: about half a
    /// second's worth at the mirror's speed, so a mirror that turns out slow or bad
    /// has little in flight that others must wait for. `None` when the run is over.
    pub fn window(&self, claim: &Claim, piece: usize) -> Option<Window> {
        let mut inner = self.lock();
        let running: usize = inner.origin_active.iter().sum();
        if running - inner.leaving > inner.connection_cap {
            inner.leaving += 1;
            claim
                .leaving
                .store(true, std::sync::atomic::Ordering::Relaxed);
            return None;
        }
        let budget = window_pieces(inner.plan.piece_length, inner.mirrors[claim.mirror].speed());
        let most_ranges = inner.mirrors[claim.mirror].ranges_per_request();
        let plan = &inner.plan;
        let run_end = match plan.run(claim.run.id) {
            Some(r) if piece < r.end => r.end,
            _ => return None,
        };
        let mut ranges = multipart::Ranges::new(most_ranges);
        let mut pieces = Vec::new();
        let mut bytes = Vec::new();
        let mut taken = 0;
        let mut at = piece;
        while taken < budget {
            let Some(start) = (at..run_end).find(|&p| !plan.is_done(p)) else {
                break;
            };
            let mut end = start;
            while end < run_end && !plan.is_done(end) && taken < budget {
                end += 1;
                taken += 1;
            }
            let range = plan.piece_range(start).0..plan.piece_range(end - 1).1;
            if !ranges.push(range.clone()) {
                break;
            }
            pieces.push(start..end);
            bytes.push(range);
            at = end;
        }
        let end = pieces.last()?.end;
        let first = pieces[0].start;
        inner.plan.set_requested(claim.run.id, end);
        // A server that ignores ranges sends from the start anyway.
        let prefill = inner
            .plan
            .partial(first)
            .filter(|_| !inner.mirrors[claim.mirror].ignoring_ranges());
        if let Some(partial) = prefill {
            bytes[0].start += partial.bytes;
        }
        Some(Window {
            pieces,
            bytes,
            prefill,
        })
    }

    /// Where the holder may leave what it has of `piece` on disk (its connection ends
    /// inside it), or `None` when another connection holds the piece too.
    pub fn keep_partial(&self, claim: &Claim, piece: usize) -> Option<u64> {
        let mut inner = self.lock();
        inner
            .plan
            .may_keep_partial(claim.run.id, piece)
            .then(|| inner.plan.piece_range(piece).0)
    }

    /// The first `bytes` of `piece` are on disk, from `source` (if one mirror).
    pub fn partial_written(&self, piece: usize, bytes: u64, source: Option<usize>) {
        self.lock().plan.set_partial(piece, bytes, source);
    }

    /// Pieces begun and their bytes on disk, with the pieces done, for the state file.
    pub fn progress_on_disk(&self) -> (Vec<bool>, BTreeMap<usize, u64>) {
        let inner = self.lock();
        (inner.plan.done().to_vec(), inner.plan.partials())
    }

    /// Byte range `[start, end)` of a piece.
    pub fn piece_range(&self, piece: usize) -> Range<u64> {
        let (start, end) = self.lock().plan.piece_range(piece);
        start..end
    }

    /// The mirror's answer came with these validators: `Err` if its file changed.
    pub fn answered(
        &self,
        claim: &Claim,
        seen: Validators,
        pieces_checked: bool,
    ) -> Result<(), Fault> {
        self.lock().mirrors[claim.mirror].answered(seen, pieces_checked)
    }

    /// The mirror sent the whole file for a range request.
    pub fn ignores_ranges(&self, claim: &Claim) {
        self.lock().mirrors[claim.mirror].ignores_ranges();
    }

    /// The mirror answers at most `most` ranges per request (one: it does not serve
    /// several in one answer): it is asked for no more from now on.
    pub fn ranges_at_most(&self, claim: &Claim, most: usize) {
        self.lock().mirrors[claim.mirror].ranges_at_most(most);
    }

    /// Whether a connection of `claim` delivering `rate` bytes per second should give
    /// its work up: another mirror could take it now, and the rate is far below what
    /// the others have shown (or below `floor` when they have shown nothing yet).
    pub fn too_slow(&self, claim: &Claim, rate: f64, floor: f64, ratio: f64) -> bool {
        let now = Instant::now();
        let inner = self.lock();
        let others = inner
            .mirrors
            .iter()
            .enumerate()
            .filter(|&(i, m)| i != claim.mirror && m.available(now));
        let mut any = false;
        let mut best: f64 = 0.0;
        for (_, mirror) in others {
            any = true;
            best = best.max(mirror.speed());
        }
        let bar = if best > 0.0 {
            (best / ratio).max(floor)
        } else {
            floor
        };
        any && rate < bar
    }

    /// Whether the claim's mirror, which can only send the file from its first byte,
    /// should still do so (see [`Inner::worth_streaming`]).
    pub fn worth_streaming(&self, claim: &Claim) -> bool {
        self.lock().worth_streaming(claim.mirror)
    }

    /// `bytes` more arrived; the connection holds `piece_bytes` of its current piece.
    pub fn received(&self, claim: &Claim, bytes: u64, piece_bytes: u64) {
        let mut inner = self.lock();
        inner.received += bytes;
        inner.mirrors[claim.mirror].received(bytes);
        inner.plan.set_piece_bytes(claim.run.id, piece_bytes);
    }

    /// A copy of `piece` failed its hash. When it came from this mirror alone, the
    /// mirror is never asked for it again; when it continued bytes from another (or from
    /// before a restart), nobody is blamed, and the piece is fetched whole from now on.
    pub fn spoiled(&self, claim: &Claim, piece: usize, prefill: Option<Partial>) {
        let mut inner = self.lock();
        if prefill.is_some_and(|p| p.source != Some(claim.mirror)) {
            inner.plan.forget_partial(piece);
            return;
        }
        inner.plan.clear_partial(piece);
        inner.repairs.push(BadCopy {
            piece,
            bad: claim.mirror,
            good: None,
        });
        inner.mirrors[claim.mirror].spoiled(piece);
    }

    /// Where a verified piece goes, or `None` when an end-game copy delivered it first
    /// (then it is not written).
    pub fn wanted(&self, piece: usize) -> Option<u64> {
        let inner = self.lock();
        (!inner.plan.is_done(piece)).then(|| inner.plan.piece_range(piece).0)
    }

    /// A verified piece is written (or was already there): it is done, the mirror is
    /// credited at `speed`, and the connection learns what to do next. `whole` says the
    /// body is the whole file (it goes on to the end); `after` is the piece after this
    /// one in the request's body, if any.
    pub fn delivered(
        &self,
        claim: &Claim,
        piece: usize,
        speed: f64,
        whole: bool,
        after: Option<usize>,
    ) -> Next {
        let mut inner = self.lock();
        let inner = &mut *inner;
        if inner.plan.complete(claim.run.id, piece) {
            for repair in inner.repairs.iter_mut().filter(|r| r.piece == piece) {
                repair.good = Some(claim.mirror);
            }
            let prefix = inner.plan.done_prefix_bytes();
            self.prefix.send_if_modified(|sent| {
                let grew = prefix > *sent;
                *sent = prefix;
                grew
            });
        }
        inner.plan.set_speed(claim.run.id, speed);
        if inner.mirrors[claim.mirror].delivered(speed) {
            self.wake.notify_one();
        }
        if whole {
            // A whole-file stream goes on to the end; done pieces are skipped.
            return match piece + 1 < inner.plan.piece_count() {
                true => Next::Read(piece + 1),
                false => Next::Stop,
            };
        }
        // The body goes on with `after`: read on if the run still wants it next (it was
        // not stolen, nor delivered by an end-game copy).
        match (inner.plan.next_piece(claim.run.id), after) {
            (Some(n), Some(after)) if n == after => Next::Read(n),
            (Some(n), None) => Next::Request(n),
            _ => Next::Stop,
        }
    }

    /// A snapshot for front ends; its speed is over the time since the last one.
    pub fn snapshot(&self) -> Progress {
        let mut inner = self.lock();
        let now = Instant::now();
        let (then, received_then) = inner.last_snapshot;
        let elapsed = now.duration_since(then).as_secs_f64().max(1e-3);
        let speed = (inner.received - received_then) as f64 / elapsed;
        inner.last_snapshot = (now, inner.received);
        let mirrors = inner
            .mirrors
            .iter_mut()
            .map(|m| m.status(elapsed))
            .collect();
        let plan = &inner.plan;
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
        for repair in &inner.repairs {
            if repair.good.is_some() {
                pieces[repair.piece] = PieceStatus::Repaired;
            }
        }
        let url = |m: usize| inner.mirrors[m].url().to_owned();
        let repairs = inner
            .repairs
            .iter()
            .map(|r| Repair {
                piece: r.piece,
                bad_mirror: url(r.bad),
                good_mirror: r.good.map(url),
            })
            .collect();
        Progress {
            size: Some(plan.size),
            done: plan.done_bytes(),
            verified_prefix: plan.done_prefix_bytes(),
            received: inner.received,
            speed,
            connections: inner.mirrors.iter().map(Mirror::active).sum(),
            pieces,
            repairs,
            mirrors,
        }
    }
}

impl Inner {
    /// A mirror that can only send the file from its first byte (it ignores ranges, or
    /// refuses FTP's REST) is worth a connection while the first piece is still wanted
    /// (nobody has or fetches it), or when no mirror that takes ranges is left to ask:
    /// otherwise every request to it would end at once, unused.
    fn worth_streaming(&self, mirror: usize) -> bool {
        if !self.mirrors[mirror].ignoring_ranges() {
            return true;
        }
        let start_wanted = !self.plan.is_done(0) && !self.plan.in_flight(0);
        start_wanted
            || !self
                .mirrors
                .iter()
                .enumerate()
                .any(|(i, other)| i != mirror && !other.is_dropped() && !other.ignoring_ranges())
    }

    /// Whether the mirror may take some piece still missing.
    fn has_work_for(&self, mirror: usize) -> bool {
        let mirror = &self.mirrors[mirror];
        mirror.banned().is_empty()
            || (0..self.plan.piece_count()).any(|p| !self.plan.is_done(p) && mirror.may_fetch(p))
    }

    /// Near the end, a connection to a mirror slower than another, that would take
    /// longer over one piece than all running connections together need for everything
    /// left, would deliver last: its new pieces only add waiting and waste.
    fn too_slow_for_the_rest(&self, mirror: usize) -> bool {
        let speed = self.mirrors[mirror].speed();
        let now = Instant::now();
        let faster_exists = self
            .mirrors
            .iter()
            .any(|m| m.available(now) && m.speed() > speed);
        if speed <= 0.0 || !faster_exists {
            return false;
        }
        let total: f64 = self
            .mirrors
            .iter()
            .map(|m| m.speed() * m.active() as f64)
            .sum();
        if total <= 0.0 {
            return false;
        }
        let plan = &self.plan;
        let left = (plan.piece_count() - plan.done_count()) as f64 * plan.piece_length as f64;
        plan.piece_length as f64 / speed > left / total
    }
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
