//! Reusing what is on disk, against loopback mirrors, with control files made by
//! Debian's `zsyncmake` (the reference implementation) as the independent judge: an
//! older version plus a `.zsync` becomes the new version fetching only the changed
//! blocks, from two mirrors at once; a damaged file is repaired from a metalink fetching
//! only its bad pieces, and stays intact until the repaired file is verified.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use braid::discover::zsync as found_zsync;
use braid::engine::verify::digest;
use braid::engine::{DownloadId, Engine, Event, JobSpec, ReuseFrom, ReuseKind, Reused, Settings};
use braid::metalink::{Hash, HashAlgorithm, MirrorUrl, Pieces};
use support::{Faults, LoopbackMirror, mirror, payload, temp_dir};

const BLOCK: usize = 2048;

/// Runs Debian's `zsyncmake` on `data`, with `urls` as its URL lines.
fn zsyncmake(dir: &Path, data: &[u8], urls: &[String]) -> Vec<u8> {
    let input = dir.join("new.bin");
    std::fs::write(&input, data).unwrap();
    let output = dir.join("new.bin.zsync");
    let mut command = std::process::Command::new("zsyncmake");
    for url in urls {
        command.arg("-u").arg(url);
    }
    let status = command
        .arg("-o")
        .arg(&output)
        .arg(&input)
        .status()
        .expect("zsyncmake runs (Debian package zsync; .ci/run installs it)");
    assert!(status.success());
    std::fs::remove_file(&input).unwrap();
    std::fs::read(&output).unwrap()
}

/// `new` with `percent` % of its blocks (chosen at random) changed, bytes inserted near
/// the start and deleted further on (so most blocks are shifted); and which blocks
/// changed.
fn older_version(new: &[u8], percent: usize, seed: u64) -> (Vec<u8>, Vec<bool>) {
    let mut old = new.to_vec();
    let blocks = new.len() / BLOCK;
    let noise = payload(BLOCK, seed);
    let dice = payload(blocks * 2, seed + 100);
    let changed: Vec<bool> = (0..blocks)
        .map(|b| (u16::from_le_bytes([dice[2 * b], dice[2 * b + 1]]) as usize % 100) < percent)
        .collect();
    for b in (0..blocks).filter(|&b| changed[b]) {
        // A few bytes inside the block: the block changes, its neighbours do not.
        let at = b * BLOCK + 700;
        old[at..at + 100].copy_from_slice(&noise[..100]);
    }
    let mut shifted = old[..10_000].to_vec();
    shifted.extend_from_slice(b"a line inserted in the old version\n");
    shifted.extend_from_slice(&old[10_000..new.len() / 2]);
    shifted.extend_from_slice(&old[new.len() / 2 + 333..]);
    (shifted, changed)
}

/// Blocks zsync cannot find when pairs must match (`Hash-Lengths: 2,…`): the changed
/// ones, and unchanged ones with a changed block on either side.
fn unfindable(changed: &[bool]) -> usize {
    (0..changed.len())
        .filter(|&b| {
            let alone = (b == 0 || changed[b - 1]) && changed.get(b + 1).is_none_or(|c| *c);
            changed[b] || alone
        })
        .count()
}

fn urls(mirrors: &[&LoopbackMirror]) -> Vec<MirrorUrl> {
    mirrors
        .iter()
        .enumerate()
        .map(|(i, m)| MirrorUrl {
            url: m.url(),
            priority: i as u32 + 1,
            location: None,
            max_connections: None,
        })
        .collect()
}

async fn outcome(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    id: DownloadId,
) -> Event {
    let wait = async {
        loop {
            let event = events.recv().await.expect("the engine runs");
            if matches!(&event, Event::Finished { id: i, .. } | Event::Failed { id: i, .. } | Event::Paused(i) if *i == id)
            {
                return event;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(120), wait)
        .await
        .expect("the download ends within two minutes")
}

fn finished(event: Event) -> (std::path::PathBuf, Reused) {
    match event {
        Event::Finished {
            path,
            reused: Some(reused),
            verified: Some(_),
            ..
        } => (path, reused),
        other => panic!("{other:?}"),
    }
}

#[test]
fn zsyncmake_block_sums_agree_with_ours() {
    let dir = temp_dir("reuse-sums");
    let data = payload(300_000, 7);
    let control =
        braid::zsync::read(&zsyncmake(&dir, &data, &["http://m/new.bin".into()])).unwrap();
    assert!(control.warnings.is_empty(), "{:?}", control.warnings);
    assert_eq!(control.length, data.len() as u64);
    assert_eq!(control.filename.as_deref(), Some("new.bin"));
    let blocks = &control.blocks;
    assert_eq!(blocks.block_size(), BLOCK as u64);
    for i in 0..blocks.count() {
        let r = blocks.block_range(i);
        let block = &data[r.start as usize..r.end as usize];
        assert!(blocks.matches(i, block), "block {i}");
        let mut changed = block.to_vec();
        changed[0] ^= 1;
        assert!(!blocks.matches(i, &changed), "changed block {i}");
    }
    let sha1 = control.file_hash.unwrap();
    assert_eq!(sha1.digest, digest(HashAlgorithm::Sha1, &data));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_versions_become_the_new_one_fetching_only_changed_blocks() {
    let dir = temp_dir("reuse-zsync");
    let new = Arc::new(payload(4 * 1024 * 1024, 11));
    let a = mirror(1, new.clone(), Faults::default()).await;
    let b = mirror(2, new.clone(), Faults::default()).await;
    let control = zsyncmake(&dir, &new, &[a.url(), b.url()]);
    let (engine, mut events) = Engine::start(Settings::default());
    for percent in [1, 10, 50] {
        let (old, changed) = older_version(&new, percent, percent as u64);
        let seed = dir.join(format!("old-{percent}.bin"));
        std::fs::write(&seed, &old).unwrap();
        let found = found_zsync::from_bytes("new.bin.zsync", &control).unwrap();
        let mut spec: JobSpec = found.into_spec("new.bin.zsync", dir.clone()).unwrap();
        assert_eq!(spec.urls.len(), 2);
        spec.name = format!("new-{percent}.bin");
        spec.reuse = vec![ReuseFrom {
            path: seed,
            kind: ReuseKind::Seed,
        }];
        let sent_before = a.sent() + b.sent();
        let id = engine.add(spec);
        let (path, reused) = finished(outcome(&mut events, id).await);
        assert_eq!(std::fs::read(&path).unwrap(), *new, "{percent} %");
        let fetched = a.sent() + b.sent() - sent_before;
        // Blocks that cannot be found, the ones at each edit, and a few end-game copies.
        let changed = unfindable(&changed) + 6;
        let bound = (changed * BLOCK) as u64 * 5 / 4 + 64 * 1024;
        assert!(
            fetched <= bound,
            "{percent} %: fetched {fetched}, at most {bound}"
        );
        assert!(reused.bytes + fetched >= new.len() as u64, "{reused:?}");
        assert!(
            reused.fetched <= changed * 5 / 4 + 16,
            "{percent} %: {reused:?}"
        );
        eprintln!("{percent} % changed: fetched {fetched} bytes, {reused:?}");
    }
    assert!(a.sent() > 0 && b.sent() > 0, "both mirrors served blocks");
    drop(engine);
    std::fs::remove_dir_all(&dir).unwrap();
}

const PIECE: u64 = 64 * 1024;

fn metalink_spec(name: &str, dir: &Path, data: &[u8], mirrors: &[&LoopbackMirror]) -> JobSpec {
    let mut digests = Vec::new();
    for chunk in data.chunks(PIECE as usize) {
        digests.extend(digest(HashAlgorithm::Sha256, chunk));
    }
    JobSpec {
        source: "test.meta4".into(),
        name: name.into(),
        dir: dir.to_path_buf(),
        size: Some(data.len() as u64),
        hashes: vec![Hash {
            algorithm: HashAlgorithm::Sha256,
            digest: digest(HashAlgorithm::Sha256, data),
        }],
        pieces: Some(Pieces::new(HashAlgorithm::Sha256, PIECE, digests)),
        urls: urls(mirrors),
        overwrite: false,
        rate_limit: None,
        blocks: None,
        reuse: Vec::new(),
        provenance: Default::default(),
        ..Default::default()
    }
}

/// `data` with the given pieces overwritten, and cut short.
fn damaged(data: &[u8], pieces: &[usize]) -> Vec<u8> {
    let mut copy = data.to_vec();
    for &p in pieces {
        let at = p * PIECE as usize + 1000;
        copy[at..at + 10].copy_from_slice(b"0123456789");
    }
    copy.truncate(data.len() - 5000);
    copy
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_file_is_repaired_fetching_only_its_bad_pieces() {
    let dir = temp_dir("reuse-repair");
    let data = Arc::new(payload(3 * 1024 * 1024 + 12345, 21));
    let a = mirror(1, data.clone(), Faults::default()).await;
    let b = mirror(2, data.clone(), Faults::default()).await;
    let bad = [3, 17, 18, 40];
    let target = dir.join("disc.iso");
    std::fs::write(&target, damaged(&data, &bad)).unwrap();
    let mut spec = metalink_spec("disc.iso", &dir, &data, &[&a, &b]);
    spec.overwrite = true;
    spec.reuse = vec![ReuseFrom {
        path: target.clone(),
        kind: ReuseKind::Damaged,
    }];
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec);
    let (path, reused) = finished(outcome(&mut events, id).await);
    assert_eq!(path, target);
    assert_eq!(std::fs::read(&target).unwrap(), *data);
    // The four bad pieces and the cut-off last one.
    assert_eq!(reused.fetched, bad.len() + 1, "{reused:?}");
    let fetched = a.sent() + b.sent();
    assert!(fetched <= 6 * PIECE, "fetched {fetched}");
    assert!(!dir.join("disc.iso.part").exists());
    assert!(!dir.join("disc.iso.braid-state").exists());
    drop(engine);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repair_that_cannot_finish_leaves_the_original_as_it_was() {
    let dir = temp_dir("reuse-repair-fails");
    let data = Arc::new(payload(1024 * 1024, 22));
    let gone = mirror(
        1,
        data.clone(),
        Faults {
            status: Some(404),
            ..Faults::default()
        },
    )
    .await;
    let target = dir.join("disc.iso");
    let original = damaged(&data, &[2]);
    std::fs::write(&target, &original).unwrap();
    let mut spec = metalink_spec("disc.iso", &dir, &data, &[&gone]);
    spec.overwrite = true;
    spec.reuse = vec![ReuseFrom {
        path: target.clone(),
        kind: ReuseKind::Damaged,
    }];
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec);
    match outcome(&mut events, id).await {
        Event::Failed { .. } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read(&target).unwrap(), original);
    drop(engine);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `braid get ARGS` run to its end, with its own settings and data folders.
async fn braid_get(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        let home = std::env::temp_dir().join(format!("braid-reuse-cli-{}", std::process::id()));
        std::process::Command::new(env!("CARGO_BIN_EXE_braid"))
            .env("LANG", "en_US.UTF-8")
            .env("BRAID_CONFIG_DIR", home.join("config"))
            .env("BRAID_DATA_DIR", home.join("data"))
            .arg("get")
            .args(&args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("braid runs")
    })
    .await
    .unwrap()
}

fn text(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn braid_get_seed_updates_from_a_zsync_url_and_says_what_it_reused() {
    let dir = temp_dir("reuse-cli-seed");
    let new = Arc::new(payload(2 * 1024 * 1024, 31));
    // The control file names the first mirror; the second is only beside it.
    let a = mirror(1, new.clone(), Faults::default()).await;
    let control = zsyncmake(&dir, &new, &[a.url()]);
    let b = mirror(
        2,
        new.clone(),
        Faults {
            zsync: Some(control.clone()),
            ..Faults::default()
        },
    )
    .await;
    let (old, _) = older_version(&new, 5, 3);
    let seed = dir.join("old.bin");
    std::fs::write(&seed, &old).unwrap();
    let out = dir.join("out");
    let zsync_url = format!("{}.zsync", b.url());
    let output = braid_get(vec![
        "-d".into(),
        out.display().to_string(),
        "--seed".into(),
        seed.display().to_string(),
        zsync_url,
    ])
    .await;
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(std::fs::read(out.join("new.bin")).unwrap(), *new);
    assert!(said.contains("reused"), "{said}");
    assert!(
        a.sent() < new.len() as u64 / 4,
        "only changed blocks: {}",
        a.sent()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A plain URL with nothing but `URL.zsync` beside it: the control file is its checksum
/// and says so, and its blocks update the older copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_url_is_checked_by_the_zsync_file_beside_it_and_says_so() {
    let dir = temp_dir("reuse-cli-plain-zsync");
    let new = Arc::new(payload(2 * 1024 * 1024, 35));
    let control = zsyncmake(&dir, &new, &["file.bin".into()]);
    let a = mirror(
        1,
        new.clone(),
        Faults {
            zsync: Some(control),
            ..Faults::default()
        },
    )
    .await;
    let (old, _) = older_version(&new, 5, 6);
    let seed = dir.join("old.bin");
    std::fs::write(&seed, &old).unwrap();
    let out = dir.join("out");
    let output = braid_get(vec![
        "-d".into(),
        out.display().to_string(),
        "--seed".into(),
        seed.display().to_string(),
        a.url(),
    ])
    .await;
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("found a zsync control file beside it"),
        "{said}"
    );
    assert!(
        !said.contains("cannot be checked"),
        "the control file's SHA-1 checks it: {said}"
    );
    assert!(
        said.contains("verified with sha-1 from file.bin.zsync"),
        "{said}"
    );
    assert!(said.contains("pieces fetched ("), "{said}");
    assert_eq!(std::fs::read(out.join("file.bin")).unwrap(), *new);
    assert!(a.sent() < new.len() as u64 / 4, "{}", a.sent());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Nothing to check pieces with: `--repair` says so and gives the command that downloads
/// it again into the same file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repair_without_piece_hashes_says_how_to_download_it_again() {
    let dir = temp_dir("reuse-cli-no-pieces");
    let data = Arc::new(payload(300_000, 36));
    let a = mirror(1, data.clone(), Faults::default()).await;
    let damaged = dir.join("damaged.bin");
    std::fs::write(&damaged, &data[..1000]).unwrap();
    let output = braid_get(vec![
        "--repair".into(),
        damaged.display().to_string(),
        a.url(),
    ])
    .await;
    let said = text(&output);
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(
        said.contains(&format!(
            "`braid get --overwrite -d {} -o damaged.bin {}` downloads it again whole",
            dir.display(),
            a.url()
        )),
        "{said}"
    );
    assert_eq!(std::fs::read(&damaged).unwrap(), &data[..1000]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn braid_get_repair_keeps_the_good_pieces_of_a_damaged_file() {
    let dir = temp_dir("reuse-cli-repair");
    let data = Arc::new(payload(2 * 1024 * 1024, 32));
    let a = mirror(1, data.clone(), Faults::default()).await;
    let meta4 = dir.join("disc.meta4");
    std::fs::write(
        &meta4,
        braid::loopback::metalink_for("disc.iso", &data, PIECE, &[a.url()]),
    )
    .unwrap();
    let target = dir.join("disc.iso");
    std::fs::write(&target, damaged(&data, &[1, 20])).unwrap();
    // Without --repair an existing file is left alone, and the way out is named.
    let refused = braid_get(vec![
        "-d".into(),
        dir.display().to_string(),
        meta4.display().to_string(),
    ])
    .await;
    assert!(!refused.status.success());
    assert!(text(&refused).contains("--repair"), "{}", text(&refused));
    let output = braid_get(vec![
        "--repair".into(),
        target.display().to_string(),
        meta4.display().to_string(),
    ])
    .await;
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(std::fs::read(&target).unwrap(), *data);
    assert!(said.contains("3 pieces fetched"), "{said}");
    assert!(a.sent() <= 3 * PIECE, "{}", a.sent());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_copy_in_the_folder_is_used_when_a_zsync_file_is_beside_the_url() {
    let dir = temp_dir("reuse-cli-older");
    let new = Arc::new(payload(2 * 1024 * 1024, 33));
    let control = zsyncmake(&dir, &new, &["file.bin".into()]);
    let a = mirror(
        1,
        new.clone(),
        Faults {
            zsync: Some(control),
            ..Faults::default()
        },
    )
    .await;
    let meta4 = dir.join("os.meta4");
    std::fs::write(
        &meta4,
        braid::loopback::metalink_for("os-2.0.iso", &new, 0, &[a.url()]),
    )
    .unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let (old, _) = older_version(&new, 2, 4);
    std::fs::write(out.join("os-1.9.iso"), &old).unwrap();
    let output = braid_get(vec![
        "-d".into(),
        out.display().to_string(),
        meta4.display().to_string(),
    ])
    .await;
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("os-1.9.iso"), "{said}");
    assert_eq!(std::fs::read(out.join("os-2.0.iso")).unwrap(), *new);
    assert!(a.sent() < new.len() as u64 / 4, "{}", a.sent());
    assert_eq!(
        std::fs::read(out.join("os-1.9.iso")).unwrap(),
        old,
        "the seed is only read"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_seeds_each_give_what_they_hold() {
    let dir = temp_dir("reuse-cli-seeds");
    let new = Arc::new(payload(2 * 1024 * 1024, 34));
    let a = mirror(1, new.clone(), Faults::default()).await;
    let control = zsyncmake(&dir, &new, &[a.url()]);
    let zsync = dir.join("new.bin.zsync");
    std::fs::write(&zsync, &control).unwrap();
    // One older copy holds the first half (shifted), the other the second half.
    let half = new.len() / 2;
    let mut first = b"a header the new version dropped\n".to_vec();
    first.extend_from_slice(&new[..half]);
    first.extend_from_slice(&payload(half, 35));
    let mut second = payload(half, 36);
    second.extend_from_slice(&new[half..]);
    let (one, two) = (dir.join("part-1.bin"), dir.join("part-2.bin"));
    std::fs::write(&one, &first).unwrap();
    std::fs::write(&two, &second).unwrap();
    let out = dir.join("out");
    let output = braid_get(vec![
        "-d".into(),
        out.display().to_string(),
        "--seed".into(),
        one.display().to_string(),
        "--seed".into(),
        two.display().to_string(),
        zsync.display().to_string(),
    ])
    .await;
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(std::fs::read(out.join("new.bin")).unwrap(), *new);
    // Both halves came from the seeds: a few blocks at most (and the probe's bytes).
    assert!(a.sent() <= 64 * 1024, "fetched {}: {said}", a.sent());
    assert!(said.contains("reused"), "{said}");
    std::fs::remove_dir_all(&dir).unwrap();
}
