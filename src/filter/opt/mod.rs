//! The optimizer: smaller equivalent control-flow graphs.
//!
//! In: a finished [`Cfg`] straight from code generation, where every block
//! is self-contained (it loads everything its test needs). Out: the same
//! graph rewritten in place; every packet gets the same return value.
//!
//! Passes, run by [`run`]:
//! 0. [`fold::fold_blocks`]: each block's arithmetic is value-numbered and
//!    re-emitted as the shortest code for the same test.
//! 1. [`jumps::thread`]: an edge into a block whose test outcome is already
//!    known on that edge (from the tests on every path to it, or because the
//!    block tests a constant) is redirected past the block; blocks whose two
//!    edges meet are bypassed. This is what removes the repeated ethertype
//!    and protocol checks across `and`/`or`.
//! 2. [`jumps::merge`]: blocks with the same code and successors become one.
//! 3. [`values::drop_reloads`]: once the structure is final, loads of a
//!    value the accumulator (or X) already holds on every path are dropped.
//!
//! Passes 1 and 2 rely on blocks being self-contained, so they run to a
//! fixpoint (bounded by [`MAX_PASSES`]) before pass 3 breaks that property.
//! Graphs holding a protochain loop are left alone, as libpcap does.

pub mod fold;
pub mod jumps;
pub mod values;

use super::cfg::Cfg;

/// Upper bound on rounds of threading and merging; each round that changes
/// nothing ends the loop earlier.
pub const MAX_PASSES: usize = 64;

/// Optimizes `cfg` in place (no-op for graphs holding a protochain loop).
pub fn run(cfg: &mut Cfg) {
    if cfg.no_optimize || cfg.root.is_none() {
        return;
    }
    fold::fold_blocks(cfg);
    for _ in 0..MAX_PASSES {
        let threaded = jumps::thread(cfg);
        let merged = jumps::merge(cfg);
        if !threaded && !merged {
            break;
        }
    }
    values::drop_reloads(cfg);
    // Identical blocks behave identically whatever they are entered with,
    // so merging stays sound after reloads were dropped.
    for _ in 0..MAX_PASSES {
        if !jumps::merge(cfg) {
            break;
        }
    }
}
