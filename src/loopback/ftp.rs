//! A real FTP server on loopback for tests and benchmarks: `tests/support/ftp_server.py`
//! (Debian's pyftpdlib) in a child process, serving a directory with the faults a test asks for, and reporting
//! what clients did (connections, logins, REST, RETR, bytes sent).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Debian's interpreter, where python3-pyftpdlib installs (a `python3` first on PATH
/// may be another one without it).
const PYTHON: &str = "/usr/bin/python3";

#[derive(Debug, Clone, Default)]
pub struct FtpOptions {
    /// Loopback address to listen on (127.0.0.1 unless set).
    pub host: Option<String>,
    /// `name:password` of a user besides (or, with `no_anonymous`, instead of) anonymous.
    pub user: Option<String>,
    pub no_anonymous: bool,
    /// Byte ranges `[start, end)` sent inverted.
    pub corrupt: Vec<(u64, u64)>,
    pub no_rest: bool,
    pub no_epsv: bool,
    /// `silent` (connects, never sends) or `drop` (never answers the connection).
    pub dead_passive: Option<&'static str>,
    pub max_per_ip: Option<u32>,
    /// Bytes per second per data connection.
    pub rate: Option<u64>,
    /// Explicit FTPS with a certificate made in this directory (`ca.der`, `ca.pem`).
    pub tls: Option<PathBuf>,
}

pub struct FtpServer {
    child: Child,
    /// Held open: the server exits when it closes.
    _stdin: ChildStdin,
    pub host: String,
    pub port: u16,
    events: Arc<Mutex<Vec<String>>>,
}

impl FtpServer {
    /// Serves `root`; panics with what to install if the server cannot start.
    pub fn start(root: &Path, options: &FtpOptions) -> FtpServer {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/ftp_server.py");
        let host = options.host.clone().unwrap_or_else(|| "127.0.0.1".into());
        let mut command = Command::new(PYTHON);
        command
            .arg(script)
            .arg("--root")
            .arg(root)
            .args(["--host", &host, "--events"]);
        if let Some(user) = &options.user {
            command.args(["--user", user]);
        }
        if options.no_anonymous {
            command.arg("--no-anonymous");
        }
        for (start, end) in &options.corrupt {
            command.arg("--corrupt").arg(format!("{start}:{end}"));
        }
        if options.no_rest {
            command.arg("--no-rest");
        }
        if options.no_epsv {
            command.arg("--no-epsv");
        }
        if let Some(mode) = options.dead_passive {
            command.args(["--dead-passive", mode]);
        }
        if let Some(n) = options.max_per_ip {
            command.args(["--max-per-ip", &n.to_string()]);
        }
        if let Some(rate) = options.rate {
            command.args(["--rate", &rate.to_string()]);
        }
        if let Some(dir) = &options.tls {
            command.arg("--tls").arg(dir);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "{PYTHON} cannot run ({e}): apt-get install python3-pyftpdlib python3-openssl"
                )
            });
        let stdin = child.stdin.take().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let port = match lines.next() {
            Some(Ok(line)) if line.starts_with("port ") => line[5..].trim().parse().unwrap(),
            other => {
                let _ = child.kill();
                panic!(
                    "the FTP server did not start ({other:?}): apt-get install python3-pyftpdlib python3-openssl"
                )
            }
        };
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        FtpServer {
            child,
            _stdin: stdin,
            host,
            port,
            events,
        }
    }

    /// `ftp://[user@]host:port/path`.
    pub fn url(&self, path: &str) -> String {
        format!("ftp://{}:{}/{path}", self.host, self.port)
    }

    /// `scheme://userinfo@host:port/path`.
    pub fn url_with(&self, scheme: &str, userinfo: &str, path: &str) -> String {
        format!("{scheme}://{userinfo}{}:{}/{path}", self.host, self.port)
    }

    /// What clients did, once the server has been quiet for a moment (its reports
    /// arrive through a pipe, a little after the client saw the effect).
    pub fn events(&self) -> Vec<String> {
        let start = Instant::now();
        let mut seen = self.events.lock().unwrap().len();
        while start.elapsed() < Duration::from_secs(2) {
            std::thread::sleep(Duration::from_millis(100));
            let now = self.events.lock().unwrap().len();
            if now == seen {
                break;
            }
            seen = now;
        }
        self.events.lock().unwrap().clone()
    }

    /// Events that start with `prefix`.
    pub fn count(&self, prefix: &str) -> usize {
        self.events()
            .iter()
            .filter(|e| e.starts_with(prefix))
            .count()
    }

    /// Bytes the server sent over data connections.
    pub fn sent(&self) -> u64 {
        self.events()
            .iter()
            .filter_map(|e| e.strip_prefix("sent "))
            .filter_map(|e| e.rsplit(' ').next()?.parse::<u64>().ok())
            .sum()
    }

    /// Waits (bounded) until `count(prefix)` reaches `n`.
    pub fn wait_for(&self, prefix: &str, n: usize, within: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < within {
            let events = self.events.lock().unwrap();
            if events.iter().filter(|e| e.starts_with(prefix)).count() >= n {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for FtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
