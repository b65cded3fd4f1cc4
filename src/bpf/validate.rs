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
//!    (the kernel's linear mask walk, reproduced exactly);
//! 5. the program survives the kernel's conversion to eBPF
//!    (`bpf_convert_filter`): every jump offset fits the 16-bit eBPF field,
//!    both in its first pass (where forward targets still sit at 0, so a
//!    jump placed past eBPF instruction 32767 fails) and in its final pass.
//!
//! Not checked: the memory charge of the converted program against the
//! socket's `net.core.optmem_max` (a resource limit that depends on the
//! socket, refused with `ENOMEM`); [`converted_len`] gives the size it charges.

use super::insn::{decode, skf, AluOp, Cond, Insn, Op, Size, Src};
use super::program::Program;
use super::{MAX_INSNS, MEM_WORDS};
use alloc::vec;
use alloc::vec::Vec;

/// The rule an instruction breaks (more may come as the kernel adds checks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
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
    /// A jump's offset does not fit the kernel's eBPF conversion (16 bits).
    #[error("jump too far once converted to eBPF")]
    ConvertedJumpTooFar,
}

/// Why the kernel would refuse a program: the instruction index and the rule.
///
/// For [`Rule::Empty`] `pc` is 0; for [`Rule::TooLong`] it is 4096, the first
/// instruction past the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("insn {pc}: {rule}")]
#[non_exhaustive]
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
    check_basics(prog, false)?;
    check_load_and_stores(prog)?;
    check_conversion(prog)
}

/// Checks `prog` against the rules a userland interpreter needs (rawcap's
/// [`crate::bpf::vm`], libpcap's `bpf_validate`): the kernel's rules 1 to 3,
/// except that `ja` may jump backwards (its offset read as signed, see
/// [`crate::bpf::vm::ja_target`]) as long as it lands inside the program,
/// and an absolute load may name an offset in the ancillary area that no
/// field has (both interpreters end such a load with 0, as past the end).
/// Rules 4 and 5 are the kernel's own (the interpreter zeroes scratch memory
/// and converts nothing). Every program [`validate`] accepts passes.
///
/// # Errors
///
/// The first broken rule and the instruction that breaks it.
pub fn validate_userspace(prog: &Program) -> Result<(), ValidateError> {
    check_basics(prog, true)
}

/// Rules 1 to 3; for `userspace`, `ja` offsets are signed and unknown
/// ancillary offsets pass.
fn check_basics(prog: &Program, userspace: bool) -> Result<(), ValidateError> {
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
            Op::Ja(k) if userspace => match super::vm::ja_target(pc, k) {
                Some(to) if to < len => None,
                _ => Some(Rule::JumpPastEnd),
            },
            Op::Ja(k) if lands_outside(k.into()) => Some(Rule::JumpPastEnd),
            Op::Jmp { jt, jf, .. } if lands_outside(jt.into()) || lands_outside(jf.into()) => {
                Some(Rule::JumpPastEnd)
            }
            Op::LdAbs(_, k) if !userspace && k >= skf::AD_OFF && !is_known_ancillary(k) => {
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
    Ok(())
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

/// eBPF instructions the conversion always emits first (clear A and X, save the context).
const PROLOGUE: usize = 3;
/// More prologue when the program loads packet bytes (cache data and head length).
const LD_ABS_PROLOGUE: usize = 4;

/// How `bpf_convert_filter` lays out one classic instruction in eBPF: its
/// length and its jumps (position inside the expansion, classic target).
struct Expansion {
    len: usize,
    jumps: [Option<(usize, usize)>; 2],
    loads_packet: bool,
}

/// eBPF length of a packet load (`convert_bpf_ld_abs`, with efficient unaligned access).
fn ld_abs_len(size: Size, k: u32, indirect: bool) -> usize {
    let offset = k as i32;
    let fast_path = if !indirect && offset >= 0 {
        let far = if offset <= i32::from(i16::MAX) { 1 } else { 3 };
        3 + usize::from(offset != 0) + far + usize::from(size != Size::Byte)
    } else {
        0
    };
    let arg4 = if indirect { 1 + usize::from(k != 0) } else { 1 };
    fast_path + 3 + arg4 + 4
}

/// eBPF length of an ancillary load (`convert_bpf_extensions`).
fn ancillary_len(k: u32) -> usize {
    match k.wrapping_sub(skf::AD_OFF) {
        skf::AD_MARK | skf::AD_QUEUE | skf::AD_VLAN_TAG | skf::AD_RXHASH | skf::AD_ALU_XOR_X => 1,
        skf::AD_PROTOCOL | skf::AD_PKTTYPE | skf::AD_VLAN_TPID => 2,
        skf::AD_VLAN_TAG_PRESENT => 3,
        // ifindex/hatype (device check) and the helper calls.
        _ => 4,
    }
}

fn expansion(pc: usize, insn: Insn) -> Expansion {
    let plain = |len| Expansion {
        len,
        jumps: [None, None],
        loads_packet: false,
    };
    let packet = |len| Expansion {
        len,
        jumps: [None, None],
        loads_packet: true,
    };
    match decode(insn) {
        Ok(Op::Alu(AluOp::Div | AluOp::Mod, Src::X)) => plain(5),
        Ok(Op::LdAbs(_, k)) if is_known_ancillary(k) => plain(ancillary_len(k)),
        Ok(Op::LdAbs(size, k)) => packet(ld_abs_len(size, k, false)),
        Ok(Op::LdInd(size, k)) => packet(ld_abs_len(size, k, true)),
        Ok(Op::LdxMsh(k)) => packet(1 + ld_abs_len(Size::Byte, k, false) + 5),
        Ok(Op::RetK(_)) => plain(2),
        Ok(Op::Ja(k)) => Expansion {
            len: 1,
            jumps: [Some((0, pc + 1 + k as usize)), None],
            loads_packet: false,
        },
        Ok(Op::Jmp { cond, src, jt, jf }) => {
            // A negative constant is first moved into a register.
            let pre = usize::from(matches!(src, Src::K(k) if (k as i32) < 0));
            let (t, f) = (pc + 1 + usize::from(jt), pc + 1 + usize::from(jf));
            let (len, jumps) = if jf == 0 {
                (pre + 1, [Some((pre, t)), None])
            } else if jt == 0 && cond != Cond::Set {
                (pre + 1, [Some((pre, f)), None])
            } else {
                (pre + 2, [Some((pre, t)), Some((pre + 1, f))])
            };
            Expansion {
                len,
                jumps,
                loads_packet: false,
            }
        }
        _ => plain(1),
    }
}

/// The eBPF start address of every classic instruction, and the total length.
fn addresses(prog: &Program) -> (Vec<usize>, Vec<Expansion>, usize) {
    let exps: Vec<Expansion> = prog
        .insns()
        .iter()
        .enumerate()
        .map(|(pc, &i)| expansion(pc, i))
        .collect();
    let mut at = PROLOGUE
        + if exps.iter().any(|e| e.loads_packet) {
            LD_ABS_PROLOGUE
        } else {
            0
        };
    let addrs = exps
        .iter()
        .map(|e| {
            let here = at;
            at += e.len;
            here
        })
        .collect();
    (addrs, exps, at)
}

/// The number of eBPF instructions Linux converts a valid program into
/// (`bpf_convert_filter`, as on x86-64 and arm64).
///
/// Attaching charges about 8 bytes per instruction against the socket's
/// `net.core.optmem_max` (128 KiB by default); past it the kernel refuses the
/// program with `ENOMEM`.
pub fn converted_len(prog: &Program) -> usize {
    addresses(prog).2
}

/// Rule 5: the jump offsets of the converted program fit in 16 bits, in both
/// passes of `bpf_convert_filter`.
fn check_conversion(prog: &Program) -> Result<(), ValidateError> {
    let (addrs, exps, _) = addresses(prog);
    let too_far = |pc| {
        Err(ValidateError {
            pc,
            rule: Rule::ConvertedJumpTooFar,
        })
    };
    // First pass: forward targets still have address 0.
    for (pc, e) in exps.iter().enumerate() {
        for &(pos, _) in e.jumps.iter().flatten() {
            if addrs[pc] + 1 + pos > 1 << 15 {
                return too_far(pc);
            }
        }
    }
    for (pc, e) in exps.iter().enumerate() {
        for &(pos, target) in e.jumps.iter().flatten() {
            let landing = addrs.get(target).copied().unwrap_or(usize::MAX);
            if landing.saturating_sub(addrs[pc] + 1 + pos) > i16::MAX as usize {
                return too_far(pc);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bpf::insn::{code::*, Insn};
    use alloc::vec::Vec;

    const RET0: Insn = Insn::stmt(RET | K, 0);

    fn check(insns: &[Insn]) -> Result<(), ValidateError> {
        validate(&Program::new(insns.to_vec()))
    }

    fn broken(insns: &[Insn]) -> (usize, Rule) {
        let e = check(insns).unwrap_err();
        (e.pc, e.rule)
    }

    #[test]
    fn length_limits() {
        assert_eq!(broken(&[]), (0, Rule::Empty));
        let mut max: Vec<Insn> = alloc::vec![Insn::stmt(LD | IMM, 1); MAX_INSNS - 1];
        max.push(RET0);
        assert_eq!(check(&max), Ok(()));
        max.insert(0, Insn::stmt(LD | IMM, 1));
        assert_eq!(broken(&max), (MAX_INSNS, Rule::TooLong));
        assert_eq!(check(&[RET0]), Ok(()));
    }

    #[test]
    fn unknown_codes_are_named() {
        assert_eq!(
            broken(&[Insn::stmt(0x0e, 0), RET0]),
            (0, Rule::UnknownCode(0x0e))
        );
        // ld with a size but mode IMM is not in the kernel's list.
        assert_eq!(
            broken(&[Insn::stmt(LD | H | IMM, 0), RET0]),
            (0, Rule::UnknownCode(0x08))
        );
        assert_eq!(
            broken(&[RET0, Insn::stmt(ALU | NEG | X, 0), RET0]),
            (1, Rule::UnknownCode(0x8c))
        );
    }

    #[test]
    fn constant_division_and_shift_limits() {
        for op in [DIV, MOD] {
            assert_eq!(
                broken(&[Insn::stmt(ALU | op | K, 0), RET0]),
                (0, Rule::DivisionByZero)
            );
            assert_eq!(check(&[Insn::stmt(ALU | op | K, 1), RET0]), Ok(()));
            // By X is a run-time matter.
            assert_eq!(check(&[Insn::stmt(ALU | op | X, 0), RET0]), Ok(()));
        }
        for op in [LSH, RSH] {
            assert_eq!(check(&[Insn::stmt(ALU | op | K, 31), RET0]), Ok(()));
            assert_eq!(
                broken(&[Insn::stmt(ALU | op | K, 32), RET0]),
                (0, Rule::ShiftTooFar)
            );
            assert_eq!(check(&[Insn::stmt(ALU | op | X, 0), RET0]), Ok(()));
        }
    }

    #[test]
    fn scratch_indices() {
        for code in [ST, STX] {
            assert_eq!(check(&[Insn::stmt(code, 15), RET0]), Ok(()));
            assert_eq!(
                broken(&[Insn::stmt(code, 16), RET0]),
                (0, Rule::ScratchIndex)
            );
        }
        for code in [LD | MEM, LDX | MEM] {
            assert_eq!(
                check(&[Insn::stmt(ST, 15), Insn::stmt(code, 15), RET0]),
                Ok(())
            );
            assert_eq!(
                broken(&[Insn::stmt(code, u32::MAX), RET0]),
                (0, Rule::ScratchIndex)
            );
        }
    }

    #[test]
    fn jumps_stay_inside() {
        let ja = |k| Insn::stmt(JMP | JA, k);
        assert_eq!(check(&[ja(1), RET0, RET0]), Ok(()));
        assert_eq!(broken(&[ja(2), RET0, RET0]), (0, Rule::JumpPastEnd));
        assert_eq!(broken(&[ja(u32::MAX), RET0]), (0, Rule::JumpPastEnd));
        let jeq = |jt, jf| Insn::jump(JMP | JEQ | K, 0, jt, jf);
        assert_eq!(check(&[jeq(0, 1), RET0, RET0]), Ok(()));
        assert_eq!(broken(&[jeq(2, 0), RET0, RET0]), (0, Rule::JumpPastEnd));
        assert_eq!(broken(&[jeq(0, 2), RET0, RET0]), (0, Rule::JumpPastEnd));
        assert_eq!(broken(&[RET0, jeq(0, 0)]), (1, Rule::JumpPastEnd));
    }

    #[test]
    fn ancillary_offsets() {
        for size in [W, H, B] {
            for off in (0..skf::AD_MAX).step_by(4) {
                assert_eq!(
                    check(&[Insn::stmt(LD | size | ABS, skf::AD_OFF + off), RET0]),
                    Ok(())
                );
            }
            for k in [skf::AD_OFF + 1, skf::AD_OFF + skf::AD_MAX, u32::MAX] {
                assert_eq!(
                    broken(&[Insn::stmt(LD | size | ABS, k), RET0]),
                    (0, Rule::UnknownAncillary)
                );
            }
            // Below the ancillary area: network- and link-relative offsets are loads.
            assert_eq!(
                check(&[Insn::stmt(LD | size | ABS, skf::AD_OFF - 1), RET0]),
                Ok(())
            );
            // Indexed loads and ldxb are not checked for ancillary offsets.
            assert_eq!(
                check(&[Insn::stmt(LD | size | IND, u32::MAX), RET0]),
                Ok(())
            );
        }
        assert_eq!(check(&[Insn::stmt(LDX | B | MSH, u32::MAX), RET0]), Ok(()));
    }

    #[test]
    fn last_instruction_returns() {
        assert_eq!(broken(&[Insn::stmt(LD | IMM, 0)]), (0, Rule::LastNotReturn));
        assert_eq!(check(&[Insn::stmt(RET | A, 0)]), Ok(()));
        // Only the last one is checked: a jump may skip over the tail.
        assert_eq!(
            broken(&[RET0, Insn::stmt(MISC | TAX, 0)]),
            (1, Rule::LastNotReturn)
        );
    }

    #[test]
    fn scratch_reads_need_writes_on_every_path() {
        let (st, ld) = (Insn::stmt(ST, 3), Insn::stmt(LD | MEM, 3));
        assert_eq!(broken(&[ld, RET0]), (0, Rule::UninitializedScratch));
        assert_eq!(check(&[st, ld, RET0]), Ok(()));
        assert_eq!(
            check(&[Insn::stmt(STX, 3), Insn::stmt(LDX | MEM, 3), RET0]),
            Ok(())
        );
        // A branch that skips the store reaches the read without it.
        let skip = Insn::jump(JMP | JEQ | K, 0, 1, 0);
        assert_eq!(
            broken(&[skip, st, ld, RET0]),
            (2, Rule::UninitializedScratch)
        );
        // Stored on both branches: fine.
        let p = [
            Insn::jump(JMP | JEQ | K, 0, 0, 2),
            st,
            Insn::stmt(JMP | JA, 1),
            st,
            ld,
            RET0,
        ];
        assert_eq!(check(&p), Ok(()));
        // The kernel's walk trusts code after `ja` that no jump reaches.
        let p = [Insn::stmt(JMP | JA, 1), ld, RET0];
        assert_eq!(check(&p), Ok(()));
        // A later jump into that code hands it its (empty) set.
        let p = [Insn::jump(JMP | JEQ | K, 0, 1, 1), RET0, ld, RET0];
        assert_eq!(broken(&p), (2, Rule::UninitializedScratch));
    }

    #[test]
    fn first_broken_rule_wins_and_reads_well() {
        let p = [Insn::stmt(ALU | DIV | K, 0), Insn::stmt(0xff, 0)];
        let e = check(&p).unwrap_err();
        assert_eq!((e.pc, e.rule), (0, Rule::DivisionByZero));
        assert_eq!(e.to_string(), "insn 0: division by zero");
        let e = check(&[Insn::stmt(JMP | JA, 9), RET0]).unwrap_err();
        assert_eq!(e.to_string(), "insn 0: jump past end");
    }

    /// `ldh [0]` converts to 13 eBPF instructions after a 7-instruction prologue;
    /// the boundaries below were measured on Linux 6.18 (tests/kernel_diff.rs).
    fn heavy(n: usize) -> Vec<Insn> {
        alloc::vec![Insn::stmt(LD | H | ABS, 0); n]
    }

    #[test]
    fn converted_jumps_must_fit_16_bits() {
        for (n, ok) in [(2520, true), (2521, false)] {
            let mut ja = alloc::vec![Insn::stmt(JMP | JA, n as u32)];
            ja.extend(heavy(n));
            ja.push(RET0);
            assert_eq!(check(&ja).is_ok(), ok, "ja over {n}");
            let mut late = heavy(n);
            late.push(Insn::jump(JMP | JEQ | K, 0, 0, 0));
            late.push(RET0);
            assert_eq!(check(&late).is_ok(), ok, "jeq after {n}");
            if !ok {
                assert_eq!(broken(&late), (n, Rule::ConvertedJumpTooFar));
            }
        }
        let mut p = heavy(2);
        p.push(RET0);
        assert_eq!(converted_len(&Program::new(p)), 7 + 2 * 13 + 2);
    }

    #[test]
    fn userspace_rules_allow_backward_ja_inside_the_program() {
        let back = |k: i32| {
            Program::new(alloc::vec![
                Insn::stmt(LD | IMM, 0),
                Insn::stmt(JMP | JA, k as u32),
                RET0,
            ])
        };
        // To instruction 0 (a loop): the kernel refuses, userland accepts.
        assert_eq!(validate(&back(-2)).unwrap_err().rule, Rule::JumpPastEnd);
        assert_eq!(validate_userspace(&back(-2)), Ok(()));
        // Before the start, or past the end: refused by both.
        for k in [-3, 1, i32::MIN] {
            assert_eq!(
                validate_userspace(&back(k)).unwrap_err().rule,
                Rule::JumpPastEnd
            );
        }
        // Forward jumps and the other rules are the kernel's.
        assert_eq!(validate_userspace(&back(0)), Ok(()));
        let unknown = Program::new(alloc::vec![Insn::stmt(LD | B | ABS, u32::MAX), RET0]);
        assert_eq!(validate(&unknown).unwrap_err().rule, Rule::UnknownAncillary);
        assert_eq!(validate_userspace(&unknown), Ok(()));
        let div0 = Program::new(alloc::vec![Insn::stmt(ALU | DIV | K, 0), RET0]);
        assert_eq!(
            validate_userspace(&div0).unwrap_err().rule,
            Rule::DivisionByZero
        );
    }
}
