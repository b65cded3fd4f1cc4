//! The properties the fuzz targets check, one function per target.
//!
//! In: the raw bytes libFuzzer (or a committed seed) hands a target. Out:
//! nothing; a function panics exactly when a property fails, which is what
//! libFuzzer reports as a crash. The same functions run in two places:
//! the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`, through this file as the
//! `rawcap_fuzz` library) and the corpus replay test (`tests/fuzz_corpus.rs`,
//! through `#[path]`), so a committed seed checks the same thing in CI as in
//! a fuzzing run. Every input is valid: fields past the end of the bytes read
//! as zero, so the byte layouts below never reject anything.
//!
//! The `*_input` functions build inputs in those layouts; the seed generator
//! in `tests/fuzz_corpus.rs` uses them.

use rawcap::bpf::{self, vm, Insn, Program, Rule};
use rawcap::capture::ring;
use rawcap::decode::{self, text::TextOptions, text::TimeFormat};
use rawcap::packet::Packet;
use rawcap::savefile::{Format, Reader, MAX_SNAPLEN};
use rawcap::{filter, LinkType};
use rawcap_corpus as corpus;
use std::io::{self, Read};
use std::sync::OnceLock;

/// A target's check: panics when the input breaks a property.
pub type Check = fn(&[u8]);

/// Every target: its name (the `fuzz/corpus/<name>/` directory) and check.
pub const TARGETS: &[(&str, Check)] = &[
    ("compile", compile),
    ("vm", vm),
    ("jit", jit),
    ("decode", decode),
    ("savefile", savefile),
    ("ring", ring),
];

/// The link types rawcap knows, in a fixed order (a byte of input picks one).
pub const LINKTYPES: [LinkType; 5] = [
    LinkType::Ethernet,
    LinkType::Raw,
    LinkType::LinuxSll,
    LinkType::Null,
    LinkType::Loop,
];

/// Reads fixed-size little-endian fields off the front of the input; past
/// the end every field is zero.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        let n = N.min(self.0.len());
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        out
    }
    fn u8(&mut self) -> u8 {
        self.take::<1>()[0]
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.take())
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take())
    }
    fn rest(self) -> &'a [u8] {
        self.0
    }
}

/// Every 97th corpus frame (about 40 frames of every kind), built once.
fn sample_frames() -> &'static [corpus::Frame] {
    static FRAMES: OnceLock<Vec<corpus::Frame>> = OnceLock::new();
    FRAMES.get_or_init(|| corpus::frames().into_iter().step_by(97).collect())
}

/// Every engine a `bpf::Machine` can run on.
const ENGINES: [bpf::Engine; 3] = [
    bpf::Engine::Native,
    bpf::Engine::Fused,
    bpf::Engine::Decoded,
];

/// What an AF_PACKET socket on an Ethernet device shows a filter: the
/// file's view of the frame, with a device.
fn ethernet_meta(frame: &[u8]) -> vm::Meta {
    vm::Meta {
        ifindex: 1,
        hatype: 1,
        ..vm::Meta::for_frame(LinkType::Ethernet, frame)
    }
}

/// Text round trips of a valid program: `-ddd` exactly, `-d` to a fixed point.
fn check_text(prog: &Program) {
    let ddd = prog.to_decimal();
    let back = Program::parse_decimal(&ddd)
        .unwrap_or_else(|e| panic!("-ddd text does not parse back: {e}\n{ddd}"));
    assert_eq!(&back, prog, "-ddd round trip changed the program");
    let d = prog.to_string();
    let parsed: Program = d
        .parse()
        .unwrap_or_else(|e| panic!("-d text does not parse back: {e}\n{d}"));
    assert_eq!(parsed.to_string(), d, "-d text is not a fixed point");
}

/// `compile`: the input is an expression (UTF-8, else ignored). Compiled
/// for every link type (and unoptimized for Ethernet, also drawn as DOT), every error's span
/// lies inside the expression and its message is one line; every program
/// validates (the userspace target by the userspace rules; but for the size
/// limits a long expression may pass), round-trips as
/// text and, on sample frames and on the input itself, returns 0 or the
/// snapshot length.
pub fn compile(data: &[u8]) {
    let Ok(expr) = core::str::from_utf8(data) else {
        return;
    };
    let mut runs: Vec<filter::Options> = LINKTYPES
        .iter()
        .map(|&linktype| filter::Options {
            linktype,
            netmask: Some(0xffff_ff00),
            linux_ext: true,
            ..filter::Options::default()
        })
        .collect();
    runs.push(filter::Options {
        optimize: false,
        snaplen: 96,
        ..filter::Options::default()
    });
    // libpcap's own program (protochain's loop), as `-d` and `-r` use it.
    runs.push(filter::Options {
        target: filter::Target::Userspace,
        ..filter::Options::default()
    });
    for opts in &runs {
        if !opts.optimize {
            // `--dot` draws the unoptimized graph.
            if let Ok(dot) = filter::dot(expr, opts) {
                assert!(
                    dot.starts_with("digraph") && dot.trim_end().ends_with('}'),
                    "{dot}"
                );
            }
        }
        let prog = match filter::compile(expr, opts) {
            Ok(prog) => prog,
            Err(e) => {
                let (start, end) = (e.span().start as usize, e.span().end as usize);
                assert!(
                    start <= end && end <= expr.len(),
                    "error span {start}..{end} outside the {}-byte expression {expr:?}: {e}",
                    expr.len()
                );
                // One message line, then the expression and the carets.
                let msg = e.kind().to_string();
                assert!(
                    !msg.is_empty() && !msg.contains('\n'),
                    "error message {msg:?}"
                );
                assert!(e.to_string().lines().count() <= 3, "{e}");
                continue;
            }
        };
        let valid = match opts.target {
            filter::Target::Kernel => bpf::validate(&prog),
            filter::Target::Userspace => bpf::validate_userspace(&prog),
        };
        match valid {
            Ok(()) => check_text(&prog),
            // A long expression may make a program past the kernel's size
            // limits; libpcap compiles those too and the kernel refuses them.
            Err(e) if matches!(e.rule, Rule::TooLong | Rule::ConvertedJumpTooFar) => {}
            Err(e) => {
                panic!("{expr:?} ({opts:?}) compiled to a program validate refuses: {e}\n{prog}")
            }
        }
        let verdict = |pkt: &[u8], wire_len: u32| {
            let r = vm::run(&prog, pkt, wire_len, &ethernet_meta(pkt));
            assert!(
                r == 0 || r == opts.snaplen,
                "{expr:?} ({:?}) returned {r} (snaplen {})\n{prog}",
                opts.linktype,
                opts.snaplen
            );
        };
        for f in sample_frames() {
            verdict(&f.data, f.wire_len);
        }
        verdict(data, data.len() as u32);
    }
}

/// The fixed part of a `vm` input: 2-byte instruction count, wire length, Meta.
const VM_HEADER: usize = 2 + 4 + 48;

/// `vm` input layout (little-endian): `u16` instruction count, `u32` wire
/// length, the [`vm::Meta`] fields in declaration order (`vlan_present` and
/// the `mac_offset` flag one byte each), then the instructions (8 bytes each:
/// `u16 code, u8 jt, u8 jf, u32 k`; fewer when the input runs out), then the packet.
pub fn vm_input(prog: &Program, wire_len: u32, meta: &vm::Meta, pkt: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(VM_HEADER + 8 * prog.len() + pkt.len());
    v.extend_from_slice(&(prog.len() as u16).to_le_bytes());
    v.extend_from_slice(&wire_len.to_le_bytes());
    v.extend_from_slice(&meta.protocol.to_le_bytes());
    v.extend_from_slice(&meta.pkttype.to_le_bytes());
    v.extend_from_slice(&meta.ifindex.to_le_bytes());
    v.extend_from_slice(&meta.vlan_tci.to_le_bytes());
    v.push(u8::from(meta.vlan_present));
    v.extend_from_slice(&meta.vlan_tpid.to_le_bytes());
    v.extend_from_slice(&meta.mark.to_le_bytes());
    v.extend_from_slice(&meta.hatype.to_le_bytes());
    v.extend_from_slice(&meta.rxhash.to_le_bytes());
    v.extend_from_slice(&meta.queue.to_le_bytes());
    v.extend_from_slice(&meta.cpu.to_le_bytes());
    v.extend_from_slice(&meta.random.to_le_bytes());
    v.extend_from_slice(&meta.pay_offset.to_le_bytes());
    v.extend_from_slice(&meta.network_offset.to_le_bytes());
    v.push(u8::from(meta.mac_offset.is_some()));
    v.extend_from_slice(&meta.mac_offset.unwrap_or(0).to_le_bytes());
    for i in prog.insns() {
        v.extend_from_slice(&i.code.to_le_bytes());
        v.extend_from_slice(&[i.jt, i.jf]);
        v.extend_from_slice(&i.k.to_le_bytes());
    }
    v.extend_from_slice(pkt);
    v
}

/// `vm`: any program (see [`vm_input`]) on any packet. The VM never panics,
/// validated or not, gives the same answer twice, and every engine of
/// `bpf::Machine` gives the same answer; a program that passes the userspace
/// rules also round-trips as `-ddd` and `-d` text. `vm::trace` ends on an
/// event carrying the value returned.
/// The program, wire length, metadata and packet of a [`vm_input`], each
/// instruction passed through `map`.
fn read_vm_input(data: &[u8], map: impl Fn(Insn) -> Insn) -> (Program, u32, vm::Meta, &[u8]) {
    let mut c = Cursor(data);
    let count = usize::from(c.u16());
    let wire_len = c.u32();
    let meta = vm::Meta {
        protocol: c.u16(),
        pkttype: c.u32(),
        ifindex: c.u32(),
        vlan_tci: c.u16(),
        vlan_present: c.u8() & 1 != 0,
        vlan_tpid: c.u16(),
        mark: c.u32(),
        hatype: c.u16(),
        rxhash: c.u32(),
        queue: c.u16(),
        cpu: c.u32(),
        random: c.u32(),
        pay_offset: c.u32(),
        network_offset: c.u32(),
        mac_offset: {
            let present = c.u8() & 1 != 0;
            let off = c.u32();
            present.then_some(off)
        },
    };
    let body = c.rest();
    let count = count.min(body.len() / 8);
    let (code, pkt) = body.split_at(count * 8);
    let insns = code
        .chunks_exact(8)
        .map(|w| {
            map(Insn {
                code: u16::from_le_bytes([w[0], w[1]]),
                jt: w[2],
                jf: w[3],
                k: u32::from_le_bytes([w[4], w[5], w[6], w[7]]),
            })
        })
        .collect();
    (Program::new(insns), wire_len, meta, pkt)
}

pub fn vm(data: &[u8]) {
    let (prog, wire_len, meta, pkt) = read_vm_input(data, |i| i);
    let first = vm::run(&prog, pkt, wire_len, &meta);
    assert_eq!(
        first,
        vm::run(&prog, pkt, wire_len, &meta),
        "VM is not deterministic"
    );
    // Every engine of bpf::Machine that takes the program returns the same
    // (backward jumps and their bound included; Fused refuses programs that
    // jump back).
    for engine in ENGINES {
        if let Some(m) = bpf::Machine::with_engine(&prog, engine) {
            assert_eq!(
                first,
                m.run(pkt, wire_len, &meta),
                "{engine:?} differs from vm::run\n{prog}"
            );
        }
    }
    // The traced run (`rawcap trace`; `vm::run` is it without a listener)
    // ends on an event carrying what it returns.
    let mut last = None;
    vm::trace(&prog, pkt, wire_len, &meta, |_, e| last = Some(e));
    assert!(
        matches!(last, Some(vm::Event::Return(v) | vm::Event::Ended(_, v)) if v == first),
        "vm::trace ended on {last:?}\n{prog}"
    );
    if bpf::validate_userspace(&prog).is_ok() {
        check_text(&prog);
    }
}

/// Display flags one `decode` input byte pair selects.
fn text_options(a: u8, b: u8) -> TextOptions {
    TextOptions {
        numeric: a & 1 != 0,
        link_header: a & 2 != 0,
        quiet: a & 4 != 0,
        nanos: a & 8 != 0,
        hex: (a >> 4 & 3) % 3,
        hex_ascii: (a >> 6) % 3,
        verbose: b & 3,
        time: TimeFormat::from_count(b >> 2 & 7),
        ascii: (b >> 5 & 1) + (b >> 6 & 1),
        absolute_seq: b & 0x80 != 0,
        ..TextOptions::default()
    }
}

/// The link types the `decode` target reads frames as: [`LINKTYPES`] and
/// the ones only the decoder takes so far (appended, so existing seeds keep
/// their link type).
pub const DECODE_LINKTYPES: [LinkType; 8] = [
    LinkType::Ethernet,
    LinkType::Raw,
    LinkType::LinuxSll,
    LinkType::Null,
    LinkType::Loop,
    LinkType::LinuxSll2,
    LinkType::Ipv4,
    LinkType::Ipv6,
];

/// `decode` input layout: link type index (into [`DECODE_LINKTYPES`]), two bytes of
/// display flags, a byte added to the frame's length for its wire length,
/// then the frame.
pub fn decode_input(linktype: LinkType, flags: [u8; 2], frame: &[u8], wire_extra: u8) -> Vec<u8> {
    let lt = DECODE_LINKTYPES
        .iter()
        .position(|&l| l == linktype)
        .unwrap_or(0) as u8;
    let mut v = vec![lt, flags[0], flags[1], wire_extra];
    v.extend_from_slice(frame);
    v
}

/// `decode` (see [`decode_input`]): the decoder and both printers take any
/// frame; text has no control characters but newline and tab (twice in a
/// row, for the printer's TCP state); the JSON line is one line and parses.
pub fn decode(data: &[u8]) {
    let mut c = Cursor(data);
    let linktype = DECODE_LINKTYPES[usize::from(c.u8()) % DECODE_LINKTYPES.len()];
    let opts = text_options(c.u8(), c.u8());
    let wire_extra = u32::from(c.u8());
    let frame = c.rest();
    let s = decode::summarize(linktype, frame);
    let _ = (s.http_line(), s.l4_checksum(6), s.l4_checksum(17));
    let pkt = Packet::new(
        1_700_000_000_123_456_789,
        frame,
        frame.len() as u32 + wire_extra,
    );
    let mut printer = decode::text::Printer::new(opts);
    for _ in 0..2 {
        let line = printer.format(linktype, &pkt);
        if let Some(bad) = line
            .chars()
            .find(|&ch| ch.is_control() && ch != '\n' && ch != '\t')
        {
            panic!("text has control character {bad:?}: {line:?}");
        }
    }
    let json = decode::json::line(linktype, &pkt);
    assert!(!json.contains('\n'), "JSON line has a newline: {json:?}");
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
        panic!("JSON line does not parse ({e}): {json}");
    }
}

/// A source that hands out at most `chunk` bytes per `read`.
struct Trickle<'a> {
    data: &'a [u8],
    chunk: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.chunk.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// Everything a reader gave, owned: records `(ts, bytes, wire, linktype,
/// interface)` and how it ended.
type Reading = (Vec<(u64, Vec<u8>, u32, u32, u32)>, Option<String>);

fn read_all<R: Read>(src: R) -> Reading {
    let mut reader = match Reader::new(src) {
        Ok(r) => r,
        Err(e) => return (Vec::new(), Some(e.to_string())),
    };
    if let Err(e) = reader.peek_linktype() {
        return (Vec::new(), Some(e.to_string()));
    }
    let mut records = Vec::new();
    let mut pos = reader.position();
    loop {
        let (packet, linktype, interface) = match reader.next_record() {
            Ok(None) => return (records, None),
            Err(e) => return (records, Some(e.to_string())),
            Ok(Some(r)) => (r.packet, r.linktype, r.interface),
        };
        assert!(
            packet.data.len() <= MAX_SNAPLEN as usize,
            "record of {} bytes",
            packet.data.len()
        );
        // A record whose wire length is below its caplen is given as it is
        // (tcpdump prints it as `[Invalid header: ...]`), and written so.
        records.push((
            packet.ts_ns,
            packet.data.to_vec(),
            packet.wire_len,
            linktype,
            interface,
        ));
        let now = reader.position();
        assert!(
            now > pos,
            "a record that consumes no bytes (position {now})"
        );
        pos = now;
    }
}

/// `savefile`: the input is a savefile. Read from a slice and from a source
/// that trickles it out a few bytes per read, the reader gives the same
/// records and the same error; no record is longer than [`MAX_SNAPLEN`] or
/// consumes no bytes. A pcap file's records written again and read back
/// are the same (times past 2106 wrapped).
pub fn savefile(data: &[u8]) {
    let whole = read_all(data);
    let chunk = 1 + usize::from(data.last().copied().unwrap_or(0) % 61);
    let trickled = read_all(Trickle { data, chunk });
    assert_eq!(
        whole, trickled,
        "reading in {chunk}-byte pieces changes the result"
    );
    let Ok(Format::Pcap { nanos, .. }) = Reader::new(data).map(|r| r.format()) else {
        return;
    };
    let (records, _) = whole;
    let Some(&(_, _, _, linktype, _)) = records.first() else {
        return;
    };
    let resolution = if nanos {
        rawcap::savefile::Resolution::Nano
    } else {
        rawcap::savefile::Resolution::Micro
    };
    let Ok(mut w) = rawcap::savefile::PcapWriter::with_linktype_number(
        Vec::new(),
        linktype,
        MAX_SNAPLEN,
        resolution,
    ) else {
        panic!("PcapWriter on a Vec failed");
    };
    for (ts, bytes, wire, _, _) in &records {
        if let Err(e) = w.write(&Packet::new(*ts, bytes, *wire)) {
            panic!("PcapWriter on a Vec failed: {e}");
        }
    }
    let out = match w.into_inner() {
        Ok(out) => out,
        Err(e) => panic!("PcapWriter on a Vec failed: {e}"),
    };
    let (again, end) = read_all(&out[..]);
    assert_eq!(end, None, "rewritten file does not read back cleanly");
    // pcap keeps 32-bit seconds: a time past 2106 (a microsecond field over
    // a million can push one there) comes back wrapped, as in libpcap.
    const NS: u64 = 1_000_000_000;
    let want: Vec<_> = records
        .into_iter()
        .map(|(ts, bytes, wire, lt, ifc)| {
            ((ts / NS % (1 << 32)) * NS + ts % NS, bytes, wire, lt, ifc)
        })
        .collect();
    assert_eq!(
        again, want,
        "pcap write/read round trip changed the records"
    );
}

/// `ring`: the input is one TPACKET_V3 block (also read as a
/// `PACKET_AUXDATA` message). The walk ends, yields at most `num_pkts`
/// frames and at most one error (last), and every frame's bytes and
/// address lie inside the block.
pub fn ring(data: &[u8]) {
    let inside = |s: &[u8]| {
        let (lo, hi) = (data.as_ptr() as usize, data.as_ptr() as usize + data.len());
        let (a, b) = (s.as_ptr() as usize, s.as_ptr() as usize + s.len());
        s.is_empty() || (lo <= a && b <= hi)
    };
    if let Ok(aux) = ring::Aux::new_checked(data) {
        let _ = (aux.tp_len(), aux.tp_snaplen(), aux.vlan());
    }
    let Ok(block) = ring::Block::new_checked(data) else {
        return;
    };
    let _ = (
        block.version(),
        block.block_status(),
        block.blk_len(),
        block.seq_num(),
    );
    let mut frames = 0u64;
    let mut errors = 0;
    let mut out = Vec::new();
    for fr in block.frames() {
        assert_eq!(errors, 0, "the walk went on after an error");
        let fr = match fr {
            Ok(fr) => fr,
            Err(_) => {
                errors += 1;
                continue;
            }
        };
        frames += 1;
        assert!(
            frames <= u64::from(block.num_pkts()),
            "more frames than num_pkts"
        );
        assert!(
            frames as usize <= data.len() / 4,
            "the walk does not move forward"
        );
        assert!(
            inside(fr.data()) && inside(fr.addr()),
            "frame reaches outside its block"
        );
        let _ = (
            fr.tp_next_offset(),
            fr.ts_ns(),
            fr.tp_len(),
            fr.tp_status(),
            fr.tp_rxhash(),
        );
        let _ = (fr.ifindex(), fr.pkttype());
        let hdr = ring::sll_header(fr.pkttype(), fr.hatype(), fr.addr(), fr.protocol());
        if let Some((tpid, tci)) = fr.vlan() {
            let added = ring::reinsert_vlan(fr.data(), 12, tpid, tci, &mut out);
            assert_eq!(out.len(), fr.data().len() + added);
            let added = ring::reinsert_vlan(&hdr, 14, tpid, tci, &mut out);
            assert_eq!((out.len(), added), (20, 4));
        }
    }
}

/// `jit`: the input of [`vm`], with every instruction word that is no
/// opcode replaced by a valid one (so most programs run deep), run by the
/// native engine (`rawcap::jit`, x86-64 Linux) and by `vm::run`: the same
/// value on every program and packet, and the engine takes every program.
pub fn jit(data: &[u8]) {
    static CODES: OnceLock<Vec<u16>> = OnceLock::new();
    let codes = CODES.get_or_init(|| {
        (0..=0xffu16)
            .filter(|&c| bpf::decode(Insn::stmt(c, 0)).is_ok())
            .collect()
    });
    let (prog, wire_len, meta, pkt) = read_vm_input(data, |i| match bpf::decode(i) {
        Ok(_) => i,
        Err(_) => Insn {
            code: codes[usize::from(i.code) % codes.len()],
            ..i
        },
    });
    let Some(m) = bpf::Machine::with_engine(&prog, bpf::Engine::Native) else {
        if cfg!(all(target_arch = "x86_64", target_os = "linux")) {
            panic!("the native engine refused\n{prog}");
        }
        return;
    };
    assert_eq!(
        m.run(pkt, wire_len, &meta),
        vm::run(&prog, pkt, wire_len, &meta),
        "native code differs from vm::run\n{prog}\npacket {pkt:02x?}, wire {wire_len}, {meta:?}"
    );
}
