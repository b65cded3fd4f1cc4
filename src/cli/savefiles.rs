//! The savefile side of the output (`-w`): pcap or pcapng, one file or
//! tcpdump's rotation.
//!
//! Rotation follows tcpdump.c (`dump_packet_and_trunc`, `MakeFilename`):
//! - `-C SIZE`: before each packet, when the current file is already larger
//!   than SIZE million bytes, it is closed and the next opened, named
//!   `NAME1`, `NAME2`, ... (the first is plain `NAME`); with `-W N` the
//!   numbers are padded to the digits of N-1 and wrap to 0, so the oldest
//!   file is reused.
//! - `-G SECONDS`: before each packet, when SECONDS have passed since the
//!   current file was opened, a new one is opened; NAME goes through
//!   strftime(3) in local time. With `-C` too, the size count restarts at
//!   0 in each period. With `-W N` and no `-C`, the N-th rotation ends the
//!   run ("Maximum file limit reached: N").
//! - `-z COMMAND`: `COMMAND FILE` runs on each file a rotation closes (not
//!   on the last one, as tcpdump).
//!
//! Each file is a complete savefile: its own header (pcapng: section and
//! interface blocks), whole records only; a packet is never split across
//! files. With `-Z`, every rotated file is created by the -Z user, the first
//! one too (live.rs drops privileges before creating it), as tcpdump 4.99.3
//! does: where only root may write, both stop at once.

use super::clock::Local;
use super::config::{Rotation, SaveFormat};
use super::output::PipeClosed;
use super::stdio::note;
use anyhow::Context;
use rawcap::packet::Packet;
use rawcap::savefile::pcapng::{Interface, InterfaceStats, Section};
use rawcap::savefile::{Committed, PcapWriter, PcapngWriter, Resolution};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

/// `-G` with `-W` and no `-C`: the file limit is reached and the capture
/// ends (tcpdump exits 0 after its statistics).
#[derive(Debug, thiserror::Error)]
#[error("Maximum file limit reached: {0}")]
pub struct LimitReached(pub u32);

/// Where a savefile's bytes go (a file, stdout, a pipe).
pub(super) type Out = Box<dyn Write + Send>;

enum Writer {
    Pcap(PcapWriter<Out>),
    Pcapng(PcapngWriter<Out>),
    /// Between closing one file and opening the next.
    Closed,
}

fn closed() -> io::Error {
    io::Error::other("no savefile is open")
}

impl Writer {
    #[inline]
    fn write(&mut self, p: &Packet<'_>, interface: usize) -> io::Result<()> {
        match self {
            Writer::Pcap(w) => w.write(p),
            Writer::Pcapng(w) => w.write(p, interface),
            Writer::Closed => Err(closed()),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Writer::Pcap(w) => w.flush(),
            Writer::Pcapng(w) => w.flush(),
            Writer::Closed => Ok(()),
        }
    }
    fn bytes(&self) -> u64 {
        match self {
            Writer::Pcap(w) => w.bytes(),
            Writer::Pcapng(w) => w.bytes(),
            Writer::Closed => 0,
        }
    }
    fn committed(&self) -> Committed {
        match self {
            Writer::Pcap(w) => w.committed(),
            Writer::Pcapng(w) => w.committed(),
            Writer::Closed => Committed::default(),
        }
    }
    fn write_in_background(&mut self) {
        let _ = match self {
            Writer::Pcap(w) => w.write_in_background(),
            Writer::Pcapng(w) => w.write_in_background(),
            Writer::Closed => Ok(()),
        };
    }
}

/// What every file of a run is made of.
#[derive(Clone, Debug)]
pub struct Layout {
    /// pcap or pcapng.
    pub format: SaveFormat,
    /// Microsecond or nanosecond time stamps.
    pub resolution: Resolution,
    /// The interfaces (pcap: exactly one link type).
    pub interfaces: Vec<Interface>,
}

/// The open savefile and, with rotation, how to make the next.
pub struct Savefiles {
    /// `-w` as given (a strftime pattern with -G).
    base: PathBuf,
    layout: Layout,
    packet_buffered: bool,
    background: bool,
    rotation: Option<Rotation>,
    writer: Writer,
    /// The current file (none for stdout).
    #[allow(dead_code)] // for -Z's fchown (helper "any")
    file: Option<File>,
    /// The current file's name.
    path: PathBuf,
    /// `-C` files opened in this `-G` period (tcpdump's Cflag_count).
    c_count: u32,
    /// `-G` rotations so far (tcpdump's Gflag_count).
    g_count: u32,
    /// When the current `-G` period started (Unix seconds).
    g_time: i64,
    /// Digits of the file number (tcpdump's WflagChars).
    digits: usize,
    /// The local zone for `-G` names; only looked up with `-G` (jiff lists
    /// the whole zoneinfo tree to find it, ~3M instructions at start-up).
    clock: Option<Local>,
    /// `-z` commands still running.
    children: Vec<Child>,
}

/// Seconds since the epoch now (tcpdump's `time(NULL)`).
fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// What the section header says: the machine, the kernel, rawcap.
fn section() -> Section {
    let read = |f: &str| {
        std::fs::read_to_string(Path::new("/proc/sys/kernel").join(f))
            .ok()
            .map(|s| s.trim().to_string())
    };
    let os = match (read("ostype"), read("osrelease")) {
        (Some(t), Some(r)) => Some(format!("{t} {r}")),
        (t, r) => t.or(r),
    };
    Section {
        hardware: Some(std::env::consts::ARCH.to_string()),
        os,
        application: Some(format!("rawcap {}", env!("CARGO_PKG_VERSION"))),
    }
}

/// tcpdump's `getWflagChars`: the digits of `count - 1`.
fn digits_for(count: u32) -> usize {
    let mut x = count.saturating_sub(1);
    let mut c = 0;
    while x > 0 {
        c += 1;
        x /= 10;
    }
    c
}

impl Savefiles {
    /// Creates the first file.
    ///
    /// # Errors
    /// When the file cannot be created or its header written; for pcap,
    /// when the interfaces have more than one link type.
    pub fn create(
        base: &Path,
        layout: Layout,
        rotation: Option<Rotation>,
        packet_buffered: bool,
    ) -> anyhow::Result<Self> {
        if layout.format == SaveFormat::Pcap {
            if let Some(other) = layout
                .interfaces
                .iter()
                .find(|i| i.linktype != layout.interfaces[0].linktype)
            {
                anyhow::bail!(
                    "a pcap file holds one link type, and these interfaces deliver {} and {}: \
                     write pcapng (--pcapng or a -w name ending in .pcapng)",
                    layout.interfaces[0].linktype.name(),
                    other.linktype.name()
                );
            }
        }
        if base.as_os_str().is_empty() {
            anyhow::bail!("an empty string is not a valid file name");
        }
        let digits = rotation
            .as_ref()
            .and_then(|r| r.count)
            .map_or(0, digits_for);
        let clock = rotation
            .as_ref()
            .is_some_and(|r| r.seconds.is_some())
            .then(Local::system);
        let g_time = now_secs();
        let mut s = Savefiles {
            base: base.to_path_buf(),
            layout,
            packet_buffered,
            background: false,
            rotation,
            writer: Writer::Closed,
            file: None,
            path: PathBuf::new(),
            c_count: 0,
            g_count: 0,
            g_time,
            digits,
            clock,
            children: Vec::new(),
        };
        let first = s.name(0, s.sized_digits())?;
        s.open(first)?;
        Ok(s)
    }

    /// The digits `-C` numbering uses (0 without -C: plain names).
    fn sized_digits(&self) -> usize {
        match &self.rotation {
            Some(r) if r.size.is_some() => self.digits,
            _ => 0,
        }
    }

    /// tcpdump's `MakeFilename`: strftime with -G, then the number padded
    /// to `digits` (none for file 0 without padding).
    fn name(&self, count: u32, digits: usize) -> anyhow::Result<PathBuf> {
        let mut name = self.base.as_os_str().to_os_string();
        if let Some(clock) = &self.clock {
            let pattern = self.base.to_string_lossy();
            name = clock.strftime(&pattern, self.g_time)?.into();
        }
        if count != 0 || digits != 0 {
            name.push(format!("{count:0digits$}"));
        }
        Ok(name.into())
    }

    /// Creates `path` and writes its header.
    fn open(&mut self, path: PathBuf) -> anyhow::Result<()> {
        let (out, file): (Out, _) = if path == Path::new("-") {
            (Box::new(io::stdout()), None)
        } else {
            let f = File::create(&path)
                .with_context(|| format!("{}: cannot create", path.display()))?;
            let handle = f
                .try_clone()
                .with_context(|| format!("{}: cannot create", path.display()))?;
            (Box::new(f), Some(handle))
        };
        let to_stdout = file.is_none();
        let l = &self.layout;
        let made = match l.format {
            SaveFormat::Pcap => PcapWriter::new(
                out,
                l.interfaces[0].linktype,
                l.interfaces[0].snaplen,
                l.resolution,
            )
            .map(Writer::Pcap),
            SaveFormat::Pcapng => {
                PcapngWriter::new(out, &section(), &l.interfaces, l.resolution).map(Writer::Pcapng)
            }
        };
        let mut writer = made.map_err(|e| {
            if to_stdout && e.kind() == io::ErrorKind::BrokenPipe {
                anyhow::Error::new(PipeClosed)
            } else {
                anyhow::Error::new(e).context(format!("{}: cannot write", path.display()))
            }
        })?;
        if self.background {
            writer.write_in_background();
        }
        self.writer = writer;
        self.file = file;
        self.path = path;
        Ok(())
    }

    /// Writes one packet seen on interface `interface`, opening the next
    /// file first when rotation says so.
    ///
    /// # Errors
    /// [`LimitReached`] when `-G` and `-W` end the run; when writing or
    /// creating a file fails (a full disk: the file is cut back to its
    /// whole records and the message says what it keeps).
    #[inline]
    pub fn write(&mut self, p: &Packet<'_>, interface: usize) -> anyhow::Result<()> {
        if self.rotation.is_some() {
            self.rotate_if_due()?;
        }
        let mut res = self.writer.write(p, interface);
        if res.is_ok() && self.packet_buffered {
            res = self.writer.flush();
        }
        match res {
            Ok(()) => Ok(()),
            Err(e) => Err(self.failed(e)),
        }
    }

    /// The pcap writer itself when a packet needs nothing but appending to
    /// it (pcap format, no `-C`/`-G`, no `-U`), so a hot loop can skip
    /// [`Savefiles::write`]; a write error goes back through
    /// [`Savefiles::failed`].
    pub fn plain_pcap(&mut self) -> Option<&mut PcapWriter<Out>> {
        match (&self.rotation, self.packet_buffered, &mut self.writer) {
            (None, false, Writer::Pcap(w)) => Some(w),
            _ => None,
        }
    }

    /// `-C`/`-G`: closes the current file and opens the next when due.
    fn rotate_if_due(&mut self) -> anyhow::Result<()> {
        match self.rotation.clone() {
            Some(r) => self.rotate(&r),
            None => Ok(()),
        }
    }

    fn rotate(&mut self, r: &Rotation) -> anyhow::Result<()> {
        if let Some(g) = r.seconds {
            let t = now_secs();
            if t - self.g_time >= g as i64 {
                self.g_time = t;
                self.g_count += 1;
                self.close_current()?;
                if r.size.is_none() {
                    if let Some(w) = r.count.filter(|&w| self.g_count >= w) {
                        return Err(LimitReached(w).into());
                    }
                }
                self.c_count = 0;
                let next = self.name(0, self.sized_digits())?;
                self.open(next)?;
            }
        }
        if let Some(size) = r.size {
            if self.writer.bytes() > size {
                self.close_current()?;
                self.c_count += 1;
                if r.count.is_some_and(|w| self.c_count >= w) {
                    self.c_count = 0;
                }
                let next = self.name(self.c_count, self.digits)?;
                self.open(next)?;
            }
        }
        Ok(())
    }

    /// Flushes and closes the current file, then runs `-z` on it.
    fn close_current(&mut self) -> anyhow::Result<()> {
        self.writer.flush().map_err(|e| self.failed(e))?;
        // Dropping the writer closes the file.
        self.writer = Writer::Closed;
        self.file = None;
        self.children
            .retain_mut(|c| !matches!(c.try_wait(), Ok(Some(_))));
        if let Some(cmd) = self.rotation.as_ref().and_then(|r| r.postrotate.as_ref()) {
            match Command::new(cmd).arg(&self.path).spawn() {
                Ok(child) => self.children.push(child),
                Err(e) => note!(
                    "compress_savefile: execlp({cmd}, {}) failed: {e}",
                    self.path.display()
                ),
            }
        }
        Ok(())
    }

    /// Writes full buffers on a thread of their own (unless each packet is
    /// flushed, `-U`), for this file and the next ones.
    pub fn write_in_background(&mut self) {
        if !self.packet_buffered {
            self.background = true;
            self.writer.write_in_background();
        }
    }

    /// Writes pcapng statistics blocks (one per interface with counters),
    /// then flushes.
    ///
    /// # Errors
    /// When writing or flushing fails.
    pub fn finish(&mut self, stats: &[Option<InterfaceStats>]) -> anyhow::Result<()> {
        if let Writer::Pcapng(w) = &mut self.writer {
            for (i, s) in stats.iter().enumerate() {
                if let Some(s) = s {
                    if let Err(e) = w.write_stats(i, s) {
                        return Err(self.failed(e));
                    }
                }
            }
        }
        self.writer.flush().map_err(|e| self.failed(e))
    }

    /// The current file (none for stdout).
    pub fn file(&self) -> Option<&File> {
        self.file.as_ref()
    }

    /// The current file's name.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whole records the current file took (packets and statistics blocks).
    pub fn records(&self) -> u64 {
        self.writer.committed().records
    }

    /// After a failed write (a full disk), cuts the file back to the last
    /// whole record, so it stays a valid savefile, and says what it holds.
    #[cold]
    #[inline(never)]
    pub(super) fn failed(&self, e: io::Error) -> anyhow::Error {
        let path = &self.path;
        let Some(file) = &self.file else {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return anyhow::Error::new(PipeClosed);
            }
            return anyhow::Error::new(e).context(path.display().to_string());
        };
        let kept = self.writer.committed();
        match file.set_len(kept.bytes) {
            Ok(()) => anyhow::anyhow!(
                "{}: {e}; the file keeps the first {} packets ({} bytes)",
                path.display(),
                kept.records,
                kept.bytes
            ),
            Err(cut) => anyhow::anyhow!(
                "{}: {e}; cutting it back to its last whole record failed: {cut}",
                path.display()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_number_digits_as_tcpdump() {
        for (w, d) in [(1, 0), (2, 1), (10, 1), (11, 2), (100, 2), (101, 3)] {
            assert_eq!(digits_for(w), d, "-W {w}");
        }
    }
}
