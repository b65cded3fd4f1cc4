//! Cisco Discovery Protocol (print-cdp.c).

use super::text::Printer;
use super::trunc::Trunc;

/// cdp_print.
pub(super) fn print(
    p: &mut Printer,
    out: &mut String,
    data: &[u8],
    length: usize,
) -> Result<(), Trunc> {
    let _ = (length, p);
    out.push_str("CDP");
    let _ = data;
    Ok(())
}
