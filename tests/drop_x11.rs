//! Drag-and-drop onto the real Braid window on X11 (Xvfb, openbox), from the XDND drag
//! source in ../shared/tools (`xdnd_drop.py`), offering what Firefox and file managers
//! offer. Braid's own receiver is an XDND proxy (src/platform/drop/x11.rs); winit's file
//! drops remain for sources that ignore it. Each test downloads what it dropped from a
//! loopback mirror ("start without asking" is on) and checks the verified file.

#![cfg(all(unix, not(target_os = "macos")))]

mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use braid::loopback::metalink_for;
use support::desktop::{Profile, Window, Xorg, require, wait_for_file, xdnd_drop};
use support::{Faults, LoopbackMirror, mirror, payload};

const ARRIVAL: Duration = Duration::from_secs(30);

/// Serves `data` as `file.bin` and, from a second server, a metalink for it; returns
/// both (the first must live as long as the download).
async fn metalink_mirror(host: u8, data: &Arc<Vec<u8>>) -> (LoopbackMirror, LoopbackMirror) {
    let files = mirror(host, data.clone(), Faults::default()).await;
    let doc = metalink_for("file.bin", data, 256 * 1024, &[files.url()]);
    let faults = Faults {
        metalink: Some(doc.into_bytes()),
        ..Faults::default()
    };
    let metalinks = mirror(host, Arc::new(Vec::new()), faults).await;
    (files, metalinks)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_dragged_from_firefox_downloads_and_verifies() {
    let data = Arc::new(payload(3 << 20, 11));
    let (_files, server) = metalink_mirror(1, &data).await;
    let link = server.metalink_url();
    let profile = Profile::new("drop-x11-firefox", "");
    let x = Xorg::start();
    let window = Window::x11(&x, &profile);
    let uri_list = format!("{link}\\r\\n");
    // Firefox's types for a dragged link, in its order.
    let dropped = tokio::task::spawn_blocking(move || {
        let result = xdnd_drop(
            &x,
            &[
                "--type",
                "text/x-moz-url",
                "--type",
                "text/uri-list",
                "--data",
                &uri_list,
                "--type",
                "text/plain",
                "--type",
                "_NETSCAPE_URL",
            ],
        );
        (result, x)
    })
    .await
    .unwrap();
    let (result, _x) = dropped;
    assert_eq!(result.exit, 0, "{}", result.output);
    assert_eq!(result.result["finished"], "accepted", "{}", result.output);
    assert_ne!(
        result.result["proxy"],
        serde_json::Value::Null,
        "Braid's proxy took the drop: {}",
        result.output
    );
    let target = profile.downloads.join("file.bin");
    let arrived = tokio::task::spawn_blocking(move || wait_for_file(&target, &data, ARRIVAL))
        .await
        .unwrap();
    assert!(
        arrived,
        "the dropped link was not downloaded: {}",
        window.log()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mixed_drop_keeps_every_item_and_refuses_the_rest() {
    let first = Arc::new(payload(1 << 20, 21));
    let second = Arc::new(payload(1 << 20, 22));
    let (_files, linked) = metalink_mirror(2, &first).await;
    let filed = mirror(3, second.clone(), Faults::default()).await;
    let profile = Profile::new("drop-x11-mixed", "");
    // A metalink file on disk for the second mirror, saved under another name.
    let local = profile.dir.join("second one.meta4");
    std::fs::write(
        &local,
        metalink_for("second.bin", &second, 0, &[filed.url()]),
    )
    .unwrap();
    let list = format!(
        "file://{}\\r\\n{}\\r\\ngopher://old.example/x\\r\\n",
        local.to_string_lossy().replace(' ', "%20"),
        linked.metalink_url()
    );
    let x = Xorg::start();
    let window = Window::x11(&x, &profile);
    let (result, _x) = tokio::task::spawn_blocking(move || {
        (
            xdnd_drop(&x, &["--type", "text/uri-list", "--data", &list]),
            x,
        )
    })
    .await
    .unwrap();
    assert_eq!(result.result["finished"], "accepted", "{}", result.output);
    let downloads = profile.downloads.clone();
    let both = tokio::task::spawn_blocking(move || {
        wait_for_file(&downloads.join("file.bin"), &first, ARRIVAL)
            && wait_for_file(&downloads.join("second.bin"), &second, ARRIVAL)
    })
    .await
    .unwrap();
    assert!(both, "both dropped items are downloaded: {}", window.log());
}

#[test]
fn a_drop_with_nothing_to_add_is_finished_as_refused() {
    let profile = Profile::new("drop-x11-refused", "");
    let x = Xorg::start();
    let _window = Window::x11(&x, &profile);
    let result = xdnd_drop(
        &x,
        &[
            "--type",
            "text/uri-list",
            "--data",
            "gopher://old.example/x\\r\\nmailto:a@example.org\\r\\n",
        ],
    );
    // Taken while hovering (what it holds is judged on the drop), then honestly refused.
    assert_eq!(result.result["status"], "accepted", "{}", result.output);
    assert_eq!(result.result["finished"], "refused", "{}", result.output);
}

#[tokio::test(flavor = "multi_thread")]
async fn sources_that_ignore_the_proxy_still_drop_files() {
    require("python3", "python3 python3-xlib");
    let data = Arc::new(payload(1 << 20, 31));
    let server = mirror(4, data.clone(), Faults::default()).await;
    let profile = Profile::new("drop-x11-noproxy", "");
    let local = profile.dir.join("plain.meta4");
    std::fs::write(&local, metalink_for("plain.bin", &data, 0, &[server.url()])).unwrap();
    let x = Xorg::start();
    let window = Window::x11(&x, &profile);
    let uri = format!("file://{}\\r\\n", local.display());
    let (result, _x) = tokio::task::spawn_blocking(move || {
        // Wait for the window and its proxy, then take the proxy away: the source now
        // talks to winit's window, as one that ignores XdndProxy would.
        let first = xdnd_drop(&x, &["--type", "text/plain", "--data", "warm-up"]);
        assert_ne!(
            first.result["proxy"],
            serde_json::Value::Null,
            "{}",
            first.output
        );
        let window_id = first.result["window"].as_str().unwrap().to_owned();
        let removed = Command::new("python3")
            .arg("-c")
            .arg(format!(
                "import sys; sys.path.append('/usr/lib/python3/dist-packages')\n\
                 from Xlib import display\n\
                 d = display.Display('{}')\n\
                 w = d.create_resource_object('window', {window_id})\n\
                 w.delete_property(d.intern_atom('XdndProxy'))\n\
                 d.sync()",
                x.display
            ))
            .status()
            .unwrap();
        assert!(removed.success());
        (
            xdnd_drop(
                &x,
                &[
                    "--window",
                    &window_id,
                    "--type",
                    "text/uri-list",
                    "--data",
                    &uri,
                ],
            ),
            x,
        )
    })
    .await
    .unwrap();
    assert_eq!(
        result.result["proxy"],
        serde_json::Value::Null,
        "{}",
        result.output
    );
    let target = profile.downloads.join("plain.bin");
    let arrived = tokio::task::spawn_blocking(move || wait_for_file(&target, &data, ARRIVAL))
        .await
        .unwrap();
    assert!(arrived, "winit's file drop still works: {}", window.log());
}
