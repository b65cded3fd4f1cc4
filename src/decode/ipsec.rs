//! IPsec and IP compression headers: AH (print-ah.c), ESP (print-esp.c,
//! without decryption: tcpdump decrypts only with `-E`, which rawcap does
//! not offer), ESP in UDP (print-isakmp.c's isakmp_rfc3948_print) and
//! IPComp (print-ipcomp.c).

use super::dispatch::{IpPayload, Segment};
use super::text::Printer;
use super::trunc::{mark, Bytes, Printed, Trunc};
use core::fmt::Write;

/// ah_print: `AH(spi=0x..,seq=0x..,icv=0x..): `; the header's length.
pub(super) fn ah(p: &Printer, out: &mut String, data: &[u8]) -> Result<Option<usize>, Trunc> {
    let b = Bytes::new(data, "ah");
    out.push_str("AH");
    let ah_len = b.u8(1)?;
    let hdr_len = (usize::from(ah_len) + 2) * 4;
    out.push('(');
    if p.opts.verbose > 0 {
        let _ = write!(out, "length={ah_len}({hdr_len}-bytes),");
    }
    let reserved = b.be16(2)?;
    if reserved != 0 {
        let _ = write!(out, "reserved=0x{reserved:x}[MustBeZero],");
    }
    let _ = write!(out, "spi=0x{:08x},", b.be32(4)?);
    let _ = write!(out, "seq=0x{:x},", b.be32(8)?);
    out.push_str("icv=0x");
    for i in 12..hdr_len {
        let _ = write!(out, "{:02x}", b.u8(i)?);
    }
    out.push_str("): ");
    Ok(Some(hdr_len))
}

/// esp_print: `ESP(spi=0x..,seq=0x..), length N`.
pub(super) fn esp(_: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    esp_line(out, seg.data, seg.length)
}

/// esp_print's line over `data` (the captured ESP header on), `length` the
/// length the enclosing header gives.
fn esp_line(out: &mut String, data: &[u8], length: usize) -> Printed {
    let b = Bytes::new(data, "esp");
    if data.len() <= 8 {
        mark(out, "esp");
        return Ok(());
    }
    let _ = write!(out, "ESP(spi=0x{:08x}", b.be32(0)?);
    let _ = write!(out, ",seq=0x{:x})", b.be32(4)?);
    let _ = write!(out, ", length {length}");
    Ok(())
}

/// isakmp_rfc3948_print, UDP port 4500 (NAT traversal): a keep-alive, ESP
/// (`UDP-encap: ESP(...)`) or, after four zero bytes, IKE
/// (`NONESP-encap: ` and the ISAKMP message).
pub(super) fn natt(p: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let b = Bytes::new(seg.data, "isakmp_rfc3948");
    if seg.len == 1 && b.u8(0)? == 0xff {
        out.push_str("isakmp-nat-keep-alive");
        return Ok(());
    }
    if seg.len < 4 {
        mark(out, "isakmp_rfc3948");
        return Ok(());
    }
    if b.be32(0)? != 0 {
        out.push_str("UDP-encap: ");
        return esp_line(out, seg.data, seg.len);
    }
    out.push_str("NONESP-encap: ");
    super::isakmp::print_msg(p, out, &seg.data[4..], seg.len - 4)
}

/// ipcomp_print: `IPComp(cpi=0x....)`.
pub(super) fn ipcomp(_: &mut Printer, out: &mut String, seg: &IpPayload<'_>) -> Printed {
    let b = Bytes::new(seg.data, "ipcomp");
    let cpi = b.be16(2)?;
    let _ = write!(out, "IPComp(cpi=0x{cpi:04x})");
    Ok(())
}
