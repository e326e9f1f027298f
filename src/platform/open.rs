//! Opening a file or folder with the user's own programs.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Why a file did not open.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{} is no longer there", .0.display())]
    Missing(std::path::PathBuf),
    /// The desktop has no program for this kind of file (or no opener at all).
    #[error("no program is set up to open {}", .0.display())]
    NoHandler(std::path::PathBuf),
    #[error("{}: {source}", .path.display())]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// How long the opener is given to say it failed; one still running after that has
/// started a program (some openers wait for the program to end).
const VERDICT_WITHIN: Duration = Duration::from_secs(4);

/// Opens `path` with the desktop's default program (xdg-open, open, start) and waits a
/// little for the opener's verdict, so "nothing can open this" reaches the user.
/// Blocks for up to a few seconds: call it off the UI thread.
pub fn open(path: &Path) -> Result<(), OpenError> {
    if !path.exists() {
        return Err(OpenError::Missing(path.to_path_buf()));
    }
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    let child = command
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(OpenError::NoHandler(path.to_path_buf()));
        }
        Err(source) => {
            return Err(OpenError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    match verdict(child) {
        Some(false) => Err(OpenError::NoHandler(path.to_path_buf())),
        _ => Ok(()),
    }
}

/// `Some(success)` when the opener ended in time; `None` while it still runs (then it
/// is reaped on a thread of its own, so no zombie is left behind).
fn verdict(mut child: Child) -> Option<bool> {
    let asked = Instant::now();
    while asked.elapsed() < VERDICT_WITHIN {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status.success()),
            Ok(None) => std::thread::sleep(Duration::from_millis(25)),
            Err(_) => return None,
        }
    }
    std::thread::spawn(move || child.wait());
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn an_opener_that_fails_means_no_handler_and_a_missing_file_is_named() {
        let failing = Command::new("false").spawn().unwrap();
        assert_eq!(verdict(failing), Some(false));
        let fine = Command::new("true").spawn().unwrap();
        assert_eq!(verdict(fine), Some(true));
        let gone = Path::new("/nonexistent/braid-test.iso");
        assert!(matches!(open(gone), Err(OpenError::Missing(_))));
    }
}
