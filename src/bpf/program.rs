//! [`Program`]: a list of instructions, as attached with `SO_ATTACH_FILTER`.

use super::insn::Insn;
use alloc::vec::Vec;

/// A classic BPF program: the instruction list handed to the kernel.
///
/// A `Program` is plain data; it is not necessarily valid. Call
/// [`crate::bpf::validate()`] to check it against the kernel's rules.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Program {
    insns: Vec<Insn>,
}

impl Program {
    /// Wraps an instruction list.
    pub fn new(insns: Vec<Insn>) -> Self {
        Program { insns }
    }

    /// The instructions, in order.
    pub fn insns(&self) -> &[Insn] {
        &self.insns
    }

    /// Consumes the program and returns its instructions.
    pub fn into_insns(self) -> Vec<Insn> {
        self.insns
    }

    /// The number of instructions.
    pub fn len(&self) -> usize {
        self.insns.len()
    }

    /// Whether the program has no instructions (the kernel refuses such a program).
    pub fn is_empty(&self) -> bool {
        self.insns.is_empty()
    }

    /// The `struct sock_fprog` view that `setsockopt(SO_ATTACH_FILTER)` takes.
    ///
    /// The returned value borrows the program: the pointer inside it is valid
    /// only while `self` is alive and unmodified. A program longer than
    /// `u16::MAX` instructions gets length `u16::MAX`, which the kernel refuses,
    /// rather than a silently truncated length.
    pub fn sock_fprog(&self) -> SockFprog<'_> {
        SockFprog {
            len: u16::try_from(self.insns.len()).unwrap_or(u16::MAX),
            filter: self.insns.as_ptr(),
            _borrow: core::marker::PhantomData,
        }
    }
}

impl From<Vec<Insn>> for Program {
    fn from(insns: Vec<Insn>) -> Self {
        Program::new(insns)
    }
}

impl AsRef<[Insn]> for Program {
    fn as_ref(&self) -> &[Insn] {
        &self.insns
    }
}

/// Layout-identical to the kernel's `struct sock_fprog { unsigned short len; struct sock_filter *filter; }`.
///
/// Borrowing the [`Program`] keeps the instruction pointer valid for the view's lifetime.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct SockFprog<'a> {
    /// Number of instructions (the kernel refuses more than 4096 or 0).
    pub len: u16,
    /// Pointer to the first instruction.
    pub filter: *const Insn,
    _borrow: core::marker::PhantomData<&'a [Insn]>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn sock_fprog_never_truncates_the_length() {
        let p = Program::new(vec![Insn::stmt(6, 0); 3]);
        assert_eq!(p.sock_fprog().len, 3);
        assert_eq!(p.sock_fprog().filter, p.insns().as_ptr());
        let huge = Program::new(vec![Insn::stmt(6, 0); 65_537]);
        assert_eq!(huge.sock_fprog().len, u16::MAX);
    }
}
