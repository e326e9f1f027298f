//! OpenPGP signatures a server links to for a file (`Link: <f.iso.asc>; rel=describedby;
//! type="application/pgp-signature"`, as MirrorBrain sends): fetched small and kept
//! for the job, which checks them once the file is in. Signatures next to the URL
//! (`f.iso.asc`, `SHA256SUMS.gpg`) and in a clearsigned hash file are found by the
//! checksum search (`checksums`); a metalink's own come with its file.

use super::RemoteFile;
use super::checksums::Budget;
use super::fetch::{self, Limits};
use crate::signature::{Found, Signs};

/// The largest signature fetched (an armored one is a few KiB).
const SIGNATURE_BYTES: usize = 64 * 1024;

/// The signatures `file`'s server links to that are not among `known` already (the
/// search finds `f.iso.asc` too), fetched within the budget; those that fail are
/// left out.
pub async fn linked(
    client: &reqwest::Client,
    file: &RemoteFile,
    known: &[Found],
    budget: Budget,
) -> Vec<Found> {
    let limits = Limits {
        max_bytes: SIGNATURE_BYTES,
        timeout: budget.request,
    };
    let mut found = Vec::new();
    for link in &file.signature_links {
        let url = link.to_string();
        if known.iter().chain(&found).any(|f: &Found| f.source == url) {
            continue;
        }
        if let Ok(fetched) = fetch::fetch(client, link, limits).await
            && !fetched.body.is_empty()
        {
            found.push(Found {
                source: url,
                signs: Signs::File {
                    signature: fetched.body,
                },
            });
        }
    }
    found
}

/// How long fetching a key file may take.
const KEY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// A key file at an http(s) URL (`braid keys import URL`, Settings' "Import"), at most
/// [`MAX_KEY_FILE`](crate::signature::MAX_KEY_FILE) bytes.
pub async fn fetch_key(url: &url::Url) -> Result<Vec<u8>, fetch::Failure> {
    let limits = Limits {
        max_bytes: crate::signature::MAX_KEY_FILE as usize,
        timeout: KEY_TIMEOUT,
    };
    fetch::fetch(&fetch::client(), url, limits)
        .await
        .map(|fetched| fetched.body)
}
