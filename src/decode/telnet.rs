//! Telnet (print-telnet.c).

use super::dispatch::Segment;
use super::text::Printer;
use super::trunc::{Bytes, Printed};

/// telnet_print reads the first byte for an IAC; the options are not
/// decoded yet.
pub(super) fn print(_: &mut Printer, _: &mut String, seg: &Segment<'_>) -> Printed {
    Bytes::new(seg.data, "telnet").u8(0)?;
    Ok(())
}
