//! The offline mode: `-r FILE [-w OUT] [EXPRESSION]`. Reads a pcap or pcapng
//! file, runs the filter over each packet in userspace, and hands the
//! packets that pass to the output (text, JSON or another pcap file).

use super::output::{is_broken_pipe, Output};
use super::trace::ethertype_of;
use super::Args;
use anyhow::{bail, Context};
use rawcap::bpf::{vm, Program};
use rawcap::capture::MappedFile;
use rawcap::filter;
use rawcap::savefile::{PcapSlice, ReadError, Reader, Record, Records};
use rawcap::LinkType;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// Files at least this large get a progress line on a terminal.
const PROGRESS_MIN_BYTES: u64 = 64 << 20;

/// Bytes of a mapped savefile read between two releases of its pages (keeps
/// the resident set flat whatever the file size); the window after the next
/// one is mapped in one go each time.
const WINDOW: u64 = 8 << 20;

/// `path` mapped into memory, when it is a regular file that maps.
fn map_savefile(path: &Path) -> Option<MappedFile> {
    if path == Path::new("-") {
        return None;
    }
    let f = File::open(path).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    MappedFile::map(&f).ok()
}

/// Where the records come from: the mapped file (pcap), or a stream (pcapng,
/// stdin, files that do not map). An enum rather than `dyn Records` so the
/// per-packet calls are direct.
enum Source<'a> {
    Mapped(PcapSlice<'a>),
    Stream(FileReader),
}

impl Records for Source<'_> {
    fn peek_linktype(&mut self) -> Result<Option<u32>, ReadError> {
        match self {
            Source::Mapped(s) => s.peek_linktype(),
            Source::Stream(r) => r.peek_linktype(),
        }
    }
    fn snaplen(&self) -> Option<u32> {
        match self {
            Source::Mapped(s) => s.snaplen(),
            Source::Stream(r) => r.snaplen(),
        }
    }
    fn position(&self) -> u64 {
        match self {
            Source::Mapped(s) => s.position(),
            Source::Stream(r) => r.position(),
        }
    }
    fn next_record(&mut self) -> Result<Option<Record<'_>>, ReadError> {
        match self {
            Source::Mapped(s) => s.next_record(),
            Source::Stream(r) => r.next_record(),
        }
    }
}

/// A savefile reader over a file or stdin.
pub type FileReader = Reader<Box<dyn Read>>;

/// Opens a savefile (`-` is stdin); returns the reader and the file size.
///
/// # Errors
/// When the file cannot be opened or has no savefile header.
pub fn open_savefile(path: &Path) -> anyhow::Result<(FileReader, Option<u64>)> {
    let (src, size): (Box<dyn Read>, Option<u64>) = if path == Path::new("-") {
        (Box::new(io::stdin()), None)
    } else {
        let f = File::open(path).with_context(|| format!("{}", path.display()))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    let r = Reader::new(src).with_context(|| format!("{}", path.display()))?;
    Ok((r, size))
}

/// The filter program for `expr` on frames of `linktype` read from a file
/// (tcpdump compiles without Linux extensions for `-r`).
///
/// # Errors
/// When the expression does not compile; the message shows the expression
/// with carets under the offending part.
pub fn program_with(
    expr: &str,
    linktype: LinkType,
    snaplen: u32,
    optimize: bool,
) -> anyhow::Result<Program> {
    super::compile::program(
        expr,
        filter::Options {
            linktype,
            snaplen,
            optimize,
            // The VM runs libpcap's own program, protochain loop included.
            target: filter::Target::Userspace,
            ..filter::Options::default()
        },
    )
}

/// What a socket filter would see besides the bytes, for a frame of
/// `linktype` read from a file: the EtherType, and the link and network
/// header offsets.
pub fn filter_meta(linktype: LinkType, data: &[u8]) -> vm::Meta {
    let network_offset = match linktype {
        LinkType::Ethernet => 14,
        LinkType::LinuxSll => 16,
        LinkType::Null | LinkType::Loop => 4,
        LinkType::Raw => 0,
    };
    vm::Meta {
        protocol: ethertype_of(linktype, data),
        network_offset,
        mac_offset: Some(0),
        ..vm::Meta::default()
    }
}

/// Runs the offline mode.
pub fn run(args: &Args) -> anyhow::Result<i32> {
    let Some(path) = args.read.as_deref() else {
        bail!("no file to read (-r)");
    };
    let limit = match &args.count {
        Some(s) => Some(
            s.parse::<u64>()
                .with_context(|| format!("invalid count '{s}'"))?,
        ),
        None => None,
    };
    let expr = super::compile::expression(args)?;
    let mapped = map_savefile(path);
    let (mut reader, size) = match mapped.as_deref().and_then(PcapSlice::new) {
        Some(s) => (Source::Mapped(s), mapped.as_ref().map(|m| m.len() as u64)),
        None => {
            let (r, size) = open_savefile(path)?;
            (Source::Stream(r), size)
        }
    };
    let mut released = 0u64;
    if let Some(m) = &mapped {
        m.populate(0, 2 * WINDOW as usize);
    }
    let lt_num = reader
        .peek_linktype()
        .with_context(|| format!("{}", path.display()))?
        .unwrap_or(1);
    let linktype = LinkType::from_linktype(lt_num)
        .with_context(|| format!("{}: unsupported link type {lt_num}", path.display()))?;
    let snaplen = reader.snaplen().unwrap_or(0);
    let prog = vm::Decoded::new(&program_with(&expr, linktype, snaplen, !args.no_optimize)?);
    eprintln!(
        "reading from file {}, link-type {} ({}), snapshot length {snaplen}",
        path.display(),
        linktype.name(),
        linktype.description()
    );
    let mut out = Output::from_args(args, linktype, snaplen)?;
    let mut progress = Progress::new(size);
    let mut current = lt_num;
    let result = loop {
        if limit.is_some_and(|l| out.count() >= l) {
            break Ok(());
        }
        let rec = match reader.next_record() {
            Ok(Some(r)) => r,
            Ok(None) => break Ok(()),
            Err(e) => break Err(anyhow::Error::new(e).context(path.display().to_string())),
        };
        if rec.linktype != current {
            current = rec.linktype;
            match LinkType::from_linktype(current) {
                Some(lt) => out
                    .set_linktype(lt)
                    .with_context(|| path.display().to_string())?,
                None => bail!("{}: unsupported link type {current}", path.display()),
            }
        }
        let p = rec.packet;
        let len = p.data.len();
        let meta = filter_meta(out.linktype(), p.data);
        let verdict = prog.run(p.data, p.wire_len, &meta);
        if verdict != 0 {
            let cut = p.data.len().min(verdict as usize);
            let mut q = p;
            q.data = &p.data[..cut];
            if let Err(e) = out.packet(&q) {
                if is_broken_pipe(&e) {
                    return Ok(0);
                }
                return Err(e);
            }
        }
        let pos = reader.position();
        progress.tick(pos, len);
        if let Some(m) = mapped.as_ref().filter(|_| pos - released >= WINDOW) {
            m.release(released as usize, pos as usize);
            released = pos;
            m.populate((pos + WINDOW) as usize, (pos + 2 * WINDOW) as usize);
        }
    };
    progress.done();
    if let Err(e) = out.finish() {
        if !is_broken_pipe(&e) {
            return Err(e);
        }
    }
    result.map(|()| 0)
}

/// The progress line on stderr (packets, bytes, rate, percent of file).
struct Progress {
    size: u64,
    on: bool,
    start: Instant,
    last: Instant,
    packets: u64,
    bytes: u64,
}

impl Progress {
    fn new(size: Option<u64>) -> Self {
        let size = size.unwrap_or(0);
        let now = Instant::now();
        Progress {
            size,
            on: size >= PROGRESS_MIN_BYTES && io::stderr().is_terminal(),
            start: now,
            last: now,
            packets: 0,
            bytes: 0,
        }
    }

    fn tick(&mut self, pos: u64, len: usize) {
        self.packets += 1;
        self.bytes += len as u64;
        if !self.on || self.packets % 4096 != 0 {
            return;
        }
        let now = Instant::now();
        if now.duration_since(self.last) < Duration::from_millis(500) {
            return;
        }
        self.last = now;
        let secs = now.duration_since(self.start).as_secs_f64().max(1e-3);
        eprint!(
            "\r{} packets, {:.1} MB, {:.0} packets/s, {:.0}%   ",
            self.packets,
            self.bytes as f64 / 1e6,
            self.packets as f64 / secs,
            pos as f64 * 100.0 / self.size.max(1) as f64
        );
        let _ = io::stderr().flush();
    }

    fn done(&self) {
        if self.on {
            eprint!("\r\x1b[K");
        }
    }
}
