//! Test helpers: loopback mirrors (the library's own, see `braid::loopback`) and
//! scratch directories.

#![allow(dead_code)]

use std::sync::Arc;

pub use braid::loopback::{Faults, LoopbackMirror, payload};

/// Starts a loopback mirror on 127.0.0.`host`; tests cannot go on without it.
pub async fn mirror(host: u8, data: Arc<Vec<u8>>, faults: Faults) -> LoopbackMirror {
    LoopbackMirror::start(host, data, faults)
        .await
        .expect("a loopback mirror starts")
}

/// A fresh directory under the system temp dir.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("braid-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
