//! `rawcap trace -r FILE EXPR`: a filter debugger. For each packet, the
//! instructions that ran with the values they loaded and the jumps they
//! took, and the return that decided; at the end, how many packets each
//! return instruction decided and each primitive of the expression matched.
//!
//! The tracing interpreter here follows the kernel's cBPF semantics
//! (Documentation/networking/filter.rst): a load past the end of the packet
//! or a division by zero returns 0 (reject).

use super::args::TraceArgs;
use super::offline::{filter_meta, open_savefile, program_with};
use anyhow::Context;
use rawcap::bpf::{code as c, skf, Insn, Program};
use rawcap::packet::Packet;
use rawcap::LinkType;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};

/// What one executed instruction did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A or X got a value (a load, an ALU operation or a register move).
    Set(char, u32),
    /// Scratch memory cell `M[k]` got a value.
    Store(u32, u32),
    /// A conditional jump was taken (`true`) or not, to the given pc.
    Jump(bool, usize),
    /// An unconditional jump to the given pc.
    Always(usize),
    /// The program returned this value.
    Return(u32),
    /// A load past the end of the packet: the kernel returns 0.
    OutOfBounds(u32),
    /// Division or modulo by zero: the kernel returns 0.
    DivByZero,
    /// The pc ran off the end, or an opcode is unknown: 0.
    Invalid,
}

/// One step of a traced run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The instruction's index.
    pub pc: usize,
    /// What it did.
    pub effect: Effect,
}

/// Extra packet facts that ancillary loads (`SKF_AD_*`) read.
#[derive(Clone, Copy, Debug, Default)]
pub struct Meta {
    /// `SKF_AD_PROTOCOL`: the EtherType (network order value).
    pub protocol: u16,
    /// `SKF_AD_PKTTYPE`.
    pub pkttype: u32,
    /// `SKF_AD_IFINDEX`.
    pub ifindex: u32,
}

fn load(pkt: &[u8], off: u32, size: u16, wire_len: u32, meta: &Meta) -> Option<u32> {
    if off >= skf::AD_OFF {
        return Some(match off - skf::AD_OFF {
            skf::AD_PROTOCOL => u32::from(meta.protocol),
            skf::AD_PKTTYPE => meta.pkttype,
            skf::AD_IFINDEX => meta.ifindex,
            // SKF_AD_PAY_OFFSET and the rest: not modelled.
            _ => 0,
        });
    }
    let _ = wire_len;
    let off = if off >= skf::LL_OFF {
        off - skf::LL_OFF
    } else {
        off
    } as usize;
    let n = match size {
        c::W => 4,
        c::H => 2,
        _ => 1,
    };
    let b = pkt.get(off..off.checked_add(n)?)?;
    Some(b.iter().fold(0u32, |v, &x| (v << 8) | u32::from(x)))
}

/// Runs `prog` over one packet and returns what it returns, recording each
/// step into `trace` when given.
pub fn run_traced(
    prog: &Program,
    pkt: &[u8],
    wire_len: u32,
    meta: &Meta,
    mut trace: Option<&mut Vec<Step>>,
) -> u32 {
    let insns = prog.insns();
    let (mut a, mut x) = (0u32, 0u32);
    let mut mem = [0u32; 16];
    let mut pc = 0usize;
    let mut back = 0u32;
    let mut rec = |pc: usize, effect: Effect| {
        if let Some(t) = trace.as_deref_mut() {
            t.push(Step { pc, effect });
        }
    };
    loop {
        let Some(&Insn { code, jt, jf, k }) = insns.get(pc) else {
            rec(pc, Effect::Invalid);
            return 0;
        };
        let here = pc;
        pc += 1;
        match code & 7 {
            c::LD | c::LDX => {
                let to_x = code & 7 == c::LDX;
                let v = match code & 0xe0 {
                    c::IMM => Some(k),
                    c::LEN => Some(wire_len),
                    c::MEM => Some(mem[(k & 15) as usize]),
                    c::ABS if !to_x => load(pkt, k, code & 0x18, wire_len, meta),
                    c::IND if !to_x => load(pkt, x.wrapping_add(k), code & 0x18, wire_len, meta),
                    c::MSH if to_x => pkt.get(k as usize).map(|b| u32::from(b & 0xf) * 4),
                    _ => {
                        rec(here, Effect::Invalid);
                        return 0;
                    }
                };
                let Some(v) = v else {
                    rec(here, Effect::OutOfBounds(k));
                    return 0;
                };
                if to_x {
                    x = v;
                    rec(here, Effect::Set('X', v));
                } else {
                    a = v;
                    rec(here, Effect::Set('A', v));
                }
            }
            c::ST | c::STX => {
                let v = if code & 7 == c::ST { a } else { x };
                mem[(k & 15) as usize] = v;
                rec(here, Effect::Store(k & 15, v));
            }
            c::ALU => {
                let src = if code & c::X != 0 { x } else { k };
                a = match code & 0xf0 {
                    c::ADD => a.wrapping_add(src),
                    c::SUB => a.wrapping_sub(src),
                    c::MUL => a.wrapping_mul(src),
                    c::DIV | c::MOD if src == 0 => {
                        rec(here, Effect::DivByZero);
                        return 0;
                    }
                    c::DIV => a / src,
                    c::MOD => a % src,
                    c::OR => a | src,
                    c::AND => a & src,
                    c::XOR => a ^ src,
                    c::LSH => a.checked_shl(src).unwrap_or(0),
                    c::RSH => a.checked_shr(src).unwrap_or(0),
                    c::NEG => a.wrapping_neg(),
                    _ => {
                        rec(here, Effect::Invalid);
                        return 0;
                    }
                };
                rec(here, Effect::Set('A', a));
            }
            c::JMP => {
                let src = if code & c::X != 0 { x } else { k };
                let cond = match code & 0xf0 {
                    c::JA => {
                        // Signed, as libpcap reads it (its protochain loop).
                        let Some(to) = rawcap::bpf::vm::ja_target(here, k) else {
                            rec(here, Effect::Invalid);
                            return 0;
                        };
                        if to <= here {
                            if back == rawcap::bpf::vm::MAX_BACKWARD_JUMPS {
                                rec(here, Effect::Invalid);
                                return 0;
                            }
                            back += 1;
                        }
                        pc = to;
                        rec(here, Effect::Always(pc));
                        continue;
                    }
                    c::JEQ => a == src,
                    c::JGT => a > src,
                    c::JGE => a >= src,
                    c::JSET => a & src != 0,
                    _ => {
                        rec(here, Effect::Invalid);
                        return 0;
                    }
                };
                pc += usize::from(if cond { jt } else { jf });
                rec(here, Effect::Jump(cond, pc));
            }
            c::RET => {
                let v = match code & 0x18 {
                    c::A => a,
                    c::X => x,
                    _ => k,
                };
                rec(here, Effect::Return(v));
                return v;
            }
            _ => {
                if code & 0xf8 == c::TXA {
                    a = x;
                    rec(here, Effect::Set('A', a));
                } else {
                    x = a;
                    rec(here, Effect::Set('X', x));
                }
            }
        }
    }
}

/// One instruction in `tcpdump -d` style, without the `(nnn)` prefix.
pub fn image(pc: usize, i: &Insn) -> String {
    rawcap::bpf::text::Line { insn: i, pc }.body()
}

fn describe(e: &Effect) -> String {
    match e {
        Effect::Set(r, v) => format!("{r} = 0x{v:x} ({v})"),
        Effect::Store(m, v) => format!("M[{m}] = 0x{v:x}"),
        Effect::Jump(t, to) => format!("{} -> ({to:03})", if *t { "true" } else { "false" }),
        Effect::Always(to) => format!("-> ({to:03})"),
        Effect::Return(0) => "reject".into(),
        Effect::Return(v) => format!("accept {v}"),
        Effect::OutOfBounds(k) => format!("load past the end (offset {k}): reject"),
        Effect::DivByZero => "division by zero: reject".into(),
        Effect::Invalid => "invalid instruction: reject".into(),
    }
}

/// Splits a filter expression into its primitives: the text between
/// `and`/`or`/`not` (and `&&`, `||`, `!`) and parentheses. A primitive that is
/// a bare value (`port 80 or 443`) inherits the previous one's qualifiers.
pub fn primitives(expr: &str) -> Vec<String> {
    let spaced = expr
        .replace('(', " ( ")
        .replace(')', " ) ")
        .replace("&&", " and ")
        .replace("||", " or ");
    let mut out: Vec<String> = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let flush = |cur: &mut Vec<&str>, out: &mut Vec<String>| {
        if cur.is_empty() {
            return;
        }
        // A lone value ("443", "198.18.0.2") continues the previous
        // primitive's qualifiers; a lone keyword ("udp") stands alone.
        let value = |w: &str| w.starts_with(|c: char| c.is_ascii_digit()) || w.contains(':');
        let p = if cur.len() == 1 && value(cur[0]) {
            match out.last().and_then(|prev| prev.rsplit_once(' ')) {
                Some((quals, _)) => format!("{quals} {}", cur[0]),
                None => cur[0].to_string(),
            }
        } else {
            cur.join(" ")
        };
        if !out.contains(&p) {
            out.push(p);
        }
        cur.clear();
    };
    for w in spaced.split_whitespace() {
        match w {
            "and" | "or" | "not" | "(" | ")" => flush(&mut cur, &mut out),
            _ if w.starts_with('!') && !w.starts_with("!=") => {
                flush(&mut cur, &mut out);
                if w.len() > 1 {
                    cur.push(&w[1..]);
                }
            }
            _ => cur.push(w),
        }
    }
    flush(&mut cur, &mut out);
    out
}

/// Runs the trace mode.
pub fn run(args: &TraceArgs) -> anyhow::Result<i32> {
    let expr = super::compile::words_or_file(&args.expression, None)?;
    let (mut reader, _) = open_savefile(&args.read)?;
    let lt_num = reader.peek_linktype()?.unwrap_or(1);
    let linktype = LinkType::from_linktype(lt_num)
        .with_context(|| format!("unsupported link type {lt_num}"))?;
    let snaplen = reader.snaplen().unwrap_or(0);
    let optimize = !args.no_optimize;
    let prog = program_with(&expr, linktype, snaplen, optimize)?;
    let prims: Vec<(String, Result<Program, String>)> = primitives(&expr)
        .into_iter()
        .map(|p| {
            let r = program_with(&p, linktype, snaplen, optimize).map_err(|e| {
                format!("{e:#}")
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string()
            });
            (p, r)
        })
        .collect();
    let mut prim_counts = vec![0u64; prims.len()];
    let mut ret_counts = vec![0u64; prog.len()];
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(
        out,
        "filter: {}",
        if expr.is_empty() { "(none)" } else { &expr }
    )?;
    for (pc, i) in prog.insns().iter().enumerate() {
        writeln!(out, "({pc:03}) {}", image(pc, i))?;
    }
    let (mut n, mut accepted) = (0u64, 0u64);
    let mut steps = Vec::new();
    let mut line = String::new();
    while let Some(rec) = reader.next_record()? {
        if args.count.is_some_and(|c| n >= c) {
            break;
        }
        n += 1;
        let p: Packet<'_> = rec.packet;
        steps.clear();
        let meta = Meta {
            protocol: ethertype_of(linktype, p.data),
            ..Meta::default()
        };
        let v = run_traced(&prog, p.data, p.wire_len, &meta, Some(&mut steps));
        let vm_says =
            rawcap::bpf::vm::run(&prog, p.data, p.wire_len, &filter_meta(linktype, p.data));
        if v != 0 {
            accepted += 1;
        }
        if let Some(last) = steps.last() {
            if let Some(c) = ret_counts.get_mut(last.pc) {
                *c += 1;
            }
        }
        writeln!(
            out,
            "\npacket {n}: {} bytes captured, {} on the wire: {}",
            p.data.len(),
            p.wire_len,
            if v != 0 { "accept" } else { "reject" }
        )?;
        for s in &steps {
            line.clear();
            let img = prog
                .insns()
                .get(s.pc)
                .map_or_else(String::new, |i| image(s.pc, i).replace('\t', "  "));
            let _ = write!(line, "  ({:03}) {img:<42} {}", s.pc, describe(&s.effect));
            writeln!(out, "{}", line.trim_end())?;
        }
        if vm_says != v {
            writeln!(out, "  note: bpf::vm returns {vm_says} for this packet (an ancillary load the tracer does not model)")?;
        }
        for (i, (_, p2)) in prims.iter().enumerate() {
            if let Ok(pp) = p2 {
                if run_traced(pp, p.data, p.wire_len, &meta, None) != 0 {
                    prim_counts[i] += 1;
                }
            }
        }
    }
    writeln!(
        out,
        "\n{n} packets, {accepted} accepted, {} rejected",
        n - accepted
    )?;
    writeln!(out, "decided by:")?;
    for (pc, cnt) in ret_counts.iter().enumerate().filter(|(_, c)| **c > 0) {
        let img = image(pc, &prog.insns()[pc]);
        writeln!(out, "  ({pc:03}) {img:<24} {cnt} packets")?;
    }
    if !prims.is_empty() {
        writeln!(out, "per primitive:")?;
        for ((p, r), cnt) in prims.iter().zip(&prim_counts) {
            match r {
                Ok(_) => writeln!(out, "  {p:<32} matched {cnt} of {n}")?,
                Err(e) => writeln!(out, "  {p:<32} not counted: {e}")?,
            }
        }
    }
    out.flush()?;
    Ok(0)
}

/// The EtherType a socket filter's `SKF_AD_PROTOCOL` would see.
pub fn ethertype_of(linktype: LinkType, data: &[u8]) -> u16 {
    let at = match linktype {
        LinkType::Ethernet => 12,
        LinkType::LinuxSll => 14,
        _ => {
            return match data.first().map(|b| b >> 4) {
                Some(6) => 0x86dd,
                _ => 0x0800,
            }
        }
    };
    data.get(at..at + 2)
        .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primitives_split() {
        assert_eq!(
            primitives("tcp port 80 and (host 198.18.0.1 or not udp)"),
            ["tcp port 80", "host 198.18.0.1", "udp"]
        );
        assert_eq!(primitives("port 80 or 443"), ["port 80", "port 443"]);
        assert_eq!(
            primitives("!tcp && tcp[13] & 2 != 0"),
            ["tcp", "tcp[13] & 2 != 0"]
        );
        assert!(primitives("").is_empty());
    }

    #[test]
    fn vm_basics() {
        let prog = Program::new(vec![
            Insn::stmt(c::LD | c::H | c::ABS, 12),
            Insn::jump(c::JMP | c::JEQ | c::K, 0x0800, 0, 1),
            Insn::stmt(c::RET | c::K, 96),
            Insn::stmt(c::RET | c::K, 0),
        ]);
        let mut f = [0u8; 14];
        f[12] = 8;
        let mut t = Vec::new();
        assert_eq!(
            run_traced(&prog, &f, 14, &Meta::default(), Some(&mut t)),
            96
        );
        assert_eq!(t[1].effect, Effect::Jump(true, 2));
        assert_eq!(run_traced(&prog, &f[..13], 13, &Meta::default(), None), 0);
        assert_eq!(
            image(1, &prog.insns()[1]),
            "jeq      #0x800           jt 2\tjf 3"
        );
    }
}
