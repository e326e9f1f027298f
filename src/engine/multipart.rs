//! Several byte ranges in one request (RFC 9110 §14.2, §14.6): the `Range` header for
//! them, and reading the answer back into the bytes that were wanted, in order.
//!
//! A zsync update or a repair wants many short, scattered stretches of a file; one
//! request for each costs a round trip and a response's headers apiece. Asked together,
//! a server answers `206` with a `multipart/byteranges` body: each part names its bytes
//! in its own `Content-Range`. Servers may coalesce ranges (one part, or a plain `206`,
//! spanning several with the gaps between), and an answer's bytes beyond what was
//! wanted are read past. What the connection sees is only the wanted bytes, one range
//! after the other, as if the file had no gaps: it cuts them into pieces as it cuts a
//! single range's body, and checks each piece as always.
//!
//! - [`Ranges`]: the ranges a request asks for, merged across gaps cheaper to fetch than
//!   to skip, within a count and a header length servers accept;
//! - [`Parts`]: an answer's body as the wanted bytes (a multipart one, or a coalesced
//!   single range), with typed faults when it does not hold them.

use std::collections::VecDeque;
use std::ops::Range;

use bytes::{Buf, Bytes, BytesMut};

use super::http;
use super::{Fault, NetError};

/// Ranges in one request at most. Apache answers more than 200 (`MaxRanges`) with the
/// whole file; nginx and lighttpd take any number.
pub(crate) const MAX_RANGES: usize = 100;
/// Characters of the `Range` value at most: servers refuse header lines over 8 KiB
/// (nginx's `large_client_header_buffers`, Apache's `LimitRequestFieldSize`).
const MAX_HEADER: usize = 4000;
/// Bytes a range costs beyond its data: its place in the `Range` header, and its part's
/// boundary line, `Content-Type` and `Content-Range` in the answer. A gap no longer than
/// this is cheaper fetched with its neighbours than skipped.
const PART_OVERHEAD: u64 = 128;
/// Part headers longer than this are not a server's.
const MAX_PART_HEADERS: usize = 16 * 1024;
/// A coalesced answer may carry this much beyond the wanted bytes and their gaps' worth
/// of part headers before fetching range by range is the cheaper way.
const MAX_SPARE: u64 = 64 * 1024;

/// The ranges one request asks for: the wanted ones, each gap no longer than
/// [`PART_OVERHEAD`] fetched rather than skipped.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ranges {
    asked: Vec<Range<u64>>,
    header: usize,
    most: usize,
    most_header: usize,
}

impl Ranges {
    /// Ranges for a request of at most `most` of them (one for a server without
    /// multi-range support).
    pub fn new(most: usize) -> Self {
        Ranges {
            asked: Vec::new(),
            header: "bytes=".len(),
            most: most.clamp(1, MAX_RANGES),
            most_header: MAX_HEADER,
        }
    }

    /// Ranges for wanted bytes already sized to fit a request (by [`Ranges::new`]).
    fn unbounded() -> Self {
        Ranges {
            most: usize::MAX,
            most_header: usize::MAX,
            ..Ranges::new(1)
        }
    }

    /// Adds the wanted bytes `range` (after those added before), unless the request
    /// would hold too many ranges or too long a header: then `false`, and nothing changed.
    pub fn push(&mut self, range: Range<u64>) -> bool {
        if let Some(last) = self.asked.last_mut()
            && range.start <= last.end + PART_OVERHEAD
        {
            let before = spec_len(last);
            let merged = last.start..range.end.max(last.end);
            let after = spec_len(&merged);
            if self.header + after - before > self.most_header {
                return false;
            }
            self.header += after - before;
            *last = merged;
            return true;
        }
        let added = spec_len(&range) + usize::from(!self.asked.is_empty());
        if self.asked.len() == self.most || self.header + added > self.most_header {
            return false;
        }
        self.header += added;
        self.asked.push(range);
        true
    }

    /// How many ranges the request asks for.
    pub fn len(&self) -> usize {
        self.asked.len()
    }

    /// The value of the `Range` header: `bytes=0-99,200-299`.
    pub fn header(&self) -> String {
        let specs: Vec<String> = self
            .asked
            .iter()
            .map(|r| format!("{}-{}", r.start, r.end - 1))
            .collect();
        format!("bytes={}", specs.join(","))
    }

    /// From the first asked byte to the last.
    fn span(&self) -> Range<u64> {
        match (self.asked.first(), self.asked.last()) {
            (Some(first), Some(last)) => first.start..last.end,
            _ => 0..0,
        }
    }
}

/// The ranges to ask for to get `wanted` (in order, apart; a window that
/// [`Ranges::new`] sized).
pub(crate) fn ranges_for(wanted: &[Range<u64>]) -> Ranges {
    let mut ranges = Ranges::unbounded();
    for range in wanted {
        ranges.push(range.clone());
    }
    ranges
}

/// Length of `a-b` for a range.
fn spec_len(range: &Range<u64>) -> usize {
    digits(range.start) + 1 + digits(range.end - 1)
}

fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// How a server answered a request for several ranges.
pub(crate) enum Answer {
    /// The wanted bytes, as far as `covers` (the end of the last byte the body holds).
    Parts { body: Box<Parts>, covers: u64 },
    /// It does not serve several ranges at once (the whole file, a refusal, or an
    /// answer that is not one): ask it for one range at a time.
    OneAtATime,
}

/// Reads a `206` to a multi-range request: a `multipart/byteranges` body, or one range
/// that covers at least the first wanted byte (a server that coalesced them, or serves
/// only the first). `Err` for what does not fit the file at all.
pub(crate) fn answer(
    response: reqwest::Response,
    asked: &Ranges,
    wanted: Vec<Range<u64>>,
    size: u64,
) -> Result<Answer, Fault> {
    let headers = response.headers();
    let span = asked.span();
    let wanted_bytes: u64 = wanted.iter().map(|r| r.end - r.start).sum();
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Some(boundary) = boundary(content_type) {
        let reader = Reader::Multipart(Multipart::new(&boundary, size, span.clone()));
        return Ok(Answer::Parts {
            body: Box::new(Parts::new(response, reader, wanted)),
            covers: span.end,
        });
    }
    let Some((start, last, total)) = headers
        .get(reqwest::header::CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(http::parse_content_range)
    else {
        return Ok(Answer::OneAtATime);
    };
    if total.is_some_and(|t| t != size) || start > span.start {
        return Err(Fault::WrongRange {
            asked: span,
            got: start..last + 1,
            total,
        });
    }
    // One range for all: worth reading unless its gaps cost more than asking range by
    // range would.
    let carried = last + 1 - start;
    let spare = carried.saturating_sub(wanted_bytes);
    if spare > MAX_SPARE + asked.len() as u64 * PART_OVERHEAD {
        return Ok(Answer::OneAtATime);
    }
    Ok(Answer::Parts {
        body: Box::new(Parts::new(response, Reader::Single { at: start }, wanted)),
        covers: (last + 1).min(span.end),
    })
}

/// The boundary of a `multipart/byteranges` content type, unquoted.
fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let kind = params.next()?.trim();
    if !kind.eq_ignore_ascii_case("multipart/byteranges") {
        return None;
    }
    params.find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty() && b.len() <= 70)
    })
}

/// A multi-range answer's body, yielding only the wanted bytes in order.
pub(crate) struct Parts {
    response: reqwest::Response,
    reader: Reader,
    picker: Picker,
    ready: VecDeque<Bytes>,
    /// The server's body ended.
    ended: bool,
}

impl Parts {
    fn new(response: reqwest::Response, reader: Reader, wanted: Vec<Range<u64>>) -> Self {
        Parts {
            response,
            reader,
            picker: Picker::new(wanted),
            ready: VecDeque::new(),
            ended: false,
        }
    }

    /// When the answer closed (its last boundary came) without all the wanted bytes,
    /// having held this many parts: a server that serves only so many ranges per
    /// request (lighttpd: 10).
    pub fn fewer_than_asked(&self) -> Option<usize> {
        match &self.reader {
            Reader::Multipart(multipart) if self.reader.closed() && !self.picker.done() => {
                Some(multipart.parts)
            }
            _ => None,
        }
    }

    /// What identifies the file's version in the answer.
    pub fn validators(&self) -> http::Validators {
        http::Validators::from_headers(self.response.headers())
    }

    /// The next wanted bytes, `None` once they are all in (or the body ended short:
    /// the reader notices the missing bytes). Dropping the future loses nothing.
    pub async fn next(&mut self) -> Result<Option<Bytes>, Fault> {
        loop {
            if let Some(bytes) = self.ready.pop_front() {
                return Ok(Some(bytes));
            }
            if self.ended || self.picker.done() {
                return Ok(None);
            }
            if self.reader.closed() {
                // The closing boundary came: nothing more will.
                self.ended = true;
                continue;
            }
            match self.response.chunk().await {
                Ok(Some(chunk)) => self.feed(chunk)?,
                Ok(None) => {
                    self.ended = true;
                    self.reader.finished()?;
                }
                Err(e) => return Err(http::request_fault(&e)),
            }
        }
    }

    fn feed(&mut self, chunk: Bytes) -> Result<(), Fault> {
        let picker = &mut self.picker;
        let ready = &mut self.ready;
        self.reader
            .feed(chunk, &mut |at, data| picker.take(at, data, ready))
    }

    /// Reads what is left of the answer (the closing boundary, bytes of a coalesced
    /// range past the last wanted one) if it is short, so the connection can carry the
    /// next request; a long rest is left, and the connection with it.
    pub async fn finish(mut self) {
        const MOST: usize = 64 * 1024;
        let mut rest = 0;
        let drain = async {
            while rest < MOST {
                match self.response.chunk().await {
                    Ok(Some(chunk)) => rest += chunk.len(),
                    _ => break,
                }
            }
        };
        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), drain).await;
    }
}

/// Where the body's bytes belong in the file.
enum Reader {
    /// One range from `at`, its bytes in order.
    Single {
        at: u64,
    },
    Multipart(Multipart),
}

impl Reader {
    /// Passes each stretch of file bytes in `chunk` to `take` with its offset.
    fn feed(
        &mut self,
        chunk: Bytes,
        take: &mut dyn FnMut(u64, Bytes) -> Result<(), Fault>,
    ) -> Result<(), Fault> {
        match self {
            Reader::Single { at } => {
                let start = *at;
                *at += chunk.len() as u64;
                take(start, chunk)
            }
            Reader::Multipart(multipart) => multipart.feed(chunk, take),
        }
    }

    /// Whether a multipart body's closing boundary came.
    fn closed(&self) -> bool {
        matches!(
            self,
            Reader::Multipart(Multipart {
                state: State::Epilogue,
                ..
            })
        )
    }

    /// The body ended: a multipart one must have ended between parts.
    fn finished(&self) -> Result<(), Fault> {
        match self {
            Reader::Multipart(Multipart {
                state: State::Data { .. },
                ..
            }) => Err(Fault::Network(NetError::ClosedEarly)),
            _ => Ok(()),
        }
    }
}

/// A `multipart/byteranges` body being read: boundary lines, part headers, part data.
struct Multipart {
    /// `--boundary`.
    delimiter: Vec<u8>,
    size: u64,
    /// What was asked, for the fault when a part is outside it.
    asked: Range<u64>,
    state: State,
    /// Bytes of boundary lines and headers not yet understood.
    pending: BytesMut,
    /// Parts begun.
    parts: usize,
}

enum State {
    /// Before a delimiter line (the preamble, or after a part's data).
    Delimiter,
    /// In a part's header lines.
    Headers,
    /// In a part's data: the file's bytes from `at`, `left` of them still to come.
    Data { at: u64, left: u64 },
    /// After the closing delimiter.
    Epilogue,
}

impl Multipart {
    fn new(boundary: &str, size: u64, asked: Range<u64>) -> Self {
        Multipart {
            delimiter: format!("--{boundary}").into_bytes(),
            size,
            asked,
            state: State::Delimiter,
            pending: BytesMut::new(),
            parts: 0,
        }
    }

    fn feed(
        &mut self,
        mut chunk: Bytes,
        take: &mut dyn FnMut(u64, Bytes) -> Result<(), Fault>,
    ) -> Result<(), Fault> {
        loop {
            match self.state {
                State::Data { at, left } => {
                    if chunk.is_empty() {
                        return Ok(());
                    }
                    let n = (left as usize).min(chunk.len());
                    let data = chunk.split_to(n);
                    self.state = if n as u64 == left {
                        State::Delimiter
                    } else {
                        State::Data {
                            at: at + n as u64,
                            left: left - n as u64,
                        }
                    };
                    take(at, data)?;
                }
                State::Epilogue => return Ok(()),
                State::Delimiter | State::Headers => {
                    self.pending.extend_from_slice(&chunk);
                    chunk = Bytes::new();
                    if !self.advance()? {
                        if self.pending.len() > MAX_PART_HEADERS {
                            return Err(Fault::NoContentRange);
                        }
                        return Ok(());
                    }
                    // The data of a part may have come with its headers.
                    if matches!(self.state, State::Data { .. }) {
                        chunk = self.pending.split().freeze();
                    }
                }
            }
        }
    }

    /// Reads a delimiter line or a part's headers from `pending`; `false` when more
    /// bytes are needed.
    fn advance(&mut self) -> Result<bool, Fault> {
        match self.state {
            State::Delimiter => {
                let Some(at) = find(&self.pending, &self.delimiter) else {
                    return Ok(false);
                };
                let after = at + self.delimiter.len();
                // `--boundary--` closes; `--boundary` then the line's end opens a part.
                if self.pending.len() < after + 2 {
                    return Ok(false);
                }
                if &self.pending[after..after + 2] == b"--" {
                    self.state = State::Epilogue;
                    self.pending.clear();
                    return Ok(true);
                }
                let Some(eol) = find(&self.pending[after..], b"\n") else {
                    return Ok(false);
                };
                self.pending.advance(after + eol + 1);
                self.state = State::Headers;
                Ok(true)
            }
            State::Headers => {
                let Some((end, len)) = headers_end(&self.pending) else {
                    return Ok(false);
                };
                let headers = self.pending.split_to(end + len);
                let (start, last) = self.content_range(&headers[..end])?;
                self.parts += 1;
                self.state = State::Data {
                    at: start,
                    left: last + 1 - start,
                };
                Ok(true)
            }
            State::Data { .. } | State::Epilogue => Ok(true),
        }
    }

    /// The part's `Content-Range`, which must be of this file.
    fn content_range(&self, headers: &[u8]) -> Result<(u64, u64), Fault> {
        let text = String::from_utf8_lossy(headers);
        let value = text
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-range"))
            .map(|(_, value)| value.trim().to_owned())
            .ok_or(Fault::NoContentRange)?;
        let (start, last, total) =
            http::parse_content_range(&value).ok_or(Fault::NoContentRange)?;
        if total.is_some_and(|t| t != self.size) || last >= self.size {
            return Err(Fault::WrongRange {
                asked: self.asked.clone(),
                got: start..last + 1,
                total,
            });
        }
        Ok((start, last))
    }
}

/// Where the blank line after headers starts, and its length (`\r\n\r\n` or `\n\n`).
fn headers_end(bytes: &[u8]) -> Option<(usize, usize)> {
    // A part with no header lines at all starts with the blank line.
    if bytes.starts_with(b"\r\n") {
        return Some((0, 2));
    }
    if bytes.starts_with(b"\n") {
        return Some((0, 1));
    }
    let crlf = find(bytes, b"\r\n\r\n").map(|at| (at, 4));
    let lf = find(bytes, b"\n\n").map(|at| (at, 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Picks the wanted bytes out of the file bytes an answer carries, in order; bytes
/// already had or between wanted ranges are passed over.
struct Picker {
    wanted: Vec<Range<u64>>,
    /// The wanted range being filled.
    index: usize,
    /// The next wanted byte.
    next: u64,
}

impl Picker {
    fn new(wanted: Vec<Range<u64>>) -> Self {
        let next = wanted.first().map_or(0, |r| r.start);
        Picker {
            wanted,
            index: 0,
            next,
        }
    }

    fn done(&self) -> bool {
        self.index >= self.wanted.len()
    }

    /// File bytes `data` from offset `at`: what of them is wanted goes to `out`. Bytes
    /// past a wanted one that never came are a wrong answer.
    fn take(&mut self, at: u64, data: Bytes, out: &mut VecDeque<Bytes>) -> Result<(), Fault> {
        let end = at + data.len() as u64;
        while let Some(range) = self.wanted.get(self.index) {
            if at > self.next {
                return Err(Fault::WrongRange {
                    asked: self.next..range.end,
                    got: at..end,
                    total: None,
                });
            }
            if end <= self.next {
                return Ok(());
            }
            let stop = end.min(range.end);
            out.push_back(data.slice((self.next - at) as usize..(stop - at) as usize));
            self.next = stop;
            if stop < range.end {
                return Ok(());
            }
            self.index += 1;
            if let Some(following) = self.wanted.get(self.index) {
                self.next = following.start;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_merge_short_gaps_and_keep_to_the_caps() {
        let mut ranges = Ranges::new(3);
        assert!(ranges.push(0..100));
        assert!(ranges.push(150..200), "a 50-byte gap is fetched");
        assert!(ranges.push(10_000..10_100));
        assert!(ranges.push(20_000..20_100));
        assert!(
            !ranges.push(30_000..30_100),
            "a fourth range is one too many"
        );
        assert_eq!(ranges.header(), "bytes=0-199,10000-10099,20000-20099");
        assert_eq!(ranges.len(), 3);
        // Offsets of 19 digits: the header's length binds before the count.
        let mut long = Ranges::new(MAX_RANGES);
        let base = 5_000_000_000_000_000_000u64;
        let mut added = 0;
        while long.push(base + added * 1_000_000..base + added * 1_000_000 + 1) {
            added += 1;
        }
        assert!(long.header().len() <= MAX_HEADER && added < MAX_RANGES as u64);
        assert_eq!(
            ranges_for(&[0..1, 50..51, 5000..5001]).header(),
            "bytes=0-50,5000-5000"
        );
    }

    fn pick(wanted: Vec<Range<u64>>, segments: &[(u64, &[u8])]) -> Result<Vec<u8>, Fault> {
        let mut picker = Picker::new(wanted);
        let mut out = VecDeque::new();
        for (at, data) in segments {
            picker.take(*at, Bytes::copy_from_slice(data), &mut out)?;
        }
        Ok(out.iter().flat_map(|b| b.to_vec()).collect())
    }

    #[test]
    fn the_picker_passes_over_gaps_and_catches_missing_bytes() {
        let file: Vec<u8> = (0..=255).collect();
        // Coalesced into one part: the gap 4..10 is passed over.
        let got = pick(vec![2..4, 10..12], &[(0, &file[0..16])]).unwrap();
        assert_eq!(got, [2, 3, 10, 11]);
        // One part per range, split across chunks.
        let got = pick(
            vec![2..6, 10..12],
            &[(2, &file[2..3]), (3, &file[3..6]), (10, &file[10..12])],
        )
        .unwrap();
        assert_eq!(got, [2, 3, 4, 5, 10, 11]);
        // A part that starts after a wanted byte: that byte never comes.
        assert!(matches!(
            pick(vec![2..6, 10..12], &[(3, &file[3..6])]),
            Err(Fault::WrongRange { .. })
        ));
    }

    fn parse(body: &[u8], chunk: usize, size: u64) -> Result<Vec<(u64, Vec<u8>)>, Fault> {
        let mut multipart = Multipart::new("SEP", size, 0..size);
        let mut out = Vec::new();
        for piece in body.chunks(chunk) {
            multipart.feed(Bytes::copy_from_slice(piece), &mut |at, data| {
                out.push((at, data.to_vec()));
                Ok(())
            })?;
        }
        // Stretches split by chunks are joined back for the comparison.
        let mut joined: Vec<(u64, Vec<u8>)> = Vec::new();
        for (at, data) in out {
            match joined.last_mut() {
                Some((start, bytes)) if *start + bytes.len() as u64 == at => bytes.extend(data),
                _ => joined.push((at, data)),
            }
        }
        Ok(joined)
    }

    #[test]
    fn multipart_bodies_are_read_in_any_chunking() {
        let body = b"\r\n--SEP\r\nContent-Type: application/octet-stream\r\n\
            Content-Range: bytes 0-3/100\r\n\r\nabcd\r\n--SEP\r\n\
            content-range: bytes 50-51/100\r\n\r\n--\r\n--SEP--\r\n";
        for chunk in [1, 2, 7, 1000] {
            let parts = parse(body, chunk, 100).unwrap();
            assert_eq!(
                parts,
                vec![(0, b"abcd".to_vec()), (50, b"--".to_vec())],
                "chunks of {chunk}"
            );
        }
        // Without a preamble and with bare line feeds, as some servers write it.
        let body = b"--SEP\nContent-Range: bytes 5-6/100\n\nxy\n--SEP--\n";
        assert_eq!(parse(body, 3, 100).unwrap(), vec![(5, b"xy".to_vec())]);
    }

    #[test]
    fn parts_of_another_file_or_without_a_range_are_faults() {
        let other = b"--SEP\r\nContent-Range: bytes 0-1/99\r\n\r\nab\r\n--SEP--\r\n";
        assert!(matches!(
            parse(other, 100, 100),
            Err(Fault::WrongRange { .. })
        ));
        let none = b"--SEP\r\nContent-Type: text/plain\r\n\r\nab\r\n--SEP--\r\n";
        assert!(matches!(parse(none, 100, 100), Err(Fault::NoContentRange)));
    }

    #[test]
    fn boundaries_are_found_quoted_or_not() {
        assert_eq!(
            boundary("multipart/byteranges; boundary=00000000001").as_deref(),
            Some("00000000001")
        );
        assert_eq!(
            boundary("Multipart/Byteranges;boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(boundary("application/octet-stream"), None);
        assert_eq!(boundary("multipart/byteranges"), None);
    }
}
