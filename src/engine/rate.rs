//! Bandwidth limits: a pacer per download and one for the whole engine. Bytes are
//! counted after they arrive; the connection then waits before reading more, so TCP
//! flow control slows the sender and the average stays at the limit.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Bytes that may arrive at once after an idle spell, as time at the limit.
const BURST: Duration = Duration::from_millis(100);

#[derive(Debug)]
pub struct RateLimiter {
    pacing: Mutex<Pacing>,
}

#[derive(Debug)]
struct Pacing {
    /// Bytes per second; `None` means no limit.
    rate: Option<u64>,
    /// When the bytes counted so far will have been "paid for" at the limit.
    paid_until: Instant,
}

impl RateLimiter {
    pub fn new(rate: Option<u64>) -> Self {
        RateLimiter {
            pacing: Mutex::new(Pacing {
                rate: rate.filter(|&r| r > 0),
                paid_until: Instant::now(),
            }),
        }
    }

    pub fn set(&self, rate: Option<u64>) {
        let mut pacing = self.pacing.lock().unwrap();
        pacing.rate = rate.filter(|&r| r > 0);
        pacing.paid_until = pacing.paid_until.min(Instant::now());
    }

    /// Counts `bytes` that arrived; returns when reading may go on (`None`: at once).
    pub fn account(&self, bytes: usize) -> Option<Instant> {
        let mut pacing = self.pacing.lock().unwrap();
        let rate = pacing.rate?;
        let now = Instant::now();
        let earliest = now.checked_sub(BURST).unwrap_or(now);
        let cost = Duration::from_secs_f64(bytes as f64 / rate as f64);
        pacing.paid_until = pacing.paid_until.max(earliest) + cost;
        (pacing.paid_until > now).then_some(pacing.paid_until)
    }
}

/// The limits one download is under: the engine's and its own.
#[derive(Debug, Clone)]
pub struct Rates {
    pub global: Arc<RateLimiter>,
    pub own: Arc<RateLimiter>,
}

impl Rates {
    /// Whether either limit is set (then slow connections are Braid's own doing).
    pub fn limited(&self) -> bool {
        self.global.pacing.lock().unwrap().rate.is_some()
            || self.own.pacing.lock().unwrap().rate.is_some()
    }

    /// Counts `bytes` that arrived against both limits and waits for the stricter.
    pub async fn pace(&self, bytes: usize) {
        let global = self.global.account(bytes);
        let own = self.own.account(bytes);
        if let Some(until) = global.max(own) {
            tokio::time::sleep_until(until.into()).await;
        }
    }
}

/// Text that is not a rate (the text as given, trimmed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a rate such as 500K, 2M or 1G")]
pub struct NotARate(pub String);

/// Parses a rate such as `500K`, `2M`, `1.5M`, `800000` (bytes per second; K, M and G
/// are powers of 1024, as in curl and wget). `0` means no limit.
pub fn parse_rate(text: &str) -> Result<Option<u64>, NotARate> {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    let lower = lower.strip_suffix("/s").unwrap_or(&lower);
    let lower = lower.strip_suffix('b').unwrap_or(lower);
    let (number, unit) = match lower.char_indices().last() {
        Some((i, 'k')) => (&lower[..i], 1u64 << 10),
        Some((i, 'm')) => (&lower[..i], 1 << 20),
        Some((i, 'g')) => (&lower[..i], 1 << 30),
        _ => (lower, 1),
    };
    let value: f64 = number
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| NotARate(trimmed.to_owned()))?;
    let bytes = (value * unit as f64).round() as u64;
    Ok((bytes > 0).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_with_binary_units() {
        assert_eq!(parse_rate("500K"), Ok(Some(500 * 1024)));
        assert_eq!(parse_rate("2m"), Ok(Some(2 << 20)));
        assert_eq!(parse_rate("1.5M"), Ok(Some(1_572_864)));
        assert_eq!(parse_rate("800000"), Ok(Some(800_000)));
        assert_eq!(parse_rate("1MB/s"), Ok(Some(1 << 20)));
        assert_eq!(parse_rate("0"), Ok(None));
        assert_eq!(parse_rate(" fast "), Err(NotARate("fast".into())));
        assert!(parse_rate("-1K").is_err());
    }

    #[test]
    fn pacing_follows_the_rate() {
        let limiter = RateLimiter::new(Some(1000));
        // The burst allowance covers the first 100 bytes.
        let start = Instant::now();
        assert!(limiter.account(100).is_none_or(|t| t <= start + BURST));
        let until = limiter.account(1000).expect("over the limit");
        let wait = until.saturating_duration_since(start);
        assert!(wait >= Duration::from_millis(900), "{wait:?}");
        assert!(wait <= Duration::from_millis(1100), "{wait:?}");
    }

    #[test]
    fn no_limit_never_waits() {
        let limiter = RateLimiter::new(None);
        assert!(limiter.account(1 << 30).is_none());
        limiter.set(Some(10));
        assert!(limiter.account(100).is_some());
        limiter.set(None);
        assert!(limiter.account(100).is_none());
    }
}
