use clap::{CommandFactory, Parser};

use braid::cli::{self, Args};

fn main() {
    let args = Args::parse();
    let code = match args.command {
        Some(command) => cli::run(command),
        None => {
            let _ = Args::command().print_help();
            0
        }
    };
    std::process::exit(code);
}
