//! HTTP requests for pieces: ranged GETs with no content decoding, and the checks that
//! keep a wrong answer (an error page, another range, another version) out of the file.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};

pub const USER_AGENT: &str = concat!("Braid/", env!("CARGO_PKG_VERSION"));

/// The client for transfers: HTTP/1.1 only (HTTP/2 would put every segment to a host on
/// one TCP connection), no decompression (it would break byte accounting).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .http1_only()
        .connect_timeout(Duration::from_secs(15))
        .pool_max_idle_per_host(16)
        .build()
        .expect("the HTTP client can be built")
}

/// How a server answered a request for bytes.
pub enum Answer {
    /// 206 with exactly the range asked for.
    Range(reqwest::Response),
    /// 200: the server ignores Range and sends the whole file.
    Whole(reqwest::Response),
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// 404 or 410: the mirror does not have the file.
    #[error("HTTP {0}: not on this mirror")]
    Gone(u16),
    /// Worth retrying later (5xx, 429, network errors).
    #[error("{message}")]
    Transient {
        message: String,
        retry_after: Option<Duration>,
    },
    /// The mirror answered something unusable; do not ask it again.
    #[error("{0}")]
    Unusable(String),
    /// A piece from this mirror failed its hash (already counted against the mirror).
    #[error("{0}")]
    Spoiled(String),
    /// Writing the part file failed (disk full, I/O error): the download stops, and no
    /// mirror is blamed.
    #[error("{0}")]
    Disk(std::io::Error),
}

/// Validators of the representation, so a changed file is never spliced onto old data.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    /// Whether `other` is a different version: a validator both have differs.
    pub fn changed(&self, other: &Validators) -> bool {
        let differs =
            |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(a), Some(b)) if a != b);
        differs(&self.etag, &other.etag) || differs(&self.last_modified, &other.last_modified)
    }

    pub fn from_headers(headers: &HeaderMap) -> Self {
        let get = |name| {
            headers
                .get(name)
                .and_then(|v: &header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        Validators {
            etag: get(header::ETAG),
            last_modified: get(header::LAST_MODIFIED),
        }
    }
}

/// A successful answer to a request for the first byte only: it tells the size, the
/// validators and whether Range works, without downloading the file.
pub async fn first_byte(client: &reqwest::Client, url: &str) -> Option<reqwest::Response> {
    let response = client
        .get(url)
        .header(header::RANGE, "bytes=0-0")
        .header(header::ACCEPT_ENCODING, "identity")
        .send()
        .await
        .ok()?;
    response.status().is_success().then_some(response)
}

/// The validators a URL answers with now, if it answers.
pub async fn validators_of(client: &reqwest::Client, url: &str) -> Option<Validators> {
    let response = first_byte(client, url).await?;
    Some(Validators::from_headers(response.headers()))
}

/// The next chunk of a body, `None` at its end; a stall is a transient failure.
pub async fn next_chunk(
    response: &mut reqwest::Response,
    stall: Duration,
) -> Result<Option<bytes::Bytes>, FetchError> {
    tokio::time::timeout(stall, response.chunk())
        .await
        .map_err(|_| FetchError::Transient {
            message: format!("stalled: nothing received for {} s", stall.as_secs()),
            retry_after: None,
        })?
        .map_err(|e| FetchError::Transient {
            message: describe(&e),
            retry_after: None,
        })
}

/// The error for a body that ended before its length.
pub fn closed_early() -> FetchError {
    FetchError::Transient {
        message: "the connection closed early".into(),
        retry_after: None,
    }
}

/// Asks for bytes `[start, end)` of a file of `size` bytes.
pub async fn fetch_range(
    client: &reqwest::Client,
    url: &str,
    start: u64,
    end: u64,
    size: u64,
) -> Result<Answer, FetchError> {
    let response = client
        .get(url)
        .header(header::RANGE, format!("bytes={start}-{}", end - 1))
        .header(header::ACCEPT_ENCODING, "identity")
        .send()
        .await
        .map_err(|e| FetchError::Transient {
            message: describe(&e),
            retry_after: None,
        })?;
    let status = response.status();
    if status == StatusCode::PARTIAL_CONTENT {
        let range = response
            .headers()
            .get(header::CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_content_range);
        return match range {
            Some((s, e, total))
                if s == start && e + 1 == end && total.is_none_or(|t| t == size) =>
            {
                Ok(Answer::Range(response))
            }
            Some((s, e, total)) => Err(FetchError::Unusable(format!(
                "asked for bytes {start}-{}, got {s}-{e}/{}",
                end - 1,
                total.map_or("*".to_owned(), |t| t.to_string())
            ))),
            None => Err(FetchError::Unusable(
                "206 without a valid Content-Range".into(),
            )),
        };
    }
    if status == StatusCode::OK {
        if encoded(response.headers()) {
            return Err(FetchError::Unusable(
                "the server compresses the file (Content-Encoding)".into(),
            ));
        }
        return match response.content_length() {
            Some(length) if length != size => Err(FetchError::Unusable(format!(
                "the file is {length} bytes here, {size} expected"
            ))),
            _ => Ok(Answer::Whole(response)),
        };
    }
    Err(classify(status, response.headers()))
}

/// What a status that is neither 200 nor 206 means for the mirror.
pub fn classify(status: StatusCode, headers: &HeaderMap) -> FetchError {
    match status.as_u16() {
        404 | 410 => FetchError::Gone(status.as_u16()),
        429 | 500..=599 => FetchError::Transient {
            message: format!("HTTP {status}"),
            retry_after: retry_after(headers),
        },
        _ => FetchError::Unusable(format!("HTTP {status}")),
    }
}

fn encoded(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.eq_ignore_ascii_case("identity"))
}

/// `Retry-After`: seconds, or an HTTP date (a date already past means now).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// `bytes 0-99/1000` → (0, 99, Some(1000)); `bytes 0-99/*` → (0, 99, None).
pub fn parse_content_range(value: &str) -> Option<(u64, u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let start = start.trim().parse().ok()?;
    let end = end.trim().parse().ok()?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    (start <= end).then_some((start, end, total))
}

/// A short description of a request error, without the URL (which the caller names).
pub fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "timed out".into()
    } else if error.is_connect() {
        "could not connect".into()
    } else {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            message = inner.to_string();
            source = inner.source();
        }
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range() {
        assert_eq!(
            parse_content_range("bytes 0-99/1000"),
            Some((0, 99, Some(1000)))
        );
        assert_eq!(parse_content_range("bytes 5-9/*"), Some((5, 9, None)));
        assert_eq!(parse_content_range("bytes 9-5/10"), None);
        assert_eq!(parse_content_range("items 0-1/2"), None);
    }

    #[test]
    fn statuses() {
        let headers = HeaderMap::new();
        assert!(matches!(
            classify(StatusCode::NOT_FOUND, &headers),
            FetchError::Gone(404)
        ));
        assert!(matches!(
            classify(StatusCode::GONE, &headers),
            FetchError::Gone(410)
        ));
        let mut busy = HeaderMap::new();
        busy.insert(header::RETRY_AFTER, "3".parse().unwrap());
        match classify(StatusCode::SERVICE_UNAVAILABLE, &busy) {
            FetchError::Transient { retry_after, .. } => {
                assert_eq!(retry_after, Some(Duration::from_secs(3)))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            classify(StatusCode::FORBIDDEN, &headers),
            FetchError::Unusable(_)
        ));
    }

    fn retry_after_of(value: &str) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, value.parse().unwrap());
        retry_after(&headers)
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        assert_eq!(retry_after_of(" 120 "), Some(Duration::from_secs(120)));
        let soon = std::time::SystemTime::now() + Duration::from_secs(90);
        let wait = retry_after_of(&httpdate::fmt_http_date(soon)).unwrap();
        // HTTP dates have whole seconds.
        assert!(wait > Duration::from_secs(88) && wait <= Duration::from_secs(90));
        assert_eq!(
            retry_after_of("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after_of("soon"), None);
    }
}
