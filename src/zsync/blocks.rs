//! The checksums of a target file's blocks, as a control file gives them: per block a
//! rolling checksum (some of its bytes) and the first bytes of a strong hash.

use std::ops::Range;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use md4::Digest as _;

use super::Rsum;

/// The strong hash of each block (`Strong-Hash-Algorithm`; zsync 0.6 knows only MD4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StrongAlgorithm {
    Md4,
    Md5,
    Sha1,
    Sha224,
    Sha256,
}

impl StrongAlgorithm {
    const ALL: [StrongAlgorithm; 5] = [
        StrongAlgorithm::Md4,
        StrongAlgorithm::Md5,
        StrongAlgorithm::Sha1,
        StrongAlgorithm::Sha224,
        StrongAlgorithm::Sha256,
    ];

    /// The name control files use (`MD4`, `SHA-224`).
    pub fn name(self) -> &'static str {
        match self {
            StrongAlgorithm::Md4 => "MD4",
            StrongAlgorithm::Md5 => "MD5",
            StrongAlgorithm::Sha1 => "SHA-1",
            StrongAlgorithm::Sha224 => "SHA-224",
            StrongAlgorithm::Sha256 => "SHA-256",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name))
    }

    pub fn digest_len(self) -> usize {
        match self {
            StrongAlgorithm::Md4 | StrongAlgorithm::Md5 => 16,
            StrongAlgorithm::Sha1 => 20,
            StrongAlgorithm::Sha224 => 28,
            StrongAlgorithm::Sha256 => 32,
        }
    }

    /// The digest of `data` padded with zeros to `block_size` bytes, into `out` (which
    /// must hold [`Self::digest_len`] bytes).
    fn digest_padded(self, data: &[u8], block_size: usize, out: &mut [u8]) {
        fn run<D: md4::Digest>(mut hasher: D, data: &[u8], padding: usize, out: &mut [u8]) {
            hasher.update(data);
            let mut left = padding;
            while left > 0 {
                let n = left.min(ZEROS.len());
                hasher.update(&ZEROS[..n]);
                left -= n;
            }
            out.copy_from_slice(&hasher.finalize());
        }
        let padding = block_size.saturating_sub(data.len());
        match self {
            StrongAlgorithm::Md4 => run(md4::Md4::new(), data, padding, out),
            StrongAlgorithm::Md5 => run(md5::Md5::new(), data, padding, out),
            StrongAlgorithm::Sha1 => run(sha1::Sha1::new(), data, padding, out),
            StrongAlgorithm::Sha224 => run(sha2::Sha224::new(), data, padding, out),
            StrongAlgorithm::Sha256 => run(sha2::Sha256::new(), data, padding, out),
        }
    }
}

static ZEROS: [u8; 4096] = [0; 4096];

/// Every block's checksums, and how to compare data against them.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "Stored", into = "Stored")]
pub struct BlockSums {
    length: u64,
    block_size: u64,
    shift: u32,
    /// How many consecutive blocks must match before data counts as found (1 or 2):
    /// with few checksum bytes per block, one block alone is not evidence enough.
    seq_matches: u8,
    rsum_bytes: u8,
    strong: StrongAlgorithm,
    strong_len: u8,
    /// As stored: only the bytes the file carries, the rest zero.
    rsums: Vec<Rsum>,
    /// `strong_len` bytes per block.
    strongs: Vec<u8>,
}

/// Why block checksums cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlocksError {
    #[error("the block size {0} is not a power of two")]
    BlockSize(u64),
    #[error("{found} blocks of checksums for a file of {expected} blocks")]
    Count { expected: u64, found: usize },
    #[error("hash lengths {0} are out of range")]
    Lengths(String),
}

/// The parameters from a control file's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    pub length: u64,
    pub block_size: u64,
    pub seq_matches: u8,
    pub rsum_bytes: u8,
    pub strong: StrongAlgorithm,
    pub strong_len: u8,
}

impl Layout {
    pub fn check(&self) -> Result<(), BlocksError> {
        if !self.block_size.is_power_of_two() {
            return Err(BlocksError::BlockSize(self.block_size));
        }
        let strong_ok = (1..=self.strong.digest_len()).contains(&usize::from(self.strong_len));
        if !(1..=2).contains(&self.seq_matches) || !(1..=4).contains(&self.rsum_bytes) || !strong_ok
        {
            return Err(BlocksError::Lengths(format!(
                "{},{},{}",
                self.seq_matches, self.rsum_bytes, self.strong_len
            )));
        }
        Ok(())
    }

    pub fn block_count(&self) -> u64 {
        self.length.div_ceil(self.block_size)
    }

    /// Bytes of checksums per block.
    pub fn record_len(&self) -> usize {
        usize::from(self.rsum_bytes) + usize::from(self.strong_len)
    }
}

impl BlockSums {
    /// Reads the checksum section: `block_count` records of the layout's lengths.
    pub(super) fn read(layout: Layout, records: &[u8]) -> Result<BlockSums, BlocksError> {
        layout.check()?;
        let record = layout.record_len();
        let count = records.len() / record;
        if (count as u64) != layout.block_count() {
            return Err(BlocksError::Count {
                expected: layout.block_count(),
                found: count,
            });
        }
        let rsum_bytes = usize::from(layout.rsum_bytes);
        let mut rsums = Vec::with_capacity(count);
        let mut strongs = Vec::with_capacity(count * usize::from(layout.strong_len));
        for chunk in records.chunks_exact(record) {
            // The trailing `rsum_bytes` of a, b as two big-endian 16-bit numbers.
            let mut four = [0u8; 4];
            four[4 - rsum_bytes..].copy_from_slice(&chunk[..rsum_bytes]);
            rsums.push(Rsum {
                a: u16::from_be_bytes([four[0], four[1]]),
                b: u16::from_be_bytes([four[2], four[3]]),
            });
            strongs.extend_from_slice(&chunk[rsum_bytes..]);
        }
        Ok(BlockSums {
            length: layout.length,
            block_size: layout.block_size,
            shift: layout.block_size.trailing_zeros(),
            seq_matches: layout.seq_matches,
            rsum_bytes: layout.rsum_bytes,
            strong: layout.strong,
            strong_len: layout.strong_len,
            rsums,
            strongs,
        })
    }

    /// Computes the checksums of `data` (for tests and tools: what `zsyncmake` writes,
    /// with the full rolling checksum and strong hash).
    pub fn compute(
        data: &[u8],
        block_size: u64,
        seq_matches: u8,
        strong: StrongAlgorithm,
    ) -> BlockSums {
        assert!(block_size.is_power_of_two());
        let size = block_size as usize;
        let mut rsums = Vec::new();
        let mut strongs = Vec::new();
        let mut digest = [0u8; 32];
        for block in data.chunks(size) {
            rsums.push(Rsum::of(block, size));
            strong.digest_padded(block, size, &mut digest[..strong.digest_len()]);
            strongs.extend_from_slice(&digest[..strong.digest_len()]);
        }
        BlockSums {
            length: data.len() as u64,
            block_size,
            shift: block_size.trailing_zeros(),
            seq_matches,
            rsum_bytes: 4,
            strong,
            strong_len: strong.digest_len() as u8,
            rsums,
            strongs,
        }
    }

    /// The target file's length.
    pub fn length(&self) -> u64 {
        self.length
    }

    pub fn block_size(&self) -> u64 {
        self.block_size
    }

    pub fn count(&self) -> usize {
        self.rsums.len()
    }

    pub fn strong_algorithm(&self) -> StrongAlgorithm {
        self.strong
    }

    /// Bytes of strong hash kept per block.
    pub fn strong_len(&self) -> usize {
        usize::from(self.strong_len)
    }

    pub fn seq_matches(&self) -> usize {
        usize::from(self.seq_matches)
    }

    pub(super) fn shift(&self) -> u32 {
        self.shift
    }

    /// Byte range of block `i` in the target file (the last one may be short).
    pub fn block_range(&self, i: usize) -> Range<u64> {
        let start = i as u64 * self.block_size;
        start..(start + self.block_size).min(self.length)
    }

    /// Whether `data`, the bytes of block `i` (as long as [`Self::block_range`] says),
    /// has that block's checksums. With fewer than all bytes of the strong hash kept,
    /// this is a check against damage, not against forgery: the whole-file hash is.
    pub fn matches(&self, i: usize, data: &[u8]) -> bool {
        self.weak_matches(i, Rsum::of(data, self.block_size as usize))
            && self.strong_matches(i, &self.strong_of(data))
    }

    /// The strong hash of a block's data, padded as the control file's maker padded it.
    pub(super) fn strong_of(&self, data: &[u8]) -> [u8; 32] {
        let mut digest = [0u8; 32];
        let len = self.strong.digest_len();
        self.strong
            .digest_padded(data, self.block_size as usize, &mut digest[..len]);
        digest
    }

    pub(super) fn strong_matches(&self, i: usize, digest: &[u8; 32]) -> bool {
        let len = usize::from(self.strong_len);
        self.strongs[i * len..(i + 1) * len] == digest[..len]
    }

    /// Whether a rolling checksum agrees with block `i` in the bytes the file kept.
    #[inline(always)]
    pub(super) fn weak_matches(&self, i: usize, r: Rsum) -> bool {
        let (a_mask, b_mask) = self.masks();
        let stored = self.rsums[i];
        stored.a == r.a & a_mask && stored.b == r.b & b_mask
    }

    /// Which bits of `a` and `b` the file kept.
    #[inline(always)]
    pub(super) fn masks(&self) -> (u16, u16) {
        match self.rsum_bytes {
            1 => (0, 0xff),
            2 => (0, 0xffff),
            3 => (0xff, 0xffff),
            _ => (0xffff, 0xffff),
        }
    }

    pub(super) fn rsum(&self, i: usize) -> Rsum {
        self.rsums[i]
    }

    /// A digest of every checksum, to tell whether saved progress belongs to this file.
    pub fn fingerprint(&self) -> Vec<u8> {
        use sha2::Digest as _;
        let mut hasher = sha2::Sha256::new();
        hasher.update(self.length.to_be_bytes());
        hasher.update(self.block_size.to_be_bytes());
        hasher.update([self.rsum_bytes, self.strong_len, self.seq_matches]);
        hasher.update(self.strong.name());
        for r in &self.rsums {
            hasher.update(r.a.to_be_bytes());
            hasher.update(r.b.to_be_bytes());
        }
        hasher.update(&self.strongs);
        hasher.finalize().to_vec()
    }
}

impl std::fmt::Debug for BlockSums {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockSums")
            .field("length", &self.length)
            .field("block_size", &self.block_size)
            .field("count", &self.count())
            .field("seq_matches", &self.seq_matches)
            .field("rsum_bytes", &self.rsum_bytes)
            .field("strong", &self.strong)
            .field("strong_len", &self.strong_len)
            .finish()
    }
}

/// Block sums as kept in Braid's queue file: the records as the control file had them,
/// base64, checked again when read back.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    length: u64,
    block_size: u64,
    seq_matches: u8,
    rsum_bytes: u8,
    strong: StrongAlgorithm,
    strong_len: u8,
    records: String,
}

impl BlockSums {
    /// The checksum section as a control file carries it.
    pub fn records(&self) -> Vec<u8> {
        let rsum_bytes = usize::from(self.rsum_bytes);
        let strong_len = usize::from(self.strong_len);
        let mut records = Vec::with_capacity(self.count() * (rsum_bytes + strong_len));
        for (i, r) in self.rsums.iter().enumerate() {
            let mut four = [0u8; 4];
            four[..2].copy_from_slice(&r.a.to_be_bytes());
            four[2..].copy_from_slice(&r.b.to_be_bytes());
            records.extend_from_slice(&four[4 - rsum_bytes..]);
            records.extend_from_slice(&self.strongs[i * strong_len..(i + 1) * strong_len]);
        }
        records
    }
}

impl From<BlockSums> for Stored {
    fn from(sums: BlockSums) -> Stored {
        let records = sums.records();
        Stored {
            length: sums.length,
            block_size: sums.block_size,
            seq_matches: sums.seq_matches,
            rsum_bytes: sums.rsum_bytes,
            strong: sums.strong,
            strong_len: sums.strong_len,
            records: BASE64.encode(records),
        }
    }
}

impl TryFrom<Stored> for BlockSums {
    type Error = String;

    fn try_from(stored: Stored) -> Result<Self, String> {
        let records = BASE64
            .decode(stored.records.as_bytes())
            .map_err(|e| format!("block checksums: {e}"))?;
        let layout = Layout {
            length: stored.length,
            block_size: stored.block_size,
            seq_matches: stored.seq_matches,
            rsum_bytes: stored.rsum_bytes,
            strong: stored.strong,
            strong_len: stored.strong_len,
        };
        BlockSums::read(layout, &records).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computed_sums_match_their_data_and_survive_storing() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 253) as u8).collect();
        let sums = BlockSums::compute(&data, 1024, 2, StrongAlgorithm::Md4);
        assert_eq!(sums.count(), 10);
        assert_eq!(sums.block_range(9), 9216..10_000);
        for i in 0..sums.count() {
            let range = sums.block_range(i);
            assert!(sums.matches(i, &data[range.start as usize..range.end as usize]));
        }
        assert!(!sums.matches(0, &data[1..1025]));
        let json = serde_json::to_string(&sums).unwrap();
        let back: BlockSums = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sums);
        let broken = json.replace("\"block_size\":1024", "\"block_size\":1000");
        assert!(serde_json::from_str::<BlockSums>(&broken).is_err());
    }

    #[test]
    fn md4_is_md4() {
        // RFC 1320's test vector.
        let mut out = [0u8; 16];
        StrongAlgorithm::Md4.digest_padded(b"abc", 3, &mut out);
        assert_eq!(
            crate::metalink::hash::encode_hex(&out),
            "a448017aaf21d8525fc10ae87aa6729d"
        );
    }
}
