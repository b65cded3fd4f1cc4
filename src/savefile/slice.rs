//! pcap records straight out of bytes already in memory (a mapped file),
//! with no copy and no per-packet work beyond the 16-byte record header.
//!
//! In: the whole file as a `&[u8]`. Out: [`Record`]s borrowing those bytes.
//! Invariant: the same records, and the same [`ReadError`] at the same
//! offset, as [`Reader`] over the same bytes; pcapng is left to [`Reader`]
//! ([`PcapSlice::new`] says `None`).

use super::reader::{ReadError, ReadErrorKind, Reader, Record};
use super::{MAX_SNAPLEN, PCAP_MAGIC_NSEC, PCAP_MAGIC_USEC};
use crate::packet::Packet;
use std::io::Read;

/// Where savefile records come from: a [`Reader`] over any byte stream, or a
/// [`PcapSlice`] over bytes in memory.
pub trait Records {
    /// The link type of the file (or of its first interface), reading ahead
    /// to the first interface description if needed.
    ///
    /// # Errors
    /// As [`Records::next_record`].
    fn peek_linktype(&mut self) -> Result<Option<u32>, ReadError>;
    /// The snapshot length of the file (or of its first interface).
    fn snaplen(&self) -> Option<u32>;
    /// Bytes of the file consumed so far.
    fn position(&self) -> u64;
    /// The next packet, `Ok(None)` at a clean end of file.
    ///
    /// # Errors
    /// A [`ReadError`] naming the byte offset of the first damaged header.
    fn next_record(&mut self) -> Result<Option<Record<'_>>, ReadError>;
}

impl<R: Read> Records for Reader<R> {
    fn peek_linktype(&mut self) -> Result<Option<u32>, ReadError> {
        Reader::peek_linktype(self)
    }
    fn snaplen(&self) -> Option<u32> {
        Reader::snaplen(self)
    }
    fn position(&self) -> u64 {
        Reader::position(self)
    }
    fn next_record(&mut self) -> Result<Option<Record<'_>>, ReadError> {
        Reader::next_record(self)
    }
}

/// A classic pcap file in memory, read record by record without copying.
///
/// ```
/// use rawcap::savefile::{PcapSlice, PcapWriter, Records, Resolution};
/// use rawcap::{packet::Packet, LinkType};
/// let mut w = PcapWriter::new(Vec::new(), LinkType::Ethernet, 0, Resolution::Micro).unwrap();
/// w.write(&Packet::new(1_500_000_000, &[7u8; 14], 60)).unwrap();
/// let bytes = w.into_inner().unwrap();
/// let mut s = PcapSlice::new(&bytes).unwrap();
/// let rec = s.next_record().unwrap().unwrap();
/// assert_eq!((rec.packet.data, rec.packet.wire_len), (&[7u8; 14][..], 60));
/// assert!(s.next_record().unwrap().is_none());
/// ```
#[derive(Clone, Debug)]
pub struct PcapSlice<'a> {
    bytes: &'a [u8],
    at: usize,
    big: bool,
    nanos: bool,
    linktype: u32,
    snaplen: u32,
}

impl<'a> PcapSlice<'a> {
    /// Reads the 24-byte file header; `None` when `bytes` do not start with
    /// one (pcapng, damage: leave those to [`Reader`], which says what is wrong).
    pub fn new(bytes: &'a [u8]) -> Option<Self> {
        let h = bytes.get(..24)?;
        let word = |at: usize, big: bool| {
            let w = [h[at], h[at + 1], h[at + 2], h[at + 3]];
            if big {
                u32::from_be_bytes(w)
            } else {
                u32::from_le_bytes(w)
            }
        };
        let big = match word(0, false) {
            PCAP_MAGIC_USEC | PCAP_MAGIC_NSEC => false,
            _ if matches!(word(0, true), PCAP_MAGIC_USEC | PCAP_MAGIC_NSEC) => true,
            _ => return None,
        };
        Some(PcapSlice {
            bytes,
            at: 24,
            big,
            nanos: word(0, big) == PCAP_MAGIC_NSEC,
            // The upper bits of the link-type field carry FCS information.
            linktype: word(20, big) & 0x03ff_ffff,
            snaplen: word(16, big),
        })
    }

    #[inline]
    fn u32_at(&self, at: usize) -> u32 {
        let b = &self.bytes[at..at + 4];
        let w = [b[0], b[1], b[2], b[3]];
        if self.big {
            u32::from_be_bytes(w)
        } else {
            u32::from_le_bytes(w)
        }
    }

    fn err(&self, kind: ReadErrorKind) -> ReadError {
        ReadError {
            offset: self.at as u64,
            kind,
        }
    }
}

impl Records for PcapSlice<'_> {
    fn peek_linktype(&mut self) -> Result<Option<u32>, ReadError> {
        Ok(Some(self.linktype))
    }

    fn snaplen(&self) -> Option<u32> {
        Some(self.snaplen)
    }

    #[inline]
    fn position(&self) -> u64 {
        self.at as u64
    }

    #[inline]
    fn next_record(&mut self) -> Result<Option<Record<'_>>, ReadError> {
        let avail = self.bytes.len() - self.at;
        if avail < 16 {
            if avail == 0 {
                return Ok(None);
            }
            return Err(self.err(ReadErrorKind::Truncated {
                what: "record header",
                need: 16,
                have: avail as u64,
            }));
        }
        let caplen = self.u32_at(self.at + 8);
        let max = self.snaplen.max(MAX_SNAPLEN);
        if caplen > max {
            return Err(self.err(ReadErrorKind::RecordTooLong { caplen, max }));
        }
        let total = 16 + caplen as usize;
        if avail < total {
            return Err(self.err(ReadErrorKind::Truncated {
                what: "record",
                need: total as u64,
                have: avail as u64,
            }));
        }
        let secs = u64::from(self.u32_at(self.at));
        let frac = u64::from(self.u32_at(self.at + 4));
        let wire_len = self.u32_at(self.at + 12);
        let ts_ns = secs * 1_000_000_000 + if self.nanos { frac } else { frac * 1000 };
        let data = &self.bytes[self.at + 16..self.at + total];
        self.at += total;
        Ok(Some(Record {
            packet: Packet::new(ts_ns, data, wire_len),
            linktype: self.linktype,
            snaplen: self.snaplen,
            interface: 0,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::savefile::{PcapWriter, Resolution};
    use crate::LinkType;

    fn file(n: usize) -> Vec<u8> {
        let mut w = PcapWriter::new(Vec::new(), LinkType::Ethernet, 0, Resolution::Nano).unwrap();
        for i in 0..n {
            let data: Vec<u8> = (0..i % 90).map(|b| b as u8).collect();
            w.write(&Packet::new(
                1_000_000_007 * i as u64,
                &data,
                100 + i as u32,
            ))
            .unwrap();
        }
        w.into_inner().unwrap()
    }

    /// (time, bytes, wire length) of one record.
    type Rec = (u64, Vec<u8>, u32);

    /// Every record, then the error message, if any.
    fn drain(r: &mut dyn Records) -> (Vec<Rec>, Option<String>) {
        let mut out = Vec::new();
        loop {
            match r.next_record() {
                Ok(Some(rec)) => out.push((
                    rec.packet.ts_ns,
                    rec.packet.data.to_vec(),
                    rec.packet.wire_len,
                )),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e.to_string())),
            }
        }
    }

    #[test]
    fn same_records_and_errors_as_the_reader_at_every_cut() {
        let f = file(40);
        for cut in (24..f.len()).step_by(7).chain([f.len()]) {
            let bytes = &f[..cut];
            let mut s = PcapSlice::new(bytes).unwrap();
            let mut r = Reader::new(bytes).unwrap();
            assert_eq!(drain(&mut s), drain(&mut r), "cut at {cut}");
        }
    }

    #[test]
    fn big_endian_and_oversized_records_match_the_reader() {
        let mut f = file(3);
        // Swap the file to big endian: header words and record header words.
        for at in [0, 16, 20] {
            f[at..at + 4].reverse();
        }
        f[4..6].reverse();
        f[6..8].reverse();
        let mut at = 24;
        while at < f.len() {
            let caplen = u32::from_le_bytes([f[at + 8], f[at + 9], f[at + 10], f[at + 11]]);
            for w in 0..4 {
                f[at + 4 * w..at + 4 * w + 4].reverse();
            }
            at += 16 + caplen as usize;
        }
        let (recs, err) = drain(&mut PcapSlice::new(&f).unwrap());
        assert_eq!((recs.len(), err), (3, None));
        assert_eq!(recs, drain(&mut Reader::new(&f[..]).unwrap()).0);
        // A record claiming more than the maximum length.
        f[24 + 8..24 + 12].copy_from_slice(&(MAX_SNAPLEN + 1).to_be_bytes());
        let a = drain(&mut PcapSlice::new(&f).unwrap());
        assert!(a.1.as_deref().unwrap_or("").contains("exceeds"), "{a:?}");
        assert_eq!(a, drain(&mut Reader::new(&f[..]).unwrap()));
    }

    #[test]
    fn not_pcap_is_left_to_the_reader() {
        assert!(PcapSlice::new(&[0x0a, 0x0d, 0x0d, 0x0a]).is_none());
        assert!(PcapSlice::new(&[0u8; 24]).is_none());
        assert!(PcapSlice::new(&file(0)[..20]).is_none());
    }
}
