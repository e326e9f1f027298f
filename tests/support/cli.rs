//! `braid` as a user runs it from a terminal, in a home of the test's own: settings and
//! data folders under a scratch directory, so a test never reads or changes this
//! machine's (nor another test's) settings, keyring or mirror memory.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

pub struct Home {
    /// The scratch directory; `config/` and `data/` in it are Braid's.
    pub dir: PathBuf,
}

impl Home {
    /// A fresh home in the scratch directory `name` (see [`super::temp_dir`]).
    pub fn new(name: &str) -> Home {
        Home {
            dir: super::temp_dir(name),
        }
    }

    /// Where [`Home::get`] downloads to.
    pub fn out(&self) -> PathBuf {
        self.dir.join("out")
    }

    /// `braid` in this home, in English, with nothing on standard input.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_braid"));
        command
            .env("LANG", "en_US.UTF-8")
            .env("BRAID_CONFIG_DIR", self.dir.join("config"))
            .env("BRAID_DATA_DIR", self.dir.join("data"))
            .stdin(Stdio::null());
        command
    }

    /// Runs `braid ARGS` to its end, off the async runtime.
    pub async fn run(&self, args: &[&str]) -> Output {
        let mut command = self.command();
        command.args(args);
        tokio::task::spawn_blocking(move || command.output().expect("braid runs"))
            .await
            .unwrap()
    }

    /// `braid get -d OUT ARGS`, into [`Home::out`].
    pub async fn get(&self, args: &[&str]) -> Output {
        let out = self.out();
        let mut all = vec!["get", "-d", out.to_str().unwrap()];
        all.extend_from_slice(args);
        self.run(&all).await
    }
}

/// What `braid` wrote to standard error.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
