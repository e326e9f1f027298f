//! `braid get` as a user runs it, against loopback mirrors: killed and run again,
//! interrupted with SIGTERM, plain URLs with RFC 6249 headers, redirects, describedby
//! and negotiated metalinks, unsafe names and existing files.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use braid::engine::verify::digest;
use braid::metalink::HashAlgorithm;
use support::{Faults, mirror, payload, temp_dir};

const PIECE: usize = 64 * 1024;

fn braid() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_braid"));
    // Settings and the mirror memory of this test run, never the user's.
    let home = std::env::temp_dir().join(format!("braid-get-cli-{}", std::process::id()));
    command
        .env("LANG", "en_US.UTF-8")
        .env("BRAID_CONFIG_DIR", home.join("config"))
        .env("BRAID_DATA_DIR", home.join("data"));
    command
}

/// Runs `braid get ARGS` to its end, off the async runtime.
async fn get(args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        braid()
            .arg("get")
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .expect("braid runs")
    })
    .await
    .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

/// A Metalink 4 document for `data` served at `urls`, with piece hashes.
fn meta4(name: &str, data: &[u8], urls: &[String]) -> String {
    let pieces: String = data
        .chunks(PIECE)
        .map(|c| format!("<hash>{}</hash>", hex(&digest(HashAlgorithm::Sha256, c))))
        .collect();
    let urls: String = urls
        .iter()
        .enumerate()
        .map(|(i, u)| format!("<url priority=\"{}\">{u}</url>", i + 1))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<metalink xmlns="urn:ietf:params:xml:ns:metalink">
  <file name="{name}">
    <size>{}</size>
    <hash type="sha-256">{}</hash>
    <pieces length="{PIECE}" type="sha-256">{pieces}</pieces>
    {urls}
  </file>
</metalink>"#,
        data.len(),
        hex(&digest(HashAlgorithm::Sha256, data))
    )
}

fn digest_header(data: &[u8]) -> (String, String) {
    let b64 = base64::engine::general_purpose::STANDARD.encode(digest(HashAlgorithm::Sha256, data));
    ("Digest".into(), format!("SHA-256={b64}"))
}

/// Waits (bounded) until the state file records at least one verified piece.
fn wait_for_progress(state: &Path, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(text) = std::fs::read_to_string(state)
            && text.contains("\"done\":\"1")
        {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("braid ended early: {status}");
        }
        assert!(Instant::now() < deadline, "no progress saved within 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn spawn_get(dir: &Path, source: &str) -> Child {
    braid()
        .args(["get", "-d"])
        .arg(dir)
        .arg(source)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("braid starts")
}

fn write_metalink(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("test.meta4");
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_with_sigkill_and_run_again_resumes() {
    let data = Arc::new(payload(6 * 1024 * 1024, 21));
    let slow = mirror(1, data.clone(), Faults::throttled(1 << 20)).await;
    let dir = temp_dir("sigkill");
    let out = dir.join("out");
    let metalink = write_metalink(&dir, &meta4("file.bin", &data, &[slow.url()]));
    let metalink = metalink.to_str().unwrap().to_owned();
    {
        let out = out.clone();
        let metalink = metalink.clone();
        tokio::task::spawn_blocking(move || {
            let mut child = spawn_get(&out, &metalink);
            wait_for_progress(&out.join("file.bin.braid-state"), &mut child);
            std::thread::sleep(Duration::from_millis(700));
            child.kill().unwrap(); // SIGKILL: no chance to save anything
            child.wait().unwrap();
        })
        .await
        .unwrap();
    }
    assert!(!out.join("file.bin").exists(), "no unverified final file");
    assert!(out.join("file.bin.part").exists());
    let sent_before = slow.sent();
    let output = get(&["-d", out.to_str().unwrap(), &metalink]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(out.join("file.bin")).unwrap(), *data);
    let twice = slow.sent() - (data.len() as u64).min(slow.sent());
    assert!(sent_before < data.len() as u64, "killed part-way");
    // State is saved every second: about a second's worth (1 MiB) is fetched again.
    assert!(
        twice <= 2 * 1024 * 1024,
        "{twice} bytes sent twice (killed after {sent_before})"
    );
    assert!(!out.join("file.bin.braid-state").exists());
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_pauses_saves_and_exits_non_zero() {
    let data = Arc::new(payload(6 * 1024 * 1024, 22));
    let slow = mirror(1, data.clone(), Faults::throttled(1 << 20)).await;
    let dir = temp_dir("sigterm");
    let out = dir.join("out");
    let metalink = write_metalink(&dir, &meta4("file.bin", &data, &[slow.url()]));
    let metalink = metalink.to_str().unwrap().to_owned();
    let (status, message, done_pieces) = {
        let out = out.clone();
        let metalink = metalink.clone();
        tokio::task::spawn_blocking(move || {
            let mut child = spawn_get(&out, &metalink);
            wait_for_progress(&out.join("file.bin.braid-state"), &mut child);
            // The shell's own `kill`, so no procps is needed.
            let kill = Command::new("sh")
                .args(["-c", &format!("kill -TERM {}", child.id())])
                .status()
                .unwrap();
            assert!(kill.success());
            let output = child.wait_with_output().unwrap();
            let state = std::fs::read_to_string(out.join("file.bin.braid-state")).unwrap();
            let done = state.matches('1').count();
            (output.status, stderr(&output), done)
        })
        .await
        .unwrap()
    };
    assert_eq!(status.code(), Some(1), "{message}");
    assert!(message.contains("interrupted"), "{message}");
    assert!(done_pieces > 0);
    let output = get(&["-d", out.to_str().unwrap(), &metalink]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(out.join("file.bin")).unwrap(), *data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_url_with_digest_uses_the_mirrors_its_links_name() {
    let data = Arc::new(payload(4 * 1024 * 1024, 23));
    let slow = Faults::throttled(4 << 20);
    let other = mirror(2, data.clone(), slow.clone()).await;
    let first = mirror(
        1,
        data.clone(),
        Faults {
            headers: vec![
                (
                    "Link".into(),
                    format!("<{}>; rel=duplicate; pri=1; geo=de", other.url()),
                ),
                digest_header(&data),
            ],
            ..slow
        },
    )
    .await;
    let dir = temp_dir("links");
    let output = get(&["-d", dir.to_str().unwrap(), &first.url()]).await;
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(message.contains("verified with sha-256"), "{message}");
    assert_eq!(std::fs::read(dir.join("file.bin")).unwrap(), *data);
    assert!(other.sent() > 0, "the Link mirror was used");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_links_without_a_digest_are_ignored() {
    let data = Arc::new(payload(1024 * 1024, 24));
    let other = mirror(2, data.clone(), Faults::default()).await;
    let first = mirror(
        1,
        data.clone(),
        Faults {
            headers: vec![("Link".into(), format!("<{}>; rel=duplicate", other.url()))],
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("nodigest");
    let output = get(&["-d", dir.to_str().unwrap(), &first.url()]).await;
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(message.contains("not verified"), "{message}");
    assert_eq!(std::fs::read(dir.join("file.bin")).unwrap(), *data);
    assert_eq!(other.requests(), 0, "no digest, no mirrors from Links");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_are_followed_and_their_headers_kept() {
    let data = Arc::new(payload(2 * 1024 * 1024, 25));
    let other = mirror(3, data.clone(), Faults::default()).await;
    let target = mirror(2, data.clone(), Faults::default()).await;
    // The redirecting server names the digest and a mirror; the target says nothing.
    let redirect = mirror(
        1,
        data.clone(),
        Faults {
            redirect_to: Some(target.url()),
            headers: vec![
                (
                    "Link".into(),
                    format!("<{}>; rel=duplicate; pri=2", other.url()),
                ),
                digest_header(&data),
            ],
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("redirect");
    let output = get(&["-d", dir.to_str().unwrap(), &redirect.url()]).await;
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(message.contains("verified with sha-256"), "{message}");
    assert_eq!(std::fs::read(dir.join("file.bin")).unwrap(), *data);
    assert_eq!(redirect.sent(), 0);
    assert!(target.sent() > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_describedby_metalink_is_followed() {
    let data = Arc::new(payload(1024 * 1024, 26));
    let a = mirror(1, data.clone(), Faults::default()).await;
    let b = mirror(2, data.clone(), Faults::default()).await;
    let doc = meta4("file.bin", &data, &[a.url(), b.url()]);
    // The server the user names links to a metalink (served beside the file) for it.
    let linked = mirror(
        3,
        data.clone(),
        Faults {
            metalink: Some(doc.into_bytes()),
            headers: vec![(
                "Link".into(),
                "</file.meta4>; rel=describedby; type=\"application/metalink4+xml\"".into(),
            )],
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("describedby");
    let output = get(&["-d", dir.to_str().unwrap(), &linked.url()]).await;
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(message.contains("metalink that describes it"), "{message}");
    assert!(message.contains("verified with sha-256"), "{message}");
    assert_eq!(std::fs::read(dir.join("file.bin")).unwrap(), *data);
    // One byte answered the probe; the file came from the metalink's mirrors.
    assert_eq!(linked.sent(), 1);
    assert!(a.sent() + b.sent() >= data.len() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_metalink_served_by_negotiation_is_used() {
    let data = Arc::new(payload(1024 * 1024, 27));
    let a = mirror(1, data.clone(), Faults::default()).await;
    let doc = meta4("negotiated.bin", &data, &[a.url()]);
    let negotiating = mirror(
        2,
        data.clone(),
        Faults {
            metalink: Some(doc.into_bytes()),
            negotiate: true,
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("negotiate");
    let output = get(&["-d", dir.to_str().unwrap(), &negotiating.url()]).await;
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert_eq!(std::fs::read(dir.join("negotiated.bin")).unwrap(), *data);
    assert_eq!(
        negotiating.sent(),
        0,
        "the file came from the metalink's mirror"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsafe_names_are_refused_and_nothing_escapes() {
    let data = Arc::new(payload(64 * 1024, 28));
    let a = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("traversal");
    let out = dir.join("out");
    for name in ["../escape.bin", "sub/../../escape.bin", "/tmp/escape.bin"] {
        let metalink = write_metalink(&dir, &meta4(name, &data, &[a.url()]));
        let output = get(&["-d", out.to_str().unwrap(), metalink.to_str().unwrap()]).await;
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{name}: {message}");
        assert!(message.contains("unsafe file name"), "{name}: {message}");
        assert!(message.contains("line 3"), "says where: {message}");
    }
    assert!(!dir.join("escape.bin").exists());
    assert!(!out.exists(), "nothing written at all");
    assert_eq!(a.requests(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn existing_files_are_kept_unless_overwrite_is_given() {
    let data = Arc::new(payload(64 * 1024, 29));
    let a = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("overwrite");
    std::fs::write(dir.join("file.bin"), b"mine").unwrap();
    let metalink = write_metalink(&dir, &meta4("file.bin", &data, &[a.url()]));
    let metalink = metalink.to_str().unwrap();
    let output = get(&["-d", dir.to_str().unwrap(), metalink]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--overwrite"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(dir.join("file.bin")).unwrap(), b"mine");
    let output = get(&["-d", dir.to_str().unwrap(), "--overwrite", metalink]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(dir.join("file.bin")).unwrap(), *data);
    // The same file again is recognised by its hash and left alone.
    let output = get(&["-d", dir.to_str().unwrap(), metalink]).await;
    assert!(output.status.success(), "{}", stderr(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_rate_limit_is_a_clear_usage_error() {
    let output = get(&["--limit-rate", "fast", "x.meta4"]).await;
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("--limit-rate"), "{message}");
    assert!(message.contains("'fast' is not a rate"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_download_completes() {
    let data = Arc::new(payload(512 * 1024, 30));
    let a = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("ratelimit");
    let output = get(&["-d", dir.to_str().unwrap(), "--limit-rate", "1M", &a.url()]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(dir.join("file.bin")).unwrap(), *data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_source_limits_and_start_times_are_checked_and_applied() {
    let output = get(&["--limit-source", "y.meta4=200K", "x.meta4"]).await;
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("y.meta4 is not one of the sources"),
        "{message}"
    );
    let output = get(&["--limit-source", "x.meta4", "x.meta4"]).await;
    assert!(
        stderr(&output).contains("is not SOURCE=RATE"),
        "{}",
        stderr(&output)
    );
    let output = get(&["--start-at", "25:00", "x.meta4"]).await;
    assert!(
        stderr(&output).contains("'25:00' is not a time"),
        "{}",
        stderr(&output)
    );
    // Both sources, each with a limit of its own, one at a time.
    let data = Arc::new(payload(256 * 1024, 31));
    let a = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("limit-source");
    let url = a.url();
    let limited = format!("{url}=128K");
    let output = get(&[
        "-d",
        dir.to_str().unwrap(),
        "--max-active",
        "1",
        "--limit-each",
        "1M",
        "--limit-source",
        &limited,
        &url,
    ])
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(dir.join("file.bin")).unwrap(), *data);
}
