//! One Braid per user: the first instance listens on a socket in the runtime dir; a
//! second one hands its arguments over that socket and exits. A socket left by a crash
//! (nobody answers) is replaced. Only on Unix so far: elsewhere every `braid` opens a
//! window of its own.

use std::io;
use std::path::{Path, PathBuf};

/// Leads the arguments when they are to be queued without asking (`--start`).
pub const START_FLAG: &str = "--start";

/// How long a second instance waits for the first to take its arguments.
#[cfg(unix)]
const HAND_OFF_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// The socket's path.
pub fn socket_path() -> PathBuf {
    super::paths::runtime_dir().join(format!("{}.sock", super::APP_ID))
}

/// Whether this process is the one that runs the window.
pub enum Role {
    /// The first instance: arguments from later ones arrive on this listener.
    Primary(Listener),
    /// Another instance took the arguments.
    HandedOff,
}

#[cfg(unix)]
pub type Listener = std::os::unix::net::UnixListener;
#[cfg(not(unix))]
pub struct Listener;

/// Becomes the primary instance, or hands `args` to the running one.
#[cfg(unix)]
pub fn claim(path: &Path, args: &[String]) -> io::Result<Role> {
    use std::os::unix::net::{UnixListener, UnixStream};
    for _ in 0..3 {
        match UnixStream::connect(path) {
            Ok(stream) => {
                if hand_off(stream, args).is_ok() {
                    return Ok(Role::HandedOff);
                }
                // It accepted but did not answer: a hung instance. Take over.
                let _ = std::fs::remove_file(path);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionRefused | io::ErrorKind::NotFound
                ) =>
            {
                // No one listens: a socket left by a crash, or none at all.
                let _ = std::fs::remove_file(path);
            }
            Err(e) => return Err(e),
        }
        if let Some(parent) = path.parent() {
            create_private_dir(parent)?;
        }
        match UnixListener::bind(path) {
            Ok(listener) => return Ok(Role::Primary(listener)),
            // Another instance bound it just now: hand the arguments to it.
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!(
        "{}: cannot reach the running Braid nor take its place",
        path.display()
    )))
}

#[cfg(not(unix))]
pub fn claim(_path: &Path, _args: &[String]) -> io::Result<Role> {
    Ok(Role::Primary(Listener))
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Sends the arguments as one JSON line and waits for `ok`.
#[cfg(unix)]
fn hand_off(mut stream: std::os::unix::net::UnixStream, args: &[String]) -> io::Result<()> {
    use std::io::{BufRead, BufReader, Write};
    stream.set_read_timeout(Some(HAND_OFF_TIMEOUT))?;
    stream.set_write_timeout(Some(HAND_OFF_TIMEOUT))?;
    let line = serde_json::to_string(args).map_err(io::Error::other)?;
    stream.write_all(line.as_bytes())?;
    stream.write_all(b"\n")?;
    let mut reply = String::new();
    BufReader::new(stream).read_line(&mut reply)?;
    if reply.trim() == "ok" {
        Ok(())
    } else {
        Err(io::Error::other("no answer"))
    }
}

/// Reads one hand-off from an accepted connection and acknowledges it.
#[cfg(unix)]
pub async fn receive(stream: tokio::net::UnixStream) -> io::Result<Vec<String>> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    let mut reader = tokio::io::BufReader::new(read).take(1 << 20);
    tokio::time::timeout(HAND_OFF_TIMEOUT, reader.read_line(&mut line))
        .await
        .map_err(|_| io::Error::other("timed out"))??;
    let args: Vec<String> = serde_json::from_str(line.trim()).map_err(io::Error::other)?;
    write.write_all(b"ok\n").await?;
    Ok(args)
}

/// Makes file arguments absolute, so the running instance (with another working
/// directory) finds them; URLs pass unchanged.
pub fn absolute_args(args: &[String]) -> Vec<String> {
    args.iter()
        .map(|arg| {
            let path = Path::new(arg);
            if !arg.contains("://") && path.exists() {
                std::path::absolute(path)
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_else(|_| arg.clone())
            } else {
                arg.clone()
            }
        })
        .collect()
}
