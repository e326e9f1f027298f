//! The zsync format, with no I/O and no async: reading `.zsync` control files, the
//! rolling checksum, and finding a target file's blocks in data that is already at hand
//! (an older version, a damaged copy).
//!
//! A control file describes a target file as blocks of `Blocksize` bytes, each with a
//! weak rolling checksum (cheap to slide along other data byte by byte) and a truncated
//! strong hash (to confirm a weak match). Reading follows the specification Colin Phipps
//! published with zsync 0.7/0.8 (`File-Hash`, `Strong-Hash-Algorithm`) and stays
//! compatible with the zsync 0.6 files that mirrors publish (`SHA-1`, `Z-Map2`, `Safe`).
//!
//! - `control`: [`read`] a control file into a [`Control`] (bounded by the input, typed
//!   errors that say what and where);
//! - `blocks`: [`BlockSums`], the per-block checksums, and checking a block's data;
//! - `rsum`: the rolling checksum;
//! - `scan`: [`Index`] of the blocks still wanted and [`Scanner`], which slides over
//!   local data and reports where target blocks are.

mod blocks;
mod control;
mod rsum;
mod scan;

pub use blocks::{BlockSums, StrongAlgorithm};
pub use control::{Control, ParseError, read};
pub use rsum::Rsum;
pub use scan::{Found, Index, Scanner};

/// Media type mirrors serve control files with (MirrorBrain, MirrorCache).
pub const MEDIA_TYPE: &str = "application/x-zsync";
