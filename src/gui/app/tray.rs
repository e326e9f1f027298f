//! The window and the tray: closing the window keeps Braid downloading while a tray
//! shows its icon (and the setting allows it), and quits as before when none does; the
//! tray's menu shows or hides the window, pauses or resumes everything, and quits. The
//! window is closed, not hidden, so it comes back the same way on X11 and Wayland.

use std::time::{Duration, Instant};

use iced::{Task, window};

use super::{App, Message};
use crate::engine::schedule::WhenDone;
use crate::engine::{Command, Event};
use crate::gui::downloads::State;
use crate::gui::queue;
use crate::gui::subscriptions::Slot;
use crate::i18n::{t, t_args};
use crate::platform::tray::{Tray, TrayAction, TrayStatus};

/// The tooltip's speed is brought up to date at most this often.
const TRAY_EVERY: Duration = Duration::from_secs(1);

/// The tray and what it last showed.
pub(super) struct Docked {
    tray: Tray,
    shown: TrayStatus,
    at: Instant,
}

impl App {
    /// Puts Braid's icon in the tray, where there is one to put it in.
    pub(super) fn start_tray(&mut self) {
        let status = self.tray_status();
        if let Some((tray, actions)) = Tray::start(status.clone()) {
            self.tray_actions = Some(Slot::new("tray", actions));
            self.tray = Some(Docked {
                tray,
                shown: status,
                at: Instant::now(),
            });
        }
    }

    /// Opens the window (again), or brings it forward when it is open.
    pub(super) fn show_window(&mut self) -> Task<Message> {
        match self.window_id {
            Some(id) => window::gain_focus(id),
            None => {
                let (id, opened) = window::open(self.window_settings());
                self.window_id = Some(id);
                self.refresh_tray(true);
                // Its `Opened` event reaches the subscription (Message::WindowOpened).
                opened.discard()
            }
        }
    }

    /// The window as it was when it went into the tray (its size and place), or as a
    /// new one opens at the start.
    pub(super) fn window_settings(&self) -> window::Settings {
        let mut settings = crate::gui::window_settings();
        settings.size = self.window;
        // Wayland does not tell a window where it is: there the desktop places it.
        if let Some(at) = self.window_at {
            settings.position = window::Position::Specific(at);
        }
        settings
    }

    /// The window's close button: into the tray when one shows Braid, else quit.
    pub(super) fn close_requested(&mut self, id: window::Id) -> Task<Message> {
        let docked = self.tray.as_ref().is_some_and(|d| d.tray.hosted());
        if !(docked && self.config.close_to_tray) || self.closing.is_some() {
            return self.begin_shutdown();
        }
        if !self.told_about_tray {
            self.told_about_tray = true;
            crate::platform::notify::show("Braid".into(), t("tray-kept"));
        }
        self.window_id = None;
        self.refresh_tray(true);
        window::close(id)
    }

    pub(super) fn tray_action(&mut self, action: TrayAction) -> Task<Message> {
        match action {
            TrayAction::ToggleWindow => match self.window_id {
                Some(id) => self.close_requested(id),
                None => self.show_window(),
            },
            TrayAction::PauseAll => self.everything(queue::Message::PauseSelected),
            TrayAction::ResumeAll => self.everything(queue::Message::ResumeSelected),
            TrayAction::QuitWhenDone(on) => {
                let mut config = self.config.clone();
                config.when_done = if on {
                    WhenDone::Quit
                } else {
                    WhenDone::Nothing
                };
                self.apply_settings(config)
            }
            TrayAction::Quit => self.begin_shutdown(),
        }
    }

    /// Pauses or resumes every download, whatever is selected in the window.
    fn everything(&mut self, message: queue::Message) -> Task<Message> {
        let selected = self.downloads.selected();
        self.downloads.select_all(false);
        let action = self.queue.update(&mut self.downloads, message);
        for id in selected {
            if let Some(download) = self.downloads.get_mut(id) {
                download.selected = true;
            }
        }
        self.queue_action(action)
    }

    /// What the engine said that the window and the tray act on: the queue is done.
    pub(super) fn queue_done(&mut self, event: &Event) -> Task<Message> {
        match event {
            Event::QueueDone(WhenDone::Quit) if self.closing.is_none() => self.begin_shutdown(),
            _ => Task::none(),
        }
    }

    /// Brings the tray up to date: at once when `now`, else at most once a second.
    pub(super) fn refresh_tray(&mut self, now: bool) {
        let status = self.tray_status();
        let Some(docked) = &mut self.tray else {
            return;
        };
        if docked.shown == status || (!now && docked.at.elapsed() < TRAY_EVERY) {
            return;
        }
        docked.tray.show(status.clone());
        docked.shown = status;
        docked.at = Instant::now();
    }

    pub(super) fn tray_status(&self) -> TrayStatus {
        let running: Vec<f64> = self
            .downloads
            .iter()
            .filter(|d| d.state == State::Running)
            .map(|d| d.speed)
            .collect();
        let mut summary = if running.is_empty() {
            t("tray-idle")
        } else {
            t_args(
                "tray-running",
                &[
                    ("count", running.len().to_string()),
                    ("speed", crate::gui::units::speed(running.iter().sum())),
                ],
            )
        };
        // Closed at daytime with night-only windows, the tray says why nothing runs.
        if let Some(schedule) = queue::schedule_now(self.schedule.as_ref()) {
            summary = format!("{summary}\n{schedule}");
        }
        TrayStatus {
            summary,
            window_shown: self.window_id.is_some(),
            quit_when_done: self.config.when_done == WhenDone::Quit,
        }
    }

    /// Whether closing the window now would keep Braid running (for the settings).
    pub fn tray_shown(&self) -> bool {
        self.tray.as_ref().is_some_and(|d| d.tray.hosted())
    }

    /// Tells the engine what the settings say about the schedule and the queue's end.
    pub(super) fn send_schedule(&self) {
        self.engine
            .send(Command::SetSchedule(self.config.schedule()));
        self.engine
            .send(Command::SetWhenDone(self.config.when_done));
    }
}
