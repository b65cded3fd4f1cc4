//! A tiny x86-64 assembler: the few instructions the cBPF translation needs,
//! encoded into a byte buffer, with labels for forward and backward jumps.
//!
//! Encodings follow the Intel SDM volume 2 (REX prefix, ModRM, SIB). Only
//! 32-bit operations on values and 64-bit operations on addresses are used;
//! there are no 8-bit register operands (so no REX-vs-AH ambiguity).
//! Pure code: nothing here runs what it writes.

use alloc::vec::Vec;

/// A general-purpose register by its encoding number (`rax` 0 .. `r15` 15).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reg(pub u8);

pub const RAX: Reg = Reg(0);
pub const RCX: Reg = Reg(1);
pub const RDX: Reg = Reg(2);
pub const RSP: Reg = Reg(4);
pub const RSI: Reg = Reg(6);
pub const RDI: Reg = Reg(7);
pub const R8: Reg = Reg(8);
pub const R9: Reg = Reg(9);
pub const R10: Reg = Reg(10);

/// A condition code (the low nibble of `Jcc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cc(pub u8);

/// Unsigned below (carry).
pub const B: Cc = Cc(0x2);
/// Unsigned above or equal.
pub const AE: Cc = Cc(0x3);
/// Equal (zero).
pub const E: Cc = Cc(0x4);
/// Not equal (not zero).
pub const NE: Cc = Cc(0x5);
/// Unsigned above.
pub const A: Cc = Cc(0x7);
/// Sign set (negative as i32).
pub const S: Cc = Cc(0x8);

impl Cc {
    /// The opposite condition.
    pub fn not(self) -> Cc {
        Cc(self.0 ^ 1)
    }
}

/// The two-operand ALU group (`op r/m32, r32` opcode, `/digit` of `81 /digit id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alu {
    rr: u8,
    digit: u8,
}

pub const ADD: Alu = Alu { rr: 0x01, digit: 0 };
pub const OR: Alu = Alu { rr: 0x09, digit: 1 };
pub const AND: Alu = Alu { rr: 0x21, digit: 4 };
pub const SUB: Alu = Alu { rr: 0x29, digit: 5 };
pub const XOR: Alu = Alu { rr: 0x31, digit: 6 };
pub const CMP: Alu = Alu { rr: 0x39, digit: 7 };

/// A memory operand `[base + index + disp]` (scale 1).
#[derive(Clone, Copy, Debug)]
pub struct Mem {
    pub base: Reg,
    pub index: Option<Reg>,
    pub disp: i32,
}

/// `[base + disp]`.
pub fn at(base: Reg, disp: i32) -> Mem {
    Mem {
        base,
        index: None,
        disp,
    }
}

/// A jump target: an index into the assembler's label table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(pub usize);

/// The byte buffer being written, the labels' positions, and the jumps
/// waiting for them.
#[derive(Default)]
pub struct Asm {
    pub code: Vec<u8>,
    labels: Vec<Option<usize>>,
    /// `(position of a rel32 field, label)`: patched by [`Asm::finish`].
    fixups: Vec<(usize, Label)>,
}

impl Asm {
    /// A new label, not yet placed.
    pub fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }

    /// Places `l` at the current position.
    pub fn bind(&mut self, l: Label) {
        self.labels[l.0] = Some(self.code.len());
    }

    /// Patches every jump with its label's position; `None` when a label
    /// was used but never placed (a bug in the translation, never a crash).
    pub fn finish(mut self) -> Option<Vec<u8>> {
        for &(at, l) in &self.fixups {
            let target = self.labels[l.0]?;
            let rel = i32::try_from(target as i64 - (at as i64 + 4)).ok()?;
            self.code[at..at + 4].copy_from_slice(&rel.to_le_bytes());
        }
        Some(self.code)
    }

    fn byte(&mut self, b: u8) {
        self.code.push(b);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.code.extend_from_slice(b);
    }

    fn imm32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }

    /// The REX prefix, when any of its bits is needed.
    fn rex(&mut self, w: bool, reg: u8, index: u8, base: u8) {
        let rex = 0x40 | u8::from(w) << 3 | (reg >> 3) << 2 | (index >> 3) << 1 | (base >> 3);
        if rex != 0x40 {
            self.byte(rex);
        }
    }

    /// `opcode` with a register-direct ModRM (`reg`, `rm`).
    fn op_rr(&mut self, w: bool, opcode: &[u8], reg: u8, rm: u8) {
        self.rex(w, reg, 0, rm);
        self.bytes(opcode);
        self.byte(0xc0 | (reg & 7) << 3 | (rm & 7));
    }

    /// `opcode` with a memory ModRM (`reg`, `m`).
    fn op_mem(&mut self, w: bool, opcode: &[u8], reg: u8, m: Mem) {
        let base = m.base.0;
        let index = m.index.map_or(0, |r| r.0);
        self.rex(w, reg, index, base);
        self.bytes(opcode);
        // mod 00 with base rbp/r13 means "no base": those take a zero disp8.
        let md: u8 = if m.disp == 0 && base & 7 != 5 {
            0
        } else if i8::try_from(m.disp).is_ok() {
            1
        } else {
            2
        };
        if m.index.is_some() || base & 7 == 4 {
            // SIB: scale 1, index (100 = none), base.
            let idx = if m.index.is_some() { index & 7 } else { 4 };
            self.byte(md << 6 | (reg & 7) << 3 | 4);
            self.byte(idx << 3 | (base & 7));
        } else {
            self.byte(md << 6 | (reg & 7) << 3 | (base & 7));
        }
        match md {
            1 => self.byte(m.disp as u8),
            2 => self.imm32(m.disp as u32),
            _ => {}
        }
    }

    /// `mov r32, imm32` (zero-extends into the 64-bit register).
    pub fn mov_imm(&mut self, dst: Reg, v: u32) {
        if v == 0 {
            self.alu_rr(XOR, dst, dst);
            return;
        }
        self.rex(false, 0, 0, dst.0);
        self.byte(0xb8 | (dst.0 & 7));
        self.imm32(v);
    }

    /// `mov r64, imm64`.
    pub fn mov_imm64(&mut self, dst: Reg, v: u64) {
        self.rex(true, 0, 0, dst.0);
        self.byte(0xb8 | (dst.0 & 7));
        self.bytes(&v.to_le_bytes());
    }

    /// `mov dst, src` (32-bit, or 64-bit when `w`).
    pub fn mov(&mut self, w: bool, dst: Reg, src: Reg) {
        self.op_rr(w, &[0x89], src.0, dst.0);
    }

    /// `mov r32, [m]` (or r64 when `w`).
    pub fn load(&mut self, w: bool, dst: Reg, m: Mem) {
        self.op_mem(w, &[0x8b], dst.0, m);
    }

    /// `movzx r32, byte [m]`.
    pub fn load_u8(&mut self, dst: Reg, m: Mem) {
        self.op_mem(false, &[0x0f, 0xb6], dst.0, m);
    }

    /// `movzx r32, word [m]`.
    pub fn load_u16(&mut self, dst: Reg, m: Mem) {
        self.op_mem(false, &[0x0f, 0xb7], dst.0, m);
    }

    /// `mov [m], r32`.
    pub fn store(&mut self, m: Mem, src: Reg) {
        self.op_mem(false, &[0x89], src.0, m);
    }

    /// `op dst, src` (32-bit): add, or, and, sub, xor, cmp.
    pub fn alu_rr(&mut self, op: Alu, dst: Reg, src: Reg) {
        self.op_rr(false, &[op.rr], src.0, dst.0);
    }

    /// `op dst, imm` (32-bit; the short sign-extended imm8 form when it fits).
    pub fn alu_imm(&mut self, op: Alu, dst: Reg, v: u32) {
        self.group1(false, op.digit, dst, v);
    }

    /// `cmp r64, imm` (the immediate sign-extended: keep it below 2^31).
    pub fn cmp64_imm(&mut self, r: Reg, v: u32) {
        self.group1(true, CMP.digit, r, v);
    }

    /// `81 /digit id`, or `83 /digit ib` when `v` is a sign-extended byte.
    fn group1(&mut self, w: bool, digit: u8, r: Reg, v: u32) {
        match i8::try_from(v as i32) {
            Ok(b) => {
                self.op_rr(w, &[0x83], digit, r.0);
                self.byte(b as u8);
            }
            Err(_) => {
                self.op_rr(w, &[0x81], digit, r.0);
                self.imm32(v);
            }
        }
    }

    /// `cmp a, b` (64-bit).
    pub fn cmp64(&mut self, a: Reg, b: Reg) {
        self.op_rr(true, &[0x39], b.0, a.0);
    }

    /// `mov qword [m], r64`.
    pub fn store64(&mut self, m: Mem, src: Reg) {
        self.op_mem(true, &[0x89], src.0, m);
    }

    /// `mov dword [m], imm32`.
    pub fn store_imm(&mut self, m: Mem, v: u32) {
        self.op_mem(false, &[0xc7], 0, m);
        self.imm32(v);
    }

    /// `add r64, imm` (`sub` with a negative `v`): stack adjustments.
    pub fn add64_imm(&mut self, r: Reg, v: i32) {
        self.group1(true, ADD.digit, r, v as u32);
    }

    /// `shr r64, n`.
    pub fn shr64_imm(&mut self, r: Reg, n: u8) {
        self.op_rr(true, &[0xc1], 5, r.0);
        self.byte(n);
    }

    /// `cmp dword [m], imm32`.
    pub fn cmp_mem_imm(&mut self, m: Mem, v: u32) {
        self.op_mem(false, &[0x81], CMP.digit, m);
        self.imm32(v);
    }

    /// `inc dword [m]`.
    pub fn inc_mem(&mut self, m: Mem) {
        self.op_mem(false, &[0xff], 0, m);
    }

    /// `test a, b` (32-bit).
    pub fn test_rr(&mut self, a: Reg, b: Reg) {
        self.op_rr(false, &[0x85], b.0, a.0);
    }

    /// `test r32, imm32`.
    pub fn test_imm(&mut self, r: Reg, v: u32) {
        self.op_rr(false, &[0xf7], 0, r.0);
        self.imm32(v);
    }

    /// `imul dst, src` (32-bit; the low half is the unsigned product too).
    pub fn imul(&mut self, dst: Reg, src: Reg) {
        self.op_rr(false, &[0x0f, 0xaf], dst.0, src.0);
    }

    /// `imul dst, dst, imm32`.
    pub fn imul_imm(&mut self, dst: Reg, v: u32) {
        self.op_rr(false, &[0x69], dst.0, dst.0);
        self.imm32(v);
    }

    /// `div r32`: edx:eax / r, quotient in eax, remainder in edx.
    pub fn div(&mut self, r: Reg) {
        self.op_rr(false, &[0xf7], 6, r.0);
    }

    /// `neg r32`.
    pub fn neg(&mut self, r: Reg) {
        self.op_rr(false, &[0xf7], 3, r.0);
    }

    /// `shl r32, n` (`left`) or `shr r32, n`.
    pub fn shift_imm(&mut self, left: bool, r: Reg, n: u8) {
        self.op_rr(false, &[0xc1], if left { 4 } else { 5 }, r.0);
        self.byte(n);
    }

    /// `shl r32, cl` (`left`) or `shr r32, cl`: the count's low 5 bits.
    pub fn shift_cl(&mut self, left: bool, r: Reg) {
        self.op_rr(false, &[0xd3], if left { 4 } else { 5 }, r.0);
    }

    /// `bswap r32`.
    pub fn bswap(&mut self, r: Reg) {
        self.rex(false, 0, 0, r.0);
        self.bytes(&[0x0f, 0xc8 | (r.0 & 7)]);
    }

    /// `lea r64, [m]`.
    pub fn lea(&mut self, dst: Reg, m: Mem) {
        self.op_mem(true, &[0x8d], dst.0, m);
    }

    /// `push r64`.
    pub fn push(&mut self, r: Reg) {
        self.rex(false, 0, 0, r.0);
        self.byte(0x50 | (r.0 & 7));
    }

    /// `pop r64`.
    pub fn pop(&mut self, r: Reg) {
        self.rex(false, 0, 0, r.0);
        self.byte(0x58 | (r.0 & 7));
    }

    /// `call r64`.
    pub fn call(&mut self, r: Reg) {
        self.op_rr(false, &[0xff], 2, r.0);
    }

    /// `ret`.
    pub fn ret(&mut self) {
        self.byte(0xc3);
    }

    /// `jmp l` (rel32).
    pub fn jmp(&mut self, l: Label) {
        self.byte(0xe9);
        self.fixup(l);
    }

    /// `j<cc> l` (rel32).
    pub fn jcc(&mut self, cc: Cc, l: Label) {
        self.bytes(&[0x0f, 0x80 | cc.0]);
        self.fixup(l);
    }

    fn fixup(&mut self, l: Label) {
        self.fixups.push((self.code.len(), l));
        self.imm32(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RBX: Reg = Reg(3);
    const R12: Reg = Reg(12);
    const R13: Reg = Reg(13);
    const R14: Reg = Reg(14);

    /// The bytes one call emits.
    fn enc(f: impl FnOnce(&mut Asm)) -> Vec<u8> {
        let mut a = Asm::default();
        f(&mut a);
        a.code
    }

    // Expected bytes as GNU as (binutils 2.40) assembles the Intel-syntax
    // instruction in the comment.
    #[test]
    fn registers_and_immediates() {
        assert_eq!(enc(|a| a.mov_imm(RAX, 0x1234)), [0xb8, 0x34, 0x12, 0, 0]); // mov eax, 0x1234
        assert_eq!(enc(|a| a.mov_imm(R13, 7)), [0x41, 0xbd, 7, 0, 0, 0]); // mov r13d, 7
        assert_eq!(enc(|a| a.mov_imm(R13, 0)), [0x45, 0x31, 0xed]); // xor r13d, r13d
        assert_eq!(enc(|a| a.mov(false, R13, RAX)), [0x41, 0x89, 0xc5]); // mov r13d, eax
        assert_eq!(enc(|a| a.mov(true, R14, RDI)), [0x49, 0x89, 0xfe]); // mov r14, rdi
        assert_eq!(enc(|a| a.alu_rr(ADD, RAX, R13)), [0x44, 0x01, 0xe8]); // add eax, r13d
        assert_eq!(enc(|a| a.alu_imm(AND, RAX, 0xf)), [0x83, 0xe0, 0xf]); // and eax, 0xf
        assert_eq!(
            enc(|a| a.alu_imm(SUB, R13, 0x100)),
            [0x41, 0x81, 0xed, 0, 1, 0, 0]
        ); // sub r13d, 0x100
        assert_eq!(enc(|a| a.alu_imm(XOR, RAX, u32::MAX)), [0x83, 0xf0, 0xff]); // xor eax, -1
        assert_eq!(enc(|a| a.cmp64_imm(R12, 14)), [0x49, 0x83, 0xfc, 14]); // cmp r12, 14
        assert_eq!(enc(|a| a.cmp64(RCX, R12)), [0x4c, 0x39, 0xe1]); // cmp rcx, r12
        assert_eq!(enc(|a| a.imul(RAX, R13)), [0x41, 0x0f, 0xaf, 0xc5]); // imul eax, r13d
        assert_eq!(enc(|a| a.div(R13)), [0x41, 0xf7, 0xf5]); // div r13d
        assert_eq!(enc(|a| a.shift_cl(true, RAX)), [0xd3, 0xe0]); // shl eax, cl
        assert_eq!(enc(|a| a.shift_imm(false, R13, 2)), [0x41, 0xc1, 0xed, 2]); // shr r13d, 2
        assert_eq!(enc(|a| a.bswap(RAX)), [0x0f, 0xc8]);
        assert_eq!(enc(|a| a.push(R14)), [0x41, 0x56]);
        assert_eq!(enc(|a| a.pop(RBX)), [0x5b]);
        assert_eq!(enc(|a| a.call(RAX)), [0xff, 0xd0]);
        assert_eq!(
            enc(|a| a.mov_imm64(RAX, 0x1122_3344_5566_7788)),
            [0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]
        );
    }

    #[test]
    fn memory_operands() {
        // movzx eax, byte [rbx + 23]
        assert_eq!(enc(|a| a.load_u8(RAX, at(RBX, 23))), [0x0f, 0xb6, 0x43, 23]);
        // movzx eax, word [rbx + 0x1000]
        assert_eq!(
            enc(|a| a.load_u16(RAX, at(RBX, 0x1000))),
            [0x0f, 0xb7, 0x83, 0, 0x10, 0, 0]
        );
        // mov eax, [rbx + rdx]
        let m = Mem {
            base: RBX,
            index: Some(RDX),
            disp: 0,
        };
        assert_eq!(enc(|a| a.load(false, RAX, m)), [0x8b, 0x04, 0x13]);
        // mov rbx, [r14]  (r14 & 7 = 6: no SIB)
        assert_eq!(enc(|a| a.load(true, RBX, at(R14, 0))), [0x49, 0x8b, 0x1e]);
        // mov r12, [r14 + 8]
        assert_eq!(
            enc(|a| a.load(true, R12, at(R14, 8))),
            [0x4d, 0x8b, 0x66, 8]
        );
        // mov [r14 + 16], r13d
        assert_eq!(enc(|a| a.store(at(R14, 16), R13)), [0x45, 0x89, 0x6e, 16]);
        // mov eax, [r12]: r12 as a base needs a SIB byte
        assert_eq!(
            enc(|a| a.load(false, RAX, at(R12, 0))),
            [0x41, 0x8b, 0x04, 0x24]
        );
        // mov eax, [r13]: r13 as a base needs a disp8
        assert_eq!(
            enc(|a| a.load(false, RAX, at(R13, 0))),
            [0x41, 0x8b, 0x45, 0]
        );
        // mov qword [rsp + 8], rcx
        assert_eq!(
            enc(|a| a.store64(at(RSP, 8), RCX)),
            [0x48, 0x89, 0x4c, 0x24, 8]
        );
        // mov dword [rsp - 72], 0
        assert_eq!(
            enc(|a| a.store_imm(at(RSP, -72), 0)),
            [0xc7, 0x44, 0x24, 0xb8, 0, 0, 0, 0]
        );
        // mov eax, [rsp + 0x40]
        assert_eq!(
            enc(|a| a.load(false, RAX, at(RSP, 0x40))),
            [0x8b, 0x44, 0x24, 0x40]
        );
        // add rsp, -80 / add rsp, 80
        assert_eq!(enc(|a| a.add64_imm(RSP, -80)), [0x48, 0x83, 0xc4, 0xb0]);
        assert_eq!(enc(|a| a.add64_imm(RSP, 80)), [0x48, 0x83, 0xc4, 0x50]);
        // shr rcx, 32
        assert_eq!(enc(|a| a.shr64_imm(RCX, 32)), [0x48, 0xc1, 0xe9, 0x20]);
        // mov r10, rdx / mov ecx, r9d
        assert_eq!(enc(|a| a.mov(true, R10, RDX)), [0x49, 0x89, 0xd2]);
        assert_eq!(enc(|a| a.mov(false, RCX, R9)), [0x44, 0x89, 0xc9]);
        // lea rcx, [rdx + 4]
        assert_eq!(enc(|a| a.lea(RCX, at(RDX, 4))), [0x48, 0x8d, 0x4a, 4]);
        // cmp dword [r14 + 88], 0x10000
        assert_eq!(
            enc(|a| a.cmp_mem_imm(at(R14, 88), 0x10000)),
            [0x41, 0x81, 0x7e, 88, 0, 0, 1, 0]
        );
        // inc dword [r14 + 88]
        assert_eq!(enc(|a| a.inc_mem(at(R14, 88))), [0x41, 0xff, 0x46, 88]);
    }

    #[test]
    fn jumps_are_patched_both_ways() {
        let mut a = Asm::default();
        let back = a.label();
        let fwd = a.label();
        a.bind(back);
        a.jcc(E, fwd); // 6 bytes
        a.jmp(back); // 5 bytes
        a.bind(fwd);
        let code = a.finish().expect("labels placed");
        assert_eq!(code, [0x0f, 0x84, 5, 0, 0, 0, 0xe9, 0xf5, 0xff, 0xff, 0xff]);
        let mut a = Asm::default();
        let never = a.label();
        a.jmp(never);
        assert!(a.finish().is_none());
    }
}
