//! Requests for several byte ranges at once, answered the ways real servers answer
//! them: a `multipart/byteranges` body (nginx, Apache, lighttpd), the whole file (S3,
//! nginx over its `max_ranges`), only the first range, one range spanning them all
//! (coalesced), or 416.

use axum::http::{HeaderMap, header};

/// How a mirror answers a request for several ranges.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MultiRange {
    /// `206` with a `multipart/byteranges` body, one part per range.
    #[default]
    Multipart,
    /// `200` with the whole file, as if no range were asked.
    Whole,
    /// `206` with the first range only.
    FirstOnly,
    /// `206` with one range from the first asked byte to the last.
    Coalesce,
    /// `416 Range Not Satisfiable`.
    Refuse,
}

/// What to send for the asked ranges.
pub(super) enum Reply {
    Whole,
    /// One range `[start, end)`.
    One(u64, u64),
    /// Several, each `[start, end)`.
    Parts(Vec<(u64, u64)>),
    Unsatisfiable,
}

/// The ranges of `bytes=a-b,c-,…` within a file of `len` bytes, `[start, end)` each;
/// `None` without a Range header or with one that is not understood.
pub(super) fn parse(headers: &HeaderMap, len: u64) -> Option<Vec<(u64, u64)>> {
    let value = headers.get(header::RANGE)?.to_str().ok()?;
    let last = len.checked_sub(1)?;
    value
        .strip_prefix("bytes=")?
        .split(',')
        .map(|spec| {
            let (start, end) = spec.trim().split_once('-')?;
            let start: u64 = start.parse().ok()?;
            let end: u64 = if end.is_empty() {
                last
            } else {
                end.parse::<u64>().ok()?.min(last)
            };
            (start <= end).then_some((start, end + 1))
        })
        .collect()
}

/// The one range a request asks for; `None` for none, several, or one not understood.
pub(super) fn single(headers: &HeaderMap, len: u64) -> Option<(u64, u64)> {
    match parse(headers, len)?.as_slice() {
        &[range] => Some(range),
        _ => None,
    }
}

/// What a mirror answering `how` sends for `ranges`.
pub(super) fn reply(ranges: Vec<(u64, u64)>, how: MultiRange) -> Reply {
    match (ranges.as_slice(), how) {
        ([], _) => Reply::Whole,
        (&[(start, end)], _) => Reply::One(start, end),
        (_, MultiRange::Multipart) => Reply::Parts(ranges),
        (_, MultiRange::Whole) => Reply::Whole,
        (&[(start, end), ..], MultiRange::FirstOnly) => Reply::One(start, end),
        (_, MultiRange::Coalesce) => {
            let start = ranges.iter().map(|r| r.0).min().unwrap_or(0);
            let end = ranges.iter().map(|r| r.1).max().unwrap_or(0);
            Reply::One(start, end)
        }
        (_, MultiRange::Refuse) => Reply::Unsatisfiable,
    }
}

/// The boundary between parts.
pub(super) const BOUNDARY: &str = "00000000000000000042";

/// What a multipart body is made of, in order.
pub(super) enum Segment {
    /// Boundary lines and part headers.
    Literal(bytes::Bytes),
    /// The file's bytes `[start, end)`.
    File(u64, u64),
}

/// The segments of a multipart body for `parts` of a file of `len` bytes, as nginx
/// writes it, and its length.
pub(super) fn multipart(parts: &[(u64, u64)], len: u64) -> (Vec<Segment>, u64) {
    let mut segments = Vec::new();
    let mut total = 0;
    for &(start, end) in parts {
        let head = format!(
            "\r\n--{BOUNDARY}\r\nContent-Type: application/octet-stream\r\n\
             Content-Range: bytes {start}-{}/{len}\r\n\r\n",
            end - 1
        );
        total += head.len() as u64 + (end - start);
        segments.push(Segment::Literal(head.into()));
        segments.push(Segment::File(start, end));
    }
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    total += tail.len() as u64;
    segments.push(Segment::Literal(tail.into()));
    (segments, total)
}
