//! Redundant-load removal: drop a load whose value A (or X) already holds
//! on every path into the block.
//!
//! Values are described by the instructions that computed them (`ldh [12]`,
//! `ldxb 4*([14]&0xf)` then `ldh [x + 14]`, ...). A block's entry value is
//! known only when all its predecessors leave the same one.

use super::super::cfg::{BlockId, Cfg, Exit};
use crate::bpf::{code::*, Insn};
use alloc::vec;
use alloc::vec::Vec;

/// What a register holds: the instruction chain that produced it, or unknown.
type Val = Option<Vec<Insn>>;

#[derive(Clone, Default, PartialEq)]
struct Regs {
    a: Val,
    x: Val,
}

/// Applies `s` to the register state; returns whether `s` is redundant.
fn step(r: &mut Regs, s: &Insn) -> bool {
    let c = s.code;
    let class = c & 0x07;
    let mode = c & 0xe0;
    match class {
        LD if mode == ABS || mode == IMM || mode == LEN => {
            let v = vec![*s];
            if r.a.as_ref() == Some(&v) {
                return true;
            }
            r.a = Some(v);
        }
        LD if mode == IND => {
            let v = r.x.as_ref().map(|x| {
                let mut v = x.clone();
                v.push(*s);
                v
            });
            if v.is_some() && r.a == v {
                return true;
            }
            r.a = v;
        }
        LDX if mode == MSH || mode == IMM => {
            let v = vec![*s];
            if r.x.as_ref() == Some(&v) {
                return true;
            }
            r.x = Some(v);
        }
        ALU if c & 0x08 == K && c & 0xf0 != NEG => {
            r.a = r.a.take().map(|mut v| {
                v.push(*s);
                v
            });
        }
        ST | STX | JMP | RET => {}
        MISC if c & 0xf8 == TAX => r.x = r.a.clone(),
        MISC => r.a = r.x.clone(),
        LDX => r.x = None,
        _ => r.a = None,
    }
    false
}

/// Drops the loads in `stmts` that reload what an earlier one in the list loaded.
pub fn dedupe(stmts: Vec<Insn>) -> Vec<Insn> {
    let mut r = Regs::default();
    stmts.into_iter().filter(|s| !step(&mut r, s)).collect()
}

/// Drops loads made redundant by the same load on every path into the block.
pub fn drop_reloads(cfg: &mut Cfg) {
    let order = cfg.order();
    let mut entry: Vec<Option<Regs>> = vec![None; cfg.blocks.len()];
    if let Some(&root) = order.first() {
        entry[root.0 as usize] = Some(Regs::default());
    }
    for &b in &order {
        let mut r = entry[b.0 as usize].clone().unwrap_or_default();
        let stmts = core::mem::take(&mut cfg.get_mut(b).stmts);
        let kept: Vec<Insn> = stmts.into_iter().filter(|s| !step(&mut r, s)).collect();
        cfg.get_mut(b).stmts = kept;
        if let Exit::Ret(_) = cfg.get(b).exit {
            continue;
        }
        let succs: Vec<BlockId> = cfg.succs(b).collect();
        for s in succs {
            let slot = &mut entry[s.0 as usize];
            *slot = Some(match slot.take() {
                None => r.clone(),
                Some(prev) => Regs {
                    a: if prev.a == r.a { prev.a } else { None },
                    x: if prev.x == r.x { prev.x } else { None },
                },
            });
        }
    }
}
