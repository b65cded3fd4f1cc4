//! The tcpdump filter language (pcap-filter(7)) compiled to classic BPF.
//!
//! In: an expression such as `tcp port 80 and not host 198.18.0.1`, and
//! [`Options`] (link type, snapshot length, netmask, Linux extensions,
//! optimizer switch, host-name resolver). Out: a [`Program`] that returns,
//! for every packet, what libpcap 1.10's program for the same expression
//! returns (the snapshot length to accept, 0 to reject).
//!
//! The pipeline, one function per stage:
//!
//! ```text
//! text --lex--> Vec<Token> --parse--> Expr --gen--> Cfg --opt::run--> Cfg --linearize--> Program
//! ```
//!
//! With the optimizer off (`-O`) the program is libpcap's unoptimized one
//! instruction for instruction, except that scratch registers some path
//! reads before writing (Geneve under `or`/`not`) are zeroed first, so the
//! kernel accepts the program. `protochain` is the one deliberate
//! difference for [`Target::Kernel`] (the default): libpcap's loop (a
//! backward jump the kernel refuses) is unrolled to a bounded walk of
//! [`PROTOCHAIN_MAX_HEADERS`] headers, see docs/filter.md; every such program passes
//! [`crate::bpf::validate()`]. [`Target::Userspace`] gives libpcap's loop, for
//! userland interpreters such as [`crate::bpf::vm`].
//!
//! The compiler never touches the OS: names the host system knows come
//! from [`Options::resolver`] (none by default), port and protocol names
//! otherwise from built-in tables. Errors keep the expression and draw it
//! with carets under the offending text ([`CompileError`]).
//!
//! ```
//! use rawcap::filter::{compile, Options};
//! let prog = compile("tcp port 80", &Options::default()).unwrap();
//! assert_eq!(prog.insns().last().unwrap().k, 0); // the final `ret #0`
//! assert!(compile("tcp port 80 and", &Options::default()).is_err());
//! ```

pub(crate) mod ast;
pub(crate) mod cfg;
pub(crate) mod dot;
mod error;
pub(crate) mod gen;
pub(crate) mod lex;
pub(crate) mod linearize;
mod names;
pub(crate) mod opt;
pub(crate) mod parse;
mod resolve;
mod span;

pub use error::{
    AddressKind, CompileError, CompileErrorKind, Feature, Field, NameKind, NumberProblem,
    Unsupported, MAX_ECHO,
};
pub use gen::{MAX_BLOCKS, PROTOCHAIN_MAX_HEADERS};
pub use parse::MAX_DEPTH;
pub use resolve::{Resolve, Resolver, Tables, Transport};
pub use span::Span;

use crate::bpf::Program;
use crate::{LinkType, SNAPLEN};
use alloc::string::String;

/// Which BPF interpreter a program is compiled for.
///
/// The two differ only for `protochain`, which libpcap compiles to a loop.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// A Linux socket (`SO_ATTACH_FILTER`): jumps go forward only, and every
    /// program passes [`crate::bpf::validate()`]. `protochain` walks at most
    /// [`PROTOCHAIN_MAX_HEADERS`] headers, unrolled.
    #[default]
    Kernel,
    /// A userland interpreter ([`crate::bpf::vm`], libpcap's `bpf_filter`):
    /// the program is libpcap's, `protochain` included, whose loop jumps
    /// backwards (the kernel refuses it). Every program passes
    /// [`crate::bpf::validate_userspace`]; the ones without `protochain` are
    /// the same as for [`Target::Kernel`]. This is what `tcpdump -d` prints.
    Userspace,
}

/// How to compile: a plain struct with public fields. Start from
/// [`Options::default()`] and change what differs, so fields added later
/// keep their defaults:
///
/// ```
/// use rawcap::{filter::Options, LinkType};
/// let opts = Options { linktype: LinkType::LinuxSll2, snaplen: 96, ..Options::default() };
/// # assert!(rawcap::filter::compile("udp", &opts).is_ok());
/// ```
#[derive(Clone, Debug)]
pub struct Options {
    /// The link-layer header the packets start with (default Ethernet,
    /// tcpdump's `-y`). Every [`LinkType`] compiles; see docs/filter.md for
    /// what each one supports.
    pub linktype: LinkType,
    /// What an accepting program returns: the bytes of each packet kept
    /// (tcpdump's `-s`; default [`crate::SNAPLEN`]). 0 is taken as
    /// [`crate::SNAPLEN`], as tcpdump does.
    pub snaplen: u32,
    /// The IPv4 network mask `ip broadcast` needs, host order (tcpdump
    /// takes it from the capture interface). `None` (the default) or 0:
    /// not known, and `ip broadcast` is refused, as newer libpcap releases do.
    pub netmask: Option<u32>,
    /// Allow Linux's ancillary loads (`inbound`, `outbound`, `ifindex` on
    /// links without a direction field, and `vlan` from packet metadata):
    /// the program then only runs on a live socket or [`crate::bpf::vm`]
    /// with metadata. Default off, as for a savefile.
    pub linux_ext: bool,
    /// Run the optimizer (default on; tcpdump's `-O` turns it off). Off, the
    /// program is libpcap's unoptimized one instruction for instruction.
    pub optimize: bool,
    /// Resolves host, network, Ethernet host, protocol and service names
    /// (see [`Resolve`]). `None` (the default): host, network and Ethernet
    /// host names are refused; protocol and service names come from
    /// built-in tables.
    pub resolver: Option<Resolver>,
    /// The interpreter the program is for (default [`Target::Kernel`]).
    pub target: Target,
    /// The packets come from a savefile (tcpdump's `-r`) written in this
    /// byte order, not from this host. Only NULL and LOOP care, as in
    /// libpcap: `ip6` then matches every BSD's `AF_INET6` (24, 28, 30)
    /// instead of Linux's 10, and NULL's host-order family is read in the
    /// file's order. `None` (the default): captured on this host, which is
    /// taken to be little-endian (as the libpcap fixtures are).
    pub savefile: Option<ByteOrder>,
}

/// The byte order a savefile was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteOrder {
    /// Least significant byte first (x86, most ARM).
    Little,
    /// Most significant byte first (network order; SPARC, s390x, older PowerPC).
    Big,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            linktype: LinkType::Ethernet,
            snaplen: SNAPLEN,
            netmask: None,
            linux_ext: false,
            optimize: true,
            resolver: None,
            target: Target::Kernel,
            savefile: None,
        }
    }
}

impl Options {
    /// The snapshot length programs return: [`Options::snaplen`], with 0 meaning [`crate::SNAPLEN`].
    fn ret_len(&self) -> u32 {
        if self.snaplen == 0 {
            SNAPLEN
        } else {
            self.snaplen
        }
    }
}

/// Compiles a filter expression to a BPF program.
///
/// # Errors
/// Everything libpcap refuses (syntax, bad qualifiers, out-of-range values,
/// unknown names), what newer libpcap releases refuse (docs/filter.md), and
/// the constructs rawcap does not implement; the error's `Display` shows
/// the expression with carets under the offending text.
pub fn compile(expr: &str, opts: &Options) -> Result<Program, CompileError> {
    compile_cfg(expr, opts)
        .and_then(|mut cfg| {
            cfg.zero_unwritten_scratch();
            linearize::linearize(&cfg)
        })
        .map_err(|e| e.in_expr(expr))
}

/// The program's control-flow graph as a Graphviz DOT document (`rawcap
/// --dot`): one box per block, solid edges where its test holds, dashed
/// where it does not. Optimized when `opts.optimize` is set, so a wrong
/// result can be compared with and without the optimizer.
///
/// # Errors
/// As [`compile`].
pub fn dot(expr: &str, opts: &Options) -> Result<String, CompileError> {
    compile_cfg(expr, opts)
        .map(|cfg| dot::dot(&cfg))
        .map_err(|e| e.in_expr(expr))
}

/// Compiles to the control-flow graph (optimized when `opts.optimize`); the
/// error has no expression attached yet.
pub(crate) fn compile_cfg(expr: &str, opts: &Options) -> Result<cfg::Cfg, CompileError> {
    let tokens = lex::lex(expr)?;
    let ast = parse::parse(expr, &tokens)?;
    let mut cfg = gen::gen(ast.as_ref(), opts)?;
    if opts.optimize && !cfg.no_optimize {
        let whole = Span::new(0, expr.len());
        opt::run(&mut cfg).map_err(|k| CompileError::new(whole, k))?;
        // libpcap's pcap_compile refuses an optimized program that is `ret #0`.
        if let Some(root) = cfg.root {
            if cfg.get(root).exit == cfg::Exit::Ret(0) {
                return Err(CompileError::new(whole, CompileErrorKind::RejectsAll));
            }
        }
    }
    Ok(cfg)
}

#[cfg(test)]
mod tests;
