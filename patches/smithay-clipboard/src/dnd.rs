//! Drag-and-drop onto the application's surfaces (added for Braid).
//!
//! A Wayland client has one data device per seat, and it carries both the clipboard and
//! drag-and-drop; compositors such as Mutter keep one device per client, so a second
//! device made for drops breaks the clipboard. This crate already owns that device, so it
//! serves the drops too and hands what they carry to the [`DropTarget`] set with
//! [`set_drop_target`]. Without one, drags are refused as before.

use std::io::{Error, ErrorKind, Read, Result};
use std::os::fd::AsRawFd;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What the application does with drags.
pub trait DropTarget: Send {
    /// A drag entered one of the application's surfaces offering `mime_types`: the type
    /// to take, or `None` to refuse it.
    fn enter(&mut self, mime_types: &[String]) -> Option<String>;

    /// The drag's data in the type taken: read once while it hovers (`dropped` false), so
    /// the application can say what a drop would do, and once more when it is dropped.
    fn data(&mut self, mime: &str, data: Result<Vec<u8>>, dropped: bool);

    /// The drag left without being dropped.
    fn leave(&mut self);
}

static TARGET: Mutex<Option<Box<dyn DropTarget>>> = Mutex::new(None);

/// Sets (or replaces) the target for drags onto this process's surfaces.
pub fn set_drop_target(target: Box<dyn DropTarget>) {
    *TARGET.lock().unwrap_or_else(|e| e.into_inner()) = Some(target);
}

pub(crate) fn with_target<R>(f: impl FnOnce(&mut dyn DropTarget) -> R) -> Option<R> {
    let mut target = TARGET.lock().unwrap_or_else(|e| e.into_inner());
    match target.as_mut() {
        Some(target) => Some(f(target.as_mut())),
        None => None,
    }
}

/// At most this much of a drag's data is read.
pub const MAX_DROP_BYTES: usize = 1 << 20;

/// Reads a drag's pipe to its end, at most [`MAX_DROP_BYTES`], giving up at `deadline`
/// (a source that never writes must not stall the clipboard thread for long).
pub(crate) fn read_pipe(mut pipe: impl Read + AsRawFd, deadline: Duration) -> Result<Vec<u8>> {
    let until = Instant::now() + deadline;
    let mut data = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Error::new(ErrorKind::TimedOut, "the drag source sent no data in time"));
        }
        let mut poll = libc::pollfd { fd: pipe.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        let millis = left.as_millis().clamp(1, i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd for the duration of the call.
        let ready = unsafe { libc::poll(&mut poll, 1, millis) };
        if ready < 0 {
            let error = Error::last_os_error();
            if error.kind() == ErrorKind::Interrupted {
                continue;
            }
            return Err(error);
        }
        if ready == 0 {
            continue;
        }
        match pipe.read(&mut buffer) {
            Ok(0) => return Ok(data),
            Ok(n) => {
                data.extend_from_slice(&buffer[..n]);
                if data.len() >= MAX_DROP_BYTES {
                    data.truncate(MAX_DROP_BYTES);
                    return Ok(data);
                }
            },
            Err(e) if matches!(e.kind(), ErrorKind::Interrupted | ErrorKind::WouldBlock) => {},
            Err(e) => return Err(e),
        }
    }
}
