use clap::Parser;

use braid::cli::{self, Args};
use braid::gui::{self, Opened};

fn main() {
    gui::choose_renderer();
    // A browser starting the extension's messaging host passes its own arguments.
    let raw: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if cli::native_host::invoked_by_browser(&raw) {
        let args = cli::native_host::Args { caller: raw };
        std::process::exit(cli::native_host::run(&args));
    }
    let args = Args::parse();
    let code = match args.command {
        Some(command) => cli::run(command),
        None => window(args.sources, args.start),
    };
    std::process::exit(code);
}

/// Opens the window, or hands the sources to the one already open.
fn window(sources: Vec<String>, start: bool) -> i32 {
    if let Err(error) = cli::check_first_source(&sources) {
        eprintln!("braid: {error}");
        return 2;
    }
    match gui::open(&sources, start) {
        Opened::HandedOff | Opened::Closed(Ok(())) => 0,
        Opened::NoDisplay(why) => {
            eprintln!("{}", gui::no_display_message(&why));
            2
        }
        Opened::Closed(Err(e)) => {
            eprintln!("braid: the window could not open: {e}");
            1
        }
    }
}
