//! The compile mode of the command line: `-d`, `-dd`, `-ddd` print the
//! filter program as tcpdump does, `--dot` its control-flow graph.
//!
//! Without `-i` the program is libpcap's (the userland target: `protochain`
//! is libpcap's backward loop, which `-r` runs too); with `-i IFACE` it is
//! what a live capture attaches to the socket (Linux extensions, forward
//! jumps only).
//!
//! A refused expression prints the library's error (the message, the
//! expression, carets under the offending text) after `rawcap: `; exit 1.

use super::Args;
use anyhow::{bail, Context};
use rawcap::filter::{self, Options, Resolver, Target};
use rawcap::{LinkType, SNAPLEN as MAX_SNAPLEN};
use std::net::ToSocketAddrs;

/// Runs the compile mode: prints the program (or graph) and returns the exit code.
pub fn print(args: &Args) -> anyhow::Result<i32> {
    let linktype = match &args.linktype {
        Some(lt) => lt.parse::<LinkType>()?,
        None => LinkType::Ethernet,
    };
    let expr = expression(args)?;
    let live = args.interface.is_some();
    let opts = Options {
        linktype,
        snaplen: snaplen(args.snaplen.as_deref())?,
        // No interface, no netmask: `ip broadcast` is refused, as newer libpcap does.
        netmask: None,
        // With -i: the program rawcap attaches to that interface's socket.
        linux_ext: live,
        optimize: !args.no_optimize,
        resolver: Some(system_resolver()),
        // Without -i: libpcap's program, as tcpdump -d prints it.
        target: if live {
            Target::Kernel
        } else {
            Target::Userspace
        },
    };
    let result = if args.dot {
        filter::dot(&expr, &opts)
    } else {
        filter::compile(&expr, &opts).map(|prog| match args.dump {
            0 | 1 => prog.to_string(),
            2 => prog.to_c_array(),
            _ => prog.to_decimal(),
        })
    };
    match result {
        Ok(text) => {
            print!("{text}");
            Ok(0)
        }
        Err(e) => {
            eprintln!("rawcap: {e}");
            Ok(1)
        }
    }
}

/// The system resolver (getaddrinfo through std), as tcpdump resolves host names.
pub fn system_resolver() -> Resolver {
    Resolver::new(|name: &str| {
        (name, 0)
            .to_socket_addrs()
            .map(|it| it.map(|sa| sa.ip()).collect())
            .unwrap_or_default()
    })
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
            MAX_SNAPLEN
        } else {
            opts.snaplen
        },
        resolver: Some(system_resolver()),
        ..opts
    };
    filter::compile(expr, &opts).map_err(|e| anyhow::anyhow!("{e}"))
}

/// The expression, from `-F FILE` (which wins, as in tcpdump) or the
/// argument words joined with spaces; `#` starts a comment in a file.
///
/// # Errors
/// When the filter file cannot be read.
pub fn expression(args: &Args) -> anyhow::Result<String> {
    words_or_file(&args.expression, args.filter_file.as_deref())
}

/// [`expression`] for any word list and optional `-F` file.
///
/// # Errors
/// When the filter file cannot be read.
pub fn words_or_file(words: &[String], file: Option<&std::path::Path>) -> anyhow::Result<String> {
    let raw = match file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading filter file {}", path.display()))?;
            text.lines()
                .map(|l| l.split('#').next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" ")
        }
        None => words.join(" "),
    };
    Ok(raw.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `-s`: 0 or absent means 262144, as in tcpdump.
fn snaplen(arg: Option<&str>) -> anyhow::Result<u32> {
    let Some(s) = arg else {
        return Ok(MAX_SNAPLEN);
    };
    match s.trim().parse::<u32>() {
        Ok(0) => Ok(MAX_SNAPLEN),
        Ok(n) if n <= MAX_SNAPLEN => Ok(n),
        _ => bail!("invalid snaplen {s} (must be >= 0 and <= {MAX_SNAPLEN})"),
    }
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
