//! Where packets go: text lines, JSON lines, or a pcap file (owned by the
//! decode/savefile work; live and offline modes only call this interface).

use super::Args;
use rawcap::packet::Packet;
use rawcap::LinkType;

/// The sink every mode writes packets to, chosen from the flags.
pub struct Output {
    linktype: LinkType,
    count: u64,
}

impl Output {
    /// Chooses the sink from `-w`, `--json`, `-n`, `-e`, `-x`, ... for frames of `linktype`.
    ///
    /// # Errors
    /// When a savefile cannot be created.
    pub fn from_args(_args: &Args, linktype: LinkType, _snaplen: u32) -> anyhow::Result<Self> {
        Ok(Output { linktype, count: 0 })
    }

    /// Writes or prints one packet.
    ///
    /// # Errors
    /// When writing fails (full disk, closed pipe).
    pub fn packet(&mut self, p: &Packet<'_>) -> anyhow::Result<()> {
        self.count += 1;
        println!("{} {} {} bytes", p.ts_ns, self.linktype, p.wire_len);
        Ok(())
    }

    /// Flushes everything written so far (called on exit and on signals).
    ///
    /// # Errors
    /// When flushing fails.
    pub fn finish(&mut self) -> anyhow::Result<()> {
        Ok(())
    }

    /// Packets written or printed so far.
    pub fn count(&self) -> u64 {
        self.count
    }
}
