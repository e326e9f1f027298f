//! Files of unknown size (no size in the document, no length from the server): one
//! sequential stream per attempt, mirror after mirror, hashed as it arrives. Without a
//! size there are no segments to plan, so a paused stream starts over.

use std::time::Instant;

use reqwest::StatusCode;
use reqwest::header;

use super::http::{self, FetchError};
use super::job::{Control, Ending, JobSpec, Links, Report, STALL};
use super::storage::{PartFile, Paths};
use super::verify::Hasher;
use super::{JobError, MirrorStatus, Progress};

const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

enum Attempt {
    Complete { digest: Option<Vec<u8>> },
    Stopped(Control),
}

pub async fn run(
    spec: JobSpec,
    paths: Paths,
    part: PartFile,
    mut links: Links,
) -> Result<Ending, JobError> {
    let io_error = |e: std::io::Error| JobError::Io(format!("{}: {e}", paths.part.display()));
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
                    return Err(JobError::HashMismatch(expected.algorithm.to_string()));
                }
                part.finish(&paths).map_err(io_error)?;
                return Ok(Ending::Finished {
                    path: paths.target,
                    verified: expected.map(|h| h.algorithm.to_string()),
                    repaired: 0,
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
            Err(FetchError::Disk(error)) => {
                let _ = std::fs::remove_file(&paths.part);
                return Err(io_error(error));
            }
            Err(error) => {
                let message = error.to_string();
                let _ = links.reports.send(Report::MirrorTrouble {
                    url: url.url.clone(),
                    message: message.clone(),
                });
                reasons.push((url.url.clone(), message));
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
) -> Result<Attempt, FetchError> {
    let url = &spec.urls[index].url;
    let request = links
        .client
        .get(url)
        .header(header::ACCEPT_ENCODING, "identity")
        .send();
    let mut response = tokio::select! {
        response = request => response.map_err(|e| FetchError::Transient {
            message: http::describe(&e),
            retry_after: None,
        })?,
        _ = links.control.changed() => return Ok(Attempt::Stopped(*links.control.borrow())),
    };
    if response.status() != StatusCode::OK {
        return Err(http::classify(response.status(), response.headers()));
    }
    if response
        .headers()
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| v != "identity")
    {
        return Err(FetchError::Unusable(
            "the server compresses the file (Content-Encoding)".into(),
        ));
    }
    let length = response.content_length();
    let mut hasher = expected.map(|h| Hasher::new(h.algorithm));
    let mut received = 0u64;
    let started = Instant::now();
    let mut last_report = (Instant::now(), 0u64);
    loop {
        let chunk = tokio::select! {
            chunk = http::next_chunk(&mut response, STALL) => chunk?,
            _ = links.control.changed() => return Ok(Attempt::Stopped(*links.control.borrow())),
        };
        // Without a length, the end of the body is the end of the file.
        let Some(chunk) = chunk else {
            if length.is_some_and(|l| l != received) {
                return Err(http::closed_early());
            }
            break;
        };
        tokio::task::block_in_place(|| part.write_at(received, &chunk))
            .map_err(FetchError::Disk)?;
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
        repaired: 0,
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
