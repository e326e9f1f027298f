//! The window as it comes back from the tray, and the free space it shows.

use super::*;

/// Bug: the window opened again from the tray came back at the default size, at the
/// desktop's choice of place.
#[test]
fn a_window_opened_again_from_the_tray_is_where_and_as_large_as_it_was() {
    let (mut app, _dir) = app("window-back");
    let first = app.window_settings();
    assert_eq!(first.size, crate::gui::window_settings().size);
    assert!(
        matches!(first.position, iced::window::Position::Default),
        "the desktop places it"
    );
    let _ = app.update(Message::Resized(Size::new(812.0, 533.0)));
    let _ = app.update(Message::Moved(iced::Point::new(140.0, 96.0)));
    let again = app.window_settings();
    assert_eq!(again.size, Size::new(812.0, 533.0));
    assert!(
        matches!(again.position, iced::window::Position::Specific(at) if at == iced::Point::new(140.0, 96.0)),
        "{:?}",
        again.position
    );
    assert_eq!(again.min_size, first.min_size, "the rest as before");
}

/// Bug: at the first start the status bar said 54.6 GiB free and the add dialog 69.5:
/// the bar had measured once at the start, the dialog when it opened. A measurement of
/// a folder now reaches both.
#[test]
fn the_status_bar_and_the_add_dialog_agree_on_the_free_space() {
    let (mut app, dir) = app("free-space");
    let _ = app.update(Message::FreeSpace(dir.clone(), Some(54 << 30)));
    assert_eq!(app.free, Some(54 << 30));
    let _ = app.update(Message::Resolved(Ok(metalink("a.iso")), false));
    let dialog = app.dialog.as_ref().expect("the dialog");
    assert_eq!(dialog.dir, dir, "both measure the download folder");
    let _ = app.update(Message::FreeSpace(dir.clone(), Some(69 << 30)));
    assert_eq!(app.free, Some(69 << 30), "the status bar");
    assert_eq!(
        app.dialog.as_ref().unwrap().free,
        Some(69 << 30),
        "the dialog"
    );
    // Another folder's space is the dialog's alone.
    let _ = app.update(Message::FreeSpace("/elsewhere".into(), Some(1)));
    assert_eq!(app.free, Some(69 << 30));
}
