//! The FTP transport against a real FTP server (pyftpdlib) on loopback: ranged reads,
//! reuse of control connections, passive-mode trouble, credentials, FTPS, deadlines.

use std::time::{Duration, Instant};

use super::location::Security;
use super::{Error, Location, Pool, Timeouts, Waiting};
use crate::engine::{Fault, FtpFault, NetError, TlsError};
use crate::loopback::ftp::{FtpOptions, FtpServer};

const STALL: Duration = Duration::from_secs(5);

/// A scratch directory, removed with everything in it when the test is done.
struct Scratch(std::path::PathBuf);

impl std::ops::Deref for Scratch {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A directory with `file.bin` of `len` bytes; the bytes.
fn served(name: &str, len: usize) -> (Scratch, Vec<u8>) {
    let root = std::env::temp_dir().join(format!("braid-ftp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let data = crate::loopback::payload(len, len as u64);
    std::fs::write(root.join("file.bin"), &data).unwrap();
    (Scratch(root), data)
}

fn quick() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(2),
        // Above pyftpdlib's 3 s delay before it answers a wrong password.
        reply: Duration::from_secs(5),
        idle: Duration::from_secs(10),
    }
}

fn location(url: &str) -> Location {
    Location::parse(url).unwrap()
}

/// Reads `len` bytes from `offset` (to the end with `None`), then finishes.
async fn read(pool: &Pool, url: &str, offset: u64, len: Option<usize>) -> Result<Vec<u8>, Error> {
    let mut retrieval = pool.retrieve(&location(url), offset).await?;
    let mut got = Vec::new();
    while len.is_none_or(|len| got.len() < len) {
        match retrieval.chunk(STALL).await? {
            Some(chunk) => got.extend_from_slice(&chunk),
            None => break,
        }
    }
    if let Some(len) = len {
        got.truncate(len);
    }
    retrieval.finish().await?;
    Ok(got)
}

#[tokio::test]
async fn ranges_are_read_with_rest_over_one_reused_control_connection() {
    let (root, data) = served("ranges", 16 << 20);
    let server = FtpServer::start(&root, &FtpOptions::default());
    let pool = Pool::new(quick(), Vec::new());
    let url = server.url("file.bin");

    let facts = pool.facts(&location(&url)).await.unwrap();
    assert_eq!(facts.size, Some(data.len() as u64));
    assert!(facts.modified.is_some(), "MDTM is the validator");

    let middle = read(&pool, &url, 1_000_000, Some(300_000)).await.unwrap();
    assert_eq!(middle, &data[1_000_000..1_300_000]);
    let start = read(&pool, &url, 0, Some(4096)).await.unwrap();
    assert_eq!(start, &data[..4096]);
    let tail_start = data.len() - 100_000;
    let tail = read(&pool, &url, tail_start as u64, None).await.unwrap();
    assert_eq!(tail, &data[tail_start..]);

    assert_eq!(server.count("connect"), 1, "{:?}", server.events());
    assert_eq!(server.count("login anonymous"), 1);
    assert_eq!(server.count("retr"), 3);
    assert!(server.events().contains(&"rest 1000000".to_owned()));
    assert_eq!(
        server.count("rest 0"),
        0,
        "no REST for reads from the start"
    );
    assert_eq!(server.count("epsv"), 3, "EPSV first");
    // The data connection is closed once the range is in: the server sent what fits
    // in the sockets' buffers beyond it, not the rest of the file (31 MiB more).
    assert!(server.wait_for("sent", 3, Duration::from_secs(5)));
    assert!(server.sent() < data.len() as u64, "sent {}", server.sent());
    assert_eq!(pool.idle(), 1);
}

#[tokio::test]
async fn several_connections_to_one_server_at_once() {
    let (root, data) = served("parallel", 2 << 20);
    let server = FtpServer::start(&root, &FtpOptions::default());
    let pool = Pool::new(quick(), Vec::new());
    let url = server.url("file.bin");
    let quarter = data.len() / 4;
    let reads = (0..4).map(|i| {
        let (pool, url) = (pool.clone(), url.clone());
        async move { read(&pool, &url, (i * quarter) as u64, Some(quarter)).await }
    });
    let parts = futures_util::future::join_all(reads).await;
    let joined: Vec<u8> = parts.into_iter().flat_map(Result::unwrap).collect();
    assert_eq!(joined, data);
    assert_eq!(server.count("connect"), 4);
    assert_eq!(pool.idle(), 4);
}

#[tokio::test]
async fn a_server_without_epsv_is_asked_with_pasv() {
    let (root, data) = served("no-epsv", 100_000);
    let options = FtpOptions {
        no_epsv: true,
        ..FtpOptions::default()
    };
    let server = FtpServer::start(&root, &options);
    let pool = Pool::new(quick(), Vec::new());
    let got = read(&pool, &server.url("file.bin"), 10, None)
        .await
        .unwrap();
    assert_eq!(got, &data[10..]);
    let again = read(&pool, &server.url("file.bin"), 20, None)
        .await
        .unwrap();
    assert_eq!(again, &data[20..]);
    assert_eq!(server.count("pasv"), 2);
    assert_eq!(
        server.count("epsv"),
        0,
        "refused EPSV is not counted, nor asked again"
    );
}

#[tokio::test]
async fn a_server_refusing_rest_can_still_send_from_the_start() {
    let (root, data) = served("no-rest", 200_000);
    let options = FtpOptions {
        no_rest: true,
        ..FtpOptions::default()
    };
    let server = FtpServer::start(&root, &options);
    let pool = Pool::new(quick(), Vec::new());
    let url = server.url("file.bin");
    let error = read(&pool, &url, 5000, Some(10)).await.unwrap_err();
    assert!(
        matches!(error, Error::NoRestart { code: 502, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("REST"), "{error}");
    let whole = read(&pool, &url, 0, None).await.unwrap();
    assert_eq!(whole, data);
    assert_eq!(
        server.count("connect"),
        1,
        "the refusal left the connection usable"
    );
}

#[tokio::test]
async fn credentials_from_the_url_and_wrong_ones() {
    let (root, data) = served("login", 50_000);
    let options = FtpOptions {
        user: Some("mirror:s3cret".into()),
        no_anonymous: true,
        ..FtpOptions::default()
    };
    let server = FtpServer::start(&root, &options);
    let pool = Pool::new(quick(), Vec::new());
    let good = server.url_with("ftp", "mirror:s3cret@", "file.bin");
    assert_eq!(read(&pool, &good, 0, None).await.unwrap(), data);
    assert_eq!(server.count("login mirror"), 1);

    let wrong = server.url_with("ftp", "mirror:guess@", "file.bin");
    let error = read(&pool, &wrong, 0, None).await.unwrap_err();
    assert!(matches!(error, Error::Login { code: 530, .. }), "{error}");
    assert!(!error.to_string().contains("guess"));
    assert!(matches!(
        Fault::from(error),
        Fault::Ftp(FtpFault::Login { code: 530, .. })
    ));

    let anonymous = read(&pool, &server.url("file.bin"), 0, None)
        .await
        .unwrap_err();
    assert!(matches!(anonymous, Error::Login { .. }), "{anonymous}");
    // The idle connection logged in as `mirror` is not lent for other logins.
    assert_eq!(server.count("login mirror"), 1);
}

#[tokio::test]
async fn a_missing_file_is_missing() {
    let (root, _) = served("missing", 10);
    let server = FtpServer::start(&root, &FtpOptions::default());
    let pool = Pool::new(quick(), Vec::new());
    let error = read(&pool, &server.url("nope.bin"), 0, None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            Fault::from(error),
            Fault::Ftp(FtpFault::Missing { code: 550, .. })
        ),
        "550 is missing"
    );
}

#[tokio::test]
async fn a_passive_port_that_never_answers_times_out() {
    let (root, _) = served("dead-passive", 100_000);
    let pool = Pool::new(quick(), Vec::new());

    // A firewall that drops the data connection: connecting never completes.
    let dropping = FtpServer::start(
        &root,
        &FtpOptions {
            dead_passive: Some("drop"),
            ..FtpOptions::default()
        },
    );
    let started = Instant::now();
    let error = read(&pool, &dropping.url("file.bin"), 0, None)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::TimedOut(Waiting::DataConnect(_))),
        "{error}"
    );
    assert!(matches!(
        Fault::from(error),
        Fault::Ftp(FtpFault::DataConnection {
            why: NetError::Timeout,
            ..
        })
    ));
    assert!(started.elapsed() < Duration::from_secs(10));

    // A port that takes the connection and never sends.
    let silent = FtpServer::start(
        &root,
        &FtpOptions {
            dead_passive: Some("silent"),
            ..FtpOptions::default()
        },
    );
    let mut retrieval = pool
        .retrieve(&location(&silent.url("file.bin")), 0)
        .await
        .unwrap();
    let stall = Duration::from_millis(500);
    let error = retrieval.chunk(stall).await.unwrap_err();
    assert!(
        matches!(error, Error::TimedOut(Waiting::Data(_))),
        "{error}"
    );
}

#[tokio::test]
async fn a_server_that_never_greets_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    });
    let pool = Pool::new(quick(), Vec::new());
    let started = Instant::now();
    let url = format!("ftp://127.0.0.1:{port}/file.bin");
    let error = read(&pool, &url, 0, None).await.unwrap_err();
    assert!(
        matches!(error, Error::TimedOut(Waiting::Reply(_))),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    held.abort();
}

#[tokio::test]
async fn a_full_server_says_so() {
    let (root, _) = served("full", 1 << 20);
    let options = FtpOptions {
        max_per_ip: Some(1),
        ..FtpOptions::default()
    };
    let server = FtpServer::start(&root, &options);
    let pool = Pool::new(quick(), Vec::new());
    let url = server.url("file.bin");
    let first = pool.retrieve(&location(&url), 0).await.unwrap();
    let error = pool.retrieve(&location(&url), 1000).await.unwrap_err();
    assert!(
        matches!(
            Fault::from(error),
            Fault::Ftp(FtpFault::Full { code: 421, .. })
        ),
        "421 at the greeting: full"
    );
    drop(first);
}

#[tokio::test]
async fn idle_control_connections_are_closed() {
    let (root, _) = served("idle", 1000);
    let server = FtpServer::start(&root, &FtpOptions::default());
    let pool = Pool::new(
        Timeouts {
            idle: Duration::from_millis(300),
            ..quick()
        },
        Vec::new(),
    );
    read(&pool, &server.url("file.bin"), 0, None).await.unwrap();
    assert_eq!(pool.idle(), 1);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(pool.idle(), 0);
    assert!(server.wait_for("disconnect", 1, Duration::from_secs(5)));
}

#[tokio::test]
async fn ftps_encrypts_with_a_verified_certificate() {
    let (root, data) = served("ftps", 500_000);
    let tls = root.join("tls");
    let options = FtpOptions {
        tls: Some(tls.clone()),
        ..FtpOptions::default()
    };
    let server = FtpServer::start(&root, &options);
    let ca = std::fs::read(tls.join("ca.der")).unwrap();
    let pool = Pool::new(quick(), vec![ca.into()]);
    let url = server.url_with("ftps", "", "file.bin");
    assert_eq!(location(&url).security(), Security::ExplicitTls);
    assert_eq!(
        read(&pool, &url, 1000, Some(2000)).await.unwrap(),
        &data[1000..3000]
    );
    assert_eq!(read(&pool, &url, 0, None).await.unwrap(), data);
    assert_eq!(server.count("connect"), 1);

    // Not trusted without the test's CA.
    let untrusting = Pool::new(quick(), Vec::new());
    let error = read(&untrusting, &url, 0, None).await.unwrap_err();
    assert!(
        matches!(error, Error::Tls(TlsError::UnknownIssuer)),
        "{error}"
    );
}

#[tokio::test]
async fn ftps_needs_a_server_that_offers_tls() {
    let (root, _) = served("no-tls", 1000);
    let server = FtpServer::start(&root, &FtpOptions::default());
    let pool = Pool::new(quick(), Vec::new());
    let url = server.url_with("ftps", "", "file.bin");
    let error = read(&pool, &url, 0, None).await.unwrap_err();
    assert!(matches!(error, Error::NoTls(_)), "{error}");
}

#[test]
fn faults() {
    let refused = |command, code| Error::Refused {
        command,
        code,
        text: String::new(),
    };
    assert!(matches!(
        Fault::from(refused("RETR", 451)),
        Fault::Ftp(FtpFault::Busy { code: 451, .. })
    ));
    assert!(matches!(
        Fault::from(refused("RETR", 553)),
        Fault::Ftp(FtpFault::Refused { code: 553, .. })
    ));
    let wrong = Error::Login {
        code: 530,
        text: "Authentication failed.".into(),
    };
    assert!(matches!(
        Fault::from(wrong),
        Fault::Ftp(FtpFault::Login { .. })
    ));
    let full = Error::Login {
        code: 530,
        text: "Sorry, the maximum number of clients (2) from your host are already connected."
            .into(),
    };
    assert!(matches!(
        Fault::from(full),
        Fault::Ftp(FtpFault::Full { .. })
    ));
}
