//! Jump threading over known test outcomes, and merging of identical blocks.
//!
//! Facts are edges: "block B, computing `value`, took its `test` edge
//! `outcome`". The facts known on an edge are the edges on every path to it
//! (libpcap's edge dominators); a block's outcome is known on an edge when a fact
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
    /// The block whose edge this is (facts are edges, as libpcap's edge dominators).
    block: u32,
    /// Interned statement list computing the tested value.
    value: u32,
    /// Jump opcode (op | src).
    code: u16,
    k: u32,
    outcome: bool,
}

/// Interns the statement lists of jump blocks; equal lists get equal ids.
/// A pinned block (see [`pinned`]) gets an id of its own at or above [`PINNED`].
fn value_ids(cfg: &Cfg) -> Vec<u32> {
    let pins = pinned(cfg);
    let mut ids: BTreeMap<&[Insn], u32> = BTreeMap::new();
    cfg.blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if pins[i] {
                return PINNED | i as u32;
            }
            let n = ids.len() as u32;
            *ids.entry(b.stmts.as_slice()).or_insert(n)
        })
        .collect()
}

/// Ids at or above this belong to pinned blocks.
const PINNED: u32 = 0x8000_0000;

/// Blocks that must run where they are, whatever is known about their test:
/// those with a jump among their statements (the live `vlan` TCI test reads
/// metadata or the frame), and those writing a scratch word another block
/// reads before writing it (the live `vlan` offset shift). Skipping or
/// moving them would change what later blocks compute.
fn pinned(cfg: &Cfg) -> Vec<bool> {
    let slot = |s: &Insn| (s.k < 16).then_some(1u16 << s.k);
    let mut shared = 0u16;
    for b in &cfg.blocks {
        let mut written = 0u16;
        for s in &b.stmts {
            let mem = s.code & 0xe0 == MEM;
            match s.code & 0x07 {
                ST | STX => written |= slot(s).unwrap_or(0),
                LD | LDX if mem => shared |= slot(s).unwrap_or(0) & !written,
                _ => {}
            }
        }
    }
    cfg.blocks
        .iter()
        .map(|b| {
            b.stmts.iter().any(|s| match s.code & 0x07 {
                JMP => true,
                ST | STX => slot(s).is_some_and(|m| m & shared != 0),
                _ => false,
            })
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
///
/// Exactly libpcap's `fold_edge` rules, no more: the same comparison has the
/// same outcome, and after `A == c` held, `A == d` fails. Deciding more
/// (ranges, bit sets) would make programs libpcap keeps collapse to
/// "rejects all packets", and skip loads libpcap's programs still make.
fn implied(f: &Fact, code: u16, k: u32) -> Option<bool> {
    if f.code != code {
        return None;
    }
    if f.k == k {
        return Some(f.outcome);
    }
    (f.outcome && code == JMP | JEQ | K).then_some(false)
}

/// Adds `facts` (what is known on one edge into a block) to what is known
/// on entering it: the intersection over its incoming edges.
fn meet(slot: &mut Option<Vec<Fact>>, facts: &[Fact]) {
    let facts = &facts[facts.len().saturating_sub(MAX_FACTS)..];
    *slot = Some(match slot.take() {
        None => facts.to_vec(),
        Some(mut prev) => {
            prev.retain(|f| facts.contains(f));
            prev
        }
    });
}

/// Where an edge into `s` may go instead, given the facts on that edge.
fn bypass(cfg: &Cfg, s: BlockId, facts: &[Fact], ids: &[u32]) -> Option<BlockId> {
    let blk = cfg.get(s);
    let Exit::Jump { code, k } = blk.exit else {
        return None;
    };
    if ids[s.0 as usize] >= PINNED {
        return None;
    }
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
            // Keep what the stepped-over roots loaded, as libpcap's opt_root does.
            let mut b = root;
            while b != r {
                let blk = cfg.get(b);
                let next = bypass(cfg, b, &[], &ids).unwrap_or(r);
                let stmts = blk.stmts.clone();
                cfg.prologue.extend(stmts);
                b = next;
            }
            cfg.root = Some(r);
            return true;
        }
    }
    // What is known on entering each block: the intersection over its
    // incoming edges as threaded in this pass (the sources come first in
    // `order`: a threaded edge only skips forward). A block every edge now
    // skips gets no entry and is not visited (it is dead), so a long chain of
    // decided blocks is walked once, not once per block in it. Entries are
    // dropped once their block is done: only the frontier is held.
    let mut known: Vec<Option<Vec<Fact>>> = vec![None; cfg.blocks.len()];
    if let Some(&root) = order.first() {
        known[root.0 as usize] = Some(Vec::new());
    }
    for &b in &order {
        let Some(mine) = known[b.0 as usize].take() else {
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
                block: b.0,
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
                // Passing `s` adds its decided outcome to what is known; a
                // block whose edges meet is passed without deciding anything.
                let sb = cfg.get(s);
                if let (Exit::Jump { code, k }, false) = (sb.exit, sb.jt == sb.jf) {
                    let taken = sb.jt == Some(next);
                    facts.push(Fact {
                        block: s.0,
                        value: ids[s.0 as usize],
                        code,
                        k,
                        outcome: taken,
                    });
                }
                s = next;
            }
            // The edge's final target learns what is known on it.
            meet(&mut known[s.0 as usize], &facts);
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

/// The incoming edges of every reachable block: `(pred, taken)`.
fn in_edges(cfg: &Cfg, order: &[BlockId]) -> Vec<Vec<(BlockId, bool)>> {
    let mut ins = vec![Vec::new(); cfg.blocks.len()];
    for &b in order {
        let blk = cfg.get(b);
        if let Exit::Jump { .. } = blk.exit {
            if let Some(t) = blk.jt {
                ins[t.0 as usize].push((b, true));
            }
            if let Some(f) = blk.jf {
                ins[f.0 as usize].push((b, false));
            }
        }
    }
    ins
}

fn edge(cfg: &Cfg, b: BlockId, taken: bool) -> Option<BlockId> {
    let blk = cfg.get(b);
    match blk.exit {
        Exit::Ret(_) => None,
        Exit::Jump { .. } if taken => blk.jt,
        Exit::Jump { .. } => blk.jf,
    }
}

fn set_edge(cfg: &mut Cfg, b: BlockId, taken: bool, to: BlockId) {
    let blk = cfg.get_mut(b);
    if taken {
        blk.jt = Some(to);
    } else {
        blk.jf = Some(to);
    }
}

/// libpcap's `or_pullup` (`chain = false`: blocks linked by false edges, all
/// jumping to one true target) and `and_pullup` (`chain = true`): in a chain
/// of tests sharing one exit, a later test of the value the predecessors
/// just tested is moved up next to them, so its load can go.
///
/// Only chains whose inner blocks have a single predecessor are rewritten,
/// so no other path sees the reordering.
fn pullup(
    cfg: &mut Cfg,
    b: BlockId,
    ins: &mut [Vec<(BlockId, bool)>],
    ids: &[u32],
    chain: bool,
) -> bool {
    let preds = ins[b.0 as usize].clone();
    let Some(&(p0, _)) = preds.first() else {
        return false;
    };
    let val = ids[p0.0 as usize];
    if preds.iter().any(|&(p, _)| ids[p.0 as usize] != val) {
        return false;
    }
    let is_jump = |cfg: &Cfg, x: BlockId| matches!(cfg.get(x).exit, Exit::Jump { .. });
    let single =
        |x: BlockId, from: BlockId| ins[x.0 as usize].len() == 1 && ins[x.0 as usize][0].0 == from;
    if !is_jump(cfg, b) {
        return false;
    }
    let exit = edge(cfg, b, !chain);
    // Find the first block of the chain testing another value.
    let mut diff = b;
    let mut prev: Option<BlockId> = None;
    let pinned = |x: BlockId| ids[x.0 as usize] >= PINNED;
    for _ in 0..cfg.blocks.len() {
        if !is_jump(cfg, diff) || edge(cfg, diff, !chain) != exit || pinned(diff) {
            return false;
        }
        if let Some(p) = prev {
            if !single(diff, p) {
                return false;
            }
        }
        if ids[diff.0 as usize] != val {
            break;
        }
        prev = Some(diff);
        match edge(cfg, diff, chain) {
            Some(n) => diff = n,
            None => return false,
        }
    }
    // Find a later block testing `val`.
    let mut sprev = diff;
    let Some(mut same) = edge(cfg, diff, chain) else {
        return false;
    };
    for _ in 0..cfg.blocks.len() {
        if !is_jump(cfg, same)
            || edge(cfg, same, !chain) != exit
            || !single(same, sprev)
            || pinned(same)
        {
            return false;
        }
        if ids[same.0 as usize] == val {
            break;
        }
        sprev = same;
        match edge(cfg, same, chain) {
            Some(n) => same = n,
            None => return false,
        }
    }
    if ids[same.0 as usize] != val {
        return false;
    }
    let Some(after) = edge(cfg, same, chain) else {
        return false;
    };
    retarget(cfg, ins, sprev, chain, after);
    retarget(cfg, ins, same, chain, diff);
    match prev {
        None => {
            for &(p, taken) in &preds {
                retarget(cfg, ins, p, taken, same);
            }
        }
        Some(p) => retarget(cfg, ins, p, chain, same),
    }
    true
}

/// [`set_edge`], keeping the incoming-edge lists `ins` up to date (so a
/// pullup costs the edges it moves, not a rebuild of every list: 1,000
/// ORed ports compiled in quadratic time before).
fn retarget(cfg: &mut Cfg, ins: &mut [Vec<(BlockId, bool)>], b: BlockId, taken: bool, to: BlockId) {
    if let Some(old) = edge(cfg, b, taken) {
        ins[old.0 as usize].retain(|&e| e != (b, taken));
    }
    ins[to.0 as usize].push((b, taken));
    set_edge(cfg, b, taken, to);
}

/// Runs or- and and-pullups bottom-up over every block; true if any chain changed.
pub fn pullups(cfg: &mut Cfg) -> bool {
    let order = cfg.order();
    let ids = value_ids(cfg);
    let mut ins = in_edges(cfg, &order);
    let mut changed = false;
    for &b in order.iter().rev() {
        if pullup(cfg, b, &mut ins, &ids, false) || pullup(cfg, b, &mut ins, &ids, true) {
            changed = true;
        }
    }
    changed
}
