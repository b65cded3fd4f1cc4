//! Code generation: [`Expr`] to a [`Cfg`], following libpcap 1.10's gencode.c.
//!
//! In: the parsed expression and the [`Options`]. Out: the unoptimized
//! graph, every exit a `ret`. Each primitive becomes a small sub-graph
//! (loads, a comparison, true and false exits) built with the same calls,
//! in the same order, as gencode.c, so the unoptimized graph is libpcap's
//! unoptimized graph and the program returns the same value on every
//! packet. State that libpcap keeps across primitives is kept in [`Gen`]
//! under libpcap's names: `vlan`, `mpls`, `pppoes` and `geneve` move the
//! link offsets for everything generated after them, in left-to-right order.
//!
//! | file | gencode.c |
//! |---|---|
//! | `mod.rs` | `init_linktype`, blocks and edges, `gen_load_a` and the comparisons, the dispatch over primitives |
//! | `link.rs` | `gen_linktype` per link type, LLC/SNAP, `llc`, `broadcast`, `multicast`, `inbound`, `ifindex` |
//! | `proto.rs` | `gen_proto_abbrev`, `gen_proto` |
//! | `values.rs` | `gen_ncode`, `gen_mcode`, `gen_mcode6`, `gen_ecode`, `gen_scode` and name lookups |
//! | `hosts.rs` | `gen_host`, `gen_host6`, `gen_dnhostop`, `gen_ehostop` |
//! | `ports.rs` | `gen_port`, `gen_portrange` (and IPv6) |
//! | `protochain.rs` | `gen_protochain` |
//! | `tunnels.rs` | `gen_geneve` |
//! | `vlan.rs` | `gen_vlan`, `gen_mpls`, `gen_pppoes` |
//! | `arith.rs` | `gen_load`, `gen_arth`, `gen_relation`, `gen_byteop`, registers |
//! | `consts.rs` | ethertype.h, llc.h, nlpid.h, sll.h, ppp.h |
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

use super::ast::{AddrQ, Arith, ByteOp, Conj, Dir, Expr, LlcType, Prim, Proto, Qual, RelOp, Value};
use super::cfg::{BlockId, Cfg, Exit};
use super::error::{
    AddressKind, CompileError, CompileErrorKind as K, Feature, Field, NameKind, Unsupported,
};
use super::names;
use super::resolve::{Resolve, Transport};
use super::span::Span;
use super::{ByteOrder, Options, Target};
use crate::bpf::{code::*, skf, Insn};
use crate::linktype::{sll, sll2};
use crate::LinkType;
use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use core::net::IpAddr;

mod arith;
mod consts;
mod hosts;
mod link;
mod ports;
mod proto;
mod protochain;
mod tunnels;
mod values;
mod vlan;

use consts::*;
use ports::Ports;
pub use protochain::PROTOCHAIN_MAX_HEADERS;

/// Most blocks one expression may generate (a bound on memory, not on semantics).
pub const MAX_BLOCKS: usize = 200_000;

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

/// The link layer as the generator sees it (gencode.c's `cstate->linktype`,
/// which `pppoes` turns into PPP for what follows).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    /// `DLT_EN10MB`.
    Ether,
    /// `DLT_LINUX_SLL`.
    Sll,
    /// `DLT_LINUX_SLL2`.
    Sll2,
    /// `DLT_NULL`: the address family in the capturing host's byte order.
    Null,
    /// `DLT_LOOP`: the address family in network byte order.
    Loop,
    /// `DLT_RAW`: IPv4 or IPv6, told apart by the version nibble.
    Raw,
    /// `DLT_IPV4`.
    Ipv4,
    /// `DLT_IPV6`.
    Ipv6,
    /// PPP inside a PPPoE session.
    Ppp,
}

/// gencode.c's `bpf_abs_offset`: where a header starts, as a constant part
/// plus, when the offset is only known at run time (inside a Geneve tunnel,
/// after a live-capture `vlan`), the scratch register holding the rest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct AbsOffset {
    /// Bytes from the start of the packet (plus the register, if any).
    constant_part: u32,
    /// The register with the variable part (libpcap's `is_variable` and `reg`).
    reg: Option<u32>,
}

impl AbsOffset {
    const fn at(constant_part: u32) -> Self {
        AbsOffset {
            constant_part,
            reg: None,
        }
    }
}

/// libpcap's `OFFSET_NOT_SET`: a link layer without a type field (raw IP).
const OFFSET_NOT_SET: u32 = u32::MAX;

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

/// The generator's state: the graph so far and what libpcap's
/// `compiler_state_t` keeps across primitives (field names are libpcap's).
struct Gen<'a> {
    /// The graph under construction.
    cfg: Cfg,
    /// What to compile for.
    opts: &'a Options,
    /// The link layer later primitives see.
    link: Link,
    /// `off_linkhdr`: where the link-layer header starts (moves inside a
    /// Geneve tunnel and after `pppoes`).
    off_linkhdr: AbsOffset,
    /// `off_linktype`: where the link layer's type field is
    /// ([`OFFSET_NOT_SET`] without one); moves past VLAN tags.
    off_linktype: AbsOffset,
    /// `off_linkpl`: where the link-layer payload starts; moves past VLAN tags.
    off_linkpl: AbsOffset,
    /// `off_nl`: from the payload to the network header (0, or past MPLS labels).
    off_nl: u32,
    /// `off_nl_nosnap`: the same for 802.2 LLC without SNAP (3 on Ethernet).
    off_nl_nosnap: u32,
    /// `is_geneve`: later primitives look inside a Geneve tunnel.
    is_geneve: bool,
    /// A live-capture `vlan` made the offsets variable: their registers are
    /// zeroed before anything else runs (`insert_compute_vloffsets`).
    vlan_vloffset: bool,
    /// `label_stack_depth`: MPLS labels matched so far.
    label_stack_depth: u32,
    /// `vlan_stack_depth`: VLAN tags matched so far.
    vlan_stack_depth: u32,
    /// `regused`: the scratch registers in use.
    regused: [bool; 16],
    /// `curreg`: where the register allocator looks first.
    curreg: usize,
    /// The primitive being generated, for errors.
    span: Span,
}

fn err<T>(span: Span, kind: K) -> R<T> {
    Err(CompileError::new(span, kind))
}

fn ld(size: u16, k: u32) -> Insn {
    Insn::stmt(LD | size | ABS, k)
}

impl<'a> Gen<'a> {
    /// gencode.c's `init_linktype`: the offsets of each link type.
    fn new(opts: &'a Options) -> R<Self> {
        let (link, linktype, linkpl, nl_nosnap) = match opts.linktype {
            LinkType::Ethernet => (Link::Ether, 12, 14, 3),
            LinkType::LinuxSll => (Link::Sll, sll::PROTOCOL as u32, sll::HDR_LEN as u32, 0),
            LinkType::LinuxSll2 => (Link::Sll2, sll2::PROTOCOL as u32, sll2::HDR_LEN as u32, 0),
            LinkType::Null => (Link::Null, 0, 4, 0),
            LinkType::Loop => (Link::Loop, 0, 4, 0),
            LinkType::Raw => (Link::Raw, OFFSET_NOT_SET, 0, 0),
            LinkType::Ipv4 => (Link::Ipv4, OFFSET_NOT_SET, 0, 0),
            LinkType::Ipv6 => (Link::Ipv6, OFFSET_NOT_SET, 0, 0),
        };
        Ok(Gen {
            cfg: Cfg {
                target: opts.target,
                ..Cfg::default()
            },
            opts,
            link,
            off_linkhdr: AbsOffset::at(0),
            off_linktype: AbsOffset::at(linktype),
            off_linkpl: AbsOffset::at(linkpl),
            off_nl: 0,
            off_nl_nosnap: nl_nosnap,
            is_geneve: false,
            vlan_vloffset: false,
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

    /// `gen_load_absoffsetrel`: a load `off` bytes past `at`, through X when
    /// the offset has a variable part.
    fn abs_rel(at: AbsOffset, off: u32, size: u16) -> Vec<Insn> {
        let k = at.constant_part.wrapping_add(off);
        match at.reg {
            Some(reg) => vec![Insn::stmt(LDX | MEM, reg), Insn::stmt(LD | size | IND, k)],
            None => vec![ld(size, k)],
        }
    }

    /// `gen_load_a`: a load `off` bytes into the header `rel` names.
    fn load_a(&self, rel: Rel, off: u32, size: u16) -> Vec<Insn> {
        let pl = self.off_linkpl.constant_part;
        let nl = self.off_nl;
        let linkpl = |at: u32| AbsOffset {
            constant_part: at,
            reg: self.off_linkpl.reg,
        };
        match rel {
            Rel::LinkHdr => Self::abs_rel(self.off_linkhdr, off, size),
            Rel::LinkPl => Self::abs_rel(linkpl(pl.wrapping_add(nl)), off, size),
            Rel::LinkPlNoSnap => {
                Self::abs_rel(linkpl(pl.wrapping_add(self.off_nl_nosnap)), off, size)
            }
            Rel::LinkType => Self::abs_rel(self.off_linktype, off, size),
            Rel::Llc => Self::abs_rel(self.off_linkpl, off, size),
            Rel::PrevMplsHdr => {
                Self::abs_rel(linkpl(pl.wrapping_add(nl).wrapping_sub(4)), off, size)
            }
            Rel::TranIpv4 => {
                let mut s = self.loadx_iphdrlen();
                s.push(Insn::stmt(
                    LD | size | IND,
                    pl.wrapping_add(nl).wrapping_add(off),
                ));
                s
            }
            Rel::TranIpv6 => Self::abs_rel(linkpl(pl.wrapping_add(nl).wrapping_add(40)), off, size),
        }
    }

    /// X = the IPv4 header length (plus the variable part of the payload offset).
    fn loadx_iphdrlen(&self) -> Vec<Insn> {
        let at = self.off_linkpl.constant_part.wrapping_add(self.off_nl);
        match self.off_linkpl.reg {
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

    fn cmp_lt(&mut self, rel: Rel, off: u32, size: u16, v: u32) -> R<BlockId> {
        self.ncmp(rel, off, size, 0xffff_ffff, JGE, true, v)
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
            Prim::Llc(kind) => self.llc(*kind),
            Prim::Byte(idx, op, v) => self.byteop(*idx, *op, *v),
        }
    }
}
