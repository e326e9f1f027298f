//! A timeline of a download's requests, for finding where its time goes: with
//! `BRAID_TIMELINE` set in the environment, each claim of work, request, answer, verified
//! piece, broken-off piece and connection end is written to standard error as
//! `TL <seconds since the first line> <what>`. It showed why three lighttpd mirrors took
//! 1.13–1.26× the ideal time (a holder waiting for its server's next second was never
//! copied). Unset, a line costs one look at a `OnceLock`, and its text is never made.

use std::fmt::Arguments;
use std::sync::OnceLock;
use std::time::Instant;

/// Writes `what` to the timeline, if one is kept.
pub(crate) fn note(what: Arguments) {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    let start = START.get_or_init(|| std::env::var_os("BRAID_TIMELINE").map(|_| Instant::now()));
    if let Some(start) = start {
        eprintln!("TL {:.4} {what}", start.elapsed().as_secs_f64());
    }
}
