//! Command-line flags, spelled as tcpdump spells them.

use clap::{ArgAction, Args as ClapArgs, Parser, Subcommand};
use std::path::PathBuf;

/// `rawcap [FLAGS] [EXPRESSION...]` or `rawcap SUBCOMMAND ...`.
#[derive(Parser, Debug, Default)]
#[command(
    name = "rawcap",
    // --version is rawcap's own flag (tcpdump's two-line form).
    disable_version_flag = true,
    about = "Packet capture without libpcap: AF_PACKET, TPACKET_V3, tcpdump filters, pcap files",
    after_help = "EXPRESSION is a tcpdump filter expression (pcap-filter(7)), e.g. 'tcp port 80'.",
    // As tcpdump's getopt: a flag given twice takes the last value.
    args_override_self = true,
    // A subcommand is only the first word: after a flag, `client` or
    // `trace` is an expression word, as for tcpdump.
    args_conflicts_with_subcommands = true
)]
pub struct Args {
    /// Print the compiled filter program: -d as text, -dd as C, -ddd as decimal; then exit.
    #[arg(short = 'd', action = ArgAction::Count)]
    pub dump: u8,
    /// Print the filter's control-flow graph as Graphviz DOT and exit.
    #[arg(long = "dot")]
    pub dot: bool,
    /// Do not run the filter optimizer.
    #[arg(short = 'O', long = "no-optimize")]
    pub no_optimize: bool,
    /// Link-layer type to compile for or capture with (EN10MB, LINUX_SLL, LINUX_SLL2, RAW, NULL, LOOP, IPV4, IPV6).
    #[arg(
        short = 'y',
        long = "linktype",
        value_name = "LINKTYPE",
        allow_hyphen_values = true
    )]
    pub linktype: Option<String>,
    /// Read the filter expression from FILE.
    #[arg(short = 'F', value_name = "FILE", allow_hyphen_values = true)]
    pub filter_file: Option<PathBuf>,

    /// Capture on INTERFACE ("any" for all interfaces, cooked mode); give
    /// -i several times to capture on several interfaces at once.
    #[arg(short = 'i', long = "interface", value_name = "INTERFACE", allow_hyphen_values = true, action = ArgAction::Append)]
    pub interface: Vec<String>,
    /// Exit after COUNT packets.
    #[arg(short = 'c', value_name = "COUNT", allow_hyphen_values = true)]
    pub count: Option<String>,
    /// Snapshot length: bytes kept per packet (0 means 262144).
    #[arg(
        short = 's',
        long = "snapshot-length",
        value_name = "SNAPLEN",
        allow_hyphen_values = true
    )]
    pub snaplen: Option<String>,
    /// Do not put the interface into promiscuous mode.
    #[arg(short = 'p', long = "no-promiscuous-mode")]
    pub no_promisc: bool,
    /// Kernel ring buffer size in KiB (default 8192).
    #[arg(
        short = 'B',
        long = "buffer-size",
        value_name = "KIB",
        allow_hyphen_values = true
    )]
    pub buffer_kib: Option<String>,
    /// Direction to capture: in, out or inout.
    #[arg(
        short = 'Q',
        long = "direction",
        value_name = "DIRECTION",
        allow_hyphen_values = true
    )]
    pub direction: Option<String>,
    /// List the interfaces rawcap can capture on and exit.
    #[arg(short = 'D', long = "list-interfaces")]
    pub list_interfaces: bool,
    /// List the link types of the interface (-i) and exit.
    #[arg(short = 'L', long = "list-data-link-types")]
    pub list_linktypes: bool,
    /// List the time stamp types of the interface (-i) and exit.
    #[arg(short = 'J', long = "list-time-stamp-types")]
    pub list_tstamp_types: bool,
    /// Time stamp type to capture with (only `host`: see docs/tcpdump-flags.md).
    #[arg(
        short = 'j',
        long = "time-stamp-type",
        value_name = "TYPE",
        allow_hyphen_values = true
    )]
    pub tstamp_type: Option<String>,
    /// Deliver each packet as soon as it arrives instead of by ring block.
    #[arg(long = "immediate-mode")]
    pub immediate: bool,
    /// Drop privileges to USER once the capture is open.
    #[arg(
        short = 'Z',
        long = "relinquish-privileges",
        value_name = "USER",
        allow_hyphen_values = true
    )]
    pub user: Option<String>,
    /// Worker threads, each with its own ring (PACKET_FANOUT hash mode).
    #[arg(long = "threads", value_name = "N", allow_hyphen_values = true)]
    pub threads: Option<String>,
    /// Stop after SECONDS.
    #[arg(long = "duration", value_name = "SECONDS", allow_hyphen_values = true)]
    pub duration: Option<String>,
    /// Read with recvfrom instead of the TPACKET_V3 ring.
    #[arg(long = "recvfrom")]
    pub recvfrom: bool,

    /// Do not convert addresses or ports to names (-n; -nn is the same).
    #[arg(short = 'n', action = ArgAction::Count)]
    pub numeric: u8,
    /// Print host names without their domain (`-N`).
    #[arg(short = 'N')]
    pub no_domain: bool,
    /// Accepted and ignored, as tcpdump does (an old flag).
    #[arg(short = 'a', hide = true)]
    pub old_a: bool,
    /// Print the link-level header on each line.
    #[arg(short = 'e')]
    pub link_header: bool,
    /// Print each packet in hex (-xx: including the link header).
    #[arg(short = 'x', action = ArgAction::Count)]
    pub hex: u8,
    /// Print each packet in hex and ASCII (-XX: including the link header).
    #[arg(short = 'X', action = ArgAction::Count)]
    pub hex_ascii: u8,
    /// Quiet output: less protocol information.
    #[arg(short = 'q')]
    pub quiet: bool,
    /// Timestamp format: -t none, -tt epoch, -ttt delta, -tttt date and time.
    #[arg(short = 't', action = ArgAction::Count)]
    pub time_format: u8,
    /// Verbose output (TTL, id, total length, ...).
    #[arg(short = 'v', action = ArgAction::Count)]
    pub verbose: u8,
    /// Print each packet (minus its link header; -AA with it) in ASCII.
    #[arg(short = 'A', action = ArgAction::Count)]
    pub ascii: u8,
    /// Print absolute, not relative, TCP sequence numbers.
    #[arg(short = 'S', long = "absolute-tcp-sequence-numbers")]
    pub absolute_seq: bool,
    /// Do not verify IP, TCP or UDP checksums.
    #[arg(short = 'K', long = "dont-verify-checksums")]
    pub no_checksum: bool,
    /// Print a packet number at the start of each line.
    #[arg(short = '#', long = "number")]
    pub number: bool,
    /// Print packets while writing them with -w.
    #[arg(long = "print")]
    pub print: bool,
    /// Print only the number of packets (with -r).
    #[arg(long = "count")]
    pub count_only: bool,
    /// Print one JSON object per packet per line.
    #[arg(long = "json")]
    pub json: bool,
    /// Make stdout line buffered.
    #[arg(short = 'l')]
    pub line_buffered: bool,
    /// Flush the savefile after every packet.
    #[arg(short = 'U', long = "packet-buffered")]
    pub packet_buffered: bool,

    /// Write packets to a pcap FILE ("-" for stdout; a name ending in .pcapng writes pcapng).
    #[arg(short = 'w', value_name = "FILE", allow_hyphen_values = true)]
    pub write: Option<PathBuf>,
    /// Write pcapng rather than pcap.
    #[arg(long = "pcapng")]
    pub pcapng: bool,
    /// Start a new savefile when the current one passes SIZE million bytes.
    #[arg(short = 'C', value_name = "SIZE", allow_hyphen_values = true)]
    pub file_size: Option<String>,
    /// Start a new savefile every SECONDS (strftime(3) conversions in the -w name).
    #[arg(short = 'G', value_name = "SECONDS", allow_hyphen_values = true)]
    pub rotate_seconds: Option<String>,
    /// Keep at most COUNT savefiles (a ring with -C; stop after COUNT with -G alone).
    #[arg(short = 'W', value_name = "COUNT", allow_hyphen_values = true)]
    pub file_count: Option<String>,
    /// Run COMMAND FILE on each savefile closed by -C or -G.
    #[arg(short = 'z', value_name = "COMMAND", allow_hyphen_values = true)]
    pub postrotate: Option<String>,
    /// Read packets from a pcap or pcapng FILE ("-" for stdin).
    #[arg(short = 'r', value_name = "FILE", allow_hyphen_values = true)]
    pub read: Option<PathBuf>,
    /// Read the savefiles named in FILE, one per line ("-" for stdin).
    #[arg(short = 'V', value_name = "FILE", allow_hyphen_values = true)]
    pub read_list: Option<PathBuf>,
    /// Microsecond time stamps (the default).
    #[arg(long = "micro", overrides_with_all = ["nano", "precision"])]
    pub micro: bool,
    /// Nanosecond time stamps and savefiles.
    #[arg(long = "nano", overrides_with_all = ["micro", "precision"])]
    pub nano: bool,
    /// Time stamp precision: micro or nano.
    #[arg(
        long = "time-stamp-precision",
        overrides_with_all = ["micro", "nano"],
        value_name = "PRECISION",
        allow_hyphen_values = true
    )]
    pub precision: Option<String>,
    /// Print the version and exit.
    #[arg(long = "version")]
    pub version: bool,

    /// A subcommand instead of a capture.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The filter expression (several words are joined with spaces, as tcpdump does).
    /// Flags may come before, between or after its words, as with tcpdump's
    /// getopt; `--` ends the flags.
    #[arg(value_name = "EXPRESSION")]
    pub expression: Vec<String>,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Connect to HOST:PORT, send a message, print what comes back.
    Client(ClientArgs),
    /// Listen on ADDR:PORT and echo or answer HTTP (the demo's and tests' peer).
    Serve(ServeArgs),
    /// Run the filter over a savefile and show which instructions decided each packet.
    Trace(TraceArgs),
}

/// `rawcap client`.
#[derive(ClapArgs, Debug)]
#[command(args_override_self = true)]
pub struct ClientArgs {
    /// HOST:PORT to connect to ([v6]:port for IPv6 literals).
    pub target: String,
    /// The message to send.
    pub message: Option<String>,
    /// Send an HTTP/1.1 GET for PATH instead of a message.
    #[arg(long = "http", value_name = "PATH", num_args = 0..=1, default_missing_value = "/")]
    pub http: Option<String>,
    /// Give up connecting to each address after SECONDS.
    #[arg(long = "connect-timeout", value_name = "SECONDS", default_value = "5")]
    pub connect_timeout: f64,
    /// Stop sending and receiving SECONDS after connecting.
    #[arg(long = "timeout", value_name = "SECONDS", default_value = "5")]
    pub timeout: f64,
    /// Stop reading after BYTES.
    #[arg(long = "max-bytes", value_name = "BYTES", default_value = "1048576")]
    pub max_bytes: usize,
}

/// `rawcap serve`.
#[derive(ClapArgs, Debug)]
#[command(args_override_self = true)]
pub struct ServeArgs {
    /// ADDR:PORT to listen on.
    pub listen: String,
    /// Echo back what each connection sends.
    #[arg(long = "echo", conflicts_with = "http")]
    pub echo: bool,
    /// Answer every request with a small HTTP 200 response.
    #[arg(long = "http")]
    pub http: bool,
    /// Exit after serving COUNT connections.
    #[arg(long = "count", value_name = "COUNT")]
    pub count: Option<u64>,
    /// Exit after SECONDS, closing connections still open.
    #[arg(long = "timeout", value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Serve at most N connections at once (one thread each).
    #[arg(long = "max-concurrent", value_name = "N", default_value = "64")]
    pub max_concurrent: usize,
    /// Close a connection idle for SECONDS.
    #[arg(long = "idle-timeout", value_name = "SECONDS", default_value = "10")]
    pub idle_timeout: f64,
    /// With --http: close a connection whose request head is not complete
    /// SECONDS after it connected (408), and bound the close after replying.
    #[arg(long = "request-timeout", value_name = "SECONDS", default_value = "5")]
    pub request_timeout: f64,
}

/// `rawcap trace`.
#[derive(ClapArgs, Debug)]
#[command(args_override_self = true)]
pub struct TraceArgs {
    /// The savefile to run the filter over.
    #[arg(short = 'r', value_name = "FILE", allow_hyphen_values = true)]
    pub read: PathBuf,
    /// Do not run the filter optimizer.
    #[arg(short = 'O')]
    pub no_optimize: bool,
    /// Stop after COUNT packets.
    #[arg(short = 'c', value_name = "COUNT", allow_hyphen_values = true)]
    pub count: Option<String>,
    /// The filter expression (flags may also come after it; `--` ends them).
    #[arg(value_name = "EXPRESSION")]
    pub expression: Vec<String>,
}
