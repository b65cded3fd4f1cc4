//! The 8-byte classic BPF instruction (`struct sock_filter`) and its opcode parts.
//!
//! In: nothing. Out: [`Insn`], the wire form the kernel takes, and the named
//! opcode fields from `include/uapi/linux/filter.h` / `bpf_common.h`
//! (see `Documentation/networking/filter.rst`).
//!
//! Invariant: `Insn` is `#[repr(C)]` and layout-identical to the kernel's
//! `struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; }`.

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
    /// Index of the highest set bit in A.
    pub const AD_ALU_XOR_X: u32 = 40;
    /// The VLAN TCI (tag without the present bit).
    pub const AD_VLAN_TAG: u32 = 44;
    /// Whether a VLAN tag was stripped into the skb (1 or 0).
    pub const AD_VLAN_TAG_PRESENT: u32 = 48;
    /// Random 32-bit number.
    pub const AD_PAY_OFFSET: u32 = 52;
    /// `prandom_u32()`.
    pub const AD_RANDOM: u32 = 56;
    /// The VLAN protocol (0x8100 or 0x88a8).
    pub const AD_VLAN_TPID: u32 = 60;
    /// One past the last ancillary offset the kernel knows (`SKF_AD_MAX`).
    pub const AD_MAX: u32 = 64;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_sock_filter() {
        assert_eq!(core::mem::size_of::<Insn>(), 8);
        assert_eq!(core::mem::align_of::<Insn>(), 4);
    }
}
