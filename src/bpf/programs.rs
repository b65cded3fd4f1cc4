//! Hand-assembled programs.
//!
//! In: nothing. Out: ready [`Program`]s, written instruction by instruction.
//! Invariant: each is instruction-for-instruction identical to what libpcap
//! compiles for the same expression (checked against `tcpdump -ddd` fixtures).

use super::insn::{code::*, Insn};
use super::program::Program;
use crate::SNAPLEN;
use alloc::vec;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bpf::{validate, vm};
    use alloc::vec::Vec;

    #[test]
    fn tcp_port_80_is_libpcaps_program() {
        let libpcap =
            Program::parse_decimal(include_str!("../../tests/data/tcp_port_80.ddd.txt")).unwrap();
        assert_eq!(tcp_port_80(), libpcap);
        assert_eq!(tcp_port_80().len(), 20);
        assert_eq!(validate(&tcp_port_80()), Ok(()));
    }

    /// An Ethernet frame under construction.
    struct Frame(Vec<u8>);

    const TCP: u8 = 6;
    const UDP: u8 = 17;

    fn frame(ethertype: u16) -> Frame {
        let mut v = alloc::vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
        v.extend_from_slice(&ethertype.to_be_bytes());
        Frame(v)
    }

    impl Frame {
        /// An IPv4 header of `ihl` 32-bit words with protocol `proto` and the
        /// flags/fragment-offset field `frag`.
        fn ipv4(mut self, proto: u8, ihl: u8, frag: u16) -> Self {
            let mut h = alloc::vec![0u8; usize::from(ihl) * 4];
            h[0] = 0x40 | ihl;
            h[6..8].copy_from_slice(&frag.to_be_bytes());
            h[8] = 64;
            h[9] = proto;
            h[12..16].copy_from_slice(&[198, 18, 0, 1]);
            h[16..20].copy_from_slice(&[198, 18, 0, 2]);
            self.0.extend(h);
            self
        }

        /// A fixed IPv6 header with next header `next`.
        fn ipv6(mut self, next: u8) -> Self {
            let mut h = alloc::vec![0u8; 40];
            h[0] = 0x60;
            h[6] = next;
            h[7] = 64;
            self.0.extend(h);
            self
        }

        /// A transport header starting with the two ports (TCP-sized).
        fn ports(mut self, src: u16, dst: u16) -> Self {
            self.0.extend_from_slice(&src.to_be_bytes());
            self.0.extend_from_slice(&dst.to_be_bytes());
            self.0.extend_from_slice(&[0; 16]);
            self
        }

        fn truncate(mut self, len: usize) -> Self {
            self.0.truncate(len);
            self
        }
    }

    const ACCEPT: u32 = SNAPLEN;
    const REJECT: u32 = 0;

    #[test]
    fn tcp_port_80_on_crafted_frames() {
        let cases: Vec<(&str, Frame, u32)> = alloc::vec![
            (
                "ipv4 tcp src 80",
                frame(0x0800).ipv4(TCP, 5, 0).ports(80, 40000),
                ACCEPT
            ),
            (
                "ipv4 tcp dst 80",
                frame(0x0800).ipv4(TCP, 5, 0).ports(40000, 80),
                ACCEPT
            ),
            (
                "ipv4 tcp 8080",
                frame(0x0800).ipv4(TCP, 5, 0).ports(8080, 8080),
                REJECT
            ),
            (
                "ipv4 udp dst 80",
                frame(0x0800).ipv4(UDP, 5, 0).ports(40000, 80),
                REJECT
            ),
            (
                "ipv4 DF set",
                frame(0x0800).ipv4(TCP, 5, 0x4000).ports(40000, 80),
                ACCEPT
            ),
            (
                "ipv4 first fragment",
                frame(0x0800).ipv4(TCP, 5, 0x2000).ports(80, 1),
                ACCEPT
            ),
            (
                "ipv4 later fragment",
                frame(0x0800).ipv4(TCP, 5, 0x2000 | 185).ports(80, 80),
                REJECT
            ),
            (
                "ipv4 last fragment",
                frame(0x0800).ipv4(TCP, 5, 1).ports(80, 80),
                REJECT
            ),
            (
                "ipv4 options dst 80",
                frame(0x0800).ipv4(TCP, 6, 0).ports(40000, 80),
                ACCEPT
            ),
            (
                "ipv4 max options src 80",
                frame(0x0800).ipv4(TCP, 15, 0).ports(80, 1),
                ACCEPT
            ),
            (
                "ipv4 options hide 80 from fixed offsets",
                {
                    let mut f = frame(0x0800).ipv4(TCP, 6, 0).ports(8080, 8080);
                    f.0[14 + 20 + 2..14 + 20 + 4].copy_from_slice(&80u16.to_be_bytes());
                    f
                },
                REJECT,
            ),
            (
                "ipv6 tcp src 80",
                frame(0x86dd).ipv6(TCP).ports(80, 40000),
                ACCEPT
            ),
            (
                "ipv6 tcp dst 80",
                frame(0x86dd).ipv6(TCP).ports(40000, 80),
                ACCEPT
            ),
            (
                "ipv6 tcp 8080",
                frame(0x86dd).ipv6(TCP).ports(8080, 8080),
                REJECT
            ),
            (
                "ipv6 udp dst 80",
                frame(0x86dd).ipv6(UDP).ports(40000, 80),
                REJECT
            ),
            (
                "ipv6 hop-by-hop before tcp",
                frame(0x86dd).ipv6(0).ports(80, 80),
                REJECT
            ),
            ("arp", frame(0x0806).ports(80, 80), REJECT),
            (
                "vlan-tagged ipv4",
                frame(0x8100).ipv4(TCP, 5, 0).ports(80, 80),
                REJECT
            ),
            (
                "ipv4 truncated after src 80",
                frame(0x0800)
                    .ipv4(TCP, 5, 0)
                    .ports(80, 1)
                    .truncate(14 + 20 + 2),
                ACCEPT,
            ),
            (
                "ipv4 truncated before dst port",
                frame(0x0800)
                    .ipv4(TCP, 5, 0)
                    .ports(1, 80)
                    .truncate(14 + 20 + 3),
                REJECT,
            ),
            (
                "ipv4 truncated inside the ip header",
                frame(0x0800).ipv4(TCP, 5, 0).truncate(14 + 10),
                REJECT,
            ),
            (
                "ipv6 truncated before ports",
                frame(0x86dd).ipv6(TCP).ports(80, 80).truncate(14 + 40 + 1),
                REJECT,
            ),
            ("ethernet header only", frame(0x0800), REJECT),
            ("runt", frame(0x0800).truncate(13), REJECT),
            ("empty", frame(0x0800).truncate(0), REJECT),
        ];
        let prog = tcp_port_80();
        for (label, Frame(data), want) in cases {
            let got = vm::run(&prog, &data, data.len() as u32, &vm::Meta::default());
            assert_eq!(got, want, "{label}");
        }
    }

    #[test]
    fn tcp_port_80_reads_only_captured_bytes() {
        let Frame(data) = frame(0x0800).ipv4(TCP, 5, 0).ports(1, 80);
        let prog = tcp_port_80();
        // The destination port lies past the 36 captured bytes: reject, whatever the wire length.
        assert_eq!(
            vm::run(&prog, &data[..36], 1500, &vm::Meta::default()),
            REJECT
        );
        assert_eq!(vm::run(&prog, &data, 1500, &vm::Meta::default()), ACCEPT);
    }
}
