//! Links pasted or given many at once are probed side by side, and plain links queued
//! without asking ("Download all") are searched for their checksums and mirrors side by
//! side; both answer in any order. They are offered, and join the queue, in the order
//! they were given, so they also download in that order.

use std::collections::{HashMap, VecDeque};

use crate::discover::plain::PlainFile;

/// Which search an answer belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ticket(u64);

/// A search that answered, with the link it was for.
#[derive(Debug, Clone)]
pub struct Answer {
    pub source: String,
    pub found: PlainFile,
}

/// The probes or searches running, in the order their links were given, and the
/// answers held back until those before them are in.
#[derive(Debug)]
pub struct Arrivals<T> {
    next: u64,
    expected: VecDeque<Ticket>,
    held: HashMap<Ticket, T>,
}

impl<T> Default for Arrivals<T> {
    fn default() -> Self {
        Arrivals {
            next: 0,
            expected: VecDeque::new(),
            held: HashMap::new(),
        }
    }
}

impl<T> Arrivals<T> {
    /// A place in line for a search about to start.
    pub fn ticket(&mut self) -> Ticket {
        let ticket = Ticket(self.next);
        self.next += 1;
        self.expected.push_back(ticket);
        ticket
    }

    /// Takes `answer` for `ticket` and returns those now ready to be queued, in order.
    pub fn answer(&mut self, ticket: Ticket, answer: T) -> Vec<T> {
        if !self.expected.contains(&ticket) {
            return vec![answer];
        }
        self.held.insert(ticket, answer);
        let mut ready = Vec::new();
        while let Some(front) = self.expected.front() {
            let Some(answer) = self.held.remove(front) else {
                break;
            };
            self.expected.pop_front();
            ready.push(answer);
        }
        ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(name: &str) -> Answer {
        let url = url::Url::parse(&format!("http://127.0.0.1/{name}")).unwrap();
        Answer {
            source: url.to_string(),
            found: PlainFile {
                given: url.clone(),
                url,
                name: name.into(),
                size: None,
                hashes: Vec::new(),
                digests: Vec::new(),
                pieces: None,
                urls: Vec::new(),
                provenance: Default::default(),
                conflict: None,
                notes: Vec::new(),
                signatures: Vec::new(),
                tried: Vec::new(),
            },
        }
    }

    fn names(ready: Vec<Answer>) -> Vec<String> {
        ready.into_iter().map(|a| a.found.name).collect()
    }

    #[test]
    fn answers_are_let_through_in_the_order_the_links_were_given() {
        let mut arrivals = Arrivals::<Answer>::default();
        let [a, b, c] = [arrivals.ticket(), arrivals.ticket(), arrivals.ticket()];
        assert!(
            arrivals.answer(c, answer("c")).is_empty(),
            "c waits for a and b"
        );
        assert_eq!(names(arrivals.answer(a, answer("a"))), ["a"]);
        assert_eq!(names(arrivals.answer(b, answer("b"))), ["b", "c"]);
        // The same link twice keeps both places.
        let [d, e] = [arrivals.ticket(), arrivals.ticket()];
        assert!(arrivals.answer(e, answer("same")).is_empty());
        assert_eq!(names(arrivals.answer(d, answer("same"))), ["same", "same"]);
    }
}
