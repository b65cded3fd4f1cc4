//! [`Packet`]: one captured frame, as every source (ring, recvfrom, savefile)
//! hands it to every sink (text, JSON, pcap writer, filter VM).

/// The kernel's view of where a frame was going (`sll_pkttype`, packet(7)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PacketType {
    /// Addressed to this host (`PACKET_HOST`).
    Host,
    /// Link-layer broadcast (`PACKET_BROADCAST`).
    Broadcast,
    /// Link-layer multicast (`PACKET_MULTICAST`).
    Multicast,
    /// Addressed to another host, seen in promiscuous mode (`PACKET_OTHERHOST`).
    OtherHost,
    /// Sent by this host (`PACKET_OUTGOING`).
    Outgoing,
    /// Any other value the kernel reports.
    Other(u8),
}

impl PacketType {
    /// Maps the kernel's `sll_pkttype` number.
    pub const fn from_raw(v: u8) -> Self {
        match v {
            0 => PacketType::Host,
            1 => PacketType::Broadcast,
            2 => PacketType::Multicast,
            3 => PacketType::OtherHost,
            4 => PacketType::Outgoing,
            o => PacketType::Other(o),
        }
    }

    /// The kernel's `sll_pkttype` number.
    pub const fn raw(self) -> u8 {
        match self {
            PacketType::Host => 0,
            PacketType::Broadcast => 1,
            PacketType::Multicast => 2,
            PacketType::OtherHost => 3,
            PacketType::Outgoing => 4,
            PacketType::Other(o) => o,
        }
    }

    /// Whether this host sent the frame (tcpdump's `Out`; everything else is `In`).
    pub const fn is_outgoing(self) -> bool {
        matches!(self, PacketType::Outgoing)
    }
}

/// One captured frame, borrowed from wherever it lives (a ring block, a read
/// buffer, a mapped savefile).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet<'a> {
    /// Capture time in nanoseconds since the Unix epoch.
    pub ts_ns: u64,
    /// The captured bytes (at most the snapshot length), starting at the link header.
    pub data: &'a [u8],
    /// The frame's length on the wire: at least `data.len()`, except in a
    /// damaged savefile record, which keeps its header's values
    /// ([`crate::savefile::InvalidHeader`] says what tcpdump calls invalid).
    pub wire_len: u32,
    /// The interface index it was captured on, when known.
    pub ifindex: Option<u32>,
    /// Where the frame was going, when known (live capture).
    pub pkttype: Option<PacketType>,
}

impl<'a> Packet<'a> {
    /// A packet with only time, bytes and wire length known.
    pub fn new(ts_ns: u64, data: &'a [u8], wire_len: u32) -> Self {
        Packet {
            ts_ns,
            data,
            wire_len,
            ifindex: None,
            pkttype: None,
        }
    }
}
