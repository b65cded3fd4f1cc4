//! The control-flow graph: an arena of [`Block`]s indexed by [`BlockId`].
//!
//! libpcap's model: a block is straight-line statements followed by either a
//! conditional jump with a true and a false successor, or a return. While
//! code is generated, unresolved edges form lists threaded through the
//! successor fields; `sense` says which of a block's two edges is still
//! open. [`Cfg::and`], [`Cfg::or`] and [`Cfg::not`] combine sub-graphs the way
//! gencode.c's `gen_and`/`gen_or`/`gen_not` do, so the graph has the same
//! shape as libpcap's before optimization.

use crate::bpf::{code, Insn};
use alloc::vec::Vec;

/// Index of a block in [`Cfg::blocks`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

/// How a block ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Exit {
    /// A conditional jump: `code` is `BPF_JMP | op | src`, `k` the operand.
    Jump {
        /// Opcode (class JMP).
        code: u16,
        /// Constant operand.
        k: u32,
    },
    /// `ret #k`.
    Ret(u32),
}

/// Straight-line statements and an exit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Loads, stores and ALU statements (never jumps).
    pub stmts: Vec<Insn>,
    /// The final jump or return.
    pub exit: Exit,
    /// Successor when the jump is taken.
    pub jt: Option<BlockId>,
    /// Successor when the jump is not taken.
    pub jf: Option<BlockId>,
    /// Which edge is still open while generating (libpcap's `sense`).
    pub(crate) sense: bool,
    /// First block of the sub-graph this block ends (libpcap's `head`).
    pub(crate) head: BlockId,
}

/// A control-flow graph under construction or finished.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cfg {
    /// The arena.
    pub blocks: Vec<Block>,
    /// The entry block (set by [`Cfg::finish`]).
    pub root: Option<BlockId>,
    /// Set for graphs the optimizer must leave alone (`protochain`, as in
    /// libpcap, and the other generators that set it).
    pub no_optimize: bool,
    /// Statements of root blocks the optimizer stepped past; libpcap's
    /// `opt_root` keeps them in front of the new root (they matter: a load
    /// past the end of a short packet makes the program return 0).
    pub prologue: Vec<Insn>,
    /// The interpreter the program is for (what the optimizer may fold).
    pub target: super::Target,
}

impl Cfg {
    /// A new block ending in `exit`, with no successors yet.
    pub fn block(&mut self, stmts: Vec<Insn>, exit: Exit) -> BlockId {
        let id = BlockId(self.blocks.len() as u32);
        self.blocks.push(Block {
            stmts,
            exit,
            jt: None,
            jf: None,
            sense: false,
            head: id,
        });
        id
    }

    /// A block comparing A with `k` (`jeq`, `jgt`, `jge`, `jset` and `|BPF_X`).
    pub fn jump(&mut self, stmts: Vec<Insn>, op: u16, k: u32) -> BlockId {
        self.block(
            stmts,
            Exit::Jump {
                code: code::JMP | op,
                k,
            },
        )
    }

    /// The block with id `b`.
    pub fn get(&self, b: BlockId) -> &Block {
        &self.blocks[b.0 as usize]
    }

    /// The block with id `b`, mutably.
    pub fn get_mut(&mut self, b: BlockId) -> &mut Block {
        &mut self.blocks[b.0 as usize]
    }

    fn link(&mut self, b: BlockId, sense: bool) -> &mut Option<BlockId> {
        let blk = self.get_mut(b);
        if !sense {
            &mut blk.jt
        } else {
            &mut blk.jf
        }
    }

    /// Points every open edge in the list starting at `list` at `target`.
    fn backpatch(&mut self, list: BlockId, target: BlockId) {
        let mut cur = Some(list);
        while let Some(b) = cur {
            let sense = self.get(b).sense;
            let slot = self.link(b, sense);
            cur = slot.replace(target);
        }
    }

    /// Appends list `b1` to the end of list `b0`.
    fn merge(&mut self, b0: BlockId, b1: BlockId) {
        let mut cur = b0;
        loop {
            let sense = self.get(cur).sense;
            let slot = self.link(cur, sense);
            match *slot {
                Some(next) => cur = next,
                None => {
                    *slot = Some(b1);
                    return;
                }
            }
        }
    }

    /// `b0 and b1`; the result is `b1` (its head becomes `b0`'s head).
    pub fn and(&mut self, b0: BlockId, b1: BlockId) -> BlockId {
        let h1 = self.get(b1).head;
        self.backpatch(b0, h1);
        self.not(b0);
        self.not(b1);
        self.merge(b1, b0);
        self.not(b1);
        let h0 = self.get(b0).head;
        self.get_mut(b1).head = h0;
        b1
    }

    /// `b0 or b1`; the result is `b1` (its head becomes `b0`'s head).
    pub fn or(&mut self, b0: BlockId, b1: BlockId) -> BlockId {
        self.not(b0);
        let h1 = self.get(b1).head;
        self.backpatch(b0, h1);
        self.not(b0);
        self.merge(b1, b0);
        let h0 = self.get(b0).head;
        self.get_mut(b1).head = h0;
        b1
    }

    /// `not b`.
    pub fn not(&mut self, b: BlockId) -> BlockId {
        let blk = self.get_mut(b);
        blk.sense = !blk.sense;
        b
    }

    /// Closes the graph: true exits return `snaplen`, false exits return 0.
    pub fn finish(&mut self, p: BlockId, snaplen: u32) {
        let accept = self.block(Vec::new(), Exit::Ret(snaplen));
        self.backpatch(p, accept);
        self.not(p);
        let reject = self.block(Vec::new(), Exit::Ret(0));
        self.backpatch(p, reject);
        self.root = Some(self.get(p).head);
    }

    /// A graph that is a single `ret #k`.
    pub fn ret_only(k: u32) -> Cfg {
        let mut cfg = Cfg::default();
        let r = cfg.block(Vec::new(), Exit::Ret(k));
        cfg.root = Some(r);
        cfg
    }

    /// Zeroes, at the start of the program, every scratch register that some
    /// path reads before writing (libpcap's Geneve code under `or`/`not`
    /// does that); the kernel refuses such reads, and a zeroed register is
    /// what a userspace machine reads there. Returns the registers zeroed.
    pub fn zero_unwritten_scratch(&mut self) -> u16 {
        let order = self.order();
        let mut written_in: Vec<Option<u16>> = alloc::vec![None; self.blocks.len()];
        let mut unwritten: u16 = 0;
        if let Some(&root) = order.first() {
            written_in[root.0 as usize] = Some(0);
        }
        for &b in &order {
            let mut w = written_in[b.0 as usize].unwrap_or(0);
            for s in &self.get(b).stmts {
                let bit = 1u16.checked_shl(s.k).unwrap_or(0);
                match s.code & 0x07 {
                    code::LD | code::LDX if s.code & 0xe0 == code::MEM && w & bit == 0 => {
                        unwritten |= bit;
                    }
                    code::ST | code::STX => w |= bit,
                    _ => {}
                }
            }
            for succ in self.succs(b).collect::<Vec<_>>() {
                let slot = &mut written_in[succ.0 as usize];
                *slot = Some(slot.map_or(w, |prev| prev & w));
            }
        }
        if unwritten != 0 {
            if let Some(root) = self.root {
                let mut pre = alloc::vec![Insn::stmt(code::LD | code::IMM, 0)];
                pre.extend(
                    (0..16)
                        .filter(|r| unwritten & (1 << r) != 0)
                        .map(|r| Insn::stmt(code::ST, r)),
                );
                let blk = self.get_mut(root);
                pre.append(&mut blk.stmts);
                blk.stmts = pre;
            }
        }
        unwritten
    }

    /// The successors of `b` (none for a return).
    pub fn succs(&self, b: BlockId) -> impl Iterator<Item = BlockId> {
        let blk = self.get(b);
        let (t, f) = match blk.exit {
            Exit::Ret(_) => (None, None),
            Exit::Jump { .. } => (blk.jt, blk.jf),
        };
        t.into_iter().chain(f)
    }

    /// Blocks reachable from the root in libpcap's emission order: a block,
    /// then its true subtree, then its false subtree (reverse post-order of a
    /// false-first depth-first walk), so every edge points forward.
    pub fn order(&self) -> Vec<BlockId> {
        let Some(root) = self.root else {
            return Vec::new();
        };
        let mut seen = alloc::vec![false; self.blocks.len()];
        let mut post = Vec::new();
        // Stack of (block, expanded?).
        let mut stack = alloc::vec![(root, false)];
        while let Some((b, expanded)) = stack.pop() {
            if expanded {
                post.push(b);
                continue;
            }
            if seen[b.0 as usize] {
                continue;
            }
            seen[b.0 as usize] = true;
            stack.push((b, true));
            let blk = self.get(b);
            if let Exit::Jump { .. } = blk.exit {
                // Visited first = pushed last: false edge first, then true.
                for s in [blk.jt, blk.jf].into_iter().flatten() {
                    if !seen[s.0 as usize] {
                        stack.push((s, false));
                    }
                }
            }
        }
        post.reverse();
        post
    }
}
