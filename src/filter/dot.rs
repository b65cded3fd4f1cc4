//! Graphviz DOT rendering of a [`Cfg`] (`rawcap --dot`).
//!
//! One node per reachable block, labelled with its statements and its final
//! jump or return (in `tcpdump -d` notation); solid edges are taken when the
//! jump's condition holds, dashed edges when it does not.

use super::cfg::{Cfg, Exit};
use crate::bpf::text::Line;
use crate::bpf::{code, Insn};
use alloc::string::String;
use core::fmt::Write;

/// The graph as a DOT document.
pub fn dot(cfg: &Cfg) -> String {
    let mut out = String::from("digraph filter {\n  node [shape=box, fontname=monospace];\n");
    for b in cfg.order() {
        let blk = cfg.get(b);
        let mut label = String::new();
        // A block with jumps inside (libpcap's protochain loop) numbers its
        // statements; its jumps name those numbers.
        let inner = blk.stmts.iter().any(|s| s.code & 0x07 == code::JMP);
        for (i, s) in blk.stmts.iter().enumerate() {
            if inner {
                let _ = write!(label, "{i:2}: {}\\l", insn_text(s, i));
            } else {
                let _ = write!(label, "{}\\l", insn_text(s, 0));
            }
        }
        match blk.exit {
            Exit::Ret(k) => {
                let _ = write!(label, "ret #{k}\\l");
            }
            Exit::Jump { code, k } => {
                let text = insn_text(&Insn::jump(code, k, 0, 0), 0);
                // Drop the "jt/jf" columns; the edges say where control goes.
                let text = text.split(" jt ").next().unwrap_or_default().trim_end();
                if inner {
                    let _ = write!(label, "{:2}: ", blk.stmts.len());
                }
                let _ = write!(label, "{text}\\l");
            }
        }
        let _ = writeln!(
            out,
            "  b{} [label=\"b{}:\\l{}\"];",
            b.0,
            b.0,
            escape(&label)
        );
        if let Exit::Jump { .. } = blk.exit {
            if let Some(t) = blk.jt {
                let _ = writeln!(out, "  b{} -> b{} [label=\"T\"];", b.0, t.0);
            }
            if let Some(f) = blk.jf {
                let _ = writeln!(out, "  b{} -> b{} [label=\"F\", style=dashed];", b.0, f.0);
            }
        }
    }
    out.push_str("}\n");
    out
}

/// `i` as tcpdump prints it at `pc` (jump targets count from there).
fn insn_text(i: &Insn, pc: usize) -> String {
    Line { insn: i, pc }.body()
}

fn escape(s: &str) -> String {
    s.replace('"', "\\\"").replace('\t', " ")
}

#[cfg(test)]
mod tests {
    use super::super::{compile_cfg, Options};
    use super::*;

    #[test]
    fn dot_names_every_block_and_edge() {
        let opts = Options {
            optimize: false,
            ..Options::default()
        };
        let cfg = compile_cfg("ip and tcp", &opts).unwrap();
        let d = dot(&cfg);
        assert!(d.starts_with("digraph filter {"));
        assert!(d.contains("ldh      [12]"));
        assert!(d.contains("[label=\"T\"]"));
        assert!(d.contains("style=dashed"));
        assert_eq!(d.matches(" -> ").count(), 2 * (cfg.order().len() - 2));
    }

    /// libpcap's protochain loop sits inside one block: its statements are
    /// numbered and its jumps (the `ja` back included) name those numbers.
    #[test]
    fn a_loop_inside_a_block_numbers_its_statements() {
        let opts = Options {
            target: super::super::Target::Userspace,
            ..Options::default()
        };
        let d = dot(&compile_cfg("ip protochain 6", &opts).unwrap());
        assert!(
            d.contains(" 2: jeq      #0x6             jt 18 jf 3\\l"),
            "{d}"
        );
        assert!(d.contains("17: ja       2\\l"), "{d}");
        assert!(d.contains("19: jeq      #0x6\\l"), "{d}");
        assert!(!d.contains('\t'));
    }
}
