//! A loopback test mirror: serves one file with Range support and injectable faults
//! (throttling, corrupted bytes, 404/503, ignoring Range). Each mirror binds its own
//! 127.0.0.x address, so mirrors are distinct hosts.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Response, StatusCode, header};
use tokio::sync::Mutex;

#[derive(Clone, Default)]
pub struct Faults {
    /// Server-wide cap in bytes per second.
    pub bytes_per_second: Option<u64>,
    /// Byte ranges `[start, end)` served with every byte inverted.
    pub corrupt: Vec<(u64, u64)>,
    /// Answer every request with this status.
    pub status: Option<u16>,
    pub retry_after: Option<u64>,
    /// Send the whole file with 200, whatever the Range.
    pub ignore_range: bool,
}

struct Mirror {
    data: Arc<Vec<u8>>,
    faults: Faults,
    /// When the next byte may leave, for the server-wide cap.
    next_free: Mutex<Instant>,
    sent: AtomicU64,
    requests: AtomicU64,
}

pub struct TestMirror {
    pub addr: SocketAddr,
    state: Arc<Mirror>,
}

impl TestMirror {
    /// Serves `data` at `http://127.0.0.{host}:<port>/file.bin`.
    pub async fn start(host: u8, data: Arc<Vec<u8>>, faults: Faults) -> TestMirror {
        let state = Arc::new(Mirror {
            data,
            faults,
            next_free: Mutex::new(Instant::now()),
            sent: AtomicU64::new(0),
            requests: AtomicU64::new(0),
        });
        let listener = tokio::net::TcpListener::bind((format!("127.0.0.{host}"), 0))
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new()
            .route("/file.bin", axum::routing::get(serve))
            .with_state(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestMirror { addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}/file.bin", self.addr)
    }

    /// Body bytes sent so far.
    pub fn sent(&self) -> u64 {
        self.state.sent.load(Ordering::Relaxed)
    }

    pub fn requests(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }
}

fn parse_range(headers: &HeaderMap, len: u64) -> Option<(u64, u64)> {
    let value = headers.get(header::RANGE)?.to_str().ok()?;
    let (start, end) = value.strip_prefix("bytes=")?.split_once('-')?;
    let start: u64 = start.parse().ok()?;
    let end: u64 = if end.is_empty() {
        len - 1
    } else {
        end.parse::<u64>().ok()?.min(len - 1)
    };
    (start <= end).then_some((start, end + 1))
}

async fn serve(State(mirror): State<Arc<Mirror>>, headers: HeaderMap) -> Response<Body> {
    mirror.requests.fetch_add(1, Ordering::Relaxed);
    if let Some(status) = mirror.faults.status {
        let mut response = Response::builder().status(status);
        if let Some(after) = mirror.faults.retry_after {
            response = response.header(header::RETRY_AFTER, after.to_string());
        }
        return response.body(Body::from("no")).unwrap();
    }
    let len = mirror.data.len() as u64;
    let range = if mirror.faults.ignore_range {
        None
    } else {
        parse_range(&headers, len)
    };
    let (start, end, status) = match range {
        Some((s, e)) => (s, e, StatusCode::PARTIAL_CONTENT),
        None => (0, len, StatusCode::OK),
    };
    let mut builder = Response::builder()
        .status(status)
        .header(header::CONTENT_LENGTH, (end - start).to_string())
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::ETAG, "\"v1\"");
    if status == StatusCode::PARTIAL_CONTENT {
        builder = builder.header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{len}", end - 1),
        );
    }
    let stream =
        futures_util::stream::unfold((mirror.clone(), start), move |(mirror, at)| async move {
            if at >= end {
                return None;
            }
            let chunk_end = (at + 16 * 1024).min(end);
            let mut chunk = mirror.data[at as usize..chunk_end as usize].to_vec();
            for &(cs, ce) in &mirror.faults.corrupt {
                for i in cs.max(at)..ce.min(chunk_end) {
                    chunk[(i - at) as usize] ^= 0xff;
                }
            }
            if let Some(rate) = mirror.faults.bytes_per_second {
                let wait = {
                    let mut next = mirror.next_free.lock().await;
                    let now = Instant::now();
                    let slot = (*next).max(now);
                    *next = slot + Duration::from_secs_f64(chunk.len() as f64 / rate as f64);
                    slot.saturating_duration_since(now)
                };
                tokio::time::sleep(wait).await;
            }
            mirror.sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            Some((
                Ok::<_, std::io::Error>(bytes::Bytes::from(chunk)),
                (mirror, chunk_end),
            ))
        });
    builder.body(Body::from_stream(stream)).unwrap()
}

/// Deterministic pseudo-random bytes.
pub fn payload(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A fresh directory under the system temp dir.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("braid-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
