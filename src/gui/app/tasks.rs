//! Work done off the UI thread for the app: measuring space, native dialogs.

use std::path::PathBuf;

use iced::Task;

use super::Message;
use crate::gui::add;

/// Measures the free space in `dir` off the UI thread (a network mount may be slow).
/// The answer goes to whatever shows that folder's space: the status bar (the download
/// folder), the add dialog (its folder), or both, so the two never disagree.
pub(super) fn free_space(dir: PathBuf) -> Task<Message> {
    Task::perform(
        async move {
            let measured = dir.clone();
            let free = tokio::task::spawn_blocking(move || crate::engine::free_space(&measured))
                .await
                .ok()
                .flatten();
            (dir, free)
        },
        |(dir, free)| Message::FreeSpace(dir, free),
    )
}

pub(super) fn pick_folder(start: PathBuf, to: fn(Option<PathBuf>) -> Message) -> Task<Message> {
    Task::perform(
        answered_by_a_person(async move {
            rfd::AsyncFileDialog::new()
                .set_directory(&start)
                .pick_folder()
                .await
                .map(|f| f.path().to_path_buf())
        }),
        move |picked| picked.map_or(Message::NoFileDialog, to),
    )
}

/// Runs a native dialog. `None` when it answered "nothing chosen" faster than a person
/// could: then there was no dialog at all (no desktop portal), which the user must be
/// told rather than left clicking a button that does nothing.
pub(super) async fn answered_by_a_person<T>(
    dialog: impl std::future::Future<Output = Option<T>>,
) -> Option<Option<T>> {
    let asked = std::time::Instant::now();
    let answer = dialog.await;
    if answer.is_none() && asked.elapsed() < std::time::Duration::from_millis(300) {
        return None;
    }
    Some(answer)
}

/// Picks a file to reuse for the add dialog.
pub(super) fn pick_file(start: PathBuf) -> Task<Message> {
    Task::perform(
        answered_by_a_person(async move {
            rfd::AsyncFileDialog::new()
                .set_directory(&start)
                .pick_file()
                .await
                .map(|f| f.path().to_path_buf())
        }),
        |picked| {
            picked.map_or(Message::NoFileDialog, |file| {
                Message::Add(add::Message::Reuse(crate::gui::reuse::Message::Chosen(
                    file,
                )))
            })
        },
    )
}

/// What the add dialog's free space and files to reuse are: both looked up off the UI
/// thread.
pub(super) fn look_around(dialog: &add::Dialog) -> Task<Message> {
    let measure = free_space(dialog.dir.clone());
    let Some(look) = dialog.look() else {
        return measure;
    };
    let dir = look.dir.clone();
    let found = Task::perform(
        crate::gui::reuse::look(look.dir, look.name, look.urls, look.size, look.has_blocks),
        move |found| {
            Message::Add(add::Message::Reuse(crate::gui::reuse::Message::Found(
                dir.clone(),
                std::sync::Arc::new(found),
            )))
        },
    );
    Task::batch([measure, found])
}
