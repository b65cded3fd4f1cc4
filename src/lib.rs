//! rawcap: packet capture on Linux without libpcap.
#![deny(unsafe_code)]
#![warn(missing_docs)]

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
