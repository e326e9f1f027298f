use iced::Size;
use iced_test::{Simulator, selector};

use super::table::{self, Column};
use super::*;
use crate::gui::downloads::tests::spec;

mod fit;
mod rows;

fn with(states: &[State]) -> Downloads {
    let mut downloads = Downloads::default();
    for (i, state) in states.iter().enumerate() {
        let id = DownloadId(i as u64 + 1);
        downloads.insert(Download::new(
            id,
            spec(&format!("file{i}.iso")),
            state.clone(),
        ));
    }
    downloads
}

const WINDOW: Size = Size::new(1000.0, 680.0);

fn simulator<'a>(queue: &Queue, downloads: &'a Downloads, size: Size) -> Simulator<'a, Message> {
    Simulator::with_size(
        iced_test::core::Settings::default(),
        size,
        queue.view(downloads, size.width),
    )
}

/// Clicks the row action `what` of download `id` and folds the messages in.
fn click(queue: &mut Queue, downloads: &mut Downloads, what: &str, id: u64) -> Vec<Action> {
    let messages = {
        let mut ui = simulator(queue, downloads, WINDOW);
        ui.click(selector::id(action_id(what, DownloadId(id))))
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        ui.into_messages().collect::<Vec<_>>()
    };
    messages
        .into_iter()
        .map(|m| queue.update(downloads, m))
        .filter(|a| *a != Action::None)
        .collect()
}

#[test]
fn clicking_pause_pauses_that_row() {
    crate::i18n::set_language("en");
    let mut downloads = with(&[State::Running]);
    let mut queue = Queue::default();
    let actions = click(&mut queue, &mut downloads, "main", 1);
    assert_eq!(
        actions,
        [Action::Engine(vec![Command::Pause(DownloadId(1))])]
    );
}

#[test]
fn clicking_resume_and_retry_resume() {
    crate::i18n::set_language("en");
    let mut downloads = with(&[State::Paused, State::Failed("HTTP 404".into())]);
    let mut queue = Queue::default();
    let actions = click(&mut queue, &mut downloads, "main", 1);
    assert_eq!(
        actions,
        [Action::Engine(vec![Command::Resume(DownloadId(1))])]
    );
    let actions = click(&mut queue, &mut downloads, "main", 2);
    assert_eq!(
        actions,
        [Action::Engine(vec![Command::Resume(DownloadId(2))])]
    );
}

#[test]
fn a_failed_row_says_why() {
    crate::i18n::set_language("en");
    let downloads = with(&[State::Failed("no usable mirror left".into())]);
    let mut ui = simulator(&Queue::default(), &downloads, WINDOW);
    assert!(ui.find("Failed: no usable mirror left").is_ok());
}

#[test]
fn the_empty_queue_says_how_to_add() {
    crate::i18n::set_language("en");
    let downloads = Downloads::default();
    let mut ui = simulator(&Queue::default(), &downloads, WINDOW);
    assert!(ui.find("No downloads yet").is_ok());
}

#[test]
fn cancelling_waits_for_undo_and_undo_lands_under_the_pointer() {
    crate::i18n::set_language("en");
    let mut downloads = with(&[State::Running, State::Running]);
    let mut queue = Queue::default();
    let cancel = simulator(&queue, &downloads, WINDOW)
        .find(selector::id(action_id("destructive", DownloadId(1))))
        .unwrap()
        .bounds();
    let actions = click(&mut queue, &mut downloads, "destructive", 1);
    assert_eq!(
        actions,
        [Action::Engine(vec![Command::Pause(DownloadId(1))])],
        "only paused for now: nothing is deleted before Undo runs out"
    );
    let leaving = downloads.get(DownloadId(1)).unwrap().leaving.unwrap();
    assert!(leaving.delete_files && leaving.was_active);
    // The row stays where it was; Undo is where the pointer is, not the next row's
    // Cancel.
    let mut ui = simulator(&queue, &downloads, WINDOW);
    assert!(ui.find("file0.iso — removed, its file deleted").is_ok());
    let undo = ui
        .find(selector::id(action_id("undo", DownloadId(1))))
        .unwrap()
        .bounds();
    assert!(undo.contains(cancel.center()), "{undo:?} vs {cancel:?}");
    let next = ui
        .find(selector::id(action_id("destructive", DownloadId(2))))
        .unwrap()
        .bounds();
    assert!(!next.contains(cancel.center()));
    drop(ui);
    // Undo before the engine has paused it: it is resumed once paused.
    let actions = click(&mut queue, &mut downloads, "undo", 1);
    assert!(actions.is_empty(), "{actions:?}");
    let download = downloads.get(DownloadId(1)).unwrap();
    assert_eq!(download.leaving, None);
    assert!(download.resume_when_paused);
    // Undo after the pause: resumed at once.
    click(&mut queue, &mut downloads, "destructive", 2);
    downloads.apply(&crate::engine::Event::Paused(DownloadId(2)));
    let actions = click(&mut queue, &mut downloads, "undo", 2);
    assert_eq!(
        actions,
        [Action::Engine(vec![Command::Resume(DownloadId(2))])]
    );
}

#[test]
fn the_delete_key_removes_the_selection_undoably() {
    let mut downloads = with(&[State::Paused, State::Paused, State::Paused]);
    let mut queue = Queue::default();
    queue.update(&mut downloads, Message::Select(DownloadId(1), true));
    queue.update(&mut downloads, Message::Select(DownloadId(3), true));
    assert_eq!(
        queue.update(&mut downloads, Message::RemoveSelected),
        Action::Engine(Vec::new())
    );
    let leaving: Vec<_> = downloads
        .iter()
        .map(|d| d.leaving.map(|l| l.delete_files))
        .collect();
    assert_eq!(leaving, [Some(false), None, Some(false)], "files are kept");
    assert!(downloads.selected().is_empty());
    assert_eq!(downloads.last_leaving(), Some(DownloadId(3)));
}

#[test]
fn multi_select_and_space_toggle_the_selection() {
    let mut downloads = with(&[State::Running, State::Running, State::Paused]);
    let mut queue = Queue::default();
    queue.update(&mut downloads, Message::Click(DownloadId(1)));
    queue.adding_to_selection = true;
    queue.update(&mut downloads, Message::Click(DownloadId(2)));
    assert_eq!(
        queue.toggle_selected(&mut downloads),
        Action::Engine(vec![
            Command::Pause(DownloadId(1)),
            Command::Pause(DownloadId(2))
        ])
    );
    queue.adding_to_selection = false;
    queue.update(&mut downloads, Message::Click(DownloadId(3)));
    assert_eq!(
        downloads.selected(),
        [DownloadId(3)],
        "a plain click selects one"
    );
    // Nothing selected: the toolbar acts on every download.
    downloads.select_all(false);
    assert_eq!(
        queue.update(&mut downloads, Message::ResumeSelected),
        Action::Engine(vec![Command::Resume(DownloadId(3))])
    );
}

#[test]
fn only_rows_in_view_are_built() {
    let states = vec![State::Paused; 5000];
    let downloads = with(&states);
    let mut ui = simulator(&Queue::default(), &downloads, WINDOW);
    assert!(ui.find("file0.iso").is_ok());
    assert!(ui.find("file4999.iso").is_err(), "far rows are not built");
}

/// Bug: a name that wrapped made its row taller than the rows the list reserved room
/// for, so the last row was cut off. Every row is one height, whatever its name.
#[test]
fn every_row_has_one_height_so_the_last_is_reachable() {
    crate::i18n::set_language("en");
    let mut downloads = Downloads::default();
    let long = "a-very-long-name-that-would-wrap-to-two-or-three-lines-in-a-narrow-window-"
        .repeat(4)
        + "end.iso";
    for (i, name) in ["first.iso", long.as_str(), "third.iso", "last.iso"]
        .iter()
        .enumerate()
    {
        downloads.insert(Download::new(
            DownloadId(i as u64 + 1),
            spec(name),
            State::Paused,
        ));
    }
    let size = Size::new(800.0, 500.0);
    let layout = table::Layout::for_width(size.width);
    let shown = crate::gui::widgets::ellipsize(&long, layout.name_chars);
    assert!(shown.chars().count() < long.chars().count());
    let mut ui = Simulator::with_size(
        iced_test::core::Settings::default(),
        size,
        layout.rows(
            &downloads,
            &Lens::default().rows(&downloads),
            None,
            0.0,
            size.height,
        ),
    );
    let top = |ui: &mut Simulator<'_, Message>, name: &str| ui.find(name).unwrap().bounds();
    let first = top(&mut ui, "first.iso");
    let long_name = top(&mut ui, &shown);
    let last = top(&mut ui, "last.iso");
    assert!(
        long_name.height < ROW_HEIGHT / 1.5,
        "one line: {long_name:?}"
    );
    let close = |a: f32, b: f32| (a - b).abs() < 0.01;
    assert!(close(long_name.y - first.y, ROW_HEIGHT), "{long_name:?}");
    assert!(
        close(last.y - first.y, 3.0 * ROW_HEIGHT),
        "rows below keep their place"
    );
    assert!(last.y + last.height <= 4.0 * ROW_HEIGHT);
}

#[test]
fn narrow_windows_keep_the_important_columns() {
    let wide = table::Layout::for_width(1568.0);
    assert_eq!(wide.columns, Column::ALL);
    let narrow = table::Layout::for_width(768.0);
    assert!(narrow.columns.contains(&Column::Progress));
    assert!(narrow.columns.contains(&Column::Speed));
    assert!(!narrow.columns.contains(&Column::Added));
    assert!(narrow.name_chars >= 15, "{}", narrow.name_chars);
}

#[test]
fn the_status_bar_counts_and_adds_up() {
    crate::i18n::set_language("en");
    let mut downloads = with(&[
        State::Running,
        State::Running,
        State::Queued,
        State::Failed("x".into()),
    ]);
    downloads.get_mut(DownloadId(1)).unwrap().speed = 1024.0;
    downloads.get_mut(DownloadId(2)).unwrap().speed = 512.0;
    let totals = Totals::of(&downloads);
    assert_eq!((totals.running, totals.waiting, totals.failed), (2, 1, 1));
    let bar: Element<'_, ()> = status_bar(totals, Some(3 << 30), None);
    let mut ui = iced_test::simulator(bar);
    assert!(ui.find("1.5 KiB/s").is_ok());
    assert!(
        ui.find("2 downloading · 1 waiting · 0 done · 1 failed")
            .is_ok()
    );
    assert!(ui.find("3.0 GiB free").is_ok());
}

#[test]
fn the_status_bar_says_what_the_schedule_holds_back() {
    use super::status::schedule_text;
    use crate::engine::schedule::{Allowance, InForce, TimeOfDay, Weekday};
    let night = InForce {
        allowance: Allowance::Stopped,
        until: Some((Weekday::Wednesday, TimeOfDay::parse("01:00").unwrap())),
    };
    let slow = InForce {
        allowance: Allowance::Limited(500 << 10),
        until: Some((Weekday::Tuesday, TimeOfDay::parse("07:00").unwrap())),
    };
    let full = InForce {
        allowance: Allowance::Full,
        until: None,
    };
    let cases = [
        (
            "en",
            "Schedule: downloads wait until Wed 01:00",
            "Schedule: 500.0 KiB/s until 07:00",
        ),
        (
            "de",
            "Zeitplan: Downloads warten bis Mi. 01:00",
            "Zeitplan: 500,0 KiB/s bis 07:00",
        ),
        (
            "es",
            "Horario: las descargas esperan hasta mié. 01:00",
            "Horario: 500,0 KiB/s hasta 07:00",
        ),
    ];
    for (language, stopped, limited) in cases {
        crate::i18n::set_language(language);
        assert_eq!(
            schedule_text(&night, Weekday::Tuesday).as_deref(),
            Some(stopped)
        );
        assert_eq!(
            schedule_text(&slow, Weekday::Tuesday).as_deref(),
            Some(limited)
        );
        assert_eq!(
            schedule_text(&full, Weekday::Tuesday),
            None,
            "full speed says nothing"
        );
        let totals = Totals {
            done: 2,
            ..Totals::default()
        };
        let bar: Element<'_, ()> =
            status_bar(totals, None, schedule_text(&night, Weekday::Tuesday));
        let mut ui = iced_test::simulator(bar);
        assert!(ui.find(stopped).is_ok(), "{language}");
        if language == "en" {
            assert!(
                ui.find("0 downloading · 2 done").is_ok(),
                "counts of 0 make way for the schedule"
            );
        }
    }
    crate::i18n::set_language("en");
}

/// The names of the rows built, top to bottom.
fn names_shown(queue: &Queue, downloads: &Downloads) -> Vec<String> {
    queue
        .rows(downloads)
        .into_iter()
        .map(|id| downloads.get(id).unwrap().spec.name.clone())
        .collect()
}

/// Folds the messages of what `act` does in the window into the queue.
fn act(
    queue: &mut Queue,
    downloads: &mut Downloads,
    act: impl FnOnce(&mut Simulator<'_, Message>),
) -> Vec<Action> {
    let messages = {
        let mut ui = simulator(queue, downloads, WINDOW);
        act(&mut ui);
        ui.into_messages().collect::<Vec<_>>()
    };
    messages
        .into_iter()
        .map(|m| queue.update(downloads, m))
        .filter(|a| *a != Action::None)
        .collect()
}

/// Types `words` into the search box, a key at a time (the window is drawn anew after
/// each, as the app does).
fn type_search(queue: &mut Queue, downloads: &mut Downloads, words: &str) {
    for c in words.chars() {
        act(queue, downloads, |ui| {
            ui.click(selector::id(SEARCH_ID)).unwrap();
            ui.typewrite(&c.to_string());
        });
    }
}

/// Done when: "find a download among 500 by typing part of its name".
#[test]
fn typing_part_of_a_name_finds_it_among_500() {
    crate::i18n::set_language("en");
    let mut downloads = with(&vec![State::Paused; 500]);
    let mut queue = Queue::default();
    type_search(&mut queue, &mut downloads, "le437");
    assert_eq!(names_shown(&queue, &downloads), ["file437.iso"]);
    let mut ui = simulator(&queue, &downloads, WINDOW);
    assert!(ui.find("file437.iso").is_ok());
    assert!(ui.find("file0.iso").is_err());
    assert!(ui.find("All 1").is_ok(), "the counts follow the search");
    drop(ui);
    type_search(&mut queue, &mut downloads, "-nothing");
    let mut ui = simulator(&queue, &downloads, WINDOW);
    assert!(ui.find("No download matches.").is_ok());
    ui.click("Show all").unwrap();
    let messages: Vec<_> = ui.into_messages().collect();
    for message in messages {
        queue.update(&mut downloads, message);
    }
    assert_eq!(queue.rows(&downloads).len(), 500);
}

#[test]
fn filters_show_their_counts_and_their_downloads() {
    crate::i18n::set_language("en");
    let done = State::Finished {
        path: "/tmp/file3.iso".into(),
        verified: None,
        repaired: 0,
        reused: None,
    };
    let mut downloads = with(&[
        State::Running,
        State::Paused,
        State::Failed("HTTP 404".into()),
        done,
        State::Queued,
    ]);
    let mut queue = Queue::default();
    let mut ui = simulator(&queue, &downloads, WINDOW);
    for label in [
        "All 5", "Active 1", "Queued 1", "Paused 1", "Done 1", "Failed 1",
    ] {
        assert!(ui.find(label).is_ok(), "{label}");
    }
    drop(ui);
    let actions = act(&mut queue, &mut downloads, |ui| {
        ui.click(selector::id(Filter::Queued.id())).unwrap();
    });
    assert_eq!(actions, [Action::ScrollTo(0.0)], "back to the top");
    assert_eq!(names_shown(&queue, &downloads), ["file4.iso"]);
    act(&mut queue, &mut downloads, |ui| {
        ui.click(selector::id(Filter::Paused.id())).unwrap();
    });
    assert_eq!(names_shown(&queue, &downloads), ["file1.iso"]);
    // "Resume all" now means the downloads shown.
    let mut ui = simulator(&queue, &downloads, WINDOW);
    assert!(ui.find("Resume shown").is_ok());
    drop(ui);
    assert_eq!(
        queue.update(&mut downloads, Message::ResumeSelected),
        Action::Engine(vec![Command::Resume(DownloadId(2))])
    );
    act(&mut queue, &mut downloads, |ui| {
        ui.click(selector::id(Filter::Failed.id())).unwrap();
    });
    assert_eq!(names_shown(&queue, &downloads), ["file2.iso"]);
}

#[test]
fn a_click_on_a_header_sorts_and_says_so() {
    crate::i18n::set_language("en");
    let mut downloads = Downloads::default();
    for (i, (name, size)) in [("b.iso", 20), ("c.iso", 30), ("a.iso", 10)]
        .into_iter()
        .enumerate()
    {
        let mut spec = spec(name);
        spec.size = Some(size);
        downloads.insert(Download::new(DownloadId(i as u64 + 1), spec, State::Paused));
    }
    let mut queue = Queue::default();
    let sort = |queue: &mut Queue, downloads: &mut Downloads, key| {
        act(queue, downloads, |ui| {
            ui.click(selector::id(table::header_id(key))).unwrap();
        })
    };
    sort(&mut queue, &mut downloads, SortKey::Name);
    assert_eq!(names_shown(&queue, &downloads), ["a.iso", "b.iso", "c.iso"]);
    assert!(simulator(&queue, &downloads, WINDOW).find("Name ▲").is_ok());
    sort(&mut queue, &mut downloads, SortKey::Name);
    assert_eq!(names_shown(&queue, &downloads), ["c.iso", "b.iso", "a.iso"]);
    assert!(simulator(&queue, &downloads, WINDOW).find("Name ▼").is_ok());
    sort(&mut queue, &mut downloads, SortKey::Size);
    assert_eq!(names_shown(&queue, &downloads), ["c.iso", "b.iso", "a.iso"]);
    assert_eq!(
        queue.update(&mut downloads, Message::MoveSelected(Place::Up)),
        Action::None,
        "a sorted list is not reordered"
    );
    sort(&mut queue, &mut downloads, SortKey::Size);
    sort(&mut queue, &mut downloads, SortKey::Size);
    assert_eq!(
        names_shown(&queue, &downloads),
        ["b.iso", "c.iso", "a.iso"],
        "the third click: queue order"
    );
}

#[test]
fn clear_completed_takes_the_done_ones_off_undoably() {
    crate::i18n::set_language("en");
    let done = |i| State::Finished {
        path: format!("/tmp/file{i}.iso").into(),
        verified: None,
        repaired: 0,
        reused: None,
    };
    let mut downloads = with(&[done(0), State::Running, done(2)]);
    let mut queue = Queue::default();
    let actions = act(&mut queue, &mut downloads, |ui| {
        ui.click("Clear completed").unwrap();
    });
    assert_eq!(actions, [Action::Engine(Vec::new())]);
    let leaving: Vec<_> = downloads
        .iter()
        .map(|d| d.leaving.map(|l| l.delete_files))
        .collect();
    assert_eq!(leaving, [Some(false), None, Some(false)], "files stay");
    assert_eq!(downloads.last_leaving(), Some(DownloadId(3)), "Ctrl+Z");
}

#[test]
fn a_row_dragged_onto_another_takes_its_place() {
    crate::i18n::set_language("en");
    let mut downloads = with(&[State::Queued, State::Queued, State::Queued, State::Queued]);
    let mut queue = Queue::default();
    act(&mut queue, &mut downloads, |ui| {
        ui.click("file3.iso").unwrap();
    });
    assert_eq!(downloads.selected(), [DownloadId(4)], "a press selects");
    let actions = act(&mut queue, &mut downloads, |ui| {
        let target = ui
            .find(selector::id(action_id("main", DownloadId(2))))
            .unwrap()
            .bounds();
        ui.point_at(target.center());
        ui.simulate([iced::Event::Mouse(iced::mouse::Event::ButtonReleased(
            iced::mouse::Button::Left,
        ))]);
    });
    assert_eq!(
        actions,
        [Action::Engine(vec![Command::Reorder {
            id: DownloadId(4),
            place: Place::Before(DownloadId(2)),
        }])]
    );
    // The engine's answer puts it there.
    downloads.apply(&crate::engine::Event::Order(
        [1, 4, 2, 3].map(DownloadId).to_vec(),
    ));
    assert_eq!(
        names_shown(&queue, &downloads),
        ["file0.iso", "file3.iso", "file1.iso", "file2.iso"]
    );
}

#[test]
fn the_keyboard_moves_the_selection_and_the_selected_rows() {
    let mut downloads = with(&[State::Queued, State::Queued, State::Queued]);
    let mut queue = Queue::default();
    queue.update(&mut downloads, Message::Step(Step::Next));
    assert_eq!(downloads.selected(), [DownloadId(1)]);
    queue.update(&mut downloads, Message::Step(Step::Last));
    queue.update(&mut downloads, Message::Step(Step::Previous));
    assert_eq!(downloads.selected(), [DownloadId(2)]);
    assert_eq!(
        queue.update(&mut downloads, Message::MoveSelected(Place::Top)),
        Action::Engine(vec![Command::Reorder {
            id: DownloadId(2),
            place: Place::Top,
        }])
    );
}

#[test]
fn the_category_filter_shows_one_kind() {
    crate::i18n::set_language("en");
    let mut downloads = Downloads::default();
    for (i, name) in ["a.iso", "b.pdf", "c.deb", "d.bin"].into_iter().enumerate() {
        downloads.insert(Download::new(
            DownloadId(i as u64 + 1),
            spec(name),
            State::Paused,
        ));
    }
    downloads.get_mut(DownloadId(4)).unwrap().filed_as = Some(Category::Image);
    let mut queue = Queue::default();
    queue.update(&mut downloads, Message::Kind(Some(Category::Image)));
    assert_eq!(
        names_shown(&queue, &downloads),
        ["a.iso", "d.bin"],
        "as filed"
    );
    queue.update(&mut downloads, Message::Kind(Some(Category::Document)));
    assert_eq!(names_shown(&queue, &downloads), ["b.pdf"]);
}
