//! A zsync update's scattered blocks asked for several ranges at a time: against
//! Braid's loopback mirror answering the ways servers do (a multipart body, the whole
//! file, only the first range, one coalesced range, 416), and against real nginx and
//! lighttpd. Each update must end with the new file, fetch about the changed blocks and
//! no more, and take far fewer requests than it has stretches of changed blocks. The
//! control files are made by Debian's `zsyncmake`.

mod support;

use std::path::Path;
use std::sync::Arc;

use braid::discover::zsync as found_zsync;
use braid::engine::{Engine, Event, JobSpec, ReuseFrom, ReuseKind, Settings};
use braid::loopback::MultiRange;
use support::web::WebServer;
use support::{Faults, LoopbackMirror, mirror, outcome, payload, temp_dir};

/// zsyncmake's block size for files of a few MiB.
const BLOCK: usize = 2048;
const SIZE: usize = 4 * 1024 * 1024;

/// zsyncmake's control file for `data` as `made.bin`, with `urls` as its URL lines.
fn zsyncmake(dir: &Path, data: &[u8], urls: &[String]) -> Vec<u8> {
    support::zsyncmake(dir, "made.bin", data, urls)
}

/// `new` with one block in ten changed (every tenth, give or take, so the changes are
/// scattered), and how many stretches of changed blocks that makes.
fn older_version(new: &[u8]) -> (Vec<u8>, usize) {
    let mut old = new.to_vec();
    let dice = payload(new.len() / BLOCK, 5);
    let mut stretches = 0;
    let mut last_changed = false;
    for (block, die) in dice.iter().enumerate() {
        let changed = die % 10 == 0;
        if changed {
            let at = block * BLOCK + 100;
            for byte in &mut old[at..at + 50] {
                *byte ^= 0x5a;
            }
            stretches += usize::from(!last_changed);
        }
        last_changed = changed;
    }
    (old, stretches)
}

/// A zsync update of `new` from `control` (whose URLs are the mirrors), reusing `old`.
fn update(dir: &Path, name: &str, control: &[u8], old: &[u8]) -> JobSpec {
    let seed = dir.join(format!("{name}.old"));
    std::fs::write(&seed, old).unwrap();
    let found = found_zsync::from_bytes("new.bin.zsync", control).unwrap();
    let mut spec = found.into_spec("new.bin.zsync", dir.to_path_buf()).unwrap();
    spec.name = name.into();
    spec.reuse = vec![ReuseFrom {
        path: seed,
        kind: ReuseKind::Seed,
    }];
    spec
}

/// How an update ended.
struct Ended {
    file: Vec<u8>,
    /// Bad copies of blocks caught and fetched again.
    repaired: usize,
}

/// Runs `spec` to its end.
async fn run(spec: JobSpec) -> Ended {
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec);
    let ended = outcome(&mut events, id).await;
    drop(engine);
    match ended {
        Event::Finished { path, repaired, .. } => Ended {
            file: std::fs::read(&path).unwrap(),
            repaired,
        },
        other => panic!("{other:?}"),
    }
}

/// The `Range` headers a mirror was sent, split into those for several ranges and
/// those for one.
fn range_headers(mirror: &LoopbackMirror) -> (Vec<String>, Vec<String>) {
    mirror
        .header_values(axum::http::header::RANGE)
        .into_iter()
        .partition(|value| value.contains(','))
}

/// At most what the changed blocks hold, a quarter more for blocks zsync cannot place
/// (a changed block's neighbours when pairs must match), and some headroom.
fn bound(stretches: usize, changed_bytes: usize) -> u64 {
    (changed_bytes as u64 * 5 / 4) + (stretches as u64 * BLOCK as u64) + 64 * 1024
}

fn changed_bytes(old: &[u8], new: &[u8]) -> usize {
    old.chunks(BLOCK)
        .zip(new.chunks(BLOCK))
        .filter(|(a, b)| a != b)
        .count()
        * BLOCK
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scattered_blocks_come_in_a_few_multipart_answers() {
    let dir = temp_dir("multi-range-loopback");
    let new = Arc::new(payload(SIZE, 21));
    let (old, stretches) = older_version(&new);
    let a = mirror(1, new.clone(), Faults::default()).await;
    let control = zsyncmake(&dir, &new, &[a.url()]);
    let ended = run(update(&dir, "new.bin", &control, &old)).await;
    assert!(ended.file == *new, "the new file");
    assert_eq!(ended.repaired, 0);
    let (several, one) = range_headers(&a);
    eprintln!(
        "{stretches} stretches: {} requests for several ranges, {} for one, {} bytes",
        several.len(),
        one.len(),
        a.sent()
    );
    assert!(stretches > 150, "the changes are scattered: {stretches}");
    assert!(
        several.len() + one.len() <= stretches / 10,
        "{} + {} requests for {stretches} stretches",
        several.len(),
        one.len()
    );
    assert!(!several.is_empty());
    assert!(a.sent() <= bound(stretches, changed_bytes(&old, &new)));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Servers that do not answer several ranges with a multipart body: each is asked once,
/// then one range at a time, and none sends the whole file for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_without_multipart_answers_are_asked_one_range_at_a_time() {
    let dir = temp_dir("multi-range-fallbacks");
    let new = Arc::new(payload(SIZE, 22));
    let (old, stretches) = older_version(&new);
    let changed = changed_bytes(&old, &new);
    for (host, how) in [
        (2, MultiRange::Whole),
        (3, MultiRange::FirstOnly),
        (4, MultiRange::Coalesce),
        (5, MultiRange::Refuse),
    ] {
        // Paced, so an answer Braid closes unread does not fill the loopback socket's
        // buffers (megabytes) before it is closed: what was sent is what was read.
        let faults = Faults {
            multi_range: how,
            connection_bytes_per_second: Some(4_000_000),
            ..Faults::default()
        };
        let m = mirror(host, new.clone(), faults).await;
        let control = zsyncmake(&dir, &new, &[m.url()]);
        let name = format!("new-{host}.bin");
        let ended = run(update(&dir, &name, &control, &old)).await;
        assert!(ended.file == *new, "{how:?}: the new file");
        let (several, one) = range_headers(&m);
        eprintln!(
            "{how:?}: {} requests for several ranges, {} for one, {} bytes sent",
            several.len(),
            one.len(),
            m.sent()
        );
        assert!(
            (1..=4).contains(&several.len()),
            "{how:?}: asked for several ranges {} times",
            several.len()
        );
        assert!(!one.is_empty(), "{how:?}");
        // The whole file's answer is not read; a first range is used, not asked again.
        let most = bound(stretches, changed);
        assert!(m.sent() <= most, "{how:?}: sent {}", m.sent());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A mirror whose every byte is wrong, asked for several ranges at once: each bad block
/// is caught by its checksum and fetched from the other mirror.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_range_from_one_mirror_comes_from_the_other() {
    let dir = temp_dir("multi-range-bad");
    let new = Arc::new(payload(SIZE, 23));
    let (old, _) = older_version(&new);
    let bad = Faults {
        corrupt: vec![(0, SIZE as u64)],
        ..Faults::default()
    };
    let a = mirror(6, new.clone(), bad).await;
    let b = mirror(7, new.clone(), Faults::default()).await;
    let control = zsyncmake(&dir, &new, &[a.url(), b.url()]);
    let ended = run(update(&dir, "new.bin", &control, &old)).await;
    assert!(ended.file == *new, "the new file");
    assert!(ended.repaired >= 1, "bad blocks were caught");
    let (several, _) = range_headers(&a);
    assert!(
        !several.is_empty(),
        "the bad mirror was asked for several ranges"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A zsync update from a real server: how many requests it logged, and with what.
async fn update_from(server: impl FnOnce(&Path) -> WebServer, name: &str) -> Vec<(u16, u64)> {
    let dir = temp_dir(&format!("multi-range-{name}"));
    let www = dir.join("www");
    std::fs::create_dir_all(&www).unwrap();
    let new = payload(SIZE, 24);
    let (old, stretches) = older_version(&new);
    std::fs::write(www.join("new.bin"), &new).unwrap();
    let server = server(&www);
    let control = zsyncmake(&dir, &new, &[server.url("http", "new.bin")]);
    let ended = run(update(&dir, "new.bin", &control, &old)).await;
    assert!(ended.file == new, "{name}: the new file");
    let logged: Vec<(u16, u64)> = server
        .stop()
        .into_iter()
        .map(|l| (l.status, l.body_bytes))
        .collect();
    eprintln!("{name}: {stretches} stretches, {logged:?}");
    std::fs::remove_dir_all(&dir).unwrap();
    logged
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_and_lighttpd_send_the_scattered_blocks_in_multipart_answers() {
    let new = payload(SIZE, 24);
    let (old, stretches) = older_version(&new);
    let most = bound(stretches, changed_bytes(&old, &new));
    for (name, start) in [
        (
            "nginx",
            (|www: &Path| WebServer::nginx(8, www, "")) as fn(&Path) -> WebServer,
        ),
        ("lighttpd", |www: &Path| WebServer::lighttpd(9, www, "")),
    ] {
        let logged = update_from(start, name).await;
        // lighttpd answers 10 ranges of a request, nginx all of them.
        let most_requests = match name {
            "lighttpd" => stretches / 8,
            _ => stretches / 20,
        };
        assert!(
            logged.len() <= most_requests,
            "{name}: {} requests for {stretches} stretches",
            logged.len()
        );
        assert!(logged.iter().all(|&(status, _)| status == 206), "{name}");
        let sent: u64 = logged.iter().map(|&(_, bytes)| bytes).sum();
        assert!(sent <= most, "{name}: sent {sent}, at most {most}");
    }
}

/// nginx with `max_ranges 1` answers several ranges with the whole file (as if no range
/// were asked): Braid asks once, then range by range, and the update still ends right.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_limited_to_one_range_is_asked_one_range_at_a_time() {
    let logged = update_from(
        |www| WebServer::nginx(10, www, "max_ranges 1;"),
        "nginx-max-ranges",
    )
    .await;
    let whole = logged.iter().filter(|&&(status, _)| status == 200).count();
    let ranges = logged.iter().filter(|&&(status, _)| status == 206).count();
    assert!((1..=4).contains(&whole), "{logged:?}");
    assert!(ranges > 0, "{logged:?}");
}
