//! Real web servers on loopback, for the faults they produce themselves: nginx and
//! lighttpd, each started in the foreground with a configuration written by the test,
//! serving a directory, logging one line per request (which connection, status, bytes)
//! so a test can count connections and bytes as the server saw them.
//!
//! A missing server fails the test with what to install (CI installs both).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Which server, and how it is told what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Nginx,
    Lighttpd,
}

/// One request as the server logged it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// Identifies the TCP connection: the server's address and its serial number (nginx)
    /// or the client's port (lighttpd).
    pub connection: String,
    pub status: u16,
    pub body_bytes: u64,
}

/// A certificate chain and its key, PEM-encoded, for an HTTPS server.
pub struct Pem {
    pub chain: String,
    pub key: String,
}

/// A running server; killed on drop.
pub struct WebServer {
    child: Option<Child>,
    dir: PathBuf,
    pub addr: SocketAddr,
}

impl WebServer {
    /// nginx serving `root` on 127.0.0.`host`, with `directives` (e.g. `limit_rate 10;`)
    /// inside its `server` block.
    pub fn nginx(host: u8, root: &Path, directives: &str) -> WebServer {
        Self::start(Kind::Nginx, host, root, directives, None)
    }

    /// [`WebServer::nginx`] over HTTPS with this certificate chain and key (PEM).
    pub fn nginx_tls(host: u8, root: &Path, tls: &Pem, directives: &str) -> WebServer {
        Self::start(Kind::Nginx, host, root, directives, Some(tls))
    }

    /// lighttpd serving `root` on 127.0.0.`host`, with `options` (lighttpd.conf lines).
    pub fn lighttpd(host: u8, root: &Path, options: &str) -> WebServer {
        Self::start(Kind::Lighttpd, host, root, options, None)
    }

    /// `http(s)://host:port/path`.
    pub fn url(&self, scheme: &str, path: &str) -> String {
        format!("{scheme}://{}/{path}", self.addr)
    }

    fn start(kind: Kind, host: u8, root: &Path, extra: &str, tls: Option<&Pem>) -> WebServer {
        let program = match kind {
            Kind::Nginx => "nginx",
            Kind::Lighttpd => "lighttpd",
        };
        // The port is found free, then handed to the server: another process can take it
        // in between, so a server that cannot bind is started again on another.
        for attempt in 0..5 {
            let addr = free_port(host);
            let dir = std::env::temp_dir().join(format!(
                "braid-web-{program}-{}-{host}-{attempt}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("tmp")).unwrap();
            let mut extra = extra.to_owned();
            let mut listen = String::new();
            if let Some(tls) = tls {
                std::fs::write(dir.join("cert.pem"), &tls.chain).unwrap();
                std::fs::write(dir.join("key.pem"), &tls.key).unwrap();
                listen = " ssl".into();
                extra += &format!(
                    "\n        ssl_certificate {0}/cert.pem;\n        ssl_certificate_key {0}/key.pem;",
                    dir.display()
                );
            }
            let config = dir.join("server.conf");
            let text = configuration(kind, addr, &listen, root, &dir, &extra);
            std::fs::write(&config, text).unwrap();
            let mut command = match kind {
                Kind::Nginx => {
                    let mut c = Command::new("nginx");
                    c.arg("-e").arg(dir.join("error.log"));
                    c.arg("-p").arg(&dir).arg("-c").arg(&config);
                    c
                }
                Kind::Lighttpd => {
                    let mut c = Command::new("lighttpd");
                    c.arg("-D").arg("-f").arg(&config);
                    c
                }
            };
            let child = command
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("{program} is needed for this test (apt-get install -y {program}): {e}")
                });
            let mut server = WebServer {
                child: Some(child),
                dir,
                addr,
            };
            if server.wait_until_listening() {
                return server;
            }
            eprintln!("{program} did not start on {addr}: {}", server.error_log());
        }
        panic!("{program} did not start in five attempts");
    }

    /// True once the port accepts connections; false if the server exited first.
    fn wait_until_listening(&mut self) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Some(child) = self.child.as_mut()
                && child.try_wait().unwrap().is_some()
            {
                self.child = None;
                return false;
            }
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                // That probe was a connection too: let the server log it before a test
                // counts (it made no request, so it adds no line).
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// The server's error log (TLS handshake failures are logged there at `info`).
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }

    /// Stops the server (so it has written all its logs) and returns its requests.
    pub fn stop(mut self) -> Vec<Logged> {
        self.halt();
        let log = std::fs::read_to_string(self.dir.join("access.log")).unwrap_or_default();
        let addr = self.addr;
        log.lines()
            .map(|line| {
                let mut fields = line.split(' ');
                let mut next = || fields.next().unwrap_or_default().to_owned();
                Logged {
                    connection: format!("{addr} #{}", next()),
                    status: next().parse().unwrap_or(0),
                    body_bytes: next().parse().unwrap_or(0),
                }
            })
            .collect()
    }

    /// The error log once the server has stopped.
    pub fn stop_with_errors(mut self) -> String {
        self.halt();
        self.error_log()
    }

    fn halt(&mut self) {
        if let Some(mut child) = self.child.take() {
            // SIGTERM lets lighttpd flush its buffered access log; nginx writes at once.
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(5) {
                if child.try_wait().unwrap().is_some() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for WebServer {
    fn drop(&mut self) {
        self.halt();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A port on 127.0.0.`host` that was free a moment ago.
fn free_port(host: u8) -> SocketAddr {
    TcpListener::bind(SocketAddr::from(([127, 0, 0, host], 0)))
        .and_then(|l| l.local_addr())
        .expect("a loopback port")
}

/// Access lines are "connection status body-bytes".
fn configuration(
    kind: Kind,
    addr: SocketAddr,
    listen: &str,
    root: &Path,
    dir: &Path,
    extra: &str,
) -> String {
    let (root, dir) = (root.display(), dir.display());
    match kind {
        Kind::Nginx => format!(
            "daemon off;
master_process off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
    log_format braid '$connection $status $body_bytes_sent';
    access_log {dir}/access.log braid;
    server {{
        listen {addr}{listen};
        root {root};
        {extra}
    }}
}}
"
        ),
        Kind::Lighttpd => format!(
            "server.document-root = \"{root}\"
server.bind = \"{ip}\"
server.port = {port}
server.errorlog = \"{dir}/error.log\"
server.pid-file = \"{dir}/lighttpd.pid\"
server.modules = (\"mod_accesslog\")
accesslog.filename = \"{dir}/access.log\"
accesslog.format = \"%{{remote}}p %s %b\"
{extra}
",
            ip = addr.ip(),
            port = addr.port(),
        ),
    }
}
