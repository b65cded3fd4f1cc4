//! The IS-IS TLV loop (isis_print's second half): each TLV's name line,
//! the decoders tcpdump 4.99.3 has, the hex dump of the others, `-vv`'s
//! dump of every TLV, and ` [|isis]` where the loop's `goto trunc` is.

use super::super::bgp::{ip4, ip6};
use super::super::nd::{printjnp, tok, Tok};
use super::super::oui;
use super::super::text::Printer;
use super::super::trunc::{mark, Bytes, Trunc};
use super::super::util::bittok;
use super::isis::{id, LSP_ID_LEN, NODE_ID_LEN, SYSTEM_ID_LEN};
use super::isreach::ext_is_reach;
use super::reach::{extd_ip_reach, ip_reach, metric_block, mtid, router_cap_subtlv};
use super::spb;
use super::{nlpids, nsap, print_cksum, unknown_data};
use core::fmt::Write;

const TLV_VALUES: &Tok = &[
    (1, "Area address(es)"),
    (2, "IS Reachability"),
    (3, "ES Neighbor(s)"),
    (4, "Partition DIS"),
    (5, "Prefix Neighbors"),
    (6, "IS Neighbor(s)"),
    (7, "Instance Identifier"),
    (8, "Padding"),
    (9, "LSP entries"),
    (10, "Authentication"),
    (12, "Checksum"),
    (13, "Purge Originator Identifier"),
    (14, "LSP Buffersize"),
    (22, "Extended IS Reachability"),
    (24, "IS Alias ID"),
    (42, "DECnet Phase IV"),
    (66, "Lucent Proprietary"),
    (128, "IPv4 Internal Reachability"),
    (129, "Protocols supported"),
    (130, "IPv4 External Reachability"),
    (131, "Inter-Domain Information Type"),
    (132, "IPv4 Interface address(es)"),
    (133, "IPv4 authentication (deprecated)"),
    (134, "Traffic Engineering Router ID"),
    (135, "Extended IPv4 Reachability"),
    (138, "Shared Risk Link Group"),
    (143, "Multi-Topology-Aware Port Capability"),
    (144, "Multi-Topology Capability"),
    (176, "Nortel Proprietary"),
    (177, "Nortel Proprietary"),
    (137, "Hostname"),
    (211, "Restart Signaling"),
    (222, "Multi Topology IS Reachability"),
    (229, "Multi Topology"),
    (232, "IPv6 Interface address(es)"),
    (235, "Multi-Topology IPv4 Reachability"),
    (236, "IPv6 reachability"),
    (237, "Multi-Topology IP6 Reachability"),
    (240, "Point-to-point Adjacency State"),
    (241, "Hello PDU Sequence Number"),
    (242, "IS-IS Router Capability"),
    (250, "Vendor Private"),
];

const AUTH_TYPES: &Tok = &[
    (1, "simple text password"),
    (3, "Generic Crypto key-id"),
    (54, "HMAC-MD5 password"),
    (255, "Routing Domain private password"),
];

const IDRP_TYPES: &Tok = &[
    (0, "Reserved"),
    (1, "Routing-Domain Specific"),
    (2, "AS Number Tag"),
];

const PTP_ADJ_STATES: &Tok = &[(0, "Up"), (1, "Initializing"), (2, "Down")];

const RESTART_FLAGS: &Tok = &[
    (0x1, "Restart Request"),
    (0x2, "Restart Acknowledgement"),
    (0x4, "Suppress adjacency advertisement"),
];

const ROUTER_CAP_FLAGS: &Tok = &[(0x01, "S bit"), (0x02, "D bit")];

const IDENT: &str = "\n\t      ";

/// How a TLV's decoder ended: on to the next TLV (tcpdump's `break` and
/// `goto tlv_trunc` land at the same place), `goto trunc`, or a return
/// from isis_print.
enum Flow {
    Next,
    Trunc,
    Return(bool),
}

/// The TLVs from `at` (`packet_len` bytes of them on the wire; `length`
/// the PDU length the checksum TLV covers).
pub(super) fn print(
    p: &Printer,
    out: &mut String,
    b: &Bytes<'_>,
    mut at: usize,
    mut packet_len: u32,
    length: u32,
) -> Result<bool, Trunc> {
    let v = p.opts.verbose;
    while packet_len > 0 {
        if !b.has(at, 2) || packet_len < 2 {
            mark(out, "isis");
            return Ok(true);
        }
        let ty = b.u8(at)?;
        let tlv_len = b.u8(at + 1)?;
        at += 2;
        packet_len -= 2;
        let _ = write!(
            out,
            "\n\t    {} TLV #{ty}, length: {tlv_len}",
            tok(TLV_VALUES, u32::from(ty)).unwrap_or("unknown")
        );
        if packet_len < u32::from(tlv_len) {
            mark(out, "isis");
            return Ok(true);
        }
        match one(out, b, at, ty, tlv_len, v, length)? {
            Flow::Next => {}
            Flow::Trunc => {
                mark(out, "isis");
                return Ok(true);
            }
            Flow::Return(r) => return Ok(r),
        }
        if v > 1 && !unknown_data(out, b, at, IDENT, usize::from(tlv_len)) {
            return Ok(false);
        }
        at += usize::from(tlv_len);
        packet_len -= u32::from(tlv_len);
    }
    Ok(true)
}

/// The loops of TLVs 22, 24, 222 (after the MT ID), 135, 235, 236, 237:
/// one reachability entry after another until the TLV ends.
fn reach_loop(
    out: &mut String,
    b: &Bytes<'_>,
    mut t: usize,
    ty: u8,
    mut tlen: u8,
) -> Result<Flow, Trunc> {
    if matches!(ty, 222 | 235 | 237) {
        let n = mtid(out, b, t, IDENT, u32::from(tlen))?;
        if n == 0 {
            return Ok(Flow::Trunc);
        }
        t += n as usize;
        tlen -= n as u8;
    }
    while tlen != 0 {
        let n = match ty {
            22 | 24 | 222 => ext_is_reach(out, b, t, IDENT, ty, u32::from(tlen))?,
            _ => extd_ip_reach(out, b, t, IDENT, matches!(ty, 236 | 237))?,
        };
        if n == 0 {
            return Ok(Flow::Trunc);
        }
        if u32::from(tlen) < n {
            let _ = write!(out, " [remaining tlv length {tlen} < {n}] (invalid)");
            break;
        }
        tlen -= n as u8;
        t += usize::from(n as u8);
    }
    Ok(Flow::Next)
}

/// One TLV's value: `t` its first byte, `tlen` its length.
fn one(
    out: &mut String,
    b: &Bytes<'_>,
    t: usize,
    ty: u8,
    tlen: u8,
    v: u8,
    length: u32,
) -> Result<Flow, Trunc> {
    let mut t = t;
    let mut tlen = tlen;
    let pptr = t;
    match ty {
        1 => {
            while tlen != 0 {
                let alen = b.u8(t)?;
                t += 1;
                tlen -= 1;
                if tlen < alen {
                    return Ok(Flow::Next);
                }
                let s = nsap(b, t, usize::from(alen))?;
                let _ = write!(out, "{IDENT}Area address (length: {alen}): {s}");
                t += usize::from(alen);
                tlen -= alen;
            }
        }
        6 => {
            while tlen != 0 {
                if tlen < 6 {
                    return Ok(Flow::Next);
                }
                if !b.has(t, 6) {
                    return Ok(Flow::Trunc);
                }
                let _ = write!(out, "{IDENT}SNPA: {}", id(b, t, 6)?);
                tlen -= 6;
                t += 6;
            }
        }
        7 => {
            if tlen < 4 {
                return Ok(Flow::Next);
            }
            let n = (tlen - 2) / 2;
            let iid = b.be16(t)?;
            let _ = write!(
                out,
                "{IDENT}Instance ID: {iid}, ITIDs({n}){} ",
                if n != 0 { ":" } else { "" }
            );
            t += 2;
            for i in 0..n {
                let _ = write!(out, "{}", b.be16(t)?);
                if i + 1 < n {
                    out.push_str(", ");
                }
                t += 2;
            }
        }
        8 => {}
        22 | 24 | 222 | 135 | 235 | 236 | 237 => return reach_loop(out, b, t, ty, tlen),
        2 => {
            if tlen < 1 {
                return Ok(Flow::Next);
            }
            let vf = b.u8(t)?;
            match vf {
                0 => out.push_str("\n\t      IsNotVirtual"),
                1 => out.push_str("\n\t      IsVirtual"),
                _ => {
                    let _ = write!(out, "{IDENT}bogus virtual flag 0x{vf:02x}");
                }
            }
            t += 1;
            tlen -= 1;
            while tlen != 0 {
                if tlen < 11 {
                    return Ok(Flow::Next);
                }
                let Ok(m) = b.take(t, 11) else {
                    return Ok(Flow::Trunc);
                };
                let _ = write!(out, "{IDENT}IS Neighbor: {}", id(b, t + 4, NODE_ID_LEN)?);
                metric_block(out, m);
                tlen -= 11;
                t += 11;
            }
        }
        3 => {
            while tlen != 0 {
                if tlen < 10 {
                    return Ok(Flow::Next);
                }
                let Ok(m) = b.take(t, 10) else {
                    return Ok(Flow::Trunc);
                };
                let _ = write!(out, "{IDENT}ES Neighbor: {}", id(b, t + 4, SYSTEM_ID_LEN)?);
                metric_block(out, m);
                tlen -= 10;
                t += 10;
            }
        }
        128 | 130 => {
            if !ip_reach(out, b, pptr, IDENT, u32::from(tlen))? {
                return Ok(Flow::Return(true));
            }
        }
        232 => {
            while tlen != 0 {
                if tlen < 16 {
                    return Ok(Flow::Next);
                }
                let _ = write!(out, "{IDENT}IPv6 interface address: {}", ip6(b, t)?);
                t += 16;
                tlen -= 16;
            }
        }
        10 => return auth(out, b, t, tlen),
        240 => {
            if tlen >= 1 {
                let s = b.u8(t)?;
                let _ = write!(
                    out,
                    "{IDENT}Adjacency State: {} ({s})",
                    tok(PTP_ADJ_STATES, u32::from(s)).unwrap_or("unknown")
                );
                tlen -= 1;
            }
            if tlen > 4 {
                let _ = write!(
                    out,
                    "{IDENT}Extended Local circuit-ID: 0x{:08x}",
                    b.be32(t + 1)?
                );
                tlen -= 4;
            }
            if usize::from(tlen) >= SYSTEM_ID_LEN {
                if !b.has(t + 5, SYSTEM_ID_LEN) {
                    return Ok(Flow::Trunc);
                }
                let _ = write!(
                    out,
                    "{IDENT}Neighbor System-ID: {}",
                    id(b, t + 5, SYSTEM_ID_LEN)?
                );
                tlen -= SYSTEM_ID_LEN as u8;
            }
            if tlen >= 4 {
                let _ = write!(
                    out,
                    "{IDENT}Neighbor Extended Local circuit-ID: 0x{:08x}",
                    b.be32(t + 11)?
                );
            }
        }
        129 => {
            out.push_str("\n\t      NLPID(s): ");
            nlpids(out, b, t, usize::from(tlen))?;
        }
        143 | 144 => {
            if tlen < 2 {
                return Ok(Flow::Next);
            }
            let v = b.be16(t)?;
            if ty == 143 {
                let _ = write!(out, "\n\t       RES: {}, MTID(s): {}", v >> 12, v & 0x0fff);
            } else {
                let _ = write!(
                    out,
                    "{IDENT}O: {}, RES: {}, MTID(s): {}",
                    (v >> 15) & 1,
                    (v >> 12) & 7,
                    v & 0x0fff
                );
            }
            t += 2;
            tlen -= 2;
            if tlen != 0 {
                let f = if ty == 143 {
                    spb::port_cap
                } else {
                    spb::mt_cap
                };
                f(out, b, t, u32::from(tlen))?;
            }
        }
        134 => {
            if tlen < 4 {
                return Ok(Flow::Next);
            }
            let _ = write!(
                out,
                "{IDENT}Traffic Engineering Router ID: {}",
                ip4(b, pptr)?
            );
        }
        132 => {
            while tlen != 0 {
                if tlen < 4 {
                    return Ok(Flow::Next);
                }
                let _ = write!(out, "{IDENT}IPv4 interface address: {}", ip4(b, t)?);
                t += 4;
                tlen -= 4;
            }
        }
        137 => {
            out.push_str("\n\t      Hostname: ");
            printjnp(out, b, t, usize::from(tlen))?;
        }
        138 => return srlg(out, b, t, tlen),
        9 => {
            while tlen != 0 {
                if tlen < 16 {
                    return Ok(Flow::Next);
                }
                if !b.has(t + 2 + LSP_ID_LEN - 1, 1) {
                    return Ok(Flow::Trunc);
                }
                let _ = write!(out, "{IDENT}lsp-id: {}", id(b, t + 2, LSP_ID_LEN)?);
                let _ = write!(out, ", seq: 0x{:08x}", b.be32(t + 10)?);
                let _ = write!(out, ", lifetime: {:5}s", b.be16(t)?);
                let _ = write!(out, ", chksum: 0x{:04x}", b.be16(t + 14)?);
                tlen -= 16;
                t += 16;
            }
        }
        12 => {
            if tlen < 2 {
                return Ok(Flow::Next);
            }
            if !b.has(t, 2) {
                return Ok(Flow::Trunc);
            }
            let ck = b.be16(t)?;
            let _ = write!(out, "{IDENT}checksum: 0x{ck:04x} ");
            print_cksum(out, b, 0, ck, t as i64, length);
        }
        13 => {
            if tlen < 1 {
                return Ok(Flow::Next);
            }
            let n = b.u8(t)?;
            t += 1;
            tlen -= 1;
            if n == 0 {
                out.push_str(" No system IDs supplied");
            } else {
                if usize::from(tlen) < SYSTEM_ID_LEN {
                    return Ok(Flow::Next);
                }
                if !b.has(t, SYSTEM_ID_LEN) {
                    return Ok(Flow::Trunc);
                }
                let _ = write!(
                    out,
                    "{IDENT}Purge Originator System-ID: {}",
                    id(b, t, SYSTEM_ID_LEN)?
                );
                t += SYSTEM_ID_LEN;
                tlen -= SYSTEM_ID_LEN as u8;
                if n > 1 {
                    if usize::from(tlen) < SYSTEM_ID_LEN {
                        return Ok(Flow::Next);
                    }
                    if !b.has(t, 2 * SYSTEM_ID_LEN + 1) {
                        return Ok(Flow::Trunc);
                    }
                    let _ = write!(
                        out,
                        "{IDENT}Received from System-ID: {}",
                        id(b, t, SYSTEM_ID_LEN)?
                    );
                }
            }
        }
        229 => {
            while tlen != 0 {
                if tlen != 1 {
                    let n = mtid(out, b, t, IDENT, u32::from(tlen))?;
                    if n == 0 {
                        return Ok(Flow::Trunc);
                    }
                    t += n as usize;
                    tlen -= n as u8;
                } else {
                    out.push_str("\n\t      invalid MT-ID");
                    break;
                }
            }
        }
        211 => {
            if tlen < 1 {
                return Ok(Flow::Next);
            }
            if !b.has(t, 1) {
                return Ok(Flow::Trunc);
            }
            out.push_str("\n\t      Flags [");
            bittok(out, RESTART_FLAGS, "none", u32::from(b.u8(t)?));
            out.push(']');
            t += 1;
            tlen -= 1;
            if tlen == 0 || tlen < 2 {
                return Ok(Flow::Next);
            }
            if !b.has(t, 2) {
                return Ok(Flow::Trunc);
            }
            let _ = write!(out, ", Remaining holding time {}s", b.be16(t)?);
            t += 2;
            tlen -= 2;
            if usize::from(tlen) == SYSTEM_ID_LEN {
                if !b.has(t, SYSTEM_ID_LEN) {
                    return Ok(Flow::Trunc);
                }
                let _ = write!(out, ", for {}", id(b, t, SYSTEM_ID_LEN)?);
            }
        }
        131 => {
            if tlen < 1 {
                return Ok(Flow::Next);
            }
            let it = b.u8(t)?;
            out.push_str("\n\t      Inter-Domain Information Type: ");
            match tok(IDRP_TYPES, u32::from(it)) {
                Some(n) => out.push_str(n),
                None => {
                    let _ = write!(out, "Unknown (0x{it:02x})");
                }
            }
            t += 1;
            tlen -= 1;
            if it == 2 {
                if tlen < 2 {
                    return Ok(Flow::Next);
                }
                let _ = write!(out, "AS Number: {}", b.be16(t)?);
            } else if !unknown_data(out, b, t, IDENT, usize::from(tlen)) {
                return Ok(Flow::Return(false));
            }
        }
        14 => {
            if tlen < 2 {
                return Ok(Flow::Next);
            }
            let _ = write!(out, "{IDENT}LSP Buffersize: {}", b.be16(t)?);
        }
        4 => {
            while tlen != 0 {
                if usize::from(tlen) < SYSTEM_ID_LEN {
                    return Ok(Flow::Next);
                }
                if !b.has(t, SYSTEM_ID_LEN) {
                    return Ok(Flow::Trunc);
                }
                let _ = write!(out, "{IDENT}{}", id(b, t, SYSTEM_ID_LEN)?);
                t += SYSTEM_ID_LEN;
                tlen -= SYSTEM_ID_LEN as u8;
            }
        }
        5 => {
            if tlen < 4 {
                return Ok(Flow::Next);
            }
            let Ok(m) = b.take(t, 4) else {
                return Ok(Flow::Trunc);
            };
            out.push_str("\n\t      Metric Block");
            metric_block(out, m);
            t += 4;
            tlen -= 4;
            while tlen != 0 {
                let plen = b.u8(t)?;
                t += 1;
                tlen -= 1;
                if plen < 2 {
                    let _ = write!(out, "\n\t\tAddress: prefix length {plen} < 2");
                    break;
                }
                if tlen < plen / 2 {
                    break;
                }
                let s = nsap(b, t, usize::from(plen / 2))?;
                let _ = write!(out, "\n\t\tAddress: {s}/{}", u32::from(plen) * 4);
                t += usize::from(plen / 2);
                tlen -= plen / 2;
            }
        }
        241 => {
            if tlen < 4 {
                return Ok(Flow::Next);
            }
            let _ = write!(out, "{IDENT}Sequence number: {}", b.be32(t)?);
        }
        242 => {
            if tlen < 5 {
                let _ = write!(out, " [object length {tlen} < 5] (invalid)");
                return Ok(Flow::Next);
            }
            let _ = write!(out, "{IDENT}Router-ID {}", ip4(b, t)?);
            out.push_str(", Flags [");
            bittok(out, ROUTER_CAP_FLAGS, "none", u32::from(b.u8(t + 4)?));
            out.push(']');
            if tlen > 5 {
                router_cap_subtlv(out, b, t + 5, tlen - 5)?;
            }
        }
        250 => {
            if tlen < 3 {
                return Ok(Flow::Next);
            }
            let vendor = b.be24(t)?;
            let _ = write!(
                out,
                "{IDENT}Vendor: {} ({vendor})",
                tok(oui::VALUES, vendor).unwrap_or("Unknown")
            );
            t += 3;
            tlen -= 3;
            if tlen != 0 && !unknown_data(out, b, t, "\n\t\t", usize::from(tlen)) {
                return Ok(Flow::Return(false));
            }
        }
        _ => {
            if v <= 1 && !unknown_data(out, b, pptr, "\n\t\t", usize::from(tlen)) {
                return Ok(Flow::Return(false));
            }
        }
    }
    Ok(Flow::Next)
}

/// TLV 10: the authentication type and its value.
fn auth(out: &mut String, b: &Bytes<'_>, mut t: usize, mut tlen: u8) -> Result<Flow, Trunc> {
    if tlen < 1 {
        return Ok(Flow::Next);
    }
    let at = b.u8(t)?;
    t += 1;
    tlen -= 1;
    match tok(AUTH_TYPES, u32::from(at)) {
        Some(n) => {
            let _ = write!(out, "{IDENT}{n}: ");
        }
        None => {
            let _ = write!(out, "{IDENT}unknown Authentication type 0x{at:02x}: ");
        }
    }
    match at {
        1 => printjnp(out, b, t, usize::from(tlen))?,
        54 => {
            for i in 0..usize::from(tlen) {
                let _ = write!(out, "{:02x}", b.u8(t + i)?);
            }
            if tlen != 16 {
                out.push_str(", (invalid subTLV) ");
            }
            // signature_verify without a -M secret.
            out.push_str(" (unchecked)");
        }
        3 => {
            if tlen < 2 {
                return Ok(Flow::Next);
            }
            let key = b.be16(t)?;
            let _ = write!(out, "{key}, password: ");
            t += 2;
            for i in 0..usize::from(tlen - 2) {
                let _ = write!(out, "{:02x}", b.u8(t + i)?);
            }
        }
        _ => {
            if !unknown_data(out, b, t, "\n\t\t  ", usize::from(tlen)) {
                return Ok(Flow::Return(false));
            }
        }
    }
    Ok(Flow::Next)
}

/// TLV 138: shared risk link groups.
fn srlg(out: &mut String, b: &Bytes<'_>, mut t: usize, mut tlen: u8) -> Result<Flow, Trunc> {
    if usize::from(tlen) < NODE_ID_LEN {
        return Ok(Flow::Next);
    }
    if !b.has(t, NODE_ID_LEN) {
        return Ok(Flow::Trunc);
    }
    let _ = write!(out, "{IDENT}IS Neighbor: {}", id(b, t, NODE_ID_LEN)?);
    t += NODE_ID_LEN;
    tlen -= NODE_ID_LEN as u8;
    if tlen < 1 {
        return Ok(Flow::Next);
    }
    let f = b.u8(t)?;
    let _ = write!(
        out,
        ", Flags: [{}]",
        if f & 1 != 0 { "numbered" } else { "unnumbered" }
    );
    t += 1;
    tlen -= 1;
    for what in ["interface", "neighbor"] {
        if tlen < 4 {
            return Ok(Flow::Next);
        }
        let _ = write!(out, "{IDENT}IPv4 {what} address: {}", ip4(b, t)?);
        t += 4;
        tlen -= 4;
    }
    while tlen != 0 {
        if tlen < 4 {
            return Ok(Flow::Next);
        }
        let _ = write!(out, "{IDENT}Link-ID: 0x{:08x}", b.be32(t)?);
        t += 4;
        tlen -= 4;
    }
    Ok(Flow::Next)
}
