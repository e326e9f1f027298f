//! A row's buttons when its state changes under the pointer, where its tooltips go, and
//! what a paused download is called.

use std::time::{Duration, Instant};

use crate::engine::Event;
use crate::gui::downloads::SETTLE;

use super::*;

fn finished(id: u64) -> Event {
    Event::Finished {
        id: DownloadId(id),
        path: "/tmp/file0.iso".into(),
        verified: None,
        repaired: 0,
        reused: None,
        signature: None,
    }
}

/// What a click on a row's button asked of the app, but for the row's own press.
fn asked(queue: &mut Queue, downloads: &mut Downloads, what: &str, id: u64) -> Vec<Action> {
    click(queue, downloads, what, id)
        .into_iter()
        .filter(|a| *a != Action::Engine(Vec::new()))
        .collect()
}

/// Bug: a late click on Pause, just after the download finished, opened the file
/// (twice, with a double click), because Open had taken Pause's place.
#[test]
fn a_click_just_after_pause_became_open_opens_nothing() {
    crate::i18n::set_language("en");
    let mut downloads = with(&[State::Running]);
    let mut queue = Queue::default();
    downloads.apply(&finished(1));
    assert!(
        asked(&mut queue, &mut downloads, "main", 1).is_empty(),
        "Open takes no click yet"
    );
    let removed = asked(&mut queue, &mut downloads, "destructive", 1);
    assert!(
        removed.is_empty(),
        "nor does Remove, where Cancel was: {removed:?}"
    );
    assert_eq!(
        queue.update(&mut downloads, Message::OpenFile(DownloadId(1))),
        Action::None,
        "a click already on its way is dropped too"
    );
    let download = downloads.get(DownloadId(1)).unwrap();
    assert!(download.leaving.is_none(), "not removed");
    assert!(
        !download.selected,
        "the buttons took the clicks: no click on the row (two make its details)"
    );
    // The folder and details buttons did not change: they work at once.
    assert_eq!(
        asked(&mut queue, &mut downloads, "folder", 1),
        [Action::Open("/tmp".into())]
    );
}

#[test]
fn a_moment_later_open_opens() {
    crate::i18n::set_language("en");
    let mut downloads = with(&[State::Running]);
    let mut queue = Queue::default();
    let then = Instant::now()
        .checked_sub(SETTLE + Duration::from_millis(50))
        .expect("an uptime over a second");
    downloads.apply_at(&finished(1), then);
    assert_eq!(
        click(&mut queue, &mut downloads, "main", 1),
        [Action::Open("/tmp/file0.iso".into())]
    );
}

/// A double click on Pause pauses; its second click does not resume at once.
#[test]
fn a_double_click_on_pause_only_pauses() {
    crate::i18n::set_language("en");
    let mut downloads = with(&[State::Running]);
    let mut queue = Queue::default();
    assert_eq!(
        click(&mut queue, &mut downloads, "main", 1),
        [Action::Engine(vec![Command::Pause(DownloadId(1))])]
    );
    downloads.apply(&Event::Paused(DownloadId(1)));
    assert!(asked(&mut queue, &mut downloads, "main", 1).is_empty());
    // Progress and other events that leave the buttons as they are do not hold them.
    let mut downloads = with(&[State::Running]);
    downloads.apply(&Event::Started(DownloadId(1)));
    assert_eq!(
        click(&mut queue, &mut downloads, "main", 1),
        [Action::Engine(vec![Command::Pause(DownloadId(1))])]
    );
}

#[test]
fn paused_is_counted_as_paused_in_every_language() {
    let mut downloads = with(&[State::Running, State::Queued, State::Paused, State::Paused]);
    downloads.get_mut(DownloadId(1)).unwrap().speed = 1024.0;
    let totals = Totals::of(&downloads);
    assert_eq!((totals.waiting, totals.paused), (1, 2));
    for (language, status, filters) in [
        (
            "en",
            "1 downloading · 1 waiting · 2 paused · 0 done",
            ["Queued 1", "Paused 2"],
        ),
        (
            "de",
            "1 lädt · 1 wartet · 2 angehalten · 0 fertig",
            ["Wartend 1", "Angehalten 2"],
        ),
        (
            "es",
            "1 descargando · 1 en espera · 2 en pausa · 0 terminadas",
            ["En espera 1", "En pausa 2"],
        ),
    ] {
        crate::i18n::set_language(language);
        let bar: Element<'_, ()> = status_bar(totals, None, None);
        let mut ui = iced_test::simulator(bar);
        assert!(ui.find(status).is_ok(), "{language}: {status}");
        let mut ui = simulator(&Queue::default(), &downloads, WINDOW);
        for label in filters {
            assert!(ui.find(label).is_ok(), "{language}: {label}");
        }
    }
    crate::i18n::set_language("en");
}

/// The window as drawn, with the pointer resting at `at` long enough for a tooltip.
fn drawn(downloads: &Downloads, at: Option<iced::Point>) -> Picture {
    let mut ui = simulator(&Queue::default(), downloads, WINDOW);
    if let Some(at) = at {
        let moved = iced::Event::Mouse(iced::mouse::Event::CursorMoved { position: at });
        ui.point_at(at);
        ui.simulate([moved.clone()]);
        std::thread::sleep(crate::gui::widgets::TIP_DELAY + Duration::from_millis(100));
        ui.simulate([moved]);
    }
    let snapshot = ui.snapshot(&iced::Theme::Light).unwrap();
    Picture::of(&snapshot)
}

/// A snapshot's pixels (iced_test keeps them to itself but writes them as a PNG).
struct Picture {
    width: usize,
    scale: f32,
    rgba: Vec<u8>,
}

impl Picture {
    fn of(snapshot: &iced_test::simulator::Snapshot) -> Picture {
        let dir = std::env::temp_dir().join(format!("braid-tooltip-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        snapshot.matches_image(dir.join("shot.png")).unwrap();
        // Written as shot-<renderer>.png, the only file there.
        let path = std::fs::read_dir(&dir)
            .unwrap()
            .next()
            .expect("the snapshot")
            .unwrap()
            .path();
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut rgba = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut rgba).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        Picture {
            width: info.width as usize,
            scale: info.width as f32 / WINDOW.width,
            rgba,
        }
    }

    /// Whether anything outside `skip` (in window coordinates) looks different.
    fn differs_outside(&self, other: &Picture, skip: iced::Rectangle) -> bool {
        let pixels = self.rgba.len() / 4;
        (0..pixels).any(|i| {
            let at = iced::Point::new(
                (i % self.width) as f32 / self.scale,
                (i / self.width) as f32 / self.scale,
            );
            !skip.contains(at) && self.rgba[i * 4..i * 4 + 4] != other.rgba[i * 4..i * 4 + 4]
        })
    }

    /// Whether `area` (in window coordinates) looks the same in both.
    fn same_in(&self, other: &Picture, area: iced::Rectangle) -> bool {
        let px = |v: f32| (v * self.scale) as usize;
        (px(area.y)..px(area.y + area.height)).all(|y| {
            let (from, to) = (
                (y * self.width + px(area.x)) * 4,
                (y * self.width + px(area.x + area.width)) * 4,
            );
            self.rgba[from..to] == other.rgba[from..to]
        })
    }
}

/// Bug: a row's tooltip covered the next row's buttons, where the pointer was going.
#[test]
fn a_rows_tooltips_leave_every_button_in_view() {
    crate::i18n::set_language("de");
    let mut downloads = with(&[
        State::Failed("keine Verbindung möglich, und noch viel mehr dazu".into()),
        State::Running,
        State::Running,
    ]);
    downloads.get_mut(DownloadId(2)).unwrap().spec.name =
        "ein-sehr-langer-name-der-nicht-in-seine-spalte-passt-und-noch-laenger-ist.iso".into();
    let mut ui = simulator(&Queue::default(), &downloads, WINDOW);
    let mut bounds = |what: &str, id: u64| {
        ui.find(selector::id(action_id(what, DownloadId(id))))
            .unwrap()
            .bounds()
    };
    // Every button of every row, and the tick boxes.
    let mut buttons = Vec::new();
    for id in 1..=3 {
        for what in ["main", "folder", "details", "destructive"] {
            buttons.push(bounds(what, id));
        }
    }
    let ticks: Vec<iced::Rectangle> = buttons
        .iter()
        .step_by(4)
        .map(|b| iced::Rectangle::new(iced::Point::new(0.0, b.y), iced::Size::new(48.0, b.height)))
        .collect();
    drop(ui);
    let still = drawn(&downloads, None);
    let hovered = [
        // The row's buttons, each in turn.
        buttons[4],
        buttons[5],
        buttons[7],
        // The failed row's reason, left of its buttons.
        iced::Rectangle::new(
            iced::Point::new(buttons[0].x - 80.0, buttons[0].y),
            iced::Size::new(40.0, buttons[0].height),
        ),
        // The long name, at the start of its row.
        iced::Rectangle::new(
            iced::Point::new(100.0, buttons[4].y),
            iced::Size::new(40.0, buttons[4].height),
        ),
    ];
    for area in hovered {
        let at = area.center();
        let shown = drawn(&downloads, Some(at));
        assert!(
            still.differs_outside(&shown, area),
            "a tooltip shows for {at:?}"
        );
        for button in buttons.iter().chain(&ticks) {
            // The hovered button itself is drawn hovered.
            if button.contains(at) {
                continue;
            }
            assert!(
                still.same_in(&shown, *button),
                "the tooltip for {at:?} covers {button:?}"
            );
        }
    }
}
