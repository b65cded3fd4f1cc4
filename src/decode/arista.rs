//! Arista's vendor EtherType (0xd28b): the TapAgg timestamp header that
//! precedes the original EtherType (print-arista.c).

use super::text::civil_from_days;
use super::trunc::{Bytes, Trunc};
use super::util::{tok, Tok};
use core::fmt::Write;

const SUBTYPES: &Tok = &[(1, "Timestamp")];
const TIMESCALES: &Tok = &[(0, "TAI"), (1, "UTC")];
const FORMATS: &Tok = &[(1, "64-bit"), (2, "48-bit")];
const HW_INFO: &Tok = &[(0, "R/R2"), (1, "R3")];

/// arista_ethertype_print: the header at `at` (past the EtherType); the
/// bytes it takes, `None` for a subtype or format it does not know (the
/// caller then dumps the frame).
pub(super) fn print(out: &mut String, b: &Bytes<'_>, at: usize) -> Result<Option<usize>, Trunc> {
    let b = b.named("arista");
    let subtype = b.be16(at)?;
    let _ = write!(
        out,
        "SubType {} (0x{subtype:04x}), ",
        tok(SUBTYPES, subtype.into()).unwrap_or("Unknown")
    );
    if subtype != 1 {
        return Ok(None);
    }
    let scale = b.u8(at + 2)?;
    let _ = write!(
        out,
        "Timescale {} ({scale}), ",
        tok(TIMESCALES, scale.into()).unwrap_or("Unknown")
    );
    let v = b.u8(at + 3)?;
    let (format, hw) = (v >> 4, v & 0x0f);
    let _ = write!(
        out,
        "Format {} ({format}), HwInfo {} ({hw}), Timestamp ",
        tok(FORMATS, format.into()).unwrap_or("Unknown"),
        tok(HW_INFO, hw.into()).unwrap_or("Unknown")
    );
    let taken = match format {
        1 => {
            let secs = u64::from(b.be32(at + 4)?);
            let ns = b.be32(at + 8)?;
            date_time(
                out,
                secs + u64::from(ns / 1_000_000_000),
                ns % 1_000_000_000,
            );
            12
        }
        2 => {
            let secs = u64::from(b.be16(at + 4)?);
            let ns = b.be32(at + 6)?;
            let _ = write!(
                out,
                "{}.{:09}",
                secs + u64::from(ns / 1_000_000_000),
                ns % 1_000_000_000
            );
            10
        }
        _ => return Ok(None),
    };
    out.push_str(": ");
    Ok(Some(taken))
}

/// `%Y-%m-%d %H:%M:%S.NNNNNNNNN` in UTC (gmtime).
fn date_time(out: &mut String, secs: u64, ns: u32) {
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let s = secs % 86_400;
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{ns:09}",
        s / 3600,
        s / 60 % 60,
        s % 60
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_header() {
        let mut out = String::new();
        let data = [
            0, 1, 0, 0x10, 0x5c, 0xee, 0xed, 0x57, 0x38, 0x4f, 0x59, 0xc8,
        ];
        let n = print(&mut out, &Bytes::new(&data, "ether"), 0).unwrap();
        assert_eq!(n, Some(12));
        assert_eq!(
            out,
            "SubType Timestamp (0x0001), Timescale TAI (0), Format 64-bit (1), \
             HwInfo R/R2 (0), Timestamp 2019-05-29 20:36:39.944724424: "
        );
        out.clear();
        assert_eq!(
            print(&mut out, &Bytes::new(&[0, 2], "ether"), 0).unwrap(),
            None
        );
        assert_eq!(out, "SubType Unknown (0x0002), ");
        assert!(print(&mut out, &Bytes::new(&[0, 1, 0], "ether"), 0).is_err());
    }
}
