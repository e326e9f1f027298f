//! Files of unknown size (no size in the document, no length from the server): one
//! sequential stream per attempt, mirror after mirror, hashed as it arrives. Without a
//! size there are no segments to plan, so a paused stream starts over.

use std::time::Instant;

use super::super::storage::{PartFile, Paths};
use super::super::verify::Hasher;
use super::super::{
    DiskError, Fault, JobError, MirrorFailure, MirrorReason, MirrorStatus, NetError, Progress,
    Trouble,
};
use super::connection::STALL;
use super::{Control, Ending, JobSpec, Links, Report};

const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

enum Attempt {
    Complete { digest: Option<Vec<u8>> },
    Stopped(Control),
}

/// How one attempt failed.
enum Failure {
    Mirror(Fault),
    Disk(std::io::Error),
}

impl From<Fault> for Failure {
    fn from(fault: Fault) -> Self {
        Failure::Mirror(fault)
    }
}

pub async fn run(
    spec: JobSpec,
    paths: Paths,
    part: PartFile,
    mut links: Links,
) -> Result<Ending, JobError> {
    let io_error = |e: std::io::Error| JobError::Disk(DiskError::io(&paths.part, e));
    let expected = crate::metalink::hash::strongest(&spec.hashes).cloned();
    let mut reasons = Vec::new();
    for (index, url) in spec.urls.iter().enumerate() {
        part.prepare(0, true).map_err(io_error)?;
        let attempt = stream_from(&spec, index, &part, &mut links, expected.as_ref()).await;
        match attempt {
            Ok(Attempt::Complete { digest }) => {
                if let (Some(expected), Some(digest)) = (&expected, digest)
                    && digest != expected.digest
                {
                    let _ = std::fs::remove_file(&paths.part);
                    return Err(JobError::HashMismatch {
                        algorithm: expected.algorithm,
                    });
                }
                let len = std::fs::metadata(&paths.part).map_err(io_error)?.len();
                let open = || -> std::io::Result<Box<dyn std::io::Read + '_>> {
                    Ok(super::signed::buffered(part.reader(len)))
                };
                let signature = super::signed::check(
                    &spec,
                    &paths.part,
                    &open,
                    expected.as_ref(),
                    links.keys.as_ref(),
                )
                .inspect_err(|_| {
                    // A stream cannot resume: nothing is worth keeping.
                    let _ = std::fs::remove_file(&paths.part);
                })?;
                part.finish(&paths).map_err(io_error)?;
                return Ok(Ending::Finished {
                    path: paths.target,
                    verified: expected.map(|h| h.algorithm),
                    repaired: 0,
                    reused: None,
                    signature,
                });
            }
            Ok(Attempt::Stopped(control)) => {
                // Nothing to resume from without a size: the next start begins again.
                let _ = std::fs::remove_file(&paths.part);
                return Ok(match control {
                    Control::Cancel => Ending::Cancelled,
                    _ => Ending::Paused,
                });
            }
            Err(Failure::Disk(error)) => {
                let _ = std::fs::remove_file(&paths.part);
                return Err(io_error(error));
            }
            Err(Failure::Mirror(fault)) => {
                let _ = links.reports.send(Report::Trouble {
                    url: url.url.clone(),
                    trouble: Trouble::Fault(fault.clone()),
                });
                reasons.push(MirrorFailure {
                    url: url.url.clone(),
                    reason: MirrorReason::Failed(fault),
                });
            }
        }
    }
    let _ = std::fs::remove_file(&paths.part);
    Err(JobError::NoMirrors(reasons))
}

/// Streams the whole file from one URL into the (empty) part file.
async fn stream_from(
    spec: &JobSpec,
    index: usize,
    part: &PartFile,
    links: &mut Links,
    expected: Option<&crate::metalink::Hash>,
) -> Result<Attempt, Failure> {
    let url = &spec.urls[index].url;
    let (mut body, length) = tokio::select! {
        opened = links.transport.open_whole(url) => opened?,
        _ = links.control.changed() => return Ok(Attempt::Stopped(*links.control.borrow())),
    };
    let mut hasher = expected.map(|h| Hasher::new(h.algorithm));
    let mut received = 0u64;
    let started = Instant::now();
    let mut last_report = (Instant::now(), 0u64);
    loop {
        let chunk = tokio::select! {
            chunk = body.chunk(STALL) => chunk?,
            _ = links.control.changed() => return Ok(Attempt::Stopped(*links.control.borrow())),
        };
        // Without a length, the end of the body is the end of the file.
        let Some(chunk) = chunk else {
            if length.is_some_and(|l| l != received) {
                return Err(Fault::Network(NetError::ClosedEarly).into());
            }
            break;
        };
        tokio::task::block_in_place(|| part.write_at(received, &chunk)).map_err(Failure::Disk)?;
        if let Some(hasher) = &mut hasher {
            hasher.update(&chunk);
        }
        received += chunk.len() as u64;
        links.rates.pace(chunk.len()).await;
        if length == Some(received) {
            break;
        }
        if last_report.0.elapsed() >= PROGRESS_EVERY {
            let speed = (received - last_report.1) as f64 / last_report.0.elapsed().as_secs_f64();
            last_report = (Instant::now(), received);
            let average = received as f64 / started.elapsed().as_secs_f64().max(1e-3);
            let _ = links.reports.send(Report::Progress(progress(
                spec, index, length, received, speed, average,
            )));
        }
    }
    Ok(Attempt::Complete {
        digest: hasher.map(Hasher::finalize),
    })
}

fn progress(
    spec: &JobSpec,
    index: usize,
    length: Option<u64>,
    received: u64,
    speed: f64,
    average: f64,
) -> Progress {
    Progress {
        size: spec.size.or(length),
        done: received,
        verified_prefix: 0,
        received,
        speed,
        connections: 1,
        pieces: Vec::new(),
        repairs: Vec::new(),
        mirrors: spec
            .urls
            .iter()
            .enumerate()
            .map(|(i, u)| MirrorStatus {
                url: u.url.clone(),
                location: u.location.clone(),
                priority: u.priority,
                connections: usize::from(i == index),
                bytes: if i == index { received } else { 0 },
                speed: if i == index { average } else { 0.0 },
                errors: 0,
                bad_pieces: 0,
                dropped: None,
            })
            .collect(),
    }
}
