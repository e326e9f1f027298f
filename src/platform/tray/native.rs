//! The tray on Windows and macOS, through tray-icon (the system tray there is always
//! present). The icon and its menu belong to the main thread, where the window's event
//! loop runs: they are made in the app's boot and changed from its update, and their
//! events come back through tray-icon's handlers as [`TrayAction`]s.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::mpsc::UnboundedSender;
use tray_icon::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tray_icon::{Icon, MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};

use super::{Entry, MENU, TrayAction, TrayStatus};

pub(super) struct Native {
    icon: TrayIcon,
    show_hide: MenuItem,
    quit_when_done: CheckMenuItem,
    /// Mirrors the checkmark for the menu handler, which runs elsewhere.
    ticked: Arc<AtomicBool>,
}

impl Native {
    pub fn start(
        status: TrayStatus,
        actions: UnboundedSender<TrayAction>,
    ) -> Result<Native, String> {
        let menu = Menu::new();
        let mut ids = Vec::new();
        let show_hide = MenuItem::new(Entry::ShowHide.label(&status), true, None);
        let quit_when_done = CheckMenuItem::new(
            Entry::QuitWhenDone.label(&status),
            true,
            status.quit_when_done,
            None,
        );
        for entry in MENU {
            match entry {
                None => menu
                    .append(&PredefinedMenuItem::separator())
                    .map_err(|e| e.to_string())?,
                Some(Entry::ShowHide) => {
                    ids.push((show_hide.id().clone(), Entry::ShowHide));
                    menu.append(&show_hide).map_err(|e| e.to_string())?;
                }
                Some(Entry::QuitWhenDone) => {
                    ids.push((quit_when_done.id().clone(), Entry::QuitWhenDone));
                    menu.append(&quit_when_done).map_err(|e| e.to_string())?;
                }
                Some(entry) => {
                    let item = MenuItem::new(entry.label(&status), true, None);
                    ids.push((item.id().clone(), entry));
                    menu.append(&item).map_err(|e| e.to_string())?;
                }
            }
        }
        let rgba = super::icon_rgba(32).ok_or("the icon did not render")?;
        let icon = TrayIconBuilder::new()
            .with_menu(Box::new(menu))
            .with_tooltip(format!("Braid\n{}", status.summary))
            .with_icon(Icon::from_rgba(rgba, 32, 32).map_err(|e| e.to_string())?)
            .with_menu_on_left_click(false)
            .build()
            .map_err(|e| e.to_string())?;
        let ticked = Arc::new(AtomicBool::new(status.quit_when_done));
        let (menu_actions, menu_ticked) = (actions.clone(), ticked.clone());
        MenuEvent::set_event_handler(Some(move |event: MenuEvent| {
            let Some((_, entry)) = ids.iter().find(|(id, _)| *id == event.id) else {
                return;
            };
            let action = match entry {
                Entry::QuitWhenDone => {
                    TrayAction::QuitWhenDone(!menu_ticked.fetch_xor(true, Ordering::Relaxed))
                }
                other => other.action(&TrayStatus::default()),
            };
            let _ = menu_actions.send(action);
        }));
        TrayIconEvent::set_event_handler(Some(move |event: TrayIconEvent| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                let _ = actions.send(TrayAction::ToggleWindow);
            }
        }));
        Ok(Native {
            icon,
            show_hide,
            quit_when_done,
            ticked,
        })
    }

    pub fn show(&self, status: &TrayStatus) {
        let _ = self
            .icon
            .set_tooltip(Some(format!("Braid\n{}", status.summary)));
        self.show_hide.set_text(Entry::ShowHide.label(status));
        self.quit_when_done.set_checked(status.quit_when_done);
        self.ticked.store(status.quit_when_done, Ordering::Relaxed);
    }
}
