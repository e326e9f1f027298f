//! Headless commands over the same library and engine the GUI uses.

pub mod create;
pub mod demo;
pub(crate) mod describe;
pub mod get;
pub mod inspect;
pub mod mirrors;
pub mod register;

use clap::{Parser, Subcommand};

/// Braid: verified, segmented, multi-mirror downloads from Metalink files.
///
/// Without a command, opens the window; metalink files and URLs given are shown in the
/// add dialog (or handed to the Braid window already open).
#[derive(Debug, Parser)]
#[command(name = "braid", version, about, args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Queue the given files and URLs at once instead of asking.
    #[arg(long)]
    pub start: bool,
    /// Metalink files (.meta4, .metalink) and URLs to open.
    #[arg(value_name = "FILE|URL")]
    pub sources: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what a .meta4 / .metalink document offers and what Braid would do with it.
    Inspect(inspect::Args),
    /// Download metalinks and URLs: segmented, from several mirrors, verified.
    Get(Box<get::Args>),
    /// Open a download from loopback mirrors (one slow, one corrupting) in the window:
    /// see Braid at work without a network.
    Demo(demo::Args),
    /// Write a Metalink 4 document for local files: sizes, hashes, pieces, mirrors.
    Create(create::Args),
    /// List the mirrors Braid's memory knows for a file's digest (learned from the
    /// metalinks and Link headers it has seen).
    Mirrors(mirrors::Args),
    /// Install Braid's desktop entry and icons for this user and make it open metalinks.
    Register,
    /// Undo `register`.
    Unregister,
}

/// Runs a command and returns the process exit code.
pub fn run(command: Command) -> i32 {
    match command {
        Command::Inspect(args) => inspect::run(&args),
        Command::Get(args) => get::run(&args),
        Command::Create(args) => create::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Mirrors(args) => mirrors::run(&args),
        Command::Register => register::run(true),
        Command::Unregister => register::run(false),
    }
}
