//! The desktop app: an iced front end over the engine. It sends `Command`s and folds
//! `Event`s; reading metalinks, probing URLs and saving files happen in tasks, never in
//! `update` or `view`.

mod add;
mod app;
mod details;
pub mod downloads;
mod queue;
pub mod saved;
mod settings;
mod sources;
mod subscriptions;

pub use app::{App, Message};

use tokio::sync::mpsc::UnboundedReceiver;

use crate::platform::desktop_opens;
use crate::platform::instance::{self, Listener, Role};

/// How the window starts.
pub struct Launch {
    /// Metalink files and URLs to open.
    pub sources: Vec<String>,
    /// Queue them without asking.
    pub start: bool,
    /// Hand-offs from later instances arrive here.
    pub listener: Option<Listener>,
    /// Files the desktop asks to open without a command line (macOS Finder).
    pub desktop_opens: Option<UnboundedReceiver<Vec<String>>>,
}

/// How `open` ended.
pub enum Opened {
    /// The window ran here and was closed.
    Closed(iced::Result),
    /// A Braid window was already open and took the sources.
    HandedOff,
}

/// Opens the window with `sources`, or hands them to the Braid window already open.
pub fn open(sources: &[String], start: bool) -> Opened {
    let sources = instance::absolute_args(sources);
    let mut handed = sources.clone();
    if start {
        handed.insert(0, instance::START_FLAG.to_owned());
    }
    let runtime_dir = crate::platform::paths::runtime_dir();
    let listener = match instance::claim(&runtime_dir, &handed) {
        Ok(Role::HandedOff) => return Opened::HandedOff,
        Ok(Role::Primary(listener)) => Some(listener),
        Err(e) => {
            eprintln!("braid: {e}; other `braid` commands will open windows of their own");
            None
        }
    };
    let primary = listener.is_some();
    let result = run(Launch {
        sources,
        start,
        listener,
        desktop_opens: desktop_opens::listen(),
    });
    if primary {
        instance::release(&runtime_dir);
    }
    Opened::Closed(result)
}

/// Opens the window and runs until it is closed.
pub fn run(launch: Launch) -> iced::Result {
    let launch = std::sync::Mutex::new(Some(launch));
    iced::application(
        move || {
            let launch = launch.lock().unwrap().take().unwrap_or(Launch {
                sources: Vec::new(),
                start: false,
                listener: None,
                desktop_opens: None,
            });
            App::boot(launch)
        },
        App::update,
        App::view,
    )
    .title(App::title)
    .theme(App::theme)
    .subscription(App::subscription)
    .exit_on_close_request(false)
    .window(iced::window::Settings {
        size: iced::Size::new(1000.0, 680.0),
        min_size: Some(iced::Size::new(640.0, 420.0)),
        platform_specific: platform_window(),
        ..iced::window::Settings::default()
    })
    .run()
}

/// The window's app id / class, so the desktop matches it with Braid's .desktop file.
fn platform_window() -> iced::window::settings::PlatformSpecific {
    #[cfg(target_os = "linux")]
    {
        iced::window::settings::PlatformSpecific {
            application_id: crate::platform::APP_ID.to_owned(),
            ..Default::default()
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        Default::default()
    }
}
