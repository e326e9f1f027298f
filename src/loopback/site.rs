//! A loopback web site for tests and demos: any number of pages, each with its own
//! status, headers, delay and pace, served with Range support so a page can also be a
//! download. It plays publishers' servers (a file with its `SHA256SUMS`, sidecars, a
//! lying hash file, a huge or a slow one), MirrorBrain and mirrorbits conventions, and
//! metalink services.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Response, StatusCode, Uri, header};

/// One page of the site.
#[derive(Clone, Debug)]
pub struct Page {
    pub status: u16,
    pub body: Arc<Vec<u8>>,
    pub content_type: Option<String>,
    pub headers: Vec<(String, String)>,
    /// Waits this long before answering.
    pub delay: Duration,
    /// Sends the body at this pace.
    pub bytes_per_second: Option<u64>,
}

impl Page {
    /// A file, served with Range support.
    pub fn file(body: impl Into<Arc<Vec<u8>>>) -> Page {
        Page {
            status: 200,
            body: body.into(),
            content_type: Some("application/octet-stream".into()),
            headers: Vec::new(),
            delay: Duration::ZERO,
            bytes_per_second: None,
        }
    }

    /// A text document.
    pub fn text(body: impl Into<String>) -> Page {
        Page {
            content_type: Some("text/plain; charset=utf-8".into()),
            ..Page::file(body.into().into_bytes())
        }
    }

    /// An answer with this status and a short body.
    pub fn status(status: u16) -> Page {
        Page {
            status,
            content_type: Some("text/html".into()),
            ..Page::file(format!("<html><body>{status}</body></html>").into_bytes())
        }
    }

    pub fn with_type(mut self, content_type: &str) -> Page {
        self.content_type = Some(content_type.into());
        self
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Page {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers only after `delay`.
    pub fn slow(mut self, delay: Duration) -> Page {
        self.delay = delay;
        self
    }

    pub fn throttled(mut self, bytes_per_second: u64) -> Page {
        self.bytes_per_second = Some(bytes_per_second);
        self
    }
}

#[derive(Default)]
struct Pages {
    /// By path, or by `path?query` (matched as sent, then percent-decoded).
    pages: HashMap<String, Page>,
    /// Every request's path and query, in order.
    log: Vec<String>,
}

/// A running site; it serves until the runtime it was started on ends.
pub struct Site {
    pub addr: SocketAddr,
    pages: Arc<Mutex<Pages>>,
}

impl Site {
    /// Serves on `127.0.0.{host}` on any free port; every path not put is a 404.
    pub async fn start(host: u8) -> std::io::Result<Site> {
        let pages = Arc::new(Mutex::new(Pages::default()));
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, host], 0))).await?;
        let addr = listener.local_addr()?;
        let app = Router::new()
            .fallback(axum::routing::get(serve))
            .with_state(pages.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Site { addr, pages })
    }

    /// Puts a page at `path` (`/pub/f.iso`), or at `path?query` for one query only.
    pub fn put(&self, path: &str, page: Page) {
        self.pages.lock().unwrap().pages.insert(path.into(), page);
    }

    /// The page's URL.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Requests so far for `path` (with its query, if it has one).
    pub fn requests(&self, path: &str) -> usize {
        self.pages
            .lock()
            .unwrap()
            .log
            .iter()
            .filter(|p| *p == path)
            .count()
    }

    /// Every request so far (path and query), in order.
    pub fn log(&self) -> Vec<String> {
        self.pages.lock().unwrap().log.clone()
    }
}

async fn serve(
    State(pages): State<Arc<Mutex<Pages>>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response<Body> {
    let asked = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned());
    let page = {
        let mut pages = pages.lock().unwrap();
        pages.log.push(asked.clone());
        let decoded = percent_encoding::percent_decode_str(&asked)
            .decode_utf8_lossy()
            .into_owned();
        pages
            .pages
            .get(&asked)
            .or_else(|| pages.pages.get(&decoded))
            // A query the site does not know is ignored, as web servers do.
            .or_else(|| pages.pages.get(uri.path()))
            .cloned()
    };
    let Some(page) = page else {
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Body::from("not found"))
            .unwrap();
    };
    if !page.delay.is_zero() {
        tokio::time::sleep(page.delay).await;
    }
    let mut builder = Response::builder().status(page.status);
    if let Some(content_type) = &page.content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type.as_str());
    }
    for (name, value) in &page.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let len = page.body.len() as u64;
    let range = (page.status == 200)
        .then(|| super::ranges::single(&headers, len))
        .flatten();
    let (start, end) = match range {
        Some((start, end)) => {
            builder = builder.status(StatusCode::PARTIAL_CONTENT).header(
                header::CONTENT_RANGE,
                format!("bytes {start}-{}/{len}", end - 1),
            );
            (start, end)
        }
        None => (0, len),
    };
    if page.status == 200 {
        builder = builder.header(header::ACCEPT_RANGES, "bytes");
    }
    builder = builder.header(header::CONTENT_LENGTH, (end - start).to_string());
    let body = page.body.clone();
    let pace = page.bytes_per_second;
    let stream = futures_util::stream::unfold(start, move |at| {
        let body = body.clone();
        async move {
            if at >= end {
                return None;
            }
            let chunk_end = (at + 16 * 1024).min(end);
            if let Some(rate) = pace {
                let wait = Duration::from_secs_f64((chunk_end - at) as f64 / rate as f64);
                tokio::time::sleep(wait).await;
            }
            let chunk = bytes::Bytes::copy_from_slice(&body[at as usize..chunk_end as usize]);
            Some((Ok::<_, std::io::Error>(chunk), chunk_end))
        }
    });
    builder.body(Body::from_stream(stream)).unwrap()
}
