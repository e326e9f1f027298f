//! Opening a file or folder with the user's own programs.

use std::path::Path;

/// Opens `path` with the desktop's default program (xdg-open, open, start).
pub fn open(path: &Path) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let child = command
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    // Reaped on a thread of its own, so no zombie is left behind.
    let mut child = child;
    std::thread::spawn(move || child.wait());
    Ok(())
}
