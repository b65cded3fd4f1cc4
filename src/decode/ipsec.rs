//! IPsec: AH (print-ah.c).

use super::num::be32;
use core::fmt::Write;

/// print-ah.c: `AH(spi=0x..,seq=0x..,icv=0x..): `, as far as captured;
/// `body` starts after the next-header and length bytes; `total` is the
/// header's length.
pub(super) fn ah(out: &mut String, body: &[u8], total: usize) {
    if body.len() < 2 {
        out.push_str(" [|ah]");
        return;
    }
    out.push_str("AH(");
    let Some(spi) = body.get(2..6) else {
        out.push_str(" [|ah]");
        return;
    };
    let _ = write!(out, "spi=0x{:08x},", be32(spi));
    let Some(seq) = body.get(6..10) else {
        out.push_str(" [|ah]");
        return;
    };
    let _ = write!(out, "seq=0x{:x},icv=0x", be32(seq));
    // The ICV runs to the header's end.
    for i in 10..total.saturating_sub(2) {
        match body.get(i) {
            Some(b) => {
                let _ = write!(out, "{b:02x}");
            }
            None => {
                out.push_str(" [|ah]");
                return;
            }
        }
    }
    out.push_str("): ");
}
