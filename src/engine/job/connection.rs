//! One connection's request loop: it holds a run of pieces from one mirror, asks for a
//! window of it at a time through the [`Transport`](super::super::transport::Transport),
//! buffers each piece until it is verified, then writes it. A bad piece bans the
//! mirror from it and ends the connection. The protocol is behind the transport; the
//! shared state behind the [`Swarm`].

use std::time::{Duration, Instant};

use super::super::transport::Body;
use super::super::{DiskError, Fault, verify};
use super::Job;
use super::swarm::{Claim, Next, Swarm, Window};
use crate::metalink::Pieces;

/// A connection that receives nothing for this long is stalled.
pub(super) const STALL: Duration = Duration::from_secs(20);

/// How a connection ended early.
pub(super) enum Error {
    /// The mirror's doing (what it costs the mirror is the swarm's call).
    Fault(Fault),
    /// Writing the part file failed: the download stops, and no mirror is blamed.
    Disk(DiskError),
}

impl From<Fault> for Error {
    fn from(fault: Fault) -> Self {
        Error::Fault(fault)
    }
}

/// Fetches the claimed run. `delivered` counts the verified pieces it wrote, even when
/// it fails later.
pub(super) async fn run(job: &Job, claim: &Claim, delivered: &mut usize) -> Result<(), Error> {
    let mut piece = claim.run.next;
    while let Some(window) = job.swarm.window(claim, piece) {
        match fetch_window(job, claim, window, delivered).await? {
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
    window: Window,
    delivered: &mut usize,
) -> Result<Option<usize>, Error> {
    let swarm = &job.swarm;
    let opened = job
        .transport
        .open(&claim.url, window.bytes.clone(), job.size)
        .await?;
    if opened.whole {
        swarm.ignores_ranges(claim);
        if window.bytes.start != 0 {
            // It can only stream from the start; a later connection will.
            return Ok(None);
        }
    }
    let pieces = job.spec.usable_pieces();
    swarm.answered(claim, opened.validators, pieces.is_some())?;
    let mut body = opened.body;
    let mut reader = PieceReader::default();
    let started = Instant::now();
    let mut piece = window.first;
    loop {
        let wanted = swarm.piece_range(piece);
        let length = (wanted.end - wanted.start) as usize;
        let buffer = reader.read(&mut body, length, job, claim).await?;
        deliver(job, claim, piece, buffer, pieces)?;
        *delivered += 1;
        let speed = reader.received as f64 / started.elapsed().as_secs_f64().max(1e-3);
        match swarm.delivered(claim, piece, speed, opened.whole, window.end) {
            Next::Read(next) => piece = next,
            Next::Request(next) => return Ok(Some(next)),
            Next::Stop => return Ok(None),
        }
    }
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
    /// The next `wanted` bytes of the body, each chunk counted and paced.
    async fn read(
        &mut self,
        body: &mut Body,
        wanted: usize,
        job: &Job,
        claim: &Claim,
    ) -> Result<&[u8], Fault> {
        self.buffer.clear();
        self.buffer.reserve(wanted);
        while self.buffer.len() < wanted {
            let (chunk, fresh) = match self.carry.take() {
                Some(rest) => (rest, false),
                None => (read_chunk(body).await?, true),
            };
            let take = (wanted - self.buffer.len()).min(chunk.len());
            self.buffer.extend_from_slice(&chunk[..take]);
            if take < chunk.len() {
                self.carry = Some(chunk.slice(take..));
            }
            if fresh {
                self.received += chunk.len() as u64;
                job.swarm
                    .received(claim, chunk.len() as u64, self.buffer.len() as u64);
                job.rates.pace(chunk.len()).await;
            }
        }
        Ok(&self.buffer)
    }
}

/// The next chunk of a body; an early end is a network fault.
async fn read_chunk(body: &mut Body) -> Result<bytes::Bytes, Fault> {
    body.chunk(STALL)
        .await?
        .ok_or(Fault::Network(super::super::NetError::ClosedEarly))
}

/// Verifies a buffered piece and writes it unless an end-game copy delivered it first.
fn deliver(
    job: &Job,
    claim: &Claim,
    piece: usize,
    buffer: &[u8],
    pieces: Option<&Pieces>,
) -> Result<(), Error> {
    let swarm: &Swarm = &job.swarm;
    let good = tokio::task::block_in_place(|| match pieces {
        Some(p) => verify::digest(p.algorithm, buffer) == p.digest(piece),
        None => true,
    });
    if !good {
        swarm.spoiled(claim, piece);
        return Err(Error::Fault(Fault::BadPiece { piece }));
    }
    // Written before it is marked done, so the prefix hasher never reads a hole.
    if let Some(offset) = swarm.wanted(piece) {
        tokio::task::block_in_place(|| job.part.write_at(offset, buffer))
            .map_err(|e| Error::Disk(DiskError::io(&job.paths.part, e)))?;
    }
    Ok(())
}
