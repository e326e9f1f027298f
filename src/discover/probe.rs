//! What a URL stands for: a metalink (by media type, by name, by transparent negotiation
//! or through a `describedby` Link) or a plain file, with the size, digests and mirrors
//! the server tells in RFC 6249 headers along every redirect.

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};

use super::metalink_http::{self, Link};
use crate::engine::{Fault, JobSpec, SiteHeaders};
use crate::engine::{ftp, http};
use crate::metalink::{self, Hash, MirrorUrl};

/// Redirects followed before giving up.
const MAX_REDIRECTS: usize = 10;
/// Largest metalink fetched over HTTP (the parser's own limit).
pub const MAX_METALINK_BYTES: usize = 32 * 1024 * 1024;

/// What a probed URL turned out to be.
#[derive(Debug)]
pub enum Probed {
    Metalink(FetchedMetalink),
    File(RemoteFile),
}

#[derive(Debug)]
pub struct FetchedMetalink {
    /// Where the document was read from (relative URLs in it resolve against this).
    pub url: url::Url,
    pub parsed: metalink::Parsed,
    /// When the document came through a `describedby` Link of a file URL: that file's
    /// name, so only the file asked for is downloaded.
    pub described_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RemoteFile {
    /// The URL after redirects.
    pub url: url::Url,
    /// A safe file name taken from the URL.
    pub name: String,
    pub size: Option<u64>,
    /// Whole-file digests from `Digest` / `Repr-Digest` headers.
    pub hashes: Vec<Hash>,
    /// The file's URL first, then `rel=duplicate` mirrors (only when a digest vouches
    /// for them: without one, a wrong mirror could not be told apart).
    pub urls: Vec<MirrorUrl>,
    /// Every `rel=duplicate` mirror named, by priority, with or without a digest: one
    /// found later (in a hash file) may still vouch for them.
    pub duplicates: Vec<MirrorUrl>,
    /// `rel=describedby` links to OpenPGP signatures of the file (MirrorBrain sends
    /// them), kept for whoever checks signatures.
    pub signature_links: Vec<url::Url>,
    /// Things the user should know about what was found.
    pub notes: Vec<Note>,
}

impl RemoteFile {
    /// The download of this file into `dir`; `source` is what the user gave.
    pub fn into_spec(self, source: &str, dir: std::path::PathBuf) -> JobSpec {
        JobSpec {
            source: source.to_owned(),
            name: self.name,
            dir,
            size: self.size,
            hashes: self.hashes,
            pieces: None,
            urls: self.urls,
            overwrite: false,
            rate_limit: None,
            provenance: Default::default(),
            blocks: None,
            reuse: Vec::new(),
            max_connections: None,
            priority: Default::default(),
            start_at: None,
            signatures: Default::default(),
            // Set where a browser handed the link over (the window does it).
            site_headers: None,
        }
    }
}

/// Something about a probed file the user should know; the file is still usable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Note {
    /// A `describedby` metalink was named but could not be read; the file is used as is.
    #[error("ignoring the metalink that describes it: {0}")]
    UnreadableMetalink(Box<ProbeError>),
}

/// Why a URL could not be probed (or the metalink it led to not read).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProbeError {
    #[error("{}: {error}", shown(.url))]
    Request { url: url::Url, error: Fault },
    #[error("{}: HTTP {status}", shown(.url))]
    Status { url: url::Url, status: u16 },
    #[error("{}: HTTP {status} without a Location", shown(.url))]
    NoLocation { url: url::Url, status: u16 },
    #[error("{}: bad redirect to '{location}'", shown(.url))]
    BadRedirect { url: url::Url, location: String },
    #[error("{}: redirected to an unsupported URL: {}", shown(.url), shown(.target))]
    UnsupportedRedirect { url: url::Url, target: url::Url },
    #[error("{}: more than {MAX_REDIRECTS} redirects", shown(.url))]
    TooManyRedirects { url: url::Url },
    /// The metalink came with a content coding Braid does not undo.
    #[error("{}: the server applies a content encoding ({coding}) to the metalink", shown(.url))]
    ContentEncoding { url: url::Url, coding: String },
    #[error("{}: the metalink is larger than {MAX_METALINK_BYTES} bytes", shown(.url))]
    TooLarge { url: url::Url },
    #[error("{}: {error}", shown(.url))]
    Metalink {
        url: url::Url,
        error: metalink::ParseError,
    },
}

/// A URL as shown in messages: its password, if any, as `***`.
fn shown(url: &url::Url) -> String {
    crate::format::url(url.as_str())
}

/// A client that does not follow redirects, so the headers of every hop can be read.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(http::USER_AGENT)
        .http1_only()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(15))
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .expect("the HTTP client can be built")
}

/// Probes `url` with a one-byte request that also offers to take a metalink (an FTP
/// URL with `SIZE`).
pub async fn probe(client: &reqwest::Client, url: &url::Url) -> Result<Probed, ProbeError> {
    probe_with(client, url, None).await
}

/// [`probe`] for a link a browser passed with its [`SiteHeaders`]: every request to the link's
/// own origin (each hop, the metalink it names) carries the site's referrer and cookies;
/// no other host sees them.
pub async fn probe_with(
    client: &reqwest::Client,
    url: &url::Url,
    site: Option<&SiteHeaders>,
) -> Result<Probed, ProbeError> {
    if metalink::select::is_ftp(url.as_str()) {
        return probe_ftp(url).await;
    }
    let mut current = url.clone();
    let mut links: Vec<Link> = Vec::new();
    let mut hashes: Vec<Hash> = Vec::new();
    let mut hops = 0;
    let response = loop {
        let response = client
            .get(current.clone())
            .header(header::RANGE, "bytes=0-0")
            .header(header::ACCEPT_ENCODING, "identity")
            .header(header::ACCEPT, accept_metalink())
            .header("want-digest", metalink_http::WANT_DIGEST)
            .header("want-repr-digest", metalink_http::WANT_REPR_DIGEST)
            .headers(site_headers(site, current.as_str()))
            .send()
            .await
            .map_err(|e| ProbeError::Request {
                url: current.clone(),
                error: http::request_fault(&e),
            })?;
        links.extend(metalink_http::links(response.headers(), &current));
        hashes.extend(metalink_http::digests(response.headers()));
        if !response.status().is_redirection() {
            break response;
        }
        hops += 1;
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| ProbeError::NoLocation {
                url: current.clone(),
                status: response.status().as_u16(),
            })?;
        let next = current
            .join(location)
            .map_err(|_| ProbeError::BadRedirect {
                url: current.clone(),
                location: location.to_owned(),
            })?;
        if hops > MAX_REDIRECTS {
            return Err(ProbeError::TooManyRedirects { url: url.clone() });
        }
        if !metalink::select::is_supported(next.as_str()) {
            return Err(ProbeError::UnsupportedRedirect {
                url: current,
                target: next,
            });
        }
        if metalink::select::is_ftp(next.as_str()) {
            // HTTP's headers stop here: what FTP tells is all there is.
            return probe_ftp(&next).await;
        }
        current = next;
    };
    let status = response.status();
    if !status.is_success() {
        return Err(ProbeError::Status {
            url: current,
            status: status.as_u16(),
        });
    }
    if serves_metalink(response.headers(), &current) {
        let parsed = fetch_metalink_with(client, &current, site).await?;
        return Ok(Probed::Metalink(FetchedMetalink {
            url: current,
            parsed,
            described_name: None,
        }));
    }
    let name = name_from_url(&current);
    let mut notes = Vec::new();
    // A metalink describing the file says more (piece hashes, every mirror) than headers.
    if let Some(link) = links.iter().find(|l| l.is_metalink()) {
        match fetch_metalink_with(client, &link.target, site).await {
            Ok(parsed) => {
                return Ok(Probed::Metalink(FetchedMetalink {
                    url: link.target.clone(),
                    parsed,
                    described_name: Some(name),
                }));
            }
            Err(e) => notes.push(Note::UnreadableMetalink(Box::new(e))),
        }
    }
    hashes.sort_by_key(|h| h.algorithm);
    hashes.dedup();
    let mut urls = vec![MirrorUrl {
        url: current.to_string(),
        priority: 1,
        location: None,
        max_connections: None,
    }];
    let mut duplicates: Vec<&Link> = links
        .iter()
        .filter(|l| l.is("duplicate") && metalink::select::is_supported(l.target.as_str()))
        .collect();
    duplicates.sort_by_key(|l| l.priority.unwrap_or(metalink::model::LOWEST_PRIORITY));
    let mut named: Vec<MirrorUrl> = Vec::new();
    for link in duplicates {
        if link.target != current && named.iter().all(|u| u.url != link.target.as_str()) {
            named.push(MirrorUrl {
                url: link.target.to_string(),
                priority: link.priority.unwrap_or(metalink::model::LOWEST_PRIORITY),
                location: link.geo.clone(),
                max_connections: None,
            });
        }
    }
    if !hashes.is_empty() {
        urls.extend(named.iter().cloned());
    }
    let signature_links = links
        .iter()
        .filter(|l| {
            l.is("describedby") && l.media_type.as_deref() == Some("application/pgp-signature")
        })
        .map(|l| l.target.clone())
        .collect();
    Ok(Probed::File(RemoteFile {
        url: current,
        name,
        size: size_from(status, response.headers()),
        hashes,
        urls,
        duplicates: named,
        signature_links,
        notes,
    }))
}

/// An FTP URL: a metalink by its name, else one file, its size from `SIZE` (FTP tells no
/// digests and no other mirrors).
async fn probe_ftp(url: &url::Url) -> Result<Probed, ProbeError> {
    let path = url.path().to_ascii_lowercase();
    if path.ends_with(".meta4") || path.ends_with(".metalink") {
        return Ok(Probed::Metalink(FetchedMetalink {
            url: url.clone(),
            parsed: fetch_ftp_metalink(url).await?,
            described_name: None,
        }));
    }
    let facts = ftp::facts_of(url.as_str())
        .await
        .map_err(|error| ProbeError::Request {
            url: url.clone(),
            error,
        })?;
    Ok(Probed::File(RemoteFile {
        url: url.clone(),
        name: name_from_url(url),
        size: facts.size,
        hashes: Vec::new(),
        urls: vec![MirrorUrl {
            url: url.to_string(),
            priority: 1,
            location: None,
            max_connections: None,
        }],
        duplicates: Vec::new(),
        signature_links: Vec::new(),
        notes: Vec::new(),
    }))
}

async fn fetch_ftp_metalink(url: &url::Url) -> Result<metalink::Parsed, ProbeError> {
    let body = ftp::fetch_small(url.as_str(), MAX_METALINK_BYTES)
        .await
        .map_err(|error| ProbeError::Request {
            url: url.clone(),
            error,
        })?
        .ok_or_else(|| ProbeError::TooLarge { url: url.clone() })?;
    metalink::parse_with_base(&body, Some(url)).map_err(|error| ProbeError::Metalink {
        url: url.clone(),
        error,
    })
}

fn accept_metalink() -> String {
    format!(
        "{}, {};q=0.9, */*;q=0.1",
        metalink::MEDIA_TYPE_V4,
        metalink::MEDIA_TYPE_V3
    )
}

/// Whether a response is a metalink rather than the file: by media type, or by name
/// when the server labels it generically.
fn serves_metalink(headers: &HeaderMap, url: &url::Url) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if media_type == metalink::MEDIA_TYPE_V4 || media_type == metalink::MEDIA_TYPE_V3 {
        return true;
    }
    let generic = matches!(
        media_type,
        "" | "application/octet-stream" | "application/xml" | "text/xml" | "text/plain"
    );
    let path = url.path().to_ascii_lowercase();
    generic && (path.ends_with(".meta4") || path.ends_with(".metalink"))
}

fn site_headers(site: Option<&SiteHeaders>, url: &str) -> HeaderMap {
    site.map(|site| site.headers_for(url)).unwrap_or_default()
}

/// Downloads and parses a metalink (following redirects; relative URLs in it resolve
/// against where it was found).
pub async fn fetch_metalink(
    client: &reqwest::Client,
    url: &url::Url,
) -> Result<metalink::Parsed, ProbeError> {
    fetch_metalink_with(client, url, None).await
}

/// [`fetch_metalink`], with the site's headers on requests to its origin.
async fn fetch_metalink_with(
    client: &reqwest::Client,
    url: &url::Url,
    site: Option<&SiteHeaders>,
) -> Result<metalink::Parsed, ProbeError> {
    let mut current = url.clone();
    for _ in 0..=MAX_REDIRECTS {
        if metalink::select::is_ftp(current.as_str()) {
            return fetch_ftp_metalink(&current).await;
        }
        let mut response = client
            .get(current.clone())
            .header(header::ACCEPT, accept_metalink())
            .header(header::ACCEPT_ENCODING, "identity")
            .headers(site_headers(site, current.as_str()))
            .send()
            .await
            .map_err(|e| ProbeError::Request {
                url: current.clone(),
                error: http::request_fault(&e),
            })?;
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            current = current
                .join(location)
                .map_err(|_| ProbeError::BadRedirect {
                    url: current.clone(),
                    location: location.to_owned(),
                })?;
            continue;
        }
        if !response.status().is_success() {
            return Err(ProbeError::Status {
                url: current,
                status: response.status().as_u16(),
            });
        }
        if let Some(coding) = http::content_coding(response.headers()) {
            return Err(ProbeError::ContentEncoding {
                url: current,
                coding,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| ProbeError::Request {
            url: current.clone(),
            error: http::request_fault(&e),
        })? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_METALINK_BYTES {
                return Err(ProbeError::TooLarge { url: current });
            }
        }
        return metalink::parse_with_base(&body, Some(&current)).map_err(|error| {
            ProbeError::Metalink {
                url: current,
                error,
            }
        });
    }
    Err(ProbeError::TooManyRedirects { url: url.clone() })
}

/// The file's size from a probe: the total of a 206's Content-Range, or a 200's length;
/// none from an encoded answer (its lengths are the encoding's, not the file's).
fn size_from(status: StatusCode, headers: &HeaderMap) -> Option<u64> {
    if http::content_coding(headers).is_some() {
        return None;
    }
    if status == StatusCode::PARTIAL_CONTENT {
        let range = headers.get(header::CONTENT_RANGE)?.to_str().ok()?;
        return http::parse_content_range(range)?.2;
    }
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// The size the first of `urls` (at most three are asked) that answers reports, by a
/// one-byte request each; for a metalink file without a size.
pub async fn size_of(urls: &[MirrorUrl]) -> Option<u64> {
    let client = http::client();
    for url in urls.iter().take(3) {
        if metalink::select::is_ftp(&url.url) {
            if let Ok(ftp::Facts {
                size: Some(size), ..
            }) = ftp::facts_of(&url.url).await
            {
                return Some(size);
            }
            continue;
        }
        if let Some(response) = http::first_byte(&client, &url.url).await
            && let Some(size) = size_from(response.status(), response.headers())
        {
            return Some(size);
        }
    }
    None
}

/// The last path segment, percent-decoded, if it is a safe file name; else `download`.
pub fn name_from_url(url: &url::Url) -> String {
    let segment = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    let decoded = percent_decode(segment);
    if !decoded.contains('/') && metalink::names::check(&decoded).is_ok() {
        decoded
    } else {
        "download".to_owned()
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_urls() {
        let name = |u: &str| name_from_url(&url::Url::parse(u).unwrap());
        assert_eq!(name("http://a/x/debian%2012.iso"), "debian 12.iso");
        assert_eq!(name("http://a/x/a+b.iso"), "a+b.iso");
        assert_eq!(name("http://a/"), "download");
        assert_eq!(name("http://a/x/..%2F..%2Fetc"), "download");
        assert_eq!(name("http://a/x/%2e%2e"), "download");
    }

    #[test]
    fn encoded_answers_tell_no_size() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_RANGE, "bytes 0-0/1000".parse().unwrap());
        assert_eq!(size_from(StatusCode::PARTIAL_CONTENT, &headers), Some(1000));
        headers.insert(header::CONTENT_ENCODING, "gzip".parse().unwrap());
        assert_eq!(size_from(StatusCode::PARTIAL_CONTENT, &headers), None);
        headers.insert(header::CONTENT_ENCODING, "identity".parse().unwrap());
        assert_eq!(size_from(StatusCode::PARTIAL_CONTENT, &headers), Some(1000));
    }

    #[test]
    fn metalinks_by_type_or_generic_name() {
        let url = |u: &str| url::Url::parse(u).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "application/metalink4+xml; charset=utf-8".parse().unwrap(),
        );
        assert!(serves_metalink(&headers, &url("http://a/x")));
        headers.insert(
            header::CONTENT_TYPE,
            "application/octet-stream".parse().unwrap(),
        );
        assert!(serves_metalink(&headers, &url("http://a/x.meta4")));
        assert!(!serves_metalink(&headers, &url("http://a/x.iso")));
        headers.insert(header::CONTENT_TYPE, "text/html".parse().unwrap());
        assert!(!serves_metalink(&headers, &url("http://a/x.meta4")));
    }
}
