//! Finding a target's blocks in other data: an [`Index`] of the blocks still wanted,
//! keyed by their weak checksums, and a [`Scanner`] that slides a window over the data a
//! byte at a time (a few operations per byte, and a bit table that turns away almost
//! every position before the hash table is touched). A weak hit is confirmed with the
//! strong hash; once a block is found, the next block of the target is tried right
//! after it before anything else, so an unchanged stretch costs one check per block.
//!
//! No I/O: the caller feeds the data in chunks and writes what was found.

use super::{BlockSums, Rsum};

const EMPTY: u32 = u32::MAX;

/// A block found: target block `block` is `data[at..]` of the chunk scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub block: usize,
    pub at: usize,
}

/// The target's blocks that are still wanted, hashed for lookups by weak checksum.
pub struct Index<'s> {
    sums: &'s BlockSums,
    wanted: Vec<bool>,
    wanted_count: usize,
    /// Blocks per lookup key: 1, or 2 when pairs must match.
    seq: usize,
    /// Chain heads per hash slot, and the next entry of each block's chain.
    heads: Vec<u32>,
    next: Vec<u32>,
    table_bits: u32,
    /// One bit per filter slot: whether any entry's key lands there.
    filter: Vec<u64>,
    filter_bits: u32,
}

impl<'s> Index<'s> {
    /// An index of the blocks for which `wanted` is true (all when `None`).
    pub fn new(sums: &'s BlockSums, wanted: Option<&[bool]>) -> Index<'s> {
        let count = sums.count();
        let wanted: Vec<bool> = match wanted {
            Some(w) => (0..count)
                .map(|i| w.get(i).copied().unwrap_or(true))
                .collect(),
            None => vec![true; count],
        };
        // Pairs need a second block; a one-block file can only match alone.
        let seq = if count < 2 { 1 } else { sums.seq_matches() };
        let table_bits = (count.max(1).next_power_of_two().trailing_zeros() + 1).clamp(4, 30);
        let filter_bits = (table_bits + 3).min(32);
        let mut index = Index {
            sums,
            wanted_count: wanted.iter().filter(|w| **w).count(),
            wanted,
            seq,
            heads: vec![EMPTY; 1 << table_bits],
            next: vec![EMPTY; count],
            table_bits,
            filter: vec![0; ((1u64 << filter_bits) / 64).max(1) as usize],
            filter_bits,
        };
        // Inserted back to front so each chain lists blocks in file order.
        for id in (0..(count + 1).saturating_sub(seq)).rev() {
            if !index.entry_useful(id) {
                continue;
            }
            let key = index.stored_key(id);
            let slot = index.slot(key);
            index.next[id] = index.heads[slot];
            index.heads[slot] = id as u32;
            let bit = index.filter_bit(key);
            index.filter[bit / 64] |= 1 << (bit % 64);
        }
        index
    }

    /// Blocks still wanted.
    pub fn wanted(&self) -> usize {
        self.wanted_count
    }

    pub fn is_wanted(&self, block: usize) -> bool {
        self.wanted[block]
    }

    /// Bytes of data the scanner needs after a position to look it up.
    pub fn context(&self) -> usize {
        self.seq * self.sums.block_size() as usize
    }

    fn entry_useful(&self, id: usize) -> bool {
        self.wanted[id] || (self.seq == 2 && self.wanted[id + 1])
    }

    fn stored_key(&self, id: usize) -> u32 {
        let second = if self.seq == 2 {
            self.sums.rsum(id + 1)
        } else {
            Rsum::default()
        };
        self.key(self.sums.rsum(id), second)
    }

    /// The lookup key of a window's checksums, from the bits the file kept.
    #[inline(always)]
    fn key(&self, r0: Rsum, r1: Rsum) -> u32 {
        let (a_mask, b_mask) = self.sums.masks();
        if self.seq == 2 {
            u32::from(r0.b & b_mask) | u32::from(r1.b & b_mask) << 16
        } else {
            u32::from(r0.b & b_mask) | u32::from(r0.a & a_mask) << 16
        }
    }

    #[inline(always)]
    fn slot(&self, key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> (32 - self.table_bits)) as usize
    }

    #[inline(always)]
    fn filter_bit(&self, key: u32) -> usize {
        let mixed = (key ^ (key >> 15)).wrapping_mul(0x85EB_CA6B);
        (u64::from(mixed) >> (32 - self.filter_bits)) as usize
    }

    #[inline(always)]
    fn may_hold(&self, key: u32) -> bool {
        let bit = self.filter_bit(key);
        self.filter[bit / 64] & (1 << (bit % 64)) != 0
    }

    fn take(&mut self, block: usize) -> bool {
        let was = std::mem::replace(&mut self.wanted[block], false);
        if was {
            self.wanted_count -= 1;
        }
        was
    }

    /// Marks a block found elsewhere (fetched, or found in another seed).
    pub fn found_elsewhere(&mut self, block: usize) {
        self.take(block);
    }
}

/// Scans chunks of one stream of data against an index.
pub struct Scanner<'i, 's> {
    index: &'i mut Index<'s>,
    /// The block expected right after the last one found, when there was one.
    expect: Option<usize>,
}

impl<'i, 's> Scanner<'i, 's> {
    pub fn new(index: &'i mut Index<'s>) -> Self {
        Scanner {
            index,
            expect: None,
        }
    }

    pub fn index(&self) -> &Index<'s> {
        self.index
    }

    /// Scans the windows of `data` that start at `start` or later and fit in it, and
    /// appends the wanted blocks found to `found` (each is then no longer wanted).
    /// Returns the first position not scanned: the caller keeps `data[that..]`, appends
    /// the stream's next bytes and scans again from 0. At the stream's end the caller
    /// appends [`Index::context`] zero bytes, as zsync pads a file's last block.
    pub fn scan(&mut self, data: &[u8], start: usize, found: &mut Vec<Found>) -> usize {
        let sums = self.index.sums;
        let size = sums.block_size() as usize;
        let shift = sums.shift();
        let seq = self.index.seq;
        let context = seq * size;
        let mut x = start;
        // Whether r0 (and r1) hold the sums of the window(s) at x.
        let mut fresh = false;
        let mut r0 = Rsum::default();
        let mut r1 = Rsum::default();
        loop {
            if let Some(id) = self.expect {
                if x + size > data.len() {
                    // The expected block continues in the next chunk.
                    return x;
                }
                self.expect = None;
                let block = &data[x..x + size];
                let r = if fresh { r0 } else { Rsum::of(block, size) };
                if sums.weak_matches(id, r) && sums.strong_matches(id, &sums.strong_of(block)) {
                    if self.index.take(id) {
                        found.push(Found { block: id, at: x });
                    }
                    x += size;
                    self.expect = (id + 1 < sums.count()).then_some(id + 1);
                    fresh = false;
                    continue;
                }
            }
            if x + context > data.len() {
                return x;
            }
            if !fresh {
                r0 = Rsum::of(&data[x..x + size], size);
                if seq == 2 {
                    r1 = Rsum::of(&data[x + size..x + 2 * size], size);
                }
                fresh = true;
            }
            // The hot loop: roll until the filter lets a position through.
            loop {
                let key = self.index.key(r0, r1);
                if self.index.may_hold(key) {
                    break;
                }
                if x + context >= data.len() {
                    return x + 1;
                }
                r0.roll(data[x], data[x + size], shift);
                if seq == 2 {
                    r1.roll(data[x + size], data[x + 2 * size], shift);
                }
                x += 1;
            }
            if let Some(first) = self.check_chain(data, x, r0, r1, found) {
                x += seq * size;
                self.expect = (first + seq < sums.count()).then_some(first + seq);
                fresh = false;
                continue;
            }
            if x + context >= data.len() {
                return x + 1;
            }
            r0.roll(data[x], data[x + size], shift);
            if seq == 2 {
                r1.roll(data[x + size], data[x + 2 * size], shift);
            }
            x += 1;
        }
    }

    /// Confirms the blocks whose key matches the window at `x`: weak checksums, then
    /// strong hashes (computed once per window). Every matching block is taken (a
    /// target may hold the same block many times); entries with nothing left to find are
    /// unlinked on the way. Returns the first block that matched.
    fn check_chain(
        &mut self,
        data: &[u8],
        x: usize,
        r0: Rsum,
        r1: Rsum,
        found: &mut Vec<Found>,
    ) -> Option<usize> {
        let index = &mut *self.index;
        let sums = index.sums;
        let size = sums.block_size() as usize;
        let seq = index.seq;
        let slot = index.slot(index.key(r0, r1));
        let mut strong: [Option<[u8; 32]>; 2] = [None, None];
        let mut first = None;
        let mut prev = EMPTY;
        let mut entry = index.heads[slot];
        while entry != EMPTY {
            let id = entry as usize;
            let following = index.next[id];
            if !index.entry_useful(id) {
                // Unlink: nothing is left to find through this entry.
                if prev == EMPTY {
                    index.heads[slot] = following;
                } else {
                    index.next[prev as usize] = following;
                }
                entry = following;
                continue;
            }
            let weak = sums.weak_matches(id, r0) && (seq == 1 || sums.weak_matches(id + 1, r1));
            let confirmed = weak
                && (0..seq).all(|k| {
                    let digest = strong[k]
                        .get_or_insert_with(|| sums.strong_of(&data[x + k * size..][..size]));
                    sums.strong_matches(id + k, digest)
                });
            if confirmed {
                for k in 0..seq {
                    if index.take(id + k) {
                        found.push(Found {
                            block: id + k,
                            at: x + k * size,
                        });
                    }
                }
                first.get_or_insert(id);
            }
            prev = entry;
            entry = following;
        }
        first
    }
}

#[cfg(test)]
mod tests {
    use super::super::StrongAlgorithm;
    use super::*;

    fn bytes(len: usize, seed: u64) -> Vec<u8> {
        crate::loopback::payload(len, seed)
    }

    /// Scans `seed` in chunks of `chunk` bytes as a caller would, and rebuilds as much
    /// of the target as it finds.
    fn rebuild(sums: &BlockSums, seed: &[u8], chunk: usize) -> (Vec<u8>, Vec<bool>) {
        let mut index = Index::new(sums, None);
        let context = index.context();
        let mut out = vec![0u8; sums.length() as usize];
        let mut have = vec![false; sums.count()];
        let mut scanner = Scanner::new(&mut index);
        let mut buffer: Vec<u8> = Vec::new();
        let mut fed = 0;
        let mut found = Vec::new();
        loop {
            let take = chunk.min(seed.len() - fed);
            buffer.extend_from_slice(&seed[fed..fed + take]);
            fed += take;
            let end = fed == seed.len();
            if end {
                buffer.resize(buffer.len() + context, 0);
            }
            let stop = scanner.scan(&buffer, 0, &mut found);
            for f in found.drain(..) {
                let range = sums.block_range(f.block);
                let len = (range.end - range.start) as usize;
                out[range.start as usize..range.end as usize]
                    .copy_from_slice(&buffer[f.at..f.at + len]);
                assert!(!have[f.block], "block {} reported twice", f.block);
                have[f.block] = true;
            }
            if end {
                return (out, have);
            }
            buffer.drain(..stop);
        }
    }

    fn check_rebuilt(target: &[u8], sums: &BlockSums, out: &[u8], have: &[bool]) {
        for (i, &got) in have.iter().enumerate() {
            if got {
                let r = sums.block_range(i);
                assert_eq!(
                    &out[r.start as usize..r.end as usize],
                    &target[r.start as usize..r.end as usize],
                    "block {i} is wrong"
                );
            }
        }
    }

    #[test]
    fn an_identical_file_is_found_whole_in_any_chunking() {
        let target = bytes(50_000, 1);
        for seq in [1, 2] {
            let sums = BlockSums::compute(&target, 1024, seq, StrongAlgorithm::Md4);
            for chunk in [1, 700, 4096, 100_000] {
                let (out, have) = rebuild(&sums, &target, chunk);
                assert!(have.iter().all(|h| *h), "seq {seq}, chunk {chunk}");
                assert_eq!(out, target);
            }
        }
    }

    #[test]
    fn shifted_and_edited_data_is_found_around_the_edits() {
        let target = bytes(64 * 1024, 2);
        let mut old = b"a few inserted bytes".to_vec();
        old.extend_from_slice(&target[..20_000]);
        old.extend_from_slice(&bytes(3000, 9)); // replaced
        old.extend_from_slice(&target[23_000..40_000]);
        old.extend_from_slice(&target[41_000..]); // 1000 bytes deleted
        for seq in [1, 2] {
            let sums = BlockSums::compute(&target, 1024, seq, StrongAlgorithm::Md4);
            let (out, have) = rebuild(&sums, &old, 5000);
            check_rebuilt(&target, &sums, &out, &have);
            let missing: Vec<usize> = (0..have.len()).filter(|&i| !have[i]).collect();
            // Blocks 19..=22 overlap the replaced stretch, 39..=40 the deletion; with
            // pairs, one more block on either side of a gap may go unfound.
            assert!(missing.len() <= 10, "seq {seq}: missing {missing:?}");
            assert!(have[0] && have[30] && have[63], "seq {seq}: {missing:?}");
        }
    }

    #[test]
    fn the_short_last_block_and_repeated_blocks_are_found() {
        let mut target = vec![0u8; 8192];
        target.extend_from_slice(&bytes(1500, 3));
        let sums = BlockSums::compute(&target, 1024, 2, StrongAlgorithm::Md4);
        let (out, have) = rebuild(&sums, &target, 3000);
        assert!(have.iter().all(|h| *h), "{have:?}");
        assert_eq!(out, target);
    }

    #[test]
    fn unrelated_data_finds_nothing() {
        let target = bytes(40_000, 4);
        let sums = BlockSums::compute(&target, 2048, 2, StrongAlgorithm::Md4);
        let (_, have) = rebuild(&sums, &bytes(100_000, 6), 8192);
        assert!(have.iter().all(|h| !*h));
    }
}
