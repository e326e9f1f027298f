//! The browser extension in `browser/`: its logic with node's test runner, and the whole
//! way in real browsers (Debian's chromium and firefox-esr, headless, through
//! ../shared/tools/browser_ext_check): a page's link → the extension's "Download with
//! Braid" → the real host (`braid`, as the manifest names it) → the running Braid window
//! → the file, downloaded from a loopback mirror and verified. A metalink the page links
//! to is captured: the browser's own download is cancelled and Braid gets the URL; with
//! Braid not installed, the browser gets it back; with Braid not running, the host the
//! browser starts opens the window.

#![cfg(all(unix, not(target_os = "macos")))]

mod support;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use braid::loopback::metalink_for;
use braid::platform::native_messaging;
use support::desktop::{
    Profile, Window, Xorg, require, run_tool, stop_started_with_env, tools_dir, wait_for_file,
};
use support::{Faults, mirror, payload};

fn extension_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("browser")
}

#[test]
fn the_extensions_logic_passes_its_node_tests() {
    require("node", "nodejs");
    let output = Command::new("node")
        .arg("--test")
        .arg(extension_dir().join("test"))
        .output()
        .expect("node runs");
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("# fail 0"), "{said}");
}

/// Whether the test opens the window first, or leaves it to the host.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Braid {
    Running,
    /// Not running: the host the browser starts opens the window.
    NotRunning,
}

/// Page → extension → host → window → verified file, in `browser`.
async fn link_from_the_browser_arrives(browser: &str, binary: &str, seed: u64, braid: Braid) {
    require(
        binary,
        if browser == "firefox" {
            "firefox-esr"
        } else {
            "chromium"
        },
    );
    require("python3", "python3");
    let data = Arc::new(payload(1 << 20, seed));
    let files = mirror(10, data.clone(), Faults::default()).await;
    let metalinks = mirror(
        10,
        Arc::new(Vec::new()),
        Faults {
            metalink: Some(metalink_for("from-browser.bin", &data, 0, &[files.url()]).into_bytes()),
            ..Faults::default()
        },
    )
    .await;
    let profile = Profile::new(&format!("browser-{browser}"), "");
    // The manifest `braid register` writes, naming the binary under test.
    let program = Path::new(env!("CARGO_BIN_EXE_braid"));
    let manifest = profile.dir.join(native_messaging::MANIFEST_FILE);
    std::fs::write(
        &manifest,
        if browser == "firefox" {
            native_messaging::firefox_manifest(program)
        } else {
            native_messaging::chromium_manifest(program)
        },
    )
    .unwrap();
    let x = Xorg::start();
    let window = (braid == Braid::Running).then(|| Window::x11(&x, &profile));
    let link = metalinks.metalink_url();
    let runtime = profile.runtime();
    let browser_name = browser.to_owned();
    let mut command = Command::new("bash");
    command
        .arg(tools_dir().join("browser_ext_check/run.sh"))
        .args(["--browser", &browser_name])
        .arg("--extension")
        .arg(extension_dir())
        .arg("--host-manifest")
        .arg(&manifest)
        .args(["--page-link", &link, "--timeout", "90", "--quiet"]);
    // The host finds the window through its instance socket, in the test's profile, and
    // a window it opens uses that profile and the test's display.
    profile.apply(&mut command);
    command
        .env("DISPLAY", &x.display)
        .env_remove("WAYLAND_DISPLAY");
    let (result, x) = tokio::task::spawn_blocking(move || (run_tool(command), x))
        .await
        .unwrap();
    let checks = &result.result["checks"];
    assert_eq!(checks["menu"]["ok"], true, "{}", result.output);
    assert!(captured(&result.result), "{}", result.output);
    assert_eq!(result.result["host"]["problems"], serde_json::json!([]));
    let target = profile.downloads.join("from-browser.bin");
    let arrived = wait_for_file(&target, &data, Duration::from_secs(30));
    let log = match &window {
        Some(window) => window.log(),
        None => result.output.clone(),
    };
    drop(window);
    // The window the host opened outlives the browser; stop it as a logout would.
    stop_started_with_env("BRAID_RUNTIME_DIR", &runtime.to_string_lossy());
    drop(x);
    assert!(
        arrived,
        "the link from {browser} was downloaded and verified: {log}"
    );
}

/// Whether the capture check found the metalink download handed to Braid and the
/// browser's own download cancelled. Firefox puts an empty file under the download's
/// name the moment it starts, and the tool gives up waiting for the host as soon as it
/// sees that file; on a loaded machine the extension's cancel can come later than the
/// tool's first look. So the facts are checked here as the tool checks them, from its
/// logs, without that race: the host got the URL and said yes, and the browser's
/// download was cancelled with nothing left in its download folder.
fn captured(result: &serde_json::Value) -> bool {
    let check = &result["checks"]["capture"];
    if check["ok"] == true {
        return true;
    }
    let url = check["url"].as_str().unwrap_or("?");
    let log = result["host_log"].as_array().cloned().unwrap_or_default();
    let handed = log.windows(2).any(|pair| {
        pair[0]["dir"] == "in"
            && pair[0]["msg"]["urls"]
                .as_array()
                .is_some_and(|urls| urls.iter().any(|u| u == url))
            && pair[1]["dir"] == "out"
            && pair[1]["msg"]["ok"] == true
    });
    handed
        && check["cancelled"] == true
        && check["download"]["files_in_download_dir"] == serde_json::json!([])
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_from_chromium_reaches_the_window_and_downloads() {
    link_from_the_browser_arrives("chromium", "chromium", 61, Braid::Running).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_from_firefox_reaches_the_window_and_downloads() {
    link_from_the_browser_arrives("firefox", "firefox-esr", 62, Braid::Running).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_braid_running_a_link_from_firefox_opens_the_window_which_downloads() {
    link_from_the_browser_arrives("firefox", "firefox-esr", 63, Braid::NotRunning).await;
}

/// Braid not installed (the manifest's program is not there): the link's "Download with
/// Braid" fails with the browser's reason, and a metalink download the extension took
/// over is handed back: the browser fetches it again itself, so nothing is lost.
#[test]
fn with_braid_missing_a_captured_download_is_left_to_the_browser() {
    require("chromium", "chromium");
    require("python3", "python3");
    let profile = Profile::new("browser-missing", "");
    let manifest = profile.dir.join(native_messaging::MANIFEST_FILE);
    std::fs::write(
        &manifest,
        native_messaging::chromium_manifest(&profile.dir.join("not-installed/braid")),
    )
    .unwrap();
    let mut command = Command::new("bash");
    command
        .arg(tools_dir().join("browser_ext_check/run.sh"))
        .args(["--browser", "chromium"])
        .arg("--extension")
        .arg(extension_dir())
        .arg("--host-manifest")
        .arg(&manifest)
        .args(["--page-link", "{origin}/files/linked.meta4"])
        .args(["--timeout", "90", "--quiet"]);
    let result = run_tool(command);
    let checks = &result.result["checks"];
    let calls = checks["menu"]["extension_native_calls"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        calls
            .iter()
            .any(|call| call["error"].as_str().is_some_and(|e| !e.is_empty())),
        "the extension was told the host is not there: {}",
        result.output
    );
    // The server saw the first request broken off (the extension's cancel), then the
    // browser's own second one, which was not.
    let served = checks["capture"]["download"]["server"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        served.len() >= 2 && served[0]["aborted"] == true && served[1]["aborted"] == false,
        "the browser downloads the metalink again itself: {}",
        result.output
    );
}
