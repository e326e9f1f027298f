//! Per-mirror bookkeeping for one download: connections, bytes, errors, back-off and
//! blame. A mirror that spoils a piece never gets that piece again; one that spoils
//! several, or keeps failing, is dropped with a reason the user can read.

use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Bad pieces a mirror may deliver before it is dropped for this file.
pub const MAX_BAD_PIECES: u32 = 3;
/// Failures in a row (errors, stalls, 5xx) before a mirror is dropped.
pub const MAX_CONSECUTIVE_FAILURES: u32 = 5;
const BASE_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct Mirror {
    pub url: String,
    /// `scheme://host:port`: connection limits are per origin, not per host name.
    pub origin: String,
    pub location: Option<String>,
    pub priority: u32,
    pub active: usize,
    pub bytes: u64,
    /// Verified pieces it delivered.
    pub pieces: u64,
    pub errors: u32,
    pub consecutive_failures: u32,
    pub bad_pieces: u32,
    /// Pieces this mirror delivered wrong: never asked of it again.
    pub banned: HashSet<usize>,
    pub retry_at: Option<Instant>,
    pub dropped: Option<String>,
    /// The server ignores Range: it can only stream the file from the start.
    pub no_range: bool,
    /// Bytes per second, smoothed.
    pub speed: f64,
    pub last_error: Option<String>,
    /// ETag / Last-Modified of its first answer (or as saved before a restart).
    pub validators: Option<super::http::Validators>,
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
            pieces: 0,
            errors: 0,
            consecutive_failures: 0,
            bad_pieces: 0,
            banned: HashSet::new(),
            retry_at: None,
            dropped: None,
            no_range: false,
            speed: 0.0,
            last_error: None,
            validators: None,
        }
    }

    /// Whether a new connection may start now.
    pub fn available(&self, now: Instant) -> bool {
        self.dropped.is_none() && self.retry_at.is_none_or(|at| at <= now)
    }

    pub fn succeeded(&mut self) {
        self.consecutive_failures = 0;
        self.retry_at = None;
    }

    /// A connection broke off after delivering good pieces: noted, but neither a
    /// back-off nor a step towards dropping the mirror.
    pub fn interrupted(&mut self, error: String) {
        self.errors += 1;
        self.last_error = Some(error);
    }

    /// A transient failure: back off exponentially with jitter, or as the server asked;
    /// drop the mirror after too many in a row.
    pub fn failed(&mut self, error: String, retry_after: Option<Duration>) {
        self.errors += 1;
        self.consecutive_failures += 1;
        if self.consecutive_failures >= MAX_CONSECUTIVE_FAILURES {
            self.drop_for(format!(
                "{} failures in a row, the last: {error}",
                self.consecutive_failures
            ));
        } else {
            let exponent = self.consecutive_failures.saturating_sub(1).min(8);
            let backoff = (BASE_BACKOFF * 2u32.pow(exponent)).min(MAX_BACKOFF);
            let wait = retry_after
                .unwrap_or(backoff + jitter(backoff / 2))
                .min(MAX_BACKOFF * 4);
            self.retry_at = Some(Instant::now() + wait);
        }
        self.last_error = Some(error);
    }

    /// The mirror sent a piece that failed its hash.
    pub fn spoiled(&mut self, piece: usize) {
        self.bad_pieces += 1;
        self.banned.insert(piece);
        self.last_error = Some(format!("piece {piece} failed its hash check"));
        if self.bad_pieces >= MAX_BAD_PIECES {
            self.drop_for(format!(
                "{} pieces failed their hash check",
                self.bad_pieces
            ));
        }
    }

    pub fn drop_for(&mut self, reason: String) {
        if self.dropped.is_none() {
            self.dropped = Some(reason);
        }
    }

    pub fn record_speed(&mut self, bytes_per_second: f64) {
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
    fn repeated_bad_pieces_drop_the_mirror() {
        let mut m = Mirror::new("http://a/", None, 1);
        m.spoiled(3);
        assert!(m.banned.contains(&3));
        assert!(m.dropped.is_none());
        m.spoiled(4);
        m.spoiled(5);
        assert!(m.dropped.as_deref().unwrap().contains("3 pieces failed"));
    }

    #[test]
    fn failures_back_off_then_drop() {
        let mut m = Mirror::new("http://a/", None, 1);
        m.failed("503".into(), Some(Duration::from_secs(2)));
        assert!(!m.available(Instant::now()));
        for _ in 0..MAX_CONSECUTIVE_FAILURES {
            m.failed("reset".into(), None);
        }
        assert!(m.dropped.is_some());
    }
}
