//! Who fetches what: the pieces of one file, which are done, and the runs of pieces that
//! connections are working through.
//!
//! A connection asks for work and gets a *run*: a stretch of missing pieces nobody else
//! holds. When nothing is free, it takes the back half of the largest unfinished run
//! (stealing), never pieces the holder has already asked its server for, so no bytes in
//! flight are thrown away; when no run can be split, it duplicates the piece a slow
//! connection would take longest to finish (end-game), if it can be faster, and the
//! first to deliver wins. Pieces a mirror spoiled are never handed to that mirror again.
//!
//! A run may pass over pieces already done (found in a seed, or left by an earlier
//! run): its connection skips them, asking for the missing pieces on either side in one
//! multi-range request where the mirror takes those. A file with many scattered holes
//! (a zsync update) is then a few long runs rather than one per hole. Runs are sized
//! and split by the pieces they still miss, not by their span.
//!
//! A connection that broke off inside a piece leaves its bytes on disk as a *partial*:
//! whoever fetches the piece next asks only for the rest, and verifies the whole.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

pub type RunId = u64;

/// A holder whose speed is not known yet is not copied before it has had this long: a
/// copy costs a request (and often a connection), which a fresh holder, likely done in
/// a moment, does not repay. Many small files would otherwise all be fetched twice.
const ENDGAME_PATIENCE: Duration = Duration::from_secs(1);

/// A stretch of pieces `[next, end)` that one connection is fetching in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: RunId,
    pub mirror: usize,
    pub next: usize,
    pub end: usize,
    /// Pieces `[next, requested)` are already asked of the server: not stolen.
    pub requested: usize,
    /// Bytes received so far of piece `next`.
    pub piece_bytes: u64,
    /// An end-game copy of a piece another run also holds.
    pub duplicate: bool,
    /// Bytes per second the holder has been delivering, to pick whom to relieve first.
    pub speed: f64,
    /// The holder is writing what it has of piece `next` to disk: not to be copied.
    pub saving: bool,
    /// When the run was handed out.
    pub since: Instant,
    /// When its holder last showed progress (a request sent, bytes received, a piece
    /// done): a holder silent for longer than its speed predicts is behind it.
    pub heard: Instant,
}

/// The first bytes of a piece, on disk but not verified yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partial {
    pub bytes: u64,
    /// The mirror they came from; `None` when from several, or from before a restart.
    pub source: Option<usize>,
}

impl Run {
    /// Seconds until the piece in progress is in: at the holder's speed, but never less
    /// than it has been silent. A server that sends in bursts (a per-second budget, as
    /// lighttpd's `server.kbytes-per-second`) delivers its pieces fast and then nothing
    /// until its next second: its speed alone would say it is about to deliver.
    fn time_to_piece(&self, piece_length: u64, now: Instant) -> f64 {
        if self.speed <= 0.0 {
            return f64::INFINITY;
        }
        let silent = now.saturating_duration_since(self.heard).as_secs_f64();
        (piece_length.saturating_sub(self.piece_bytes) as f64 / self.speed).max(silent)
    }
}

#[derive(Debug)]
pub struct Plan {
    pub size: u64,
    pub piece_length: u64,
    done: Vec<bool>,
    done_count: usize,
    /// Pieces from the start that are all done.
    prefix: usize,
    runs: Vec<Run>,
    next_id: RunId,
    partials: BTreeMap<usize, Partial>,
    /// Pieces whose continued copy failed its hash: they are fetched whole from now on.
    whole_only: HashSet<usize>,
}

impl Plan {
    pub fn new(size: u64, piece_length: u64) -> Self {
        assert!(piece_length > 0);
        let count = size.div_ceil(piece_length) as usize;
        Plan {
            size,
            piece_length,
            done: vec![false; count],
            done_count: 0,
            prefix: 0,
            runs: Vec::new(),
            next_id: 1,
            partials: BTreeMap::new(),
            whole_only: HashSet::new(),
        }
    }

    /// What is on disk of a piece not done yet.
    pub fn partial(&self, piece: usize) -> Option<Partial> {
        self.partials.get(&piece).copied()
    }

    /// Every partial piece and its bytes, for the state file.
    pub fn partials(&self) -> BTreeMap<usize, u64> {
        self.partials
            .iter()
            .map(|(&p, part)| (p, part.bytes))
            .collect()
    }

    /// Records the first `bytes` of `piece` as on disk (from `source`, if one mirror).
    pub fn set_partial(&mut self, piece: usize, bytes: u64, source: Option<usize>) {
        if !self.done[piece] && bytes > 0 && !self.whole_only.contains(&piece) {
            self.partials.insert(piece, Partial { bytes, source });
        }
    }

    /// Forgets what was on disk of `piece` (its copy failed, and was fetched again).
    pub fn clear_partial(&mut self, piece: usize) {
        self.partials.remove(&piece);
    }

    /// A continued copy of `piece` failed its hash: what was on disk is forgotten, and
    /// the piece is only taken whole from now on (so a bad copy has one author to blame).
    pub fn forget_partial(&mut self, piece: usize) {
        self.partials.remove(&piece);
        self.whole_only.insert(piece);
    }

    /// Whether the holder of run `id` may leave what it has of `piece` on disk: nobody
    /// else holds the piece (an end-game copy could be writing it). If so, the piece is
    /// not copied until the run ends.
    pub fn may_keep_partial(&mut self, id: RunId, piece: usize) -> bool {
        let others = self
            .runs
            .iter()
            .any(|r| r.id != id && r.next <= piece && piece < r.end);
        if self.done[piece] || others || self.whole_only.contains(&piece) {
            return false;
        }
        match self.runs.iter_mut().find(|r| r.id == id && r.next == piece) {
            Some(run) => {
                run.saving = true;
                true
            }
            None => false,
        }
    }

    pub fn piece_count(&self) -> usize {
        self.done.len()
    }

    /// Byte range `[start, end)` of a piece.
    pub fn piece_range(&self, piece: usize) -> (u64, u64) {
        let start = piece as u64 * self.piece_length;
        (start, (start + self.piece_length).min(self.size))
    }

    pub fn is_done(&self, piece: usize) -> bool {
        self.done[piece]
    }

    pub fn done(&self) -> &[bool] {
        &self.done
    }

    pub fn done_count(&self) -> usize {
        self.done_count
    }

    pub fn is_complete(&self) -> bool {
        self.done_count == self.done.len()
    }

    pub fn done_bytes(&self) -> u64 {
        (0..self.done.len())
            .filter(|&p| self.done[p])
            .map(|p| {
                let (start, end) = self.piece_range(p);
                end - start
            })
            .sum()
    }

    /// Length of the verified prefix in bytes: everything before it is done.
    pub fn done_prefix_bytes(&self) -> u64 {
        (self.prefix as u64 * self.piece_length).min(self.size)
    }

    /// Records `piece` as done, and moves the prefix on past it.
    fn set_done(&mut self, piece: usize) {
        self.done[piece] = true;
        self.done_count += 1;
        while self.done.get(self.prefix) == Some(&true) {
            self.prefix += 1;
        }
    }

    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    pub fn run(&self, id: RunId) -> Option<&Run> {
        self.runs.iter().find(|r| r.id == id)
    }

    /// Whether a piece is being fetched by some run.
    pub fn in_flight(&self, piece: usize) -> bool {
        self.runs.iter().any(|r| r.next <= piece && piece < r.end)
    }

    /// Gives `mirror` something to fetch, or `None` when there is nothing it may take.
    /// Work for a connection to `mirror`, whose connections deliver about `speed`
    /// bytes per second (0 when not known yet). Without `new_work`, only an end-game
    /// copy: for a slow mirror near the end, whose new pieces would arrive last.
    pub fn claim(
        &mut self,
        mirror: usize,
        banned: &HashSet<usize>,
        speed: f64,
        new_work: bool,
    ) -> Option<Run> {
        let new = if new_work {
            self.claim_free(mirror, banned, speed)
                .or_else(|| self.steal(mirror, banned, speed))
        } else {
            None
        };
        new.or_else(|| self.end_game(mirror, banned, speed))
    }

    /// The stretch with the most missing pieces that nobody holds and the mirror may
    /// fetch, passing over pieces already done; it starts and ends with a missing one.
    fn claim_free(&mut self, mirror: usize, banned: &HashSet<usize>, speed: f64) -> Option<Run> {
        let free =
            |plan: &Self, p: usize| !plan.done[p] && !plan.in_flight(p) && !banned.contains(&p);
        // (start, end, missing pieces)
        let mut best: Option<(usize, usize, usize)> = None;
        let mut piece = 0;
        while piece < self.done.len() {
            if !free(self, piece) {
                piece += 1;
                continue;
            }
            let start = piece;
            let mut end = piece;
            let mut missing = 0;
            while piece < self.done.len() && (self.done[piece] || free(self, piece)) {
                if !self.done[piece] {
                    missing += 1;
                    end = piece + 1;
                }
                piece += 1;
            }
            if best.is_none_or(|(_, _, m)| missing > m) {
                best = Some((start, end, missing));
            }
        }
        let (start, end, _) = best?;
        Some(self.add_run(mirror, start, end, false, speed))
    }

    /// Missing pieces of `range`.
    fn missing_in(&self, range: std::ops::Range<usize>) -> usize {
        self.done[range].iter().filter(|d| !**d).count()
    }

    /// Where a thief would split `run`: after half of its missing pieces, and never
    /// before what its holder already asked for; `None` when nothing would be left to
    /// take. A holder with a request in flight keeps that, and the thief may take the
    /// rest even when it is one piece: a holder whose server sends in bursts (its
    /// request waiting for the next second's budget) would otherwise sit on it.
    fn split_point(&self, run: &Run) -> Option<usize> {
        let from = run.next.max(run.requested).min(run.end);
        let missing = self.missing_in(run.next..run.end);
        let keep = if from > run.next {
            // Busy: at least one piece is left to a thief, if there is one.
            missing.div_ceil(2).min(missing.saturating_sub(1))
        } else {
            missing.div_ceil(2)
        };
        let mut seen = 0;
        let mut mid = run.end;
        for piece in run.next..run.end {
            if !self.done[piece] {
                if seen == keep {
                    mid = piece;
                    break;
                }
                seen += 1;
            }
        }
        let split = mid.max(from);
        (split < run.end && self.missing_in(split..run.end) > 0).then_some(split)
    }

    /// Takes the back half of the run with the most missing pieces not yet asked for;
    /// a thief slower than some holder takes the back half of the run that ends last in
    /// the file instead. Its pieces come in last, and the whole-file hash (which walks
    /// the file in order) waits for the pieces it holds: at the back, that wait is short.
    fn steal(&mut self, mirror: usize, banned: &HashSet<usize>, speed: f64) -> Option<Run> {
        let slower = speed > 0.0 && self.runs.iter().any(|r| !r.duplicate && r.speed > speed);
        let candidates = self.runs.iter().filter(|r| !r.duplicate).filter_map(|r| {
            let split = self.split_point(r)?;
            let first = (split..r.end).find(|&p| !self.done[p])?;
            (!banned.contains(&first)).then(|| (r, split, self.missing_in(split..r.end)))
        });
        let victim = if slower {
            candidates.max_by_key(|(r, _, _)| r.end)
        } else {
            candidates.max_by(|(a, _, a_left), (b, _, b_left)| {
                a_left.cmp(b_left).then(b.speed.total_cmp(&a.speed))
            })
        }
        .map(|(r, split, _)| (r.id, split))?;
        let (id, mid) = victim;
        let run = self.runs.iter_mut().find(|r| r.id == id)?;
        let end = run.end;
        run.end = mid;
        let stop = (mid..end).find(|p| banned.contains(p)).unwrap_or(end);
        Some(self.add_run(mirror, mid, stop, false, speed))
    }

    /// Copies the piece, among those already asked of a server and still missing, that
    /// its holder would deliver last, when a connection at `speed` would likely have it
    /// sooner (or its speed is unknown).
    fn end_game(&mut self, mirror: usize, banned: &HashSet<usize>, speed: f64) -> Option<Run> {
        let piece_length = self.piece_length as f64;
        let copied = |piece: usize| {
            self.runs
                .iter()
                .any(|o| o.duplicate && o.next == piece && o.end > o.next)
        };
        let now = Instant::now();
        let mut best: Option<(usize, f64)> = None;
        for run in self.runs.iter() {
            if run.mirror == mirror || run.duplicate || run.saving {
                continue;
            }
            if run.speed <= 0.0 && run.since.elapsed() < ENDGAME_PATIENCE {
                continue;
            }
            for piece in run.next..run.requested.min(run.end) {
                if self.done[piece] || banned.contains(&piece) || copied(piece) {
                    continue;
                }
                let ahead = (piece - run.next) as f64 * piece_length;
                let holder_time = if run.speed > 0.0 {
                    run.time_to_piece(self.piece_length, now) + ahead / run.speed
                } else {
                    f64::INFINITY
                };
                if best.is_none_or(|(_, t)| holder_time > t) {
                    best = Some((piece, holder_time));
                }
            }
        }
        let (target, holder_time) = best?;
        let copy_time = if speed > 0.0 {
            piece_length / speed
        } else {
            0.0
        };
        if copy_time >= 0.8 * holder_time {
            return None;
        }
        Some(self.add_run(mirror, target, target + 1, true, speed))
    }

    fn add_run(
        &mut self,
        mirror: usize,
        next: usize,
        end: usize,
        duplicate: bool,
        speed: f64,
    ) -> Run {
        let run = Run {
            id: self.next_id,
            mirror,
            next,
            end,
            requested: next,
            piece_bytes: 0,
            duplicate,
            speed,
            saving: false,
            since: Instant::now(),
            heard: Instant::now(),
        };
        self.next_id += 1;
        self.runs.push(run.clone());
        run
    }

    /// The piece a run should fetch next, or `None` when its run is over (finished,
    /// shortened by a thief, or its piece was delivered by an end-game copy).
    /// Pieces done since the run began (found elsewhere, or by an end-game copy) are
    /// passed over.
    pub fn next_piece(&self, id: RunId) -> Option<usize> {
        let run = self.run(id)?;
        (run.next..run.end).find(|&p| !self.done[p])
    }

    /// Records a verified piece; returns false when it was already done (an end-game
    /// copy lost the race), in which case its data must not be written.
    pub fn complete(&mut self, id: RunId, piece: usize) -> bool {
        let done = &self.done;
        if let Some(run) = self.runs.iter_mut().find(|r| r.id == id)
            && run.next == piece
        {
            // On to the next missing piece: those done in between are passed over.
            run.next = (piece + 1..run.end).find(|&p| !done[p]).unwrap_or(run.end);
            run.piece_bytes = 0;
            run.heard = Instant::now();
        }
        if self.done[piece] {
            return false;
        }
        self.set_done(piece);
        self.partials.remove(&piece);
        true
    }

    /// Marks a piece done without a run (resume from a state file or a disk check).
    pub fn mark_done(&mut self, piece: usize) {
        if !self.done[piece] {
            self.set_done(piece);
        }
        self.partials.remove(&piece);
    }

    /// The holder asked its server for pieces up to `end`.
    pub fn set_requested(&mut self, id: RunId, end: usize) {
        if let Some(run) = self.runs.iter_mut().find(|r| r.id == id) {
            run.requested = end;
            run.heard = Instant::now();
        }
    }

    /// The holder has `bytes` of its current piece.
    pub fn set_piece_bytes(&mut self, id: RunId, bytes: u64) {
        if let Some(run) = self.runs.iter_mut().find(|r| r.id == id) {
            run.piece_bytes = bytes;
            run.heard = Instant::now();
        }
    }

    pub fn set_speed(&mut self, id: RunId, speed: f64) {
        if let Some(run) = self.runs.iter_mut().find(|r| r.id == id) {
            run.speed = speed;
        }
    }

    /// Ends a run; its unfetched pieces go back to the pool.
    pub fn release(&mut self, id: RunId) {
        self.runs.retain(|r| r.id != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> HashSet<usize> {
        HashSet::new()
    }

    #[test]
    fn first_claim_takes_everything_then_others_steal_halves() {
        let mut plan = Plan::new(10 * 100, 100);
        let a = plan.claim(0, &none(), 0.0, true).unwrap();
        assert_eq!((a.next, a.end), (0, 10));
        let b = plan.claim(1, &none(), 0.0, true).unwrap();
        assert_eq!((b.next, b.end), (5, 10));
        assert_eq!(plan.run(a.id).unwrap().end, 5);
        let c = plan.claim(2, &none(), 0.0, true).unwrap();
        // Both runs hold 5; the back half of one of them is taken.
        assert_eq!(c.end - c.next, 2);
    }

    #[test]
    fn runs_walk_pieces_and_stop_when_shortened() {
        let mut plan = Plan::new(4 * 100, 100);
        let a = plan.claim(0, &none(), 0.0, true).unwrap();
        assert_eq!(plan.next_piece(a.id), Some(0));
        assert!(plan.complete(a.id, 0));
        assert_eq!(plan.next_piece(a.id), Some(1));
        let b = plan.claim(1, &none(), 0.0, true).unwrap();
        assert_eq!((b.next, b.end), (3, 4));
        assert!(plan.complete(a.id, 1));
        assert!(plan.complete(a.id, 2));
        assert_eq!(
            plan.next_piece(a.id),
            None,
            "piece 3 belongs to the thief now"
        );
        assert!(plan.complete(b.id, 3));
        assert!(plan.is_complete());
        assert_eq!(plan.done_prefix_bytes(), 400);
    }

    #[test]
    fn end_game_duplicates_the_slowest_and_first_delivery_wins() {
        let mut plan = Plan::new(2 * 100, 100);
        let slow = plan.claim(0, &none(), 0.0, true).unwrap();
        let fast = plan.claim(1, &none(), 0.0, true).unwrap();
        plan.set_speed(slow.id, 10.0);
        plan.set_speed(fast.id, 1000.0);
        plan.set_requested(slow.id, 1);
        assert!(plan.complete(fast.id, 1));
        plan.release(fast.id);
        let copy = plan.claim(1, &none(), 0.0, true).unwrap();
        assert!(copy.duplicate);
        assert_eq!(copy.next, 0);
        assert!(plan.complete(copy.id, 0));
        assert!(!plan.complete(slow.id, 0), "the slow copy lost");
        assert_eq!(plan.next_piece(slow.id), None);
        assert!(plan.is_complete());
    }

    #[test]
    fn pieces_already_requested_are_not_stolen() {
        let mut plan = Plan::new(10 * 100, 100);
        let a = plan.claim(0, &none(), 0.0, true).unwrap();
        plan.set_requested(a.id, 8);
        let b = plan.claim(1, &none(), 0.0, true).unwrap();
        assert!(!b.duplicate);
        assert_eq!((b.next, b.end), (8, 10), "only what is not asked for yet");
        plan.set_requested(b.id, 10);
        // Nothing left to steal: at most an end-game copy, once a holder is known slow
        // (a fresh one is given its chance first).
        assert_eq!(plan.claim(2, &none(), 0.0, true), None);
        plan.set_speed(a.id, 10.0);
        let c = plan.claim(2, &none(), 0.0, true).unwrap();
        assert!(c.duplicate);
    }

    #[test]
    fn end_game_skips_pieces_already_in_and_copies_only_when_faster() {
        let mut plan = Plan::new(3 * 100, 100);
        let slow = plan.claim(0, &none(), 10.0, true).unwrap();
        plan.set_requested(slow.id, 3);
        plan.set_speed(slow.id, 10.0);
        let copy = plan.claim(1, &none(), 1000.0, true).unwrap();
        assert!(copy.duplicate);
        assert_eq!(copy.next, 2, "the piece the slow holder would deliver last");
        assert!(plan.complete(copy.id, 2));
        plan.release(copy.id);
        let next = plan.claim(1, &none(), 1000.0, true).unwrap();
        assert_eq!(next.next, 1, "a piece already in is never copied");
        // A connection no faster than the holder copies nothing.
        assert!(plan.claim(2, &none(), 10.0, true).is_none());
    }

    #[test]
    fn banned_pieces_are_never_given_to_their_mirror() {
        let mut plan = Plan::new(3 * 100, 100);
        let banned: HashSet<usize> = [1].into();
        let a = plan.claim(0, &banned, 0.0, true).unwrap();
        assert_eq!((a.next, a.end), (0, 1));
        let b = plan.claim(0, &banned, 0.0, true).unwrap();
        assert_eq!((b.next, b.end), (2, 3));
        assert_eq!(
            plan.claim(0, &banned, 0.0, true),
            None,
            "only piece 1 is left, and it is banned"
        );
        let c = plan.claim(1, &none(), 0.0, true).unwrap();
        assert_eq!((c.next, c.end), (1, 2));
    }

    #[test]
    fn partials_are_kept_only_where_nobody_else_writes() {
        let mut plan = Plan::new(3 * 100, 100);
        let slow = plan.claim(0, &none(), 10.0, true).unwrap();
        plan.set_requested(slow.id, 3);
        plan.set_speed(slow.id, 10.0);
        let copy = plan.claim(1, &none(), 1000.0, true).unwrap();
        assert!(copy.duplicate && copy.next == 2);
        plan.release(copy.id);
        assert!(plan.complete(slow.id, 0));
        assert!(plan.may_keep_partial(slow.id, 1));
        assert!(
            plan.claim(1, &none(), 1000.0, true)
                .is_none_or(|r| r.next != 1),
            "a piece being saved is not copied"
        );
        plan.set_partial(1, 40, Some(0));
        plan.release(slow.id);
        assert_eq!(
            plan.partial(1),
            Some(Partial {
                bytes: 40,
                source: Some(0)
            })
        );
        plan.forget_partial(1);
        plan.set_partial(1, 50, Some(1));
        assert_eq!(
            plan.partial(1),
            None,
            "a piece whose continuation failed goes whole"
        );
        assert_eq!(plan.partials().len(), 0);
    }

    #[test]
    fn runs_pass_over_pieces_already_done() {
        let mut plan = Plan::new(10 * 100, 100);
        for piece in [0, 2, 3, 6, 9] {
            plan.mark_done(piece);
        }
        let a = plan.claim(0, &none(), 0.0, true).unwrap();
        assert_eq!(
            (a.next, a.end),
            (1, 9),
            "one run over the holes 1, 4, 5, 7, 8"
        );
        let b = plan.claim(1, &none(), 0.0, true).unwrap();
        assert_eq!(
            (b.next, b.end),
            (7, 9),
            "the thief takes the last two of five"
        );
        assert!(plan.complete(a.id, 1));
        assert_eq!(plan.next_piece(a.id), Some(4));
        assert!(plan.complete(a.id, 4));
        assert!(plan.complete(a.id, 5));
        assert_eq!(plan.next_piece(a.id), None);
        assert!(plan.complete(b.id, 7));
        plan.mark_done(8);
        assert_eq!(plan.next_piece(b.id), None, "piece 8 came from elsewhere");
    }

    #[test]
    fn a_holder_silent_longer_than_its_speed_predicts_is_copied() {
        let mut plan = Plan::new(2 * 100, 100);
        let bursty = plan.claim(0, &none(), 0.0, true).unwrap();
        let fast = plan.claim(1, &none(), 0.0, true).unwrap();
        assert!(plan.complete(fast.id, 1));
        plan.release(fast.id);
        // Its last piece came in a burst (fast), then it asked for piece 0 and went quiet,
        // as a server does whose budget for this second is spent.
        plan.set_speed(bursty.id, 1000.0);
        plan.set_requested(bursty.id, 1);
        assert_eq!(
            plan.claim(1, &none(), 500.0, true),
            None,
            "just asked: its speed says it delivers first"
        );
        plan.runs[0].heard -= Duration::from_millis(300);
        let copy = plan.claim(1, &none(), 500.0, true).unwrap();
        assert!(copy.duplicate && copy.next == 0, "silent for 0.3 s: copied");
    }

    #[test]
    fn a_thief_slower_than_a_holder_takes_the_back_of_the_file() {
        let mut plan = Plan::new(30 * 100, 100);
        let front = plan.claim(0, &none(), 0.0, true).unwrap();
        plan.set_speed(front.id, 1000.0);
        let middle = plan.claim(1, &none(), 0.0, true).unwrap();
        assert_eq!((middle.next, middle.end), (15, 30));
        plan.set_speed(middle.id, 1000.0);
        let back = plan.claim(2, &none(), 0.0, true).unwrap();
        assert_eq!((back.next, back.end), (23, 30));
        plan.set_speed(back.id, 100.0);
        // front holds 0..15 (the most missing), but a slow thief takes from the back.
        let slow = plan.claim(2, &none(), 100.0, true).unwrap();
        assert_eq!((slow.next, slow.end), (27, 30));
        // A fast thief takes the back half of the largest run.
        let fast = plan.claim(0, &none(), 1000.0, true).unwrap();
        assert_eq!((fast.next, fast.end), (8, 15));
    }

    #[test]
    fn the_last_piece_not_asked_for_goes_to_a_thief_while_its_holder_waits() {
        let mut plan = Plan::new(3 * 100, 100);
        let holder = plan.claim(0, &none(), 0.0, true).unwrap();
        plan.set_requested(holder.id, 2);
        // End-game copies delivered pieces 0 and 1, which the holder still waits for
        // (its server sends its next burst in a second): piece 2, not asked of its
        // server yet, is free to take.
        plan.mark_done(0);
        plan.mark_done(1);
        let thief = plan.claim(1, &none(), 0.0, true).unwrap();
        assert!(!thief.duplicate);
        assert_eq!((thief.next, thief.end), (2, 3));
        assert_eq!(plan.next_piece(holder.id), None, "the holder's run is over");
    }

    #[test]
    fn the_verified_prefix_follows_pieces_in_any_order() {
        let mut plan = Plan::new(4 * 100 - 50, 100);
        plan.mark_done(1);
        plan.mark_done(3);
        assert_eq!(plan.done_prefix_bytes(), 0);
        plan.mark_done(0);
        assert_eq!(plan.done_prefix_bytes(), 200);
        plan.mark_done(2);
        assert_eq!(plan.done_prefix_bytes(), 350, "the short last piece");
    }

    #[test]
    fn released_runs_return_their_pieces() {
        let mut plan = Plan::new(3 * 100, 100);
        let a = plan.claim(0, &none(), 0.0, true).unwrap();
        assert!(plan.complete(a.id, 0));
        plan.release(a.id);
        let b = plan.claim(1, &none(), 0.0, true).unwrap();
        assert_eq!((b.next, b.end), (1, 3));
        assert_eq!(plan.piece_range(2), (200, 300));
    }
}
