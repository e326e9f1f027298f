//! `braid` where no window can open, and a mistyped command: one clear line and a
//! non-zero exit, never a panic or a window.

use std::process::{Command, Output};

fn braid(args: &[&str], display: Option<&str>) -> Output {
    let dir = std::env::temp_dir().join(format!("braid-window-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_braid"));
    command
        .args(args)
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .env_remove("DISPLAY")
        .env("BRAID_RUNTIME_DIR", &dir)
        .env("BRAID_CONFIG_DIR", &dir)
        .env("BRAID_DATA_DIR", &dir)
        .current_dir(&dir);
    if let Some(display) = display {
        command.env("DISPLAY", display);
    }
    let output = command.output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    output
}

fn one_line(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn without_a_display_braid_says_so_and_points_to_get() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/window.rs");
    for args in [&[][..], &[file][..]] {
        let output = braid(args, None);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let line = one_line(&output);
        assert!(line.contains("no display to open a window on"), "{line}");
        assert!(line.contains("braid get"), "{line}");
    }
}

#[test]
fn a_file_that_is_not_there_is_named() {
    let output = braid(&["no-such-release.meta4"], Some(":97"));
    assert_eq!(output.status.code(), Some(2));
    let line = one_line(&output);
    assert!(
        line.contains("no-such-release.meta4: no such file"),
        "{line}"
    );
}

#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn an_unreachable_display_is_told_the_same_way() {
    let output = braid(&[], Some(":97"));
    assert_eq!(output.status.code(), Some(2));
    let line = one_line(&output);
    assert!(
        line.contains("the X display ':97' cannot be opened"),
        "{line}"
    );
}

#[test]
fn a_mistyped_command_names_the_commands_instead_of_opening_a_window() {
    for (args, nearest) in [
        (&["gett"][..], Some("get")),
        (&["frobnicate", "list"][..], None),
    ] {
        let output = braid(args, Some(":97"));
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let line = one_line(&output);
        assert!(
            line.contains("is not a command, an existing file or a URL"),
            "{line}"
        );
        for command in ["inspect", "get", "demo", "keys", "register", "unregister"] {
            assert!(line.contains(command), "{line}");
        }
        if let Some(nearest) = nearest {
            assert!(
                line.contains(&format!("Did you mean `braid {nearest}`?")),
                "{line}"
            );
        }
    }
}
