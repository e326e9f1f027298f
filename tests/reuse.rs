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
use braid::engine::{Engine, Event, JobSpec, ReuseFrom, ReuseKind, Reused, Settings};
use braid::metalink::HashAlgorithm;
use support::cli::{Home, stderr};
use support::{Faults, LoopbackMirror, PIECE, mirror, outcome_within, payload, spec, temp_dir};

const BLOCK: usize = 2048;

/// How long one download here may take: a few MiB hashed block by block on a loaded machine.
const DOWNLOAD_LIMIT: Duration = Duration::from_secs(120);

/// zsyncmake's control file for `data` as `new.bin`, with `urls` as its URL lines.
fn zsyncmake(dir: &Path, data: &[u8], urls: &[String]) -> Vec<u8> {
    support::zsyncmake(dir, "new.bin", data, urls)
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

/// A mirror on 127.0.0.`host` serving `new`, with zsyncmake's control file for it (its
/// URL lines `urls`) beside it at `URL.zsync`.
async fn with_zsync_beside(
    host: u8,
    dir: &Path,
    new: &Arc<Vec<u8>>,
    urls: &[String],
) -> LoopbackMirror {
    let faults = Faults {
        zsync: Some(zsyncmake(dir, new, urls)),
        ..Faults::default()
    };
    mirror(host, new.clone(), faults).await
}

/// Writes an [`older_version`] of `new` to `path`, and returns it.
fn older_copy(path: &Path, new: &[u8], percent: usize, seed: u64) -> Vec<u8> {
    let (old, _) = older_version(new, percent, seed);
    std::fs::write(path, &old).unwrap();
    old
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
        let (path, reused) = finished(outcome_within(&mut events, id, DOWNLOAD_LIMIT).await);
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

/// A download that repairs the damaged file `target` in place from `mirrors`, checking
/// each piece against `data`'s piece hashes.
fn repairing(target: &Path, data: &[u8], mirrors: &[&LoopbackMirror]) -> JobSpec {
    let name = target.file_name().unwrap().to_str().unwrap();
    let mut spec = spec(name, target.parent().unwrap(), data, mirrors, true);
    spec.overwrite = true;
    spec.reuse = vec![ReuseFrom {
        path: target.to_path_buf(),
        kind: ReuseKind::Damaged,
    }];
    spec
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
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(repairing(&target, &data, &[&a, &b]));
    let (path, reused) = finished(outcome_within(&mut events, id, DOWNLOAD_LIMIT).await);
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
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(repairing(&target, &data, &[&gone]));
    match outcome_within(&mut events, id, DOWNLOAD_LIMIT).await {
        Event::Failed { .. } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read(&target).unwrap(), original);
    drop(engine);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn braid_get_seed_updates_from_a_zsync_url_and_says_what_it_reused() {
    let home = Home::new("reuse-cli-seed");
    let dir = &home.dir;
    let new = Arc::new(payload(2 * 1024 * 1024, 31));
    // The control file names the first mirror; the second is only beside it.
    let a = mirror(1, new.clone(), Faults::default()).await;
    let b = with_zsync_beside(2, dir, &new, &[a.url()]).await;
    let seed = dir.join("old.bin");
    older_copy(&seed, &new, 5, 3);
    let zsync_url = format!("{}.zsync", b.url());
    let output = home
        .get(&["--seed", seed.to_str().unwrap(), &zsync_url])
        .await;
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(std::fs::read(home.out().join("new.bin")).unwrap(), *new);
    assert!(said.contains("reused"), "{said}");
    assert!(
        a.sent() < new.len() as u64 / 4,
        "only changed blocks: {}",
        a.sent()
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A plain URL with nothing but `URL.zsync` beside it: the control file is its checksum
/// and says so, and its blocks update the older copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_url_is_checked_by_the_zsync_file_beside_it_and_says_so() {
    let home = Home::new("reuse-cli-plain-zsync");
    let dir = &home.dir;
    let new = Arc::new(payload(2 * 1024 * 1024, 35));
    let a = with_zsync_beside(1, dir, &new, &["file.bin".into()]).await;
    let seed = dir.join("old.bin");
    older_copy(&seed, &new, 5, 6);
    let output = home
        .get(&["--seed", seed.to_str().unwrap(), &a.url()])
        .await;
    let said = stderr(&output);
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
    assert_eq!(std::fs::read(home.out().join("file.bin")).unwrap(), *new);
    assert!(a.sent() < new.len() as u64 / 4, "{}", a.sent());
    std::fs::remove_dir_all(dir).unwrap();
}

/// Nothing to check pieces with: `--repair` says so and gives the command that downloads
/// it again into the same file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repair_without_piece_hashes_says_how_to_download_it_again() {
    let home = Home::new("reuse-cli-no-pieces");
    let dir = &home.dir;
    let data = Arc::new(payload(300_000, 36));
    let a = mirror(1, data.clone(), Faults::default()).await;
    let damaged = dir.join("damaged.bin");
    std::fs::write(&damaged, &data[..1000]).unwrap();
    let output = home
        .run(&["get", "--repair", damaged.to_str().unwrap(), &a.url()])
        .await;
    let said = stderr(&output);
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
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn braid_get_repair_keeps_the_good_pieces_of_a_damaged_file() {
    let home = Home::new("reuse-cli-repair");
    let dir = &home.dir;
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
    let (dir_arg, meta4_arg) = (dir.to_str().unwrap(), meta4.to_str().unwrap());
    let refused = home.run(&["get", "-d", dir_arg, meta4_arg]).await;
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("--repair"),
        "{}",
        stderr(&refused)
    );
    let output = home
        .run(&["get", "--repair", target.to_str().unwrap(), meta4_arg])
        .await;
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(std::fs::read(&target).unwrap(), *data);
    assert!(said.contains("3 pieces fetched"), "{said}");
    assert!(a.sent() <= 3 * PIECE, "{}", a.sent());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_copy_in_the_folder_is_used_when_a_zsync_file_is_beside_the_url() {
    let home = Home::new("reuse-cli-older");
    let dir = &home.dir;
    let new = Arc::new(payload(2 * 1024 * 1024, 33));
    let a = with_zsync_beside(1, dir, &new, &["file.bin".into()]).await;
    let meta4 = dir.join("os.meta4");
    std::fs::write(
        &meta4,
        braid::loopback::metalink_for("os-2.0.iso", &new, 0, &[a.url()]),
    )
    .unwrap();
    let out = home.out();
    std::fs::create_dir_all(&out).unwrap();
    let old = older_copy(&out.join("os-1.9.iso"), &new, 2, 4);
    let output = home.get(&[meta4.to_str().unwrap()]).await;
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("os-1.9.iso"), "{said}");
    assert_eq!(std::fs::read(out.join("os-2.0.iso")).unwrap(), *new);
    assert!(a.sent() < new.len() as u64 / 4, "{}", a.sent());
    assert_eq!(
        std::fs::read(out.join("os-1.9.iso")).unwrap(),
        old,
        "the seed is only read"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_seeds_each_give_what_they_hold() {
    let home = Home::new("reuse-cli-seeds");
    let dir = &home.dir;
    let new = Arc::new(payload(2 * 1024 * 1024, 34));
    let a = mirror(1, new.clone(), Faults::default()).await;
    let control = zsyncmake(dir, &new, &[a.url()]);
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
    let output = home
        .get(&[
            "--seed",
            one.to_str().unwrap(),
            "--seed",
            two.to_str().unwrap(),
            zsync.to_str().unwrap(),
        ])
        .await;
    let said = stderr(&output);
    assert!(output.status.success(), "{said}");
    assert_eq!(std::fs::read(home.out().join("new.bin")).unwrap(), *new);
    // Both halves came from the seeds: a few blocks at most (and the probe's bytes).
    assert!(a.sent() <= 64 * 1024, "fetched {}: {said}", a.sent());
    assert!(said.contains("reused"), "{said}");
    std::fs::remove_dir_all(dir).unwrap();
}
