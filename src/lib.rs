//! rawcap: packet capture on Linux without libpcap.
#![deny(unsafe_code)]
#![warn(missing_docs)]
// Input never reaches an unwrap or expect in the library (tests and the binary may use them).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

extern crate alloc;

pub mod bpf;
#[cfg(feature = "capture")]
pub mod capture;
pub mod corpus;
#[cfg(feature = "decode")]
pub mod decode;
pub mod filter;
pub mod linktype;
pub mod packet;
pub mod savefile;

pub use linktype::LinkType;
