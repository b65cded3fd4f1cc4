//! RFC 1048 options (print-bootp.c's rfc1048_print): tcpdump's option
//! names and formats, and the options it decodes with its own code.

use super::{checked, ip_at, TAG_DHCP_MESSAGE, TAG_END, TAG_PAD, TAG_PARM_REQUEST};
use crate::decode::nd::{bittok, printjn, push_tok, tok, unknown_data, Tok};
use crate::decode::num::push_ip4;
use crate::decode::text::Printer;
use crate::decode::trunc::{Bytes, Printed};
use core::fmt::Write;

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

pub(super) const DHCP_MSG: &Tok = &[
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

/// rfc1048_print: the options after the magic cookie.
pub(super) fn rfc1048(p: &Printer, out: &mut String, b: &Bytes<'_>) -> Printed {
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
        if !checked(out, b, bp, len) {
            return Ok(());
        }
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
