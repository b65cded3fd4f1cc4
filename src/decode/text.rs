//! tcpdump-style text lines (tcpdump 4.99's default format).
//!
//! A [`Printer`] keeps the little state tcpdump keeps between packets: the
//! previous timestamp (`-ttt`) and the first sequence numbers of each TCP
//! connection, so that later packets show relative sequence numbers as
//! tcpdump does (print-tcp.c).

use super::num::{digits, DIGIT_PAIRS};
use super::trunc::{self, Trunc};
use super::{ether, hex, null, sll};
use crate::packet::Packet;
use crate::LinkType;
use core::fmt::Write;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// How timestamps are shown (`-t` flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TimeFormat {
    /// `HH:MM:SS.ffffff` (local time when the printer has an offset, else UTC).
    #[default]
    Clock,
    /// No timestamp (`-t`).
    None,
    /// Seconds since the epoch (`-tt`).
    Epoch,
    /// Time since the previous packet (`-ttt`).
    Delta,
    /// Date and time (`-tttt`).
    Date,
    /// Time since the first packet (`-ttttt`).
    SinceFirst,
}

impl TimeFormat {
    /// The format for tcpdump's count of `-t` flags.
    pub fn from_count(n: u8) -> Self {
        match n {
            0 => TimeFormat::Clock,
            1 => TimeFormat::None,
            2 => TimeFormat::Epoch,
            3 => TimeFormat::Delta,
            4 => TimeFormat::Date,
            _ => TimeFormat::SinceFirst,
        }
    }
}

/// What to print (the display flags of tcpdump).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TextOptions {
    /// `-n`: numeric ports.
    pub numeric: bool,
    /// `-e`: print the link-level header.
    pub link_header: bool,
    /// `-x` (1) / `-xx` (2): hex dump without / with the link header.
    pub hex: u8,
    /// `-X` (1) / `-XX` (2): hex and ASCII dump.
    pub hex_ascii: u8,
    /// `-q`: less protocol detail.
    pub quiet: bool,
    /// `-t...`: timestamp format.
    pub time: TimeFormat,
    /// `-v` count.
    pub verbose: u8,
    /// Print nanoseconds instead of microseconds.
    pub nanos: bool,
    /// `-A` (1) / `-AA` (2): the packet in ASCII, without / with the link
    /// header (`-x` and `-X` win over it, as in tcpdump).
    pub ascii: u8,
    /// `-S`: absolute TCP sequence numbers.
    pub absolute_seq: bool,
    /// `-K`: do not verify checksums.
    pub no_checksum: bool,
    /// `-#`: number the packets (`    1  ` before each line).
    pub number: bool,
}

/// Host names for addresses, asked by the printer when `-n` is not given
/// (tcpdump's `ipaddr_string`); `None` prints the address.
pub trait HostNames: Send {
    /// The name of an IPv4 address.
    fn ipv4(&mut self, addr: [u8; 4]) -> Option<String>;
    /// The name of an IPv6 address.
    fn ipv6(&mut self, addr: [u8; 16]) -> Option<String>;
}

/// The offset from UTC, in seconds, of local time at a Unix time in seconds
/// (what `localtime(3)` applies); the printer's clock formats use it.
pub trait UtcOffset: Send {
    /// Seconds east of UTC at `unix_secs`.
    fn offset(&mut self, unix_secs: i64) -> i32;
}

/// What the caller plugs into a [`Printer`]: local time and host names.
#[derive(Default)]
pub(super) struct Hooks {
    pub(super) names: Option<Box<dyn HostNames>>,
    pub(super) offset: Option<Box<dyn UtcOffset>>,
}

impl core::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Hooks")
            .field("names", &self.names.is_some())
            .field("offset", &self.offset.is_some())
            .finish()
    }
}

/// The relative-sequence table's key (see `demux::SeqKey`).
type SeqKey = super::demux::SeqKey;

/// A small FxHash-style hasher for the sequence-number table: the keys are
/// packet addresses, not attacker-chosen at a scale where SipHash's
/// flooding resistance matters, and SipHash was a visible share of `-nr`.
#[derive(Default)]
pub(super) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Turns packets into text lines, tcpdump style.
#[derive(Debug, Default)]
pub struct Printer {
    pub(super) opts: TextOptions,
    prev_ts: Option<u64>,
    first_ts: Option<u64>,
    /// The first sequence and acknowledgment numbers of each TCP connection.
    pub(super) seqs: HashMap<SeqKey, (u32, u32), BuildHasherDefault<FxHasher>>,
    /// tcpdump gave up mid-field (its longjmp path): `-x` then dumps the
    /// whole frame, link header included.
    pub(super) early_end: bool,
    /// The Ethernet source and destination of the frame being printed
    /// (what print-llc.c shows for an unknown SAP).
    pub(super) lladdr: Option<([u8; 6], [u8; 6])>,
    /// Packets formatted so far (`-#`).
    number: u32,
    /// ISAKMP's initiator-cookie cache (IKEv1's `I`/`R`, kept across
    /// packets as tcpdump keeps it).
    pub(super) isakmp: super::isakmp::Cookies,
    /// Local time and host names, when the caller gives them.
    pub(super) hooks: Hooks,
}

impl Printer {
    /// A printer with the given options.
    pub fn new(opts: TextOptions) -> Self {
        Printer {
            opts,
            ..Printer::default()
        }
    }

    /// Prints clock times in local time: `offset` gives the offset from UTC
    /// at each time (without it, times print in UTC).
    pub fn set_utc_offset(&mut self, offset: Box<dyn UtcOffset>) {
        self.hooks.offset = Some(offset);
    }

    /// Prints host names instead of addresses where `names` has one (the
    /// caller leaves it out under `-n`).
    pub fn set_host_names(&mut self, names: Box<dyn HostNames>) {
        self.hooks.names = Some(names);
    }

    /// The full text for one packet (without the final newline; hex dumps
    /// add lines).
    pub fn format(&mut self, linktype: LinkType, p: &Packet<'_>) -> String {
        let mut out = String::with_capacity(160);
        self.format_into(&mut out, linktype, p);
        out
    }

    /// [`Printer::format`] into a caller's buffer, which is cleared first
    /// (lets a sink reuse one allocation for every packet).
    pub fn format_into(&mut self, out: &mut String, linktype: LinkType, p: &Packet<'_>) {
        out.clear();
        self.format_append(out, linktype, p);
    }

    /// [`Printer::format`] appended to `out` (a sink collecting many lines
    /// in one buffer).
    pub fn format_append(&mut self, out: &mut String, linktype: LinkType, p: &Packet<'_>) {
        match self.hooks.names.take() {
            None => self.format_packet(out, linktype, p),
            Some(names) => {
                super::names::install(names);
                self.format_packet(out, linktype, p);
                self.hooks.names = super::names::take();
            }
        }
    }

    fn format_packet(&mut self, out: &mut String, linktype: LinkType, p: &Packet<'_>) {
        if self.opts.number {
            self.number = self.number.wrapping_add(1);
            let _ = write!(out, "{:5}  ", self.number);
        }
        if p.data.is_empty() {
            // tcpdump prints no time for an empty record either.
            out.push_str("[Invalid header: caplen==0]");
            return;
        }
        self.timestamp(out, p.ts_ns);
        self.early_end = false;
        self.lladdr = None;
        // print.c's pretty_print_packet: the link printer returns the link
        // header's length; a printer that runs out of bytes ends the line
        // with the marker, and -x then dumps the whole frame.
        let hdrlen = match self.link(out, linktype, p) {
            Ok(n) => n,
            Err(t) => {
                self.truncated(out, t);
                0
            }
        };
        let (hx, hxa) = (self.opts.hex, self.opts.hex_ascii);
        // -X wins over -x, either over -A (tcpdump's print.c).
        let level = if hx.max(hxa) > 0 {
            hx.max(hxa)
        } else {
            self.opts.ascii
        };
        let skip = if level > 1 || self.early_end {
            0
        } else {
            hdrlen
        };
        // With nothing after the link header tcpdump prints no dump.
        let bytes = p.data.get(skip..).unwrap_or(&[]);
        if hxa > 0 {
            hex::hex_ascii(out, bytes);
        } else if hx > 0 {
            hex::hex(out, bytes);
        } else if self.opts.ascii > 0 && !bytes.is_empty() {
            // ascii_print always starts a line; print.c calls it only
            // when something follows the link header.
            hex::ascii(out, bytes);
        }
    }

    /// The link-layer printer for `linktype` (tcpdump's if_printers).
    fn link(
        &mut self,
        out: &mut String,
        linktype: LinkType,
        p: &Packet<'_>,
    ) -> Result<usize, Trunc> {
        let length = p.wire_len as usize;
        match linktype {
            LinkType::Ethernet => ether::print(self, out, p.data, length),
            LinkType::LinuxSll => sll::print_v1(self, out, p.data, length),
            LinkType::LinuxSll2 => sll::print_v2(self, out, p.data, length, p.ifindex),
            LinkType::Null => null::print(self, out, p.data, length, false),
            LinkType::Loop => null::print(self, out, p.data, length, true),
            LinkType::Raw | LinkType::Ipv4 | LinkType::Ipv6 => {
                null::print_raw(self, out, p.data, length)
            }
        }
    }

    /// ND_DEFAULTPRINT with a length that may run past the capture: the
    /// dump of what was captured, then a truncation of `proto` (print-ascii.c
    /// ends the line that way).
    pub(super) fn default_print_len(
        &self,
        out: &mut String,
        bytes: &[u8],
        length: usize,
        proto: &'static str,
    ) -> Result<(), Trunc> {
        if self.opts.hex != 0 || self.opts.hex_ascii != 0 || self.opts.quiet {
            return Ok(());
        }
        self.dump_len(out, bytes, length, proto)
    }

    /// ND_DEFAULTPRINT of `length` bytes where the caller does not check
    /// `-x`/`-X`/`-q` (print-decnet.c): the dump of what was captured, then
    /// a truncation of `proto` when `length` runs past it.
    pub(super) fn dump_len(
        &self,
        out: &mut String,
        bytes: &[u8],
        length: usize,
        proto: &'static str,
    ) -> Result<(), Trunc> {
        self.dump(out, &bytes[..length.min(bytes.len())]);
        if length > bytes.len() {
            return Err(Trunc(proto));
        }
        Ok(())
    }

    /// ND_DEFAULTPRINT where tcpdump calls it without checking `-x`/`-X`/`-q`
    /// (print-arp.c's unknown operations, print-llc.c's short frames): the
    /// hex and ASCII dump, whatever the flags.
    pub(super) fn dump(&self, out: &mut String, bytes: &[u8]) {
        hex::hex_ascii(out, bytes);
    }

    /// tcpdump's default print of bytes no printer decodes (a hex and
    /// ASCII dump), unless `-x`, `-X` or `-q` suppress it.
    pub(super) fn default_print(&self, out: &mut String, bytes: &[u8]) {
        if self.opts.hex == 0 && self.opts.hex_ascii == 0 && !self.opts.quiet {
            hex::hex_ascii(out, bytes);
        }
    }

    fn timestamp(&mut self, out: &mut String, ts: u64) {
        let (div, width) = if self.opts.nanos { (1, 9) } else { (1000, 6) };
        let frac = (ts % 1_000_000_000) / div;
        let mut secs = ts / 1_000_000_000;
        if let (TimeFormat::Clock | TimeFormat::Date, Some(o)) =
            (self.opts.time, self.hooks.offset.as_mut())
        {
            // Local time, as tcpdump's localtime(3).
            secs = secs.saturating_add_signed(i64::from(o.offset(secs as i64)));
        }
        match self.opts.time {
            TimeFormat::None => {}
            TimeFormat::Clock => {
                // "HH:MM:SS." then the fraction, built in one buffer.
                let d = secs % 86_400;
                let mut t = [b'0'; 20];
                for (at, v) in [(0, d / 3600), (3, d / 60 % 60), (6, d % 60)] {
                    let v = v as usize * 2;
                    t[at..at + 2].copy_from_slice(&DIGIT_PAIRS.as_bytes()[v..v + 2]);
                }
                t[2] = b':';
                t[5] = b':';
                t[8] = b'.';
                let mut f = [b'0'; 20];
                digits(&mut f, frac);
                t[9..9 + width].copy_from_slice(&f[20 - width..]);
                t[9 + width] = b' ';
                out.push_str(core::str::from_utf8(&t[..10 + width]).unwrap_or_default());
            }
            TimeFormat::Epoch => {
                let _ = write!(out, "{secs}.{frac:0width$} ");
            }
            TimeFormat::Date => {
                let (y, m, dd) = civil_from_days((secs / 86_400) as i64);
                let d = secs % 86_400;
                let _ = write!(
                    out,
                    "{y:04}-{m:02}-{dd:02} {:02}:{:02}:{:02}.{frac:0width$} ",
                    d / 3600,
                    d / 60 % 60,
                    d % 60
                );
            }
            TimeFormat::Delta | TimeFormat::SinceFirst => {
                let base = if self.opts.time == TimeFormat::Delta {
                    self.prev_ts.unwrap_or(ts)
                } else {
                    *self.first_ts.get_or_insert(ts)
                };
                let (sign, delta) = if ts >= base {
                    (' ', ts - base)
                } else {
                    ('-', base - ts)
                };
                let s = delta / 1_000_000_000;
                let f = (delta % 1_000_000_000) / div;
                let _ = write!(
                    out,
                    "{sign}{:02}:{:02}:{:02}.{f:0width$} ",
                    s / 3600,
                    s / 60 % 60,
                    s % 60
                );
            }
        }
        self.prev_ts = Some(ts);
    }

    /// A printer ran out of captured bytes (tcpdump's longjmp): the marker,
    /// and `-x` dumps the whole frame.
    pub(super) fn truncated(&mut self, out: &mut String, t: Trunc) {
        trunc::mark(out, t.0);
        self.early_end = true;
    }
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (H. Hinnant's algorithm).
pub(super) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}
