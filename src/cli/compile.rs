//! The compile mode of the command line: `-d`, `-dd`, `-ddd` print the filter
//! program exactly as tcpdump does.
//!
//! For now the only expression it knows is `tcp port 80` on Ethernet, served
//! by the hand-assembled [`rawcap::bpf::programs::tcp_port_80`]; every other
//! expression is refused with "filter expression not supported yet".

use super::Args;
use anyhow::{bail, Context};
use rawcap::bpf::{programs, Insn, Program};

/// tcpdump's largest snapshot length (`MAXIMUM_SNAPLEN`), also its default.
const MAX_SNAPLEN: u32 = 262_144;

/// Runs the compile mode: prints the program for the expression and returns exit code 0.
pub fn print(args: &Args) -> anyhow::Result<i32> {
    if args.dot {
        bail!("--dot: not supported yet");
    }
    if args.no_optimize {
        bail!("-O: unoptimized programs not supported yet");
    }
    if let Some(lt) = &args.linktype {
        if !matches!(
            lt.to_ascii_uppercase().as_str(),
            "EN10MB" | "ETHER" | "ETHERNET"
        ) {
            bail!("link type {lt}: not supported yet (only EN10MB)");
        }
    }
    let snaplen = snaplen(args.snaplen.as_deref())?;
    let expr = expression(args)?;
    let prog = match expr.as_str() {
        "tcp port 80" => with_snaplen(programs::tcp_port_80(), snaplen),
        _ => bail!("filter expression not supported yet: {expr}"),
    };
    let text = match args.dump {
        0 | 1 => prog.to_string(),
        2 => prog.to_c_array(),
        _ => prog.to_decimal(),
    };
    print!("{text}");
    Ok(0)
}

/// The expression, from `-F FILE` (which wins, as in tcpdump) or the
/// argument words, with `#` comments dropped and whitespace normalised.
fn expression(args: &Args) -> anyhow::Result<String> {
    let raw = match &args.filter_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading filter file {}", path.display()))?;
            // tcpdump's read_infile: a `#` starts a comment up to the end of the line.
            text.lines()
                .map(|l| l.split('#').next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" ")
        }
        None => args.expression.join(" "),
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

/// Makes the accepting returns keep `snaplen` bytes instead of the default.
fn with_snaplen(prog: Program, snaplen: u32) -> Program {
    let accept = Insn::stmt(
        rawcap::bpf::code::RET | rawcap::bpf::code::K,
        programs::SNAPLEN,
    );
    Program::new(
        prog.into_insns()
            .into_iter()
            .map(|i| {
                if i == accept {
                    Insn { k: snaplen, ..i }
                } else {
                    i
                }
            })
            .collect(),
    )
}
