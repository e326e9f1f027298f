//! Test helpers: loopback mirrors (the library's own, see `braid::loopback`), a real
//! FTP server (`ftp`), scratch directories, and the engine tests' download specs and waits.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use braid::engine::verify::digest;
use braid::engine::{DownloadId, Event, JobSpec, Trouble};

pub mod cli;
pub mod desktop;

#[allow(unused_imports)]
pub use braid::loopback::{Faults, LoopbackMirror, payload, ranked_urls};
use braid::metalink::{Hash, HashAlgorithm, Pieces};

pub mod keys;
pub mod tls;
pub mod web;

/// Starts a loopback mirror on 127.0.0.`host`; tests cannot go on without it.
pub async fn mirror(host: u8, data: Arc<Vec<u8>>, faults: Faults) -> LoopbackMirror {
    LoopbackMirror::start(host, data, faults)
        .await
        .expect("a loopback mirror starts")
}

/// Runs Debian's `zsyncmake` (the reference implementation) on `data`, saved in `dir`
/// as `name` for the time it runs (the control file's Filename), with `urls` as its URL
/// lines; the control file it made. Nothing of it stays in `dir`.
pub fn zsyncmake(dir: &std::path::Path, name: &str, data: &[u8], urls: &[String]) -> Vec<u8> {
    let input = dir.join(name);
    std::fs::write(&input, data).unwrap();
    let output = dir.join(format!("{name}.zsync"));
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
    let control = std::fs::read(&output).unwrap();
    std::fs::remove_file(&output).unwrap();
    control
}

/// A fresh directory under the system temp dir.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("braid-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Accepts one hand-off from a second Braid (or the browser's native host) on
/// `listener`, the running Braid's single-instance socket, bounded in time.
pub fn receive_one(listener: braid::platform::instance::Listener) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let accepting = braid::platform::instance::accepting(listener).unwrap();
        tokio::time::timeout(Duration::from_secs(20), accepting.next())
            .await
            .expect("the hand-off arrives within 20 s")
    })
}

/// Piece length of the specs made by [`spec`].
pub const PIECE: u64 = 64 * 1024;

/// A download of `data` from `mirrors` in that order, with its sha-256 and, when
/// `with_pieces`, sha-256 hashes of [`PIECE`]-long pieces.
pub fn spec(
    name: &str,
    dir: &std::path::Path,
    data: &[u8],
    mirrors: &[&LoopbackMirror],
    with_pieces: bool,
) -> JobSpec {
    spec_with_pieces(name, dir, data, mirrors, with_pieces.then_some(PIECE))
}

/// [`spec`] with hashes of pieces of `piece_length`, if any.
pub fn spec_with_pieces(
    name: &str,
    dir: &std::path::Path,
    data: &[u8],
    mirrors: &[&LoopbackMirror],
    piece_length: Option<u64>,
) -> JobSpec {
    let pieces = piece_length.map(|length| {
        let mut digests = Vec::new();
        for chunk in data.chunks(length as usize) {
            digests.extend(digest(HashAlgorithm::Sha256, chunk));
        }
        Pieces::new(HashAlgorithm::Sha256, length, digests)
    });
    JobSpec {
        source: "test".into(),
        name: name.into(),
        dir: dir.to_path_buf(),
        size: Some(data.len() as u64),
        hashes: vec![Hash {
            algorithm: HashAlgorithm::Sha256,
            digest: digest(HashAlgorithm::Sha256, data),
        }],
        pieces,
        urls: ranked_urls(mirrors.iter().map(|m| m.url())),
        overwrite: false,
        rate_limit: None,
        blocks: None,
        reuse: Vec::new(),
        provenance: Default::default(),
        max_connections: None,
        priority: Default::default(),
        start_at: None,
        signatures: Default::default(),
        site_headers: None,
    }
}

/// Waits for the download's end: Finished, Failed or Paused (within a minute).
pub async fn outcome(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    id: DownloadId,
) -> Event {
    outcome_within(events, id, Duration::from_secs(60)).await
}

/// [`outcome`], waiting at most `limit`.
pub async fn outcome_within(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    id: DownloadId,
    limit: Duration,
) -> Event {
    let wait = async {
        loop {
            let event = events.recv().await.expect("the engine runs");
            let ended = match &event {
                Event::Finished { id: i, .. } | Event::Failed { id: i, .. } | Event::Paused(i) => {
                    *i == id
                }
                _ => false,
            };
            if ended {
                return event;
            }
        }
    };
    tokio::time::timeout(limit, wait)
        .await
        .unwrap_or_else(|_| panic!("the download ends within {limit:?}"))
}

/// Waits for the download to finish and checks the file holds `data`.
pub async fn finished_with(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    id: DownloadId,
    data: &[u8],
) {
    match outcome(events, id).await {
        Event::Finished { path, .. } => assert_eq!(std::fs::read(&path).unwrap(), data),
        other => panic!("{other:?}"),
    }
}

/// Waits for the download's end like [`outcome`], keeping the last progress report.
pub async fn ending_with_progress(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    id: DownloadId,
) -> (Event, Option<Box<braid::engine::Progress>>) {
    let mut last = None;
    let wait = async {
        loop {
            let event = events.recv().await.expect("the engine runs");
            match event {
                Event::Progress { id: i, progress } if i == id => last = Some(progress),
                Event::Finished { id: i, .. } | Event::Failed { id: i, .. } if i == id => {
                    return event;
                }
                _ => {}
            }
        }
    };
    let event = tokio::time::timeout(Duration::from_secs(60), wait)
        .await
        .expect("the download ends within a minute");
    (event, last)
}

/// Waits for the download to finish holding `data`, collecting the troubles its mirrors
/// reported on the way (bounded in time; a failure fails the test).
pub async fn troubles_until_the_end(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    id: DownloadId,
    data: &[u8],
) -> Vec<Trouble> {
    let mut troubles = Vec::new();
    let wait = async {
        loop {
            match events.recv().await.expect("the engine runs") {
                Event::MirrorTrouble { id: i, trouble, .. } if i == id => troubles.push(trouble),
                Event::Finished { id: i, path, .. } if i == id => {
                    assert_eq!(std::fs::read(path).unwrap(), data);
                    return;
                }
                Event::Failed { id: i, error } if i == id => panic!("{error}"),
                _ => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), wait)
        .await
        .expect("the download ends within a minute");
    troubles
}

/// Waits until every download in `expected` has finished holding its bytes (each within
/// a minute of the one before); any failure fails the test.
pub async fn all_finished(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    mut expected: std::collections::HashMap<DownloadId, &[u8]>,
) {
    while !expected.is_empty() {
        let event = tokio::time::timeout(Duration::from_secs(60), events.recv())
            .await
            .expect("the downloads end within a minute")
            .expect("the engine runs");
        match event {
            Event::Finished { id, path, .. } => {
                let data = expected.remove(&id).expect("one of ours");
                assert_eq!(std::fs::read(path).unwrap(), data);
            }
            Event::Failed { error, .. } => panic!("{error}"),
            _ => {}
        }
    }
}
