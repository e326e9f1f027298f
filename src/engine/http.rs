//! HTTP requests for pieces: ranged GETs with no content decoding, and the checks that
//! keep a wrong answer (an error page, another range, another version) out of the file.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};

use super::multipart;
use super::{Fault, NetError, SiteHeaders, TlsError};

pub const USER_AGENT: &str = concat!("Braid/", env!("CARGO_PKG_VERSION"));

/// The client for transfers: HTTP/1.1 only (HTTP/2 would put every segment to a host on
/// one TCP connection), no decompression (it would break byte accounting), and the
/// system's trust store for HTTPS.
pub fn client() -> reqwest::Client {
    client_trusting(&Trust::default())
}

/// [`client`], trusting `trust`'s certificates besides the system's.
pub fn client_trusting(trust: &Trust) -> reqwest::Client {
    builder(trust)
        .build()
        .expect("the HTTP client can be built")
}

fn builder(trust: &Trust) -> reqwest::ClientBuilder {
    let roots = trust
        .roots
        .iter()
        .map(|der| reqwest::Certificate::from_der(der).expect("a DER certificate"));
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .http1_only()
        .connect_timeout(Duration::from_secs(15))
        .pool_max_idle_per_host(16)
        .tls_certs_merge(roots)
}

/// Most redirects followed by hand within a site's own origin.
const MAX_SITE_HOPS: usize = 10;

/// The clients a download's requests go through: one follows redirects (reqwest drops
/// cookies and credentials on the way to another host), the other follows none, for
/// requests that carry a [`SiteHeaders`]'s headers, whose redirects [`send`] follows itself.
#[derive(Clone)]
pub(crate) struct Clients {
    follow: reqwest::Client,
    direct: reqwest::Client,
}

impl Clients {
    pub fn new(trust: &Trust) -> Self {
        Clients {
            follow: client_trusting(trust),
            direct: builder(trust)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("the HTTP client can be built"),
        }
    }
}

/// Sends a GET for `url` with `headers`. A request to the `site`'s own origin also
/// carries its referrer and cookies, and its redirects are followed here: within the
/// origin with those headers, away from it without them, so no other host ever sees
/// them (reqwest would drop the cookies but keep the referrer).
pub(crate) async fn send(
    clients: &Clients,
    site: Option<&SiteHeaders>,
    url: &str,
    headers: HeaderMap,
) -> reqwest::Result<reqwest::Response> {
    let Some(site) = site else {
        return clients.follow.get(url).headers(headers).send().await;
    };
    let mut current = url.to_owned();
    for _ in 0..=MAX_SITE_HOPS {
        if !site.is_for(&current) {
            break;
        }
        let response = clients
            .direct
            .get(&current)
            .headers(headers.clone())
            .headers(site.headers_for(&current))
            .send()
            .await?;
        let next = response
            .status()
            .is_redirection()
            .then(|| response.headers().get(header::LOCATION))
            .flatten()
            .and_then(|location| location.to_str().ok())
            .and_then(|location| url::Url::parse(&current).ok()?.join(location).ok());
        match next {
            Some(next) => current = next.into(),
            None => return Ok(response),
        }
    }
    // Off the site (or round it too often: reqwest's own limit then says so).
    clients.follow.get(&current).headers(headers).send().await
}

/// Certificates to trust for HTTPS besides the system's store (which honours
/// `SSL_CERT_FILE`), e.g. a private CA's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trust {
    roots: Vec<Vec<u8>>,
}

impl Trust {
    /// Also trusts the CA certificate `der` (DER-encoded, as a `.crt`/`.cer` holds after
    /// `openssl x509 -outform der`).
    pub fn with_certificate(mut self, der: Vec<u8>) -> Self {
        self.roots.push(der);
        self
    }

    /// The extra roots, DER-encoded (FTPS trusts them too).
    pub(crate) fn roots(&self) -> &[Vec<u8>] {
        &self.roots
    }
}

/// How a server answered a request for bytes.
pub enum Answer {
    /// 206 with exactly the range asked for.
    Range(reqwest::Response),
    /// 200: the server ignores Range and sends the whole file.
    Whole(reqwest::Response),
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
/// validators and whether Range works, without downloading the file. (An encoded answer
/// tells the encoded size: callers check [`content_coding`].)
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
pub(crate) async fn validators_of(
    clients: &Clients,
    site: Option<&SiteHeaders>,
    url: &str,
) -> Option<Validators> {
    let response = send(clients, site, url, ranged(0..1)).await.ok()?;
    response
        .status()
        .is_success()
        .then(|| Validators::from_headers(response.headers()))
}

/// The headers of a request for bytes `range`, not encoded.
fn ranged(range: std::ops::Range<u64>) -> HeaderMap {
    let mut headers = identity();
    let value = format!("bytes={}-{}", range.start, range.end - 1);
    headers.insert(
        header::RANGE,
        value.parse().expect("a range is a header value"),
    );
    headers
}

/// The headers of a request for the bytes as they are, not encoded.
fn identity() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::ACCEPT_ENCODING,
        header::HeaderValue::from_static("identity"),
    );
    headers
}

/// The next chunk of a body, `None` at its end; a stall is a network fault.
pub async fn next_chunk(
    response: &mut reqwest::Response,
    stall: Duration,
) -> Result<Option<bytes::Bytes>, Fault> {
    tokio::time::timeout(stall, response.chunk())
        .await
        .map_err(|_| NetError::Stalled {
            seconds: stall.as_secs(),
        })?
        .map_err(|e| request_fault(&e))
}

/// Asks for the whole file (a stream of unknown length): a 200 without content coding.
pub(crate) async fn fetch_whole(
    clients: &Clients,
    site: Option<&SiteHeaders>,
    url: &str,
) -> Result<reqwest::Response, Fault> {
    let response = send(clients, site, url, identity())
        .await
        .map_err(|e| request_fault(&e))?;
    if response.status() != StatusCode::OK {
        return Err(classify(response.status(), response.headers()));
    }
    if let Some(coding) = content_coding(response.headers()) {
        return Err(Fault::ContentEncoding { coding });
    }
    Ok(response)
}

/// A successful answer in a content coding other than identity is unusable: encoded
/// bytes are not the file's, whatever the status and Content-Range say.
fn refuse_encoded(response: &reqwest::Response) -> Result<(), Fault> {
    match content_coding(response.headers()) {
        Some(coding) if response.status().is_success() => Err(Fault::ContentEncoding { coding }),
        _ => Ok(()),
    }
}

/// Asks for bytes `range` of a file of `size` bytes.
pub(crate) async fn fetch_range(
    clients: &Clients,
    site: Option<&SiteHeaders>,
    url: &str,
    range: std::ops::Range<u64>,
    size: u64,
) -> Result<Answer, Fault> {
    let response = send(clients, site, url, ranged(range.clone()))
        .await
        .map_err(|e| request_fault(&e))?;
    let status = response.status();
    refuse_encoded(&response)?;
    if status == StatusCode::PARTIAL_CONTENT {
        let got = response
            .headers()
            .get(header::CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_content_range);
        return match got {
            Some((s, e, total))
                if s == range.start && e + 1 == range.end && total.is_none_or(|t| t == size) =>
            {
                Ok(Answer::Range(response))
            }
            Some((s, e, total)) => Err(Fault::WrongRange {
                asked: range,
                got: s..e + 1,
                total,
            }),
            None => Err(Fault::NoContentRange),
        };
    }
    if status == StatusCode::OK {
        return match response.content_length() {
            Some(served) if served != size => Err(Fault::WrongSize {
                served,
                expected: size,
            }),
            _ => Ok(Answer::Whole(response)),
        };
    }
    Err(classify(status, response.headers()))
}

/// Asks for the bytes `wanted` (in order, apart) of a file of `size` bytes in one
/// request. A server that answers with the whole file, or refuses several ranges (416,
/// a header too long…), is asked range by range instead: nothing is read of its body.
pub(crate) async fn fetch_ranges(
    clients: &Clients,
    site: Option<&SiteHeaders>,
    url: &str,
    wanted: Vec<std::ops::Range<u64>>,
    size: u64,
) -> Result<multipart::Answer, Fault> {
    let asked = multipart::ranges_for(&wanted);
    let mut headers = identity();
    headers.insert(
        header::RANGE,
        asked.header().parse().expect("ranges are a header value"),
    );
    let response = send(clients, site, url, headers)
        .await
        .map_err(|e| request_fault(&e))?;
    let status = response.status();
    refuse_encoded(&response)?;
    match status.as_u16() {
        206 => multipart::answer(response, &asked, wanted, size),
        200 => match response.content_length() {
            Some(served) if served != size => Err(Fault::WrongSize {
                served,
                expected: size,
            }),
            _ => Ok(multipart::Answer::OneAtATime),
        },
        400 | 413 | 414 | 416 | 431 | 501 => Ok(multipart::Answer::OneAtATime),
        _ => Err(classify(status, response.headers())),
    }
}

/// What a status that is neither 200 nor 206 means for the mirror.
pub fn classify(status: StatusCode, headers: &HeaderMap) -> Fault {
    let status = status.as_u16();
    match status {
        404 | 410 => Fault::Missing { status },
        429 | 500..=599 => Fault::Busy {
            status,
            retry_after: retry_after(headers),
        },
        _ => Fault::Refused { status },
    }
}

/// The content coding of a body, unless there is none (or only `identity`).
pub fn content_coding(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_ENCODING)?;
    let text = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
    (!text.eq_ignore_ascii_case("identity")).then_some(text)
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

/// What went wrong with a request, without the URL (which the caller names): a TLS
/// problem (permanent, and named), or a network fault.
pub fn request_fault(error: &reqwest::Error) -> Fault {
    match tls_error(error) {
        Some(tls) => Fault::Tls(tls),
        None => Fault::Network(net_error(error)),
    }
}

/// The TLS error somewhere in an error's chain of sources. (An `io::Error` hides its
/// inner error from `source()`: it is looked at through `get_ref`.)
pub fn tls_error(error: &(dyn std::error::Error + 'static)) -> Option<TlsError> {
    let mut current = Some(error);
    while let Some(e) = current {
        let inner = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|inner| inner as &(dyn std::error::Error + 'static));
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(describe_tls(tls));
        }
        current = inner.or_else(|| e.source());
    }
    None
}

fn describe_tls(error: &rustls::Error) -> TlsError {
    use rustls::CertificateError as C;
    match error {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            C::UnknownIssuer => TlsError::UnknownIssuer,
            C::NotValidForName => TlsError::OtherHost {
                expected: String::new(),
                presented: Vec::new(),
            },
            C::NotValidForNameContext {
                expected,
                presented,
            } => TlsError::OtherHost {
                expected: server_name(expected),
                presented: presented.iter().map(|name| subject_name(name)).collect(),
            },
            C::Expired | C::ExpiredContext { .. } => TlsError::Expired,
            C::NotValidYet | C::NotValidYetContext { .. } => TlsError::NotYetValid,
            C::Revoked => TlsError::Revoked,
            other => TlsError::Certificate(format!("{other:?}")),
        },
        other => TlsError::Handshake(other.to_string()),
    }
}

/// A name as rustls presents it (`DnsName("a.example")`, `IpAddress(…)`), unwrapped.
fn subject_name(presented: &str) -> String {
    presented
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .map(|inner| inner.trim_matches('"').to_owned())
        .unwrap_or_else(|| presented.to_owned())
}

fn server_name(name: &rustls::pki_types::ServerName<'_>) -> String {
    match name {
        rustls::pki_types::ServerName::DnsName(dns) => dns.as_ref().to_owned(),
        rustls::pki_types::ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        other => format!("{other:?}"),
    }
}

/// A network fault, without the URL. A connection that ended before the answer did (the
/// body short of its length, a reset, a broken pipe) is said to have closed early, in
/// every layer's words; anything else keeps the innermost error's own words.
pub fn net_error(error: &reqwest::Error) -> NetError {
    if error.is_timeout() {
        return NetError::Timeout;
    }
    if error.is_connect() {
        return NetError::Connect;
    }
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                std::io::ErrorKind::UnexpectedEof
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
            )
        {
            return NetError::ClosedEarly;
        }
        message = inner.to_string();
        source = inner.source();
    }
    NetError::Other(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server that promises more than it sends, then closes: hyper's "end of file
    /// before message length reached", which notices showed as it was.
    #[tokio::test]
    async fn a_body_cut_short_is_a_connection_closed_early() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .unwrap();
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request);
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
                .unwrap();
        });
        let error = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            client()
                .get(format!("http://127.0.0.1:{port}/short"))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap_err()
        })
        .await
        .unwrap();
        server.join().unwrap();
        assert_eq!(net_error(&error), NetError::ClosedEarly, "{error:?}");
    }

    #[test]
    fn names_in_certificates_read_plainly() {
        assert_eq!(subject_name("DnsName(\"a.example\")"), "a.example");
        assert_eq!(subject_name("plain"), "plain");
    }

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
            Fault::Missing { status: 404 }
        ));
        assert!(matches!(
            classify(StatusCode::GONE, &headers),
            Fault::Missing { status: 410 }
        ));
        let mut busy = HeaderMap::new();
        busy.insert(header::RETRY_AFTER, "3".parse().unwrap());
        match classify(StatusCode::SERVICE_UNAVAILABLE, &busy) {
            Fault::Busy { retry_after, .. } => {
                assert_eq!(retry_after, Some(Duration::from_secs(3)))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            classify(StatusCode::FORBIDDEN, &headers),
            Fault::Refused { status: 403 }
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
