//! Live capture on Linux `AF_PACKET` sockets (packet(7)), with no libpcap.
//!
//! In: an interface name and a [`bpf::Program`](crate::bpf::Program). Out:
//! [`Packet`]s borrowed, zero-copy, from a TPACKET_V3 ring (or read with
//! `recvmsg` when the ring cannot be set up), and kernel [`Stats`].
//!
//! Invariants:
//! - **Race free**: the socket is opened with protocol 0, so it receives
//!   nothing; the filter is attached and the ring set up *before* `bind` with
//!   `ETH_P_ALL`. No frame that fails the filter ever reaches the reader.
//! - Every offset read from a ring block is checked against the block
//!   ([`ring`]); all `unsafe` lives in `sys.rs`.
//! - A [`Packet`] borrows the ring block it lives in: a block goes back to
//!   the kernel only after the callback of [`Capture::next_batch`] returned.
//! - Promiscuous mode is a socket membership (`PACKET_MR_PROMISC`), undone
//!   by the kernel when the socket closes; interface flags are never touched.
//! - Frames whose VLAN tag the kernel stripped get it back (copied into a
//!   per-capture scratch buffer, those frames only); on `lo` the outgoing
//!   copy of each frame is skipped, as libpcap does.
//!
//! ```no_run
//! use rawcap::capture::CaptureBuilder;
//! let mut cap = CaptureBuilder::new("lo").filter(rawcap::bpf::Program::new(vec![
//!     rawcap::bpf::Insn::stmt(rawcap::bpf::code::RET, 262144),
//! ])).open()?;
//! cap.next_batch(|p| println!("{} bytes", p.wire_len))?;
//! println!("{:?}", cap.stats()?);
//! # Ok::<(), rawcap::capture::CaptureError>(())
//! ```

mod mapped;
pub mod ring;
mod sys;

pub use mapped::MappedFile;

use crate::bpf::cooked::Plan;
use crate::bpf::vm::{self, Meta};
use crate::bpf::{code, Insn, Program};
use crate::packet::{Packet, PacketType};
use crate::LinkType;
use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::time::{Duration, Instant};

/// Interface name for capturing on every interface in cooked mode.
pub const ANY: &str = "any";
/// The default snapshot length (tcpdump's).
pub const DEFAULT_SNAPLEN: u32 = crate::SNAPLEN;
/// The default kernel buffer: libpcap's 2 MiB, in libpcap's TPACKET_V3
/// blocks of [`RING_BLOCK`], so opening a capture costs the kernel what
/// tcpdump's costs (the ring is allocated and zeroed in `setsockopt`; larger
/// blocks are costlier high-order allocations). The README's benchmark
/// section says how this was measured against drops under a flood.
pub const DEFAULT_BUFFER_SIZE: usize = 2 << 20;

/// The TPACKET_V3 block size: libpcap's, 256 KiB (its `MAXIMUM_SNAPLEN`
/// as the "frame" size, rounded up to a power-of-two number of pages). The
/// kernel truncates a packet to what fits in one block (a little under
/// 256 KiB), as for tcpdump.
pub const RING_BLOCK: usize = 256 << 10;

const ARPHRD_ETHER: u16 = 1;
const ARPHRD_LOOPBACK: u16 = 772;
const ARPHRD_NONE: u16 = 0xfffe;
/// Hardware types libpcap captures as raw IP on a `SOCK_RAW` socket
/// (pcap-linux.c, `map_arphrd_to_dlt`): DLCI, SLIP, CSLIP, SLIP6, CSLIP6,
/// ADAPT, RAWHDLC, TUNNEL (ipip), SIT, and NONE (tun, WireGuard).
const ARPHRD_RAW_IP: [u16; 10] = [15, 256, 257, 258, 259, 264, 518, 768, 776, ARPHRD_NONE];
const IFF_UP: u32 = 0x1;
const PACKET_OUTGOING: u8 = 4;

/// Why a capture could not be opened or read. Each variant carries the operation.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// No interface has this name.
    #[error("{name}: no such interface (rawcap -D lists them)")]
    NoSuchInterface {
        /// The name asked for.
        name: String,
    },
    /// The interface exists but is not up.
    #[error("{name}: interface is down (bring it up with `ip link set {name} up`)")]
    InterfaceDown {
        /// The interface.
        name: String,
    },
    /// The process lacks CAP_NET_RAW (the one capability a capture needs,
    /// promiscuous mode included).
    #[error("{op}: you need CAP_NET_RAW: run as root or `setcap cap_net_raw=eip` on the program")]
    PermissionDenied {
        /// The call that was refused.
        op: &'static str,
    },
    /// The interface disappeared during the capture (every frame the kernel
    /// had queued was delivered first). An interface that only goes down
    /// does not end the capture, as in libpcap: it waits for it to come back.
    #[error("{name}: the interface disappeared")]
    InterfaceGone {
        /// The interface.
        name: String,
    },
    /// A system call failed.
    #[error("{op}: {}", strerror(.source))]
    Os {
        /// The call, e.g. `setsockopt(PACKET_RX_RING)`.
        op: &'static str,
        /// The OS error.
        source: io::Error,
    },
    /// The filter breaks the kernel's rules for classic BPF.
    #[error("filter: {0}")]
    Filter(#[from] crate::bpf::ValidateError),
    /// A builder value is out of range.
    #[error("{0}")]
    Invalid(String),
    /// The kernel handed back a ring block that breaks the layout rules.
    #[error("ring: {0}")]
    Ring(#[from] ring::RingError),
}

/// The error text without Rust's " (os error N)" suffix, as strerror(3) says it.
fn strerror(e: &io::Error) -> String {
    let s = e.to_string();
    match e.raw_os_error() {
        Some(n) => s
            .strip_suffix(&format!(" (os error {n})"))
            .unwrap_or(&s)
            .to_string(),
        None => s,
    }
}

fn os(op: &'static str) -> impl FnOnce(io::Error) -> CaptureError {
    move |source| match source.raw_os_error() {
        Some(libc::EPERM) | Some(libc::EACCES) => CaptureError::PermissionDenied { op },
        _ => CaptureError::Os { op, source },
    }
}

/// Kernel counters (`PACKET_STATISTICS`, `struct tpacket_stats_v3`), summed
/// over the life of the capture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Frames that passed the filter ("received by filter"), dropped ones included.
    pub received: u64,
    /// Frames that passed the filter but found no room in the ring ("dropped by kernel").
    pub dropped: u64,
    /// How often the ring was found full (`tp_freeze_q_cnt`).
    pub freeze_count: u64,
}

impl core::ops::AddAssign for Stats {
    fn add_assign(&mut self, o: Stats) {
        self.received += o.received;
        self.dropped += o.dropped;
        self.freeze_count += o.freeze_count;
    }
}

/// Which frames to keep by direction (`-Q`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    /// Received frames only.
    In,
    /// Sent frames only.
    Out,
    /// Both (the default).
    #[default]
    Both,
}

/// How frames are read from the socket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReadPath {
    /// The TPACKET_V3 ring, falling back to `recvmsg` when it cannot be set up.
    #[default]
    Auto,
    /// The ring only: failing to set it up is an error.
    Ring,
    /// `recvmsg` only (one copy per frame).
    RecvFrom,
}

/// The link type a capture on `interface` delivers by default: Linux SLL
/// for `any` and the devices libpcap captures cooked, Ethernet for Ethernet
/// and loopback, raw IP for tun, ipip, sit and the other raw-IP devices.
/// Compile the filter for this link type (the capture moves the program's
/// loads itself when the socket is cooked; see [`crate::bpf::cooked`]).
///
/// Asks the interface's hardware type on an ordinary UDP socket, so it needs
/// no privileges.
///
/// # Errors
/// [`CaptureError::NoSuchInterface`], [`CaptureError::Os`].
pub fn link_type_of(interface: &str) -> Result<LinkType, CaptureError> {
    if interface == ANY {
        return Ok(LinkType::LinuxSll);
    }
    let sock = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::DGRAM, None)
        .map_err(os("socket(AF_INET)"))?;
    Ok(probe(sock.as_fd(), interface)?.0)
}

/// Attaches `prog` to any socket with `SO_ATTACH_FILTER` (socket(7)), after
/// checking it by the kernel's rules: an `AF_PACKET` socket the caller set
/// up itself, a UDP or TCP socket, an `AF_UNIX` datagram socket. The kernel
/// then delivers only what the program accepts, cut to the length it
/// returns; a filter already attached is replaced. No privilege is needed
/// for a socket the caller owns.
///
/// The program runs on what that socket's filter sees: the frame from its
/// link-layer header for `AF_PACKET` `SOCK_RAW` (compile for
/// [`link_type_of`] the interface), the UDP header and payload for UDP, the
/// datagram for `AF_UNIX` (hand-assemble for those; the IP header is at
/// `SKF_NET_OFF`). [`CaptureBuilder`] attaches its own filter before the
/// socket receives anything.
///
/// ```no_run
/// let sock = std::net::UdpSocket::bind("127.0.0.1:0")?;
/// let prog = rawcap::bpf::Program::new(vec![rawcap::bpf::Insn::stmt(rawcap::bpf::code::RET, 0)]);
/// rawcap::capture::attach_filter(std::os::fd::AsFd::as_fd(&sock), &prog)?; // drops every datagram
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`CaptureError::Filter`] for a program the kernel would refuse (nothing
/// is attached), [`CaptureError::PermissionDenied`] when the socket's filter
/// is locked (`SO_LOCK_FILTER`), [`CaptureError::Os`] naming
/// `setsockopt(SO_ATTACH_FILTER)` otherwise (`ENOTSOCK` for a descriptor
/// that is no socket).
pub fn attach_filter(sock: BorrowedFd<'_>, prog: &Program) -> Result<(), CaptureError> {
    crate::bpf::validate(prog)?;
    sys::attach_filter(sock, prog).map_err(os("setsockopt(SO_ATTACH_FILTER)"))
}

/// Link type and whether to use cooked (`SOCK_DGRAM`) mode, and the `IFF_*` flags.
fn probe(fd: BorrowedFd<'_>, name: &str) -> Result<(LinkType, bool, u32), CaptureError> {
    let no_such = |e: io::Error| match e.raw_os_error() {
        Some(libc::ENODEV) | Some(libc::ENXIO) => {
            CaptureError::NoSuchInterface { name: name.into() }
        }
        _ => os("ioctl(SIOCGIFHWADDR)")(e),
    };
    let hatype = sys::if_hatype(fd, name).map_err(no_such)?;
    let flags = sys::if_flags(fd, name).map_err(os("ioctl(SIOCGIFFLAGS)"))?;
    let (lt, cooked) = device_link_type(hatype);
    Ok((lt, cooked, flags))
}

/// What a device of hardware type `hatype` (`ARPHRD_*`) is captured as, and
/// whether that takes a cooked (`SOCK_DGRAM`) socket; libpcap's choice
/// (pcap-linux.c, `map_arphrd_to_dlt` and `setup_socket`) for every type
/// rawcap can deliver: Ethernet and loopback as Ethernet, the raw-IP types as
/// raw IP, and, as libpcap does for PPP, GRE, IPv6 tunnels and every type it
/// does not know, Linux cooked capture. (Types libpcap gives a link type of
/// their own, such as 802.11 or CAN, are captured cooked here.)
fn device_link_type(hatype: u16) -> (LinkType, bool) {
    match hatype {
        ARPHRD_ETHER | ARPHRD_LOOPBACK => (LinkType::Ethernet, false),
        t if ARPHRD_RAW_IP.contains(&t) => (LinkType::Raw, false),
        _ => (LinkType::LinuxSll, true),
    }
}

/// Settings for a live capture; [`CaptureBuilder::open`] makes the [`Capture`].
#[derive(Clone, Debug)]
pub struct CaptureBuilder {
    interface: String,
    filter: Option<Program>,
    snaplen: u32,
    promiscuous: bool,
    buffer_size: usize,
    direction: Direction,
    read_timeout: Duration,
    fanout: Option<u16>,
    read_path: ReadPath,
    lock_filter: bool,
    linktype: Option<LinkType>,
    immediate: bool,
}

impl CaptureBuilder {
    /// A capture on `interface` (or [`ANY`]) with tcpdump's defaults:
    /// snaplen 262144, promiscuous, [`DEFAULT_BUFFER_SIZE`], both directions, 100 ms
    /// read timeout, the ring, no filter (everything, cut to the snaplen).
    pub fn new(interface: impl Into<String>) -> Self {
        CaptureBuilder {
            interface: interface.into(),
            filter: None,
            snaplen: DEFAULT_SNAPLEN,
            promiscuous: true,
            buffer_size: DEFAULT_BUFFER_SIZE,
            direction: Direction::Both,
            read_timeout: Duration::from_millis(100),
            fanout: None,
            read_path: ReadPath::Auto,
            lock_filter: true,
            linktype: None,
            immediate: false,
        }
    }

    /// Immediate mode (libpcap's `pcap_set_immediate_mode`): the kernel
    /// hands a ring block over 1 ms after its first frame instead of after
    /// the read timeout, so each packet reaches the reader at once; the
    /// read timeout still bounds how long [`Capture::next_batch`] waits.
    pub fn immediate(mut self, on: bool) -> Self {
        self.immediate = on;
        self
    }

    /// The link type to deliver (tcpdump's `-y`). A cooked socket (`any`, and
    /// devices [`link_type_of`] says are `LINUX_SLL`) can build either cooked
    /// header, `LINUX_SLL` (the default) or `LINUX_SLL2`; every other device
    /// delivers only its own link type. The [`filter`](Self::filter) must be
    /// compiled for this link type.
    pub fn linktype(mut self, lt: LinkType) -> Self {
        self.linktype = Some(lt);
        self
    }

    /// The filter, compiled for the capture's link type; without one every
    /// frame is kept. On a cooked socket the kernel gets the program with
    /// its loads moved ([`crate::bpf::cooked::plan`]); when the kernel cannot
    /// run it, the kernel keeps every frame and the capture runs the program
    /// on each frame before the reader sees it.
    pub fn filter(mut self, prog: Program) -> Self {
        self.filter = Some(prog);
        self
    }

    /// Bytes kept per frame (1..=262144).
    pub fn snaplen(mut self, n: u32) -> Self {
        self.snaplen = n;
        self
    }

    /// Whether to ask for promiscuous mode (ignored on `any`).
    pub fn promiscuous(mut self, on: bool) -> Self {
        self.promiscuous = on;
        self
    }

    /// The ring size in bytes (rounded to whole blocks; at least one block).
    pub fn buffer_size(mut self, bytes: usize) -> Self {
        self.buffer_size = bytes;
        self
    }

    /// Which directions to keep.
    pub fn direction(mut self, d: Direction) -> Self {
        self.direction = d;
        self
    }

    /// How long a partly filled block waits before the kernel hands it over
    /// (`tp_retire_blk_tov`), and the longest [`Capture::next_batch`] waits.
    pub fn read_timeout(mut self, t: Duration) -> Self {
        self.read_timeout = t;
        self
    }

    /// Joins `PACKET_FANOUT` group `group` in hash mode: sockets of one group
    /// share the frames, each flow going to one socket.
    pub fn fanout(mut self, group: u16) -> Self {
        self.fanout = Some(group);
        self
    }

    /// Ring, `recvmsg`, or ring with fallback (the default).
    pub fn read_path(mut self, p: ReadPath) -> Self {
        self.read_path = p;
        self
    }

    /// Whether to lock the filter with `SO_LOCK_FILTER` (default on; not
    /// with [`fanout`](Self::fanout), whose sockets stop receiving by taking
    /// a reject-all filter, see [`Capture::stop_receiving`]).
    pub fn lock_filter(mut self, on: bool) -> Self {
        self.lock_filter = on;
        self
    }

    /// Opens the socket, attaches the filter, sets up the ring, then binds.
    ///
    /// # Errors
    /// [`CaptureError::PermissionDenied`] without CAP_NET_RAW,
    /// [`CaptureError::NoSuchInterface`], [`CaptureError::InterfaceDown`],
    /// [`CaptureError::Invalid`] for a snaplen outside 1..=262144,
    /// [`CaptureError::Invalid`] for a link type the device cannot deliver,
    /// [`CaptureError::Filter`] for a program the kernel would refuse, and
    /// [`CaptureError::Os`] naming the failed call.
    pub fn open(self) -> Result<Capture, CaptureError> {
        if self.snaplen == 0 || self.snaplen > DEFAULT_SNAPLEN {
            return Err(CaptureError::Invalid(format!(
                "snaplen {} out of range (1-{DEFAULT_SNAPLEN})",
                self.snaplen
            )));
        }
        let any = self.interface == ANY;
        // Probe first on a throwaway socket: it also finds a missing CAP_NET_RAW.
        let (linktype, cooked, ifindex) = if any {
            (LinkType::LinuxSll, true, 0)
        } else {
            let probe_sock = sys::packet_socket(false).map_err(os("socket(AF_PACKET)"))?;
            let (lt, cooked, flags) = probe(probe_sock.as_fd(), &self.interface)?;
            if flags & IFF_UP == 0 {
                return Err(CaptureError::InterfaceDown {
                    name: self.interface,
                });
            }
            let idx = nix::net::if_::if_nametoindex(self.interface.as_str()).map_err(|_| {
                CaptureError::NoSuchInterface {
                    name: self.interface.clone(),
                }
            })?;
            (lt, cooked, idx)
        };
        let linktype = match self.linktype {
            None => linktype,
            Some(lt) if lt == linktype || (cooked && lt.is_cooked()) => lt,
            Some(lt) => {
                return Err(CaptureError::Invalid(format!(
                    "{}: link type {lt} is not available (the device delivers {linktype})",
                    self.interface
                )))
            }
        };
        let sock = sys::packet_socket(cooked).map_err(os("socket(AF_PACKET)"))?;
        let fd = sock.as_fd();
        let accept_all = Program::new(vec![Insn::stmt(code::RET | code::K, self.snaplen)]);
        let prog = self.filter.as_ref().unwrap_or(&accept_all);
        crate::bpf::validate(prog)?;
        // What the kernel runs: on a cooked socket, the program moved to the
        // network header, or (when it reads the cooked header in a way no
        // socket metadata gives) accept-all with the program run here.
        let (kernel, userland) = match crate::bpf::cooked::plan(prog, linktype, self.snaplen) {
            Plan::Kernel(p) => (p, None),
            Plan::Userland { attach, .. } => (attach, Some(prog.clone())),
        };
        crate::bpf::validate(&kernel)?;
        let prog = &kernel;
        // 1. Filter first: the socket has protocol 0 and receives nothing yet.
        sys::attach_filter(fd, prog).map_err(os("setsockopt(SO_ATTACH_FILTER)"))?;
        // A socket in a fanout group cannot be unbound; it stops receiving
        // by taking a reject-all filter instead, so its filter stays unlocked.
        if self.lock_filter && self.fanout.is_none() {
            sys::lock_filter(fd).map_err(os("setsockopt(SO_LOCK_FILTER)"))?;
        }
        if self.promiscuous && !any {
            sys::add_promisc(fd, ifindex).map_err(os("setsockopt(PACKET_ADD_MEMBERSHIP)"))?;
        }
        if self.direction == Direction::In {
            // Best effort (Linux 4.20+); the reader checks the direction anyway.
            let _ = sys::set_ignore_outgoing(fd);
        }
        // 2. The ring (or the recvmsg setup).
        let tov_ms = if self.immediate {
            1
        } else {
            self.read_timeout.as_millis().clamp(1, 10_000) as u32
        };
        let mut fallback = None;
        let reader = match self.read_path {
            ReadPath::RecvFrom => Reader::recv(fd, self.snaplen, self.buffer_size)?,
            ReadPath::Ring => Reader::ring(fd, self.buffer_size, tov_ms)?,
            ReadPath::Auto => match Reader::ring(fd, self.buffer_size, tov_ms) {
                Ok(r) => r,
                Err(CaptureError::PermissionDenied { op }) => {
                    return Err(CaptureError::PermissionDenied { op })
                }
                Err(e) => {
                    fallback = Some(e);
                    Reader::recv(fd, self.snaplen, self.buffer_size)?
                }
            },
        };
        // 3. Only now start receiving.
        sys::bind_ll(fd, ifindex, sys::ETH_P_ALL).map_err(|e| match e.raw_os_error() {
            Some(libc::ENETDOWN) => CaptureError::InterfaceDown {
                name: self.interface.clone(),
            },
            Some(libc::ENODEV) => CaptureError::NoSuchInterface {
                name: self.interface.clone(),
            },
            _ => os("bind(AF_PACKET)")(e),
        })?;
        if let Some(group) = self.fanout {
            sys::set_fanout(fd, group, sys::PACKET_FANOUT_HASH)
                .map_err(os("setsockopt(PACKET_FANOUT)"))?;
        }
        Ok(Capture {
            sock,
            interface: self.interface,
            linktype,
            cooked,
            snaplen: self.snaplen,
            direction: self.direction,
            poll_ms: self.read_timeout.as_millis().clamp(1, 1000) as u16,
            drain_wait: Duration::from_millis(2 * u64::from(tov_ms) + 50),
            ifindex,
            fanout: self.fanout.is_some(),
            phase: Phase::Running,
            last_read: Instant::now(),
            reader,
            fallback,
            userland,
            scratch: Vec::new(),
            totals: Stats::default(),
        })
    }
}

/// The geometry of a TPACKET_V3 ring of about `buffer` bytes, as libpcap
/// 1.10 makes it (`create_ring` in pcap-linux.c): blocks of [`RING_BLOCK`]
/// (or the page, if larger), `buffer` rounded up to whole blocks, at least
/// one; one "frame" per block (TPACKET_V3 packs variable-sized frames into a
/// block; the frame size only has to divide it).
fn ring_geometry(buffer: usize, page: usize, tov_ms: u32) -> sys::TpacketReq3 {
    let block = RING_BLOCK.max(page).next_power_of_two();
    let block_nr = buffer.div_ceil(block).max(1);
    sys::TpacketReq3 {
        tp_block_size: block as u32,
        tp_block_nr: block_nr as u32,
        tp_frame_size: block as u32,
        tp_frame_nr: block_nr as u32,
        tp_retire_blk_tov: tov_ms,
        tp_sizeof_priv: 0,
        tp_feature_req_word: 0,
    }
}

enum Reader {
    Ring { ring: sys::MappedRing, cur: usize },
    Recv { buf: Vec<u8>, cmsg: Vec<u8> },
}

impl Reader {
    fn ring(fd: BorrowedFd<'_>, buffer: usize, tov_ms: u32) -> Result<Self, CaptureError> {
        sys::set_packet_version(fd, sys::TPACKET_V3).map_err(os("setsockopt(PACKET_VERSION)"))?;
        let req = ring_geometry(buffer, sys::page_size(), tov_ms);
        sys::set_rx_ring(fd, &req).map_err(os("setsockopt(PACKET_RX_RING)"))?;
        match sys::MappedRing::map(fd, req.tp_block_size as usize, req.tp_block_nr as usize) {
            Ok(ring) => Ok(Reader::Ring { ring, cur: 0 }),
            Err(e) => {
                // Free the unmapped ring, or frames would go where nobody reads.
                let _ = sys::set_rx_ring(fd, &sys::TpacketReq3::default());
                Err(os("mmap(PACKET_RX_RING)")(e))
            }
        }
    }

    fn recv(fd: BorrowedFd<'_>, snaplen: u32, buffer: usize) -> Result<Self, CaptureError> {
        sys::set_auxdata(fd).map_err(os("setsockopt(PACKET_AUXDATA)"))?;
        // The kernel caps this at net.core.rmem_max; best effort, as in libpcap.
        let _ = socket2::SockRef::from(&fd).set_recv_buffer_size(buffer);
        sys::set_timestamp_ns(fd).map_err(os("setsockopt(SO_TIMESTAMPNS)"))?;
        Ok(Reader::Recv {
            buf: vec![0; snaplen as usize],
            cmsg: vec![0; 256],
        })
    }
}

/// An open live capture. Frames are read with [`Capture::next_batch`].
pub struct Capture {
    sock: socket2::Socket,
    interface: String,
    linktype: LinkType,
    cooked: bool,
    snaplen: u32,
    direction: Direction,
    poll_ms: u16,
    /// How long after the last frame a drained ring is known to be empty:
    /// twice the block timeout (the kernel retires a partly filled block
    /// when its timer finds the block unchanged since the previous tick).
    drain_wait: Duration,
    ifindex: u32,
    /// Whether the socket is in a fanout group.
    fanout: bool,
    phase: Phase,
    /// When a frame or a block was last read, or the phase last changed.
    last_read: Instant,
    reader: Reader,
    fallback: Option<CaptureError>,
    /// The filter, when the kernel cannot run it (it keeps every frame).
    userland: Option<Program>,
    scratch: Vec<u8>,
    totals: Stats,
}

/// Where a capture is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// The kernel queues frames for the socket.
    Running,
    /// The interface went down (`ENETDOWN`): the kernel stopped queueing.
    /// What it queued is read; then the capture waits for the interface to
    /// come back up (the kernel hooks the socket in again), or ends with
    /// [`CaptureError::InterfaceGone`] once it no longer exists.
    Down,
    /// [`Capture::stop_receiving`] was called: what was queued is read.
    Stopping,
    /// Nothing more will come.
    Drained,
}

impl std::fmt::Debug for Capture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Capture")
            .field("interface", &self.interface)
            .field("linktype", &self.linktype)
            .field("snaplen", &self.snaplen)
            .field("ring", &self.uses_ring())
            .finish()
    }
}

/// What the reader needs to turn one raw frame into a [`Packet`].
struct FrameInfo<'a> {
    ts_ns: u64,
    data: &'a [u8],
    wire_len: u32,
    ifindex: u32,
    pkttype: u8,
    hatype: u16,
    protocol: u16,
    addr: &'a [u8],
    vlan: Option<(u16, u16)>,
}

/// What became of an interface the kernel reported down.
enum Device {
    Up,
    Down,
    Gone,
}

/// Settings the per-frame step reads.
#[derive(Clone, Copy)]
struct Shape<'p> {
    cooked: bool,
    linktype: LinkType,
    snaplen: u32,
    direction: Direction,
    /// The filter the kernel could not run, run here on each cooked frame.
    userland: Option<&'p Program>,
}

impl Shape<'_> {
    /// Whether a frame of `pkttype` on hardware `hatype` is kept (direction, `lo` duplicates).
    fn keeps(&self, pkttype: u8, hatype: u16) -> bool {
        if pkttype == PACKET_OUTGOING {
            hatype != ARPHRD_LOOPBACK && self.direction != Direction::In
        } else {
            self.direction != Direction::Out
        }
    }

    /// Whether [`Shape::deliver`] would hand a frame with this stripped tag
    /// over as its own bytes (no cooked header, no tag to put back, so no
    /// userland filter either: that runs on cooked frames only).
    #[inline]
    fn as_is(&self, vlan: Option<(u16, u16)>) -> bool {
        !self.cooked && (vlan.is_none() || self.linktype != LinkType::Ethernet)
    }

    /// Builds the packet (copying into `scratch` only for cooked headers and
    /// reinserted VLAN tags) and hands it to `f`, unless the userland filter
    /// refuses it. Returns whether `f` saw it.
    fn deliver<F: FnMut(&Packet<'_>)>(
        &self,
        fi: FrameInfo<'_>,
        scratch: &mut Vec<u8>,
        f: &mut F,
    ) -> bool {
        let mut wire_len = fi.wire_len;
        let data: &[u8] = if self.cooked {
            scratch.clear();
            if self.linktype == LinkType::LinuxSll2 {
                let hdr =
                    ring::sll2_header(fi.protocol, fi.ifindex, fi.hatype, fi.pkttype, fi.addr);
                scratch.extend_from_slice(&hdr);
            } else {
                let hdr = ring::sll_header(fi.pkttype, fi.hatype, fi.addr, fi.protocol);
                scratch.extend_from_slice(&hdr);
            }
            let hdr_len = scratch.len();
            scratch.extend_from_slice(fi.data);
            if let Some(prog) = self.userland {
                // As libpcap filters in userland (pcap-linux.c,
                // pcap_handle_packet_mmap): the cooked frame before any VLAN
                // tag goes back in, `len` from the network header, and the
                // socket's metadata for the ancillary loads.
                let meta = Meta {
                    protocol: fi.protocol,
                    pkttype: u32::from(fi.pkttype),
                    ifindex: fi.ifindex,
                    hatype: fi.hatype,
                    vlan_present: fi.vlan.is_some(),
                    vlan_tci: fi.vlan.map_or(0, |(_, tci)| tci),
                    vlan_tpid: fi.vlan.map_or(0, |(tpid, _)| tpid),
                    network_offset: hdr_len as u32,
                    mac_offset: None,
                    ..Meta::default()
                };
                if vm::run(prog, scratch, fi.wire_len, &meta) == 0 {
                    return false;
                }
            }
            wire_len = wire_len.saturating_add(hdr_len as u32);
            // libpcap puts an offloaded tag back into LINUX_SLL frames only,
            // before the protocol field (its `vlan_offset`, 14), and only when
            // at least that many bytes of the packet itself were captured.
            let at = crate::linktype::sll::PROTOCOL;
            if let (Some((tpid, tci)), LinkType::LinuxSll) = (fi.vlan, self.linktype) {
                if fi.data.len() >= at {
                    let mut tag = [0u8; 4];
                    tag[..2].copy_from_slice(&tpid.to_be_bytes());
                    tag[2..].copy_from_slice(&tci.to_be_bytes());
                    scratch.splice(at..at, tag);
                    wire_len = wire_len.saturating_add(4);
                }
            }
            scratch
        } else if let (Some((tpid, tci)), LinkType::Ethernet) = (fi.vlan, self.linktype) {
            let added = ring::reinsert_vlan(fi.data, 12, tpid, tci, scratch) as u32;
            wire_len = wire_len.saturating_add(added);
            scratch
        } else {
            fi.data
        };
        let data = &data[..data.len().min(self.snaplen as usize)];
        let pkt = Packet {
            ts_ns: fi.ts_ns,
            data,
            wire_len: wire_len.max(data.len() as u32),
            ifindex: Some(fi.ifindex),
            pkttype: Some(PacketType::from_raw(fi.pkttype)),
        };
        f(&pkt);
        true
    }
}

impl Capture {
    /// The link type of the delivered frames.
    pub fn linktype(&self) -> LinkType {
        self.linktype
    }

    /// The snapshot length.
    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    /// The interface name.
    pub fn interface(&self) -> &str {
        &self.interface
    }

    /// Whether frames come from the TPACKET_V3 ring (else `recvmsg`).
    pub fn uses_ring(&self) -> bool {
        matches!(self.reader, Reader::Ring { .. })
    }

    /// Why the ring could not be set up, when [`ReadPath::Auto`] fell back to `recvmsg`.
    pub fn ring_fallback(&self) -> Option<&CaptureError> {
        self.fallback.as_ref()
    }

    /// The socket, for callers that want to poll it themselves.
    pub fn as_fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }

    /// Waits up to the read timeout for frames, then calls `f` for each frame
    /// of one ring block (or each queued frame on the recvmsg path). Returns
    /// the number of packets passed to `f`; 0 means the wait timed out or was
    /// interrupted by a signal.
    ///
    /// The packets borrow the ring: the block is handed back to the kernel
    /// when `f` has seen all its frames.
    ///
    /// When the interface goes down the capture goes on: every frame the
    /// kernel queued is still delivered, and the capture waits for the
    /// interface to come back up (as libpcap does). After
    /// [`Capture::stop_receiving`], or once the interface is gone, it delivers
    /// what was queued until [`Capture::is_drained`].
    ///
    /// # Errors
    /// [`CaptureError::InterfaceGone`] once the interface was deleted and every
    /// frame queued before was delivered, [`CaptureError::Os`] for other
    /// socket errors, [`CaptureError::Ring`] for a malformed block (which is
    /// still handed back).
    pub fn next_batch<F: FnMut(&Packet<'_>)>(&mut self, f: F) -> Result<usize, CaptureError> {
        if self.phase == Phase::Drained {
            return Ok(0);
        }
        let ready = match &self.reader {
            Reader::Ring { ring, cur } => ring.user_owns(*cur),
            Reader::Recv { .. } => false,
        };
        if !ready {
            let ev = sys::poll_in(self.sock.as_fd(), self.poll_ms).map_err(os("poll"))?;
            if ev.intersects(nix::poll::PollFlags::POLLERR | nix::poll::PollFlags::POLLHUP) {
                let e = self.socket_error();
                if !matches!(e, CaptureError::InterfaceGone { .. }) {
                    return Err(e);
                }
                // ENETDOWN: the kernel stopped queueing; read what it queued.
                if self.phase == Phase::Running {
                    self.phase = Phase::Down;
                    self.last_read = Instant::now();
                }
            }
        }
        let (n, read) = self.read(f)?;
        if read {
            self.last_read = Instant::now();
            return Ok(n);
        }
        let quiet = self.last_read.elapsed() >= self.drain_wait;
        match self.phase {
            Phase::Down => match self.device() {
                Device::Up => self.phase = Phase::Running,
                Device::Down => {}
                Device::Gone if quiet => {
                    self.phase = Phase::Drained;
                    return Err(CaptureError::InterfaceGone {
                        name: self.interface.clone(),
                    });
                }
                Device::Gone => {}
            },
            Phase::Stopping if quiet => self.phase = Phase::Drained,
            _ => {}
        }
        Ok(n)
    }

    /// Stops the kernel from queueing frames for this capture (binds the
    /// socket to no protocol); what it queued before can still be read with
    /// [`Capture::next_batch`] until [`Capture::is_drained`]. After this call
    /// [`Capture::stats`] counts no more frames, so the frames read from then
    /// on and the statistics add up: received = delivered + dropped (+ frames
    /// a userland filter, a direction or `lo`'s outgoing copies left out).
    ///
    /// # Errors
    /// [`CaptureError::Os`] when the bind fails.
    pub fn stop_receiving(&mut self) -> Result<(), CaptureError> {
        if matches!(self.phase, Phase::Running | Phase::Down) {
            let fd = self.sock.as_fd();
            if self.fanout {
                // The kernel refuses to unbind a fanout member: reject everything.
                let none = Program::new(vec![Insn::stmt(code::RET | code::K, 0)]);
                sys::attach_filter(fd, &none).map_err(os("setsockopt(SO_ATTACH_FILTER)"))?;
            } else {
                sys::bind_ll(fd, self.ifindex, 0).map_err(os("bind(AF_PACKET)"))?;
            }
            self.phase = Phase::Stopping;
            self.last_read = Instant::now();
        }
        Ok(())
    }

    /// Whether everything queued before [`Capture::stop_receiving`] (or
    /// before the interface disappeared) was delivered.
    pub fn is_drained(&self) -> bool {
        self.phase == Phase::Drained
    }

    /// What became of the interface after `ENETDOWN`.
    fn device(&self) -> Device {
        let same =
            nix::net::if_::if_nametoindex(self.interface.as_str()).is_ok_and(|i| i == self.ifindex);
        match sys::if_flags(self.sock.as_fd(), &self.interface) {
            Ok(flags) if same && flags & IFF_UP != 0 => Device::Up,
            Ok(_) if same => Device::Down,
            _ => Device::Gone,
        }
    }

    /// Reads one ring block (or a burst of queued frames) and hands the
    /// packets to `f`. Returns the packets delivered and whether anything
    /// (a block, a frame) was read at all.
    fn read<F: FnMut(&Packet<'_>)>(&mut self, mut f: F) -> Result<(usize, bool), CaptureError> {
        let Capture {
            reader,
            scratch,
            sock,
            userland,
            ..
        } = self;
        let shape = Shape {
            cooked: self.cooked,
            linktype: self.linktype,
            snaplen: self.snaplen,
            direction: self.direction,
            userland: userland.as_ref(),
        };
        let mut n = 0usize;
        let mut read = false;
        match reader {
            Reader::Ring { ring, cur } => {
                let Some(bytes) = ring.block(*cur) else {
                    return Ok((0, false));
                };
                read = true;
                let mut bad = None;
                match ring::Block::new_checked(bytes) {
                    Err(e) => bad = Some(e),
                    Ok(block) => {
                        for fr in block.frames() {
                            let fr = match fr {
                                Ok(fr) => fr,
                                Err(e) => {
                                    bad = Some(e);
                                    break;
                                }
                            };
                            if !shape.keeps(fr.pkttype(), fr.hatype()) {
                                continue;
                            }
                            let vlan = fr.vlan();
                            if shape.as_is(vlan) {
                                // The common case: the frame's bytes as they
                                // are, with no FrameInfo built.
                                let data = fr.data();
                                let data = &data[..data.len().min(shape.snaplen as usize)];
                                f(&Packet {
                                    ts_ns: fr.ts_ns(),
                                    data,
                                    wire_len: fr.tp_len().max(data.len() as u32),
                                    ifindex: Some(fr.ifindex()),
                                    pkttype: Some(PacketType::from_raw(fr.pkttype())),
                                });
                                n += 1;
                                continue;
                            }
                            let info = FrameInfo {
                                ts_ns: fr.ts_ns(),
                                data: fr.data(),
                                wire_len: fr.tp_len(),
                                ifindex: fr.ifindex(),
                                pkttype: fr.pkttype(),
                                hatype: fr.hatype(),
                                protocol: fr.protocol(),
                                addr: fr.addr(),
                                vlan,
                            };
                            n += usize::from(shape.deliver(info, scratch, &mut f));
                        }
                    }
                }
                let i = *cur;
                ring.hand_back(i);
                *cur = (i + 1) % ring.block_nr();
                if let Some(e) = bad {
                    return Err(e.into());
                }
            }
            Reader::Recv { buf, cmsg } => {
                // At most a bounded burst per call, so callers see their stop flags.
                for _ in 0..256 {
                    let Some(r) =
                        sys::recv_frame(sock.as_fd(), buf, cmsg).map_err(os("recvmsg"))?
                    else {
                        break;
                    };
                    read = true;
                    if !shape.keeps(r.pkttype, r.hatype) {
                        continue;
                    }
                    let aux = r
                        .aux
                        .as_deref()
                        .and_then(|a| ring::Aux::new_checked(a).ok());
                    let info = FrameInfo {
                        ts_ns: r.ts_ns.unwrap_or_else(now_ns),
                        data: &buf[..r.len],
                        wire_len: aux.map_or(r.len as u32, |a| a.tp_len()),
                        ifindex: r.ifindex,
                        pkttype: r.pkttype,
                        hatype: r.hatype,
                        protocol: r.protocol,
                        addr: &r.addr[..r.halen],
                        vlan: aux.and_then(|a| a.vlan()),
                    };
                    n += usize::from(shape.deliver(info, scratch, &mut f));
                }
            }
        }
        Ok((n, read))
    }

    fn socket_error(&self) -> CaptureError {
        match self.sock.take_error() {
            Ok(Some(e)) | Err(e) => match e.raw_os_error() {
                Some(libc::ENETDOWN) | Some(libc::ENODEV) | Some(libc::ENXIO) => {
                    CaptureError::InterfaceGone {
                        name: self.interface.clone(),
                    }
                }
                _ => os("poll")(e),
            },
            Ok(None) => CaptureError::InterfaceGone {
                name: self.interface.clone(),
            },
        }
    }

    /// The kernel's counters since the capture opened (each call adds the
    /// counters the kernel collected since the previous call).
    ///
    /// # Errors
    /// [`CaptureError::Os`] when `getsockopt(PACKET_STATISTICS)` fails.
    pub fn stats(&mut self) -> Result<Stats, CaptureError> {
        let st =
            sys::packet_stats(self.sock.as_fd()).map_err(os("getsockopt(PACKET_STATISTICS)"))?;
        self.totals += Stats {
            received: u64::from(st.tp_packets),
            dropped: u64::from(st.tp_drops),
            freeze_count: u64::from(st.tp_freeze_q_cnt),
        };
        Ok(self.totals)
    }
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_default_is_libpcaps() {
        // tcpdump 4.99 / libpcap 1.10 on Linux: -B 2048 KiB, eight 256 KiB blocks.
        let r = ring_geometry(DEFAULT_BUFFER_SIZE, 4096, 100);
        assert_eq!(r.tp_block_size, 256 << 10);
        assert_eq!(r.tp_block_nr, 8);
        assert_eq!(r.tp_frame_size, 256 << 10);
        assert_eq!(r.tp_frame_nr, 8);
        assert_eq!(r.tp_retire_blk_tov, 100);
    }

    #[test]
    fn geometry_rules_hold() {
        for page in [4096usize, 16384, 65536, 1 << 20] {
            for buf in [0usize, 1, 4096, 100_000, 1 << 20, 3 << 20, 32 << 20] {
                let r = ring_geometry(buf, page, 1);
                let bs = r.tp_block_size as usize;
                assert!(
                    bs.is_power_of_two() && bs % page == 0,
                    "{page} {buf}: {r:?}"
                );
                assert!(bs >= RING_BLOCK);
                // -B rounds up to whole blocks, at least one.
                assert_eq!(r.tp_block_nr as usize, buf.div_ceil(bs).max(1));
                assert_eq!(bs % r.tp_frame_size as usize, 0);
                assert_eq!(r.tp_frame_nr, (bs as u32 / r.tp_frame_size) * r.tp_block_nr);
            }
        }
    }

    fn shape(
        cooked: bool,
        linktype: LinkType,
        snaplen: u32,
        userland: Option<&Program>,
    ) -> Shape<'_> {
        Shape {
            cooked,
            linktype,
            snaplen,
            direction: Direction::Both,
            userland,
        }
    }

    /// What `shape` delivers for one frame: its bytes and wire length.
    fn one(shape: &Shape<'_>, fi: FrameInfo<'_>) -> Option<(Vec<u8>, u32)> {
        let mut got = None;
        shape.deliver(fi, &mut Vec::new(), &mut |p| {
            got = Some((p.data.to_vec(), p.wire_len))
        });
        got
    }

    #[test]
    fn direction_and_loopback_rules() {
        let s = |direction| Shape {
            cooked: false,
            linktype: LinkType::Ethernet,
            snaplen: 100,
            direction,
            userland: None,
        };
        assert!(s(Direction::Both).keeps(0, ARPHRD_ETHER));
        assert!(s(Direction::Both).keeps(PACKET_OUTGOING, ARPHRD_ETHER));
        assert!(!s(Direction::Both).keeps(PACKET_OUTGOING, ARPHRD_LOOPBACK));
        assert!(s(Direction::Both).keeps(0, ARPHRD_LOOPBACK));
        assert!(!s(Direction::In).keeps(PACKET_OUTGOING, ARPHRD_ETHER));
        assert!(s(Direction::Out).keeps(PACKET_OUTGOING, ARPHRD_ETHER));
        assert!(!s(Direction::Out).keeps(0, ARPHRD_ETHER));
    }

    fn info(data: &[u8], vlan: Option<(u16, u16)>) -> FrameInfo<'_> {
        FrameInfo {
            ts_ns: 5,
            data,
            wire_len: data.len() as u32 + 100,
            ifindex: 2,
            pkttype: 0,
            hatype: ARPHRD_ETHER,
            protocol: 0x0800,
            addr: &[1, 2, 3, 4, 5, 6],
            vlan,
        }
    }

    #[test]
    fn deliver_reinserts_vlan_and_cuts_to_snaplen() {
        let shape = shape(false, LinkType::Ethernet, 30, None);
        let frame: Vec<u8> = (0..40).collect();
        let mut scratch = Vec::new();
        let mut got = Vec::new();
        shape.deliver(info(&frame, Some((0x8100, 100))), &mut scratch, &mut |p| {
            got.push((p.data.to_vec(), p.wire_len, p.ifindex))
        });
        shape.deliver(info(&frame, None), &mut scratch, &mut |p| {
            got.push((p.data.to_vec(), p.wire_len, p.ifindex))
        });
        assert_eq!(got[0].0.len(), 30);
        assert_eq!(&got[0].0[12..16], &[0x81, 0, 0, 100]);
        assert_eq!(got[0].1, 144);
        assert_eq!(got[0].2, Some(2));
        assert_eq!(got[1].0, &frame[..30]);
        assert_eq!(got[1].1, 140);
    }

    #[test]
    fn deliver_cooked_builds_sll() {
        let ip = [0x45u8; 20];
        let shape = shape(true, LinkType::LinuxSll, 1000, None);
        let (d, wire_len) = one(&shape, info(&ip, Some((0x8100, 7)))).unwrap();
        assert_eq!(d.len(), 16 + 4 + 20);
        assert_eq!(&d[..14], &[0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0]);
        assert_eq!(&d[14..20], &[0x81, 0, 0, 7, 0x08, 0x00]);
        assert_eq!(wire_len, 20 + 100 + 16 + 4);
    }

    #[test]
    fn deliver_cooked_v2_builds_sll2_without_the_tag() {
        let ip = [0x45u8; 20];
        let shape = shape(true, LinkType::LinuxSll2, 1000, None);
        let (d, wire_len) = one(&shape, info(&ip, Some((0x8100, 7)))).unwrap();
        // protocol, reserved, ifindex 2, ARPHRD_ETHER, PACKET_HOST, halen 6, address.
        assert_eq!(
            &d[..20],
            &[8, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0]
        );
        assert_eq!(&d[20..], &ip);
        assert_eq!(wire_len, 20 + 100 + 20);
    }

    #[test]
    fn deliver_cooked_puts_the_tag_back_only_after_14_packet_bytes() {
        let shape = shape(true, LinkType::LinuxSll, 1000, None);
        let mut scratch = Vec::new();
        let mut lens = Vec::new();
        for n in [13usize, 14] {
            shape.deliver(
                info(&[0x45; 14][..n], Some((0x8100, 7))),
                &mut scratch,
                &mut |p| lens.push(p.data.len()),
            );
        }
        assert_eq!(lens, [16 + 13, 16 + 4 + 14]);
    }

    #[test]
    fn userland_filter_runs_on_the_cooked_frame_before_the_tag() {
        use crate::bpf::code::*;
        // `link[1] = 0 and link[14:2] = 0x800 and len = 120`: the packet type's low
        // byte (no ancillary load gives one byte), the protocol where the SLL
        // header has it (no tag yet), and `len` without the cooked header.
        let prog = Program::new(vec![
            Insn::stmt(LD | B | ABS, 1),
            Insn::jump(JMP | JEQ | K, 0, 0, 5),
            Insn::stmt(LD | H | ABS, 14),
            Insn::jump(JMP | JEQ | K, 0x800, 0, 3),
            Insn::stmt(LD | W | LEN, 0),
            Insn::jump(JMP | JEQ | K, 120, 0, 1),
            Insn::stmt(RET | K, 500),
            Insn::stmt(RET | K, 0),
        ]);
        assert!(matches!(
            crate::bpf::cooked::plan(&prog, LinkType::LinuxSll, 500),
            Plan::Userland { .. }
        ));
        let shape = shape(true, LinkType::LinuxSll, 1000, Some(&prog));
        let ip = [0x45u8; 20];
        let mut scratch = Vec::new();
        let mut got = Vec::new();
        let host = info(&ip, Some((0x8100, 7)));
        assert!(shape.deliver(host, &mut scratch, &mut |p| got.push(p.data.to_vec())));
        let outgoing = FrameInfo {
            pkttype: PACKET_OUTGOING,
            ..info(&ip, None)
        };
        assert!(!shape.deliver(outgoing, &mut scratch, &mut |p| got.push(p.data.to_vec())));
        let longer = FrameInfo {
            wire_len: 121,
            ..info(&ip, None)
        };
        assert!(!shape.deliver(longer, &mut scratch, &mut |p| got.push(p.data.to_vec())));
        assert_eq!(got.len(), 1);
        assert_eq!(
            &got[0][14..18],
            &[0x81, 0, 0, 7],
            "the tag goes back after the filter"
        );
    }

    #[test]
    fn device_link_types_are_libpcaps() {
        assert_eq!(device_link_type(ARPHRD_ETHER), (LinkType::Ethernet, false));
        assert_eq!(
            device_link_type(ARPHRD_LOOPBACK),
            (LinkType::Ethernet, false)
        );
        // tun, ipip (TUNNEL), sit, SLIP: raw IP on a SOCK_RAW socket.
        for t in [ARPHRD_NONE, 768, 776, 256] {
            assert_eq!(device_link_type(t), (LinkType::Raw, false), "{t}");
        }
        // PPP, GRE (IPGRE), ip6tnl (TUNNEL6), ip6gre, and unknown types: cooked.
        for t in [512, 778, 769, 823, 65_000] {
            assert_eq!(device_link_type(t), (LinkType::LinuxSll, true), "{t}");
        }
    }

    #[test]
    fn attach_filter_filters_a_udp_socket_unprivileged() {
        use std::net::UdpSocket;
        let rx = UdpSocket::bind("127.0.0.1:0").unwrap();
        rx.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        // The filter sees the UDP header first: accept when the first payload byte is 'A'.
        let prog = Program::new(vec![
            Insn::stmt(code::LD | code::B | code::ABS, 8),
            Insn::jump(code::JMP | code::JEQ | code::K, 0x41, 0, 1),
            Insn::stmt(code::RET | code::K, 0x40000),
            Insn::stmt(code::RET | code::K, 0),
        ]);
        attach_filter(rx.as_fd(), &prog).unwrap();
        let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
        for msg in [&b"B dropped"[..], b"A kept"] {
            tx.send_to(msg, rx.local_addr().unwrap()).unwrap();
        }
        let mut buf = [0u8; 64];
        let n = rx.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"A kept");
        assert!(rx.recv(&mut buf).is_err(), "the dropped datagram arrived");

        let bad = Program::new(vec![Insn::stmt(code::LD | code::W | code::ABS, 0)]);
        assert!(matches!(
            attach_filter(rx.as_fd(), &bad),
            Err(CaptureError::Filter(_))
        ));
        let file = std::fs::File::open("/dev/null").unwrap();
        let e = attach_filter(file.as_fd(), &prog).unwrap_err();
        assert!(matches!(e, CaptureError::Os { .. }), "{e}");
        assert!(e.to_string().starts_with("setsockopt(SO_ATTACH_FILTER): "));
    }

    #[test]
    fn errors_name_the_operation() {
        let e = os("setsockopt(PACKET_RX_RING)")(io::Error::from_raw_os_error(libc::ENOMEM));
        assert_eq!(
            e.to_string(),
            "setsockopt(PACKET_RX_RING): Cannot allocate memory"
        );
        assert!(matches!(
            os("socket(AF_PACKET)")(io::Error::from_raw_os_error(libc::EPERM)),
            CaptureError::PermissionDenied { .. }
        ));
    }
}
