//! FTP mirrors in the engine and in `braid get`, against a real FTP server (pyftpdlib)
//! on loopback: mixed with HTTP and alone, corrupting, refusing REST, killed and
//! resumed, wrong credentials, a passive port that never answers, FTPS, plain URLs.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use braid::engine::verify::digest;
use braid::engine::{
    DropReason, Engine, Event, Fault, FtpFault, JobError, MirrorReason, Settings, Trust,
};
use braid::loopback::ftp::{FtpOptions, FtpServer};
use braid::metalink::{HashAlgorithm, MirrorUrl};
use support::{
    Faults, PIECE, ending_with_progress, finished_with, mirror, outcome, payload, spec, temp_dir,
};

/// A scratch directory, removed when the test is done (whatever it left there).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A directory `root` under `dir` with `file.bin` holding `data`, for a server.
fn serve(dir: &Path, data: &[u8]) -> PathBuf {
    let root = dir.join("root");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("file.bin"), data).unwrap();
    root
}

fn listed(url: String, priority: u32) -> MirrorUrl {
    MirrorUrl {
        url,
        priority,
        location: None,
        max_connections: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metalink_with_ftp_and_http_mirrors_finishes_from_both() {
    let data = Arc::new(payload(4 << 20, 31));
    let dir = temp_dir("ftp-mixed");
    let _scratch = Scratch(dir.clone());
    let ftp = FtpServer::start(
        &serve(&dir, &data),
        &FtpOptions {
            rate: Some(1 << 20),
            ..FtpOptions::default()
        },
    );
    let http = mirror(1, data.clone(), Faults::throttled(1 << 20)).await;
    let mut spec = spec("out.bin", &dir, &data, &[&http], true);
    spec.urls.push(listed(ftp.url("file.bin"), 1));
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec);
    let (event, progress) = ending_with_progress(&mut events, id).await;
    match event {
        Event::Finished { id: done, path, .. } => {
            assert_eq!(done, id);
            assert_eq!(std::fs::read(path).unwrap(), *data);
        }
        other => panic!("{other:?}"),
    }
    let progress = progress.unwrap();
    let bytes = |scheme: &str| {
        progress
            .mirrors
            .iter()
            .filter(|m| m.url.starts_with(scheme))
            .map(|m| m.bytes)
            .sum::<u64>()
    };
    assert!(
        bytes("ftp:") >= 512 << 10,
        "FTP delivered {}",
        bytes("ftp:")
    );
    assert!(
        bytes("http:") >= 512 << 10,
        "HTTP delivered {}",
        bytes("http:")
    );
    assert!(ftp.count("retr") >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ftp_only_metalink_uses_several_connections_and_reuses_them() {
    let data = Arc::new(payload(6 << 20, 32));
    let dir = temp_dir("ftp-only");
    let _scratch = Scratch(dir.clone());
    // Capped per data connection, so more connections pay off.
    let ftp = FtpServer::start(
        &serve(&dir, &data),
        &FtpOptions {
            rate: Some(1 << 20),
            ..FtpOptions::default()
        },
    );
    let mut first = spec("out.bin", &dir, &data, &[], true);
    first.urls = vec![listed(ftp.url("file.bin"), 1)];
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(first.clone());
    finished_with(&mut events, id, &data).await;
    let (connects, retrs) = (ftp.count("connect"), ftp.count("retr"));
    assert!(connects >= 2, "several connections: {:?}", ftp.events());
    assert!(connects <= 4, "within the per-origin cap: {connects}");
    assert_eq!(ftp.count("login anonymous"), connects);
    assert!(retrs >= connects);
    // Reading on past a window needs no new request: a connection's run is one RETR
    // (a REST each), however many 2 MiB windows it spans.
    assert!(
        retrs <= 2 * connects + 2,
        "{retrs} RETRs over {connects} connections"
    );
    assert!(
        ftp.sent() < data.len() as u64 + (4 << 20),
        "sent {}",
        ftp.sent()
    );

    // The next download from the same server takes a logged-in control connection.
    let seen = ftp.events().len();
    let mut second = first;
    second.name = "again.bin".into();
    let id = engine.add(second);
    finished_with(&mut events, id, &data).await;
    let next = ftp.events()[seen..].to_vec();
    assert!(next.iter().any(|e| e.starts_with("retr")));
    assert!(
        !next[0].starts_with("connect"),
        "the first request reuses a connection: {next:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupting_ftp_mirror_is_dropped_and_its_pieces_repaired() {
    let data = Arc::new(payload(2 << 20, 33));
    let dir = temp_dir("ftp-corrupt");
    let _scratch = Scratch(dir.clone());
    let size = data.len() as u64;
    let ftp = FtpServer::start(
        &serve(&dir, &data),
        &FtpOptions {
            // A byte in every piece.
            corrupt: (0..size / PIECE)
                .map(|p| (p * PIECE + 7, p * PIECE + 8))
                .collect(),
            ..FtpOptions::default()
        },
    );
    let http = mirror(1, data.clone(), Faults::throttled(1 << 20)).await;
    let mut spec = spec("out.bin", &dir, &data, &[], true);
    spec.urls = vec![listed(ftp.url("file.bin"), 1), listed(http.url(), 2)];
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec);
    let (event, progress) = ending_with_progress(&mut events, id).await;
    match event {
        Event::Finished {
            id: done,
            path,
            repaired,
            ..
        } => {
            assert_eq!(done, id);
            assert_eq!(std::fs::read(path).unwrap(), *data);
            assert!(repaired >= 1);
        }
        other => panic!("{other:?}"),
    }
    let progress = progress.unwrap();
    let ftp_status = progress
        .mirrors
        .iter()
        .find(|m| m.url.starts_with("ftp:"))
        .unwrap();
    assert!(
        matches!(ftp_status.dropped, Some(DropReason::BadPieces { .. })),
        "{:?}",
        ftp_status.dropped
    );
    assert!(progress.repairs.iter().all(|r| {
        r.bad_mirror.starts_with("ftp:")
            && r.good_mirror
                .as_deref()
                .is_some_and(|g| g.starts_with("http:"))
    }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_refusing_rest_still_serves_the_file_from_its_start() {
    let data = Arc::new(payload(3 << 20, 34));
    let dir = temp_dir("ftp-no-rest");
    let _scratch = Scratch(dir.clone());
    let ftp = FtpServer::start(
        &serve(&dir, &data),
        &FtpOptions {
            no_rest: true,
            ..FtpOptions::default()
        },
    );
    // Alone: one stream from the first byte.
    let mut alone = spec("alone.bin", &dir, &data, &[], true);
    alone.urls = vec![listed(ftp.url("file.bin"), 1)];
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(alone);
    finished_with(&mut events, id, &data).await;
    assert_eq!(ftp.count("rest"), 0);

    // Beside an HTTP mirror: both finish it, and the FTP one is not asked again and
    // again for offsets it cannot start at.
    let http = mirror(1, data.clone(), Faults::throttled(2 << 20)).await;
    let mut mixed = spec("mixed.bin", &dir, &data, &[&http], true);
    mixed.urls.push(listed(ftp.url("file.bin"), 2));
    let before = ftp.count("retr");
    let id = engine.add(mixed);
    finished_with(&mut events, id, &data).await;
    let asked = ftp.count("retr") - before;
    assert!(asked <= 4, "{asked} RETRs for a server without REST");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_drop_the_mirror_and_say_why() {
    let data = Arc::new(payload(1 << 20, 35));
    let dir = temp_dir("ftp-login");
    let _scratch = Scratch(dir.clone());
    let ftp = FtpServer::start(
        &serve(&dir, &data),
        &FtpOptions {
            user: Some("mirror:s3cret".into()),
            no_anonymous: true,
            ..FtpOptions::default()
        },
    );
    let wrong = ftp.url_with("ftp", "mirror:guess@", "file.bin");
    let mut only = spec("out.bin", &dir, &data, &[], true);
    only.urls = vec![listed(wrong.clone(), 1)];
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(only);
    match outcome(&mut events, id).await {
        Event::Failed {
            error: JobError::NoMirrors(failures),
            ..
        } => {
            assert!(
                matches!(
                    &failures[0].reason,
                    MirrorReason::Dropped(DropReason::Unusable(Fault::Ftp(FtpFault::Login {
                        code: 530,
                        ..
                    })))
                ),
                "{failures:?}"
            );
            let shown = JobError::NoMirrors(failures).to_string();
            assert!(shown.contains("mirror:***@"), "{shown}");
            assert!(!shown.contains("guess"), "{shown}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ftp.count("login"), 0, "{:?}", ftp.events());

    // The right ones work.
    let mut right = spec("right.bin", &dir, &data, &[], true);
    right.urls = vec![listed(ftp.url_with("ftp", "mirror:s3cret@", "file.bin"), 1)];
    let id = engine.add(right);
    finished_with(&mut events, id, &data).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_go_to_their_own_server_only() {
    let data = Arc::new(payload(2 << 20, 36));
    let dir = temp_dir("ftp-own-credentials");
    let _scratch = Scratch(dir.clone());
    let root = serve(&dir, &data);
    let private = FtpServer::start(
        &root,
        &FtpOptions {
            user: Some("mirror:s3cret".into()),
            rate: Some(1 << 20),
            ..FtpOptions::default()
        },
    );
    let public = FtpServer::start(
        &root,
        &FtpOptions {
            host: Some("127.0.0.2".into()),
            rate: Some(1 << 20),
            ..FtpOptions::default()
        },
    );
    let mut spec = spec("out.bin", &dir, &data, &[], true);
    spec.urls = vec![
        listed(private.url_with("ftp", "mirror:s3cret@", "file.bin"), 1),
        listed(public.url("file.bin"), 1),
    ];
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec);
    finished_with(&mut events, id, &data).await;
    let logins = |server: &FtpServer| -> Vec<String> {
        server
            .events()
            .into_iter()
            .filter(|e| e.starts_with("login"))
            .collect()
    };
    assert!(!logins(&private).is_empty());
    assert!(logins(&private).iter().all(|l| l == "login mirror"));
    assert!(!logins(&public).is_empty());
    assert!(
        logins(&public).iter().all(|l| l == "login anonymous"),
        "{:?}",
        logins(&public)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passive_port_that_never_answers_leaves_the_work_to_others() {
    let data = Arc::new(payload(2 << 20, 37));
    let dir = temp_dir("ftp-dead-passive");
    let _scratch = Scratch(dir.clone());
    let ftp = FtpServer::start(
        &serve(&dir, &data),
        &FtpOptions {
            dead_passive: Some("drop"),
            ..FtpOptions::default()
        },
    );
    let http = mirror(1, data.clone(), Faults::throttled(1 << 20)).await;
    let mut spec = spec("out.bin", &dir, &data, &[], true);
    spec.urls = vec![listed(ftp.url("file.bin"), 1), listed(http.url(), 2)];
    let (engine, mut events) = Engine::start(Settings::default());
    let started = Instant::now();
    let id = engine.add(spec);
    let (event, progress) = ending_with_progress(&mut events, id).await;
    assert!(matches!(event, Event::Finished { .. }), "{event:?}");
    assert_eq!(std::fs::read(dir.join("out.bin")).unwrap(), *data);
    let ftp_status = progress
        .unwrap()
        .mirrors
        .into_iter()
        .find(|m| m.url.starts_with("ftp:"))
        .unwrap();
    assert_eq!(ftp_status.bytes, 0);
    // The HTTP mirror alone needs about two seconds; the dead port does not hold the
    // download beyond that.
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ftps_mirrors_are_verified_and_encrypted() {
    let data = Arc::new(payload(1 << 20, 38));
    let dir = temp_dir("ftps");
    let _scratch = Scratch(dir.clone());
    let tls = dir.join("tls");
    let ftp = FtpServer::start(
        &serve(&dir, &data),
        &FtpOptions {
            tls: Some(tls.clone()),
            ..FtpOptions::default()
        },
    );
    let url = ftp.url_with("ftps", "", "file.bin");
    let ca = std::fs::read(tls.join("ca.der")).unwrap();
    let (engine, mut events) =
        Engine::start_with(Settings::default(), Trust::default().with_certificate(ca));
    let mut trusted = spec("out.bin", &dir, &data, &[], true);
    trusted.urls = vec![listed(url.clone(), 1)];
    let id = engine.add(trusted);
    finished_with(&mut events, id, &data).await;

    // Without the CA, the certificate is not trusted and the mirror is dropped.
    let (engine, mut events) = Engine::start(Settings::default());
    let mut untrusted = spec("untrusted.bin", &dir, &data, &[], true);
    untrusted.urls = vec![listed(url, 1)];
    let id = engine.add(untrusted);
    match outcome(&mut events, id).await {
        Event::Failed {
            error: JobError::NoMirrors(failures),
            ..
        } => assert!(
            matches!(
                failures[0].reason,
                MirrorReason::Dropped(DropReason::Unusable(Fault::Tls(_)))
            ),
            "{failures:?}"
        ),
        other => panic!("{other:?}"),
    }
}

// `braid get` as a user runs it.

fn braid() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_braid"));
    command.env("LANG", "en_US.UTF-8");
    command
}

async fn get(args: Vec<String>, env: Vec<(&'static str, PathBuf)>) -> Output {
    tokio::task::spawn_blocking(move || {
        braid()
            .arg("get")
            .args(&args)
            .envs(env)
            .stdin(Stdio::null())
            .output()
            .expect("braid runs")
    })
    .await
    .unwrap()
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn braid_get_takes_a_plain_ftp_url() {
    let data = payload(700_000, 39);
    let dir = temp_dir("get-ftp");
    let _scratch = Scratch(dir.clone());
    let tls = dir.join("tls");
    let ftp = FtpServer::start(
        &serve(&dir, &data),
        &FtpOptions {
            tls: Some(tls.clone()),
            ..FtpOptions::default()
        },
    );
    let out = dir.join("out");
    let plain = get(
        vec!["-d".into(), out.display().to_string(), ftp.url("file.bin")],
        Vec::new(),
    )
    .await;
    assert!(
        plain.status.success(),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
    assert_eq!(std::fs::read(out.join("file.bin")).unwrap(), data);

    // FTPS, trusting the test's CA the way users trust a private one.
    let secure = dir.join("secure");
    let output = get(
        vec![
            "-d".into(),
            secure.display().to_string(),
            ftp.url_with("ftps", "", "file.bin"),
        ],
        vec![("SSL_CERT_FILE", tls.join("ca.pem"))],
    )
    .await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(std::fs::read(secure.join("file.bin")).unwrap(), data);

    let missing = get(
        vec!["-d".into(), out.display().to_string(), ftp.url("nope.bin")],
        Vec::new(),
    )
    .await;
    assert!(!missing.status.success());
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("FTP 550"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_over_ftp_and_run_again_resumes() {
    let data = Arc::new(payload(6 << 20, 40));
    let dir = temp_dir("ftp-sigkill");
    let _scratch = Scratch(dir.clone());
    let ftp = FtpServer::start(
        &serve(&dir, &data),
        &FtpOptions {
            rate: Some(1 << 20),
            max_per_ip: Some(1),
            ..FtpOptions::default()
        },
    );
    let pieces: String = data
        .chunks(PIECE as usize)
        .map(|c| format!("<hash>{}</hash>", hex(&digest(HashAlgorithm::Sha256, c))))
        .collect();
    let metalink = dir.join("file.meta4");
    std::fs::write(
        &metalink,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<metalink xmlns="urn:ietf:params:xml:ns:metalink">
  <file name="file.bin">
    <size>{}</size>
    <hash type="sha-256">{}</hash>
    <pieces length="{PIECE}" type="sha-256">{pieces}</pieces>
    <url>{}</url>
  </file>
</metalink>"#,
            data.len(),
            hex(&digest(HashAlgorithm::Sha256, &data)),
            ftp.url("file.bin")
        ),
    )
    .unwrap();
    let out = dir.join("out");
    {
        let (out, metalink) = (out.clone(), metalink.clone());
        tokio::task::spawn_blocking(move || {
            let mut child = braid()
                .args(["get", "-d"])
                .arg(&out)
                .arg(&metalink)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let state = out.join("file.bin.braid-state");
            let deadline = Instant::now() + Duration::from_secs(30);
            while !std::fs::read_to_string(&state).is_ok_and(|t| t.contains("\"done\":\"1")) {
                assert!(Instant::now() < deadline, "no progress saved within 30 s");
                assert!(child.try_wait().unwrap().is_none(), "braid ended early");
                std::thread::sleep(Duration::from_millis(50));
            }
            std::thread::sleep(Duration::from_millis(1500));
            child.kill().unwrap(); // SIGKILL: no chance to save anything
            child.wait().unwrap();
        })
        .await
        .unwrap();
    }
    assert!(!out.join("file.bin").exists(), "no unverified final file");
    // The server sees the killed connection go.
    assert!(ftp.wait_for("disconnect", 1, Duration::from_secs(10)));
    let sent_before = ftp.sent();
    assert!(
        sent_before > 0 && sent_before < data.len() as u64,
        "{sent_before}"
    );
    let output = get(
        vec![
            "-d".into(),
            out.display().to_string(),
            metalink.display().to_string(),
        ],
        Vec::new(),
    )
    .await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(std::fs::read(out.join("file.bin")).unwrap(), *data);
    assert!(
        ftp.count("rest") >= 1,
        "resumed at an offset: {:?}",
        ftp.events()
    );
    let twice = ftp.sent().saturating_sub(data.len() as u64);
    // State is saved every second: about a second's worth is fetched again, plus what
    // the server had pushed into the sockets beyond what was read.
    assert!(twice <= 3 << 20, "{twice} bytes sent twice");
}
