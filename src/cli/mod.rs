//! Headless commands over the same library and engine the GUI uses.

pub mod create;
pub mod demo;
pub(crate) mod describe;
pub mod get;
pub mod inspect;
pub mod keys;
pub mod mirrors;
pub mod native_host;
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
    Create(Box<create::Args>),
    /// List the mirrors Braid's memory knows for a file's digest (learned from the
    /// metalinks and Link headers it has seen).
    Mirrors(mirrors::Args),
    /// Manage the OpenPGP keys Braid checks signatures with: import, list, remove.
    Keys(keys::Args),
    /// Install Braid's desktop entry, icons and browser-extension host for this user and
    /// make it open metalinks.
    Register,
    /// Undo `register`.
    Unregister,
    /// The browser extension's native messaging host: framed JSON on stdin/stdout.
    /// Browsers start it themselves (see `register`).
    NativeHost(native_host::Args),
}

/// Checks the first word of a window command line: a file that exists, a URL, or else
/// a mistyped command (`braid gett`), which must not be taken for a file name and open
/// the window. The error names the commands, and the nearest one.
pub fn check_first_source(sources: &[String]) -> Result<(), String> {
    let Some(first) = sources.first() else {
        return Ok(());
    };
    let path = std::path::Path::new(first);
    if first.contains("://") || path.exists() {
        return Ok(());
    }
    // `x.meta4`, `downloads/x`: meant as a file, and it is not there.
    if path.extension().is_some() || path.components().count() > 1 {
        return Err(format!(
            "{first}: no such file (`braid --help` lists the commands)"
        ));
    }
    let commands: Vec<String> = <Args as clap::CommandFactory>::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .filter(|name| name != "help")
        .collect();
    let nearest = commands
        .iter()
        .map(|c| (edit_distance(first, c), c))
        .filter(|(distance, _)| *distance <= 2)
        .min();
    let hint = match nearest {
        Some((_, command)) => format!(" Did you mean `braid {command}`?"),
        None => String::new(),
    };
    Err(format!(
        "'{first}' is not a command, an existing file or a URL.{hint} Commands: {} \
         (`braid --help` says more).",
        commands.join(", ")
    ))
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Runs a command and returns the process exit code.
pub fn run(command: Command) -> i32 {
    // The terminal speaks English: its other lines are not translated, and one output
    // should not mix languages. The demo opens the window, which follows the settings.
    if !matches!(command, Command::Demo(_)) {
        crate::i18n::set_language("en");
    }
    match command {
        Command::Inspect(args) => inspect::run(&args),
        Command::Get(args) => get::run(&args),
        Command::Create(args) => create::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Mirrors(args) => mirrors::run(&args),
        Command::Keys(args) => keys::run(&args),
        Command::Register => register::run(true),
        Command::Unregister => register::run(false),
        Command::NativeHost(args) => native_host::run(&args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_command_is_named_with_the_nearest() {
        let error = check_first_source(&["gett".into()]).unwrap_err();
        assert!(error.contains("Did you mean `braid get`?"), "{error}");
        assert!(error.contains("inspect, get, demo"), "{error}");
        let error = check_first_source(&["kyes".into(), "list".into()]).unwrap_err();
        assert!(error.starts_with("'kyes' is not a command"), "{error}");
        assert!(error.contains("Did you mean `braid keys`?"), "{error}");
        let error = check_first_source(&["no-such-release.meta4".into()]).unwrap_err();
        assert!(
            error.starts_with("no-such-release.meta4: no such file"),
            "{error}"
        );
        assert!(check_first_source(&["https://example.org/a.meta4".into()]).is_ok());
        assert!(
            check_first_source(&[".".into()]).is_ok(),
            "an existing path"
        );
        assert!(check_first_source(&[]).is_ok());
        assert_eq!(edit_distance("gett", "get"), 1);
    }
}
