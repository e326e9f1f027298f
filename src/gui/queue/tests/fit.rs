//! Nothing a user reads in the queue is cut or wrapped, in any of the three languages,
//! from 800 px up: the toolbar's words, the filters, the count, a row's state.

use std::time::SystemTime;

use super::*;

/// The queue as the app shows it in a window `window` pixels wide.
fn queue_in(window: f32, downloads: &Downloads) -> Simulator<'_, Message> {
    let width = window - 32.0;
    simulator(&Queue::default(), downloads, Size::new(width, 500.0))
}

fn sample() -> Downloads {
    let tomorrow = SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 26 * 3600;
    let mut downloads = with(&[
        State::Running,
        State::Paused,
        State::Waiting(tomorrow),
        State::Finished {
            path: "/tmp/file3.iso".into(),
            verified: None,
            repaired: 0,
            reused: None,
        },
        State::Queued,
    ]);
    // The longest words: "Pause selected" rather than "Pause all".
    downloads.get_mut(DownloadId(2)).unwrap().selected = true;
    downloads
}

/// Bug: German "4 Downlo…" was cut at 1000 px, "Done, not veri…" at 800 px, and
/// "Fertige entfernen" wrapped onto two lines.
#[test]
fn no_words_are_cut_from_800_px_up_in_any_language() {
    let downloads = sample();
    for language in ["en", "de", "es"] {
        crate::i18n::set_language(language);
        let words: Vec<String> = [
            "queue-select-all",
            "queue-pause-selected",
            "queue-resume-selected",
            "queue-remove-selected",
            "queue-clear-completed",
        ]
        .into_iter()
        .map(t)
        .chain(std::iter::once(t_args(
            "queue-count",
            &[("count", "5".into())],
        )))
        .chain(Filter::ALL.into_iter().map(|filter| {
            t_args(
                "filter-with-count",
                &[
                    ("filter", filter.label()),
                    (
                        "count",
                        Lens::default().counts(&downloads).of(filter).to_string(),
                    ),
                ],
            )
        }))
        .collect();
        let states: Vec<String> = (1..=5u64)
            .map(|id| {
                let download = downloads.get(DownloadId(id)).unwrap();
                match &download.state {
                    State::Running => crate::gui::units::speed(0.0),
                    State::Finished { .. } => t("state-done-short"),
                    other => state_text(other),
                }
            })
            .collect();
        for window in [800.0, 1000.0, 1600.0] {
            let mut ui = queue_in(window, &downloads);
            let mut shown = Vec::new();
            for word in &words {
                // A word that is not there became an icon, its words in a tooltip.
                if let Ok(found) = ui.find(word.as_str()) {
                    let bounds = found.bounds();
                    assert!(
                        bounds.height < 24.0,
                        "{language} at {window}: {word:?} wraps ({bounds:?})"
                    );
                    assert!(
                        bounds.x + bounds.width <= window - 32.0,
                        "{language} at {window}: {word:?} runs out ({bounds:?})"
                    );
                    shown.push((word, bounds));
                }
            }
            for (i, (a, one)) in shown.iter().enumerate() {
                for (b, other) in &shown[i + 1..] {
                    assert!(
                        one.intersection(other).is_none(),
                        "{language} at {window}: {a:?} and {b:?} overlap"
                    );
                }
            }
            // The search box keeps a usable width, inside the window, clear of the words
            // (at 800 px in Spanish it was squeezed to a sliver showing one letter).
            let search = ui
                .find(selector::id(crate::gui::queue::SEARCH_ID))
                .unwrap()
                .bounds();
            assert!(
                search.width >= 120.0 && search.x + search.width <= window - 16.0,
                "{language} at {window}: the search box is {search:?}"
            );
            for (word, bounds) in &shown {
                assert!(
                    search.intersection(bounds).is_none(),
                    "{language} at {window}: the search box covers {word:?}"
                );
            }
            assert!(
                shown.len() >= 8,
                "{language} at {window}: the filters and most actions say their words"
            );
            for (id, state) in (1..=5u64).zip(&states) {
                let words = ui
                    .find(state.as_str())
                    .unwrap_or_else(|_| panic!("{language} at {window}: {state:?}"))
                    .bounds();
                let buttons = ui
                    .find(selector::id(action_id("main", DownloadId(id))))
                    .unwrap()
                    .bounds();
                assert!(
                    words.x + words.width <= buttons.x,
                    "{language} at {window}: {state:?} is cut ({words:?}, buttons at {})",
                    buttons.x
                );
            }
        }
    }
    crate::i18n::set_language("en");
}
