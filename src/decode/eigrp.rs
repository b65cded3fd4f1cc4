//! EIGRP (print-eigrp.c) over IP protocol 88: `EIGRP Hello, length: 40`;
//! with `-v` the header (opcode, checksum, flags, sequence, ack, VRID, AS)
//! and each TLV: general parameters, software version, IPv4 internal and
//! external routes, AppleTalk cable setup and routes, the others as hex;
//! `-vv` adds every TLV's hex dump.

use super::dispatch::IpPayload;
use super::nd::{bittok, tok, unknown_data, Tok};
use super::num::push_ip4;
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed};
use core::fmt::Write;

const OPCODES: &Tok = &[
    (1, "Update"),
    (3, "Query"),
    (4, "Reply"),
    (5, "Hello"),
    (6, "IPX SAP"),
    (7, "Probe"),
];

const FLAGS: &Tok = &[
    (0x01, "Init"),
    (0x02, "Conditionally Received"),
    (0x04, "Restart"),
    (0x08, "End-of-Table"),
];

const TLVS: &Tok = &[
    (0x0001, "General Parameters"),
    (0x0002, "Authentication"),
    (0x0003, "Sequence"),
    (0x0004, "Software Version"),
    (0x0005, "Next Multicast Sequence"),
    (0x0102, "IP Internal routes"),
    (0x0103, "IP External routes"),
    (0x0202, "AppleTalk Internal routes"),
    (0x0203, "AppleTalk External routes"),
    (0x0204, "AppleTalk Cable setup"),
    (0x0302, "IPX Internal routes"),
    (0x0303, "IPX External routes"),
];

const EXT_PROTOS: &Tok = &[
    (0x01, "IGRP"),
    (0x02, "EIGRP"),
    (0x03, "Static"),
    (0x04, "RIP"),
    (0x05, "Hello"),
    (0x06, "OSPF"),
    (0x07, "IS-IS"),
    (0x08, "EGP"),
    (0x09, "BGP"),
    (0x0a, "IDRP"),
    (0x0b, "Connected"),
];

/// The common header's size.
const HDR: usize = 20;

/// The fixed part of each decoded TLV's value (the structures' sizes in
/// print-eigrp.c, the IPv4 routes' one destination byte included).
fn min_value(ty: u16) -> Option<usize> {
    Some(match ty {
        0x0001 => 8,
        0x0004 => 4,
        0x0102 => 22,
        0x0103 => 42,
        0x0204 => 8,
        0x0202 => 24,
        0x0203 => 40,
        _ => return None,
    })
}

/// eigrp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    print_bytes(p, out, seg.data, seg.length)
}

/// eigrp_print on any carrier (IP, IPX socket 0x85be, AppleTalk DDP type
/// 88): `data` the captured bytes, `length` their length on the wire.
pub(super) fn print_bytes(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Printed {
    let b = Bytes::new(data, "eigrp");
    if !b.has(0, HDR) {
        mark(out, "eigrp");
        return Ok(());
    }
    let version = b.u8(0)?;
    if version != 2 {
        let _ = write!(out, "EIGRP version {version} packet not supported");
        return Ok(());
    }
    let opcode = b.u8(1)?;
    let len = length;
    if p.opts.verbose == 0 {
        out.push_str("EIGRP ");
        match tok(OPCODES, u32::from(opcode)) {
            Some(n) => out.push_str(n),
            None => {
                let _ = write!(out, "unknown ({opcode})");
            }
        }
        let _ = write!(out, ", length: {len}");
        return Ok(());
    }
    // The captured header lies inside the IP payload, so `len` >= HDR.
    let mut tlen = len.saturating_sub(HDR);
    let _ = write!(out, "\n\tEIGRP v{version}, opcode: ");
    match tok(OPCODES, u32::from(opcode)) {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "unknown, type: {opcode}");
        }
    }
    let _ = write!(out, " ({opcode}), chksum: 0x{:04x}, Flags: [", b.be16(2)?);
    bittok(out, FLAGS, "none", b.be32(4)?, ", ");
    let _ = write!(
        out,
        "]\n\tseq: 0x{:08x}, ack: 0x{:08x}, VRID: {}, AS: {}, length: {tlen}",
        b.be32(8)?,
        b.be32(12)?,
        b.be16(16)?,
        b.be16(18)?
    );
    let mut at = HDR;
    while tlen > 0 {
        if !b.has(at, 4) {
            mark(out, "eigrp");
            return Ok(());
        }
        let ty = b.be16(at)?;
        let tlv_len = usize::from(b.be16(at + 2)?);
        if tlv_len < 4 || tlv_len > tlen {
            unknown_data(out, &b, at + 4, "\n\t    ", tlen);
            return Ok(());
        }
        let _ = write!(
            out,
            "\n\t  {} TLV (0x{ty:04x}), length: {tlv_len}",
            tok(TLVS, u32::from(ty)).unwrap_or("Unknown")
        );
        if !b.has(at, tlv_len) {
            mark(out, "eigrp");
            return Ok(());
        }
        let v = at + 4;
        let vlen = tlv_len - 4;
        match min_value(ty) {
            Some(min) if vlen < min => {
                let _ = write!(out, " (too short, < {})", min + 4);
            }
            Some(_) => tlv(out, &b, ty, v)?,
            None => {
                if p.opts.verbose <= 1 {
                    unknown_data(out, &b, v, "\n\t    ", vlen);
                }
            }
        }
        if p.opts.verbose > 1 {
            unknown_data(out, &b, v, "\n\t    ", vlen);
        }
        at += tlv_len;
        tlen -= tlv_len;
    }
    Ok(())
}

/// One decoded TLV's value at `v` (long enough for its structure).
fn tlv(out: &mut String, b: &Bytes<'_>, ty: u16, v: usize) -> Printed {
    match ty {
        0x0001 => {
            let _ = write!(
                out,
                "\n\t    holdtime: {}s, k1 {}, k2 {}, k3 {}, k4 {}, k5 {}",
                b.be16(v + 6)?,
                b.u8(v)?,
                b.u8(v + 1)?,
                b.u8(v + 2)?,
                b.u8(v + 3)?,
                b.u8(v + 4)?
            );
        }
        0x0004 => {
            let _ = write!(
                out,
                "\n\t    IOS version: {}.{}, EIGRP version {}.{}",
                b.u8(v)?,
                b.u8(v + 1)?,
                b.u8(v + 2)?,
                b.u8(v + 3)?
            );
        }
        0x0102 | 0x0103 => {
            // The metric and prefix follow the external route's origin.
            let m = if ty == 0x0103 { v + 24 } else { v + 4 };
            let bits = b.u8(m + 16)?;
            if bits > 32 {
                let _ = write!(out, "\n\t    illegal prefix length {bits}");
                return Ok(());
            }
            let n = usize::from(bits).div_ceil(8);
            // GET_CPY_BYTES: past the capture is a longjmp.
            let dest = b.take(m + 17, n)?;
            let mut prefix = [0u8; 4];
            prefix[..n].copy_from_slice(dest);
            let mut s = String::new();
            push_ip4(&mut s, prefix);
            let _ = write!(out, "\n\t    IPv4 prefix: {s:>15}/{bits}, nexthop: ");
            next_hop_ip(out, b, v)?;
            if ty == 0x0103 {
                let mut router = String::new();
                push_ip4(&mut router, addr(b, v + 4)?);
                origin(out, b, v, &router, 22, b.be32(v + 16)?)?;
            }
            metric(out, b, m)?;
        }
        0x0204 => {
            let _ = write!(
                out,
                "\n\t    Cable-range: {}-{}, Router-ID {}",
                b.be16(v)?,
                b.be16(v + 2)?,
                b.be32(v + 4)?
            );
        }
        _ => {
            // AppleTalk internal (0x0202) and external (0x0203) routes.
            let m = if ty == 0x0203 { v + 20 } else { v + 4 };
            let _ = write!(
                out,
                "\n\t     Cable-Range: {}-{}, nexthop: ",
                b.be16(m + 16)?,
                b.be16(m + 18)?
            );
            if b.be32(v)? == 0 {
                out.push_str("self");
            } else {
                let _ = write!(out, "{}.{}", b.be16(v)?, b.be16(v + 2)?);
            }
            if ty == 0x0203 {
                let router = b.be32(v + 4)?.to_string();
                origin(out, b, v, &router, 16, u32::from(b.be16(v + 18)?))?;
            }
            metric(out, b, m)?;
        }
    }
    Ok(())
}

/// An external route's origin line: the router as printed, the AS and tag
/// at `v` + 8 and + 12, the protocol and flags bytes at `v` + `proto`.
fn origin(
    out: &mut String,
    b: &Bytes<'_>,
    v: usize,
    router: &str,
    proto: usize,
    metric: u32,
) -> Printed {
    let _ = write!(
        out,
        "\n\t      origin-router {router}, origin-as {}, origin-proto {}, flags [0x{:02x}], tag 0x{:08x}, metric {metric}",
        b.be32(v + 8)?,
        tok(EXT_PROTOS, u32::from(b.u8(v + proto)?)).unwrap_or("unknown"),
        b.u8(v + proto + 1)?,
        b.be32(v + 12)?,
    );
    Ok(())
}

/// The IPv4 address at `at`.
fn addr(b: &Bytes<'_>, at: usize) -> Result<[u8; 4], super::trunc::Trunc> {
    let a = b.take(at, 4)?;
    Ok([a[0], a[1], a[2], a[3]])
}

/// An IPv4 route's next hop: `self` for 0.0.0.0.
fn next_hop_ip(out: &mut String, b: &Bytes<'_>, at: usize) -> Printed {
    let a = addr(b, at)?;
    if a == [0; 4] {
        out.push_str("self");
    } else {
        push_ip4(out, a);
    }
    Ok(())
}

/// The metric line at `m`: delay, bandwidth, MTU, hops, reliability, load.
fn metric(out: &mut String, b: &Bytes<'_>, m: usize) -> Printed {
    let _ = write!(
        out,
        "\n\t      delay {} ms, bandwidth {} Kbps, mtu {}, hop {}, reliability {}, load {}",
        b.be32(m)? / 100,
        b.be32(m + 4)?,
        b.be24(m + 8)?,
        b.u8(m + 11)?,
        b.u8(m + 12)?,
        b.u8(m + 13)?
    );
    Ok(())
}
