//! IS-IS (isis_print in print-isoclns.c): the common header checks, the
//! PDU headers of the hellos, LSPs, CSNPs and PSNPs at `-n` (one line) and
//! `-v` (their fields, `-vv` their hex), then the TLVs (`tlv.rs`).

use super::super::nd::{tok, Tok};
use super::super::text::Printer;
use super::super::trunc::{mark, Bytes, Trunc};
use super::{print_cksum, unknown_data};
use core::fmt::Write;

pub(super) const SYSTEM_ID_LEN: usize = 6;
pub(super) const NODE_ID_LEN: usize = 7;
pub(super) const LSP_ID_LEN: usize = 8;

const COMMON: usize = 8;
const IIH_LAN: usize = 19;
const IIH_PTP: usize = 12;
const LSP: usize = 19;
const CSNP: usize = 25;
const PSNP: usize = 9;

const PDU_VALUES: &Tok = &[
    (15, "L1 Lan IIH"),
    (16, "L2 Lan IIH"),
    (17, "p2p IIH"),
    (18, "L1 LSP"),
    (20, "L2 LSP"),
    (24, "L1 CSNP"),
    (25, "L2 CSNP"),
    (26, "L1 PSNP"),
    (27, "L2 PSNP"),
];

const CIRCUIT_TYPES: &Tok = &[
    (1, "Level 1 only"),
    (2, "Level 2 only"),
    (3, "Level 1, Level 2"),
];

const LSP_ISTYPES: &Tok = &[
    (0, "Unused 0x0 (invalid)"),
    (1, "L1 IS"),
    (2, "Unused 0x2 (invalid)"),
    (3, "L2 IS"),
];

/// isis_print_id: a system ID (`xxxx.xxxx.xxxx`), node ID (`.nn`) or
/// LSP ID (`-nn`) of `len` bytes from `at`; a longjmp when cut.
pub(super) fn id(b: &Bytes<'_>, at: usize, len: usize) -> Result<String, Trunc> {
    let mut s = String::with_capacity(20);
    for i in 1..=SYSTEM_ID_LEN.min(len) {
        let _ = write!(s, "{:02x}", b.u8(at + i - 1)?);
        if i == 2 || i == 4 {
            s.push('.');
        }
    }
    if len >= NODE_ID_LEN {
        let _ = write!(s, ".{:02x}", b.u8(at + SYSTEM_ID_LEN)?);
    }
    if len == LSP_ID_LEN {
        let _ = write!(s, "-{:02x}", b.u8(at + NODE_ID_LEN)?);
    }
    Ok(s)
}

fn pdu_name(t: u8, unknown: &str) -> String {
    match tok(PDU_VALUES, u32::from(t)) {
        Some(n) => n.to_string(),
        None => format!("{unknown}{t}"),
    }
}

/// isis_print: Ok(false) where tcpdump returns 0 (the caller dumps the
/// PDU); a marker printed here is its `goto trunc`.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: u32,
) -> Result<bool, Trunc> {
    let b = Bytes::new(data, "isis");
    let v = p.opts.verbose;
    let e = p.opts.link_header;
    if !b.has(0, COMMON) || (length as usize) < COMMON {
        mark(out, "isis");
        return Ok(true);
    }
    if !e {
        out.push_str("IS-IS");
    }
    let version = b.u8(2)?;
    if version != 1 {
        let _ = write!(out, "version {version} packet not supported");
        return Ok(false);
    }
    let pdu_id_length = b.u8(3)?;
    if pdu_id_length != 6 && pdu_id_length != 0 {
        let _ = write!(out, "system ID length of {pdu_id_length} is not supported");
        return Ok(false);
    }
    let pdu_version = b.u8(5)?;
    if pdu_version != 1 {
        let _ = write!(out, "version {pdu_version} packet not supported");
        return Ok(false);
    }
    let fixed_len = b.u8(1)?;
    if length < u32::from(fixed_len) {
        let _ = write!(
            out,
            "fixed header length {fixed_len} > packet length {length}"
        );
        return Ok(false);
    }
    if usize::from(fixed_len) < COMMON {
        let _ = write!(
            out,
            "fixed header length {fixed_len} < minimum header size {COMMON}"
        );
        return Ok(false);
    }
    let pdu_max_area = b.u8(7)?;
    let max_area = match pdu_max_area {
        0 => 3,
        255 => {
            out.push_str("bad packet -- 255 areas");
            return Ok(false);
        }
        m => m,
    };
    // Only 0 and 6 pass the check above; 0 means 6.
    let id_length = 6;
    let pdu_type = b.u8(4)?;
    let sep = if e { "" } else { ", " };
    if v == 0 {
        let _ = write!(out, "{sep}{}", pdu_name(pdu_type, "unknown PDU-Type "));
    } else {
        let _ = write!(out, "{sep}length {length}");
        let _ = write!(
            out,
            "\n\t{}, hlen: {fixed_len}, v: {version}, pdu-v: {pdu_version}, sys-id-len: {id_length} ({pdu_id_length}), max-area: {max_area} ({pdu_max_area})",
            pdu_name(pdu_type, "unknown, type ")
        );
        if v > 1 && !unknown_data(out, &b, 0, "\n\t", 8) {
            return Ok(false);
        }
    }
    let fixed = usize::from(fixed_len);
    let mut length = length;
    let mut packet_len = length;
    let bogus = |out: &mut String, want: usize, shown: usize, dash: bool| {
        let _ = write!(
            out,
            "{} bogus fixed header length {fixed_len} should be {shown}",
            if dash { "-" } else { "," }
        );
        let _ = want;
    };
    // The header after the common part, then the TLVs from `hdr_end`.
    let hdr = match pdu_type {
        15 | 16 => IIH_LAN,
        17 => IIH_PTP,
        18 | 20 => LSP,
        24 | 25 => CSNP,
        26 | 27 => PSNP,
        _ => {
            if v == 0 {
                let _ = write!(out, ", length {length}");
                return Ok(true);
            }
            unknown_data(out, &b, COMMON, "\n\t  ", length as usize);
            return Ok(false);
        }
    };
    let want = COMMON + hdr;
    if fixed != want {
        match pdu_type {
            18 | 20 => bogus(out, want, LSP, false),
            26 | 27 => bogus(out, want, want, true),
            _ => bogus(out, want, want, false),
        }
        return Ok(false);
    }
    if !b.has(COMMON, hdr) || (length as usize) < want {
        mark(out, "isis");
        return Ok(true);
    }
    let h = COMMON;
    if v == 0 {
        match pdu_type {
            15 | 16 => {
                let src = id(&b, h + 1, SYSTEM_ID_LEN)?;
                let _ = write!(out, ", src-id {src}");
                let lan = id(&b, h + 12, NODE_ID_LEN)?;
                let prio = b.u8(h + 11)?;
                let _ = write!(out, ", lan-id {lan}, prio {prio}");
            }
            17 => {
                let src = id(&b, h + 1, SYSTEM_ID_LEN)?;
                let _ = write!(out, ", src-id {src}");
            }
            18 | 20 => {
                let lsp = id(&b, h + 4, LSP_ID_LEN)?;
                let seq = b.be32(h + 12)?;
                let life = b.be16(h + 2)?;
                let _ = write!(out, ", lsp-id {lsp}, seq 0x{seq:08x}, lifetime {life:5}s");
            }
            _ => {
                let src = id(&b, h + 2, NODE_ID_LEN)?;
                let _ = write!(out, ", src-id {src}");
            }
        }
        let _ = write!(out, ", length {length}");
        return Ok(true);
    }
    let pdu_len_at = match pdu_type {
        15..=17 => h + 9,
        _ => h,
    };
    let pdu_len = b.be16(pdu_len_at)?;
    if packet_len > u32::from(pdu_len) {
        packet_len = u32::from(pdu_len);
        length = u32::from(pdu_len);
    }
    match pdu_type {
        15..=17 => {
            let src = id(&b, h + 1, SYSTEM_ID_LEN)?;
            let hold = b.be16(h + 7)?;
            let ct = circuit_type(b.u8(h)?);
            let lan = pdu_type != 17;
            let _ = write!(
                out,
                "\n\t  source-id: {src},{} holding time: {hold}s, Flags: [{ct}]",
                if lan { " " } else { "" }
            );
            if lan {
                let lan = id(&b, h + 12, NODE_ID_LEN)?;
                let prio = b.u8(h + 11)? & 0x7f;
                let _ = write!(
                    out,
                    "\n\t  lan-id:    {lan}, Priority: {prio}, PDU length: {pdu_len}"
                );
            } else {
                let cid = b.u8(h + 11)?;
                let _ = write!(out, "\n\t  circuit-id: 0x{cid:02x}, PDU length: {pdu_len}");
            }
        }
        18 | 20 => lsp_header(out, &b, h, pdu_len, length)?,
        24 | 25 => {
            let src = id(&b, h + 2, NODE_ID_LEN)?;
            let _ = write!(out, "\n\t  source-id:    {src}, PDU length: {pdu_len}");
            let start = id(&b, h + 9, LSP_ID_LEN)?;
            let _ = write!(out, "\n\t  start lsp-id: {start}");
            let end = id(&b, h + 17, LSP_ID_LEN)?;
            let _ = write!(out, "\n\t  end lsp-id:   {end}");
        }
        _ => {
            let src = id(&b, h + 2, NODE_ID_LEN)?;
            let _ = write!(out, "\n\t  source-id:    {src}, PDU length: {pdu_len}");
        }
    }
    if v > 1 && !unknown_data(out, &b, h, "\n\t  ", hdr) {
        return Ok(false);
    }
    if packet_len < want as u32 {
        let _ = write!(out, " [packet length {packet_len} < {want}] (invalid)");
        return Ok(true);
    }
    packet_len -= want as u32;
    super::tlv::print(p, out, &b, want, packet_len, length)
}

fn circuit_type(t: u8) -> String {
    match tok(CIRCUIT_TYPES, u32::from(t)) {
        Some(n) => n.to_string(),
        None => format!("unknown circuit type 0x{t:02x}"),
    }
}

/// The LSP header at `-v`: ID, sequence, lifetime, checksum and flags.
fn lsp_header(
    out: &mut String,
    b: &Bytes<'_>,
    h: usize,
    pdu_len: u16,
    length: u32,
) -> Result<(), Trunc> {
    let lsp = id(b, h + 4, LSP_ID_LEN)?;
    let seq = b.be32(h + 12)?;
    let life = b.be16(h + 2)?;
    let ck = b.be16(h + 16)?;
    let _ = write!(
        out,
        "\n\t  lsp-id: {lsp}, seq: 0x{seq:08x}, lifetime: {life:5}s\n\t  chksum: 0x{ck:04x}"
    );
    print_cksum(out, b, h + 4, ck, 12, length.wrapping_sub(12));
    let tb = b.u8(h + 18)?;
    let _ = write!(
        out,
        ", PDU length: {pdu_len}, Flags: [ {}",
        if tb & 0x4 != 0 {
            "Overload bit set, "
        } else {
            ""
        }
    );
    if tb & 0x78 != 0 {
        for (bit, name) in [
            (0x8, "default "),
            (0x10, "delay "),
            (0x20, "expense "),
            (0x40, "error "),
        ] {
            if tb & bit != 0 {
                out.push_str(name);
            }
        }
        out.push_str("ATT bit set, ");
    }
    if tb & 0x80 != 0 {
        out.push_str("P bit set, ");
    }
    let _ = write!(
        out,
        "{} ]",
        tok(LSP_ISTYPES, u32::from(tb & 3)).unwrap_or("Unknown")
    );
    Ok(())
}
