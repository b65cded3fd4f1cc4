//! [`Machine`]: the one way to run a filter over packets.
//!
//! In: a [`Program`] (any: validated or not, jumping back or not). Out: for
//! each packet, the value the kernel's socket filter would return, the
//! number of bytes to keep (0 drops it): exactly what [`vm::run`] returns.
//!
//! [`Machine::new`] prepares the program once, on the fastest engine that
//! takes it ([`Engine`]): native code when the crate is built with the
//! `jit` feature (on by default) on x86-64 Linux, else the fused interpreter
//! ([`vm::Fused`], for programs whose jumps all go forward: everything
//! `SO_ATTACH_FILTER` accepts), else the decoded interpreter
//! ([`vm::Decoded`], which takes any program, libpcap's backward
//! `protochain` loop included). All engines return the same value for the
//! same program, packet and [`Meta`]; the differential tests and the fuzz
//! target `vm` hold them to [`vm::run`].
//!
//! Which entry point to use:
//! - [`Machine`] to filter packets: a capture, a savefile, an embedder's
//!   socket buffers;
//! - [`vm::run`] for one verdict on one packet with no set-up (it decodes
//!   every instruction as it goes), and [`vm::trace`] to see every step a
//!   program takes (`rawcap trace`): the debugger's view;
//! - [`Meta::for_frame`] for the metadata a socket filter sees besides the
//!   bytes, for a frame of a given link type read from a file.

use super::program::Program;
use super::vm::{self, Meta};

/// The engine a [`Machine`] runs its program on, fastest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Engine {
    /// Native code made from the program (feature `jit`, x86-64 Linux; see
    /// `rawcap::jit`): takes every program, unless executable memory cannot
    /// be had.
    Native,
    /// [`vm::Fused`]: fused load-and-jump steps, for programs whose jumps
    /// all land inside the program going forward.
    Fused,
    /// [`vm::Decoded`]: the program decoded once; runs any program.
    Decoded,
}

/// A program made ready to run over many packets on the fastest engine
/// available (see the [module docs](self)).
///
/// ```
/// use rawcap::bpf::{programs, Machine, vm::Meta};
/// use rawcap::LinkType;
/// let m = Machine::new(&programs::tcp_port_80());
/// let frame = [0u8; 60]; // not IPv4, not IPv6: dropped
/// assert_eq!(m.run(&frame, 60, &Meta::for_frame(LinkType::Ethernet, &frame)), 0);
/// ```
#[derive(Debug)]
pub struct Machine {
    inner: Inner,
}

/// `repr(u8)`: a tag byte of its own, so `run` picks the engine with one
/// compare (without it the tag is a niche in a `Vec`'s capacity, which
/// costs several instructions per packet to decode).
#[derive(Debug)]
#[repr(u8)]
enum Inner {
    #[cfg(all(feature = "jit", target_arch = "x86_64", target_os = "linux"))]
    Native(crate::jit::Native),
    Fused(vm::Fused),
    Decoded(vm::Decoded),
}

impl Machine {
    /// Prepares `prog` on the fastest engine that takes it: native code
    /// (feature `jit`), else [`vm::Fused`], else [`vm::Decoded`], which takes
    /// every program.
    pub fn new(prog: &Program) -> Self {
        [Engine::Native, Engine::Fused]
            .into_iter()
            .find_map(|e| Self::with_engine(prog, e))
            .unwrap_or(Machine {
                inner: Inner::Decoded(vm::Decoded::new(prog)),
            })
    }

    /// Prepares `prog` on `engine`, or `None` when that engine is not built
    /// in ([`Engine::Native`] without the `jit` feature or off x86-64 Linux)
    /// or does not take this program. For comparing engines; [`Machine::new`]
    /// picks the fastest.
    pub fn with_engine(prog: &Program, engine: Engine) -> Option<Self> {
        let inner = match engine {
            #[cfg(all(feature = "jit", target_arch = "x86_64", target_os = "linux"))]
            Engine::Native => Inner::Native(crate::jit::Native::new(prog)?),
            #[cfg(not(all(feature = "jit", target_arch = "x86_64", target_os = "linux")))]
            Engine::Native => return None,
            Engine::Fused => Inner::Fused(vm::Fused::new(prog)?),
            Engine::Decoded => Inner::Decoded(vm::Decoded::new(prog)),
        };
        Some(Machine { inner })
    }

    /// The engine this machine runs on.
    pub fn engine(&self) -> Engine {
        match self.inner {
            #[cfg(all(feature = "jit", target_arch = "x86_64", target_os = "linux"))]
            Inner::Native(_) => Engine::Native,
            Inner::Fused(_) => Engine::Fused,
            Inner::Decoded(_) => Engine::Decoded,
        }
    }

    /// Runs the program over one packet and returns the number of bytes to
    /// keep (0 drops it): what [`vm::run`] returns for the same arguments.
    ///
    /// `pkt` is the bytes the filter may read (loads past its end end the
    /// program with 0), `wire_len` what `ld #len` reads (the length on the
    /// wire; `pkt.len()` when the whole packet is there), `meta` what
    /// ancillary and `SKF_NET_OFF`/`SKF_LL_OFF` loads read.
    #[inline(always)]
    pub fn run(&self, pkt: &[u8], wire_len: u32, meta: &Meta) -> u32 {
        match &self.inner {
            #[cfg(all(feature = "jit", target_arch = "x86_64", target_os = "linux"))]
            Inner::Native(n) => n.run(pkt, wire_len, meta),
            Inner::Fused(f) => f.run(pkt, wire_len, meta),
            Inner::Decoded(d) => d.run(pkt, wire_len, meta),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bpf::insn::{code::*, Insn};
    use crate::bpf::programs;
    use crate::LinkType;
    use alloc::vec;

    #[test]
    fn picks_the_fastest_engine_that_takes_the_program() {
        let m = Machine::new(&programs::tcp_port_80());
        let native = cfg!(all(
            feature = "jit",
            target_arch = "x86_64",
            target_os = "linux"
        ));
        let fastest = if native {
            Engine::Native
        } else {
            Engine::Fused
        };
        assert_eq!(m.engine(), fastest);
        assert_eq!(
            Machine::with_engine(&programs::tcp_port_80(), Engine::Native).is_some(),
            native
        );
        // Jumping off the end: Fused refuses, Decoded takes it.
        let p = Program::new(vec![Insn::stmt(JMP | JA, 5), Insn::stmt(RET | K, 1)]);
        assert!(Machine::with_engine(&p, Engine::Fused).is_none());
        let taker = if native {
            Engine::Native
        } else {
            Engine::Decoded
        };
        assert_eq!(Machine::new(&p).engine(), taker);
    }

    #[test]
    fn machines_move_and_share_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Machine>();
    }

    #[test]
    fn every_engine_returns_what_run_returns() {
        let prog = programs::tcp_port_80();
        let frames = rawcap_corpus::frames();
        for engine in [Engine::Native, Engine::Fused, Engine::Decoded] {
            let Some(m) = Machine::with_engine(&prog, engine) else {
                continue;
            };
            for f in &frames {
                let meta = Meta::for_frame(LinkType::Ethernet, &f.data);
                assert_eq!(
                    m.run(&f.data, f.wire_len, &meta),
                    vm::run(&prog, &f.data, f.wire_len, &meta),
                    "{engine:?} on {}",
                    f.label
                );
            }
        }
    }
}
