//! OSPFv2 (print-ospf.c, IP protocol 89): `OSPFv2, Hello, length 44`, with
//! `-v` the header (router, area, authentication) and the packet: hello
//! timers and neighbors, database description flags and LSA headers, LS
//! requests, LS updates with router, network, summary, external, NSSA,
//! group and router-information LSAs, LS acknowledgments, LLS data; the
//! `-vv` LSA dumps. (OSPFv3 over IPv6 is not decoded: its line keeps the
//! IP layer's protocol number.)

use super::dispatch::IpPayload;
use super::nd::{bittok, printjnp, tok, unknown_data, Tok};
use super::num::push_ip4;
use super::text::Printer;
use super::trunc::{Bytes, Printed, Trunc};
use core::fmt::Write;

const TYPES: &Tok = &[
    (1, "Hello"),
    (2, "Database Description"),
    (3, "LS-Request"),
    (4, "LS-Update"),
    (5, "LS-Ack"),
];

const OPTIONS: &Tok = &[
    (0x01, "MultiTopology"),
    (0x02, "External"),
    (0x04, "Multicast"),
    (0x08, "NSSA"),
    (0x10, "LLS"),
    (0x20, "Demand Circuit"),
    (0x40, "Opaque"),
    (0x80, "Up/Down"),
];

const AUTH: &Tok = &[(0, "none"), (1, "simple"), (2, "MD5")];
const RLA_FLAGS: &Tok = &[(1, "ABR"), (2, "ASBR"), (4, "Virtual"), (8, "W2")];
const DD_FLAGS: &Tok = &[(4, "Init"), (2, "More"), (1, "Master"), (8, "OOBResync")];

const LSA_TYPES: &Tok = &[
    (1, "Router"),
    (2, "Network"),
    (3, "Summary"),
    (4, "ASBR Summary"),
    (5, "External"),
    (6, "Multicast Group"),
    (7, "NSSA"),
    (9, "Link Local Opaque"),
    (10, "Area Local Opaque"),
    (11, "Domain Wide Opaque"),
];

const OPAQUE: &Tok = &[
    (1, "Traffic Engineering"),
    (3, "Graceful restart"),
    (4, "Router Information"),
];
const TOPOLOGY: &Tok = &[(0, "default"), (1, "multicast"), (2, "management")];
const RI_CAPS: &Tok = &[
    (1, "Reserved"),
    (2, "Reserved"),
    (4, "Reserved"),
    (8, "Reserved"),
    (16, "graceful restart capable"),
    (32, "graceful restart helper"),
    (64, "Stub router support"),
    (128, "Traffic engineering"),
    (256, "p2p over LAN"),
    (512, "path computation server"),
];
const LLS_TLVS: &Tok = &[(1, "Extended Options"), (2, "MD5 Authentication")];
const LLS_EO: &Tok = &[(1, "LSDB resync"), (2, "Restart")];

/// tok2str with tcpdump's "unknown" (or, for `upper`, "Unknown").
pub(super) fn name(table: &Tok, v: u32, upper: bool) -> &'static str {
    tok(table, v).unwrap_or(if upper { "Unknown" } else { "unknown" })
}

pub(super) fn ip(b: &Bytes<'_>, at: usize) -> Result<String, Trunc> {
    let a = b.take(at, 4)?;
    let mut s = String::new();
    push_ip4(&mut s, [a[0], a[1], a[2], a[3]]);
    Ok(s)
}

pub(super) fn bits(table: &Tok, none: &str, v: u32) -> String {
    let mut s = String::new();
    bittok(&mut s, table, none, v, ", ");
    s
}

/// The packet line of both versions, `OSPFvN, Hello, length L`; false,
/// after `OSPFvN, ` and `unknown` (the version's form of an unnamed type)
/// when the type has no name.
pub(super) fn line(out: &mut String, version: u8, ty: u8, length: usize, unknown: &str) -> bool {
    let _ = write!(out, "OSPFv{version}, ");
    match tok(TYPES, u32::from(ty)) {
        Some(n) => {
            let _ = write!(out, "{n}, length {length}");
            true
        }
        None => {
            let _ = write!(out, "{unknown}, length {length}");
            false
        }
    }
}

/// `\n\tRouter-ID r, Area a` (`, Backbone Area` for area 0).
pub(super) fn router_area(out: &mut String, b: &Bytes<'_>) -> Printed {
    let _ = write!(out, "\n\tRouter-ID {}", ip(b, 4)?);
    if b.be32(8)? != 0 {
        let _ = write!(out, ", Area {}", ip(b, 8)?);
    } else {
        out.push_str(", Backbone Area");
    }
    Ok(())
}

/// ospf_print (ospf6_print over IPv6).
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    if seg.ip.v6 {
        return super::ospf6::print(p, out, seg);
    }
    let mut data = seg.data;
    let mut length = seg.length;
    let full = Bytes::new(data, "ospf2");
    let authtype = full.be16(14)?;
    if authtype == 2 {
        // The MD5 trailer is not part of the packet tcpdump prints.
        length = length.wrapping_sub(16);
        data = &data[..data.len().saturating_sub(16)];
    }
    let b = Bytes::new(data, "ospf2");
    let ty = full.u8(1)?;
    let version = full.u8(0)?;
    let unknown = format!("unknown LS-type {ty}");
    if !line(out, version, ty, length, &unknown) || p.opts.verbose == 0 {
        return Ok(());
    }
    let olen = usize::from(b.be16(2)?);
    if length != olen {
        let _ = write!(out, " [len {olen}]");
    }
    let dataend = length.min(olen);
    router_area(out, &b)?;
    b.take(16, 8)?;
    let _ = write!(
        out,
        ", Authentication Type: {} ({authtype})",
        name(AUTH, u32::from(authtype), false)
    );
    match authtype {
        0 => {}
        1 => {
            out.push_str("\n\tSimple text password: ");
            printjnp(out, &b, 16, 8)?;
        }
        2 => {
            let _ = write!(
                out,
                "\n\tKey-ID: {}, Auth-Length: {}, Crypto Sequence Number: 0x{:08x}",
                b.u8(18)?,
                b.u8(19)?,
                b.be32(20)?
            );
        }
        _ => return Ok(()),
    }
    if version != 2 {
        let _ = write!(out, " ospf [version {version}]");
        return Ok(());
    }
    decode_v2(p, out, &b, ty, dataend)?;
    if length > olen {
        lls(out, &b, ty, length)?;
    }
    Ok(())
}

fn decode_v2(p: &Printer, out: &mut String, b: &Bytes<'_>, ty: u8, dataend: usize) -> Printed {
    match ty {
        1 => {
            let _ = write!(
                out,
                "\n\tOptions [{}]",
                bits(OPTIONS, "none", u32::from(b.u8(30)?))
            );
            let _ = write!(
                out,
                "\n\t  Hello Timer {}s, Dead Timer {}s, Mask {}, Priority {}",
                b.be16(28)?,
                b.be32(32)?,
                ip(b, 24)?,
                b.u8(31)?
            );
            if b.be32(36)? != 0 {
                let _ = write!(out, "\n\t  Designated Router {}", ip(b, 36)?);
            }
            if b.be32(40)? != 0 {
                let _ = write!(out, ", Backup Designated Router {}", ip(b, 40)?);
            }
            let mut at = 44;
            if at < dataend {
                out.push_str("\n\t  Neighbor List:");
            }
            while at < dataend {
                let _ = write!(out, "\n\t    {}", ip(b, at)?);
                at += 4;
            }
        }
        2 => {
            let _ = write!(
                out,
                "\n\tOptions [{}]",
                bits(OPTIONS, "none", u32::from(b.u8(26)?))
            );
            let _ = write!(
                out,
                ", DD Flags [{}]",
                bits(DD_FLAGS, "none", u32::from(b.u8(27)?))
            );
            let mtu = b.be16(24)?;
            if mtu != 0 {
                let _ = write!(out, ", MTU: {mtu}");
            }
            let _ = write!(out, ", Sequence: 0x{:08x}", b.be32(28)?);
            let mut at = 32;
            while at < dataend && lshdr(out, b, at)?.is_some() {
                at += 20;
            }
        }
        3 => {
            let mut at = 24;
            while at < dataend {
                b.take(at, 12)?;
                let lt = b.be32(at)?;
                let _ = write!(
                    out,
                    "\n\t  Advertising Router: {}, {} LSA ({lt})",
                    ip(b, at + 8)?,
                    name(LSA_TYPES, lt, false)
                );
                if (9..=11).contains(&lt) {
                    let ot = b.u8(at + 4)?;
                    let _ = write!(
                        out,
                        ", Opaque-Type: {} LSA ({ot}), Opaque-ID: {}",
                        name(OPAQUE, u32::from(ot), false),
                        b.be24(at + 5)?
                    );
                } else {
                    let _ = write!(out, ", LSA-ID: {}", ip(b, at + 4)?);
                }
                at += 12;
            }
        }
        4 => {
            let count = b.be32(24)?;
            let _ = write!(out, ", {count} LSA{}", if count == 1 { "" } else { "s" });
            let mut at = 28;
            for n in 1..=count {
                let _ = write!(out, "\n\t  LSA #{n}");
                match lsa(p, out, b, at)? {
                    Some(end) => at = end,
                    None => return Err(Trunc("ospf2")),
                }
            }
        }
        5 => {
            let mut at = 24;
            while lshdr(out, b, at)?.is_some() {
                at += 20;
            }
        }
        _ => {}
    }
    Ok(())
}

/// ospf_print_lshdr: the LSA header at `at`; its length, `None` when
/// bogus.
fn lshdr(out: &mut String, b: &Bytes<'_>, at: usize) -> Result<Option<usize>, Trunc> {
    let len = usize::from(b.be16(at + 18)?);
    if len < 20 {
        let _ = write!(out, "\n\t    Bogus length {len} < header (20)");
        return Ok(None);
    }
    let _ = write!(
        out,
        "\n\t  Advertising Router {}, seq 0x{:08x}, age {}s, length {}",
        ip(b, at + 8)?,
        b.be32(at + 12)?,
        b.be16(at)?,
        len - 20
    );
    let lt = b.u8(at + 3)?;
    if (9..=11).contains(&lt) {
        let ot = b.u8(at + 4)?;
        let _ = write!(
            out,
            "\n\t    {} LSA ({lt}), Opaque-Type {} LSA ({ot}), Opaque-ID {}",
            name(LSA_TYPES, u32::from(lt), false),
            name(OPAQUE, u32::from(ot), false),
            b.be24(at + 5)?
        );
    } else {
        let _ = write!(
            out,
            "\n\t    {} LSA ({lt}), LSA-ID: {}",
            name(LSA_TYPES, u32::from(lt), false),
            ip(b, at + 4)?
        );
    }
    let _ = write!(
        out,
        "\n\t    Options: [{}]",
        bits(OPTIONS, "none", u32::from(b.u8(at + 2)?))
    );
    Ok(Some(len))
}

/// ospf_print_lsa: one LSA; the offset past it, `None` when cut.
fn lsa(p: &Printer, out: &mut String, b: &Bytes<'_>, at: usize) -> Result<Option<usize>, Trunc> {
    let Some(ls_length) = lshdr(out, b, at)? else {
        return Ok(None);
    };
    let end = at + ls_length;
    let body = at + 20;
    let body_len = ls_length - 20;
    let topo = |out: &mut String, t: u32| {
        let _ = write!(out, "topology {} ({t})", name(TOPOLOGY, t, true));
    };
    match b.u8(at + 3)? {
        1 => {
            let _ = write!(
                out,
                "\n\t    Router LSA Options: [{}]",
                bits(RLA_FLAGS, "none", u32::from(b.u8(body)?))
            );
            let count = b.be16(body + 2)?;
            if !b.has(body + 4, 12) {
                return Ok(None);
            }
            let mut rl = body + 4;
            for _ in 0..count {
                if !b.has(rl, 12) {
                    return Ok(None);
                }
                let (id, data) = (ip(b, rl)?, ip(b, rl + 4)?);
                match b.u8(rl + 8)? {
                    4 => {
                        let _ = write!(out, "\n\t      Virtual Link: Neighbor Router-ID: {id}, Interface Address: {data}");
                    }
                    1 => {
                        let _ = write!(
                            out,
                            "\n\t      Neighbor Router-ID: {id}, Interface Address: {data}"
                        );
                    }
                    2 => {
                        let _ = write!(
                            out,
                            "\n\t      Neighbor Network-ID: {id}, Interface Address: {data}"
                        );
                    }
                    3 => {
                        let _ = write!(out, "\n\t      Stub Network: {id}, Mask: {data}");
                    }
                    t => {
                        let _ = write!(out, "\n\t      Unknown Router Link Type ({t})");
                        return Ok(Some(end));
                    }
                }
                let tos_count = usize::from(b.u8(rl + 9)?);
                for k in 0..=tos_count {
                    let t = rl + 8 + 4 * k;
                    let ty = if k == 0 { 0 } else { u32::from(b.u8(t)?) };
                    let metric = b.be16(t + 2)?;
                    out.push_str("\n\t\t");
                    topo(out, ty);
                    let _ = write!(out, ", metric {metric}");
                }
                rl += 12 + 4 * tos_count;
            }
        }
        2 => {
            let _ = write!(
                out,
                "\n\t    Mask {}\n\t    Connected Routers:",
                ip(b, body)?
            );
            let mut a = body + 4;
            while a < end {
                if !b.has(a, 4) {
                    return Ok(None);
                }
                let _ = write!(out, "\n\t      {}", ip(b, a)?);
                a += 4;
            }
        }
        lt @ (3 | 4) => {
            if lt == 3 {
                if !b.has(body, 4) {
                    return Ok(None);
                }
                let _ = write!(out, "\n\t    Mask {}", ip(b, body)?);
            }
            if !b.has(body + 4, 4) {
                return Ok(None);
            }
            let mut lp = body + 4;
            while lp < end {
                let ul = b.be32(lp)?;
                out.push_str("\n\t\t");
                topo(out, (ul & 0x7f00_0000) >> 24);
                let _ = write!(out, " metric {}", ul & 0x00ff_ffff);
                lp += 4;
            }
        }
        5 | 7 => {
            if !b.has(body, 4) {
                return Ok(None);
            }
            let _ = write!(out, "\n\t    Mask {}", ip(b, body)?);
            if !b.has(body + 4, 4) {
                return Ok(None);
            }
            let mut m = body + 4;
            while m < end {
                let ul = b.be32(m)?;
                out.push_str("\n\t\t");
                topo(out, (ul & 0x7f00_0000) >> 24);
                let _ = write!(
                    out,
                    ", type {}, metric",
                    if ul & 0x8000_0000 != 0 { 2 } else { 1 }
                );
                if ul & 0x00ff_ffff == 0x00ff_ffff {
                    out.push_str(" infinite");
                } else {
                    let _ = write!(out, " {}", ul & 0x00ff_ffff);
                }
                if b.be32(m + 4)? != 0 {
                    let _ = write!(out, ", forward {}", ip(b, m + 4)?);
                }
                if b.be32(m + 8)? != 0 {
                    let _ = write!(out, ", tag {}", ip(b, m + 8)?);
                }
                m += 12;
            }
        }
        6 => {
            let mut m = body;
            while m < end {
                match b.be32(m)? {
                    1 => {
                        let _ = write!(out, "\n\t    Router Router-ID {}", ip(b, m + 4)?);
                    }
                    2 => {
                        let _ = write!(out, "\n\t    Network Designated Router {}", ip(b, m + 4)?);
                    }
                    v => {
                        let _ = write!(out, "\n\t    unknown VertexType ({v})");
                    }
                }
                m += 8;
            }
        }
        9..=11 => match b.u8(at + 4)? {
            4 => {
                let (mut t, mut left) = (body, body_len);
                while left != 0 {
                    if !b.has(t, 4) {
                        return Ok(None);
                    }
                    if left < 4 {
                        let _ = write!(out, "\n\t    Remaining LS length {left} < 4");
                        return Ok(Some(end));
                    }
                    let (tt, tl) = (b.be16(t)?, usize::from(b.be16(t + 2)?));
                    t += 4;
                    left -= 4;
                    let tname = if tt == 1 {
                        "Router Capabilities"
                    } else {
                        "unknown"
                    };
                    let _ = write!(out, "\n\t    {tname} TLV ({tt}), length: {tl}, value: ");
                    if tl > left {
                        let _ = write!(
                            out,
                            "\n\t    Bogus length {tl} > remaining LS length {left}"
                        );
                        return Ok(Some(end));
                    }
                    if !b.has(t, tl) {
                        return Ok(None);
                    }
                    if tt == 1 {
                        if tl != 4 {
                            let _ = write!(out, "\n\t    Bogus length {tl} != 4");
                            return Ok(Some(end));
                        }
                        let _ = write!(
                            out,
                            "Capabilities: {}",
                            bits(RI_CAPS, "Unknown", b.be32(t)?)
                        );
                    } else if p.opts.verbose <= 1 {
                        unknown_data(out, b, t, "\n\t      ", tl);
                    }
                    t += tl;
                    left -= tl;
                }
            }
            _ => {
                if p.opts.verbose <= 1 {
                    unknown_data(out, b, body, "\n\t    ", body_len);
                }
            }
        },
        _ => {}
    }
    if p.opts.verbose > 1 {
        unknown_data(out, b, body, "\n\t    ", body_len);
    }
    Ok(Some(end))
}

/// ospf_decode_lls: link-local signaling after the packet.
fn lls(out: &mut String, b: &Bytes<'_>, ty: u8, length: usize) -> Printed {
    let opts_at = match ty {
        1 => 30,
        2 => 26,
        _ => return Ok(()),
    };
    if b.u8(opts_at)? & 0x10 == 0 {
        return Ok(());
    }
    let mut len2 = usize::from(b.be16(2)?);
    let mut d = len2;
    if b.be16(14)? == 2 {
        let extra = usize::from(b.u8(19)?);
        d += extra;
        len2 += extra;
    }
    if len2 >= length {
        out.push_str("\n\t[LLS truncated]");
        return Ok(());
    }
    let _ = write!(out, "\n\t  LLS: checksum: 0x{:04x}", b.be16(d)?);
    let _ = write!(out, ", length: {}", b.be16(d + 2)?);
    d += 4;
    while d < length {
        let t = b.be16(d)?;
        let _ = write!(
            out,
            "\n\t    {} ({t})",
            tok(LLS_TLVS, u32::from(t)).unwrap_or("Unknown TLV")
        );
        let mut l = usize::from(b.be16(d + 2)?);
        let _ = write!(out, ", length: {l}");
        d += 4;
        match t {
            1 => {
                if l != 4 {
                    out.push_str(" [should be 4]");
                    l = 4;
                }
                let f = b.be32(d)?;
                let _ = write!(
                    out,
                    "\n\t      Options: 0x{f:08x} [{}]",
                    bits(LLS_EO, "?", f)
                );
            }
            2 => {
                if l != 20 {
                    out.push_str(" [should be 20]");
                    l = 20;
                }
                let _ = write!(out, "\n\t      Sequence number: 0x{:08x}", b.be32(d)?);
            }
            _ => {}
        }
        d += l;
    }
    Ok(())
}
