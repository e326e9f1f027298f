//! Braid: a download manager for Metalink.
//!
//! `metalink` is the format (no I/O); `cli` holds the headless commands.

pub mod cli;
pub mod engine;
pub mod metalink;
