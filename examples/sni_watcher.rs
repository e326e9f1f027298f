//! A StatusNotifierWatcher stand-in for trying the tray where no desktop tray runs (a
//! bare X server with openbox, CI): it owns `org.kde.StatusNotifierWatcher` on the
//! session bus, says a host is there, and prints each item that registers. With it,
//! Braid's window closes into the "tray", and the item can be driven with `busctl`.
//!
//!   cargo run --no-default-features --example sni_watcher

use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Watcher {
    items: Arc<Mutex<Vec<String>>>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(&self, service: &str) {
        println!("registered: {service}");
        self.items.lock().unwrap().push(service.to_owned());
    }

    fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().unwrap().clone()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> zbus::Result<()> {
    let _connection = zbus::connection::Builder::session()?
        .name("org.kde.StatusNotifierWatcher")?
        .serve_at("/StatusNotifierWatcher", Watcher::default())?
        .build()
        .await?;
    println!("StatusNotifierWatcher stand-in on the session bus; Ctrl+C ends it");
    tokio::signal::ctrl_c().await.ok();
    Ok(())
}
