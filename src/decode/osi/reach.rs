//! IS-IS IP reachability (print-isoclns.c): the extended IP reachability
//! of TLVs 135/235/236/237 with its sub-TLVs, the old-style IP
//! reachability of TLVs 128/130, the metric block, the multi-topology ID
//! and the router capability sub-TLVs. Each returns what the C function
//! returns (0 for "something went wrong", which the TLV loop turns into
//! ` [|isis]`).

use super::super::bgp::ip4;
use super::super::nd::{tok, Tok};
use super::super::num::{push_ip4, push_ip6};
use super::super::rip::mask2plen;
use super::super::trunc::{mark, Bytes, Trunc};
use super::super::util::bittok;
use super::unknown_data;
use core::fmt::Write;

const EXT_IP_SUBTLVS: &Tok = &[
    (1, "32-Bit Administrative tag"),
    (2, "64-Bit Administrative tag"),
    (3, "Prefix SID"),
    (117, "Management Prefix Color"),
];

const PREFIX_SID_FLAGS: &Tok = &[
    (0x80, "Readvertisement"),
    (0x40, "Node"),
    (0x20, "No-PHP"),
    (0x10, "Explicit NULL"),
    (0x08, "Value"),
    (0x04, "Local"),
];

const PREFIX_SID_ALGOS: &Tok = &[(0, "SPF"), (1, "strict-SPF")];

const MT_VALUES: &Tok = &[
    (0, "IPv4 unicast"),
    (1, "In-Band Management"),
    (2, "IPv6 unicast"),
    (3, "Multicast"),
    (4095, "Development, Experimental or Proprietary"),
];

const MT_FLAGS: &Tok = &[(0x4000, "ATT bit set"), (0x8000, "Overload bit set")];

const ROUTER_CAP_SUBTLVS: &Tok = &[(2, "SR-Capabilities")];

const SR_FLAGS: &Tok = &[(0x80, "ipv4"), (0x40, "ipv6")];

pub(super) fn name(table: &Tok, v: u32, unknown: &'static str) -> &'static str {
    tok(table, v).unwrap_or(unknown)
}

/// isis_print_mtid: 2, or 0 when fewer than 2 bytes remain.
pub(super) fn mtid(
    out: &mut String,
    b: &Bytes<'_>,
    t: usize,
    ident: &str,
    rem: u32,
) -> Result<u32, Trunc> {
    if rem < 2 {
        return Ok(0);
    }
    let v = b.be16(t)?;
    let mt = u32::from(v & 0x0fff);
    let _ = write!(
        out,
        "{ident}{} Topology (0x{mt:03x}), Flags: [",
        name(MT_VALUES, mt, "Reserved for IETF Consensus")
    );
    bittok(out, MT_FLAGS, "none", u32::from(v & 0xf000));
    out.push(']');
    Ok(2)
}

/// isis_print_ip_reach_subtlv: false after a cut (its marker printed).
fn ip_reach_subtlv(
    out: &mut String,
    b: &Bytes<'_>,
    mut t: usize,
    st: u8,
    sl: u8,
    ident: &str,
) -> Result<bool, Trunc> {
    let _ = write!(
        out,
        "{ident}{} subTLV #{st}, length: {sl}",
        name(EXT_IP_SUBTLVS, u32::from(st), "unknown")
    );
    if !b.has(t, usize::from(sl)) {
        mark(out, "isis");
        return Ok(false);
    }
    let mut sl = u32::from(sl);
    match st {
        1 | 117 => {
            while sl >= 4 {
                let v = b.be32(t)?;
                let _ = write!(out, ", 0x{v:08x} (={v})");
                t += 4;
                sl -= 4;
            }
        }
        2 => {
            while sl >= 8 {
                let (h, l) = (b.be32(t)?, b.be32(t + 4)?);
                let _ = write!(out, ", 0x{h:08x}{l:08x}");
                t += 8;
                sl -= 8;
            }
        }
        3 => {
            let flags = b.u8(t)?;
            let algo = b.u8(t + 1)?;
            let value = flags & 0x08 != 0;
            let sid = if value {
                if sl < 5 {
                    mark(out, "isis");
                    return Ok(false);
                }
                b.be24(t + 2)?
            } else {
                if sl < 6 {
                    mark(out, "isis");
                    return Ok(false);
                }
                b.be32(t + 2)?
            };
            out.push_str(", Flags [");
            bittok(out, PREFIX_SID_FLAGS, "None", u32::from(flags));
            let _ = write!(
                out,
                "], Algo {} ({algo}), {} {sid}",
                name(PREFIX_SID_ALGOS, u32::from(algo), "Unknown"),
                if value { "label" } else { "index" }
            );
        }
        _ => {
            if !unknown_data(out, b, t, "\n\t\t    ", sl as usize) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// isis_print_extd_ip_reach: the bytes used, 0 on a bad prefix length or
/// a cut sub-TLV.
pub(super) fn extd_ip_reach(
    out: &mut String,
    b: &Bytes<'_>,
    mut t: usize,
    ident: &str,
    v6: bool,
) -> Result<u32, Trunc> {
    let metric = b.be32(t)?;
    let mut processed = 4u32;
    t += 4;
    let status;
    let bits;
    if !v6 {
        status = b.u8(t)?;
        t += 1;
        bits = u32::from(status & 0x3f);
        if bits > 32 {
            let _ = write!(out, "{ident}IPv4 prefix: bad bit length {bits}");
            return Ok(0);
        }
        processed += 1;
    } else {
        status = b.u8(t)?;
        bits = u32::from(b.u8(t + 1)?);
        if bits > 128 {
            let _ = write!(out, "{ident}IPv6 prefix: bad bit length {bits}");
            return Ok(0);
        }
        t += 2;
        processed += 2;
    }
    let blen = (bits as usize).div_ceil(8);
    let mut prefix = [0u8; 16];
    prefix[..blen].copy_from_slice(b.take(t, blen)?);
    t += blen;
    processed += blen as u32;
    if !v6 {
        let mut a = String::new();
        push_ip4(&mut a, [prefix[0], prefix[1], prefix[2], prefix[3]]);
        let _ = write!(out, "{ident}IPv4 prefix: {a:>15}/{bits}");
    } else {
        let mut a = String::new();
        push_ip6(&mut a, prefix);
        let _ = write!(out, "{ident}IPv6 prefix: {a}/{bits}");
    }
    let _ = write!(
        out,
        ", Distribution: {}, Metric: {metric}",
        if status & 0x80 != 0 { "down" } else { "up" }
    );
    let sub = if v6 {
        status & 0x20 != 0
    } else {
        status & 0x40 != 0
    };
    if !v6 && sub {
        out.push_str(", sub-TLVs present");
    } else if v6 {
        let _ = write!(
            out,
            ", {}{}",
            if status & 0x40 != 0 {
                "External"
            } else {
                "Internal"
            },
            if sub { ", sub-TLVs present" } else { "" }
        );
    }
    if sub {
        let mut sublen = u32::from(b.u8(t)?);
        t += 1;
        processed = processed.wrapping_add(sublen + 1);
        let _ = write!(out, " ({sublen})");
        let ident2 = format!("{ident}  ");
        while sublen > 0 {
            let st = b.u8(t)?;
            let sl = b.u8(t + 1)?;
            t += 2;
            if !ip_reach_subtlv(out, b, t, st, sl, &ident2)? {
                return Ok(0);
            }
            t += usize::from(sl);
            sublen = sublen.wrapping_sub(u32::from(sl) + 2);
        }
    }
    Ok(processed)
}

fn metric(out: &mut String, what: &str, v: u8) {
    let _ = write!(
        out,
        "{what} Metric: {}, {}",
        v & 0x3f,
        if v & 0x40 != 0 {
            "External"
        } else {
            "Internal"
        }
    );
}

/// isis_print_metric_block: the 4-byte metric block at `t` (checked by
/// the caller).
pub(super) fn metric_block(out: &mut String, m: &[u8]) {
    metric(out, ", Default", m[0]);
    for (k, what) in [(1, "Delay"), (2, "Expense"), (3, "Error")] {
        if m[k] & 0x80 == 0 {
            out.push_str("\n\t\t  ");
            metric(out, what, m[k]);
        }
    }
}

/// isis_print_tlv_ip_reach (TLVs 128, 130): false when the TLV is short
/// or cut (the PDU ends there).
pub(super) fn ip_reach(
    out: &mut String,
    b: &Bytes<'_>,
    mut t: usize,
    ident: &str,
    mut len: u32,
) -> Result<bool, Trunc> {
    while len > 0 {
        if len < 12 {
            let _ = write!(out, "short IPv4 Reachability ({len} vs 12)");
            return Ok(false);
        }
        let Ok(m) = b.take(t, 12) else {
            return Ok(false);
        };
        let mask = u32::from_be_bytes([m[8], m[9], m[10], m[11]]);
        let pfx = ip4(b, t + 4)?;
        match mask2plen(mask) {
            -1 => {
                let _ = write!(out, "{ident}IPv4 prefix: {pfx} mask {}", ip4(b, t + 8)?);
            }
            plen => {
                let _ = write!(out, "{ident}IPv4 prefix: {pfx:>15}/{plen}");
            }
        }
        let d = m[0];
        let _ = write!(
            out,
            ", Distribution: {}, Metric: {}, {}",
            if d & 0x80 != 0 { "down" } else { "up" },
            d & 0x3f,
            if d & 0x40 != 0 {
                "External"
            } else {
                "Internal"
            }
        );
        for (k, what) in [(1, "Delay"), (2, "Expense"), (3, "Error")] {
            if m[k] & 0x80 == 0 {
                let _ = write!(out, "{ident}  ");
                metric(out, what, m[k]);
            }
        }
        len -= 12;
        t += 12;
    }
    Ok(true)
}

/// isis_print_router_cap_subtlv (TLV 242 after its router ID and flags).
pub(super) fn router_cap_subtlv(
    out: &mut String,
    b: &Bytes<'_>,
    mut t: usize,
    mut tlen: u8,
) -> Result<(), Trunc> {
    while tlen >= 2 {
        let st = b.u8(t)?;
        let sl = b.u8(t + 1)?;
        tlen -= 2;
        t += 2;
        let _ = write!(
            out,
            "\n\t\t{} subTLV #{st}, length: {sl}",
            name(ROUTER_CAP_SUBTLVS, u32::from(st), "unknown")
        );
        if sl > tlen {
            break;
        }
        if !b.has(t, usize::from(sl)) {
            return Ok(());
        }
        if st == 2 {
            let flags = b.u8(t)?;
            let range = b.be24(t + 1)?;
            out.push_str(", Flags [");
            bittok(out, SR_FLAGS, "None", u32::from(flags));
            let _ = write!(out, "], Range {range}");
            let mut sp = t + 4;
            let mut stl = sl.wrapping_sub(4);
            while stl >= 5 {
                let ty = b.u8(sp)?;
                let len = b.u8(sp + 1)?;
                stl -= 2;
                sp += 2;
                if len > stl {
                    break;
                }
                if ty == 1 {
                    match len {
                        3 => {
                            let _ = write!(out, ", SID value {}", b.be24(sp)?);
                        }
                        4 => {
                            let _ = write!(out, ", SID value {}", b.be32(sp)?);
                        }
                        _ => {
                            let _ = write!(out, ", Unknown SID length{len}");
                        }
                    }
                } else {
                    unknown_data(out, b, sp, "\n\t\t  ", usize::from(len));
                }
                sp += usize::from(len);
                stl -= len;
            }
        } else {
            unknown_data(out, b, t, "\n\t\t", usize::from(sl));
        }
        tlen -= sl;
        t += usize::from(sl);
    }
    Ok(())
}
