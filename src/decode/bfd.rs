//! BFD (print-bfd.c): control packets v0 and v1 (`BFDv1, Control, State
//! Up, Flags: [none], length: 24`), with `-v` the timers, discriminators
//! and authentication section; echo packets with their hex at `-v`.

use super::dispatch::Segment;
use super::nd::{bittok, printjn, push_tok, tok, unknown_data, Tok};
use super::text::Printer;
use super::trunc::{Bytes, Printed};
use core::fmt::Write;

const AUTH: &Tok = &[
    (1, "Simple Password"),
    (2, "Keyed MD5"),
    (3, "Meticulous Keyed MD5"),
    (4, "Keyed SHA1"),
    (5, "Meticulous Keyed SHA1"),
];

const DIAG: &Tok = &[
    (0, "No Diagnostic"),
    (1, "Control Detection Time Expired"),
    (2, "Echo Function Failed"),
    (3, "Neighbor Signaled Session Down"),
    (4, "Forwarding Plane Reset"),
    (5, "Path Down"),
    (6, "Concatenated Path Down"),
    (7, "Administratively Down"),
    (8, "Reverse Concatenated Path Down"),
];

const PORTS: &Tok = &[(3784, "Control"), (4784, "Multihop"), (6784, "Lag")];

const V0_FLAGS: &Tok = &[
    (0x80, "I Hear You"),
    (0x40, "Demand"),
    (0x20, "Poll"),
    (0x10, "Final"),
    (0x08, "Control Plane Independent"),
    (0x04, "Authentication Present"),
    (0x02, "Reserved"),
    (0x01, "Reserved"),
];

const V1_FLAGS: &Tok = &[
    (0x20, "Poll"),
    (0x10, "Final"),
    (0x08, "Control Plane Independent"),
    (0x04, "Authentication Present"),
    (0x02, "Demand"),
    (0x01, "Multipoint"),
];

const V1_STATES: &Tok = &[(0, "AdminDown"), (1, "Down"), (2, "Init"), (3, "Up")];

/// bfd_print (chosen by destination port).
pub(super) fn print(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "bfd");
    let len = seg.len;
    let port = seg.dport;
    if port == 3785 {
        let _ = write!(out, "BFD, Echo, length: {len}");
        if p.opts.verbose > 0 {
            unknown_data(out, &b, 0, "\n\t", len);
        }
        return Ok(());
    }
    b.take(0, 24)?;
    let vd = b.u8(0)?;
    let version = vd >> 5;
    let diag = vd & 0x1f;
    let flags = b.u8(1)?;
    let v = p.opts.verbose;
    match version {
        0 | 1 => {
            let (table, fl) = if version == 0 {
                (V0_FLAGS, flags)
            } else {
                (V1_FLAGS, flags & 0x3f)
            };
            // "Control" (v0) or the port's kind and the state (v1), then the flags.
            let kind_flags = |out: &mut String| {
                if version == 0 {
                    out.push_str("Control");
                } else {
                    push_tok(out, PORTS, u32::from(port), "unknown ({})");
                    out.push_str(", State ");
                    push_tok(out, V1_STATES, u32::from(flags >> 6), "unknown ({})");
                }
                out.push_str(", Flags: [");
                bittok(out, table, "none", u32::from(fl), ", ");
            };
            if v < 1 {
                let _ = write!(out, "BFDv{version}, ");
                kind_flags(out);
                let _ = write!(out, "], length: {len}");
                return Ok(());
            }
            let _ = write!(out, "BFDv{version}, length: {len}\n\t");
            kind_flags(out);
            let _ = write!(
                out,
                "], Diagnostic: {} (0x{diag:02x})",
                tok(DIAG, u32::from(diag)).unwrap_or("unknown")
            );
            let mult = b.u8(2)?;
            let tx = b.be32(12)?;
            let _ = write!(
                out,
                "\n\tDetection Timer Multiplier: {mult} ({} ms Detection time), BFD Length: {}",
                u32::from(mult).wrapping_mul(tx) / 1000,
                b.u8(3)?
            );
            let _ = write!(out, "\n\tMy Discriminator: 0x{:08x}", b.be32(4)?);
            let _ = write!(out, ", Your Discriminator: 0x{:08x}", b.be32(8)?);
            let _ = write!(out, "\n\t  Desired min Tx Interval:    {:4} ms", tx / 1000);
            let _ = write!(
                out,
                "\n\t  Required min Rx Interval:   {:4} ms",
                b.be32(16)? / 1000
            );
            let _ = write!(
                out,
                "\n\t  Required min Echo Interval: {:4} ms",
                b.be32(20)? / 1000
            );
            if flags & 0x04 != 0 {
                auth(out, &b)?;
            }
        }
        _ => {
            let _ = write!(out, "BFDv{version}, Control, length: {len}");
            if v > 0 {
                unknown_data(out, &b, 0, "\n\t", len);
            }
        }
    }
    Ok(())
}

/// auth_print: the authentication section after the 24-byte header.
fn auth(out: &mut String, b: &Bytes<'_>) -> Printed {
    b.take(24, 4)?;
    let ty = b.u8(24)?;
    let len = b.u8(25)?;
    let _ = write!(
        out,
        "\n\tAuthentication: {} ({ty}), length: {len}",
        tok(AUTH, u32::from(ty)).unwrap_or("Unknown")
    );
    let _ = write!(out, "\n\t  Auth Key ID: {}", b.u8(26)?);
    match ty {
        1 => {
            if !(4..=19).contains(&len) {
                let _ = write!(out, "[invalid length {len}]");
                return Ok(());
            }
            out.push_str(", Password: ");
            printjn(out, b, 27, usize::from(len) - 3)?;
        }
        2..=5 => {
            let (want, hash, label) = if ty <= 3 {
                (24, 16, "Digest")
            } else {
                (28, 20, "Hash")
            };
            if len != want {
                let _ = write!(out, "[invalid length {len}]");
                return Ok(());
            }
            let _ = write!(out, ", Sequence Number: 0x{:08x}", b.be32(28)?);
            let h = b.take(32, hash)?;
            let _ = write!(out, "\n\t  {label}: ");
            for x in h {
                let _ = write!(out, "{x:02x}");
            }
        }
        _ => {}
    }
    Ok(())
}
