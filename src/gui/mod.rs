//! The desktop app: an iced front end over the engine. It sends `Command`s and folds
//! `Event`s; reading metalinks, probing URLs and saving files happen in tasks, never in
//! `update` or `view`.

mod add;
mod add_options;
mod app;
mod clipboard;
mod create;
mod details;
pub mod downloads;
mod found;
mod icons;
mod keys;
mod limits;
mod notices;
mod overlay;
mod plain_offer;
mod queue;
mod reasons;
mod reuse;
pub mod saved;
mod schedule_settings;
mod settings;
mod signed;
mod sources;
mod subscriptions;
/// Keys and signatures made in the tests (shared with the integration tests).
#[cfg(test)]
#[path = "../../tests/support/keys.rs"]
pub(crate) mod test_keys;
mod theme;
mod units;
mod widgets;

pub use app::showcase::Sample;
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
    /// There is no display to open a window on (over ssh, on a server); why, in the
    /// window system's words.
    NoDisplay(String),
}

/// winit's reason, without its source locations.
fn plain(raw: &str) -> String {
    if raw.contains("XOpenDisplayFailed") {
        let display = std::env::var("DISPLAY").unwrap_or_default();
        return format!("the X display '{display}' cannot be opened");
    }
    if let Some(start) = raw.find("Misc(\"")
        && let Some(end) = raw[start + 6..].find('"')
    {
        return raw[start + 6..start + 6 + end]
            .trim_end_matches('.')
            .to_owned();
    }
    raw.to_owned()
}

/// The one line for [`Opened::NoDisplay`].
pub fn no_display_message(why: &str) -> String {
    format!(
        "braid: there is no display to open a window on ({why}); \
         to download in this terminal, use `braid get FILE|URL` (`braid --help` lists the commands)"
    )
}

/// Why no window can open here, when that is plain from the environment: on Linux and
/// the BSDs a window needs `WAYLAND_DISPLAY` or `DISPLAY`.
fn missing_display() -> Option<String> {
    if cfg!(any(target_os = "macos", windows)) {
        return None;
    }
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("WAYLAND_DISPLAY") || set("WAYLAND_SOCKET") || set("DISPLAY") {
        return None;
    }
    Some("neither WAYLAND_DISPLAY nor DISPLAY is set".into())
}

/// Picks iced's own software renderer where the only "GPU" would be an emulated one.
///
/// Without a GPU (a VM, a server, a container), wgpu still finds an adapter: Mesa's
/// llvmpipe, which runs the GPU pipeline on the CPU. For a 2D window that is slower
/// than tiny-skia and holds about 150 MB more (LLVM's JIT and Mesa's state; see
/// bench/gui.sh). On Linux and the BSDs a real GPU shows as a render node
/// (`/dev/dri/renderD*`); where there is none and the user has not chosen a renderer
/// (`ICED_BACKEND`), the window draws with tiny-skia.
///
/// Call it first thing in `main`, while no other thread exists: it sets an environment
/// variable, which iced reads when it opens the window.
pub fn choose_renderer() {
    if !cfg!(feature = "gpu") || cfg!(any(target_os = "macos", windows)) {
        return;
    }
    if std::env::var_os("ICED_BACKEND").is_some() || has_render_node() {
        return;
    }
    // SAFETY: `main` calls this before it starts any thread, so nothing reads the
    // environment while it changes.
    unsafe { std::env::set_var("ICED_BACKEND", "tiny-skia") };
}

/// Whether the kernel offers a GPU render node.
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
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
    let opened = match missing_display() {
        Some(why) => Opened::NoDisplay(why),
        None => run_or_no_display(Launch {
            sources,
            start,
            listener,
            desktop_opens: desktop_opens::listen(),
        }),
    };
    if primary {
        instance::release(&runtime_dir);
    }
    opened
}

/// Runs the window; a display that is named but cannot be reached makes the window
/// system's event loop fail inside iced with a panic, which is caught here and told in
/// one line instead of a backtrace.
fn run_or_no_display(launch: Launch) -> Opened {
    let failed = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let default_hook = std::panic::take_hook();
    let seen = failed.clone();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        match message.strip_prefix("Create event loop: ") {
            Some(why) => *seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(plain(why)),
            None => default_hook(info),
        }
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(launch)));
    match result {
        Ok(result) => Opened::Closed(result),
        Err(payload) => match failed.lock().unwrap_or_else(|e| e.into_inner()).take() {
            Some(why) => Opened::NoDisplay(why),
            None => std::panic::resume_unwind(payload),
        },
    }
}

/// Opens the window and runs until Braid quits (the window may close into the tray).
pub fn run(launch: Launch) -> iced::Result {
    let launch = std::sync::Mutex::new(Some(launch));
    iced::daemon(
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
        App::view_window,
    )
    .title(|app: &App, _window| app.title())
    .theme(|app: &App, _window| app.theme())
    .subscription(App::subscription)
    .run()
}

/// The window Braid opens (at start, and again from the tray). Closing it is the app's
/// call: into the tray, or quit.
pub(crate) fn window_settings() -> iced::window::Settings {
    iced::window::Settings {
        size: iced::Size::new(1000.0, 680.0),
        min_size: Some(iced::Size::new(640.0, 420.0)),
        platform_specific: platform_window(),
        exit_on_close_request: false,
        ..iced::window::Settings::default()
    }
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
