//! Metalink services for a plain file: asked all at once, and their answers taken only
//! where a digest can check them.

use super::{FoundDigest, PlainFile, PlainNote, SERVICE_MIRRORS, fits};
use crate::discover::fetch::Limits;
use crate::discover::services::{self, ServiceError};
use crate::engine::{ChecksumOrigin, MirrorOrigin};
use crate::metalink::{Hash, MirrorUrl};

/// Asks every configured service, by URL (`by_url`) and by `digest`, all at once.
pub(super) async fn ask_services(
    client: &reqwest::Client,
    options: &super::Options,
    file: &url::Url,
    names: &[String],
    by_url: bool,
    digest: Option<&Hash>,
    limits: Limits,
) -> Vec<Result<services::Answer, ServiceError>> {
    if options.services.is_empty() || (!by_url && digest.is_none()) {
        return Vec::new();
    }
    let mut running = tokio::task::JoinSet::new();
    for (index, service) in options.services.iter().enumerate() {
        let client = client.clone();
        let service = service.clone();
        let file = file.clone();
        let names = names.to_vec();
        let digest = digest.cloned();
        running.spawn(async move {
            let answers = services::ask(
                &client,
                &service,
                &file,
                &names,
                by_url,
                digest.as_ref(),
                limits,
            )
            .await;
            (index, answers)
        });
    }
    let mut all = Vec::new();
    while let Some(Ok(done)) = running.join_next().await {
        all.push(done);
    }
    all.sort_by_key(|(index, _)| *index);
    all.into_iter().flat_map(|(_, answers)| answers).collect()
}

/// Takes what a service said: its mirrors when a digest checks them (its own, if
/// nothing else gave one), its pieces when its whole-file digest agrees with the one
/// used (or is it).
pub(super) fn take_service(
    plain: &mut PlainFile,
    digests: &mut Vec<FoundDigest>,
    vouched: &mut Vec<(MirrorUrl, MirrorOrigin)>,
    answer: services::Answer,
) {
    if let (Some(theirs), Some(ours)) = (answer.size, plain.size)
        && theirs != ours
    {
        plain.notes.push(PlainNote::ServiceOtherSize {
            service: answer.service,
            theirs,
            ours,
        });
        return;
    }
    if let Some(differs) = answer.hashes.iter().find(|h| {
        digests
            .iter()
            .any(|d| d.hash.algorithm == h.algorithm && d.hash != **h)
    }) {
        plain.notes.push(PlainNote::ServiceDisagrees {
            service: answer.service,
            algorithm: differs.algorithm,
        });
        return;
    }
    let agrees = answer
        .hashes
        .iter()
        .any(|h| digests.iter().any(|d| d.hash == *h));
    let origin = ChecksumOrigin::Service {
        service: answer.service.clone(),
    };
    // The service's digests check the file only when nothing else gave one; otherwise
    // they only had to agree.
    let adopted = !answer.hashes.is_empty() && digests.is_empty();
    if adopted {
        for hash in &answer.hashes {
            if digests.iter().all(|d| d.hash.algorithm != hash.algorithm) {
                digests.push(FoundDigest {
                    hash: hash.clone(),
                    origin: origin.clone(),
                });
            }
        }
    }
    if (agrees || adopted)
        && plain.pieces.is_none()
        && answer.pieces.as_ref().is_some_and(|p| fits(p, plain.size))
    {
        plain.pieces = answer.pieces;
    }
    let from = MirrorOrigin::Service {
        service: answer.service,
    };
    vouched.extend(
        answer
            .urls
            .into_iter()
            .take(SERVICE_MIRRORS)
            .map(|u| (u, from.clone())),
    );
}
