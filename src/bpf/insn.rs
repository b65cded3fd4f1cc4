//! The 8-byte classic BPF instruction (`struct sock_filter`) and its opcode parts.
//!
//! In: nothing. Out: [`Insn`], the wire form the kernel takes, and the named
//! opcode fields from `include/uapi/linux/filter.h` / `bpf_common.h`
//! (see `Documentation/networking/filter.rst`).
//!
//! [`Op`] is the typed view to match on; [`decode`] and [`encode`] convert
//! between the two.
//!
//! Invariants: `Insn` is `#[repr(C)]` and layout-identical to the kernel's
//! `struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; }`.
//! [`decode`] knows exactly the opcodes Linux accepts (`chk_code_allowed` in
//! `net/core/filter.c`) and never panics; `decode(encode(op)) == op` for every
//! `op`, and `encode(decode(i)) == i` for every instruction whose unused fields
//! are zero.

/// One classic BPF instruction, layout-identical to the kernel's `struct sock_filter`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Insn {
    /// Opcode: class | size/op | mode/src.
    pub code: u16,
    /// Jump offset (relative to the next instruction) when the condition holds.
    pub jt: u8,
    /// Jump offset (relative to the next instruction) when the condition fails.
    pub jf: u8,
    /// Generic operand: constant, packet offset, scratch index, or return value.
    pub k: u32,
}

impl Insn {
    /// A non-jump instruction (`BPF_STMT` in the C headers).
    pub const fn stmt(code: u16, k: u32) -> Self {
        Insn {
            code,
            jt: 0,
            jf: 0,
            k,
        }
    }

    /// A conditional jump (`BPF_JUMP` in the C headers).
    pub const fn jump(code: u16, k: u32, jt: u8, jf: u8) -> Self {
        Insn { code, jt, jf, k }
    }

    /// The instruction class (`BPF_CLASS(code)`).
    pub const fn class(&self) -> u16 {
        self.code & 0x07
    }
}

/// Named opcode parts, as spelled in `linux/bpf_common.h` and `linux/filter.h`.
pub mod code {
    // Instruction classes (low 3 bits).
    /// Load into A.
    pub const LD: u16 = 0x00;
    /// Load into X.
    pub const LDX: u16 = 0x01;
    /// Store A into scratch memory.
    pub const ST: u16 = 0x02;
    /// Store X into scratch memory.
    pub const STX: u16 = 0x03;
    /// Arithmetic and logic on A.
    pub const ALU: u16 = 0x04;
    /// Jumps.
    pub const JMP: u16 = 0x05;
    /// Return.
    pub const RET: u16 = 0x06;
    /// Register transfers (tax, txa).
    pub const MISC: u16 = 0x07;

    // Load sizes (bits 3-4).
    /// 32-bit word.
    pub const W: u16 = 0x00;
    /// 16-bit half word.
    pub const H: u16 = 0x08;
    /// Byte.
    pub const B: u16 = 0x10;

    // Load modes (bits 5-7).
    /// Immediate constant `#k`.
    pub const IMM: u16 = 0x00;
    /// Absolute packet offset `[k]`.
    pub const ABS: u16 = 0x20;
    /// Indexed packet offset `[x + k]`.
    pub const IND: u16 = 0x40;
    /// Scratch memory `M[k]`.
    pub const MEM: u16 = 0x60;
    /// Packet length `#len`.
    pub const LEN: u16 = 0x80;
    /// IP header length `4*([k]&0xf)` (ldxb only).
    pub const MSH: u16 = 0xa0;

    // ALU operations (bits 4-7).
    /// `A + src`.
    pub const ADD: u16 = 0x00;
    /// `A - src`.
    pub const SUB: u16 = 0x10;
    /// `A * src`.
    pub const MUL: u16 = 0x20;
    /// `A / src`.
    pub const DIV: u16 = 0x30;
    /// `A | src`.
    pub const OR: u16 = 0x40;
    /// `A & src`.
    pub const AND: u16 = 0x50;
    /// `A << src`.
    pub const LSH: u16 = 0x60;
    /// `A >> src`.
    pub const RSH: u16 = 0x70;
    /// `-A`.
    pub const NEG: u16 = 0x80;
    /// `A % src`.
    pub const MOD: u16 = 0x90;
    /// `A ^ src`.
    pub const XOR: u16 = 0xa0;

    // Jump operations (bits 4-7).
    /// Unconditional jump by `k`.
    pub const JA: u16 = 0x00;
    /// Jump if `A == src`.
    pub const JEQ: u16 = 0x10;
    /// Jump if `A > src`.
    pub const JGT: u16 = 0x20;
    /// Jump if `A >= src`.
    pub const JGE: u16 = 0x30;
    /// Jump if `A & src != 0`.
    pub const JSET: u16 = 0x40;

    // Operand source (bit 3).
    /// The constant `k`.
    pub const K: u16 = 0x00;
    /// The index register X.
    pub const X: u16 = 0x08;

    // Return value source (bits 3-4).
    /// Return the accumulator.
    pub const A: u16 = 0x10;

    // MISC operations.
    /// `X = A`.
    pub const TAX: u16 = 0x00;
    /// `A = X`.
    pub const TXA: u16 = 0x80;
}

/// Linux ancillary-data offsets (`SKF_AD_*`): `ld [SKF_AD_OFF + n]` reads
/// socket-buffer metadata instead of packet bytes.
pub mod skf {
    /// Base of the ancillary area: `-0x1000` as an unsigned 32-bit offset.
    pub const AD_OFF: u32 = 0xffff_f000;
    /// Base of the network-header-relative area (`SKF_NET_OFF`).
    pub const NET_OFF: u32 = 0xfff0_0000;
    /// Base of the link-layer-relative area (`SKF_LL_OFF`).
    pub const LL_OFF: u32 = 0xffe0_0000;
    /// `skb->protocol` (the ethertype, host order).
    pub const AD_PROTOCOL: u32 = 0;
    /// `skb->pkt_type` (PACKET_HOST, PACKET_OUTGOING, ...).
    pub const AD_PKTTYPE: u32 = 4;
    /// `skb->dev->ifindex`.
    pub const AD_IFINDEX: u32 = 8;
    /// Netlink attribute lookup.
    pub const AD_NLATTR: u32 = 12;
    /// Nested netlink attribute lookup.
    pub const AD_NLATTR_NEST: u32 = 16;
    /// `skb->mark`.
    pub const AD_MARK: u32 = 20;
    /// `skb->queue_mapping`.
    pub const AD_QUEUE: u32 = 24;
    /// `skb->dev->type` (ARPHRD_*).
    pub const AD_HATYPE: u32 = 28;
    /// `skb->hash`.
    pub const AD_RXHASH: u32 = 32;
    /// The current CPU.
    pub const AD_CPU: u32 = 36;
    /// `A ^= X` (an ALU operation disguised as a load).
    pub const AD_ALU_XOR_X: u32 = 40;
    /// The VLAN TCI (tag without the present bit).
    pub const AD_VLAN_TAG: u32 = 44;
    /// Whether a VLAN tag was stripped into the skb (1 or 0).
    pub const AD_VLAN_TAG_PRESENT: u32 = 48;
    /// Offset of the transport payload, as the kernel's flow dissector finds it.
    pub const AD_PAY_OFFSET: u32 = 52;
    /// `prandom_u32()`.
    pub const AD_RANDOM: u32 = 56;
    /// The VLAN protocol (0x8100 or 0x88a8).
    pub const AD_VLAN_TPID: u32 = 60;
    /// One past the last ancillary offset the kernel knows (`SKF_AD_MAX`).
    pub const AD_MAX: u32 = 64;
}

/// Width of a packet load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Size {
    /// 32 bits (`ld`).
    Word,
    /// 16 bits (`ldh`).
    Half,
    /// 8 bits (`ldb`).
    Byte,
}

impl Size {
    /// The number of bytes loaded.
    pub const fn bytes(self) -> usize {
        match self {
            Size::Word => 4,
            Size::Half => 2,
            Size::Byte => 1,
        }
    }

    const fn bits(self) -> u16 {
        match self {
            Size::Word => code::W,
            Size::Half => code::H,
            Size::Byte => code::B,
        }
    }
}

/// The second operand of an ALU operation or a conditional jump.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Src {
    /// The constant `k`.
    K(u32),
    /// The index register X.
    X,
}

/// A binary ALU operation on A.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AluOp {
    /// `A + src`.
    Add,
    /// `A - src`.
    Sub,
    /// `A * src`.
    Mul,
    /// `A / src` (unsigned).
    Div,
    /// `A % src` (unsigned).
    Mod,
    /// `A & src`.
    And,
    /// `A | src`.
    Or,
    /// `A ^ src`.
    Xor,
    /// `A << src`.
    Lsh,
    /// `A >> src` (logical).
    Rsh,
}

impl AluOp {
    /// Every operation, in opcode order.
    pub const ALL: [AluOp; 10] = [
        AluOp::Add,
        AluOp::Sub,
        AluOp::Mul,
        AluOp::Div,
        AluOp::Or,
        AluOp::And,
        AluOp::Lsh,
        AluOp::Rsh,
        AluOp::Mod,
        AluOp::Xor,
    ];

    /// The operation's bits of an ALU opcode (`code::ADD`, ...).
    pub const fn bits(self) -> u16 {
        match self {
            AluOp::Add => code::ADD,
            AluOp::Sub => code::SUB,
            AluOp::Mul => code::MUL,
            AluOp::Div => code::DIV,
            AluOp::Mod => code::MOD,
            AluOp::And => code::AND,
            AluOp::Or => code::OR,
            AluOp::Xor => code::XOR,
            AluOp::Lsh => code::LSH,
            AluOp::Rsh => code::RSH,
        }
    }

    /// The mnemonic tcpdump prints (`add`, `sub`, ...).
    pub const fn mnemonic(self) -> &'static str {
        match self {
            AluOp::Add => "add",
            AluOp::Sub => "sub",
            AluOp::Mul => "mul",
            AluOp::Div => "div",
            AluOp::Mod => "mod",
            AluOp::And => "and",
            AluOp::Or => "or",
            AluOp::Xor => "xor",
            AluOp::Lsh => "lsh",
            AluOp::Rsh => "rsh",
        }
    }
}

/// The condition of a conditional jump.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cond {
    /// `A == src`.
    Eq,
    /// `A > src` (unsigned).
    Gt,
    /// `A >= src` (unsigned).
    Ge,
    /// `A & src != 0`.
    Set,
}

impl Cond {
    /// Every condition, in opcode order.
    pub const ALL: [Cond; 4] = [Cond::Eq, Cond::Gt, Cond::Ge, Cond::Set];

    const fn bits(self) -> u16 {
        match self {
            Cond::Eq => code::JEQ,
            Cond::Gt => code::JGT,
            Cond::Ge => code::JGE,
            Cond::Set => code::JSET,
        }
    }

    /// The mnemonic tcpdump prints (`jeq`, `jgt`, `jge`, `jset`).
    pub const fn mnemonic(self) -> &'static str {
        match self {
            Cond::Eq => "jeq",
            Cond::Gt => "jgt",
            Cond::Ge => "jge",
            Cond::Set => "jset",
        }
    }

    /// Whether the condition holds for `a` against `b`.
    pub const fn holds(self, a: u32, b: u32) -> bool {
        match self {
            Cond::Eq => a == b,
            Cond::Gt => a > b,
            Cond::Ge => a >= b,
            Cond::Set => a & b != 0,
        }
    }
}

/// The typed view of one instruction, for matching on.
///
/// Offsets and constants keep the kernel's unsigned 32-bit `k`; jump offsets
/// are relative to the next instruction, as in [`Insn`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `ld #k`: A = k.
    LdImm(u32),
    /// `ld [k]`: A = packet bytes at k (or ancillary data for `k >= SKF_AD_OFF`).
    LdAbs(Size, u32),
    /// `ld [x + k]`: A = packet bytes at X + k.
    LdInd(Size, u32),
    /// `ld M[k]`: A = scratch word k.
    LdMem(u32),
    /// `ld #len`: A = packet length.
    LdLen,
    /// `ldx #k`: X = k.
    LdxImm(u32),
    /// `ldx M[k]`: X = scratch word k.
    LdxMem(u32),
    /// `ldx #len`: X = packet length.
    LdxLen,
    /// `ldxb 4*([k]&0xf)`: X = IPv4 header length read from the byte at k.
    LdxMsh(u32),
    /// `st M[k]`: scratch word k = A.
    St(u32),
    /// `stx M[k]`: scratch word k = X.
    Stx(u32),
    /// `A = A op src`.
    Alu(AluOp, Src),
    /// `neg`: A = -A.
    Neg,
    /// `ja k`: skip k instructions.
    Ja(u32),
    /// Conditional jump: skip `jt` instructions if the condition holds, else `jf`.
    Jmp {
        /// The comparison.
        cond: Cond,
        /// What A is compared with.
        src: Src,
        /// Instructions skipped when the condition holds.
        jt: u8,
        /// Instructions skipped when it does not.
        jf: u8,
    },
    /// `ret #k`: accept k bytes (0 drops).
    RetK(u32),
    /// `ret a`: accept A bytes.
    RetA,
    /// `tax`: X = A.
    Tax,
    /// `txa`: A = X.
    Txa,
}

/// An instruction word [`decode`] does not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("unknown opcode 0x{code:02x}")]
pub struct UnknownCode {
    /// The opcode that has no meaning.
    pub code: u16,
}

/// Reads the typed view of an instruction.
///
/// Fields the opcode does not use are ignored, as the kernel ignores them.
///
/// # Errors
///
/// [`UnknownCode`] for an opcode outside the set Linux accepts.
#[inline]
pub fn decode(insn: Insn) -> Result<Op, UnknownCode> {
    use code::*;
    use whole::*;
    let k = insn.k;
    let src = if insn.code & X != 0 {
        Src::X
    } else {
        Src::K(k)
    };
    let unknown = Err(UnknownCode { code: insn.code });
    let op = match insn.code {
        LD_IMM => Op::LdImm(k),
        LD_W_ABS => Op::LdAbs(Size::Word, k),
        LD_H_ABS => Op::LdAbs(Size::Half, k),
        LD_B_ABS => Op::LdAbs(Size::Byte, k),
        LD_W_IND => Op::LdInd(Size::Word, k),
        LD_H_IND => Op::LdInd(Size::Half, k),
        LD_B_IND => Op::LdInd(Size::Byte, k),
        LD_MEM => Op::LdMem(k),
        LD_W_LEN => Op::LdLen,
        LDX_IMM => Op::LdxImm(k),
        LDX_MEM => Op::LdxMem(k),
        LDX_W_LEN => Op::LdxLen,
        LDX_B_MSH => Op::LdxMsh(k),
        ST => Op::St(k),
        STX => Op::Stx(k),
        ALU_NEG => Op::Neg,
        c if c & !0xf8 == ALU => {
            let alu = match c & 0xf0 {
                ADD => AluOp::Add,
                SUB => AluOp::Sub,
                MUL => AluOp::Mul,
                DIV => AluOp::Div,
                OR => AluOp::Or,
                AND => AluOp::And,
                LSH => AluOp::Lsh,
                RSH => AluOp::Rsh,
                MOD => AluOp::Mod,
                XOR => AluOp::Xor,
                _ => return unknown,
            };
            Op::Alu(alu, src)
        }
        JMP_JA => Op::Ja(k),
        c if c & !0xf8 == JMP => {
            let cond = match c & 0xf0 {
                JEQ => Cond::Eq,
                JGT => Cond::Gt,
                JGE => Cond::Ge,
                JSET => Cond::Set,
                _ => return unknown,
            };
            Op::Jmp {
                cond,
                src,
                jt: insn.jt,
                jf: insn.jf,
            }
        }
        RET_K => Op::RetK(k),
        RET_A => Op::RetA,
        MISC_TAX => Op::Tax,
        MISC_TXA => Op::Txa,
        _ => return unknown,
    };
    Ok(op)
}

/// Whole opcodes (class | size | mode ...), named for matching in [`decode`].
mod whole {
    use super::code::*;
    pub const LD_IMM: u16 = LD | IMM;
    pub const LD_W_ABS: u16 = LD | W | ABS;
    pub const LD_H_ABS: u16 = LD | H | ABS;
    pub const LD_B_ABS: u16 = LD | B | ABS;
    pub const LD_W_IND: u16 = LD | W | IND;
    pub const LD_H_IND: u16 = LD | H | IND;
    pub const LD_B_IND: u16 = LD | B | IND;
    pub const LD_MEM: u16 = LD | MEM;
    pub const LD_W_LEN: u16 = LD | W | LEN;
    pub const LDX_IMM: u16 = LDX | IMM;
    pub const LDX_MEM: u16 = LDX | MEM;
    pub const LDX_W_LEN: u16 = LDX | W | LEN;
    pub const LDX_B_MSH: u16 = LDX | B | MSH;
    pub const ALU_NEG: u16 = ALU | NEG;
    pub const JMP_JA: u16 = JMP | JA;
    pub const RET_K: u16 = RET | K;
    pub const RET_A: u16 = RET | A;
    pub const MISC_TAX: u16 = MISC | TAX;
    pub const MISC_TXA: u16 = MISC | TXA;
}

/// Writes the wire form of a typed instruction; unused fields are zero.
pub fn encode(op: Op) -> Insn {
    use code::*;
    let src_parts = |src: Src| match src {
        Src::K(k) => (K, k),
        Src::X => (X, 0),
    };
    match op {
        Op::LdImm(k) => Insn::stmt(LD | IMM, k),
        Op::LdAbs(size, k) => Insn::stmt(LD | size.bits() | ABS, k),
        Op::LdInd(size, k) => Insn::stmt(LD | size.bits() | IND, k),
        Op::LdMem(k) => Insn::stmt(LD | MEM, k),
        Op::LdLen => Insn::stmt(LD | W | LEN, 0),
        Op::LdxImm(k) => Insn::stmt(LDX | IMM, k),
        Op::LdxMem(k) => Insn::stmt(LDX | MEM, k),
        Op::LdxLen => Insn::stmt(LDX | W | LEN, 0),
        Op::LdxMsh(k) => Insn::stmt(LDX | B | MSH, k),
        Op::St(k) => Insn::stmt(ST, k),
        Op::Stx(k) => Insn::stmt(STX, k),
        Op::Alu(o, src) => {
            let (s, k) = src_parts(src);
            Insn::stmt(ALU | o.bits() | s, k)
        }
        Op::Neg => Insn::stmt(ALU | NEG, 0),
        Op::Ja(k) => Insn::stmt(JMP | JA, k),
        Op::Jmp { cond, src, jt, jf } => {
            let (s, k) = src_parts(src);
            Insn::jump(JMP | cond.bits() | s, k, jt, jf)
        }
        Op::RetK(k) => Insn::stmt(RET | K, k),
        Op::RetA => Insn::stmt(RET | A, 0),
        Op::Tax => Insn::stmt(MISC | TAX, 0),
        Op::Txa => Insn::stmt(MISC | TXA, 0),
    }
}

impl Insn {
    /// The typed view of this instruction; see [`decode`].
    ///
    /// # Errors
    ///
    /// [`UnknownCode`] for an opcode Linux does not accept.
    pub fn op(self) -> Result<Op, UnknownCode> {
        decode(self)
    }
}

impl From<Op> for Insn {
    fn from(op: Op) -> Self {
        encode(op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_sock_filter() {
        assert_eq!(core::mem::size_of::<Insn>(), 8);
        assert_eq!(core::mem::align_of::<Insn>(), 4);
    }

    /// Every opcode Linux accepts (`chk_code_allowed`), as listed in `net/core/filter.c`.
    const KERNEL_CODES: [u16; 49] = [
        0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x94, 0x9c, 0x54, 0x5c, 0x44, 0x4c, 0xa4,
        0xac, 0x64, 0x6c, 0x74, 0x7c, 0x84, 0x20, 0x28, 0x30, 0x80, 0x40, 0x48, 0x50, 0x00, 0x60,
        0x81, 0xb1, 0x01, 0x61, 0x02, 0x03, 0x07, 0x87, 0x06, 0x16, 0x05, 0x15, 0x1d, 0x35, 0x3d,
        0x25, 0x2d, 0x45, 0x4d,
    ];

    #[test]
    fn decode_knows_exactly_the_kernel_codes() {
        for code in 0..=u16::MAX {
            let known = KERNEL_CODES.contains(&code);
            assert_eq!(
                decode(Insn::stmt(code, 7)).is_ok(),
                known,
                "code 0x{code:x}"
            );
        }
    }

    #[test]
    fn unknown_code_is_named() {
        let err = decode(Insn::stmt(0x0e, 0)).unwrap_err();
        assert_eq!(err, UnknownCode { code: 0x0e });
        assert_eq!(err.to_string(), "unknown opcode 0x0e");
    }

    #[test]
    fn encode_decode_round_trip() {
        for &code in &KERNEL_CODES {
            let op = decode(Insn::jump(code, 0x1234_5678, 3, 4)).unwrap();
            assert_eq!(decode(encode(op)).unwrap(), op, "code 0x{code:x}");
            let canonical = encode(op);
            assert_eq!(canonical.code, code);
            assert_eq!(encode(decode(canonical).unwrap()), canonical);
        }
    }

    #[test]
    fn decoded_view_matches_the_names() {
        assert_eq!(
            decode(Insn::stmt(0x28, 12)).unwrap(),
            Op::LdAbs(Size::Half, 12)
        );
        assert_eq!(decode(Insn::stmt(0xb1, 14)).unwrap(), Op::LdxMsh(14));
        assert_eq!(
            decode(Insn::jump(0x45, 0x1fff, 6, 0)).unwrap(),
            Op::Jmp {
                cond: Cond::Set,
                src: Src::K(0x1fff),
                jt: 6,
                jf: 0
            }
        );
        assert_eq!(
            decode(Insn::stmt(0x9c, 99)).unwrap(),
            Op::Alu(AluOp::Mod, Src::X)
        );
        assert_eq!(decode(Insn::stmt(0x16, 0)).unwrap(), Op::RetA);
    }
}
