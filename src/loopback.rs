//! Loopback mirrors for tests, benchmarks and `braid demo`: each serves one file with
//! Range support and faults that real mirrors have (throttling, corrupted bytes, dropped
//! connections, error statuses, ignoring Range, redirects, RFC 6249 headers). Each binds
//! its own 127.0.0.x address, so mirrors are distinct hosts to the engine. [`site`]
//! serves many pages (files, hash files, metalink services) from one address; [`ftp`]
//! runs a real FTP server (pyftpdlib) with the faults of FTP mirrors.

pub mod ftp;
mod ranges;
pub mod site;

pub use ranges::MultiRange;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Response, StatusCode, header};

/// Where the file is served.
pub const FILE_PATH: &str = "/file.bin";
/// Where [`Faults::metalink`] is served.
pub const METALINK_PATH: &str = "/file.meta4";
/// Where [`Faults::zsync`] is served: beside the file, as mirrors publish them.
pub const ZSYNC_PATH: &str = "/file.bin.zsync";

#[derive(Clone, Default)]
pub struct Faults {
    /// Server-wide cap in bytes per second, shared by all connections.
    pub bytes_per_second: Option<u64>,
    /// Cap per response in bytes per second.
    pub connection_bytes_per_second: Option<u64>,
    /// Byte ranges `[start, end)` served with every byte inverted.
    pub corrupt: Vec<(u64, u64)>,
    /// Answer every request for the file with this status.
    pub status: Option<u16>,
    pub retry_after: Option<u64>,
    /// Send the whole file with 200, whatever the Range.
    pub ignore_range: bool,
    /// Send no Content-Length (a chunked body) and ignore Range: the size is unknown.
    pub hide_length: bool,
    /// Break off each response after this many body bytes.
    pub drop_after: Option<u64>,
    /// Answer requests for the file with 302 to this URL.
    pub redirect_to: Option<String>,
    /// Extra headers on every answer for the file (e.g. `Link`, `Digest`).
    pub headers: Vec<(String, String)>,
    /// A metalink served at [`METALINK_PATH`].
    pub metalink: Option<Vec<u8>>,
    /// Serve that metalink instead of the file to requests whose `Accept` asks for
    /// metalinks (transparent negotiation).
    pub negotiate: bool,
    /// After the headers, send one byte of the body per this interval (a slowloris).
    pub trickle: Option<Duration>,
    /// Accept connections and requests, but never answer.
    pub silent: bool,
    /// Compress every body with gzip and say so in `Content-Encoding`, ranges included
    /// (the Content-Range still names the file's bytes), as misconfigured servers do.
    pub gzip: bool,
    /// A zsync control file served at [`ZSYNC_PATH`].
    pub zsync: Option<Vec<u8>>,
    /// How a request for several ranges at once is answered.
    pub multi_range: MultiRange,
}

impl Faults {
    /// No faults but a server-wide cap in bytes per second: a slow mirror.
    pub fn throttled(bytes_per_second: u64) -> Self {
        Faults {
            bytes_per_second: Some(bytes_per_second),
            ..Faults::default()
        }
    }
}

/// The file a mirror serves; replaced whole when a test changes the remote file.
struct Content {
    data: Arc<Vec<u8>>,
    etag: String,
}

struct Mirror {
    content: RwLock<Content>,
    /// More files, served at `/files/<name>`.
    files: std::collections::HashMap<String, Arc<Vec<u8>>>,
    faults: Faults,
    /// When the next byte may leave, for the server-wide cap.
    next_free: tokio::sync::Mutex<Instant>,
    sent: AtomicU64,
    requests: AtomicU64,
    /// TCP connections accepted (each a TLS handshake on an HTTPS mirror).
    connections: AtomicU64,
    /// Every request for the file or the metalink, in order.
    asked: std::sync::Mutex<Vec<Asked>>,
}

/// One request as the mirror saw it.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The query of its URL: `sha256` for mirrorbits' question, none for the bytes.
    pub query: Option<String>,
    pub headers: HeaderMap,
}

impl Mirror {
    fn note(&self, uri: &axum::http::Uri, headers: &HeaderMap) {
        self.asked.lock().unwrap().push(Asked {
            query: uri.query().map(str::to_owned),
            headers: headers.clone(),
        });
    }
}

/// A running loopback mirror; it serves until the runtime it was started on ends.
pub struct LoopbackMirror {
    pub addr: SocketAddr,
    state: Arc<Mirror>,
    scheme: &'static str,
}

impl LoopbackMirror {
    /// Serves `data` at `http://127.0.0.{host}:<port>/file.bin` on any free port.
    pub async fn start(host: u8, data: Arc<Vec<u8>>, faults: Faults) -> std::io::Result<Self> {
        Self::start_at(SocketAddr::from(([127, 0, 0, host], 0)), data, faults).await
    }

    /// Serves `data` on a given address.
    pub async fn start_at(
        addr: SocketAddr,
        data: Arc<Vec<u8>>,
        faults: Faults,
    ) -> std::io::Result<Self> {
        Self::serve(addr, data, faults, None, Default::default()).await
    }

    /// Serves each of `files` at `http://ADDR/files/<name>` (see [`Self::file_url`]),
    /// with the same faults, besides an empty file at the usual place.
    pub async fn start_with_files(
        addr: SocketAddr,
        files: std::collections::HashMap<String, Arc<Vec<u8>>>,
        faults: Faults,
    ) -> std::io::Result<Self> {
        Self::serve(addr, Arc::new(Vec::new()), faults, None, files).await
    }

    /// Serves `data` over HTTPS at `https://127.0.0.{host}:<port>/file.bin`, with the
    /// certificate (and key) `tls` holds.
    pub async fn start_tls(
        host: u8,
        data: Arc<Vec<u8>>,
        faults: Faults,
        tls: Arc<rustls::ServerConfig>,
    ) -> std::io::Result<Self> {
        let addr = SocketAddr::from(([127, 0, 0, host], 0));
        Self::serve(addr, data, faults, Some(tls), Default::default()).await
    }

    async fn serve(
        addr: SocketAddr,
        data: Arc<Vec<u8>>,
        faults: Faults,
        tls: Option<Arc<rustls::ServerConfig>>,
        files: std::collections::HashMap<String, Arc<Vec<u8>>>,
    ) -> std::io::Result<Self> {
        let state = Arc::new(Mirror {
            content: RwLock::new(Content {
                data,
                etag: "\"v1\"".into(),
            }),
            files,
            faults,
            next_free: tokio::sync::Mutex::new(Instant::now()),
            sent: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            asked: std::sync::Mutex::new(Vec::new()),
        });
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let app = Router::new()
            .route(FILE_PATH, axum::routing::get(serve_file))
            .route(METALINK_PATH, axum::routing::get(serve_metalink))
            .route("/files/{*name}", axum::routing::get(serve_named))
            .route(ZSYNC_PATH, axum::routing::get(serve_zsync))
            .with_state(state.clone());
        let counting = Counting {
            listener,
            mirror: state.clone(),
        };
        let scheme = match tls {
            None => {
                tokio::spawn(async move {
                    let _ = axum::serve(counting, app).await;
                });
                "http"
            }
            Some(config) => {
                let listener = TlsListener {
                    inner: counting,
                    acceptor: tokio_rustls::TlsAcceptor::from(config),
                };
                tokio::spawn(async move {
                    let _ = axum::serve(listener, app).await;
                });
                "https"
            }
        };
        Ok(LoopbackMirror {
            addr,
            state,
            scheme,
        })
    }

    pub fn url(&self) -> String {
        format!("{}://{}{FILE_PATH}", self.scheme, self.addr)
    }

    /// Where a file given to [`Self::start_with_files`] is served.
    pub fn file_url(&self, name: &str) -> String {
        format!("{}://{}/files/{name}", self.scheme, self.addr)
    }

    pub fn metalink_url(&self) -> String {
        format!("{}://{}{METALINK_PATH}", self.scheme, self.addr)
    }

    /// TCP connections accepted so far (on HTTPS, each one a handshake).
    pub fn connections(&self) -> u64 {
        self.state.connections.load(Ordering::Relaxed)
    }

    /// Body bytes of the file sent so far.
    pub fn sent(&self) -> u64 {
        self.state.sent.load(Ordering::Relaxed)
    }

    /// Requests for the file so far.
    pub fn requests(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }

    /// The `Authorization` headers sent with requests for the file so far.
    pub fn authorizations(&self) -> Vec<String> {
        self.header_values(header::AUTHORIZATION)
    }

    /// The values of header `name` in requests for the file or the metalink so far, in
    /// order (requests without it add nothing).
    pub fn header_values(&self, name: header::HeaderName) -> Vec<String> {
        self.state
            .asked
            .lock()
            .unwrap()
            .iter()
            .filter_map(|asked| asked.headers.get(&name))
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect()
    }

    /// Requests for the file or the metalink so far.
    pub fn asked(&self) -> usize {
        self.state.asked.lock().unwrap().len()
    }

    /// Each request for the file or the metalink so far, in order.
    pub fn asked_requests(&self) -> Vec<Asked> {
        self.state.asked.lock().unwrap().clone()
    }

    /// Replaces the served file, as when a new version is published.
    pub fn replace(&self, data: Arc<Vec<u8>>, etag: &str) {
        *self.state.content.write().unwrap() = Content {
            data,
            etag: format!("\"{etag}\""),
        };
    }
}

/// The TCP listener, counting the connections it accepts.
struct Counting {
    listener: tokio::net::TcpListener,
    mirror: Arc<Mirror>,
}

impl axum::serve::Listener for Counting {
    type Io = tokio::net::TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let accepted = axum::serve::Listener::accept(&mut self.listener).await;
        self.mirror.connections.fetch_add(1, Ordering::Relaxed);
        accepted
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.listener.local_addr()
    }
}

/// TLS over [`Counting`]: a connection whose handshake fails (the client refused the
/// certificate) is closed, and the next one accepted.
struct TlsListener {
    inner: Counting,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (stream, addr) = self.inner.accept().await;
            if let Ok(Ok(tls)) =
                tokio::time::timeout(Duration::from_secs(5), self.acceptor.accept(stream)).await
            {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

fn wants_metalink(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(crate::metalink::MEDIA_TYPE_V4))
}

async fn serve_metalink(
    State(mirror): State<Arc<Mirror>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response<Body> {
    mirror.note(&uri, &headers);
    match &mirror.faults.metalink {
        Some(doc) => Response::builder()
            .header(header::CONTENT_TYPE, crate::metalink::MEDIA_TYPE_V4)
            .body(Body::from(doc.clone()))
            .unwrap(),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::empty())
            .unwrap(),
    }
}

async fn serve_zsync(State(mirror): State<Arc<Mirror>>) -> Response<Body> {
    match &mirror.faults.zsync {
        Some(control) => Response::builder()
            .header(header::CONTENT_TYPE, crate::zsync::MEDIA_TYPE)
            .body(Body::from(control.clone()))
            .unwrap(),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::empty())
            .unwrap(),
    }
}

async fn serve_file(
    State(mirror): State<Arc<Mirror>>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response<Body> {
    respond(mirror, &uri, headers, None).await
}

/// One of the named files (see [`LoopbackMirror::start_with_files`]).
async fn serve_named(
    State(mirror): State<Arc<Mirror>>,
    axum::extract::Path(name): axum::extract::Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response<Body> {
    match mirror.files.get(&name).cloned() {
        Some(data) => respond(mirror, &uri, headers, Some(data)).await,
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::empty())
            .unwrap(),
    }
}

/// The answer for the file (`named`, or the mirror's own), with the faults applied.
async fn respond(
    mirror: Arc<Mirror>,
    uri: &axum::http::Uri,
    headers: HeaderMap,
    named: Option<Arc<Vec<u8>>>,
) -> Response<Body> {
    mirror.requests.fetch_add(1, Ordering::Relaxed);
    mirror.note(uri, &headers);
    let faults = &mirror.faults;
    if faults.silent {
        std::future::pending::<()>().await;
    }
    let mut builder = Response::builder();
    for (name, value) in &faults.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(status) = faults.status {
        builder = builder.status(status);
        if let Some(after) = faults.retry_after {
            builder = builder.header(header::RETRY_AFTER, after.to_string());
        }
        return builder.body(Body::from("unavailable")).unwrap();
    }
    if let Some(target) = &faults.redirect_to {
        return builder
            .status(StatusCode::FOUND)
            .header(header::LOCATION, target.as_str())
            .body(Body::empty())
            .unwrap();
    }
    if let Some(doc) = &faults.metalink
        && faults.negotiate
        && wants_metalink(&headers)
    {
        return builder
            .header(header::CONTENT_TYPE, crate::metalink::MEDIA_TYPE_V4)
            .header(header::VARY, "Accept")
            .body(Body::from(doc.clone()))
            .unwrap();
    }
    let (data, etag) = match named {
        Some(data) => (data, "\"v1\"".to_owned()),
        None => {
            let content = mirror.content.read().unwrap();
            (content.data.clone(), content.etag.clone())
        }
    };
    let len = data.len() as u64;
    let asked = if faults.ignore_range || faults.hide_length {
        None
    } else {
        ranges::parse(&headers, len)
    };
    let reply = match asked {
        Some(asked) if !(faults.gzip && asked.len() > 1) => {
            ranges::reply(asked, faults.multi_range)
        }
        _ => ranges::Reply::Whole,
    };
    let (start, end, status) = match reply {
        ranges::Reply::One(s, e) => (s, e, StatusCode::PARTIAL_CONTENT),
        ranges::Reply::Whole => (0, len, StatusCode::OK),
        ranges::Reply::Unsatisfiable => {
            return builder
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{len}"))
                .body(Body::empty())
                .unwrap();
        }
        ranges::Reply::Parts(parts) => {
            let (segments, length) = ranges::multipart(&parts, len);
            let body = Sending::new(mirror, data, segments);
            return builder
                .status(StatusCode::PARTIAL_CONTENT)
                .header(header::ETAG, etag)
                .header(header::ACCEPT_RANGES, "bytes")
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/byteranges; boundary={}", ranges::BOUNDARY),
                )
                .header(header::CONTENT_LENGTH, length.to_string())
                .body(body.into_body())
                .unwrap();
        }
    };
    builder = builder.status(status).header(header::ETAG, etag);
    if !faults.hide_length && !faults.gzip {
        builder = builder.header(header::CONTENT_LENGTH, (end - start).to_string());
    }
    if !faults.ignore_range && !faults.hide_length {
        builder = builder.header(header::ACCEPT_RANGES, "bytes");
    }
    if status == StatusCode::PARTIAL_CONTENT {
        builder = builder.header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{len}", end - 1),
        );
    }
    if faults.gzip {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut encoder, &data[start as usize..end as usize])
            .expect("gzip into memory");
        let encoded = encoder.finish().expect("gzip into memory");
        mirror
            .sent
            .fetch_add(encoded.len() as u64, Ordering::Relaxed);
        return builder
            .header(header::CONTENT_ENCODING, "gzip")
            .header(header::CONTENT_LENGTH, encoded.len().to_string())
            .body(Body::from(encoded))
            .unwrap();
    }
    let body = Sending::new(mirror, data, vec![ranges::Segment::File(start, end)]);
    builder.body(body.into_body()).unwrap()
}

/// One response body on its way out: the file's bytes `[at, end)`, then `then`.
struct Sending {
    mirror: Arc<Mirror>,
    data: Arc<Vec<u8>>,
    at: u64,
    end: u64,
    then: std::collections::VecDeque<ranges::Segment>,
    /// File bytes sent.
    sent: u64,
    began: Instant,
}

const CHUNK: u64 = 16 * 1024;
/// How far behind schedule a capped server may fall before it forgets the debt.
const SLACK: Duration = Duration::from_millis(50);

impl Sending {
    fn new(mirror: Arc<Mirror>, data: Arc<Vec<u8>>, segments: Vec<ranges::Segment>) -> Self {
        Sending {
            mirror,
            data,
            at: 0,
            end: 0,
            then: segments.into(),
            sent: 0,
            began: Instant::now(),
        }
    }

    fn into_body(self) -> Body {
        Body::from_stream(futures_util::stream::unfold(self, Sending::next_chunk))
    }

    async fn next_chunk(mut self) -> Option<(std::io::Result<bytes::Bytes>, Self)> {
        while self.at >= self.end {
            match self.then.pop_front()? {
                ranges::Segment::Literal(bytes) => return Some((Ok(bytes), self)),
                ranges::Segment::File(start, end) => (self.at, self.end) = (start, end),
            }
        }
        let faults = &self.mirror.faults;
        let mut chunk_end = (self.at + CHUNK).min(self.end);
        if let Some(every) = faults.trickle {
            if self.sent > 0 {
                tokio::time::sleep(every).await;
            }
            chunk_end = self.at + 1;
        }
        if let Some(limit) = faults.drop_after {
            if self.sent >= limit {
                // Let what was sent reach the client first, as a real broken link would.
                tokio::time::sleep(Duration::from_millis(50)).await;
                let broken = std::io::Error::other("connection dropped by the test mirror");
                return Some((Err(broken), self));
            }
            chunk_end = chunk_end.min(self.at + (limit - self.sent));
        }
        let mut chunk = self.data[self.at as usize..chunk_end as usize].to_vec();
        for &(cs, ce) in &faults.corrupt {
            for i in cs.max(self.at)..ce.min(chunk_end) {
                chunk[(i - self.at) as usize] ^= 0xff;
            }
        }
        let len = chunk.len() as u64;
        if let Some(rate) = faults.bytes_per_second {
            let wait = {
                let mut next = self.mirror.next_free.lock().await;
                let now = Instant::now();
                // Late wake-ups leave a little credit, so timer slack does not lower the rate.
                let slot = (*next).max(now.checked_sub(SLACK).unwrap_or(now));
                *next = slot + Duration::from_secs_f64(len as f64 / rate as f64);
                slot.saturating_duration_since(now)
            };
            pause(wait).await;
        }
        if let Some(rate) = faults.connection_bytes_per_second {
            let due = self.began + Duration::from_secs_f64(self.sent as f64 / rate as f64);
            pause(due.saturating_duration_since(Instant::now())).await;
        }
        self.mirror.sent.fetch_add(len, Ordering::Relaxed);
        self.sent += len;
        self.at = chunk_end;
        Some((Ok(bytes::Bytes::from(chunk)), self))
    }
}

/// Sleeps for a pacing delay. Timers tick in milliseconds, so sleeping for every short
/// delay would cap a connection near 16 KiB per ms; short delays are instead carried
/// (the schedule is absolute) and paid once they add up.
async fn pause(wait: Duration) {
    if wait >= Duration::from_millis(2) {
        tokio::time::sleep(wait).await;
    }
}

/// Deterministic pseudo-random bytes, so a file can be regenerated instead of stored.
pub fn payload(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let word = x.to_le_bytes();
        let take = (len - out.len()).min(8);
        out.extend_from_slice(&word[..take]);
    }
    out
}

/// A Metalink 4 document for `data` named `name`, with its SHA-256 and SHA-256 piece
/// hashes of `piece_length` (none for 0), listing `urls` in order of priority.
pub fn metalink_for(name: &str, data: &[u8], piece_length: u64, urls: &[String]) -> String {
    use crate::metalink::{Document, File, Hash, HashAlgorithm, Pieces, Version};
    let digest = |bytes: &[u8]| crate::engine::verify::digest(HashAlgorithm::Sha256, bytes);
    let mut file = File::new(name);
    file.size = Some(data.len() as u64);
    file.hashes = vec![Hash {
        algorithm: HashAlgorithm::Sha256,
        digest: digest(data),
    }];
    if piece_length > 0 {
        let mut digests = Vec::new();
        for piece in data.chunks(piece_length as usize) {
            digests.extend(digest(piece));
        }
        file.pieces = vec![Pieces::new(HashAlgorithm::Sha256, piece_length, digests)];
    }
    file.urls = ranked_urls(urls.iter().cloned());
    crate::metalink::write(&Document {
        version: Version::V4,
        generator: Some(concat!("Braid/", env!("CARGO_PKG_VERSION")).into()),
        origin: None,
        dynamic: false,
        published: None,
        updated: None,
        files: vec![file],
    })
}

/// Mirrors at `urls`, ranked in that order (priority 1 first), as a metalink lists them.
pub fn ranked_urls(urls: impl IntoIterator<Item = String>) -> Vec<crate::metalink::MirrorUrl> {
    urls.into_iter()
        .enumerate()
        .map(|(i, url)| crate::metalink::MirrorUrl {
            url,
            priority: i as u32 + 1,
            location: None,
            max_connections: None,
        })
        .collect()
}
