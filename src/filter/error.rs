//! [`CompileError`]: why an expression was refused, and where.
//!
//! The error keeps the expression and the [`Span`] of the offending text and
//! draws it in its `Display`, the way regex-syntax's errors do, so every
//! embedder prints the same message:
//!
//! ```text
//! illegal port number 70000 > 65535
//!   tcp port 70000
//!            ^^^^^
//! ```
//!
//! The first line alone is the [`CompileErrorKind`]'s `Display`. What is
//! echoed from the user's input is bounded ([`MAX_ECHO`] characters around
//! the span) and has its control characters escaped (`\t`, `\x1b`), so a
//! hostile or binary expression cannot flood or drive a terminal.

use super::resolve::Transport;
use super::span::Span;
use crate::LinkType;
use alloc::string::String;
use core::fmt::{self, Write};

/// The most characters of the expression (or of a name inside a message)
/// an error echoes; longer input is shown as a window with `...` ends.
pub const MAX_ECHO: usize = 100;

/// A refused filter expression: the expression, the span of the offending
/// text and the kind of problem.
///
/// `Display` prints three lines (no trailing newline): the message, the
/// expression indented by two spaces, and carets under the span. Match on
/// [`CompileError::kind`] in code; show `Display` to people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    expr: String,
    span: Span,
    kind: CompileErrorKind,
}

impl CompileError {
    /// An error of `kind` at `span`, before the expression is attached
    /// (the stages work on spans; [`super::compile`] attaches the text).
    pub(crate) fn new(span: Span, kind: CompileErrorKind) -> Self {
        CompileError {
            expr: String::new(),
            span,
            kind,
        }
    }

    /// The same error, about `expr`.
    pub(crate) fn in_expr(mut self, expr: &str) -> Self {
        self.expr = expr.into();
        self
    }

    /// What is wrong.
    pub fn kind(&self) -> &CompileErrorKind {
        &self.kind
    }

    /// The bytes of the expression the problem is about (empty at the end of input).
    pub fn span(&self) -> Span {
        self.span
    }

    /// The expression that was refused, as given.
    pub fn expr(&self) -> &str {
        &self.expr
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if self.expr.is_empty() {
            return Ok(());
        }
        let (line, col, width) = window(&self.expr, self.span);
        write!(f, "\n  {line}\n  ")?;
        for _ in 0..col {
            f.write_char(' ')?;
        }
        for _ in 0..width {
            f.write_char('^')?;
        }
        Ok(())
    }
}

impl std::error::Error for CompileError {}

/// How one character of the user's input is shown.
fn push_escaped(out: &mut String, c: char) {
    let invisible = c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}');
    if !invisible {
        out.push(c);
        return;
    }
    // Writing to a String cannot fail.
    let _ = match c {
        '\t' => write!(out, "\\t"),
        '\n' => write!(out, "\\n"),
        '\r' => write!(out, "\\r"),
        c if (c as u32) < 0x100 => write!(out, "\\x{:02x}", c as u32),
        c => write!(out, "\\u{{{:x}}}", c as u32),
    };
}

/// The expression as shown (escaped, at most about [`MAX_ECHO`] characters
/// around the span), the caret column and the caret count.
fn window(expr: &str, span: Span) -> (String, usize, usize) {
    let start = (span.start as usize).min(expr.len());
    let end = (span.end as usize).clamp(start, expr.len());
    // Each character's escaped form, its width and its byte offset.
    let mut shown: alloc::vec::Vec<(String, usize)> = alloc::vec::Vec::new();
    for (i, c) in expr.char_indices() {
        let mut s = String::new();
        push_escaped(&mut s, c);
        shown.push((s, i));
    }
    let width = |p: &[(String, usize)]| p.iter().map(|(s, _)| s.chars().count()).sum::<usize>();
    let first = shown.partition_point(|(_, i)| *i < start);
    let last = shown.partition_point(|(_, i)| *i < end);
    let carets = width(&shown[first..last]).max(1);
    if width(&shown) <= MAX_ECHO {
        let line: String = shown.iter().map(|(s, _)| s.as_str()).collect();
        return (line, width(&shown[..first]), carets);
    }
    // A window: a third of the room before the span, the rest after it.
    let mut lo = first;
    while lo > 0 && width(&shown[lo - 1..first]) <= MAX_ECHO / 3 {
        lo -= 1;
    }
    let mut hi = lo;
    while hi < shown.len() && width(&shown[lo..=hi]) <= MAX_ECHO {
        hi += 1;
    }
    let mut line = String::new();
    if lo > 0 {
        line.push_str("...");
    }
    for (s, _) in &shown[lo..hi] {
        line.push_str(s);
    }
    let col = line.chars().count() - width(&shown[first.max(lo).min(hi)..hi]);
    if hi < shown.len() {
        line.push_str("...");
    }
    let room = width(&shown[first.min(hi)..hi]).max(1);
    (line, col, carets.min(room))
}

/// A name or token from the user's input inside a message: escaped and
/// bounded like the echoed expression.
pub(crate) struct Echo<'a>(pub &'a str);

impl fmt::Display for Echo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        for (n, c) in self.0.chars().enumerate() {
            if n == MAX_ECHO / 2 {
                out.push_str("...");
                break;
            }
            push_escaped(&mut out, c);
        }
        f.write_str(&out)
    }
}

/// What a number literal got wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NumberProblem {
    /// An `8` or `9` in a number starting with `0` (octal).
    NonOctalDigit,
    /// A character that is not a digit of the number's base.
    BadDigit,
    /// More than 32 bits.
    Overflow,
}

impl fmt::Display for NumberProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumberProblem::NonOctalDigit => "contains a non-octal digit",
            NumberProblem::BadDigit => "has a bad digit",
            NumberProblem::Overflow => "does not fit in 32 bits",
        })
    }
}

/// Which kind of address a malformed literal was meant to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddressKind {
    /// Dotted IPv4 (`198.18.0.1`, `10.1`).
    Ipv4,
    /// IPv6.
    Ipv6,
    /// DECnet `area.node` (area 0-63, node 0-1023).
    Decnet,
    /// 48-bit MAC.
    Mac,
}

impl fmt::Display for AddressKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AddressKind::Ipv4 => "IPv4",
            AddressKind::Ipv6 => "IPv6",
            AddressKind::Decnet => "DECnet",
            AddressKind::Mac => "MAC",
        })
    }
}

/// A value with a maximum ([`CompileErrorKind::TooLarge`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Field {
    /// `vlan N`: a 12-bit VLAN ID.
    VlanId,
    /// `mpls N`: a 20-bit label.
    MplsLabel,
    /// `geneve N`: a 24-bit VNI.
    GeneveVni,
    /// `pppoes N`: a 16-bit session ID.
    PppoeSession,
    /// `iso proto N`: an 8-bit NLPID.
    IsoProto,
    /// `isis proto N`: a 5-bit IS-IS PDU type.
    IsisPduType,
    /// `link proto N`, `ether proto N`: a 16-bit EtherType.
    LinkProto,
}

impl Field {
    /// The largest value the field holds.
    pub const fn max(self) -> u64 {
        match self {
            Field::VlanId => 4095,
            Field::MplsLabel => 1_048_575,
            Field::GeneveVni => 16_777_215,
            Field::PppoeSession | Field::LinkProto => 65535,
            Field::IsoProto => 255,
            Field::IsisPduType => 31,
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::VlanId => "VLAN ID",
            Field::MplsLabel => "MPLS label",
            Field::GeneveVni => "Geneve VNI",
            Field::PppoeSession => "PPPoE session number",
            Field::IsoProto => "ISO protocol",
            Field::IsisPduType => "IS-IS PDU type",
            Field::LinkProto => "link-layer protocol",
        })
    }
}

/// What kind of name was not found ([`CompileErrorKind::Unknown`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameKind {
    /// A host name (`host NAME`).
    Host,
    /// A network name (`net NAME`, /etc/networks).
    Network,
    /// An Ethernet host name (`ether host NAME`, /etc/ethers).
    EtherHost,
    /// A service name (`port NAME`, /etc/services).
    Port,
    /// A `portrange NAME-NAME` with an unknown end.
    PortRange,
    /// An IP protocol name (`proto NAME`, /etc/protocols).
    IpProto,
    /// An Ethernet protocol name (`ether proto NAME`).
    EtherProto,
    /// An OSI protocol name (`iso proto NAME`).
    OsiProto,
    /// An LLC frame type (`llc NAME`).
    LlcType,
}

impl fmt::Display for NameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NameKind::Host => "host",
            NameKind::Network => "network",
            NameKind::EtherHost => "ether host",
            NameKind::Port => "port",
            NameKind::PortRange => "port in range",
            NameKind::IpProto => "ip proto",
            NameKind::EtherProto => "ether proto",
            NameKind::OsiProto => "osi proto",
            NameKind::LlcType => "LLC type name",
        })
    }
}

/// A primitive that needs a particular link layer or packet metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Feature {
    /// Ethernet addresses (`ether host`, `ether src`, ...).
    EtherAddress,
    /// `broadcast`, `ether broadcast`.
    Broadcast,
    /// `multicast`, `ether multicast`.
    Multicast,
    /// `llc` and its frame types.
    Llc,
    /// `vlan`.
    Vlan,
    /// `mpls`.
    Mpls,
    /// `pppoed`, `pppoes`.
    Pppoe,
    /// `inbound`, `outbound`.
    Direction,
    /// `ifindex`.
    Ifindex,
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Feature::EtherAddress => "ethernet addresses",
            Feature::Broadcast => "link-layer broadcast",
            Feature::Multicast => "link-layer multicast",
            Feature::Llc => "'llc'",
            Feature::Vlan => "'vlan'",
            Feature::Mpls => "'mpls'",
            Feature::Pppoe => "PPPoE",
            Feature::Direction => "inbound/outbound",
            Feature::Ifindex => "'ifindex'",
        })
    }
}

/// A part of libpcap's language rawcap's compiler does not implement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unsupported {
    /// A keyword for link types rawcap does not compile for (802.11, ATM, pflog, SS7, ...).
    Keyword(&'static str),
    /// `gateway` (needs both /etc/ethers and host names; libpcap only compiles it on some links).
    Gateway,
    /// DECnet host names.
    DecnetHostName,
    /// Compiling for this link type.
    LinkType(LinkType),
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsupported::Keyword(k) => write!(f, "'{k}' is not supported by rawcap"),
            Unsupported::Gateway => f.write_str("'gateway' is not supported by rawcap"),
            Unsupported::DecnetHostName => f.write_str("DECnet host names are not supported"),
            Unsupported::LinkType(l) => {
                write!(f, "rawcap does not compile filters for link type {l}")
            }
        }
    }
}

/// The kinds of compile errors: tests and embedders match on these, people
/// read the `Display` text (libpcap's wording where it has one).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompileErrorKind {
    // ---- lexical -------------------------------------------------------
    /// A character that cannot start any token.
    #[error("illegal character '{}'", Echo(.0.encode_utf8(&mut [0; 4])))]
    IllegalChar(char),
    /// A number with a bad digit, or one that does not fit in 32 bits.
    #[error("number '{}' {problem}", Echo(.text))]
    BadNumber {
        /// The number as written.
        text: String,
        /// What is wrong with it.
        problem: NumberProblem,
    },

    // ---- syntax --------------------------------------------------------
    /// The grammar does not allow this token here.
    #[error("syntax error: unexpected '{}'", Echo(.0))]
    Unexpected(String),
    /// The expression ends where more was expected.
    #[error("syntax error: the expression ends too early")]
    UnexpectedEnd,
    /// A bare value where libpcap needs a qualifier (`198.18.0.1` alone).
    #[error("syntax error: '{}' needs a qualifier such as host or port", Echo(.0))]
    NeedsQualifier(String),
    /// Parentheses or operators nested deeper than the compiler allows.
    #[error("expression nested too deeply")]
    TooDeep,
    /// A construct libpcap supports that rawcap's compiler does not implement.
    #[error("{0}")]
    Unsupported(Unsupported),

    // ---- values --------------------------------------------------------
    /// A port number above 65535.
    #[error("illegal port number {0} > 65535")]
    PortRange(u64),
    /// A malformed (or, for DECnet, out-of-range) address.
    #[error("invalid {kind} address '{}'", Echo(.text))]
    BadAddress {
        /// What the address was meant to be.
        kind: AddressKind,
        /// The address as written.
        text: String,
    },
    /// A number where a link-layer address is needed (`ether host 5`).
    #[error("illegal link layer address")]
    NotALinkAddress,
    /// A prefix length longer than the address.
    #[error("mask length must be <= {max}")]
    MaskTooLong {
        /// The longest prefix the address takes (32 or 128).
        max: u32,
    },
    /// An address with bits set outside its network mask (`198.18.0.1/16`).
    #[error("non-network bits set in \"{}\"", Echo(.0))]
    NonNetworkBits(String),
    /// A value above what its header field holds.
    #[error("{field} {value} greater than maximum {}", .field.max())]
    TooLarge {
        /// The field.
        field: Field,
        /// The value given.
        value: u64,
    },
    /// `proto[i:size]` with a size other than 1, 2 or 4.
    #[error("data size must be 1, 2, or 4")]
    DataSize(u32),
    /// Division by the constant 0.
    #[error("division by zero")]
    DivisionByZero,
    /// Modulo by the constant 0.
    #[error("modulus by zero")]
    ModulusByZero,
    /// A shift by a constant above 31.
    #[error("shift by more than 31 bits")]
    ShiftTooFar,

    // ---- names ---------------------------------------------------------
    /// A name the resolver and the built-in tables do not know.
    #[error("unknown {what} '{}'", Echo(.name))]
    Unknown {
        /// What kind of name.
        what: NameKind,
        /// The name as written.
        name: String,
    },
    /// A name that needs the host system's tables, with no [`super::Resolver`] configured.
    #[error("cannot resolve {what} '{}': no resolver configured", Echo(.name))]
    NoResolver {
        /// What kind of name.
        what: NameKind,
        /// The name as written.
        name: String,
    },
    /// A named port used with the other transport (`udp port ssh` where ssh is TCP only).
    #[error("port '{}' is {proto}", Echo(.name))]
    PortProtocol {
        /// The service name.
        name: String,
        /// The only transport it is defined for.
        proto: Transport,
    },
    /// `gateway` with an address instead of a name.
    #[error("'gateway' requires a name")]
    GatewayNeedsName,

    // ---- qualifiers ----------------------------------------------------
    /// `src`/`dst` before `proto`.
    #[error("direction applied to 'proto'")]
    ProtoWithDirection,
    /// `arp proto N` and the like: the protocol carries no other.
    #[error("{0} does not encapsulate another protocol")]
    NoEncapsulation(&'static str),
    /// `tcp proto N` and the like.
    #[error("'{0} proto' is bogus")]
    BogusProto(&'static str),
    /// `ip port 80` and the like: `port`/`portrange` take tcp, udp or sctp.
    #[error("illegal qualifier of '{0}'")]
    PortQualifier(&'static str),
    /// `host 198.18.0.0/16`: masks are for `net`.
    #[error("mask syntax for networks only")]
    MaskOnHost,
    /// `port 2001:db8::1` and the like.
    #[error("invalid qualifier against IPv6 address")]
    Ipv6Qualifier,
    /// `ip 02:00:00:00:00:01` and the like.
    #[error("ethernet address used in non-ether expression")]
    MacNotEther,
    /// `tcp host X`, `ether host 198.18.0.1` and the like.
    #[error("'{modifier}' modifier applied to {target}")]
    Modifier {
        /// The protocol qualifier.
        modifier: &'static str,
        /// `host`, `net`, `ip6 host`, ...
        target: &'static str,
    },
    /// `protochain` with a protocol other than ip or ip6.
    #[error("bad protocol applied for 'protochain'")]
    ProtochainProto,
    /// `tcp broadcast` and the like.
    #[error("only link-layer/IP broadcast filters supported")]
    BroadcastProto,
    /// `tcp multicast` and the like.
    #[error("only link-layer/IP/IPv6 multicast filters supported")]
    MulticastProto,
    /// `esp[0]` and the like: no header to index.
    #[error("unsupported index operation")]
    IndexProto,
    /// `link` alone.
    #[error("link layer applied in wrong context")]
    LinkAlone,
    /// `radio` as a protocol.
    #[error("'{0}' is not a valid protocol type")]
    NotAProtocol(&'static str),

    // ---- where it applies ----------------------------------------------
    /// A primitive the link type cannot carry.
    #[error("{feature} not supported on link type {link} ({})", .link.description())]
    NotOnLinkType {
        /// The primitive.
        feature: Feature,
        /// The link type compiled for.
        link: LinkType,
    },
    /// A primitive that reads packet metadata, compiled without Linux extensions.
    #[error("{0} needs packet metadata: live capture only (Linux extensions)")]
    NeedsMetadata(Feature),
    /// `ip broadcast` with no network mask known.
    #[error("netmask not known, so 'ip broadcast' not supported")]
    NoNetmask,
    /// `vlan` after `mpls`.
    #[error("no VLAN match after MPLS")]
    VlanAfterMpls,
    /// A protocol other than IPv4/IPv6 inside MPLS.
    #[error("unsupported protocol over mpls")]
    ProtoOverMpls,
    /// `protochain` inside a tunnel or after `vlan` (offsets known only at run time).
    #[error("'protochain' not supported with variable length headers")]
    ProtochainVariable,

    // ---- limits --------------------------------------------------------
    /// The optimized program can only return 0 (libpcap refuses it the same way).
    #[error("expression rejects all packets")]
    RejectsAll,
    /// More than [`super::MAX_BLOCKS`] blocks.
    #[error("expression too complex: more than {} blocks", super::MAX_BLOCKS)]
    TooManyBlocks,
    /// More than 16 scratch registers live at once.
    #[error("expression too complex: too many registers needed to evaluate expression")]
    TooManyRegisters,
    /// A compiler bug caught before it produced a wrong program.
    #[error("internal compiler error: {0}")]
    Internal(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn drawn(expr: &str, start: usize, end: usize) -> String {
        CompileError::new(Span::new(start, end), CompileErrorKind::TooDeep)
            .in_expr(expr)
            .to_string()
    }

    #[test]
    fn carets_go_under_the_span() {
        let e = CompileError::new(Span::new(9, 14), CompileErrorKind::PortRange(70000))
            .in_expr("tcp port 70000");
        assert_eq!(
            e.to_string(),
            "illegal port number 70000 > 65535\n  tcp port 70000\n           ^^^^^"
        );
        // At the end of input: one caret past the last character.
        assert!(drawn("tcp and", 7, 7).ends_with("\n         ^"));
        // Without an expression: the message alone.
        assert_eq!(
            CompileError::new(Span::default(), CompileErrorKind::TooDeep).to_string(),
            "expression nested too deeply"
        );
    }

    #[test]
    fn control_characters_are_escaped_and_carets_follow() {
        let d = drawn("host\tx\x1b[31m y", 12, 13);
        let lines: alloc::vec::Vec<&str> = d.lines().collect();
        assert_eq!(lines[1], "  host\\tx\\x1b[31m y");
        assert_eq!(lines[2], format!("  {}^", " ".repeat(16)));
        let e = CompileErrorKind::Unknown {
            what: NameKind::Host,
            name: "a\u{202e}b".into(),
        };
        assert_eq!(e.to_string(), "unknown host 'a\\u{202e}b'");
    }

    #[test]
    fn long_expressions_are_shown_as_a_window() {
        let long = format!(
            "{} and tcp port 70000 and {}",
            "ip or ".repeat(100),
            "udp or ".repeat(100)
        );
        let at = long.find("70000").unwrap();
        let d = drawn(&long, at, at + 5);
        let lines: alloc::vec::Vec<&str> = d.lines().collect();
        assert!(
            lines[1].starts_with("  ...") && lines[1].ends_with("..."),
            "{d}"
        );
        assert!(lines[1].chars().count() <= MAX_ECHO + 10, "{d}");
        let col = lines[2].find('^').unwrap();
        assert_eq!(&lines[1][col..col + 5], "70000", "{d}");
        assert_eq!(lines[2].trim(), "^^^^^");
        let name = "x".repeat(10_000);
        let e = CompileErrorKind::Unknown {
            what: NameKind::Port,
            name,
        };
        assert!(e.to_string().len() < 100);
    }
}
