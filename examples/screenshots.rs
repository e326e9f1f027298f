//! Draws every screen of the window (with sample downloads) in English, German and
//! Spanish at 800×500 and 1600×1000, in software (iced's simulator, which draws at twice
//! the size), into `assets/screenshots/LANG/SIZE/`; dark variants of the queue and the
//! details too. `assets/screenshots/make.sh` runs it and shrinks the pictures.
//!
//! cargo run --example screenshots [--no-default-features]

use std::path::Path;

use braid::gui::{App, Sample};
use iced::Size;

fn main() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/screenshots");
    let work = std::env::temp_dir().join(format!("braid-screenshots-{}", std::process::id()));
    let sizes = [Size::new(800.0, 500.0), Size::new(1600.0, 1000.0)];
    let mut written = 0;
    for language in ["en", "de", "es"] {
        for size in sizes {
            let folder = out
                .join(language)
                .join(format!("{}x{}", size.width, size.height));
            std::fs::create_dir_all(&folder).expect("the screenshot folder");
            let mut shots: Vec<(Sample, bool)> = Sample::ALL.iter().map(|s| (*s, false)).collect();
            shots.push((Sample::Queue, true));
            shots.push((Sample::Details, true));
            for (sample, dark) in shots {
                let app = App::showcase(sample, language, size, dark, &work);
                let theme = app.theme().expect("Braid always has a theme");
                let mut ui = iced_test::Simulator::with_size(
                    iced_test::core::Settings::default(),
                    size,
                    app.view(),
                );
                let snapshot = ui.snapshot(&theme).expect("a frame");
                let name = if dark {
                    format!("{}-dark", sample.name())
                } else {
                    sample.name().to_owned()
                };
                let path = folder.join(format!("{name}.png"));
                // iced_test writes `NAME-tiny-skia.png` when there is none to compare with.
                let drawn = folder.join(format!("{name}-tiny-skia.png"));
                let _ = std::fs::remove_file(&drawn);
                snapshot
                    .matches_image(&path)
                    .expect("the picture is written");
                std::fs::rename(&drawn, &path).expect("the picture is in place");
                written += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&work);
    println!("{written} screenshots in {}", out.display());
}
