//! `braid demo`: a download that needs no network. Three loopback mirrors serve a
//! generated file — one fast, one slow, one that corrupts a few ranges — a metalink with
//! piece hashes is written for it, and the window opens it, so a newcomer sees a
//! segmented multi-mirror download and a repaired piece.

use std::path::Path;
use std::sync::Arc;

use crate::loopback::{Faults, LoopbackMirror, metalink_for, payload};

const SIZE: usize = 96 * 1024 * 1024;
const PIECE: u64 = 256 * 1024;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only serve the mirrors and write the metalink; do not open the window.
    #[arg(long)]
    pub no_window: bool,
}

pub fn run(args: &Args) -> i32 {
    let folder = crate::platform::paths::data_dir().join("demo");
    if let Err(e) = std::fs::create_dir_all(&folder) {
        eprintln!("braid: cannot create {}: {e}", folder.display());
        return 1;
    }
    let metalink = folder.join("braid-demo.meta4");
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let path = metalink.clone();
    // The mirrors live on a runtime of their own for as long as this process runs.
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the demo mirrors");
        runtime.block_on(async move {
            let result = serve(&path).await;
            let failed = result.is_err();
            let _ = ready_tx.send(result.map_err(|e| e.to_string()));
            if !failed {
                // The servers run as tasks of this runtime: keep it alive.
                std::future::pending::<()>().await;
            }
        });
    });
    let urls = match ready_rx.recv() {
        Ok(Ok(urls)) => urls,
        Ok(Err(e)) => {
            eprintln!("braid: the demo mirrors could not start: {e}");
            return 1;
        }
        Err(_) => {
            eprintln!("braid: the demo mirrors could not start");
            return 1;
        }
    };
    println!("Demo mirrors (loopback, no network):");
    println!("  {}  fast, 4 MB/s", urls[0]);
    println!("  {}  slow, 1 MB/s", urls[1]);
    println!(
        "  {}  3 MB/s, corrupts a few ranges (Braid repairs them)",
        urls[2]
    );
    println!("Metalink: {}", metalink.display());
    if args.no_window {
        println!("Serving until Ctrl+C.");
        wait_for_interrupt();
        return 0;
    }
    let source = metalink.to_string_lossy().into_owned();
    match crate::gui::open(&[source], false) {
        crate::gui::Opened::HandedOff => {
            println!("Opened in the Braid window already running; serving until Ctrl+C.");
            wait_for_interrupt();
            0
        }
        crate::gui::Opened::Closed(Ok(())) => 0,
        crate::gui::Opened::NoDisplay(why) => {
            eprintln!("{}", crate::gui::no_display_message(&why));
            eprintln!("braid: `braid demo --no-window` serves the mirrors without a window");
            2
        }
        crate::gui::Opened::Closed(Err(e)) => {
            eprintln!("braid: the window could not open: {e}");
            1
        }
    }
}

/// Starts the three mirrors and writes the metalink; returns the mirrors' URLs.
async fn serve(metalink: &Path) -> std::io::Result<Vec<String>> {
    let data = Arc::new(payload(SIZE, 2026));
    // A few small corrupt ranges spread over the file, so the corrupting mirror is
    // sure to serve one of them whichever pieces it gets.
    let corrupt = (1..8)
        .map(|i| {
            let at = (i * SIZE / 8) as u64 + 1000;
            (at, at + 64)
        })
        .collect();
    let mirrors = [
        LoopbackMirror::start(2, data.clone(), Faults::throttled(4_000_000)).await?,
        LoopbackMirror::start(3, data.clone(), Faults::throttled(1_000_000)).await?,
        LoopbackMirror::start(
            4,
            data.clone(),
            Faults {
                bytes_per_second: Some(3_000_000),
                corrupt,
                ..Faults::default()
            },
        )
        .await?,
    ];
    let urls: Vec<String> = mirrors.iter().map(LoopbackMirror::url).collect();
    let doc = metalink_for("braid-demo.bin", &data, PIECE, &urls);
    std::fs::write(metalink, doc)?;
    Ok(urls)
}

fn wait_for_interrupt() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for waiting");
    runtime.block_on(async {
        let _ = tokio::signal::ctrl_c().await;
    });
}
