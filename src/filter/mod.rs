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
//! backward jump the kernel refuses) is unrolled to a bounded walk, see
//! [`gen`] and docs/filter.md; every such program passes
//! [`crate::bpf::validate()`]. [`Target::Userspace`] gives libpcap's loop, for
//! userland interpreters such as [`crate::bpf::vm`].
//!
//! The compiler never touches the OS: port and protocol names come from
//! built-in tables, host names only from [`Options::resolver`].
//!
//! ```
//! use rawcap::filter::{compile, Options};
//! let prog = compile("tcp port 80", &Options::default()).unwrap();
//! assert_eq!(prog.insns().last().unwrap().k, 0); // the final `ret #0`
//! assert!(compile("tcp port 80 and", &Options::default()).is_err());
//! ```

pub mod ast;
pub mod cfg;
pub mod dot;
mod error;
pub mod gen;
pub mod lex;
pub mod linearize;
mod names;
pub mod opt;
pub mod parse;
pub mod span;

pub use error::{CompileError, CompileErrorKind};
pub use span::Span;

use crate::bpf::Program;
use crate::LinkType;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::net::IpAddr;

/// The function a [`Resolver`] wraps: a host name to its addresses.
pub type ResolveFn = dyn Fn(&str) -> Vec<IpAddr> + Send + Sync;

/// A host-name resolver: a name to its addresses (empty when unknown).
#[derive(Clone)]
pub struct Resolver(pub Arc<ResolveFn>);

impl Resolver {
    /// Wraps a resolving function.
    pub fn new(f: impl Fn(&str) -> Vec<IpAddr> + Send + Sync + 'static) -> Self {
        Resolver(Arc::new(f))
    }
}

impl fmt::Debug for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Resolver(..)")
    }
}

/// Which BPF interpreter a program is compiled for.
///
/// The two differ only for `protochain`, which libpcap compiles to a loop.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// A Linux socket (`SO_ATTACH_FILTER`): jumps go forward only, and every
    /// program passes [`crate::bpf::validate()`]. `protochain` walks at most
    /// [`gen::PROTOCHAIN_MAX_HEADERS`] headers, unrolled.
    #[default]
    Kernel,
    /// A userland interpreter ([`crate::bpf::vm`], libpcap's `bpf_filter`):
    /// the program is libpcap's, `protochain` included, whose loop jumps
    /// backwards (the kernel refuses it). Every program passes
    /// [`crate::bpf::validate_userspace`]; the ones without `protochain` are
    /// the same as for [`Target::Kernel`]. This is what `tcpdump -d` prints.
    Userspace,
}

/// How to compile.
#[derive(Clone, Debug)]
pub struct Options {
    /// The link-layer header the packets start with.
    pub linktype: LinkType,
    /// What an accepting program returns (tcpdump's `-s`, default 262144).
    pub snaplen: u32,
    /// The network mask for `ip broadcast` (`None`: refused, as libpcap does).
    pub netmask: Option<u32>,
    /// Allow Linux ancillary loads (`inbound`, `outbound`, `ifindex`): live capture only.
    pub linux_ext: bool,
    /// Run the optimizer (tcpdump's `-O` turns it off).
    pub optimize: bool,
    /// Resolves host names; without one, names are refused.
    pub resolver: Option<Resolver>,
    /// The interpreter the program is for (default: the kernel's).
    pub target: Target,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            linktype: LinkType::Ethernet,
            snaplen: 262_144,
            netmask: None,
            linux_ext: false,
            optimize: true,
            resolver: None,
            target: Target::Kernel,
        }
    }
}

/// Compiles a filter expression to a BPF program.
///
/// # Errors
/// Everything libpcap refuses (syntax, bad qualifiers, out-of-range values,
/// unknown names) and the constructs rawcap does not implement; the error's
/// span points at the offending text.
pub fn compile(expr: &str, opts: &Options) -> Result<Program, CompileError> {
    let mut cfg = compile_cfg(expr, opts)?;
    cfg.zero_unwritten_scratch();
    linearize::linearize(&cfg)
}

/// Compiles to the control-flow graph (optimized when `opts.optimize`), for `--dot` and tests.
///
/// # Errors
/// As [`compile`].
pub fn compile_cfg(expr: &str, opts: &Options) -> Result<cfg::Cfg, CompileError> {
    let tokens = lex::lex(expr)?;
    let ast = parse::parse(expr, &tokens)?;
    let mut cfg = gen::gen(ast.as_ref(), opts)?;
    if opts.optimize && !cfg.no_optimize {
        let whole = Span::new(0, expr.len());
        opt::run(&mut cfg)
            .map_err(|m| CompileError::new(whole, CompileErrorKind::BadValue(m.into())))?;
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
