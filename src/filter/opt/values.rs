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

/// The constants scratch words hold (`None`: unknown). At the start every
/// word read before written is zero (`Cfg::zero_unwritten_scratch`).
type Mem = [Option<u32>; 16];

/// The constant `v` is, when it is one load of an immediate.
fn imm(v: &Val) -> Option<u32> {
    match v.as_deref() {
        Some([i]) if i.code == LD | IMM || i.code == LDX | IMM => Some(i.k),
        _ => None,
    }
}

/// Rewrites a load of a scratch word known to hold a constant into a load of
/// that constant, and records what stores leave in memory.
fn mem_step(mem: &mut Mem, r: &Regs, s: &mut Insn) {
    let Some(slot) = mem.get_mut(s.k as usize) else {
        return;
    };
    match s.code {
        c if c == LD | MEM || c == LDX | MEM => {
            if let Some(v) = *slot {
                *s = Insn::stmt((c & 0x07) | IMM, v);
            }
        }
        c if c == ST => *slot = imm(&r.a),
        c if c == STX => *slot = imm(&r.x),
        _ => {}
    }
}

/// Applies `s` to the register state; returns whether `s` is redundant.
fn step(r: &mut Regs, s: &Insn) -> bool {
    let c = s.code;
    let class = c & 0x07;
    let mode = c & 0xe0;
    match class {
        LD if mode == ABS || mode == IMM || mode == LEN || mode == MEM => {
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
        LDX if mode == MSH || mode == IMM || mode == MEM => {
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
        ST | STX => {
            // A value read from this word is no longer what the word holds.
            let stale = |v: &Val| {
                v.as_ref()
                    .is_some_and(|v| v.iter().any(|i| i.code & 0xe0 == MEM && i.k == s.k))
            };
            if stale(&r.a) {
                r.a = None;
            }
            if stale(&r.x) {
                r.x = None;
            }
        }
        JMP | RET => {}
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

/// Which registers a statement reads and writes: (reads A, reads X, writes
/// A, writes X). A jump among statements (libpcap's protochain loop) counts
/// as all four.
pub fn reg_use(c: u16) -> (bool, bool, bool, bool) {
    match c & 0x07 {
        LD => (false, c & 0xe0 == IND, true, false),
        LDX => (false, false, false, true),
        ST => (true, false, false, false),
        STX => (false, true, false, false),
        ALU => (true, c & 0xf0 != NEG && c & 0x08 == X, true, false),
        MISC if c & 0xf8 == TAX => (true, false, false, true),
        MISC => (false, true, true, false),
        _ => (true, true, true, true),
    }
}

/// Drops loads of a constant, the length or a scratch word into A or X that
/// a later statement overwrites before anything reads them (what roots
/// stepped over leave in front of the root: `ld #1; ld #0; ldb [6]`). Such
/// loads cannot fail, so nothing else changes; the last write to each
/// register stays, as a later block may read it (`byte N & V`).
pub fn drop_overwritten_loads(stmts: Vec<Insn>) -> Vec<Insn> {
    let (mut live_a, mut live_x) = (true, true);
    let mut kept: Vec<Insn> = Vec::with_capacity(stmts.len());
    for s in stmts.into_iter().rev() {
        let c = s.code;
        let pure_load = matches!(c & 0xe0, IMM | LEN | MEM);
        let (reads_a, reads_x, writes_a, writes_x) = reg_use(c);
        let dead = pure_load
            && matches!(c & 0x07, LD | LDX)
            && ((writes_a && !live_a) || (writes_x && !live_x));
        if dead {
            continue;
        }
        live_a = reads_a || (live_a && !writes_a);
        live_x = reads_x || (live_x && !writes_x);
        kept.push(s);
    }
    kept.reverse();
    kept
}

/// Drops loads made redundant by the same load on every path into the block.
pub fn drop_reloads(cfg: &mut Cfg) {
    let order = cfg.order();
    let mut entry: Vec<Option<(Regs, Mem)>> = vec![None; cfg.blocks.len()];
    if let Some(&root) = order.first() {
        entry[root.0 as usize] = Some((Regs::default(), [Some(0); 16]));
    }
    for &b in &order {
        let (mut r, mut mem) = entry[b.0 as usize]
            .clone()
            .unwrap_or((Regs::default(), [None; 16]));
        let stmts = core::mem::take(&mut cfg.get_mut(b).stmts);
        let kept: Vec<Insn> = if stmts.iter().any(|s| s.code & 0x07 == JMP) {
            // A jump among the statements (live `vlan` TCI): not a straight
            // line, so keep every load and know nothing afterwards.
            r = Regs::default();
            for s in &stmts {
                if let Some(w) = mem.get_mut(s.k as usize) {
                    if matches!(s.code & 0x07, ST | STX) {
                        *w = None;
                    }
                }
            }
            stmts
        } else {
            let mut kept = Vec::with_capacity(stmts.len());
            for mut s in stmts {
                mem_step(&mut mem, &r, &mut s);
                if !step(&mut r, &s) {
                    kept.push(s);
                }
            }
            fold_constants(kept)
        };
        cfg.get_mut(b).stmts = kept;
        if let Exit::Ret(_) = cfg.get(b).exit {
            continue;
        }
        let succs: Vec<BlockId> = cfg.succs(b).collect();
        for s in succs {
            let slot = &mut entry[s.0 as usize];
            *slot = Some(match slot.take() {
                None => (r.clone(), mem),
                Some((prev, pmem)) => (
                    Regs {
                        a: if prev.a == r.a { prev.a } else { None },
                        x: if prev.x == r.x { prev.x } else { None },
                    },
                    core::array::from_fn(|i| if pmem[i] == mem[i] { mem[i] } else { None }),
                ),
            });
        }
    }
}

/// Whether `w` is `ld M[k]; <alu> #c; st M[k]`: a scratch word updated in place.
fn self_update(w: &[Insn]) -> Option<u32> {
    let [ld, alu, st] = w else { return None };
    (ld.code == LD | MEM
        && alu.code & 0x07 == ALU
        && alu.code & 0x08 == K
        && alu.code & 0xf0 != NEG
        && st.code == ST
        && st.k == ld.k)
        .then_some(ld.k)
}

/// Drops in-place updates of scratch words nothing else reads (the live
/// `vlan` offset shift when no later test uses the shifted offsets) where
/// the next statement reloads A anyway, stores to words nothing reads, and
/// then A loads overwritten by the next statement.
pub fn drop_dead_updates(cfg: &mut Cfg) {
    let order = cfg.order();
    let mut read = 0u32;
    for &b in &order {
        let stmts = &cfg.get(b).stmts;
        let mut i = 0;
        while i < stmts.len() {
            if self_update(&stmts[i..(i + 3).min(stmts.len())]).is_some() {
                i += 3;
                continue;
            }
            let s = &stmts[i];
            if matches!(s.code & 0x07, LD | LDX) && s.code & 0xe0 == MEM && s.k < 32 {
                read |= 1 << s.k;
            }
            i += 1;
        }
    }
    for &b in &order {
        // Jumps among the statements count statements: leave those alone.
        if cfg.get(b).stmts.iter().any(|s| s.code & 0x07 == JMP) {
            continue;
        }
        let stmts = core::mem::take(&mut cfg.get_mut(b).stmts);
        let mut out = Vec::with_capacity(stmts.len());
        let mut i = 0;
        while i < stmts.len() {
            let dead = self_update(&stmts[i..(i + 3).min(stmts.len())])
                .is_some_and(|k| k >= 32 || read & (1 << k) == 0);
            // A must be reloaded before it is used (or be updated again).
            let reloaded = stmts.get(i + 3).is_some_and(|n| n.code & 0x07 == LD);
            let s = stmts[i];
            let unread = s.k >= 32 || read & (1 << s.k) == 0;
            if dead && reloaded {
                i += 3;
                continue;
            }
            // A store to a word nothing reads changes nothing.
            if !(matches!(s.code & 0x07, ST | STX) && unread) {
                out.push(s);
            }
            i += 1;
        }
        // A value loaded into A and replaced before any use (the zero the
        // dropped stores wrote) is dead too.
        let mut j = 0;
        while j + 1 < out.len() {
            if out[j].code & 0x07 == LD && out[j + 1].code & 0x07 == LD {
                out.remove(j);
            } else {
                j += 1;
            }
        }
        cfg.get_mut(b).stmts = out;
    }
}

/// `ld #c` then `add/sub/or/and #d` becomes `ld #(c op d)`; then reloads of
/// the constant A already holds go.
fn fold_constants(stmts: Vec<Insn>) -> Vec<Insn> {
    let mut out: Vec<Insn> = Vec::with_capacity(stmts.len());
    for s in stmts {
        if let Some(prev) = out.last_mut() {
            if prev.code == LD | IMM && s.code & 0x07 == ALU && s.code & 0x08 == K {
                let v = match s.code & 0xf0 {
                    ADD => Some(prev.k.wrapping_add(s.k)),
                    SUB => Some(prev.k.wrapping_sub(s.k)),
                    OR => Some(prev.k | s.k),
                    AND => Some(prev.k & s.k),
                    _ => None,
                };
                if let Some(v) = v {
                    prev.k = v;
                    continue;
                }
            }
        }
        out.push(s);
    }
    dedupe(out)
}
