//! Code generation: [`Expr`] to a [`Cfg`], following libpcap 1.10's gencode.c.
//!
//! Each primitive becomes a small sub-graph (loads, a comparison, true and
//! false exits) built with the same calls, in the same order, as gencode.c,
//! so the unoptimized graph is libpcap's unoptimized graph and the program
//! returns the same value on every packet. State that libpcap keeps across
//! primitives is kept here too: `vlan`, `mpls` and `pppoes` move the link
//! offsets for everything generated after them, in left-to-right order.
//!
//! One deliberate, bounded difference: `protochain`. libpcap walks the IPv6
//! extension-header chain (or the IPv4 AH chain) in a loop that jumps
//! backwards; the kernel refuses backward jumps, so libpcap's program cannot
//! be attached to a socket (libpcap then filters in userland). Here the loop
//! body is unrolled [`PROTOCHAIN_MAX_HEADERS`] times, forward only, each copy
//! with libpcap's loads and tests in libpcap's order (so truncated packets
//! end the same way, and libpcap's quirks are kept: AH sets the offset to
//! `(len + 2) * 4` without adding the old one). A packet whose chain still
//! has an extension (or AH) header after that many is rejected: the whole
//! program returns 0, as when a load runs past the end (where libpcap would
//! walk on, or loop for ever on a chain that points back into itself). For
//! every packet with at most that many headers the verdict is libpcap's.
//! Like libpcap, the optimizer leaves graphs with a `protochain` alone.

use super::ast::{AddrQ, Arith, Conj, Dir, Expr, Prim, Proto, Qual, RelOp, Value};
use super::cfg::{BlockId, Cfg, Exit};
use super::error::{
    AddressKind, CompileError, CompileErrorKind as K, Feature, Field, NameKind, Unsupported,
};
use super::names;
use super::resolve::{Resolve, Transport};
use super::span::Span;
use super::{Options, Target};
use crate::bpf::{code::*, skf, Insn};
use crate::proto::{EtherType, IpProto};
use crate::LinkType;
use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use core::net::IpAddr;

/// Most blocks one expression may generate (a bound on memory, not on semantics).
pub const MAX_BLOCKS: usize = 200_000;

/// Extension headers (IPv6) or AH headers (IPv4) a `protochain` program
/// walks past; a packet with more is rejected (see the module docs).
///
/// Each header takes at least 8 bytes, so 16 cover any chain that fits in
/// the first 168 bytes of an IPv6 packet. One `ip6 protochain` costs 477
/// instructions at this bound (libpcap's loop: 36), `ip protochain` 253 (24),
/// so several combine within the kernel's 4096.
pub const PROTOCHAIN_MAX_HEADERS: usize = 16;

/// IPv6 extension headers `protochain` walks past (hop-by-hop, destination
/// options, routing, fragment), in libpcap's test order.
const IPV6_EXT_HEADERS: [u32; 4] = [0, 60, 43, 44];
/// `IPPROTO_NONE`: no next header, the walk ends.
const IPPROTO_NONE: u32 = IpProto::NoNext.raw() as u32;
/// `IPPROTO_AH`.
const IPPROTO_AH: u32 = IpProto::Ah.raw() as u32;

/// Skips an IPv6 extension header at X (from the network header `nl`):
/// X += (length + 1) * 8, A = its next header (saved in `reg` meanwhile).
fn skip_ext(nl: u32, reg: u32) -> Vec<Insn> {
    vec![
        Insn::stmt(LD | IND | B, nl),
        Insn::stmt(ST, reg),
        Insn::stmt(LD | IND | B, nl.wrapping_add(1)),
        Insn::stmt(ALU | ADD | K, 1),
        Insn::stmt(ALU | MUL | K, 8),
        Insn::stmt(ALU | ADD | X, 0),
        Insn::stmt(MISC | TAX, 0),
        Insn::stmt(LD | MEM, reg),
    ]
}

/// Skips an AH header at X: X = (payload length + 2) * 4 (sic: libpcap does
/// not add the old X), A = its next header.
fn skip_ah(nl: u32, reg: u32) -> Vec<Insn> {
    vec![
        Insn::stmt(MISC | TXA, 0),
        Insn::stmt(LD | IND | B, nl),
        Insn::stmt(ST, reg),
        Insn::stmt(MISC | TXA, 0),
        Insn::stmt(ALU | ADD | K, 1),
        Insn::stmt(MISC | TAX, 0),
        Insn::stmt(LD | IND | B, nl),
        Insn::stmt(ALU | ADD | K, 2),
        Insn::stmt(ALU | MUL | K, 4),
        Insn::stmt(MISC | TAX, 0),
        Insn::stmt(LD | MEM, reg),
    ]
}

/// libpcap's `protochain` loop for [`super::Target::Userspace`], the
/// statements of one block whose exit is `jeq #v` (gencode.c's
/// `gen_protochain`, instruction for instruction). Its jumps stay inside the
/// block: forward to the final `add #0` when the walk ends, forward to a
/// header skip, and `ja` back to the loop's top after one.
fn protochain_loop(v: u32, v6: bool, nl: u32, reg: u32) -> Vec<Insn> {
    #[derive(Clone, Copy, PartialEq)]
    enum L {
        Top,
        Ext,
        AhCheck,
        End,
        Next,
    }
    let mut code: Vec<(Insn, L, L)> = Vec::new();
    let at = |code: &mut Vec<(Insn, L, L)>, i: Insn| code.push((i, L::Next, L::Next));
    let jeq = |code: &mut Vec<(Insn, L, L)>, k: u32, t: L, f: L| {
        code.push((Insn::jump(JMP | JEQ | K, k, 0, 0), t, f));
    };
    if v6 {
        at(&mut code, ld(B, nl.wrapping_add(6)));
        at(&mut code, Insn::stmt(LDX | IMM, 40));
    } else {
        at(&mut code, ld(B, nl.wrapping_add(9)));
        at(&mut code, Insn::stmt(LDX | MSH | B, nl));
    }
    let mut labels = vec![(L::Top, code.len())];
    jeq(&mut code, v, L::End, L::Next);
    jeq(&mut code, IPPROTO_NONE, L::End, L::Next);
    if v6 {
        for (i, &k) in IPV6_EXT_HEADERS.iter().enumerate() {
            let f = if i == IPV6_EXT_HEADERS.len() - 1 {
                L::AhCheck
            } else {
                L::Next
            };
            jeq(&mut code, k, L::Ext, f);
        }
        labels.push((L::Ext, code.len()));
        for i in skip_ext(nl, reg) {
            at(&mut code, i);
        }
        code.push((Insn::stmt(JMP | JA, 0), L::Top, L::Next));
    } else {
        at(&mut code, Insn::stmt(ALU | ADD | K, 0));
    }
    labels.push((L::AhCheck, code.len()));
    jeq(&mut code, IPPROTO_AH, L::Next, L::End);
    for i in skip_ah(nl, reg) {
        at(&mut code, i);
    }
    code.push((Insn::stmt(JMP | JA, 0), L::Top, L::Next));
    labels.push((L::End, code.len()));
    at(&mut code, Insn::stmt(ALU | ADD | K, 0));
    let pos = |l: L, pc: usize| match l {
        L::Next => pc + 1,
        l => labels
            .iter()
            .find(|(x, _)| *x == l)
            .map_or(pc + 1, |&(_, p)| p),
    };
    code.iter()
        .enumerate()
        .map(|(pc, &(mut insn, t, f))| {
            if insn.code == JMP | JA {
                // Back to the top: a negative offset, as a u32.
                insn.k = (pos(t, pc) as u32).wrapping_sub(pc as u32 + 1);
            } else if insn.code & 0x07 == JMP {
                insn.jt = (pos(t, pc) - (pc + 1)) as u8;
                insn.jf = (pos(f, pc) - (pc + 1)) as u8;
            }
            insn
        })
        .collect()
}

const ETHERMTU: u32 = 1500;
const GENEVE_PORT: u32 = 6081;
const ETHERTYPE_TEB: u32 = EtherType::Teb.raw() as u32;
const ETHERTYPE_IP: u32 = EtherType::Ipv4.raw() as u32;
const ETHERTYPE_ARP: u32 = EtherType::Arp.raw() as u32;
const ETHERTYPE_REVARP: u32 = EtherType::Rarp.raw() as u32;
const ETHERTYPE_ATALK: u32 = EtherType::Atalk.raw() as u32;
const ETHERTYPE_AARP: u32 = EtherType::Aarp.raw() as u32;
const ETHERTYPE_DN: u32 = EtherType::Decnet.raw() as u32;
const ETHERTYPE_SCA: u32 = EtherType::Sca.raw() as u32;
const ETHERTYPE_LAT: u32 = EtherType::Lat.raw() as u32;
const ETHERTYPE_MOPDL: u32 = EtherType::MopDl.raw() as u32;
const ETHERTYPE_MOPRC: u32 = EtherType::MopRc.raw() as u32;
const ETHERTYPE_IPV6: u32 = EtherType::Ipv6.raw() as u32;
const ETHERTYPE_IPX: u32 = EtherType::Ipx.raw() as u32;
const ETHERTYPE_NS: u32 = EtherType::Ns.raw() as u32;
const ETHERTYPE_8021Q: u32 = EtherType::Vlan.raw() as u32;
const ETHERTYPE_8021AD: u32 = EtherType::QinQ.raw() as u32;
const ETHERTYPE_8021QINQ: u32 = EtherType::Vlan9100.raw() as u32;
const ETHERTYPE_MPLS: u32 = EtherType::Mpls.raw() as u32;
const ETHERTYPE_PPPOED: u32 = EtherType::PppoeDiscovery.raw() as u32;
const ETHERTYPE_PPPOES: u32 = EtherType::PppoeSession.raw() as u32;
const ETHERTYPE_LOOPBACK: u32 = EtherType::Loopback.raw() as u32;
const LLCSAP_ISONS: u32 = 0xfe;
const LLCSAP_IP: u32 = 0x06;
const LLCSAP_NETBEUI: u32 = 0xf0;
const LLCSAP_IPX: u32 = 0xe0;
const LLCSAP_8021D: u32 = 0x42;
const LINUX_SLL_P_802_3: u32 = 0x0001;
const LINUX_SLL_P_802_2: u32 = 0x0004;
const LINUX_SLL_OUTGOING: u32 = 4;
const PACKET_OUTGOING: u32 = 4;
const PPP_MPLS_UCAST: u32 = 0x0281;
const IPPROTO_TCP: u32 = IpProto::Tcp.raw() as u32;
const IPPROTO_UDP: u32 = IpProto::Udp.raw() as u32;
const IPPROTO_SCTP: u32 = IpProto::Sctp.raw() as u32;
const IPPROTO_FRAGMENT: u32 = IpProto::Fragment.raw() as u32;
const ISO9542_ESIS: u32 = 0x82;
const ISO10589_ISIS: u32 = 0x83;
const ISO8473_CLNP: u32 = 0x81;
const ISIS_L1_LAN_IIH: u32 = 15;
const ISIS_L2_LAN_IIH: u32 = 16;
const ISIS_PTP_IIH: u32 = 17;
const ISIS_L1_LSP: u32 = 18;
const ISIS_L2_LSP: u32 = 20;
const ISIS_L1_CSNP: u32 = 24;
const ISIS_L2_CSNP: u32 = 25;
const ISIS_L1_PSNP: u32 = 26;
const ISIS_L2_PSNP: u32 = 27;

/// Which transport protocols a port test covers (`PROTO_UNDEF` = all three).
#[derive(Clone, Copy, PartialEq, Eq)]
enum PortProto {
    Tcp,
    Udp,
    Sctp,
    Any,
}

/// What an offset is relative to (gencode.c's `enum e_offrel`).
#[derive(Clone, Copy)]
enum Rel {
    LinkHdr,
    LinkPl,
    LinkPlNoSnap,
    LinkType,
    Llc,
    PrevMplsHdr,
    TranIpv4,
    TranIpv6,
}

/// The link layer as the generator sees it; `Ppp` after `pppoes`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    Ether,
    Sll,
    Raw,
    Ppp,
}

/// An arithmetic value under construction (gencode.c's `struct arth`).
struct ArthVal {
    s: Vec<Insn>,
    regno: u32,
    b: Option<BlockId>,
}

type R<T> = Result<T, CompileError>;

/// Generates the graph for `expr` (or accept-all for `None`).
///
/// # Errors
/// Everything libpcap refuses at code-generation time, with the span of the primitive.
pub fn gen(expr: Option<&Expr>, opts: &Options) -> R<Cfg> {
    let Some(expr) = expr else {
        return Ok(Cfg::ret_only(opts.ret_len()));
    };
    let mut g = Gen::new(opts)?;
    let b = g.expr(expr)?;
    g.insert_compute_vloffsets(b);
    g.cfg.finish(b, opts.ret_len());
    Ok(g.cfg)
}

struct Gen<'a> {
    cfg: Cfg,
    opts: &'a Options,
    link: Link,
    off_linkhdr: u32,
    off_linktype: Option<u32>,
    off_linkpl: u32,
    /// Scratch registers holding the run-time part of the offsets above
    /// (set inside a Geneve tunnel, whose inner headers move with its options).
    var_linkhdr: Option<u32>,
    var_linktype: Option<u32>,
    var_linkpl: Option<u32>,
    is_geneve: bool,
    /// A live-capture `vlan` made the offsets variable: zero them at the start.
    vlan_vloffset: bool,
    off_nl: u32,
    off_nl_nosnap: u32,
    label_stack_depth: u32,
    vlan_stack_depth: u32,
    regused: [bool; 16],
    curreg: usize,
    span: Span,
}

fn err<T>(span: Span, kind: K) -> R<T> {
    Err(CompileError::new(span, kind))
}

fn ld(size: u16, k: u32) -> Insn {
    Insn::stmt(LD | size | ABS, k)
}

impl<'a> Gen<'a> {
    fn new(opts: &'a Options) -> R<Self> {
        let (link, linktype, linkpl, nl_nosnap) = match opts.linktype {
            LinkType::Ethernet => (Link::Ether, Some(12), 14, 3),
            LinkType::LinuxSll => (Link::Sll, Some(14), 16, 0),
            LinkType::Raw => (Link::Raw, None, 0, 0),
            other => {
                return err(
                    Span::default(),
                    K::Unsupported(Unsupported::LinkType(other)),
                )
            }
        };
        Ok(Gen {
            cfg: Cfg {
                target: opts.target,
                ..Cfg::default()
            },
            opts,
            link,
            off_linkhdr: 0,
            off_linktype: linktype,
            off_linkpl: linkpl,
            var_linkhdr: None,
            var_linktype: None,
            var_linkpl: None,
            is_geneve: false,
            vlan_vloffset: false,
            off_nl: 0,
            off_nl_nosnap: nl_nosnap,
            label_stack_depth: 0,
            vlan_stack_depth: 0,
            regused: [false; 16],
            curreg: 0,
            span: Span::default(),
        })
    }

    fn fail<T>(&self, kind: K) -> R<T> {
        err(self.span, kind)
    }

    fn bad_address<T>(&self, kind: AddressKind, text: &str) -> R<T> {
        self.fail(K::BadAddress {
            kind,
            text: text.into(),
        })
    }

    fn not_on_link<T>(&self, feature: Feature) -> R<T> {
        self.fail(K::NotOnLinkType {
            feature,
            link: self.opts.linktype,
        })
    }

    fn too_large<T>(&self, field: Field, value: u32) -> R<T> {
        self.fail(K::TooLarge {
            field,
            value: u64::from(value),
        })
    }

    fn unknown<T>(&self, what: NameKind, name: &str) -> R<T> {
        self.fail(K::Unknown {
            what,
            name: name.into(),
        })
    }

    // ---- graph plumbing -------------------------------------------------

    fn new_jump(&mut self, stmts: Vec<Insn>, op: u16, k: u32) -> R<BlockId> {
        if self.cfg.blocks.len() >= MAX_BLOCKS {
            return self.fail(K::TooManyBlocks);
        }
        Ok(self.cfg.jump(stmts, op, k))
    }

    fn and(&mut self, b0: BlockId, b1: BlockId) -> BlockId {
        self.cfg.and(b0, b1)
    }

    fn or(&mut self, b0: BlockId, b1: BlockId) -> BlockId {
        self.cfg.or(b0, b1)
    }

    fn not(&mut self, b: BlockId) -> BlockId {
        self.cfg.not(b)
    }

    /// `b0 and b1` when there is a `b0`.
    fn and_opt(&mut self, b0: Option<BlockId>, b1: BlockId) -> BlockId {
        match b0 {
            Some(b0) => self.and(b0, b1),
            None => b1,
        }
    }

    /// `gen_uncond`: `ld #!sense; jeq #0`.
    fn uncond(&mut self, sense: bool) -> R<BlockId> {
        self.new_jump(vec![Insn::stmt(LD | IMM, u32::from(!sense))], JEQ | K, 0)
    }

    fn gen_true(&mut self) -> R<BlockId> {
        self.uncond(true)
    }

    fn gen_false(&mut self) -> R<BlockId> {
        self.uncond(false)
    }

    // ---- loads and comparisons -----------------------------------------

    /// `gen_load_absoffsetrel`: a load at a constant offset plus, when the
    /// offset is only known at run time, the register holding its variable part.
    fn abs_rel(var: Option<u32>, k: u32, size: u16) -> Vec<Insn> {
        match var {
            Some(reg) => vec![Insn::stmt(LDX | MEM, reg), Insn::stmt(LD | size | IND, k)],
            None => vec![ld(size, k)],
        }
    }

    fn load_a(&self, rel: Rel, off: u32, size: u16) -> Vec<Insn> {
        let pl = self.off_linkpl;
        let nl = self.off_nl;
        match rel {
            Rel::LinkHdr => {
                Self::abs_rel(self.var_linkhdr, self.off_linkhdr.wrapping_add(off), size)
            }
            Rel::LinkPl => {
                Self::abs_rel(self.var_linkpl, pl.wrapping_add(nl).wrapping_add(off), size)
            }
            Rel::LinkPlNoSnap => Self::abs_rel(
                self.var_linkpl,
                pl.wrapping_add(self.off_nl_nosnap).wrapping_add(off),
                size,
            ),
            Rel::LinkType => Self::abs_rel(
                self.var_linktype,
                self.off_linktype.unwrap_or(0).wrapping_add(off),
                size,
            ),
            Rel::Llc => Self::abs_rel(self.var_linkpl, pl.wrapping_add(off), size),
            Rel::PrevMplsHdr => Self::abs_rel(
                self.var_linkpl,
                pl.wrapping_add(nl).wrapping_sub(4).wrapping_add(off),
                size,
            ),
            Rel::TranIpv4 => {
                let mut s = self.loadx_iphdrlen();
                s.push(Insn::stmt(
                    LD | size | IND,
                    pl.wrapping_add(nl).wrapping_add(off),
                ));
                s
            }
            Rel::TranIpv6 => Self::abs_rel(
                self.var_linkpl,
                pl.wrapping_add(nl).wrapping_add(40).wrapping_add(off),
                size,
            ),
        }
    }

    /// X = the IPv4 header length (plus the variable part of the payload offset).
    fn loadx_iphdrlen(&self) -> Vec<Insn> {
        let at = self.off_linkpl.wrapping_add(self.off_nl);
        match self.var_linkpl {
            Some(reg) => vec![
                Insn::stmt(LDX | MEM, reg),
                Insn::stmt(LD | B | IND, at),
                Insn::stmt(ALU | AND | K, 0xf),
                Insn::stmt(ALU | LSH | K, 2),
                Insn::stmt(ALU | ADD | X, 0),
                Insn::stmt(MISC | TAX, 0),
            ],
            None => vec![Insn::stmt(LDX | MSH | B, at)],
        }
    }

    /// Statements leaving the arithmetic index in register `inst` plus the
    /// variable part `var` (if any) in X.
    fn index_to_x(var: Option<u32>, inst: u32) -> Vec<Insn> {
        match var {
            Some(reg) => vec![
                Insn::stmt(LDX | MEM, reg),
                Insn::stmt(LD | MEM, inst),
                Insn::stmt(ALU | ADD | X, 0),
                Insn::stmt(MISC | TAX, 0),
            ],
            None => vec![Insn::stmt(LDX | MEM, inst)],
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn ncmp(
        &mut self,
        rel: Rel,
        off: u32,
        size: u16,
        mask: u32,
        op: u16,
        reverse: bool,
        v: u32,
    ) -> R<BlockId> {
        let mut s = self.load_a(rel, off, size);
        if mask != 0xffff_ffff {
            s.push(Insn::stmt(ALU | AND | K, mask));
        }
        let b = self.new_jump(s, op | K, v)?;
        if reverse && (op == JGT || op == JGE) {
            self.not(b);
        }
        Ok(b)
    }

    fn cmp(&mut self, rel: Rel, off: u32, size: u16, v: u32) -> R<BlockId> {
        self.ncmp(rel, off, size, 0xffff_ffff, JEQ, false, v)
    }

    fn cmp_gt(&mut self, rel: Rel, off: u32, size: u16, v: u32) -> R<BlockId> {
        self.ncmp(rel, off, size, 0xffff_ffff, JGT, false, v)
    }

    fn cmp_ge(&mut self, rel: Rel, off: u32, size: u16, v: u32) -> R<BlockId> {
        self.ncmp(rel, off, size, 0xffff_ffff, JGE, false, v)
    }

    fn cmp_le(&mut self, rel: Rel, off: u32, size: u16, v: u32) -> R<BlockId> {
        self.ncmp(rel, off, size, 0xffff_ffff, JGT, true, v)
    }

    fn mcmp(&mut self, rel: Rel, off: u32, size: u16, v: u32, mask: u32) -> R<BlockId> {
        self.ncmp(rel, off, size, mask, JEQ, false, v)
    }

    /// Compares `bytes` at `off`, four bytes at a time from the end.
    fn bcmp(&mut self, rel: Rel, off: u32, bytes: &[u8]) -> R<BlockId> {
        let mut b: Option<BlockId> = None;
        let mut size = bytes.len();
        let mut push = |g: &mut Self, tmp: BlockId| {
            if let Some(prev) = b {
                g.and(prev, tmp);
            }
            b = Some(tmp);
        };
        while size >= 4 {
            let p = &bytes[size - 4..size];
            let v = u32::from_be_bytes([p[0], p[1], p[2], p[3]]);
            let tmp = self.cmp(rel, off + size as u32 - 4, W, v)?;
            push(self, tmp);
            size -= 4;
        }
        while size >= 2 {
            let p = &bytes[size - 2..size];
            let v = u32::from(u16::from_be_bytes([p[0], p[1]]));
            let tmp = self.cmp(rel, off + size as u32 - 2, H, v)?;
            push(self, tmp);
            size -= 2;
        }
        if size > 0 {
            let tmp = self.cmp(rel, off, B, u32::from(bytes[0]))?;
            push(self, tmp);
        }
        match b {
            Some(b) => Ok(b),
            None => self.gen_true(),
        }
    }

    // ---- link-layer type tests -----------------------------------------

    fn linktype(&mut self, proto: u32) -> R<BlockId> {
        if self.label_stack_depth > 0 {
            return self.mpls_linktype(proto);
        }
        match self.link {
            Link::Ether | Link::Sll => self.ether_linktype(proto),
            Link::Raw => match proto {
                ETHERTYPE_IP => self.mcmp(Rel::LinkHdr, 0, B, 0x40, 0xf0),
                ETHERTYPE_IPV6 => self.mcmp(Rel::LinkHdr, 0, B, 0x60, 0xf0),
                _ => self.gen_false(),
            },
            Link::Ppp => {
                let p = ethertype_to_ppptype(proto);
                self.cmp(Rel::LinkType, 0, H, p)
            }
        }
    }

    fn mpls_linktype(&mut self, proto: u32) -> R<BlockId> {
        let version = match proto {
            ETHERTYPE_IP | 0x21 => 0x40,
            ETHERTYPE_IPV6 | 0x57 => 0x60,
            _ => return self.fail(K::ProtoOverMpls),
        };
        // The bottom-of-stack bit of the last label, then the IP version.
        let b0 = self.mcmp(Rel::LinkPl, 0u32.wrapping_sub(2), B, 0x01, 0x01)?;
        let b1 = self.mcmp(Rel::LinkPl, 0, B, version, 0xf0)?;
        Ok(self.and(b0, b1))
    }

    fn snap(&mut self, orgcode: u32, ptype: u32) -> R<BlockId> {
        let block = [
            0xaa,
            0xaa,
            0x03,
            (orgcode >> 16) as u8,
            (orgcode >> 8) as u8,
            orgcode as u8,
            (ptype >> 8) as u8,
            ptype as u8,
        ];
        self.bcmp(Rel::Llc, 0, &block)
    }

    /// The frame carries an 802.2 LLC header: on Ethernet the length/type
    /// field is a length (`!(type > 1500)`), on Linux cooked the protocol
    /// field says `LINUX_SLL_P_802_2`.
    fn is_llc(&mut self) -> R<BlockId> {
        if self.link == Link::Sll {
            return self.cmp(Rel::LinkType, 0, H, LINUX_SLL_P_802_2);
        }
        let b = self.cmp_gt(Rel::LinkType, 0, H, ETHERMTU)?;
        Ok(self.not(b))
    }

    /// `gen_ether_linktype` and `gen_linux_sll_linktype`: Ethernet types and
    /// LLC SAPs, with the 802.2/SNAP encapsulations libpcap also accepts.
    fn ether_linktype(&mut self, proto: u32) -> R<BlockId> {
        let sll = self.link == Link::Sll;
        match proto {
            LLCSAP_ISONS | LLCSAP_IP | LLCSAP_NETBEUI => {
                let b0 = self.is_llc()?;
                let b1 = self.cmp(Rel::Llc, 0, H, (proto << 8) | proto)?;
                Ok(self.and(b0, b1))
            }
            LLCSAP_IPX => {
                // Ethernet_802.2 (DSAP 0xe0), Ethernet_802.3 (raw 0xffff on
                // Ethernet, its own protocol on cooked), Ethernet_SNAP, Ethernet_II.
                let b0 = self.cmp(Rel::Llc, 0, B, LLCSAP_IPX)?;
                let b1 = if sll {
                    let snap = self.snap(0, ETHERTYPE_IPX)?;
                    self.or(b0, snap)
                } else {
                    let raw = self.cmp(Rel::Llc, 0, H, 0xffff)?;
                    let b1 = self.or(b0, raw);
                    let snap = self.snap(0, ETHERTYPE_IPX)?;
                    self.or(snap, b1)
                };
                let b0 = self.is_llc()?;
                let mut b1 = self.and(b0, b1);
                if sll {
                    let raw = self.cmp(Rel::LinkType, 0, H, LINUX_SLL_P_802_3)?;
                    b1 = self.or(raw, b1);
                }
                let b0 = self.cmp(Rel::LinkType, 0, H, ETHERTYPE_IPX)?;
                Ok(self.or(b0, b1))
            }
            ETHERTYPE_ATALK | ETHERTYPE_AARP => {
                let b0 = self.is_llc()?;
                let b1 = if proto == ETHERTYPE_ATALK {
                    self.snap(0x080007, ETHERTYPE_ATALK)?
                } else {
                    self.snap(0, ETHERTYPE_AARP)?
                };
                let b1 = self.and(b0, b1);
                let b0 = self.cmp(Rel::LinkType, 0, H, proto)?;
                Ok(self.or(b0, b1))
            }
            _ if proto <= ETHERMTU => {
                let b0 = self.is_llc()?;
                let b1 = if sll {
                    self.cmp(Rel::LinkHdr, self.off_linkpl, B, proto)?
                } else {
                    self.cmp(Rel::LinkType, 2, B, proto)?
                };
                Ok(self.and(b0, b1))
            }
            _ => self.cmp(Rel::LinkType, 0, H, proto),
        }
    }

    // ---- expressions ----------------------------------------------------

    fn expr(&mut self, e: &Expr) -> R<BlockId> {
        match e {
            Expr::Chain(first, rest) => {
                let mut b = self.expr(first)?;
                for (conj, e) in rest {
                    let b1 = self.expr(e)?;
                    b = match conj {
                        Conj::And => self.and(b, b1),
                        Conj::Or => self.or(b, b1),
                    };
                }
                Ok(b)
            }
            Expr::Not(e) => {
                let b = self.expr(e)?;
                Ok(self.not(b))
            }
            Expr::Prim(p, span) => {
                self.span = *span;
                self.prim(p)
            }
        }
    }

    fn prim(&mut self, p: &Prim) -> R<BlockId> {
        match p {
            Prim::Id(q, v) => self.id(*q, v),
            Prim::Proto(p) => self.proto_abbrev(*p),
            Prim::Rel(op, a0, a1) => self.relation(*op, a0, a1),
            Prim::Broadcast(p) => self.broadcast(*p),
            Prim::Multicast(p) => self.multicast(*p),
            Prim::Less(n) => {
                let b = self.new_jump(vec![Insn::stmt(LD | W | LEN, 0)], JGT | K, *n)?;
                Ok(self.not(b))
            }
            Prim::Greater(n) => self.new_jump(vec![Insn::stmt(LD | W | LEN, 0)], JGE | K, *n),
            Prim::Inbound => self.inbound(false),
            Prim::Outbound => self.inbound(true),
            Prim::Ifindex(n) => self.ifindex(*n),
            Prim::Vlan(id) => self.vlan(*id),
            Prim::Mpls(label) => self.mpls(*label),
            Prim::Pppoed => self.linktype(ETHERTYPE_PPPOED),
            Prim::Pppoes(sess) => self.pppoes(*sess),
            Prim::Geneve(vni) => self.geneve(*vni),
            Prim::Llc => self.llc(),
        }
    }

    /// `gen_proto_abbrev`: a bare protocol name.
    fn proto_abbrev(&mut self, p: Proto) -> R<BlockId> {
        use Proto as P;
        match p {
            P::Sctp => self.proto(IPPROTO_SCTP, P::Default, Dir::Default),
            P::Tcp => self.proto(IPPROTO_TCP, P::Default, Dir::Default),
            P::Udp => self.proto(IPPROTO_UDP, P::Default, Dir::Default),
            P::Icmp => self.proto(1, P::Ip, Dir::Default),
            P::Igmp => self.proto(2, P::Ip, Dir::Default),
            P::Igrp => self.proto(9, P::Ip, Dir::Default),
            P::Pim => self.proto(103, P::Default, Dir::Default),
            P::Vrrp | P::Carp => self.proto(112, P::Ip, Dir::Default),
            P::Ip => self.linktype(ETHERTYPE_IP),
            P::Arp => self.linktype(ETHERTYPE_ARP),
            P::Rarp => self.linktype(ETHERTYPE_REVARP),
            P::Link => self.fail(K::LinkAlone),
            P::Atalk => self.linktype(ETHERTYPE_ATALK),
            P::Aarp => self.linktype(ETHERTYPE_AARP),
            P::Decnet => self.linktype(ETHERTYPE_DN),
            P::Sca => self.linktype(ETHERTYPE_SCA),
            P::Lat => self.linktype(ETHERTYPE_LAT),
            P::Mopdl => self.linktype(ETHERTYPE_MOPDL),
            P::Moprc => self.linktype(ETHERTYPE_MOPRC),
            P::Ip6 => self.linktype(ETHERTYPE_IPV6),
            P::Icmp6 => self.proto(58, P::Ip6, Dir::Default),
            P::Ah => self.proto(51, P::Default, Dir::Default),
            P::Esp => self.proto(50, P::Default, Dir::Default),
            P::Iso => self.linktype(LLCSAP_ISONS),
            P::Esis => self.proto(ISO9542_ESIS, P::Iso, Dir::Default),
            P::Isis => self.proto(ISO10589_ISIS, P::Iso, Dir::Default),
            P::Clnp => self.proto(ISO8473_CLNP, P::Iso, Dir::Default),
            P::Stp => self.linktype(LLCSAP_8021D),
            P::Ipx => self.linktype(LLCSAP_IPX),
            P::Netbeui => self.linktype(LLCSAP_NETBEUI),
            P::Radio => self.fail(K::NotAProtocol("radio")),
            P::IsisL1 => self.isis_any(&[
                ISIS_L1_LAN_IIH,
                ISIS_PTP_IIH,
                ISIS_L1_LSP,
                ISIS_L1_CSNP,
                ISIS_L1_PSNP,
            ]),
            P::IsisL2 => self.isis_any(&[
                ISIS_L2_LAN_IIH,
                ISIS_PTP_IIH,
                ISIS_L2_LSP,
                ISIS_L2_CSNP,
                ISIS_L2_PSNP,
            ]),
            P::IsisIih => self.isis_any(&[ISIS_L1_LAN_IIH, ISIS_L2_LAN_IIH, ISIS_PTP_IIH]),
            P::IsisLsp => self.isis_any(&[ISIS_L1_LSP, ISIS_L2_LSP]),
            P::IsisSnp => self.isis_any(&[ISIS_L1_CSNP, ISIS_L2_CSNP, ISIS_L1_PSNP, ISIS_L2_PSNP]),
            P::IsisCsnp => self.isis_any(&[ISIS_L1_CSNP, ISIS_L2_CSNP]),
            P::IsisPsnp => self.isis_any(&[ISIS_L1_PSNP, ISIS_L2_PSNP]),
            P::Default => self.fail(K::Internal("empty protocol")),
        }
    }

    /// `gen_proto`: `[ip|ip6|ether|iso] proto N`.
    fn proto(&mut self, v: u32, proto: Proto, dir: Dir) -> R<BlockId> {
        use Proto as P;
        if dir != Dir::Default {
            return self.fail(K::ProtoWithDirection);
        }
        match proto {
            P::Default => {
                let b0 = self.proto(v, P::Ip, dir)?;
                let b1 = self.proto(v, P::Ip6, dir)?;
                Ok(self.or(b0, b1))
            }
            P::Link => self.linktype(v),
            P::Ip => {
                let b0 = self.linktype(ETHERTYPE_IP)?;
                let b1 = self.cmp(Rel::LinkPl, 9, B, v)?;
                Ok(self.and(b0, b1))
            }
            P::Ip6 => {
                let b0 = self.linktype(ETHERTYPE_IPV6)?;
                // A fragment header may come before the final header.
                let b2 = self.cmp(Rel::LinkPl, 6, B, IPPROTO_FRAGMENT)?;
                let b1 = self.cmp(Rel::LinkPl, 40, B, v)?;
                let b1 = self.and(b2, b1);
                let b2 = self.cmp(Rel::LinkPl, 6, B, v)?;
                let b1 = self.or(b2, b1);
                Ok(self.and(b0, b1))
            }
            P::Iso => {
                let b0 = self.linktype(LLCSAP_ISONS)?;
                let b1 = self.cmp(Rel::LinkPlNoSnap, 0, B, v)?;
                Ok(self.and(b0, b1))
            }
            P::Isis => {
                let b0 = self.proto(ISO10589_ISIS, P::Iso, Dir::Default)?;
                // The PDU type is 4 bytes into the IS-IS header.
                let b1 = self.cmp(Rel::LinkPlNoSnap, 4, B, v)?;
                Ok(self.and(b0, b1))
            }
            P::Arp | P::Rarp | P::Lat | P::Sca | P::Moprc | P::Mopdl => {
                let name = match proto {
                    P::Arp => "arp",
                    P::Rarp => "rarp",
                    P::Lat => "LAT",
                    P::Sca => "SCA",
                    P::Moprc => "MOPRC",
                    _ => "MOPDL",
                };
                self.fail(K::NoEncapsulation(name))
            }
            P::Atalk => self.fail(K::NoEncapsulation("AppleTalk")),
            P::Decnet => self.fail(K::NoEncapsulation("DECnet")),
            other => self.fail(K::BogusProto(other.name())),
        }
    }

    // ---- qualified values -----------------------------------------------

    fn id(&mut self, q: Qual, v: &Value) -> R<BlockId> {
        match v {
            Value::Num(n) => self.ncode(None, *n, q),
            Value::Ipv4(s) => self.ncode(Some(s), 0, q),
            Value::Ipv4Len(s, len) => self.mcode(s, None, *len, q),
            Value::Ipv4Mask(s, m) => self.mcode(s, Some(m), 0, q),
            Value::Ipv6(s, len) => self.mcode6(s, *len, q),
            Value::Mac(m) => self.ecode(m, q),
            Value::Name(s) => self.scode(s, q),
        }
    }

    /// `__pcap_atoin`: a dotted address and its length in bits.
    fn atoin(&self, s: &str) -> R<(u32, u32)> {
        let mut addr: u32 = 0;
        let mut len = 0;
        for part in s.split('.') {
            let n = super::lex::parse_num(part)
                .ok()
                .filter(|n| *n <= 255)
                .map_or_else(|| self.bad_address(AddressKind::Ipv4, s), Ok)?;
            addr = (addr << 8) | n;
            len += 8;
        }
        Ok((addr, len))
    }

    /// `gen_ncode`: a number or dotted address with qualifiers.
    fn ncode(&mut self, s: Option<&str>, v: u32, q: Qual) -> R<BlockId> {
        let (mut v, vlen) = match s {
            None => (v, 32),
            Some(s) if q.proto == Proto::Decnet => match atodn(s) {
                Some(a) => (a, 32),
                None => return self.bad_address(AddressKind::Decnet, s),
            },
            Some(s) => self.atoin(s)?,
        };
        match q.addr {
            AddrQ::Default | AddrQ::Host | AddrQ::Net => {
                if q.proto == Proto::Decnet {
                    return self.dnhostop(v, q.dir);
                }
                if q.proto == Proto::Link {
                    return self.fail(K::NotALinkAddress);
                }
                let mut mask: u32 = 0xffff_ffff;
                if s.is_none() && q.addr == AddrQ::Net {
                    // Promote a short net number: `net 10` is 10.0.0.0/8.
                    while v != 0 && (v & 0xff00_0000) == 0 {
                        v <<= 8;
                        mask <<= 8;
                    }
                } else {
                    v = v.checked_shl(32 - vlen).unwrap_or(0);
                    mask = mask.checked_shl(32 - vlen).unwrap_or(0);
                }
                self.host(v, mask, q.proto, q.dir, q.addr)
            }
            AddrQ::Port => {
                let pp = self.port_proto(q.proto, "port")?;
                if v > 65535 {
                    return self.fail(K::PortRange(u64::from(v)));
                }
                self.port_both(v, v, pp, q.dir, false)
            }
            AddrQ::Portrange => {
                let pp = self.port_proto(q.proto, "portrange")?;
                if v > 65535 {
                    return self.fail(K::PortRange(u64::from(v)));
                }
                self.port_both(v, v, pp, q.dir, true)
            }
            AddrQ::Gateway => self.fail(K::GatewayNeedsName),
            AddrQ::Proto => self.proto(v, q.proto, q.dir),
            AddrQ::Protochain => self.protochain(v, q.proto),
        }
    }

    fn port_proto(&self, p: Proto, what: &'static str) -> R<PortProto> {
        Ok(match p {
            Proto::Udp => PortProto::Udp,
            Proto::Tcp => PortProto::Tcp,
            Proto::Sctp => PortProto::Sctp,
            Proto::Default => PortProto::Any,
            _ => return self.fail(K::PortQualifier(what)),
        })
    }

    /// `gen_mcode`: `A.B.C.D/len` and `A.B.C.D mask M`.
    fn mcode(&mut self, s1: &str, s2: Option<&str>, masklen: u32, q: Qual) -> R<BlockId> {
        let (n, nlen) = self.atoin(s1)?;
        let n = n.checked_shl(32 - nlen).unwrap_or(0);
        let m = match s2 {
            Some(s2) => {
                let (m, mlen) = self.atoin(s2)?;
                let m = m.checked_shl(32 - mlen).unwrap_or(0);
                if n & !m != 0 {
                    return self.fail(K::NonNetworkBits(format!("{s1} mask {s2}")));
                }
                m
            }
            None => {
                if masklen > 32 {
                    return self.fail(K::MaskTooLong { max: 32 });
                }
                let m = if masklen == 0 {
                    0
                } else {
                    0xffff_ffffu32 << (32 - masklen)
                };
                if n & !m != 0 {
                    return self.fail(K::NonNetworkBits(format!("{s1}/{masklen}")));
                }
                m
            }
        };
        match q.addr {
            AddrQ::Net => self.host(n, m, q.proto, q.dir, q.addr),
            _ => self.fail(K::MaskOnHost),
        }
    }

    /// `gen_mcode6`: an IPv6 address with a prefix length.
    fn mcode6(&mut self, s: &str, masklen: u32, q: Qual) -> R<BlockId> {
        let Ok(addr) = s.parse::<core::net::Ipv6Addr>() else {
            return self.bad_address(AddressKind::Ipv6, s);
        };
        if masklen > 128 {
            return self.fail(K::MaskTooLong { max: 128 });
        }
        let mask: u128 = if masklen == 0 {
            0
        } else {
            u128::MAX << (128 - masklen)
        };
        let a = u128::from(addr);
        if a & !mask != 0 {
            return self.fail(K::NonNetworkBits(format!("{s}/{masklen}")));
        }
        match q.addr {
            AddrQ::Default | AddrQ::Host if masklen != 128 => self.fail(K::MaskOnHost),
            AddrQ::Default | AddrQ::Host | AddrQ::Net => {
                self.host6(a, mask, q.proto, q.dir, q.addr)
            }
            _ => self.fail(K::Ipv6Qualifier),
        }
    }

    /// `gen_ecode`: a MAC address.
    fn ecode(&mut self, mac: &[u8; 6], q: Qual) -> R<BlockId> {
        if matches!(q.addr, AddrQ::Host | AddrQ::Default) && q.proto == Proto::Link {
            if self.link != Link::Ether {
                return self.not_on_link(Feature::EtherAddress);
            }
            let tmp = self.prevlinkhdr_check()?;
            let b = self.ehostop(mac, q.dir)?;
            return Ok(self.and_opt(tmp, b));
        }
        self.fail(K::MacNotEther)
    }

    /// `gen_scode`: a name with qualifiers.
    fn scode(&mut self, name: &str, q: Qual) -> R<BlockId> {
        match q.addr {
            AddrQ::Net => {
                let Some(mut addr) = self.resolve(NameKind::Network, name, |r| r.network(name))?
                else {
                    return self.unknown(NameKind::Network, name);
                };
                // getnetbyname's number, left-justified (libpcap's quirk:
                // `169.254.0.0` keeps the all-ones mask).
                let mut mask = 0xffff_ffffu32;
                while addr != 0 && addr & 0xff00_0000 == 0 {
                    addr <<= 8;
                    mask <<= 8;
                }
                self.host(addr, mask, q.proto, q.dir, q.addr)
            }
            AddrQ::Default | AddrQ::Host => {
                if q.proto == Proto::Link {
                    if self.link != Link::Ether {
                        return self.not_on_link(Feature::EtherAddress);
                    }
                    let mac = self.resolve(NameKind::EtherHost, name, |r| r.ether_host(name))?;
                    let Some(mac) = mac else {
                        return self.unknown(NameKind::EtherHost, name);
                    };
                    let tmp = self.prevlinkhdr_check()?;
                    let b = self.ehostop(&mac, q.dir)?;
                    return Ok(self.and_opt(tmp, b));
                }
                if q.proto == Proto::Decnet {
                    return self.fail(K::Unsupported(Unsupported::DecnetHostName));
                }
                self.host_name(name, q)
            }
            AddrQ::Port => {
                let pp = self.port_proto(q.proto, "port")?;
                let Some((port, real)) = self.nametoport(name) else {
                    return self.unknown(NameKind::Port, name);
                };
                if port > 65535 {
                    return self.fail(K::PortRange(u64::from(port)));
                }
                let real = self.override_proto(pp, real, name)?;
                self.port_both(port, port, real, q.dir, false)
            }
            AddrQ::Portrange => {
                let pp = self.port_proto(q.proto, "portrange")?;
                let Some((p1, p2, real)) = self.nametoportrange(name) else {
                    return self.unknown(NameKind::PortRange, name);
                };
                let real = self.override_proto(pp, real, name)?;
                for p in [p1, p2] {
                    if p > 65535 {
                        return self.fail(K::PortRange(u64::from(p)));
                    }
                }
                self.port_both(p1, p2, real, q.dir, true)
            }
            AddrQ::Gateway => self.fail(K::Unsupported(Unsupported::Gateway)),
            AddrQ::Proto | AddrQ::Protochain => {
                let v = self.lookup_proto(name, q.proto)?;
                match v {
                    Some(v) if q.addr == AddrQ::Proto => self.proto(v, q.proto, q.dir),
                    Some(v) => self.protochain(v, q.proto),
                    None => self.unknown(NameKind::IpProto, name),
                }
            }
        }
    }

    /// Asks the resolver; without one, refuses the name.
    fn resolve<T>(
        &self,
        what: NameKind,
        name: &str,
        ask: impl FnOnce(&dyn Resolve) -> Option<T>,
    ) -> R<Option<T>> {
        match self.opts.resolver.as_ref() {
            Some(r) => Ok(ask(&**r)),
            None => self.fail(K::NoResolver {
                what,
                name: name.into(),
            }),
        }
    }

    /// The named port's protocol after `tcp`/`udp`/`sctp` qualifiers (libpcap's checks).
    fn override_proto(&self, q: PortProto, real: PortProto, name: &str) -> R<PortProto> {
        let proto = match real {
            PortProto::Tcp => Transport::Tcp,
            PortProto::Udp => Transport::Udp,
            PortProto::Sctp => Transport::Sctp,
            PortProto::Any => return Ok(if q == PortProto::Any { real } else { q }),
        };
        match q {
            PortProto::Any => Ok(real),
            _ if real == q => Ok(q),
            _ => self.fail(K::PortProtocol {
                name: name.into(),
                proto,
            }),
        }
    }

    /// `pcap_nametoproto` (the resolver, then the built-in /etc/protocols),
    /// `pcap_nametoeproto`/`pcap_nametollc`, or the OSI names, by qualifier.
    fn lookup_proto(&self, name: &str, proto: Proto) -> R<Option<u32>> {
        Ok(match proto {
            Proto::Default | Proto::Ip | Proto::Ip6 => {
                let system = self.opts.resolver.as_ref().and_then(|r| r.protocol(name));
                match system.map(u16::from).or_else(|| names::protocol(name)) {
                    Some(v) => Some(u32::from(v)),
                    None => return self.unknown(NameKind::IpProto, name),
                }
            }
            Proto::Link => match eproto(name) {
                Some(v) => Some(v),
                None => return self.unknown(NameKind::EtherProto, name),
            },
            Proto::Iso => match name {
                "esis" => Some(ISO9542_ESIS),
                "isis" => Some(ISO10589_ISIS),
                "clnp" => Some(ISO8473_CLNP),
                _ => return self.unknown(NameKind::OsiProto, name),
            },
            _ => None,
        })
    }

    /// `pcap_nametoport`: a service name (the resolver, then the built-in
    /// /etc/services), or a decimal number (getaddrinfo(3) takes numeric
    /// services too; both protocols then).
    fn nametoport(&self, name: &str) -> Option<(u32, PortProto)> {
        if !name.is_empty() && name.bytes().all(|c| c.is_ascii_digit()) {
            // glibc stores the number with htons(): only the low 16 bits count.
            return name
                .parse::<u64>()
                .ok()
                .map(|n| (u32::from(n as u16), PortProto::Any));
        }
        let (tcp, udp) = match self.opts.resolver.as_ref() {
            Some(r) => (
                r.service(name, Transport::Tcp),
                r.service(name, Transport::Udp),
            ),
            None => (None, None),
        };
        let (tcp, udp) = match (tcp, udp) {
            (None, None) => {
                let s = names::service(name)?;
                (s.tcp, s.udp)
            }
            found => found,
        };
        // TCP first; both protocols when UDP has the same port.
        match (tcp, udp) {
            (Some(t), Some(u)) if t == u => Some((u32::from(t), PortProto::Any)),
            (Some(t), _) => Some((u32::from(t), PortProto::Tcp)),
            (None, Some(u)) => Some((u32::from(u), PortProto::Udp)),
            (None, None) => None,
        }
    }

    /// `pcap_nametoportrange`: `N-M` numerically, else `name-name`.
    fn nametoportrange(&self, name: &str) -> Option<(u32, u32, PortProto)> {
        let numeric = scan_int(name).and_then(|(p1, rest)| {
            let rest = rest.strip_prefix('-')?;
            let (p2, _) = scan_int(rest)?;
            Some((p1, p2))
        });
        if let Some((p1, p2)) = numeric {
            // C's `%d` into `u_int`: negative values wrap to huge ones.
            let to_u = |v: i64| {
                if v < 0 {
                    u32::MAX
                } else {
                    v.min(i64::from(u32::MAX)) as u32
                }
            };
            return Some((to_u(p1), to_u(p2), PortProto::Any));
        }
        let (a, b) = name.split_once('-')?;
        let (p1, r1) = self.nametoport(a)?;
        let (p2, r2) = self.nametoport(b)?;
        let real = if r1 == r2 { r2 } else { PortProto::Any };
        Some((p1, p2, real))
    }

    fn host_name(&mut self, name: &str, q: Qual) -> R<BlockId> {
        let addrs = self
            .resolve(NameKind::Host, name, |r| Some(r.host(name)))?
            .unwrap_or_default();
        let (mut tproto, mut tproto6) = (q.proto, q.proto);
        if self.off_linktype.is_none() && q.proto == Proto::Default {
            tproto = Proto::Ip;
            tproto6 = Proto::Ip6;
        }
        let mut b: Option<BlockId> = None;
        for a in addrs {
            let tmp = match a {
                IpAddr::V4(v4) => {
                    if tproto == Proto::Ip6 {
                        continue;
                    }
                    self.host(u32::from(v4), 0xffff_ffff, tproto, q.dir, q.addr)?
                }
                IpAddr::V6(v6) => {
                    if tproto6 == Proto::Ip {
                        continue;
                    }
                    self.host6(u128::from(v6), u128::MAX, tproto6, q.dir, q.addr)?
                }
            };
            if let Some(prev) = b {
                self.or(prev, tmp);
            }
            b = Some(tmp);
        }
        match b {
            Some(b) => Ok(b),
            None => self.unknown(NameKind::Host, name),
        }
    }

    // ---- hosts ------------------------------------------------------------

    fn host(&mut self, addr: u32, mask: u32, proto: Proto, dir: Dir, addrq: AddrQ) -> R<BlockId> {
        use Proto as P;
        let typestr = if addrq == AddrQ::Net { "net" } else { "host" };
        match proto {
            P::Default => {
                let b0 = self.host(addr, mask, P::Ip, dir, addrq)?;
                if self.label_stack_depth == 0 {
                    let b1 = self.host(addr, mask, P::Arp, dir, addrq)?;
                    let b1 = self.or(b0, b1);
                    let b0 = self.host(addr, mask, P::Rarp, dir, addrq)?;
                    return Ok(self.or(b1, b0));
                }
                Ok(b0)
            }
            P::Link => self.fail(K::Modifier {
                modifier: "link",
                target: typestr,
            }),
            P::Ip => self.hostop(addr, mask, dir, ETHERTYPE_IP, 12, 16),
            P::Rarp => self.hostop(addr, mask, dir, ETHERTYPE_REVARP, 14, 24),
            P::Arp => self.hostop(addr, mask, dir, ETHERTYPE_ARP, 14, 24),
            P::Decnet => self.dnhostop(addr, dir),
            P::Ip6 => self.fail(K::Modifier {
                modifier: "ip6",
                target: "ip host",
            }),
            other => self.fail(K::Modifier {
                modifier: other.name(),
                target: typestr,
            }),
        }
    }

    fn hostop(
        &mut self,
        addr: u32,
        mask: u32,
        dir: Dir,
        ll: u32,
        src_off: u32,
        dst_off: u32,
    ) -> R<BlockId> {
        self.either_dir(dir, |g, d| {
            let offset = if d == Dir::Src { src_off } else { dst_off };
            let b0 = g.linktype(ll)?;
            let b1 = g.mcmp(Rel::LinkPl, offset, W, addr, mask)?;
            Ok(g.and(b0, b1))
        })
    }

    /// One test per direction: `src`, `dst`, or both (`src or dst` when none
    /// is given), source first, combined as libpcap does.
    fn either_dir(
        &mut self,
        dir: Dir,
        mut one: impl FnMut(&mut Self, Dir) -> R<BlockId>,
    ) -> R<BlockId> {
        match dir {
            Dir::Src | Dir::Dst => one(self, dir),
            Dir::And | Dir::Or | Dir::Default => {
                let b0 = one(self, Dir::Src)?;
                let b1 = one(self, Dir::Dst)?;
                Ok(if dir == Dir::And {
                    self.and(b0, b1)
                } else {
                    self.or(b0, b1)
                })
            }
        }
    }

    /// `gen_dnhostop`: a DECnet node address in the four header layouts
    /// (long or short header, with or without padding).
    fn dnhostop(&mut self, addr: u32, dir: Dir) -> R<BlockId> {
        // libpcap compares with ntohs() of the constants: byte-swapped on
        // the little-endian hosts its fixtures come from, as here.
        let swap = |x: u32| u32::from((x as u16).swap_bytes());
        self.either_dir(dir, |g, d| {
            let (sh, lh) = if d == Dir::Dst { (1, 7) } else { (3, 15) };
            let b0 = g.linktype(ETHERTYPE_DN)?;
            let a = swap(addr);
            let tmp = g.mcmp(Rel::LinkPl, 2, H, swap(0x0681), swap(0x07ff))?;
            let b1 = g.cmp(Rel::LinkPl, 2 + 1 + lh, H, a)?;
            let mut b1 = g.and(tmp, b1);
            for (size, off, (v, m)) in [
                (B, 2 + lh, (0x06, 0x07)),
                (H, 2 + 1 + sh, (swap(0x0281), swap(0x07ff))),
                (B, 2 + sh, (0x02, 0x07)),
            ] {
                let tmp = g.mcmp(Rel::LinkPl, 2, size, v, m)?;
                let b2 = g.cmp(Rel::LinkPl, off, H, a)?;
                let b2 = g.and(tmp, b2);
                b1 = g.or(b2, b1);
            }
            Ok(g.and(b0, b1))
        })
    }

    fn host6(
        &mut self,
        addr: u128,
        mask: u128,
        proto: Proto,
        dir: Dir,
        addrq: AddrQ,
    ) -> R<BlockId> {
        let target = if addrq == AddrQ::Net {
            "ip6 net"
        } else {
            "ip6 host"
        };
        match proto {
            Proto::Default | Proto::Ip6 => self.hostop6(addr, mask, dir, 8, 24),
            other => self.fail(K::Modifier {
                modifier: other.name(),
                target,
            }),
        }
    }

    fn hostop6(
        &mut self,
        addr: u128,
        mask: u128,
        dir: Dir,
        src_off: u32,
        dst_off: u32,
    ) -> R<BlockId> {
        self.either_dir(dir, |g, d| {
            let offset = if d == Dir::Src { src_off } else { dst_off };
            let word = |x: u128, i: u32| (x >> (96 - 32 * i)) as u32;
            // This order is libpcap's: last word first.
            let mut b1 = g.mcmp(Rel::LinkPl, offset + 12, W, word(addr, 3), word(mask, 3))?;
            for i in [2u32, 1, 0] {
                let b0 = g.mcmp(Rel::LinkPl, offset + 4 * i, W, word(addr, i), word(mask, i))?;
                b1 = g.and(b0, b1);
            }
            let b0 = g.linktype(ETHERTYPE_IPV6)?;
            Ok(g.and(b0, b1))
        })
    }

    fn ehostop(&mut self, mac: &[u8; 6], dir: Dir) -> R<BlockId> {
        self.either_dir(dir, |g, d| {
            g.bcmp(Rel::LinkHdr, if d == Dir::Src { 6 } else { 0 }, mac)
        })
    }

    // ---- ports ------------------------------------------------------------

    /// IPv6 ports or IPv4 ports (`gen_port6` first, as libpcap orders them).
    fn port_both(&mut self, p1: u32, p2: u32, pp: PortProto, dir: Dir, range: bool) -> R<BlockId> {
        let b4 = self.port(p1, p2, pp, dir, range, false)?;
        let b6 = self.port(p1, p2, pp, dir, range, true)?;
        Ok(self.or(b6, b4))
    }

    fn port(
        &mut self,
        p1: u32,
        p2: u32,
        pp: PortProto,
        dir: Dir,
        range: bool,
        v6: bool,
    ) -> R<BlockId> {
        let b0 = self.linktype(if v6 { ETHERTYPE_IPV6 } else { ETHERTYPE_IP })?;
        let b1 = match pp {
            PortProto::Tcp => self.portop(p1, p2, IPPROTO_TCP, dir, range, v6)?,
            PortProto::Udp => self.portop(p1, p2, IPPROTO_UDP, dir, range, v6)?,
            PortProto::Sctp => self.portop(p1, p2, IPPROTO_SCTP, dir, range, v6)?,
            PortProto::Any => {
                let tmp = self.portop(p1, p2, IPPROTO_TCP, dir, range, v6)?;
                let b1 = self.portop(p1, p2, IPPROTO_UDP, dir, range, v6)?;
                let b1 = self.or(tmp, b1);
                let tmp = self.portop(p1, p2, IPPROTO_SCTP, dir, range, v6)?;
                self.or(tmp, b1)
            }
        };
        Ok(self.and(b0, b1))
    }

    fn portop(
        &mut self,
        p1: u32,
        p2: u32,
        ipproto: u32,
        dir: Dir,
        range: bool,
        v6: bool,
    ) -> R<BlockId> {
        let b0 = if v6 {
            self.cmp(Rel::LinkPl, 6, B, ipproto)?
        } else {
            // ip proto and not a fragment other than the first.
            let tmp = self.cmp(Rel::LinkPl, 9, B, ipproto)?;
            let b0 = self.ipfrag()?;
            self.and(tmp, b0)
        };
        let b1 = self.either_dir(dir, |g, d| {
            g.portatom(if d == Dir::Src { 0 } else { 2 }, p1, p2, range, v6)
        })?;
        Ok(self.and(b0, b1))
    }

    fn portatom(&mut self, off: u32, p1: u32, p2: u32, range: bool, v6: bool) -> R<BlockId> {
        let rel = if v6 { Rel::TranIpv6 } else { Rel::TranIpv4 };
        if !range {
            return self.cmp(rel, off, H, p1);
        }
        let (lo, hi) = if p1 > p2 { (p2, p1) } else { (p1, p2) };
        let b1 = self.cmp_ge(rel, off, H, lo)?;
        let b2 = self.cmp_le(rel, off, H, hi)?;
        Ok(self.and(b1, b2))
    }

    /// Not an IPv4 fragment other than the first: `!(ip[6:2] & 0x1fff)`.
    fn ipfrag(&mut self) -> R<BlockId> {
        let s = self.load_a(Rel::LinkPl, 6, H);
        let b = self.new_jump(s, JSET | K, 0x1fff)?;
        Ok(self.not(b))
    }

    // ---- protochain -------------------------------------------------------

    /// `gen_protochain`: walks the IPv6 extension-header chain (or the IPv4
    /// AH chain) looking for protocol `v`.
    ///
    /// libpcap emits one loop body and jumps back to it; the kernel refuses
    /// backward jumps, so the body is unrolled [`PROTOCHAIN_MAX_HEADERS`]
    /// times (see the module docs). Each copy performs libpcap's loads and
    /// tests in libpcap's order, so truncated packets end the same way.
    fn protochain(&mut self, v: u32, proto: Proto) -> R<BlockId> {
        // libpcap allocates the scratch register first, and never frees it
        // on the `Q_DEFAULT` path (which matters for later register numbers).
        let reg = self.alloc_reg()?;
        match proto {
            Proto::Default => {
                let b0 = self.protochain(v, Proto::Ip)?;
                let b = self.protochain(v, Proto::Ip6)?;
                return Ok(self.or(b0, b));
            }
            Proto::Ip | Proto::Ip6 => {}
            _ => return self.fail(K::ProtochainProto),
        }
        if self.var_linkpl.is_some() {
            return self.fail(K::ProtochainVariable);
        }
        // libpcap's optimizer leaves protochain graphs alone; so does ours,
        // which keeps the program libpcap's, test for test.
        self.cfg.no_optimize = true;
        let nl = self.off_linkpl.wrapping_add(self.off_nl);
        let v6 = proto == Proto::Ip6;
        let b0 = self.linktype(if v6 { ETHERTYPE_IPV6 } else { ETHERTYPE_IP })?;
        if self.opts.target == Target::Userspace {
            let b = self.new_jump(protochain_loop(v, v6, nl, reg), JEQ | K, v)?;
            self.free_reg(reg);
            return Ok(self.and(b0, b));
        }
        // Where libpcap's loop ends: `add #0; jeq #v`, the sub-graph's exit.
        let end = self.new_jump(vec![Insn::stmt(ALU | ADD | K, 0)], JEQ | K, v)?;
        // Built from the last copy to the first: `next` is the `jeq #59` that
        // starts the following copy (the `jeq #v` before it is folded into
        // the block that advanced past the header).
        // After the last header walked past, one more test of libpcap's body:
        // the wanted protocol or any other non-extension value ends the walk
        // as in libpcap; another extension header rejects the packet.
        let reject = self.cfg.block(Vec::new(), Exit::Ret(0));
        let mut next = self.protochain_step(v, v6, nl, reg, end, None, reject)?;
        for _ in 0..PROTOCHAIN_MAX_HEADERS {
            next = self.protochain_step(v, v6, nl, reg, end, Some(next), reject)?;
        }
        let first = if v6 {
            vec![ld(B, nl.wrapping_add(6)), Insn::stmt(LDX | IMM, 40)]
        } else {
            vec![ld(B, nl.wrapping_add(9)), Insn::stmt(LDX | MSH | B, nl)]
        };
        let head = self.edges(first, JEQ | K, v, end, next)?;
        self.cfg.get_mut(end).head = head;
        self.free_reg(reg);
        Ok(self.and(b0, end))
    }

    /// One copy of libpcap's protochain loop body, entered with A = the next
    /// header value and X = its header's offset from the network header
    /// (after the `jeq #v` that starts libpcap's body). Returns its entry.
    /// Without a `next` copy, an extension header goes to `reject` instead
    /// of being walked past.
    #[allow(clippy::too_many_arguments)]
    fn protochain_step(
        &mut self,
        v: u32,
        v6: bool,
        nl: u32,
        reg: u32,
        end: BlockId,
        next: Option<BlockId>,
        reject: BlockId,
    ) -> R<BlockId> {
        let ah = match next {
            Some(next) => self.edges(skip_ah(nl, reg), JEQ | K, v, end, next)?,
            None => reject,
        };
        if !v6 {
            let add0 = vec![Insn::stmt(ALU | ADD | K, 0)];
            let ahcheck = self.edges(add0, JEQ | K, IPPROTO_AH, ah, end)?;
            return self.edges(Vec::new(), JEQ | K, IPPROTO_NONE, end, ahcheck);
        }
        let ahcheck = self.edges(Vec::new(), JEQ | K, IPPROTO_AH, ah, end)?;
        let advance = match next {
            Some(next) => self.edges(skip_ext(nl, reg), JEQ | K, v, end, next)?,
            None => reject,
        };
        // Built from the last test to the first.
        let mut b = ahcheck;
        for &k in IPV6_EXT_HEADERS.iter().rev() {
            b = self.edges(Vec::new(), JEQ | K, k, advance, b)?;
        }
        self.edges(Vec::new(), JEQ | K, IPPROTO_NONE, end, b)
    }

    /// A block with both successors set (internal to a sub-graph).
    fn edges(&mut self, stmts: Vec<Insn>, op: u16, k: u32, jt: BlockId, jf: BlockId) -> R<BlockId> {
        let b = self.new_jump(stmts, op, k)?;
        let blk = self.cfg.get_mut(b);
        blk.jt = Some(jt);
        blk.jf = Some(jf);
        Ok(b)
    }

    /// `insert_compute_vloffsets`: zero the run-time offset registers of a
    /// live-capture `vlan` before anything else runs.
    fn insert_compute_vloffsets(&mut self, b: BlockId) {
        if !self.vlan_vloffset {
            return;
        }
        let (Some(pl), Some(lt)) = (self.var_linkpl, self.var_linktype) else {
            return;
        };
        let head = self.cfg.get(b).head;
        let blk = self.cfg.get_mut(head);
        let mut pre = vec![
            Insn::stmt(LD | IMM, 0),
            Insn::stmt(ST, pl),
            Insn::stmt(ST, lt),
        ];
        pre.append(&mut blk.stmts);
        blk.stmts = pre;
    }

    // ---- geneve ----------------------------------------------------------------

    /// `gen_prevlinkhdr_check`: inside Geneve, link-layer tests need an inner
    /// Ethernet header (the link header and payload offsets differ).
    fn prevlinkhdr_check(&mut self) -> R<Option<BlockId>> {
        if !self.is_geneve {
            return Ok(None);
        }
        let (Some(hdr), Some(pl)) = (self.var_linkhdr, self.var_linkpl) else {
            return Ok(None);
        };
        let s = vec![Insn::stmt(LD | MEM, hdr), Insn::stmt(LDX | MEM, pl)];
        let b = self.new_jump(s, JEQ | X, 0)?;
        Ok(Some(self.not(b)))
    }

    /// `gen_geneve`: UDP port 6081, version 0, optional VNI, over IPv4 or
    /// IPv6; everything after it looks inside the tunnel, at offsets computed
    /// at run time into scratch registers (libpcap then skips its optimizer).
    fn geneve(&mut self, vni: Option<u32>) -> R<BlockId> {
        let b0 = self.geneve_ip(vni, false)?;
        let b1 = self.geneve_ip(vni, true)?;
        let b0 = self.or(b0, b1);
        let mut s = self.geneve_offsets()?;
        let t = self.gen_true()?;
        let blk = self.cfg.get_mut(t);
        s.append(&mut blk.stmts);
        blk.stmts = s;
        let b = self.and(b0, t);
        self.is_geneve = true;
        self.cfg.no_optimize = true;
        Ok(b)
    }

    /// `gen_geneve4`/`gen_geneve6`: the checks, then A = the offset of the UDP header.
    fn geneve_ip(&mut self, vni: Option<u32>, v6: bool) -> R<BlockId> {
        let rel = if v6 { Rel::TranIpv6 } else { Rel::TranIpv4 };
        let b0 = self.port(
            GENEVE_PORT,
            GENEVE_PORT,
            PortProto::Udp,
            Dir::Dst,
            false,
            v6,
        )?;
        // Version 0 (top two bits of the first byte).
        let b1 = self.mcmp(rel, 8, B, 0, 0xc0)?;
        let mut b0 = self.and(b0, b1);
        if let Some(vni) = vni {
            if vni > 0xff_ffff {
                return self.too_large(Field::GeneveVni, vni);
            }
            let b1 = self.mcmp(rel, 12, W, vni << 8, 0xffff_ff00)?;
            b0 = self.and(b0, b1);
        }
        let mut s = if v6 {
            match self.var_linkpl {
                Some(reg) => vec![
                    Insn::stmt(LDX | MEM, reg),
                    Insn::stmt(LD | IMM, 40),
                    Insn::stmt(ALU | ADD | X, 0),
                ],
                None => vec![Insn::stmt(LD | IMM, 40)],
            }
        } else {
            self.loadx_iphdrlen()
        };
        // `jeq x` after A = X (or X = A) always holds: it carries the statements.
        s.push(Insn::stmt(MISC | if v6 { TAX } else { TXA }, 0));
        let b1 = self.new_jump(s, JEQ | X, 0)?;
        Ok(self.and(b0, b1))
    }

    /// `gen_geneve_offsets`: from A (the UDP header offset) compute where the
    /// inner link type, link header and payload are, into fresh registers.
    fn geneve_offsets(&mut self) -> R<Vec<Insn>> {
        let at = self.off_linkpl.wrapping_add(self.off_nl).wrapping_add(8);
        let linktype = self.alloc_reg()?;
        let mut s = vec![
            Insn::stmt(ALU | ADD | K, at),
            Insn::stmt(MISC | TAX, 0),
            Insn::stmt(ALU | ADD | K, 2),
            Insn::stmt(ST, linktype),
            // Option length (6 bits, in 4-byte words) plus the 8-byte base header.
            Insn::stmt(LD | B | IND, 0),
            Insn::stmt(ALU | AND | K, 0x3f),
            Insn::stmt(ALU | MUL | K, 4),
            Insn::stmt(ALU | ADD | K, 8),
            Insn::stmt(ALU | ADD | X, 0),
        ];
        let linkhdr = self.alloc_reg()?;
        s.push(Insn::stmt(ST, linkhdr));
        s.push(Insn::stmt(LD | H | IND, 2));
        s.push(Insn::stmt(LDX | MEM, linkhdr));
        // Transparent Ethernet Bridging: skip the inner Ethernet header.
        s.push(Insn::jump(JMP | JEQ | K, ETHERTYPE_TEB, 0, 5));
        s.push(Insn::stmt(MISC | TXA, 0));
        s.push(Insn::stmt(ALU | ADD | K, 12));
        s.push(Insn::stmt(ST, linktype));
        s.push(Insn::stmt(ALU | ADD | K, 2));
        s.push(Insn::stmt(MISC | TAX, 0));
        let linkpl = self.alloc_reg()?;
        s.push(Insn::stmt(STX, linkpl));
        self.link = Link::Ether;
        self.off_linkhdr = 0;
        self.var_linkhdr = Some(linkhdr);
        self.off_linktype = Some(0);
        self.var_linktype = Some(linktype);
        self.off_linkpl = 0;
        self.var_linkpl = Some(linkpl);
        self.off_nl = 0;
        Ok(s)
    }

    // ---- other primitives -------------------------------------------------

    /// IS-IS PDUs of any of `types` (`l1`, `iih`, ...), or-ed as libpcap does:
    /// the first two, then each further one in front.
    fn isis_any(&mut self, types: &[u32]) -> R<BlockId> {
        let mut b1 = self.proto(types[0], Proto::Isis, Dir::Default)?;
        if let Some(&t) = types.get(1) {
            let b = self.proto(t, Proto::Isis, Dir::Default)?;
            b1 = self.or(b1, b);
        }
        for &t in types.iter().skip(2) {
            let b0 = self.proto(t, Proto::Isis, Dir::Default)?;
            b1 = self.or(b0, b1);
        }
        Ok(b1)
    }

    /// `gen_llc`: an 802.2 frame that is not raw 802.3 IPX (`ffff`).
    fn llc(&mut self) -> R<BlockId> {
        if self.link != Link::Ether {
            return self.not_on_link(Feature::Llc);
        }
        let b0 = self.is_llc()?;
        let b1 = self.cmp(Rel::Llc, 0, H, 0xffff)?;
        let b1 = self.not(b1);
        Ok(self.and(b0, b1))
    }

    fn broadcast(&mut self, proto: Proto) -> R<BlockId> {
        match proto {
            Proto::Default | Proto::Link => {
                if self.link != Link::Ether {
                    return self.not_on_link(Feature::Broadcast);
                }
                let tmp = self.prevlinkhdr_check()?;
                let b = self.ehostop(&[0xff; 6], Dir::Dst)?;
                Ok(self.and_opt(tmp, b))
            }
            Proto::Ip => {
                let Some(netmask) = self.opts.netmask else {
                    return self.fail(K::NoNetmask);
                };
                let b0 = self.linktype(ETHERTYPE_IP)?;
                let hostmask = !netmask;
                let b1 = self.mcmp(Rel::LinkPl, 16, W, 0, hostmask)?;
                let b2 = self.mcmp(Rel::LinkPl, 16, W, hostmask, hostmask)?;
                let b2 = self.or(b1, b2);
                Ok(self.and(b0, b2))
            }
            _ => self.fail(K::BroadcastProto),
        }
    }

    fn multicast(&mut self, proto: Proto) -> R<BlockId> {
        match proto {
            Proto::Default | Proto::Link => {
                if self.link != Link::Ether {
                    return self.not_on_link(Feature::Multicast);
                }
                let tmp = self.prevlinkhdr_check()?;
                let s = self.load_a(Rel::LinkHdr, 0, B);
                let b = self.new_jump(s, JSET | K, 1)?;
                Ok(self.and_opt(tmp, b))
            }
            Proto::Ip => {
                let b0 = self.linktype(ETHERTYPE_IP)?;
                let b1 = self.cmp_ge(Rel::LinkPl, 16, B, 224)?;
                Ok(self.and(b0, b1))
            }
            Proto::Ip6 => {
                let b0 = self.linktype(ETHERTYPE_IPV6)?;
                let b1 = self.cmp(Rel::LinkPl, 24, B, 255)?;
                Ok(self.and(b0, b1))
            }
            _ => self.fail(K::MulticastProto),
        }
    }

    fn inbound(&mut self, outbound: bool) -> R<BlockId> {
        let b0 = match self.link {
            Link::Sll => self.cmp(Rel::LinkHdr, 0, H, LINUX_SLL_OUTGOING)?,
            _ if self.opts.linux_ext => self.cmp(
                Rel::LinkHdr,
                skf::AD_OFF + skf::AD_PKTTYPE,
                H,
                PACKET_OUTGOING,
            )?,
            _ => return self.fail(K::NeedsMetadata(Feature::Direction)),
        };
        Ok(if outbound { b0 } else { self.not(b0) })
    }

    fn ifindex(&mut self, n: u32) -> R<BlockId> {
        if !self.opts.linux_ext {
            return self.fail(K::NeedsMetadata(Feature::Ifindex));
        }
        self.cmp(Rel::LinkHdr, skf::AD_OFF + skf::AD_IFINDEX, W, n)
    }

    fn vlan(&mut self, id: Option<u32>) -> R<BlockId> {
        if self.label_stack_depth > 0 {
            return self.fail(K::VlanAfterMpls);
        }
        if self.link != Link::Ether {
            return self.not_on_link(Feature::Vlan);
        }
        if let Some(id) = id {
            if id > 0x0fff {
                return self.too_large(Field::VlanId, id);
            }
        }
        let outermost =
            self.vlan_stack_depth == 0 && self.var_linkhdr.is_none() && self.off_linkhdr == 0;
        if self.opts.linux_ext && outermost {
            self.vlan_stack_depth += 1;
            return self.vlan_ext(id);
        }
        let mut b = self.vlan_tpid_test()?;
        if let Some(id) = id {
            let b1 = self.mcmp(Rel::LinkPl, 0, H, id, 0x0fff)?;
            b = self.and(b, b1);
        }
        // Everything after this looks past the tag.
        self.off_linkpl += 4;
        self.off_linktype = self.off_linktype.map(|o| o + 4);
        self.vlan_stack_depth += 1;
        Ok(b)
    }

    /// 802.1Q, 802.1ad or the old QinQ type in the type field.
    fn vlan_tpid_test(&mut self) -> R<BlockId> {
        let b0 = self.linktype(ETHERTYPE_8021Q)?;
        let b1 = self.linktype(ETHERTYPE_8021AD)?;
        let b1 = self.or(b0, b1);
        let b0 = self.linktype(ETHERTYPE_8021QINQ)?;
        Ok(self.or(b1, b0))
    }

    /// `gen_vlan_bpf_extensions`: on a live Linux socket the outer tag is
    /// usually in packet metadata (`vlanp`, `vlan_tci`), not in the frame.
    /// Either is accepted; when the tag is in the frame, the payload and
    /// type offsets move by 4 at run time (registers zeroed at the start).
    fn vlan_ext(&mut self, id: Option<u32>) -> R<BlockId> {
        let present = self.new_jump(
            vec![ld(B, skf::AD_OFF + skf::AD_VLAN_TAG_PRESENT)],
            JEQ | K,
            1,
        )?;
        let tpid = self.vlan_tpid_test()?;
        let vid = match id {
            Some(id) => Some(self.mcmp(Rel::LinkPl, 0, H, id, 0x0fff)?),
            None => None,
        };
        // Shift the variable offsets when the tag is in the frame.
        let mut shift = Vec::new();
        for which in [0, 1] {
            let var = if which == 0 {
                self.var_linkpl
            } else {
                self.var_linktype
            };
            let reg = match var {
                Some(r) => r,
                None => self.alloc_reg()?,
            };
            if which == 0 {
                self.var_linkpl = Some(reg);
            } else {
                self.var_linktype = Some(reg);
            }
            shift.extend([
                Insn::stmt(LD | MEM, reg),
                Insn::stmt(ALU | ADD | K, 4),
                Insn::stmt(ST, reg),
            ]);
        }
        let head = self.cfg.get(tpid).head;
        let blk = self.cfg.get_mut(head);
        shift.append(&mut blk.stmts);
        blk.stmts = shift;
        self.vlan_vloffset = true;
        let mut b = self.or(present, tpid);
        if let Some(vid) = vid {
            // Take the TCI from metadata when it is there, else from the frame
            // (skipping only the frame load, not the mask).
            let blk = self.cfg.get_mut(vid);
            let cnt = blk.stmts.len() as u32;
            let mut pre = vec![
                ld(B, skf::AD_OFF + skf::AD_VLAN_TAG_PRESENT),
                Insn::jump(JMP | JEQ | K, 1, 0, 2),
                ld(B, skf::AD_OFF + skf::AD_VLAN_TAG),
                Insn::stmt(JMP | JA, cnt - 1),
            ];
            pre.append(&mut blk.stmts);
            blk.stmts = pre;
            b = self.and(b, vid);
        }
        Ok(b)
    }

    fn mpls(&mut self, label: Option<u32>) -> R<BlockId> {
        let mut b0 = if self.label_stack_depth > 0 {
            // Inner label: the previous one must not have the bottom-of-stack bit.
            self.mcmp(Rel::PrevMplsHdr, 2, B, 0, 0x01)?
        } else {
            match self.link {
                Link::Ether => self.linktype(ETHERTYPE_MPLS)?,
                Link::Ppp => self.linktype(PPP_MPLS_UCAST)?,
                _ => return self.not_on_link(Feature::Mpls),
            }
        };
        if let Some(label) = label {
            if label > 0xfffff {
                return self.too_large(Field::MplsLabel, label);
            }
            let b1 = self.mcmp(Rel::LinkPl, 0, W, label << 12, 0xffff_f000)?;
            b0 = self.and(b0, b1);
        }
        self.off_nl_nosnap = self.off_nl_nosnap.wrapping_add(4);
        self.off_nl = self.off_nl.wrapping_add(4);
        self.label_stack_depth += 1;
        Ok(b0)
    }

    fn pppoes(&mut self, sess: Option<u32>) -> R<BlockId> {
        let mut b0 = self.linktype(ETHERTYPE_PPPOES)?;
        if let Some(sess) = sess {
            if sess > 0xffff {
                return self.too_large(Field::PppoeSession, sess);
            }
            let b1 = self.mcmp(Rel::LinkPl, 0, W, sess, 0x0000_ffff)?;
            b0 = self.and(b0, b1);
        }
        // The PPP header follows the 6-byte PPPoE header.
        self.link = Link::Ppp;
        self.off_linkhdr = self.off_linkpl.wrapping_add(self.off_nl).wrapping_add(6);
        self.var_linkhdr = self.var_linkpl;
        self.off_linktype = Some(self.off_linkhdr);
        self.var_linktype = self.var_linkhdr;
        self.off_linkpl = self.off_linkhdr.wrapping_add(2);
        self.off_nl = 0;
        self.off_nl_nosnap = 0;
        Ok(b0)
    }

    // ---- arithmetic -------------------------------------------------------

    fn alloc_reg(&mut self) -> R<u32> {
        for _ in 0..16 {
            if self.regused[self.curreg] {
                self.curreg = (self.curreg + 1) % 16;
            } else {
                self.regused[self.curreg] = true;
                return Ok(self.curreg as u32);
            }
        }
        self.fail(K::TooManyRegisters)
    }

    fn free_reg(&mut self, r: u32) {
        if let Some(u) = self.regused.get_mut(r as usize) {
            *u = false;
        }
    }

    fn arith(&mut self, a: &Arith) -> R<ArthVal> {
        match a {
            Arith::Num(v, _) => {
                let reg = self.alloc_reg()?;
                Ok(ArthVal {
                    s: vec![Insn::stmt(LD | IMM, *v), Insn::stmt(ST, reg)],
                    regno: reg,
                    b: None,
                })
            }
            Arith::Len => {
                let reg = self.alloc_reg()?;
                Ok(ArthVal {
                    s: vec![Insn::stmt(LD | W | LEN, 0), Insn::stmt(ST, reg)],
                    regno: reg,
                    b: None,
                })
            }
            Arith::Neg(x) => {
                let mut a = self.arith(x)?;
                a.s.push(Insn::stmt(LD | MEM, a.regno));
                a.s.push(Insn::stmt(ALU | NEG, 0));
                a.s.push(Insn::stmt(ST, a.regno));
                Ok(a)
            }
            Arith::Bin(op, x, y, span) => {
                let mut a0 = self.arith(x)?;
                let a1 = self.arith(y)?;
                let code = op.bits();
                // libpcap checks the first statement of the right operand only.
                let first = a1.s.first().copied().unwrap_or_default();
                if first.code == LD | IMM {
                    let refusal = match code {
                        DIV if first.k == 0 => Some(K::DivisionByZero),
                        MOD if first.k == 0 => Some(K::ModulusByZero),
                        LSH | RSH if first.k > 31 => Some(K::ShiftTooFar),
                        _ => None,
                    };
                    if let Some(k) = refusal {
                        return err(*span, k);
                    }
                }
                a0.s.extend(a1.s);
                a0.s.push(Insn::stmt(LDX | MEM, a1.regno));
                a0.s.push(Insn::stmt(LD | MEM, a0.regno));
                a0.s.push(Insn::stmt(ALU | X | code, 0));
                self.free_reg(a0.regno);
                self.free_reg(a1.regno);
                let reg = self.alloc_reg()?;
                a0.s.push(Insn::stmt(ST, reg));
                a0.regno = reg;
                // libpcap's gen_arth keeps only the left operand's protocol
                // checks; the right operand's are dropped (its loads then run
                // unguarded, which only matters for what they return).
                Ok(a0)
            }
            Arith::Load {
                proto,
                index,
                size,
                span,
            } => {
                let inst = self.arith(index)?;
                self.span = *span;
                self.load(*proto, inst, *size)
            }
        }
    }

    /// `gen_load`: `proto[index:size]`.
    fn load(&mut self, proto: Proto, mut inst: ArthVal, size: u32) -> R<ArthVal> {
        use Proto as P;
        let regno = self.alloc_reg()?;
        self.free_reg(inst.regno);
        let size = match size {
            1 => B,
            2 => H,
            4 => W,
            _ => return self.fail(K::DataSize(size)),
        };
        match proto {
            P::Link => {
                inst.s
                    .extend(Self::index_to_x(self.var_linkhdr, inst.regno));
                inst.s.push(Insn::stmt(LD | IND | size, self.off_linkhdr));
            }
            P::Ip
            | P::Arp
            | P::Rarp
            | P::Atalk
            | P::Decnet
            | P::Sca
            | P::Lat
            | P::Moprc
            | P::Mopdl
            | P::Ip6 => {
                inst.s.extend(Self::index_to_x(self.var_linkpl, inst.regno));
                inst.s.push(Insn::stmt(
                    LD | IND | size,
                    self.off_linkpl.wrapping_add(self.off_nl),
                ));
                let b = self.proto_abbrev(proto)?;
                let b = match inst.b {
                    Some(ib) => self.and(ib, b),
                    None => b,
                };
                inst.b = Some(b);
            }
            P::Sctp
            | P::Tcp
            | P::Udp
            | P::Icmp
            | P::Igmp
            | P::Igrp
            | P::Pim
            | P::Vrrp
            | P::Carp => {
                inst.s.extend(self.loadx_iphdrlen());
                inst.s.push(Insn::stmt(LD | MEM, inst.regno));
                inst.s.push(Insn::stmt(ALU | ADD | X, 0));
                inst.s.push(Insn::stmt(MISC | TAX, 0));
                inst.s.push(Insn::stmt(
                    LD | IND | size,
                    self.off_linkpl.wrapping_add(self.off_nl),
                ));
                let t = self.proto_abbrev(proto)?;
                let f = self.ipfrag()?;
                let mut b = self.and(t, f);
                if let Some(ib) = inst.b {
                    b = self.and(ib, b);
                }
                let ip = self.proto_abbrev(P::Ip)?;
                b = self.and(ip, b);
                inst.b = Some(b);
            }
            P::Icmp6 => {
                let mut b = self.proto_abbrev(P::Ip6)?;
                if let Some(ib) = inst.b {
                    b = self.and(ib, b);
                }
                let nh = self.cmp(Rel::LinkPl, 6, B, 58)?;
                b = self.and(b, nh);
                inst.b = Some(b);
                inst.s.extend(Self::index_to_x(self.var_linkpl, inst.regno));
                inst.s.push(Insn::stmt(
                    LD | IND | size,
                    self.off_linkpl.wrapping_add(self.off_nl).wrapping_add(40),
                ));
            }
            _ => return self.fail(K::IndexProto),
        }
        inst.regno = regno;
        inst.s.push(Insn::stmt(ST, regno));
        Ok(inst)
    }

    /// `gen_relation`.
    fn relation(&mut self, op: RelOp, x: &Arith, y: &Arith) -> R<BlockId> {
        let span = self.span;
        let a0 = self.arith(x)?;
        let a1 = self.arith(y)?;
        self.span = span;
        let (jop, reversed) = match op {
            RelOp::Gt => (JGT, false),
            RelOp::Ge => (JGE, false),
            RelOp::Eq => (JEQ, false),
            RelOp::Le => (JGT, true),
            RelOp::Lt => (JGE, true),
            RelOp::Ne => (JEQ, true),
        };
        let mut s = a0.s;
        s.extend(a1.s);
        s.push(Insn::stmt(LDX | MEM, a1.regno));
        s.push(Insn::stmt(LD | MEM, a0.regno));
        let b = if jop == JEQ {
            s.push(Insn::stmt(ALU | SUB | X, 0));
            self.new_jump(s, JEQ | K, 0)?
        } else {
            self.new_jump(s, jop | X, 0)?
        };
        if reversed {
            self.not(b);
        }
        self.free_reg(a0.regno);
        self.free_reg(a1.regno);
        let tmp = match (a0.b, a1.b) {
            (Some(b0), Some(b1)) => Some(self.and(b0, b1)),
            (b0, b1) => b0.or(b1),
        };
        Ok(match tmp {
            Some(t) => self.and(t, b),
            None => b,
        })
    }
}

fn ethertype_to_ppptype(p: u32) -> u32 {
    match p {
        ETHERTYPE_IP => 0x21,
        ETHERTYPE_IPV6 => 0x57,
        ETHERTYPE_DN => 0x27,
        ETHERTYPE_ATALK => 0x29,
        ETHERTYPE_NS => 0x25,
        LLCSAP_ISONS => 0x23,
        LLCSAP_8021D => 0x31,
        LLCSAP_IPX => 0x2b,
        other => other,
    }
}

/// `__pcap_atodn`: `area.node` as a 16-bit DECnet address (`sscanf("%d.%d")`).
fn atodn(s: &str) -> Option<u32> {
    let (area, rest) = scan_int(s)?;
    let (node, _) = scan_int(rest.strip_prefix('.')?)?;
    let (area, node) = (area as u32, node as u32);
    Some(((area << 10) & 0o176000) | (node & 0o1777))
}

/// `pcap_nametoeproto` then `pcap_nametollc`.
fn eproto(name: &str) -> Option<u32> {
    Some(match name {
        "aarp" => ETHERTYPE_AARP,
        "arp" => ETHERTYPE_ARP,
        "atalk" => ETHERTYPE_ATALK,
        "decnet" => ETHERTYPE_DN,
        "ip" => ETHERTYPE_IP,
        "ip6" => ETHERTYPE_IPV6,
        "lat" => ETHERTYPE_LAT,
        "loopback" => ETHERTYPE_LOOPBACK,
        "mopdl" => ETHERTYPE_MOPDL,
        "moprc" => ETHERTYPE_MOPRC,
        "rarp" => ETHERTYPE_REVARP,
        "sca" => ETHERTYPE_SCA,
        "iso" => LLCSAP_ISONS,
        "stp" => LLCSAP_8021D,
        "ipx" => LLCSAP_IPX,
        "netbeui" => LLCSAP_NETBEUI,
        _ => return None,
    })
}

/// `sscanf("%d-%d")`-style leading integer: optional sign, digits; the rest is returned.
fn scan_int(s: &str) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    let neg = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let start = i;
    let mut v: i64 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        v = v.saturating_mul(10).saturating_add(i64::from(b[i] - b'0'));
        i += 1;
    }
    if i == start {
        return None;
    }
    Some((if neg { -v } else { v }, &s[i..]))
}
