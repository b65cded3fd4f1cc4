//! The kernel's acceptance rules for classic BPF socket filters.
//!
//! In: a [`Program`]. Out: `Ok(())` when Linux's `setsockopt(SO_ATTACH_FILTER)`
//! accepts it, else the first instruction that breaks a rule and the rule.
//!
//! The rules, in the kernel's order (`bpf_check_basics_ok`, `bpf_check_classic`,
//! `check_load_and_stores` in `net/core/filter.c`, Linux 6.18):
//! 1. 1 to 4096 instructions;
//! 2. per instruction, in order: an opcode from the kernel's whitelist
//!    (`chk_code_allowed`); no division or modulo by the constant 0; no shift
//!    by a constant of 32 or more; scratch indices below 16; `ja` and both
//!    branches of conditional jumps land inside the program (jumps are
//!    forward by construction); absolute loads at `SKF_AD_OFF` or above
//!    name a known ancillary field (any load size);
//! 3. the last instruction is `ret`;
//! 4. no scratch word is read before it is written on every path to the read
//!    (the kernel's linear mask walk, reproduced exactly).
//!
//! Not checked: the memory charge of the converted program against the
//! socket's `optmem_max` (a resource limit, `ENOMEM`, not a validity rule).

use super::insn::{decode, skf, AluOp, Op, Src};
use super::program::Program;
use super::{MAX_INSNS, MEM_WORDS};
use alloc::vec;

/// The rule an instruction breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Rule {
    /// The program has no instructions.
    #[error("empty program")]
    Empty,
    /// The program has more than 4096 instructions.
    #[error("more than 4096 instructions")]
    TooLong,
    /// The opcode is not one the kernel accepts.
    #[error("unknown opcode 0x{0:02x}")]
    UnknownCode(u16),
    /// Division or modulo by the constant 0.
    #[error("division by zero")]
    DivisionByZero,
    /// Shift by a constant of 32 or more.
    #[error("shift by 32 or more")]
    ShiftTooFar,
    /// Scratch memory index 16 or more.
    #[error("scratch index out of range")]
    ScratchIndex,
    /// A jump lands past the last instruction.
    #[error("jump past end")]
    JumpPastEnd,
    /// An absolute load in the ancillary area names no field the kernel knows.
    #[error("unknown ancillary offset")]
    UnknownAncillary,
    /// The last instruction is not a `ret`.
    #[error("last instruction is not a return")]
    LastNotReturn,
    /// A scratch word is read on a path where it was never written.
    #[error("scratch word read before written")]
    UninitializedScratch,
}

/// Why the kernel would refuse a program: the instruction index and the rule.
///
/// For [`Rule::Empty`] `pc` is 0; for [`Rule::TooLong`] it is 4096, the first
/// instruction past the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("insn {pc}: {rule}")]
pub struct ValidateError {
    /// Index of the offending instruction.
    pub pc: usize,
    /// The rule it breaks.
    pub rule: Rule,
}

/// Whether `k` is an ancillary offset the kernel knows (`bpf_anc_helper`).
pub fn is_known_ancillary(k: u32) -> bool {
    let off = k.wrapping_sub(skf::AD_OFF);
    k >= skf::AD_OFF && off < skf::AD_MAX && off % 4 == 0
}

/// Checks `prog` against the rules Linux applies in `SO_ATTACH_FILTER`.
///
/// # Errors
///
/// The first broken rule, in the kernel's checking order, with the index of
/// the instruction that breaks it.
pub fn validate(prog: &Program) -> Result<(), ValidateError> {
    let insns = prog.insns();
    let len = insns.len();
    let fail = |pc, rule| Err(ValidateError { pc, rule });
    if len == 0 {
        return fail(0, Rule::Empty);
    }
    if len > MAX_INSNS {
        return fail(MAX_INSNS, Rule::TooLong);
    }
    for (pc, &insn) in insns.iter().enumerate() {
        let op = match decode(insn) {
            Ok(op) => op,
            Err(e) => return fail(pc, Rule::UnknownCode(e.code)),
        };
        let lands_outside = |skip: u64| pc as u64 + skip + 1 >= len as u64;
        let rule = match op {
            Op::Alu(AluOp::Div | AluOp::Mod, Src::K(0)) => Some(Rule::DivisionByZero),
            Op::Alu(AluOp::Lsh | AluOp::Rsh, Src::K(k)) if k >= 32 => Some(Rule::ShiftTooFar),
            Op::LdMem(k) | Op::LdxMem(k) | Op::St(k) | Op::Stx(k) if k as usize >= MEM_WORDS => {
                Some(Rule::ScratchIndex)
            }
            Op::Ja(k) if lands_outside(k.into()) => Some(Rule::JumpPastEnd),
            Op::Jmp { jt, jf, .. } if lands_outside(jt.into()) || lands_outside(jf.into()) => {
                Some(Rule::JumpPastEnd)
            }
            Op::LdAbs(_, k) if k >= skf::AD_OFF && !is_known_ancillary(k) => {
                Some(Rule::UnknownAncillary)
            }
            _ => None,
        };
        if let Some(rule) = rule {
            return fail(pc, rule);
        }
    }
    if !matches!(decode(insns[len - 1]), Ok(Op::RetK(_) | Op::RetA)) {
        return fail(len - 1, Rule::LastNotReturn);
    }
    check_load_and_stores(prog)
}

/// The kernel's `check_load_and_stores`: one linear pass carrying the set of
/// written words; a jump hands its set to its targets (intersected with what
/// other jumps hand them) and the instruction after a jump starts from
/// "everything written" narrowed by what jumps handed it.
fn check_load_and_stores(prog: &Program) -> Result<(), ValidateError> {
    let insns = prog.insns();
    let mut masks = vec![u16::MAX; insns.len()];
    let mut valid: u16 = 0;
    for (pc, &insn) in insns.iter().enumerate() {
        valid &= masks[pc];
        // Indices and jump targets were checked before this pass.
        match decode(insn) {
            Ok(Op::St(k) | Op::Stx(k)) => valid |= 1 << (k & 15),
            Ok(Op::LdMem(k) | Op::LdxMem(k)) if valid & (1 << (k & 15)) == 0 => {
                return Err(ValidateError {
                    pc,
                    rule: Rule::UninitializedScratch,
                });
            }
            Ok(Op::Ja(k)) => {
                if let Some(m) = masks.get_mut(pc + 1 + k as usize) {
                    *m &= valid;
                }
                valid = u16::MAX;
            }
            Ok(Op::Jmp { jt, jf, .. }) => {
                for skip in [jt, jf] {
                    if let Some(m) = masks.get_mut(pc + 1 + usize::from(skip)) {
                        *m &= valid;
                    }
                }
                valid = u16::MAX;
            }
            _ => {}
        }
    }
    Ok(())
}
