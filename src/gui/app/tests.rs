//! The app as a whole, driven by messages.

use super::*;
use crate::metalink::{File, MirrorUrl, Version};

mod resume;
mod window;

fn app(name: &str) -> (App, PathBuf) {
    let dir = std::env::temp_dir().join(format!("braid-app-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let config = Config {
        download_dir: dir.clone(),
        ui_language: "en".into(),
        notifications: false,
        ..Config::default()
    };
    (App::for_tests(config, dir.join("queue.json")), dir)
}

fn metalink(name: &str) -> Resolved {
    let mut file = File::new(name);
    file.size = Some(10);
    file.urls = vec![MirrorUrl {
        url: format!("http://127.0.0.1:9/{name}"),
        priority: 1,
        location: None,
        max_connections: None,
    }];
    Resolved::Metalink {
        source: format!("{name}.meta4"),
        document: crate::metalink::Document {
            version: Version::V4,
            generator: None,
            origin: None,
            dynamic: false,
            published: None,
            updated: None,
            files: vec![file],
        },
        warnings: Vec::new(),
        only: None,
    }
}

#[test]
fn dropping_another_kind_of_file_says_so() {
    let (mut app, dir) = app("drop");
    let photo = dir.join("photo.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff").unwrap();
    let _ = app.update(Message::FileHovered(photo.clone()));
    assert!(app.dragging.is_some());
    let _ = app.update(Message::Dropped(photo));
    assert!(app.dragging.is_none());
    assert!(
        app.notices()[0].contains("photo.jpg is not a metalink"),
        "{:?}",
        app.notices()
    );
    assert!(app.dialog().is_none());
}

#[test]
fn opened_metalinks_take_turns_in_the_dialog() {
    let (mut app, _dir) = app("dialog");
    let _ = app.update(Message::Resolved(Ok(metalink("a.iso")), false));
    let _ = app.update(Message::Resolved(Ok(metalink("b.iso")), false));
    assert_eq!(app.dialog().unwrap().source, "a.iso.meta4");
    let _ = app.update(Message::Add(add::Message::Add(false)));
    assert_eq!(app.downloads().len(), 1);
    assert_eq!(app.downloads().nth(0).unwrap().state, State::Paused);
    assert_eq!(
        app.dialog().unwrap().source,
        "b.iso.meta4",
        "the next one shows"
    );
    let _ = app.update(Message::Add(add::Message::Cancel));
    assert!(app.dialog().is_none());
    assert_eq!(app.downloads().len(), 1);
}

#[test]
fn many_pasted_links_are_downloaded_all_at_once_from_the_first_dialog() {
    for size in [Size::new(800.0, 500.0), Size::new(1600.0, 1000.0)] {
        let (mut app, _dir) = app("all");
        app.window = size;
        for name in ["a.iso", "b.iso", "c.iso"] {
            let _ = app.update(Message::Resolved(Ok(metalink(name)), false));
        }
        let messages: Vec<Message> = {
            let mut ui = iced_test::Simulator::with_size(
                iced_test::core::Settings::default(),
                size,
                app.view(),
            );
            assert!(ui.find("2 more wait for this dialog.").is_ok(), "{size:?}");
            let bounds = ui
                .find("Download all 3")
                .unwrap()
                .visible_bounds()
                .unwrap_or_else(|| panic!("{size:?}: Download all is out of view"));
            assert!(bounds.y + bounds.height <= size.height, "{size:?}");
            ui.click("Download all 3").unwrap();
            ui.into_messages().collect()
        };
        for message in messages {
            let _ = app.update(message);
        }
        assert!(app.dialog().is_none(), "no dialog is left to confirm");
        let mut names: Vec<_> = app
            .downloads()
            .iter()
            .map(|d| d.spec.name.clone())
            .collect();
        names.sort();
        assert_eq!(names, ["a.iso", "b.iso", "c.iso"]);
        assert!(app.downloads().iter().all(|d| d.state == State::Queued));
    }
}

#[test]
fn a_links_dialog_keeps_its_buttons_in_a_short_window_in_every_language() {
    for language in ["en", "de", "es"] {
        for size in [Size::new(800.0, 500.0), Size::new(1600.0, 1000.0)] {
            let (mut app, _dir) = app("short");
            crate::i18n::set_language(language);
            app.window = size;
            for _ in 0..4 {
                let _ = app.update(Message::Resolved(Ok(super::showcase::link()), false));
            }
            let mut ui = iced_test::Simulator::with_size(
                iced_test::core::Settings::default(),
                size,
                app.view(),
            );
            let all = t_args("add-start-all", &[("count", "4".into())]);
            for label in [t("add-cancel"), t("add-queue"), t("add-start"), all] {
                let bounds = ui
                    .find(label.as_str())
                    .unwrap_or_else(|e| panic!("{language} {size:?} {label}: {e}"))
                    .visible_bounds()
                    .unwrap_or_else(|| panic!("{language} {size:?}: {label} is out of view"));
                assert!(
                    bounds.y + bounds.height <= size.height,
                    "{language} {size:?}: {label} at {bounds:?}"
                );
            }
        }
    }
    crate::i18n::set_language("en");
}

#[test]
fn the_trays_tooltip_says_the_speed_in_the_windows_language() {
    let (mut app, _dir) = app("tray-words");
    let _ = app.update(Message::Resolved(Ok(metalink("a.iso")), true));
    let id = app.downloads().nth(0).unwrap().id;
    let _ = app.update(Message::Engine(Event::Started(id)));
    app.downloads.get_mut(id).unwrap().speed = 1.5 * 1024.0 * 1024.0;
    for (language, summary) in [
        ("en", "1 download running · 1.5 MiB/s"),
        ("de", "1 Download läuft · 1,5 MiB/s"),
        ("es", "1 descarga en curso · 1,5 MiB/s"),
    ] {
        crate::i18n::set_language(language);
        assert_eq!(app.tray_status().summary, summary);
    }
    crate::i18n::set_language("en");
}

#[test]
fn one_waiting_offer_is_said_and_shown_after_the_first() {
    let (mut app, _dir) = app("one-more");
    let _ = app.update(Message::Resolved(Ok(metalink("a.iso")), false));
    let _ = app.update(Message::Resolved(Ok(metalink("a.iso")), false));
    {
        let mut ui = iced_test::simulator(app.view());
        assert!(ui.find("One more waits for this dialog.").is_ok());
    }
    let _ = app.update(Message::Add(add::Message::Add(true)));
    // The second is the same file: the dialog, built now, knows it is queued.
    let dialog = app.dialog().expect("the second offer shows");
    let mut ui = iced_test::simulator(app.view());
    assert!(ui.find("One more waits for this dialog.").is_err());
    assert!(dialog.specs().is_err(), "the twin is not offered again");
}

#[test]
fn start_queues_without_asking() {
    let (mut app, _dir) = app("start");
    let _ = app.update(Message::Resolved(Ok(metalink("c.iso")), true));
    assert!(app.dialog().is_none());
    assert_eq!(app.downloads().len(), 1);
    assert_eq!(app.downloads().nth(0).unwrap().state, State::Queued);
}

#[test]
fn closing_remembers_what_was_running() {
    let (mut app, dir) = app("close");
    let _ = app.update(Message::Resolved(Ok(metalink("d.iso")), true));
    let id = app.downloads().nth(0).unwrap().id;
    let _ = app.update(Message::Engine(Event::Started(id)));
    let _ = app.update(Message::CloseRequested(iced::window::Id::unique()));
    // Shutting down pauses everything; that must not be what is remembered.
    let _ = app.update(Message::Engine(Event::Paused(id)));
    let _ = app.update(Message::Engine(Event::ShutDown));
    let (list, warning) = saved::load(&dir.join("queue.json"));
    assert_eq!(warning, None);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].state, SavedState::Active);
}

#[test]
fn keys_act_on_the_selection() {
    let (mut app, _dir) = app("keys");
    let _ = app.update(Message::Resolved(Ok(metalink("e.iso")), false));
    let _ = app.update(Message::Add(add::Message::Add(false)));
    let ctrl = keyboard::Modifiers::CTRL;
    let _ = app.update(Message::Key(keyboard::Key::Character("a".into()), ctrl));
    assert_eq!(app.downloads().selected().len(), 1, "Ctrl+A selects all");
    let _ = app.update(Message::Key(
        keyboard::Key::Named(keyboard::key::Named::Enter),
        keyboard::Modifiers::empty(),
    ));
    assert!(
        matches!(app.screen, Screen::Details(_)),
        "Enter shows details"
    );
    let _ = app.update(Message::Key(
        keyboard::Key::Named(keyboard::key::Named::Escape),
        keyboard::Modifiers::empty(),
    ));
    assert!(matches!(app.screen, Screen::Queue), "Escape goes back");
    let _ = app.update(Message::Key(keyboard::Key::Character(",".into()), ctrl));
    assert!(
        matches!(app.screen, Screen::Settings(_)),
        "Ctrl+, opens settings"
    );
}

#[test]
fn a_missing_file_dialog_is_explained() {
    let (mut app, _dir) = app("nodialog");
    let _ = app.update(Message::NoFileDialog);
    assert!(
        app.notices()[0].contains("No file dialog"),
        "{:?}",
        app.notices()
    );
}

#[test]
fn bad_sources_are_reported_not_dropped() {
    let (mut app, _dir) = app("bad");
    let _ = app.update(Message::Resolved(
        Err("x.meta4 (line 3, column 7): bad size".into()),
        false,
    ));
    assert_eq!(app.notices(), ["x.meta4 (line 3, column 7): bad size"]);
    let _ = app.update(Message::Notices(notices::Message::Dismiss(0)));
    assert!(app.notices().is_empty());
}

/// A metalink offering `count` files, for the add dialog.
fn many(count: usize) -> Resolved {
    let Resolved::Metalink {
        source,
        mut document,
        warnings,
        only,
    } = metalink("one.iso")
    else {
        unreachable!()
    };
    let template = document.files[0].clone();
    document.files = (0..count)
        .map(|i| {
            let mut file = template.clone();
            file.name = format!("disc-{i:02}-with-a-rather-long-name-for-its-row.iso");
            file
        })
        .collect();
    Resolved::Metalink {
        source,
        document,
        warnings,
        only,
    }
}

fn finished(app: &mut App, dir: &std::path::Path, name: &str) -> DownloadId {
    let path = dir.join(name);
    std::fs::write(&path, b"done").unwrap();
    let id = app.engine.next_id();
    let spec = crate::gui::downloads::tests::spec(name);
    let state = State::Finished {
        path,
        verified: Some("sha-256".into()),
        repaired: 0,
        reused: None,
    };
    app.downloads
        .insert(crate::gui::downloads::Download::new(id, spec, state));
    id
}

/// Bug 1: with 24 files the buttons were pushed out of the dialog. They stay in view at
/// any window size, the list scrolls, and Enter means "Download now".
#[test]
fn the_many_file_dialog_keeps_its_buttons_and_enter_confirms() {
    for size in [Size::new(1600.0, 980.0), Size::new(800.0, 500.0)] {
        let (mut app, _dir) = app("many");
        app.window = size;
        let _ = app.update(Message::Resolved(Ok(many(24)), false));
        let _ = app.update(Message::Add(add::Message::All(true)));
        {
            let mut ui = iced_test::Simulator::with_size(
                iced_test::core::Settings::default(),
                size,
                app.view(),
            );
            for label in ["Cancel", "Add paused", "Download now", "Choose…"] {
                let bounds = ui
                    .find(label)
                    .unwrap_or_else(|e| panic!("{size:?} {label}: {e}"))
                    .visible_bounds()
                    .unwrap_or_else(|| panic!("{size:?}: {label} is out of view"));
                assert!(
                    bounds.y + bounds.height <= size.height,
                    "{size:?}: {label} at {bounds:?}"
                );
            }
            let row = ui.find(
                crate::gui::widgets::ellipsize(
                    "disc-00-with-a-rather-long-name-for-its-row.iso",
                    usize::MAX,
                )
                .as_str(),
            );
            if let Ok(row) = row {
                assert!(row.bounds().width > 300.0, "file rows use the width");
            }
            assert!(ui.find("24 of 24 files chosen, 240 B").is_ok());
        }
        let _ = app.update(Message::Key(
            keyboard::Key::Named(keyboard::key::Named::Enter),
            keyboard::Modifiers::empty(),
        ));
        assert!(app.dialog().is_none(), "Enter confirmed");
        assert_eq!(app.downloads().len(), 24);
        assert!(
            app.downloads().iter().all(|d| d.state == State::Queued),
            "downloading now"
        );
    }
}

#[test]
fn escape_cancels_the_dialog_and_select_none_unticks() {
    let (mut app, _dir) = app("escape");
    let _ = app.update(Message::Resolved(Ok(many(3)), false));
    let _ = app.update(Message::Add(add::Message::All(false)));
    let _ = app.update(Message::Add(add::Message::Add(true)));
    assert_eq!(
        app.dialog().unwrap().error.as_deref(),
        Some("Choose at least one file.")
    );
    let _ = app.update(Message::Key(
        keyboard::Key::Named(keyboard::key::Named::Escape),
        keyboard::Modifiers::empty(),
    ));
    assert!(app.dialog().is_none());
    assert!(app.downloads().is_empty());
}

/// Bug 2: a failed download came back "Paused · 0%" after a restart, its reason gone.
#[test]
fn a_failure_survives_a_restart_with_its_reason_and_retry() {
    let (mut app, dir) = app("failed");
    let _ = app.update(Message::Resolved(Ok(metalink("f.iso")), true));
    let id = app.downloads().nth(0).unwrap().id;
    let _ = app.update(Message::Engine(Event::Started(id)));
    let _ = app.update(Message::Engine(Event::Failed {
        id,
        error: crate::engine::JobError::NoMirrors(vec![crate::engine::MirrorFailure {
            url: "http://127.0.0.2/f.iso".into(),
            reason: crate::engine::MirrorReason::Dropped(crate::engine::DropReason::Unusable(
                crate::engine::Fault::Missing { status: 404 },
            )),
        }]),
    }));
    let _ = app.update(Message::CloseRequested(iced::window::Id::unique()));
    let _ = app.update(Message::Engine(Event::ShutDown));
    let (list, _) = saved::load(&dir.join("queue.json"));
    drop(app);
    let (mut again, _dir) = self::app("failed-again");
    again.restore(list);
    let restored = again.downloads().nth(0).unwrap();
    let id = restored.id;
    assert_eq!(
        restored.state,
        State::Failed(
            "no usable mirror left: http://127.0.0.2/f.iso: HTTP 404: not on this mirror".into()
        )
    );
    // The engine holds it paused, which must not turn it back into "Paused".
    let _ = again.update(Message::Engine(Event::Paused(id)));
    assert!(matches!(
        again.downloads().get(id).unwrap().state,
        State::Failed(_)
    ));
    let mut ui = iced_test::simulator(again.view());
    assert!(
        ui.find(
            "Failed: no usable mirror left: http://127.0.0.2/f.iso: HTTP 404: not on this mirror"
        )
        .is_ok()
    );
    assert!(
        ui.find(iced_test::selector::id(queue::action_id("main", id)))
            .is_ok()
    );
}

/// Bug 9: after a restart the details kept only "3 mirrors".
#[test]
fn details_survive_a_restart() {
    let (mut app, dir) = app("details");
    let id = finished(&mut app, &dir, "done.iso");
    let mirror = |url: &str, bytes| crate::engine::MirrorStatus {
        url: url.into(),
        location: Some("de".into()),
        priority: 1,
        connections: 2,
        bytes,
        speed: 1e6,
        errors: 1,
        bad_pieces: 1,
        dropped: None,
    };
    app.downloads.get_mut(id).unwrap().progress = Some(Box::new(crate::engine::Progress {
        size: Some(1000),
        done: 1000,
        verified_prefix: 1000,
        received: 1100,
        speed: 0.0,
        connections: 0,
        pieces: Vec::new(),
        mirrors: vec![
            mirror("http://127.0.0.2/done.iso", 600),
            mirror("http://127.0.0.3/done.iso", 500),
        ],
        repairs: vec![crate::engine::Repair {
            piece: 3,
            bad_mirror: "http://127.0.0.3/done.iso".into(),
            good_mirror: Some("http://127.0.0.2/done.iso".into()),
        }],
    }));
    let list = saved::snapshot(&app.downloads);
    let json = serde_json::to_string(&list).unwrap();
    let (mut again, _dir) = self::app("details-again");
    again.restore(serde_json::from_str(&json).unwrap());
    let restored = again.downloads().nth(0).unwrap().id;
    let _ = again.update(Message::Queue(queue::Message::Details(restored)));
    let mut ui = iced_test::simulator(again.view());
    assert!(
        ui.find("http://127.0.0.2").is_ok(),
        "the mirror table is back"
    );
    assert!(ui.find("600 B").is_ok());
    assert!(
        ui.find("Piece 3: bad from http://127.0.0.3/done.iso, fixed by http://127.0.0.2/done.iso")
            .is_ok()
    );
}

/// `queue.json` was 182 KB for two downloads: digests were arrays of numbers.
#[test]
fn the_saved_queue_stays_small() {
    let (mut app, _dir) = app("small");
    let mut specs = Vec::new();
    for i in 0..2 {
        let mut spec = crate::gui::downloads::tests::spec(&format!("big{i}.iso"));
        spec.size = Some(96 << 20);
        spec.hashes = vec![
            crate::metalink::Hash::from_hex(
                crate::metalink::HashAlgorithm::Sha256,
                &"ab".repeat(32),
            )
            .unwrap(),
        ];
        spec.pieces = Some(crate::metalink::Pieces::new(
            crate::metalink::HashAlgorithm::Sha256,
            256 << 10,
            vec![0x5a; 32 * 384],
        ));
        specs.push(spec);
    }
    app.submit(specs, false, None);
    let json = serde_json::to_vec(&saved::snapshot(&app.downloads)).unwrap();
    // 384 piece digests of 32 bytes each, twice, as hex: about 50 KB.
    assert!(json.len() < 52_000, "{} bytes", json.len());
    assert!(String::from_utf8_lossy(&json).contains(&"5a".repeat(32)));
}

#[test]
fn adding_what_is_queued_or_done_says_so_instead_of_a_twin() {
    let (mut app, dir) = app("twins");
    let _ = app.update(Message::Resolved(Ok(metalink("t.iso")), true));
    let _ = app.update(Message::Resolved(Ok(metalink("t.iso")), true));
    assert_eq!(app.downloads().len(), 1, "no twin");
    assert_eq!(app.notices(), ["t.iso is already in the queue"]);
    finished(&mut app, &dir, "u.iso");
    let _ = app.update(Message::Resolved(Ok(metalink("u.iso")), false));
    let dialog = app.dialog().unwrap();
    assert!(dialog.specs().is_err(), "nothing new is chosen");
    let mut ui = iced_test::simulator(app.view());
    assert!(ui.find("downloaded already").is_ok());
}

#[test]
fn removing_a_finished_file_can_be_undone_then_is_carried_out() {
    let (mut app, dir) = app("undo");
    let keep = finished(&mut app, &dir, "keep.iso");
    let gone = finished(&mut app, &dir, "gone.iso");
    let _ = app.update(Message::Queue(queue::Message::Details(keep)));
    let _ = app.update(Message::Details(details::Message::DeleteFile(keep)));
    assert!(matches!(app.screen, Screen::Queue), "back where Undo is");
    let _ = app.update(Message::Key(
        keyboard::Key::Character("z".into()),
        keyboard::Modifiers::CTRL,
    ));
    let _ = app.update(Message::Queue(queue::Message::Remove {
        id: gone,
        delete_files: true,
    }));
    let later = Instant::now() + queue::UNDO_WINDOW + std::time::Duration::from_secs(1);
    let _ = app.update(Message::Tick(later));
    // The deletion runs off the UI thread; its answer is folded in as it would be.
    let (ids, errors) = super::actions::delete_files(vec![(gone, dir.join("gone.iso"))]);
    let _ = app.update(Message::Deleted(ids, errors));
    assert!(dir.join("keep.iso").exists(), "undone: kept");
    assert!(!dir.join("gone.iso").exists(), "carried out");
    let names: Vec<_> = app
        .downloads()
        .iter()
        .map(|d| d.spec.name.as_str())
        .collect();
    assert_eq!(names, ["keep.iso"]);
}

#[test]
fn the_scroll_position_survives_a_trip_to_settings() {
    let (mut app, _dir) = app("scroll");
    app.queue.set_offset_for_tests(1234.0);
    let _ = app.update(Message::ShowSettings);
    let back = app.update(Message::Settings(settings::Message::Cancel));
    assert!(matches!(app.screen, Screen::Queue));
    assert_eq!(app.queue.offset(), 1234.0);
    assert_eq!(back.units(), 1, "a scroll_to task puts it back");
}

#[test]
fn copied_download_links_are_offered_only_while_the_clipboard_is_watched() {
    let (mut app, _dir) = app("clipboard");
    let copy = |app: &mut App, text: &str| {
        let _ = app.update(Message::Clipboard(Some(text.into())));
    };
    copy(&mut app, "https://a.example/first.meta4");
    copy(&mut app, "https://a.example/second.meta4");
    assert!(app.notices().is_empty(), "off by default");
    app.config.watch_clipboard = true;
    copy(&mut app, "https://a.example/before.meta4");
    assert!(
        app.notices().is_empty(),
        "what was copied before is not offered"
    );
    copy(&mut app, "a paragraph with https://a.example/x.iso in it");
    assert!(
        app.notices().is_empty(),
        "text that is no link is not offered"
    );
    copy(&mut app, "https://a.example/disc.meta4");
    assert_eq!(app.notices(), ["Copied: https://a.example/disc.meta4"]);
    let _ = app.update(Message::Notices(notices::Message::Take(0)));
    assert!(
        app.notices().is_empty(),
        "taken: it goes the way of a paste"
    );
    copy(&mut app, "https://a.example/page.html");
    assert!(app.notices().is_empty(), "no download");
}

#[test]
fn a_links_referrer_and_cookies_from_the_browser_go_with_its_download() {
    let (mut app, _dir) = app("site");
    let link = "https://dl.example/a.iso.meta4".to_owned();
    let site = SiteHeaders::for_link(&link, Some("https://dl.example/page"), Some("s=1"))
        .unwrap()
        .unwrap();
    let hand_off = HandOff {
        start: false,
        sources: vec![link.clone()],
        sites: [(link.clone(), site.clone())].into(),
    };
    let _ = app.update(Message::HandedOff(hand_off.to_args()));
    let Resolved::Metalink {
        document, warnings, ..
    } = metalink("a.iso")
    else {
        unreachable!()
    };
    let resolved = Resolved::Metalink {
        source: link,
        document,
        warnings,
        only: None,
    };
    let _ = app.update(Message::Resolved(Ok(resolved), false));
    let _ = app.update(Message::Add(add::Message::Add(false)));
    assert_eq!(
        app.downloads().nth(0).unwrap().spec.site_headers,
        Some(site)
    );
    let _ = app.update(Message::Resolved(Ok(metalink("b.iso")), false));
    let _ = app.update(Message::Add(add::Message::Add(false)));
    assert_eq!(
        app.downloads().nth(1).unwrap().spec.site_headers,
        None,
        "only its own"
    );
}
