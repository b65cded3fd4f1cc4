//! Linux cooked captures, LINUX_SLL (v1) and LINUX_SLL2 (print-sll.c):
//! what `-i any` writes. The header's fields come from [`crate::linktype`]'s
//! offsets.

use super::dispatch;
use super::ether::{ethertype_name, mac_name, MAX_LENGTH_VAL};
use super::num::be16;
use super::text::Printer;
use super::trunc::{mark, Bytes, Trunc};
use super::{Link, Summary};
use crate::linktype::{sll, sll2};
use core::fmt::Write;

/// Reads a LINUX_SLL header: the protocol and the network layer's offset.
pub(super) fn parse_v1(s: &mut Summary<'_>, data: &[u8]) -> Option<(u16, usize)> {
    if data.len() < sll::HDR_LEN {
        s.truncated = Some("sll");
        return None;
    }
    let alen = usize::from(be16(data, sll::HALEN).unwrap_or(0)).min(8);
    let proto = be16(data, sll::PROTOCOL).unwrap_or(0);
    s.link = Link::Sll {
        pkttype: be16(data, sll::PKTTYPE).unwrap_or(0),
        hatype: be16(data, sll::HATYPE).unwrap_or(0),
        addr: data[sll::ADDR..sll::ADDR + alen].to_vec(),
        protocol: proto,
        ifindex: None,
    };
    Some((proto, sll::HDR_LEN))
}

/// Reads a LINUX_SLL2 header: the protocol and the network layer's offset.
pub(super) fn parse_v2(s: &mut Summary<'_>, data: &[u8]) -> Option<(u16, usize)> {
    if data.len() < sll2::HDR_LEN {
        s.truncated = Some("sll2");
        return None;
    }
    let alen = usize::from(data[sll2::HALEN]).min(8);
    let proto = be16(data, sll2::PROTOCOL).unwrap_or(0);
    s.link = Link::Sll {
        pkttype: u16::from(data[sll2::PKTTYPE]),
        hatype: be16(data, sll2::HATYPE).unwrap_or(0),
        addr: data[sll2::ADDR..sll2::ADDR + alen].to_vec(),
        protocol: proto,
        ifindex: super::num::be32_opt(data, sll2::IFINDEX),
    };
    Some((proto, sll2::HDR_LEN))
}

const PKTTYPES: [&str; 5] = ["In", "B", "M", "P", "Out"];

fn pkttype_name(t: u16) -> &'static str {
    PKTTYPES.get(usize::from(t)).copied().unwrap_or("?")
}

/// sll_print / sll2_print: the `-e` part of a cooked header (after the
/// interface and direction for v2).
fn header(p: &Printer, out: &mut String, halen: usize, addr: &[u8], protocol: u16, length: usize) {
    if halen == 6 {
        let _ = write!(out, "{} ", mac_name(&addr[..6], p.opts.numeric));
    }
    if !p.opts.quiet {
        if protocol <= MAX_LENGTH_VAL {
            match protocol {
                1 => out.push_str("802.3"),
                4 => out.push_str("802.2"),
                _ => {
                    let _ = write!(out, "ethertype Unknown (0x{protocol:04x})");
                }
            }
        } else {
            let _ = write!(
                out,
                "ethertype {} (0x{protocol:04x})",
                ethertype_name(protocol)
            );
        }
        let _ = write!(out, ", length {length}: ");
    }
}

/// sll_if_print: a LINUX_SLL frame; the header length.
pub(super) fn print_v1(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Result<usize, Trunc> {
    let b = Bytes::new(data, "sll");
    if data.len() < sll::HDR_LEN {
        return Err(b.trunc());
    }
    let pkttype = b.be16(sll::PKTTYPE)?;
    let halen = usize::from(b.be16(sll::HALEN)?);
    let addr = b.take(sll::ADDR, 8)?;
    let protocol = b.be16(sll::PROTOCOL)?;
    if p.opts.link_header {
        let _ = write!(out, "{:>3} ", pkttype_name(pkttype));
        header(p, out, halen, addr, protocol, length);
    }
    let hatype = b.be16(sll::HATYPE)?;
    let hdr = |p: &Printer, out: &mut String, length: usize| {
        let _ = write!(out, "{:>3} ", pkttype_name(pkttype));
        header(p, out, halen, addr, protocol, length);
    };
    cooked(p, out, data, length, sll::HDR_LEN, hatype, protocol, &hdr)
}

/// sll2_if_print: a LINUX_SLL2 frame, `ifname In  ` first; the header
/// length. `ifindex` is the capture's own when it knows it (live).
pub(super) fn print_v2(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
    _ifindex: Option<u32>,
) -> Result<usize, Trunc> {
    let b = Bytes::new(data, "sll2");
    if data.len() < sll2::HDR_LEN {
        return Err(b.trunc());
    }
    let ifindex = b.be32(sll2::IFINDEX)?;
    let name = ifname(ifindex).unwrap_or_else(|| "?".into());
    let _ = write!(out, "{name:<5} ");
    let pkttype = u16::from(b.u8(sll2::PKTTYPE)?);
    let _ = write!(out, "{:<3} ", pkttype_name(pkttype));
    let halen = usize::from(b.u8(sll2::HALEN)?);
    let addr = b.take(sll2::ADDR, 8)?;
    let protocol = b.be16(sll2::PROTOCOL)?;
    let hdr = |p: &Printer, out: &mut String, length: usize| {
        let _ = write!(out, "ifindex {ifindex} ");
        header(p, out, halen, addr, protocol, length);
    };
    if p.opts.link_header {
        hdr(p, out, length);
    }
    let hatype = b.be16(sll2::HATYPE)?;
    cooked(p, out, data, length, sll2::HDR_LEN, hatype, protocol, &hdr)
}

/// The part of sll_if_print and sll2_if_print after the header: 802.3 and
/// 802.2 pseudo-types, VLAN tags, then the EtherType's printer.
#[allow(clippy::too_many_arguments)]
fn cooked(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
    hdrlen: usize,
    hatype: u16,
    protocol: u16,
    hdr: &dyn Fn(&Printer, &mut String, usize),
) -> Result<usize, Trunc> {
    let mut length = length.saturating_sub(hdrlen);
    let mut off = hdrlen;
    if hatype == 803 {
        // A radiotap header: not decoded.
        p.default_print(out, &data[off..]);
        return Ok(off);
    }
    let mut et = protocol;
    loop {
        let rest = &data[off..];
        if et <= MAX_LENGTH_VAL {
            match et {
                1 => super::ipx::print(p, out, rest)?,
                4 => {
                    let n = super::llc::print(p, out, rest, length)?;
                    if n < 0 {
                        p.default_print(out, rest);
                    } else {
                        off += n.unsigned_abs();
                    }
                }
                _ => p.default_print(out, rest),
            }
            return Ok(off);
        }
        if et == 0x8100 {
            if rest.len() < 4 {
                mark(out, "vlan");
                return Ok(off + rest.len());
            }
            let b = Bytes::new(rest, "vlan");
            if p.opts.link_header {
                super::ether::tci(out, b.be16(0)?);
                out.push_str(", ");
            }
            et = b.be16(2)?;
            if et <= MAX_LENGTH_VAL {
                et = 4;
            }
            if !p.opts.quiet {
                let _ = write!(out, "ethertype {}, ", ethertype_name(et));
            }
            off += 4;
            length = length.saturating_sub(4);
            continue;
        }
        if !dispatch::ethertype_print(p, out, et, rest, length)? {
            if !p.opts.link_header {
                hdr(p, out, length + hdrlen);
            }
            p.default_print(out, rest);
        }
        return Ok(off);
    }
}

/// The name of interface `index` on this host, as tcpdump prints it for
/// LINUX_SLL2 (if_indextoname on the reading host: a file read elsewhere
/// shows this host's names, and `?` for indexes it does not have). The
/// names come from /sys/class/net, read again at most once a second when
/// an index is missing (an interface may appear during a capture).
pub fn ifname(index: u32) -> Option<String> {
    use std::sync::Mutex;
    use std::time::{Duration, Instant};
    type Names = (std::collections::HashMap<u32, String>, Instant);
    static NAMES: Mutex<Option<Names>> = Mutex::new(None);
    let mut guard = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    let fresh = |g: &Option<Names>| {
        g.as_ref()
            .is_some_and(|(_, t)| t.elapsed() < Duration::from_secs(1))
    };
    if let Some((names, _)) = guard.as_ref() {
        if let Some(n) = names.get(&index) {
            return Some(n.clone());
        }
    }
    if !fresh(&guard) {
        *guard = Some((read_ifnames(), Instant::now()));
    }
    guard
        .as_ref()
        .and_then(|(names, _)| names.get(&index).cloned())
}

/// Every interface's index and name from /sys/class/net (empty where
/// there is no such directory).
fn read_ifnames() -> std::collections::HashMap<u32, String> {
    let mut map = std::collections::HashMap::new();
    let Ok(dir) = std::fs::read_dir("/sys/class/net") else {
        return map;
    };
    for e in dir.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Ok(idx) = std::fs::read_to_string(e.path().join("ifindex")) {
            if let Ok(i) = idx.trim().parse() {
                map.insert(i, name);
            }
        }
    }
    map
}
