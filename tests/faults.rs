//! The faults real mirrors produce, each against loopback mirrors that produce it on the
//! wire: encoded ranges, parents made by several files at once, trickling mirrors, TLS
//! certificate problems, connections that drop inside a piece, many small files.

mod support;

use std::sync::Arc;

use braid::engine::{DropReason, Engine, Event, Fault, JobError, MirrorReason, Progress, Settings};
use support::{Faults, finished_with, mirror, outcome, payload, spec, temp_dir};

/// Waits for the download's end like [`outcome`], keeping the last progress report.
async fn ending_with_progress(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    id: braid::engine::DownloadId,
) -> (Event, Option<Box<Progress>>) {
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
    let event = tokio::time::timeout(std::time::Duration::from_secs(60), wait)
        .await
        .expect("the download ends within a minute");
    (event, last)
}

fn gzip() -> Faults {
    Faults {
        gzip: true,
        ..Faults::default()
    }
}

/// A mirror that gzips its 206 answers is dropped for saying so, and the file (which has
/// only a whole-file hash, so nothing else would notice) finishes from the good one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encoded_range_drops_its_mirror_and_the_file_finishes_elsewhere() {
    let data = Arc::new(payload(1024 * 1024, 21));
    let encoding = mirror(1, data.clone(), gzip()).await;
    let good = mirror(2, data.clone(), Faults::throttled(4 << 20)).await;
    let dir = temp_dir("gzip-range");
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&encoding, &good], false));
    let (ending, last) = ending_with_progress(&mut events, id).await;
    match ending {
        Event::Finished { path, .. } => assert_eq!(std::fs::read(path).unwrap(), *data),
        other => panic!("{other:?}"),
    }
    let mirrors = last.expect("progress was reported").mirrors;
    assert_eq!(
        mirrors[0].dropped,
        Some(DropReason::Unusable(Fault::ContentEncoding {
            coding: "gzip".into()
        }))
    );
    assert_eq!(encoding.requests(), 1, "one encoded answer is enough");
}

/// When the encoding mirror is the only one, the failure says "content encoding".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encoding_only_mirror_fails_saying_so() {
    let data = Arc::new(payload(512 * 1024, 22));
    let encoding = mirror(1, data.clone(), gzip()).await;
    let dir = temp_dir("gzip-only");
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(spec("out.bin", &dir, &data, &[&encoding], false));
    match outcome(&mut events, id).await {
        Event::Failed {
            error: JobError::NoMirrors(reasons),
            ..
        } => {
            assert_eq!(
                reasons[0].reason,
                MirrorReason::Dropped(DropReason::Unusable(Fault::ContentEncoding {
                    coding: "gzip".into()
                }))
            );
            let text = JobError::NoMirrors(reasons).to_string();
            assert!(text.contains("content encoding (gzip)"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!dir.join("out.bin").exists());
}

/// A stream of unknown size from a server that gzips it is refused the same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encoded_stream_of_unknown_size_is_refused() {
    let data = Arc::new(payload(200 * 1024, 23));
    let encoding = mirror(
        1,
        data.clone(),
        Faults {
            gzip: true,
            hide_length: true,
            ..Faults::default()
        },
    )
    .await;
    let good = mirror(
        2,
        data.clone(),
        Faults {
            hide_length: true,
            ..Faults::default()
        },
    )
    .await;
    let dir = temp_dir("gzip-stream");
    let (engine, mut events) = Engine::start(Settings::default());
    let mut job = spec("out.bin", &dir, &data, &[&encoding, &good], false);
    job.size = None;
    let id = engine.add(job);
    finished_with(&mut events, id, &data).await;
}

/// Forty files of one metalink in one new subdirectory, created by several downloads at
/// once, twenty times: a directory another download just made is no error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_files_share_new_parents() {
    let data = Arc::new(payload(4096, 24));
    let server = mirror(1, data.clone(), Faults::default()).await;
    let settings = Settings {
        max_active: 40,
        ..Settings::default()
    };
    let (engine, mut events) = Engine::start(settings);
    for round in 0..20 {
        let dir = temp_dir(&format!("parents-{round}"));
        let ids: Vec<_> = (1..=40)
            .map(|i| {
                let name = format!("deep/er/dir/f-{i:02}.bin");
                engine.add(spec(&name, &dir, &data, &[&server], false))
            })
            .collect();
        let mut left: std::collections::HashSet<_> = ids.into_iter().collect();
        while !left.is_empty() {
            let event = tokio::time::timeout(std::time::Duration::from_secs(30), events.recv())
                .await
                .expect("the downloads end")
                .expect("the engine runs");
            match event {
                Event::Finished { id, .. } => assert!(left.remove(&id)),
                Event::Failed { error, .. } => panic!("round {round}: {error}"),
                _ => {}
            }
        }
        assert_eq!(
            std::fs::read_dir(dir.join("deep/er/dir")).unwrap().count(),
            40
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
