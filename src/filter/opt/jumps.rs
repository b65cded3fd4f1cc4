//! Jump threading over known test outcomes, and merging of identical blocks.
//!
//! Facts are `(value, test, outcome)` triples: "the block computing `value`
//! took its `test` edge `outcome`". The facts known on an edge are those of
//! every path through it; a block's outcome is known on an edge when a fact
//! about the same value decides it (`A == 0x800` held, so `A == 0x86dd`
//! fails; `A > 10` held, so `A >= 5` holds; ...).

use super::super::cfg::{BlockId, Cfg, Exit};
use crate::bpf::{code::*, Insn};
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

/// Most facts tracked per edge; older ones are forgotten (still sound).
const MAX_FACTS: usize = 128;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Fact {
    /// Interned statement list computing the tested value.
    value: u32,
    /// Jump opcode (op | src).
    code: u16,
    k: u32,
    outcome: bool,
}

/// Interns the statement lists of jump blocks; equal lists get equal ids.
fn value_ids(cfg: &Cfg) -> Vec<u32> {
    let mut ids: BTreeMap<&[Insn], u32> = BTreeMap::new();
    cfg.blocks
        .iter()
        .map(|b| {
            let n = ids.len() as u32;
            *ids.entry(b.stmts.as_slice()).or_insert(n)
        })
        .collect()
}

/// The constant the statements leave in A, if they compute one
/// (`and #0` after any load is a constant too).
fn constant(stmts: &[Insn]) -> Option<u32> {
    let mut a: Option<u32> = None;
    for s in stmts {
        a = match s.code {
            c if c == LD | IMM => Some(s.k),
            c if c & 0x07 == ST || c & 0x07 == STX || c & 0x07 == LDX => a,
            c if c == ALU | AND | K && s.k == 0 => Some(0),
            c if c == ALU | MUL | K && s.k == 0 => Some(0),
            c if c == ALU | ADD | K => a.map(|v| v.wrapping_add(s.k)),
            c if c == ALU | SUB | K => a.map(|v| v.wrapping_sub(s.k)),
            c if c == ALU | AND | K => a.map(|v| v & s.k),
            c if c == ALU | OR | K => a.map(|v| v | s.k),
            _ => None,
        };
    }
    a
}

/// The outcome of `code k` on a value known to equal `v`.
fn eval(code: u16, k: u32, v: u32) -> Option<bool> {
    match code {
        c if c == JMP | JEQ | K => Some(v == k),
        c if c == JMP | JGT | K => Some(v > k),
        c if c == JMP | JGE | K => Some(v >= k),
        c if c == JMP | JSET | K => Some(v & k != 0),
        _ => None,
    }
}

/// Whether `f` decides the test `code k` on the same value.
fn implied(f: &Fact, code: u16, k: u32) -> Option<bool> {
    if f.code == code && f.k == k {
        return Some(f.outcome);
    }
    let (jeq, jgt, jge, jset) = (JMP | JEQ | K, JMP | JGT | K, JMP | JGE | K, JMP | JSET | K);
    let c = f.k;
    match (f.code, f.outcome) {
        (fc, true) if fc == jeq => eval(code, k, c),
        (fc, false) if fc == jeq => (code == jeq && k == c).then_some(false),
        // A > c
        (fc, true) if fc == jgt => {
            if code == jgt && k <= c || code == jge && k <= c.saturating_add(1) {
                Some(true)
            } else if code == jeq && k <= c {
                Some(false)
            } else {
                None
            }
        }
        // A <= c
        (fc, false) if fc == jgt => {
            ((code == jgt && k >= c) || ((code == jge || code == jeq) && k > c)).then_some(false)
        }
        // A >= c
        (fc, true) if fc == jge => {
            if code == jge && k <= c || code == jgt && k < c {
                Some(true)
            } else if code == jeq && k < c {
                Some(false)
            } else {
                None
            }
        }
        // A < c
        (fc, false) if fc == jge => {
            if code == jge && k >= c
                || code == jgt && k.saturating_add(1) >= c
                || code == jeq && k >= c
            {
                Some(false)
            } else {
                None
            }
        }
        (fc, true) if fc == jset => (code == jset && k & c == c).then_some(true),
        (fc, false) if fc == jset => (code == jset && c & k == k).then_some(false),
        _ => None,
    }
}

/// The facts known when entering each block (intersection over its predecessors).
fn known_in(cfg: &Cfg, order: &[BlockId], ids: &[u32]) -> Vec<Option<Vec<Fact>>> {
    let mut known: Vec<Option<Vec<Fact>>> = vec![None; cfg.blocks.len()];
    if let Some(&root) = order.first() {
        known[root.0 as usize] = Some(Vec::new());
    }
    for &b in order {
        let Some(mine) = known[b.0 as usize].clone() else {
            continue;
        };
        let blk = cfg.get(b);
        let Exit::Jump { code, k } = blk.exit else {
            continue;
        };
        for (succ, outcome) in [(blk.jt, true), (blk.jf, false)] {
            let Some(s) = succ else { continue };
            let mut facts = mine.clone();
            facts.push(Fact {
                value: ids[b.0 as usize],
                code,
                k,
                outcome,
            });
            if facts.len() > MAX_FACTS {
                facts.remove(0);
            }
            let slot = &mut known[s.0 as usize];
            *slot = Some(match slot.take() {
                None => facts,
                Some(prev) => prev.into_iter().filter(|f| facts.contains(f)).collect(),
            });
        }
    }
    known
}

/// Where an edge into `s` may go instead, given the facts on that edge.
fn bypass(cfg: &Cfg, s: BlockId, facts: &[Fact], ids: &[u32]) -> Option<BlockId> {
    let blk = cfg.get(s);
    let Exit::Jump { code, k } = blk.exit else {
        return None;
    };
    if blk.jt == blk.jf {
        return blk.jt;
    }
    let outcome = match constant(&blk.stmts) {
        Some(v) => eval(code, k, v),
        None => facts
            .iter()
            .rev()
            .filter(|f| f.value == ids[s.0 as usize])
            .find_map(|f| implied(f, code, k)),
    }?;
    if outcome {
        blk.jt
    } else {
        blk.jf
    }
}

/// Redirects edges past blocks whose outcome is known on them; true if anything changed.
pub fn thread(cfg: &mut Cfg) -> bool {
    let order = cfg.order();
    let ids = value_ids(cfg);
    let known = known_in(cfg, &order, &ids);
    let mut changed = false;
    // The root has no incoming edge: only a constant or degenerate test moves it.
    if let Some(root) = cfg.root {
        let mut r = root;
        for _ in 0..cfg.blocks.len() {
            match bypass(cfg, r, &[], &ids) {
                Some(next) if next != r => r = next,
                _ => break,
            }
        }
        if r != root {
            cfg.root = Some(r);
            return true;
        }
    }
    for &b in &order {
        let Some(mine) = known[b.0 as usize].as_ref() else {
            continue;
        };
        let blk = cfg.get(b);
        let Exit::Jump { code, k } = blk.exit else {
            continue;
        };
        let (jt, jf) = (blk.jt, blk.jf);
        for outcome in [true, false] {
            let succ = if outcome { jt } else { jf };
            let Some(mut s) = succ else { continue };
            let mut facts = mine.clone();
            facts.push(Fact {
                value: ids[b.0 as usize],
                code,
                k,
                outcome,
            });
            // Follow a chain of decided blocks (bounded by the graph size).
            let start = s;
            for _ in 0..cfg.blocks.len() {
                let Some(next) = bypass(cfg, s, &facts, &ids) else {
                    break;
                };
                // Passing `s` adds its decided outcome to what is known.
                if let Exit::Jump { code, k } = cfg.get(s).exit {
                    let taken = cfg.get(s).jt == Some(next);
                    facts.push(Fact {
                        value: ids[s.0 as usize],
                        code,
                        k,
                        outcome: taken,
                    });
                }
                s = next;
            }
            if s != start {
                let blk = cfg.get_mut(b);
                if outcome {
                    blk.jt = Some(s);
                } else {
                    blk.jf = Some(s);
                }
                changed = true;
            }
        }
    }
    changed
}

/// Merges blocks with identical statements, exit and successors; true if anything changed.
pub fn merge(cfg: &mut Cfg) -> bool {
    let order = cfg.order();
    let mut canon: BTreeMap<BlockKey, BlockId> = BTreeMap::new();
    let mut replace: Vec<Option<BlockId>> = vec![None; cfg.blocks.len()];
    let mut changed = false;
    // Successors first, so merged successors make their predecessors equal too.
    for &b in order.iter().rev() {
        let resolve =
            |r: &Vec<Option<BlockId>>, x: Option<BlockId>| x.map(|x| r[x.0 as usize].unwrap_or(x));
        let (jt, jf) = (
            resolve(&replace, cfg.get(b).jt),
            resolve(&replace, cfg.get(b).jf),
        );
        {
            let blk = cfg.get_mut(b);
            if blk.jt != jt || blk.jf != jf {
                blk.jt = jt;
                blk.jf = jf;
                changed = true;
            }
        }
        let blk = cfg.get(b);
        let (jt, jf) = match blk.exit {
            Exit::Ret(_) => (None, None),
            Exit::Jump { .. } => (blk.jt, blk.jf),
        };
        let key = (blk.stmts.clone(), ExitKey::of(blk.exit), jt, jf);
        match canon.get(&key) {
            Some(&c) if c != b => {
                replace[b.0 as usize] = Some(c);
                changed = true;
            }
            _ => {
                canon.insert(key, b);
            }
        }
    }
    if let Some(root) = cfg.root {
        if let Some(c) = replace[root.0 as usize] {
            cfg.root = Some(c);
        }
    }
    changed
}

/// What makes two blocks interchangeable: code, exit and successors.
type BlockKey = (Vec<Insn>, ExitKey, Option<BlockId>, Option<BlockId>);

/// An orderable view of [`Exit`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ExitKey {
    Jump(u16, u32),
    Ret(u32),
}

impl ExitKey {
    fn of(e: Exit) -> Self {
        match e {
            Exit::Jump { code, k } => ExitKey::Jump(code, k),
            Exit::Ret(k) => ExitKey::Ret(k),
        }
    }
}
