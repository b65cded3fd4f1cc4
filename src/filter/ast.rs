//! The syntax tree: what the parser hands the code generator.
//!
//! Qualifiers are already resolved: each primitive carries the full
//! `proto dir addr` triple it inherited (`host a or b` gives `b` the
//! qualifiers of `host a`, as libpcap's grammar does).

use super::span::Span;
use alloc::boxed::Box;
use alloc::string::String;

/// Protocol qualifier (libpcap's `Q_*` protocol values).
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    /// No protocol given.
    Default,
    /// `ether`, `link`, ...
    Link,
    Ip,
    Arp,
    Rarp,
    Sctp,
    Tcp,
    Udp,
    Icmp,
    Igmp,
    Igrp,
    Atalk,
    Decnet,
    Lat,
    Sca,
    Moprc,
    Mopdl,
    Ip6,
    Icmp6,
    Ah,
    Esp,
    Pim,
    Vrrp,
    Aarp,
    Iso,
    Esis,
    Isis,
    Clnp,
    Stp,
    Ipx,
    Netbeui,
    Radio,
    Carp,
    /// `l1`: IS-IS level 1 PDUs.
    IsisL1,
    /// `l2`: IS-IS level 2 PDUs.
    IsisL2,
    /// `iih`: IS-IS hellos.
    IsisIih,
    /// `lsp`: IS-IS link state PDUs.
    IsisLsp,
    /// `snp`: IS-IS sequence number PDUs.
    IsisSnp,
    /// `csnp`: complete SNPs.
    IsisCsnp,
    /// `psnp`: partial SNPs.
    IsisPsnp,
}

impl Proto {
    /// The keyword as the user wrote it (for messages).
    pub fn name(self) -> &'static str {
        use Proto::*;
        match self {
            Default => "",
            Link => "link",
            Ip => "ip",
            Arp => "arp",
            Rarp => "rarp",
            Sctp => "sctp",
            Tcp => "tcp",
            Udp => "udp",
            Icmp => "icmp",
            Igmp => "igmp",
            Igrp => "igrp",
            Atalk => "atalk",
            Decnet => "decnet",
            Lat => "lat",
            Sca => "sca",
            Moprc => "moprc",
            Mopdl => "mopdl",
            Ip6 => "ip6",
            Icmp6 => "icmp6",
            Ah => "ah",
            Esp => "esp",
            Pim => "pim",
            Vrrp => "vrrp",
            Aarp => "aarp",
            Iso => "iso",
            Esis => "esis",
            Isis => "isis",
            Clnp => "clnp",
            Stp => "stp",
            Ipx => "ipx",
            Netbeui => "netbeui",
            Radio => "radio",
            Carp => "carp",
            IsisL1 => "l1",
            IsisL2 => "l2",
            IsisIih => "iih",
            IsisLsp => "lsp",
            IsisSnp => "snp",
            IsisCsnp => "csnp",
            IsisPsnp => "psnp",
        }
    }
}

/// Direction qualifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// None given (means `src or dst`).
    Default,
    /// `src`
    Src,
    /// `dst`
    Dst,
    /// `src or dst`
    Or,
    /// `src and dst`
    And,
}

/// Address-type qualifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddrQ {
    /// None given.
    Default,
    /// `host`
    Host,
    /// `net`
    Net,
    /// `port`
    Port,
    /// `portrange`
    Portrange,
    /// `proto`
    Proto,
    /// `protochain`
    Protochain,
    /// `gateway`
    Gateway,
}

/// The full qualifier triple; `None` is libpcap's `qerr` (no qualifiers to inherit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Qual {
    /// Protocol.
    pub proto: Proto,
    /// Direction.
    pub dir: Dir,
    /// Address type.
    pub addr: AddrQ,
}

/// The value of an `id` (the thing a qualifier applies to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A number.
    Num(u32),
    /// A name (host, port, port range, protocol).
    Name(String),
    /// A dotted IPv4 address, possibly short (`10.1`).
    Ipv4(String),
    /// `A.B.C.D/len`
    Ipv4Len(String, u32),
    /// `A.B.C.D mask M.M.M.M`
    Ipv4Mask(String, String),
    /// An IPv6 address with prefix length (128 when none written).
    Ipv6(String, u32),
    /// A MAC address.
    Mac([u8; 6]),
}

/// Arithmetic operators: the BPF machine's own ALU operations (unary minus
/// is [`Arith::Neg`]).
pub use crate::bpf::AluOp as ArithOp;

/// Relations; `<`, `<=`, `!=` are the negations of `>=`, `>`, `==` as in libpcap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelOp {
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=`
    Eq,
    /// `<=`
    Le,
    /// `<`
    Lt,
    /// `!=`
    Ne,
}

/// An arithmetic expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arith {
    /// A constant.
    Num(u32, Span),
    /// `len`
    Len,
    /// `proto[index:size]`
    Load {
        /// Which header the index is relative to.
        proto: Proto,
        /// The index expression.
        index: Box<Arith>,
        /// 1, 2 or 4 bytes (anything else is refused at code generation).
        size: u32,
        /// Span of the whole load, for errors.
        span: Span,
    },
    /// A binary operation.
    Bin(ArithOp, Box<Arith>, Box<Arith>, Span),
    /// Unary minus.
    Neg(Box<Arith>),
}

/// `and` or `or` (libpcap gives them equal precedence, left-associative).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conj {
    /// `and`, `&&`
    And,
    /// `or`, `||`
    Or,
}

/// A filter expression.
///
/// Chains of `and`/`or` are flat (`first`, then each `(conj, next)` folded
/// from the left), so long expressions do not make deep trees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// `first conj1 e1 conj2 e2 ...`, evaluated as `((first conj1 e1) conj2 e2) ...`.
    Chain(Box<Expr>, alloc::vec::Vec<(Conj, Expr)>),
    /// Negation.
    Not(Box<Expr>),
    /// A primitive and where it was written.
    Prim(Prim, Span),
}

/// A primitive test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prim {
    /// A qualified value: `src host 1.2.3.4`, `port 80`, `net 10/8`, ...
    Id(Qual, Value),
    /// A bare protocol name: `tcp`, `ip6`, `arp`, ...
    Proto(Proto),
    /// `arth relop arth`
    Rel(RelOp, Arith, Arith),
    /// `[proto] broadcast`
    Broadcast(Proto),
    /// `[proto] multicast`
    Multicast(Proto),
    /// `less N`
    Less(u32),
    /// `greater N`
    Greater(u32),
    /// `inbound`
    Inbound,
    /// `outbound`
    Outbound,
    /// `ifindex N`
    Ifindex(u32),
    /// `vlan [id]`
    Vlan(Option<u32>),
    /// `mpls [label]`
    Mpls(Option<u32>),
    /// `pppoed`
    Pppoed,
    /// `pppoes [session]`
    Pppoes(Option<u32>),
    /// `geneve [vni]`
    Geneve(Option<u32>),
    /// `llc [TYPE]`: 802.2 LLC frames, optionally of one frame type.
    Llc(Option<LlcType>),
    /// `byte N op V`: the link-layer header's byte N against V.
    Byte(u32, ByteOp, u32),
}

/// The frame types `llc TYPE` names (pcap-filter(7); llc.h's values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LlcType {
    /// `i`: information frames (control bit 0 clear).
    I,
    /// `s`: supervisory frames (low bits `01`).
    S,
    /// `u`: unnumbered frames (low bits `11`).
    U,
    /// `rr`, `rnr`, `rej`: a supervisory frame of this control value (mask 0x0f).
    Supervisory(u32),
    /// `ui`, `ua`, `disc`, `dm`, `sabme`, `test`, `xid`, `frmr`: an
    /// unnumbered frame of this control value (mask 0xef).
    Unnumbered(u32),
}

impl LlcType {
    /// The frame type for a name, case-insensitively as libpcap's grammar takes it.
    pub fn from_name(name: &str) -> Option<Self> {
        let n = name.to_ascii_lowercase();
        Some(match n.as_str() {
            "i" => LlcType::I,
            "s" => LlcType::S,
            "u" => LlcType::U,
            "rr" => LlcType::Supervisory(0x01),
            "rnr" => LlcType::Supervisory(0x05),
            "rej" => LlcType::Supervisory(0x09),
            "ui" => LlcType::Unnumbered(0x03),
            "ua" => LlcType::Unnumbered(0x63),
            "disc" => LlcType::Unnumbered(0x43),
            "dm" => LlcType::Unnumbered(0x0f),
            "sabme" => LlcType::Unnumbered(0x6f),
            "test" => LlcType::Unnumbered(0xe3),
            "xid" => LlcType::Unnumbered(0xaf),
            "frmr" => LlcType::Unnumbered(0x87),
            _ => return None,
        })
    }
}

/// The operators `byte N op V` takes (libpcap's `byteop`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteOp {
    /// `=`, `==`
    Eq,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `&`: libpcap ANDs V into the accumulator without loading the byte.
    And,
    /// `|`: libpcap ORs V into the accumulator without loading the byte.
    Or,
}
