//! The native engine: classic BPF translated to x86-64 machine code, as
//! NetBSD's bpfjit and the kernel's cBPF JIT do (feature `jit`, x86-64
//! Linux; [`crate::bpf::Machine`] falls back to the interpreter elsewhere).
//!
//! In: any [`Program`]. Out: a [`Native`] whose [`Native::run`] returns, for
//! every packet, exactly what [`crate::bpf::vm::run`] returns: loads past
//! the packet and division by zero end with 0, ancillary and
//! `SKF_NET_OFF`/`SKF_LL_OFF` loads read the [`Meta`], backward jumps are
//! counted and bounded, scratch memory starts at 0.
//!
//! The pipeline: `emit` translates the program in one pass with
//! `asm`, a small x86-64 encoder (both plain safe code that only writes
//! bytes); `code` maps the bytes executable and calls them, the only
//! `unsafe` in this module (docs/robustness.md lists each block).
//! Instructions the translation does not compile inline (ancillary loads,
//! negative offsets) call back into the interpreter's step for that one
//! instruction (`slow_path`).
//!
//! Invariant: the generated code reads the packet only at offsets it has
//! checked against the length passed with it, and writes only below the
//! stack pointer it was called with (its scratch words).
//!
//! Why a hand-written emitter and not a code generator library: a typical
//! filter compiles in a few microseconds to a few hundred bytes, the
//! engine adds a few kilobytes to the binary and no dependency besides
//! libc, and per-packet cost is that of the code a compiler would emit for
//! the same checks (docs/bench.md has the measurements against Cranelift).

mod asm;
mod code;
mod emit;

use crate::bpf::vm::{self, Meta, Regs};
use crate::bpf::{Insn, Program};
use core::fmt;

/// What the generated code and its slow path need besides the packet's
/// bytes and length, built by [`Native::run`] for each packet. `repr(C)`
/// with the offsets in [`ctx`]; the references are for [`slow_path`] only.
#[repr(C)]
pub(crate) struct Ctx<'a> {
    /// What `ld #len` reads.
    wire_len: u32,
    pkt: &'a [u8],
    meta: &'a Meta,
}

/// Byte offsets of [`Ctx`]'s fields, for the generated code.
mod ctx {
    use super::Ctx;
    use core::mem::offset_of;

    pub(super) const WIRE_LEN: i32 = offset_of!(Ctx<'_>, wire_len) as i32;
}

/// The slow path: runs the one instruction `code`/`k` (a load the
/// generated code does not do inline) with the interpreter's step, from A
/// and X. Returns the value loaded (into A, or X for `ldxb`), or, with bit
/// 32 set, the value the program ends with.
// The generated code passes a pointer to a live `Ctx`; it never reads the
// reference fields itself.
#[allow(improper_ctypes_definitions)]
extern "sysv64" fn slow_path(ctx: &Ctx<'_>, code: u32, k: u32, a: u32, x: u32) -> u64 {
    let insn = Insn {
        code: code as u16,
        jt: 0,
        jf: 0,
        k,
    };
    // These loads read neither the scratch words nor anything but A and X.
    let mut regs = Regs {
        a,
        x,
        mem: [0; crate::bpf::MEM_WORDS],
    };
    match vm::step(insn, &mut regs, ctx.pkt, ctx.wire_len, ctx.meta) {
        Ok(()) if insn.class() == crate::bpf::code::LDX => u64::from(regs.x),
        Ok(()) => u64::from(regs.a),
        Err(v) => 1 << 32 | u64::from(v),
    }
}

/// The type of [`slow_path`].
type Slow = for<'a, 'b> extern "sysv64" fn(&'a Ctx<'b>, u32, u32, u32, u32) -> u64;

/// A program compiled to native code.
pub struct Native {
    code: code::Code,
}

impl Native {
    /// Compiles `prog`; `None` when executable memory cannot be had (the
    /// caller falls back to the interpreter). Every program compiles,
    /// backward jumps included.
    pub fn new(prog: &Program) -> Option<Self> {
        let slow: Slow = slow_path;
        let bytes = emit::emit(prog, slow as *const () as u64)?;
        Some(Native {
            code: code::Code::new(&bytes)?,
        })
    }

    /// Runs the program over one packet: what [`vm::run`] returns.
    #[inline]
    pub fn run(&self, pkt: &[u8], wire_len: u32, meta: &Meta) -> u32 {
        let ctx = Ctx {
            wire_len,
            pkt,
            meta,
        };
        self.code.call(pkt, &ctx)
    }

    /// The size of the machine code in bytes.
    pub fn code_len(&self) -> usize {
        self.code.len()
    }
}

impl fmt::Debug for Native {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Native")
            .field("code_len", &self.code_len())
            .finish()
    }
}

#[cfg(test)]
mod tests;
