//! The `rawcap` command line: flags, wiring, exit codes.
//!
//! Each mode lives in its own file: `compile` (-d/-dd/-ddd, --dot),
//! `offline` (-r), `live` (-i), `client` (client and serve), `trace`.

pub mod args;
pub mod compile;
pub mod live;
pub mod net;
pub mod offline;
pub mod output;
pub mod trace;

pub use args::Args;

/// Runs the command line and returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    use args::Command;
    match &args.command {
        Some(Command::Client(c)) => return net::client(c),
        Some(Command::Serve(s)) => return net::serve(s),
        Some(Command::Trace(t)) => return trace::run(t),
        None => {}
    }
    if args.dump > 0 || args.dot {
        return compile::print(&args);
    }
    if args.read.is_some() {
        return offline::run(&args);
    }
    live::run(&args)
}
