//! PPP (print-ppp.c): the protocol field, the control protocols (LCP,
//! IPCP, IPv6CP and the others' common header), CHAP and PAP, and the
//! network packets inside.

use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use super::util::{print_char, tok, Tok};
use super::{nd, oui, pppopt};
use core::fmt::Write;

/// ppptype2str.
const TYPES: &Tok = &[
    (0x0021, "IP"),
    (0x0023, "OSI"),
    (0x0025, "NS"),
    (0x0027, "DECNET"),
    (0x0029, "APPLE"),
    (0x002b, "IPX"),
    (0x002d, "VJC IP"),
    (0x002f, "VJNC IP"),
    (0x0031, "BRPDU"),
    (0x0033, "STII"),
    (0x0035, "VINES"),
    (0x0281, "MPLS"),
    (0x0283, "MPLS"),
    (0x00fd, "Compressed"),
    (0x003d, "MLPPP"),
    (0x0057, "IP6"),
    (0x0201, "HELLO"),
    (0x0231, "LUXCOM"),
    (0x0233, "SNS"),
    (0x8021, "IPCP"),
    (0x8023, "OSICP"),
    (0x8025, "NSCP"),
    (0x8027, "DECNETCP"),
    (0x8029, "APPLECP"),
    (0x802b, "IPXCP"),
    (0x8033, "STIICP"),
    (0x8035, "VINESCP"),
    (0x8057, "IP6CP"),
    (0x8281, "MPLSCP"),
    (0xc021, "LCP"),
    (0xc023, "PAP"),
    (0xc025, "LQM"),
    (0xc223, "CHAP"),
    (0xc227, "EAP"),
    (0xc027, "SPAP"),
    (0xc123, "Old-SPAP"),
    (0xc02b, "BACP"),
    (0xc02d, "BAP"),
    (0xc03d, "MLPPP-CP"),
    (0x80fd, "CCP"),
];

const CPCODES: &Tok = &[
    (0, "Vendor-Extension"),
    (1, "Conf-Request"),
    (2, "Conf-Ack"),
    (3, "Conf-Nack"),
    (4, "Conf-Reject"),
    (5, "Term-Request"),
    (6, "Term-Ack"),
    (7, "Code-Reject"),
    (8, "Prot-Reject"),
    (9, "Echo-Request"),
    (10, "Echo-Reply"),
    (11, "Disc-Req"),
    (12, "Ident"),
    (13, "Time-Rem"),
    (14, "Reset-Req"),
    (15, "Reset-Ack"),
];

/// The name of a PPP protocol, or `fallback` with the value.
pub(super) fn type_name(proto: u16) -> Option<&'static str> {
    tok(TYPES, u32::from(proto))
}

/// ppp_print: address/control (optional), protocol, payload; returns
/// the PPP header length.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Result<usize, Trunc> {
    let b = Bytes::new(data, "ppp");
    let olen = length;
    let mut length = length;
    let mut at = 0;
    if length < 2 {
        mark(out, "ppp");
        return Ok(0);
    }
    let e = p.opts.link_header;
    match b.be16(0)? {
        0x0003 => {
            if e {
                out.push_str("In  ");
            }
            at = 2;
        }
        0x0103 => {
            if e {
                out.push_str("Out ");
            }
            at = 2;
        }
        0xff03 => at = 2,
        _ => {}
    }
    length -= at;
    if length < 2 {
        mark(out, "ppp");
        return Ok(0);
    }
    let proto = if b.u8(at)? % 2 == 1 {
        at += 1;
        length -= 1;
        u16::from(b.u8(at - 1)?)
    } else {
        at += 2;
        length -= 2;
        b.be16(at - 2)?
    };
    if e {
        let name = type_name(proto).unwrap_or("unknown");
        let _ = write!(out, "{name} (0x{proto:04x}), length {olen}");
        if name == "unknown" {
            return Ok(at);
        }
        out.push_str(": ");
    }
    // print-ppp.c's dumps of control packets start at the two bytes
    // before them (the protocol field, or address/control and a PFC byte).
    let mut pre = [0u8; 2];
    if at >= 2 {
        pre.copy_from_slice(&data[at - 2..at]);
    }
    handle(p, out, proto, &data[at.min(data.len())..], length, pre)?;
    Ok(at)
}

/// handle_ppp: the payload of PPP protocol `proto`.
fn handle(
    p: &mut Printer,
    out: &mut String,
    proto: u16,
    data: &[u8],
    length: usize,
    pre: [u8; 2],
) -> Printed {
    match proto {
        0xc021 | 0x8021 | 0x8023 | 0x8281 | 0x8057 | 0x80fd | 0xc02b => {
            control(p, out, proto, data, length, pre)
        }
        0xc223 => chap(out, data, length),
        0xc023 => pap(out, data, length),
        0x0800 | 0x002f | 0x0021 => super::ip::print_packet(p, out, data, length),
        0x86dd | 0x0057 => super::ip6::print_packet(p, out, data, length),
        0x0281 | 0x0283 => super::mpls::print(p, out, data, length),
        0x0023 => super::osi::print(p, out, data, length),
        0x00fd => {
            out.push_str("compressed PPP data");
            Ok(())
        }
        _ => {
            match type_name(proto) {
                Some(n) => {
                    let _ = write!(out, "{n} ");
                }
                None => {
                    let _ = write!(out, "unknown PPP protocol (0x{proto:04x}) ");
                }
            }
            nd::unknown_data(out, &Bytes::new(data, "ppp"), 0, "\n\t", length);
            Ok(())
        }
    }
}

/// handle_ctrl_proto: `LCP, Conf-Request (0x01), id 1, length 18` and
/// with `-v` the options.
fn control(
    p: &Printer,
    out: &mut String,
    proto: u16,
    data: &[u8],
    length: usize,
    pre: [u8; 2],
) -> Printed {
    // The captured bytes from two before the control packet.
    let mut with_pre = pre.to_vec();
    with_pre.extend_from_slice(data);
    let b = Bytes::new(data, "ppp");
    let typestr = match type_name(proto) {
        Some(n) => n.to_string(),
        None => format!("unknown ctrl-proto (0x{proto:04x})"),
    };
    let _ = write!(out, "{typestr}, ");
    let trunc = |out: &mut String| {
        let _ = write!(out, "[|{typestr}]");
        Ok(())
    };
    if length < 4 || !b.has(0, 2) {
        return trunc(out);
    }
    let code = b.u8(0)?;
    let _ = write!(
        out,
        "{} (0x{code:02x}), id {}, length {}",
        tok(CPCODES, u32::from(code)).unwrap_or("Unknown Opcode"),
        b.u8(1)?,
        length + 2
    );
    let v = p.opts.verbose;
    if v == 0 {
        return Ok(());
    }
    let len = usize::from(b.be16(2)?);
    if len < 4 {
        let _ = write!(out, "\n\tencoded length {len} (< 4))");
        return Ok(());
    }
    if len > length {
        let _ = write!(out, "\n\tencoded length {len} (> packet length {length}))");
        return Ok(());
    }
    let length = len;
    let _ = write!(
        out,
        "\n\tencoded length {len} (=Option(s) length {})",
        len - 4
    );
    if length == 4 {
        return Ok(());
    }
    if v > 1 {
        nd::unknown_data(out, &Bytes::new(&with_pre, "ppp"), 0, "\n\t", 6);
    }
    let mut at = 4;
    match code {
        0 => {
            if length >= 11 {
                let _ = write!(out, "\n\t  Magic-Num 0x{:08x}", b.be32(at)?);
                let o = b.be24(at + 4)?;
                let _ = write!(out, " Vendor: {} ({o})", oui::name(o));
            }
        }
        1..=4 => {
            let mut tlen = len - 4;
            loop {
                let advance = match proto {
                    0xc021 => pppopt::lcp_option(p, out, &b, at, len)?,
                    0x8021 => pppopt::ipcp_option(p, out, &b, at, len)?,
                    0x8057 => pppopt::ip6cp_option(p, out, &b, at, len)?,
                    _ => 0,
                };
                if advance == 0 {
                    break;
                }
                if tlen < advance {
                    let _ = write!(
                        out,
                        " [remaining options length {tlen} < {advance}] (invalid)"
                    );
                    break;
                }
                tlen -= advance;
                at += advance;
                if tlen == 0 {
                    break;
                }
            }
        }
        8 => {
            if length >= 6 {
                let pr = b.be16(at)?;
                let _ = write!(
                    out,
                    "\n\t  Rejected {} Protocol (0x{pr:04x})",
                    type_name(pr).unwrap_or("unknown")
                );
                if len > 6 {
                    out.push_str("\n\t  Rejected Packet");
                    nd::unknown_data(out, &b, at + 2, "\n\t    ", len - 2);
                }
            }
        }
        9..=11 => {
            if length >= 8 {
                let _ = write!(out, "\n\t  Magic-Num 0x{:08x}", b.be32(at)?);
                if len > 8 {
                    out.push_str("\n\t  -----trailing data-----");
                    if !b.has(at + 4, len - 8) {
                        return trunc(out);
                    }
                    nd::unknown_data(out, &b, at + 4, "\n\t  ", len - 8);
                }
            }
        }
        12 => {
            if length >= 8 {
                let _ = write!(out, "\n\t  Magic-Num 0x{:08x}", b.be32(at)?);
                if len > 8 {
                    out.push_str("\n\t  Message\n\t    ");
                    for i in 0..len - 4 {
                        match b.data().get(at + 4 + i) {
                            Some(&c) => print_char(out, c),
                            None => return trunc(out),
                        }
                    }
                }
            }
        }
        13 => {
            if length >= 12 {
                let _ = write!(out, "\n\t  Magic-Num 0x{:08x}", b.be32(at)?);
                let _ = write!(out, ", Seconds-Remaining {}s", b.be32(at + 4)?);
            }
        }
        5..=7 => {}
        _ => {
            if v <= 1 {
                nd::unknown_data(out, &Bytes::new(&with_pre, "ppp"), 0, "\n\t  ", length + 2);
            }
        }
    }
    Ok(())
}

/// The header CHAP and PAP share: `CHAP, Challenge (0x01), id N`; the
/// code and the length field, `None` when the packet is too short (after
/// `[|chap]` or `[|chap 0x01]`). `names` are codes 1, 2, ...
fn auth_head(
    out: &mut String,
    b: &Bytes<'_>,
    length: usize,
    proto: &str,
    names: &[&str],
) -> Result<Option<(u8, usize)>, Trunc> {
    let lower = proto.to_ascii_lowercase();
    if length < 1 {
        let _ = write!(out, "[|{lower}]");
        return Ok(None);
    }
    if length < 4 {
        let _ = write!(out, "[|{lower} 0x{:02x}]", b.u8(0)?);
        return Ok(None);
    }
    let code = b.u8(0)?;
    let name = usize::from(code)
        .checked_sub(1)
        .and_then(|i| names.get(i))
        .copied()
        .unwrap_or("unknown");
    let _ = write!(out, "{proto}, {name} (0x{code:02x})");
    let _ = write!(out, ", id {}", b.u8(1)?);
    Ok(Some((code, usize::from(b.be16(2)?))))
}

/// handle_chap.
fn chap(out: &mut String, data: &[u8], length: usize) -> Printed {
    let b = Bytes::new(data, "ppp");
    let names = ["Challenge", "Response", "Success", "Fail"];
    let Some((code, len)) = auth_head(out, &b, length, "CHAP", &names)? else {
        return Ok(());
    };
    let mut at = 4;
    match code {
        1 | 2 => {
            if length < at + 1 {
                return Ok(());
            }
            let vsize = usize::from(b.u8(at)?);
            at += 1;
            if length - at < vsize {
                return Ok(());
            }
            out.push_str(", Value ");
            for _ in 0..vsize {
                let _ = write!(out, "{:02x}", b.u8(at)?);
                at += 1;
            }
            out.push_str(", Name ");
            for _ in 0..len.saturating_sub(at) {
                print_char(out, b.u8(at)?);
                at += 1;
            }
        }
        3 | 4 => {
            out.push_str(", Msg ");
            for _ in 0..len.saturating_sub(at) {
                print_char(out, b.u8(at)?);
                at += 1;
            }
        }
        _ => {}
    }
    Ok(())
}

/// handle_pap.
fn pap(out: &mut String, data: &[u8], length: usize) -> Printed {
    let b = Bytes::new(data, "ppp");
    let names = ["Auth-Req", "Auth-ACK", "Auth-NACK"];
    let Some((code, len)) = auth_head(out, &b, length, "PAP", &names)? else {
        return Ok(());
    };
    if len > length {
        let _ = write!(out, ", length {len} > packet size");
        return Ok(());
    }
    let length = len;
    if length < 4 {
        let _ = write!(out, ", length {length} < PAP header length");
        return Ok(());
    }
    let mut at = 4;
    // A counted string: its length byte, then the text.
    let counted = |out: &mut String, label: &str, at: &mut usize| -> Result<bool, Trunc> {
        if length - *at < 1 {
            return Ok(false);
        }
        let n = usize::from(b.u8(*at)?);
        *at += 1;
        if length - *at < n {
            return Ok(false);
        }
        out.push_str(label);
        for _ in 0..n {
            print_char(out, b.u8(*at)?);
            *at += 1;
        }
        Ok(true)
    };
    match code {
        1 => {
            if len < 6 {
                out.push_str("[|pap]");
                return Ok(());
            }
            if counted(out, ", Peer ", &mut at)? {
                counted(out, ", Name ", &mut at)?;
            }
        }
        2 | 3 => {
            if len < 5 {
                out.push_str("[|pap]");
                return Ok(());
            }
            counted(out, ", Msg ", &mut at)?;
        }
        _ => {}
    }
    Ok(())
}
