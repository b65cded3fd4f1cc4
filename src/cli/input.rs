//! Opening a savefile for the modes that read one (`-r`, `-r -d`,
//! `trace`): through a mapping when it is a regular pcap file, as a stream
//! otherwise; its link type checked against `-y`.

use anyhow::{bail, Context};
use rawcap::capture::MappedFile;
use rawcap::savefile::{PcapSlice, ReadError, Reader, Record, Records};
use rawcap::LinkType;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// `path` mapped into memory, when it is a regular file that maps.
pub fn map_savefile(path: &Path) -> Option<MappedFile> {
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
pub enum Source<'a> {
    /// A pcap file read through its mapping.
    Mapped(PcapSlice<'a>),
    /// pcapng, stdin, or a file that does not map.
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

/// Opens `path` for reading: the mapped pcap file when `mapped` holds one,
/// else a stream. Returns the source and the file size when known.
///
/// # Errors
/// When the file cannot be opened or has no savefile header.
pub fn open<'a>(
    path: &Path,
    mapped: Option<&'a MappedFile>,
) -> anyhow::Result<(Source<'a>, Option<u64>)> {
    match mapped.and_then(|m| PcapSlice::new(m).map(|s| (s, m.len() as u64))) {
        Some((s, len)) => Ok((Source::Mapped(s), Some(len))),
        None => {
            let (r, size) = open_savefile(path)?;
            Ok((Source::Stream(r), size))
        }
    }
}

/// The link type and snapshot length of the first records of `source`
/// (read from `path`); `-y` (`wanted`), when given, must be that link type.
///
/// # Errors
/// When the file cannot be read, its link type is unknown to rawcap, or
/// `-y` names another one.
pub fn linktype_of<R: Records>(
    source: &mut R,
    path: &Path,
    wanted: Option<LinkType>,
) -> anyhow::Result<(LinkType, u32)> {
    let n = source
        .peek_linktype()
        .with_context(|| format!("{}", path.display()))?
        .unwrap_or(1);
    let linktype = LinkType::from_linktype(n)
        .with_context(|| format!("{}: unsupported link type {n}", path.display()))?;
    if let Some(w) = wanted.filter(|&w| w != linktype) {
        bail!(
            "-y {}: {} has link type {}; -y applies to captures (-i)",
            w.name(),
            path.display(),
            linktype.name()
        );
    }
    // libpcap's reading: a snapshot length of 0 means the largest.
    let snaplen = match source.snaplen().unwrap_or(0) {
        0 => rawcap::SNAPLEN,
        n => n,
    };
    Ok((linktype, snaplen))
}

/// Refuses `-w OUT` when OUT is the savefile being read (`-r`, `-` for
/// stdin): the same file through any name (a symlink, a hard link), found
/// by device and inode before anything is opened for writing. Writing would
/// empty the file being read (tcpdump does that).
///
/// # Errors
/// When both name the same file.
pub fn refuse_writing_onto(read: &Path, write: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt;
    if write == Path::new("-") {
        return Ok(());
    }
    let read_meta = if read == Path::new("-") {
        std::fs::metadata("/dev/stdin")
    } else {
        std::fs::metadata(read)
    };
    let (Ok(r), Ok(w)) = (read_meta, std::fs::metadata(write)) else {
        return Ok(());
    };
    if r.is_file() && (r.dev(), r.ino()) == (w.dev(), w.ino()) {
        bail!(
            "{}: -w names the file being read (-r {}); write to another file",
            write.display(),
            read.display()
        );
    }
    Ok(())
}
