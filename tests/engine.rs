//! The engine against loopback mirrors: multi-mirror transfers, repair of corrupted
//! pieces, failing mirrors, pause and resume, overwrite refusal.

mod support;

use std::sync::Arc;
use std::time::Duration;

use braid::engine::{
    Command, DiskError, DownloadId, DropReason, Engine, Event, Fault, JobError, MirrorReason,
    Settings, SiteHeaders, Trouble,
};
use braid::metalink::HashAlgorithm;
use support::{Faults, PIECE, finished_with, mirror, outcome, payload, spec, temp_dir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_mirrors_share_the_work() {
    let data = Arc::new(payload(4 * 1024 * 1024, 1));
    let faults = Faults::throttled(4 * 1024 * 1024);
    let a = mirror(1, data.clone(), faults.clone()).await;
    let b = mirror(2, data.clone(), faults.clone()).await;
    let c = mirror(3, data.clone(), faults).await;
    let dir = temp_dir("three");
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&a, &b, &c], true));
    match outcome(&mut events, id).await {
        Event::Finished {
            path,
            verified,
            repaired,
            ..
        } => {
            assert_eq!(std::fs::read(&path).unwrap(), *data);
            assert_eq!(verified, Some(HashAlgorithm::Sha256));
            assert_eq!(repaired, 0);
        }
        other => panic!("{other:?}"),
    }
    for mirror in [&a, &b, &c] {
        assert!(mirror.sent() > 0, "every mirror contributed");
    }
    assert!(!dir.join("out.bin.part").exists() && !dir.join("out.bin.braid-state").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupted_pieces_are_repaired_from_another_mirror() {
    let data = Arc::new(payload(2 * 1024 * 1024, 2));
    let good = mirror(1, data.clone(), Faults::throttled(3 << 20)).await;
    // Corrupts the bytes of pieces 1 and 20.
    let bad_faults = Faults {
        corrupt: vec![(PIECE + 10, PIECE + 20), (20 * PIECE, 20 * PIECE + 1)],
        ..Faults::default()
    };
    let bad = mirror(2, data.clone(), bad_faults).await;
    let dir = temp_dir("repair");
    let (engine, mut events) = Engine::start(Settings::default());
    // The corrupting mirror comes first, so it is asked for everything at the start.
    let id = engine.add(spec("out.bin", &dir, &data, &[&bad, &good], true));
    match outcome(&mut events, id).await {
        Event::Finished { path, repaired, .. } => {
            assert_eq!(std::fs::read(&path).unwrap(), *data);
            assert!(
                repaired >= 1,
                "at least one bad piece was caught and re-fetched"
            );
        }
        other => panic!("{other:?}"),
    }
    let total = good.sent() + bad.sent();
    // Waste is bounded by the request window (2 MiB) per response cut short by a bad piece.
    assert!(
        total <= data.len() as u64 + 2 * 2 * 1024 * 1024,
        "little waste: {total}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gone_and_busy_mirrors_are_skipped() {
    let data = Arc::new(payload(512 * 1024, 3));
    let gone = mirror(
        1,
        data.clone(),
        Faults {
            status: Some(404),
            ..Faults::default()
        },
    )
    .await;
    let busy = mirror(
        2,
        data.clone(),
        Faults {
            status: Some(503),
            retry_after: Some(30),
            ..Faults::default()
        },
    )
    .await;
    let good = mirror(3, data.clone(), Faults::default()).await;
    let dir = temp_dir("skip");
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&gone, &busy, &good], false));
    finished_with(&mut events, id, &data).await;
    assert_eq!(gone.requests(), 1, "a 404 mirror is asked once");
    assert_eq!(busy.requests(), 1, "Retry-After is honoured");
}

/// Credentials in a mirror's URL go to that mirror only: not to the other mirrors, and
/// not to the host it redirects to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_stay_with_their_own_host() {
    let data = Arc::new(payload(512 * 1024, 9));
    let target = mirror(3, data.clone(), Faults::default()).await;
    let other = mirror(4, data.clone(), Faults::default()).await;
    let redirecting = mirror(
        2,
        data.clone(),
        Faults {
            redirect_to: Some(target.url()),
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("credentials");
    let mut job = spec("out.bin", &dir, &data, &[&redirecting, &other], true);
    job.urls[0].url = job.urls[0]
        .url
        .replacen("http://", "http://user:secret@", 1);
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(job);
    finished_with(&mut events, id, &data).await;
    let sent = redirecting.authorizations();
    assert!(!sent.is_empty(), "the mirror with credentials was asked");
    assert!(
        sent.iter().all(|a| a == "Basic dXNlcjpzZWNyZXQ="),
        "{sent:?}"
    );
    assert!(target.requests() > 0, "the redirect was followed");
    assert_eq!(target.authorizations(), Vec::<String>::new());
    assert_eq!(other.authorizations(), Vec::<String>::new());
}

/// What a browser passed with a link (the page and its cookies) goes with every request
/// to the link's own origin, and never to another mirror, nor to the host a redirect
/// from that origin leads to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_links_cookies_and_referrer_go_to_its_own_origin_only() {
    use reqwest::header::{COOKIE, REFERER};
    let data = Arc::new(payload(768 * 1024, 10));
    let own = mirror(5, data.clone(), Faults::default()).await;
    let other = mirror(6, data.clone(), Faults::throttled(1 << 20)).await;
    let led_to = mirror(7, data.clone(), Faults::default()).await;
    let redirecting = mirror(
        5,
        data.clone(),
        Faults {
            redirect_to: Some(led_to.url()),
            ..Faults::default()
        },
    )
    .await;
    let cookies = "session=s3cret; theme=dark";
    let dir = temp_dir("site-headers");
    let (engine, mut events) = Engine::start(Settings::default());
    for (name, link) in [("direct.bin", &own), ("redirected.bin", &redirecting)] {
        let page = format!("http://{}/downloads", link.addr);
        let mut job = spec(name, &dir, &data, &[link, &other], true);
        job.site_headers = SiteHeaders::for_link(&link.url(), Some(&page), Some(cookies)).unwrap();
        assert!(job.site_headers.is_some());
        let id = engine.add(job);
        finished_with(&mut events, id, &data).await;
        assert!(link.asked() > 0, "{name}: the link's own origin was asked");
        assert_eq!(
            link.header_values(COOKIE),
            vec![cookies; link.asked()],
            "{name}: every request to the link's origin has its cookies"
        );
        assert_eq!(link.header_values(REFERER), vec![page; link.asked()]);
    }
    assert!(led_to.asked() > 0, "the redirect was followed");
    assert!(other.asked() > 0, "the other mirror was asked");
    for elsewhere in [&other, &led_to] {
        assert_eq!(elsewhere.header_values(COOKIE), Vec::<String>::new());
        assert_eq!(elsewhere.header_values(REFERER), Vec::<String>::new());
    }
}

/// Two engines (a window and `braid get`, say) never write the same download: the second
/// is told another Braid has it and leaves its files alone, even when removed with
/// files; the first finishes undisturbed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_running_elsewhere_is_left_alone() {
    let data = Arc::new(payload(2 * 1024 * 1024, 12));
    let slow = mirror(1, data.clone(), Faults::throttled(1 << 20)).await;
    let dir = temp_dir("locked");
    let (first, mut first_events) = Engine::start(Settings::default());
    let first_id = first.add(spec("out.bin", &dir, &data, &[&slow], true));
    for _ in 0..200 {
        if dir.join("out.bin.braid-state").exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(
        dir.join("out.bin.braid-state").exists(),
        "the first has begun"
    );
    let (second, mut second_events) = Engine::start(Settings::default());
    let second_id = second.add(spec("out.bin", &dir, &data, &[&slow], true));
    match outcome(&mut second_events, second_id).await {
        Event::Failed { error, .. } => {
            assert!(error.to_string().contains("another Braid"), "{error}")
        }
        other => panic!("{other:?}"),
    }
    remove_with_files(&second, &mut second_events, second_id).await;
    assert!(
        dir.join("out.bin.part").exists(),
        "the first's part file is still there"
    );
    finished_with(&mut first_events, first_id, &data).await;
}

/// A download larger than the free space fails at once with the figures, before any
/// request, and leaves nothing behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_the_disk_cannot_hold_fails_before_it_starts() {
    let data = Arc::new(payload(64 * 1024, 14));
    let server = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("no-space");
    let mut job = spec("huge.iso", &dir, &data, &[&server], false);
    job.size = Some(1 << 60);
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(job);
    match outcome(&mut events, id).await {
        Event::Failed {
            error: JobError::Disk(DiskError::NoSpace { needed, free, .. }),
            ..
        } => {
            assert_eq!(needed, 1 << 60);
            assert!(free < needed);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests(), 0, "no request before the check");
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(left.is_empty(), "nothing left behind: {left:?}");
}

/// Removes a download with its files and waits (bounded) until the engine says so.
async fn remove_with_files(
    engine: &Engine,
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    id: DownloadId,
) {
    engine.send(Command::Remove {
        id,
        delete_files: true,
    });
    let removed = async {
        while let Some(event) = events.recv().await {
            if matches!(event, Event::Removed(removed) if removed == id) {
                return;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), removed)
        .await
        .expect("the download is removed");
}

/// Waits (bounded) until the state file exists: the download has begun.
async fn begun(dir: &std::path::Path, name: &str) {
    let state = dir.join(format!("{name}.braid-state"));
    for _ in 0..400 {
        if state.exists() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{} never appeared", state.display());
}

/// Cancelling with files removes the part and state files; pausing and resuming at once
/// goes on (nothing of the stopped run still holds the part file).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopped_downloads_let_go_of_their_files_at_once() {
    let data = Arc::new(payload(4 * 1024 * 1024, 16));
    let slow = mirror(1, data.clone(), Faults::throttled(2 << 20)).await;
    let dir = temp_dir("let-go");
    let (engine, mut events) = Engine::start(Settings::default());

    let id = engine.add(spec("cancelled.bin", &dir, &data, &[&slow], true));
    begun(&dir, "cancelled.bin").await;
    remove_with_files(&engine, &mut events, id).await;
    assert!(!dir.join("cancelled.bin.part").exists());
    assert!(!dir.join("cancelled.bin.braid-state").exists());

    let id = engine.add(spec("paused.bin", &dir, &data, &[&slow], true));
    begun(&dir, "paused.bin").await;
    engine.send(Command::Pause(id));
    assert!(matches!(outcome(&mut events, id).await, Event::Paused(_)));
    engine.send(Command::Resume(id));
    finished_with(&mut events, id, &data).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_usable_mirror_fails_with_reasons_and_no_file() {
    let data = Arc::new(payload(256 * 1024, 4));
    let gone = mirror(
        1,
        data.clone(),
        Faults {
            status: Some(410),
            ..Faults::default()
        },
    )
    .await;
    let corrupt = mirror(
        2,
        data.clone(),
        Faults {
            corrupt: vec![(0, 256 * 1024)],
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("fail");
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&gone, &corrupt], true));
    match outcome(&mut events, id).await {
        Event::Failed {
            error: JobError::NoMirrors(reasons),
            ..
        } => {
            assert_eq!(reasons.len(), 2);
            assert_eq!(
                reasons[0].reason,
                MirrorReason::Dropped(DropReason::Unusable(Fault::Missing { status: 410 }))
            );
            assert!(
                matches!(
                    reasons[1].reason,
                    MirrorReason::Dropped(DropReason::BadPieces { .. })
                        | MirrorReason::Failed(Fault::BadPiece { .. })
                ),
                "{reasons:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(
        !dir.join("out.bin").exists(),
        "nothing unverified under the final name"
    );
    // Bounded: each bad piece is asked of the corrupt mirror at most once.
    assert!(
        corrupt.requests() <= 4 * 3,
        "{} requests",
        corrupt.requests()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_ignoring_range_still_works() {
    let data = Arc::new(payload(300 * 1024, 5));
    let whole = mirror(
        1,
        data.clone(),
        Faults {
            ignore_range: true,
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("norange");
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&whole], false));
    finished_with(&mut events, id, &data).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_saves_state_and_a_new_engine_resumes() {
    let data = Arc::new(payload(3 * 1024 * 1024, 6));
    let slow = mirror(1, data.clone(), Faults::throttled(1 << 20)).await;
    let dir = temp_dir("resume");
    {
        let (engine, mut events) = Engine::start(Settings::default());
        let id = engine.add(spec("out.bin", &dir, &data, &[&slow], true));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        engine.send(Command::Pause(id));
        assert!(matches!(outcome(&mut events, id).await, Event::Paused(_)));
    }
    let state = std::fs::read_to_string(dir.join("out.bin.braid-state")).unwrap();
    assert!(state.contains("\"done\":\"1"), "{state}");
    assert!(!dir.join("out.bin").exists());
    let sent_before = slow.sent();
    assert!(
        sent_before > 0 && sent_before < data.len() as u64,
        "paused part-way: {sent_before}"
    );
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&slow], true));
    finished_with(&mut events, id, &data).await;
    let refetched = slow.sent().saturating_sub(data.len() as u64);
    assert!(
        refetched <= 16 * PIECE,
        "at most a few pieces are fetched twice: {refetched}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn existing_files_are_not_overwritten() {
    let data = Arc::new(payload(128 * 1024, 7));
    let good = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("exists");
    std::fs::write(dir.join("out.bin"), b"my precious data").unwrap();
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&good], false));
    match outcome(&mut events, id).await {
        Event::Failed {
            error: JobError::FileExists(_),
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(
        std::fs::read(dir.join("out.bin")).unwrap(),
        b"my precious data"
    );
    let mut replace = spec("out.bin", &dir, &data, &[&good], false);
    replace.overwrite = true;
    let id = engine.add(replace);
    assert!(matches!(
        outcome(&mut events, id).await,
        Event::Finished { .. }
    ));
    assert_eq!(std::fs::read(dir.join("out.bin")).unwrap(), *data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connections_continue_where_they_broke() {
    let data = Arc::new(payload(1024 * 1024, 8));
    // Every response breaks off after 200 KiB: about three pieces per request.
    let flaky = mirror(
        1,
        data.clone(),
        Faults {
            drop_after: Some(200 * 1024),
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("drops");
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&flaky], true));
    finished_with(&mut events, id, &data).await;
    // Only the broken-off partial pieces are fetched again.
    assert!(
        flaky.sent() <= data.len() as u64 + flaky.requests() * PIECE,
        "{} bytes in {} requests",
        flaky.sent(),
        flaky.requests()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_faults_still_give_the_right_file() {
    let data = Arc::new(payload(3 * 1024 * 1024, 9));
    let corrupt = mirror(
        1,
        data.clone(),
        Faults {
            corrupt: vec![(5 * PIECE, 5 * PIECE + 3), (30 * PIECE, 31 * PIECE)],
            drop_after: Some(700 * 1024),
            ..Faults::default()
        },
    )
    .await;
    let busy = mirror(
        2,
        data.clone(),
        Faults {
            status: Some(503),
            retry_after: Some(1),
            ..Faults::default()
        },
    )
    .await;
    let gone = mirror(
        3,
        data.clone(),
        Faults {
            status: Some(404),
            ..Faults::default()
        },
    )
    .await;
    let slow = mirror(
        4,
        data.clone(),
        Faults {
            bytes_per_second: Some(2 << 20),
            connection_bytes_per_second: Some(1 << 20),
            drop_after: Some(1024 * 1024),
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("mixed");
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec(
        "out.bin",
        &dir,
        &data,
        &[&corrupt, &busy, &gone, &slow],
        true,
    ));
    finished_with(&mut events, id, &data).await;
    assert_eq!(gone.requests(), 1);
    assert!(
        busy.requests() <= 5,
        "a busy mirror is retried a bounded number of times: {}",
        busy.requests()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_of_unknown_size_streams_and_is_verified() {
    let data = Arc::new(payload(700 * 1024, 10));
    let no_length = mirror(
        1,
        data.clone(),
        Faults {
            hide_length: true,
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("no_length");
    let (engine, mut events) = Engine::start(Settings::default());
    let mut job = spec("out.bin", &dir, &data, &[&no_length], false);
    job.size = None;
    let id = engine.add(job);
    match outcome(&mut events, id).await {
        Event::Finished { path, verified, .. } => {
            assert_eq!(std::fs::read(&path).unwrap(), *data);
            assert_eq!(verified, Some(HashAlgorithm::Sha256));
        }
        other => panic!("{other:?}"),
    }
    // The wrong hash fails, and nothing appears under the final name.
    let mut wrong = spec("bad.bin", &dir, &data, &[&no_length], false);
    wrong.size = None;
    wrong.hashes[0].digest[0] ^= 1;
    let id = engine.add(wrong);
    assert!(matches!(
        outcome(&mut events, id).await,
        Event::Failed {
            error: JobError::HashMismatch { .. },
            ..
        }
    ));
    assert!(!dir.join("bad.bin").exists() && !dir.join("bad.bin.part").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_remote_file_is_not_spliced_onto_old_data() {
    let old = Arc::new(payload(3 * 1024 * 1024, 11));
    let new = Arc::new(payload(3 * 1024 * 1024, 12));
    let server = mirror(1, old.clone(), Faults::throttled(1 << 20)).await;
    let dir = temp_dir("changed");
    // A plain URL: nothing but the server's validators says which version is on disk.
    let plain = |data: &[u8]| {
        let mut job = spec("out.bin", &dir, data, &[&server], false);
        job.hashes.clear();
        job
    };
    {
        let (engine, mut events) = Engine::start(Settings::default());
        let id = engine.add(plain(&old));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        engine.send(Command::Pause(id));
        assert!(matches!(outcome(&mut events, id).await, Event::Paused(_)));
    }
    let state = std::fs::read_to_string(dir.join("out.bin.braid-state")).unwrap();
    assert!(state.contains("\"etag\":\"\\\"v1\\\"\""), "{state}");
    server.replace(new.clone(), "v2");
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(plain(&new));
    let mut noticed = false;
    let ending = loop {
        let event = tokio::time::timeout(Duration::from_secs(60), events.recv())
            .await
            .unwrap()
            .unwrap();
        match event {
            Event::MirrorTrouble {
                trouble: Trouble::ChangedRestarting,
                ..
            } => noticed = true,
            Event::Finished { .. } | Event::Failed { .. } => break event,
            _ => {}
        }
    };
    assert!(noticed, "the user is told the file changed");
    match ending {
        Event::Finished { path, .. } => {
            assert_eq!(std::fs::read(path).unwrap(), *new, "only the new version");
        }
        other => panic!("{other:?}"),
    }
    let _ = id;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_state_file_is_never_seen_half_written() {
    let data = Arc::new(payload(4 * 1024 * 1024, 13));
    let slow = mirror(1, data.clone(), Faults::throttled(1 << 20)).await;
    let dir = temp_dir("atomic");
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&slow], true));
    let state_path = dir.join("out.bin.braid-state");
    let pieces = data.len().div_ceil(PIECE as usize);
    let mut reads = 0;
    let mut versions = std::collections::HashSet::new();
    // Read as fast as possible while the engine rewrites the file once a second.
    for _ in 0..20_000 {
        if let Ok(text) = std::fs::read_to_string(&state_path) {
            let state: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("a torn state file ({e}): {text}"));
            assert_eq!(state["done"].as_str().unwrap().len(), pieces);
            versions.insert(text);
            reads += 1;
        }
        if versions.len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
    assert!(versions.len() >= 2, "saw the state change: {reads} reads");
    engine.send(Command::Pause(id));
    assert!(matches!(outcome(&mut events, id).await, Event::Paused(_)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_apply_and_can_change_while_running() {
    let data = Arc::new(payload(2 * 1024 * 1024, 14));
    let fast = mirror(1, data.clone(), Faults::default()).await;
    let dir = temp_dir("limit");
    let settings = Settings {
        rate_limit: Some(256 * 1024),
        ..Settings::default()
    };
    let (engine, mut events) = Engine::start(settings);
    let id = engine.add(spec("out.bin", &dir, &data, &[&fast], true));
    // Under the limit the download is still running after the first progress reports.
    let mut reports = 0;
    while reports < 3 {
        match tokio::time::timeout(Duration::from_secs(10), events.recv())
            .await
            .unwrap()
            .unwrap()
        {
            Event::Progress { id: i, progress } if i == id => {
                assert!(progress.done < progress.size.unwrap());
                reports += 1;
            }
            Event::Finished { .. } => panic!("finished despite the limit"),
            _ => {}
        }
    }
    engine.send(Command::SetLimits(Settings::default()));
    engine.send(Command::SetRateLimit {
        id,
        bytes_per_second: None,
    });
    finished_with(&mut events, id, &data).await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsynced_pieces_are_checked_on_resume_not_trusted() {
    let data = Arc::new(payload(3 * 1024 * 1024, 15));
    let slow = mirror(1, data.clone(), Faults::throttled(1 << 20)).await;
    let dir = temp_dir("unsynced");
    {
        let (engine, mut events) = Engine::start(Settings::default());
        let id = engine.add(spec("out.bin", &dir, &data, &[&slow], true));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        engine.send(Command::Pause(id));
        assert!(matches!(outcome(&mut events, id).await, Event::Paused(_)));
    }
    // As if the process died before the last sync: every piece is only "written", and
    // one of them did not reach the disk intact.
    let state_path = dir.join("out.bin.braid-state");
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state_path).unwrap()).unwrap();
    let done = state["done"].as_str().unwrap().to_owned();
    let written = done.matches('1').count();
    assert!(written >= 4, "{done}");
    state["unsynced"] = done.clone().into();
    state["done"] = "0".repeat(done.len()).into();
    std::fs::write(&state_path, state.to_string()).unwrap();
    let part = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join("out.bin.part"))
        .unwrap();
    std::os::unix::fs::FileExt::write_all_at(&part, &[0u8; 100], PIECE + 5).unwrap();
    drop(part);

    let sent_before = slow.sent();
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&slow], true));
    finished_with(&mut events, id, &data).await;
    let fetched_again = slow.sent() - sent_before;
    let missing = data.len() as u64 - written as u64 * PIECE;
    assert!(
        fetched_again <= missing + 4 * PIECE,
        "the checked pieces were kept: {fetched_again} bytes for {missing} missing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_state_file_is_replaced_by_checking_the_part_file() {
    let data = Arc::new(payload(3 * 1024 * 1024, 16));
    let slow = mirror(1, data.clone(), Faults::throttled(1 << 20)).await;
    let dir = temp_dir("nostate");
    {
        let (engine, mut events) = Engine::start(Settings::default());
        let id = engine.add(spec("out.bin", &dir, &data, &[&slow], true));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        engine.send(Command::Pause(id));
        assert!(matches!(outcome(&mut events, id).await, Event::Paused(_)));
    }
    std::fs::write(dir.join("out.bin.braid-state"), b"{ damaged").unwrap();
    let sent_before = slow.sent();
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&slow], true));
    finished_with(&mut events, id, &data).await;
    let fetched_again = slow.sent() - sent_before;
    assert!(
        fetched_again <= data.len() as u64 - sent_before + 8 * PIECE,
        "what was on disk was kept: {fetched_again} after {sent_before}"
    );
}
