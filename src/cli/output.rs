//! Where packets go: a savefile (`-w`, pcap or pcapng, perhaps rotating:
//! see `savefiles`), text lines or JSON lines, or both with `--print`.
//! The live and offline modes only call this interface.

use super::clock::Local;
use super::config::{self, SaveFormat};
use super::names::Names;
use super::savefiles::{Layout, Out, Savefiles};
use super::stdio::Stdout;
use rawcap::decode::{json, text};
use rawcap::packet::Packet;
use rawcap::savefile::pcapng::{Interface, InterfaceStats};
use rawcap::savefile::{InvalidHeader, PcapWriter, Resolution};
use rawcap::LinkType;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

/// How packets are shown on stdout.
enum Show {
    Text {
        out: BufWriter<Stdout>,
        printer: Box<text::Printer>,
        line_buffered: bool,
        /// Lines not yet handed to `out` (up to [`TEXT_BATCH`] bytes).
        lines: String,
    },
    Json {
        out: BufWriter<Stdout>,
        line_buffered: bool,
    },
    /// `-w` without `--print`, or `--count`.
    Nothing,
}

/// Bytes of text lines collected before they go to stdout in one write.
const TEXT_BATCH: usize = 64 * 1024;

/// The sink every mode writes packets to, chosen from the flags.
pub struct Output {
    /// The link type of each interface's packets (one for a savefile
    /// read, one per `-i` for a capture).
    linktypes: Vec<LinkType>,
    count: u64,
    save: Option<Savefiles>,
    show: Show,
    /// Whether the savefile holds one link type (pcap).
    one_linktype: bool,
    /// The savefile itself failed (a full disk): its error already says what the file keeps.
    failed: bool,
    /// Frames read but not printed yet, when text lines show host names
    /// (the resolver stops waiting for names while it is high).
    backlog: Option<Arc<AtomicUsize>>,
}

/// From [`Output::plain_pcap`]: appends packets straight to the pcap writer.
pub struct PlainPcap<'a> {
    w: &'a mut PcapWriter<Out>,
    count: &'a mut u64,
}

impl PlainPcap<'_> {
    /// [`Output::packet`] for this case.
    ///
    /// # Errors
    /// When writing fails; pass the error to [`Output::save_failed`].
    #[inline]
    pub fn packet(&mut self, p: &Packet<'_>) -> io::Result<()> {
        *self.count += 1;
        self.w.write(p)
    }
}

/// One interface packets come from: its name (none for a savefile read)
/// and link type.
#[derive(Clone, Debug)]
pub struct Source {
    /// The interface's name.
    pub name: Option<String>,
    /// The link type of its packets.
    pub linktype: LinkType,
}

impl Output {
    /// Chooses the sinks from `-w`, `--print`, `--json`, `-n`, `-e`, `-x`,
    /// ... for frames of `linktype`.
    ///
    /// # Errors
    /// When a savefile cannot be created.
    pub fn new(cfg: &config::Output, linktype: LinkType, snaplen: u32) -> anyhow::Result<Self> {
        let one = Source {
            name: None,
            linktype,
        };
        Self::for_sources(cfg, &[one], snaplen)
    }

    /// [`Output::new`] for packets from several interfaces (a pcapng file
    /// describes each; a pcap file needs them to share one link type).
    ///
    /// # Errors
    /// When a savefile cannot be created, or is pcap and the sources have
    /// several link types.
    pub fn for_sources(
        cfg: &config::Output,
        sources: &[Source],
        snaplen: u32,
    ) -> anyhow::Result<Self> {
        // As stdio does for tcpdump: a terminal sees every line at once.
        let line_buffered = cfg.line_buffered || io::stdout().is_terminal();
        let save = match &cfg.write {
            Some(path) => {
                let layout = Layout {
                    format: cfg.format,
                    resolution: if cfg.nano {
                        Resolution::Nano
                    } else {
                        Resolution::Micro
                    },
                    interfaces: sources
                        .iter()
                        .map(|s| Interface {
                            name: s.name.clone(),
                            linktype: s.linktype,
                            snaplen,
                        })
                        .collect(),
                };
                Some(Savefiles::create(
                    path,
                    layout,
                    cfg.rotation.clone(),
                    cfg.packet_buffered,
                )?)
            }
            None => None,
        };
        let mut backlog = None;
        let show = if cfg.count_only || (save.is_some() && !cfg.print) {
            Show::Nothing
        } else if cfg.json {
            Show::Json {
                out: BufWriter::with_capacity(64 * 1024, Stdout),
                line_buffered,
            }
        } else {
            let mut printer = text::Printer::new(cfg.text);
            printer.set_utc_offset(Box::new(Local::system()));
            if !cfg.text.numeric {
                let waiting = Arc::new(AtomicUsize::new(0));
                let names = Names::system(Arc::clone(&waiting), cfg.no_domain);
                printer.set_host_names(Box::new(names));
                backlog = Some(waiting);
            }
            Show::Text {
                out: BufWriter::with_capacity(64 * 1024, Stdout),
                printer: Box::new(printer),
                lines: String::with_capacity(TEXT_BATCH + 4096),
                line_buffered,
            }
        };
        Ok(Output {
            linktypes: sources.iter().map(|s| s.linktype).collect(),
            count: 0,
            save,
            show,
            one_linktype: cfg.format == SaveFormat::Pcap,
            failed: false,
            backlog,
        })
    }

    /// When text lines show host names: the count of frames read but not
    /// printed yet, which a reader must keep up to date (see `names`).
    pub fn names_backlog(&self) -> Option<Arc<AtomicUsize>> {
        self.backlog.clone()
    }

    /// The savefile `-w` created, if any (not stdout).
    pub fn savefile(&self) -> Option<&File> {
        self.save.as_ref().and_then(Savefiles::file)
    }

    /// Changes the link type of the packets that follow (a pcapng file
    /// with interfaces of several link types).
    ///
    /// # Errors
    /// When writing a savefile, whose one interface has one link type.
    pub fn set_linktype(&mut self, linktype: LinkType) -> anyhow::Result<()> {
        if self.save.is_some() && linktype != self.linktypes[0] {
            anyhow::bail!(
                "a {} file holds one link type here: cannot write {} packets into a {} file",
                if self.one_linktype { "pcap" } else { "pcapng" },
                linktype.name(),
                self.linktypes[0].name()
            );
        }
        self.linktypes[0] = linktype;
        Ok(())
    }

    /// Writes or prints one packet.
    ///
    /// # Errors
    /// When writing fails (full disk, closed pipe).
    pub fn packet(&mut self, p: &Packet<'_>) -> anyhow::Result<()> {
        self.packet_on(p, 0)
    }

    /// Writes or prints one packet seen on source `source` (an index into
    /// the sources given to [`Output::for_sources`]).
    ///
    /// # Errors
    /// When writing fails (full disk, closed pipe), and
    /// [`super::savefiles::LimitReached`] when rotation ends the run.
    #[inline]
    pub fn packet_on(&mut self, p: &Packet<'_>, source: usize) -> anyhow::Result<()> {
        self.count += 1;
        if let Some(save) = &mut self.save {
            // A record tcpdump prints as invalid is copied as tcpdump copies
            // it (the writer stores a wire length below caplen as caplen).
            let r = save.write(p, source);
            if r.is_err() {
                self.failed = true;
                return r;
            }
        }
        if matches!(self.show, Show::Nothing) {
            return Ok(());
        }
        self.show(p, source)
    }

    /// The hot-loop form of [`Output::packet`] when all it would do is
    /// append the packet to one pcap file (`-w` without `--print`, `-C`,
    /// `-G`, `-U`; see [`Savefiles::plain_pcap`]): the same bytes, the same
    /// count, none of the per-packet dispatch. A write error must go to
    /// [`Output::save_failed`].
    pub fn plain_pcap(&mut self) -> Option<PlainPcap<'_>> {
        if !matches!(self.show, Show::Nothing) {
            return None;
        }
        let w = self.save.as_mut()?.plain_pcap()?;
        Some(PlainPcap {
            w,
            count: &mut self.count,
        })
    }

    /// What [`Output::packet`] returns when the savefile write failed with
    /// `e` (for [`PlainPcap::packet`]'s errors).
    #[cold]
    pub fn save_failed(&mut self, e: io::Error) -> anyhow::Error {
        self.failed = true;
        match &self.save {
            Some(save) => save.failed(e),
            None => e.into(),
        }
    }

    /// Prints one packet as text or JSON (not for [`Show::Nothing`]).
    fn show(&mut self, p: &Packet<'_>, source: usize) -> anyhow::Result<()> {
        let bad = InvalidHeader::check(p);
        let linktype = self.linktypes.get(source).copied().unwrap_or_default();
        match &mut self.show {
            Show::Text {
                out,
                printer,
                line_buffered,
                lines,
            } => {
                match bad {
                    None => printer.format_append(lines, linktype, p),
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
            Show::Json { out, line_buffered } => {
                writeln!(out, "{}", json::line(linktype, p))?;
                if *line_buffered {
                    out.flush()?;
                }
            }
            Show::Nothing => {}
        }
        Ok(())
    }

    /// Writes savefiles on a thread of their own from now on, unless each
    /// packet is flushed (`-U`); text and JSON are unchanged. A thread that
    /// cannot start leaves the writing where it was.
    pub fn write_in_background(&mut self) {
        if let Some(save) = &mut self.save {
            save.write_in_background();
        }
    }

    /// Flushes everything written so far (called on exit and on signals).
    ///
    /// # Errors
    /// When flushing fails.
    pub fn finish(&mut self) -> anyhow::Result<()> {
        self.finish_with(&[])
    }

    /// [`Output::finish`], writing pcapng statistics blocks for the
    /// sources whose counters are given.
    ///
    /// # Errors
    /// When writing or flushing fails.
    pub fn finish_with(&mut self, stats: &[Option<InterfaceStats>]) -> anyhow::Result<()> {
        let saved = match &mut self.save {
            Some(save) => save.finish(stats),
            None => Ok(()),
        };
        self.failed |= saved.is_err();
        match &mut self.show {
            Show::Text { out, lines, .. } => {
                out.write_all(lines.as_bytes())?;
                lines.clear();
                out.flush()?;
            }
            Show::Json { out, .. } => out.flush()?,
            Show::Nothing => {}
        }
        saved
    }

    /// `e`, which ended the run before the end of its input, with what the
    /// savefile being written keeps (call after [`Output::finish`]); a
    /// failure of the savefile itself already says so.
    pub fn with_what_was_kept(&self, e: anyhow::Error) -> anyhow::Error {
        match &self.save {
            Some(save) if !self.failed && save.file().is_some() => {
                let n = save.records();
                anyhow::anyhow!(
                    "{e:#}; {} keeps the {n} packet{} written before",
                    save.path().display(),
                    if n == 1 { "" } else { "s" }
                )
            }
            _ => e,
        }
    }

    /// The link type of the packets being written (of the first source).
    pub fn linktype(&self) -> LinkType {
        self.linktypes[0]
    }

    /// Packets written or printed so far.
    pub fn count(&self) -> u64 {
        self.count
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
