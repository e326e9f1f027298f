//! One Braid per user: the first instance listens, a second one hands its arguments over
//! and exits. On Unix the first listens on a socket in the runtime dir, and a socket left
//! by a crash (nobody answers) is replaced; elsewhere (Windows) it listens on loopback
//! TCP, see [`tcp`].
//!
//! The hand-off is the same either way: optional preamble lines (the TCP token), then
//! the arguments as one JSON line; the first instance answers `ok`.

pub mod tcp;

use std::io::{self, Read, Write};
use std::path::Path;

use crate::engine::SiteHeaders;

/// Leads the arguments when they are to be queued without asking (`--start`).
pub const START_FLAG: &str = "--start";

/// Leads a link's [`SiteHeaders`] among the arguments: `--site={"link":…,"site":{…}}`. Only the
/// browser's messaging host sends it, over the socket (never on a command line, which
/// other users of the machine can read).
pub const SITE_FLAG: &str = "--site=";

/// What one hand-off brings: sources, whether to queue them without asking, and the
/// referrer and cookies a browser passed for some of the links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandOff {
    pub start: bool,
    pub sources: Vec<String>,
    /// By link, as it is among the sources.
    pub sites: std::collections::BTreeMap<String, SiteHeaders>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct LinkSite {
    link: String,
    site: SiteHeaders,
}

impl HandOff {
    /// The arguments that carry it.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if self.start {
            args.push(START_FLAG.to_owned());
        }
        for (link, site) in &self.sites {
            let entry = LinkSite {
                link: link.clone(),
                site: site.clone(),
            };
            if let Ok(json) = serde_json::to_string(&entry) {
                args.push(format!("{SITE_FLAG}{json}"));
            }
        }
        args.extend(self.sources.iter().cloned());
        args
    }

    /// Reads the arguments of a hand-off; a site that cannot be read is left out.
    pub fn from_args(args: Vec<String>) -> HandOff {
        let mut hand_off = HandOff::default();
        for arg in args {
            if arg == START_FLAG {
                hand_off.start = true;
            } else if let Some(json) = arg.strip_prefix(SITE_FLAG) {
                if let Ok(entry) = serde_json::from_str::<LinkSite>(json) {
                    hand_off.sites.insert(entry.link, entry.site);
                }
            } else {
                hand_off.sources.push(arg);
            }
        }
        hand_off
    }
}

/// How long a second instance waits for the first to take its arguments.
const HAND_OFF_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Whether this process is the one that runs the window.
pub enum Role<L = Listener> {
    /// The first instance: arguments from later ones arrive on this listener.
    Primary(L),
    /// Another instance took the arguments.
    HandedOff,
}

#[cfg(unix)]
pub type Listener = std::os::unix::net::UnixListener;
#[cfg(not(unix))]
pub type Listener = tcp::Listener;

/// Becomes the primary instance, or hands `args` to the running one; `dir` is the
/// per-user runtime dir.
pub fn claim(dir: &Path, args: &[String]) -> io::Result<Role> {
    #[cfg(unix)]
    {
        claim_socket(&socket_path(dir), args)
    }
    #[cfg(not(unix))]
    {
        tcp::claim(dir, args)
    }
}

/// Hands `args` to the running Braid without ever becoming one (the browser's messaging
/// host): `Ok(false)` when none runs.
pub fn hand_to_running(dir: &Path, args: &[String]) -> io::Result<bool> {
    hand_to_running_within(dir, args, HAND_OFF_TIMEOUT)
}

/// [`hand_to_running`], waiting up to `wait` for the answer: a window that was just
/// started claims its socket at once but takes the first hand-off only once it is up.
pub fn hand_to_running_within(
    dir: &Path,
    args: &[String],
    wait: std::time::Duration,
) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::net::UnixStream;
        let path = socket_path(dir);
        match UnixStream::connect(&path) {
            Ok(stream) => {
                stream.set_read_timeout(Some(wait))?;
                stream.set_write_timeout(Some(wait))?;
                hand_off(stream, &[], args)?;
                Ok(true)
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionRefused | io::ErrorKind::NotFound
                ) =>
            {
                // A socket left by a crash goes, so a new window's own shows when it binds.
                let _ = std::fs::remove_file(&path);
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = wait;
        tcp::hand_to_running(dir, args)
    }
}

/// Whether a Braid claimed `dir` at `since` or later (a window just started has bound
/// its socket, or written its address).
pub fn claimed_since(dir: &Path, since: std::time::SystemTime) -> bool {
    #[cfg(unix)]
    let marker = socket_path(dir);
    #[cfg(not(unix))]
    let marker = tcp::address_path(dir);
    std::fs::metadata(marker)
        .and_then(|m| m.modified())
        .is_ok_and(|modified| modified >= since)
}

/// Tidies up after the window closed (the primary instance only).
pub fn release(dir: &Path) {
    #[cfg(unix)]
    {
        let _ = std::fs::remove_file(socket_path(dir));
    }
    // The TCP variant's lock goes with the process; its address file is rewritten by
    // the next first instance.
    #[cfg(not(unix))]
    {
        let _ = dir;
    }
}

/// The Unix socket's path.
pub fn socket_path(dir: &Path) -> std::path::PathBuf {
    dir.join(format!("{}.sock", super::APP_ID))
}

#[cfg(unix)]
fn claim_socket(path: &Path, args: &[String]) -> io::Result<Role> {
    use std::os::unix::net::{UnixListener, UnixStream};
    for _ in 0..3 {
        match UnixStream::connect(path) {
            Ok(stream) => {
                stream.set_read_timeout(Some(HAND_OFF_TIMEOUT))?;
                stream.set_write_timeout(Some(HAND_OFF_TIMEOUT))?;
                if hand_off(stream, &[], args).is_ok() {
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

/// Creates the runtime dir, readable by the user alone where the system has modes
/// (Windows keeps a user's folders private already).
fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Sends `preamble`, then the arguments as one JSON line, and waits for `ok`. The
/// caller sets the stream's timeouts.
fn hand_off(mut stream: impl Read + Write, preamble: &[&str], args: &[String]) -> io::Result<()> {
    let mut message = String::new();
    for line in preamble {
        message.push_str(line);
        message.push('\n');
    }
    message.push_str(&serde_json::to_string(args).map_err(io::Error::other)?);
    message.push('\n');
    stream.write_all(message.as_bytes())?;
    let mut reply = Vec::new();
    let mut byte = [0u8; 1];
    while reply.len() < 16 && stream.read(&mut byte)? == 1 && byte[0] != b'\n' {
        reply.push(byte[0]);
    }
    if reply == b"ok" {
        Ok(())
    } else {
        Err(io::Error::other("no answer"))
    }
}

/// The primary's listener, moved onto the async runtime.
#[cfg(unix)]
pub struct Accepting(tokio::net::UnixListener);
#[cfg(not(unix))]
pub use tcp::Accepting;

/// Moves the listener onto the running tokio runtime.
pub fn accepting(listener: Listener) -> io::Result<Accepting> {
    #[cfg(unix)]
    {
        listener.set_nonblocking(true)?;
        Ok(Accepting(tokio::net::UnixListener::from_std(listener)?))
    }
    #[cfg(not(unix))]
    {
        listener.accepting()
    }
}

#[cfg(unix)]
impl Accepting {
    /// The next hand-off.
    pub async fn next(&self) -> Vec<String> {
        next_hand_off(|| async { self.0.accept().await.map(|(s, _)| s) }, None).await
    }
}

/// Takes connections from `accept` until one brings a good hand-off. A failed accept
/// (out of file descriptors, say) waits a little instead of spinning.
async fn next_hand_off<S, F, A>(mut accept: F, token: Option<&str>) -> Vec<String>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    F: FnMut() -> A,
    A: Future<Output = io::Result<S>>,
{
    loop {
        let Ok(stream) = accept().await else {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            continue;
        };
        if let Ok(args) = receive(stream, token).await {
            return args;
        }
    }
}

/// Reads one hand-off from an accepted connection and acknowledges it. With a `token`,
/// the first line must be that token, or the connection is turned away unanswered.
async fn receive<S>(stream: S, token: Option<&str>) -> io::Result<Vec<String>>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
    let (read, mut write) = tokio::io::split(stream);
    let mut reader = tokio::io::BufReader::new(read).take(1 << 20);
    let read = async {
        if let Some(token) = token {
            let mut line = String::new();
            reader.read_line(&mut line).await?;
            if line.trim_end() != token {
                return Err(io::Error::other("wrong token"));
            }
        }
        let mut line = String::new();
        reader.read_line(&mut line).await?;
        serde_json::from_str::<Vec<String>>(line.trim()).map_err(io::Error::other)
    };
    let args = tokio::time::timeout(HAND_OFF_TIMEOUT, read)
        .await
        .map_err(|_| io::Error::other("timed out"))??;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_off_reads_back_as_it_was_sent() {
        let link = "https://dl.example/a.iso".to_owned();
        let site = SiteHeaders::for_link(&link, Some("https://dl.example/"), Some("s=1"))
            .unwrap()
            .unwrap();
        let sent = HandOff {
            start: true,
            sources: vec![link.clone(), "/tmp/b.meta4".into()],
            sites: [(link, site)].into(),
        };
        assert_eq!(HandOff::from_args(sent.to_args()), sent);
        let plain = HandOff::from_args(vec!["x.meta4".into(), "--site={bad".into()]);
        assert_eq!(plain.sources, ["x.meta4"]);
        assert!(!plain.start && plain.sites.is_empty());
    }
}
