//! The floor `scripts/bench-offline.sh` measures rawcap against: map a
//! little-endian microsecond pcap file, walk its records and count the frames
//! that `tcp port 80` accepts, checked by hand (IPv4 without fragments, or
//! IPv6 with TCP as the first next header; the ports at the transport header).
//! No filter machine, no output, no error reporting beyond the file header.
//!
//! `cargo run --release --example mmap_walk -- FILE` prints the count.

use std::fs::File;
use std::os::fd::AsRawFd;

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn tcp_port_80(f: &[u8]) -> bool {
    let ports_at = |l4: usize| be16(f, l4) == Some(80) || be16(f, l4 + 2) == Some(80);
    match be16(f, 12) {
        Some(0x0800) => {
            f.get(23) == Some(&6)
                && be16(f, 20).is_some_and(|frag| frag & 0x1fff == 0)
                && ports_at(14 + usize::from(f[14] & 0xf) * 4)
        }
        Some(0x86dd) => f.get(20) == Some(&6) && ports_at(54),
        _ => false,
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: mmap_walk FILE")?;
    let file = File::open(path)?;
    let len = usize::try_from(file.metadata()?.len())?;
    if len < 24 {
        return Err("not a pcap file".into());
    }
    // SAFETY: a private read-only mapping of a file this process opened; the
    // slice lives only while the mapping does (unmapped at the end of main).
    let base = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ,
            libc::MAP_PRIVATE | libc::MAP_POPULATE,
            file.as_raw_fd(),
            0,
        )
    };
    if base == libc::MAP_FAILED {
        return Err(std::io::Error::last_os_error().into());
    }
    // SAFETY: `base` maps exactly `len` readable bytes (checked above).
    let map = unsafe { std::slice::from_raw_parts(base as *const u8, len) };
    let mut at = 24;
    let mut hits = 0u64;
    while at + 16 <= len {
        let caplen = u32::from_le_bytes([map[at + 8], map[at + 9], map[at + 10], map[at + 11]]);
        let start = at + 16;
        let end = start + caplen as usize;
        if end > len {
            break;
        }
        hits += u64::from(tcp_port_80(&map[start..end]));
        at = end;
    }
    println!("{hits}");
    // SAFETY: unmaps the mapping made above; `map` is not used after this.
    unsafe { libc::munmap(base, len) };
    Ok(())
}
