//! Truncation: the one way printers say that the captured bytes ran out.
//!
//! tcpdump's printers read through `GET_` macros that jump back to the top
//! (a longjmp) when a field lies past the capture, and the top prints
//! ` [|proto]` with the protocol that was being printed. Here a printer
//! reads through [`Bytes`], whose getters return [`Trunc`] naming the
//! protocol; `?` carries it to [`super::text::Printer`], which prints the
//! marker with [`mark`]. Printers that check first and print the marker
//! themselves (tcpdump's `ND_TTEST` + `nd_print_trunc`) call [`mark`] and
//! return normally.

/// The captured bytes ended inside a field of protocol `.0` (tcpdump's
/// longjmp; the text so far stays and ` [|.0]` follows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trunc(pub &'static str);

/// What a printer that may run out of bytes returns.
pub type Printed = Result<(), Trunc>;

/// Appends tcpdump's truncation marker ` [|proto]`.
pub fn mark(out: &mut String, proto: &str) {
    out.push_str(" [|");
    out.push_str(proto);
    out.push(']');
}

/// A printer that reports its own truncation (tcpdump's `goto trunc` and
/// nd_print_trunc, no longjmp): the marker ends the line as an `Err`
/// would, but the packet ends normally, so `-x` still dumps from after the
/// link header (a longjmp makes tcpdump dump the whole frame).
pub fn caught(out: &mut String, r: Printed) -> Printed {
    if let Err(Trunc(proto)) = r {
        mark(out, proto);
    }
    Ok(())
}

/// The captured bytes of one protocol's header and payload, read only
/// through checked getters: a read past the end is `Err(Trunc(proto))`.
#[derive(Clone, Copy, Debug)]
pub struct Bytes<'a> {
    data: &'a [u8],
    proto: &'static str,
}

// The reading API of every printer: not each getter has a user yet.
#[allow(dead_code)]
impl<'a> Bytes<'a> {
    /// A view of `data` for protocol `proto` (the name the marker shows).
    pub fn new(data: &'a [u8], proto: &'static str) -> Self {
        Bytes { data, proto }
    }

    /// The protocol name errors carry.
    pub fn proto(&self) -> &'static str {
        self.proto
    }

    /// The captured bytes.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// How many bytes were captured.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether nothing was captured.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The error for this protocol.
    pub fn trunc(&self) -> Trunc {
        Trunc(self.proto)
    }

    /// Whether `n` bytes from `at` were captured (tcpdump's `ND_TTEST_LEN`).
    pub fn has(&self, at: usize, n: usize) -> bool {
        at.checked_add(n).is_some_and(|e| e <= self.data.len())
    }

    /// `n` bytes from `at`.
    pub fn take(&self, at: usize, n: usize) -> Result<&'a [u8], Trunc> {
        let end = at.checked_add(n).ok_or(self.trunc())?;
        self.data.get(at..end).ok_or(self.trunc())
    }

    /// The bytes from `at` on (empty past the end), as a view of the same protocol.
    pub fn from(&self, at: usize) -> Bytes<'a> {
        Bytes {
            data: self.data.get(at..).unwrap_or(&[]),
            proto: self.proto,
        }
    }

    /// The same bytes for another protocol's printer.
    pub fn named(&self, proto: &'static str) -> Bytes<'a> {
        Bytes {
            data: self.data,
            proto,
        }
    }

    /// At most `n` bytes from the start (a length field ending the message early).
    pub fn limit(&self, n: usize) -> Bytes<'a> {
        Bytes {
            data: &self.data[..n.min(self.data.len())],
            proto: self.proto,
        }
    }

    /// The byte at `at`.
    pub fn u8(&self, at: usize) -> Result<u8, Trunc> {
        self.data.get(at).copied().ok_or(self.trunc())
    }

    /// The big-endian u16 at `at`.
    pub fn be16(&self, at: usize) -> Result<u16, Trunc> {
        let b = self.take(at, 2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    /// The big-endian 24-bit value at `at`.
    pub fn be24(&self, at: usize) -> Result<u32, Trunc> {
        let b = self.take(at, 3)?;
        Ok(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }

    /// The big-endian u32 at `at`.
    pub fn be32(&self, at: usize) -> Result<u32, Trunc> {
        let b = self.take(at, 4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The big-endian u64 at `at`.
    pub fn be64(&self, at: usize) -> Result<u64, Trunc> {
        let b = self.take(at, 8)?;
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        Ok(u64::from_be_bytes(w))
    }

    /// The little-endian u16 at `at`.
    pub fn le16(&self, at: usize) -> Result<u16, Trunc> {
        let b = self.take(at, 2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    /// The little-endian u32 at `at`.
    pub fn le32(&self, at: usize) -> Result<u32, Trunc> {
        let b = self.take(at, 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_past_the_end_name_the_protocol() {
        let b = Bytes::new(&[1, 2, 3, 4, 5], "stp");
        assert_eq!(b.u8(4), Ok(5));
        assert_eq!(b.u8(5), Err(Trunc("stp")));
        assert_eq!(b.be16(3), Ok(0x0405));
        assert_eq!(b.be16(4), Err(Trunc("stp")));
        assert_eq!(b.be24(0), Ok(0x010203));
        assert_eq!(b.be32(1), Ok(0x02030405));
        assert_eq!(b.be64(0), Err(Trunc("stp")));
        assert_eq!(b.le16(0), Ok(0x0201));
        assert_eq!(b.take(usize::MAX, 2), Err(Trunc("stp")));
        assert!(b.from(9).is_empty());
        assert_eq!(b.limit(2).len(), 2);
        assert_eq!(b.named("llc").u8(9), Err(Trunc("llc")));
        assert!(b.has(3, 2) && !b.has(3, 3) && !b.has(usize::MAX, 1));
        let mut s = String::from("x");
        mark(&mut s, "lldp");
        assert_eq!(s, "x [|lldp]");
    }
}
