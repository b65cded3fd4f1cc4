//! UPDATE's pieces (print-bgp.c): prefixes, route lists with ADD-PATH
//! detection, path attributes and extended communities.

use super::names::*;
use super::{ip4, ip6, named};
use crate::decode::nd::{bittok, tok, unknown_data};
use crate::decode::num::{push_ip4, push_ip6};
use crate::decode::trunc::{Bytes, Printed, Trunc};
use core::fmt::Write;

/// decode_prefix4/6: `addr/len` and the bytes used; `Ok(None)` for an
/// illegal length (-1), `Err(())`-like `Ok(Some((_, 0)))` never happens.
enum Prefix {
    Ok(String, usize),
    Illegal,
    Short,
}

fn prefix(b: &Bytes<'_>, at: usize, itemlen: usize, v6: bool) -> Result<Prefix, Trunc> {
    if itemlen < 1 {
        return Ok(Prefix::Short);
    }
    let plen = usize::from(b.u8(at)?);
    let max = if v6 { 128 } else { 32 };
    if plen > max {
        return Ok(Prefix::Illegal);
    }
    let bytes = plen.div_ceil(8);
    if itemlen - 1 < bytes {
        return Ok(Prefix::Short);
    }
    let mut a = [0u8; 16];
    a[..bytes].copy_from_slice(b.take(at + 1, bytes)?);
    if plen % 8 != 0 {
        a[bytes - 1] &= ((0xff00u32 >> (plen % 8)) & 0xff) as u8;
    }
    let mut s = String::new();
    if v6 {
        push_ip6(&mut s, a);
    } else {
        push_ip4(&mut s, [a[0], a[1], a[2], a[3]]);
    }
    let _ = write!(s, "/{plen}");
    Ok(Prefix::Ok(s, 1 + bytes))
}

/// check_add_path: whether NLRI look like they carry ADD-PATH path ids.
pub(super) fn check_add_path(b: &Bytes<'_>, at: usize, length: usize, max_plen: usize) -> bool {
    if length < 5 {
        return false;
    }
    let mut off = 0;
    while off < length {
        off += 4;
        let Ok(plen) = b.u8(at + off) else {
            break;
        };
        if usize::from(plen) > max_plen {
            return false;
        }
        off += 1 + usize::from(plen).div_ceil(8);
    }
    if off > length {
        return false;
    }
    let mut off = 0;
    while off < length {
        let Ok(plen) = b.u8(at + off) else {
            break;
        };
        let plen = usize::from(plen);
        if plen < 1 || plen > max_plen {
            return true;
        }
        off += 1 + plen.div_ceil(8);
    }
    off > length
}

/// What printing one IPv4 route of an UPDATE did.
enum Route {
    /// The route took this many bytes.
    Next(usize),
    /// An illegal prefix length: the list ends.
    Stop,
    /// Bytes left, but not enough (tcpdump's `trunc`).
    Cut,
}

/// One withdrawn or updated IPv4 route, with its ADD-PATH id.
fn route(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    avail: usize,
    path_id: Option<u32>,
) -> Result<Route, Trunc> {
    Ok(match prefix(b, at, avail, false)? {
        Prefix::Illegal => {
            out.push_str("\n\t    (illegal prefix length)");
            Route::Stop
        }
        Prefix::Short => Route::Cut,
        Prefix::Ok(s, n) => {
            let _ = write!(out, "\n\t    {s}");
            if let Some(id) = path_id {
                let _ = write!(out, "   Path Id: {id}");
            }
            Route::Next(n)
        }
    })
}

/// The withdrawn (or updated) routes, `n` bytes from `at`: the bytes
/// used, `None` when they end cut (` [|bgp]`).
pub(super) fn route_list(
    out: &mut String,
    b: &Bytes<'_>,
    at: usize,
    n: usize,
    withdrawn: bool,
) -> Result<Option<usize>, Trunc> {
    let add_path = check_add_path(b, at, n, 32);
    let (mut p, mut left) = (at, n);
    while left != 0 {
        let mut id = None;
        if add_path {
            if left < 4 {
                if !withdrawn {
                    return Ok(None);
                }
                p += left;
                break;
            }
            id = Some(b.be32(p)?);
            p += 4;
            left -= 4;
        }
        match route(out, b, p, left, id)? {
            Route::Stop => break,
            Route::Cut => return Ok(None),
            Route::Next(k) => {
                p += k;
                left -= k;
            }
        }
    }
    Ok(Some(p - at))
}

/// bgp_attr_get_as_size: 2 when the path parses with 2-byte ASes.
fn as_size(b: &Bytes<'_>, ty: u8, at: usize, len: usize) -> usize {
    if ty == 17 {
        return 4;
    }
    let mut t = at;
    while t < at + len {
        match b.u8(t) {
            Ok(1..=4) => {}
            _ => return 4,
        }
        match b.u8(t + 1) {
            Ok(n) => t += 2 + usize::from(n) * 2,
            Err(_) => return 4,
        }
    }
    if t == at + len {
        2
    } else {
        4
    }
}

/// bgp_attr_print: `false` where tcpdump returns 0 (the caller prints
/// ` [|bgp]`).
pub(super) fn attr(
    out: &mut String,
    b: &Bytes<'_>,
    ty: u8,
    at: usize,
    len: usize,
    v: u8,
) -> Result<bool, Trunc> {
    let mut t = at;
    let mut tlen = len;
    let invalid = |out: &mut String| out.push_str("invalid len");
    match ty {
        1 => {
            if len != 1 {
                invalid(out);
            } else {
                out.push_str(tok(ORIGIN, u32::from(b.u8(t)?)).unwrap_or("Unknown Origin Typecode"));
            }
        }
        2 | 17 => {
            if len % 2 != 0 {
                invalid(out);
            } else if len == 0 {
                out.push_str("empty");
            } else {
                let size = as_size(b, ty, at, len);
                while t < at + len {
                    let seg = b.u8(t)?;
                    out.push_str(match seg {
                        2 => "",
                        1 => "{ ",
                        3 => "( ",
                        4 => "({ ",
                        _ => "?",
                    });
                    let count = usize::from(b.u8(t + 1)?) * size;
                    let mut i = 0;
                    while i < count {
                        if !b.has(t + 2 + i, size) {
                            return Ok(false);
                        }
                        let asn = if size == 2 {
                            u32::from(b.be16(t + 2 + i)?)
                        } else {
                            b.be32(t + 2 + i)?
                        };
                        let _ = write!(out, "{asn} ");
                        i += size;
                    }
                    out.push_str(match seg {
                        2 => "",
                        1 => "}",
                        3 => ")",
                        4 => "})",
                        _ => "?",
                    });
                    t += 2 + usize::from(b.u8(t + 1)?) * size;
                }
            }
        }
        3 | 9 => {
            if len != 4 {
                invalid(out);
            } else {
                out.push_str(&ip4(b, t)?);
            }
        }
        4 | 5 => {
            if len != 4 {
                invalid(out);
            } else {
                let _ = write!(out, "{}", b.be32(t)?);
            }
        }
        6 => {
            if len != 0 {
                invalid(out);
            }
        }
        7 | 18 => {
            if (ty == 7 && len != 6 && len != 8) || (ty == 18 && len != 8) {
                invalid(out);
            } else {
                b.take(t, len)?;
                if len == 6 {
                    let _ = write!(out, " AS #{}, origin {}", b.be16(t)?, ip4(b, t + 2)?);
                } else {
                    let _ = write!(out, " AS #{}, origin {}", b.be32(t)?, ip4(b, t + 4)?);
                }
            }
        }
        8 => {
            if len % 4 != 0 {
                invalid(out);
            } else {
                while tlen != 0 {
                    let comm = b.be32(t)?;
                    match comm {
                        0xffff_ff01 => out.push_str(" NO_EXPORT"),
                        0xffff_ff02 => out.push_str(" NO_ADVERTISE"),
                        0xffff_ff03 => out.push_str(" NO_EXPORT_SUBCONFED"),
                        _ => {
                            let sep = if tlen > 4 { ", " } else { "" };
                            let _ = write!(out, "{}:{}{sep}", comm >> 16, comm & 0xffff);
                        }
                    }
                    tlen -= 4;
                    t += 4;
                }
            }
        }
        10 => {
            if len % 4 != 0 {
                invalid(out);
            } else {
                while tlen != 0 {
                    let sep = if tlen > 4 { ", " } else { "" };
                    let _ = write!(out, "{}{sep}", ip4(b, t)?);
                    tlen -= 4;
                    t += 4;
                }
            }
        }
        14 | 15 => {
            if !b.has(t, 3) || tlen < 3 {
                return Ok(false);
            }
            let Some((af, _safi)) = mp_af(out, b, t, tlen, v)? else {
                return dump_vv(out, b, at, len, v);
            };
            t += 3;
            tlen -= 3;
            if ty == 14 {
                if tlen < 1 {
                    return Ok(false);
                }
                let nhlen = usize::from(b.u8(t)?);
                t += 1;
                tlen -= 1;
                if nhlen > 0 {
                    if tlen < nhlen {
                        return Ok(false);
                    }
                    out.push_str("\n\t    nexthop: ");
                    let (mut left, mut n) = (nhlen, 0);
                    let size = if af == 1 { 4 } else { 16 };
                    while left != 0 {
                        if n > 0 {
                            out.push_str(", ");
                        }
                        n += 1;
                        if left < size {
                            out.push_str("invalid len");
                            t += left;
                            tlen -= left;
                            left = 0;
                        } else {
                            out.push_str(&if size == 4 { ip4(b, t)? } else { ip6(b, t)? });
                            t += size;
                            tlen -= size;
                            left -= size;
                        }
                    }
                }
                let _ = write!(out, ", nh-length: {nhlen}");
                if tlen < 1 {
                    return Ok(false);
                }
                let snpa = b.u8(t)?;
                t += 1;
                tlen -= 1;
                if snpa > 0 {
                    let _ = write!(out, "\n\t    {snpa} SNPA");
                    for _ in 0..snpa {
                        if tlen < 1 {
                            return Ok(false);
                        }
                        let sl = usize::from(b.u8(t)?);
                        let _ = write!(out, "\n\t      {sl} bytes");
                        t += 1;
                        tlen -= 1;
                        if tlen < sl {
                            return Ok(false);
                        }
                        b.take(t, sl)?;
                        t += sl;
                        tlen -= sl;
                    }
                } else {
                    out.push_str(", no SNPA");
                }
            } else if len == 3 {
                out.push_str("\n\t      End-of-Rib Marker (empty NLRI)");
            }
            let rest = len - (t - at);
            let ap = check_add_path(b, t, rest, if af == 1 { 32 } else { 128 });
            while t < at + len {
                let mut path_id = 0;
                if ap {
                    path_id = b.be32(t)?;
                    t += 4;
                }
                // bgp_nlri_print passes the whole attribute length.
                match prefix(b, t, len, af == 2)? {
                    Prefix::Illegal => {
                        out.push_str("\n\t    (illegal prefix length)");
                        break;
                    }
                    Prefix::Short => break,
                    Prefix::Ok(s, n) => {
                        let _ = write!(out, "\n\t      {s}");
                        if ap {
                            let _ = write!(out, "   Path Id: {path_id}");
                        }
                        t += n;
                    }
                }
            }
        }
        16 => {
            if len % 8 != 0 {
                invalid(out);
            } else {
                while tlen != 0 {
                    let code = b.be16(t)?;
                    out.push_str("\n\t    ");
                    out.push_str(
                        tok(EXT_COMM, u32::from(code)).unwrap_or("unknown extd community typecode"),
                    );
                    let _ = write!(out, " (0x{code:04x}), Flags [");
                    bittok(
                        out,
                        &[(0x8000, "vendor-specific"), (0x4000, "non-transitive")],
                        "none",
                        u32::from(code),
                        ", ",
                    );
                    out.push_str("]: ");
                    ext_community(out, b, t)?;
                    tlen -= 8;
                    t += 8;
                }
            }
        }
        32 => {
            if len == 0 || len % 12 != 0 {
                invalid(out);
            } else {
                // tcpdump counts `len` down here: no -vv dump follows.
                out.push_str("\n\t    ");
                while tlen != 0 {
                    let sep = if tlen > 12 { ", " } else { "" };
                    let _ = write!(
                        out,
                        "{}:{}:{}{sep}",
                        b.be32(t)?,
                        b.be32(t + 4)?,
                        b.be32(t + 8)?
                    );
                    t += 12;
                    tlen -= 12;
                }
                return dump_vv(out, b, at, tlen, v);
            }
        }
        _ => {
            b.take(at, len)?;
            let _ = write!(out, "\n\t    no Attribute {ty} decoder");
            if v <= 1 {
                unknown_data(out, b, at, "\n\t    ", len);
            }
        }
    }
    dump_vv(out, b, at, len, v)
}

/// The attribute's hex dump tcpdump adds at -vv (`done:`).
fn dump_vv(out: &mut String, b: &Bytes<'_>, at: usize, len: usize, v: u8) -> Result<bool, Trunc> {
    if v > 1 && len > 0 {
        b.take(at, len)?;
        unknown_data(out, b, at, "\n\t    ", len);
    }
    Ok(true)
}

/// bgp_mp_af_print: the AFI/SAFI line; `None` when there is no decoder for
/// the pair (after the hex dump at -v).
fn mp_af(
    out: &mut String,
    b: &Bytes<'_>,
    t: usize,
    tlen: usize,
    v: u8,
) -> Result<Option<(u16, u8)>, Trunc> {
    let af = b.be16(t)?;
    let safi = b.u8(t + 2)?;
    out.push_str("\n\t    AFI: ");
    named(out, AFI, u32::from(af), "Unknown AFI");
    let _ = write!(
        out,
        ", {}SAFI: ",
        if safi > 128 { "vendor specific " } else { "" }
    );
    named(out, SAFI, u32::from(safi), "Unknown SAFI");
    if (af == 1 || af == 2) && (1..=3).contains(&safi) {
        return Ok(Some((af, safi)));
    }
    b.take(t, tlen)?;
    let _ = write!(out, "\n\t    no AFI {af} / SAFI {safi} decoder");
    if v <= 1 {
        unknown_data(out, b, t, "\n\t    ", tlen);
    }
    Ok(None)
}

/// bgp_extended_community_print (the common forms).
fn ext_community(out: &mut String, b: &Bytes<'_>, t: usize) -> Printed {
    match b.be16(t)? {
        0x0002 | 0x0003 | 0x000a => {
            let _ = write!(
                out,
                "{}:{} (= {})",
                b.be16(t + 2)?,
                b.be32(t + 4)?,
                ip4(b, t + 4)?
            );
        }
        0x0102 | 0x0103 | 0xf10a | 0x010b => {
            let _ = write!(out, "{}:{}", ip4(b, t + 2)?, b.be16(t + 6)?);
        }
        0x0202 | 0x0203 => {
            let _ = write!(out, "{}:{}", b.be32(t + 2)?, b.be16(t + 6)?);
        }
        0x4004 => {
            let bw = f32::from_bits(b.be32(t + 4)?);
            let _ = write!(
                out,
                "bandwidth: {:.3} Mbps",
                f64::from(bw) * 8.0 / 1_000_000.0
            );
        }
        0x0005 | 0x0105 | 0x0205 | 0x8005 | 0x0107 | 0x8001 => {
            out.push_str(&ip4(b, t + 2)?);
        }
        0x0009 => {
            let _ = write!(out, "AS {}", b.be16(t + 2)?);
        }
        0x0306 | 0x8000 => {
            let rtype = b.u8(t + 6)?;
            let _ = write!(out, "area:{}, router-type:", ip4(b, t + 2)?);
            match tok(OSPF_RTYPES, u32::from(rtype)) {
                Some(n) => out.push_str(n),
                None => {
                    let _ = write!(out, "unknown (0x{rtype:02x})");
                }
            }
            let _ = write!(
                out,
                ", metric-type:{}{}",
                if b.u8(t + 7)? & 1 != 0 { "E2" } else { "" },
                if rtype == 5 || rtype == 7 { "E1" } else { "" }
            );
        }
        _ => {
            for k in 2..8 {
                let _ = write!(out, "{:02x}", b.u8(t + k)?);
            }
        }
    }
    Ok(())
}
