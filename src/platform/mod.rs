//! What Braid needs from the desktop: per-user folders, one running instance,
//! notifications, and opening files and folders with the user's programs.

pub mod desktop_opens;
pub mod drop;
pub mod instance;
pub mod native_messaging;
pub mod notify;
pub mod open;
pub mod paths;
pub mod register;
pub mod tray;

/// The reverse-DNS id used everywhere: desktop file, window app id, icon, notifications.
pub const APP_ID: &str = "io.github.braid.Braid";
