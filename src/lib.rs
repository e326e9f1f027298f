//! Braid: a download manager for Metalink.
//!
//! `metalink` is the format (no I/O); `discover` finds what a link stands for before a
//! download starts; `engine` turns it into verified files; `cli` holds
//! the headless commands and `gui` the desktop app, two faces of the same engine;
//! `platform` is what they need from the desktop; `loopback` serves test mirrors for
//! tests, benchmarks and the demo.

pub mod category;
pub mod cli;
pub mod config;
pub mod discover;
pub mod engine;
pub mod format;
pub mod gui;
pub mod i18n;
pub mod loopback;
pub mod metalink;
pub mod platform;
pub mod publish;
pub mod signature;
pub mod words;
pub mod zsync;
