//! The tray's D-Bus object, checked on a session bus of the test's own
//! (`dbus-daemon --session`) with a StatusNotifierWatcher stand-in: the item registers
//! with the watcher once there is one (and says it is not shown before), its tooltip
//! carries the status it is given, its menu lists the actions in the user's language,
//! and clicking the icon or a menu entry reaches the app as a `TrayAction`.

#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use braid::platform::tray::{ITEM_PATH, MENU_PATH, Tray, TrayAction, TrayStatus};
use zbus::zvariant::{OwnedValue, Structure, Value};

#[path = "support/sni_watcher.rs"]
mod sni_watcher;
use sni_watcher::Watcher;

/// An icon on the bus: width, height, ARGB32 bytes.
type Pixmap = (i32, i32, Vec<u8>);
/// A dbusmenu node: id, properties, children.
type MenuNode = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// A session bus for this test alone, stopped when dropped.
struct Bus {
    daemon: Child,
    address: String,
}

impl Bus {
    fn start() -> Bus {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon runs (CI installs the dbus package)");
        let mut line = String::new();
        let stdout = daemon.stdout.take().unwrap();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).unwrap();
        let address = line.trim().to_owned();
        assert!(address.starts_with("unix:"), "{address}");
        Bus { daemon, address }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// Serves the stand-in watcher on the bus.
async fn watcher(address: &str) -> (zbus::Connection, Watcher) {
    Watcher::serve(zbus::connection::Builder::address(address).unwrap())
        .await
        .expect("the stand-in watcher is on the bus")
}

/// Waits until `done` holds, at most five seconds.
async fn eventually(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < Duration::from_secs(5), "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn property(bus: &zbus::Connection, item: &str, name: &str) -> OwnedValue {
    let proxy = zbus::fdo::PropertiesProxy::builder(bus)
        .destination(item.to_owned())
        .unwrap()
        .path(ITEM_PATH)
        .unwrap()
        .build()
        .await
        .unwrap();
    proxy
        .get("org.kde.StatusNotifierItem".try_into().unwrap(), name)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The tooltip's description (the tooltip is `(icon name, pixmaps, title, text)`).
async fn tooltip(bus: &zbus::Connection, item: &str) -> (String, String) {
    let value = property(bus, item, "ToolTip").await;
    let (_, _, title, text): (String, Vec<Pixmap>, String, String) = value.try_into().unwrap();
    (title, text)
}

/// The menu's entries, `(id, label)` in order, separators left out.
async fn menu(bus: &zbus::Connection, item: &str) -> Vec<(i32, String)> {
    let reply = bus
        .call_method(
            Some(item),
            MENU_PATH,
            Some("com.canonical.dbusmenu"),
            "GetLayout",
            &(0i32, -1i32, Vec::<String>::new()),
        )
        .await
        .unwrap();
    let (_revision, (_root, _props, children)): (u32, MenuNode) =
        reply.body().deserialize().unwrap();
    children
        .into_iter()
        .filter_map(|child| {
            let structure: Structure = Value::from(child).try_into().ok()?;
            let fields = structure.into_fields();
            let id: i32 = fields[0].try_clone().ok()?.try_into().ok()?;
            let props: HashMap<String, OwnedValue> = fields[1].try_clone().ok()?.try_into().ok()?;
            let label: String = props.get("label")?.try_clone().ok()?.try_into().ok()?;
            Some((id, label))
        })
        .collect()
}

async fn click(bus: &zbus::Connection, item: &str, id: i32) {
    bus.call_method(
        Some(item),
        MENU_PATH,
        Some("com.canonical.dbusmenu"),
        "Event",
        &(id, "clicked", Value::from(0i32), 0u32),
    )
    .await
    .unwrap();
}

async fn action(actions: &mut tokio::sync::mpsc::UnboundedReceiver<TrayAction>) -> TrayAction {
    tokio::time::timeout(Duration::from_secs(5), actions.recv())
        .await
        .expect("the action arrives")
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tray_item_registers_shows_the_status_and_reports_the_menu() {
    braid::i18n::set_language("en");
    let bus = Bus::start();
    // SAFETY: set before anything else in this test process reads the environment
    // (nextest runs each test in a process of its own).
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus.address) };
    let (tray, mut actions) = Tray::start(TrayStatus {
        summary: "Nothing is downloading".into(),
        window_shown: true,
        quit_when_done: false,
    })
    .expect("the tray starts on the session bus");
    // No watcher yet: no tray host, so closing the window would quit.
    eventually("the tray says it is not shown", async || !tray.hosted()).await;

    let (client, watcher) = watcher(&bus.address).await;
    eventually("the item registers with the watcher", async || {
        !watcher.items().is_empty()
    })
    .await;
    assert!(tray.hosted(), "shown once a watcher is there");
    let item = watcher.items()[0].clone();
    assert!(item.starts_with("org.kde.StatusNotifierItem-"), "{item}");

    let id: String = property(&client, &item, "Id").await.try_into().unwrap();
    assert_eq!(id, "io.github.braid.Braid");
    let pixmaps: Vec<Pixmap> = property(&client, &item, "IconPixmap")
        .await
        .try_into()
        .unwrap();
    assert!(
        pixmaps
            .iter()
            .any(|(w, h, data)| *w == 32 && *h == 32 && data.len() == 32 * 32 * 4),
        "a 32 px icon in ARGB32"
    );
    assert_eq!(
        tooltip(&client, &item).await,
        ("Braid".to_owned(), "Nothing is downloading".to_owned())
    );

    // A new status reaches the tooltip and the menu.
    tray.show(TrayStatus {
        summary: "2 downloads running · 3.4 MiB/s".into(),
        window_shown: false,
        quit_when_done: true,
    });
    eventually("the tooltip shows the speed", async || {
        tooltip(&client, &item).await.1 == "2 downloads running · 3.4 MiB/s"
    })
    .await;
    let entries = menu(&client, &item).await;
    let labels: Vec<&str> = entries.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Show Braid",
            "Pause all",
            "Resume all",
            "Quit when the queue is done",
            "Quit Braid"
        ]
    );
    let id_of = |label: &str| entries.iter().find(|(_, l)| l == label).unwrap().0;
    click(&client, &item, id_of("Pause all")).await;
    assert_eq!(action(&mut actions).await, TrayAction::PauseAll);
    click(&client, &item, id_of("Resume all")).await;
    assert_eq!(action(&mut actions).await, TrayAction::ResumeAll);
    click(&client, &item, id_of("Quit when the queue is done")).await;
    assert_eq!(action(&mut actions).await, TrayAction::QuitWhenDone(false));
    click(&client, &item, id_of("Show Braid")).await;
    assert_eq!(action(&mut actions).await, TrayAction::ToggleWindow);
    click(&client, &item, id_of("Quit Braid")).await;
    assert_eq!(action(&mut actions).await, TrayAction::Quit);
    // A click on the icon itself.
    client
        .call_method(
            Some(item.as_str()),
            ITEM_PATH,
            Some("org.kde.StatusNotifierItem"),
            "Activate",
            &(0i32, 0i32),
        )
        .await
        .unwrap();
    assert_eq!(action(&mut actions).await, TrayAction::ToggleWindow);

    // The tray goes away: closing the window would quit again.
    drop(client);
    eventually("the tray notices the watcher left", async || !tray.hosted()).await;
}

#[test]
fn without_a_session_bus_there_is_no_tray() {
    // SAFETY: this test process reads the environment only after this.
    unsafe {
        std::env::set_var(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/braid-test-bus",
        )
    };
    assert!(Tray::start(TrayStatus::default()).is_none());
}
