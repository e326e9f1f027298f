//! The queue as the window knows it: one entry per download, folded from engine events.
//! No I/O here, so every rule can be tested by feeding events.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use crate::engine::{DownloadId, Event, JobSpec, Progress};

#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Queued,
    Running,
    Paused,
    Finished {
        path: PathBuf,
        verified: Option<String>,
        repaired: usize,
    },
    Failed(String),
}

impl State {
    pub fn is_active(&self) -> bool {
        matches!(self, State::Queued | State::Running)
    }

    pub fn is_done(&self) -> bool {
        matches!(self, State::Finished { .. })
    }
}

#[derive(Debug, Clone)]
pub struct Download {
    pub id: DownloadId,
    pub spec: JobSpec,
    pub state: State,
    pub progress: Option<Box<Progress>>,
    /// Bytes per second, smoothed for the ETA.
    pub speed: f64,
    /// The last problems mirrors had, newest last.
    pub troubles: Vec<(String, String)>,
    pub selected: bool,
    /// When it was added (this session), for nothing but stable display.
    pub added: Instant,
}

const TROUBLES_KEPT: usize = 20;

impl Download {
    pub fn new(id: DownloadId, spec: JobSpec, state: State) -> Self {
        Download {
            id,
            spec,
            state,
            progress: None,
            speed: 0.0,
            troubles: Vec::new(),
            selected: false,
            added: Instant::now(),
        }
    }

    pub fn size(&self) -> Option<u64> {
        self.spec
            .size
            .or_else(|| self.progress.as_ref().and_then(|p| p.size))
    }

    pub fn done_bytes(&self) -> u64 {
        match (&self.state, self.size()) {
            (State::Finished { .. }, Some(size)) => size,
            _ => self.progress.as_ref().map_or(0, |p| p.done),
        }
    }

    /// 0.0 ..= 1.0, when the size is known.
    pub fn fraction(&self) -> Option<f32> {
        let size = self.size()?;
        if size == 0 {
            return Some(1.0);
        }
        Some((self.done_bytes() as f64 / size as f64).clamp(0.0, 1.0) as f32)
    }

    /// Seconds left at the smoothed speed.
    pub fn eta(&self) -> Option<u64> {
        if self.state != State::Running || self.speed < 1.0 {
            return None;
        }
        let left = self.size()?.saturating_sub(self.done_bytes());
        Some((left as f64 / self.speed).ceil() as u64)
    }

    /// Mirrors in use now and in all.
    pub fn mirrors(&self) -> (usize, usize) {
        match &self.progress {
            Some(p) => (
                p.mirrors.iter().filter(|m| m.connections > 0).count(),
                p.mirrors.len(),
            ),
            None => (0, self.spec.urls.len()),
        }
    }
}

/// The downloads in the order they were added.
#[derive(Debug, Default)]
pub struct Downloads {
    order: Vec<DownloadId>,
    entries: HashMap<DownloadId, Download>,
}

impl Downloads {
    pub fn insert(&mut self, download: Download) {
        if !self.entries.contains_key(&download.id) {
            self.order.push(download.id);
        }
        self.entries.insert(download.id, download);
    }

    pub fn remove(&mut self, id: DownloadId) -> Option<Download> {
        self.order.retain(|o| *o != id);
        self.entries.remove(&id)
    }

    pub fn get(&self, id: DownloadId) -> Option<&Download> {
        self.entries.get(&id)
    }

    pub fn get_mut(&mut self, id: DownloadId) -> Option<&mut Download> {
        self.entries.get_mut(&id)
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// In queue order.
    pub fn iter(&self) -> impl Iterator<Item = &Download> {
        self.order.iter().filter_map(|id| self.entries.get(id))
    }

    /// The `index`-th download in queue order.
    pub fn nth(&self, index: usize) -> Option<&Download> {
        self.order.get(index).and_then(|id| self.entries.get(id))
    }

    pub fn selected(&self) -> Vec<DownloadId> {
        self.iter().filter(|d| d.selected).map(|d| d.id).collect()
    }

    pub fn select_all(&mut self, selected: bool) {
        for download in self.entries.values_mut() {
            download.selected = selected;
        }
    }

    /// Folds one engine event in; returns the download it concerned.
    pub fn apply(&mut self, event: &Event) -> Option<DownloadId> {
        let (id, state) = match event {
            Event::Queued(id) => (*id, Some(State::Queued)),
            Event::Started(id) => (*id, Some(State::Running)),
            Event::Paused(id) => (*id, Some(State::Paused)),
            Event::Finished {
                id,
                path,
                verified,
                repaired,
            } => (
                *id,
                Some(State::Finished {
                    path: path.clone(),
                    verified: verified.map(|h| h.to_string()),
                    repaired: *repaired,
                }),
            ),
            Event::Failed { id, error } => (*id, Some(State::Failed(error.to_string()))),
            Event::Removed(id) => {
                self.remove(*id);
                return Some(*id);
            }
            Event::Progress { id, progress } => {
                let download = self.entries.get_mut(id)?;
                download.speed = if download.speed == 0.0 {
                    progress.speed
                } else {
                    0.8 * download.speed + 0.2 * progress.speed
                };
                download.progress = Some(progress.clone());
                return Some(*id);
            }
            Event::MirrorTrouble { id, url, trouble } => {
                let download = self.entries.get_mut(id)?;
                download.troubles.push((url.clone(), trouble.to_string()));
                if download.troubles.len() > TROUBLES_KEPT {
                    download.troubles.remove(0);
                }
                return Some(*id);
            }
            Event::Added { id, .. } => (*id, None),
            Event::ShutDown => return None,
        };
        let download = self.entries.get_mut(&id)?;
        if let Some(state) = state {
            if state != State::Running {
                download.speed = 0.0;
            }
            download.state = state;
        }
        Some(id)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::engine::JobError;

    pub fn spec(name: &str) -> JobSpec {
        JobSpec {
            source: format!("{name}.meta4"),
            name: name.into(),
            dir: PathBuf::from("/tmp"),
            size: Some(1000),
            hashes: Vec::new(),
            pieces: None,
            urls: Vec::new(),
            overwrite: false,
            rate_limit: None,
            provenance: Default::default(),
        }
    }

    #[test]
    fn events_move_a_download_through_its_states() {
        let mut downloads = Downloads::default();
        let id = DownloadId(1);
        downloads.insert(Download::new(id, spec("a"), State::Queued));
        downloads.apply(&Event::Started(id));
        assert_eq!(downloads.get(id).unwrap().state, State::Running);
        downloads.apply(&Event::Failed {
            id,
            error: JobError::FileExists("/tmp/a".into()),
        });
        assert_eq!(
            downloads.get(id).unwrap().state,
            State::Failed("/tmp/a exists".into())
        );
        downloads.apply(&Event::Removed(id));
        assert!(downloads.is_empty());
    }

    #[test]
    fn fraction_and_eta() {
        let mut download = Download::new(DownloadId(1), spec("a"), State::Running);
        download.progress = Some(Box::new(Progress {
            size: Some(1000),
            done: 250,
            verified_prefix: 250,
            received: 250,
            speed: 100.0,
            connections: 1,
            pieces: Vec::new(),
            mirrors: Vec::new(),
            repairs: Vec::new(),
        }));
        download.speed = 100.0;
        assert_eq!(download.fraction(), Some(0.25));
        assert_eq!(download.eta(), Some(8));
        download.state = State::Paused;
        assert_eq!(download.eta(), None);
    }
}
