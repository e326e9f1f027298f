//! Moving downloads in the queue: the selection with the keyboard (Alt+↑/↓ one place,
//! Alt+Home/End to the top or bottom), or one row dragged with the mouse. The window
//! only asks; the engine moves them (within their priority, or into the priority of
//! the download they are dropped on) and answers with the new order.

use crate::engine::{Command, DownloadId, Place};
use crate::gui::downloads::Downloads;

use super::table::ROW_HEIGHT;

/// A row held down with the mouse: a drag once the pointer is over another row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Press {
    pub id: DownloadId,
    /// The row the pointer is over now (an index into the rows shown).
    pub over: Option<usize>,
}

impl Press {
    pub fn new(id: DownloadId) -> Self {
        Press { id, over: None }
    }

    /// Follows the pointer at `y` (from the top of all the rows).
    pub fn follow(&mut self, y: f32, rows: usize) {
        if rows > 0 {
            self.over = Some(((y.max(0.0) / ROW_HEIGHT) as usize).min(rows - 1));
        }
    }

    /// The row it would land on, when that is not its own.
    pub fn target(&self, rows: &[DownloadId]) -> Option<usize> {
        let over = self.over?;
        let from = rows.iter().position(|id| *id == self.id)?;
        (over != from).then_some(over)
    }

    /// What letting go does: the download takes the place of the row it is over (before
    /// it when dragged up, after it when dragged down). Rows downloaded in an earlier
    /// session are not in the engine's queue, so the nearest one that is stands in.
    pub fn drop(&self, rows: &[DownloadId], downloads: &Downloads) -> Option<Command> {
        let to = self.target(rows)?;
        let from = rows.iter().position(|id| *id == self.id)?;
        let in_queue = |index: &usize| {
            downloads
                .get(rows[*index])
                .is_some_and(|d| !d.state.is_done())
        };
        let (index, place): (usize, fn(DownloadId) -> Place) = if to < from {
            ((to..from).find(in_queue)?, Place::Before)
        } else {
            ((from + 1..=to).rev().find(in_queue)?, Place::After)
        };
        Some(Command::Reorder {
            id: self.id,
            place: place(rows[index]),
        })
    }
}

/// The commands that move the selected downloads (in the order shown) to `place`,
/// keeping their order among themselves.
pub fn move_selected(rows: &[DownloadId], downloads: &Downloads, place: Place) -> Vec<Command> {
    let mut selected: Vec<DownloadId> = rows
        .iter()
        .copied()
        .filter(|id| {
            downloads
                .get(*id)
                .is_some_and(|d| d.selected && d.leaving.is_none())
        })
        .collect();
    // Moving down, the lowest goes first, so none passes another; to the top, the
    // lowest goes first too, so the highest ends first.
    if matches!(place, Place::Down | Place::Top) {
        selected.reverse();
    }
    selected
        .into_iter()
        .map(|id| Command::Reorder { id, place })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::downloads::tests::spec;
    use crate::gui::downloads::{Download, State};

    fn downloads(states: &[State]) -> (Downloads, Vec<DownloadId>) {
        let mut downloads = Downloads::default();
        for (i, state) in states.iter().enumerate() {
            let id = DownloadId(i as u64 + 1);
            downloads.insert(Download::new(id, spec(&format!("f{i}")), state.clone()));
        }
        let rows = downloads.iter().map(|d| d.id).collect();
        (downloads, rows)
    }

    fn reorder(id: u64, place: Place) -> Command {
        Command::Reorder {
            id: DownloadId(id),
            place,
        }
    }

    #[test]
    fn a_dragged_row_takes_the_place_of_the_row_it_is_dropped_on() {
        let (downloads, rows) = downloads(&vec![State::Queued; 5]);
        let mut press = Press::new(DownloadId(4));
        press.follow(3.5 * ROW_HEIGHT, rows.len());
        assert_eq!(press.drop(&rows, &downloads), None, "not moved");
        press.follow(1.2 * ROW_HEIGHT, rows.len());
        assert_eq!(
            press.drop(&rows, &downloads),
            Some(reorder(4, Place::Before(DownloadId(2))))
        );
        let mut press = Press::new(DownloadId(1));
        press.follow(99.0 * ROW_HEIGHT, rows.len());
        assert_eq!(
            press.drop(&rows, &downloads),
            Some(reorder(1, Place::After(DownloadId(5)))),
            "below the last row"
        );
    }

    #[test]
    fn rows_the_engine_does_not_queue_are_passed_over() {
        let done = State::Finished {
            path: "/tmp/f".into(),
            verified: None,
            repaired: 0,
            reused: None,
        };
        let (downloads, rows) = downloads(&[
            State::Queued,
            done.clone(),
            State::Queued,
            done.clone(),
            State::Paused,
        ]);
        let mut press = Press::new(DownloadId(5));
        press.follow(1.5 * ROW_HEIGHT, rows.len());
        assert_eq!(
            press.drop(&rows, &downloads),
            Some(reorder(5, Place::Before(DownloadId(3))))
        );
        let mut press = Press::new(DownloadId(3));
        press.follow(3.5 * ROW_HEIGHT, rows.len());
        assert_eq!(
            press.drop(&rows, &downloads),
            None,
            "only done ones between"
        );
    }

    #[test]
    fn the_selection_moves_keeping_its_order() {
        let (mut downloads, rows) = downloads(&vec![State::Queued; 4]);
        for id in [2, 3] {
            downloads.get_mut(DownloadId(id)).unwrap().selected = true;
        }
        assert_eq!(
            move_selected(&rows, &downloads, Place::Up),
            [reorder(2, Place::Up), reorder(3, Place::Up)]
        );
        assert_eq!(
            move_selected(&rows, &downloads, Place::Down),
            [reorder(3, Place::Down), reorder(2, Place::Down)]
        );
        assert_eq!(
            move_selected(&rows, &downloads, Place::Top),
            [reorder(3, Place::Top), reorder(2, Place::Top)]
        );
        assert_eq!(
            move_selected(&rows, &downloads, Place::Bottom),
            [reorder(2, Place::Bottom), reorder(3, Place::Bottom)]
        );
    }
}
