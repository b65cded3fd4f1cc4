//! The `rawcap` binary: see `rawcap --help`.

use clap::Parser;

mod cli;

use cli::stdio::{self, note};

fn main() {
    cli::block_file_size_signal();
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
            // stdout gone: quietly for a closed pipe (`| head`), tcpdump's line otherwise.
            if let Some(f) = stdio::stdout_failure(&e) {
                if !f.is_closed_pipe() {
                    note!("rawcap: {f}");
                }
                std::process::exit(stdio::EXIT_OUTPUT_FAILED);
            }
            // One line per cause, tcpdump style: "rawcap: what: why".
            note!("rawcap: {e:#}");
            std::process::exit(1);
        }
    }
}
