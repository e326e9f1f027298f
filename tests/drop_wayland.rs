//! Drag-and-drop onto the real Braid window on Wayland: a private headless sway, a real
//! Wayland drag source (../shared/tools/wayland_drop.sh), and after the drop a paste
//! (wl-copy, then Ctrl+V typed with wtype), because drops come through the clipboard's
//! own data device (patches/smithay-clipboard) and must not break the clipboard. What
//! was dropped or pasted is downloaded from a loopback mirror and checked.

#![cfg(all(unix, not(target_os = "macos")))]

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use braid::loopback::metalink_for;
use support::desktop::{DragResult, Profile, require, run_tool, tools_dir, wait_for_file};
use support::{Faults, mirror, payload};

/// Runs wayland_drop.sh with the Braid window of `profile` as its target; `after` is a
/// shell snippet run beside the window once it is up (the paste); the window runs
/// `settle` seconds after the drop.
fn wayland_drop(profile: &Profile, after: &str, settle: u32, args: &[&str]) -> DragResult {
    for (tool, package) in [
        ("sway", "sway"),
        ("python3", "python3"),
        ("wtype", "wtype"),
        ("wl-copy", "wl-clipboard"),
        ("grim", "grim"),
    ] {
        require(tool, package);
    }
    let mut braid = Command::new(env!("CARGO_BIN_EXE_braid"));
    profile.apply(&mut braid);
    let env: String = braid
        .get_envs()
        .filter_map(|(k, v)| Some(format!("{}='{}' ", k.to_str()?, v?.to_str()?)))
        .collect();
    let log = profile.dir.join("window.log");
    let target = format!(
        "env {env} '{}' >'{}' 2>&1 & window=$!\n{after}\nwait $window",
        env!("CARGO_BIN_EXE_braid"),
        log.display()
    );
    let mut command = Command::new("bash");
    command
        .arg(tools_dir().join("wayland_drop.sh"))
        .args(["--timeout", "60", "--settle", &settle.to_string()])
        .args(["--target-cmd", &target])
        .arg("--screenshot")
        .arg(profile.dir.join("wayland.png"))
        .arg("--log-dir")
        .arg(profile.dir.join("wayland"))
        .args(args);
    let mut result = run_tool(command);
    for log in [log, profile.dir.join("wayland/target.log")] {
        result
            .output
            .push_str(&std::fs::read_to_string(&log).unwrap_or_default());
    }
    result
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_link_and_then_a_pasted_one_download_on_wayland() {
    let dropped = Arc::new(payload(1 << 20, 41));
    let pasted = Arc::new(payload(1 << 20, 42));
    let files = mirror(5, dropped.clone(), Faults::default()).await;
    let metalinks = mirror(
        5,
        Arc::new(Vec::new()),
        Faults {
            metalink: Some(metalink_for("dropped.bin", &dropped, 0, &[files.url()]).into_bytes()),
            ..Faults::default()
        },
    )
    .await;
    let paste_files = mirror(6, pasted.clone(), Faults::default()).await;
    let paste_metalinks = mirror(
        6,
        Arc::new(Vec::new()),
        Faults {
            metalink: Some(
                metalink_for("pasted.bin", &pasted, 0, &[paste_files.url()]).into_bytes(),
            ),
            ..Faults::default()
        },
    )
    .await;
    let profile = Profile::new("drop-wayland-link", "");
    let first = profile.downloads.join("dropped.bin");
    // Once the drop has arrived: copy the second link, give the window the keyboard
    // focus (a user would click it; the headless seat had no keyboard so far) and press
    // Ctrl+V. wtype's keyboard is new to the seat: it waits until the window has bound
    // it before pressing, and stays a moment after, so the window keeps its focus.
    let after = format!(
        "for i in $(seq 300); do [ -f '{}' ] && break; sleep 0.1; done\n\
         wl-copy '{}'\n\
         SWAYSOCK=$(ls \"$XDG_RUNTIME_DIR\"/sway-ipc.*.sock) swaymsg '[app_id=io.github.braid.Braid] focus'\n\
         wtype -s 2000 -M ctrl v -m ctrl -s 3000",
        first.display(),
        paste_metalinks.metalink_url()
    );
    let link = format!("{}\\r\\n", metalinks.metalink_url());
    let downloads = profile.downloads.clone();
    let (result, pasted_ok) = tokio::task::spawn_blocking(move || {
        let result = wayland_drop(
            &profile,
            &after,
            14,
            &[
                "--type",
                "text/x-moz-url",
                "--type",
                "text/uri-list",
                "--data",
                &link,
                "--type",
                "text/plain",
            ],
        );
        let pasted_ok = wait_for_file(&downloads.join("pasted.bin"), &pasted, Duration::ZERO);
        (result, pasted_ok)
    })
    .await
    .unwrap();
    assert_eq!(result.exit, 0, "{}", result.output);
    assert_eq!(result.result["finished"], true, "{}", result.output);
    assert!(
        wait_for_file(&first, &dropped, Duration::from_secs(1)),
        "the dropped link was downloaded: {}",
        result.output
    );
    assert!(
        pasted_ok,
        "the pasted link was downloaded: {}",
        result.output
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_metalink_file_downloads_on_wayland() {
    let data = Arc::new(payload(1 << 20, 43));
    let files = mirror(7, data.clone(), Faults::default()).await;
    let profile = Profile::new("drop-wayland-file", "");
    let local = profile.dir.join("from the file manager.meta4");
    std::fs::write(&local, metalink_for("filed.bin", &data, 0, &[files.url()])).unwrap();
    let uri = format!(
        "file://{}\\r\\n",
        local.to_string_lossy().replace(' ', "%20")
    );
    let target = profile.downloads.join("filed.bin");
    let stop_when_done = format!(
        "for i in $(seq 300); do [ -f '{}' ] && break; sleep 0.1; done",
        target.display()
    );
    let result = tokio::task::spawn_blocking(move || {
        wayland_drop(
            &profile,
            &stop_when_done,
            4,
            &["--type", "text/uri-list", "--data", &uri],
        )
    })
    .await
    .unwrap();
    assert_eq!(result.exit, 0, "{}", result.output);
    assert!(
        wait_for_file(&target, &data, Duration::from_secs(1)),
        "the dropped file was downloaded: {}",
        result.output
    );
}
