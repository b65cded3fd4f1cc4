//! `rawcap trace -r FILE EXPR`: a filter debugger. For each packet, the
//! instructions that ran with the values they loaded and the jumps they
//! took, and the return that decided; at the end, how many packets each
//! return instruction decided and each primitive of the expression matched.
//!
//! The steps come from [`vm::trace`], which runs the program exactly as
//! [`vm::run`] (the kernel's semantics) does and reports each instruction.

use super::compile::for_savefile;
use super::config::Trace;
use super::input;
use super::stdio::Stdout;
use rawcap::bpf::vm::{self, End, Event};
use rawcap::bpf::{Insn, Machine, Program};
use rawcap::packet::Packet;
use std::fmt::Write as _;
use std::io::{BufWriter, Write};

/// One instruction in `tcpdump -d` style, without the `(nnn)` prefix.
pub fn image(pc: usize, i: &Insn) -> String {
    rawcap::bpf::text::Line { insn: i, pc }.body()
}

fn describe(e: &Event) -> String {
    match *e {
        Event::SetA(v) => format!("A = 0x{v:x} ({v})"),
        Event::SetX(v) => format!("X = 0x{v:x} ({v})"),
        Event::Store(m, v) => format!("M[{m}] = 0x{v:x}"),
        Event::Jump(t, to) => format!("{} -> ({to:03})", if t { "true" } else { "false" }),
        Event::Always(to) => format!("-> ({to:03})"),
        Event::Return(0) => "reject".into(),
        Event::Return(v) => format!("accept {v}"),
        Event::Ended(End::OutOfBounds(off), _) if off < 0 => {
            "load before the link-layer header: reject".into()
        }
        Event::Ended(End::OutOfBounds(off), _) => {
            format!("load past the end (offset {off}): reject")
        }
        Event::Ended(End::DivByZero, _) => "division by zero: reject".into(),
        Event::Ended(End::NoDevice, 0) => "device load without a device: reject".into(),
        Event::Ended(End::NoDevice, v) => format!("device load without a device: accept {v}"),
        Event::Ended(End::Invalid, _) => "invalid instruction or jump: reject".into(),
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
pub fn run(cfg: &Trace) -> anyhow::Result<i32> {
    let expr = &cfg.expression;
    let (mut reader, _) = input::open_savefile(&cfg.path)?;
    let (linktype, snaplen) = input::linktype_of(&mut reader, &cfg.path, None)?;
    let optimize = cfg.optimize;
    let prog = for_savefile(expr, linktype, snaplen, optimize)?;
    let prims: Vec<(String, Result<Program, String>)> = primitives(expr)
        .into_iter()
        .map(|p| {
            let r = for_savefile(&p, linktype, snaplen, optimize).map_err(|e| {
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
    let prim_machines: Vec<Option<Machine>> = prims
        .iter()
        .map(|(_, p)| p.as_ref().ok().map(Machine::new))
        .collect();
    let mut ret_counts = vec![0u64; prog.len()];
    let mut out = BufWriter::new(Stdout);
    writeln!(
        out,
        "filter: {}",
        if expr.is_empty() { "(none)" } else { expr }
    )?;
    for (pc, i) in prog.insns().iter().enumerate() {
        writeln!(out, "({pc:03}) {}", image(pc, i))?;
    }
    let (mut n, mut accepted) = (0u64, 0u64);
    let mut steps = Vec::new();
    let mut line = String::new();
    while let Some(rec) = reader.next_record()? {
        if cfg.count.is_some_and(|c| n >= c) {
            break;
        }
        n += 1;
        let p: Packet<'_> = rec.packet;
        steps.clear();
        let meta = vm::Meta::for_frame(linktype, p.data);
        let v = vm::trace(&prog, p.data, p.wire_len, &meta, |pc, e| {
            steps.push((pc, e))
        });
        if v != 0 {
            accepted += 1;
        }
        if let Some(&(pc, _)) = steps.last() {
            if let Some(c) = ret_counts.get_mut(pc) {
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
        for (pc, e) in &steps {
            line.clear();
            let img = prog
                .insns()
                .get(*pc)
                .map_or_else(String::new, |i| image(*pc, i).replace('\t', "  "));
            let _ = write!(line, "  ({pc:03}) {img:<42} {}", describe(e));
            writeln!(out, "{}", line.trim_end())?;
        }
        for (m, count) in prim_machines.iter().zip(&mut prim_counts) {
            if m.as_ref()
                .is_some_and(|m| m.run(p.data, p.wire_len, &meta) != 0)
            {
                *count += 1;
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

    use rawcap::bpf::code as c;
    use rawcap::LinkType;

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
        let meta = vm::Meta::for_frame(LinkType::Ethernet, &f);
        assert_eq!(vm::trace(&prog, &f, 14, &meta, |pc, e| t.push((pc, e))), 96);
        assert_eq!(t[1], (1, Event::Jump(true, 2)));
        assert_eq!(describe(&t[1].1), "true -> (002)");
        t.clear();
        assert_eq!(
            vm::trace(&prog, &f[..13], 13, &meta, |pc, e| t.push((pc, e))),
            0
        );
        assert_eq!(describe(&t[0].1), "load past the end (offset 12): reject");
        assert_eq!(
            image(1, &prog.insns()[1]),
            "jeq      #0x800           jt 2\tjf 3"
        );
    }
}
