//! ARP, RARP and InARP (print-arp.c).

use super::ether::mac_name;
use super::num::{ip4_text, mac};
use super::text::Printer;
use super::trunc::{Bytes, Printed, Trunc};
use super::util::{tok_or, Tok};
use super::{Net, Summary};
use crate::proto::EtherType;
use core::fmt::Write;
use etherparse::ArpPacketSlice;

/// An ARP packet (Ethernet/IPv4 form, other forms only by operation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arp {
    /// Hardware type.
    pub htype: u16,
    /// Protocol type.
    pub ptype: u16,
    /// Operation (1 request, 2 reply, 3/4 RARP).
    pub op: u16,
    /// Sender hardware address.
    pub sha: Vec<u8>,
    /// Sender protocol address.
    pub spa: Vec<u8>,
    /// Target hardware address.
    pub tha: Vec<u8>,
    /// Target protocol address.
    pub tpa: Vec<u8>,
}

impl Arp {
    /// The operation as JSON names it.
    pub fn op_name(&self) -> &'static str {
        match self.op {
            1 => "request",
            2 => "reply",
            3 => "rarp-request",
            4 => "rarp-reply",
            _ => "other",
        }
    }
}

/// Reads an ARP packet into `s.net`.
pub(super) fn parse<'a>(s: &mut Summary<'a>, ethertype: u16, rest: &'a [u8]) {
    match ArpPacketSlice::from_slice(rest) {
        Ok(a) => {
            s.net = Net::Arp(Arp {
                htype: a.hw_addr_type().0,
                ptype: a.proto_addr_type().0,
                op: a.operation().0,
                sha: a.sender_hw_addr().to_vec(),
                spa: a.sender_protocol_addr().to_vec(),
                tha: a.target_hw_addr().to_vec(),
                tpa: a.target_protocol_addr().to_vec(),
            })
        }
        Err(_) => {
            s.net = Net::Other {
                ethertype,
                payload: rest,
            };
            s.truncated = Some("arp");
        }
    }
}

const OPS: &Tok = &[
    (1, "Request"),
    (2, "Reply"),
    (3, "Reverse Request"),
    (4, "Reverse Reply"),
    (8, "Inverse Request"),
    (9, "Inverse Reply"),
    (10, "NACK Reply"),
];
const HARDWARE: &Tok = &[
    (1, "Ethernet"),
    (6, "TokenRing"),
    (7, "ArcNet"),
    (15, "FrameRelay"),
    (23, "Strip"),
    (24, "IEEE 1394"),
    (19, "ATM"),
    (32, "InfiniBand"),
];

fn hw_name(hrd: u16) -> String {
    tok_or(HARDWARE, u32::from(hrd), "Unknown Hardware ({})")
}

fn proto_name(pro: u16) -> String {
    match EtherType::from_raw(pro).name() {
        Some(n) => n.to_string(),
        None => format!("Unknown Protocol (0x{pro:04x})"),
    }
}

/// An IPv4 protocol address, or tcpdump's complaint about its form.
fn paddr(
    out: &mut String,
    b: &Bytes<'_>,
    pro: u16,
    plen: usize,
    at: usize,
    bad_len: &str,
) -> Printed {
    if pro != 0x0800 && pro != 0x1000 {
        out.push_str("<wrong proto type>");
    } else if plen != 4 {
        out.push_str(bad_len);
    } else {
        out.push_str(&ip4_text(b.take(at, 4)?));
    }
    Ok(())
}

/// linkaddr_string: an Ethernet address (with its vendor without `-n`), a
/// frame relay DLCI, or colon-separated bytes.
fn linkaddr(
    p: &Printer,
    b: &Bytes<'_>,
    at: usize,
    len: usize,
    frelay: bool,
) -> Result<String, Trunc> {
    let a = b.take(at, len)?;
    Ok(if len == 0 {
        "<empty>".into()
    } else if frelay {
        q922(a)
    } else if len == 6 {
        mac_name(a, p.opts.numeric)
    } else {
        mac(a)
    })
}

/// q922_string (print-fr.c's parse_q922_header): a frame relay address of
/// `a.len()` bytes.
fn q922(a: &[u8]) -> String {
    const EA: u8 = 1;
    let trunc = || "<Truncated>".to_string();
    let Some(&b0) = a.first() else { return trunc() };
    if b0 & EA != 0 {
        return "<Invalid DLCI>".into();
    }
    let Some(&b1) = a.get(1) else { return trunc() };
    let mut dlci = (u32::from(b0 & 0xfc) << 2) | u32::from((b1 & 0xf0) >> 4);
    if b1 & EA != 0 {
        return format!("DLCI {dlci}");
    }
    let mut i = 2;
    let Some(&b2) = a.get(i) else { return trunc() };
    if b2 & EA == 0 {
        dlci = (dlci << 7) | u32::from(b2 >> 1);
        i += 1;
    }
    let Some(&last) = a.get(i) else {
        return trunc();
    };
    if last & EA == 0 {
        return "<Invalid DLCI>".into();
    }
    format!("DLCI {}", (dlci << 6) | u32::from(last >> 2))
}

/// The start both ARP forms print: `ARP, `, the address types when they
/// are unusual or with `-v`, then the operation; `false` when the line
/// ends after the types (tcpdump does not know the address formats).
fn head(p: &Printer, out: &mut String, types: &str, unusual: bool, op: u16, length: usize) -> bool {
    let v = p.opts.verbose > 0;
    if !p.opts.link_header {
        out.push_str("ARP, ");
    }
    if unusual || v {
        out.push_str(types);
        if !v {
            let _ = write!(out, ", length {length}");
            return false;
        }
    }
    let _ = write!(
        out,
        "{}{} ",
        if v { ", " } else { "" },
        tok_or(OPS, u32::from(op), "Unknown ({})")
    );
    true
}

/// print-arp.c's arp_print: `length` bytes by the link layer.
pub(super) fn print_packet(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Printed {
    let b = Bytes::new(data, "arp");
    if data.len() < 8 {
        return Err(b.trunc());
    }
    let hrd = b.be16(0)?;
    let pro = b.be16(2)?;
    let op = b.be16(6)?;
    if hrd == 19 {
        return atmarp(p, out, &b, length);
    }
    let frelay = hrd == 15;
    let hln = usize::from(b.u8(4)?);
    let pln = usize::from(b.u8(5)?);
    let (sha, spa) = (8, 8 + hln);
    let (tha, tpa) = (8 + hln + pln, 8 + 2 * hln + pln);
    b.take(tpa, pln)?;
    let unusual = (pro != 0x0800 && pro != 0x1000) || pln != 4 || hln == 0;
    let types = format!(
        "{} (len {hln}), {} (len {pln})",
        hw_name(hrd),
        proto_name(pro)
    );
    if !head(p, out, &types, unusual, op, length) {
        return Ok(());
    }
    match op {
        1 => {
            out.push_str("who-has ");
            paddr(out, &b, pro, pln, tpa, "<wrong len>")?;
            if b.take(tha, hln)?.iter().any(|&x| x != 0) {
                let _ = write!(out, " ({})", linkaddr(p, &b, tha, hln, frelay)?);
            }
            out.push_str(" tell ");
            paddr(out, &b, pro, pln, spa, "<wrong len>")?;
        }
        2 => {
            paddr(out, &b, pro, pln, spa, "<wrong len>")?;
            let _ = write!(out, " is-at {}", linkaddr(p, &b, sha, hln, frelay)?);
        }
        3 | 8 => {
            let _ = write!(out, "who-is {}", linkaddr(p, &b, tha, hln, frelay)?);
            let _ = write!(out, " tell {}", linkaddr(p, &b, sha, hln, frelay)?);
        }
        4 => {
            let _ = write!(out, "{} at ", linkaddr(p, &b, tha, hln, frelay)?);
            paddr(out, &b, pro, pln, tpa, "<wrong len>")?;
        }
        9 => {
            let _ = write!(out, "{} at ", linkaddr(p, &b, sha, hln, frelay)?);
            paddr(out, &b, pro, pln, spa, "<wrong len>")?;
        }
        _ => {
            p.dump(out, data);
            return Ok(());
        }
    }
    let _ = write!(out, ", length {length}");
    Ok(())
}

/// atmarp_print: ATM ARP (RFC 2225), hardware type 19.
fn atmarp(p: &mut Printer, out: &mut String, b: &Bytes<'_>, length: usize) -> Printed {
    b.take(0, 12)?;
    let hrd = b.be16(0)?;
    let pro = b.be16(2)?;
    let op = b.be16(6)?;
    let shl = usize::from(b.u8(4)? & 0x3f);
    let ssl = usize::from(b.u8(5)? & 0x3f);
    let spl = usize::from(b.u8(8)?);
    let thl = usize::from(b.u8(9)? & 0x3f);
    let tsl = usize::from(b.u8(10)? & 0x3f);
    let tpl = usize::from(b.u8(11)?);
    let sha = 12;
    let ssa = sha + shl;
    let spa = ssa + ssl;
    let tha = spa + spl;
    let tsa = tha + thl;
    let tpa = tsa + tsl;
    b.take(tpa, tpl)?;
    let unusual = (pro != 0x0800 && pro != 0x1000) || spl != 4 || tpl != 4;
    let types = format!("{}, {} (len {spl}/{tpl})", hw_name(hrd), proto_name(pro));
    if !head(p, out, &types, unusual, op, length) {
        return Ok(());
    }
    let addr = |out: &mut String, ha: usize, hl: usize, sa: usize, sl: usize| -> Printed {
        if hl == 0 {
            out.push_str("<No address>");
        } else {
            out.push_str(&mac(b.take(ha, hl)?));
            if sl != 0 {
                let _ = write!(out, ",{}", mac(b.take(sa, sl)?));
            }
        }
        Ok(())
    };
    match op {
        1 => {
            out.push_str("who-has ");
            paddr(out, b, pro, tpl, tpa, "<wrong tplen>")?;
            if thl != 0 {
                out.push_str(" (");
                addr(out, tha, thl, tsa, tsl)?;
                out.push(')');
            }
            out.push_str(" tell ");
            paddr(out, b, pro, spl, spa, "<wrong splen>")?;
        }
        2 => {
            paddr(out, b, pro, spl, spa, "<wrong splen>")?;
            out.push_str(" is-at ");
            addr(out, sha, shl, ssa, ssl)?;
        }
        8 => {
            out.push_str("who-is ");
            addr(out, tha, thl, tsa, tsl)?;
            out.push_str(" tell ");
            addr(out, sha, shl, ssa, ssl)?;
        }
        9 => {
            addr(out, sha, shl, ssa, ssl)?;
            out.push_str("at ");
            paddr(out, b, pro, spl, spa, "<wrong splen>")?;
        }
        10 => {
            out.push_str("for ");
            paddr(out, b, pro, spl, spa, "<wrong splen>")?;
        }
        _ => {
            p.dump(out, b.data());
            return Ok(());
        }
    }
    let _ = write!(out, ", length {length}");
    Ok(())
}
