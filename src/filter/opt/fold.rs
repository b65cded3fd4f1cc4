//! Block-local value numbering: each block's statements are evaluated
//! symbolically and re-emitted as the shortest code computing the same test.
//!
//! Code generation keeps arithmetic in scratch registers (`ld #13; st M[0];
//! ldxb 4*([14]&0xf); ld M[0]; add x; tax; ldb [x + 14]`); this pass sees
//! that the value is `P[4*([14]&0xf) + 27]` and emits `ldxb 4*([14]&0xf);
//! ldb [x + 27]`. It also folds constants, turns `A - B == 0` into `A == B`
//! and `A & m != 0` into `jset #m`. Blocks are self-contained when this runs
//! (nothing reads a scratch register another block wrote), so stores can go.
//! A block whose values it cannot describe is left as it is.

use super::super::cfg::{BlockId, Cfg, Exit};
use super::super::{CompileErrorKind, Target};
use crate::bpf::{code::*, Insn};
use alloc::boxed::Box;
use alloc::vec::Vec;

/// The symbolic A and X at the end of a block (`None`: not describable).
type Regs = Option<(Option<V>, Option<V>)>;

/// The constants A and X hold when a block starts, where every path agrees.
type Entry = (Option<u32>, Option<u32>);

/// A rewritten block: statements, exit, and whether its successors swap.
type Rewrite = Option<(Vec<Insn>, Exit, bool)>;

/// A symbolic value.
#[derive(Clone, Debug, PartialEq, Eq)]
enum V {
    Const(u32),
    /// `ld{size} [k]`
    Abs(u16, u32),
    /// `ld{size} [x + k]`
    Ind(u16, u32, Box<V>),
    /// `4*([k]&0xf)`
    Msh(u32),
    /// The packet length.
    Len,
    /// `a op b` (ALU op bits).
    Alu(u16, Box<V>, Box<V>),
    Neg(Box<V>),
    /// Whatever A held when the block started (unknown): only libpcap's
    /// `byte N & V` and `byte N | V` read it.
    EntryA,
}

fn alu(op: u16, a: V, b: V) -> Result<V, CompileErrorKind> {
    // libpcap's optimizer refuses what it finds constant: x / 0, x % 0, shifts > 31.
    match (op, &b) {
        (DIV, V::Const(0)) => return Err(CompileErrorKind::DivisionByZero),
        (MOD, V::Const(0)) => return Err(CompileErrorKind::ModulusByZero),
        (LSH | RSH, V::Const(k)) if *k > 31 => return Err(CompileErrorKind::ShiftTooFar),
        _ => {}
    }
    // Constants go right in commutative operations, so `13 + x` is `x + 13`.
    let (a, b) = match (op, &a, &b) {
        (ADD | MUL | AND | OR | XOR, V::Const(_), other) if !matches!(other, V::Const(_)) => (b, a),
        _ => (a, b),
    };
    if let (V::Const(x), V::Const(y)) = (&a, &b) {
        let (x, y) = (*x, *y);
        let folded = match op {
            ADD => Some(x.wrapping_add(y)),
            SUB => Some(x.wrapping_sub(y)),
            MUL => Some(x.wrapping_mul(y)),
            DIV if y != 0 => Some(x / y),
            MOD if y != 0 => Some(x % y),
            AND => Some(x & y),
            OR => Some(x | y),
            XOR => Some(x ^ y),
            LSH if y < 32 => Some(x << y),
            RSH if y < 32 => Some(x >> y),
            _ => None,
        };
        if let Some(v) = folded {
            return Ok(V::Const(v));
        }
    }
    // libpcap's opt_stmt: a constant 0 in A with X as the operand makes
    // `0 / x`, `0 % x`, `0 << x` and `0 >> x` the constant 0 (even where x
    // may be 0 at run time, as libpcap does).
    if let (DIV | MOD | LSH | RSH, V::Const(0)) = (op, &a) {
        return Ok(V::Const(0));
    }
    match (op, &b) {
        (AND | MUL, V::Const(0)) => return Ok(V::Const(0)),
        (ADD | SUB | OR | XOR | LSH | RSH, V::Const(0)) => return Ok(a),
        (MUL | DIV, V::Const(1)) => return Ok(a),
        _ => {}
    }
    Ok(V::Alu(op, Box::new(a), Box::new(b)))
}

/// Evaluates `stmts`; `Ok(None)` when a value is not describable (entry
/// registers, unknown scratch memory, jumps inside the block), `Err` for a
/// constant division by zero or over-long shift. `entry`: the constants A
/// and X hold when the block starts, where known.
fn eval(stmts: &[Insn], entry: Entry) -> Result<Regs, CompileErrorKind> {
    let mut err = None;
    let r = eval_inner(stmts, entry, &mut err);
    match err {
        Some(e) => Err(e),
        None => Ok(r),
    }
}

fn eval_inner(stmts: &[Insn], entry: Entry, err: &mut Option<CompileErrorKind>) -> Regs {
    let (mut a, mut x): (Option<V>, Option<V>) = (
        Some(entry.0.map_or(V::EntryA, V::Const)),
        entry.1.map(V::Const),
    );
    let mut mem: [Option<V>; 16] = Default::default();
    for s in stmts {
        let c = s.code;
        let mode = c & 0xe0;
        let size = c & 0x18;
        match c & 0x07 {
            LD => {
                a = Some(match mode {
                    IMM => V::Const(s.k),
                    ABS => V::Abs(size, s.k),
                    IND => V::Ind(size, s.k, Box::new(x.clone()?)),
                    LEN => V::Len,
                    MEM => mem.get(s.k as usize)?.clone()?,
                    _ => return None,
                })
            }
            LDX => {
                x = Some(match mode {
                    IMM => V::Const(s.k),
                    MSH => V::Msh(s.k),
                    LEN => V::Len,
                    MEM => mem.get(s.k as usize)?.clone()?,
                    _ => return None,
                })
            }
            ST => *mem.get_mut(s.k as usize)? = Some(a.clone()?),
            STX => *mem.get_mut(s.k as usize)? = Some(x.clone()?),
            ALU => {
                let op = c & 0xf0;
                let lhs = a.take()?;
                a = Some(if op == NEG {
                    match lhs {
                        V::Const(v) => V::Const(v.wrapping_neg()),
                        other => V::Neg(Box::new(other)),
                    }
                } else {
                    let rhs = if c & 0x08 == X {
                        x.clone()?
                    } else {
                        V::Const(s.k)
                    };
                    match alu(op, lhs, rhs) {
                        Ok(v) => v,
                        Err(e) => {
                            *err = Some(e);
                            return None;
                        }
                    }
                });
            }
            MISC => {
                if c & 0xf8 == TAX {
                    x = Some(a.clone()?);
                } else {
                    a = Some(x.clone()?);
                }
            }
            _ => return None,
        }
    }
    Some((a, x))
}

/// Whether loading `v` into A uses (and so clobbers) X.
fn uses_x(v: &V) -> bool {
    match v {
        V::Const(_) | V::Abs(..) | V::Len | V::Msh(_) | V::EntryA => false,
        V::Ind(..) => true,
        V::Alu(_, a, b) => uses_x(a) || !matches!(**b, V::Const(_)) || uses_x(b),
        V::Neg(a) => uses_x(a),
    }
}

/// Emits code leaving `v` in X (may clobber A); `scratch` is the next free register.
fn emit_x(v: &V, out: &mut Vec<Insn>, scratch: &mut Scratch) -> Option<()> {
    match v {
        V::Const(k) => out.push(Insn::stmt(LDX | IMM, *k)),
        V::Msh(k) => out.push(Insn::stmt(LDX | MSH | B, *k)),
        _ => {
            emit_a(v, out, scratch)?;
            out.push(Insn::stmt(MISC | TAX, 0));
        }
    }
    Some(())
}

/// Scratch registers handed out while emitting, and which constant offsets
/// an indexed load may fold into an absolute one.
struct Scratch {
    /// The next free scratch register.
    next: u32,
    /// The userspace target: libpcap's interpreter reads a wrapped offset
    /// as "past the end" (0); `bpf::vm` agrees wherever it is no ancillary
    /// field it knows.
    userspace: bool,
}

impl Scratch {
    /// `k + c` as an absolute load's offset, when that load reads what the
    /// indexed one does: an ordinary packet offset (no wrap, below 2^31),
    /// or, for the userspace target, an offset both interpreters end with 0
    /// on (the ancillary area's unknown fields, as libpcap folds `ether[-1]`).
    fn offset(&self, k: u32, c: u32) -> Option<u32> {
        let o = k.wrapping_add(c);
        let plain = k.checked_add(c).is_some_and(|o| o < 0x8000_0000);
        let dead = self.userspace
            && o >= crate::bpf::skf::AD_OFF
            && !crate::bpf::validate::is_known_ancillary(o);
        (plain || dead).then_some(o)
    }
}

/// Emits code leaving `v` in A (may clobber X).
fn emit_a(v: &V, out: &mut Vec<Insn>, scratch: &mut Scratch) -> Option<()> {
    match v {
        // A still holds it only if nothing was emitted yet.
        V::EntryA if out.is_empty() => {}
        V::EntryA => return None,
        V::Const(k) => out.push(Insn::stmt(LD | IMM, *k)),
        V::Abs(size, k) => out.push(Insn::stmt(LD | size | ABS, *k)),
        V::Len => out.push(Insn::stmt(LD | W | LEN, 0)),
        V::Msh(_) => {
            emit_x(v, out, scratch)?;
            out.push(Insn::stmt(MISC | TXA, 0));
        }
        V::Ind(size, k, idx) => match &**idx {
            // A constant index is an absolute load (offsets the kernel reads
            // as negative, its ancillary and link-layer areas, stay indexed).
            V::Const(c) if scratch.offset(*k, *c).is_some() => {
                out.push(Insn::stmt(LD | size | ABS, k.wrapping_add(*c)))
            }
            V::Alu(ADD, base, off) if matches!(**off, V::Const(c) if k.checked_add(c).is_some_and(|o| o < 0x8000_0000)) =>
            {
                let V::Const(c) = **off else { return None };
                emit_x(base, out, scratch)?;
                out.push(Insn::stmt(LD | size | IND, k + c));
            }
            other => {
                emit_x(other, out, scratch)?;
                out.push(Insn::stmt(LD | size | IND, *k));
            }
        },
        V::Neg(a) => {
            emit_a(a, out, scratch)?;
            out.push(Insn::stmt(ALU | NEG, 0));
        }
        V::Alu(op, a, b) => match &**b {
            // Shifts by 32 or more and division by zero stay in X form, as
            // the kernel refuses them as constants.
            V::Const(k)
                if !((*op == LSH || *op == RSH) && *k >= 32
                    || (*op == DIV || *op == MOD) && *k == 0) =>
            {
                emit_a(a, out, scratch)?;
                out.push(Insn::stmt(ALU | op | K, *k));
            }
            _ => {
                emit_pair(a, b, out, scratch)?;
                out.push(Insn::stmt(ALU | op | X, 0));
            }
        },
    }
    Some(())
}

/// Emits code leaving `a` in A and `b` in X.
fn emit_pair(a: &V, b: &V, out: &mut Vec<Insn>, scratch: &mut Scratch) -> Option<()> {
    if a == b {
        // The same value twice (`ip[0] = ip[0]`): compute it once.
        emit_a(a, out, scratch)?;
        out.push(Insn::stmt(MISC | TAX, 0));
    } else if matches!(b, V::Const(_) | V::Msh(_)) {
        emit_a(a, out, scratch)?;
        emit_x(b, out, scratch)?;
    } else if !uses_x(a) {
        emit_x(b, out, scratch)?;
        emit_a(a, out, scratch)?;
    } else {
        let r = scratch.next;
        if r >= 16 {
            return None;
        }
        scratch.next += 1;
        emit_a(b, out, scratch)?;
        out.push(Insn::stmt(ST, r));
        emit_a(a, out, scratch)?;
        out.push(Insn::stmt(LDX | MEM, r));
    }
    Some(())
}

/// Rewrites every reachable jump block into its shortest equivalent; returns true if any changed.
///
/// # Errors
/// A division or modulus by a constant zero, or a shift by a constant above
/// 31, found anywhere (libpcap's optimizer refuses those too).
pub fn fold_blocks(cfg: &mut Cfg) -> Result<bool, CompileErrorKind> {
    // Only sound while no block reads scratch memory written by another.
    let order = cfg.order();
    if order
        .iter()
        .any(|&b| reads_foreign_memory(&cfg.get(b).stmts))
    {
        return Ok(false);
    }
    let entry = entry_constants(cfg, &order);
    let live = live_out(cfg, &order);
    let mut changed = false;
    for b in order {
        let i = b.0 as usize;
        // A rewrite computes the test, not the registers' final values: a
        // block whose A or X a later block reads (libpcap's `byte N & V`
        // reads A as it finds it) stays as it is.
        if live[i].0 || live[i].1 {
            continue;
        }
        if let Some(new) = fold_one(cfg, b, entry[i])? {
            changed = true;
            let blk = cfg.get_mut(b);
            blk.stmts = new.0;
            blk.exit = new.1;
            if new.2 {
                core::mem::swap(&mut blk.jt, &mut blk.jf);
            }
        }
    }
    Ok(changed)
}

/// The successors of a block.
fn succs(cfg: &Cfg, b: BlockId) -> impl Iterator<Item = BlockId> {
    let blk = cfg.get(b);
    blk.jt.into_iter().chain(blk.jf)
}

/// The constants A and X hold when each block starts (indexed by block),
/// where every path into it leaves the same constant, as libpcap's
/// optimizer carries values along edges. The root starts with what the
/// prologue (statements of roots already stepped over) leaves; with no
/// prologue, unknown, as in libpcap (the interpreter's zeros are not assumed).
fn entry_constants(cfg: &Cfg, order: &[BlockId]) -> Vec<Entry> {
    // Unseen, or what the paths seen so far agree on.
    let mut seen: Vec<Option<Entry>> = alloc::vec![None; cfg.blocks.len()];
    let constant = |v: Option<V>| match v {
        Some(V::Const(c)) => Some(c),
        _ => None,
    };
    if let Some(root) = cfg.root {
        let start = eval(&cfg.prologue, (None, None)).ok().flatten();
        let (a, x) = start.unwrap_or((None, None));
        seen[root.0 as usize] = Some((constant(a), constant(x)));
    }
    for &b in order {
        let entry = seen[b.0 as usize].unwrap_or((None, None));
        let exit = eval(&cfg.get(b).stmts, entry).ok().flatten();
        let (a, x) = exit.map_or((None, None), |(a, x)| (constant(a), constant(x)));
        for s in succs(cfg, b) {
            let slot = &mut seen[s.0 as usize];
            *slot = Some(match *slot {
                None => (a, x),
                Some((sa, sx)) => (sa.filter(|_| sa == a), sx.filter(|_| sx == x)),
            });
        }
    }
    seen.into_iter()
        .map(|e| e.unwrap_or((None, None)))
        .collect()
}

/// Whether each block (indexed by block) may have its A and its X at exit
/// read by a later block, before that block writes them.
fn live_out(cfg: &Cfg, order: &[BlockId]) -> Vec<(bool, bool)> {
    let mut live_in = alloc::vec![(false, false); cfg.blocks.len()];
    let mut out = alloc::vec![(false, false); cfg.blocks.len()];
    for &b in order.iter().rev() {
        let (la, lx) = succs(cfg, b).fold((false, false), |(a, x), s| {
            let l = live_in[s.0 as usize];
            (a || l.0, x || l.1)
        });
        out[b.0 as usize] = (la, lx);
        let blk = cfg.get(b);
        let (ra, rx, wa, wx) = entry_use(&blk.stmts, &blk.exit);
        live_in[b.0 as usize] = (ra || (!wa && la), rx || (!wx && lx));
    }
    out
}

/// Whether a block reads A and X as they were on entry, and whether it
/// writes them: (reads A, reads X, writes A, writes X).
fn entry_use(stmts: &[Insn], exit: &Exit) -> (bool, bool, bool, bool) {
    let (mut ra, mut rx, mut wa, mut wx) = (false, false, false, false);
    let mut read = |a: bool, x: bool, wa: bool, wx: bool| {
        ra |= a && !wa;
        rx |= x && !wx;
    };
    for s in stmts {
        let (a, x, da, dx) = super::values::reg_use(s.code);
        read(a, x, wa, wx);
        wa |= da;
        wx |= dx;
    }
    if let Exit::Jump { code, .. } = *exit {
        read(true, code & 0x08 == X, wa, wx);
    }
    (ra, rx, wa, wx)
}

fn reads_foreign_memory(stmts: &[Insn]) -> bool {
    let mut written = [false; 16];
    for s in stmts {
        match s.code & 0x07 {
            ST | STX => {
                if let Some(w) = written.get_mut(s.k as usize) {
                    *w = true;
                }
            }
            LD | LDX
                if s.code & 0xe0 == MEM && !written.get(s.k as usize).copied().unwrap_or(false) =>
            {
                return true;
            }
            JMP => return true,
            _ => {}
        }
    }
    false
}

/// The new statements, exit, and whether the successors swap.
fn fold_one(cfg: &Cfg, b: BlockId, entry: Entry) -> Result<Rewrite, CompileErrorKind> {
    let blk = cfg.get(b);
    if let Exit::Jump { .. } = blk.exit {
        let Some((a, x)) = eval(&blk.stmts, entry)? else {
            return Ok(None);
        };
        return Ok(rewrite(blk, a, x, cfg.target == Target::Userspace));
    }
    Ok(None)
}

fn rewrite(
    blk: &super::super::cfg::Block,
    a: Option<V>,
    x: Option<V>,
    userspace: bool,
) -> Option<(Vec<Insn>, Exit, bool)> {
    let Exit::Jump { code, k } = blk.exit else {
        return None;
    };
    let a = a?;
    let op = code & 0xf0;
    let mut swap = false;
    let (lhs, rhs): (V, V) = if code & 0x08 == X {
        (a, x?)
    } else {
        (a, V::Const(k))
    };
    // a - b == 0  <=>  a == b
    let (lhs, rhs) = match (op, lhs, rhs) {
        (JEQ, V::Alu(SUB, p, q), V::Const(0)) => (*p, *q),
        (o, l, r) => {
            let _ = o;
            (l, r)
        }
    };
    let mut out = Vec::new();
    let mut scratch = Scratch { next: 0, userspace };
    let exit = match (op, &lhs, &rhs) {
        // a & m == 0  <=>  !(a jset m)
        (JEQ, V::Alu(AND, p, m), V::Const(0)) if matches!(**m, V::Const(_)) => {
            let V::Const(m) = **m else { return None };
            emit_a(p, &mut out, &mut scratch)?;
            swap = true;
            Exit::Jump {
                code: JMP | JSET | K,
                k: m,
            }
        }
        (_, _, V::Const(c)) => {
            emit_a(&lhs, &mut out, &mut scratch)?;
            Exit::Jump {
                code: JMP | op | K,
                k: *c,
            }
        }
        _ => {
            emit_pair(&lhs, &rhs, &mut out, &mut scratch)?;
            Exit::Jump {
                code: JMP | op | X,
                k: 0,
            }
        }
    };
    // A test of two constants is decided: worth a rewrite of the same
    // length (`and #2` on a known A becomes `ld #0`), which the jump passes
    // then resolve.
    let decided = matches!((&lhs, &rhs), (V::Const(_), V::Const(_))) && out != blk.stmts;
    if out.len() > blk.stmts.len() || (out.len() == blk.stmts.len() && exit == blk.exit && !decided)
    {
        return None;
    }
    Some((out, exit, swap))
}

#[cfg(test)]
mod tests {
    use crate::filter::{compile, Options};

    #[test]
    fn constant_index_loads_fold_into_the_offset() {
        let p = compile("tcp[13] & 2 != 0", &Options::default()).unwrap();
        let text = alloc::format!("{p}");
        assert!(text.contains("ldb      [x + 27]"), "{text}");
        assert!(text.contains("jset     #0x2"), "{text}");
    }

    #[test]
    fn constant_relations_fold_away() {
        let p = compile("1 + 2 * 3 = 7", &Options::default()).unwrap();
        assert_eq!(p.len(), 1);
    }
}
