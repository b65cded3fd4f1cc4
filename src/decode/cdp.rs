//! Cisco Discovery Protocol (print-cdp.c).

use super::demux::Ip;
use super::hex;
use super::text::Printer;
use super::trunc::{Bytes, Trunc};
use super::util::{bittok, print_char, Tok};
use core::fmt::Write;

const CAPS: &Tok = &[
    (0x01, "Router"),
    (0x02, "Transparent Bridge"),
    (0x04, "Source Route Bridge"),
    (0x08, "L2 Switch"),
    (0x10, "L3 capable"),
    (0x20, "IGMP snooping"),
    (0x40, "L1 capable"),
];

/// How a TLV's value is printed.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    Addr,
    Caps,
    Version,
    Prefixes,
    None,
    U16,
    Duplex,
    Ata186,
    Power,
    Mtu,
    U8x,
    PhysLoc,
}

/// print-cdp.c's cdptlvs: name, printer, minimum and maximum length.
const TLVS: [Option<(&str, Kind, i32, i32)>; 0x18] = [
    None,
    Some(("Device-ID", Kind::Str, -1, -1)),
    Some(("Address", Kind::Addr, -1, -1)),
    Some(("Port-ID", Kind::Str, -1, -1)),
    Some(("Capability", Kind::Caps, 4, 4)),
    Some(("Version String", Kind::Version, -1, -1)),
    Some(("Platform", Kind::Str, -1, -1)),
    Some(("Prefixes", Kind::Prefixes, -1, -1)),
    Some(("Protocol-Hello option", Kind::None, -1, -1)),
    Some(("VTP Management Domain", Kind::Str, -1, -1)),
    Some(("Native VLAN ID", Kind::U16, 2, 2)),
    Some(("Duplex", Kind::Duplex, 1, 1)),
    None,
    None,
    Some(("ATA-186 VoIP VLAN assignment", Kind::Ata186, 3, 3)),
    Some(("ATA-186 VoIP VLAN request", Kind::Ata186, 2, 3)),
    Some(("power consumption", Kind::Power, 1, 3)),
    Some(("MTU", Kind::Mtu, 4, 4)),
    Some(("AVVID trust bitmap", Kind::U8x, 1, 1)),
    Some(("AVVID untrusted ports CoS", Kind::U8x, 1, 1)),
    Some(("System Name", Kind::Str, -1, -1)),
    Some(("System Object ID (not decoded)", Kind::None, -1, -1)),
    Some(("Management Addresses", Kind::Addr, 4, -1)),
    Some(("Physical Location", Kind::PhysLoc, 1, -1)),
];

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// cdp_print.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Result<(), Trunc> {
    let b = Bytes::new(data, "cdp");
    let orig = length;
    let v = p.opts.verbose > 0;
    let invalid = |out: &mut String, at: usize, length: usize| -> Result<(), Trunc> {
        out.push_str(" (invalid)");
        b.take(at, length)?;
        Ok(())
    };
    if length < 4 {
        let _ = write!(out, " (packet length {length} < 4)");
        return invalid(out, 0, length);
    }
    let _ = write!(out, "CDPv{}, ttl: {}s", b.u8(0)?, b.u8(1)?);
    let ck = b.be16(2)?;
    if v {
        let _ = write!(out, ", checksum: 0x{ck:04x} (unverified), length {orig}");
    }
    let mut at = 4;
    let mut length = length - 4;
    while length > 0 {
        if length < 4 {
            let _ = write!(out, " (remaining packet length {length} < 4)");
            return invalid(out, at, length);
        }
        let ty = b.be16(at)?;
        let len = usize::from(b.be16(at + 2)?);
        let info = TLVS.get(usize::from(ty)).copied().flatten();
        let name = info.map_or("unknown field type", |i| i.0);
        if len < 4 {
            if v {
                let _ = write!(
                    out,
                    "\n\t{name} (0x{ty:02x}), TLV length: {len} byte{} (too short)",
                    plural(len)
                );
            } else {
                let _ = write!(out, ", {name} TLV length {len} too short");
            }
            return invalid(out, at, length);
        }
        if len > length {
            let _ = write!(out, " (TLV length {len} > {length})");
            return invalid(out, at, length);
        }
        at += 4;
        length -= 4;
        let len = len - 4;
        if !v && ty == 1 {
            out.push_str(", Device-ID ");
        } else if v {
            let _ = write!(
                out,
                "\n\t{name} (0x{ty:02x}), value length: {len} byte{}: ",
                plural(len)
            );
        }
        let mut covered = false;
        if let Some((_, kind, min, max)) = info {
            let l = len as i32;
            if (min > 0 && l < min) || (max > 0 && l > max) {
                out.push_str(" (malformed TLV)");
            } else if v || ty == 1 {
                value(out, &b, kind, at, len)?;
                covered = true;
            }
        }
        if !covered {
            b.take(at, len)?;
            hex::hex_with(out, "\n\t  ", &data[at..at + len]);
        }
        at += len;
        length -= len;
    }
    if !v {
        let _ = write!(out, ", length {orig}");
    }
    Ok(())
}

/// One TLV value by its kind.
fn value(out: &mut String, b: &Bytes<'_>, kind: Kind, at: usize, len: usize) -> Result<(), Trunc> {
    match kind {
        Kind::Str => {
            out.push('\'');
            for i in 0..len {
                print_char(out, b.u8(at + i)?);
            }
            out.push('\'');
        }
        Kind::Addr => addresses(out, b, at, len)?,
        Kind::Caps => {
            let val = b.be32(at)?;
            let _ = write!(out, "(0x{val:08x}): ");
            bittok(out, CAPS, "none", val);
        }
        Kind::Version => {
            out.push_str("\n\t  ");
            for i in 0..len {
                match b.u8(at + i)? {
                    b'\n' => out.push_str("\n\t  "),
                    c => print_char(out, c),
                }
            }
        }
        Kind::Prefixes => {
            if len % 5 != 0 {
                let _ = write!(out, " [length {len} is not a multiple of 5]");
                b.take(at, len)?;
                return Ok(());
            }
            let _ = write!(out, " IPv4 Prefixes ({}):", len / 5);
            for i in 0..len / 5 {
                let x = b.take(at + i * 5, 5)?;
                let _ = write!(out, " {}.{}.{}.{}/{}", x[0], x[1], x[2], x[3], x[4]);
            }
        }
        Kind::None => {
            b.take(at, len)?;
        }
        Kind::U16 => {
            let _ = write!(out, "{}", b.be16(at)?);
        }
        Kind::Duplex => out.push_str(if b.u8(at)? != 0 { "full" } else { "half" }),
        Kind::Ata186 => {
            if len == 2 {
                let _ = write!(out, "unknown 0x{:04x}", b.be16(at)?);
            } else {
                let _ = write!(out, "app {}, vlan {}", b.u8(at)?, b.be16(at + 1)?);
            }
        }
        Kind::Power => {
            let val = match len {
                1 => u32::from(b.u8(at)?),
                2 => u32::from(b.be16(at)?),
                3 => b.be24(at)?,
                _ => 0,
            };
            let _ = write!(out, "{:1.2}W", f64::from(val) / 1000.0);
        }
        Kind::Mtu => {
            let _ = write!(out, "{} bytes", b.be32(at)?);
        }
        Kind::U8x => {
            let _ = write!(out, "0x{:02x}", b.u8(at)?);
        }
        Kind::PhysLoc => {
            let _ = write!(out, "0x{:02x}", b.u8(at)?);
            if len > 1 {
                out.push('/');
                for i in 1..len {
                    print_char(out, b.u8(at + i)?);
                }
            }
        }
    }
    Ok(())
}

/// cdp_print_addr.
fn addresses(out: &mut String, b: &Bytes<'_>, mut at: usize, mut l: usize) -> Result<(), Trunc> {
    const PROT_IPV6: [u8; 8] = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd];
    let invalid = |at: usize, l: usize| -> Result<(), Trunc> {
        b.take(at, l)?;
        Ok(())
    };
    if l < 4 {
        out.push_str(" (not enough space for num)");
        return invalid(at, l);
    }
    let mut num = b.be32(at)?;
    at += 4;
    l -= 4;
    while num > 0 {
        if l < 2 {
            out.push_str(" (not enough space for PT+PL)");
            return invalid(at, l);
        }
        let pt = b.u8(at)?;
        let pl = usize::from(b.u8(at + 1)?);
        at += 2;
        l -= 2;
        if l < pl + 2 {
            out.push_str(" (not enough space for P+AL)");
            return invalid(at, l);
        }
        let al = usize::from(b.be16(at + pl)?);
        let ipv4 = pt == 1 && pl == 1 && b.u8(at)? == 0xcc && al == 4;
        let ipv6 = pt == 2 && pl == 8 && b.take(at, 8)? == PROT_IPV6 && al == 16;
        if ipv4 || ipv6 {
            at += pl + 2;
            l -= pl + 2;
            if l < al {
                out.push_str(" (not enough space for A)");
                return invalid(at, l);
            }
            let _ = write!(
                out,
                "{} ({num}) {}",
                if ipv4 { "IPv4" } else { "IPv6" },
                Ip::addr(b.take(at, al)?)
            );
            at += al;
            l -= al;
        } else {
            let _ = write!(out, "pt=0x{pt:02x}, pl={pl}, pb=");
            for _ in 0..pl {
                let _ = write!(out, " {:02x}", b.u8(at)?);
                at += 1;
                l -= 1;
            }
            let _ = write!(out, ", al={al}, a=");
            at += 2;
            l -= 2;
            if l < al {
                out.push_str(" (not enough space for A)");
                return invalid(at, l);
            }
            for _ in 0..al {
                let _ = write!(out, " {:02x}", b.u8(at)?);
                at += 1;
                l -= 1;
            }
        }
        num -= 1;
        if num > 0 {
            out.push(' ');
        }
    }
    if l > 0 {
        let _ = write!(out, " ({l} bytes of stray data)");
    }
    Ok(())
}
