//! TPACKET_V3 block and frame views over plain bytes.
//!
//! In: the bytes of one ring block (or of a `PACKET_AUXDATA` control
//! message), as the kernel wrote them. Out: [`Block`] and [`Frame`] views
//! whose accessors cannot panic, because every offset the kernel hands us
//! (`offset_to_first_pkt`, `tp_next_offset`, `tp_mac`, `tp_snaplen`) is
//! checked against the block in `new_checked` before anything is read.
//!
//! Layouts follow `include/uapi/linux/if_packet.h` (`struct tpacket_block_desc`,
//! `struct tpacket3_hdr`, `struct tpacket_auxdata`) and
//! `Documentation/networking/packet_mmap.rst`. This file never touches a raw
//! pointer, so it is tested on `Vec<u8>`; the mapped memory lives in `sys.rs`.

use core::ops::Range;

/// A block or frame the kernel handed us breaks the layout rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RingError {
    /// The block is shorter than its descriptor.
    #[error("ring block of {len} bytes is shorter than its {need}-byte descriptor")]
    BlockTooShort {
        /// The block's length.
        len: usize,
        /// The bytes needed.
        need: usize,
    },
    /// A frame header, its address, or its captured bytes reach past the block.
    #[error("ring frame at offset {offset} reaches past the end of its {block_len}-byte block")]
    FrameOutOfBlock {
        /// The frame's offset in the block.
        offset: usize,
        /// The block's length.
        block_len: usize,
    },
    /// `tp_next_offset` does not move forward to a properly aligned frame.
    #[error("ring frame at offset {offset} has a bad tp_next_offset {next}")]
    BadNextOffset {
        /// The frame's offset in the block.
        offset: usize,
        /// The `tp_next_offset` value.
        next: u32,
    },
    /// A `PACKET_AUXDATA` control message is shorter than `struct tpacket_auxdata`.
    #[error("PACKET_AUXDATA of {0} bytes is too short")]
    AuxTooShort(usize),
}

/// `TP_STATUS_USER`: the block belongs to user space.
pub const TP_STATUS_USER: u32 = 1;
/// `TP_STATUS_KERNEL`: the block belongs to the kernel.
pub const TP_STATUS_KERNEL: u32 = 0;
/// `TP_STATUS_VLAN_VALID`: the kernel stripped a VLAN tag; it is in `tp_vlan_tci`.
pub const TP_STATUS_VLAN_VALID: u32 = 1 << 4;
/// `TP_STATUS_VLAN_TPID_VALID`: `tp_vlan_tpid` holds the stripped tag's TPID.
pub const TP_STATUS_VLAN_TPID_VALID: u32 = 1 << 6;

/// Byte ranges of `struct tpacket_block_desc` (with `struct tpacket_hdr_v1` inside).
pub mod field {
    use core::ops::Range;
    /// `version`.
    pub const VERSION: Range<usize> = 0..4;
    /// `hdr.bh1.block_status`: ownership (TP_STATUS_KERNEL / TP_STATUS_USER).
    pub const BLOCK_STATUS: Range<usize> = 8..12;
    /// `hdr.bh1.num_pkts`.
    pub const NUM_PKTS: Range<usize> = 12..16;
    /// `hdr.bh1.offset_to_first_pkt`.
    pub const OFFSET_TO_FIRST_PKT: Range<usize> = 16..20;
    /// `hdr.bh1.blk_len`.
    pub const BLK_LEN: Range<usize> = 20..24;
    /// `hdr.bh1.seq_num`.
    pub const SEQ_NUM: Range<usize> = 24..32;
    /// The whole descriptor.
    pub const DESC_LEN: usize = 48;

    /// Byte ranges of `struct tpacket3_hdr` followed by `struct sockaddr_ll`,
    /// relative to the frame's start.
    pub mod frame {
        use core::ops::Range;
        /// `tp_next_offset`: distance to the next frame, 0 on the last.
        pub const TP_NEXT_OFFSET: Range<usize> = 0..4;
        /// `tp_sec`.
        pub const TP_SEC: Range<usize> = 4..8;
        /// `tp_nsec`.
        pub const TP_NSEC: Range<usize> = 8..12;
        /// `tp_snaplen`: captured bytes.
        pub const TP_SNAPLEN: Range<usize> = 12..16;
        /// `tp_len`: wire length.
        pub const TP_LEN: Range<usize> = 16..20;
        /// `tp_status`.
        pub const TP_STATUS: Range<usize> = 20..24;
        /// `tp_mac`: offset of the link header from the frame start.
        pub const TP_MAC: Range<usize> = 24..26;
        /// `tp_net`: offset of the network header from the frame start.
        pub const TP_NET: Range<usize> = 26..28;
        /// `hv1.tp_rxhash`.
        pub const TP_RXHASH: Range<usize> = 28..32;
        /// `hv1.tp_vlan_tci`.
        pub const TP_VLAN_TCI: Range<usize> = 32..36;
        /// `hv1.tp_vlan_tpid`.
        pub const TP_VLAN_TPID: Range<usize> = 36..38;
        /// `TPACKET_ALIGN(sizeof(struct tpacket3_hdr))`: where `sockaddr_ll` starts.
        pub const HDR_LEN: usize = 48;
        /// `sll_protocol` (network order).
        pub const SLL_PROTOCOL: Range<usize> = 50..52;
        /// `sll_ifindex`.
        pub const SLL_IFINDEX: Range<usize> = 52..56;
        /// `sll_hatype`.
        pub const SLL_HATYPE: Range<usize> = 56..58;
        /// `sll_pkttype`.
        pub const SLL_PKTTYPE: usize = 58;
        /// `sll_halen`.
        pub const SLL_HALEN: usize = 59;
        /// `sll_addr[8]`.
        pub const SLL_ADDR: Range<usize> = 60..68;
        /// Header plus `sockaddr_ll`: the least a frame occupies.
        pub const MIN_LEN: usize = 68;
    }

    /// Byte ranges of `struct tpacket_auxdata` (the `PACKET_AUXDATA` control message).
    pub mod aux {
        use core::ops::Range;
        /// `tp_status`.
        pub const TP_STATUS: Range<usize> = 0..4;
        /// `tp_len`.
        pub const TP_LEN: Range<usize> = 4..8;
        /// `tp_snaplen`.
        pub const TP_SNAPLEN: Range<usize> = 8..12;
        /// `tp_vlan_tci`.
        pub const TP_VLAN_TCI: Range<usize> = 16..18;
        /// `tp_vlan_tpid`.
        pub const TP_VLAN_TPID: Range<usize> = 18..20;
        /// The whole struct.
        pub const LEN: usize = 20;
    }
}

/// `TPACKET_ALIGNMENT`.
pub const TPACKET_ALIGNMENT: usize = 16;

#[inline(always)]
fn u16_ne(b: &[u8], r: Range<usize>) -> u16 {
    b.get(r)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u16::from_ne_bytes)
}

#[inline(always)]
fn u32_ne(b: &[u8], r: Range<usize>) -> u32 {
    b.get(r)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u32::from_ne_bytes)
}

#[inline(always)]
fn u64_ne(b: &[u8], r: Range<usize>) -> u64 {
    b.get(r)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u64::from_ne_bytes)
}

/// A checked view of one TPACKET_V3 block.
#[derive(Clone, Copy, Debug)]
pub struct Block<'a>(&'a [u8]);

impl<'a> Block<'a> {
    /// Checks that `b` holds a block descriptor and that the first frame
    /// offset, when the block has frames, lies inside it.
    ///
    /// # Errors
    /// [`RingError::BlockTooShort`] or [`RingError::FrameOutOfBlock`].
    pub fn new_checked(b: &'a [u8]) -> Result<Self, RingError> {
        if b.len() < field::DESC_LEN {
            return Err(RingError::BlockTooShort {
                len: b.len(),
                need: field::DESC_LEN,
            });
        }
        let block = Block(b);
        let first = block.offset_to_first_pkt() as usize;
        if block.num_pkts() > 0 && (first < field::DESC_LEN || first >= b.len()) {
            return Err(RingError::FrameOutOfBlock {
                offset: first,
                block_len: b.len(),
            });
        }
        Ok(block)
    }

    /// `version` of the descriptor.
    pub fn version(&self) -> u32 {
        u32_ne(self.0, field::VERSION)
    }

    /// `block_status` as a plain read (the ring reads it atomically; this is for tests and debugging).
    pub fn block_status(&self) -> u32 {
        u32_ne(self.0, field::BLOCK_STATUS)
    }

    /// `num_pkts`: how many frames the kernel put in the block.
    pub fn num_pkts(&self) -> u32 {
        u32_ne(self.0, field::NUM_PKTS)
    }

    /// `offset_to_first_pkt`.
    pub fn offset_to_first_pkt(&self) -> u32 {
        u32_ne(self.0, field::OFFSET_TO_FIRST_PKT)
    }

    /// `blk_len`: bytes of the block in use.
    pub fn blk_len(&self) -> u32 {
        u32_ne(self.0, field::BLK_LEN)
    }

    /// `seq_num`: the block's sequence number.
    pub fn seq_num(&self) -> u64 {
        u64_ne(self.0, field::SEQ_NUM)
    }

    /// The frames, walked by `tp_next_offset`. A frame that breaks the rules
    /// ends the walk with one `Err`.
    pub fn frames(&self) -> Frames<'a> {
        Frames {
            block: self.0,
            next: Some(Ok(self.offset_to_first_pkt() as usize)),
            left: self.num_pkts(),
        }
    }
}

/// The iterator from [`Block::frames`].
#[derive(Debug)]
pub struct Frames<'a> {
    block: &'a [u8],
    next: Option<Result<usize, RingError>>,
    left: u32,
}

impl<'a> Iterator for Frames<'a> {
    type Item = Result<Frame<'a>, RingError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let offset = match self.next.take()? {
            Ok(offset) => offset,
            Err(e) => {
                self.left = 0;
                return Some(Err(e));
            }
        };
        let frame = match Frame::new_checked(self.block, offset) {
            Ok(f) => f,
            Err(e) => {
                self.left = 0;
                return Some(Err(e));
            }
        };
        if self.left > 0 {
            // More frames follow: the step must move past this header, keep
            // 4-byte alignment and land inside the block (the next frame's
            // own check does the rest). A bad step ends the walk after this frame.
            let step = frame.tp_next_offset();
            self.next = Some(
                offset
                    .checked_add(step as usize)
                    .filter(|&to| {
                        step as usize >= field::frame::HDR_LEN
                            && to % 4 == 0
                            && to < self.block.len()
                    })
                    .ok_or(RingError::BadNextOffset { offset, next: step }),
            );
        }
        Some(Ok(frame))
    }
}

/// A checked view of one frame (`struct tpacket3_hdr`, `sockaddr_ll`, packet bytes) inside a block.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// The frame's header and `sockaddr_ll` (a fixed size, so the field
    /// reads below need no run-time bounds checks).
    b: &'a [u8; field::frame::MIN_LEN],
    /// The captured bytes.
    data: &'a [u8],
}

impl<'a> Frame<'a> {
    /// Checks the frame at `offset` of `block`: header and address fit, and
    /// `tp_mac + tp_snaplen` stays inside the block.
    ///
    /// # Errors
    /// [`RingError::FrameOutOfBlock`].
    pub fn new_checked(block: &'a [u8], offset: usize) -> Result<Self, RingError> {
        let oob = RingError::FrameOutOfBlock {
            offset,
            block_len: block.len(),
        };
        let whole = block.get(offset..).ok_or(oob)?;
        let b: &[u8; field::frame::MIN_LEN] = whole
            .get(..field::frame::MIN_LEN)
            .and_then(|h| h.try_into().ok())
            .ok_or(oob)?;
        let mac = u16_ne(b, field::frame::TP_MAC) as usize;
        let snap = u32_ne(b, field::frame::TP_SNAPLEN) as usize;
        let data = mac
            .checked_add(snap)
            .and_then(|end| whole.get(mac..end))
            .ok_or(oob)?;
        if mac < field::frame::MIN_LEN {
            return Err(oob);
        }
        Ok(Frame { b, data })
    }

    /// `tp_next_offset`.
    pub fn tp_next_offset(&self) -> u32 {
        u32_ne(self.b, field::frame::TP_NEXT_OFFSET)
    }

    /// Capture time in nanoseconds since the epoch (`tp_sec`, `tp_nsec`).
    pub fn ts_ns(&self) -> u64 {
        u64::from(u32_ne(self.b, field::frame::TP_SEC)) * 1_000_000_000
            + u64::from(u32_ne(self.b, field::frame::TP_NSEC))
    }

    /// `tp_len`: the frame's length on the wire.
    pub fn tp_len(&self) -> u32 {
        u32_ne(self.b, field::frame::TP_LEN)
    }

    /// `tp_status` (TP_STATUS_VLAN_VALID, ...).
    pub fn tp_status(&self) -> u32 {
        u32_ne(self.b, field::frame::TP_STATUS)
    }

    /// `tp_rxhash`.
    pub fn tp_rxhash(&self) -> u32 {
        u32_ne(self.b, field::frame::TP_RXHASH)
    }

    /// The stripped VLAN tag, when the kernel stripped one: `(tpid, tci)`.
    pub fn vlan(&self) -> Option<(u16, u16)> {
        vlan_of(
            self.tp_status(),
            u32_ne(self.b, field::frame::TP_VLAN_TCI) as u16,
            u16_ne(self.b, field::frame::TP_VLAN_TPID),
        )
    }

    /// `sll_protocol` (the ethertype, converted to host order).
    pub fn protocol(&self) -> u16 {
        u16::from_be(u16_ne(self.b, field::frame::SLL_PROTOCOL))
    }

    /// `sll_ifindex`.
    pub fn ifindex(&self) -> u32 {
        u32_ne(self.b, field::frame::SLL_IFINDEX)
    }

    /// `sll_hatype` (ARPHRD_*).
    pub fn hatype(&self) -> u16 {
        u16_ne(self.b, field::frame::SLL_HATYPE)
    }

    /// `sll_pkttype` (PACKET_HOST, PACKET_OUTGOING, ...).
    pub fn pkttype(&self) -> u8 {
        self.b.get(field::frame::SLL_PKTTYPE).copied().unwrap_or(0)
    }

    /// `sll_addr[..sll_halen]`: the source link address (at most 8 bytes).
    pub fn addr(&self) -> &'a [u8] {
        let halen = usize::from(self.b.get(field::frame::SLL_HALEN).copied().unwrap_or(0)).min(8);
        let start = field::frame::SLL_ADDR.start;
        self.b.get(start..start + halen).unwrap_or(&[])
    }

    /// The captured bytes (`tp_snaplen` of them from `tp_mac`).
    pub fn data(&self) -> &'a [u8] {
        self.data
    }
}

fn vlan_of(status: u32, tci: u16, tpid: u16) -> Option<(u16, u16)> {
    // libpcap also treats a non-zero TCI as present (old kernels set no flag).
    if status & TP_STATUS_VLAN_VALID == 0 && tci == 0 {
        return None;
    }
    let tpid = if status & TP_STATUS_VLAN_TPID_VALID != 0 && tpid != 0 {
        tpid
    } else {
        0x8100
    };
    Some((tpid, tci))
}

/// A checked view of `struct tpacket_auxdata`, the `PACKET_AUXDATA` control
/// message the recvfrom path gets with each frame.
#[derive(Clone, Copy, Debug)]
pub struct Aux<'a>(&'a [u8]);

impl<'a> Aux<'a> {
    /// Checks the length.
    ///
    /// # Errors
    /// [`RingError::AuxTooShort`].
    pub fn new_checked(b: &'a [u8]) -> Result<Self, RingError> {
        if b.len() < field::aux::LEN {
            return Err(RingError::AuxTooShort(b.len()));
        }
        Ok(Aux(b))
    }

    /// `tp_len`: the wire length.
    pub fn tp_len(&self) -> u32 {
        u32_ne(self.0, field::aux::TP_LEN)
    }

    /// `tp_snaplen`.
    pub fn tp_snaplen(&self) -> u32 {
        u32_ne(self.0, field::aux::TP_SNAPLEN)
    }

    /// The stripped VLAN tag, when the kernel stripped one: `(tpid, tci)`.
    pub fn vlan(&self) -> Option<(u16, u16)> {
        vlan_of(
            u32_ne(self.0, field::aux::TP_STATUS),
            u16_ne(self.0, field::aux::TP_VLAN_TCI),
            u16_ne(self.0, field::aux::TP_VLAN_TPID),
        )
    }
}

/// Copies `data` into `out` with a 4-byte VLAN tag (`tpid`, `tci`, network
/// order) inserted at `at` (12 for Ethernet, 14 for Linux SLL), as libpcap
/// does for frames whose tag the kernel stripped. Frames shorter than `at`
/// are copied unchanged. Returns the number of bytes added (4 or 0).
pub fn reinsert_vlan(data: &[u8], at: usize, tpid: u16, tci: u16, out: &mut Vec<u8>) -> usize {
    out.clear();
    match (data.get(..at), data.get(at..)) {
        (Some(head), Some(tail)) => {
            out.reserve(data.len() + 4);
            out.extend_from_slice(head);
            out.extend_from_slice(&tpid.to_be_bytes());
            out.extend_from_slice(&tci.to_be_bytes());
            out.extend_from_slice(tail);
            4
        }
        _ => {
            out.extend_from_slice(data);
            0
        }
    }
}

/// The 16-byte Linux cooked (SLL) header for a frame received on a
/// `SOCK_DGRAM` packet socket (`-i any`), as libpcap builds it: packet type,
/// ARPHRD type, address length, 8 address bytes, protocol (all network order).
pub fn sll_header(pkttype: u8, hatype: u16, addr: &[u8], protocol: u16) -> [u8; 16] {
    let mut h = [0u8; 16];
    let halen = addr.len().min(8);
    h[0..2].copy_from_slice(&u16::from(pkttype).to_be_bytes());
    h[2..4].copy_from_slice(&hatype.to_be_bytes());
    h[4..6].copy_from_slice(&(halen as u16).to_be_bytes());
    h[6..6 + halen].copy_from_slice(&addr[..halen]);
    h[14..16].copy_from_slice(&protocol.to_be_bytes());
    h
}

/// The 20-byte Linux cooked v2 (SLL2) header, as libpcap builds it:
/// protocol, a reserved zero, interface index, ARPHRD type (network order),
/// packet type, address length, 8 address bytes.
pub fn sll2_header(protocol: u16, ifindex: u32, hatype: u16, pkttype: u8, addr: &[u8]) -> [u8; 20] {
    use crate::linktype::sll2;
    let mut h = [0u8; sll2::HDR_LEN];
    let halen = addr.len().min(8);
    h[sll2::PROTOCOL..sll2::PROTOCOL + 2].copy_from_slice(&protocol.to_be_bytes());
    h[sll2::IFINDEX..sll2::IFINDEX + 4].copy_from_slice(&ifindex.to_be_bytes());
    h[sll2::HATYPE..sll2::HATYPE + 2].copy_from_slice(&hatype.to_be_bytes());
    h[sll2::PKTTYPE] = pkttype;
    h[sll2::HALEN] = halen as u8;
    h[sll2::ADDR..sll2::ADDR + halen].copy_from_slice(&addr[..halen]);
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block builder: frames are (packet bytes, status, vlan tci, pkttype).
    struct Builder {
        b: Vec<u8>,
        last: Option<usize>,
        n: u32,
    }

    fn put(b: &mut [u8], r: Range<usize>, v: &[u8]) {
        b[r].copy_from_slice(v);
    }

    impl Builder {
        fn new(size: usize) -> Self {
            let mut b = vec![0u8; size];
            put(&mut b, field::VERSION, &1u32.to_ne_bytes());
            put(&mut b, field::BLOCK_STATUS, &TP_STATUS_USER.to_ne_bytes());
            put(&mut b, field::OFFSET_TO_FIRST_PKT, &48u32.to_ne_bytes());
            Builder {
                b,
                last: None,
                n: 0,
            }
        }

        fn frame(mut self, pkt: &[u8], status: u32, tci: u32, pkttype: u8) -> Self {
            use field::frame as f;
            let off = match self.last {
                None => 48,
                Some(prev) => {
                    let len = u16_ne(&self.b[prev..], f::TP_MAC) as usize
                        + u32_ne(&self.b[prev..], f::TP_SNAPLEN) as usize;
                    let next = (len + 15) & !15;
                    put(
                        &mut self.b[prev..],
                        f::TP_NEXT_OFFSET,
                        &(next as u32).to_ne_bytes(),
                    );
                    prev + next
                }
            };
            let fr = &mut self.b[off..];
            let mac = 80usize;
            put(fr, f::TP_SEC, &7u32.to_ne_bytes());
            put(fr, f::TP_NSEC, &(9 + off as u32).to_ne_bytes());
            put(fr, f::TP_SNAPLEN, &(pkt.len() as u32).to_ne_bytes());
            put(fr, f::TP_LEN, &(pkt.len() as u32 + 10).to_ne_bytes());
            put(fr, f::TP_STATUS, &status.to_ne_bytes());
            put(fr, f::TP_MAC, &(mac as u16).to_ne_bytes());
            put(fr, f::TP_NET, &(mac as u16 + 14).to_ne_bytes());
            put(fr, f::TP_VLAN_TCI, &tci.to_ne_bytes());
            put(fr, f::SLL_PROTOCOL, &0x0800u16.to_be_bytes());
            put(fr, f::SLL_IFINDEX, &3u32.to_ne_bytes());
            put(fr, f::SLL_HATYPE, &1u16.to_ne_bytes());
            fr[f::SLL_PKTTYPE] = pkttype;
            fr[f::SLL_HALEN] = 6;
            put(fr, f::SLL_ADDR, &[1, 2, 3, 4, 5, 6, 0, 0]);
            fr[mac..mac + pkt.len()].copy_from_slice(pkt);
            self.last = Some(off);
            self.n += 1;
            put(&mut self.b, field::NUM_PKTS, &self.n.to_ne_bytes());
            self
        }

        fn done(self) -> Vec<u8> {
            self.b
        }
    }

    #[test]
    fn walks_frames_and_reads_fields() {
        let b = Builder::new(4096)
            .frame(&[0xaa; 60], 0, 0, 0)
            .frame(&[0xbb; 100], TP_STATUS_VLAN_VALID, 100, 4)
            .frame(&[0xcc; 1], 0, 0, 1)
            .done();
        let block = Block::new_checked(&b).unwrap();
        assert_eq!(block.num_pkts(), 3);
        assert_eq!(block.version(), 1);
        assert_eq!(block.block_status(), TP_STATUS_USER);
        let frames: Vec<_> = block.frames().collect::<Result<_, _>>().unwrap();
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[0].data(), &[0xaa; 60][..]);
        assert_eq!(frames[0].tp_len(), 70);
        assert_eq!(frames[0].ts_ns(), 7_000_000_057);
        assert_eq!(frames[0].vlan(), None);
        assert_eq!(frames[0].protocol(), 0x0800);
        assert_eq!(frames[0].ifindex(), 3);
        assert_eq!(frames[0].hatype(), 1);
        assert_eq!(frames[0].addr(), &[1, 2, 3, 4, 5, 6]);
        assert_eq!(frames[1].data(), &[0xbb; 100][..]);
        assert_eq!(frames[1].vlan(), Some((0x8100, 100)));
        assert_eq!(frames[1].pkttype(), 4);
        assert_eq!(frames[2].data(), &[0xcc]);
        assert_eq!(frames[2].pkttype(), 1);
    }

    #[test]
    fn empty_block_has_no_frames() {
        let b = Builder::new(64).done();
        assert_eq!(Block::new_checked(&b).unwrap().frames().count(), 0);
    }

    #[test]
    fn short_block_is_refused() {
        assert_eq!(
            Block::new_checked(&[0u8; 47]).unwrap_err(),
            RingError::BlockTooShort { len: 47, need: 48 }
        );
    }

    #[test]
    fn first_offset_outside_block_is_refused() {
        let mut b = Builder::new(4096).frame(&[1; 10], 0, 0, 0).done();
        for bad in [0u32, 47, 4096, u32::MAX] {
            put(&mut b, field::OFFSET_TO_FIRST_PKT, &bad.to_ne_bytes());
            assert!(matches!(
                Block::new_checked(&b),
                Err(RingError::FrameOutOfBlock { .. })
            ));
        }
    }

    #[test]
    fn snaplen_past_block_is_refused() {
        let mut b = Builder::new(4096).frame(&[1; 10], 0, 0, 0).done();
        for bad in [4096u32 - 48 - 80 + 1, u32::MAX] {
            put(&mut b[48..], field::frame::TP_SNAPLEN, &bad.to_ne_bytes());
            let block = Block::new_checked(&b).unwrap();
            let got: Vec<_> = block.frames().collect();
            assert_eq!(got.len(), 1);
            assert!(matches!(
                got[0],
                Err(RingError::FrameOutOfBlock { offset: 48, .. })
            ));
        }
        // Exactly up to the end is fine.
        put(
            &mut b[48..],
            field::frame::TP_SNAPLEN,
            &(4096u32 - 48 - 80).to_ne_bytes(),
        );
        let block = Block::new_checked(&b).unwrap();
        assert_eq!(
            block.frames().next().unwrap().unwrap().data().len(),
            4096 - 128
        );
    }

    #[test]
    fn mac_inside_header_is_refused() {
        let mut b = Builder::new(4096).frame(&[1; 10], 0, 0, 0).done();
        put(&mut b[48..], field::frame::TP_MAC, &10u16.to_ne_bytes());
        let block = Block::new_checked(&b).unwrap();
        assert!(block.frames().next().unwrap().is_err());
    }

    #[test]
    fn bad_next_offsets_end_the_walk() {
        let good = Builder::new(4096)
            .frame(&[1; 10], 0, 0, 0)
            .frame(&[2; 10], 0, 0, 0)
            .done();
        for bad in [0u32, 1, 47, 4096, u32::MAX, 4096 - 48 - 10] {
            let mut b = good.clone();
            put(
                &mut b[48..],
                field::frame::TP_NEXT_OFFSET,
                &bad.to_ne_bytes(),
            );
            let block = Block::new_checked(&b).unwrap();
            let got: Vec<_> = block.frames().collect();
            assert!(got.iter().any(|r| r.is_err()), "next={bad}: {got:?}");
            assert!(got.len() <= 2);
        }
    }

    #[test]
    fn num_pkts_larger_than_frames_stops_at_a_bad_frame() {
        let mut b = Builder::new(256).frame(&[1; 10], 0, 0, 0).done();
        // Claim a million packets: the last real frame has tp_next_offset 0.
        put(&mut b, field::NUM_PKTS, &1_000_000u32.to_ne_bytes());
        let block = Block::new_checked(&b).unwrap();
        let got: Vec<_> = block.frames().collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok());
        assert!(got[1].is_err());
    }

    #[test]
    fn random_bytes_never_panic() {
        // The shared seeded generator: deterministic, seed printed.
        let seed = 0x9e37_79b9_7f4a_7c15u64;
        println!("seed {seed:#x}");
        let mut rng = rawcap_corpus::Rng(seed);
        let mut rnd = move || rng.next_u64();
        let template = Builder::new(512)
            .frame(&[1; 30], 0, 0, 0)
            .frame(&[2; 40], TP_STATUS_VLAN_VALID, 5, 0)
            .frame(&[3; 50], 0, 0, 0)
            .done();
        for _ in 0..20_000 {
            let mut b = template.clone();
            for _ in 0..(rnd() % 6 + 1) {
                let i = (rnd() % 512) as usize;
                b[i] = rnd() as u8;
            }
            let len = (rnd() % 513) as usize;
            if let Ok(block) = Block::new_checked(&b[..len]) {
                for f in block.frames().flatten() {
                    let _ = (f.data().len(), f.ts_ns(), f.vlan(), f.addr(), f.pkttype());
                }
            }
        }
    }

    #[test]
    fn aux_round_trip() {
        let mut a = vec![0u8; 20];
        put(
            &mut a,
            field::aux::TP_STATUS,
            &(TP_STATUS_VLAN_VALID | TP_STATUS_VLAN_TPID_VALID).to_ne_bytes(),
        );
        put(&mut a, field::aux::TP_LEN, &99u32.to_ne_bytes());
        put(&mut a, field::aux::TP_SNAPLEN, &64u32.to_ne_bytes());
        put(&mut a, field::aux::TP_VLAN_TCI, &100u16.to_ne_bytes());
        put(&mut a, field::aux::TP_VLAN_TPID, &0x88a8u16.to_ne_bytes());
        let aux = Aux::new_checked(&a).unwrap();
        assert_eq!((aux.tp_len(), aux.tp_snaplen()), (99, 64));
        assert_eq!(aux.vlan(), Some((0x88a8, 100)));
        assert_eq!(
            Aux::new_checked(&a[..19]).unwrap_err(),
            RingError::AuxTooShort(19)
        );
    }

    #[test]
    fn vlan_reinsertion() {
        let frame: Vec<u8> = (0u8..20).collect();
        let mut out = Vec::new();
        assert_eq!(reinsert_vlan(&frame, 12, 0x8100, 100, &mut out), 4);
        assert_eq!(&out[..12], &frame[..12]);
        assert_eq!(&out[12..16], &[0x81, 0x00, 0x00, 100]);
        assert_eq!(&out[16..], &frame[12..]);
        // Too short to hold the MAC addresses: unchanged.
        assert_eq!(reinsert_vlan(&frame[..5], 12, 0x8100, 1, &mut out), 0);
        assert_eq!(out, &frame[..5]);
    }

    #[test]
    fn sll_header_layout() {
        let h = sll_header(4, 1, &[1, 2, 3, 4, 5, 6], 0x0800);
        assert_eq!(h, [0, 4, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 8, 0]);
    }
}
