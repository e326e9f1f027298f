//! Drag-and-drop onto the window: links and files, from every window system.
//!
//! winit, under iced 0.14, only hands over dropped *files*, and on Wayland nothing at
//! all. So each window system gets a receiver of Braid's own, attached to the window once
//! it is open: an XDND proxy on X11 (`x11`), drag offers on the clipboard's Wayland data
//! device (`wayland`), an `IDropTarget` on Windows (`win32`), an `NSView` drop handler
//! on macOS (`appkit`).
//! Each reads what the drag carries into a [`Dragged`] (see [`items`]) and sends
//! [`Event`]s to the window, which treats them like a paste: the sources go the one way
//! every source goes, to the add dialog or the queue.

#[cfg(target_os = "macos")]
mod appkit;
mod items;
#[cfg(all(unix, not(target_os = "macos")))]
mod wayland;
#[cfg(windows)]
mod win32;
#[cfg(all(unix, not(target_os = "macos")))]
mod x11;

pub use items::{Dragged, Item, MAX_PAYLOAD, PREFERRED_TYPES, is_metalink_file, preferred_type};

use raw_window_handle::{HasDisplayHandle, HasWindowHandle, RawWindowHandle};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// What a receiver saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A drag is over the window; what it carries once known (`None` until then).
    Over(Option<Dragged>),
    /// It left without a drop.
    Left,
    /// It was dropped with this.
    Dropped(Dragged),
}

/// Where receivers send their events; the window holds the other end.
#[derive(Debug, Clone)]
pub struct Sink(UnboundedSender<Event>);

impl Sink {
    fn send(&self, event: Event) {
        let _ = self.0.send(event);
    }

    /// Whether the window still listens.
    #[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(dead_code))]
    fn is_open(&self) -> bool {
        !self.0.is_closed()
    }
}

/// A sink for receivers and the stream of their events.
pub fn channel() -> (Sink, UnboundedReceiver<Event>) {
    let (sender, receiver) = unbounded_channel();
    (Sink(sender), receiver)
}

/// Attaches Braid's receiver to `window`; must run on the window's own thread (iced's
/// `window::run`). Says what it attached, or why nothing (the window system's own file
/// drops still work then).
pub fn attach(window: &(impl HasWindowHandle + HasDisplayHandle + ?Sized), sink: Sink) -> Attached {
    let handle = match window.window_handle() {
        Ok(handle) => handle.as_raw(),
        Err(e) => return Err(format!("no window handle: {e}")),
    };
    match handle {
        #[cfg(all(unix, not(target_os = "macos")))]
        RawWindowHandle::Xlib(h) => x11::attach(h.window as u32, sink),
        #[cfg(all(unix, not(target_os = "macos")))]
        RawWindowHandle::Xcb(h) => x11::attach(h.window.get(), sink),
        #[cfg(all(unix, not(target_os = "macos")))]
        RawWindowHandle::Wayland(_) => wayland::attach(sink),
        #[cfg(windows)]
        RawWindowHandle::Win32(h) => win32::attach(h.hwnd.get(), sink),
        #[cfg(target_os = "macos")]
        RawWindowHandle::AppKit(h) => appkit::attach(h.ns_view, sink),
        other => {
            let _ = sink;
            Err(format!("no drop receiver for {other:?}"))
        }
    }
}

/// What [`attach`] did.
pub type Attached = Result<String, String>;
