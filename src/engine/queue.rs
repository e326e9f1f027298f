//! The order downloads start in. The list is kept in start order: every high-priority
//! download before every normal one, every normal one before every low one, and within
//! a priority the order the user gave. `max_active` takes the first downloads of this
//! list that may run, so moving a download up or raising its priority is what starts it.

use serde::{Deserialize, Serialize};

use super::DownloadId;

/// A download's priority: which downloads `max_active` lets run first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    High,
    #[default]
    Normal,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::High, Priority::Normal, Priority::Low];
}

/// Where a download moves to. Moves stay among downloads of the same priority, except
/// `Before`, which takes the priority of the download it is put before (a drag onto a
/// high-priority download makes it high priority).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Up,
    Down,
    Top,
    Bottom,
    /// Just before this download (dragged onto it).
    Before(DownloadId),
    /// Just after this download (dragged below the last of a list).
    After(DownloadId),
}

/// The downloads in start order, each with its priority.
#[derive(Debug, Default)]
pub(crate) struct Order {
    list: Vec<(DownloadId, Priority)>,
}

impl Order {
    pub fn ids(&self) -> impl Iterator<Item = DownloadId> + '_ {
        self.list.iter().map(|(id, _)| *id)
    }

    pub fn to_vec(&self) -> Vec<DownloadId> {
        self.ids().collect()
    }

    fn position(&self, id: DownloadId) -> Option<usize> {
        self.list.iter().position(|(i, _)| *i == id)
    }

    /// Where the band of `priority` ends (the index after its last download).
    fn band_end(&self, priority: Priority) -> usize {
        self.list.iter().take_while(|(_, p)| *p <= priority).count()
    }

    fn band_start(&self, priority: Priority) -> usize {
        self.list.iter().take_while(|(_, p)| *p < priority).count()
    }

    /// Adds a download at the end of its priority. Returns whether it went anywhere but
    /// the end of the whole list.
    pub fn push(&mut self, id: DownloadId, priority: Priority) -> bool {
        let at = self.band_end(priority);
        self.list.insert(at, (id, priority));
        at + 1 != self.list.len()
    }

    pub fn remove(&mut self, id: DownloadId) {
        self.list.retain(|(i, _)| *i != id);
    }

    /// Gives a download another priority: it goes to the end of that priority's
    /// downloads. Returns whether anything changed.
    pub fn set_priority(&mut self, id: DownloadId, priority: Priority) -> bool {
        let Some(at) = self.position(id) else {
            return false;
        };
        if self.list[at].1 == priority {
            return false;
        }
        self.list.remove(at);
        self.push(id, priority);
        true
    }

    #[cfg(test)]
    pub fn priority(&self, id: DownloadId) -> Option<Priority> {
        self.position(id).map(|at| self.list[at].1)
    }

    /// Moves a download; returns its priority if it moved (it may have changed with
    /// `Before`/`After`), `None` if nothing changed.
    pub fn place(&mut self, id: DownloadId, place: Place) -> Option<Priority> {
        let at = self.position(id)?;
        let (_, priority) = self.list[at];
        let (start, end) = (self.band_start(priority), self.band_end(priority));
        let to = match place {
            Place::Up if at > start => at - 1,
            Place::Down if at + 1 < end => at + 1,
            Place::Top => start,
            Place::Bottom => end - 1,
            Place::Up | Place::Down => return None,
            Place::Before(other) | Place::After(other) => {
                if other == id {
                    return None;
                }
                let entry = self.list.remove(at);
                let target = self.position(other);
                let Some(target) = target else {
                    self.list.insert(at, entry);
                    return None;
                };
                let new_priority = self.list[target].1;
                let index = if matches!(place, Place::After(_)) {
                    target + 1
                } else {
                    target
                };
                self.list.insert(index, (id, new_priority));
                return (index != at || new_priority != priority).then_some(new_priority);
            }
        };
        if to == at {
            return None;
        }
        let entry = self.list.remove(at);
        self.list.insert(to, entry);
        Some(priority)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(order: &Order) -> Vec<u64> {
        order.ids().map(|id| id.0).collect()
    }

    fn order(entries: &[(u64, Priority)]) -> Order {
        let mut order = Order::default();
        for (id, priority) in entries {
            order.push(DownloadId(*id), *priority);
        }
        order
    }

    #[test]
    fn priorities_keep_their_bands() {
        use Priority::*;
        let mut order = order(&[(1, Normal), (2, Low), (3, High), (4, Normal)]);
        assert_eq!(ids(&order), [3, 1, 4, 2]);
        assert!(!order.push(DownloadId(5), Low), "appended at the very end");
        assert!(order.push(DownloadId(6), High));
        assert_eq!(ids(&order), [3, 6, 1, 4, 2, 5]);
        assert!(order.set_priority(DownloadId(2), High));
        assert_eq!(ids(&order), [3, 6, 2, 1, 4, 5]);
        assert!(!order.set_priority(DownloadId(2), High));
    }

    #[test]
    fn moves_stay_within_a_priority() {
        use Priority::*;
        let mut order = order(&[(1, High), (2, Normal), (3, Normal), (4, Normal), (5, Low)]);
        assert_eq!(order.place(DownloadId(2), Place::Up), None, "first normal");
        assert_eq!(order.place(DownloadId(3), Place::Up), Some(Normal));
        assert_eq!(ids(&order), [1, 3, 2, 4, 5]);
        assert_eq!(order.place(DownloadId(3), Place::Bottom), Some(Normal));
        assert_eq!(ids(&order), [1, 2, 4, 3, 5]);
        assert_eq!(order.place(DownloadId(3), Place::Down), None, "last normal");
        assert_eq!(order.place(DownloadId(3), Place::Top), Some(Normal));
        assert_eq!(ids(&order), [1, 3, 2, 4, 5]);
        assert_eq!(order.place(DownloadId(9), Place::Top), None, "unknown");
    }

    #[test]
    fn dragging_before_another_takes_its_priority() {
        use Priority::*;
        let mut order = order(&[(1, High), (2, Normal), (3, Normal), (4, Low)]);
        assert_eq!(
            order.place(DownloadId(4), Place::Before(DownloadId(2))),
            Some(Normal)
        );
        assert_eq!(ids(&order), [1, 4, 2, 3]);
        assert_eq!(order.priority(DownloadId(4)), Some(Normal));
        assert_eq!(
            order.place(DownloadId(3), Place::Before(DownloadId(1))),
            Some(High)
        );
        assert_eq!(ids(&order), [3, 1, 4, 2]);
        assert_eq!(
            order.place(DownloadId(3), Place::After(DownloadId(2))),
            Some(Normal)
        );
        assert_eq!(ids(&order), [1, 4, 2, 3]);
        assert_eq!(
            order.place(DownloadId(2), Place::Before(DownloadId(3))),
            None
        );
        assert_eq!(
            order.place(DownloadId(2), Place::Before(DownloadId(2))),
            None
        );
    }
}
