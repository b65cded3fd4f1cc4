//! pcap writer (pcap-savefile(5)).

use super::{MAX_SNAPLEN, PCAP_MAGIC_NSEC, PCAP_MAGIC_USEC};
use crate::packet::Packet;
use crate::LinkType;
use std::io::{self, Write};
use std::sync::mpsc;
use std::{mem, thread};

/// Timestamp resolution of a pcap file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Resolution {
    /// Microseconds (magic `a1b2c3d4`, what tcpdump writes by default).
    #[default]
    Micro,
    /// Nanoseconds (magic `a1b23c4d`, tcpdump's `--time-stamp-precision=nano`).
    Nano,
}

/// How records are laid out, for finding the whole ones in a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Framing {
    /// pcap: a 16-byte record header whose bytes 8..12 are the captured length.
    Pcap,
    /// pcapng: blocks whose bytes 4..8 are the whole block's length.
    Pcapng,
}

/// Bytes collected before they are handed to the underlying writer in one call.
const FLUSH_AT: usize = 1024 * 1024;

/// Writes pcap files: a 24-byte file header, then one record per packet,
/// little-endian.
///
/// Records are collected in a buffer and handed to the underlying writer
/// whole, so the file on disk always ends at a record boundary (as far as the
/// OS completes each write). When a write fails part way (a full disk),
/// [`PcapWriter::committed`] tells how many bytes and records the underlying
/// writer took whole, so the caller can cut a file back to that boundary.
///
/// [`PcapWriter::write_in_background`] moves the writing to a thread of its
/// own (one buffer in flight, the same guarantees; an error shows up at the
/// next hand-over or flush, with `committed` exact by then).
pub struct PcapWriter<W: Write> {
    out: Sink<W>,
    buf: Vec<u8>,
    /// Records in `buf`.
    buffered: u64,
    resolution: Resolution,
    snaplen: u32,
    records: u64,
    committed: Committed,
    framing: Framing,
    /// Bytes of the header and every record appended (what `ftell` says).
    appended: u64,
}

/// Where full buffers go.
enum Sink<W> {
    /// Written on the caller's thread.
    Direct(W),
    /// Written on a background thread.
    Background(Background<W>),
    /// The background thread has gone (it failed to start or panicked).
    Gone,
}

/// The writing thread and its two channels.
struct Background<W> {
    tx: mpsc::SyncSender<(Vec<u8>, u64)>,
    done: mpsc::Receiver<Written>,
    /// The thread; it hands the writer back when it ends.
    thread: thread::JoinHandle<Option<W>>,
    /// Whether a buffer is being written (whose [`Written`] is due).
    in_flight: bool,
    /// The buffer handed back last time, for the next records.
    spare: Option<Vec<u8>>,
}

/// What the background thread did with one buffer.
struct Written {
    /// The buffer, to reuse.
    buf: Vec<u8>,
    /// The whole records' bytes and count the writer took.
    bytes: usize,
    records: u64,
    result: io::Result<()>,
}

/// Writes `buf` (holding `records` records) to `out`; returns the bytes and
/// count of the whole records it took (even when it fails part way: only
/// then are the record headers walked) and how it went.
fn write_chunk<W: Write>(
    out: &mut W,
    buf: &[u8],
    records: u64,
    framing: Framing,
) -> (usize, u64, io::Result<()>) {
    let mut done = 0;
    let r = loop {
        let Some(rest) = buf.get(done..).filter(|r| !r.is_empty()) else {
            break Ok(());
        };
        match out.write(rest) {
            Ok(0) => break Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    if r.is_ok() {
        return (buf.len(), records, r);
    }
    let (bytes, records) = whole_records(framing, buf, done);
    (bytes, records, r)
}

/// The error for a background writer thread that is gone.
fn gone() -> io::Error {
    io::Error::other("the pcap writer thread has gone")
}

/// What the underlying writer has accepted as whole records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Committed {
    /// Bytes: the file header plus every whole record accepted.
    pub bytes: u64,
    /// Whole records accepted.
    pub records: u64,
}

impl<W: Write> PcapWriter<W> {
    /// Writes the file header for `linktype` and `snaplen` (0 means [`MAX_SNAPLEN`]).
    ///
    /// # Errors
    /// When writing the header fails.
    pub fn new(
        out: W,
        linktype: LinkType,
        snaplen: u32,
        resolution: Resolution,
    ) -> io::Result<Self> {
        Self::with_linktype_number(out, linktype.linktype(), snaplen, resolution)
    }

    /// Like [`PcapWriter::new`] with a raw `LINKTYPE_*` number (for link
    /// types rawcap does not decode).
    ///
    /// # Errors
    /// When writing the header fails.
    pub fn with_linktype_number(
        out: W,
        linktype: u32,
        snaplen: u32,
        resolution: Resolution,
    ) -> io::Result<Self> {
        let snaplen = if snaplen == 0 { MAX_SNAPLEN } else { snaplen };
        let magic = match resolution {
            Resolution::Micro => PCAP_MAGIC_USEC,
            Resolution::Nano => PCAP_MAGIC_NSEC,
        };
        let mut h = [0u8; 24];
        h[0..4].copy_from_slice(&magic.to_le_bytes());
        h[4..6].copy_from_slice(&2u16.to_le_bytes());
        h[6..8].copy_from_slice(&4u16.to_le_bytes());
        // 8..16: thiszone and sigfigs, always 0.
        h[16..20].copy_from_slice(&snaplen.to_le_bytes());
        h[20..24].copy_from_slice(&linktype.to_le_bytes());
        Self::with_header(out, &h, snaplen, resolution, Framing::Pcap)
    }

    /// Writes `header` (a file header, or pcapng's section header and
    /// interface blocks) and sets up for records of `framing`.
    pub(super) fn with_header(
        mut out: W,
        h: &[u8],
        snaplen: u32,
        resolution: Resolution,
        framing: Framing,
    ) -> io::Result<Self> {
        out.write_all(h)?;
        out.flush()?;
        Ok(PcapWriter {
            out: Sink::Direct(out),
            buf: Vec::with_capacity(FLUSH_AT + 16 + snaplen.min(MAX_SNAPLEN) as usize),
            buffered: 0,
            resolution,
            snaplen,
            records: 0,
            committed: Committed {
                bytes: h.len() as u64,
                records: 0,
            },
            framing,
            appended: h.len() as u64,
        })
    }

    /// Appends one record, cutting the data to the snapshot length. The
    /// wire length is stored as given, as libpcap's `pcap_dump` stores it,
    /// even where tcpdump calls the record invalid
    /// ([`super::InvalidHeader`]).
    ///
    /// # Errors
    /// When handing a full buffer to the underlying writer fails.
    pub fn write(&mut self, p: &Packet<'_>) -> io::Result<()> {
        let caplen = p.data.len().min(self.snaplen as usize);
        let secs = p.ts_ns / 1_000_000_000;
        let sub = p.ts_ns % 1_000_000_000;
        let frac = match self.resolution {
            Resolution::Micro => sub / 1000,
            Resolution::Nano => sub,
        };
        // pcap keeps 32-bit seconds; times past 2106 wrap as they do in libpcap.
        let mut h = [0u8; 16];
        h[0..4].copy_from_slice(&(secs as u32).to_le_bytes());
        h[4..8].copy_from_slice(&(frac as u32).to_le_bytes());
        h[8..12].copy_from_slice(&(caplen as u32).to_le_bytes());
        h[12..16].copy_from_slice(&p.wire_len.to_le_bytes());
        self.buf.reserve(16 + caplen);
        self.buf.extend_from_slice(&h);
        self.buf.extend_from_slice(&p.data[..caplen]);
        self.appended += 16 + caplen as u64;
        self.pushed()
    }

    /// Appends one whole record (a pcapng block) that `fill` writes.
    ///
    /// # Errors
    /// When handing a full buffer to the underlying writer fails.
    pub(super) fn push(&mut self, fill: impl FnOnce(&mut Vec<u8>)) -> io::Result<()> {
        let before = self.buf.len();
        fill(&mut self.buf);
        self.appended += (self.buf.len() - before) as u64;
        self.pushed()
    }

    /// The snapshot length records are cut to.
    pub(super) fn snaplen(&self) -> u32 {
        self.snaplen
    }

    /// Counts the record just appended; hands the buffer over when full.
    fn pushed(&mut self) -> io::Result<()> {
        self.records += 1;
        self.buffered += 1;
        if self.buf.len() >= FLUSH_AT {
            self.drain()?;
        }
        Ok(())
    }

    /// Hands the buffer over, counting how much of it the writer accepted
    /// even when it fails part way (in the background: once it is written).
    fn drain(&mut self) -> io::Result<()> {
        match &mut self.out {
            Sink::Direct(out) => {
                let (bytes, records, r) = write_chunk(out, &self.buf, self.buffered, self.framing);
                self.buffered = 0;
                self.commit(bytes, records);
                self.buf.clear();
                r
            }
            Sink::Background(_) => {
                self.wait()?;
                let Sink::Background(bg) = &mut self.out else {
                    return Err(gone());
                };
                if self.buf.is_empty() {
                    return Ok(());
                }
                let spare = bg
                    .spare
                    .take()
                    .unwrap_or_else(|| Vec::with_capacity(self.buf.capacity()));
                let full = mem::replace(&mut self.buf, spare);
                bg.tx.send((full, self.buffered)).map_err(|_| gone())?;
                self.buffered = 0;
                bg.in_flight = true;
                Ok(())
            }
            Sink::Gone => Err(gone()),
        }
    }

    /// Waits for the buffer being written in the background, if any, and
    /// counts what the writer took.
    fn wait(&mut self) -> io::Result<()> {
        let Sink::Background(bg) = &mut self.out else {
            return Ok(());
        };
        if !bg.in_flight {
            return Ok(());
        }
        bg.in_flight = false;
        let Ok(w) = bg.done.recv() else {
            self.out = Sink::Gone;
            return Err(gone());
        };
        let mut buf = w.buf;
        buf.clear();
        bg.spare = Some(buf);
        self.commit(w.bytes, w.records);
        w.result
    }

    fn commit(&mut self, bytes: usize, records: u64) {
        self.committed.bytes += bytes as u64;
        self.committed.records += records;
    }

    /// Hands every buffered record to the underlying writer and flushes it
    /// (in the background: and waits until that is done).
    ///
    /// # Errors
    /// When writing or flushing fails.
    pub fn flush(&mut self) -> io::Result<()> {
        self.drain()?;
        self.wait()?;
        match &mut self.out {
            Sink::Direct(out) => out.flush(),
            // The thread flushes after every buffer.
            Sink::Background(_) => Ok(()),
            Sink::Gone => Err(gone()),
        }
    }

    /// Bytes of the file header and every record appended so far,
    /// buffered or not: the file's length once flushed (tcpdump's `-C`
    /// compares it, as `pcap_dump_ftell`).
    pub fn bytes(&self) -> u64 {
        self.appended
    }

    /// Records written so far (including those still buffered).
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The header and whole records the underlying writer has accepted; after
    /// a failed write, the length to cut the file back to.
    pub fn committed(&self) -> Committed {
        self.committed
    }

    /// Flushes and returns the underlying writer.
    ///
    /// # Errors
    /// When the final flush fails.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush()?;
        match mem::replace(&mut self.out, Sink::Gone) {
            Sink::Direct(out) => Ok(out),
            Sink::Background(bg) => {
                drop(bg.tx);
                bg.thread.join().ok().flatten().ok_or_else(gone)
            }
            Sink::Gone => Err(gone()),
        }
    }
}

impl<W: Write> Drop for PcapWriter<W> {
    /// Lets a buffer being written in the background finish, so the file
    /// ends at a record boundary (records still buffered are dropped, as
    /// without the thread).
    fn drop(&mut self) {
        let _ = self.wait();
    }
}

impl<W: Write + Send + 'static> PcapWriter<W> {
    /// From now on, hands full buffers to a thread of its own that writes
    /// them (one at a time, so at most one buffer is in flight): the caller
    /// goes on collecting records meanwhile. Everything else stays the
    /// same, except that a failed write is reported by the next call that
    /// hands a buffer over or by [`PcapWriter::flush`]; [`PcapWriter::committed`]
    /// is exact when it is. As without the thread, records still buffered
    /// when the writer is dropped unflushed are not written (dropping waits
    /// for the buffer in flight).
    ///
    /// # Errors
    /// When the thread cannot be started (the writer then stays as it was).
    pub fn write_in_background(&mut self) -> io::Result<()> {
        if !matches!(self.out, Sink::Direct(_)) {
            return Ok(());
        }
        let (tx, rx) = mpsc::sync_channel::<(Vec<u8>, u64)>(1);
        let (done_tx, done) = mpsc::sync_channel::<Written>(1);
        let framing = self.framing;
        let (out_tx, out_rx) = mpsc::sync_channel::<W>(1);
        let thread = thread::Builder::new()
            .name("pcap-writer".into())
            .spawn(move || {
                let Ok(mut out) = out_rx.recv() else {
                    return None;
                };
                for (buf, n) in rx {
                    let (bytes, records, mut result) = write_chunk(&mut out, &buf, n, framing);
                    if result.is_ok() {
                        result = out.flush();
                    }
                    let w = Written {
                        buf,
                        bytes,
                        records,
                        result,
                    };
                    if done_tx.send(w).is_err() {
                        break;
                    }
                }
                Some(out)
            })?;
        let Sink::Direct(out) = mem::replace(&mut self.out, Sink::Gone) else {
            return Ok(());
        };
        if let Err(mpsc::SendError(out)) = out_tx.send(out) {
            self.out = Sink::Direct(out);
            return Err(gone());
        }
        self.out = Sink::Background(Background {
            tx,
            done,
            thread,
            in_flight: false,
            spare: None,
        });
        Ok(())
    }
}

/// The length and count of the whole records at the start of `buf[..len]`.
fn whole_records(framing: Framing, buf: &[u8], len: usize) -> (usize, u64) {
    let (mut at, mut n) = (0usize, 0u64);
    let (field, fixed) = match framing {
        Framing::Pcap => (8, 16),
        Framing::Pcapng => (4, 0),
    };
    while let Some(&[a, b, c, d]) = buf.get(at + field..at + field + 4) {
        let end = at + fixed + u32::from_le_bytes([a, b, c, d]) as usize;
        if end > len || end == at {
            break;
        }
        at = end;
        n += 1;
    }
    (at, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records every chunk handed to it.
    struct Chunks(Vec<usize>, Vec<u8>);
    impl Write for Chunks {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.push(b.len());
            self.1.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn only_whole_records_reach_the_file() {
        for background in [false, true] {
            whole_records_only(background);
        }
    }

    fn whole_records_only(background: bool) {
        let mut w = PcapWriter::new(
            Chunks(Vec::new(), Vec::new()),
            LinkType::Ethernet,
            100,
            Resolution::Nano,
        )
        .unwrap();
        if background {
            w.write_in_background().unwrap();
        }
        let data = vec![1u8; 1500];
        for i in 0..20_000u64 {
            w.write(&Packet::new(
                i * 1_000_000_007,
                &data[..(i % 300) as usize],
                1500,
            ))
            .unwrap();
        }
        assert_eq!(w.records(), 20_000);
        let c = w.into_inner().unwrap();
        // Every chunk boundary is a record boundary: walk the records.
        let mut boundaries = vec![24usize];
        let mut at = 24;
        while at < c.1.len() {
            let caplen = u32::from_le_bytes(c.1[at + 8..at + 12].try_into().unwrap()) as usize;
            assert!(caplen <= 100, "cut to the snaplen");
            at += 16 + caplen;
            boundaries.push(at);
        }
        assert_eq!(at, c.1.len());
        let mut sum = 0;
        for &len in &c.0 {
            sum += len;
            assert!(
                boundaries.contains(&sum),
                "a write ended inside a record at {sum}"
            );
        }
        assert!(c.0.len() > 2, "large buffered writes, not one per packet");
    }

    /// Appends to a buffer shared with the test.
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            let mut v = self.0.lock().map_err(|_| io::Error::other("poisoned"))?;
            // One byte short of the whole buffer, so every buffer takes two writes.
            let n = b.len().saturating_sub(1).max(1).min(b.len());
            v.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn dropping_a_background_writer_leaves_whole_records() {
        let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut w = PcapWriter::new(
            Shared(got.clone()),
            LinkType::Ethernet,
            0,
            Resolution::Micro,
        )
        .unwrap();
        w.write_in_background().unwrap();
        let data = vec![3u8; 700];
        for i in 0..2000u64 {
            w.write(&Packet::new(i, &data[..(i % 700) as usize], 700))
                .unwrap();
        }
        let committed = w.committed();
        drop(w);
        let got = got.lock().unwrap();
        assert!(got.len() as u64 >= committed.bytes);
        assert_eq!(
            whole_records(Framing::Pcap, &got[24..], got.len() - 24).0,
            got.len() - 24
        );
    }

    /// Takes `room` bytes in writes of at most 1000, then fails like a full disk.
    struct Full {
        room: usize,
        got: Vec<u8>,
    }
    impl Write for Full {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            let n = b.len().min(1000).min(self.room - self.got.len());
            if n == 0 {
                return Err(io::Error::from_raw_os_error(28));
            }
            self.got.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_full_disk_reports_the_whole_records_written() {
        for background in [false, true] {
            full_disk(background);
        }
    }

    fn full_disk(background: bool) {
        let full = Full {
            room: 100_000,
            got: Vec::new(),
        };
        let mut w = PcapWriter::new(full, LinkType::Ethernet, 0, Resolution::Micro).unwrap();
        if background {
            w.write_in_background().unwrap();
        }
        let data = vec![7u8; 990];
        let mut err = None;
        for i in 0..3000u64 {
            if let Err(e) = w.write(&Packet::new(i, &data, 990)) {
                err = Some(e);
                break;
            }
        }
        assert_eq!(err.unwrap().raw_os_error(), Some(28));
        // 100_000 bytes taken: the header and 99 whole records of 1006 bytes.
        let c = w.committed();
        assert_eq!(c.records, 99);
        assert_eq!(c.bytes, 24 + 99 * 1006);
        if let Sink::Direct(full) = &w.out {
            assert!(
                full.got.len() > c.bytes as usize,
                "a partial record was written"
            );
        }
        // Nothing more fits.
        let _ = w.flush();
        assert_eq!(w.committed(), c);
    }
}
