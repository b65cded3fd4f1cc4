//! rawcap: packet capture on Linux without libpcap.
//!
//! The library has three layers, usable on their own:
//!
//! - [`filter`] compiles tcpdump's filter language (pcap-filter(7)) to a
//!   classic BPF [`bpf::Program`] with libpcap 1.10's semantics; [`bpf`]
//!   validates programs by the kernel's rules, runs them in a userspace VM
//!   that returns what the kernel's socket filter returns, and prints them
//!   as `tcpdump -d/-dd/-ddd` does. Neither touches the OS: they build with
//!   `--no-default-features`.
//! - `capture` (feature `capture`, Linux): `AF_PACKET` sockets with the
//!   filter attached race-free, a `TPACKET_V3` ring, statistics, fanout.
//! - [`savefile`] reads pcap and pcapng and writes pcap; `decode` (feature
//!   `decode`) turns frames into tcpdump-style lines or JSON; `client`
//!   (feature `client`) is a plain TCP client exchange and its server.
//!
//! Embedding the compiler to filter your own socket's traffic:
//!
//! ```
//! use rawcap::{bpf, filter, LinkType};
//!
//! let prog = filter::compile("tcp port 80", &filter::Options::default()).unwrap();
//! bpf::validate(&prog).unwrap(); // what SO_ATTACH_FILTER will accept
//! assert_eq!(prog, bpf::programs::tcp_port_80()); // libpcap's program, instruction for instruction
//! let frame = [0u8; 60];
//! let meta = bpf::vm::Meta::for_frame(LinkType::Ethernet, &frame);
//! assert_eq!(bpf::Machine::new(&prog).run(&frame, 60, &meta), 0); // not TCP port 80
//! let err = filter::compile("tcp port 70000", &filter::Options::default()).unwrap_err();
//! assert_eq!(err.to_string(), "illegal port number 70000 > 65535\n  tcp port 70000\n           ^^^^^");
//! // Attach it: setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog.sock_fprog(), ...)
//! ```
//!
//! # Features
//!
//! `capture` (AF_PACKET capture: socket2, nix, libc) and `cli` (the
//! `rawcap` binary: `capture`, `client`, `decode`, clap, anyhow) are on by
//! default; `decode` (etherparse) and `client` can be had alone. With none,
//! the crate is [`filter`], [`bpf`], [`savefile`] and [`LinkType`], with no
//! OS-specific dependency.
#![deny(unsafe_code)]
#![warn(missing_docs)]
// Input never reaches an unwrap or expect in the library (tests and the binary may use them).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

extern crate alloc;

pub mod bpf;
#[cfg(feature = "capture")]
pub mod capture;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "decode")]
pub mod decode;
pub mod filter;
#[cfg(all(feature = "jit", target_arch = "x86_64", target_os = "linux"))]
pub mod jit;
pub mod linktype;
pub mod packet;
pub mod proto;
pub mod savefile;

pub use linktype::LinkType;

/// tcpdump's default and largest snapshot length (`MAXIMUM_SNAPLEN`, 256 KiB):
/// what a filter program returns to keep a whole packet, what a capture
/// keeps and a savefile header says unless told otherwise.
pub const SNAPLEN: u32 = 262_144;
