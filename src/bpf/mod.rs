//! The classic BPF machine: instructions, programs, validation, interpretation, text.
//!
//! In: instruction lists (built by hand, by [`crate::filter`], or parsed from
//! `tcpdump -d`/`-ddd` text). Out: [`Program`]s the kernel accepts and a
//! userspace VM that returns what the kernel's socket filter would.
//!
//! This module uses `core` and `alloc` only: it never touches the OS.

pub mod insn;
pub mod program;

pub use insn::{code, skf, Insn};
pub use program::{Program, SockFprog};
