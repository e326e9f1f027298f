//! Real desktops for tests: an X server (Xvfb) with a window manager (openbox), the Braid
//! window in it with a profile of its own, and the shared drag-and-drop tools. A missing
//! tool fails the test with the Debian package to install; it never skips.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `../shared/tools`, beside the repository.
pub fn tools_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools")
}

/// Fails the test when `program` is not installed.
pub fn require(program: &str, package: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()));
    assert!(
        found,
        "{program} is needed for this test: apt-get install {package}"
    );
}

/// An X server of its own (the display number Xvfb picks) with openbox on it.
pub struct Xorg {
    pub display: String,
    xvfb: Child,
    wm: Child,
}

impl Xorg {
    pub fn start() -> Xorg {
        require("Xvfb", "xvfb");
        require("openbox", "openbox");
        let mut xvfb = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        // Xvfb writes the display number once it accepts clients.
        let mut line = String::new();
        BufReader::new(xvfb.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("Xvfb says its display");
        let display = format!(":{}", line.trim());
        assert!(display.len() > 1, "Xvfb gave no display number");
        let wm = Command::new("openbox")
            .arg("--sm-disable")
            .env("DISPLAY", &display)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openbox starts");
        // A window mapped before the window manager is ready can stay unmapped.
        require("python3", "python3 python3-xlib");
        let ready = Command::new("python3")
            .arg("-c")
            .arg(format!(
                "import sys, time; sys.path.append('/usr/lib/python3/dist-packages')\n\
                 from Xlib import display\n\
                 d = display.Display('{display}')\n\
                 check = d.intern_atom('_NET_SUPPORTING_WM_CHECK')\n\
                 end = time.monotonic() + 10\n\
                 while d.screen().root.get_full_property(check, 0) is None:\n\
                 \x20   if time.monotonic() > end: sys.exit(1)\n\
                 \x20   time.sleep(0.05)\n"
            ))
            .status()
            .expect("python3 runs");
        assert!(ready.success(), "openbox did not come up on {display}");
        Xorg { display, xvfb, wm }
    }
}

impl Drop for Xorg {
    fn drop(&mut self) {
        for child in [&mut self.wm, &mut self.xvfb] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Braid's folders for one test: settings, queue, runtime (the instance socket) and
/// downloads, all under one scratch folder.
pub struct Profile {
    pub dir: PathBuf,
    pub downloads: PathBuf,
}

impl Profile {
    /// With "start without asking" on, so what arrives is downloaded at once; `extra`
    /// lines go into settings.toml as they are.
    pub fn new(name: &str, extra: &str) -> Profile {
        let dir = super::temp_dir(name);
        let downloads = dir.join("downloads");
        for sub in ["config", "data", "runtime", "downloads"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        std::fs::write(
            dir.join("config/settings.toml"),
            format!(
                "download_dir = {:?}\nstart_without_asking = true\nnotifications = false\nui_language = \"en\"\n{extra}",
                downloads
            ),
        )
        .unwrap();
        Profile { dir, downloads }
    }

    /// Points a Braid command at this profile.
    pub fn apply(&self, command: &mut Command) {
        command
            .env("BRAID_CONFIG_DIR", self.dir.join("config"))
            .env("BRAID_DATA_DIR", self.dir.join("data"))
            .env("BRAID_RUNTIME_DIR", self.dir.join("runtime"))
            .env("LANG", "en_US.UTF-8")
            .env("ICED_BACKEND", "tiny-skia");
    }

    pub fn runtime(&self) -> PathBuf {
        self.dir.join("runtime")
    }
}

/// The Braid window, stopped (SIGTERM, as at logout) when dropped.
pub struct Window {
    child: Child,
    log: PathBuf,
}

impl Window {
    /// Opens Braid on the X display.
    pub fn x11(x: &Xorg, profile: &Profile) -> Window {
        let mut command = Command::new(env!("CARGO_BIN_EXE_braid"));
        profile.apply(&mut command);
        command
            .env("DISPLAY", &x.display)
            .env_remove("WAYLAND_DISPLAY");
        Window::spawn(command, profile)
    }

    pub fn spawn(mut command: Command, profile: &Profile) -> Window {
        let log = profile.dir.join("window.log");
        let out = std::fs::File::create(&log).unwrap();
        let child = command
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("braid starts");
        Window { child, log }
    }

    /// What the window printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits (at most `timeout`) until `path` holds exactly `expected`.
pub fn wait_for_file(path: &Path, expected: &[u8], timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if std::fs::read(path).is_ok_and(|data| data == expected) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What a drag tool reported: its exit status and its `result:` line.
#[derive(Debug)]
pub struct DragResult {
    pub exit: i32,
    pub result: serde_json::Value,
    pub output: String,
}

/// Runs a drag tool from `../shared/tools` and reads its result line.
pub fn run_tool(mut command: Command) -> DragResult {
    let output = command
        .stdin(Stdio::null())
        .output()
        .expect("the drag tool runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let result = text
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("result: "))
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or(serde_json::Value::Null);
    DragResult {
        exit: output.status.code().unwrap_or(-1),
        result,
        output: text,
    }
}

/// Runs xdnd_drop.py with `args` (`--type`/`--data` …) on the display of `x`: on the
/// window named Braid (waiting for it to appear) unless `args` give a `--window`.
pub fn xdnd_drop(x: &Xorg, args: &[&str]) -> DragResult {
    require("python3", "python3 python3-xlib");
    let mut command = Command::new("python3");
    command.arg(tools_dir().join("xdnd_drop.py")).args([
        "--display",
        &x.display,
        "--timeout",
        "30",
    ]);
    if !args.contains(&"--window") {
        command.args(["--name", "Braid", "--wait-name", "20"]);
    }
    command.args(args);
    let mut result = run_tool(command);
    if result.exit == 3 {
        // What the display showed instead, to tell why.
        if let Ok(tree) = Command::new("xwininfo")
            .args(["-display", &x.display, "-root", "-tree"])
            .output()
        {
            result
                .output
                .push_str(&String::from_utf8_lossy(&tree.stdout));
        }
    }
    result
}

/// The processes whose environment has `key=value` (a window a test's host
/// started, found by its own scratch runtime folder).
pub fn started_with_env(key: &str, value: &str) -> Vec<u32> {
    let wanted = format!("{key}={value}").into_bytes();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|var| var == wanted.as_slice()))
        })
        .collect()
}

/// Stops the processes [`started_with_env`] finds, as a logout would (SIGTERM), and gives
/// them half a second to go.
pub fn stop_started_with_env(key: &str, value: &str) {
    for pid in started_with_env(key, value) {
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
    }
    std::thread::sleep(Duration::from_millis(500));
}
