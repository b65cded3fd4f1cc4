//! The `rawcap` binary: see `rawcap --help`.

use clap::Parser;

mod cli;

fn main() {
    let args = match cli::Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // --help and --version print and succeed; a bad flag exits 1, as tcpdump does.
            let _ = e.print();
            std::process::exit(if e.use_stderr() { 1 } else { 0 });
        }
    };
    match cli::run(args) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            // One line per cause, tcpdump style: "rawcap: what: why".
            eprintln!("rawcap: {e:#}");
            std::process::exit(1);
        }
    }
}
