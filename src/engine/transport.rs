//! The seam between a connection's request loop and a protocol. A connection asks the
//! [`Transport`] for a byte range of a mirror's file and reads the [`Body`] it gets, chunk
//! by chunk, then [`Body::finish`]es it; it never sees the protocol. Each protocol is a
//! field here, a [`Body`] variant and an arm in each `match`: HTTP(S) and FTP(S).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::ftp::{self, Location};
use super::http::{self, Answer, Clients, Validators};
use super::multipart;
use super::{Fault, NetError, SiteHeaders};

/// The clients of every protocol, shared by all downloads (so connections are reused),
/// and the connections each origin has over all of them. A download's own copy may
/// carry the [`SiteHeaders`] its link came with ([`Transport::for_site`]).
#[derive(Clone)]
pub(crate) struct Transport {
    http: Clients,
    pub slots: Arc<OriginSlots>,
    ftp: ftp::Pool,
    site: Option<Arc<SiteHeaders>>,
}

/// Connections per origin over every download of the engine, so a set of downloads from
/// the same mirrors (a metalink's many files) keeps to the caps one large download does.
#[derive(Default)]
pub(crate) struct OriginSlots {
    counts: Mutex<HashMap<String, usize>>,
    freed: tokio::sync::Notify,
}

/// One connection's place at its origin, given back when dropped.
pub(crate) struct Slot {
    slots: Arc<OriginSlots>,
    origin: String,
}

impl OriginSlots {
    /// Whether `origin` has fewer than `cap` connections.
    pub fn has_room(&self, origin: &str, cap: usize) -> bool {
        self.counts
            .lock()
            .unwrap()
            .get(origin)
            .copied()
            .unwrap_or(0)
            < cap
    }

    /// A place at `origin`, if it has fewer than `cap` connections.
    pub fn take(self: &Arc<Self>, origin: &str, cap: usize) -> Option<Slot> {
        let mut counts = self.counts.lock().unwrap();
        let count = counts.entry(origin.to_owned()).or_default();
        if *count >= cap {
            return None;
        }
        *count += 1;
        Some(Slot {
            slots: self.clone(),
            origin: origin.to_owned(),
        })
    }

    /// Resolves when some connection gives its place back.
    pub async fn freed(&self) {
        self.freed.notified().await
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(count) = self.slots.counts.lock().unwrap().get_mut(&self.origin) {
            *count -= 1;
        }
        self.slots.freed.notify_waiters();
    }
}

/// An answer to a request for bytes.
pub(crate) struct Opened {
    pub body: Body,
    /// The server ignores ranges: the body is the whole file from its first byte.
    pub whole: bool,
    /// What identifies this version of the file on that mirror.
    pub validators: Validators,
    /// Where the body's bytes end when it holds fewer of several ranges than asked (a
    /// server that coalesced them, or answers only the first).
    pub covers: Option<u64>,
}

/// A body being received.
pub(crate) enum Body {
    Http(reqwest::Response),
    /// The file from an offset to its end (FTP has no end offset): it goes on past the
    /// range asked for, so a connection can read on into the next window without a
    /// new request.
    Ftp(Box<ftp::Retrieval>),
    /// The wanted bytes of an answer to several ranges, one range after the other.
    Parts(Box<multipart::Parts>),
}

impl Transport {
    pub fn new(trust: &http::Trust) -> Self {
        let roots = trust.roots().iter().map(|der| der.clone().into()).collect();
        Transport {
            http: Clients::new(trust),
            slots: Arc::default(),
            ftp: ftp::Pool::new(ftp::Timeouts::default(), roots),
            site: None,
        }
    }

    /// This transport for one download, whose requests to `site`'s origin carry its
    /// referrer and cookies (the same clients and slots).
    pub fn for_site(&self, site: Option<SiteHeaders>) -> Self {
        Transport {
            site: site.map(Arc::new),
            ..self.clone()
        }
    }

    /// Asks `url` for bytes `range` of a file of `size` bytes.
    pub async fn open(&self, url: &str, range: Range<u64>, size: u64) -> Result<Opened, Fault> {
        if Location::handles(url) {
            return self.open_ftp(url, range.start, Some(size)).await;
        }
        let (response, whole) =
            match http::fetch_range(&self.http, self.site.as_deref(), url, range, size).await? {
                Answer::Range(response) => (response, false),
                Answer::Whole(response) => (response, true),
            };
        Ok(Opened {
            validators: Validators::from_headers(response.headers()),
            body: Body::Http(response),
            whole,
            covers: None,
        })
    }

    /// Asks `url` for the bytes `wanted` (in order, apart) of a file of `size` bytes in
    /// one request; the body holds them one after the other. `None` when the server
    /// serves one range per request: ask again that way.
    pub async fn open_ranges(
        &self,
        url: &str,
        wanted: Vec<Range<u64>>,
        size: u64,
    ) -> Result<Option<Opened>, Fault> {
        if Location::handles(url) {
            return Ok(None);
        }
        let answer =
            http::fetch_ranges(&self.http, self.site.as_deref(), url, wanted, size).await?;
        Ok(match answer {
            multipart::Answer::Parts { body, covers } => Some(Opened {
                validators: body.validators(),
                body: Body::Parts(body),
                whole: false,
                covers: Some(covers),
            }),
            multipart::Answer::OneAtATime => None,
        })
    }

    /// Asks `url` for the whole file, of unknown length; its length if the server says.
    pub async fn open_whole(&self, url: &str) -> Result<(Body, Option<u64>), Fault> {
        if Location::handles(url) {
            let opened = self.open_ftp(url, 0, None).await?;
            let length = match &opened.body {
                Body::Ftp(retrieval) => retrieval.facts().size,
                Body::Http(_) | Body::Parts(_) => None,
            };
            return Ok((opened.body, length));
        }
        let response = http::fetch_whole(&self.http, self.site.as_deref(), url).await?;
        let length = response.content_length();
        Ok((Body::Http(response), length))
    }

    /// The validators `url` answers with now, if it answers.
    pub async fn validators_of(&self, url: &str) -> Option<Validators> {
        if Location::handles(url) {
            let location = Location::parse(url).ok()?;
            let facts = self.ftp.facts(&location).await.ok()?;
            return Some(ftp_validators(&facts));
        }
        http::validators_of(&self.http, self.site.as_deref(), url).await
    }

    /// The FTP file from `start`, checked against `size` when it is known. A server that
    /// cannot start at an offset sends it from its first byte (`whole`), as an HTTP
    /// server that ignores Range does.
    async fn open_ftp(&self, url: &str, start: u64, size: Option<u64>) -> Result<Opened, Fault> {
        let location = Location::parse(url)?;
        let (retrieval, whole) = match self.ftp.retrieve(&location, start).await {
            Ok(retrieval) => (retrieval, false),
            Err(ftp::Error::NoRestart { .. }) => (self.ftp.retrieve(&location, 0).await?, true),
            Err(error) => return Err(error.into()),
        };
        let facts = retrieval.facts().clone();
        if let (Some(served), Some(expected)) = (facts.size, size)
            && served != expected
        {
            return Err(Fault::WrongSize { served, expected });
        }
        Ok(Opened {
            validators: ftp_validators(&facts),
            body: Body::Ftp(Box::new(retrieval)),
            whole,
            covers: None,
        })
    }
}

/// An FTP file's version: its `MDTM` time, kept as HTTP's Last-Modified would be (the
/// size is checked on every answer anyway).
fn ftp_validators(facts: &ftp::Facts) -> Validators {
    Validators {
        etag: None,
        last_modified: facts
            .modified
            .map(|time: SystemTime| httpdate::fmt_http_date(time)),
    }
}

impl Body {
    /// The next chunk, `None` at the end; nothing for `stall` is a fault.
    pub async fn chunk(&mut self, stall: Duration) -> Result<Option<bytes::Bytes>, Fault> {
        match self {
            Body::Http(response) => http::next_chunk(response, stall).await,
            Body::Ftp(retrieval) => Ok(retrieval.chunk(stall).await?),
            Body::Parts(parts) => {
                tokio::time::timeout(stall, parts.next())
                    .await
                    .map_err(|_| NetError::Stalled {
                        seconds: stall.as_secs(),
                    })?
            }
        }
    }

    /// When an answer to several ranges ended short of the wanted bytes after this many
    /// parts (the server serves no more per request).
    pub fn fewer_ranges_than_asked(&self) -> Option<usize> {
        match self {
            Body::Parts(parts) => parts.fewer_than_asked(),
            Body::Http(_) | Body::Ftp(_) => None,
        }
    }

    /// Whether the body goes on past the range it was asked for, to the file's end.
    pub fn open_ended(&self) -> bool {
        matches!(self, Body::Ftp(_))
    }

    /// Done with the body (read or not): for FTP the data connection is closed and the
    /// control connection kept for the next request, once the server has answered.
    pub async fn finish(self) {
        match self {
            Body::Http(_) => {}
            Body::Ftp(retrieval) => {
                let _ = (*retrieval).finish().await;
            }
            Body::Parts(parts) => parts.finish().await,
        }
    }

    /// The next chunk, `None` at the end, waiting as long as it takes (the caller
    /// watches the time; dropping the future loses nothing).
    pub async fn next(&mut self) -> Result<Option<bytes::Bytes>, Fault> {
        match self {
            Body::Http(response) => response.chunk().await.map_err(|e| http::request_fault(&e)),
            Body::Ftp(retrieval) => Ok(retrieval.next().await?),
            Body::Parts(parts) => parts.next().await,
        }
    }
}
