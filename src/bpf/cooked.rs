//! A program compiled for a Linux cooked header (`LINUX_SLL`, `LINUX_SLL2`)
//! made fit for the socket it is attached to.
//!
//! In: a [`Program`] compiled for the frames a cooked capture delivers (the
//! cooked header, then the packet from its network header). Out: a [`Plan`],
//! what to attach to the `SOCK_DGRAM` packet socket and whether the reader
//! must run the original program itself.
//!
//! On a cooked socket (`-i any`, and devices without a usable link header)
//! the kernel runs the socket filter on the packet *from its network header*
//! (packet(7): "the link-level header is removed"); the cooked header does not
//! exist yet, the reader builds it from `sockaddr_ll`. So, as libpcap 1.10
//! does in pcap-linux.c (`fix_program`, `fix_offset`), every packet load is
//! moved:
//! - a load at or past the header's end loses the header length;
//! - a load of exactly one header field the kernel keeps as socket metadata
//!   becomes the ancillary load of that field (`SKF_AD_PROTOCOL`,
//!   `SKF_AD_PKTTYPE`, `SKF_AD_IFINDEX`, `SKF_AD_HATYPE`; see
//!   `Documentation/networking/filter.rst`);
//! - any other load inside the header (the address, a byte of a 2-byte
//!   field, an indexed load whose index may point into the header) cannot
//!   run in the kernel: the plan is then to attach a program that accepts
//!   everything (returning the snapshot length) and to run the original
//!   program on the cooked frame in userland.
//!
//! Where this is stricter than libpcap (which also maps a 1-byte load of a
//! 2-byte field and indexed loads below the header length to ancillary
//! offsets, where the kernel reads something else), it is so the verdict is
//! the original program's. Loads the header length does not affect stay as
//! they are: ancillary and `SKF_NET_OFF`/`SKF_LL_OFF` loads, and
//! `ld #len` (libpcap's live capture runs `len` on the length from the
//! network header, in the kernel and in its userland fallback alike).
//!
//! Invariant: for every frame a cooked socket delivers, the kernel program
//! run on the bytes from the network header with the socket's metadata
//! returns what the original program returns on the cooked frame with the
//! same metadata (checked against libpcap's programs over the corpus by
//! `tests/cooked.rs`). This module has no OS dependency.

use super::insn::{code, skf, Insn};
use super::program::Program;
use crate::linktype::{sll, sll2, LinkType};
use core::fmt;

/// What to attach to a packet socket for a program, and who filters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The kernel runs this program (the original one on a socket that sees
    /// the whole frame, the rewritten one on a cooked socket).
    Kernel(Program),
    /// The kernel cannot run the program: attach `attach` (which keeps every
    /// frame, cut to the snapshot length) and run the original program on
    /// each cooked frame before the reader sees it.
    Userland {
        /// The program to attach: `ret #snaplen`.
        attach: Program,
        /// The first instruction the kernel cannot run, and why.
        why: Unfit,
    },
}

impl Plan {
    /// The program the socket gets.
    pub fn attached(&self) -> &Program {
        match self {
            Plan::Kernel(p) | Plan::Userland { attach: p, .. } => p,
        }
    }
}

/// An instruction of a cooked-header program that a cooked socket's filter
/// cannot run: it reads the header in a way no socket metadata gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unfit {
    /// The instruction's index in the program.
    pub pc: usize,
    /// The instruction.
    pub insn: Insn,
    /// The link type the program was compiled for.
    pub linktype: LinkType,
}

impl fmt::Display for Unfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = super::text::Line {
            insn: &self.insn,
            pc: self.pc,
        }
        .body();
        let what = match self.insn.code & MODE_MASK {
            code::ABS => match field_at(self.linktype, self.insn.k) {
                Some(name) => alloc::format!("reads the {} header's {name}", self.linktype),
                None => alloc::format!("reads the {} header", self.linktype),
            },
            _ => alloc::format!(
                "is an indexed load that may read the {} header",
                self.linktype
            ),
        };
        write!(
            f,
            "insn {} ({line}) {what}, which a cooked socket's filter never sees",
            self.pc
        )
    }
}

const CLASS_MASK: u16 = 0x07;
const SIZE_MASK: u16 = 0x18;
const MODE_MASK: u16 = 0xe0;

/// A header field the kernel also keeps as socket metadata.
struct Field {
    at: u32,
    size: u16,
    ancillary: u32,
}

/// `size` bytes at `at`, read by the ancillary load `ancillary`.
const fn field(at: usize, size: u16, ancillary: u32) -> Field {
    Field {
        at: at as u32,
        size,
        ancillary,
    }
}

/// LINUX_SLL: packet type, ARPHRD type and protocol, each a big-endian u16
/// holding exactly what the ancillary load returns.
const SLL_FIELDS: [Field; 3] = [
    field(sll::PKTTYPE, code::H, skf::AD_PKTTYPE),
    field(sll::HATYPE, code::H, skf::AD_HATYPE),
    field(sll::PROTOCOL, code::H, skf::AD_PROTOCOL),
];

/// LINUX_SLL2: protocol (u16), interface index (u32), ARPHRD type (u16),
/// packet type (u8).
const SLL2_FIELDS: [Field; 4] = [
    field(sll2::PROTOCOL, code::H, skf::AD_PROTOCOL),
    field(sll2::IFINDEX, code::W, skf::AD_IFINDEX),
    field(sll2::HATYPE, code::H, skf::AD_HATYPE),
    field(sll2::PKTTYPE, code::B, skf::AD_PKTTYPE),
];

/// The name of the header field that byte `k` belongs to (for messages).
fn field_at(linktype: LinkType, k: u32) -> Option<&'static str> {
    let k = usize::try_from(k).ok()?;
    let name = match linktype {
        LinkType::LinuxSll => match k {
            0..=1 => "packet type",
            2..=3 => "ARPHRD type",
            4..=5 => "address length",
            6..=13 => "link-layer address",
            14..=15 => "protocol",
            _ => return None,
        },
        LinkType::LinuxSll2 => match k {
            0..=1 => "protocol",
            2..=3 => "reserved field",
            4..=7 => "interface index",
            8..=9 => "ARPHRD type",
            10 => "packet type",
            11 => "address length",
            12..=19 => "link-layer address",
            _ => return None,
        },
        _ => return None,
    };
    Some(name)
}

/// The program the kernel runs on a socket that delivers `linktype` frames:
/// for the cooked link types, `prog` with every packet load moved as the
/// module documentation says; for every other link type, `prog` itself.
///
/// # Errors
/// [`Unfit`] naming the first instruction that reads the cooked header in a
/// way the kernel cannot (the program must then run in userland).
pub fn rewrite(prog: &Program, linktype: LinkType) -> Result<Program, Unfit> {
    let fields: &[Field] = match linktype {
        LinkType::LinuxSll => &SLL_FIELDS,
        LinkType::LinuxSll2 => &SLL2_FIELDS,
        _ => return Ok(prog.clone()),
    };
    let hdr = linktype.header_len() as u32;
    let mut out = prog.insns().to_vec();
    for (pc, insn) in out.iter_mut().enumerate() {
        let class = insn.code & CLASS_MASK;
        if class != code::LD && class != code::LDX {
            continue;
        }
        let unfit = Unfit {
            pc,
            insn: *insn,
            linktype,
        };
        // A "negative" offset (ancillary, SKF_NET_OFF, SKF_LL_OFF, or past
        // any packet) means the same on both sockets for an absolute load.
        let negative = insn.k >= 1 << 31;
        match insn.code & MODE_MASK {
            code::ABS if negative => {}
            code::ABS if insn.k >= hdr => insn.k -= hdr,
            code::ABS => {
                let size = insn.code & SIZE_MASK;
                let f = fields
                    .iter()
                    .find(|f| f.at == insn.k && f.size == size)
                    .ok_or(unfit)?;
                insn.k = skf::AD_OFF + f.ancillary;
            }
            // X + k: whatever X holds, moving k moves the sum, and the sum
            // is past the header when k is. Below that, X decides.
            code::IND | code::MSH if insn.k >= hdr && !negative => insn.k -= hdr,
            code::IND | code::MSH => return Err(unfit),
            _ => {}
        }
    }
    Ok(Program::new(out))
}

/// What to attach for `prog` on a socket delivering `linktype` frames:
/// [`rewrite`]'s program, or, when the kernel cannot run it, `ret #snaplen`
/// with the program left to userland.
pub fn plan(prog: &Program, linktype: LinkType, snaplen: u32) -> Plan {
    match rewrite(prog, linktype) {
        Ok(p) => Plan::Kernel(p),
        Err(why) => Plan::Userland {
            attach: Program::new(alloc::vec![Insn::stmt(code::RET | code::K, snaplen)]),
            why,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bpf::vm::{self, Meta};
    use crate::bpf::{RandomInsn, TestRng};
    use alloc::vec;
    use alloc::vec::Vec;
    use code::*;

    fn prog(insns: &[Insn]) -> Program {
        Program::new(insns.to_vec())
    }

    fn ld(size: u16, k: u32) -> Insn {
        Insn::stmt(LD | size | ABS, k)
    }

    const RET_A: Insn = Insn::stmt(RET | A, 0);

    #[test]
    fn payload_loads_lose_the_header_length() {
        // libpcap's `tcp port 80` shape for LINUX_SLL: ldxb 4*([16]&0xf); ldh [x+18].
        let p = prog(&[
            ld(B, 25),
            Insn::stmt(LDX | B | MSH, 16),
            Insn::stmt(LD | H | IND, 18),
            RET_A,
        ]);
        let want = prog(&[
            ld(B, 9),
            Insn::stmt(LDX | B | MSH, 0),
            Insn::stmt(LD | H | IND, 2),
            RET_A,
        ]);
        assert_eq!(rewrite(&p, LinkType::LinuxSll), Ok(want));
        // For LINUX_SLL2 the same offsets fall inside the 20-byte header.
        assert!(rewrite(&p, LinkType::LinuxSll2).is_err());
        let p2 = prog(&[
            ld(B, 25),
            Insn::stmt(LDX | B | MSH, 20),
            Insn::stmt(LD | H | IND, 22),
            RET_A,
        ]);
        let got = rewrite(&p2, LinkType::LinuxSll2).unwrap();
        assert_eq!(got.insns()[0], ld(B, 5));
        assert_eq!(got.insns()[1].k, 0);
        assert_eq!(got.insns()[2].k, 2);
    }

    #[test]
    fn header_fields_become_ancillary_loads() {
        let anc = |f| skf::AD_OFF + f;
        for (lt, loads) in [
            (
                LinkType::LinuxSll,
                vec![
                    (H, 0, skf::AD_PKTTYPE),
                    (H, 2, skf::AD_HATYPE),
                    (H, 14, skf::AD_PROTOCOL),
                ],
            ),
            (
                LinkType::LinuxSll2,
                vec![
                    (H, 0, skf::AD_PROTOCOL),
                    (W, 4, skf::AD_IFINDEX),
                    (H, 8, skf::AD_HATYPE),
                    (B, 10, skf::AD_PKTTYPE),
                ],
            ),
        ] {
            for (size, k, f) in loads {
                let got = rewrite(&prog(&[ld(size, k), RET_A]), lt).unwrap();
                assert_eq!(got.insns()[0], ld(size, anc(f)), "{lt} {k}");
            }
        }
    }

    #[test]
    fn other_header_loads_are_unfit() {
        for (lt, insn) in [
            (LinkType::LinuxSll, ld(B, 0)), // one byte of the packet type
            (LinkType::LinuxSll, ld(B, 1)),
            (LinkType::LinuxSll, ld(W, 0)),
            (LinkType::LinuxSll, ld(H, 4)),  // address length
            (LinkType::LinuxSll, ld(W, 6)),  // address
            (LinkType::LinuxSll, ld(W, 14)), // protocol and two payload bytes
            (LinkType::LinuxSll, ld(H, 15)),
            (LinkType::LinuxSll, Insn::stmt(LD | B | IND, 0)),
            (LinkType::LinuxSll, Insn::stmt(LDX | B | MSH, 2)),
            (LinkType::LinuxSll, Insn::stmt(LD | B | IND, 0xffff_fff0)),
            (LinkType::LinuxSll2, ld(B, 0)),
            (LinkType::LinuxSll2, ld(H, 4)),
            (LinkType::LinuxSll2, ld(H, 10)),
            (LinkType::LinuxSll2, ld(B, 11)),
            (LinkType::LinuxSll2, ld(W, 12)),
        ] {
            let p = prog(&[Insn::stmt(LD | IMM, 1), insn, RET_A]);
            let e = rewrite(&p, lt).unwrap_err();
            assert_eq!((e.pc, e.insn), (1, insn), "{lt} {insn:?}");
            assert!(e.to_string().starts_with("insn 1 ("), "{e}");
            match plan(&p, lt, 96) {
                Plan::Userland { attach, why } => {
                    assert_eq!(attach, prog(&[Insn::stmt(RET | K, 96)]));
                    assert_eq!(why, e);
                }
                other => panic!("{other:?}"),
            }
        }
        let e = rewrite(&prog(&[ld(B, 7), RET_A]), LinkType::LinuxSll).unwrap_err();
        assert_eq!(
            e.to_string(),
            "insn 0 (ldb      [7]) reads the LINUX_SLL header's link-layer address, \
             which a cooked socket's filter never sees"
        );
    }

    #[test]
    fn loads_the_header_does_not_shift_stay() {
        let keep = [
            ld(H, skf::AD_OFF + skf::AD_PROTOCOL),
            ld(W, skf::AD_OFF + skf::AD_IFINDEX),
            ld(B, skf::NET_OFF + 9),
            ld(B, skf::LL_OFF),
            ld(W, 0x9000_0000),
            Insn::stmt(LD | W | LEN, 0),
            Insn::stmt(LDX | W | LEN, 0),
            Insn::stmt(LD | IMM, 3),
            Insn::stmt(LDX | IMM, 3),
            Insn::stmt(LD | MEM, 3),
            Insn::stmt(LDX | MEM, 3),
            Insn::stmt(ST, 3),
            Insn::jump(JMP | JEQ | K, 14, 0, 0),
            Insn::stmt(ALU | ADD | K, 14),
            Insn::stmt(RET | K, 14),
        ];
        for lt in [LinkType::LinuxSll, LinkType::LinuxSll2] {
            let p = prog(&keep);
            assert_eq!(rewrite(&p, lt), Ok(p), "{lt}");
        }
        // Other link types: the socket sees the frame as compiled.
        let p = prog(&[ld(B, 0), ld(H, 12), RET_A]);
        for lt in [LinkType::Ethernet, LinkType::Raw, LinkType::Null] {
            assert_eq!(plan(&p, lt, 5), Plan::Kernel(p.clone()));
        }
    }

    /// The bytes a cooked socket presents for `frame` (a cooked frame of
    /// `lt`) and the metadata the kernel reads from the socket buffer.
    fn kernel_view(lt: LinkType, frame: &[u8]) -> (&[u8], Meta) {
        let be16 = |at: usize| u16::from_be_bytes([frame[at], frame[at + 1]]);
        let meta = match lt {
            LinkType::LinuxSll => Meta {
                pkttype: u32::from(be16(sll::PKTTYPE)),
                hatype: be16(sll::HATYPE),
                protocol: be16(sll::PROTOCOL),
                ifindex: 3,
                ..Meta::default()
            },
            _ => Meta {
                protocol: be16(sll2::PROTOCOL),
                ifindex: u32::from_be_bytes([frame[4], frame[5], frame[6], frame[7]]),
                hatype: be16(sll2::HATYPE),
                pkttype: u32::from(frame[sll2::PKTTYPE]),
                ..Meta::default()
            },
        };
        (&frame[lt.header_len()..], meta)
    }

    /// Random straight-line programs of header and payload loads over random
    /// cooked frames: a kernel plan returns what the original returns.
    #[test]
    fn kernel_plans_keep_the_verdict() {
        let mut rng = TestRng(0x636f_6f6b);
        let (mut kernel, mut userland) = (0, 0);
        for lt in [LinkType::LinuxSll, LinkType::LinuxSll2] {
            for _ in 0..20_000 {
                let hdr = lt.header_len();
                let mut frame: Vec<u8> = (0..hdr + (rng.next() % 48) as usize)
                    .map(|_| rng.next() as u8)
                    .collect();
                // Packet types the kernel can hold (3 bits), in both layouts.
                if lt == LinkType::LinuxSll {
                    frame[sll::PKTTYPE] = 0;
                    frame[sll::PKTTYPE + 1] &= 7;
                } else {
                    frame[sll2::PKTTYPE] &= 7;
                }
                let mut insns = Vec::new();
                for _ in 0..1 + rng.next() % 4 {
                    let size = [B, H, W][(rng.next() % 3) as usize];
                    let k = (rng.next() % (hdr as u64 + 24)) as u32;
                    insns.push(match rng.next() % 4 {
                        0 => Insn::stmt(LDX | B | MSH, k),
                        1 => Insn::stmt(LD | size | IND, k),
                        _ => ld(size, k),
                    });
                    insns.push(Insn::stmt(ALU | ADD | X, 0));
                    insns.push(Insn::stmt(ST, (rng.next() % 4) as u32));
                }
                insns.push(Insn::stmt(LD | MEM, 0));
                insns.push(Insn::stmt(ALU | XOR | X, 0));
                insns.push(RET_A);
                let p = prog(&insns);
                let (net, meta) = kernel_view(lt, &frame);
                let want = vm::run(&p, &frame, frame.len() as u32, &meta);
                match rewrite(&p, lt) {
                    Ok(k) => {
                        kernel += 1;
                        let got = vm::run(&k, net, frame.len() as u32, &meta);
                        assert_eq!(got, want, "{lt}\n{p}\n{k}\nframe {frame:?}");
                    }
                    Err(_) => userland += 1,
                }
            }
        }
        assert!(kernel > 5_000 && userland > 5_000, "{kernel} {userland}");
    }
}
