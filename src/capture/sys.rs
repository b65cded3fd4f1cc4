//! Every system call the capture makes, each behind a tiny safe function.
//!
//! This is the only file of the crate that may use `unsafe`. Each function
//! holds at most one `unsafe` expression with a `// SAFETY:` line, takes
//! `BorrowedFd`s (never a bare integer) and turns `-1` into `io::Error`.
//! Kernel structs are copied here with their kernel field names
//! (`include/uapi/linux/if_packet.h`, packet(7)).
#![allow(unsafe_code)]

use crate::bpf::Program;
use core::ptr::NonNull;
use core::sync::atomic::{AtomicU32, Ordering};
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

/// `SOL_PACKET`.
const SOL_PACKET: libc::c_int = 263;
/// `PACKET_ADD_MEMBERSHIP`.
const PACKET_ADD_MEMBERSHIP: libc::c_int = 1;
/// `PACKET_RX_RING`.
const PACKET_RX_RING: libc::c_int = 5;
/// `PACKET_STATISTICS`.
const PACKET_STATISTICS: libc::c_int = 6;
/// `PACKET_AUXDATA`.
pub(crate) const PACKET_AUXDATA: libc::c_int = 8;
/// `PACKET_VERSION`.
const PACKET_VERSION: libc::c_int = 10;
/// `PACKET_FANOUT`.
const PACKET_FANOUT: libc::c_int = 18;
/// `PACKET_IGNORE_OUTGOING` (Linux 4.20).
const PACKET_IGNORE_OUTGOING: libc::c_int = 23;
/// `PACKET_MR_PROMISC`.
const PACKET_MR_PROMISC: libc::c_ushort = 1;
/// `TPACKET_V3`.
pub(crate) const TPACKET_V3: libc::c_int = 2;
/// `PACKET_FANOUT_HASH`.
pub(crate) const PACKET_FANOUT_HASH: u32 = 0;
/// `SO_ATTACH_FILTER`.
const SO_ATTACH_FILTER: libc::c_int = 26;
/// `SO_LOCK_FILTER`.
const SO_LOCK_FILTER: libc::c_int = 44;
/// `ETH_P_ALL`.
pub(crate) const ETH_P_ALL: u16 = 0x0003;

/// `struct tpacket_req3`: the ring geometry handed to `PACKET_RX_RING`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TpacketReq3 {
    pub tp_block_size: u32,
    pub tp_block_nr: u32,
    pub tp_frame_size: u32,
    pub tp_frame_nr: u32,
    pub tp_retire_blk_tov: u32,
    pub tp_sizeof_priv: u32,
    pub tp_feature_req_word: u32,
}

/// `struct tpacket_stats_v3`. Reading it resets the kernel's counters.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TpacketStatsV3 {
    pub tp_packets: u32,
    pub tp_drops: u32,
    pub tp_freeze_q_cnt: u32,
}

/// `struct packet_mreq`.
#[repr(C)]
struct PacketMreq {
    mr_ifindex: libc::c_int,
    mr_type: libc::c_ushort,
    mr_alen: libc::c_ushort,
    mr_address: [u8; 8],
}

/// Opens an `AF_PACKET` socket with protocol 0, so that it receives nothing
/// until [`bind_ll`] names a protocol (the race-free attach depends on this).
/// `cooked` chooses `SOCK_DGRAM` (link header removed) over `SOCK_RAW`.
pub(crate) fn packet_socket(cooked: bool) -> io::Result<socket2::Socket> {
    let ty = if cooked {
        socket2::Type::DGRAM
    } else {
        socket2::Type::RAW
    };
    socket2::Socket::new(
        socket2::Domain::PACKET,
        ty,
        Some(socket2::Protocol::from(0)),
    )
}

fn cvt(r: libc::c_int) -> io::Result<()> {
    if r == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

fn setsockopt<T>(
    fd: BorrowedFd<'_>,
    level: libc::c_int,
    name: libc::c_int,
    v: &T,
) -> io::Result<()> {
    let len = core::mem::size_of::<T>() as libc::socklen_t;
    // SAFETY: `v` is a live reference for the whole call and `len` is exactly its size.
    cvt(unsafe { libc::setsockopt(fd.as_raw_fd(), level, name, (v as *const T).cast(), len) })
}

/// `SO_ATTACH_FILTER` with the program's `struct sock_fprog`.
pub(crate) fn attach_filter(fd: BorrowedFd<'_>, prog: &Program) -> io::Result<()> {
    let fprog = prog.sock_fprog();
    // `fprog` borrows `prog`, so its instruction pointer is valid across the call.
    setsockopt(fd, libc::SOL_SOCKET, SO_ATTACH_FILTER, &fprog)
}

/// `SO_LOCK_FILTER`: nobody (not even a later privileged caller on this fd) can replace the filter.
pub(crate) fn lock_filter(fd: BorrowedFd<'_>) -> io::Result<()> {
    setsockopt(fd, libc::SOL_SOCKET, SO_LOCK_FILTER, &1 as &libc::c_int)
}

/// `PACKET_VERSION`.
pub(crate) fn set_packet_version(fd: BorrowedFd<'_>, v: libc::c_int) -> io::Result<()> {
    setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v)
}

/// `PACKET_RX_RING` with a `tpacket_req3`.
pub(crate) fn set_rx_ring(fd: BorrowedFd<'_>, req: &TpacketReq3) -> io::Result<()> {
    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, req)
}

/// `PACKET_AUXDATA`: a `tpacket_auxdata` control message with each recvmsg.
pub(crate) fn set_auxdata(fd: BorrowedFd<'_>) -> io::Result<()> {
    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &1 as &libc::c_int)
}

/// `SO_TIMESTAMPNS`: a nanosecond receive timestamp with each recvmsg.
pub(crate) fn set_timestamp_ns(fd: BorrowedFd<'_>) -> io::Result<()> {
    setsockopt(
        fd,
        libc::SOL_SOCKET,
        libc::SO_TIMESTAMPNS,
        &1 as &libc::c_int,
    )
}

/// `PACKET_IGNORE_OUTGOING`: the kernel does not queue frames this host sends.
pub(crate) fn set_ignore_outgoing(fd: BorrowedFd<'_>) -> io::Result<()> {
    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &1 as &libc::c_int)
}

/// `PACKET_FANOUT`: join fanout group `id` in `mode` (the socket must be bound).
pub(crate) fn set_fanout(fd: BorrowedFd<'_>, id: u16, mode: u32) -> io::Result<()> {
    let arg: u32 = u32::from(id) | (mode << 16);
    setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg)
}

/// `PACKET_ADD_MEMBERSHIP` with `PACKET_MR_PROMISC`: promiscuous mode that
/// the kernel undoes when the socket closes.
pub(crate) fn add_promisc(fd: BorrowedFd<'_>, ifindex: u32) -> io::Result<()> {
    let mreq = PacketMreq {
        mr_ifindex: ifindex as libc::c_int,
        mr_type: PACKET_MR_PROMISC,
        mr_alen: 0,
        mr_address: [0; 8],
    };
    setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq)
}

/// `PACKET_STATISTICS`: counters since the last call (reading resets them).
pub(crate) fn packet_stats(fd: BorrowedFd<'_>) -> io::Result<TpacketStatsV3> {
    let mut st = TpacketStatsV3::default();
    let mut len = core::mem::size_of::<TpacketStatsV3>() as libc::socklen_t;
    let p: *mut TpacketStatsV3 = &mut st;
    // SAFETY: `st` and `len` outlive the call; `len` says how many bytes `p` may take.
    cvt(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            SOL_PACKET,
            PACKET_STATISTICS,
            p.cast(),
            &mut len,
        )
    })?;
    Ok(st)
}

/// `bind` to `ifindex` (0: every interface) for ethertype `protocol` (host order).
pub(crate) fn bind_ll(fd: BorrowedFd<'_>, ifindex: u32, protocol: u16) -> io::Result<()> {
    let sll = libc::sockaddr_ll {
        sll_family: libc::AF_PACKET as libc::c_ushort,
        sll_protocol: protocol.to_be(),
        sll_ifindex: ifindex as libc::c_int,
        sll_hatype: 0,
        sll_pkttype: 0,
        sll_halen: 0,
        sll_addr: [0; 8],
    };
    let len = core::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
    let p: *const libc::sockaddr_ll = &sll;
    // SAFETY: `sll` is a complete sockaddr_ll alive across the call and `len` is its size.
    cvt(unsafe { libc::bind(fd.as_raw_fd(), p.cast(), len) })
}

/// `struct ifreq` as `SIOCGIFFLAGS` and `SIOCGIFHWADDR` use it: the name,
/// then a 24-byte union read as bytes (flags or `sa_family` in its first two).
#[repr(C)]
struct IfReq {
    ifr_name: [libc::c_char; libc::IFNAMSIZ],
    ifr_ifru: [u8; 24],
}

fn ifreq_ioctl(fd: BorrowedFd<'_>, name: &str, req: libc::Ioctl) -> io::Result<[u8; 24]> {
    let mut ifr = IfReq {
        ifr_name: [0; libc::IFNAMSIZ],
        ifr_ifru: [0; 24],
    };
    if name.len() >= libc::IFNAMSIZ || name.bytes().any(|b| b == 0) {
        return Err(io::Error::from_raw_os_error(libc::ENODEV));
    }
    for (d, s) in ifr.ifr_name.iter_mut().zip(name.bytes()) {
        *d = s as libc::c_char;
    }
    let p: *mut IfReq = &mut ifr;
    // SAFETY: `ifr` is a NUL-terminated name plus a union-sized buffer, alive
    // and exclusively borrowed across the call; these requests write only into it.
    cvt(unsafe { libc::ioctl(fd.as_raw_fd(), req, p) })?;
    Ok(ifr.ifr_ifru)
}

/// `SIOCGIFFLAGS`: the interface's `IFF_*` flags.
pub(crate) fn if_flags(fd: BorrowedFd<'_>, name: &str) -> io::Result<u32> {
    let u = ifreq_ioctl(fd, name, libc::SIOCGIFFLAGS)?;
    Ok(u32::from(u16::from_ne_bytes([u[0], u[1]])))
}

/// `SIOCGIFHWADDR`: the interface's `ARPHRD_*` type.
pub(crate) fn if_hatype(fd: BorrowedFd<'_>, name: &str) -> io::Result<u16> {
    let u = ifreq_ioctl(fd, name, libc::SIOCGIFHWADDR)?;
    Ok(u16::from_ne_bytes([u[0], u[1]]))
}

/// One frame read by [`recv_frame`].
#[derive(Debug, Default)]
pub(crate) struct Received {
    /// Bytes stored in the buffer.
    pub len: usize,
    /// `sll_ifindex`, `sll_pkttype`, `sll_hatype`, `sll_protocol` (host order), `sll_addr`.
    pub ifindex: u32,
    pub pkttype: u8,
    pub hatype: u16,
    pub protocol: u16,
    pub addr: [u8; 8],
    pub halen: usize,
    /// The `SO_TIMESTAMPNS` time, when the kernel sent one.
    pub ts_ns: Option<u64>,
    /// The `PACKET_AUXDATA` bytes, when the kernel sent them.
    pub aux: Option<Vec<u8>>,
}

/// `recvmsg(MSG_TRUNC | MSG_DONTWAIT)` of one frame into `buf`, with its
/// address and control messages. `Ok(None)` when nothing is queued.
pub(crate) fn recv_frame(
    fd: BorrowedFd<'_>,
    buf: &mut [u8],
    cmsg: &mut [u8],
) -> io::Result<Option<Received>> {
    use nix::sys::socket::{recvmsg, ControlMessageOwned, LinkAddr, MsgFlags};
    let cap = buf.len();
    let mut iov = [std::io::IoSliceMut::new(buf)];
    let flags = MsgFlags::MSG_TRUNC | MsgFlags::MSG_DONTWAIT;
    let msg = match recvmsg::<LinkAddr>(fd.as_raw_fd(), &mut iov, Some(cmsg), flags) {
        Ok(m) => m,
        Err(nix::errno::Errno::EAGAIN) | Err(nix::errno::Errno::EINTR) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let mut r = Received {
        len: msg.bytes.min(cap),
        ..Received::default()
    };
    if let Some(a) = msg.address {
        r.ifindex = a.ifindex() as u32;
        r.pkttype = a.pkttype();
        r.hatype = a.hatype();
        r.protocol = u16::from_be(a.protocol());
        r.halen = a.halen().min(8);
        r.addr[..6].copy_from_slice(&a.addr().unwrap_or_default());
    }
    if let Ok(cmsgs) = msg.cmsgs() {
        for c in cmsgs {
            match c {
                ControlMessageOwned::ScmTimestampns(ts) => {
                    r.ts_ns = Some(
                        (ts.tv_sec() as u64)
                            .wrapping_mul(1_000_000_000)
                            .wrapping_add(ts.tv_nsec() as u64),
                    );
                }
                ControlMessageOwned::Unknown(u)
                    if u.cmsg_header.cmsg_level == SOL_PACKET
                        && u.cmsg_header.cmsg_type == PACKET_AUXDATA =>
                {
                    r.aux = Some(u.data_bytes);
                }
                _ => {}
            }
        }
    }
    Ok(Some(r))
}

/// The system page size.
pub(crate) fn page_size() -> usize {
    match nix::unistd::sysconf(nix::unistd::SysconfVar::PAGE_SIZE) {
        Ok(Some(n)) if n > 0 => n as usize,
        _ => 4096,
    }
}

/// Waits up to `timeout_ms` for the socket to be readable. Returns the
/// revents (`POLLIN`, `POLLERR`, ...); an interrupted wait returns empty.
pub(crate) fn poll_in(fd: BorrowedFd<'_>, timeout_ms: u16) -> io::Result<nix::poll::PollFlags> {
    use nix::poll::{poll, PollFd, PollFlags};
    let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
    match poll(&mut fds, timeout_ms) {
        Ok(_) => Ok(fds[0].revents().unwrap_or(PollFlags::empty())),
        Err(nix::errno::Errno::EINTR) => Ok(PollFlags::empty()),
        Err(e) => Err(e.into()),
    }
}

/// The mapped TPACKET_V3 receive ring: `block_nr` blocks of `block_size` bytes.
///
/// Blocks are handed between kernel and user through each block's
/// `block_status` word, read with `Acquire` and written with `Release`.
/// `Drop` unmaps the ring.
#[derive(Debug)]
pub(crate) struct MappedRing {
    base: NonNull<u8>,
    block_size: usize,
    block_nr: usize,
}

// SAFETY: the mapping is owned by this value alone; moving it to another
// thread moves that ownership (the kernel side is per socket, not per thread).
unsafe impl Send for MappedRing {}

impl MappedRing {
    /// `mmap`s the ring set up with [`set_rx_ring`] on `fd`.
    pub(crate) fn map(fd: BorrowedFd<'_>, block_size: usize, block_nr: usize) -> io::Result<Self> {
        let len = block_size
            .checked_mul(block_nr)
            .filter(|&l| l > 0)
            .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        // SAFETY: a fresh shared mapping of the socket's ring at a kernel-chosen
        // address; no existing Rust object is affected.
        let p = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                fd.as_raw_fd(),
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let base =
            NonNull::new(p.cast::<u8>()).ok_or_else(|| io::Error::from(io::ErrorKind::Other))?;
        Ok(MappedRing {
            base,
            block_size,
            block_nr,
        })
    }

    /// The number of blocks.
    pub(crate) fn block_nr(&self) -> usize {
        self.block_nr
    }

    fn status(&self, i: usize) -> &AtomicU32 {
        let i = i % self.block_nr;
        // SAFETY: block i starts at i * block_size inside the mapping (i < block_nr);
        // `block_status` is the 4-aligned u32 at byte 8 of a page-aligned block, and
        // kernel and user only ever access it atomically.
        unsafe {
            &*self
                .base
                .as_ptr()
                .add(i * self.block_size + 8)
                .cast::<AtomicU32>()
        }
    }

    /// Whether block `i` belongs to user space (`TP_STATUS_USER`, read with Acquire).
    pub(crate) fn user_owns(&self, i: usize) -> bool {
        self.status(i).load(Ordering::Acquire) & super::ring::TP_STATUS_USER != 0
    }

    /// The bytes of block `i`, if user space owns it. The kernel does not
    /// write a block user space owns, so the slice is stable while borrowed;
    /// [`Self::hand_back`] needs `&mut self`, so no slice outlives the handover.
    pub(crate) fn block(&self, i: usize) -> Option<&[u8]> {
        if !self.user_owns(i) {
            return None;
        }
        let i = i % self.block_nr;
        // SAFETY: the range is block i of the live mapping, owned by user space
        // (checked above with Acquire), and stays so until hand_back(&mut self).
        Some(unsafe {
            core::slice::from_raw_parts(
                self.base.as_ptr().add(i * self.block_size),
                self.block_size,
            )
        })
    }

    /// Gives block `i` back to the kernel (`TP_STATUS_KERNEL`, written with Release).
    pub(crate) fn hand_back(&mut self, i: usize) {
        self.status(i)
            .store(super::ring::TP_STATUS_KERNEL, Ordering::Release);
    }
}

impl Drop for MappedRing {
    fn drop(&mut self) {
        // SAFETY: base/len are exactly the mapping made in `map`, and no borrow
        // of it can outlive `self`.
        unsafe {
            libc::munmap(self.base.as_ptr().cast(), self.block_size * self.block_nr);
        }
    }
}

/// A private read-only mapping of a whole regular file (mmap(2)); `Drop`
/// unmaps it. The bytes are only stable while nobody truncates or rewrites
/// the file, the usual caveat of reading a file through a mapping; a file
/// that shrinks does not kill the process with SIGBUS (see [`sigbus`]): the
/// pages past its new end read as zeros and [`MappedFile::truncated`] says so.
#[derive(Debug)]
pub(crate) struct MappedFile {
    base: NonNull<u8>,
    len: usize,
    /// This mapping's slot in [`sigbus`]'s table.
    slot: usize,
    /// The slot's "truncated" flag.
    truncated: &'static core::sync::atomic::AtomicBool,
}

// SAFETY: the mapping is read-only memory owned by this value (never written
// through `base`); sharing `&[u8]` views of it between threads, and moving it
// to another thread, is as safe as for a `Box<[u8]>`. madvise from several
// threads does not change what the bytes read as (see `advise`).
unsafe impl Send for MappedFile {}
// SAFETY: as for `Send` above: only shared reads and madvise hints.
unsafe impl Sync for MappedFile {}

impl MappedFile {
    /// Maps the first `len` bytes of the file open on `fd` (`len > 0`).
    pub(crate) fn map(fd: BorrowedFd<'_>, len: usize) -> io::Result<Self> {
        if len == 0 {
            return Err(io::Error::from(io::ErrorKind::InvalidInput));
        }
        // SAFETY: a fresh private read-only mapping at a kernel-chosen address;
        // no existing Rust object is affected.
        let p = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                fd.as_raw_fd(),
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let Some(base) = NonNull::new(p.cast::<u8>()) else {
            return Err(io::Error::from(io::ErrorKind::Other));
        };
        match sigbus::register(p as usize, len) {
            Some(slot) => Ok(MappedFile {
                base,
                len,
                slot,
                truncated: sigbus::flag(slot),
            }),
            None => {
                // SAFETY: p/len is the mapping just made; nothing borrows it yet.
                unsafe { libc::munmap(p, len) };
                Err(io::Error::other(
                    "too many mapped savefiles: read it as a stream",
                ))
            }
        }
    }

    /// Whether part of the file went away while mapped (it was truncated):
    /// the pages past its new end read as zeros since.
    #[inline]
    pub(crate) fn truncated(&self) -> bool {
        self.truncated.load(core::sync::atomic::Ordering::Acquire)
    }

    /// The mapped bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: base..base+len is the live read-only mapping, borrowed no
        // longer than `self`.
        unsafe { core::slice::from_raw_parts(self.base.as_ptr(), self.len) }
    }

    /// madvise(2) over the whole pages of `start..end`. A hint: errors
    /// (an old kernel without `MADV_POPULATE_READ`) are ignored.
    pub(crate) fn advise(&self, start: usize, end: usize, advice: Advice) {
        let page = page_size();
        let start = start.div_ceil(page) * page;
        let end = end.min(self.len) / page * page;
        if start >= end {
            return;
        }
        let advice = match advice {
            Advice::Sequential => libc::MADV_SEQUENTIAL,
            Advice::Populate => MADV_POPULATE_READ,
            Advice::Release => libc::MADV_DONTNEED,
        };
        // SAFETY: start..end lies inside the mapping and is page aligned; on a
        // private read-only file mapping none of these hints changes what the
        // bytes read as, so borrowed slices stay valid.
        unsafe {
            libc::madvise(self.base.as_ptr().add(start).cast(), end - start, advice);
        }
    }
}

/// Asks the CPU to start loading the cache line at `p` (a hint: it never
/// faults, whatever the address).
#[inline(always)]
pub(crate) fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE is part of the x86-64 baseline, and PREFETCHT0 only hints
    // the cache: it reads nothing architecturally and never faults.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// `MADV_POPULATE_READ` (Linux 5.14, `include/uapi/asm-generic/mman-common.h`).
const MADV_POPULATE_READ: libc::c_int = 22;

/// What [`MappedFile::advise`] tells the kernel about a range.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Advice {
    /// `MADV_SEQUENTIAL`: read ahead aggressively.
    Sequential,
    /// `MADV_POPULATE_READ`: map the pages now, in one call, instead of one
    /// fault at a time.
    Populate,
    /// `MADV_DONTNEED`: drop the page-table entries (the page cache keeps
    /// the data; a later read faults the same bytes back in), so the resident
    /// set stops growing with the file.
    Release,
}

impl Drop for MappedFile {
    fn drop(&mut self) {
        // Unregistered first: a fault at these addresses is no longer ours.
        sigbus::unregister(self.slot);
        // SAFETY: base/len are exactly the mapping made in `map` (with any
        // zero pages `sigbus` put inside it), and no borrow of it can outlive
        // `self`.
        unsafe {
            libc::munmap(self.base.as_ptr().cast(), self.len);
        }
    }
}

/// Survives a mapped savefile that shrinks while it is read (another
/// process truncates it, or `-w` recreates it): touching a page past the
/// new end raises SIGBUS, which kills the process by default (exit 135).
///
/// A process-wide SIGBUS handler, installed with the first mapping, looks
/// up the faulting address in a fixed table of live [`MappedFile`]
/// regions. Inside one, it maps an anonymous zero page over the faulting
/// page (`MAP_FIXED`), flags the region as truncated and returns: the read
/// runs again and sees zeros, and the reader, which checks
/// [`MappedFile::truncated`] before using a record, stops with an error.
/// Outside every region it puts back the handler that was there before
/// (Rust's stack-overflow reporter, or the default) and returns, so the
/// fault is handled as it would have been without us.
///
/// The handler only reads atomics and calls mmap(2) and sigaction(2)
/// (plain system calls on Linux), nothing that locks or allocates.
pub(crate) mod sigbus {
    use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Once, OnceLock};

    /// Live mappings at once; one more falls back to reading as a stream.
    const SLOTS: usize = 16;
    /// A free slot's `START`.
    const FREE: usize = 0;
    static START: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(FREE) }; SLOTS];
    static END: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
    static TRUNCATED: [AtomicBool; SLOTS] = [const { AtomicBool::new(false) }; SLOTS];
    static PAGE: AtomicUsize = AtomicUsize::new(4096);
    static INSTALL: Once = Once::new();
    /// The action before ours, put back for faults that are not ours.
    static PREVIOUS: OnceLock<libc::sigaction> = OnceLock::new();

    /// Takes a slot for `start..start + len` (the handler is installed the
    /// first time); `None` when every slot is taken.
    pub(crate) fn register(start: usize, len: usize) -> Option<usize> {
        INSTALL.call_once(install);
        PAGE.store(super::page_size(), Ordering::Relaxed);
        for slot in 0..SLOTS {
            if START[slot]
                .compare_exchange(FREE, start, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                TRUNCATED[slot].store(false, Ordering::Relaxed);
                END[slot].store(start + len, Ordering::Release);
                return Some(slot);
            }
        }
        None
    }

    /// Gives the slot back (before the region is unmapped).
    pub(crate) fn unregister(slot: usize) {
        END[slot].store(0, Ordering::Release);
        START[slot].store(FREE, Ordering::Release);
    }

    /// The flag the handler sets when it repairs a fault in `slot`'s region.
    pub(crate) fn flag(slot: usize) -> &'static AtomicBool {
        &TRUNCATED[slot]
    }

    fn install() {
        // SAFETY: a zeroed sigaction is a valid "no flags, empty mask"
        // value; it is filled in before use.
        let mut act: libc::sigaction = unsafe { core::mem::zeroed() };
        let h: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) = handler;
        act.sa_sigaction = h as usize;
        act.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        // SAFETY: the mask and `old` are plain values written by the calls;
        // `old` is read only after sigaction filled it in.
        unsafe {
            let mut old: libc::sigaction = core::mem::zeroed();
            libc::sigemptyset(&mut act.sa_mask);
            // The action before ours first, so the handler always finds it.
            if libc::sigaction(libc::SIGBUS, core::ptr::null(), &mut old) == 0 {
                let _ = PREVIOUS.set(old);
                libc::sigaction(libc::SIGBUS, &act, core::ptr::null_mut());
            }
        }
    }

    extern "C" fn handler(_sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
        // SAFETY: the kernel passes a valid siginfo for an SA_SIGINFO
        // handler; si_addr is the faulting address for SIGBUS.
        let addr = unsafe { (*info).si_addr() } as usize;
        let page = PAGE.load(Ordering::Relaxed);
        for slot in 0..SLOTS {
            let start = START[slot].load(Ordering::Acquire);
            let end = END[slot].load(Ordering::Acquire);
            if start != FREE && start <= addr && addr < end {
                let at = addr & !(page - 1);
                // SAFETY: `at..at + page` lies inside a live read-only
                // mapping owned by a MappedFile (its slot is registered until
                // just before munmap); replacing that page with zeros changes
                // what shared `&[u8]` views read, as a file rewrite would, but
                // never makes the memory invalid.
                let p = unsafe {
                    libc::mmap(
                        at as *mut libc::c_void,
                        page,
                        libc::PROT_READ,
                        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                        -1,
                        0,
                    )
                };
                if p != libc::MAP_FAILED {
                    TRUNCATED[slot].store(true, Ordering::Release);
                    return;
                }
            }
        }
        // Not ours (or the repair failed): the previous action takes the
        // re-raised fault.
        // SAFETY: PREVIOUS was set before this handler was installed and is
        // only read here (an atomic load and a copy); sigaction is
        // async-signal-safe.
        unsafe {
            let mut act: libc::sigaction = core::mem::zeroed();
            act.sa_sigaction = libc::SIG_DFL;
            if let Some(previous) = PREVIOUS.get() {
                act = *previous;
            }
            libc::sigaction(libc::SIGBUS, &act, core::ptr::null_mut());
        }
    }
}
