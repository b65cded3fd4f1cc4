//! pcap and pcapng reader over any [`Read`], without per-packet allocation.
//!
//! pcap: pcap-savefile(5), both byte orders, micro- and nanosecond magic.
//! pcapng: draft-ietf-opsawg-pcapng: Section Header (both byte orders,
//! several sections), Interface Description (link type, snaplen,
//! `if_tsresol`, `if_tsoffset`), Enhanced, Simple and obsolete Packet blocks;
//! every other block type is skipped by its length.

use super::{MAX_SNAPLEN, PCAPNG_SHB, PCAP_MAGIC_NSEC, PCAP_MAGIC_USEC};
use crate::packet::Packet;
use std::io::{self, Read};

/// What kind of savefile a [`Reader`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Classic pcap.
    Pcap {
        /// Timestamps are nanoseconds (magic `a1b23c4d`).
        nanos: bool,
        /// The file was written in big-endian byte order.
        big_endian: bool,
    },
    /// pcapng.
    Pcapng,
}

/// One packet read from a savefile, borrowing the reader's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    /// The packet (time, captured bytes, wire length).
    pub packet: Packet<'a>,
    /// The pcap `LINKTYPE_*` number of the packet's interface.
    pub linktype: u32,
    /// The snapshot length of the packet's interface.
    pub snaplen: u32,
    /// The pcapng interface number (0 for pcap).
    pub interface: u32,
}

/// What was wrong with a savefile.
#[derive(Debug, thiserror::Error)]
pub enum ReadErrorKind {
    /// Reading the underlying source failed.
    #[error("read failed: {0}")]
    Io(#[from] io::Error),
    /// The file is empty.
    #[error("empty file")]
    Empty,
    /// The first four bytes are no pcap or pcapng magic.
    #[error("unknown file format (magic 0x{0:08x})")]
    BadMagic(u32),
    /// The file ends inside a header or record.
    #[error("truncated {what}: need {need} bytes, file has {have}")]
    Truncated {
        /// The thing cut off ("file header", "record", "block", ...).
        what: &'static str,
        /// Bytes the header said follow.
        need: u64,
        /// Bytes there are.
        have: u64,
    },
    /// A record claims more captured bytes than any snapshot length allows.
    #[error("record length {caplen} exceeds the maximum {max}")]
    RecordTooLong {
        /// The claimed captured length.
        caplen: u32,
        /// The largest length accepted.
        max: u32,
    },
    /// A pcapng block length is not a multiple of 4, too short or too long.
    #[error("bad block length {0}")]
    BadBlockLength(u32),
    /// A pcapng block's trailing length differs from its leading one.
    #[error("block length mismatch ({0} at start, {1} at end)")]
    BlockLengthMismatch(u32, u32),
    /// A pcapng section header has an unknown byte-order magic or version.
    #[error("bad section header ({0})")]
    BadSection(&'static str),
    /// A packet names an interface no Interface Description Block described.
    #[error("packet for undescribed interface {0}")]
    NoInterface(u32),
    /// A pcapng packet block appears before any section header.
    #[error("packet data before any section header")]
    NoSection,
}

/// A savefile error and the byte offset of the header or block where it starts.
#[derive(Debug, thiserror::Error)]
#[error("{kind} at byte offset {offset}")]
pub struct ReadError {
    /// Byte offset in the file of the damaged header, record or block.
    pub offset: u64,
    /// What is wrong.
    pub kind: ReadErrorKind,
}

/// Largest pcapng block rawcap accepts (a packet of [`MAX_SNAPLEN`] bytes
/// plus generous room for options).
const MAX_BLOCK: u32 = MAX_SNAPLEN + 64 * 1024;

#[derive(Clone, Copy, Debug)]
struct Iface {
    linktype: u32,
    snaplen: u32,
    /// Timestamp units per second.
    units: u64,
    /// Seconds added to every timestamp.
    offset_s: i64,
}

#[derive(Debug)]
enum State {
    Pcap {
        big: bool,
        nanos: bool,
        linktype: u32,
        snaplen: u32,
    },
    Pcapng {
        big: bool,
        in_section: bool,
        ifaces: Vec<Iface>,
    },
}

/// Reads records from a pcap or pcapng savefile.
///
/// ```
/// use rawcap::savefile::{PcapWriter, Reader, Resolution};
/// use rawcap::{packet::Packet, LinkType};
/// let mut w = PcapWriter::new(Vec::new(), LinkType::Ethernet, 0, Resolution::Micro).unwrap();
/// w.write(&Packet::new(1_500_000_000, &[0u8; 14], 60)).unwrap();
/// let bytes = w.into_inner().unwrap();
/// let mut r = Reader::new(&bytes[..]).unwrap();
/// let rec = r.next_record().unwrap().unwrap();
/// assert_eq!((rec.packet.ts_ns, rec.packet.wire_len, rec.linktype), (1_500_000_000, 60, 1));
/// assert!(r.next_record().unwrap().is_none());
/// ```
pub struct Reader<R: Read> {
    src: R,
    buf: Vec<u8>,
    /// Valid bytes are `buf[start..end]`.
    start: usize,
    end: usize,
    /// File offset of `buf[start]`.
    offset: u64,
    eof: bool,
    state: State,
    format: Format,
}

fn u16_at(b: &[u8], at: usize, big: bool) -> u16 {
    let a = [b[at], b[at + 1]];
    if big {
        u16::from_be_bytes(a)
    } else {
        u16::from_le_bytes(a)
    }
}

fn u32_at(b: &[u8], at: usize, big: bool) -> u32 {
    let a = [b[at], b[at + 1], b[at + 2], b[at + 3]];
    if big {
        u32::from_be_bytes(a)
    } else {
        u32::from_le_bytes(a)
    }
}

impl<R: Read> Reader<R> {
    /// Reads the file header (or the first pcapng section header).
    ///
    /// # Errors
    /// When the source cannot be read or does not start with a savefile header.
    pub fn new(src: R) -> Result<Self, ReadError> {
        let mut r = Reader {
            src,
            buf: vec![0; 1 << 20],
            start: 0,
            end: 0,
            offset: 0,
            eof: false,
            state: State::Pcap {
                big: false,
                nanos: false,
                linktype: 0,
                snaplen: 0,
            },
            format: Format::Pcapng,
        };
        if !r.fill(4).map_err(|e| r.err(e.into()))? {
            let kind = if r.end == r.start {
                ReadErrorKind::Empty
            } else {
                ReadErrorKind::Truncated {
                    what: "file header",
                    need: 24,
                    have: r.avail() as u64,
                }
            };
            return Err(r.err(kind));
        }
        let b = &r.buf[r.start..];
        let le = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let be = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        if le == PCAPNG_SHB {
            r.state = State::Pcapng {
                big: false,
                in_section: false,
                ifaces: Vec::new(),
            };
            return Ok(r);
        }
        let (big, magic) = if le == PCAP_MAGIC_USEC || le == PCAP_MAGIC_NSEC {
            (false, le)
        } else if be == PCAP_MAGIC_USEC || be == PCAP_MAGIC_NSEC {
            (true, be)
        } else {
            return Err(r.err(ReadErrorKind::BadMagic(be)));
        };
        r.need(24, "file header")?;
        let h = &r.buf[r.start..r.start + 24];
        let snaplen = u32_at(h, 16, big);
        // The upper bits of the link-type field carry FCS information.
        let linktype = u32_at(h, 20, big) & 0x03ff_ffff;
        let nanos = magic == PCAP_MAGIC_NSEC;
        r.state = State::Pcap {
            big,
            nanos,
            linktype,
            snaplen,
        };
        r.format = Format::Pcap {
            nanos,
            big_endian: big,
        };
        r.consume(24);
        Ok(r)
    }

    /// The kind of file.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The link type of the file (pcap) or of its first interface (pcapng;
    /// `None` until the first Interface Description Block was read).
    pub fn linktype(&mut self) -> Option<u32> {
        match &self.state {
            State::Pcap { linktype, .. } => Some(*linktype),
            State::Pcapng { ifaces, .. } => ifaces.first().map(|i| i.linktype),
        }
    }

    /// The snapshot length of the file (pcap) or first interface (pcapng).
    pub fn snaplen(&self) -> Option<u32> {
        match &self.state {
            State::Pcap { snaplen, .. } => Some(*snaplen),
            State::Pcapng { ifaces, .. } => ifaces.first().map(|i| i.snaplen),
        }
    }

    /// Bytes of the file consumed so far (the offset of the next record).
    pub fn position(&self) -> u64 {
        self.offset
    }

    /// Reads pcapng blocks until the first interface is described, so that
    /// [`Reader::linktype`] is known before the first packet is taken.
    ///
    /// # Errors
    /// As [`Reader::next_record`].
    pub fn peek_linktype(&mut self) -> Result<Option<u32>, ReadError> {
        loop {
            if let Some(l) = self.linktype() {
                return Ok(Some(l));
            }
            let off = self.offset;
            if !self.fill(8).map_err(|e| self.err(e.into()))? {
                return Ok(None);
            }
            let (big, _) = self.ng_big();
            let b = &self.buf[self.start..self.end];
            let ty = u32_at(b, 0, big);
            if ty != PCAPNG_SHB && ty != 1 {
                // A packet or other block comes before any interface: let
                // next_record deal with it.
                return Ok(None);
            }
            if let Some(kind) = self.ng_block_meta()? {
                return Err(ReadError { offset: off, kind });
            }
        }
    }

    fn ng_big(&self) -> (bool, bool) {
        match &self.state {
            State::Pcapng {
                big, in_section, ..
            } => (*big, *in_section),
            State::Pcap { big, .. } => (*big, true),
        }
    }

    fn avail(&self) -> usize {
        self.end - self.start
    }

    fn err(&self, kind: ReadErrorKind) -> ReadError {
        ReadError {
            offset: self.offset,
            kind,
        }
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        self.offset += n as u64;
    }

    /// Makes `n` bytes available at `buf[start..]`; `false` at end of input
    /// (with whatever was there left available).
    fn fill(&mut self, n: usize) -> io::Result<bool> {
        while self.avail() < n {
            if self.eof {
                return Ok(false);
            }
            if self.start + n > self.buf.len() {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
                if n > self.buf.len() {
                    self.buf.resize(n, 0);
                }
            }
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(k) => self.end += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }

    fn need(&mut self, n: usize, what: &'static str) -> Result<(), ReadError> {
        match self.fill(n) {
            Ok(true) => Ok(()),
            Ok(false) => Err(self.err(ReadErrorKind::Truncated {
                what,
                need: n as u64,
                have: self.avail() as u64,
            })),
            Err(e) => Err(self.err(e.into())),
        }
    }

    /// The next packet, `Ok(None)` at a clean end of file.
    ///
    /// # Errors
    /// A [`ReadError`] naming the byte offset of the first damaged header or
    /// block; every record before it was returned.
    pub fn next_record(&mut self) -> Result<Option<Record<'_>>, ReadError> {
        match self.state {
            State::Pcap {
                big,
                nanos,
                linktype,
                snaplen,
            } => self.next_pcap(big, nanos, linktype, snaplen),
            State::Pcapng { .. } => self.next_pcapng(),
        }
    }

    fn next_pcap(
        &mut self,
        big: bool,
        nanos: bool,
        linktype: u32,
        snaplen: u32,
    ) -> Result<Option<Record<'_>>, ReadError> {
        if !self.fill(16).map_err(|e| self.err(e.into()))? {
            if self.avail() == 0 {
                return Ok(None);
            }
            return Err(self.err(ReadErrorKind::Truncated {
                what: "record header",
                need: 16,
                have: self.avail() as u64,
            }));
        }
        let h = &self.buf[self.start..self.start + 16];
        let secs = u32_at(h, 0, big) as u64;
        let frac = u32_at(h, 4, big) as u64;
        let caplen = u32_at(h, 8, big);
        let wire_len = u32_at(h, 12, big);
        // libpcap's bound (max_snaplen_for_dlt), whatever the header's snaplen
        // says: a 40-byte file must not make the reader allocate 4 GiB.
        let max = MAX_SNAPLEN;
        if caplen > max {
            return Err(self.err(ReadErrorKind::RecordTooLong { caplen, max }));
        }
        let total = 16 + caplen as usize;
        self.need(total, "record")?;
        let ts_ns = secs * 1_000_000_000 + if nanos { frac } else { frac * 1000 };
        let at = self.start + 16;
        self.consume(total);
        let data = &self.buf[at..at + caplen as usize];
        Ok(Some(Record {
            packet: Packet::new(ts_ns, data, wire_len),
            linktype,
            snaplen,
            interface: 0,
        }))
    }

    /// Reads one pcapng block header and checks its lengths; returns
    /// (type, total length) with the whole block available at `buf[start..]`.
    fn ng_block(&mut self) -> Result<Option<(u32, usize)>, ReadError> {
        if !self.fill(12).map_err(|e| self.err(e.into()))? {
            if self.avail() == 0 {
                return Ok(None);
            }
            return Err(self.err(ReadErrorKind::Truncated {
                what: "block header",
                need: 12,
                have: self.avail() as u64,
            }));
        }
        let b = &self.buf[self.start..self.end];
        let ty_le = u32_at(b, 0, false);
        let (mut big, in_section) = self.ng_big();
        if ty_le == PCAPNG_SHB {
            // The byte-order magic decides the order of this section.
            big = match u32_at(b, 8, false) {
                0x1a2b_3c4d => false,
                0x4d3c_2b1a => true,
                _ => return Err(self.err(ReadErrorKind::BadSection("byte-order magic"))),
            };
        } else if !in_section {
            return Err(self.err(ReadErrorKind::NoSection));
        }
        let ty = u32_at(b, 0, big);
        let len = u32_at(b, 4, big);
        if len % 4 != 0 || !(12..=MAX_BLOCK).contains(&len) {
            return Err(self.err(ReadErrorKind::BadBlockLength(len)));
        }
        self.need(len as usize, "block")?;
        let b = &self.buf[self.start..self.start + len as usize];
        let trailer = u32_at(b, len as usize - 4, big);
        if trailer != len {
            return Err(self.err(ReadErrorKind::BlockLengthMismatch(len, trailer)));
        }
        Ok(Some((ty, len as usize)))
    }

    /// Handles a section header or interface block at `buf[start..]`
    /// (already checked by `ng_block`), consuming it. Returns an error kind
    /// for a bad one.
    fn ng_block_meta(&mut self) -> Result<Option<ReadErrorKind>, ReadError> {
        let Some((ty, len)) = self.ng_block()? else {
            return Ok(None);
        };
        let kind = self.ng_apply(ty, len);
        if kind.is_none() {
            self.consume(len);
        }
        Ok(kind)
    }

    /// Applies a non-packet block; `Some(kind)` if it is malformed.
    fn ng_apply(&mut self, ty: u32, len: usize) -> Option<ReadErrorKind> {
        let b = &self.buf[self.start..self.start + len];
        let State::Pcapng {
            big,
            in_section,
            ifaces,
        } = &mut self.state
        else {
            return None;
        };
        if ty == PCAPNG_SHB {
            if len < 28 {
                return Some(ReadErrorKind::BadBlockLength(len as u32));
            }
            let nbig = u32_at(b, 8, false) == 0x4d3c_2b1a;
            if u16_at(b, 12, nbig) != 1 {
                return Some(ReadErrorKind::BadSection("major version"));
            }
            *big = nbig;
            *in_section = true;
            ifaces.clear();
        } else if ty == 1 {
            if len < 20 {
                return Some(ReadErrorKind::BadBlockLength(len as u32));
            }
            let mut iface = Iface {
                linktype: u16_at(b, 8, *big) as u32,
                snaplen: u32_at(b, 12, *big),
                units: 1_000_000,
                offset_s: 0,
            };
            // Options: code, length, value padded to 4 bytes.
            let mut at = 16;
            while at + 4 <= len - 4 {
                let code = u16_at(b, at, *big);
                let olen = u16_at(b, at + 2, *big) as usize;
                let val = at + 4;
                if code == 0 || val + olen > len - 4 {
                    break;
                }
                if code == 9 && olen >= 1 {
                    let v = b[val];
                    iface.units = if v & 0x80 != 0 {
                        1u64.checked_shl(u32::from(v & 0x7f)).unwrap_or(0)
                    } else {
                        10u64.checked_pow(u32::from(v)).unwrap_or(0)
                    };
                    if iface.units == 0 {
                        iface.units = 1_000_000;
                    }
                } else if code == 14 && olen >= 8 {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(&b[val..val + 8]);
                    iface.offset_s = if *big {
                        i64::from_be_bytes(a)
                    } else {
                        i64::from_le_bytes(a)
                    };
                }
                at = val + olen.div_ceil(4) * 4;
            }
            ifaces.push(iface);
        }
        None
    }

    fn next_pcapng(&mut self) -> Result<Option<Record<'_>>, ReadError> {
        loop {
            let Some((ty, len)) = self.ng_block()? else {
                return Ok(None);
            };
            let (big, _) = self.ng_big();
            let b = &self.buf[self.start..self.start + len];
            // (interface, ts units, caplen, wire_len, data offset in block)
            let pkt = match ty {
                6 | 2 => {
                    let (iface_id, hdr) = if ty == 6 {
                        (u32_at(b, 8, big), 28)
                    } else {
                        (u32::from(u16_at(b, 8, big)), 28)
                    };
                    if len < hdr + 4 {
                        return Err(self.err(ReadErrorKind::BadBlockLength(len as u32)));
                    }
                    let ts = (u64::from(u32_at(b, 12, big)) << 32) | u64::from(u32_at(b, 16, big));
                    let caplen = u32_at(b, 20, big);
                    let wire = u32_at(b, 24, big);
                    if caplen as usize > len - hdr - 4 {
                        return Err(self.err(ReadErrorKind::Truncated {
                            what: "packet block data",
                            need: u64::from(caplen),
                            have: (len - hdr - 4) as u64,
                        }));
                    }
                    Some((iface_id, ts, caplen, wire, hdr))
                }
                3 => {
                    if len < 16 {
                        return Err(self.err(ReadErrorKind::BadBlockLength(len as u32)));
                    }
                    let wire = u32_at(b, 8, big);
                    let room = (len - 16) as u32;
                    Some((0, 0, wire.min(room), wire, 12))
                }
                _ => None,
            };
            let Some((iface_id, ts, caplen, wire, hdr)) = pkt else {
                if let Some(kind) = self.ng_apply(ty, len) {
                    return Err(self.err(kind));
                }
                self.consume(len);
                continue;
            };
            let State::Pcapng { ifaces, .. } = &self.state else {
                return Ok(None);
            };
            let Some(iface) = ifaces.get(iface_id as usize).copied() else {
                return Err(self.err(ReadErrorKind::NoInterface(iface_id)));
            };
            let caplen = if ty == 3 && iface.snaplen != 0 {
                caplen.min(iface.snaplen)
            } else {
                caplen
            };
            let ts_ns = (u128::from(ts) * 1_000_000_000 / u128::from(iface.units)) as i128
                + i128::from(iface.offset_s) * 1_000_000_000;
            let at = self.start + hdr;
            // An enhanced packet block's direction (epb_flags), when it has one.
            let pkttype = if ty == 6 {
                epb_pkttype(&self.buf[self.start..self.start + len], hdr, caplen, big)
            } else {
                None
            };
            self.consume(len);
            let data = &self.buf[at..at + caplen as usize];
            let mut packet = Packet::new(ts_ns.clamp(0, i128::from(u64::MAX)) as u64, data, wire);
            packet.pkttype = pkttype;
            return Ok(Some(Record {
                packet,
                linktype: iface.linktype,
                snaplen: iface.snaplen,
                interface: iface_id,
            }));
        }
    }
}

/// The packet type an enhanced packet block's `epb_flags` option gives
/// (`b` is the whole block; its options follow the padded data).
fn epb_pkttype(b: &[u8], hdr: usize, caplen: u32, big: bool) -> Option<crate::packet::PacketType> {
    let mut at = hdr + (caplen as usize).div_ceil(4) * 4;
    let end = b.len().checked_sub(4)?;
    while at + 4 <= end {
        let (code, olen) = (u16_at(b, at, big), usize::from(u16_at(b, at + 2, big)));
        if code == 0 {
            break;
        }
        if code == 2 && olen == 4 && at + 8 <= end {
            return super::pcapng::packet_type_of(u32_at(b, at + 4, big));
        }
        at += 4 + olen.div_ceil(4) * 4;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put32(v: &mut Vec<u8>, x: u32, big: bool) {
        v.extend_from_slice(&if big {
            x.to_be_bytes()
        } else {
            x.to_le_bytes()
        });
    }

    fn pcap(big: bool, nanos: bool, records: &[(u32, u32, &[u8])]) -> Vec<u8> {
        let mut v = Vec::new();
        put32(
            &mut v,
            if nanos {
                PCAP_MAGIC_NSEC
            } else {
                PCAP_MAGIC_USEC
            },
            big,
        );
        let ver: [u8; 4] = if big { [0, 2, 0, 4] } else { [2, 0, 4, 0] };
        v.extend_from_slice(&ver);
        put32(&mut v, 0, big);
        put32(&mut v, 0, big);
        put32(&mut v, 65535, big);
        put32(&mut v, 1, big);
        for (s, f, d) in records {
            put32(&mut v, *s, big);
            put32(&mut v, *f, big);
            put32(&mut v, d.len() as u32, big);
            put32(&mut v, d.len() as u32 + 4, big);
            v.extend_from_slice(d);
        }
        v
    }

    fn block(v: &mut Vec<u8>, ty: u32, body: &[u8], big: bool) {
        let len = 12 + body.len().div_ceil(4) * 4;
        put32(v, ty, big);
        put32(v, len as u32, big);
        v.extend_from_slice(body);
        v.resize(v.len() + (len - 12 - body.len()), 0);
        put32(v, len as u32, big);
    }

    fn shb(v: &mut Vec<u8>, big: bool) {
        let mut b = Vec::new();
        put32(&mut b, 0x1a2b_3c4d, big);
        b.extend_from_slice(&if big { [0, 1, 0, 0] } else { [1, 0, 0, 0] });
        b.extend_from_slice(&[0xff; 8]);
        block(v, PCAPNG_SHB, &b, big);
    }

    fn idb(v: &mut Vec<u8>, linktype: u16, tsresol: Option<u8>, big: bool) {
        let mut b = Vec::new();
        b.extend_from_slice(&if big {
            linktype.to_be_bytes()
        } else {
            linktype.to_le_bytes()
        });
        b.extend_from_slice(&[0, 0]);
        put32(&mut b, 1500, big);
        if let Some(r) = tsresol {
            let (code, len): (u16, u16) = (9, 1);
            for x in [code, len] {
                b.extend_from_slice(&if big {
                    x.to_be_bytes()
                } else {
                    x.to_le_bytes()
                });
            }
            b.extend_from_slice(&[r, 0, 0, 0]);
            b.extend_from_slice(&[0; 4]);
        }
        block(v, 1, &b, big);
    }

    fn epb(v: &mut Vec<u8>, iface: u32, ts: u64, data: &[u8], big: bool) {
        let mut b = Vec::new();
        put32(&mut b, iface, big);
        put32(&mut b, (ts >> 32) as u32, big);
        put32(&mut b, ts as u32, big);
        put32(&mut b, data.len() as u32, big);
        put32(&mut b, data.len() as u32 + 10, big);
        b.extend_from_slice(data);
        b.resize(b.len().div_ceil(4) * 4, 0);
        block(v, 6, &b, big);
    }

    fn collect(bytes: &[u8]) -> Vec<(u64, u32, u32, Vec<u8>, u32)> {
        let mut r = Reader::new(bytes).unwrap();
        let mut out = Vec::new();
        while let Some(rec) = r.next_record().unwrap() {
            out.push((
                rec.packet.ts_ns,
                rec.packet.wire_len,
                rec.linktype,
                rec.packet.data.to_vec(),
                rec.interface,
            ));
        }
        out
    }

    #[test]
    fn pcap_both_byte_orders_and_resolutions() {
        for big in [false, true] {
            for nanos in [false, true] {
                let f = pcap(big, nanos, &[(5, 7, b"abc"), (6, 0, b"")]);
                let r = Reader::new(&f[..]).unwrap();
                assert_eq!(
                    r.format(),
                    Format::Pcap {
                        nanos,
                        big_endian: big
                    }
                );
                let recs = collect(&f);
                let sub = if nanos { 7 } else { 7000 };
                assert_eq!(recs[0], (5_000_000_000 + sub, 7, 1, b"abc".to_vec(), 0));
                assert_eq!(recs[1].0, 6_000_000_000);
                assert_eq!(recs.len(), 2);
            }
        }
    }

    #[test]
    fn pcapng_interfaces_resolutions_and_unknown_blocks() {
        for big in [false, true] {
            let mut v = Vec::new();
            shb(&mut v, big);
            idb(&mut v, 1, None, big);
            idb(&mut v, 101, Some(9), big);
            block(&mut v, 0x0bad, b"skip me", big);
            epb(&mut v, 0, 1_500_000, b"eth", big);
            epb(&mut v, 1, 2_000_000_123, b"raw ip", big);
            // Simple Packet Block: interface 0.
            let mut b = Vec::new();
            put32(&mut b, 3, big);
            b.extend_from_slice(b"spb\0");
            block(&mut v, 3, &b, big);
            let recs = collect(&v);
            assert_eq!(recs.len(), 3);
            assert_eq!(recs[0], (1_500_000_000, 13, 1, b"eth".to_vec(), 0));
            assert_eq!(recs[1], (2_000_000_123, 16, 101, b"raw ip".to_vec(), 1));
            assert_eq!((recs[2].1, recs[2].3.as_slice()), (3, &b"spb"[..]));
        }
    }

    #[test]
    fn pcapng_errors_name_the_block() {
        let mut v = Vec::new();
        shb(&mut v, false);
        let at = v.len() as u64;
        epb(&mut v, 0, 1, b"x", false);
        let e = Reader::new(&v[..]).unwrap().next_record().unwrap_err();
        assert!(matches!(e.kind, ReadErrorKind::NoInterface(0)));
        assert_eq!(e.offset, at);
        let mut w = Vec::new();
        shb(&mut w, false);
        idb(&mut w, 1, None, false);
        let at = w.len() as u64;
        epb(&mut w, 0, 1, b"x", false);
        let n = w.len();
        w[n - 1] ^= 1;
        let e = Reader::new(&w[..]).unwrap().next_record().unwrap_err();
        assert!(
            matches!(e.kind, ReadErrorKind::BlockLengthMismatch(..)),
            "{e}"
        );
        assert_eq!(e.offset, at);
    }

    #[test]
    fn bad_magic_and_empty() {
        assert!(matches!(
            Reader::new(&[][..]).err().unwrap().kind,
            ReadErrorKind::Empty
        ));
        let e = Reader::new(&b"not a capture file"[..]).err().unwrap();
        assert!(matches!(e.kind, ReadErrorKind::BadMagic(_)));
        assert_eq!(
            e.to_string(),
            "unknown file format (magic 0x6e6f7420) at byte offset 0"
        );
    }

    #[test]
    fn records_larger_than_the_buffer_window_are_read() {
        let big = vec![7u8; 200_000];
        let recs: Vec<(u32, u32, &[u8])> = (0..12).map(|i| (i, 0, &big[..])).collect();
        let f = pcap(false, false, &recs);
        // A reader that hands out small pieces exercises the refill path.
        struct Slow<'a>(&'a [u8]);
        impl Read for Slow<'_> {
            fn read(&mut self, b: &mut [u8]) -> io::Result<usize> {
                let n = b.len().min(self.0.len()).min(4097);
                b[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut r = Reader::new(Slow(&f)).unwrap();
        let mut n = 0;
        while let Some(rec) = r.next_record().unwrap() {
            assert_eq!(rec.packet.data.len(), 200_000);
            n += 1;
        }
        assert_eq!(n, 12);
    }
}
