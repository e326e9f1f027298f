//! The engine's events folded in, desktop notifications, and shutting down.

use iced::Task;

use super::{App, Message};
use crate::engine::{Command, DownloadId, Event};
use crate::gui::saved;
use crate::i18n::{t, t_args};

impl App {
    pub(super) fn engine_event(&mut self, event: Event) -> Task<Message> {
        if matches!(event, Event::ShutDown) {
            // Every download is paused and saved: remember the queue as it was.
            let list = self
                .closing
                .take()
                .unwrap_or_else(|| saved::snapshot(&self.downloads));
            self.store.finish(list);
            return iced::exit();
        }
        if let Event::SignatureChecked { id, verdict } = &event {
            self.said_checked_again(*id, verdict);
        }
        let changed_state = !matches!(event, Event::Progress { .. } | Event::MirrorTrouble { .. });
        if self.config.notifications && self.closing.is_none() {
            self.notify(&event);
        }
        let ends = matches!(
            event,
            Event::Started(_) | Event::Finished { .. } | Event::Failed { .. } | Event::Removed(_)
        );
        let learn = self.learn_from(&event);
        self.downloads.apply(&event);
        if let Event::Paused(id) = &event
            && let Some(download) = self.downloads.get_mut(*id)
            && std::mem::take(&mut download.resume_when_paused)
        {
            self.engine.send(Command::Resume(*id));
        }
        if changed_state && self.closing.is_none() {
            self.store.save(saved::snapshot(&self.downloads));
        }
        if let Event::Schedule(in_force) = &event {
            self.schedule = Some(*in_force);
        }
        self.refresh_tray(changed_state || matches!(event, Event::Schedule(_)));
        if matches!(event, Event::QueueDone(_)) {
            return Task::batch([learn, self.queue_done(&event)]);
        }
        if ends {
            Task::batch([learn, self.measure_free_space()])
        } else {
            learn
        }
    }

    /// A verified download teaches the mirror memory where its file is (off the UI
    /// thread), leaving out the mirrors that sent bad pieces or were dropped.
    fn learn_from(&self, event: &Event) -> Task<Message> {
        let Event::Finished {
            id,
            verified: Some(_),
            ..
        } = event
        else {
            return Task::none();
        };
        let Some(download) = self.downloads.get(*id) else {
            return Task::none();
        };
        let mirrors = download
            .progress
            .as_ref()
            .map_or(&[][..], |p| p.mirrors.as_slice());
        let Some(sighting) = crate::discover::plain::verified_sighting(&download.spec, mirrors)
        else {
            return Task::none();
        };
        let memory = self.memory.clone();
        Task::future(async move {
            let _ = crate::discover::plain::teach_verified(&memory, sighting).await;
        })
        .discard()
    }

    pub(super) fn notify(&self, event: &Event) {
        let name = |id: &DownloadId| {
            self.downloads
                .get(*id)
                .map_or_else(String::new, |d| d.spec.name.clone())
        };
        match event {
            Event::Finished {
                id,
                verified,
                signature,
                ..
            } => {
                let mut body = match verified {
                    Some(hash) => t_args("state-verified", &[("hash", hash.to_string())]),
                    None => t("state-finished-unverified"),
                };
                // Who published it (or which key is not known) belongs in the news too.
                if let Some((line, _)) = signature.as_ref().and_then(crate::words::verdict) {
                    body = format!("{body}\n{line}");
                }
                crate::platform::notify::show(
                    t_args("notify-finished", &[("name", name(id))]),
                    body,
                )
            }
            Event::Failed { id, error } => crate::platform::notify::show(
                t_args("notify-failed", &[("name", name(id))]),
                crate::gui::reasons::job_error(error),
            ),
            _ => {}
        }
    }

    /// Pauses everything (the engine saves each download's state); the window closes
    /// once the engine says it has stopped.
    pub(super) fn begin_shutdown(&mut self) -> Task<Message> {
        if self.closing.is_some() {
            return Task::none();
        }
        // Removals waiting for their Undo time are carried out now.
        let removed = self.carry_out_removals(None);
        self.closing = Some(saved::snapshot(&self.downloads));
        self.engine.send(Command::Shutdown);
        removed
    }

    /// What checking a placed file again found, where it needs saying: the file could
    /// not be read, or a trusted key did not sign it as it is.
    fn said_checked_again(
        &mut self,
        id: crate::engine::DownloadId,
        verdict: &Result<crate::signature::Verdict, crate::engine::DiskError>,
    ) {
        let name = self
            .downloads
            .get(id)
            .map_or_else(String::new, |d| d.spec.name.clone());
        match verdict {
            Err(error) => self.notices.error(t_args(
                "signature-recheck-failed",
                &[
                    ("name", name),
                    ("reason", crate::gui::reasons::disk_error(error)),
                ],
            )),
            Ok(verdict) if verdict.is_bad() => {
                if let Some((line, _)) = crate::words::verdict(verdict) {
                    self.notices.error(format!("{name}: {line}"));
                }
            }
            Ok(_) => {}
        }
    }
}
