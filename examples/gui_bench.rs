//! The window's work with a long queue: 5 000 downloads, progress events arriving, and
//! the time to build, lay out and draw a frame (tiny-skia, no display needed).
//!
//! cargo run --release --example gui_bench
//! cargo run --release --example gui_bench -- --write-queue DIR/queue.json
//!   (writes the same 5 000 downloads, finished, as a saved queue for bench/gui.sh to
//!   start a real window with)

use std::time::{Duration, Instant};

use braid::config::Config;
use braid::engine::{DownloadId, Event, JobSpec, PieceStatus, Progress};
use braid::gui::saved::{SavedDownload, SavedState};
use braid::gui::{App, Message};

const ROWS: usize = 5_000;

fn spec(i: usize) -> JobSpec {
    JobSpec {
        source: format!("queue-{i}.meta4"),
        name: format!("distribution-{i}.iso"),
        dir: std::env::temp_dir(),
        size: Some(4 << 30),
        hashes: Vec::new(),
        pieces: None,
        urls: Vec::new(),
        overwrite: false,
        rate_limit: None,
        provenance: Default::default(),
        blocks: None,
        reuse: Vec::new(),
        max_connections: None,
        priority: Default::default(),
        start_at: None,
        signatures: Default::default(),
        site_headers: None,
    }
}

fn timed<T>(label: &str, runs: usize, mut work: impl FnMut() -> T) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(work());
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{label:<44} median {:>8.3} ms   max {:>8.3} ms",
        times[runs / 2].as_secs_f64() * 1e3,
        times[runs - 1].as_secs_f64() * 1e3
    );
}

/// The saved queue of `ROWS` finished downloads, for a window started on it.
fn write_queue(path: &std::path::Path) {
    let list: Vec<SavedDownload> = (0..ROWS)
        .map(|i| {
            let spec = spec(i);
            let path = spec.dir.join(&spec.name);
            SavedDownload::new(
                spec,
                SavedState::Finished {
                    path,
                    verified: Some("sha-256".into()),
                    repaired: 0,
                    reused: None,
                },
            )
        })
        .collect();
    braid::gui::saved::write(path, &list).expect("the queue is written");
}

fn main() {
    let mut args = std::env::args().skip(1);
    if let (Some(flag), Some(path)) = (args.next(), args.next())
        && flag == "--write-queue"
    {
        write_queue(std::path::Path::new(&path));
        return;
    }
    let dir = std::env::temp_dir().join(format!("braid-gui-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = Config {
        download_dir: dir.clone(),
        ui_language: "en".into(),
        notifications: false,
        ..Config::default()
    };
    let mut app = App::for_tests(config, dir.join("queue.json"));
    app.restore(
        (0..ROWS)
            .map(|i| SavedDownload::new(spec(i), SavedState::Paused))
            .collect(),
    );
    println!("{} downloads in the queue", app.downloads().len());
    let progress = |i: u64| Progress {
        size: Some(4 << 30),
        done: i * 1_000_000,
        verified_prefix: i * 1_000_000,
        received: i * 1_000_000,
        speed: 12e6,
        connections: 4,
        pieces: vec![PieceStatus::Verified; 16_384],
        mirrors: Vec::new(),
        repairs: Vec::new(),
    };
    let mut n = 0u64;
    timed("update: one progress event (16 384 pieces)", 200, || {
        n += 1;
        let id = DownloadId(1 + n % ROWS as u64);
        let _ = app.update(Message::Engine(Event::Progress {
            id,
            progress: Box::new(progress(n)),
        }));
    });
    timed("view: build the queue screen", 200, || {
        drop(app.view());
    });
    // The simulator makes a headless renderer (fonts and all) each time: measured alone
    // first, so what the queue itself costs can be told apart.
    let size = iced::Size::new(1000.0, 680.0);
    let settings = iced_test::core::Settings::default;
    timed("headless renderer alone (baseline)", 20, || {
        let empty: iced::Element<'_, Message> = iced::widget::text("").into();
        drop(iced_test::Simulator::with_size(settings(), size, empty));
    });
    timed("view + layout (incl. baseline)", 20, || {
        drop(iced_test::Simulator::with_size(
            settings(),
            size,
            app.view(),
        ));
    });
    let mut ui = iced_test::Simulator::with_size(settings(), size, app.view());
    timed("draw a frame (tiny-skia, 1000x680)", 20, || {
        ui.snapshot(&iced::Theme::Light).map(|_| ())
    });
    let _ = std::fs::remove_dir_all(&dir);
}
