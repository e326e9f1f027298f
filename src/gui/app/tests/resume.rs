//! Pause and Resume as the window does them, against a slow loopback mirror: the
//! download completes and verifies, and no byte is fetched twice beyond a chunk.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::loopback::{Faults, LoopbackMirror, metalink_for, payload};

const MIB: usize = 1024 * 1024;

/// Feeds the engine's events to the app until `until` says so (at most 60 s).
async fn run_until(
    app: &mut App,
    events: &mut UnboundedReceiver<Event>,
    until: impl Fn(&Event) -> bool,
) {
    let wait = async {
        loop {
            let event = events.recv().await.expect("the engine runs");
            let done = until(&event);
            let _ = app.update(Message::Engine(event));
            if done {
                return;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), wait)
        .await
        .expect("the download moves on within a minute");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_download_resumes_completes_and_fetches_nothing_twice() {
    let (mut app, dir) = app("pause-resume");
    let mut events = app.events.1.lock().unwrap().take().unwrap();
    let data = Arc::new(payload(3 * MIB, 77));
    let slow = LoopbackMirror::start(1, data.clone(), Faults::throttled(MIB as u64))
        .await
        .unwrap();
    let document = crate::metalink::parse(
        metalink_for("slow.bin", &data, 256 * 1024, &[slow.url()]).as_bytes(),
    )
    .unwrap()
    .document;
    let opened = Resolved::Metalink {
        source: "slow.meta4".into(),
        document,
        warnings: Vec::new(),
        only: None,
    };
    let _ = app.update(Message::Resolved(Ok(opened), true));
    let id = app.downloads.iter().next().expect("queued at once").id;
    run_until(&mut app, &mut events, |e| matches!(e, Event::Started(_))).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let _ = app.update(Message::Queue(queue::Message::Pause(id)));
    run_until(&mut app, &mut events, |e| matches!(e, Event::Paused(_))).await;
    assert_eq!(app.downloads.get(id).unwrap().state, State::Paused);
    let sent_at_pause = slow.sent();
    assert!(
        sent_at_pause > 0 && sent_at_pause < data.len() as u64,
        "paused part-way: {sent_at_pause}"
    );
    // As a person would: Resume a moment after it showed.
    tokio::time::sleep(crate::gui::downloads::SETTLE).await;
    let _ = app.update(Message::Queue(queue::Message::Resume(id)));
    run_until(&mut app, &mut events, |e| {
        matches!(e, Event::Finished { .. } | Event::Failed { .. })
    })
    .await;
    let download = app.downloads.get(id).unwrap();
    let State::Finished { path, verified, .. } = &download.state else {
        panic!("{:?}", download.state);
    };
    assert_eq!(verified.as_deref(), Some("sha-256"));
    assert_eq!(std::fs::read(path).unwrap(), *data);
    assert!(
        slow.sent() <= data.len() as u64 + 64 * 1024,
        "nothing fetched twice but a chunk: {} bytes for {} ({sent_at_pause} before the pause)",
        slow.sent(),
        data.len()
    );
    drop(app);
    let _ = std::fs::remove_dir_all(dir);
}
