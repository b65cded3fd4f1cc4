//! cBPF to x86-64: one pass over the program, each instruction turned into
//! a few machine instructions, jumps to per-instruction labels.
//!
//! The generated function is `extern "sysv64" fn(data: *const u8, len:
//! usize, ctx: &Ctx) -> u32` (see [`super::Ctx`]): the packet's bytes and
//! length, and what the rare instructions need. It is a leaf function in
//! the caller-saved registers only, with the scratch words in the System V
//! red zone (the 128 bytes below `rsp` a leaf may use without moving it):
//!
//! | register | holds |
//! |---|---|
//! | `eax` | A |
//! | `r9d` | X |
//! | `rdi` | the packet's first byte |
//! | `rsi` | the packet's length |
//! | `r10` | the `Ctx` (moved from `rdx` when the program needs it) |
//! | `[rsp - 64, rsp)` | `M[0..16]`; the backward-jump count at `[rsp - 72]` |
//! | `ecx`, `edx` | scratch: shift counts, division, indexed offsets |
//!
//! A call to the slow path first moves `rsp` past the red zone, saves the
//! live registers and aligns the stack, and undoes that after: the cost is
//! paid only by the instructions that take it.
//!
//! What runs inline is what filters do on every packet: loads at
//! non-negative offsets (bounds-checked against the packet length, a load
//! past the end returns 0; a check that every path to the load has already
//! made is left out), ALU operations (division and modulo by 0 return 0,
//! shifts use the low 5 bits as the kernel's eBPF shifts do), jumps,
//! scratch memory (zeroed on entry when the program reads it), `ret`.
//! Backward `ja` (libpcap's `protochain` loop) counts its jumps and returns
//! 0 past [`MAX_BACKWARD_JUMPS`], as [`crate::bpf::vm::run`] does. Ancillary
//! loads and loads at negative offsets (`SKF_NET_OFF`/`SKF_LL_OFF`) call the
//! interpreter's own step for that one instruction ([`super::slow_path`]),
//! so their semantics are written once.

use super::asm::{self, at, Asm, Cc, Label, Mem, Reg, R10, R8, R9, RAX, RCX, RDI, RDX, RSI, RSP};
use super::ctx;
use crate::bpf::insn::{decode, AluOp, Cond, Insn, Op, Size, Src};
use crate::bpf::program::Program;
use crate::bpf::vm::{ja_target, MAX_BACKWARD_JUMPS};
use crate::bpf::MEM_WORDS;
use alloc::vec;
use alloc::vec::Vec;

/// A.
const A: Reg = RAX;
/// X.
const X: Reg = R9;
/// The packet's first byte (the first argument).
const PKT: Reg = RDI;
/// The packet's length (the second argument).
const LEN: Reg = RSI;
/// The `Ctx` (the third argument, moved out of `rdx`).
const CTX: Reg = R10;
/// `rsp`-relative offsets, in the red zone, of `M[0]` and of the count of
/// backward jumps.
const MEM: i32 = -64;
const BACK: i32 = -72;
/// How far a slow-path call moves `rsp` down before pushing: past the red
/// zone, keeping the stack 16-byte aligned with the six pushes after it
/// (`rsp` is 8 below a multiple of 16 on entry).
const SKIP_RED_ZONE: i32 = 136;

/// Whether `op` may call the slow path (loads at negative offsets and
/// ancillary loads; an indexed load only when its offset is negative).
fn may_call(op: Op) -> bool {
    matches!(op, Op::LdAbs(_, k) | Op::LdxMsh(k) if (k as i32) < 0) || matches!(op, Op::LdInd(..))
}

/// Machine code for `prog`, calling `slow_path` (the address of
/// [`super::slow_path`]) for what is not compiled inline; `None` when the
/// code would not fit rel32 jumps.
pub(crate) fn emit(prog: &Program, slow_path: u64) -> Option<Vec<u8>> {
    let insns = prog.insns();
    let ops: Vec<Option<Op>> = insns.iter().map(|&i| decode(i).ok()).collect();
    let mut e = Emitter {
        a: Asm::default(),
        slow_path,
        stubs: Vec::new(),
        pcs: Vec::new(),
        known: known_lengths(&ops),
        exit0: Label(0),
        exit_a: Label(0),
    };
    e.pcs = (0..insns.len()).map(|_| e.a.label()).collect();
    e.exit0 = e.a.label();
    e.exit_a = e.a.label();
    e.prologue(&ops);
    for (pc, (&insn, &op)) in insns.iter().zip(&ops).enumerate() {
        e.a.bind(e.pcs[pc]);
        match op {
            Some(op) => e.op(pc, insn, op),
            // An unknown opcode ends the program with 0, as in the interpreter.
            None => e.a.jmp(e.exit0),
        }
    }
    // Falling off the end (or a jump past it, or any failed check) returns 0.
    e.a.bind(e.exit0);
    e.a.mov_imm(A, 0);
    e.a.bind(e.exit_a);
    e.epilogue();
    // Slow paths taken out of line (an indexed load at a negative offset).
    for (label, pc, insn) in core::mem::take(&mut e.stubs) {
        e.a.bind(label);
        e.call_slow(insn, A);
        let next = e.target(pc + 1);
        e.a.jmp(next);
    }
    e.a.finish()
}

/// For each instruction, a packet length every path to it has checked
/// (plain loads end the program when the packet is shorter), so loads
/// within it need no check. Only for programs that jump forward; with a
/// backward jump, nothing is known.
fn known_lengths(ops: &[Option<Op>]) -> Vec<u64> {
    let n = ops.len();
    let mut known = vec![u64::MAX; n];
    let backward = ops.iter().enumerate().any(
        |(pc, op)| matches!(op, Some(Op::Ja(k)) if ja_target(pc, *k).map_or(true, |t| t <= pc)),
    );
    if backward || n == 0 {
        return vec![0; n];
    }
    known[0] = 0;
    for pc in 0..n {
        if known[pc] == u64::MAX {
            // Unreachable: nothing runs here, any value would do.
            known[pc] = 0;
        }
        let mut out = known[pc];
        let to = |t: usize, v: u64, known: &mut Vec<u64>| {
            if let Some(k) = known.get_mut(t) {
                *k = (*k).min(v);
            }
        };
        match ops[pc] {
            Some(Op::LdAbs(size, k)) if (k as i32) >= 0 => {
                out = out.max(u64::from(k) + size.bytes() as u64);
            }
            Some(Op::LdxMsh(k)) if (k as i32) >= 0 => out = out.max(u64::from(k) + 1),
            _ => {}
        }
        match ops[pc] {
            Some(Op::RetK(_) | Op::RetA) | None => {}
            Some(Op::Ja(k)) => {
                if let Some(t) = ja_target(pc, k) {
                    to(t, out, &mut known);
                }
            }
            Some(Op::Jmp { jt, jf, .. }) => {
                to(pc + 1 + usize::from(jt), out, &mut known);
                to(pc + 1 + usize::from(jf), out, &mut known);
            }
            Some(_) => to(pc + 1, out, &mut known),
        }
    }
    known
}

struct Emitter {
    a: Asm,
    slow_path: u64,
    /// Out-of-line slow paths: `(label, pc, instruction)`.
    stubs: Vec<(Label, usize, Insn)>,
    /// The label of each instruction.
    pcs: Vec<Label>,
    /// See [`known_lengths`].
    known: Vec<u64>,
    /// Return 0.
    exit0: Label,
    /// Return A (the epilogue).
    exit_a: Label,
}

impl Emitter {
    /// The label of instruction `pc`; past the end, return 0.
    fn target(&self, pc: usize) -> Label {
        self.pcs.get(pc).copied().unwrap_or(self.exit0)
    }

    fn prologue(&mut self, ops: &[Option<Op>]) {
        // Arguments: rdi data, rsi len, rdx ctx.
        let needs_ctx = ops
            .iter()
            .flatten()
            .any(|&op| matches!(op, Op::LdLen | Op::LdxLen) || may_call(op));
        if needs_ctx {
            self.a.mov(true, CTX, RDX);
        }
        if ops
            .iter()
            .any(|op| matches!(op, Some(Op::LdMem(_) | Op::LdxMem(_))))
        {
            // Scratch memory starts at 0.
            self.a.mov_imm(RCX, 0);
            for w in 0..MEM_WORDS as i32 / 2 {
                self.a.store64(at(RSP, MEM + 8 * w), RCX);
            }
        }
        let backward = ops.iter().enumerate().any(
            |(pc, op)| matches!(op, Some(Op::Ja(k)) if ja_target(pc, *k).is_some_and(|t| t <= pc)),
        );
        if backward {
            self.a.store_imm(at(RSP, BACK), 0);
        }
        self.a.mov_imm(A, 0);
        self.a.mov_imm(X, 0);
    }

    /// Returns A.
    fn epilogue(&mut self) {
        self.a.ret();
    }

    /// Runs `insn` through the interpreter's step (see [`super::slow_path`])
    /// and puts the value it loads in `dst`; the program ends there when the
    /// step says so.
    fn call_slow(&mut self, insn: Insn, dst: Reg) {
        // Below the red zone, save what the callee may clobber (A twice: the
        // sixth push aligns the stack).
        self.a.add64_imm(RSP, -SKIP_RED_ZONE);
        let saved = [PKT, LEN, X, CTX, A, A];
        for r in saved {
            self.a.push(r);
        }
        // slow_path(ctx, code, k, a, x)
        self.a.mov(true, RDI, CTX);
        self.a.mov_imm(RSI, u32::from(insn.code));
        self.a.mov_imm(RDX, insn.k);
        self.a.mov(false, RCX, A);
        self.a.mov(false, R8, X);
        self.a.mov_imm64(RAX, self.slow_path);
        self.a.call(RAX);
        self.a.mov(true, RDX, RAX);
        for r in saved.iter().rev() {
            self.a.pop(*r);
        }
        self.a.add64_imm(RSP, SKIP_RED_ZONE);
        // Bit 32 set: the program ends, returning the low half.
        let go_on = self.a.label();
        self.a.mov(true, RCX, RDX);
        self.a.shr64_imm(RCX, 32);
        self.a.jcc(asm::E, go_on);
        self.a.mov(false, A, RDX);
        self.a.jmp(self.exit_a);
        self.a.bind(go_on);
        self.a.mov(false, dst, RDX);
    }

    /// Ends the program unless `end` bytes are in the packet (`len >= end`),
    /// when not every path to `pc` has checked that already.
    fn check_len(&mut self, pc: usize, end: u64) {
        if self.known.get(pc).is_some_and(|&k| end <= k) {
            return;
        }
        match u32::try_from(end) {
            Ok(v) if v <= i32::MAX as u32 => self.a.cmp64_imm(LEN, v),
            _ => {
                // Offsets are below 2^31, so `end` fits 32 bits unsigned.
                self.a.mov_imm(RCX, end as u32);
                self.a.cmp64(LEN, RCX);
            }
        }
        self.a.jcc(asm::B, self.exit0);
    }

    /// Loads `size` big-endian bytes at `m` into `dst`.
    fn load_be(&mut self, dst: Reg, size: Size, m: Mem) {
        match size {
            Size::Byte => self.a.load_u8(dst, m),
            Size::Half => {
                self.a.load_u16(dst, m);
                self.a.bswap(dst);
                self.a.shift_imm(false, dst, 16);
            }
            Size::Word => {
                self.a.load(false, dst, m);
                self.a.bswap(dst);
            }
        }
    }

    /// The scratch word `k`, or `None` past `M[15]` (the program ends with 0).
    fn mem_word(k: u32) -> Option<Mem> {
        let k = usize::try_from(k).ok().filter(|&k| k < MEM_WORDS)?;
        Some(at(RSP, MEM + 4 * k as i32))
    }

    fn op(&mut self, pc: usize, insn: Insn, op: Op) {
        let x = X;
        match op {
            Op::LdImm(k) => self.a.mov_imm(A, k),
            Op::LdxImm(k) => self.a.mov_imm(x, k),
            Op::LdLen => self.a.load(false, A, at(CTX, ctx::WIRE_LEN)),
            Op::LdxLen => self.a.load(false, x, at(CTX, ctx::WIRE_LEN)),
            Op::LdMem(k) | Op::LdxMem(k) | Op::St(k) | Op::Stx(k) => match Self::mem_word(k) {
                Some(m) => match op {
                    Op::LdMem(_) => self.a.load(false, A, m),
                    Op::LdxMem(_) => self.a.load(false, x, m),
                    Op::St(_) => self.a.store(m, A),
                    _ => self.a.store(m, x),
                },
                None => self.a.jmp(self.exit0),
            },
            // Ancillary (`k >= SKF_AD_OFF`) and negative offsets: the slow path.
            Op::LdAbs(_, k) if (k as i32) < 0 => self.call_slow(insn, A),
            Op::LdxMsh(k) if (k as i32) < 0 => self.call_slow(insn, x),
            Op::LdAbs(size, k) => {
                self.check_len(pc, u64::from(k) + size.bytes() as u64);
                let m = at(PKT, k as i32);
                self.load_be(A, size, m);
            }
            Op::LdxMsh(k) => {
                self.check_len(pc, u64::from(k) + 1);
                self.a.load_u8(x, at(PKT, k as i32));
                self.a.alu_imm(asm::AND, x, 0xf);
                self.a.shift_imm(true, x, 2);
            }
            Op::LdInd(size, k) => {
                // edx = X + k (wrapping); negative as i32: the slow path.
                self.a.mov(false, RDX, x);
                if k == 0 {
                    self.a.test_rr(RDX, RDX);
                } else {
                    self.a.alu_imm(asm::ADD, RDX, k);
                }
                let stub = self.a.label();
                self.stubs.push((stub, pc, insn));
                self.a.jcc(asm::S, stub);
                self.a.lea(RCX, at(RDX, size.bytes() as i32));
                self.a.cmp64(RCX, LEN);
                self.a.jcc(asm::A, self.exit0);
                let m = Mem {
                    base: PKT,
                    index: Some(RDX),
                    disp: 0,
                };
                self.load_be(A, size, m);
            }
            Op::Alu(op, src) => self.alu(op, src),
            Op::Neg => self.a.neg(A),
            Op::Tax => self.a.mov(false, x, A),
            Op::Txa => self.a.mov(false, A, x),
            Op::Ja(k) => match ja_target(pc, k) {
                Some(t) if t > pc => {
                    if t != pc + 1 {
                        let l = self.target(t);
                        self.a.jmp(l);
                    }
                }
                Some(t) => {
                    // Backward: counted, as the interpreter counts them.
                    let back = at(RSP, BACK);
                    self.a.cmp_mem_imm(back, MAX_BACKWARD_JUMPS);
                    self.a.jcc(asm::AE, self.exit0);
                    self.a.inc_mem(back);
                    self.a.jmp(self.pcs[t]);
                }
                None => self.a.jmp(self.exit0),
            },
            Op::Jmp { cond, src, jt, jf } => {
                let next = pc + 1;
                let (t, f) = (next + usize::from(jt), next + usize::from(jf));
                if t == f {
                    if t != next {
                        let l = self.target(t);
                        self.a.jmp(l);
                    }
                    return;
                }
                let cc = self.compare(cond, src);
                if t == next {
                    let l = self.target(f);
                    self.a.jcc(cc.not(), l);
                } else {
                    let l = self.target(t);
                    self.a.jcc(cc, l);
                    if f != next {
                        let l = self.target(f);
                        self.a.jmp(l);
                    }
                }
            }
            Op::RetK(k) => {
                self.a.mov_imm(A, k);
                self.epilogue();
            }
            Op::RetA => self.epilogue(),
        }
    }

    /// Sets the flags for `cond` on A and `src`; the condition code that holds.
    fn compare(&mut self, cond: Cond, src: Src) -> Cc {
        let x = X;
        match (cond, src) {
            (Cond::Set, Src::K(k)) => self.a.test_imm(A, k),
            (Cond::Set, Src::X) => self.a.test_rr(A, x),
            (_, Src::K(k)) => self.a.alu_imm(asm::CMP, A, k),
            (_, Src::X) => self.a.alu_rr(asm::CMP, A, x),
        }
        match cond {
            Cond::Eq => asm::E,
            Cond::Gt => asm::A,
            Cond::Ge => asm::AE,
            Cond::Set => asm::NE,
        }
    }

    fn alu(&mut self, op: AluOp, src: Src) {
        let x = X;
        let plain = match op {
            AluOp::Add => Some(asm::ADD),
            AluOp::Sub => Some(asm::SUB),
            AluOp::And => Some(asm::AND),
            AluOp::Or => Some(asm::OR),
            AluOp::Xor => Some(asm::XOR),
            _ => None,
        };
        if let Some(alu) = plain {
            match src {
                Src::K(k) => self.a.alu_imm(alu, A, k),
                Src::X => self.a.alu_rr(alu, A, x),
            }
            return;
        }
        match (op, src) {
            (AluOp::Mul, Src::K(k)) => self.a.imul_imm(A, k),
            (AluOp::Mul, Src::X) => self.a.imul(A, x),
            (AluOp::Lsh | AluOp::Rsh, Src::K(k)) => {
                if k & 31 != 0 {
                    self.a.shift_imm(op == AluOp::Lsh, A, (k & 31) as u8);
                }
            }
            (AluOp::Lsh | AluOp::Rsh, Src::X) => {
                self.a.mov(false, RCX, x);
                self.a.shift_cl(op == AluOp::Lsh, A);
            }
            (AluOp::Div | AluOp::Mod, Src::K(0)) => self.a.jmp(self.exit0),
            (AluOp::Div, Src::K(k)) if k.is_power_of_two() => {
                if k > 1 {
                    self.a.shift_imm(false, A, k.trailing_zeros() as u8);
                }
            }
            (AluOp::Mod, Src::K(k)) if k.is_power_of_two() => self.a.alu_imm(asm::AND, A, k - 1),
            (_, src) => {
                // Div or Mod by X or by a constant that is not a power of 2.
                let by = match src {
                    Src::K(k) => {
                        self.a.mov_imm(RCX, k);
                        RCX
                    }
                    Src::X => {
                        self.a.test_rr(x, x);
                        self.a.jcc(asm::E, self.exit0);
                        x
                    }
                };
                self.a.mov_imm(RDX, 0);
                self.a.div(by);
                if op == AluOp::Mod {
                    self.a.mov(false, A, RDX);
                }
            }
        }
    }
}
