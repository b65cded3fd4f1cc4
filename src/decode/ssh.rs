//! SSH (print-ssh.c): the identification string.

use super::dispatch::Segment;
use super::text::Printer;
use super::trunc::{Printed, Trunc};
use super::txtproto::{printable, push_line};

/// The identification string, when the payload starts with one.
pub(super) fn print(_: &mut Printer, out: &mut String, seg: &Segment<'_>) -> Printed {
    let p = seg.data;
    for (i, want) in b"SSH-".iter().enumerate() {
        match p.get(i) {
            // GET_U_1 past the captured end: a longjmp (-x dumps the
            // whole frame).
            None => return Err(Trunc("ssh")),
            Some(c) if c != want => return Ok(()),
            Some(_) => {}
        }
    }
    match p.windows(2).position(|w| w == b"\r\n") {
        Some(end) if p[..end].iter().all(|&c| printable(c)) => {
            out.push_str(": SSH: ");
            push_line(out, "", &p[..end]);
        }
        _ => return Err(Trunc("ssh")),
    }
    Ok(())
}
