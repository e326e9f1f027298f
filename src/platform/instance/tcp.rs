//! The hand-off over loopback TCP, for systems without Unix sockets (Windows); it builds
//! and is tested everywhere.
//!
//! Who is first is decided by a lock on a file in the runtime dir, which the system lets
//! go when the process ends, however it ends: no stale state to guess about. The first
//! instance listens on 127.0.0.1 and writes its port and a random token beside the lock;
//! a later one reads them, connects, and sends the token before its arguments, so other
//! programs that find the port cannot queue downloads.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{HAND_OFF_TIMEOUT, Role};

/// The first instance's side: hand-offs arrive here.
pub struct Listener {
    socket: TcpListener,
    token: String,
    /// Held for the life of the process.
    lock: File,
}

/// A [`Listener`] moved onto the async runtime.
pub struct Accepting {
    socket: tokio::net::TcpListener,
    token: String,
    _lock: File,
}

fn lock_path(dir: &Path) -> PathBuf {
    dir.join(format!("{}.lock", crate::platform::APP_ID))
}

pub(super) fn address_path(dir: &Path) -> PathBuf {
    dir.join(format!("{}.address", crate::platform::APP_ID))
}

/// Becomes the first instance, or hands `args` to the one running.
pub fn claim(dir: &Path, args: &[String]) -> io::Result<Role<Listener>> {
    super::create_private_dir(dir)?;
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path(dir))?;
    match lock.try_lock() {
        Ok(()) => {
            let socket = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
            let token = new_token()?;
            let port = socket.local_addr()?.port();
            write_replacing(&address_path(dir), &format!("{port} {token}\n"))?;
            Ok(Role::Primary(Listener {
                socket,
                token,
                lock,
            }))
        }
        Err(TryLockError::WouldBlock) => {
            hand_off_to_running(dir, args)?;
            Ok(Role::HandedOff)
        }
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// Hands `args` to the running Braid, if one holds the lock; `Ok(false)` when none does
/// (the lock is let go again at once).
pub fn hand_to_running(dir: &Path, args: &[String]) -> io::Result<bool> {
    let Ok(lock) = OpenOptions::new().write(true).open(lock_path(dir)) else {
        return Ok(false);
    };
    match lock.try_lock() {
        Ok(()) => Ok(false),
        Err(TryLockError::WouldBlock) => {
            hand_off_to_running(dir, args)?;
            Ok(true)
        }
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// The first instance may hold the lock without having written its address yet, so
/// this tries again until the hand-off timeout.
fn hand_off_to_running(dir: &Path, args: &[String]) -> io::Result<()> {
    let deadline = Instant::now() + HAND_OFF_TIMEOUT;
    loop {
        let attempt = read_address(dir).and_then(|(address, token)| {
            let stream = TcpStream::connect_timeout(&address, HAND_OFF_TIMEOUT)?;
            stream.set_read_timeout(Some(HAND_OFF_TIMEOUT))?;
            stream.set_write_timeout(Some(HAND_OFF_TIMEOUT))?;
            super::hand_off(stream, &[&token], args)
        });
        match attempt {
            Ok(()) => return Ok(()),
            Err(e) if Instant::now() >= deadline => {
                return Err(io::Error::other(format!(
                    "{}: the running Braid does not answer ({e})",
                    address_path(dir).display()
                )));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

fn read_address(dir: &Path) -> io::Result<(SocketAddr, String)> {
    let text = std::fs::read_to_string(address_path(dir))?;
    let bad = || io::Error::other("unreadable address file");
    let (port, token) = text.trim().split_once(' ').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    Ok((
        SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        token.to_owned(),
    ))
}

/// Writes beside and renames, so a reader never sees half an address.
fn write_replacing(path: &Path, text: &str) -> io::Result<()> {
    let temporary = path.with_extension("address.tmp");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

/// 128 random bits from the system, in hex.
fn new_token() -> io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Listener {
    /// Moves the listener onto the running tokio runtime.
    pub fn accepting(self) -> io::Result<Accepting> {
        self.socket.set_nonblocking(true)?;
        Ok(Accepting {
            socket: tokio::net::TcpListener::from_std(self.socket)?,
            token: self.token,
            _lock: self.lock,
        })
    }
}

impl Accepting {
    /// The next hand-off; connections without the token are turned away.
    pub async fn next(&self) -> Vec<String> {
        let accept = || async { self.socket.accept().await.map(|(s, _)| s) };
        super::next_hand_off(accept, Some(&self.token)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("braid-tcp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    /// The next hand-off, bounded in time.
    fn next_hand_off(runtime: &tokio::runtime::Runtime, accepting: &Accepting) -> Vec<String> {
        runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(20), accepting.next())
                .await
                .expect("a hand-off arrives")
        })
    }

    /// Claims `dir` as the first instance and listens on a runtime of its own.
    fn primary(dir: &Path) -> (tokio::runtime::Runtime, Accepting) {
        let Role::Primary(listener) = claim(dir, &[]).unwrap() else {
            panic!("the first claim is the primary");
        };
        let runtime = runtime();
        let accepting = runtime.block_on(async { listener.accepting().unwrap() });
        (runtime, accepting)
    }

    fn claim_in_thread(dir: &Path, args: &[&str]) -> std::thread::JoinHandle<bool> {
        let dir = dir.to_path_buf();
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        std::thread::spawn(move || matches!(claim(&dir, &args), Ok(Role::HandedOff)))
    }

    #[test]
    fn a_second_claim_hands_its_arguments_to_the_first() {
        let dir = temp_dir("handoff");
        let (runtime, accepting) = primary(&dir);
        let second = claim_in_thread(&dir, &["--start", "/tmp/a.meta4"]);
        assert_eq!(
            next_hand_off(&runtime, &accepting),
            ["--start", "/tmp/a.meta4"]
        );
        assert!(second.join().unwrap(), "the second claim handed off");
    }

    #[test]
    fn connections_without_the_token_are_turned_away() {
        use std::io::{Read, Write};
        let dir = temp_dir("token");
        let (runtime, accepting) = primary(&dir);
        let (address, _) = read_address(&dir).unwrap();
        let intruder = move || {
            let mut stream = TcpStream::connect(address).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(20)))
                .unwrap();
            stream
                .write_all(b"guess\n[\"http://evil.invalid/x\"]\n")
                .unwrap();
            let mut reply = Vec::new();
            let _ = stream.read_to_end(&mut reply);
            reply
        };
        let second_dir = dir.clone();
        let (taken, (reply, second)) = runtime.block_on(async {
            let intruder_then_second = async {
                // The intruder first, so the listener must turn it away before the
                // real hand-off can arrive.
                let reply = tokio::task::spawn_blocking(intruder).await.unwrap();
                let second = tokio::task::spawn_blocking(move || {
                    matches!(
                        claim(&second_dir, &["/tmp/b.meta4".to_owned()]),
                        Ok(Role::HandedOff)
                    )
                });
                (reply, second.await.unwrap())
            };
            tokio::time::timeout(Duration::from_secs(20), async {
                tokio::join!(accepting.next(), intruder_then_second)
            })
            .await
            .expect("bounded")
        });
        assert_eq!(reply, b"", "no answer without the token");
        assert_eq!(taken, ["/tmp/b.meta4"], "only the real hand-off is taken");
        assert!(second);
    }

    #[test]
    fn the_lock_goes_with_the_first_instance() {
        let dir = temp_dir("stale");
        let Role::Primary(first) = claim(&dir, &[]).unwrap() else {
            panic!("the first claim is the primary");
        };
        drop(first);
        // The address file is still there, naming a port nobody listens on.
        assert!(address_path(&dir).exists());
        assert!(matches!(claim(&dir, &[]), Ok(Role::Primary(_))));
    }
}
