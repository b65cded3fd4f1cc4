//! The offline mode: `-r FILE [-w OUT] [EXPRESSION]`. Reads a pcap or pcapng
//! file, runs the filter over each packet in userspace, and hands the
//! packets that pass to the output (text, JSON or another pcap file).

use super::compile;
use super::config::Offline;
use super::input::{self, Source};
use super::output::{self, Output};
use super::stdio::{self, note};
use anyhow::Context;
use rawcap::bpf::{skf, vm, Machine, Op, Program};
use rawcap::capture::MappedFile;
use rawcap::savefile::{PcapSlice, RawRecord, ReadError, Records, RecordsAt, Walk};
use rawcap::LinkType;
use std::io::{self, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Files at least this large get a progress line on a terminal.
const PROGRESS_MIN_BYTES: u64 = 64 << 20;

/// Packets read between two looks at the clock for the progress line.
const PROGRESS_EVERY: u64 = 4096;

/// "reading from file F, link-type ...", tcpdump's first line on stderr.
pub fn say_reading(path: &Path, linktype: LinkType, snaplen: u32) {
    note!(
        "reading from file {}, link-type {} ({}), snapshot length {snaplen}",
        path.display(),
        linktype.name(),
        linktype.description()
    );
}

/// Runs the offline mode: `-r FILE`, or each file `-V` names in turn
/// into one output (the filter recompiled when the link type changes; a
/// savefile keeps the first file's).
pub fn run(cfg: &Offline) -> anyhow::Result<i32> {
    if let Some(w) = &cfg.output.write {
        for path in std::iter::once(&cfg.path).chain(&cfg.next_paths) {
            input::refuse_writing_onto(path, w)?;
        }
    }
    let mut out = None;
    let mut read = Ok(true);
    for path in std::iter::once(&cfg.path).chain(&cfg.next_paths) {
        read = read_file(cfg, path, &mut out);
        if !matches!(read, Ok(true)) {
            break;
        }
    }
    let Some(mut out) = out else {
        return read.map(|_| 0);
    };
    let finished = out.finish();
    match (read, finished) {
        // The reader of `-w -` has gone: quietly, as tcpdump.
        (Err(e), _) | (Ok(_), Err(e)) if output::pipe_closed(&e) => return Ok(0),
        (Ok(true), Ok(())) => {}
        (Ok(false), Ok(())) => return Ok(0),
        (Ok(_), Err(e)) => return Err(e),
        // Stopped early: the savefile keeps what was read before, and says so.
        (Err(e), _) => return Err(out.with_what_was_kept(e)),
    }
    if cfg.output.count_only {
        // tcpdump's --count line, on stdout.
        let n = out.count();
        let mut stdout = stdio::Stdout;
        writeln!(stdout, "{n} packet{}", if n == 1 { "" } else { "s" })?;
    }
    Ok(0)
}

/// Reads one savefile into `out` (created for the first file). `Ok(false)`
/// when the run is over (the reader of `-w -` has gone).
fn read_file(cfg: &Offline, path: &Path, out: &mut Option<Output>) -> anyhow::Result<bool> {
    let mapped = input::map_savefile(path);
    let (mut reader, size) = input::open(path, mapped.as_ref())?;
    let (linktype, snaplen) = input::linktype_of(&mut reader, path, cfg.linktype)?;
    let mut filter = Filter::new(cfg, linktype, snaplen)?;
    say_reading(path, linktype, snaplen);
    let out = match out {
        Some(o) => {
            if o.linktype() != linktype && cfg.output.write.is_some() {
                anyhow::bail!("{}: new dlt does not match original", path.display());
            }
            o.set_linktype(linktype)?;
            o
        }
        None => match Output::new(&cfg.output, linktype, snaplen) {
            Err(e) if output::pipe_closed(&e) => return Ok(false),
            o => {
                let mut o = o?;
                o.write_in_background();
                out.insert(o)
            }
        },
    };
    // -c counts per file, as tcpdump's pcap_loop for each -V file.
    let limit = cfg.count.map(|c| c + out.count());
    let mut progress = Progress::new(size);
    let ended = thread::scope(|s| {
        let mut run = RecordLoop {
            filter: &mut filter,
            out,
            progress: &mut progress,
            // Only a pcap file read through its mapping has pages to manage.
            pager: match (&mapped, &reader) {
                (Some(m), Source::Mapped(_)) => Some(Pager::spawn(s, m)),
                _ => None,
            },
            limit,
            path,
        };
        // One loop per source type, so the record reading inlines.
        match &mut reader {
            Source::Mapped(r) => run.mapped(r),
            Source::Stream(r) => run.records(r),
        }
    });
    // The end, or damage, may be the zeros past the new end of a mapped
    // file that shrank.
    let ended = match (ended, &mapped, &reader) {
        (Ok(_), Some(m), Source::Mapped(r)) if Pager::file_shrank(m) => {
            Err(shrank(path, r.position()))
        }
        (ended, ..) => ended,
    };
    let ended = ended.and_then(|read| read.with_context(|| path.display().to_string()));
    progress.done();
    match ended {
        Ok(()) => Ok(true),
        Err(e) if output::pipe_closed(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The record loop and what it works with.
struct RecordLoop<'r, 'm, 'c> {
    filter: &'r mut Filter<'c>,
    out: &'r mut Output,
    progress: &'r mut Progress,
    pager: Option<Pager<'m>>,
    limit: Option<u64>,
    path: &'r Path,
}

impl RecordLoop<'_, '_, '_> {
    /// Makes the filter for link type `n` (of pcapng interface `interface`)
    /// the one that runs; returns the link type and whether the output holds
    /// another.
    #[cold]
    #[inline(never)]
    fn switch_to(&mut self, n: u32, interface: u32) -> anyhow::Result<(LinkType, bool)> {
        let path = self.path.display();
        let linktype = LinkType::from_linktype(n)
            .with_context(|| format!("{path}: interface {interface}: unsupported link type {n}"))?;
        self.filter
            .switch_to(linktype)
            .with_context(|| format!("{path}: interface {interface} ({})", linktype.name()))?;
        Ok((linktype, linktype != self.out.linktype()))
    }

    /// Whether a mapped file being read shrank.
    #[cold]
    #[inline(never)]
    fn zeros_past_the_end(&self) -> bool {
        self.pager.as_ref().is_some_and(Pager::shrank)
    }

    /// Filters every record of `reader` into the output. `Err` when writing
    /// fails; `Ok` says how reading ended.
    fn records<R: Records>(&mut self, reader: &mut R) -> anyhow::Result<Result<(), ReadError>> {
        let mut current = None;
        let mut linktype = self.out.linktype();
        // The output holds another link type than the packets now read
        // (after a pcapng interface change): switched, or refused for a
        // pcap file, at the first packet written.
        let mut out_differs = false;
        loop {
            if self.limit.is_some_and(|l| self.out.count() >= l) {
                return Ok(Ok(()));
            }
            let (p, n, interface) = match reader.next_record() {
                Ok(Some(r)) => (r.packet, r.linktype, r.interface),
                Ok(None) => return Ok(Ok(())),
                Err(e) => return Ok(Err(e)),
            };
            if current != Some(n) {
                // A pcapng interface of another link type: its own program.
                current = Some(n);
                (linktype, out_differs) = self.switch_to(n, interface)?;
            }
            let len = p.data.len();
            let verdict = self.filter.run(p.data, p.wire_len);
            if verdict != 0 {
                if out_differs {
                    self.out
                        .set_linktype(linktype)
                        .with_context(|| self.path.display().to_string())?;
                    out_differs = false;
                }
                // A mapped file that shrank reads as zeros past its new end,
                // and a header of zeros has no captured bytes: such a record
                // is checked against the file before it is used (`run`
                // checks how reading ended).
                if len == 0 && self.zeros_past_the_end() {
                    return Err(shrank(self.path, reader.position() - 16));
                }
                let mut q = p;
                q.data = &p.data[..len.min(verdict as usize)];
                self.out.packet(&q)?;
            }
            let pos = reader.position();
            self.progress.tick(pos, len);
            if let Some(pager) = &mut self.pager {
                pager.reached(pos as usize);
            }
        }
    }

    /// [`RecordLoop::records`] for a mapped pcap file: one link type for
    /// the whole file, so no per-record check of it, and the records walked
    /// in [`PcapSlice::walk`]'s tight loop. The same packets, output and
    /// errors.
    fn mapped(&mut self, slice: &mut PcapSlice<'_>) -> anyhow::Result<Result<(), ReadError>> {
        if self.limit.is_some_and(|l| self.out.count() >= l) {
            return Ok(Ok(()));
        }
        let (linktype, out_differs) = self.switch_to(slice.linktype(), 0)?;
        let start = slice.position() as usize;
        let mut step = Step {
            records: slice.records_at(),
            filter: self.filter,
            out: self.out,
            progress: self.progress,
            pager: &mut self.pager,
            limit: self.limit.unwrap_or(u64::MAX),
            path: self.path,
            linktype,
            out_differs,
            packets: 0,
            start,
            next: start,
        };
        let walked = slice.walk(&mut step);
        let pos = slice.position() as usize;
        let bytes = (pos - start) as u64 - 16 * step.packets;
        step.progress.reached(step.packets, bytes, pos as u64);
        match walked {
            Ok(ControlFlow::Break(Some(e))) => Err(e),
            Ok(_) => Ok(Ok(())),
            Err(e) => Ok(Err(e)),
        }
    }
}

/// [`RecordLoop::records`]'s work on one record, for [`RecordLoop::mapped`]:
/// the filter, and for a packet it passes the output; the prefetch, paging
/// and progress line every [`PREFETCH_STEP`] bytes.
struct Step<'a, 's, 'r, 'm, 'c> {
    /// The file's records, for [`Step::hit`].
    records: RecordsAt<'a>,
    filter: &'s mut Filter<'c>,
    out: &'s mut Output,
    progress: &'s mut Progress,
    pager: &'s mut Option<Pager<'m>>,
    limit: u64,
    path: &'r Path,
    linktype: LinkType,
    out_differs: bool,
    /// Records walked.
    packets: u64,
    /// The byte offset the walk started at.
    start: usize,
    /// The byte offset past which [`Step::checkpoint`] runs next.
    next: usize,
}

impl<'a> Walk<'a> for Step<'a, '_, '_, '_, '_> {
    /// `None` when the `-c` count is reached, else why writing failed.
    type Stop = Option<anyhow::Error>;

    #[inline(always)]
    fn record(&mut self, rec: RawRecord<'a>) -> ControlFlow<Self::Stop> {
        self.packets += 1;
        let verdict = self.filter.run(rec.data, rec.wire_len);
        if verdict != 0 {
            // Only the offset crosses the call: the record is read again
            // there, so nothing of it is kept (spilled) for the hits.
            if let Err(e) = self.hit(rec.offset, verdict) {
                return ControlFlow::Break(Some(e));
            }
            if self.out.count() >= self.limit {
                return ControlFlow::Break(None);
            }
        }
        let end = rec.end();
        if end >= self.next {
            self.checkpoint(end);
        }
        ControlFlow::Continue(())
    }
}

impl Step<'_, '_, '_, '_, '_> {
    /// Writes the record at byte `offset` that the filter passed with
    /// `verdict`, as [`RecordLoop::records`] does.
    #[inline(never)]
    fn hit(&mut self, offset: usize, verdict: u32) -> anyhow::Result<()> {
        let Some(rec) = self.records.at(offset) else {
            anyhow::bail!("{}: no record at byte offset {offset}", self.path.display());
        };
        if self.out_differs {
            self.out
                .set_linktype(self.linktype)
                .with_context(|| self.path.display().to_string())?;
            self.out_differs = false;
        }
        // A mapped file that shrank reads as zeros past its new end (see
        // `records`).
        if rec.data.is_empty() && self.pager.as_ref().is_some_and(Pager::shrank) {
            return Err(shrank(self.path, rec.offset as u64));
        }
        let mut p = rec.packet();
        p.data = &p.data[..p.data.len().min(verdict as usize)];
        self.out.packet(&p)
    }

    /// The walk has reached byte offset `pos`: prefetch and paging, and the
    /// progress line's figures (the captured bytes are what the records
    /// walked hold past their 16-byte headers).
    #[cold]
    #[inline(never)]
    fn checkpoint(&mut self, pos: usize) {
        let bytes = (pos - self.start) as u64 - 16 * self.packets;
        self.progress.reached(self.packets, bytes, pos as u64);
        self.next = match self.pager {
            Some(pager) => {
                pager.moved_on(pos);
                pos + PREFETCH_STEP
            }
            None if self.progress.on => pos + PREFETCH_STEP,
            None => usize::MAX,
        };
    }
}

/// The error for a mapped savefile that shrank while read, the record at
/// byte offset `at` being the first not read whole.
#[cold]
fn shrank(path: &Path, at: u64) -> anyhow::Error {
    let now = std::fs::metadata(path).map_or_else(
        |e| format!("cannot stat it now: {e}"),
        |m| format!("{} bytes now", m.len()),
    );
    anyhow::anyhow!(
        "{}: the file shrank while being read ({now}); stopped at byte offset {at}",
        path.display()
    )
}

/// How far past the current packet the record loop asks the CPU to fetch
/// the file's bytes into cache.
const PREFETCH_AHEAD: usize = 8 << 10;

/// Bytes read between two prefetches of the next bytes (a page: each
/// prefetch then asks for the page after the next).
const PREFETCH_STEP: usize = 4 << 10;

/// Bytes of a mapped savefile read between two messages to the [`Pager`].
const WINDOW: u64 = 4 << 20;

/// Keeps the resident part of a mapped savefile small and the reader free
/// of page faults: told how far the reader has got (every [`WINDOW`]
/// bytes), it maps the next two windows in with one `MADV_POPULATE_READ`
/// and releases the pages behind the reader with `MADV_DONTNEED`. The work
/// runs on a helper thread; the reader waits only when that thread is more
/// than a message behind, which bounds the resident set whatever the file
/// size. Without the thread (it failed to start) the reader does it.
struct Pager<'a> {
    map: &'a MappedFile,
    to_thread: Option<mpsc::SyncSender<u64>>,
    inline: Paging,
    next: usize,
    /// Bytes of the file asked into the CPU cache so far.
    prefetched: usize,
    /// The reader position at which to prefetch (and maybe page) again.
    mark: usize,
}

/// How far the mapping is populated and released.
#[derive(Clone, Copy)]
struct Paging {
    populated: usize,
    released: usize,
}

impl Paging {
    /// Bytes mapped in ahead of the reader.
    const AHEAD: usize = 2 * WINDOW as usize;

    /// Populates up to `AHEAD` past `pos` and releases the pages before it.
    fn advance(&mut self, map: &MappedFile, pos: usize) {
        let end = (pos + Self::AHEAD).min(map.len());
        if end > self.populated {
            map.populate(self.populated.max(pos), end);
            self.populated = end;
        }
        // Page-aligned, so no page stays mapped between two releases.
        let behind = pos / PAGE * PAGE;
        if behind > self.released {
            map.release(self.released, behind);
            self.released = behind;
        }
    }
}

impl<'a> Pager<'a> {
    fn spawn<'s>(s: &'s thread::Scope<'s, '_>, map: &'a MappedFile) -> Self
    where
        'a: 's,
    {
        map.populate(0, Paging::AHEAD);
        let mut paging = Paging {
            populated: Paging::AHEAD,
            released: 0,
        };
        let (tx, rx) = mpsc::sync_channel::<u64>(1);
        let pager = move || {
            while let Ok(first) = rx.recv() {
                // Only the latest position matters.
                let pos = rx.try_iter().last().unwrap_or(first);
                paging.advance(map, pos as usize);
            }
        };
        let to_thread = thread::Builder::new()
            .name("pager".into())
            .spawn_scoped(s, pager)
            .is_ok()
            .then_some(tx);
        Pager {
            map,
            to_thread,
            inline: paging,
            next: WINDOW as usize,
            prefetched: 0,
            mark: 0,
        }
    }

    /// Whether the file shrank under the mapping: a page went away while
    /// read (SIGBUS, repaired with zeros), or the file is now shorter (the
    /// zeros after a new end in its last page do not fault).
    #[cold]
    fn shrank(&self) -> bool {
        Self::file_shrank(self.map)
    }

    /// [`Pager::shrank`] for `map`.
    fn file_shrank(map: &MappedFile) -> bool {
        map.truncated() || map.file_len().is_ok_and(|len| len < map.len() as u64)
    }

    /// The reader has read up to `pos`.
    #[inline(always)]
    fn reached(&mut self, pos: usize) {
        if pos >= self.mark {
            self.moved_on(pos);
        }
    }

    /// The reader has read up to `pos`, [`PREFETCH_STEP`] bytes or more
    /// since the last call:
    /// asks the CPU to fetch the file's bytes up to [`PREFETCH_AHEAD`] past
    /// `pos` into its cache, those not asked for yet (the record headers
    /// ahead are then loaded before the reader's chain of header reads, each
    /// giving the next record's offset, gets there), and tells the paging
    /// the position every [`WINDOW`] bytes.
    #[inline(never)]
    fn moved_on(&mut self, pos: usize) {
        let end = pos + PREFETCH_AHEAD;
        self.map.prefetch_range(self.prefetched.max(pos), end);
        self.prefetched = end;
        self.mark = pos + PREFETCH_STEP;
        if pos >= self.next {
            self.next = pos + WINDOW as usize;
            match &self.to_thread {
                // The thread only stops when this end hangs up.
                Some(tx) => {
                    let _ = tx.send(pos as u64);
                }
                None => self.inline.advance(self.map, pos),
            }
        }
    }
}

/// The page size [`Pager`] rounds to (4 KiB on x86-64; with larger pages a
/// few more stay mapped).
const PAGE: usize = 4096;

/// The filter for the link type of the records being read, and the
/// socket-buffer metadata it sees. A pcapng file may hold interfaces of
/// several link types: each gets the program compiled for it (kept for when
/// its packets come back), never another link type's.
struct Filter<'c> {
    cfg: &'c Offline,
    snaplen: u32,
    active: Compiled,
    others: Vec<Compiled>,
    meta: vm::Meta,
}

/// One link type's program.
struct Compiled {
    linktype: LinkType,
    prog: Machine,
    /// Whether the program reads `skb->protocol` (an ancillary load), which
    /// then has to be worked out for every packet.
    protocol: bool,
}

impl Compiled {
    fn new(cfg: &Offline, linktype: LinkType, snaplen: u32) -> anyhow::Result<Self> {
        let prog: Program =
            compile::for_savefile(&cfg.expression, linktype, snaplen, cfg.optimize)?;
        let protocol = prog
            .insns()
            .iter()
            .any(|&i| matches!(rawcap::bpf::decode(i), Ok(Op::LdAbs(_, k)) if k >= skf::AD_OFF));
        Ok(Compiled {
            linktype,
            prog: Machine::new(&prog),
            protocol,
        })
    }
}

impl<'c> Filter<'c> {
    fn new(cfg: &'c Offline, linktype: LinkType, snaplen: u32) -> anyhow::Result<Self> {
        Ok(Filter {
            cfg,
            snaplen,
            active: Compiled::new(cfg, linktype, snaplen)?,
            others: Vec::new(),
            meta: vm::Meta::for_frame(linktype, &[]),
        })
    }

    /// Makes the program for `linktype` the one that runs, compiling it the
    /// first time.
    ///
    /// # Errors
    /// When the expression does not compile for `linktype`.
    #[cold]
    fn switch_to(&mut self, linktype: LinkType) -> anyhow::Result<()> {
        if linktype == self.active.linktype {
            return Ok(());
        }
        let next = match self.others.iter().position(|c| c.linktype == linktype) {
            Some(i) => self.others.swap_remove(i),
            None => Compiled::new(self.cfg, linktype, self.snaplen)?,
        };
        self.others.push(std::mem::replace(&mut self.active, next));
        self.meta = vm::Meta::for_frame(linktype, &[]);
        Ok(())
    }

    /// The number of bytes of the packet `data` (`wire_len` long on the
    /// wire) to keep; 0 drops it.
    #[inline(always)]
    fn run(&mut self, data: &[u8], wire_len: u32) -> u32 {
        if self.active.protocol {
            self.meta.protocol = self.active.linktype.protocol_of(data);
        }
        self.active.prog.run(data, wire_len, &self.meta)
    }
}

/// The progress line on stderr (packets, bytes, rate, percent of file).
struct Progress {
    size: u64,
    on: bool,
    /// The packet count at which to report next (never when off).
    due: u64,
    start: Instant,
    last: Instant,
    packets: u64,
    bytes: u64,
}

impl Progress {
    fn new(size: Option<u64>) -> Self {
        let size = size.unwrap_or(0);
        let now = Instant::now();
        let on = size >= PROGRESS_MIN_BYTES && io::stderr().is_terminal();
        Progress {
            size,
            on,
            due: if on { PROGRESS_EVERY } else { u64::MAX },
            start: now,
            last: now,
            packets: 0,
            bytes: 0,
        }
    }

    #[inline(always)]
    fn tick(&mut self, pos: u64, len: usize) {
        self.packets += 1;
        self.bytes += len as u64;
        if self.packets >= self.due {
            self.due += PROGRESS_EVERY;
            self.report(pos);
        }
    }

    /// The figures for a walk, `packets` and `bytes` read since the start,
    /// now at byte offset `pos`.
    fn reached(&mut self, packets: u64, bytes: u64, pos: u64) {
        self.packets = packets;
        self.bytes = bytes;
        if self.packets >= self.due {
            self.due = self.packets + PROGRESS_EVERY;
            self.report(pos);
        }
    }

    #[cold]
    fn report(&mut self, pos: u64) {
        let now = Instant::now();
        if now.duration_since(self.last) < Duration::from_millis(500) {
            return;
        }
        self.last = now;
        let secs = now.duration_since(self.start).as_secs_f64().max(1e-3);
        stdio::write_stderr(format_args!(
            "\r{} packets, {:.1} MB, {:.0} packets/s, {:.0}%   ",
            self.packets,
            self.bytes as f64 / 1e6,
            self.packets as f64 / secs,
            pos as f64 * 100.0 / self.size.max(1) as f64
        ));
    }

    fn done(&self) {
        if self.on {
            stdio::write_stderr(format_args!("\r\x1b[K"));
        }
    }
}
