//! The faults real mirrors produce, each against loopback mirrors that produce it on the
//! wire: encoded ranges, parents made by several files at once, trickling mirrors, TLS
//! certificate problems, connections that drop inside a piece, many small files.

mod support;

use std::sync::Arc;

use braid::engine::{
    DropReason, Engine, Event, Fault, JobError, MirrorReason, NetError, Settings, TlsError,
};
use support::tls::{TestCa, self_signed};
use support::{
    Faults, all_finished, ending_with_progress, finished_with, mirror, outcome, payload,
    ranked_urls, spec, temp_dir, troubles_until_the_end,
};

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
    // Slow enough that the encoding mirror has answered before the file is complete.
    let good = mirror(2, data.clone(), Faults::throttled(1 << 20)).await;
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

async fn https_mirror(
    host: u8,
    data: &Arc<Vec<u8>>,
    tls: Arc<rustls::ServerConfig>,
) -> support::LoopbackMirror {
    // Slow enough that every mirror has answered before the file is complete.
    support::LoopbackMirror::start_tls(host, data.clone(), Faults::throttled(1 << 20), tls)
        .await
        .expect("a loopback HTTPS mirror starts")
}

/// The reason the only mirror of a download was given up, once it failed.
async fn only_mirror_reason(
    engine: &Engine,
    events: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    job: braid::engine::JobSpec,
) -> MirrorReason {
    let id = engine.add(job);
    match outcome(events, id).await {
        Event::Failed {
            error: JobError::NoMirrors(mut reasons),
            ..
        } => reasons.remove(0).reason,
        other => panic!("{other:?}"),
    }
}

/// An HTTPS mirror with a self-signed certificate is dropped after one handshake,
/// saying why, and the trusted one delivers the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_certificate_drops_its_mirror_at_once() {
    let data = Arc::new(payload(512 * 1024, 25));
    let trusted = TestCa::new();
    let untrusted = https_mirror(1, &data, self_signed("127.0.0.1").server()).await;
    let good = https_mirror(2, &data, trusted.server(&["127.0.0.2"])).await;
    let dir = temp_dir("tls-untrusted");
    let (engine, mut events) = Engine::start_with(Settings::default(), trusted.trust());
    let id = engine.add(spec("out.bin", &dir, &data, &[&untrusted, &good], false));
    let (ending, last) = ending_with_progress(&mut events, id).await;
    match ending {
        Event::Finished { path, .. } => assert_eq!(std::fs::read(path).unwrap(), *data),
        other => panic!("{other:?}"),
    }
    let dropped = last.unwrap().mirrors[0].dropped.clone();
    assert_eq!(
        dropped,
        Some(DropReason::Unusable(Fault::Tls(TlsError::UnknownIssuer)))
    );
    assert_eq!(
        dropped.unwrap().to_string(),
        "certificate not trusted: unknown issuer"
    );
    assert_eq!(untrusted.connections(), 1, "never retried");
    assert_eq!(untrusted.requests(), 0);

    // Alone, it fails the download at once with the same reason.
    let alone = spec("alone.bin", &dir, &data, &[&untrusted], false);
    assert_eq!(
        only_mirror_reason(&engine, &mut events, alone).await,
        MirrorReason::Dropped(DropReason::Unusable(Fault::Tls(TlsError::UnknownIssuer)))
    );
    assert_eq!(untrusted.connections(), 2, "one handshake per download");
}

/// A trusted certificate for another name: not retried, and the message names the host
/// the certificate is for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_for_another_host_is_named() {
    let data = Arc::new(payload(128 * 1024, 26));
    let ca = TestCa::new();
    let elsewhere = https_mirror(1, &data, ca.server(&["mirror.example.org"])).await;
    let dir = temp_dir("tls-host");
    let (engine, mut events) = Engine::start_with(Settings::default(), ca.trust());
    let job = spec("out.bin", &dir, &data, &[&elsewhere], false);
    match only_mirror_reason(&engine, &mut events, job).await {
        MirrorReason::Dropped(DropReason::Unusable(Fault::Tls(tls))) => {
            assert!(
                matches!(&tls, TlsError::OtherHost { presented, .. } if presented == &["mirror.example.org"]),
                "{tls:?}"
            );
            let text = tls.to_string();
            assert!(
                text.starts_with("certificate is for another host: mirror.example.org"),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(elsewhere.connections(), 1, "never retried");
    assert!(!dir.join("out.bin").exists());
}

const MIB: u64 = 1024 * 1024;

/// Every answer of this mirror breaks off after about 700 kB.
fn drops_at_700k() -> Faults {
    Faults {
        drop_after: Some(700_000),
        ..Faults::default()
    }
}

/// A mirror that drops every connection inside each 1 MiB piece is slow, not useless:
/// what arrived before a drop is kept and the rest asked for, with piece hashes (each
/// piece verified whole) and without (1 MiB chunks, the whole-file hash at the end).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mirror_that_drops_inside_every_piece_still_delivers() {
    let data = Arc::new(payload(4 * MIB as usize, 27));
    let flaky = mirror(1, data.clone(), drops_at_700k()).await;
    let dir = temp_dir("drops-inside");
    let (engine, mut events) = Engine::start(Settings::default());
    for (name, pieces) in [("pieces.bin", Some(MIB)), ("chunks.bin", None)] {
        let before = (flaky.sent(), flaky.requests());
        let id = engine.add(support::spec_with_pieces(
            name,
            &dir,
            &data,
            &[&flaky],
            pieces,
        ));
        finished_with(&mut events, id, &data).await;
        let sent = flaky.sent() - before.0;
        let requests = flaky.requests() - before.1;
        // Bytes cut off mid-chunk by a drop are the only waste.
        assert!(
            sent <= data.len() as u64 + requests * 64 * 1024,
            "{name}: {sent} bytes in {requests} requests"
        );
    }
}

/// A pause inside a piece keeps what arrived of it; the resume asks for the rest only
/// and verifies the piece as a whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_inside_a_piece_keeps_its_bytes() {
    let data = Arc::new(payload(4 * MIB as usize, 28));
    let slow = mirror(1, data.clone(), Faults::throttled(MIB)).await;
    let dir = temp_dir("pause-inside");
    let job = || support::spec_with_pieces("out.bin", &dir, &data, &[&slow], Some(MIB));
    {
        let (engine, mut events) = Engine::start(Settings::default());
        let id = engine.add(job());
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        engine.send(braid::engine::Command::Pause(id));
        assert!(matches!(outcome(&mut events, id).await, Event::Paused(_)));
    }
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.bin.braid-state")).unwrap())
            .unwrap();
    let partial = state["partial"]
        .as_object()
        .expect("a partial piece")
        .clone();
    assert!(!partial.is_empty(), "{state}");
    let sent_before = slow.sent();
    let (engine, mut events) = Engine::start(Settings::default());
    let id = engine.add(job());
    finished_with(&mut events, id, &data).await;
    assert!(
        slow.sent() <= data.len() as u64 + 64 * 1024,
        "nothing fetched twice but a chunk: {} after {sent_before}",
        slow.sent()
    );
}

/// A slowloris: headers at once, then one byte every five seconds.
fn trickling() -> Faults {
    Faults {
        trickle: Some(std::time::Duration::from_secs(5)),
        ..Faults::default()
    }
}

/// With one connection and a slowloris listed first, Braid moves on to the next mirror
/// instead of waiting for ever: the trickle is far below any usable speed. With more
/// connections the good mirror takes the work (stealing, end game) before the
/// slowloris is even judged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickling_mirror_never_holds_a_download() {
    let data = Arc::new(payload(2 * MIB as usize, 29));
    let slowloris = mirror(1, data.clone(), trickling()).await;
    let good = mirror(2, data.clone(), Faults::throttled(4 * MIB)).await;
    let dir = temp_dir("slowloris");
    for max_connections in [1, 16] {
        let settings = Settings {
            max_connections,
            ..Settings::default()
        };
        let (engine, mut events) = Engine::start(settings);
        let name = format!("out-{max_connections}.bin");
        let id = engine.add(spec(&name, &dir, &data, &[&slowloris, &good], true));
        let troubles = troubles_until_the_end(&mut events, id, &data).await;
        assert!(
            max_connections > 1
                || troubles.iter().any(|t| matches!(
                    t,
                    braid::engine::Trouble::Fault(Fault::Network(NetError::TooSlow { .. }))
                )),
            "{troubles:?}"
        );
    }
    assert!(
        slowloris.requests() <= 4,
        "{} requests",
        slowloris.requests()
    );
}

/// A mirror that accepts the request and never answers is given up the same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mirror_that_never_answers_never_holds_a_download() {
    let data = Arc::new(payload(MIB as usize, 30));
    let silent = mirror(
        1,
        data.clone(),
        Faults {
            silent: true,
            ..Faults::default()
        },
    )
    .await;
    let good = mirror(2, data.clone(), Faults::default()).await;
    let dir = temp_dir("silent");
    let settings = Settings {
        max_connections: 1,
        ..Settings::default()
    };
    let (engine, mut events) = Engine::start(settings);
    let id = engine.add(spec("out.bin", &dir, &data, &[&silent, &good], true));
    troubles_until_the_end(&mut events, id, &data).await;
}

/// Files of 4 to 64 KiB, the same on every run.
fn small_files(count: usize) -> std::collections::HashMap<String, Arc<Vec<u8>>> {
    (0..count)
        .map(|i| {
            let size = 4096 + (i * 7919 % 61) * 1024;
            (
                format!("f-{i:03}.bin"),
                Arc::new(payload(size, 100 + i as u64)),
            )
        })
        .collect()
}

/// 300 small files from two mirrors, as one metalink would give them: connections are
/// reused across the files (at most the per-origin caps at once), no file is fetched
/// twice, and every request fetches a file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_small_files_reuse_connections_and_fetch_each_byte_once() {
    let files = small_files(300);
    let start = |host: u8| {
        let files = files.clone();
        async move {
            let addr = std::net::SocketAddr::from(([127, 0, 0, host], 0));
            support::LoopbackMirror::start_with_files(addr, files, Faults::default())
                .await
                .expect("a loopback mirror starts")
        }
    };
    let (a, b) = (start(1).await, start(2).await);
    let dir = temp_dir("small-files");
    let (engine, mut events) = Engine::start(Settings::default());
    let mut expected = std::collections::HashMap::new();
    for (name, data) in &files {
        let mut job = spec(name, &dir, data, &[], false);
        job.urls = ranked_urls([&a, &b].iter().map(|m| m.file_url(name)));
        expected.insert(engine.add(job), data.as_slice());
    }
    all_finished(&mut events, expected).await;
    let total: u64 = files.values().map(|d| d.len() as u64).sum();
    let sent = a.sent() + b.sent();
    let connections = a.connections() + b.connections();
    let requests = a.requests() + b.requests();
    eprintln!("{connections} connections, {requests} requests, {sent} bytes for {total}");
    assert!(connections <= 16, "{connections} connections");
    assert!(sent <= total + total / 50, "{sent} bytes sent for {total}");
    assert!(requests <= 300 + 6, "{requests} requests for 300 files");
}
