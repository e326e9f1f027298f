//! Braid: a download manager for Metalink.
//!
//! `metalink` is the format (no I/O); `engine` turns it into verified files; `cli`
//! holds the headless commands; `loopback` serves test mirrors for tests, benchmarks
//! and the demo.

pub mod cli;
pub mod engine;
pub mod loopback;
pub mod metalink;
