//! The faults of issue 10 as real servers produce them, configured as mirrors in the
//! wild are: nginx and lighttpd on loopback (Braid's own mirror is only one
//! implementation of HTTP; these are the ones users meet). Each test counts what the
//! server itself logged: connections, requests, bytes.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use braid::engine::{
    DropReason, Engine, Event, Fault, JobError, JobSpec, MirrorReason, NetError, Settings,
    TlsError, Trouble,
};
use support::tls::{TestCa, self_signed};
use support::web::WebServer;
use support::{
    all_finished, ending_with_progress, outcome, payload, ranked_urls, spec, temp_dir,
    troubles_until_the_end,
};

const MIB: usize = 1024 * 1024;

/// A directory holding `files` for a server's root.
fn www(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = temp_dir(name);
    for (path, data) in files {
        std::fs::write(dir.join(path), data).unwrap();
    }
    dir
}

/// A download of `data` as `name` into `dir` from `urls`, in that order of priority.
fn job(name: &str, dir: &Path, data: &[u8], urls: &[String], with_pieces: bool) -> JobSpec {
    let mut job = spec(name, dir, data, &[], with_pieces);
    job.urls = ranked_urls(urls.iter().cloned());
    job
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// nginx with `gzip_static always` (sites that keep only the .gz of a file) answers a
/// Range request with the whole compressed file: 200 and `Content-Encoding: gzip`. With
/// only a whole-file hash nothing else would notice; the mirror is dropped for its
/// encoding after one answer and lighttpd delivers the file. Alone, the failure says
/// "content encoding".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_sending_gzip_for_a_range_is_dropped_and_lighttpd_delivers() {
    let data = Arc::new(payload(2 * MIB, 41));
    let root = www(
        "real-gzip-www",
        &[("f.bin", &data), ("f.bin.gz", &gzip(&data))],
    );
    let encoding = WebServer::nginx(1, &root, "gzip_static always;");
    // 1 MB/s: the encoding mirror has answered long before the file is complete.
    let good = WebServer::lighttpd(2, &root, "server.kbytes-per-second = 1000");
    let dir = temp_dir("real-gzip");
    let (engine, mut events) = Engine::start(Settings::default());
    let urls = [encoding.url("http", "f.bin"), good.url("http", "f.bin")];
    let id = engine.add(job("out.bin", &dir, &data, &urls, false));
    let (ending, last) = ending_with_progress(&mut events, id).await;
    match ending {
        Event::Finished { path, .. } => assert_eq!(std::fs::read(path).unwrap(), *data),
        other => panic!("{other:?}"),
    }
    let gzip_reason = DropReason::Unusable(Fault::ContentEncoding {
        coding: "gzip".into(),
    });
    assert_eq!(
        last.expect("progress was reported").mirrors[0].dropped,
        Some(gzip_reason.clone())
    );

    let alone = job("alone.bin", &dir, &data, &urls[..1], false);
    let id = engine.add(alone);
    match outcome(&mut events, id).await {
        Event::Failed {
            error: JobError::NoMirrors(reasons),
            ..
        } => {
            assert_eq!(reasons[0].reason, MirrorReason::Dropped(gzip_reason));
            let text = JobError::NoMirrors(reasons).to_string();
            assert!(text.contains("content encoding (gzip)"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!dir.join("alone.bin").exists());
    drop(engine);
    let requests = encoding.stop();
    assert_eq!(requests.len(), 2, "one answer per download: {requests:?}");
    drop(good);
    for dir in [dir, root] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

/// nginx with `limit_rate 10` sends its headers at once and then ten bytes a second: a
/// slowloris any server can be made into. With one connection and it listed first,
/// Braid gives it up as too slow and lighttpd delivers the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickling_nginx_never_holds_a_one_connection_download() {
    let data = Arc::new(payload(2 * MIB, 42));
    let root = www("real-trickle-www", &[("f.bin", &data)]);
    let trickling = WebServer::nginx(1, &root, "limit_rate 10;");
    let good = WebServer::lighttpd(2, &root, "");
    let dir = temp_dir("real-trickle");
    let settings = Settings {
        max_connections: 1,
        ..Settings::default()
    };
    let (engine, mut events) = Engine::start(settings);
    let urls = [trickling.url("http", "f.bin"), good.url("http", "f.bin")];
    let id = engine.add(job("out.bin", &dir, &data, &urls, true));
    let troubles = troubles_until_the_end(&mut events, id, &data).await;
    assert!(
        troubles
            .iter()
            .any(|t| matches!(t, Trouble::Fault(Fault::Network(NetError::TooSlow { .. })))),
        "{troubles:?}"
    );
    drop(engine);
    let sent: u64 = trickling.stop().iter().map(|r| r.body_bytes).sum();
    assert!(sent < 1000, "the trickle delivered {sent} bytes");
    drop(good);
    for dir in [dir, root] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

/// nginx over HTTPS with a self-signed certificate: one handshake, the mirror dropped
/// saying "certificate not trusted: unknown issuer", the file from the trusted one; a
/// trusted certificate for another name is named, not retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_certificate_problems_are_permanent_and_named() {
    let data = Arc::new(payload(MIB, 43));
    let root = www("real-tls-www", &[("f.bin", &data)]);
    let ca = TestCa::new();
    let untrusted = WebServer::nginx_tls(1, &root, &self_signed("127.0.0.1").pem(), "");
    let trusted = WebServer::nginx_tls(2, &root, &ca.issue(&["127.0.0.2"]).pem(), "limit_rate 1m;");
    let elsewhere = WebServer::nginx_tls(3, &root, &ca.issue(&["mirror.example.org"]).pem(), "");
    let dir = temp_dir("real-tls");
    let (engine, mut events) = Engine::start_with(Settings::default(), ca.trust());

    let urls = [
        untrusted.url("https", "f.bin"),
        trusted.url("https", "f.bin"),
    ];
    let id = engine.add(job("out.bin", &dir, &data, &urls, false));
    let (ending, last) = ending_with_progress(&mut events, id).await;
    match ending {
        Event::Finished { path, .. } => assert_eq!(std::fs::read(path).unwrap(), *data),
        other => panic!("{other:?}"),
    }
    let dropped = last.unwrap().mirrors[0].dropped.clone().expect("dropped");
    assert_eq!(
        dropped,
        DropReason::Unusable(Fault::Tls(TlsError::UnknownIssuer))
    );
    assert_eq!(
        dropped.to_string(),
        "certificate not trusted: unknown issuer"
    );

    let other = job(
        "other.bin",
        &dir,
        &data,
        &[elsewhere.url("https", "f.bin")],
        false,
    );
    let id = engine.add(other);
    match outcome(&mut events, id).await {
        Event::Failed {
            error: JobError::NoMirrors(reasons),
            ..
        } => {
            let text = reasons[0].reason.to_string();
            assert!(
                text.contains("certificate is for another host: mirror.example.org"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
    drop(engine);
    for (server, name) in [(untrusted, "self-signed"), (elsewhere, "other host")] {
        let log = server.stop_with_errors();
        let handshakes = log.matches("SSL_do_handshake() failed").count();
        assert_eq!(handshakes, 1, "{name}: never retried\n{log}");
    }
    drop(trusted);
    for dir in [dir, root] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

/// 300 small files from nginx (which, like many servers, closes a keep-alive connection
/// after 100 requests) and lighttpd: connections are reused across the files, within
/// the per-origin caps, every request fetches a file and no byte is fetched twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_small_files_from_nginx_and_lighttpd_reuse_connections() {
    let files: Vec<(String, Vec<u8>)> = (0..300)
        .map(|i| {
            let size = 4096 + (i * 7919 % 61) * 1024;
            (format!("f-{i:03}.bin"), payload(size, 200 + i as u64))
        })
        .collect();
    let listed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, data)| (name.as_str(), data.as_slice()))
        .collect();
    let root = www("real-small-www", &listed);
    let first = WebServer::nginx(1, &root, "keepalive_requests 100;");
    let second = WebServer::lighttpd(2, &root, "");
    let dir = temp_dir("real-small");
    let (engine, mut events) = Engine::start(Settings::default());
    let mut expected = std::collections::HashMap::new();
    for (name, data) in &files {
        let urls = [first.url("http", name), second.url("http", name)];
        expected.insert(
            engine.add(job(name, &dir, data, &urls, false)),
            data.as_slice(),
        );
    }
    all_finished(&mut events, expected).await;
    drop(engine);
    let total: u64 = files.iter().map(|(_, d)| d.len() as u64).sum();
    let logged: Vec<_> = [first.stop(), second.stop()].concat();
    let connections: std::collections::HashSet<_> =
        logged.iter().map(|r| r.connection.clone()).collect();
    let sent: u64 = logged.iter().map(|r| r.body_bytes).sum();
    eprintln!(
        "{} connections, {} requests, {sent} bytes for {total}",
        connections.len(),
        logged.len()
    );
    assert!(connections.len() <= 16, "{} connections", connections.len());
    assert!(
        logged.len() <= 306,
        "{} requests for 300 files",
        logged.len()
    );
    assert!(sent <= total + total / 50, "{sent} bytes sent for {total}");
    assert!(
        logged.iter().all(|r| r.status == 200 || r.status == 206),
        "{logged:?}"
    );
    for dir in [dir, root] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

/// `braid get` of an HTTPS link as a user types it: a server whose CA the system does
/// not know fails at once, saying what is wrong; with that CA in `SSL_CERT_FILE` (the
/// system's trust store, as OpenSSL's tools read it) the same link downloads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn braid_get_names_an_unknown_issuer_and_follows_ssl_cert_file() {
    let data = payload(MIB, 44);
    let root = www("real-cli-tls-www", &[("f.bin", &data)]);
    let ca = TestCa::new();
    let server = WebServer::nginx_tls(1, &root, &ca.issue(&["127.0.0.1"]).pem(), "");
    let dir = temp_dir("real-cli-tls");
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    let url = server.url("https", "f.bin");
    let get = |out: &str, ca: Option<&Path>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_braid"));
        command
            .env("LANG", "en_US.UTF-8")
            .env_remove("SSL_CERT_FILE")
            .env_remove("SSL_CERT_DIR")
            .args(["get", "--no-checksum-search", "-d"])
            .arg(dir.join(out))
            .arg(&url)
            .stdin(std::process::Stdio::null());
        if let Some(ca) = ca {
            command.env("SSL_CERT_FILE", ca);
        }
        let url = url.clone();
        async move {
            let started = std::time::Instant::now();
            let output = tokio::task::spawn_blocking(move || command.output().expect("braid runs"))
                .await
                .unwrap();
            eprintln!("{url}: {:?}", started.elapsed());
            output
        }
    };

    let refused = get("refused", None).await;
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{stderr}");
    assert!(
        stderr.contains("certificate not trusted: unknown issuer"),
        "{stderr}"
    );
    assert!(!stderr.contains("in a row"), "not retried: {stderr}");
    assert!(!dir.join("refused/f.bin").exists());

    let trusted = get("trusted", Some(&ca_file)).await;
    assert!(
        trusted.status.success(),
        "{}",
        String::from_utf8_lossy(&trusted.stderr)
    );
    assert_eq!(std::fs::read(dir.join("trusted/f.bin")).unwrap(), data);
    drop(server);
    for dir in [dir, root] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}
