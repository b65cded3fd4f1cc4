//! The `rawcap` command line: flags, wiring, exit codes.
//!
//! Raw flags ([`Args`], clap with tcpdump's getopt rules) become one
//! validated [`Config`] (`config`), which picks the mode; each mode lives in
//! its own file and receives its typed part: `compile` (-d/-dd/-ddd, --dot),
//! `offline` (-r), `live` (-i), `net` (client and serve), `trace`.
//! `input` opens savefiles, `output` writes packets, `interfaces` lists
//! the host's interfaces (-D), `stdio` keeps closed pipes from panicking.

pub mod args;
pub mod clock;
pub mod compile;
pub mod config;
pub mod input;
pub mod interfaces;
pub mod live;
pub mod names;
pub mod net;
pub mod offline;
pub mod output;
pub mod savefiles;
pub mod stdio;
pub mod trace;

pub use args::Args;
pub use config::Config;

/// Blocks SIGXFSZ, which a write past the file size limit (`ulimit -f`)
/// raises and which kills the process mid-record by default: blocked (from
/// the main thread, before any other thread starts, so in every thread), the
/// signal stays pending and the write fails with EFBIG instead, which `-w`
/// handles as it handles a full disk (the file cut back to its last whole
/// record, one line, exit 1). Blocked rather than ignored: programs rawcap
/// starts get an empty signal mask from `std::process`, but would inherit
/// an ignored disposition.
pub fn block_file_size_signal() {
    use nix::sys::signal::{SigSet, Signal};
    let mut set = SigSet::empty();
    set.add(Signal::SIGXFSZ);
    let _ = set.thread_block();
}

/// Runs the command line and returns the process exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    match Config::from_args(args)? {
        Config::ListInterfaces => interfaces::print_list(),
        Config::Version => print_version(),
        Config::ListLinkTypes(names) => interfaces::print_linktypes(&names),
        Config::ListTstampTypes(names) => interfaces::print_tstamp_types(&names),
        Config::Compile(c) => compile::print(&c),
        Config::Offline(o) => offline::run(&o),
        Config::Live(l) => live::run(&l),
        Config::Trace(t) => trace::run(&t),
        Config::Client(c) => net::client(&c),
        Config::Serve(s) => net::serve(&s),
    }
}

/// `--version`, in tcpdump's form: the program's version, then what it
/// captures with in place of libpcap's line.
fn print_version() -> anyhow::Result<i32> {
    use std::io::Write;
    let mut out = stdio::Stdout;
    writeln!(out, "rawcap version {}", env!("CARGO_PKG_VERSION"))?;
    writeln!(
        out,
        "no libpcap: AF_PACKET with TPACKET_V3, its own pcap-filter compiler"
    )?;
    Ok(0)
}
