//! One Braid per user: a second `braid FILE URL` hands its arguments to the running one
//! over the socket and exits; a socket left by a crash is replaced.

#![cfg(unix)]

use std::os::unix::net::UnixListener;
use std::process::{Command, Stdio};
use std::time::Duration;

use braid::platform::instance::{self, Role};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("braid-instance-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Accepts one hand-off on `listener` (bounded in time).
fn receive_one(listener: UnixListener) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let accepting = instance::accepting(listener).unwrap();
        tokio::time::timeout(Duration::from_secs(20), accepting.next())
            .await
            .expect("the second braid hands over")
    })
}

#[test]
fn a_second_braid_hands_over_its_arguments_and_exits() {
    let dir = temp_dir("handoff");
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
