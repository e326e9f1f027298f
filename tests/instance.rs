//! One Braid per user: a second `braid FILE URL` hands its arguments to the running one
//! over the socket and exits; a socket left by a crash is replaced.

#![cfg(unix)]

mod support;

use std::os::unix::net::UnixListener;
use std::process::{Command, Stdio};

use braid::platform::instance::{self, Role};
use support::{receive_one, temp_dir};

#[test]
fn a_second_braid_hands_over_its_arguments_and_exits() {
    let dir = temp_dir("instance-handoff");
    let socket = instance::socket_path(&dir);
    // A socket file left by a crashed Braid: nobody listens on it.
    drop(UnixListener::bind(&socket).unwrap());
    assert!(socket.exists());
    let Role::Primary(listener) = instance::claim(&dir, &[]).unwrap() else {
        panic!("the stale socket is replaced and this process becomes the first instance");
    };
    std::fs::write(dir.join("a.meta4"), b"<metalink/>").unwrap();
    let mut second = Command::new(env!("CARGO_BIN_EXE_braid"))
        .env("BRAID_RUNTIME_DIR", &dir)
        .current_dir(&dir)
        .args(["--start", "a.meta4", "http://mirror.invalid/b.meta4"])
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let args = receive_one(listener);
    let status = second.wait().unwrap();
    assert!(status.success(), "the second braid exits cleanly: {status}");
    let file = std::path::absolute(dir.join("a.meta4")).unwrap();
    assert_eq!(
        args,
        [
            "--start".to_owned(),
            file.to_string_lossy().into_owned(),
            "http://mirror.invalid/b.meta4".to_owned()
        ],
        "file paths arrive absolute, URLs unchanged"
    );
}
