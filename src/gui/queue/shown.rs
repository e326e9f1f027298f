//! What the table shows of the queue: a filter by state (each with its count), a kind
//! of file, a search over names, and a sort by a column. None of it changes the queue:
//! unsorted, the rows are in queue order, which is the engine's start order, and only
//! then can they be moved (a moved row would jump away from the pointer in a sorted
//! list).

use std::cmp::Ordering;

use crate::category::Category;
use crate::engine::DownloadId;
use crate::gui::downloads::{Download, Downloads, State};
use crate::i18n::t;

/// Which downloads are shown, by what they are doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Filter {
    #[default]
    All,
    /// Downloading now.
    Active,
    /// Still to do: waiting for its turn or its start time.
    Queued,
    /// Stopped by the user: it waits for Resume, not for its turn.
    Paused,
    /// Downloaded.
    Done,
    Failed,
}

impl Filter {
    pub const ALL: [Filter; 6] = [
        Filter::All,
        Filter::Active,
        Filter::Queued,
        Filter::Paused,
        Filter::Done,
        Filter::Failed,
    ];

    pub fn admits(self, state: &State) -> bool {
        match self {
            Filter::All => true,
            Filter::Active => *state == State::Running,
            Filter::Queued => matches!(state, State::Queued | State::Waiting(_)),
            Filter::Paused => *state == State::Paused,
            Filter::Done => state.is_done(),
            Filter::Failed => matches!(state, State::Failed(_)),
        }
    }

    pub fn label(self) -> String {
        t(match self {
            Filter::All => "filter-all",
            Filter::Active => "filter-active",
            Filter::Queued => "filter-queued",
            Filter::Paused => "filter-paused",
            Filter::Done => "filter-done",
            Filter::Failed => "filter-failed",
        })
    }

    /// The widget id of its button, for tests and tools.
    pub fn id(self) -> &'static str {
        match self {
            Filter::All => "filter-all",
            Filter::Active => "filter-active",
            Filter::Queued => "filter-queued",
            Filter::Paused => "filter-paused",
            Filter::Done => "filter-done",
            Filter::Failed => "filter-failed",
        }
    }
}

/// What the rows can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    Name,
    Size,
    /// What it is doing (running first, finished last), then how far it is.
    State,
    Added,
    Speed,
}

impl SortKey {
    /// The direction of a first click: names and states A to Z, the biggest, newest
    /// and fastest first.
    fn first_descending(self) -> bool {
        matches!(self, SortKey::Size | SortKey::Added | SortKey::Speed)
    }

    fn compare(self, a: &Download, b: &Download) -> Ordering {
        match self {
            SortKey::Name => a.spec.name.to_lowercase().cmp(&b.spec.name.to_lowercase()),
            SortKey::Size => a.size().cmp(&b.size()),
            SortKey::State => state_rank(&a.state)
                .cmp(&state_rank(&b.state))
                .then_with(|| {
                    let fraction = |d: &Download| d.fraction().unwrap_or(0.0);
                    fraction(b).total_cmp(&fraction(a))
                }),
            SortKey::Added => a.added.cmp(&b.added),
            SortKey::Speed => a.speed.total_cmp(&b.speed),
        }
    }
}

fn state_rank(state: &State) -> u8 {
    match state {
        State::Running => 0,
        State::Queued => 1,
        State::Waiting(_) => 2,
        State::Paused => 3,
        State::Failed(_) => 4,
        State::Finished { .. } => 5,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

/// The filter, kind, search and sort the user chose.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lens {
    pub filter: Filter,
    /// Only downloads of this kind.
    pub category: Option<Category>,
    /// Words that must all be in the name (any case).
    pub search: String,
    /// `None`: queue order.
    pub sort: Option<Sort>,
}

impl Lens {
    /// A click on a column's header: sorted by it, then the other way round, then back
    /// to queue order.
    pub fn sort_by(&mut self, key: SortKey) {
        let first = key.first_descending();
        self.sort = match self.sort {
            Some(sort) if sort.key == key && sort.descending == first => Some(Sort {
                key,
                descending: !first,
            }),
            Some(sort) if sort.key == key => None,
            _ => Some(Sort {
                key,
                descending: first,
            }),
        };
    }

    /// Whether some downloads may be hidden.
    pub fn narrows(&self) -> bool {
        self.filter != Filter::All || self.category.is_some() || !self.search.trim().is_empty()
    }

    /// Whether rows are in queue order, so moving them means something.
    pub fn in_queue_order(&self) -> bool {
        self.sort.is_none()
    }

    /// Whether `download` passes the kind and the search (the state filter aside).
    fn matches(&self, download: &Download, words: &[String]) -> bool {
        if self
            .category
            .is_some_and(|category| download.category() != category)
        {
            return false;
        }
        if words.is_empty() {
            return true;
        }
        let name = download.spec.name.to_lowercase();
        words.iter().all(|word| name.contains(word.as_str()))
    }

    fn words(&self) -> Vec<String> {
        self.search
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    }

    /// The downloads shown, in the order shown. A row being removed stays in its place
    /// while it can be undone.
    pub fn rows(&self, downloads: &Downloads) -> Vec<DownloadId> {
        let words = self.words();
        let mut shown: Vec<&Download> = downloads
            .iter()
            .filter(|d| self.filter.admits(&d.state) && self.matches(d, &words))
            .collect();
        if let Some(sort) = self.sort {
            // Stable: equal rows keep their queue order.
            shown.sort_by(|a, b| {
                let order = sort.key.compare(a, b);
                if sort.descending {
                    order.reverse()
                } else {
                    order
                }
            });
        }
        shown.into_iter().map(|d| d.id).collect()
    }

    /// How many downloads each filter would show, under the kind and the search.
    pub fn counts(&self, downloads: &Downloads) -> Counts {
        let words = self.words();
        let mut counts = Counts::default();
        for download in downloads
            .iter()
            .filter(|d| d.leaving.is_none() && self.matches(d, &words))
        {
            for filter in Filter::ALL {
                if filter.admits(&download.state) {
                    counts.0[filter as usize] += 1;
                }
            }
        }
        counts
    }
}

/// A count per [`Filter`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts([usize; Filter::ALL.len()]);

impl Counts {
    pub fn of(&self, filter: Filter) -> usize {
        self.0[filter as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::downloads::tests::spec;
    use std::time::{Duration, UNIX_EPOCH};

    fn queue(entries: &[(&str, State, u64, f64)]) -> Downloads {
        let mut downloads = Downloads::default();
        for (i, (name, state, size, speed)) in entries.iter().enumerate() {
            let mut spec = spec(name);
            spec.size = Some(*size);
            let mut download = Download::new(DownloadId(i as u64 + 1), spec, state.clone());
            download.speed = *speed;
            download.added = UNIX_EPOCH + Duration::from_secs(1000 + i as u64);
            downloads.insert(download);
        }
        downloads
    }

    fn ids(rows: Vec<DownloadId>) -> Vec<u64> {
        rows.into_iter().map(|id| id.0).collect()
    }

    fn sample() -> Downloads {
        let done = State::Finished {
            path: "/tmp/x".into(),
            verified: None,
            repaired: 0,
            reused: None,
        };
        queue(&[
            ("debian-13.iso", State::Running, 700, 50.0),
            ("Archive.tar.gz", State::Paused, 10, 0.0),
            ("notes.pdf", done, 5, 0.0),
            ("fedora.iso", State::Running, 900, 80.0),
            ("broken.zip", State::Failed("HTTP 404".into()), 20, 0.0),
            ("later.deb", State::Waiting(2_000_000_000), 30, 0.0),
        ])
    }

    #[test]
    fn filters_count_and_show_their_states() {
        let downloads = sample();
        let mut lens = Lens::default();
        let counts = lens.counts(&downloads);
        let all: Vec<_> = Filter::ALL.iter().map(|f| counts.of(*f)).collect();
        assert_eq!(all, [6, 2, 1, 1, 1, 1], "a paused download is not queued");
        lens.filter = Filter::Queued;
        assert_eq!(ids(lens.rows(&downloads)), [6]);
        lens.filter = Filter::Paused;
        assert_eq!(ids(lens.rows(&downloads)), [2]);
        lens.filter = Filter::Active;
        assert_eq!(ids(lens.rows(&downloads)), [1, 4]);
        lens.search = "FED".into();
        assert_eq!(ids(lens.rows(&downloads)), [4], "search within the filter");
        let counts = lens.counts(&downloads);
        assert_eq!((counts.of(Filter::All), counts.of(Filter::Active)), (1, 1));
    }

    #[test]
    fn every_word_searched_for_must_be_in_the_name() {
        let downloads = sample();
        let lens = Lens {
            search: "  iso deb ".into(),
            ..Lens::default()
        };
        assert_eq!(ids(lens.rows(&downloads)), [1]);
        let lens = Lens {
            search: "iso".into(),
            ..Lens::default()
        };
        assert_eq!(ids(lens.rows(&downloads)), [1, 4]);
    }

    #[test]
    fn kinds_are_chosen_from_the_name() {
        let downloads = sample();
        let kind = |category| {
            ids(Lens {
                category: Some(category),
                ..Lens::default()
            }
            .rows(&downloads))
        };
        assert_eq!(kind(Category::Image), [1, 4]);
        assert_eq!(kind(Category::Archive), [2, 5]);
        assert_eq!(kind(Category::Package), [6]);
        assert_eq!(kind(Category::Document), [3]);
    }

    #[test]
    fn a_header_sorts_one_way_then_the_other_then_not() {
        let downloads = sample();
        let mut lens = Lens::default();
        lens.sort_by(SortKey::Name);
        assert_eq!(ids(lens.rows(&downloads)), [2, 5, 1, 4, 6, 3], "any case");
        lens.sort_by(SortKey::Name);
        assert_eq!(ids(lens.rows(&downloads)), [3, 6, 4, 1, 5, 2]);
        lens.sort_by(SortKey::Name);
        assert!(lens.in_queue_order());
        assert_eq!(ids(lens.rows(&downloads)), [1, 2, 3, 4, 5, 6]);

        lens.sort_by(SortKey::Size);
        assert_eq!(
            ids(lens.rows(&downloads)),
            [4, 1, 6, 5, 2, 3],
            "biggest first"
        );
        lens.sort_by(SortKey::Speed);
        assert_eq!(ids(lens.rows(&downloads))[..2], [4, 1], "fastest first");
        lens.sort_by(SortKey::Added);
        assert_eq!(
            ids(lens.rows(&downloads)),
            [6, 5, 4, 3, 2, 1],
            "newest first"
        );
        lens.sort_by(SortKey::State);
        assert_eq!(ids(lens.rows(&downloads)), [1, 4, 6, 2, 5, 3]);
    }
}
