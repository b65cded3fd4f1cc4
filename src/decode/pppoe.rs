//! PPP over Ethernet, discovery and session stages (print-pppoe.c).

use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

const HDRLEN: usize = 6;
const MAXTAGPRINT: usize = 80;

fn code_name(code: u8) -> Option<&'static str> {
    Some(match code {
        0x09 => "PADI",
        0x07 => "PADO",
        0x19 => "PADR",
        0x65 => "PADS",
        0xa7 => "PADT",
        0 => "",
        _ => return None,
    })
}

fn tag_name(t: u16) -> String {
    match t {
        0 => "EOL".into(),
        0x0101 => "Service-Name".into(),
        0x0102 => "AC-Name".into(),
        0x0103 => "Host-Uniq".into(),
        0x0104 => "AC-Cookie".into(),
        0x0105 => "Vendor-Specific".into(),
        0x0110 => "Relay-Session-ID".into(),
        0x0120 => "PPP-Max-Payload".into(),
        0x0201 => "Service-Name-Error".into(),
        0x0202 => "AC-System-Error".into(),
        0x0203 => "Generic-Error".into(),
        _ => format!("TAG-0x{t:x}"),
    }
}

/// pppoe_print.
pub(super) fn print(p: &mut Printer, out: &mut String, data: &[u8], length: usize) -> Printed {
    let b = Bytes::new(data, "pppoe");
    if length < HDRLEN {
        let _ = write!(out, " (length {length} < {HDRLEN}) (invalid)");
        return Ok(());
    }
    let length = length - HDRLEN;
    b.take(0, HDRLEN)?;
    let vt = b.u8(0)?;
    let (ver, ty) = (vt >> 4, vt & 0xf);
    let code = b.u8(1)?;
    let sid = b.be16(2)?;
    let mut plen = usize::from(b.be16(4)?);
    if ver != 1 {
        let _ = write!(out, " [ver {ver}]");
    }
    if ty != 1 {
        let _ = write!(out, " [type {ty}]");
    }
    match code_name(code) {
        Some(n) => {
            let _ = write!(out, "PPPoE {n}");
        }
        None => {
            let _ = write!(out, "PPPoE PAD-{code:x}");
        }
    }
    if code == 0x09 && plen > 1484 - HDRLEN {
        let _ = write!(out, " [len {plen}!]");
    }
    if plen > length {
        let _ = write!(out, " [len {plen} > {length}!]");
        plen = length;
    }
    if sid != 0 {
        let _ = write!(out, " [ses 0x{sid:x}]");
    }
    if code == 0 {
        out.push(' ');
        super::ppp::print(p, out, &data[HDRLEN..], plen)?;
        return Ok(());
    }
    let mut tag_type = 0xffffu16;
    let mut at = HDRLEN;
    while tag_type != 0 && at < HDRLEN + plen {
        tag_type = b.be16(at)?;
        let tag_len = usize::from(b.be16(at + 2)?);
        at += 4;
        if tag_len != 0 {
            let v = b.take(at, tag_len)?;
            let shown: Vec<u8> = v
                .iter()
                .take(MAXTAGPRINT - 1)
                .map(|&c| if (0x20..0x7f).contains(&c) { c } else { b'.' })
                .collect();
            let ascii = v
                .iter()
                .take(MAXTAGPRINT - 1)
                .filter(|&&c| (0x20..0x7f).contains(&c))
                .count();
            let garbage = shown.len() - ascii;
            if ascii > garbage {
                let _ = write!(
                    out,
                    " [{} \"{}\"]",
                    tag_name(tag_type),
                    String::from_utf8_lossy(&shown)
                );
            } else {
                let _ = write!(out, " [{} 0x", tag_name(tag_type));
                for c in v {
                    let _ = write!(out, "{c:02X}");
                }
                out.push(']');
            }
        } else {
            let _ = write!(out, " [{}]", tag_name(tag_type));
        }
        at += tag_len;
    }
    Ok(())
}
