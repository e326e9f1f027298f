//! Braid's icon in the system tray: the total speed in its tooltip, a menu to show or
//! hide the window, pause or resume everything, quit when the queue is done, and quit.
//! On Linux it is a StatusNotifierItem on the session bus (`sni.rs`, through ksni); on
//! Windows and macOS the system tray (`native.rs`, through tray-icon). The tray only
//! reports what the user chose ([`TrayAction`]); the app decides what it means.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[cfg(target_os = "linux")]
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

#[cfg(target_os = "linux")]
mod sni;
#[cfg(target_os = "linux")]
pub use sni::{BUS_NAME_PREFIX, ITEM_PATH, MENU_PATH};

#[cfg(any(windows, target_os = "macos"))]
mod native;

/// What the user chose in the tray.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    /// The icon was clicked, or "Show/Hide Braid" chosen.
    ToggleWindow,
    PauseAll,
    ResumeAll,
    /// "Quit when the queue is done" ticked or unticked.
    QuitWhenDone(bool),
    Quit,
}

/// What the tray shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrayStatus {
    /// The tooltip's line under "Braid": downloads running and their total speed.
    pub summary: String,
    pub window_shown: bool,
    pub quit_when_done: bool,
}

/// The running tray.
pub struct Tray {
    /// To the tray's own thread.
    #[cfg(target_os = "linux")]
    updates: UnboundedSender<TrayStatus>,
    /// The icon itself, on this (the main) thread.
    #[cfg(any(windows, target_os = "macos"))]
    native: native::Native,
    /// Whether a tray host shows the icon now (a StatusNotifierWatcher is there).
    hosted: Arc<AtomicBool>,
}

impl Tray {
    /// Puts the icon in the tray; `None` where there is no way to (no session bus,
    /// an unsupported system). Actions arrive on the receiver.
    pub fn start(status: TrayStatus) -> Option<(Tray, UnboundedReceiver<TrayAction>)> {
        let (actions, action_rx) = unbounded_channel();
        let hosted = Arc::new(AtomicBool::new(false));
        #[cfg(target_os = "linux")]
        {
            let (updates, update_rx) = unbounded_channel();
            sni::start(status, actions, update_rx, hosted.clone()).ok()?;
            Some((Tray { updates, hosted }, action_rx))
        }
        #[cfg(any(windows, target_os = "macos"))]
        {
            let native = native::Native::start(status, actions).ok()?;
            hosted.store(true, Ordering::Relaxed);
            Some((Tray { native, hosted }, action_rx))
        }
        #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
        {
            let _ = (status, actions, action_rx, hosted);
            None
        }
    }

    /// Shows `status`.
    pub fn show(&self, status: TrayStatus) {
        #[cfg(target_os = "linux")]
        let _ = self.updates.send(status);
        #[cfg(any(windows, target_os = "macos"))]
        self.native.show(&status);
        #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
        let _ = status;
    }

    /// Whether the icon is on screen now: closing the window then keeps Braid running.
    pub fn hosted(&self) -> bool {
        self.hosted.load(Ordering::Relaxed)
    }
}

/// The menu's entries in the user's language, in order (`None` is a separator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    ShowHide,
    PauseAll,
    ResumeAll,
    QuitWhenDone,
    Quit,
}

const MENU: [Option<Entry>; 7] = [
    Some(Entry::ShowHide),
    None,
    Some(Entry::PauseAll),
    Some(Entry::ResumeAll),
    None,
    Some(Entry::QuitWhenDone),
    Some(Entry::Quit),
];

impl Entry {
    fn label(self, status: &TrayStatus) -> String {
        use crate::i18n::t;
        match self {
            Entry::ShowHide if status.window_shown => t("tray-hide"),
            Entry::ShowHide => t("tray-show"),
            Entry::PauseAll => t("queue-pause-all"),
            Entry::ResumeAll => t("queue-resume-all"),
            Entry::QuitWhenDone => t("tray-quit-when-done"),
            Entry::Quit => t("tray-quit"),
        }
    }

    fn action(self, status: &TrayStatus) -> TrayAction {
        match self {
            Entry::ShowHide => TrayAction::ToggleWindow,
            Entry::PauseAll => TrayAction::PauseAll,
            Entry::ResumeAll => TrayAction::ResumeAll,
            Entry::QuitWhenDone => TrayAction::QuitWhenDone(!status.quit_when_done),
            Entry::Quit => TrayAction::Quit,
        }
    }
}

/// Braid's icon as RGBA rows (not premultiplied), `size` pixels square.
fn icon_rgba(size: u32) -> Option<Vec<u8>> {
    let svg = include_bytes!("../../../assets/io.github.braid.Braid.svg");
    let tree = resvg::usvg::Tree::from_data(svg, &resvg::usvg::Options::default()).ok()?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size)?;
    let scale = size as f32 / tree.size().width().max(tree.size().height());
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Some(
        pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_icon_renders_and_is_not_empty() {
        let rgba = super::icon_rgba(32).expect("the icon renders");
        assert_eq!(rgba.len(), 32 * 32 * 4);
        assert!(rgba.chunks(4).filter(|p| p[3] > 0).count() > 200);
    }
}
