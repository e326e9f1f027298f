//! Taking what is already on disk before fetching anything: the pieces of a damaged copy
//! of the file that still check out where they are, and the blocks of an older version
//! wherever they moved (a rolling-checksum scan with the zsync block checksums). What is
//! found is copied into the part file and counts as verified; the files themselves are
//! only read, so a damaged original stays as it is until the repaired file, verified
//! whole, replaces it.
//!
//! It runs before the connections start, on a blocking thread, and reports its progress
//! a few times a second; a pause or cancel stops it within a chunk.

use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};

use super::super::plan::Plan;
use super::super::spec::{PieceChecks, ReuseKind};
use super::super::storage::PartFile;
use super::super::{Checking, DiskError, JobError, JobSpec, Reused, Trouble};
use super::{Control, Report};
use crate::zsync::{BlockSums, Found, Index, Scanner};

/// Bytes read from a file at a time.
const CHUNK: usize = 8 * 1024 * 1024;
const REPORT_EVERY: Duration = Duration::from_millis(200);

/// How the check of the files on disk ended.
pub(super) enum Filled {
    /// Every file was checked.
    Done(Reused),
    /// Told to stop part-way; what was found so far is in the part file.
    Stopped(Control, Reused),
}

/// Where the job's reports and orders go while the files are checked.
pub(super) struct Watch<'a> {
    pub reports: &'a mpsc::UnboundedSender<Report>,
    pub control: &'a watch::Receiver<Control>,
}

/// Copies into the part file every piece still missing from `plan` that the files in
/// `spec.reuse` hold, marking it done; `so_far` is what an earlier, interrupted check
/// found. Damaged copies first (their pieces are where they belong), then seeds.
pub(super) fn fill(
    spec: &JobSpec,
    part: &PartFile,
    part_path: &Path,
    plan: &mut Plan,
    so_far: Reused,
    watch: Watch<'_>,
) -> Result<Filled, JobError> {
    let Some(checks) = spec.piece_checks() else {
        return Ok(Filled::Done(so_far));
    };
    let mut progress = Progress {
        reuse: so_far,
        watch,
        last_report: Instant::now(),
    };
    let mut kinds: Vec<_> = spec.reuse.iter().collect();
    kinds.sort_by_key(|r| r.kind != ReuseKind::Damaged);
    let mut index: Option<Index<'_>> = None;
    for reuse in kinds {
        if plan.is_complete() {
            break;
        }
        let file = match open(&reuse.path) {
            Ok(file) => file,
            Err(error) => {
                progress.trouble(&reuse.path, error);
                continue;
            }
        };
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut pass = Pass {
            path: &reuse.path,
            file: &file,
            total,
            part,
            part_path,
        };
        let stopped = match (reuse.kind, checks) {
            (ReuseKind::Seed, PieceChecks::Blocks(blocks)) => {
                let index = index.get_or_insert_with(|| {
                    let wanted: Vec<bool> = plan.done().iter().map(|d| !d).collect();
                    Index::new(blocks, Some(&wanted))
                });
                pass.scan(blocks, index, plan, &mut progress)
            }
            _ => {
                let stopped = pass.aligned(checks, plan, &mut progress);
                if let Some(index) = &mut index {
                    for piece in (0..plan.piece_count()).filter(|&p| plan.is_done(p)) {
                        index.found_elsewhere(piece);
                    }
                }
                stopped
            }
        };
        match stopped {
            Ok(None) => {}
            Ok(Some(control)) => return Ok(Filled::Stopped(control, progress.reuse)),
            Err(Failure::Part(error)) => return Err(JobError::Disk(error)),
            Err(Failure::Reading(error)) => progress.trouble(&reuse.path, error),
        }
        progress.report(&reuse.path, total, total, true);
    }
    Ok(Filled::Done(progress.reuse))
}

fn open(path: &Path) -> Result<File, DiskError> {
    File::open(path).map_err(|e| DiskError::io(path, e))
}

/// Why a pass over one file ended early.
enum Failure {
    /// The file to reuse could not be read: the rest is fetched.
    Reading(DiskError),
    /// The part file could not be written: the download stops.
    Part(DiskError),
}

/// The count so far and the way to report it.
struct Progress<'a> {
    reuse: Reused,
    watch: Watch<'a>,
    last_report: Instant,
}

impl Progress<'_> {
    fn found(&mut self, bytes: u64, pieces: usize) {
        self.reuse.bytes += bytes;
        self.reuse.pieces += pieces;
    }

    /// Reports where the check stands (at most a few times a second unless `now`), and
    /// says whether to stop.
    fn report(&mut self, path: &Path, done: u64, total: u64, now: bool) -> Option<Control> {
        if now || self.last_report.elapsed() >= REPORT_EVERY {
            self.last_report = Instant::now();
            let _ = self.watch.reports.send(Report::Checking(Checking {
                path: path.to_path_buf(),
                done,
                total,
                found: self.reuse.bytes,
            }));
        }
        match *self.watch.control.borrow() {
            Control::Run => None,
            stop => Some(stop),
        }
    }

    fn trouble(&self, path: &Path, error: DiskError) {
        let _ = self.watch.reports.send(Report::Trouble {
            url: path.display().to_string(),
            trouble: Trouble::Unreadable(error),
        });
    }
}

/// One file being read.
struct Pass<'a> {
    path: &'a Path,
    file: &'a File,
    total: u64,
    part: &'a PartFile,
    part_path: &'a Path,
}

impl Pass<'_> {
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<usize, Failure> {
        let mut filled = 0;
        while filled < buf.len() {
            match positional_read(self.file, &mut buf[filled..], offset + filled as u64) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Failure::Reading(DiskError::io(self.path, e))),
            }
        }
        Ok(filled)
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), Failure> {
        self.part
            .write_at(offset, data)
            .map_err(|e| Failure::Part(DiskError::io(self.part_path, e)))
    }

    /// Checks each missing piece against the file's bytes at the piece's own place.
    fn aligned(
        &mut self,
        checks: PieceChecks<'_>,
        plan: &mut Plan,
        progress: &mut Progress<'_>,
    ) -> Result<Option<Control>, Failure> {
        let piece_length = plan.piece_length;
        let per_chunk = (CHUNK as u64 / piece_length).max(1) as usize;
        let mut buf = vec![0u8; per_chunk * piece_length as usize];
        let mut first = 0;
        while first < plan.piece_count() {
            let end = (first + per_chunk).min(plan.piece_count());
            if (first..end).all(|p| plan.is_done(p)) {
                first = end;
                continue;
            }
            let start = plan.piece_range(first).0;
            if start >= self.total {
                break;
            }
            let stop = plan.piece_range(end - 1).1;
            let got = self.read_at(start, &mut buf[..(stop - start) as usize])?;
            // Runs of good pieces are written at once.
            let mut run: Option<(u64, u64, usize)> = None;
            for piece in first..end {
                let (from, to) = plan.piece_range(piece);
                let (lo, hi) = ((from - start) as usize, (to - start) as usize);
                let good = !plan.is_done(piece) && hi <= got && checks.matches(piece, &buf[lo..hi]);
                if good {
                    plan.mark_done(piece);
                    run = Some(match run {
                        Some((s, _, n)) => (s, to, n + 1),
                        None => (from, to, 1),
                    });
                } else if let Some((s, e, n)) = run.take() {
                    self.write_run(&buf, start, s, e)?;
                    progress.found(e - s, n);
                }
            }
            if let Some((s, e, n)) = run {
                self.write_run(&buf, start, s, e)?;
                progress.found(e - s, n);
            }
            if let Some(stop) = progress.report(self.path, stop.min(self.total), self.total, false)
            {
                return Ok(Some(stop));
            }
            first = end;
        }
        Ok(None)
    }

    fn write_run(&self, buf: &[u8], base: u64, from: u64, to: u64) -> Result<(), Failure> {
        self.write(from, &buf[(from - base) as usize..(to - base) as usize])
    }

    /// Slides over the whole file with the rolling checksum and takes every wanted
    /// block found, wherever it is.
    fn scan(
        &mut self,
        blocks: &BlockSums,
        index: &mut Index<'_>,
        plan: &mut Plan,
        progress: &mut Progress<'_>,
    ) -> Result<Option<Control>, Failure> {
        if index.wanted() == 0 {
            return Ok(None);
        }
        let context = index.context();
        let mut scanner = Scanner::new(index);
        // Room for what is kept from the last chunk and the padding at the end.
        let mut buffer = vec![0u8; CHUNK + 2 * context];
        let mut kept = 0;
        let mut offset = 0u64; // of the file, at buffer[kept]
        let mut found = Vec::new();
        loop {
            let got = self.read_at(offset, &mut buffer[kept..kept + CHUNK])?;
            offset += got as u64;
            let mut len = kept + got;
            let end = got < CHUNK;
            if end {
                // zsync pads the last block with zeros: so must the scan.
                buffer[len..len + context].fill(0);
                len += context;
            }
            let stop = scanner.scan(&buffer[..len], 0, &mut found);
            self.take(blocks, &buffer, &mut found, plan, progress)?;
            if end || scanner.index().wanted() == 0 {
                return Ok(None);
            }
            if let Some(stop) = progress.report(self.path, offset, self.total, false) {
                return Ok(Some(stop));
            }
            buffer.copy_within(stop..len, 0);
            kept = len - stop;
        }
    }

    /// Writes found blocks into the part file, runs of neighbours at once.
    fn take(
        &self,
        blocks: &BlockSums,
        buffer: &[u8],
        found: &mut Vec<Found>,
        plan: &mut Plan,
        progress: &mut Progress<'_>,
    ) -> Result<(), Failure> {
        let mut i = 0;
        while i < found.len() {
            let first = found[i];
            let mut last = first;
            while let Some(next) = found.get(i + 1)
                && next.block == last.block + 1
                && next.at == last.at + blocks.block_size() as usize
            {
                last = *next;
                i += 1;
            }
            let from = blocks.block_range(first.block).start;
            let to = blocks.block_range(last.block).end;
            let bytes = (to - from) as usize;
            self.write(from, &buffer[first.at..first.at + bytes])?;
            for block in first.block..=last.block {
                plan.mark_done(block);
            }
            progress.found(to - from, last.block - first.block + 1);
            i += 1;
        }
        found.clear();
        Ok(())
    }
}

#[cfg(unix)]
fn positional_read(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn positional_read(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}
