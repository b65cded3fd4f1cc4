//! The `rawcap` binary: see `rawcap --help`.

use clap::Parser;

mod cli;

fn main() {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            // One line per cause, tcpdump style: "rawcap: what: why".
            eprintln!("rawcap: {e:#}");
            std::process::exit(1);
        }
    }
}
