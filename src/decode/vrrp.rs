//! VRRP v2/v3 (print-vrrp.c): `VRRPv2, Advertisement, vrid 1, prio 100,
//! authtype none, intvl 1s, length 20`, the TTL when not 255, and with
//! `-v` the checksum verdict, the addresses and a simple password.

use super::cksum::inet_checksum;
use super::dispatch::IpPayload;
use super::nd::{printjnp, tok, Tok};
use super::num::{push_ip4, push_ip6};
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

const AUTH: &Tok = &[(0, "none"), (1, "simple"), (2, "ah")];

/// vrrp_print.
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let b = Bytes::new(seg.data, "vrrp");
    let len = seg.length;
    out.push_str("VRRP");
    let b0 = b.u8(0)?;
    let (version, ty) = (b0 >> 4, b0 & 0x0f);
    let _ = write!(out, "v{version}, ");
    if ty == 1 {
        out.push_str("Advertisement");
    } else {
        let _ = write!(out, "unknown type ({ty})");
    }
    if seg.ttl != 255 {
        let _ = write!(out, ", (ttl {})", seg.ttl);
    }
    if !(2..=3).contains(&version) || ty != 1 {
        return Ok(());
    }
    let (vrid, prio) = (b.u8(1)?, b.u8(2)?);
    let _ = write!(out, ", vrid {vrid}, prio {prio}");
    let auth_type = b.u8(4)?;
    if version == 2 {
        let _ = write!(
            out,
            ", authtype {}",
            tok(AUTH, u32::from(auth_type)).map_or_else(|| format!("#{auth_type}"), str::to_string)
        );
        let _ = write!(out, ", intvl {}s, length {len}", b.u8(5)?);
    } else {
        let b5 = b.u8(5)?;
        let intvl = (u16::from(auth_type & 0x0f) << 8) | u16::from(b5);
        let _ = write!(out, ", intvl {intvl}cs, length {len}");
    }
    if p.opts.verbose == 0 {
        return Ok(());
    }
    let naddrs = usize::from(b.u8(3)?);
    if b.has(0, len) {
        let whole = &seg.data[..len];
        let bad = if version == 2 {
            inet_checksum(&[whole]) != 0
        } else {
            seg.ip.checksum(112, len, whole) != 0
        };
        if bad {
            let _ = write!(out, ", (bad vrrp cksum {:x})", b.be16(6)?);
        }
    }
    out.push_str(", addrs");
    if naddrs > 1 {
        let _ = write!(out, "({naddrs})");
    }
    out.push(':');
    let mut c = ' ';
    let mut at = 8;
    // VRRPv3 over IPv6 carries IPv6 addresses.
    let alen = if seg.ip.v6 && version == 3 { 16 } else { 4 };
    for _ in 0..naddrs {
        // GET_IPADDR_STRING: past the capture is a longjmp.
        let a = b.take(at, alen)?;
        out.push(c);
        if let Ok(a6) = <[u8; 16]>::try_from(a) {
            push_ip6(out, a6);
        } else {
            push_ip4(out, [a[0], a[1], a[2], a[3]]);
        }
        c = ',';
        at += alen;
    }
    if version == 2 && auth_type == 1 {
        out.push_str(" auth \"");
        printjnp(out, &b, at, 8)?;
        out.push('"');
    }
    Ok(())
}
