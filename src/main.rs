use clap::Parser;

use braid::cli::{self, Args};
use braid::gui::{self, Launch};
use braid::platform::instance::{self, Role};

fn main() {
    let args = Args::parse();
    let code = match args.command {
        Some(command) => cli::run(command),
        None => window(args.sources, args.start),
    };
    std::process::exit(code);
}

/// Opens the window, or hands the sources to the one already open.
fn window(sources: Vec<String>, start: bool) -> i32 {
    let mut handed = instance::absolute_args(&sources);
    if start {
        handed.insert(0, instance::START_FLAG.to_owned());
    }
    let socket = instance::socket_path();
    let listener = match instance::claim(&socket, &handed) {
        Ok(Role::HandedOff) => return 0,
        Ok(Role::Primary(listener)) => Some(listener),
        Err(e) => {
            eprintln!("braid: {e}; other `braid` commands will open windows of their own");
            None
        }
    };
    let owns_socket = listener.is_some();
    let result = gui::run(Launch {
        sources: instance::absolute_args(&sources),
        start,
        listener,
    });
    if owns_socket {
        let _ = std::fs::remove_file(&socket);
    }
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("braid: the window could not open: {e}");
            1
        }
    }
}
