//! A StatusNotifierWatcher stand-in, what desktop trays run: items register with it,
//! hosts ask it what is registered, and it always says a host is there. Shared by the
//! tray test (tests/tray.rs, on a bus of its own) and the `sni_watcher` example (on the
//! session bus, for trying the tray by hand), which include this file by path.

use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct Watcher {
    items: Arc<Mutex<Vec<String>>>,
}

impl Watcher {
    /// Serves a new watcher on the bus `builder` connects to, under its well-known name.
    pub async fn serve(
        builder: zbus::connection::Builder<'_>,
    ) -> zbus::Result<(zbus::Connection, Watcher)> {
        let watcher = Watcher::default();
        let connection = builder
            .name("org.kde.StatusNotifierWatcher")?
            .serve_at("/StatusNotifierWatcher", watcher.clone())?
            .build()
            .await?;
        Ok((connection, watcher))
    }

    /// The bus names of the items registered so far, in order.
    pub fn items(&self) -> Vec<String> {
        self.items.lock().unwrap().clone()
    }
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
        self.items()
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
