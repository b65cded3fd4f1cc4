//! Where packets go: text lines, JSON lines, or a pcap file (`-w`). The live
//! and offline modes only call this interface.

use super::config;
use super::stdio::{note, Stdout};
use anyhow::Context;
use rawcap::decode::{json, text};
use rawcap::packet::Packet;
use rawcap::savefile::{InvalidHeader, PcapWriter, Resolution};
use rawcap::LinkType;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

enum Sink {
    Pcap {
        writer: PcapWriter<Box<dyn Write + Send>>,
        /// The file (none for stdout), to cut back to whole records after a failed write.
        file: Option<File>,
        path: PathBuf,
        packet_buffered: bool,
    },
    Text {
        out: BufWriter<Stdout>,
        printer: text::Printer,
        line_buffered: bool,
        /// Lines not yet handed to `out` (up to [`TEXT_BATCH`] bytes).
        lines: String,
    },
    Json {
        out: BufWriter<Stdout>,
        line_buffered: bool,
    },
}

/// Bytes of text lines collected before they go to stdout in one write.
const TEXT_BATCH: usize = 64 * 1024;

/// The sink every mode writes packets to, chosen from the flags.
pub struct Output {
    linktype: LinkType,
    count: u64,
    sink: Sink,
    /// The sink itself failed (a full disk): its error already says what the file keeps.
    failed: bool,
    /// Records with headers tcpdump calls invalid, not copied into a savefile.
    invalid_skipped: u64,
}

impl Output {
    /// Chooses the sink from `-w`, `--json`, `-n`, `-e`, `-x`, ... for frames of `linktype`.
    ///
    /// # Errors
    /// When a savefile cannot be created.
    pub fn new(cfg: &config::Output, linktype: LinkType, snaplen: u32) -> anyhow::Result<Self> {
        // As stdio does for tcpdump: a terminal sees every line at once.
        let line_buffered = cfg.line_buffered || io::stdout().is_terminal();
        let sink = if let Some(path) = &cfg.write {
            let (out, file): (Box<dyn Write + Send>, _) = if path == Path::new("-") {
                (Box::new(io::stdout()), None)
            } else {
                let f = File::create(path)
                    .with_context(|| format!("{}: cannot create", path.display()))?;
                let handle = f
                    .try_clone()
                    .with_context(|| format!("{}: cannot create", path.display()))?;
                (Box::new(f), Some(handle))
            };
            let res = if cfg.nano {
                Resolution::Nano
            } else {
                Resolution::Micro
            };
            let to_stdout = file.is_none();
            let writer = PcapWriter::new(out, linktype, snaplen, res).map_err(|e| {
                if to_stdout && e.kind() == io::ErrorKind::BrokenPipe {
                    anyhow::Error::new(PipeClosed)
                } else {
                    anyhow::Error::new(e).context(format!("{}: cannot write", path.display()))
                }
            })?;
            Sink::Pcap {
                writer,
                file,
                path: path.clone(),
                packet_buffered: cfg.packet_buffered,
            }
        } else if cfg.json {
            Sink::Json {
                out: BufWriter::with_capacity(64 * 1024, Stdout),
                line_buffered,
            }
        } else {
            Sink::Text {
                out: BufWriter::with_capacity(64 * 1024, Stdout),
                printer: text::Printer::new(cfg.text),
                lines: String::with_capacity(TEXT_BATCH + 4096),
                line_buffered,
            }
        };
        Ok(Output {
            linktype,
            count: 0,
            sink,
            failed: false,
            invalid_skipped: 0,
        })
    }

    /// Changes the link type of the packets that follow (a pcapng file
    /// with interfaces of several link types).
    ///
    /// # Errors
    /// When writing a pcap file, which holds one link type only.
    pub fn set_linktype(&mut self, linktype: LinkType) -> anyhow::Result<()> {
        if matches!(self.sink, Sink::Pcap { .. }) && linktype != self.linktype {
            anyhow::bail!(
                "a pcap file holds one link type: cannot write {} packets into a {} file",
                linktype.name(),
                self.linktype.name()
            );
        }
        self.linktype = linktype;
        Ok(())
    }

    /// Writes or prints one packet.
    ///
    /// # Errors
    /// When writing fails (full disk, closed pipe).
    pub fn packet(&mut self, p: &Packet<'_>) -> anyhow::Result<()> {
        self.count += 1;
        let bad = InvalidHeader::check(p);
        if bad.is_some() && matches!(self.sink, Sink::Pcap { .. }) {
            // tcpdump would print it as invalid: not copied (said by `finish`).
            self.invalid_skipped += 1;
            return Ok(());
        }
        self.write(p, bad).inspect_err(|_| self.failed = true)
    }

    /// Hands `p` to the sink; `bad` (text only) prints tcpdump's
    /// `[Invalid header: ...]` line instead of decoding it.
    fn write(&mut self, p: &Packet<'_>, bad: Option<InvalidHeader>) -> anyhow::Result<()> {
        match &mut self.sink {
            Sink::Pcap {
                writer,
                file,
                path,
                packet_buffered,
            } => {
                let mut r = writer.write(p);
                if r.is_ok() && *packet_buffered {
                    r = writer.flush();
                }
                r.map_err(|e| savefile_failed(e, writer, file.as_ref(), path))?;
            }
            Sink::Text {
                out,
                printer,
                line_buffered,
                lines,
            } => {
                match bad {
                    None => printer.format_append(lines, self.linktype, p),
                    Some(bad) => {
                        use std::fmt::Write as _;
                        let _ = write!(lines, "{bad}");
                    }
                }
                lines.push('\n');
                if *line_buffered || lines.len() >= TEXT_BATCH {
                    out.write_all(lines.as_bytes())?;
                    lines.clear();
                }
                if *line_buffered {
                    out.flush()?;
                }
            }
            Sink::Json { out, line_buffered } => {
                writeln!(out, "{}", json::line(self.linktype, p))?;
                if *line_buffered {
                    out.flush()?;
                }
            }
        }
        Ok(())
    }

    /// Writes a pcap file on a thread of its own from now on (see
    /// [`PcapWriter::write_in_background`]), unless each packet is flushed
    /// (`-U`); other sinks are unchanged. A thread that cannot start leaves
    /// the writing where it was.
    pub fn write_in_background(&mut self) {
        if let Sink::Pcap {
            writer,
            packet_buffered: false,
            ..
        } = &mut self.sink
        {
            let _ = writer.write_in_background();
        }
    }

    /// Flushes everything written so far (called on exit and on signals).
    ///
    /// # Errors
    /// When flushing fails.
    pub fn finish(&mut self) -> anyhow::Result<()> {
        let r = self.flush_all();
        self.failed |= r.is_err();
        if let (Sink::Pcap { path, .. }, n @ 1..) = (&self.sink, self.invalid_skipped) {
            note!(
                "rawcap: {}: {n} record{} with invalid headers (tcpdump prints [Invalid header: ...]) not written",
                path.display(),
                if n == 1 { "" } else { "s" }
            );
            self.invalid_skipped = 0;
        }
        r
    }

    fn flush_all(&mut self) -> anyhow::Result<()> {
        match &mut self.sink {
            Sink::Pcap {
                writer, file, path, ..
            } => writer
                .flush()
                .map_err(|e| savefile_failed(e, writer, file.as_ref(), path))?,
            Sink::Text { out, lines, .. } => {
                out.write_all(lines.as_bytes())?;
                lines.clear();
                out.flush()?;
            }
            Sink::Json { out, .. } => out.flush()?,
        }
        Ok(())
    }

    /// `e`, which ended the run before the end of its input, with what the
    /// savefile being written keeps (call after [`Output::finish`]); a
    /// failure of the savefile itself already says so.
    pub fn with_what_was_kept(&self, e: anyhow::Error) -> anyhow::Error {
        match &self.sink {
            Sink::Pcap {
                writer,
                file: Some(_),
                path,
                ..
            } if !self.failed => {
                let n = writer.committed().records;
                anyhow::anyhow!(
                    "{e:#}; {} keeps the {n} packet{} written before",
                    path.display(),
                    if n == 1 { "" } else { "s" }
                )
            }
            _ => e,
        }
    }

    /// The link type of the packets being written.
    pub fn linktype(&self) -> LinkType {
        self.linktype
    }

    /// Packets written or printed so far.
    pub fn count(&self) -> u64 {
        self.count
    }
}

/// After a failed write (a full disk), cuts the file back to the last whole
/// record, so it stays a valid pcap file, and says what it holds.
fn savefile_failed<W: Write>(
    e: io::Error,
    writer: &PcapWriter<W>,
    file: Option<&File>,
    path: &Path,
) -> anyhow::Error {
    let Some(file) = file else {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return anyhow::Error::new(PipeClosed);
        }
        return anyhow::Error::new(e).context(path.display().to_string());
    };
    let kept = writer.committed();
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

/// The program reading the savefile rawcap writes to stdout (`-w -`) has
/// gone: the run ends quietly with status 0, as tcpdump's does.
#[derive(Debug, thiserror::Error)]
#[error("the reader of the savefile on stdout has gone")]
pub struct PipeClosed;

/// Whether `e` is [`PipeClosed`].
pub fn pipe_closed(e: &anyhow::Error) -> bool {
    e.is::<PipeClosed>()
}
