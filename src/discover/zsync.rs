//! zsync control files for a download: read from a file or URL the user gave, or found
//! beside a file's URL (`URL.zsync`, as MirrorBrain, MirrorCache, Ubuntu and openSUSE
//! publish them). A control file found beside a download is only attached when it
//! describes the same file (same length, no contradicting hash).

use std::sync::Arc;

use reqwest::header;

use crate::engine::{ChecksumOrigin, JobSpec, MirrorOrigin, NetError, Provenance, http};
use crate::metalink::MirrorUrl;
use crate::metalink::model::LOWEST_PRIORITY;
use crate::zsync::{self, Control};

/// Largest control file fetched (a 16 GiB file in 2 KiB blocks needs about 160 MiB at
/// the longest hashes; real ones are far smaller).
pub const MAX_CONTROL_BYTES: usize = 256 * 1024 * 1024;
const MAX_REDIRECTS: usize = 10;
/// Mirrors of a file tried for a control file beside them.
const BESIDE_TRIES: usize = 3;

/// A control file and where it came from (`None`: a local file).
#[derive(Debug, Clone)]
pub struct FoundControl {
    pub url: Option<url::Url>,
    pub control: Control,
}

/// Why a control file could not be had.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ZsyncError {
    #[error("{url}: {error}")]
    Request { url: url::Url, error: NetError },
    #[error("{url}: HTTP {status}")]
    Status { url: url::Url, status: u16 },
    #[error("{url}: bad redirect")]
    BadRedirect { url: url::Url },
    #[error("{url}: more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects { url: url::Url },
    #[error("{url}: the control file is larger than {MAX_CONTROL_BYTES} bytes")]
    TooLarge { url: url::Url },
    #[error("{where_}: {error}")]
    Control {
        where_: String,
        error: zsync::ParseError,
    },
    #[error("{0}: the control file names no http or https URL to fetch the file from")]
    NoUrl(String),
}

/// Whether a path or URL names a control file.
pub fn looks_like_control(source: &str) -> bool {
    let path = source.split(['?', '#']).next().unwrap_or(source);
    path.to_ascii_lowercase().ends_with(".zsync")
}

/// Reads a local control file's bytes.
pub fn from_bytes(where_: &str, bytes: &[u8]) -> Result<FoundControl, ZsyncError> {
    let control = zsync::read(bytes).map_err(|error| ZsyncError::Control {
        where_: where_.to_owned(),
        error,
    })?;
    Ok(FoundControl { url: None, control })
}

/// Fetches and reads the control file at `url`, following redirects.
pub async fn fetch(client: &reqwest::Client, url: &url::Url) -> Result<FoundControl, ZsyncError> {
    let mut current = url.clone();
    for _ in 0..=MAX_REDIRECTS {
        let request_error = |url: &url::Url, e: &reqwest::Error| ZsyncError::Request {
            url: url.clone(),
            error: http::net_error(e),
        };
        let mut response = client
            .get(current.clone())
            .header(header::ACCEPT_ENCODING, "identity")
            .send()
            .await
            .map_err(|e| request_error(&current, &e))?;
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            current = current
                .join(location)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or(ZsyncError::BadRedirect {
                    url: current.clone(),
                })?;
            continue;
        }
        if !response.status().is_success() {
            return Err(ZsyncError::Status {
                url: current,
                status: response.status().as_u16(),
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| request_error(&current, &e))?
        {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_CONTROL_BYTES {
                return Err(ZsyncError::TooLarge { url: current });
            }
        }
        let control = zsync::read(&body).map_err(|error| ZsyncError::Control {
            where_: current.to_string(),
            error,
        })?;
        return Ok(FoundControl {
            url: Some(current),
            control,
        });
    }
    Err(ZsyncError::TooManyRedirects { url: url.clone() })
}

/// Looks for `URL.zsync` beside the first few of a file's URLs; returns the first that
/// describes a file of `size` bytes (when known). Misses are quiet: most servers have
/// none.
pub async fn beside(
    client: &reqwest::Client,
    urls: &[MirrorUrl],
    size: Option<u64>,
) -> Option<FoundControl> {
    for mirror in urls.iter().take(BESIDE_TRIES) {
        let Ok(url) = url::Url::parse(&format!("{}.zsync", mirror.url)) else {
            continue;
        };
        if let Ok(found) = fetch(client, &url).await
            && size.is_none_or(|size| size == found.control.length)
        {
            return Some(found);
        }
    }
    None
}

impl FoundControl {
    /// The file's URLs from the control file, resolved against where it came from.
    pub fn urls(&self) -> Vec<MirrorUrl> {
        self.control
            .urls_from(self.url.as_ref())
            .into_iter()
            .enumerate()
            .map(|(i, url)| MirrorUrl {
                url,
                priority: (i as u32 + 1).min(LOWEST_PRIORITY),
                location: None,
                max_connections: None,
            })
            .collect()
    }

    /// A download of the file the control file describes, into `dir`.
    pub fn into_spec(self, source: &str, dir: std::path::PathBuf) -> Result<JobSpec, ZsyncError> {
        let urls = self.urls();
        let Some(first) = urls.first() else {
            return Err(ZsyncError::NoUrl(source.to_owned()));
        };
        let name = match &self.control.filename {
            Some(name) => name.clone(),
            None => url::Url::parse(&first.url)
                .map(|u| super::name_from_url(&u))
                .unwrap_or_else(|_| "download".to_owned()),
        };
        Ok(JobSpec {
            source: source.to_owned(),
            name,
            dir,
            size: Some(self.control.length),
            hashes: self.control.file_hash.iter().cloned().collect(),
            pieces: None,
            urls,
            overwrite: false,
            rate_limit: None,
            blocks: Some(Arc::new(self.control.blocks)),
            reuse: Vec::new(),
            provenance: Provenance {
                checksum: self
                    .url
                    .filter(|_| self.control.file_hash.is_some())
                    .map(|url| control_origin(url.to_string())),
                mirrors: Vec::new(),
            },
            ..Default::default()
        })
    }

    /// Adds the control file's blocks, URLs and hash to a download of the same file
    /// found another way (a metalink, a plain URL). Refused (false) when it describes
    /// another file: another length, or a hash of the same kind that differs.
    pub fn attach_to(self, spec: &mut JobSpec) -> bool {
        let control = &self.control;
        if spec.size.is_some_and(|size| size != control.length) {
            return false;
        }
        if let Some(hash) = &control.file_hash
            && spec
                .hashes
                .iter()
                .any(|h| h.algorithm == hash.algorithm && h.digest != hash.digest)
        {
            return false;
        }
        let urls = self.urls();
        // A plain link's download says where each mirror and its checksum came from.
        let told = !spec.provenance.mirrors.is_empty();
        let place = self.url.as_ref().map(url::Url::to_string);
        for url in urls {
            if !spec.urls.iter().any(|u| u.url == url.url) {
                let priority = spec.urls.iter().map(|u| u.priority).max().unwrap_or(0);
                if let (true, Some(place)) = (told, &place) {
                    let origin = MirrorOrigin::ControlFile { url: place.clone() };
                    spec.provenance.mirrors.push((url.url.clone(), origin));
                }
                spec.urls.push(MirrorUrl {
                    priority: (priority + 1).min(LOWEST_PRIORITY),
                    ..url
                });
            }
        }
        if let Some(hash) = self.control.file_hash
            && !spec.hashes.iter().any(|h| h.algorithm == hash.algorithm)
        {
            spec.hashes.push(hash);
            if spec.provenance.checksum.is_none() && spec.hashes.len() == 1 {
                spec.provenance.checksum = place.map(control_origin);
            }
        }
        spec.size = Some(self.control.length);
        spec.blocks = Some(Arc::new(self.control.blocks));
        true
    }
}

/// A control file's `SHA-1` is a published checksum like a sidecar's.
fn control_origin(url: String) -> ChecksumOrigin {
    ChecksumOrigin::HashFile { url, signed: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_files_by_name() {
        assert!(looks_like_control("http://m/a.iso.zsync"));
        assert!(looks_like_control("http://m/a.iso.ZSYNC?x=1"));
        assert!(looks_like_control("a.zsync"));
        assert!(!looks_like_control("http://m/a.iso"));
    }
}
