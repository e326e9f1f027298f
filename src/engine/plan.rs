//! Who fetches what: the pieces of one file, which are done, and the runs of pieces that
//! connections are working through.
//!
//! A connection asks for work and gets a *run*: a stretch of missing pieces nobody else
//! holds. When nothing is free, it takes the back half of the largest unfinished run
//! (stealing); when no run can be split, it duplicates the piece a slow connection is
//! still fetching (end-game), and the first to deliver wins. Pieces a mirror spoiled are
//! never handed to that mirror again.

use std::collections::HashSet;

pub type RunId = u64;

/// A stretch of pieces `[next, end)` that one connection is fetching in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: RunId,
    pub mirror: usize,
    pub next: usize,
    pub end: usize,
    /// An end-game copy of a piece another run also holds.
    pub duplicate: bool,
    /// Bytes per second the holder has been delivering, to pick whom to relieve first.
    pub speed: f64,
}

#[derive(Debug)]
pub struct Plan {
    pub size: u64,
    pub piece_length: u64,
    done: Vec<bool>,
    done_count: usize,
    runs: Vec<Run>,
    next_id: RunId,
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
            runs: Vec::new(),
            next_id: 1,
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
        let pieces = self.done.iter().take_while(|d| **d).count();
        (pieces as u64 * self.piece_length).min(self.size)
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
    pub fn claim(&mut self, mirror: usize, banned: &HashSet<usize>) -> Option<Run> {
        self.claim_free(mirror, banned)
            .or_else(|| self.steal(mirror, banned))
            .or_else(|| self.end_game(mirror, banned))
    }

    /// The longest stretch of missing pieces nobody holds and the mirror may fetch.
    fn claim_free(&mut self, mirror: usize, banned: &HashSet<usize>) -> Option<Run> {
        let mut best: Option<(usize, usize)> = None;
        let mut piece = 0;
        while piece < self.done.len() {
            if self.done[piece] || self.in_flight(piece) || banned.contains(&piece) {
                piece += 1;
                continue;
            }
            let start = piece;
            while piece < self.done.len()
                && !self.done[piece]
                && !self.in_flight(piece)
                && !banned.contains(&piece)
            {
                piece += 1;
            }
            if best.is_none_or(|(s, e)| piece - start > e - s) {
                best = Some((start, piece));
            }
        }
        let (start, end) = best?;
        Some(self.add_run(mirror, start, end, false))
    }

    /// The back half of the largest run (the slowest holder first among equals).
    fn steal(&mut self, mirror: usize, banned: &HashSet<usize>) -> Option<Run> {
        let victim = self
            .runs
            .iter()
            .filter(|r| !r.duplicate && r.end - r.next >= 2)
            .filter(|r| !banned.contains(&(r.next + (r.end - r.next).div_ceil(2))))
            .max_by(|a, b| {
                (a.end - a.next)
                    .cmp(&(b.end - b.next))
                    .then(b.speed.total_cmp(&a.speed))
            })?
            .id;
        let run = self.runs.iter_mut().find(|r| r.id == victim)?;
        let mid = run.next + (run.end - run.next).div_ceil(2);
        let end = run.end;
        run.end = mid;
        // The thief's run stops at the first piece it may not fetch; the rest goes back
        // to the pool.
        let stop = (mid..end).find(|p| banned.contains(p)).unwrap_or(end);
        Some(self.add_run(mirror, mid, stop, false))
    }

    /// A copy of the piece the slowest connection is still fetching.
    fn end_game(&mut self, mirror: usize, banned: &HashSet<usize>) -> Option<Run> {
        let target = self
            .runs
            .iter()
            .filter(|r| r.mirror != mirror && r.next < r.end && !r.duplicate)
            .filter(|r| !banned.contains(&r.next))
            .filter(|r| {
                // One copy per piece is enough.
                !self
                    .runs
                    .iter()
                    .any(|o| o.duplicate && o.next == r.next && o.end > o.next)
            })
            .min_by(|a, b| a.speed.total_cmp(&b.speed))?
            .next;
        Some(self.add_run(mirror, target, target + 1, true))
    }

    fn add_run(&mut self, mirror: usize, next: usize, end: usize, duplicate: bool) -> Run {
        let run = Run {
            id: self.next_id,
            mirror,
            next,
            end,
            duplicate,
            speed: 0.0,
        };
        self.next_id += 1;
        self.runs.push(run.clone());
        run
    }

    /// The piece a run should fetch next, or `None` when its run is over (finished,
    /// shortened by a thief, or its piece was delivered by an end-game copy).
    pub fn next_piece(&self, id: RunId) -> Option<usize> {
        let run = self.run(id)?;
        (run.next < run.end && !self.done[run.next]).then_some(run.next)
    }

    /// Records a verified piece; returns false when it was already done (an end-game
    /// copy lost the race), in which case its data must not be written.
    pub fn complete(&mut self, id: RunId, piece: usize) -> bool {
        if let Some(run) = self.runs.iter_mut().find(|r| r.id == id)
            && run.next == piece
        {
            run.next += 1;
        }
        if self.done[piece] {
            return false;
        }
        self.done[piece] = true;
        self.done_count += 1;
        true
    }

    /// Marks a piece done without a run (resume from a state file or a disk check).
    pub fn mark_done(&mut self, piece: usize) {
        if !self.done[piece] {
            self.done[piece] = true;
            self.done_count += 1;
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
        let a = plan.claim(0, &none()).unwrap();
        assert_eq!((a.next, a.end), (0, 10));
        let b = plan.claim(1, &none()).unwrap();
        assert_eq!((b.next, b.end), (5, 10));
        assert_eq!(plan.run(a.id).unwrap().end, 5);
        let c = plan.claim(2, &none()).unwrap();
        // Both runs hold 5; the back half of one of them is taken.
        assert_eq!(c.end - c.next, 2);
    }

    #[test]
    fn runs_walk_pieces_and_stop_when_shortened() {
        let mut plan = Plan::new(4 * 100, 100);
        let a = plan.claim(0, &none()).unwrap();
        assert_eq!(plan.next_piece(a.id), Some(0));
        assert!(plan.complete(a.id, 0));
        assert_eq!(plan.next_piece(a.id), Some(1));
        let b = plan.claim(1, &none()).unwrap();
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
        let slow = plan.claim(0, &none()).unwrap();
        let fast = plan.claim(1, &none()).unwrap();
        plan.set_speed(slow.id, 10.0);
        plan.set_speed(fast.id, 1000.0);
        assert!(plan.complete(fast.id, 1));
        plan.release(fast.id);
        let copy = plan.claim(1, &none()).unwrap();
        assert!(copy.duplicate);
        assert_eq!(copy.next, 0);
        assert!(plan.complete(copy.id, 0));
        assert!(!plan.complete(slow.id, 0), "the slow copy lost");
        assert_eq!(plan.next_piece(slow.id), None);
        assert!(plan.is_complete());
    }

    #[test]
    fn banned_pieces_are_never_given_to_their_mirror() {
        let mut plan = Plan::new(3 * 100, 100);
        let banned: HashSet<usize> = [1].into();
        let a = plan.claim(0, &banned).unwrap();
        assert_eq!((a.next, a.end), (0, 1));
        let b = plan.claim(0, &banned).unwrap();
        assert_eq!((b.next, b.end), (2, 3));
        assert_eq!(
            plan.claim(0, &banned),
            None,
            "only piece 1 is left, and it is banned"
        );
        let c = plan.claim(1, &none()).unwrap();
        assert_eq!((c.next, c.end), (1, 2));
    }

    #[test]
    fn released_runs_return_their_pieces() {
        let mut plan = Plan::new(3 * 100, 100);
        let a = plan.claim(0, &none()).unwrap();
        assert!(plan.complete(a.id, 0));
        plan.release(a.id);
        let b = plan.claim(1, &none()).unwrap();
        assert_eq!((b.next, b.end), (1, 3));
        assert_eq!(plan.piece_range(2), (200, 300));
    }
}
