//! The compile mode of the command line: `-d`, `-dd`, `-ddd` print the
//! filter program as tcpdump does, `--dot` its control-flow graph.
//!
//! Without `-i` the program is libpcap's (the userland target: `protochain`
//! is libpcap's backward loop, which `-r` runs too); with `-i IFACE` it is
//! what a live capture attaches to the socket (Linux extensions, forward
//! jumps only, compiled for the interface's link type; on a cooked socket
//! such as `any`, with its loads moved to the network header, see
//! `rawcap::bpf::cooked`).
//!
//! A refused expression prints the library's error (the message, the
//! expression, carets under the offending text) after `rawcap: `; exit 1.

use super::config::{Compile, CompileFor, Print};
use super::input;
use super::stdio::{note, Stdout};
use rawcap::filter::{self, ByteOrder, Options, Resolver, Tables, Target};
use rawcap::{LinkType, SNAPLEN};
use std::io::Write;
use std::net::ToSocketAddrs;

/// Runs the compile mode: prints the program (or graph) and returns the exit code.
pub fn print(cfg: &Compile) -> anyhow::Result<i32> {
    let (linktype, snaplen) = match &cfg.target {
        CompileFor::Default => (cfg.linktype.unwrap_or(LinkType::Ethernet), cfg.snaplen),
        CompileFor::Interface(iface) => {
            let lt = rawcap::capture::link_type_of(iface).map_err(super::live::explain)?;
            (super::live::check_linktype(cfg.linktype, lt)?, cfg.snaplen)
        }
        CompileFor::File(path) => {
            let mapped = input::map_savefile(path);
            let (mut source, _) = input::open(path, mapped.as_ref())?;
            let (lt, snaplen) = input::linktype_of(&mut source, path, cfg.linktype)?;
            super::offline::say_reading(path, lt, snaplen);
            (lt, snaplen)
        }
    };
    let live = matches!(cfg.target, CompileFor::Interface(_));
    let expr = &cfg.expression;
    let opts = Options {
        linktype,
        snaplen: if snaplen == 0 { SNAPLEN } else { snaplen },
        // No interface, no netmask: `ip broadcast` is refused, as newer libpcap does.
        netmask: None,
        // With -i: the program rawcap attaches to that interface's socket.
        linux_ext: live,
        optimize: cfg.optimize,
        resolver: Some(system_resolver()),
        // Without -i: libpcap's program, as tcpdump -d prints it.
        target: if live {
            Target::Kernel
        } else {
            Target::Userspace
        },
        // -r: as libpcap compiles for a savefile (NULL/LOOP `ip6` families).
        savefile: matches!(cfg.target, CompileFor::File(_)).then_some(ByteOrder::Little),
    };
    let result = match cfg.print {
        Print::Dot => filter::dot(expr, &opts),
        form => filter::compile(expr, &opts).map(|prog| {
            let prog = if live {
                attached(prog, linktype, opts.snaplen)
            } else {
                prog
            };
            match form {
                Print::C => prog.to_c_array(),
                Print::Decimal => prog.to_decimal(),
                _ => prog.to_string(),
            }
        }),
    };
    match result {
        Ok(text) => {
            Stdout.write_all(text.as_bytes())?;
            Ok(0)
        }
        Err(e) => {
            note!("rawcap: {e}");
            Ok(1)
        }
    }
}

/// What a live capture attaches for `prog` (compiled for `linktype`): a
/// cooked socket's filter sees the packet from its network header, so the
/// loads are moved, or, when the kernel cannot run the program, the kernel
/// keeps every frame and rawcap filters them (said on stderr).
fn attached(prog: rawcap::bpf::Program, linktype: LinkType, snaplen: u32) -> rawcap::bpf::Program {
    let plan = rawcap::bpf::cooked::plan(&prog, linktype, snaplen);
    if let rawcap::bpf::cooked::Plan::Userland { why, .. } = &plan {
        note!("rawcap: {why}: the kernel keeps every frame and rawcap filters them");
    }
    plan.attached().clone()
}

/// The host system's names, where tcpdump finds them: /etc/ethers,
/// /etc/networks, /etc/protocols and /etc/services (read now; a missing file
/// knows nothing), then host names through getaddrinfo (std's resolver:
/// /etc/hosts, then DNS).
pub fn system_resolver() -> Resolver {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let mut tables = Tables::default();
    tables
        .ethers(&read("/etc/ethers"))
        .networks(&read("/etc/networks"))
        .protocols(&read("/etc/protocols"))
        .services(&read("/etc/services"));
    let getaddrinfo = |name: &str| -> Vec<std::net::IpAddr> {
        (name, 0)
            .to_socket_addrs()
            .map(|it| it.map(|sa| sa.ip()).collect())
            .unwrap_or_default()
    };
    Resolver::new((tables, getaddrinfo))
}

/// Compiles `expr` for a capture or a savefile: the options' snapshot length
/// (0 means 262144) and link type, host names through the system resolver.
///
/// # Errors
/// When the expression does not compile: the library's error (the message,
/// then the expression and carets under the offending part).
pub fn program(expr: &str, opts: Options) -> anyhow::Result<rawcap::bpf::Program> {
    let opts = Options {
        snaplen: if opts.snaplen == 0 {
            SNAPLEN
        } else {
            opts.snaplen
        },
        resolver: Some(system_resolver()),
        ..opts
    };
    filter::compile(expr, &opts).map_err(|e| anyhow::anyhow!("{e}"))
}

/// The filter program for `expr` on frames of `linktype` read from a savefile
/// (tcpdump compiles without Linux extensions for `-r`).
///
/// # Errors
/// When the expression does not compile; the message shows the expression
/// with carets under the offending part.
pub fn for_savefile(
    expr: &str,
    linktype: LinkType,
    snaplen: u32,
    optimize: bool,
) -> anyhow::Result<rawcap::bpf::Program> {
    program(
        expr,
        filter::Options {
            linktype,
            snaplen,
            optimize,
            // The VM runs libpcap's own program, protochain loop included.
            target: filter::Target::Userspace,
            // As libpcap compiles for a savefile (NULL/LOOP `ip6` families;
            // the file's byte order is taken to be little-endian).
            savefile: Some(ByteOrder::Little),
            ..filter::Options::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_errors_carry_the_librarys_carets() {
        let e = program("tcp port 70000", Options::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "illegal port number 70000 > 65535\n  tcp port 70000\n           ^^^^^"
        );
    }
}
