//! The classic BPF machine: instructions, programs, validation, interpretation, text.
//!
//! In: instruction lists (built by hand, by [`crate::filter`], or parsed from
//! `tcpdump -d`/`-ddd` text). Out: [`Program`]s the kernel accepts and a
//! userspace VM that returns what the kernel's socket filter would.
//!
//! - [`insn`]: the 8-byte wire form [`Insn`], opcode names, the typed view [`Op`]
//!   and [`encode`]/[`decode`] between them;
//! - [`program`]: [`Program`], the instruction list `SO_ATTACH_FILTER` takes;
//! - [`text`]: `tcpdump -d`/`-dd`/`-ddd` out ([`Program`]'s `Display`,
//!   [`Program::to_c_array`], [`Program::to_decimal`]) and `-d`/`-ddd` in;
//! - [`validate()`]: Linux's acceptance rules (`bpf_check_classic` in `net/core/filter.c`);
//!   [`validate_userspace()`] the looser rules of userland interpreters (backward `ja`);
//! - [`Machine`]: the one way to run a filter over packets, on the fastest
//!   engine that takes the program;
//! - [`vm`]: the interpreter, with the kernel's run-time semantics
//!   ([`vm::run`], [`vm::trace`] for the debugger, [`vm::Meta`] for what a
//!   filter sees besides the bytes);
//! - [`programs`]: hand-assembled programs (`tcp port 80`);
//! - [`cooked`]: a program compiled for a Linux cooked header made fit for a
//!   cooked socket, whose filter sees the packet from its network header.
//!
//! Invariants: the kernel is the reference. [`validate()`] accepts a program
//! exactly when `setsockopt(SO_ATTACH_FILTER)` does, and [`vm::run`] returns
//! what the kernel's filter returns for an accepted program; both are checked
//! against the running kernel by `tests/kernel_diff.rs`. This module uses
//! `core` and `alloc` only: it never touches the OS.
//!
//! ```
//! use rawcap::bpf::{programs, validate, vm, Machine};
//! let prog = programs::tcp_port_80();
//! assert!(validate(&prog).is_ok());
//! assert!(prog.to_string().starts_with("(000) ldh      [12]\n"));
//! assert_eq!(vm::run(&prog, &[0u8; 10], 10, &vm::Meta::default()), 0);
//! assert_eq!(Machine::new(&prog).run(&[0u8; 10], 10, &vm::Meta::default()), 0);
//! ```

pub mod cooked;
pub mod insn;
pub mod machine;
pub mod program;
pub mod programs;
pub mod text;
pub mod validate;
pub mod vm;

pub use insn::{code, decode, encode, skf, AluOp, Cond, Insn, Op, Size, Src, UnknownCode};
pub use machine::{Engine, Machine};
pub use program::{Program, SockFprog};
pub use text::{TextError, TextErrorKind};
pub use validate::{validate, validate_userspace, Rule, ValidateError};

/// The most instructions a program may have (`BPF_MAXINSNS`).
pub const MAX_INSNS: usize = 4096;

/// The number of scratch memory words `M[0]`..`M[15]` (`BPF_MEMWORDS`).
pub const MEM_WORDS: usize = 16;

/// The seeded SplitMix64 every test shares (rawcap-corpus's).
#[cfg(test)]
pub(crate) use rawcap_corpus::Rng as TestRng;

/// Random instructions for the property tests of this module.
#[cfg(test)]
pub(crate) trait RandomInsn {
    /// The next 64 random bits.
    fn next(&mut self) -> u64;
    /// A random instruction: any code with half of them drawn from small values.
    fn insn(&mut self) -> Insn;
}

#[cfg(test)]
impl RandomInsn for TestRng {
    fn next(&mut self) -> u64 {
        self.next_u64()
    }

    fn insn(&mut self) -> Insn {
        let r = self.next();
        Insn {
            code: if r & 1 == 0 {
                (r >> 8) as u16 & 0xff
            } else {
                (r >> 8) as u16
            },
            jt: (r >> 24) as u8 & 7,
            jf: (r >> 32) as u8 & 7,
            k: if r & 2 == 0 {
                (r >> 40) as u32 & 0x3f
            } else {
                self.next() as u32
            },
        }
    }
}
