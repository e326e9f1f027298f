//! A StatusNotifierWatcher stand-in for trying the tray where no desktop tray runs (a
//! bare X server with openbox, CI): it owns `org.kde.StatusNotifierWatcher` on the
//! session bus, says a host is there, and prints each item that registers. With it,
//! Braid's window closes into the "tray", and the item can be driven with `busctl`.
//!
//!   cargo run --no-default-features --example sni_watcher

#[path = "../tests/support/sni_watcher.rs"]
mod watcher;

#[tokio::main(flavor = "current_thread")]
async fn main() -> zbus::Result<()> {
    let _served = watcher::Watcher::serve(zbus::connection::Builder::session()?).await?;
    println!("StatusNotifierWatcher stand-in on the session bus; Ctrl+C ends it");
    tokio::signal::ctrl_c().await.ok();
    Ok(())
}
