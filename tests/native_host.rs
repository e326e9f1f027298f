//! `braid native-host`, the browser extension's messaging host, as a browser runs it:
//! framed JSON on stdin/stdout. It hands links to a running Braid over the
//! single-instance socket, starts the window when none runs (which then downloads and
//! verifies the file), and refuses what a hostile page could send.

#![cfg(all(unix, not(target_os = "macos")))]

mod support;

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use braid::loopback::metalink_for;
use braid::platform::instance::{self, HandOff, Role};
use reqwest::header::{COOKIE, RANGE, REFERER};
use serde_json::{Value, json};
use support::desktop::{Profile, Xorg, stop_started_with_env, wait_for_file};
use support::{Faults, mirror, payload, receive_one, temp_dir};

/// The host as Chromium starts it: the binary itself with the extension's origin.
fn host(runtime: &std::path::Path, profile: Option<&Profile>, display: Option<&str>) -> Host {
    let mut command = Command::new(env!("CARGO_BIN_EXE_braid"));
    if let Some(profile) = profile {
        profile.apply(&mut command);
    }
    command
        .arg("chrome-extension://dglfcekciapifobaoohfoofclabgfnga/")
        .env("BRAID_RUNTIME_DIR", runtime)
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match display {
        Some(display) => command.env("DISPLAY", display),
        None => command.env_remove("DISPLAY"),
    };
    let mut child = command.spawn().expect("the host starts");
    Host {
        stdin: Some(child.stdin.take().unwrap()),
        stdout: child.stdout.take().unwrap(),
        child,
    }
}

struct Host {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: ChildStdout,
}

impl Host {
    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).unwrap();
        let mut frame = (body.len() as u32).to_le_bytes().to_vec();
        frame.extend(body);
        self.send_raw(&frame);
    }

    fn reply(&mut self) -> Value {
        let mut length = [0u8; 4];
        self.stdout.read_exact(&mut length).expect("a reply");
        let mut body = vec![0u8; u32::from_le_bytes(length) as usize];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Closes stdin, as the browser does, and returns the exit status.
    fn close(mut self) -> std::process::ExitStatus {
        drop(self.stdin.take());
        wait_bounded(&mut self.child)
    }
}

fn wait_bounded(child: &mut Child) -> std::process::ExitStatus {
    for _ in 0..200 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("the host did not exit");
}

#[test]
fn the_host_hands_checked_links_to_the_running_braid() {
    let dir = temp_dir("host-handoff");
    let Role::Primary(listener) = instance::claim(&dir, &[]).unwrap() else {
        panic!("this test is the running Braid");
    };
    let receiver = std::thread::spawn(move || receive_one(listener));
    let mut host = host(&dir, None, None);
    host.send(&json!({"action": "ping"}));
    assert_eq!(host.reply()["version"], env!("CARGO_PKG_VERSION"));
    // What a hostile page might try first: each is refused, none reaches the window.
    host.send(&json!({"action": "download", "urls": ["file:///etc/shadow"]}));
    assert_eq!(host.reply()["ok"], false);
    host.send(&json!({"action": "open", "path": "/etc/shadow"}));
    assert_eq!(
        host.reply(),
        json!({"ok": false, "error": "unknown action 'open'"})
    );
    host.send_raw(&[3, 0, 0, 0, b'{', b'x', b'}']);
    assert_eq!(host.reply()["ok"], false);
    host.send(&json!({
        "action": "download",
        "urls": ["https://mirror.example/iso/disc.meta4", "http://127.0.0.1:9/b.iso"],
        "referrer": "https://mirror.example/",
        "cookies": {"https://mirror.example/iso/disc.meta4": "session=s3cret"},
        "start": true
    }));
    assert_eq!(host.reply(), json!({"ok": true}));
    let args = receiver.join().unwrap();
    let handed = HandOff::from_args(args.clone());
    assert!(handed.start);
    assert_eq!(
        handed.sources,
        [
            "https://mirror.example/iso/disc.meta4",
            "http://127.0.0.1:9/b.iso"
        ]
    );
    let site = &handed.sites["https://mirror.example/iso/disc.meta4"];
    assert_eq!(site.origin(), "https://mirror.example:443");
    assert_eq!(site.referrer(), Some("https://mirror.example/"));
    assert!(site.has_cookies());
    assert!(
        !handed.sites.contains_key("http://127.0.0.1:9/b.iso"),
        "no cookies for it, and an https page is not sent to an http link: {args:?}"
    );
    assert!(host.close().success());
}

#[test]
fn an_oversized_message_is_refused_and_ends_the_host() {
    let dir = temp_dir("host-oversized");
    let mut host = host(&dir, None, None);
    host.send_raw(&(64u32 << 20).to_le_bytes());
    let reply = host.reply();
    assert_eq!(reply["ok"], false);
    assert!(
        reply["error"].as_str().unwrap().contains("too long"),
        "{reply}"
    );
    // It stops reading: what follows is not taken for a message.
    let status = wait_bounded(&mut host.child);
    assert!(!status.success());
}

#[test]
fn with_no_braid_running_the_host_says_why_the_window_could_not_open() {
    let dir = temp_dir("host-nodisplay");
    let profile = Profile::new("host-nodisplay", "");
    let mut host = host(&dir, Some(&profile), None);
    host.send(&json!({"action": "download", "urls": ["https://a.example/x.meta4"]}));
    let reply = host.reply();
    assert_eq!(reply["ok"], false, "{reply}");
    assert!(
        reply["error"].as_str().unwrap().contains("did not open"),
        "{reply}"
    );
    assert!(host.close().success());
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_braid_running_the_host_starts_the_window_which_downloads() {
    let first = Arc::new(payload(1 << 20, 51));
    let second = Arc::new(payload(1 << 20, 52));
    let files = mirror(8, first.clone(), Faults::default()).await;
    let metalinks = mirror(
        8,
        Arc::new(Vec::new()),
        Faults {
            metalink: Some(metalink_for("started.bin", &first, 0, &[files.url()]).into_bytes()),
            ..Faults::default()
        },
    )
    .await;
    let plain = mirror(9, second.clone(), Faults::default()).await;
    let profile = Profile::new("host-start", "");
    let x = Xorg::start();
    let runtime = profile.runtime();
    let link = metalinks.metalink_url();
    let plain_url = plain.url();
    let plain_page = format!("http://{}/downloads", plain.addr);
    let downloads = profile.downloads.clone();
    let (replies, arrived) = tokio::task::spawn_blocking(move || {
        let mut host = host(&runtime, Some(&profile), Some(&x.display));
        // Each link with the cookies the browser holds for it, and the page it was on.
        host.send(&json!({
            "action": "download",
            "urls": [link],
            "cookies": {link.clone(): "session=metalink"},
            "start": true,
        }));
        let started = host.reply();
        // The window it started is the running Braid now: the next link is handed over.
        host.send(&json!({
            "action": "download",
            "urls": [plain_url],
            "referrer": plain_page,
            "cookies": {plain_url.clone(): "session=plain"},
            "start": true,
        }));
        let handed = host.reply();
        let status = host.close();
        assert!(status.success());
        let arrived = wait_for_file(
            &downloads.join("started.bin"),
            &first,
            Duration::from_secs(30),
        ) && wait_for_file(
            &downloads.join("file.bin"),
            &second,
            Duration::from_secs(30),
        );
        // The window outlives the host; stop it as a logout would.
        stop_started_with_env("BRAID_RUNTIME_DIR", &runtime.to_string_lossy());
        drop(x);
        ((started, handed), arrived)
    })
    .await
    .unwrap();
    assert_eq!(replies.0, json!({"ok": true}));
    assert_eq!(replies.1, json!({"ok": true}));
    assert!(arrived, "both links were downloaded and verified");
    // The cookies went to each link's own origin, on every request there, and nowhere
    // else: not to the mirror the metalink names (the same host, another port).
    assert!(metalinks.asked() > 0);
    assert_eq!(
        metalinks.header_values(COOKIE),
        vec!["session=metalink"; metalinks.asked()]
    );
    assert!(files.asked() > 0);
    assert_eq!(files.header_values(COOKIE), Vec::<String>::new());
    assert_eq!(files.header_values(REFERER), Vec::<String>::new());
    // The plain link's probe and every request for its bytes carry them. (The checksum
    // search's `?sha256` question to the same server goes without: it asks for no data.)
    let ranged: Vec<_> = plain
        .asked_requests()
        .into_iter()
        .filter(|asked| asked.query.is_none() && asked.headers.contains_key(RANGE))
        .map(|asked| asked.headers)
        .collect();
    assert!(!ranged.is_empty(), "probed, then downloaded");
    for headers in ranged {
        assert_eq!(headers[COOKIE], "session=plain");
        assert_eq!(
            headers[REFERER],
            format!("http://{}/downloads", plain.addr).as_str()
        );
    }
}
