//! Per-mirror bookkeeping for one download: connections, bytes, errors, back-off and
//! blame. A mirror that spoils a piece never gets that piece again; one that spoils
//! several, or keeps failing, is dropped with a reason the user can read.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use super::ftp::Location;
use super::http::Validators;
use super::multipart::MAX_RANGES;
use super::{DropReason, Fault, FtpFault, MirrorFailure, MirrorReason, MirrorStatus, NetError};

/// Bad pieces after which a mirror whose pieces are mostly bad is dropped for this file.
const MAX_BAD_PIECES: u32 = 3;
/// A mirror with more good pieces than this per bad one is kept (its bad pieces are
/// fetched elsewhere): sporadic corruption on a fast mirror costs less than losing it.
const GOOD_PER_BAD: u64 = 10;
/// Bad pieces after which a mirror is dropped however many good ones it delivered.
const MAX_BAD_PIECES_EVER: u32 = 12;
/// Failures in a row (errors, stalls, 5xx) before a mirror is dropped.
const MAX_CONSECUTIVE_FAILURES: u32 = 5;
const BASE_BACKOFF: Duration = Duration::from_millis(500);
/// How long a connection count is measured before it is judged.
const MEASURE: Duration = Duration::from_millis(500);
/// A connection is only worth adding if it raised the mirror's throughput this much.
const WORTHWHILE_GAIN: f64 = 1.15;
/// How long a mirror keeps a connection count that was found best before trying more.
const SETTLE: Duration = Duration::from_secs(10);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// How long a mirror whose connection was too slow rests before it is tried again (the
/// first time; doubled each time after, up to 16 times).
const SLOW_REST: Duration = Duration::from_secs(5);

/// One mirror of one download. Its fields are its own: the job tells it what happened
/// (`connected`, `received`, `delivered`, `spoiled`, `failed`) and asks what it may do
/// (`available`, `may_fetch`, `cap`).
#[derive(Debug, Clone)]
pub(crate) struct Mirror {
    url: String,
    /// `scheme://host:port`: connection limits are per origin, not per host name.
    origin: String,
    location: Option<String>,
    priority: u32,
    active: usize,
    bytes: u64,
    /// `bytes` when its status was last taken.
    bytes_at_last_look: u64,
    /// Verified pieces it delivered.
    pieces: u64,
    errors: u32,
    consecutive_failures: u32,
    /// Times its connection was given up as too slow.
    slow_spells: u32,
    bad_pieces: u32,
    /// Pieces this mirror delivered wrong: never asked of it again.
    banned: HashSet<usize>,
    retry_at: Option<Instant>,
    dropped: Option<DropReason>,
    /// The server ignores Range: it can only stream the file from the start.
    no_range: bool,
    /// Ranges the server answers per request: [`MAX_RANGES`] until it shows fewer (one
    /// for FTP, and for a server that sent the whole file, one range or a refusal).
    ranges: usize,
    /// Bytes per second per connection, smoothed.
    speed: f64,
    last_error: Option<Fault>,
    /// ETag / Last-Modified of its first answer (or as saved before a restart).
    validators: Option<Validators>,
    /// How many connections this mirror is worth now.
    ramp: Ramp,
}

/// Connection count by measurement: a mirror starts with one connection and doubles
/// them as long as the last step raised its throughput, so a server with a
/// cap of its own is not split into many slow streams (which would hold pieces longer
/// and spread them over the file), while one that limits each connection gets several.
#[derive(Debug, Clone)]
struct Ramp {
    allowed: usize,
    phase_start: Instant,
    phase_bytes: u64,
    /// Bytes per second with `previous` connections, before the last step up.
    baseline: Option<f64>,
    /// The count before the last step up, to go back to when it brought nothing.
    previous: usize,
    settled_until: Option<Instant>,
}

impl Ramp {
    fn new() -> Self {
        Ramp {
            allowed: 1,
            previous: 1,
            phase_start: Instant::now(),
            phase_bytes: 0,
            baseline: None,
            settled_until: None,
        }
    }

    /// The server allows no more than `most` connections: stay there a while.
    fn limit(&mut self, most: usize) {
        self.allowed = most.max(1);
        self.baseline = None;
        self.settled_until = Some(Instant::now() + SETTLE);
    }
}

impl Mirror {
    pub fn new(url: &str, location: Option<String>, priority: u32) -> Self {
        Mirror {
            origin: origin(url),
            url: url.to_owned(),
            location,
            priority,
            active: 0,
            bytes: 0,
            bytes_at_last_look: 0,
            pieces: 0,
            errors: 0,
            consecutive_failures: 0,
            slow_spells: 0,
            bad_pieces: 0,
            banned: HashSet::new(),
            retry_at: None,
            dropped: None,
            no_range: false,
            ranges: if Location::handles(url) {
                1
            } else {
                MAX_RANGES
            },
            speed: 0.0,
            last_error: None,
            validators: None,
            ramp: Ramp::new(),
        }
    }

    /// Starts from the validators saved before a restart.
    pub fn with_validators(mut self, validators: Option<Validators>) -> Self {
        self.validators = validators;
        self
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Connections running now.
    pub fn active(&self) -> usize {
        self.active
    }

    /// Bytes per second on each of its connections, smoothed (0 until it delivered).
    pub fn speed(&self) -> f64 {
        self.speed
    }

    pub fn validators(&self) -> Option<&Validators> {
        self.validators.as_ref()
    }

    pub fn is_dropped(&self) -> bool {
        self.dropped.is_some()
    }

    /// Whether a new connection may start now.
    pub fn available(&self, now: Instant) -> bool {
        self.dropped.is_none() && self.retry_at.is_none_or(|at| at <= now)
    }

    /// Whether it is backing off, to be tried again later.
    pub fn waiting(&self, now: Instant) -> bool {
        self.dropped.is_none() && !self.available(now)
    }

    /// Whether this mirror may be asked for `piece` (it never spoiled it).
    pub fn may_fetch(&self, piece: usize) -> bool {
        !self.banned.contains(&piece)
    }

    /// The pieces it spoiled.
    pub fn banned(&self) -> &HashSet<usize> {
        &self.banned
    }

    /// The connections it may have now, under `per_origin`: one while it has not
    /// delivered (a dead mirror costs one request, not one per slot) and for a server
    /// that ignores ranges, then as many as it has proved worth.
    pub fn cap(&self, per_origin: usize) -> usize {
        if self.no_range {
            1
        } else {
            per_origin.min(self.ramp.allowed)
        }
    }

    /// Whether it can take one more connection besides those running (a server that
    /// ignores ranges streams the file once, from the start).
    pub fn takes_another(&self) -> bool {
        !self.no_range || self.active == 0
    }

    /// Whether it is known to send the whole file whatever the range asked.
    pub fn ignoring_ranges(&self) -> bool {
        self.no_range
    }

    /// The server sent the whole file for a range request.
    pub fn ignores_ranges(&mut self) {
        self.no_range = true;
    }

    /// Byte ranges one request may ask for.
    pub fn ranges_per_request(&self) -> usize {
        if self.no_range { 1 } else { self.ranges }
    }

    /// The server answers at most `most` ranges per request.
    pub fn ranges_at_most(&mut self, most: usize) {
        self.ranges = self.ranges.min(most.max(1));
    }

    pub fn connected(&mut self) {
        self.active += 1;
    }

    pub fn disconnected(&mut self) {
        self.active -= 1;
    }

    /// Every connection was aborted at once (the download stopped).
    pub fn all_disconnected(&mut self) {
        self.active = 0;
    }

    /// Body bytes arrived from it.
    pub fn received(&mut self, bytes: u64) {
        self.bytes += bytes;
    }

    /// It delivered a verified piece at `speed` bytes per second; true for its first.
    pub fn delivered(&mut self, speed: f64) -> bool {
        self.record_speed(speed);
        self.consecutive_failures = 0;
        self.retry_at = None;
        self.pieces += 1;
        self.pieces == 1
    }

    /// Records the validators of an answer: `Err` when they say the file changed since
    /// its first answer (and nothing but them can tell the versions apart).
    pub fn answered(&mut self, seen: Validators, pieces_checked: bool) -> Result<(), Fault> {
        match &self.validators {
            None => {
                self.validators = Some(seen);
                Ok(())
            }
            Some(known) if known.changed(&seen) && !pieces_checked => Err(Fault::Changed),
            Some(_) => Ok(()),
        }
    }

    /// A request went wrong. What it costs the mirror is decided here: an answer that
    /// cannot be the file drops it; a busy server or a network fault backs it off
    /// (and drops it after too many in a row), unless the connection broke off after
    /// progress (good pieces, or part of one kept on disk), which is noted but neither;
    /// a bad piece was counted by `spoiled`.
    pub fn failed(&mut self, fault: Fault, after_progress: bool) {
        match &fault {
            Fault::Missing { .. }
            | Fault::Refused { .. }
            | Fault::ContentEncoding { .. }
            | Fault::WrongRange { .. }
            | Fault::NoContentRange
            | Fault::WrongSize { .. }
            | Fault::Changed
            | Fault::Tls(_)
            | Fault::Ftp(
                FtpFault::Missing { .. }
                | FtpFault::Refused { .. }
                | FtpFault::Login { .. }
                | FtpFault::NoTls { .. }
                | FtpFault::Protocol(_),
            ) => self.drop_for(DropReason::Unusable(fault.clone())),
            Fault::Network(NetError::TooSlow { bytes_per_second }) => {
                self.too_slow(*bytes_per_second as f64)
            }
            // An FTP server that takes no more connections from us: the ones running
            // are what it is worth.
            Fault::Ftp(FtpFault::Full { .. }) if self.active > 0 => {
                self.errors += 1;
                self.ramp.limit(self.active);
            }
            Fault::Busy { .. }
            | Fault::Network(_)
            | Fault::Ftp(
                FtpFault::Busy { .. } | FtpFault::Full { .. } | FtpFault::DataConnection { .. },
            ) if after_progress => self.errors += 1,
            Fault::Busy { retry_after, .. } => self.back_off(fault.clone(), *retry_after),
            Fault::Network(_)
            | Fault::Ftp(
                FtpFault::Busy { .. } | FtpFault::Full { .. } | FtpFault::DataConnection { .. },
            ) => self.back_off(fault.clone(), None),
            Fault::BadPiece { .. } => {}
        }
        self.last_error = Some(fault);
    }

    /// Its connection was far slower than the others: it rests a while (longer each
    /// time), so better mirrors get the work; never dropped for it (it may be the
    /// only one left).
    fn too_slow(&mut self, bytes_per_second: f64) {
        self.errors += 1;
        self.slow_spells += 1;
        self.speed = bytes_per_second;
        let exponent = (self.slow_spells - 1).min(4);
        self.retry_at = Some(Instant::now() + SLOW_REST * 2u32.pow(exponent));
    }

    /// A transient failure: back off exponentially with jitter, or as the server asked;
    /// drop the mirror after too many in a row.
    fn back_off(&mut self, fault: Fault, retry_after: Option<Duration>) {
        self.errors += 1;
        self.consecutive_failures += 1;
        if self.consecutive_failures >= MAX_CONSECUTIVE_FAILURES {
            self.drop_for(DropReason::Failures {
                count: self.consecutive_failures,
                last: fault,
            });
        } else {
            let exponent = self.consecutive_failures.saturating_sub(1).min(8);
            let backoff = (BASE_BACKOFF * 2u32.pow(exponent)).min(MAX_BACKOFF);
            let wait = retry_after
                .unwrap_or(backoff + jitter(backoff / 2))
                .min(MAX_BACKOFF * 4);
            self.retry_at = Some(Instant::now() + wait);
        }
    }

    /// The mirror sent a piece that failed its hash.
    pub fn spoiled(&mut self, piece: usize) {
        self.bad_pieces += 1;
        self.banned.insert(piece);
        self.last_error = Some(Fault::BadPiece { piece });
        let mostly_bad = u64::from(self.bad_pieces) * GOOD_PER_BAD >= self.pieces;
        if self.bad_pieces >= MAX_BAD_PIECES_EVER
            || (self.bad_pieces >= MAX_BAD_PIECES && mostly_bad)
        {
            self.drop_for(DropReason::BadPieces {
                count: self.bad_pieces,
            });
        }
    }

    fn drop_for(&mut self, reason: DropReason) {
        if self.dropped.is_none() {
            self.dropped = Some(reason);
        }
    }

    /// Why it cannot help finish the download, when no mirror can.
    pub fn failure(&self) -> MirrorFailure {
        let reason = match (&self.dropped, &self.last_error) {
            (Some(dropped), _) => MirrorReason::Dropped(dropped.clone()),
            (None, Some(fault)) => MirrorReason::Failed(fault.clone()),
            (None, None) => MirrorReason::NothingUsable,
        };
        MirrorFailure {
            url: self.url.clone(),
            reason,
        }
    }

    /// How it looks from outside, `elapsed` seconds after the last look: its speed is
    /// the bytes it sent since then, as the download's is, so the mirrors' speeds add up
    /// to the download's (its per-connection speed times its connections would not: a
    /// connection waiting for its next request sends nothing).
    pub fn status(&mut self, elapsed: f64) -> MirrorStatus {
        let sent = self.bytes - self.bytes_at_last_look;
        self.bytes_at_last_look = self.bytes;
        MirrorStatus {
            url: self.url.clone(),
            location: self.location.clone(),
            priority: self.priority,
            connections: self.active,
            bytes: self.bytes,
            speed: sent as f64 / elapsed,
            errors: self.errors,
            bad_pieces: self.bad_pieces,
            dropped: self.dropped.clone(),
        }
    }

    /// Judges the current connection count (called a few times a second), within
    /// `per_origin` (one for a server that ignores ranges).
    pub fn adapt(&mut self, now: Instant, per_origin: usize) {
        let cap = if self.no_range { 1 } else { per_origin };
        let bytes = self.bytes;
        let ramp = &mut self.ramp;
        let elapsed = now.saturating_duration_since(ramp.phase_start);
        // Only a phase in which every allowed connection ran says what they are worth.
        if self.pieces == 0 || self.active < ramp.allowed.min(cap) {
            ramp.phase_start = now;
            ramp.phase_bytes = bytes;
            return;
        }
        if elapsed < MEASURE {
            return;
        }
        let rate = (bytes - ramp.phase_bytes) as f64 / elapsed.as_secs_f64();
        ramp.phase_start = now;
        ramp.phase_bytes = bytes;
        if ramp.settled_until.is_some_and(|until| now < until) {
            return;
        }
        match ramp.baseline {
            Some(base) if rate < base * WORTHWHILE_GAIN => {
                // The last step added nothing: go back and stay there a while.
                ramp.allowed = ramp.previous;
                ramp.baseline = None;
                ramp.settled_until = Some(now + SETTLE);
            }
            _ if ramp.allowed >= cap => {
                ramp.baseline = None;
                ramp.settled_until = Some(now + SETTLE);
            }
            _ => {
                // Doubling finds a server's worth in few steps (1, 2, 4…): each step
                // is a measuring phase in which the download runs below it.
                ramp.baseline = Some(rate);
                ramp.previous = ramp.allowed;
                ramp.allowed = (ramp.allowed * 2).min(cap);
                ramp.settled_until = None;
            }
        }
    }

    fn record_speed(&mut self, bytes_per_second: f64) {
        self.speed = if self.speed == 0.0 {
            bytes_per_second
        } else {
            0.7 * self.speed + 0.3 * bytes_per_second
        };
    }
}

/// `scheme://host:port` of a URL (the port made explicit).
pub fn origin(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => format!(
            "{}://{}:{}",
            u.scheme(),
            u.host_str().unwrap_or(""),
            u.port_or_known_default().unwrap_or(0)
        ),
        Err(_) => url.to_owned(),
    }
}

/// Up to `max` of pseudo-random delay, so clients that failed together retry apart.
fn jitter(max: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut x = u64::from(nanos) ^ 0x9e37_79b9_7f4a_7c15;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    max.mul_f64((x % 1000) as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_include_the_port() {
        assert_eq!(origin("http://127.0.0.2/x"), "http://127.0.0.2:80");
        assert_eq!(origin("https://a.example:8443/x"), "https://a.example:8443");
        assert_ne!(
            origin("http://127.0.0.1:8001/a"),
            origin("http://127.0.0.1:8002/a")
        );
    }

    #[test]
    fn sporadic_bad_pieces_on_a_good_mirror_are_tolerated() {
        let mut m = Mirror::new("http://a/", None, 1);
        m.pieces = 100;
        for piece in 0..MAX_BAD_PIECES as usize + 2 {
            m.spoiled(piece);
        }
        assert!(m.dropped.is_none(), "5 bad in 100 good");
        for piece in 10..10 + MAX_BAD_PIECES_EVER as usize {
            m.spoiled(piece);
        }
        assert!(m.dropped.is_some());
    }

    #[test]
    fn repeated_bad_pieces_drop_the_mirror() {
        let mut m = Mirror::new("http://a/", None, 1);
        m.spoiled(3);
        assert!(m.banned.contains(&3));
        assert!(m.dropped.is_none());
        m.spoiled(4);
        m.spoiled(5);
        assert_eq!(m.dropped, Some(DropReason::BadPieces { count: 3 }));
    }

    /// Feeds `adapt` a phase of MEASURE at `rate` bytes per second with every allowed
    /// connection running.
    fn phase(m: &mut Mirror, start: Instant, rate: f64) -> Instant {
        m.active = m.ramp.allowed;
        let end = start + MEASURE;
        m.bytes += (rate * MEASURE.as_secs_f64()) as u64;
        m.adapt(end, 4);
        end
    }

    #[test]
    fn a_capped_server_keeps_one_connection() {
        let mut m = Mirror::new("http://a/", None, 1);
        m.pieces = 1;
        let start = Instant::now();
        m.active = 1;
        m.adapt(start, 4); // starts the first phase
        let t = phase(&mut m, start, 40e6);
        assert_eq!(m.ramp.allowed, 2, "one more is tried");
        phase(&mut m, t, 40e6);
        assert_eq!(m.ramp.allowed, 1, "it brought nothing");
    }

    #[test]
    fn per_connection_limits_earn_more_connections() {
        let mut m = Mirror::new("http://a/", None, 1);
        m.pieces = 1;
        let mut t = Instant::now();
        m.active = 1;
        m.adapt(t, 4);
        t = phase(&mut m, t, 1e6);
        assert_eq!(m.ramp.allowed, 2, "doubled");
        t = phase(&mut m, t, 2e6);
        assert_eq!(m.ramp.allowed, 4, "doubled again, to the origin limit");
        t = phase(&mut m, t, 4e6);
        phase(&mut m, t, 4e6);
        assert_eq!(m.ramp.allowed, 4);
    }

    #[test]
    fn failures_back_off_then_drop() {
        let mut m = Mirror::new("http://a/", None, 1);
        let busy = Fault::Busy {
            status: 503,
            retry_after: Some(Duration::from_secs(2)),
        };
        m.failed(busy, false);
        assert!(!m.available(Instant::now()));
        let reset = Fault::Network(super::super::NetError::Other("reset".into()));
        m.failed(reset.clone(), true);
        assert!(
            m.dropped.is_none(),
            "a break after good pieces is no failure"
        );
        for _ in 0..MAX_CONSECUTIVE_FAILURES {
            m.failed(reset.clone(), false);
        }
        assert_eq!(
            m.dropped,
            Some(DropReason::Failures {
                count: MAX_CONSECUTIVE_FAILURES,
                last: reset
            })
        );
    }

    #[test]
    fn answers_that_are_not_the_file_drop_the_mirror_at_once() {
        let mut m = Mirror::new("http://a/", None, 1);
        let coded = Fault::ContentEncoding {
            coding: "gzip".into(),
        };
        m.failed(coded.clone(), true);
        assert_eq!(m.dropped, Some(DropReason::Unusable(coded)));
    }
}
