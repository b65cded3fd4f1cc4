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
//! A refused expression is drawn the way the style guide shows: the
//! message, the expression, and carets under the offending text; exit 1.

use super::Args;
use anyhow::{bail, Context};
use rawcap::filter::{self, CompileError, Options, Resolver, Target};
use rawcap::LinkType;
use std::net::ToSocketAddrs;

/// tcpdump's largest snapshot length (`MAXIMUM_SNAPLEN`), also its default.
const MAX_SNAPLEN: u32 = 262_144;

/// Runs the compile mode: prints the program (or graph) and returns the exit code.
pub fn print(args: &Args) -> anyhow::Result<i32> {
    let linktype = match (&args.linktype, &args.interface) {
        (Some(lt), _) => lt.parse::<LinkType>()?,
        // With -i: the link type that interface delivers (LINUX_SLL for `any`).
        (None, Some(iface)) => rawcap::capture::link_type_of(iface)?,
        (None, None) => LinkType::Ethernet,
    };
    let expr = expression(args)?;
    let live = args.interface.is_some();
    let opts = Options {
        linktype,
        snaplen: snaplen(args.snaplen.as_deref())?,
        // tcpdump -d with no interface compiles with netmask 0.
        netmask: Some(0),
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
        filter::compile_cfg(&expr, &opts).map(|cfg| filter::dot::dot(&cfg))
    } else {
        filter::compile(&expr, &opts)
            .map(|prog| {
                // With -i: what the socket gets. A cooked socket's filter sees the
                // packet from its network header, so the loads are moved (or the
                // kernel keeps everything and rawcap filters in userland).
                if !live {
                    return prog;
                }
                let plan = rawcap::bpf::cooked::plan(&prog, linktype, opts.snaplen);
                if let rawcap::bpf::cooked::Plan::Userland { why, .. } = &plan {
                    eprintln!(
                        "rawcap: {why}: the kernel keeps every frame and rawcap filters them"
                    );
                }
                plan.attached().clone()
            })
            .map(|prog| match args.dump {
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
            eprint!("{}", draw_error(&expr, &e));
            Ok(1)
        }
    }
}

/// The system resolver (getaddrinfo through std), as tcpdump resolves host names.
pub fn system_resolver() -> Resolver {
    Resolver::new(|name| {
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
/// When the expression does not compile: the message, then the expression
/// and carets under the offending part.
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
    filter::compile(expr, &opts).map_err(|e| {
        let drawn = draw_error(expr, &e);
        anyhow::anyhow!("{}", drawn.trim_end().trim_start_matches("rawcap: "))
    })
}

/// `rawcap: MESSAGE`, then the expression and carets under the error's span.
pub fn draw_error(expr: &str, e: &CompileError) -> String {
    let start = (e.span.start as usize).min(expr.len());
    let end = (e.span.end as usize).clamp(start, expr.len());
    let col = expr.get(..start).map_or(start, |s| s.chars().count());
    let width = expr.get(start..end).map_or(1, |s| s.chars().count()).max(1);
    format!(
        "rawcap: {e}\n  {expr}\n  {}{}\n",
        " ".repeat(col),
        "^".repeat(width)
    )
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
    fn error_drawing_puts_carets_under_the_span() {
        let opts = Options::default();
        let e = filter::compile("tcp port 70000", &opts).unwrap_err();
        assert_eq!(
            draw_error("tcp port 70000", &e),
            "rawcap: illegal port number 70000 > 65535\n  tcp port 70000\n           ^^^^^\n"
        );
        let e = filter::compile("tcp port 80 and", &opts).unwrap_err();
        let drawn = draw_error("tcp port 80 and", &e);
        assert!(drawn.ends_with("\n                 ^\n"), "{drawn}");
    }
}
