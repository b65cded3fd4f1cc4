//! Linearization: a finished [`Cfg`] to a [`Program`].
//!
//! Blocks are laid out in libpcap's order ([`Cfg::order`]), so every edge
//! points forward. A conditional jump can only skip 255 instructions; a
//! longer edge gets a `ja` trampoline right after the jump (as libpcap's
//! `longjt`/`longjf`). Adding trampolines moves code, so the layout is
//! recomputed until no new one is needed; each block gains at most two, so
//! this terminates.

use super::cfg::{BlockId, Cfg, Exit};
use super::error::{CompileError, CompileErrorKind};
use super::span::Span;
use crate::bpf::{code::*, Insn, Program};
use alloc::vec;
use alloc::vec::Vec;

/// Lays out `cfg` as a program.
///
/// # Errors
/// A jump with an unset successor (a generator bug, reported rather than a panic).
pub fn linearize(cfg: &Cfg) -> Result<Program, CompileError> {
    let order = cfg.order();
    let n = cfg.blocks.len();
    let mut long = vec![(false, false); n];
    loop {
        // Start pc of every block under the current trampoline choice.
        let mut start = vec![0usize; n];
        let mut pc = 0usize;
        for &b in &order {
            start[b.0 as usize] = pc;
            let (lt, lf) = long[b.0 as usize];
            pc += cfg.get(b).stmts.len() + 1 + usize::from(lt) + usize::from(lf);
        }
        let mut changed = false;
        for &b in &order {
            let blk = cfg.get(b);
            if let Exit::Jump { .. } = blk.exit {
                let jpc = start[b.0 as usize] + blk.stmts.len();
                let (lt, lf) = long[b.0 as usize];
                let (t, f) = succs(cfg, b)?;
                // Offsets counted from the instruction after the jump.
                // Targets always come later (the order is topological); a
                // backward one would be a generator bug, reported below.
                let back = |target: BlockId| start[target.0 as usize] <= jpc;
                if back(t) || back(f) {
                    return Err(CompileError::new(
                        Span::default(),
                        CompileErrorKind::Internal("a block jumps backwards"),
                    ));
                }
                let far = |target: BlockId| start[target.0 as usize] - (jpc + 1) > 255;
                if !lt && far(t) {
                    long[b.0 as usize].0 = true;
                    changed = true;
                }
                if !lf && far(f) {
                    long[b.0 as usize].1 = true;
                    changed = true;
                }
            }
        }
        if !changed {
            return Ok(emit(cfg, &order, &start, &long));
        }
    }
}

fn succs(cfg: &Cfg, b: BlockId) -> Result<(BlockId, BlockId), CompileError> {
    let blk = cfg.get(b);
    match (blk.jt, blk.jf) {
        (Some(t), Some(f)) => Ok((t, f)),
        _ => Err(CompileError::new(
            Span::default(),
            CompileErrorKind::Internal("a block has an open edge"),
        )),
    }
}

fn emit(cfg: &Cfg, order: &[BlockId], start: &[usize], long: &[(bool, bool)]) -> Program {
    let mut out: Vec<Insn> = Vec::new();
    for &b in order {
        let blk = cfg.get(b);
        out.extend_from_slice(&blk.stmts);
        match blk.exit {
            Exit::Ret(k) => out.push(Insn::stmt(RET | K, k)),
            Exit::Jump { code, k } => {
                let t = blk.jt.map_or(0, |t| start[t.0 as usize]);
                let f = blk.jf.map_or(0, |f| start[f.0 as usize]);
                let jpc = out.len();
                let (lt, lf) = long[b.0 as usize];
                let mut tramp: Vec<usize> = Vec::new();
                let mut off = |target: usize, is_long: bool| -> u8 {
                    if is_long {
                        tramp.push(target);
                        (tramp.len() - 1) as u8
                    } else {
                        (target - (jpc + 1)) as u8
                    }
                };
                let jt = off(t, lt);
                let jf = off(f, lf);
                out.push(Insn::jump(code, k, jt, jf));
                for target in tramp {
                    let pc = out.len();
                    out.push(Insn::stmt(JMP | JA, (target - (pc + 1)) as u32));
                }
            }
        }
    }
    Program::new(out)
}

#[cfg(test)]
mod tests {
    use super::super::{compile, Options};
    use crate::bpf::code::{JA, JMP};

    #[test]
    fn long_branches_get_ja_trampolines() {
        // 300 tests whose false edges all go to the final `ret #0`.
        let tests: alloc::vec::Vec<alloc::string::String> =
            (0..300).map(|i| alloc::format!("len > {i}")).collect();
        let opts = Options {
            optimize: false,
            ..Options::default()
        };
        let p = compile(&tests.join(" and "), &opts).unwrap();
        assert!(p.len() > 600);
        assert!(p.insns().iter().any(|i| i.code == JMP | JA));
        crate::bpf::validate(&p).unwrap();
    }
}
