//! The app as a whole, driven by messages.

use super::*;
use crate::metalink::{File, MirrorUrl, Version};

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
    let _ = app.update(Message::Hovering(true));
    let _ = app.update(Message::Dropped(photo));
    assert!(!app.hovering);
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
    let _ = app.update(Message::CloseRequested);
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
    let _ = app.update(Message::Dismiss(0));
    assert!(app.notices().is_empty());
}
