//! pcapng writer (the pcapng specification, IETF draft-ietf-opsawg-pcapng).
//!
//! A file is one section: a Section Header Block with the hardware, OS and
//! application options, one Interface Description Block per interface
//! (name, link type, snapshot length, time stamp resolution), an Enhanced
//! Packet Block per packet with its direction and reception type
//! (`epb_flags`), and at the end an Interface Statistics Block per
//! interface whose counters are known (packets received and dropped).
//! Everything is little-endian.
//!
//! Blocks go through [`PcapWriter`]'s buffer, so the same guarantees hold:
//! only whole blocks reach the file, the writing can move to a thread of
//! its own, and after a failed write [`PcapngWriter::committed`] is the
//! length to cut the file back to.

use super::writer::{Framing, PcapWriter};
use super::{Committed, Resolution, MAX_SNAPLEN};
use crate::packet::{Packet, PacketType};
use crate::LinkType;
use std::io::{self, Write};

/// Block types.
mod block {
    pub const SHB: u32 = 0x0a0d_0d0a;
    pub const IDB: u32 = 1;
    pub const ISB: u32 = 5;
    pub const EPB: u32 = 6;
}

/// Option codes.
mod opt {
    pub const END: u16 = 0;
    pub const SHB_HARDWARE: u16 = 2;
    pub const SHB_OS: u16 = 3;
    pub const SHB_USERAPPL: u16 = 4;
    pub const IF_NAME: u16 = 2;
    pub const IF_TSRESOL: u16 = 9;
    pub const EPB_FLAGS: u16 = 2;
    pub const ISB_STARTTIME: u16 = 2;
    pub const ISB_ENDTIME: u16 = 3;
    pub const ISB_IFRECV: u16 = 4;
    pub const ISB_IFDROP: u16 = 5;
}

/// What the section header says about where the file was written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// `shb_hardware`: the machine (`x86_64`).
    pub hardware: Option<String>,
    /// `shb_os`: the operating system (`Linux 6.1.0`).
    pub os: Option<String>,
    /// `shb_userappl`: the program (`rawcap 0.1.0`).
    pub application: Option<String>,
}

/// One interface of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    /// `if_name` (none for packets read from a file).
    pub name: Option<String>,
    /// The link type of its packets.
    pub linktype: LinkType,
    /// Its snapshot length (0 means [`MAX_SNAPLEN`]).
    pub snaplen: u32,
}

/// An interface's counters, for its statistics block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InterfaceStats {
    /// When the capture started, in nanoseconds since the epoch.
    pub start_ns: u64,
    /// When it ended (also the block's time stamp).
    pub end_ns: u64,
    /// Packets the interface received (`isb_ifrecv`: the kernel's count
    /// of packets that passed the filter).
    pub received: u64,
    /// Packets dropped for lack of room (`isb_ifdrop`).
    pub dropped: u64,
}

/// Writes a pcapng section: header and interfaces first, then packets, then
/// statistics.
pub struct PcapngWriter<W: Write> {
    inner: PcapWriter<W>,
    interfaces: Vec<Interface>,
    resolution: Resolution,
}

/// Appends option `code` with `value`, padded to 32 bits.
fn option(b: &mut Vec<u8>, code: u16, value: &[u8]) {
    b.extend_from_slice(&code.to_le_bytes());
    b.extend_from_slice(&(value.len() as u16).to_le_bytes());
    b.extend_from_slice(value);
    pad(b);
}

fn pad(b: &mut Vec<u8>) {
    while b.len() % 4 != 0 {
        b.push(0);
    }
}

/// Appends a whole block of `ty` whose body `body` writes (the body is
/// padded; the lengths are filled in).
fn push_block(b: &mut Vec<u8>, ty: u32, body: impl FnOnce(&mut Vec<u8>)) {
    let start = b.len();
    b.extend_from_slice(&ty.to_le_bytes());
    b.extend_from_slice(&[0; 4]);
    body(b);
    pad(b);
    let len = (b.len() - start + 4) as u32;
    b.extend_from_slice(&len.to_le_bytes());
    b[start + 4..start + 8].copy_from_slice(&len.to_le_bytes());
}

/// A time stamp in the units `resolution` gives as pcapng's two halves.
fn ts_words(ns: u64, resolution: Resolution) -> [u8; 8] {
    let t = match resolution {
        Resolution::Micro => ns / 1000,
        Resolution::Nano => ns,
    };
    let mut w = [0u8; 8];
    w[..4].copy_from_slice(&((t >> 32) as u32).to_le_bytes());
    w[4..].copy_from_slice(&(t as u32).to_le_bytes());
    w
}

/// `epb_flags` for a packet's kernel packet type: direction (bits 0-1,
/// 1 inbound, 2 outbound) and reception type (bits 2-4, 1 unicast,
/// 2 multicast, 3 broadcast, 4 promiscuous).
pub fn epb_flags(t: PacketType) -> u32 {
    match t {
        PacketType::Host => 1 | 1 << 2,
        PacketType::Multicast => 1 | 2 << 2,
        PacketType::Broadcast => 1 | 3 << 2,
        PacketType::OtherHost => 1 | 4 << 2,
        PacketType::Outgoing => 2,
        PacketType::Other(_) => 0,
    }
}

/// The kernel packet type `epb_flags` describes (the inverse of
/// [`epb_flags`]), if it says anything.
pub fn packet_type_of(flags: u32) -> Option<PacketType> {
    match (flags & 3, flags >> 2 & 7) {
        (2, _) => Some(PacketType::Outgoing),
        (1, 2) => Some(PacketType::Multicast),
        (1, 3) => Some(PacketType::Broadcast),
        (1, 4) => Some(PacketType::OtherHost),
        (1, _) => Some(PacketType::Host),
        _ => None,
    }
}

impl<W: Write> PcapngWriter<W> {
    /// Writes the section header and one interface block per interface.
    ///
    /// # Errors
    /// When writing fails.
    pub fn new(
        out: W,
        section: &Section,
        interfaces: &[Interface],
        resolution: Resolution,
    ) -> io::Result<Self> {
        let mut h = Vec::with_capacity(256);
        push_block(&mut h, block::SHB, |b| {
            b.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
            b.extend_from_slice(&1u16.to_le_bytes());
            b.extend_from_slice(&0u16.to_le_bytes());
            // Section length: not given.
            b.extend_from_slice(&u64::MAX.to_le_bytes());
            let opts = [
                (opt::SHB_HARDWARE, &section.hardware),
                (opt::SHB_OS, &section.os),
                (opt::SHB_USERAPPL, &section.application),
            ];
            for (code, v) in opts {
                if let Some(v) = v {
                    option(b, code, v.as_bytes());
                }
            }
            option(b, opt::END, &[]);
        });
        let mut snaplen_max = 0;
        for i in interfaces {
            let snaplen = if i.snaplen == 0 {
                MAX_SNAPLEN
            } else {
                i.snaplen
            };
            snaplen_max = snaplen_max.max(snaplen);
            push_block(&mut h, block::IDB, |b| {
                b.extend_from_slice(&(i.linktype.linktype() as u16).to_le_bytes());
                b.extend_from_slice(&0u16.to_le_bytes());
                b.extend_from_slice(&snaplen.to_le_bytes());
                if let Some(name) = &i.name {
                    option(b, opt::IF_NAME, name.as_bytes());
                }
                let tsresol = match resolution {
                    Resolution::Micro => 6u8,
                    Resolution::Nano => 9,
                };
                option(b, opt::IF_TSRESOL, &[tsresol]);
                option(b, opt::END, &[]);
            });
        }
        Ok(PcapngWriter {
            inner: PcapWriter::with_header(out, &h, snaplen_max, resolution, Framing::Pcapng)?,
            interfaces: interfaces.to_vec(),
            resolution,
        })
    }

    /// Appends one packet seen on interface `interface` (an index into the
    /// interfaces given to [`PcapngWriter::new`]), cut to its snapshot
    /// length, with its direction when the packet has one.
    ///
    /// # Errors
    /// [`io::ErrorKind::InvalidInput`] for an interface the file does not
    /// describe; when handing a full buffer to the underlying writer fails.
    pub fn write(&mut self, p: &Packet<'_>, interface: usize) -> io::Result<()> {
        let Some(i) = self.interfaces.get(interface) else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("no interface {interface} in this pcapng file"),
            ));
        };
        let snaplen = if i.snaplen == 0 {
            MAX_SNAPLEN
        } else {
            i.snaplen
        };
        let caplen = p
            .data
            .len()
            .min(snaplen as usize)
            .min(self.inner.snaplen() as usize);
        let ts = ts_words(p.ts_ns, self.resolution);
        self.inner.push(|b| {
            push_block(b, block::EPB, |b| {
                b.extend_from_slice(&(interface as u32).to_le_bytes());
                b.extend_from_slice(&ts);
                b.extend_from_slice(&(caplen as u32).to_le_bytes());
                b.extend_from_slice(&p.wire_len.to_le_bytes());
                b.extend_from_slice(&p.data[..caplen]);
                pad(b);
                if let Some(t) = p.pkttype {
                    option(b, opt::EPB_FLAGS, &epb_flags(t).to_le_bytes());
                    option(b, opt::END, &[]);
                }
            });
        })
    }

    /// Appends the statistics block of interface `interface`.
    ///
    /// # Errors
    /// When handing a full buffer to the underlying writer fails.
    pub fn write_stats(&mut self, interface: usize, s: &InterfaceStats) -> io::Result<()> {
        let res = self.resolution;
        self.inner.push(|b| {
            push_block(b, block::ISB, |b| {
                b.extend_from_slice(&(interface as u32).to_le_bytes());
                b.extend_from_slice(&ts_words(s.end_ns, res));
                option(b, opt::ISB_STARTTIME, &ts_words(s.start_ns, res));
                option(b, opt::ISB_ENDTIME, &ts_words(s.end_ns, res));
                option(b, opt::ISB_IFRECV, &s.received.to_le_bytes());
                option(b, opt::ISB_IFDROP, &s.dropped.to_le_bytes());
                option(b, opt::END, &[]);
            });
        })
    }

    /// The interfaces the file describes.
    pub fn interfaces(&self) -> &[Interface] {
        &self.interfaces
    }

    /// See [`PcapWriter::flush`].
    ///
    /// # Errors
    /// When writing or flushing fails.
    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }

    /// See [`PcapWriter::bytes`].
    pub fn bytes(&self) -> u64 {
        self.inner.bytes()
    }

    /// Blocks written after the header (packets and statistics).
    pub fn records(&self) -> u64 {
        self.inner.records()
    }

    /// See [`PcapWriter::committed`]: header and whole blocks taken.
    pub fn committed(&self) -> Committed {
        self.inner.committed()
    }

    /// See [`PcapWriter::into_inner`].
    ///
    /// # Errors
    /// When the final flush fails.
    pub fn into_inner(self) -> io::Result<W> {
        self.inner.into_inner()
    }
}

impl<W: Write + Send + 'static> PcapngWriter<W> {
    /// See [`PcapWriter::write_in_background`].
    ///
    /// # Errors
    /// When the thread cannot be started.
    pub fn write_in_background(&mut self) -> io::Result<()> {
        self.inner.write_in_background()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::savefile::Reader;

    fn sample(resolution: Resolution) -> Vec<u8> {
        let section = Section {
            hardware: Some("x86_64".into()),
            os: Some("Linux 6.1".into()),
            application: Some("rawcap test".into()),
        };
        let ifs = [
            Interface {
                name: Some("lo".into()),
                linktype: LinkType::Ethernet,
                snaplen: 0,
            },
            Interface {
                name: Some("tun0".into()),
                linktype: LinkType::Raw,
                snaplen: 3,
            },
        ];
        let mut w = PcapngWriter::new(Vec::new(), &section, &ifs, resolution).unwrap();
        let mut p = Packet::new(1_500_000_123_456_789, b"ethernet frame", 100);
        p.pkttype = Some(PacketType::Outgoing);
        w.write(&p, 0).unwrap();
        w.write(&Packet::new(1_500_000_124_000_000, b"ip packet", 9), 1)
            .unwrap();
        assert!(w.write(&p, 2).is_err());
        w.write_stats(
            0,
            &InterfaceStats {
                start_ns: 1,
                end_ns: 2_000_000_000,
                received: 5,
                dropped: 1,
            },
        )
        .unwrap();
        w.into_inner().unwrap()
    }

    #[test]
    fn round_trip_through_the_reader() {
        for (res, unit) in [(Resolution::Micro, 1000), (Resolution::Nano, 1)] {
            let bytes = sample(res);
            assert_eq!(bytes.len() % 4, 0);
            let mut r = Reader::new(&bytes[..]).unwrap();
            let a = r.next_record().unwrap().unwrap();
            assert_eq!(
                (a.interface, a.linktype, a.packet.data, a.packet.wire_len),
                (0, 1, &b"ethernet frame"[..], 100)
            );
            assert_eq!(a.packet.ts_ns, 1_500_000_123_456_789 / unit * unit);
            assert_eq!(a.packet.pkttype, Some(PacketType::Outgoing));
            let b = r.next_record().unwrap().unwrap();
            assert_eq!((b.interface, b.linktype, b.snaplen), (1, 101, 3));
            assert_eq!(b.packet.pkttype, None);
            assert_eq!((b.packet.data, b.packet.wire_len), (&b"ip "[..], 9));
            assert!(r.next_record().unwrap().is_none());
        }
    }

    #[test]
    fn flags_map_both_ways() {
        for t in [
            PacketType::Host,
            PacketType::Broadcast,
            PacketType::Multicast,
            PacketType::OtherHost,
            PacketType::Outgoing,
        ] {
            assert_eq!(packet_type_of(epb_flags(t)), Some(t));
        }
        assert_eq!(packet_type_of(0), None);
    }

    #[test]
    fn blocks_are_whole_and_framed() {
        let bytes = sample(Resolution::Micro);
        let mut at = 0;
        let mut types = Vec::new();
        while at < bytes.len() {
            let ty = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
            let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
            let tail = u32::from_le_bytes(bytes[at + len - 4..at + len].try_into().unwrap());
            assert_eq!(tail as usize, len);
            types.push(ty);
            at += len;
        }
        assert_eq!(types, [block::SHB, 1, 1, 6, 6, 5]);
    }
}
