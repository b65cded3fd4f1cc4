//! Hand-assembled programs.
//!
//! In: nothing. Out: ready [`Program`]s, written instruction by instruction.
//! Invariant: each is instruction-for-instruction identical to what libpcap
//! compiles for the same expression (checked against `tcpdump -ddd` fixtures).

use super::insn::{code::*, Insn};
use super::program::Program;
use alloc::vec;

/// Bytes accepted per packet: tcpdump's default snapshot length.
pub const SNAPLEN: u32 = 262_144;

/// `tcp port 80` on Ethernet, as `tcpdump -ddd 'tcp port 80'` prints it (20 instructions).
///
/// Accepts (returning 262144) IPv6 TCP with port 80 on either side when the
/// next header is TCP directly, and unfragmented-or-first-fragment IPv4 TCP
/// with port 80 on either side, whatever the IPv4 header length.
pub fn tcp_port_80() -> Program {
    Program::new(vec![
        // (000) A = ethertype.
        Insn::stmt(LD | H | ABS, 12),
        // (001) IPv6? else try IPv4 at (008).
        Insn::jump(JMP | JEQ | K, 0x86dd, 0, 6),
        // (002) A = IPv6 next header (14 + 6).
        Insn::stmt(LD | B | ABS, 20),
        // (003) TCP? else reject.
        Insn::jump(JMP | JEQ | K, 6, 0, 15),
        // (004) A = TCP source port (14 + 40 + 0).
        Insn::stmt(LD | H | ABS, 54),
        // (005) Source port 80: accept.
        Insn::jump(JMP | JEQ | K, 80, 12, 0),
        // (006) A = TCP destination port (14 + 40 + 2).
        Insn::stmt(LD | H | ABS, 56),
        // (007) Destination port 80: accept, else reject.
        Insn::jump(JMP | JEQ | K, 80, 10, 11),
        // (008) IPv4 (A still holds the ethertype)? else reject.
        Insn::jump(JMP | JEQ | K, 0x0800, 0, 10),
        // (009) A = IPv4 protocol (14 + 9).
        Insn::stmt(LD | B | ABS, 23),
        // (010) TCP? else reject.
        Insn::jump(JMP | JEQ | K, 6, 0, 8),
        // (011) A = IPv4 flags and fragment offset (14 + 6).
        Insn::stmt(LD | H | ABS, 20),
        // (012) A later fragment (offset != 0) has no TCP header: reject.
        Insn::jump(JMP | JSET | K, 0x1fff, 6, 0),
        // (013) X = IPv4 header length in bytes (IHL of the byte at 14).
        Insn::stmt(LDX | B | MSH, 14),
        // (014) A = TCP source port (14 + X + 0).
        Insn::stmt(LD | H | IND, 14),
        // (015) Source port 80: accept.
        Insn::jump(JMP | JEQ | K, 80, 2, 0),
        // (016) A = TCP destination port (14 + X + 2).
        Insn::stmt(LD | H | IND, 16),
        // (017) Destination port 80: accept, else reject.
        Insn::jump(JMP | JEQ | K, 80, 0, 1),
        // (018) Accept: keep up to the snapshot length.
        Insn::stmt(RET | K, SNAPLEN),
        // (019) Reject.
        Insn::stmt(RET | K, 0),
    ])
}
