//! Making Braid the program that opens metalinks for this user (Linux and other XDG
//! desktops): the desktop entry, icons and MIME types in the user's data folder, and
//! Braid as the default for both metalink types. `unregister` takes all of it back.
//! Both are idempotent and say what they did.

use std::path::{Path, PathBuf};

use super::{APP_ID, native_messaging};

const DESKTOP: &str = include_str!("../../packaging/linux/io.github.braid.Braid.desktop");
const MIME: &str = include_str!("../../packaging/linux/io.github.braid.Braid.mime.xml");
const SVG: &[u8] = include_bytes!("../../assets/io.github.braid.Braid.svg");
const PNGS: [(u32, &[u8]); 7] = [
    (
        16,
        include_bytes!("../../packaging/linux/icons/hicolor/16x16/apps/io.github.braid.Braid.png"),
    ),
    (
        32,
        include_bytes!("../../packaging/linux/icons/hicolor/32x32/apps/io.github.braid.Braid.png"),
    ),
    (
        48,
        include_bytes!("../../packaging/linux/icons/hicolor/48x48/apps/io.github.braid.Braid.png"),
    ),
    (
        64,
        include_bytes!("../../packaging/linux/icons/hicolor/64x64/apps/io.github.braid.Braid.png"),
    ),
    (
        128,
        include_bytes!(
            "../../packaging/linux/icons/hicolor/128x128/apps/io.github.braid.Braid.png"
        ),
    ),
    (
        256,
        include_bytes!(
            "../../packaging/linux/icons/hicolor/256x256/apps/io.github.braid.Braid.png"
        ),
    ),
    (
        512,
        include_bytes!(
            "../../packaging/linux/icons/hicolor/512x512/apps/io.github.braid.Braid.png"
        ),
    ),
];

/// The MIME types Braid opens.
pub const MIME_TYPES: [&str; 2] = [
    crate::metalink::MEDIA_TYPE_V4,
    crate::metalink::MEDIA_TYPE_V3,
];

struct Places {
    home: PathBuf,
    data: PathBuf,
    config: PathBuf,
}

impl Places {
    fn find() -> Result<Places, String> {
        let base = directories::BaseDirs::new()
            .ok_or("no home folder: cannot tell where desktop entries go")?;
        Ok(Places {
            home: base.home_dir().to_path_buf(),
            data: base.data_dir().to_path_buf(),
            config: base.config_dir().to_path_buf(),
        })
    }

    fn desktop_file(&self) -> PathBuf {
        self.data
            .join("applications")
            .join(format!("{APP_ID}.desktop"))
    }

    fn icon_files(&self) -> Vec<(PathBuf, &'static [u8])> {
        let icons = self.data.join("icons/hicolor");
        let mut files = vec![(icons.join(format!("scalable/apps/{APP_ID}.svg")), SVG)];
        for (size, png) in PNGS {
            files.push((icons.join(format!("{size}x{size}/apps/{APP_ID}.png")), png));
        }
        files
    }

    fn mime_package(&self) -> PathBuf {
        self.data
            .join("mime/packages")
            .join(format!("{APP_ID}.xml"))
    }

    fn mimeapps(&self) -> PathBuf {
        self.config.join("mimeapps.list")
    }
}

/// The desktop entry with `Exec` pointing at this very program.
fn desktop_entry(exe: &Path) -> String {
    let quoted = quote_exec(&exe.to_string_lossy());
    DESKTOP
        .replace("Exec=braid %U", &format!("Exec={quoted} %U"))
        .replace("TryExec=braid", &format!("TryExec={}", exe.display()))
}

/// Quotes a program path for a desktop entry's `Exec` key when it needs it.
fn quote_exec(path: &str) -> String {
    if !path.contains(|c: char| c.is_whitespace() || "\"'`$\\".contains(c)) {
        return path.to_owned();
    }
    let mut quoted = String::from("\"");
    for c in path.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// Writes `contents` unless the file already holds it; says whether it wrote.
fn write_if_changed(path: &Path, contents: &[u8]) -> Result<bool, String> {
    if std::fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(true)
}

/// Runs a desktop helper if it is installed; its absence is not an error.
fn helper(program: &str, args: &[&str]) -> bool {
    std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Installs the entry and icons and makes Braid the default for metalinks.
pub fn register() -> Result<Vec<String>, String> {
    if !cfg!(unix) || cfg!(target_os = "macos") {
        return Err("on this system Braid is registered by its installer (see packaging/)".into());
    }
    let places = Places::find()?;
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map_err(|e| format!("cannot tell where this program is: {e}"))?;
    let mut done = Vec::new();
    let desktop = places.desktop_file();
    if write_if_changed(&desktop, desktop_entry(&exe).as_bytes())? {
        done.push(format!("installed {}", desktop.display()));
    }
    let mut icons = 0;
    for (path, bytes) in places.icon_files() {
        icons += usize::from(write_if_changed(&path, bytes)?);
    }
    if icons > 0 {
        done.push(format!(
            "installed {icons} icon(s) under {}",
            places.data.join("icons").display()
        ));
        helper(
            "gtk-update-icon-cache",
            &[
                "-f",
                "-t",
                &places.data.join("icons/hicolor").to_string_lossy(),
            ],
        );
    }
    let package = places.mime_package();
    if write_if_changed(&package, MIME.as_bytes())? {
        done.push(format!(
            "installed the metalink types in {}",
            package.display()
        ));
        helper(
            "update-mime-database",
            &[&places.data.join("mime").to_string_lossy()],
        );
    }
    let desktop_id = format!("{APP_ID}.desktop");
    let mut args = vec!["default", desktop_id.as_str()];
    args.extend(MIME_TYPES);
    // xdg-mime knows each desktop's own way; without it, the standard file is edited.
    let by_xdg_mime = helper("xdg-mime", &args);
    let changed = set_defaults(&places.mimeapps(), &desktop_id)?;
    if by_xdg_mime || changed {
        done.push(format!("Braid now opens {}", MIME_TYPES.join(" and ")));
    }
    helper(
        "update-desktop-database",
        &[&places.data.join("applications").to_string_lossy()],
    );
    let mut hosts = 0;
    for (path, manifest) in native_messaging::user_manifests(&places.home, &places.config, &exe) {
        hosts += usize::from(write_if_changed(&path, manifest.as_bytes())?);
    }
    if hosts > 0 {
        done.push(format!(
            "installed the browser extension's host for {hosts} browser(s) ({})",
            native_messaging::MANIFEST_FILE
        ));
    }
    if done.is_empty() {
        done.push("Braid was already registered; nothing changed".into());
    }
    Ok(done)
}

/// Removes what `register` installed and Braid's default-handler entries.
pub fn unregister() -> Result<Vec<String>, String> {
    let places = Places::find()?;
    let mut done = Vec::new();
    let mut remove = |path: PathBuf| {
        if std::fs::remove_file(&path).is_ok() {
            done.push(format!("removed {}", path.display()));
        }
    };
    remove(places.desktop_file());
    for (path, _) in places.icon_files() {
        remove(path);
    }
    remove(places.mime_package());
    for (path, _) in native_messaging::user_manifests(&places.home, &places.config, Path::new("")) {
        remove(path);
    }
    if clear_defaults(&places.mimeapps(), &format!("{APP_ID}.desktop"))? {
        done.push(format!("Braid no longer opens {}", MIME_TYPES.join(" or ")));
    }
    helper(
        "update-mime-database",
        &[&places.data.join("mime").to_string_lossy()],
    );
    helper(
        "update-desktop-database",
        &[&places.data.join("applications").to_string_lossy()],
    );
    if done.is_empty() {
        done.push("Braid was not registered; nothing changed".into());
    }
    Ok(done)
}

const DEFAULTS: &str = "[Default Applications]";

/// Sets `desktop_id` as the default for both types in a mimeapps.list, keeping every
/// other line. Returns whether the file changed.
fn set_defaults(path: &Path, desktop_id: &str) -> Result<bool, String> {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let new = edit_defaults(&old, |_| Some(format!("{desktop_id};")));
    if new == old {
        return Ok(false);
    }
    write_if_changed(path, new.as_bytes())
}

/// Removes default entries naming `desktop_id`. Returns whether the file changed.
fn clear_defaults(path: &Path, desktop_id: &str) -> Result<bool, String> {
    let Ok(old) = std::fs::read_to_string(path) else {
        return Ok(false);
    };
    let new = edit_defaults(&old, |current| {
        let rest: Vec<&str> = current
            .unwrap_or("")
            .split(';')
            .filter(|id| !id.is_empty() && *id != desktop_id)
            .collect();
        (!rest.is_empty()).then(|| format!("{};", rest.join(";")))
    });
    if new == old {
        return Ok(false);
    }
    write_if_changed(path, new.as_bytes())
}

/// Rewrites the metalink lines of `[Default Applications]`: `value(current)` gives the
/// new value, or `None` to drop the line.
fn edit_defaults(text: &str, value: impl Fn(Option<&str>) -> Option<String>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut in_defaults = false;
    let mut seen_section = false;
    let mut handled = Vec::new();
    let flush = |out: &mut Vec<String>, handled: &mut Vec<&str>| {
        for mime in MIME_TYPES {
            if !handled.contains(&mime)
                && let Some(v) = value(None)
            {
                out.push(format!("{mime}={v}"));
            }
        }
        handled.extend(MIME_TYPES);
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            if in_defaults {
                flush(&mut out, &mut handled);
            }
            in_defaults = trimmed == DEFAULTS;
            seen_section |= in_defaults;
            out.push(line.to_owned());
            continue;
        }
        if in_defaults
            && let Some((key, current)) = trimmed.split_once('=')
            && let Some(mime) = MIME_TYPES.into_iter().find(|m| *m == key.trim())
        {
            handled.push(mime);
            if let Some(v) = value(Some(current.trim())) {
                out.push(format!("{mime}={v}"));
            }
            continue;
        }
        out.push(line.to_owned());
    }
    if in_defaults {
        flush(&mut out, &mut handled);
    } else if !seen_section && value(None).is_some() {
        if !out.is_empty() && !out.last().is_some_and(|l| l.is_empty()) {
            out.push(String::new());
        }
        out.push(DEFAULTS.to_owned());
        flush(&mut out, &mut handled);
    }
    let mut result = out.join("\n");
    if !result.is_empty() {
        result.push('\n');
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_added_replaced_and_removed_without_touching_the_rest() {
        let id = "io.github.braid.Braid.desktop";
        let original = "[Added Associations]\ntext/plain=gedit.desktop;\n\n[Default Applications]\napplication/metalink4+xml=kget.desktop;\nimage/png=eog.desktop;\n";
        let set = edit_defaults(original, |_| Some(format!("{id};")));
        assert!(set.contains("application/metalink4+xml=io.github.braid.Braid.desktop;"));
        assert!(set.contains("application/metalink+xml=io.github.braid.Braid.desktop;"));
        assert!(
            set.contains("image/png=eog.desktop;") && set.contains("text/plain=gedit.desktop;")
        );
        assert!(!set.contains("kget"));
        assert_eq!(
            edit_defaults(&set, |_| Some(format!("{id};"))),
            set,
            "idempotent"
        );
        let cleared = edit_defaults(&set, |current| {
            let rest: Vec<&str> = current
                .unwrap_or("")
                .split(';')
                .filter(|i| !i.is_empty() && *i != id)
                .collect();
            (!rest.is_empty()).then(|| format!("{};", rest.join(";")))
        });
        assert!(!cleared.contains("metalink"));
        assert!(cleared.contains("image/png=eog.desktop;"));
    }

    #[test]
    fn a_new_file_gets_the_section() {
        let set = edit_defaults("", |_| Some("b.desktop;".into()));
        assert_eq!(
            set,
            "[Default Applications]\napplication/metalink4+xml=b.desktop;\napplication/metalink+xml=b.desktop;\n"
        );
    }

    #[test]
    fn exec_paths_are_quoted_when_needed() {
        assert_eq!(quote_exec("/usr/bin/braid"), "/usr/bin/braid");
        assert_eq!(quote_exec("/home/a b/braid"), "\"/home/a b/braid\"");
        let entry = desktop_entry(Path::new("/opt/braid/braid"));
        assert!(entry.contains("Exec=/opt/braid/braid %U"));
        assert!(entry.contains("MimeType=application/metalink4+xml;application/metalink+xml;"));
    }
}
