//! From raw flags to one validated configuration, as ripgrep goes from
//! `LowArgs` to `HiArgs`: [`Args`] holds the words as typed (clap, getopt
//! rules), [`Config::from_args`] parses and checks every value once, with
//! one parser and one message per value, and picks the mode. Modes receive
//! their typed part ([`Compile`], [`Offline`], [`Live`], [`Trace`],
//! [`Client`], [`Serve`]) and never look at a raw string again.
//!
//! Messages for values tcpdump also checks use tcpdump's words
//! (`invalid packet count 0`), so a script that greps them keeps working.

use super::args::{Args, ClientArgs, Command, ServeArgs, TraceArgs};
use super::interfaces;
use anyhow::{anyhow, bail, Context};
use rawcap::capture::{self, Direction, ReadPath};
use rawcap::client::{ClientOptions, Mode as ServeMode, ServeOptions};
use rawcap::decode::text::{TextOptions, TimeFormat};
use rawcap::{LinkType, SNAPLEN};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The largest ring `-B` asks for (1 GiB).
const MAX_BUFFER_KIB: usize = 1 << 20;
/// Most worker threads `--threads` accepts.
const MAX_THREADS: usize = 64;
/// The largest `-c` tcpdump takes (a C `int`).
const MAX_COUNT: u64 = i32::MAX as u64;

/// What the command line asks for, validated.
#[derive(Debug)]
pub enum Config {
    /// `-D`: list the interfaces.
    ListInterfaces,
    /// `--version`: print rawcap's version.
    Version,
    /// `-L`: list the link types of these interfaces.
    ListLinkTypes(Vec<String>),
    /// `-J`: list the time stamp types of these interfaces.
    ListTstampTypes(Vec<String>),
    /// `-d`, `-dd`, `-ddd`, `--dot`: print the program or its graph.
    Compile(Compile),
    /// `-r FILE`: filter a savefile.
    Offline(Offline),
    /// `-i IFACE` (or the default interface): capture.
    Live(Live),
    /// `rawcap trace`.
    Trace(Trace),
    /// `rawcap client`.
    Client(Client),
    /// `rawcap serve`.
    Serve(Serve),
}

/// The compile mode's configuration.
#[derive(Debug)]
pub struct Compile {
    /// The filter expression (words joined, or `-F`'s file).
    pub expression: String,
    /// `-O` turns the optimizer off.
    pub optimize: bool,
    /// `-y`, when given.
    pub linktype: Option<LinkType>,
    /// `-s` (262144 when absent or 0).
    pub snaplen: u32,
    /// Whose program to print.
    pub target: CompileFor,
    /// What to print.
    pub print: Print,
}

/// Whose program the compile mode prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompileFor {
    /// No `-i` or `-r`: libpcap's program for the link type (`-y`, else EN10MB).
    Default,
    /// `-i IFACE -d`: what a live capture on IFACE attaches.
    Interface(String),
    /// `-r FILE -d`: the program for the file's link type and snapshot length.
    File(PathBuf),
}

/// The compile mode's output form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Print {
    /// `-d`: `tcpdump -d` text.
    Text,
    /// `-dd`: a C array.
    C,
    /// `-ddd`: decimal numbers.
    Decimal,
    /// `--dot`: the control-flow graph as Graphviz DOT.
    Dot,
}

/// The offline mode's configuration.
#[derive(Debug)]
pub struct Offline {
    /// `-r`: the savefile (`-` is stdin), or the first one `-V` names.
    pub path: PathBuf,
    /// The savefiles `-V` names after the first, read in turn.
    pub next_paths: Vec<PathBuf>,
    /// The filter expression.
    pub expression: String,
    /// `-O` turns the optimizer off.
    pub optimize: bool,
    /// `-y`, when given: must be the file's link type.
    pub linktype: Option<LinkType>,
    /// `-c`: stop after this many packets.
    pub count: Option<u64>,
    /// Where packets go.
    pub output: Output,
}

/// The live mode's configuration.
#[derive(Debug)]
pub struct Live {
    /// The interface (`-i`, a `-D` index resolved to its name, or the default).
    pub interface: String,
    /// Further interfaces (`-i` given more than once): one capture, one
    /// output in time order.
    pub extra_interfaces: Vec<String>,
    /// `--immediate-mode`: hand each packet over at once, not by ring block.
    pub immediate: bool,
    /// `-j`: the time stamp type asked for (only `host` is given).
    pub tstamp_type: Option<TstampType>,
    /// The filter expression.
    pub expression: String,
    /// `-O` turns the optimizer off.
    pub optimize: bool,
    /// `-y`, when given: must be a link type the interface delivers.
    pub linktype: Option<LinkType>,
    /// `-c`: stop after this many packets.
    pub count: Option<u64>,
    /// `-s` (262144 when absent or 0).
    pub snaplen: u32,
    /// `-B` in bytes.
    pub buffer_bytes: usize,
    /// `-Q`.
    pub direction: Direction,
    /// `--threads`.
    pub threads: usize,
    /// `--duration`.
    pub duration: Option<Duration>,
    /// Not `-p`.
    pub promiscuous: bool,
    /// `--recvfrom` or the ring.
    pub read_path: ReadPath,
    /// `-Z USER`.
    pub user: Option<String>,
    /// Where packets go.
    pub output: Output,
}

/// Where packets go: a savefile, JSON lines or text lines.
#[derive(Debug, Clone)]
pub struct Output {
    /// `-w FILE` (`-` is stdout).
    pub write: Option<PathBuf>,
    /// pcap or pcapng (`--pcapng`, or a `-w` name ending in `.pcapng`).
    pub format: SaveFormat,
    /// `-C`, `-G`, `-W`, `-z`: a new savefile now and then.
    pub rotation: Option<Rotation>,
    /// `--print`: print the packets as text while writing them.
    pub print: bool,
    /// `--count`: print only how many packets there were.
    pub count_only: bool,
    /// `-N`: host names without their domain.
    pub no_domain: bool,
    /// `--json`.
    pub json: bool,
    /// `-l`: flush stdout after each line.
    pub line_buffered: bool,
    /// `-U`: flush the savefile after each packet.
    pub packet_buffered: bool,
    /// `--nano`: nanosecond savefiles and timestamps.
    pub nano: bool,
    /// The text printer's flags (`-n`, `-e`, `-x`, `-X`, `-q`, `-t`, `-v`).
    pub text: TextOptions,
}

/// The savefile format `-w` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SaveFormat {
    /// pcap (pcap-savefile(5)), what tcpdump writes.
    #[default]
    Pcap,
    /// pcapng: interfaces, directions and statistics recorded.
    Pcapng,
}

/// tcpdump's savefile rotation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rotation {
    /// `-C`: a new file once the current one is larger than this many bytes.
    pub size: Option<u64>,
    /// `-G`: a new file every this many seconds (strftime names).
    pub seconds: Option<u64>,
    /// `-W`: at most this many files (a ring with -C; with -G alone, stop).
    pub count: Option<u32>,
    /// `-z`: run as `COMMAND FILE` on each file a rotation closes.
    pub postrotate: Option<String>,
}

/// Time stamp types `-j` takes (libpcap's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TstampType {
    /// `host`: the kernel's software time stamp (what rawcap captures with).
    Host,
    /// Another libpcap type, which no device gives rawcap.
    Other(&'static str),
}

/// `rawcap trace`'s configuration.
#[derive(Debug)]
pub struct Trace {
    /// `-r`: the savefile.
    pub path: PathBuf,
    /// The filter expression.
    pub expression: String,
    /// `-O` turns the optimizer off.
    pub optimize: bool,
    /// `-c`: stop after this many packets.
    pub count: Option<u64>,
}

/// `rawcap client`'s configuration.
#[derive(Debug)]
pub struct Client {
    /// HOST:PORT.
    pub target: String,
    /// What to send.
    pub request: Request,
    /// Timeouts and limits.
    pub options: ClientOptions,
}

/// What `rawcap client` sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// A message (the default greeting when none is given).
    Message(String),
    /// `--http PATH`: the HTTP/1.1 GET request for PATH, built and checked.
    Http(String),
}

/// `rawcap serve`'s configuration.
#[derive(Debug)]
pub struct Serve {
    /// ADDR:PORT to listen on.
    pub listen: String,
    /// Echo or HTTP, limits and timeouts.
    pub options: ServeOptions,
}

impl Config {
    /// Validates `args` and chooses the mode, as tcpdump does: `-D` lists,
    /// `-d`/`--dot` prints the program, `-r` reads a file, else a capture.
    ///
    /// # Errors
    /// The first invalid value, in one line naming it.
    pub fn from_args(args: Args) -> anyhow::Result<Config> {
        match args.command {
            Some(Command::Client(c)) => return Client::from_args(c).map(Config::Client),
            Some(Command::Serve(s)) => return Serve::from_args(s).map(Config::Serve),
            Some(Command::Trace(t)) => return Trace::from_args(t).map(Config::Trace),
            None => {}
        }
        if args.version {
            return Ok(Config::Version);
        }
        if args.list_interfaces {
            return Ok(Config::ListInterfaces);
        }
        let tstamp_type = args.tstamp_type.as_deref().map(tstamp_type).transpose()?;
        if args.list_tstamp_types {
            return Ok(Config::ListTstampTypes(interfaces(&args.interface)?));
        }
        if args.list_linktypes && args.read.is_none() && args.read_list.is_none() {
            return Ok(Config::ListLinkTypes(interfaces(&args.interface)?));
        }
        // Values every mode checks, so a bad one is an error whatever the mode.
        let linktype = args.linktype.as_deref().map(linktype).transpose()?;
        let count = args.count.as_deref().map(count).transpose()?;
        let snaplen = args.snaplen.as_deref().map_or(Ok(SNAPLEN), snaplen)?;
        let expression = expression(&args.expression, args.filter_file.as_deref())?;
        let optimize = !args.no_optimize;
        if args.dump > 0 || args.dot {
            let target = match (&args.read, args.interface.last()) {
                (Some(path), _) => CompileFor::File(path.clone()),
                (None, Some(i)) => CompileFor::Interface(interface(Some(i))?),
                (None, None) => CompileFor::Default,
            };
            let print = match (args.dot, args.dump) {
                (true, _) => Print::Dot,
                (false, 1) => Print::Text,
                (false, 2) => Print::C,
                (false, _) => Print::Decimal,
            };
            return Ok(Config::Compile(Compile {
                expression,
                optimize,
                linktype,
                snaplen,
                target,
                print,
            }));
        }
        let output = Output::from_args(&args)?;
        let paths = match (args.read, &args.read_list) {
            (Some(_), Some(_)) => bail!("-V and -r are mutually exclusive."),
            (Some(path), None) => Some(vec![path]),
            (None, Some(list)) => Some(read_list(list)?),
            (None, None) => None,
        };
        if let Some(mut paths) = paths {
            let path = paths.remove(0);
            return Ok(Config::Offline(Offline {
                path,
                next_paths: paths,
                expression,
                optimize,
                linktype,
                count,
                output,
            }));
        }
        let mut interfaces = interfaces(&args.interface)?;
        let extra_interfaces = interfaces.split_off(1);
        Ok(Config::Live(Live {
            buffer_bytes: args
                .buffer_kib
                .as_deref()
                .map_or(Ok(capture::DEFAULT_BUFFER_SIZE), buffer_bytes)?,
            direction: args
                .direction
                .as_deref()
                .map_or(Ok(Direction::Both), direction)?,
            threads: args.threads.as_deref().map_or(Ok(1), threads)?,
            duration: args.duration.as_deref().map(duration).transpose()?,
            extra_interfaces,
            interface: interfaces.remove(0),
            immediate: args.immediate,
            tstamp_type,
            expression,
            optimize,
            linktype,
            count,
            snaplen,
            promiscuous: !args.no_promisc,
            read_path: if args.recvfrom {
                ReadPath::RecvFrom
            } else {
                ReadPath::Auto
            },
            user: args.user,
            output,
        }))
    }
}

impl Output {
    fn from_args(args: &Args) -> anyhow::Result<Output> {
        let nano = match args.precision.as_deref() {
            Some(p) => precision(p)?,
            None => args.nano && !args.micro,
        };
        let format = if args.pcapng
            || args
                .write
                .as_ref()
                .and_then(|w| w.extension())
                .is_some_and(|e| e == "pcapng")
        {
            SaveFormat::Pcapng
        } else {
            SaveFormat::Pcap
        };
        Ok(Output {
            rotation: Rotation::from_args(args)?,
            format,
            print: args.print,
            count_only: args.count_only,
            no_domain: args.no_domain,
            write: args.write.clone(),
            json: args.json,
            // -U flushes text lines too (tcpdump flushes only savefiles).
            line_buffered: args.line_buffered || args.packet_buffered,
            packet_buffered: args.packet_buffered,
            nano,
            text: TextOptions {
                numeric: args.numeric > 0,
                link_header: args.link_header,
                hex: args.hex,
                hex_ascii: args.hex_ascii,
                quiet: args.quiet,
                time: TimeFormat::from_count(args.time_format),
                verbose: args.verbose,
                nanos: nano,
                ascii: args.ascii,
                absolute_seq: args.absolute_seq,
                no_checksum: args.no_checksum,
                number: args.number,
            },
        })
    }
}

impl Rotation {
    /// `-C`, `-G`, `-W`, `-z`; none when neither -C nor -G asks for
    /// rotation (tcpdump then ignores -W and -z).
    fn from_args(args: &Args) -> anyhow::Result<Option<Rotation>> {
        let size = args.file_size.as_deref().map(file_size).transpose()?;
        let seconds = args
            .rotate_seconds
            .as_deref()
            .map(rotate_seconds)
            .transpose()?
            .filter(|&s| s > 0);
        let count = args.file_count.as_deref().map(file_count).transpose()?;
        if size.is_none() && seconds.is_none() {
            return Ok(None);
        }
        Ok(Some(Rotation {
            size,
            seconds,
            count,
            postrotate: args.postrotate.clone(),
        }))
    }
}

/// C's `atoi`: leading blanks, a sign, digits up to the first other
/// character (0 when there are none), wrapped to an `int` as glibc's does.
fn atoi(s: &str) -> i32 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut v: i64 = 0;
    for c in t.bytes().take_while(u8::is_ascii_digit) {
        v = v.saturating_mul(10).saturating_add(i64::from(c - b'0'));
    }
    (if neg { -v } else { v }) as i32
}

/// `-C`: a whole number of millions of bytes, above 0 (strtol with nothing
/// left over, tcpdump's messages).
fn file_size(s: &str) -> anyhow::Result<u64> {
    let t = s.trim_start();
    let digits = t.strip_prefix('+').unwrap_or(t);
    let n = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<u64>().unwrap_or(u64::MAX)
    } else {
        0
    };
    if n == 0 {
        bail!("invalid file size {s}");
    }
    if n > i64::MAX as u64 / 1_000_000 {
        bail!("file size {s} is too large");
    }
    Ok(n * 1_000_000)
}

/// `-G`: seconds as `atoi` reads them, not below 0 (0 is no rotation).
fn rotate_seconds(s: &str) -> anyhow::Result<u64> {
    let n = atoi(s);
    if n < 0 {
        bail!("invalid number of seconds {s}");
    }
    Ok(n as u64)
}

/// `-W`: a file count as `atoi` reads it, above 0.
fn file_count(s: &str) -> anyhow::Result<u32> {
    let n = atoi(s);
    if n <= 0 {
        bail!("invalid number of output files {s}");
    }
    Ok(n as u32)
}

/// `--time-stamp-precision`: `micro` or `nano` (as tcpdump, a word that
/// starts with either); whether it is nano.
fn precision(s: &str) -> anyhow::Result<bool> {
    if s.starts_with("nano") {
        Ok(true)
    } else if s.starts_with("micro") {
        Ok(false)
    } else {
        bail!("unsupported time stamp precision")
    }
}

/// `-j`: one of libpcap's time stamp type names.
fn tstamp_type(s: &str) -> anyhow::Result<TstampType> {
    const OTHERS: [&str; 5] = [
        "host_lowprec",
        "host_hiprec",
        "host_hiprec_unsynced",
        "adapter",
        "adapter_unsynced",
    ];
    if s.eq_ignore_ascii_case("host") {
        return Ok(TstampType::Host);
    }
    OTHERS
        .iter()
        .find(|o| o.eq_ignore_ascii_case(s))
        .map(|&o| TstampType::Other(o))
        .ok_or_else(|| anyhow!("invalid time stamp type {s}"))
}

/// `-V FILE`: the savefile names in FILE, one per line (`-` is stdin).
fn read_list(list: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let text = if list == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(list)
    }
    .map_err(|e| anyhow!("Unable to open file: {e}"))?;
    let names: Vec<PathBuf> = text.lines().map(PathBuf::from).collect();
    if names.is_empty() {
        bail!("Nothing in {}", list.display());
    }
    Ok(names)
}

/// Every `-i` (at least one: the default interface when none is given),
/// each resolved as [`interface`] does.
fn interfaces(args: &[String]) -> anyhow::Result<Vec<String>> {
    if args.is_empty() {
        return Ok(vec![interface(None)?]);
    }
    let mut v: Vec<String> = Vec::with_capacity(args.len());
    for a in args {
        let name = interface(Some(a))?;
        if v.contains(&name) {
            bail!("-i {name} given twice");
        }
        v.push(name);
    }
    Ok(v)
}

impl Trace {
    fn from_args(t: TraceArgs) -> anyhow::Result<Trace> {
        Ok(Trace {
            count: t.count.as_deref().map(count).transpose()?,
            expression: expression(&t.expression, None)?,
            optimize: !t.no_optimize,
            path: t.read,
        })
    }
}

impl Client {
    fn from_args(c: ClientArgs) -> anyhow::Result<Client> {
        let request = match (c.http, c.message) {
            (Some(_), Some(_)) => bail!("client: give either MESSAGE or --http, not both"),
            (Some(path), None) => {
                Request::Http(rawcap::client::http_get(&c.target, &path).context("client --http")?)
            }
            (None, Some(m)) => Request::Message(m),
            (None, None) => Request::Message(rawcap::client::DEFAULT_MESSAGE.to_string()),
        };
        Ok(Client {
            options: ClientOptions {
                connect_timeout: seconds("--connect-timeout", c.connect_timeout)?,
                read_timeout: seconds("--timeout", c.timeout)?,
                max_bytes: c.max_bytes,
                half_close: matches!(request, Request::Message(_)),
            },
            target: c.target,
            request,
        })
    }
}

impl Serve {
    fn from_args(s: ServeArgs) -> anyhow::Result<Serve> {
        Ok(Serve {
            options: ServeOptions {
                mode: if s.http {
                    ServeMode::Http
                } else {
                    ServeMode::Echo
                },
                count: s.count,
                timeout: s.timeout.map(|t| seconds("--timeout", t)).transpose()?,
                max_concurrent: s.max_concurrent,
                idle_timeout: seconds("--idle-timeout", s.idle_timeout)?,
                request_timeout: seconds("--request-timeout", s.request_timeout)?,
            },
            listen: s.listen,
        })
    }
}

/// The most characters of a flag's value an error message repeats.
const SHOWN_MAX: usize = 64;

/// A flag's value as an error message repeats it: control characters
/// escaped (`\x1b`, `\n`), at most [`SHOWN_MAX`] characters, then `...`.
pub fn shown(s: &str) -> String {
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n == SHOWN_MAX {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// `-y`: a link-type name tcpdump knows and rawcap can compile for.
fn linktype(s: &str) -> anyhow::Result<LinkType> {
    s.parse::<LinkType>().map_err(|_| {
        anyhow!(
            "invalid data link type {} (rawcap knows {})",
            shown(s),
            known_linktypes()
        )
    })
}

/// The `-y` names, for messages.
pub fn known_linktypes() -> String {
    rawcap::linktype::ALL.map(LinkType::name).join(", ")
}

/// `-c`: 1 to 2^31-1 packets (tcpdump's range and message).
fn count(s: &str) -> anyhow::Result<u64> {
    let t = s.trim_start();
    t.strip_prefix('+')
        .unwrap_or(t)
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=MAX_COUNT).contains(n))
        .ok_or_else(|| anyhow!("invalid packet count {}", shown(s)))
}

/// `-s`: 0 to 262144, 0 meaning 262144; decimal, `0x` hex or `0` octal as
/// C's strtol reads it for tcpdump (tcpdump's message).
fn snaplen(s: &str) -> anyhow::Result<u32> {
    match c_integer(s) {
        Some(0) => Ok(SNAPLEN),
        Some(n) if n <= u64::from(SNAPLEN) => Ok(n as u32),
        _ => bail!(
            "invalid snaplen {} (must be >= 0 and <= {SNAPLEN})",
            shown(s)
        ),
    }
}

/// A non-negative integer as strtol(s, &end, 0) reads it with nothing left
/// over: leading blanks, an optional `+`, then decimal, `0x` hex or `0` octal.
fn c_integer(s: &str) -> Option<u64> {
    let t = s.trim_start();
    let t = t.strip_prefix('+').unwrap_or(t);
    let (digits, radix) = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None if t.len() > 1 && t.starts_with('0') => (&t[1..], 8),
        None => (t, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// `-B`: KiB, 1 to 1 GiB, in bytes.
fn buffer_bytes(s: &str) -> anyhow::Result<usize> {
    s.trim_start()
        .parse::<usize>()
        .ok()
        .filter(|k| (1..=MAX_BUFFER_KIB).contains(k))
        .map(|k| k * 1024)
        .ok_or_else(|| {
            anyhow!(
                "invalid packet buffer size {} (-B takes KiB, 1 to {MAX_BUFFER_KIB})",
                shown(s)
            )
        })
}

/// `-Q`: in, out or inout.
fn direction(s: &str) -> anyhow::Result<Direction> {
    match s {
        "in" => Ok(Direction::In),
        "out" => Ok(Direction::Out),
        "inout" => Ok(Direction::Both),
        _ => bail!(
            "unknown capture direction `{}' (-Q takes in, out or inout)",
            shown(s)
        ),
    }
}

/// `--threads`: 1 to 64.
fn threads(s: &str) -> anyhow::Result<usize> {
    s.parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_THREADS).contains(n))
        .ok_or_else(|| {
            anyhow!(
                "invalid thread count {} (--threads takes 1 to {MAX_THREADS})",
                shown(s)
            )
        })
}

/// `--duration`: seconds above 0.
fn duration(s: &str) -> anyhow::Result<Duration> {
    s.parse::<f64>()
        .ok()
        .filter(|d| d.is_finite() && *d > 0.0 && *d < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            anyhow!(
                "invalid duration {} (--duration takes seconds above 0)",
                shown(s)
            )
        })
}

/// A positive, finite number of seconds from the flag `flag`.
fn seconds(flag: &str, secs: f64) -> anyhow::Result<Duration> {
    match Duration::try_from_secs_f64(secs) {
        Ok(d) if !d.is_zero() => Ok(d),
        _ => bail!("{flag} {secs}: expected a positive number of seconds"),
    }
}

/// `-i`: a name, or the index `-D` shows (0 is `any`); absent, tcpdump's
/// default (the first interface up, running and not loopback).
fn interface(arg: Option<&str>) -> anyhow::Result<String> {
    let Some(i) = arg else {
        return interfaces::default_interface();
    };
    if i.is_empty() || i.len() > 15 || i.contains(['/', ' ', '\0']) {
        bail!(
            "invalid interface name '{}' (rawcap -D lists them)",
            shown(i)
        );
    }
    match i.parse::<u32>() {
        Ok(0) => Ok(capture::ANY.to_string()),
        Ok(n) => interfaces::list()?
            .into_iter()
            .find(|f| f.index == n)
            .map(|f| f.name)
            .ok_or_else(|| anyhow!("no interface has index {n} (rawcap -D lists them)")),
        Err(_) => Ok(i.to_string()),
    }
}

/// The largest `-F` file rawcap reads (1 MiB): far more than any filter
/// (a 1,000-port expression is 15 KB), and `-F /dev/zero` stops there.
pub const MAX_FILTER_FILE: u64 = 1 << 20;

/// The text of a `-F` file, at most [`MAX_FILTER_FILE`] bytes.
fn read_filter_file(path: &Path) -> anyhow::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILTER_FILE + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILTER_FILE {
        bail!("larger than {MAX_FILTER_FILE} bytes, the most rawcap reads for a filter");
    }
    String::from_utf8(bytes).map_err(|_| anyhow!("not UTF-8 text"))
}

/// The expression: `-F FILE` (which wins, as in tcpdump; `#` starts a
/// comment) or the words joined with single spaces.
///
/// # Errors
/// When the filter file cannot be read.
pub fn expression(words: &[String], file: Option<&Path>) -> anyhow::Result<String> {
    let raw = match file {
        Some(path) => {
            let text = read_filter_file(path)
                .with_context(|| format!("reading filter file {}", path.display()))?;
            text.lines()
                .map(|l| l.split('#').next().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(" ")
        }
        None => words.join(" "),
    };
    Ok(raw.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn config(argv: &[&str]) -> anyhow::Result<Config> {
        let mut v = vec!["rawcap"];
        v.extend_from_slice(argv);
        Config::from_args(Args::try_parse_from(v)?)
    }

    fn live(argv: &[&str]) -> anyhow::Result<Live> {
        let mut v = vec!["-i", "lo"];
        v.extend_from_slice(argv);
        match config(&v)? {
            Config::Live(l) => Ok(l),
            c => panic!("not live: {c:?}"),
        }
    }

    fn offline(argv: &[&str]) -> Offline {
        match config(argv).unwrap() {
            Config::Offline(o) => o,
            c => panic!("not offline: {c:?}"),
        }
    }

    #[test]
    fn bad_values_give_one_line_each_in_tcpdumps_words() {
        for (argv, want) in [
            (&["-c", "0"][..], "invalid packet count 0"),
            (&["-c", "x"], "invalid packet count x"),
            (&["-c", "-1"], "invalid packet count -1"),
            (&["-c", "2147483648"], "invalid packet count 2147483648"),
            (
                &["-s", "big"],
                "invalid snaplen big (must be >= 0 and <= 262144)",
            ),
            (&["-s", "262145"], "invalid snaplen 262145"),
            (&["-s", "-1"], "invalid snaplen -1"),
            (&["-s", "2x"], "invalid snaplen 2x"),
            (&["-B", "0"], "invalid packet buffer size 0"),
            (&["-B", "lots"], "invalid packet buffer size lots"),
            (&["--threads", "0"], "invalid thread count 0"),
            (&["--threads", "65"], "invalid thread count 65"),
            (&["-Q", "sideways"], "unknown capture direction `sideways'"),
            (&["--duration", "0"], "invalid duration 0"),
            (&["-y", "FOO"], "invalid data link type FOO"),
        ] {
            let e = live(argv).unwrap_err().to_string();
            assert!(e.starts_with(want), "{argv:?}: {e}");
            assert!(!e.contains('\n'));
        }
        let e = config(&["-i", "4000000"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no interface has index 4000000 (rawcap -D lists them)"
        );
        let e = config(&["-i", "a/b"]).unwrap_err();
        assert!(e.to_string().starts_with("invalid interface name 'a/b'"));
    }

    #[test]
    fn every_mode_checks_the_shared_values() {
        // One parser per value: -c, -s and -y mean the same in each mode.
        for argv in [
            &["-r", "x.pcap", "-c", "0"][..],
            &["-d", "-c", "0"],
            &["-i", "lo", "-c", "0"],
        ] {
            let e = config(argv).unwrap_err().to_string();
            assert_eq!(e, "invalid packet count 0", "{argv:?}");
        }
        for argv in [&["-r", "x.pcap", "-y", "FOO"][..], &["-d", "-y", "FOO"]] {
            let e = config(argv).unwrap_err().to_string();
            assert!(e.starts_with("invalid data link type FOO"), "{argv:?}: {e}");
        }
        let e = config(&["-d", "-s", "x"]).unwrap_err().to_string();
        assert!(e.starts_with("invalid snaplen x"), "{e}");
        let e = config(&["trace", "-r", "x", "-c", "0"]).unwrap_err();
        assert_eq!(e.to_string(), "invalid packet count 0");
    }

    #[test]
    fn good_values() {
        let c = live(&[
            "-s",
            "0",
            "-c",
            "5",
            "-B",
            "64",
            "-Q",
            "in",
            "--threads",
            "2",
            "tcp",
            "port",
            "80",
        ])
        .unwrap();
        assert_eq!(c.snaplen, 262_144);
        assert_eq!(c.count, Some(5));
        assert_eq!(c.buffer_bytes, 64 * 1024);
        assert_eq!(c.direction, Direction::In);
        assert_eq!(c.threads, 2);
        assert_eq!(c.expression, "tcp port 80");
        assert_eq!(live(&["-s", "0x10"]).unwrap().snaplen, 16);
        assert_eq!(live(&["-s", "010"]).unwrap().snaplen, 8);
        assert_eq!(live(&["-s", " +96"]).unwrap().snaplen, 96);
        assert_eq!(live(&["-c", "+3"]).unwrap().count, Some(3));
        assert_eq!(config_interface(&["-i", "1"]), "lo");
        assert_eq!(config_interface(&["-i", "0"]), "any");
    }

    fn config_interface(argv: &[&str]) -> String {
        match config(argv).unwrap() {
            Config::Live(l) => l.interface,
            c => panic!("not live: {c:?}"),
        }
    }

    #[test]
    fn flags_may_follow_the_expression_as_with_getopt() {
        let o = offline(&["-r", "F", "icmp", "-c", "3"]);
        assert_eq!((o.expression.as_str(), o.count), ("icmp", Some(3)));
        let o = offline(&["-r", "F", "tcp", "port", "80", "-w", "out.pcap"]);
        assert_eq!(o.expression, "tcp port 80");
        assert_eq!(o.output.write.as_deref(), Some(Path::new("out.pcap")));
        // Combined short flags, values attached or not.
        let o = offline(&["-nnvvXs0", "-r", "F", "-c3"]);
        assert!(o.output.text.numeric);
        assert_eq!((o.output.text.verbose, o.output.text.hex_ascii), (2, 1));
        assert_eq!(o.count, Some(3));
        let o = offline(&["-nr", "F", "udp"]);
        assert_eq!(
            (o.path.as_path(), o.expression.as_str()),
            (Path::new("F"), "udp")
        );
        // `--` ends the flags: what follows is expression.
        let o = offline(&["-r", "F", "icmp", "--", "-c", "3"]);
        assert_eq!((o.expression.as_str(), o.count), ("icmp -c 3", None));
        // `-` alone is an expression word, as with getopt.
        assert_eq!(offline(&["-r", "F", "-"]).expression, "-");
        // A flag's value is the next word, whatever it looks like.
        assert_eq!(offline(&["-r", "-", "-w", "-"]).path, Path::new("-"));
        // Given twice, the last one counts.
        assert_eq!(
            offline(&["-r", "A", "-c", "1", "-r", "B", "-c", "2"]).count,
            Some(2)
        );
        // A word that looks like an unknown flag is refused, as getopt does.
        assert!(config(&["-r", "F", "-5"]).is_err());
    }

    #[test]
    fn subcommands_take_flags_after_their_words_too() {
        match config(&["trace", "-r", "F", "tcp", "-c", "2", "-O"]).unwrap() {
            Config::Trace(t) => {
                assert_eq!((t.expression.as_str(), t.count), ("tcp", Some(2)));
                assert!(!t.optimize);
            }
            c => panic!("{c:?}"),
        }
        match config(&["client", "127.0.0.1:9", "--http", "/x"]).unwrap() {
            Config::Client(c) => {
                let Request::Http(req) = &c.request else {
                    panic!("{c:?}")
                };
                assert!(req.starts_with("GET /x HTTP/1.1\r\nHost: 127.0.0.1:9\r\n"));
                assert!(!c.options.half_close);
            }
            c => panic!("{c:?}"),
        }
        assert!(config(&["client", "h:1", "hi", "--http", "/"]).is_err());
        let e = config(&["client", "h:1", "--http", "/a\r\nX-Evil: 1"]).unwrap_err();
        assert_eq!(
            format!("{e:#}"),
            "client --http: the HTTP path has a control character (\\r) at byte 2: \
             refused (percent-encode it as %0D)"
        );
        assert!(matches!(
            config(&["serve", "127.0.0.1:0", "--http"]).unwrap(),
            Config::Serve(_)
        ));
    }

    #[test]
    fn compile_mode_targets() {
        let c = |argv: &[&str]| match config(argv).unwrap() {
            Config::Compile(c) => c,
            c => panic!("{c:?}"),
        };
        assert_eq!(c(&["-d", "ip"]).target, CompileFor::Default);
        assert_eq!(c(&["-ddd", "ip"]).print, Print::Decimal);
        assert_eq!(c(&["--dot", "-d", "ip"]).print, Print::Dot);
        assert_eq!(
            c(&["-r", "f.pcap", "-d"]).target,
            CompileFor::File("f.pcap".into())
        );
        assert_eq!(
            c(&["-i", "lo", "-dd"]).target,
            CompileFor::Interface("lo".into())
        );
    }

    #[test]
    fn rotation_and_time_stamp_values_in_tcpdumps_words() {
        for (argv, want) in [
            (&["-C", "0"][..], "invalid file size 0"),
            (&["-C", "1k"], "invalid file size 1k"),
            (&["-C", "1.5"], "invalid file size 1.5"),
            (
                &["-C", "9223372036855"],
                "file size 9223372036855 is too large",
            ),
            (&["-G", "-1"], "invalid number of seconds -1"),
            (&["-W", "0"], "invalid number of output files 0"),
            (
                &["-W", "2147483648"],
                "invalid number of output files 2147483648",
            ),
            (
                &["--time-stamp-precision", "pico"],
                "unsupported time stamp precision",
            ),
            (&["-j", "sundial"], "invalid time stamp type sundial"),
        ] {
            let e = live(argv).unwrap_err().to_string();
            assert_eq!(e, want, "{argv:?}");
        }
        let r = live(&["-w", "f", "-C", "+2", "-W", "3x", "-G", "5s", "-z", "gzip"])
            .unwrap()
            .output
            .rotation
            .unwrap();
        assert_eq!(r.size, Some(2_000_000));
        assert_eq!((r.count, r.seconds), (Some(3), Some(5)));
        assert_eq!(r.postrotate.as_deref(), Some("gzip"));
        // -G 0 (or a word atoi reads as 0) and -W alone rotate nothing.
        assert_eq!(
            live(&["-w", "f", "-G", "abc", "-W", "2"])
                .unwrap()
                .output
                .rotation,
            None
        );
        let o = live(&["--time-stamp-precision=nanoseconds", "-w", "x.pcapng"])
            .unwrap()
            .output;
        assert!(o.nano && o.text.nanos);
        assert_eq!(o.format, SaveFormat::Pcapng);
        assert!(!live(&["--nano", "--micro"]).unwrap().output.nano);
        assert!(live(&["--micro", "--nano"]).unwrap().output.nano);
        assert_eq!(
            live(&["-w", "x.pcap"]).unwrap().output.format,
            SaveFormat::Pcap
        );
        assert_eq!(
            live(&["--pcapng", "-w", "x.pcap"]).unwrap().output.format,
            SaveFormat::Pcapng
        );
    }

    #[test]
    fn several_interfaces_and_long_options() {
        let l = live(&["--interface", "any", "-i", "0"]);
        assert!(l.unwrap_err().to_string().contains("-i any given twice"));
        let l = live(&[
            "-i",
            "any",
            "--snapshot-length",
            "96",
            "--no-promiscuous-mode",
        ])
        .unwrap();
        assert_eq!(
            (l.interface.as_str(), l.extra_interfaces.as_slice()),
            ("lo", &["any".to_string()][..])
        );
        assert_eq!(l.snaplen, 96);
        assert!(!l.promiscuous);
        let l = live(&[
            "--direction",
            "in",
            "--buffer-size",
            "64",
            "--immediate-mode",
            "--linktype",
            "EN10MB",
        ])
        .unwrap();
        assert_eq!(
            (l.direction, l.buffer_bytes, l.immediate),
            (Direction::In, 65_536, true)
        );
        assert_eq!(l.linktype, Some(LinkType::Ethernet));
        let l = live(&[
            "--packet-buffered",
            "--number",
            "-AA",
            "-S",
            "-K",
            "--print",
            "--relinquish-privileges",
            "nobody",
        ])
        .unwrap();
        assert!(l.output.packet_buffered && l.output.line_buffered && l.output.print);
        assert!(l.output.text.number && l.output.text.absolute_seq && l.output.text.no_checksum);
        assert_eq!(
            (l.output.text.ascii, l.user.as_deref()),
            (2, Some("nobody"))
        );
        assert!(matches!(config(&["--version"]).unwrap(), Config::Version));
        assert!(matches!(
            config(&["--list-interfaces"]).unwrap(),
            Config::ListInterfaces
        ));
        match config(&["-L", "-i", "lo", "-i", "any"]).unwrap() {
            Config::ListLinkTypes(v) => assert_eq!(v, ["lo", "any"]),
            c => panic!("{c:?}"),
        }
    }

    #[test]
    fn seconds_rejects_nonsense() {
        assert_eq!(seconds("x", 0.25).unwrap(), Duration::from_millis(250));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(seconds("x", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_in_messages_are_escaped_and_bounded() {
        let e = config(&["-c", "\x1b[31mred\n"]).unwrap_err().to_string();
        assert_eq!(e, "invalid packet count \\u{1b}[31mred\\n");
        let long = "9".repeat(10_000);
        let e = config(&["-s", &long]).unwrap_err().to_string();
        assert!(e.len() < 200, "{e}");
        assert!(e.contains(&format!("{}...", "9".repeat(64))), "{e}");
    }

    #[test]
    fn c_integers() {
        for (s, v) in [
            ("0", Some(0)),
            ("017", Some(15)),
            ("0x1f", Some(31)),
            ("9", Some(9)),
        ] {
            assert_eq!(c_integer(s), v, "{s}");
        }
        for s in ["", "08", "0x", "1e3", "-1", "1 "] {
            assert_eq!(c_integer(s), None, "{s}");
        }
    }
}
