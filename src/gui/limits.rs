//! One download's own settings, on its details screen: a speed limit, a cap on
//! connections, a priority, and a time to start at. Each change is an engine command
//! (the engine paces and schedules; the window only says what the user asked for).

use iced::widget::{button, column, container, pick_list, row, text, text_input};
use iced::{Alignment, Element, Length};

use super::downloads::Download;
use super::theme;
use crate::engine::schedule::{self, TimeOfDay};
use crate::engine::{Command, DownloadId, Priority};
use crate::i18n::{t, t_args};

#[derive(Debug, Clone)]
pub enum Message {
    Rate(String),
    Connections(String),
    Start(String),
    Priority(PriorityOption),
    Apply,
    /// Forget the start time: it starts when its turn comes.
    StartNow,
}

/// What is typed but not yet applied, for the download `id`.
#[derive(Debug, Clone)]
pub struct Draft {
    pub id: DownloadId,
    rate: String,
    connections: String,
    start: String,
    problem: Option<String>,
}

/// A priority with its label, for the pick list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorityOption(pub Priority);

impl std::fmt::Display for PriorityOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&priority_text(self.0))
    }
}

pub fn priority_text(priority: Priority) -> String {
    t(match priority {
        Priority::High => "priority-high",
        Priority::Normal => "priority-normal",
        Priority::Low => "priority-low",
    })
}

/// A rate as typed back: `200K`, `1.5M`; empty for none.
pub fn rate_text(rate: Option<u64>) -> String {
    match rate {
        None => String::new(),
        Some(r) if r % (1 << 20) == 0 => format!("{}M", r >> 20),
        Some(r) if r % (1 << 10) == 0 => format!("{}K", r >> 10),
        Some(r) => r.to_string(),
    }
}

/// A rate typed by the user; empty is no limit.
pub fn parse_rate(text: &str) -> Result<Option<u64>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    crate::engine::parse_rate(text)
        .map_err(|_| t_args("limit-not-a-rate", &[("text", text.trim().to_owned())]))
}

/// A connection cap typed by the user; empty is the engine's.
pub fn parse_connections(text: &str) -> Result<Option<usize>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| crate::config::CONNECTION_RANGE.contains(n))
        .map(Some)
        .ok_or_else(|| t_args("limit-not-connections", &[("text", text.trim().to_owned())]))
}

impl Draft {
    pub fn new(download: &Download) -> Draft {
        Draft {
            id: download.id,
            rate: rate_text(download.spec.rate_limit),
            connections: download
                .spec
                .max_connections
                .map_or_else(String::new, |n| n.to_string()),
            start: String::new(),
            problem: None,
        }
    }

    /// The commands the user asked for, if any.
    pub fn update(&mut self, download: &Download, message: Message) -> Vec<Command> {
        let id = self.id;
        match message {
            Message::Rate(text) => self.rate = text,
            Message::Connections(text) => self.connections = text,
            Message::Start(text) => self.start = text,
            Message::Priority(PriorityOption(priority)) => {
                return vec![Command::SetPriority { id, priority }];
            }
            Message::StartNow => return vec![Command::StartAt { id, at: None }],
            Message::Apply => {
                self.problem = None;
                let mut commands = Vec::new();
                match parse_rate(&self.rate) {
                    Ok(rate) if rate != download.spec.rate_limit => {
                        commands.push(Command::SetRateLimit {
                            id,
                            bytes_per_second: rate,
                        })
                    }
                    Ok(_) => {}
                    Err(problem) => self.problem = Some(problem),
                }
                match parse_connections(&self.connections) {
                    Ok(max) if max != download.spec.max_connections => {
                        commands.push(Command::SetConnections { id, max })
                    }
                    Ok(_) => {}
                    Err(problem) => self.problem = Some(problem),
                }
                if !self.start.trim().is_empty() {
                    match TimeOfDay::parse(&self.start) {
                        Ok(time) => {
                            commands.push(Command::StartAt {
                                id,
                                at: Some(schedule::next_local(time)),
                            });
                            self.start.clear();
                        }
                        Err(_) => {
                            self.problem = Some(t_args(
                                "limit-not-a-time",
                                &[("text", self.start.trim().to_owned())],
                            ))
                        }
                    }
                }
                return commands;
            }
        }
        Vec::new()
    }

    pub fn view<'a>(&'a self, download: &'a Download) -> Element<'a, Message> {
        const FIELD_TEXT: f32 = 13.0;
        let field = |label: String, input: Element<'a, Message>| {
            column![text(label).size(13), input].spacing(4).width(150)
        };
        // The fields' words at the add dialog's size: the hints ("ninguno (ej. 200K)")
        // fit a 150 px field in every language.
        let rate = text_input(&t("limit-rate-hint"), &self.rate)
            .id("limit-rate")
            .on_input(Message::Rate)
            .on_submit(Message::Apply)
            .size(FIELD_TEXT)
            .padding(6);
        let connections = text_input(&t("limit-connections-hint"), &self.connections)
            .id("limit-connections")
            .on_input(Message::Connections)
            .on_submit(Message::Apply)
            .size(FIELD_TEXT)
            .padding(6);
        // An example of the format, not a time that is set: "e.g. 23:00".
        let start = text_input(&t("limit-start-hint"), &self.start)
            .id("limit-start")
            .on_input(Message::Start)
            .on_submit(Message::Apply)
            .size(FIELD_TEXT)
            .padding(6);
        let priority = pick_list(
            Priority::ALL.map(PriorityOption),
            Some(PriorityOption(download.spec.priority)),
            Message::Priority,
        )
        .text_size(FIELD_TEXT)
        .padding(6);
        let mut fields = row![
            field(t("limit-rate"), rate.into()),
            field(t("limit-connections"), connections.into()),
            field(t("limit-priority"), priority.into()),
            field(t("limit-start"), start.into()),
            button(text(t("limit-apply")))
                .on_press(Message::Apply)
                .style(theme::buttons::primary)
                .padding([6, 12]),
        ]
        .spacing(12)
        .align_y(Alignment::End);
        if download.spec.start_at.is_some() {
            fields = fields.push(
                button(text(t("limit-start-now")))
                    .on_press(Message::StartNow)
                    .style(theme::buttons::secondary)
                    .padding([6, 12]),
            );
        }
        // In a narrow window the fields flow onto a second line.
        let mut panel = column![text(t("limit-title")).size(15), fields.wrap()].spacing(8);
        if let Some(at) = download.spec.start_at {
            panel = panel.push(text(t_args(
                "state-waiting",
                &[("time", schedule::local_text(at))],
            )));
        }
        if let Some(problem) = &self.problem {
            panel = panel.push(text(problem.clone()).style(text::danger));
        }
        container(panel)
            .padding(12)
            .width(Length::Fill)
            .style(theme::surfaces::card)
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::downloads::State;
    use crate::gui::downloads::tests::spec;

    fn download() -> Download {
        Download::new(DownloadId(7), spec("big.iso"), State::Running)
    }

    #[test]
    fn typed_limits_become_commands_and_mistakes_are_named() {
        crate::i18n::set_language("en");
        let download = download();
        let mut draft = Draft::new(&download);
        draft.update(&download, Message::Rate("200K".into()));
        draft.update(&download, Message::Connections("2".into()));
        let commands = draft.update(&download, Message::Apply);
        assert_eq!(
            commands,
            [
                Command::SetRateLimit {
                    id: DownloadId(7),
                    bytes_per_second: Some(200 * 1024)
                },
                Command::SetConnections {
                    id: DownloadId(7),
                    max: Some(2)
                }
            ]
        );
        draft.update(&download, Message::Rate("fast".into()));
        draft.update(&download, Message::Start("25:00".into()));
        assert!(draft.update(&download, Message::Apply).len() <= 1);
        let problem = draft.problem.clone().unwrap();
        assert!(problem.contains("25:00"), "{problem}");
        assert_eq!(rate_text(Some(200 * 1024)), "200K");
        assert_eq!(rate_text(Some(2 << 20)), "2M");
    }

    #[test]
    fn the_panel_is_typed_into_in_the_simulator() {
        crate::i18n::set_language("en");
        let download = download();
        let mut draft = Draft::new(&download);
        let messages: Vec<Message> = {
            let mut ui = iced_test::simulator(draft.view(&download));
            ui.click(iced_test::selector::id("limit-rate")).unwrap();
            ui.typewrite("200K");
            ui.click("Apply").unwrap();
            ui.into_messages().collect()
        };
        let commands: Vec<Command> = messages
            .into_iter()
            .flat_map(|m| draft.update(&download, m))
            .collect();
        assert_eq!(
            commands,
            [Command::SetRateLimit {
                id: DownloadId(7),
                bytes_per_second: Some(200 * 1024)
            }]
        );
    }
}
