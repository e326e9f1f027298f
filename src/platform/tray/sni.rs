//! The tray on Linux: a StatusNotifierItem (with its dbusmenu) on the session bus,
//! served by ksni on a thread of its own. It registers with the
//! `org.kde.StatusNotifierWatcher` that desktop trays run; while none is there the icon
//! is not shown, and `hosted` says so (the window then quits when closed).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ksni::TrayMethods;
use ksni::menu::{CheckmarkItem, MenuItem, StandardItem};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use super::{Entry, MENU, TrayAction, TrayStatus};

/// Where the item and its menu live on the bus (ksni's paths), and how its well-known
/// name begins (`org.kde.StatusNotifierItem-PID-N`), for tests that look at them.
pub const ITEM_PATH: &str = "/StatusNotifierItem";
pub const MENU_PATH: &str = "/MenuBar";
pub const BUS_NAME_PREFIX: &str = "org.kde.StatusNotifierItem-";

/// How long connecting to the session bus may take before Braid goes on without a tray.
const CONNECT_WITHIN: Duration = Duration::from_secs(5);

struct Item {
    status: TrayStatus,
    actions: UnboundedSender<TrayAction>,
    hosted: Arc<AtomicBool>,
    icons: Vec<ksni::Icon>,
}

impl ksni::Tray for Item {
    fn id(&self) -> String {
        crate::platform::APP_ID.to_owned()
    }

    fn title(&self) -> String {
        "Braid".into()
    }

    fn category(&self) -> ksni::Category {
        ksni::Category::ApplicationStatus
    }

    fn icon_name(&self) -> String {
        crate::platform::APP_ID.to_owned()
    }

    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        self.icons.clone()
    }

    fn tool_tip(&self) -> ksni::ToolTip {
        ksni::ToolTip {
            icon_name: crate::platform::APP_ID.to_owned(),
            icon_pixmap: Vec::new(),
            title: "Braid".into(),
            description: self.status.summary.clone(),
        }
    }

    fn activate(&mut self, _x: i32, _y: i32) {
        let _ = self.actions.send(TrayAction::ToggleWindow);
    }

    fn menu(&self) -> Vec<MenuItem<Self>> {
        MENU.iter()
            .map(|entry| match entry {
                None => MenuItem::Separator,
                Some(entry) => {
                    let entry = *entry;
                    let label = entry.label(&self.status);
                    let action = entry.action(&self.status);
                    let activate = Box::new(move |item: &mut Item| {
                        if let TrayAction::QuitWhenDone(on) = action {
                            // Ticked at once; the app confirms with its next status.
                            item.status.quit_when_done = on;
                        }
                        let _ = item.actions.send(action);
                    });
                    match entry {
                        Entry::QuitWhenDone => CheckmarkItem {
                            label,
                            checked: self.status.quit_when_done,
                            activate,
                            ..Default::default()
                        }
                        .into(),
                        _ => StandardItem {
                            label,
                            activate,
                            ..Default::default()
                        }
                        .into(),
                    }
                }
            })
            .collect()
    }

    fn watcher_online(&self) {
        self.hosted.store(true, Ordering::Relaxed);
    }

    fn watcher_offline(&self, _reason: ksni::OfflineReason) -> bool {
        self.hosted.store(false, Ordering::Relaxed);
        // Keep serving: a tray may start later (a panel restarting, a late desktop).
        true
    }
}

/// Serves the item on a thread of its own; `Err` when there is no session bus.
pub(super) fn start(
    status: TrayStatus,
    actions: UnboundedSender<TrayAction>,
    mut updates: UnboundedReceiver<TrayStatus>,
    hosted: Arc<AtomicBool>,
) -> Result<(), String> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("braid-tray".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = ready_tx.send(Err(e.to_string()));
                    return;
                }
            };
            runtime.block_on(async move {
                // Shown until a watcher says otherwise (ksni calls watcher_offline).
                hosted.store(true, Ordering::Relaxed);
                let item = Item {
                    status,
                    actions,
                    hosted: hosted.clone(),
                    icons: [22, 32, 48, 64].into_iter().filter_map(icon).collect(),
                };
                let handle = match item.assume_sni_available(true).spawn().await {
                    Ok(handle) => handle,
                    Err(e) => {
                        hosted.store(false, Ordering::Relaxed);
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                while let Some(mut status) = updates.recv().await {
                    // Only the newest status matters.
                    while let Ok(newer) = updates.try_recv() {
                        status = newer;
                    }
                    handle
                        .update(|item| {
                            if item.status != status {
                                item.status = status;
                            }
                        })
                        .await;
                }
                handle.shutdown().await;
            });
        })
        .map_err(|e| e.to_string())?;
    ready_rx
        .recv_timeout(CONNECT_WITHIN)
        .map_err(|_| "the session bus did not answer".to_owned())?
}

/// The icon at `size` pixels in ARGB32, network byte order, as the spec wants.
fn icon(size: u32) -> Option<ksni::Icon> {
    let rgba = super::icon_rgba(size)?;
    let data = rgba
        .chunks_exact(4)
        .flat_map(|p| [p[3], p[0], p[1], p[2]])
        .collect();
    Some(ksni::Icon {
        width: size as i32,
        height: size as i32,
        data,
    })
}
