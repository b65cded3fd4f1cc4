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
use std::ops::ControlFlow;

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

    /// The link type of the file (its upper bits, FCS information, cleared).
    pub fn linktype(&self) -> u32 {
        self.linktype
    }

    /// Hands every record from the current one on to `walker`, until it
    /// breaks, the file ends or a header is damaged: the tight loop for
    /// reading a whole file, one length check per record, the byte order
    /// fixed for the loop and the time stamp decoded only when asked for
    /// ([`RawRecord::packet`]).
    ///
    /// `Ok(Continue(()))` at a clean end of file; `Ok(Break(b))` when the
    /// walker broke, with [`Records::position`] past the record it was
    /// given. The records and errors are [`Records::next_record`]'s.
    ///
    /// # Errors
    /// A [`ReadError`] naming the byte offset of the first damaged header.
    ///
    /// ```
    /// use rawcap::savefile::{PcapSlice, PcapWriter, RawRecord, Resolution, Walk};
    /// use rawcap::{packet::Packet, LinkType};
    /// use std::ops::ControlFlow;
    /// let mut w = PcapWriter::new(Vec::new(), LinkType::Ethernet, 0, Resolution::Micro).unwrap();
    /// for n in 1..=3u8 {
    ///     w.write(&Packet::new(u64::from(n) * 1000, &[n; 20], 60)).unwrap();
    /// }
    /// let bytes = w.into_inner().unwrap();
    /// struct Stamps(Vec<u64>);
    /// impl Walk<'_> for Stamps {
    ///     type Stop = ();
    ///     fn record(&mut self, r: RawRecord<'_>) -> ControlFlow<()> {
    ///         self.0.push(r.packet().ts_ns);
    ///         ControlFlow::Continue(())
    ///     }
    /// }
    /// let mut stamps = Stamps(Vec::new());
    /// let end = PcapSlice::new(&bytes).unwrap().walk(&mut stamps);
    /// assert_eq!(end.unwrap(), ControlFlow::Continue(()));
    /// assert_eq!(stamps.0, [1000, 2000, 3000]);
    /// ```
    #[inline]
    pub fn walk<W: Walk<'a>>(&mut self, walker: &mut W) -> Result<ControlFlow<W::Stop>, ReadError> {
        if self.big {
            self.walk_in::<true, W>(walker)
        } else {
            self.walk_in::<false, W>(walker)
        }
    }

    /// [`PcapSlice::walk`] for one byte order.
    #[inline(always)]
    fn walk_in<const BIG: bool, W: Walk<'a>>(
        &mut self,
        walker: &mut W,
    ) -> Result<ControlFlow<W::Stop>, ReadError> {
        let bytes = self.bytes;
        let max = self.snaplen.max(MAX_SNAPLEN) as usize;
        let nanos = self.nanos;
        let mut at = self.at;
        loop {
            let Some(rec) = raw_at::<BIG>(bytes, at, max, nanos) else {
                self.at = at;
                return match self.damage() {
                    Some(e) => Err(e),
                    None => Ok(ControlFlow::Continue(())),
                };
            };
            at = rec.end();
            if let ControlFlow::Break(b) = walker.record(rec) {
                self.at = at;
                return Ok(ControlFlow::Break(b));
            }
        }
    }

    /// A reader of the records at known offsets of these bytes, for use
    /// while the slice walks.
    pub fn records_at(&self) -> RecordsAt<'a> {
        RecordsAt {
            bytes: self.bytes,
            max: self.snaplen.max(MAX_SNAPLEN) as usize,
            big: self.big,
            nanos: self.nanos,
        }
    }

    /// Why no whole record starts at the current position: `None` at the
    /// end of the file, else the damage.
    #[cold]
    #[inline(never)]
    fn damage(&self) -> Option<ReadError> {
        let avail = self.bytes.len() - self.at;
        let err = |kind| {
            Some(ReadError {
                offset: self.at as u64,
                kind,
            })
        };
        if avail < 16 {
            if avail == 0 {
                return None;
            }
            return err(ReadErrorKind::Truncated {
                what: "record header",
                need: 16,
                have: avail as u64,
            });
        }
        let caplen = word(&self.bytes[self.at + 8..], self.big);
        let max = self.snaplen.max(MAX_SNAPLEN);
        if caplen > max {
            return err(ReadErrorKind::RecordTooLong { caplen, max });
        }
        err(ReadErrorKind::Truncated {
            what: "record",
            need: 16 + u64::from(caplen),
            have: avail as u64,
        })
    }
}

/// The 32-bit word at the start of `b` in the file's byte order.
#[inline(always)]
fn word(b: &[u8], big: bool) -> u32 {
    let w = [b[0], b[1], b[2], b[3]];
    if big {
        u32::from_be_bytes(w)
    } else {
        u32::from_le_bytes(w)
    }
}

/// The whole record at `at` in `bytes`, if there is one no longer than
/// `max`.
#[inline(always)]
fn raw_at<const BIG: bool>(
    bytes: &[u8],
    at: usize,
    max: usize,
    nanos: bool,
) -> Option<RawRecord<'_>> {
    let rest = bytes.get(at..)?;
    let h: &[u8; 16] = rest.first_chunk()?;
    let caplen = word(&h[8..12], BIG) as usize;
    if caplen > max {
        return None;
    }
    let data = rest.get(16..16 + caplen)?;
    Some(RawRecord {
        offset: at,
        data,
        wire_len: word(&h[12..16], BIG),
        secs: word(&h[0..4], BIG),
        frac: word(&h[4..8], BIG),
        nanos,
    })
}

/// The records of a [`PcapSlice`] by byte offset ([`PcapSlice::records_at`]):
/// a walker that keeps only the offset of a record it needs later (and so
/// nothing else across its per-record work) reads the record again here.
#[derive(Clone, Copy, Debug)]
pub struct RecordsAt<'a> {
    bytes: &'a [u8],
    max: usize,
    big: bool,
    nanos: bool,
}

impl<'a> RecordsAt<'a> {
    /// The whole record whose header starts at byte `offset`, if there is
    /// one ([`RawRecord::offset`] of a record the walk handed over).
    pub fn at(&self, offset: usize) -> Option<RawRecord<'a>> {
        if self.big {
            raw_at::<true>(self.bytes, offset, self.max, self.nanos)
        } else {
            raw_at::<false>(self.bytes, offset, self.max, self.nanos)
        }
    }
}

/// What [`PcapSlice::walk`] hands the records to (a trait rather than a
/// closure so that an implementation can insist on being inlined into the
/// loop: `#[inline(always)]` on [`Walk::record`]).
pub trait Walk<'a> {
    /// What a walk stopped early gives back.
    type Stop;
    /// Takes one record; `Break` stops the walk after it.
    fn record(&mut self, rec: RawRecord<'a>) -> ControlFlow<Self::Stop>;
}

/// One record of a [`PcapSlice`] as [`PcapSlice::walk`] hands it over.
#[derive(Clone, Copy, Debug)]
pub struct RawRecord<'a> {
    /// The byte offset of the record's 16-byte header in the file.
    pub offset: usize,
    /// The captured bytes.
    pub data: &'a [u8],
    /// The length of the packet on the wire.
    pub wire_len: u32,
    secs: u32,
    frac: u32,
    nanos: bool,
}

impl<'a> RawRecord<'a> {
    /// The byte offset just past the record.
    #[inline(always)]
    pub fn end(&self) -> usize {
        self.offset + 16 + self.data.len()
    }

    /// The time stamp, in nanoseconds since the epoch.
    #[inline]
    pub fn ts_ns(&self) -> u64 {
        let frac = u64::from(self.frac);
        u64::from(self.secs) * 1_000_000_000 + if self.nanos { frac } else { frac * 1000 }
    }

    /// The record as a [`Packet`].
    #[inline]
    pub fn packet(&self) -> Packet<'a> {
        Packet::new(self.ts_ns(), self.data, self.wire_len)
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
        let max = self.snaplen.max(MAX_SNAPLEN) as usize;
        let rec = if self.big {
            raw_at::<true>(self.bytes, self.at, max, self.nanos)
        } else {
            raw_at::<false>(self.bytes, self.at, max, self.nanos)
        };
        let Some(rec) = rec else {
            return match self.damage() {
                Some(e) => Err(e),
                None => Ok(None),
            };
        };
        self.at = rec.end();
        Ok(Some(Record {
            packet: rec.packet(),
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

    /// Every record until the `stop`th (counting from 1), as [`drain`].
    struct Walked<'a> {
        recs: Vec<Rec>,
        stop: usize,
        at: Option<RecordsAt<'a>>,
    }

    impl<'a> Walk<'a> for Walked<'a> {
        type Stop = usize;
        fn record(&mut self, r: RawRecord<'a>) -> ControlFlow<usize> {
            let p = r.packet();
            self.recs.push((p.ts_ns, p.data.to_vec(), p.wire_len));
            assert_eq!(
                self.at.and_then(|a| a.at(r.offset)).map(|a| a.packet()),
                Some(p)
            );
            if self.recs.len() == self.stop {
                return ControlFlow::Break(r.end());
            }
            ControlFlow::Continue(())
        }
    }

    /// [`drain`] through [`PcapSlice::walk`], stopping at the `stop`th
    /// record and going on from there with `next_record`.
    fn walk(s: &mut PcapSlice<'_>, stop: usize) -> (Vec<Rec>, Option<String>) {
        let mut w = Walked {
            recs: Vec::new(),
            stop,
            at: Some(s.records_at()),
        };
        match s.walk(&mut w) {
            Ok(ControlFlow::Continue(())) => (w.recs, None),
            Ok(ControlFlow::Break(end)) => {
                assert_eq!(end as u64, s.position());
                let (more, err) = drain(s);
                w.recs.extend(more);
                (w.recs, err)
            }
            Err(e) => (w.recs, Some(e.to_string())),
        }
    }

    #[test]
    fn same_records_and_errors_as_the_reader_at_every_cut() {
        let f = file(40);
        for cut in (24..f.len()).step_by(7).chain([f.len()]) {
            let bytes = &f[..cut];
            let mut s = PcapSlice::new(bytes).unwrap();
            let mut r = Reader::new(bytes).unwrap();
            let read = drain(&mut r);
            assert_eq!(drain(&mut s), read, "cut at {cut}");
            for stop in [0, 1, 5] {
                let mut s = PcapSlice::new(bytes).unwrap();
                assert_eq!(walk(&mut s, stop), read, "cut at {cut}, walk to {stop}");
            }
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
        assert_eq!(walk(&mut PcapSlice::new(&f).unwrap(), 0), (recs, None));
        // A record claiming more than the maximum length.
        f[24 + 8..24 + 12].copy_from_slice(&(MAX_SNAPLEN + 1).to_be_bytes());
        let a = drain(&mut PcapSlice::new(&f).unwrap());
        assert!(a.1.as_deref().unwrap_or("").contains("exceeds"), "{a:?}");
        assert_eq!(a, drain(&mut Reader::new(&f[..]).unwrap()));
        assert_eq!(a, walk(&mut PcapSlice::new(&f).unwrap(), 0));
    }

    #[test]
    fn not_pcap_is_left_to_the_reader() {
        assert!(PcapSlice::new(&[0x0a, 0x0d, 0x0d, 0x0a]).is_none());
        assert!(PcapSlice::new(&[0u8; 24]).is_none());
        assert!(PcapSlice::new(&file(0)[..20]).is_none());
    }
}
