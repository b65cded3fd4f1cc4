//! Savefiles: pcap and pcapng write ([`pcapng`]), pcap and pcapng read.
//!
//! In: [`Packet`](crate::packet::Packet)s to write, or the bytes of a savefile
//! from any [`std::io::Read`] (a file, stdin, a `&[u8]`).
//! Out: a pcap file (tcpdump.org/manpages/pcap-savefile.5.html), or
//! [`Record`]s borrowed from the reader's buffer, one at a time.
//!
//! Invariants:
//! - the writer only ever hands whole records to the underlying writer, so a
//!   file cut short by a signal between two writes is a valid pcap file, and
//!   after a failed write (a full disk) it reports the bytes of whole records
//!   the file took ([`PcapWriter::committed`]) to cut the file back to;
//! - the reader never panics and never allocates per packet: a damaged file
//!   gives every good record before the damage, then a [`ReadError`] naming
//!   the byte offset where the damage starts.

mod invalid;
pub mod pcapng;
mod reader;
mod slice;
mod writer;

pub use invalid::InvalidHeader;
pub use pcapng::PcapngWriter;
pub use reader::{Format, ReadError, ReadErrorKind, Reader, Record};
pub use slice::{PcapSlice, RawRecord, Records, RecordsAt, Walk};
pub use writer::{Committed, PcapWriter, Resolution};

/// The largest record rawcap reads or writes (libpcap's `MAXIMUM_SNAPLEN`).
pub const MAX_SNAPLEN: u32 = crate::SNAPLEN;

/// pcap magic for microsecond timestamps, as written in the file's byte order.
pub const PCAP_MAGIC_USEC: u32 = 0xa1b2_c3d4;
/// pcap magic for nanosecond timestamps.
pub const PCAP_MAGIC_NSEC: u32 = 0xa1b2_3c4d;
/// pcapng Section Header Block type.
pub const PCAPNG_SHB: u32 = 0x0a0d_0d0a;
