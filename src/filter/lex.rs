//! The lexer: expression text to [`Token`]s, following libpcap's scanner.l.
//!
//! Words are matched the way flex does it: the longest match wins and ties go
//! to the earlier rule (keyword, MAC address, number, dotted IPv4 `HID`,
//! IPv6 `HID6`, plain identifier). Named constants such as `tcp-syn` and
//! `icmptype` are numbers, as in libpcap. `\name` escapes a keyword into an
//! identifier (`ip proto \tcp`).

use super::ast::Proto;
use super::ast::Proto as P;
use super::error::{AddressKind, CompileError, CompileErrorKind, NumberProblem};
use super::span::Span;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// Keywords other than protocol names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kw {
    /// `src`
    Src,
    /// `dst`
    Dst,
    /// `host`
    Host,
    /// `net`
    Net,
    /// `mask`
    Mask,
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
    /// `less`
    Less,
    /// `greater`
    Greater,
    /// `broadcast`
    Broadcast,
    /// `multicast`
    Multicast,
    /// `len`, `length`
    Len,
    /// `inbound`
    Inbound,
    /// `outbound`
    Outbound,
    /// `ifindex`
    Ifindex,
    /// `vlan`
    Vlan,
    /// `mpls`
    Mpls,
    /// `pppoed`
    Pppoed,
    /// `pppoes`
    Pppoes,
    /// `geneve`
    Geneve,
    /// `llc`
    Llc,
    /// `byte`
    Byte,
    /// A libpcap keyword rawcap does not implement (802.11, ATM, pflog, SS7, ...).
    Other(&'static str),
}

/// One token kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A keyword.
    Kw(Kw),
    /// A protocol name usable as qualifier (`ip`, `tcp`, `ether`, ...).
    Pname(Proto),
    /// A number (decimal, `0x` hex, `0` octal) or a named constant.
    Num(u32),
    /// A plain identifier: host, port or protocol name.
    Id(String),
    /// A dotted IPv4 address or prefix, 2 to 4 parts.
    Hid(String),
    /// An IPv6 address.
    Hid6(String),
    /// A MAC address.
    Eid([u8; 6]),
    /// `and`, `&&`
    And,
    /// `or`, `||`
    Or,
    /// `not`, `!`
    Not,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBrack,
    /// `]`
    RBrack,
    /// `:`
    Colon,
    /// `/`
    Slash,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `%`
    Percent,
    /// `&`
    Amp,
    /// `|`
    Pipe,
    /// `^`
    Caret,
    /// `<<`
    Lsh,
    /// `>>`
    Rsh,
    /// `>`
    Gt,
    /// `<`
    Lt,
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `=`, `==`
    Eq,
    /// `!=`
    Ne,
}

/// A token and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// Where it is.
    pub span: Span,
}

/// Splits `text` into tokens.
///
/// # Errors
/// An illegal character or a malformed number.
pub fn lex(text: &str) -> Result<Vec<Token>, CompileError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
            continue;
        }
        let start = i;
        let (tok, len) = if c == b'\\' {
            let n = b[i + 1..]
                .iter()
                .take_while(|&&c| !matches!(c, b' ' | b'!' | b'(' | b')' | b'\n' | b'\t'))
                .count();
            if n == 0 {
                return Err(illegal(text, i));
            }
            (Tok::Id(text[i + 1..i + 1 + n].to_string()), n + 1)
        } else if c.is_ascii_alphanumeric() || (c == b':' && v6_len(&b[i..]) > 0) {
            word(text, i)?
        } else {
            punct(text, i)?
        };
        out.push(Token {
            tok,
            span: Span::new(start, start + len),
        });
        i += len;
    }
    Ok(out)
}

fn illegal(text: &str, i: usize) -> CompileError {
    let ch = text[i..].chars().next().unwrap_or('?');
    CompileError::new(
        Span::new(i, i + ch.len_utf8()),
        CompileErrorKind::IllegalChar(ch),
    )
}

fn punct(text: &str, i: usize) -> Result<(Tok, usize), CompileError> {
    let b = text.as_bytes();
    let next = b.get(i + 1).copied();
    let two = |t| Ok((t, 2));
    let one = |t| Ok((t, 1));
    match (b[i], next) {
        (b'&', Some(b'&')) => two(Tok::And),
        (b'|', Some(b'|')) => two(Tok::Or),
        (b'!', Some(b'=')) => two(Tok::Ne),
        (b'>', Some(b'=')) => two(Tok::Ge),
        (b'<', Some(b'=')) => two(Tok::Le),
        (b'=', Some(b'=')) => two(Tok::Eq),
        (b'<', Some(b'<')) => two(Tok::Lsh),
        (b'>', Some(b'>')) => two(Tok::Rsh),
        (b'(', _) => one(Tok::LParen),
        (b')', _) => one(Tok::RParen),
        (b'[', _) => one(Tok::LBrack),
        (b']', _) => one(Tok::RBrack),
        (b':', _) => one(Tok::Colon),
        (b'/', _) => one(Tok::Slash),
        (b'+', _) => one(Tok::Plus),
        (b'-', _) => one(Tok::Minus),
        (b'*', _) => one(Tok::Star),
        (b'%', _) => one(Tok::Percent),
        (b'&', _) => one(Tok::Amp),
        (b'|', _) => one(Tok::Pipe),
        (b'^', _) => one(Tok::Caret),
        (b'!', _) => one(Tok::Not),
        (b'>', _) => one(Tok::Gt),
        (b'<', _) => one(Tok::Lt),
        (b'=', _) => one(Tok::Eq),
        _ => Err(illegal(text, i)),
    }
}

/// Lexes a word starting at `i`: the longest of keyword/number/HID/HID6/MAC/ID.
fn word(text: &str, i: usize) -> Result<(Tok, usize), CompileError> {
    let b = &text.as_bytes()[i..];
    let id = id_len(b);
    let num = num_len(b);
    let hid = hid_len(b);
    let v6 = v6_len(b);
    let mac = mac_len(b);
    let best = id.max(num).max(hid).max(v6).max(mac);
    let s = &text[i..i + best];
    let span = Span::new(i, i + best);
    if best == id {
        if let Some(t) = keyword(s) {
            return Ok((t, best));
        }
    }
    // MAC addresses come before numbers and dotted addresses in scanner.l
    // (`001122334455`, `0000.1111.2222`).
    let tok = if best == mac {
        Tok::Eid(parse_mac(s).ok_or_else(|| {
            CompileError::new(
                span,
                CompileErrorKind::BadAddress {
                    kind: AddressKind::Mac,
                    text: s.into(),
                },
            )
        })?)
    } else if best == num {
        Tok::Num(parse_num(s).map_err(|problem| {
            CompileError::new(
                span,
                CompileErrorKind::BadNumber {
                    text: s.into(),
                    problem,
                },
            )
        })?)
    } else if best == hid {
        Tok::Hid(s.to_string())
    } else if best == v6 {
        Tok::Hid6(s.to_string())
    } else {
        Tok::Id(s.to_string())
    };
    Ok((tok, best))
}

fn id_len(b: &[u8]) -> usize {
    if !b.first().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return 0;
    }
    let mut n = b
        .iter()
        .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        .count();
    while n > 1 && matches!(b[n - 1], b'-' | b'_') {
        n -= 1;
    }
    n
}

/// `[0-9]+ | 0[xX][0-9a-fA-F]+`
fn num_len(b: &[u8]) -> usize {
    if b.len() > 2 && b[0] == b'0' && matches!(b[1], b'x' | b'X') && b[2].is_ascii_hexdigit() {
        2 + b[2..].iter().take_while(|c| c.is_ascii_hexdigit()).count()
    } else {
        b.iter().take_while(|c| c.is_ascii_digit()).count()
    }
}

/// `N.N`, `N.N.N` or `N.N.N.N`.
fn hid_len(b: &[u8]) -> usize {
    let mut n = num_len(b);
    if n == 0 {
        return 0;
    }
    let mut best = 0;
    for _ in 0..3 {
        if b.get(n) != Some(&b'.') {
            break;
        }
        let m = num_len(&b[n + 1..]);
        if m == 0 {
            break;
        }
        n += 1 + m;
        best = n;
    }
    best
}

/// The longest prefix that is an IPv6 address literal (with at least one ':').
fn v6_len(b: &[u8]) -> usize {
    let run = b
        .iter()
        .take(64)
        .take_while(|c| c.is_ascii_hexdigit() || matches!(c, b':' | b'.'))
        .count();
    (2..=run)
        .rev()
        .find(|&n| {
            let s = core::str::from_utf8(&b[..n]).unwrap_or("");
            s.contains(':') && s.parse::<core::net::Ipv6Addr>().is_ok()
        })
        .unwrap_or(0)
}

/// `B:B:B:B:B:B`, `B-B-...`, `B.B....` (B = 1-2 hex digits), `BBBB.BBBB.BBBB`, or 12 hex digits.
fn mac_len(b: &[u8]) -> usize {
    let hex = |b: &[u8], max: usize| {
        b.iter()
            .take(max)
            .take_while(|c| c.is_ascii_hexdigit())
            .count()
    };
    let mut best = 0;
    for sep in [b':', b'-', b'.'] {
        let mut n = 0;
        let mut ok = true;
        for k in 0..6 {
            if k > 0 {
                if b.get(n) != Some(&sep) {
                    ok = false;
                    break;
                }
                n += 1;
            }
            let h = hex(&b[n..], 2);
            if h == 0 {
                ok = false;
                break;
            }
            n += h;
        }
        if ok {
            best = best.max(n);
        }
    }
    // BBBB.BBBB.BBBB
    if b.len() >= 14
        && hex(b, 4) == 4
        && b[4] == b'.'
        && hex(&b[5..], 4) == 4
        && b[9] == b'.'
        && hex(&b[10..], 4) == 4
    {
        best = best.max(14);
    }
    if hex(b, 12) == 12 {
        best = best.max(12);
    }
    best
}

fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    let parts: Vec<&str> = s.split([':', '-', '.']).collect();
    if parts.len() == 6 {
        for (o, p) in out.iter_mut().zip(parts) {
            *o = u8::from_str_radix(p, 16).ok()?;
        }
        return Some(out);
    }
    let hex: String = parts.concat();
    if hex.len() != 12 {
        return None;
    }
    for (k, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(hex.get(2 * k..2 * k + 2)?, 16).ok()?;
    }
    Some(out)
}

/// libpcap's number conversion: `0x` hex, leading-`0` octal, else decimal; 32 bits.
pub(crate) fn parse_num(s: &str) -> Result<u32, NumberProblem> {
    let (digits, radix) = if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (h, 16)
    } else if s.len() > 1 && s.starts_with('0') {
        (&s[1..], 8)
    } else {
        (s, 10)
    };
    if radix == 8 && digits.bytes().any(|c| c > b'7') {
        return Err(NumberProblem::NonOctalDigit);
    }
    let mut v: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix).ok_or(NumberProblem::BadDigit)?;
        v = v * radix as u64 + d as u64;
        if v > u32::MAX as u64 {
            return Err(NumberProblem::Overflow);
        }
    }
    Ok(v as u32)
}

/// Keywords and named constants; `None` for a plain identifier.
fn keyword(s: &str) -> Option<Tok> {
    use Kw::*;
    let t = match s {
        "dst" => Tok::Kw(Dst),
        "src" => Tok::Kw(Src),
        "link" | "ether" | "ppp" | "slip" | "fddi" | "tr" | "wlan" => Tok::Pname(P::Link),
        "arp" => Tok::Pname(P::Arp),
        "rarp" => Tok::Pname(P::Rarp),
        "ip" => Tok::Pname(P::Ip),
        "sctp" => Tok::Pname(P::Sctp),
        "tcp" => Tok::Pname(P::Tcp),
        "udp" => Tok::Pname(P::Udp),
        "icmp" => Tok::Pname(P::Icmp),
        "igmp" => Tok::Pname(P::Igmp),
        "igrp" => Tok::Pname(P::Igrp),
        "pim" => Tok::Pname(P::Pim),
        "vrrp" => Tok::Pname(P::Vrrp),
        "carp" => Tok::Pname(P::Carp),
        "radio" => Tok::Pname(P::Radio),
        "ip6" => Tok::Pname(P::Ip6),
        "icmp6" => Tok::Pname(P::Icmp6),
        "ah" => Tok::Pname(P::Ah),
        "esp" => Tok::Pname(P::Esp),
        "atalk" => Tok::Pname(P::Atalk),
        "aarp" => Tok::Pname(P::Aarp),
        "decnet" => Tok::Pname(P::Decnet),
        "lat" => Tok::Pname(P::Lat),
        "sca" => Tok::Pname(P::Sca),
        "moprc" => Tok::Pname(P::Moprc),
        "mopdl" => Tok::Pname(P::Mopdl),
        "iso" => Tok::Pname(P::Iso),
        "esis" | "es-is" => Tok::Pname(P::Esis),
        "isis" | "is-is" => Tok::Pname(P::Isis),
        "clnp" => Tok::Pname(P::Clnp),
        "stp" => Tok::Pname(P::Stp),
        "ipx" => Tok::Pname(P::Ipx),
        "netbeui" => Tok::Pname(P::Netbeui),
        "l1" => Tok::Pname(P::IsisL1),
        "l2" => Tok::Pname(P::IsisL2),
        "iih" => Tok::Pname(P::IsisIih),
        "lsp" => Tok::Pname(P::IsisLsp),
        "snp" => Tok::Pname(P::IsisSnp),
        "csnp" => Tok::Pname(P::IsisCsnp),
        "psnp" => Tok::Pname(P::IsisPsnp),
        "llc" => Tok::Kw(Llc),
        "byte" => Tok::Kw(Byte),
        "host" => Tok::Kw(Host),
        "net" => Tok::Kw(Net),
        "mask" => Tok::Kw(Mask),
        "port" => Tok::Kw(Port),
        "portrange" => Tok::Kw(Portrange),
        "proto" => Tok::Kw(Kw::Proto),
        "protochain" => Tok::Kw(Protochain),
        "gateway" => Tok::Kw(Gateway),
        "less" => Tok::Kw(Less),
        "greater" => Tok::Kw(Greater),
        "broadcast" => Tok::Kw(Broadcast),
        "multicast" => Tok::Kw(Multicast),
        "and" => Tok::And,
        "or" => Tok::Or,
        "not" => Tok::Not,
        "len" | "length" => Tok::Kw(Len),
        "inbound" => Tok::Kw(Inbound),
        "outbound" => Tok::Kw(Outbound),
        "ifindex" => Tok::Kw(Ifindex),
        "vlan" => Tok::Kw(Vlan),
        "mpls" => Tok::Kw(Mpls),
        "pppoed" => Tok::Kw(Pppoed),
        "pppoes" => Tok::Kw(Pppoes),
        "geneve" => Tok::Kw(Geneve),
        _ => {
            if let Some(&(_, v)) = NAMED_CONSTANTS.iter().find(|(n, _)| *n == s) {
                return Some(Tok::Num(v));
            }
            return OTHER_KEYWORDS
                .iter()
                .find(|k| **k == s)
                .map(|k| Tok::Kw(Other(k)));
        }
    };
    Some(t)
}

/// Keywords of libpcap's grammar that rawcap does not implement.
static OTHER_KEYWORDS: &[&str] = &[
    "type",
    "subtype",
    "direction",
    "dir",
    "address1",
    "addr1",
    "address2",
    "addr2",
    "address3",
    "addr3",
    "address4",
    "addr4",
    "ra",
    "ta",
    "lane",
    "metac",
    "bcc",
    "oam",
    "oamf4",
    "oamf4ec",
    "oamf4sc",
    "sc",
    "ilmic",
    "vpi",
    "vci",
    "connectmsg",
    "metaconnect",
    "on",
    "ifname",
    "rnr",
    "rulenum",
    "reason",
    "rset",
    "ruleset",
    "srnr",
    "subrulenum",
    "action",
    "fisu",
    "lssu",
    "lsu",
    "sio",
    "opc",
    "dpc",
    "sls",
    "hfisu",
    "hlssu",
    "hmsu",
    "hsio",
    "hopc",
    "hdpc",
    "hsls",
];

/// Named constants the scanner turns into numbers (pcap-filter(7)).
static NAMED_CONSTANTS: &[(&str, u32)] = &[
    ("icmptype", 0),
    ("icmpcode", 1),
    ("icmp-echoreply", 0),
    ("icmp-unreach", 3),
    ("icmp-sourcequench", 4),
    ("icmp-redirect", 5),
    ("icmp-echo", 8),
    ("icmp-routeradvert", 9),
    ("icmp-routersolicit", 10),
    ("icmp-timxceed", 11),
    ("icmp-paramprob", 12),
    ("icmp-tstamp", 13),
    ("icmp-tstampreply", 14),
    ("icmp-ireq", 15),
    ("icmp-ireqreply", 16),
    ("icmp-maskreq", 17),
    ("icmp-maskreply", 18),
    ("icmp6type", 0),
    ("icmp6code", 1),
    ("icmp6-destinationunreach", 1),
    ("icmp6-packettoobig", 2),
    ("icmp6-timeexceeded", 3),
    ("icmp6-parameterproblem", 4),
    ("icmp6-echo", 128),
    ("icmp6-echoreply", 129),
    ("icmp6-multicastlistenerquery", 130),
    ("icmp6-multicastlistenerreportv1", 131),
    ("icmp6-multicastlistenerdone", 132),
    ("icmp6-routersolicit", 133),
    ("icmp6-routeradvert", 134),
    ("icmp6-neighborsolicit", 135),
    ("icmp6-neighboradvert", 136),
    ("icmp6-redirect", 137),
    ("icmp6-routerrenum", 138),
    ("icmp6-nodeinformationquery", 139),
    ("icmp6-nodeinformationresponse", 140),
    ("icmp6-ineighbordiscoverysolicit", 141),
    ("icmp6-ineighbordiscoveryadvert", 142),
    ("icmp6-multicastlistenerreportv2", 143),
    ("icmp6-homeagentdiscoveryrequest", 144),
    ("icmp6-homeagentdiscoveryreply", 145),
    ("icmp6-mobileprefixsolicit", 146),
    ("icmp6-mobileprefixadvert", 147),
    ("icmp6-certpathsolicit", 148),
    ("icmp6-certpathadvert", 149),
    ("icmp6-multicastrouteradvert", 151),
    ("icmp6-multicastroutersolicit", 152),
    ("icmp6-multicastrouterterm", 153),
    ("tcpflags", 13),
    ("tcp-fin", 0x01),
    ("tcp-syn", 0x02),
    ("tcp-rst", 0x04),
    ("tcp-push", 0x08),
    ("tcp-ack", 0x10),
    ("tcp-urg", 0x20),
    ("tcp-ece", 0x40),
    ("tcp-cwr", 0x80),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn words_take_the_longest_match() {
        assert_eq!(
            toks("tcp port 80"),
            [Tok::Pname(P::Tcp), Tok::Kw(Kw::Port), Tok::Num(80)]
        );
        assert_eq!(toks("1.2.3.4"), [Tok::Hid("1.2.3.4".into())]);
        assert_eq!(toks("::1"), [Tok::Hid6("::1".into())]);
        assert_eq!(toks("fe80::1/64")[0], Tok::Hid6("fe80::1".into()));
        assert_eq!(toks("0:1:2:3:4:5"), [Tok::Eid([0, 1, 2, 3, 4, 5])]);
        assert_eq!(toks("20-30"), [Tok::Id("20-30".into())]);
        assert_eq!(toks("tcp-syn"), [Tok::Num(2)]);
        assert_eq!(toks("\\tcp"), [Tok::Id("tcp".into())]);
        assert_eq!(toks("0x10 010"), [Tok::Num(16), Tok::Num(8)]);
        assert_eq!(
            toks("a>=b"),
            [Tok::Id("a".into()), Tok::Ge, Tok::Id("b".into())]
        );
    }

    #[test]
    fn bad_input_is_an_error_with_a_span() {
        let e = lex("port 08").unwrap_err();
        assert_eq!(e.span(), Span::new(5, 7));
        assert!(matches!(e.kind(), CompileErrorKind::BadNumber { .. }));
        assert!(lex("4294967296").is_err());
        assert_eq!(
            *lex("host @").unwrap_err().kind(),
            CompileErrorKind::IllegalChar('@')
        );
    }
}
