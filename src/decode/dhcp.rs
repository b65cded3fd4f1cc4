//! BOOTP and DHCPv4 (print-bootp.c): `BOOTP/DHCP, Request from MAC,
//! length N`, with `-v` the header fields and every RFC 1048 option by
//! tcpdump's names and formats (or the CMU vendor area), and the facts
//! JSON carries (message type, client MAC, requested and assigned
//! addresses, hostname).
//!
//! The options are read up to the captured end (tcpdump does not stop at
//! the UDP length either); an option longer than what was captured ends
//! the line with ` [|bootp]`.

use super::dispatch::Segment;
use super::ether::mac_name;
use super::json::Obj;
use super::nd::{bittok, printjn, printztn, push_tok, tok, unknown_data, Tok};
use super::num::{mac, push_ip4};
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

/// Where the fields of a BOOTP message start.
mod field {
    pub const XID: usize = 4;
    pub const SECS: usize = 8;
    pub const FLAGS: usize = 10;
    pub const CIADDR: usize = 12;
    pub const YIADDR: usize = 16;
    pub const CHADDR: usize = 28;
    pub const SNAME: usize = 44;
    pub const FILE: usize = 108;
    pub const VEND: usize = 236;
}

const TAG_PAD: u8 = 0;
const TAG_HOSTNAME: u8 = 12;
const TAG_REQUESTED_IP: u8 = 50;
const TAG_DHCP_MESSAGE: u8 = 53;
const TAG_PARM_REQUEST: u8 = 55;
const TAG_END: u8 = 255;

/// print-bootp.c's `tag2str`: each name after a format letter (`i`
/// addresses, `p` address pairs, `l`/`L` 32-bit unsigned/signed, `s`
/// 16-bit, `b` dotted bytes, `x` hex bytes, `a` text, `B` booleans, `$`
/// its own code, ` ` none).
const TAGS: &Tok = &[
    (0, " PAD"),
    (1, "iSubnet-Mask"),
    (2, "LTime-Zone"),
    (3, "iDefault-Gateway"),
    (4, "iTime-Server"),
    (5, "iIEN-Name-Server"),
    (6, "iDomain-Name-Server"),
    (7, "iLOG"),
    (8, "iCS"),
    (9, "iLPR-Server"),
    (10, "iIM"),
    (11, "iRL"),
    (12, "aHostname"),
    (13, "sBS"),
    (255, " END"),
    (14, "aDP"),
    (15, "aDomain-Name"),
    (16, "iSS"),
    (17, "aRP"),
    (18, "aEP"),
    (19, "BIPF"),
    (20, "BSRT"),
    (21, "pPF"),
    (22, "sRSZ"),
    (23, "bTTL"),
    (24, "lMTU-Timeout"),
    (25, "sMTU-Table"),
    (26, "sMTU"),
    (27, "BLSN"),
    (28, "iBR"),
    (29, "BMD"),
    (30, "BMS"),
    (31, "BRouter-Discovery"),
    (32, "iRSA"),
    (33, "pStatic-Route"),
    (34, "BUT"),
    (35, "lAT"),
    (36, "BIE"),
    (37, "bTT"),
    (38, "lKI"),
    (39, "BKG"),
    (40, "aYD"),
    (41, "iYS"),
    (42, "iNTP"),
    (43, "bVendor-Option"),
    (44, "iNetbios-Name-Server"),
    (45, "iWDD"),
    (46, "$Netbios-Node"),
    (47, "aNetbios-Scope"),
    (48, "iXFS"),
    (49, "iXDM"),
    (64, "sN+D"),
    (65, "iN+S"),
    (68, "iMH"),
    (69, "iSMTP"),
    (70, "iPOP3"),
    (71, "iNNTP"),
    (72, "iWWW"),
    (73, "iFG"),
    (74, "iIRC"),
    (75, "iSTS"),
    (76, "iSTDA"),
    (50, "iRequested-IP"),
    (51, "lLease-Time"),
    (52, "$OO"),
    (66, "aTFTP"),
    (67, "aBF"),
    (53, " DHCP-Message"),
    (54, "iServer-ID"),
    (55, "bParameter-Request"),
    (56, "aMSG"),
    (57, "sMSZ"),
    (58, "lRN"),
    (59, "lRB"),
    (60, "aVendor-Class"),
    (61, "$Client-ID"),
    (98, "aUAP"),
    (116, "BNOAUTO"),
    (78, "bSLP-DA"),
    (79, "bSLP-SCOPE"),
    (117, "sNSSEARCH"),
    (77, "$User-Class"),
    (118, "iSUBNET"),
    (121, "$Classless-Static-Route"),
    (249, "$Classless-Static-Route-Microsoft"),
    (150, "iTFTP-Server-Address"),
    (80, "aSLP-NA"),
    (81, "$FQDN"),
    (82, "$Agent-Information"),
    (83, "bARMT"),
    (88, "aTZSTR"),
    (89, "bFQDNS"),
    (90, "bAUTH"),
    (91, "LLast-Transaction-Time"),
    (92, "iAssociated-IP"),
    (93, "sARCH"),
    (94, "bNDI"),
    (97, "bGUID"),
    (95, "aLDAP"),
    (100, "aPOSIX-TZ"),
    (101, "aTZ-Name"),
    (112, "iNI"),
    (113, "aNITAG"),
    (114, "aURL"),
    (161, "aMUD-URL"),
];

const DHCP_MSG: &Tok = &[
    (1, "Discover"),
    (2, "Offer"),
    (3, "Request"),
    (4, "Decline"),
    (5, "ACK"),
    (6, "NACK"),
    (7, "Release"),
    (8, "Inform"),
    (10, "LeaseQuery"),
    (11, "LeaseUnassigned"),
    (12, "LeaseUnknown"),
    (13, "LeaseActive"),
];

const OVERLOAD: &Tok = &[(1, "file"), (2, "sname"), (3, "file+sname")];
const NETBIOS_NODE: &Tok = &[(1, "b-node"), (2, "p-node"), (4, "m-node"), (8, "h-node")];
const ARP_HW: &Tok = &[
    (1, "ether"),
    (6, "ieee802"),
    (7, "arcnet"),
    (0xf, "frelay"),
    (0x17, "strip"),
    (0x18, "ieee1394"),
];
const AGENT_SUBOPTS: &Tok = &[(1, "Circuit-ID"), (2, "Remote-ID"), (6, "Subscriber-ID")];
const FQDN_FLAGS: &Tok = &[(1, "S"), (2, "O"), (4, "E"), (8, "N")];

/// The format letter and name of an option tag.
fn tag(t: u8) -> (u8, &'static str) {
    let s = tok(TAGS, u32::from(t)).unwrap_or("?Unknown");
    (s.as_bytes()[0], &s[1..])
}

fn ip_at(out: &mut String, b: &Bytes<'_>, at: usize) -> Printed {
    let a = b.take(at, 4)?;
    push_ip4(out, [a[0], a[1], a[2], a[3]]);
    Ok(())
}

/// bootp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "bootp");
    let op = b.u8(0)?;
    match op {
        1 => out.push_str("BOOTP/DHCP, Request"),
        2 => out.push_str("BOOTP/DHCP, Reply"),
        _ => {
            let _ = write!(out, "BOOTP/DHCP, unknown (0x{op:02x})");
        }
    }
    let htype = b.u8(1)?;
    let hlen = b.u8(2)?;
    let ether = htype == 1 && hlen == 6;
    if ether && op == 1 {
        let _ = write!(
            out,
            " from {}",
            mac_name(b.take(field::CHADDR, 6)?, p.opts.numeric)
        );
    }
    let _ = write!(out, ", length {}", seg.len);
    if p.opts.verbose == 0 {
        return Ok(());
    }
    b.take(field::SECS, 2)?;
    if htype != 1 {
        let _ = write!(out, ", htype {htype}");
    }
    if !ether {
        let _ = write!(out, ", hlen {hlen}");
    }
    let hops = b.u8(3)?;
    if hops != 0 {
        let _ = write!(out, ", hops {hops}");
    }
    let xid = b.be32(field::XID)?;
    if xid != 0 {
        let _ = write!(out, ", xid 0x{xid:x}");
    }
    let secs = b.be16(field::SECS)?;
    if secs != 0 {
        let _ = write!(out, ", secs {secs}");
    }
    let flags = b.be16(field::FLAGS)?;
    out.push_str(", Flags [");
    bittok(
        out,
        &[(0x8000, "Broadcast")],
        "none",
        u32::from(flags),
        ", ",
    );
    out.push(']');
    if p.opts.verbose > 1 {
        let _ = write!(out, " (0x{flags:04x})");
    }
    for (k, label) in ["Client-IP", "Your-IP", "Server-IP", "Gateway-IP"]
        .iter()
        .enumerate()
    {
        let at = field::CIADDR + 4 * k;
        if b.be32(at)? != 0 {
            let _ = write!(out, "\n\t  {label} ");
            ip_at(out, &b, at)?;
        }
    }
    if ether {
        let _ = write!(
            out,
            "\n\t  Client-Ethernet-Address {}",
            mac_name(b.take(field::CHADDR, 6)?, p.opts.numeric)
        );
    }
    for (at, n, label) in [(field::SNAME, 64, "sname"), (field::FILE, 128, "file")] {
        if b.u8(at)? != 0 {
            let _ = write!(out, "\n\t  {label} \"");
            let used = printztn(out, &b, at, n, true)?;
            out.push('"');
            if used == 0 {
                // 4.99.3 takes a name without its NUL for a cut one.
                super::trunc::mark(out, "bootp");
                return Ok(());
            }
        }
    }
    // The vendor area is checked first (ND_TCHECK, goto trunc):
    // a truncation is the marker without a longjmp.
    let r = vendor(p, out, &b);
    super::trunc::caught(out, r)
}

/// The vendor area (bootp_print's end).
fn vendor(p: &Printer, out: &mut String, b: &Bytes<'_>) -> Printed {
    let magic = b.take(field::VEND, 4)?;
    if magic == [99, 130, 83, 99] {
        rfc1048(p, out, &b.from(field::VEND))?;
    } else if magic == b"CMU\0" {
        cmu(out, &b.from(field::VEND))?;
    } else {
        let ul = b.be32(field::VEND)?;
        if ul != 0 {
            let _ = write!(out, "\n\t  Vendor-#0x{ul:x}");
        }
    }
    Ok(())
}

/// rfc1048_print: the options after the magic cookie.
fn rfc1048(p: &Printer, out: &mut String, b: &Bytes<'_>) -> Printed {
    let v = p.opts.verbose;
    out.push_str("\n\t  Vendor-rfc1048 Extensions");
    let _ = write!(out, "\n\t    Magic Cookie 0x{:08x}", b.be32(0)?);
    let mut bp = 4;
    while b.has(bp, 1) {
        let t = b.u8(bp)?;
        bp += 1;
        if (t == TAG_PAD || t == TAG_END) && v < 3 {
            if t == TAG_END {
                return Ok(());
            }
            continue;
        }
        let (mut c, name) = tag(t);
        let mut len = if t == TAG_PAD || t == TAG_END {
            0
        } else {
            bp += 1;
            usize::from(b.u8(bp - 1)?)
        };
        let _ = write!(
            out,
            "\n\t    {name} ({t}), length {len}{}",
            if len > 0 { ": " } else { "" }
        );
        if t == TAG_PAD && v > 2 {
            let mut ntag = 1;
            while b.has(bp, 1) && b.u8(bp)? == TAG_PAD {
                bp += 1;
                ntag += 1;
            }
            if ntag > 1 {
                let _ = write!(out, ", occurs {ntag}");
            }
        }
        b.take(bp, len)?;
        if t == TAG_DHCP_MESSAGE && len == 1 {
            push_tok(out, DHCP_MSG, u32::from(b.u8(bp)?), "Unknown ({})");
            bp += 1;
            continue;
        }
        if t == TAG_PARM_REQUEST {
            for idx in 0..len {
                let inner = b.u8(bp + idx)?;
                out.push_str(if idx % 4 == 0 { "\n\t      " } else { ", " });
                let _ = write!(out, "{} ({inner})", tag(inner).1);
            }
            bp += len;
            continue;
        }
        if c == b'?' {
            c = if len & 1 != 0 {
                b'b'
            } else if len & 2 != 0 {
                b's'
            } else {
                b'l'
            };
        }
        let mut first = true;
        let mut sep = |out: &mut String, s: &str| {
            if !first {
                out.push_str(s);
            }
            first = false;
        };
        match c {
            b'a' => {
                out.push('"');
                printjn(out, b, bp, len)?;
                out.push('"');
                bp += len;
                len = 0;
            }
            b'i' | b'l' | b'L' => {
                while len >= 4 {
                    sep(out, ",");
                    let a = b.take(bp, 4)?;
                    let w = [a[0], a[1], a[2], a[3]];
                    match c {
                        b'i' => push_ip4(out, w),
                        b'L' => {
                            let _ = write!(out, "{}", i32::from_be_bytes(w));
                        }
                        _ => {
                            let _ = write!(out, "{}", u32::from_be_bytes(w));
                        }
                    }
                    bp += 4;
                    len -= 4;
                }
            }
            b'p' => {
                while len >= 8 {
                    sep(out, ",");
                    out.push('(');
                    ip_at(out, b, bp)?;
                    out.push(':');
                    ip_at(out, b, bp + 4)?;
                    out.push(')');
                    bp += 8;
                    len -= 8;
                }
            }
            b's' => {
                while len >= 2 {
                    sep(out, ",");
                    let _ = write!(out, "{}", b.be16(bp)?);
                    bp += 2;
                    len -= 2;
                }
            }
            b'B' => {
                while len > 0 {
                    sep(out, ",");
                    match b.u8(bp)? {
                        0 => out.push('N'),
                        1 => out.push('Y'),
                        x => {
                            let _ = write!(out, "{x}?");
                        }
                    }
                    bp += 1;
                    len -= 1;
                }
            }
            b'$' => (bp, len) = special(out, b, t, bp, len)?,
            _ => {
                while len > 0 {
                    sep(out, if c == b'x' { ":" } else { "." });
                    let x = b.u8(bp)?;
                    if c == b'x' {
                        let _ = write!(out, "{x:02x}");
                    } else {
                        let _ = write!(out, "{x}");
                    }
                    bp += 1;
                    len -= 1;
                }
            }
        }
        if len > 0 {
            let _ = write!(out, "\n\t  trailing data length {len}");
            bp += len;
        }
    }
    Ok(())
}

/// The options print-bootp.c decodes with its own code (format `$`):
/// the position after what was read and the length left over.
fn special(
    out: &mut String,
    b: &Bytes<'_>,
    t: u8,
    mut bp: usize,
    mut len: usize,
) -> Result<(usize, usize), crate::decode::trunc::Trunc> {
    match t {
        46 | 52 => {
            if len < 1 {
                out.push_str("[ERROR: length < 1 bytes]");
                return Ok((bp, len));
            }
            let v = b.u8(bp)?;
            match tok(if t == 46 { NETBIOS_NODE } else { OVERLOAD }, u32::from(v)) {
                Some(n) => out.push_str(n),
                None => {
                    let _ = write!(out, "#{v}");
                }
            }
            Ok((bp + 1, len - 1))
        }
        81 => {
            if len < 3 {
                out.push_str("[ERROR: length < 3 bytes]");
                return Ok((bp + len, 0));
            }
            let f = b.u8(bp)?;
            if f & 0xf0 != 0 {
                let _ = write!(out, "[ERROR: MBZ nibble 0x{:x} != 0] ", (f & 0xf0) >> 4);
            }
            if f & 0x0f != 0 {
                out.push('[');
                bittok(out, FQDN_FLAGS, "", u32::from(f), "");
                out.push_str("] ");
            }
            let (r1, r2) = (b.u8(bp + 1)?, b.u8(bp + 2)?);
            if r1 != 0 || r2 != 0 {
                let _ = write!(out, "{r1}/{r2} ");
            }
            out.push('"');
            printjn(out, b, bp + 3, len - 3)?;
            out.push('"');
            Ok((bp + len, 0))
        }
        61 => {
            if len < 1 {
                out.push_str("[ERROR: length < 1 bytes]");
                return Ok((bp, len));
            }
            let ty = b.u8(bp)?;
            bp += 1;
            len -= 1;
            if ty == 0 {
                out.push('"');
                printjn(out, b, bp, len)?;
                out.push('"');
                return Ok((bp + len, 0));
            }
            push_tok(out, ARP_HW, u32::from(ty), "hardware-type {},");
            out.push(' ');
            for k in 0..len {
                if k > 0 {
                    out.push(':');
                }
                let _ = write!(out, "{:02x}", b.u8(bp + k)?);
            }
            Ok((bp + len, 0))
        }
        82 => {
            while len >= 2 {
                let sub = b.u8(bp)?;
                let sublen = usize::from(b.u8(bp + 1)?);
                bp += 2;
                len -= 2;
                let name = tok(AGENT_SUBOPTS, u32::from(sub)).unwrap_or("Unknown");
                if sublen > len {
                    let _ = write!(
                        out,
                        "\n\t      {name} SubOption {sub}, length {sublen}: length goes past end of option"
                    );
                    return Ok((bp + len, 0));
                }
                let _ = write!(out, "\n\t      {name} SubOption {sub}, length {sublen}: ");
                match sub {
                    1 | 2 | 6 => printjn(out, b, bp, sublen)?,
                    _ => unknown_data(out, b, bp, "\n\t\t", sublen),
                }
                len -= sublen;
                bp += sublen;
            }
            Ok((bp, len))
        }
        121 | 249 => {
            if len < 5 {
                out.push_str("[ERROR: length < 5 bytes]");
                return Ok((bp + len, 0));
            }
            let mut first = true;
            while len > 0 {
                if !first {
                    out.push(',');
                }
                first = false;
                let width = u32::from(b.u8(bp)?);
                bp += 1;
                len -= 1;
                if width > 32 {
                    let _ = write!(out, "[ERROR: Mask width ({width}) > 32]");
                    return Ok((bp + len, 0));
                }
                let octets = width.div_ceil(8) as usize;
                if len < octets + 4 {
                    let _ = write!(
                        out,
                        "[ERROR: Remaining length ({len}) < {} bytes]",
                        octets + 4
                    );
                    return Ok((bp + len, 0));
                }
                out.push('(');
                if width == 0 {
                    out.push_str("default");
                } else {
                    for k in 0..octets {
                        if k > 0 {
                            out.push('.');
                        }
                        let _ = write!(out, "{}", b.u8(bp)?);
                        bp += 1;
                    }
                    for _ in octets..4 {
                        out.push_str(".0");
                    }
                    let _ = write!(out, "/{width}");
                }
                out.push(':');
                ip_at(out, b, bp)?;
                out.push(')');
                bp += 4;
                len -= octets + 4;
            }
            Ok((bp, len))
        }
        77 => {
            if len < 2 {
                out.push_str("[ERROR: length < 2 bytes]");
                return Ok((bp + len, 0));
            }
            let mut n = 1;
            while len > 0 {
                let sublen = usize::from(b.u8(bp)?);
                bp += 1;
                len -= 1;
                let _ = write!(out, "\n\t      instance#{n}: ");
                if sublen == 0 {
                    out.push_str("[ERROR: suboption length must be non-zero]");
                    return Ok((bp + len, 0));
                }
                if len < sublen {
                    out.push_str("[ERROR: invalid option]");
                    return Ok((bp + len, 0));
                }
                out.push('"');
                printjn(out, b, bp, sublen)?;
                let _ = write!(out, "\", length {sublen}");
                n += 1;
                len -= sublen;
                bp += sublen;
            }
            Ok((bp, len))
        }
        143 => {
            while len >= 2 {
                let sublen = usize::from(b.be16(bp)?);
                bp += 2;
                len -= 2;
                let _ = write!(out, "\n\t\t    length {sublen}: ");
                if len < sublen {
                    out.push_str("length goes past end of option");
                    return Ok((bp + len, 0));
                }
                out.push('"');
                printjn(out, b, bp, sublen)?;
                out.push('"');
                len -= sublen;
                bp += sublen;
            }
            if len != 0 {
                out.push_str("[ERROR: length < 2 bytes]");
            }
            Ok((bp, len))
        }
        _ => {
            let _ = write!(out, "[unknown special tag {t}, size {len}]");
            Ok((bp + len, 0))
        }
    }
}

/// cmu_print: the CMU vendor area.
fn cmu(out: &mut String, b: &Bytes<'_>) -> Printed {
    out.push_str(" vend-cmu");
    b.take(4, 4)?;
    let flags = b.u8(4)?;
    if flags & !1 != 0 {
        let _ = write!(out, " F:0x{flags:x}");
    }
    let sm = if flags & 1 != 0 { "SM" } else { "SM*" };
    for (at, label) in [
        (12, "DG"),
        (8, sm),
        (16, "NS1"),
        (20, "NS2"),
        (24, "IEN1"),
        (28, "IEN2"),
        (32, "TS1"),
        (36, "TS2"),
    ] {
        if b.be32(at)? != 0 {
            let _ = write!(out, " {label}:");
            ip_at(out, b, at)?;
        }
    }
    Ok(())
}

/// The facts `--json` carries for a BOOTP/DHCP message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dhcp {
    /// 1 request, 2 reply.
    pub op: u8,
    /// The transaction id.
    pub xid: u32,
    /// The DHCP message type (option 53), if present.
    pub msg_type: Option<u8>,
    /// The client hardware address (Ethernet: 6 bytes).
    pub client_mac: Option<[u8; 6]>,
    /// The client's current address (ciaddr), when not 0.0.0.0.
    pub client_ip: Option<[u8; 4]>,
    /// The address assigned (yiaddr), when not 0.0.0.0.
    pub your_ip: Option<[u8; 4]>,
    /// The address requested (option 50).
    pub requested_ip: Option<[u8; 4]>,
    /// The server identifier (option 54).
    pub server_id: Option<[u8; 4]>,
    /// The hostname (option 12), bytes as text.
    pub hostname: Option<String>,
}

/// Reads the JSON facts (`None` when the fixed header was not captured).
pub fn parse(data: &[u8]) -> Option<Dhcp> {
    let hdr = data.get(..field::VEND)?;
    let ip = |at: usize| {
        let a = [hdr[at], hdr[at + 1], hdr[at + 2], hdr[at + 3]];
        (a != [0; 4]).then_some(a)
    };
    let mut d = Dhcp {
        op: hdr[0],
        xid: u32::from_be_bytes([hdr[4], hdr[5], hdr[6], hdr[7]]),
        client_ip: ip(field::CIADDR),
        your_ip: ip(field::YIADDR),
        ..Dhcp::default()
    };
    if hdr[1] == 1 && hdr[2] == 6 {
        let mut m = [0u8; 6];
        m.copy_from_slice(&hdr[field::CHADDR..field::CHADDR + 6]);
        d.client_mac = Some(m);
    }
    if data.get(field::VEND..field::VEND + 4) != Some(&[99, 130, 83, 99]) {
        return Some(d);
    }
    let mut at = field::VEND + 4;
    while let Some(&t) = data.get(at) {
        match t {
            TAG_PAD => {
                at += 1;
                continue;
            }
            TAG_END => break,
            _ => {}
        }
        let Some(&len) = data.get(at + 1) else {
            break;
        };
        let Some(v) = data.get(at + 2..at + 2 + usize::from(len)) else {
            break;
        };
        let addr = || <[u8; 4]>::try_from(v).ok();
        match t {
            TAG_DHCP_MESSAGE if len == 1 => d.msg_type = Some(v[0]),
            TAG_REQUESTED_IP => d.requested_ip = addr(),
            54 => d.server_id = addr(),
            TAG_HOSTNAME => {
                let mut s = String::new();
                for &c in v {
                    super::nd::print_char(&mut s, c);
                }
                d.hostname = Some(s);
            }
            _ => {}
        }
        at += 2 + usize::from(len);
    }
    Some(d)
}

/// JSON: `"dhcp":{op, xid, msg_type, client_mac, ...}`.
pub(super) fn json(o: &mut Obj<'_>, seg: &Segment<'_>) {
    let Some(d) = parse(seg.data) else {
        return;
    };
    o.object("dhcp", |j| {
        j.str(
            "op",
            match d.op {
                1 => "request",
                2 => "reply",
                _ => "unknown",
            },
        );
        j.num("xid", d.xid);
        if let Some(t) = d.msg_type {
            j.str("msg_type", tok(DHCP_MSG, u32::from(t)).unwrap_or("unknown"));
            j.num("msg_type_num", t);
        }
        if let Some(m) = d.client_mac {
            j.str("client_mac", &mac(&m));
        }
        let ip = |a: [u8; 4]| {
            let mut s = String::new();
            push_ip4(&mut s, a);
            s
        };
        for (k, v) in [
            ("client_ip", d.client_ip),
            ("your_ip", d.your_ip),
            ("requested_ip", d.requested_ip),
            ("server_id", d.server_id),
        ] {
            if let Some(a) = v {
                j.str(k, &ip(a));
            }
        }
        if let Some(h) = &d.hostname {
            j.str("hostname", h);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::text::TextOptions;
    use std::time::{Duration, Instant};

    fn message(options: &[u8]) -> Vec<u8> {
        let mut m = vec![0u8; 236];
        m[..4].copy_from_slice(&[1, 1, 6, 0]);
        m[28..34].copy_from_slice(&[2, 0, 0, 0, 0, 1]);
        m.extend([99, 130, 83, 99]);
        m.extend(options);
        m
    }

    fn text(m: &[u8], verbose: u8) -> String {
        let mut p = Printer::new(TextOptions {
            numeric: true,
            verbose,
            ..Default::default()
        });
        let mut out = String::new();
        let seg = Segment {
            data: m,
            len: m.len(),
            sport: 68,
            dport: 67,
        };
        if let Err(t) = print(&mut p, &mut out, &seg) {
            crate::decode::trunc::mark(&mut out, t.0);
        }
        out
    }

    #[test]
    fn request_line_and_options() {
        let m = message(&[53, 1, 1, 12, 4, b'h', b'o', b's', b't', 255]);
        assert_eq!(
            text(&m, 0),
            "BOOTP/DHCP, Request from 02:00:00:00:00:01, length 250"
        );
        let v = text(&m, 1);
        assert!(v.contains("DHCP-Message (53), length 1: Discover"), "{v}");
        assert!(v.contains("Hostname (12), length 4: \"host\""), "{v}");
        let d = parse(&m).unwrap();
        assert_eq!(d.msg_type, Some(1));
        assert_eq!(d.hostname.as_deref(), Some("host"));
        assert_eq!(d.client_mac, Some([2, 0, 0, 0, 0, 1]));
        // Cut inside an option: tcpdump's [|bootp].
        assert!(text(&m[..245], 1).ends_with(" [|bootp]"));
    }

    #[test]
    fn a_64k_bogus_option_list_ends_quickly() {
        // 32,000 unknown empty options, then one that runs past the end.
        let mut opts = [200u8, 0].repeat(32_000);
        opts.extend([201, 255, 1]);
        let m = message(&opts);
        let start = Instant::now();
        for v in 0..4 {
            let t = text(&m, v);
            assert!(v < 1 || t.ends_with(" [|bootp]"), "{}", &t[t.len() - 40..]);
        }
        assert!(parse(&m).is_some());
        // A hang detector, not a speed target.
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}
