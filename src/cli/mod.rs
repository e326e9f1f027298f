//! Headless commands over the same library and engine the GUI uses.

pub mod format;
pub mod get;
pub mod inspect;

use clap::{Parser, Subcommand};

/// Braid: verified, segmented, multi-mirror downloads from Metalink files.
#[derive(Debug, Parser)]
#[command(name = "braid", version, about, long_about = None)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what a .meta4 / .metalink document offers and what Braid would do with it.
    Inspect(inspect::Args),
    /// Download metalinks and URLs: segmented, from several mirrors, verified.
    Get(get::Args),
}

/// Runs a command and returns the process exit code.
pub fn run(command: Command) -> i32 {
    match command {
        Command::Inspect(args) => inspect::run(&args),
        Command::Get(args) => get::run(&args),
    }
}
