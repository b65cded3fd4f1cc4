//! Cisco's SNAP protocols besides CDP: DTP (print-dtp.c), UDLD
//! (print-udld.c) and VTP (print-vtp.c).
//!
//! All three are `ND_LONGJMP_FROM_TCHECK` files: a malformed field prints
//! ` (invalid)`, then the rest of the message must have been captured or
//! the line ends in the truncation marker.

use super::ether::mac_name;
use super::nd;
use super::num::ip4_text;
use super::text::Printer;
use super::trunc::{Bytes, Printed, Trunc};
use super::util::{bittok, print_char, printjnp, tok, Tok};
use core::fmt::Write;

/// nd_print_invalid, then print-*.c's final `ND_TCHECK_LEN(p, length)`.
fn invalid(out: &mut String, b: &Bytes<'_>, at: usize, length: usize) -> Printed {
    out.push_str(" (invalid)");
    checked(b, at, length)
}

/// `ND_TCHECK_LEN`: `length` bytes from `at` were captured.
fn checked(b: &Bytes<'_>, at: usize, length: usize) -> Printed {
    if b.has(at, length) {
        Ok(())
    } else {
        Err(b.trunc())
    }
}

const DTP_TLVS: &Tok = &[
    (1, "Domain"),
    (2, "Status"),
    (3, "DTP type"),
    (4, "Neighbor"),
];

/// dtp_print: `DTPv1, length 38`, with `-v` the TLVs.
pub(super) fn dtp(p: &Printer, out: &mut String, data: &[u8], length: usize) -> Printed {
    let b = Bytes::new(data, "dtp");
    if length < 1 {
        out.push_str("[zero packet length]");
        return invalid(out, &b, 0, length);
    }
    let _ = write!(out, "DTPv{}, length {length}", b.u8(0)?);
    if p.opts.verbose < 1 {
        return Ok(());
    }
    let (mut at, mut length) = (1, length - 1);
    while length > 0 {
        if length < 4 {
            let _ = write!(out, "[{length} bytes remaining]");
            return invalid(out, &b, at, length);
        }
        let ty = b.be16(at)?;
        let len = usize::from(b.be16(at + 2)?);
        if ty == 0 {
            return Ok(());
        }
        let _ = write!(
            out,
            "\n\t{} (0x{ty:04x}) TLV, length {len}",
            tok(DTP_TLVS, ty.into()).unwrap_or("Unknown")
        );
        if len < 4 || len > length {
            let _ = write!(out, "[invalid TLV length {len}]");
            return invalid(out, &b, at, length);
        }
        match ty {
            1 => {
                out.push_str(", ");
                printjnp(out, &b, at + 4, len - 4)?;
            }
            2 | 3 => {
                if len != 5 {
                    return invalid(out, &b, at, length);
                }
                let _ = write!(out, ", 0x{:x}", b.u8(at + 4)?);
            }
            4 => {
                if len != 10 {
                    return invalid(out, &b, at, length);
                }
                let _ = write!(out, ", {}", mac_name(b.take(at + 4, 6)?, p.opts.numeric));
            }
            _ => checked(&b, at, len)?,
        }
        at += len;
        length -= len;
    }
    Ok(())
}

const UDLD_TLVS: &Tok = &[
    (1, "Device-ID TLV"),
    (2, "Port-ID TLV"),
    (3, "Echo TLV"),
    (4, "Message Interval TLV"),
    (5, "Timeout Interval TLV"),
    (6, "Device Name TLV"),
    (7, "Sequence Number TLV"),
];
const UDLD_CODES: &Tok = &[
    (0, "Reserved"),
    (1, "Probe message"),
    (2, "Echo message"),
    (3, "Flush message"),
];
const UDLD_FLAGS: &Tok = &[
    (0x01, "RT"),
    (0x02, "RSY"),
    (0x04, "MBZ-2"),
    (0x08, "MBZ-3"),
    (0x10, "MBZ-4"),
    (0x20, "MBZ-5"),
    (0x40, "MBZ-6"),
    (0x80, "MBZ-7"),
];

/// udld_print: `UDLDv1, Code Probe message (1), Flags [RT] (0x01), length
/// 60`, with `-v` the checksum and the TLVs.
pub(super) fn udld(p: &Printer, out: &mut String, data: &[u8], length: usize) -> Printed {
    let b = Bytes::new(data, "udld");
    if length < 4 {
        return invalid(out, &b, 0, length);
    }
    let (ver, code) = (b.u8(0)? >> 5, b.u8(0)? & 0x1f);
    let flags = b.u8(1)?;
    let _ = write!(
        out,
        "UDLDv{ver}, Code {} ({code:x}), Flags [",
        tok(UDLD_CODES, code.into()).unwrap_or("Reserved")
    );
    bittok(out, UDLD_FLAGS, "none", flags.into());
    let _ = write!(out, "] (0x{flags:02x}), length {length}");
    let (mut at, mut length) = (2, length - 2);
    if p.opts.verbose < 1 {
        return checked(&b, at, length);
    }
    let _ = write!(out, "\n\tChecksum 0x{:04x} (unverified)", b.be16(at)?);
    at += 2;
    length -= 2;
    while length > 0 {
        if length < 4 {
            return invalid(out, &b, at, length);
        }
        let ty = b.be16(at)?;
        let len = usize::from(b.be16(at + 2)?);
        at += 4;
        length -= 4;
        let _ = write!(
            out,
            "\n\t{} (0x{ty:04x}) TLV, length {len}",
            tok(UDLD_TLVS, ty.into()).unwrap_or("Unknown")
        );
        if len <= 4 || length < len - 4 {
            return invalid(out, &b, at, length);
        }
        let len = len - 4;
        match ty {
            1 | 2 | 6 => {
                out.push_str(", ");
                printjnp(out, &b, at, len)?;
            }
            3 => {
                out.push_str(", ");
                for i in 0..len {
                    print_char(out, b.u8(at + i)?);
                }
            }
            4 | 5 => {
                if len != 1 {
                    return invalid(out, &b, at, length);
                }
                let _ = write!(out, ", {}s", b.u8(at)?);
            }
            7 => {
                if len != 4 {
                    return invalid(out, &b, at, length);
                }
                let _ = write!(out, ", {}", b.be32(at)?);
            }
            _ => checked(&b, at, len)?,
        }
        at += len;
        length -= len;
    }
    Ok(())
}

const VTP_TYPES: &Tok = &[
    (1, "Summary advertisement"),
    (2, "Subset advertisement"),
    (3, "Advertisement request"),
    (4, "Join message"),
];
const VTP_HEADER: &Tok = &[
    (1, "Followers"),
    (2, "Seq number"),
    (3, "Rsvd"),
    (4, "Rsvd"),
];
const VTP_VLAN_TYPES: &Tok = &[
    (1, "Ethernet"),
    (2, "FDDI"),
    (3, "TrCRF"),
    (4, "FDDI-net"),
    (5, "TrBRF"),
];
const VTP_VLAN_STATUS: &Tok = &[(0, "Operational"), (1, "Suspended")];
const VTP_VLAN_TLVS: &Tok = &[
    (1, "Source-Routing Ring Number TLV"),
    (2, "Source-Routing Bridge Number TLV"),
    (3, "STP type TLV"),
    (4, "Parent VLAN TLV"),
    (5, "Translationally bridged VLANs TLV"),
    (6, "Pruning TLV"),
    (7, "Bridge Type TLV"),
    (8, "Max ARP Hop Count TLV"),
    (9, "Max STE Hop Count TLV"),
    (10, "Backup CRF Mode TLV"),
];
const VTP_STP_TYPES: &Tok = &[(1, "SRT"), (2, "SRB"), (3, "Auto")];

/// vtp_print: `VTPv2, Message Summary advertisement (0x01), length 72`,
/// with `-v` the domain and the message.
pub(super) fn vtp(p: &Printer, out: &mut String, data: &[u8], length: usize) -> Printed {
    let b = Bytes::new(data, "vtp");
    if length < 36 {
        return invalid(out, &b, 0, length);
    }
    checked(&b, 0, 36)?;
    let ty = b.u8(1)?;
    let _ = write!(
        out,
        "VTPv{}, Message {} (0x{ty:02x}), length {length}",
        b.u8(0)?,
        tok(VTP_TYPES, ty.into()).unwrap_or("Unknown message type")
    );
    if p.opts.verbose < 1 {
        return checked(&b, 0, length);
    }
    out.push_str("\n\tDomain name: ");
    let mgmtd_len = usize::from(b.u8(3)?);
    if !(1..=32).contains(&mgmtd_len) {
        let _ = write!(out, " [invalid MgmtD Len {mgmtd_len}]");
        return invalid(out, &b, 0, length);
    }
    printjnp(out, &b, 4, mgmtd_len)?;
    let _ = write!(
        out,
        ", {}: {}",
        tok(VTP_HEADER, ty.into()).unwrap_or("Unknown"),
        b.u8(2)?
    );
    let at = 36;
    match ty {
        1 => {
            let _ = write!(
                out,
                "\n\t  Config Rev {:x}, Updater {}",
                b.be32(at)?,
                ip4_text(b.take(at + 4, 4)?)
            );
            let _ = write!(
                out,
                ", Timestamp 0x{:08x} 0x{:08x} 0x{:08x}",
                b.be32(at + 8)?,
                b.be32(at + 12)?,
                b.be32(at + 16)?
            );
            let _ = write!(
                out,
                ", MD5 digest: {:08x}{:08x}{:08x}{:08x}",
                b.be32(at + 20)?,
                b.be32(at + 24)?,
                b.be32(at + 28)?,
                b.be32(at + 32)?
            );
        }
        2 => {
            let _ = write!(out, ", Config Rev {:x}", b.be32(at)?);
            if vtp_vlans(out, &b, at + 4, length)?.is_err() {
                return invalid(out, &b, 0, length);
            }
        }
        3 => {
            let _ = write!(out, "\n\tStart value: {}", b.be32(at)?);
        }
        _ => {}
    }
    Ok(())
}

/// A subset advertisement's VLAN information fields from `at` to the end
/// of the message; `Ok(Err(()))` is print-vtp.c's `goto invalid`.
fn vtp_vlans(
    out: &mut String,
    b: &Bytes<'_>,
    mut at: usize,
    length: usize,
) -> Result<Result<(), ()>, Trunc> {
    while at < length {
        let mut len = usize::from(b.u8(at)?);
        if len == 0 {
            break;
        }
        checked(b, at, len)?;
        if len < 12 {
            return Ok(Err(()));
        }
        let _ = write!(
            out,
            "\n\tVLAN info status {}, type {}, VLAN-id {}, MTU {}, SAID 0x{:08x}, Name ",
            tok(VTP_VLAN_STATUS, b.u8(at + 1)?.into()).unwrap_or("Unknown"),
            tok(VTP_VLAN_TYPES, b.u8(at + 2)?.into()).unwrap_or("Unknown"),
            b.be16(at + 4)?,
            b.be16(at + 6)?,
            b.be32(at + 8)?
        );
        let name_len = usize::from(b.u8(at + 3)?);
        len -= 12;
        at += 12;
        let padded = 4 * name_len.div_ceil(4);
        if len < padded {
            return Ok(Err(()));
        }
        printjnp(out, b, at, name_len)?;
        len -= padded;
        at += padded;
        while len > 0 {
            if len < 2 {
                return Ok(Err(()));
            }
            let ty = b.u8(at)?;
            let tlv_len = usize::from(b.u8(at + 1)?);
            let _ = write!(
                out,
                "\n\t\t{} (0x{ty:04x}) TLV",
                tok(VTP_VLAN_TLVS, ty.into()).unwrap_or("Unknown")
            );
            if len < tlv_len * 2 + 2 {
                out.push_str(" (TLV goes past the end of the packet)");
                return Ok(Err(()));
            }
            checked(b, at, tlv_len * 2 + 2)?;
            if tlv_len != 1 {
                let _ = write!(out, " (invalid TLV length {tlv_len} != 1)");
                return Ok(Err(()));
            }
            let v = b.be16(at + 2)?;
            match ty {
                9 => {
                    let _ = write!(out, ", {v}");
                }
                6 => {
                    let on = if v == 1 { "Enabled" } else { "Disabled" };
                    let _ = write!(out, ", {on} ({v})");
                }
                3 => {
                    let t = tok(VTP_STP_TYPES, v.into()).unwrap_or("Unknown");
                    let _ = write!(out, ", {t} ({v})");
                }
                7 => {
                    let t = if v == 1 { "SRB" } else { "SRT" };
                    let _ = write!(out, ", {t} ({v})");
                }
                10 => {
                    let t = if v == 1 { "Backup" } else { "Not backup" };
                    let _ = write!(out, ", {t} ({v})");
                }
                _ => nd::unknown_data(out, b, at, "\n\t\t  ", 2 + tlv_len * 2),
            }
            len -= 2 + tlv_len * 2;
            at += 2 + tlv_len * 2;
        }
    }
    Ok(Ok(()))
}
