//! One connection's request loop: it holds a run of pieces from one mirror, asks for a
//! window of it at a time through the [`Transport`](super::super::transport::Transport),
//! buffers each piece until it is verified, then writes it. A bad piece bans the
//! mirror from it and ends the connection. When the connection ends inside a piece
//! (the mirror broke off, or the download pauses), what it has of the piece is left on
//! disk, and the next request for the piece asks only for the rest. The protocol is
//! behind the transport; the shared state behind the [`Swarm`].

use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::super::plan::Partial;
use super::super::spec::PieceChecks;
use super::super::timeline;
use super::super::transport::{Body, Opened};
use super::super::{DiskError, Fault, NetError};
use super::Job;
use super::swarm::{Claim, Next, Window};

/// Bytes counted and paced at a time under a rate limit.
const PACED_SLICE: usize = 16 * 1024;

/// A connection that receives nothing for this long is stalled.
pub(super) const STALL: Duration = Duration::from_secs(20);
/// A request is not judged for its speed in its first seconds (TCP slow start, a
/// server warming up)...
const GRACE: Duration = Duration::from_secs(3);
/// ...then its rate over the last seconds is checked this often...
const JUDGE_EVERY: Duration = Duration::from_secs(1);
/// ...and must stay above the best per-connection speed other mirrors have shown divided
/// by this, and above [`FLOOR`], while another mirror could take the work.
const SLOWER_THAN_BEST: f64 = 50.0;
/// Bytes per second below which a connection gives way when nothing is known yet.
const FLOOR: f64 = 8.0 * 1024.0;

/// How a connection ended early.
pub(super) enum Error {
    /// The mirror's doing (what it costs the mirror is the swarm's call).
    Fault(Fault),
    /// Writing the part file failed: the download stops, and no mirror is blamed.
    Disk(DiskError),
    /// The download is pausing: the connection stopped when told.
    Halted,
}

impl From<Fault> for Error {
    fn from(fault: Fault) -> Self {
        Error::Fault(fault)
    }
}

/// Fetches the claimed run. `progressed` is set once it left something on disk (a
/// verified piece, or part of one), even when it fails later.
pub(super) async fn run(job: &Job, claim: &Claim, progressed: &mut bool) -> Result<(), Error> {
    let mut halt = job.halt.subscribe();
    let mut piece = claim.run.next;
    while let Some(window) = job.swarm.window(claim, piece) {
        match fetch_window(job, claim, window, &mut halt, progressed).await? {
            Some(next) => piece = next,
            None => return Ok(()),
        }
    }
    Ok(())
}

/// Fetches one window in one request. Returns the next piece of the run to fetch, or
/// `None` when the run is over.
async fn fetch_window(
    job: &Job,
    claim: &Claim,
    mut window: Window,
    halt: &mut watch::Receiver<bool>,
    progressed: &mut bool,
) -> Result<Option<usize>, Error> {
    let swarm = &job.swarm;
    let mut watchdog = Watchdog::new();
    timeline::note(format_args!(
        "request mirror {} run {} pieces {:?} bytes {:?}",
        claim.mirror, claim.run.id, window.pieces, window.bytes
    ));
    let Some(opened) = open(job, claim, &mut window, halt, &mut watchdog).await? else {
        return Ok(Some(window.first()));
    };
    if opened.whole {
        swarm.ignores_ranges(claim);
        // It can only stream from the start: worth it while the first piece is
        // wanted, or when no other mirror can help.
        if window.bytes[0].start != 0 && !swarm.worth_streaming(claim) {
            opened.body.finish().await;
            return Ok(None);
        }
    }
    timeline::note(format_args!(
        "answer mirror {} run {}",
        claim.mirror, claim.run.id
    ));
    let several = window.bytes.len() > 1;
    let pieces = job.spec.piece_checks();
    swarm.answered(claim, opened.validators, pieces.is_some())?;
    let mut body = opened.body;
    let mut reader = PieceReader::default();
    let started = Instant::now();
    // A whole-file body begins with the first piece (those already done are skipped).
    let mut piece = if opened.whole { 0 } else { window.first() };
    let mut prefill = window.prefill.filter(|_| !opened.whole);
    let next = loop {
        let wanted = swarm.piece_range(piece);
        if let Some(partial) = prefill {
            reader
                .prefill(job, wanted.start, partial.bytes)
                .map_err(Error::Disk)?;
        }
        let length = (wanted.end - wanted.start) as usize;
        let read = tokio::select! {
            read = reader.read(&mut body, length, job, claim, &mut watchdog) => read,
            _ = halted(halt) => Err(Interrupted::Halted),
        };
        if let Err(interrupted) = read {
            timeline::note(format_args!(
                "broke off piece {piece} mirror {} run {} holding {}",
                claim.mirror,
                claim.run.id,
                reader.held().len()
            ));
            keep_partial(job, claim, piece, reader.held(), prefill, progressed)?;
            return match interrupted {
                Interrupted::Fault(fault)
                    if several && served_fewer(claim, swarm, &body, &fault) =>
                {
                    Ok(Some(piece))
                }
                Interrupted::Fault(fault) => Err(Error::Fault(fault)),
                Interrupted::Halted => Err(Error::Halted),
            };
        }
        deliver(job, claim, piece, reader.held(), pieces, prefill)?;
        timeline::note(format_args!(
            "piece {piece} mirror {} run {}",
            claim.mirror, claim.run.id
        ));
        *progressed = true;
        reader.clear();
        prefill = None;
        let speed = reader.received as f64 / started.elapsed().as_secs_f64().max(1e-3);
        match swarm.delivered(claim, piece, speed, opened.whole, window.after(piece)) {
            Next::Read(next) => piece = next,
            // A body that goes on past its window (FTP) is read on into the next
            // window, if it starts where this one ends: no new request, no new data
            // connection. (It sends a piece whole, so what a pause left of it on disk
            // is not needed.)
            Next::Request(next) if body.open_ended() => match swarm.window(claim, next) {
                Some(next_window) if next_window.first() == piece + 1 => {
                    piece = next_window.first();
                    window = next_window;
                }
                Some(_) => break Some(next),
                None => break None,
            },
            Next::Request(next) => break Some(next),
            Next::Stop => break None,
        }
    };
    body.finish().await;
    Ok(next)
}

/// Whether an answer to several ranges that broke off with `fault` did so because the
/// server serves fewer per request (it said so by ending early), or answers them wrongly:
/// then the mirror is asked for fewer, and the rest of the window asked again.
fn served_fewer(claim: &Claim, swarm: &super::swarm::Swarm, body: &Body, fault: &Fault) -> bool {
    let most = match (body.fewer_ranges_than_asked(), fault) {
        (Some(parts), _) => parts,
        (None, Fault::WrongRange { .. } | Fault::NoContentRange) => 1,
        (None, _) => return false,
    };
    swarm.ranges_at_most(claim, most);
    true
}

/// Sends the window's request (one range, or several at once) and fits the window to
/// the answer. `None` when the window is to be asked again, in fewer ranges: the server
/// does not answer several at once, or answered with fewer than asked (then the ones
/// it did answer are what the window keeps).
async fn open(
    job: &Job,
    claim: &Claim,
    window: &mut Window,
    halt: &mut watch::Receiver<bool>,
    watchdog: &mut Watchdog,
) -> Result<Option<Opened>, Error> {
    let swarm = &job.swarm;
    let Some(opened) = send(job, claim, window, halt, watchdog).await? else {
        swarm.ranges_at_most(claim, 1);
        return Ok(None);
    };
    if let Some(covers) = opened.covers {
        if covers < window.bytes.last().map_or(0, |r| r.end) {
            swarm.ranges_at_most(claim, 1);
        }
        if !window.keep_until(covers, |p| swarm.piece_range(p).end) {
            opened.body.finish().await;
            return Ok(None);
        }
    }
    Ok(Some(opened))
}

/// Sends the window's request, judging a server that is slow to answer. `None` when
/// it does not answer several ranges at once.
async fn send(
    job: &Job,
    claim: &Claim,
    window: &Window,
    halt: &mut watch::Receiver<bool>,
    watchdog: &mut Watchdog,
) -> Result<Option<Opened>, Error> {
    let transport = &job.transport;
    let open = async {
        if let [range] = window.bytes.as_slice() {
            return transport
                .open(&claim.url, range.clone(), job.size)
                .await
                .map(Some);
        }
        transport
            .open_ranges(&claim.url, window.bytes.clone(), job.size)
            .await
    };
    tokio::pin!(open);
    let mut judge =
        tokio::time::interval_at(tokio::time::Instant::now() + JUDGE_EVERY, JUDGE_EVERY);
    loop {
        tokio::select! {
            opened = &mut open => return Ok(opened?),
            _ = halted(halt) => return Err(Error::Halted),
            // A server that accepts and never answers is judged like a silent body.
            _ = judge.tick() => watchdog.judge(job, claim).map_err(Error::Fault)?,
        }
    }
}

/// Resolves once the download is told to pause.
async fn halted(halt: &mut watch::Receiver<bool>) {
    if halt.wait_for(|halt| *halt).await.is_err() {
        // The job is gone; nothing will tell.
        std::future::pending::<()>().await;
    }
}

/// Why reading a piece stopped before its end.
enum Interrupted {
    Fault(Fault),
    Halted,
}

/// Cuts a body into pieces: chunks rarely end where a piece does.
#[derive(Default)]
struct PieceReader {
    buffer: Vec<u8>,
    /// Bytes of a chunk that belong to the next piece.
    carry: Option<bytes::Bytes>,
    /// Body bytes received on this request.
    received: u64,
}

impl PieceReader {
    /// What it holds of the current piece.
    fn held(&self) -> &[u8] {
        &self.buffer
    }

    /// Starts the piece at `offset` with its first `bytes`, read back from disk.
    fn prefill(&mut self, job: &Job, offset: u64, bytes: u64) -> Result<(), DiskError> {
        self.buffer.resize(bytes as usize, 0);
        tokio::task::block_in_place(|| job.part.read_at(offset, &mut self.buffer))
            .map_err(|e| DiskError::io(&job.paths.part, e))
    }

    /// Reads the body until the piece holds `wanted` bytes, each chunk counted and
    /// paced, and the connection judged by `watchdog`.
    async fn read(
        &mut self,
        body: &mut Body,
        wanted: usize,
        job: &Job,
        claim: &Claim,
        watchdog: &mut Watchdog,
    ) -> Result<(), Interrupted> {
        self.buffer
            .reserve(wanted.saturating_sub(self.buffer.len()));
        // Under a limit, bytes are taken in small slices, each counted and paced: a
        // chunk can hold half a megabyte, seconds' worth at a low limit.
        let slice = if job.rates.limited() {
            PACED_SLICE
        } else {
            usize::MAX
        };
        while self.buffer.len() < wanted {
            let chunk = match self.carry.take() {
                Some(rest) => rest,
                None => watchdog
                    .next_chunk(body, job, claim)
                    .await
                    .map_err(Interrupted::Fault)?,
            };
            let take = (wanted - self.buffer.len()).min(chunk.len()).min(slice);
            self.buffer.extend_from_slice(&chunk[..take]);
            if take < chunk.len() {
                self.carry = Some(chunk.slice(take..));
            }
            self.received += take as u64;
            job.swarm
                .received(claim, take as u64, self.buffer.len() as u64);
            job.rates.pace(take).await;
        }
        Ok(())
    }

    /// The piece is dealt with: the buffer starts the next one.
    fn clear(&mut self) {
        self.buffer.clear();
    }
}

/// Watches one connection's pace: silent for [`STALL`] is a stall; far slower than the
/// other mirrors (while another could take the work) gives the work up. With a rate
/// limit set, slowness is Braid's own, and only stalls count.
struct Watchdog {
    started: Instant,
    last_byte: Instant,
    received: u64,
    /// `(when, received then)`, one a second, for the rate over the last seconds.
    marks: std::collections::VecDeque<(Instant, u64)>,
}

impl Watchdog {
    fn new() -> Self {
        let now = Instant::now();
        Watchdog {
            started: now,
            last_byte: now,
            received: 0,
            marks: [(now, 0)].into(),
        }
    }

    /// The next chunk of the body, judged every second while waiting; an early end is
    /// a network fault.
    async fn next_chunk(
        &mut self,
        body: &mut Body,
        job: &Job,
        claim: &Claim,
    ) -> Result<bytes::Bytes, Fault> {
        let mut judge =
            tokio::time::interval_at(tokio::time::Instant::now() + JUDGE_EVERY, JUDGE_EVERY);
        loop {
            tokio::select! {
                chunk = body.next() => {
                    let chunk = chunk?.ok_or(Fault::Network(NetError::ClosedEarly))?;
                    self.last_byte = Instant::now();
                    self.received += chunk.len() as u64;
                    return Ok(chunk);
                }
                _ = judge.tick() => self.judge(job, claim)?,
            }
        }
    }

    /// `Err` when the connection should end now: stalled, or too slow.
    fn judge(&mut self, job: &Job, claim: &Claim) -> Result<(), Fault> {
        let now = Instant::now();
        if now.duration_since(self.last_byte) >= STALL {
            return Err(Fault::Network(NetError::Stalled {
                seconds: STALL.as_secs(),
            }));
        }
        self.marks.push_back((now, self.received));
        while self
            .marks
            .front()
            .is_some_and(|&(at, _)| now.duration_since(at) > GRACE)
        {
            self.marks.pop_front();
        }
        if now.duration_since(self.started) < GRACE || job.rates.limited() {
            return Ok(());
        }
        let (since, then) = self.marks.front().copied().unwrap_or((self.started, 0));
        let seconds = now.duration_since(since).as_secs_f64().max(1e-3);
        let rate = (self.received - then) as f64 / seconds;
        if job.swarm.too_slow(claim, rate, FLOOR, SLOWER_THAN_BEST) {
            return Err(Fault::Network(NetError::TooSlow {
                bytes_per_second: rate as u64,
            }));
        }
        Ok(())
    }
}

/// The connection ends inside `piece` holding `held` of it: unless another connection
/// holds the piece too, it goes to disk, for the next request to continue.
fn keep_partial(
    job: &Job,
    claim: &Claim,
    piece: usize,
    held: &[u8],
    prefill: Option<Partial>,
    progressed: &mut bool,
) -> Result<(), Error> {
    let fresh = held.len() as u64 - prefill.map_or(0, |p| p.bytes);
    if fresh == 0 {
        return Ok(());
    }
    let Some(offset) = job.swarm.keep_partial(claim, piece) else {
        return Ok(());
    };
    tokio::task::block_in_place(|| job.part.write_at(offset, held))
        .map_err(|e| Error::Disk(DiskError::io(&job.paths.part, e)))?;
    // One author only if every byte came from this mirror.
    let source = match prefill {
        Some(p) if p.source != Some(claim.mirror) => None,
        _ => Some(claim.mirror),
    };
    job.swarm.partial_written(piece, held.len() as u64, source);
    *progressed = true;
    Ok(())
}

/// Verifies a buffered piece and writes it unless an end-game copy delivered it first.
fn deliver(
    job: &Job,
    claim: &Claim,
    piece: usize,
    buffer: &[u8],
    pieces: Option<PieceChecks<'_>>,
    prefill: Option<Partial>,
) -> Result<(), Error> {
    let good = tokio::task::block_in_place(|| match pieces {
        Some(checks) => checks.matches(piece, buffer),
        None => true,
    });
    if !good {
        job.swarm.spoiled(claim, piece, prefill);
        return Err(Error::Fault(Fault::BadPiece { piece }));
    }
    // Written before it is marked done, so the whole-file hasher never reads a hole.
    if let Some(offset) = job.swarm.wanted(piece) {
        tokio::task::block_in_place(|| job.part.write_at(offset, buffer))
            .map_err(|e| Error::Disk(DiskError::io(&job.paths.part, e)))?;
    }
    Ok(())
}
