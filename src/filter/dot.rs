//! Graphviz DOT rendering of a [`Cfg`] (`rawcap --dot`).
//!
//! One node per reachable block, labelled with its statements and its final
//! jump or return (in `tcpdump -d` notation); solid edges are taken when the
//! jump's condition holds, dashed edges when it does not.

use super::cfg::{Cfg, Exit};
use crate::bpf::text::Line;
use crate::bpf::Insn;
use alloc::format;
use alloc::string::String;
use core::fmt::Write;

/// The graph as a DOT document.
pub fn dot(cfg: &Cfg) -> String {
    let mut out = String::from("digraph filter {\n  node [shape=box, fontname=monospace];\n");
    for b in cfg.order() {
        let blk = cfg.get(b);
        let mut label = String::new();
        for s in &blk.stmts {
            let _ = write!(label, "{}\\l", insn_text(s));
        }
        match blk.exit {
            Exit::Ret(k) => {
                let _ = write!(label, "ret #{k}\\l");
            }
            Exit::Jump { code, k } => {
                let text = insn_text(&Insn::jump(code, k, 0, 0));
                // Drop the "jt/jf" columns; the edges say where control goes.
                let text = text.split(" jt ").next().unwrap_or_default().trim_end();
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

fn insn_text(i: &Insn) -> String {
    let line = format!("{}", Line { insn: i, pc: 0 });
    // Strip the "(000) " program-counter column.
    line.get(6..).unwrap_or_default().trim_end().into()
}

fn escape(s: &str) -> String {
    s.replace('"', "\\\"")
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
}
