//! The optimizer: smaller equivalent control-flow graphs.
//!
//! In: a finished [`Cfg`] straight from code generation, where every block
//! is self-contained (it loads everything its test needs). Out: the same
//! graph rewritten in place; every packet gets the same return value.
//!
//! Passes, run by [`run`] (structure, statements, structure, reloads):
//! 1. [`jumps::thread`]: an edge into a block whose test outcome is already
//!    known on that edge (from the tests on every path to it, or because the
//!    block tests a constant) is redirected past the block; blocks whose two
//!    edges meet are bypassed. This is what removes the repeated ethertype
//!    and protocol checks across `and`/`or`.
//! 2. [`jumps::merge`]: blocks with the same code and successors become one;
//!    [`jumps::pullups`]: libpcap's or/and pullups move a test of the value
//!    just tested up a chain of tests sharing an exit, so the load can go.
//! 3. [`fold::fold_blocks`]: each block's arithmetic is value-numbered and
//!    re-emitted as the shortest code for the same test; then 1 and 2 again.
//! 4. [`values::drop_reloads`]: once the structure is final, loads of a
//!    value the accumulator (or X) already holds on every path are dropped,
//!    and scratch words known to hold a constant are read as that constant;
//!    [`values::drop_dead_updates`] drops stores nothing reads.
//!
//! Passes 1 to 3 rely on blocks being self-contained, so they run to a
//! fixpoint (bounded by [`MAX_PASSES`]) before pass 4 breaks that property.
//! The exception is live `vlan` code, whose offset shift and TCI test are
//! pinned blocks (see `jumps`): never skipped or moved. Graphs holding a
//! protochain loop or Geneve are left alone, as libpcap does.

pub mod fold;
pub mod jumps;
pub mod values;

use super::cfg::Cfg;
use super::CompileErrorKind;

/// Upper bound on rounds of threading and merging; each round that changes
/// nothing ends the loop earlier.
pub const MAX_PASSES: usize = 64;

/// Optimizes `cfg` in place (no-op for graphs holding a protochain loop).
///
/// # Errors
/// libpcap's optimizer's refusals: a division or modulus by a value that
/// turns out constant zero, a shift by a constant above 31. The graph is
/// then left partly rewritten and must not be used.
pub fn run(cfg: &mut Cfg) -> Result<(), CompileErrorKind> {
    run_bounded(cfg, MAX_PASSES).map(|_| ())
}

/// [`run`] with at most `max_passes` rounds of each fixpoint loop (any bound,
/// even 0, gives an equivalent graph: every round is sound on its own).
/// Returns the most rounds one loop ran in which something changed; below
/// `max_passes`, every loop reached its fixpoint.
///
/// # Errors
/// As [`run`].
pub fn run_bounded(cfg: &mut Cfg, max_passes: usize) -> Result<usize, CompileErrorKind> {
    if cfg.no_optimize || cfg.root.is_none() {
        return Ok(0);
    }
    // As libpcap: structure first, then statements (so a division by zero in
    // a block the structure already proved dead is no error), then structure again.
    let mut rounds = structure(cfg, max_passes);
    fold::fold_blocks(cfg)?;
    rounds = rounds.max(structure(cfg, max_passes));
    values::drop_reloads(cfg);
    values::drop_dead_updates(cfg);
    // Identical blocks behave identically whatever they are entered with,
    // so merging stays sound after reloads were dropped.
    rounds = rounds.max(fixpoint(max_passes, || jumps::merge(cfg)));
    // libpcap's opt_root: the statements of stepped-over roots run first,
    // unless the program is a bare return.
    let prologue = core::mem::take(&mut cfg.prologue);
    if let Some(root) = cfg.root {
        let blk = cfg.get_mut(root);
        if let super::cfg::Exit::Jump { .. } = blk.exit {
            let mut stmts = prologue;
            stmts.append(&mut blk.stmts);
            blk.stmts = values::drop_overwritten_loads(values::dedupe(stmts));
        }
    }
    Ok(rounds)
}

/// Runs `round` until it reports no change, at most `max` times; the number of rounds that changed something.
fn fixpoint(max: usize, mut round: impl FnMut() -> bool) -> usize {
    (0..max).take_while(|_| round()).count()
}

/// Threading, merging and pullups until nothing changes (at most `max` rounds).
fn structure(cfg: &mut Cfg, max: usize) -> usize {
    fixpoint(max, || {
        let threaded = jumps::thread(cfg);
        let merged = jumps::merge(cfg);
        let pulled = jumps::pullups(cfg);
        threaded || merged || pulled
    })
}

#[cfg(test)]
mod tests {
    use super::super::{compile_cfg, linearize::linearize, Options};
    use super::*;
    use crate::bpf::vm::{self, Event, Meta};
    use crate::bpf::{self, Program};
    use alloc::format;
    use alloc::string::String;
    use alloc::vec::Vec;

    /// A graph optimized with at most `max` rounds per fixpoint loop,
    /// linearized, and the most rounds a loop used.
    fn bounded(e: &str, max: usize) -> (Program, usize) {
        let plain = Options {
            optimize: false,
            ..Options::default()
        };
        let mut cfg = compile_cfg(e, &plain).expect("compiles");
        let rounds = run_bounded(&mut cfg, max).expect("optimizes");
        cfg.zero_unwritten_scratch();
        (linearize(&cfg).expect("linearizes"), rounds)
    }

    /// Each corpus frame's verdict, and whether a load past the end decided it.
    fn verdicts(p: &Program, frames: &[rawcap_corpus::Frame]) -> Vec<(u32, bool)> {
        let meta = Meta::default();
        frames
            .iter()
            .map(|f| {
                let mut cut = false;
                let v = vm::trace(p, &f.data, f.wire_len, &meta, |_, ev| {
                    cut |= matches!(ev, Event::Ended(..));
                });
                (v, cut)
            })
            .collect()
    }

    /// The optimizer's loops are bounded by [`MAX_PASSES`], reach their
    /// fixpoint well within it, and cutting them short anywhere is still sound.
    #[test]
    fn pass_bound_holds_and_any_bound_is_sound() {
        let frames: Vec<_> = rawcap_corpus::frames().into_iter().step_by(3).collect();
        let ports = |n: u32| {
            (1..=n)
                .map(|k| format!("tcp port {k}"))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let mut exprs: Vec<String> = [
            "tcp port 80 or tcp port 443",
            "host 198.18.0.1 and port 80 or 443",
            "udp and not (port 53 or port 67 or port 68)",
            "ip6[6] = 17 or tcp or net 198.18.0.0/15 and greater 0 and not ip \
             or dst host 198.18.0.1 and tcp[13]=2",
            "(tcp or udp) and (port 53 or port 80) and not host 198.18.0.3",
            "ip[2:2] - 20 > 100 and tcp[13] & 2 != 0 or icmp",
        ]
        .iter()
        .map(|s| String::from(*s))
        .collect();
        exprs.push(ports(40));
        for e in &exprs {
            let (full, rounds) = bounded(e, MAX_PASSES);
            assert!(
                rounds < MAX_PASSES / 2,
                "{e}: {rounds} rounds of at most {MAX_PASSES}"
            );
            let want = verdicts(&full, &frames);
            let plain_len = bounded(e, 0).0.insns().len();
            for cut in 0..=rounds {
                let (p, used) = bounded(e, cut);
                assert!(used <= cut, "{e}: {used} rounds with a bound of {cut}");
                assert!(
                    p.insns().len() <= plain_len,
                    "{e}: bound {cut} made it longer"
                );
                bpf::validate(&p).unwrap_or_else(|v| panic!("{e}, bound {cut}: {v}\n{p}"));
                for (i, (x, y)) in verdicts(&p, &frames).iter().zip(&want).enumerate() {
                    assert!(
                        x.0 == y.0 || x.1 || y.1,
                        "{e}, bound {cut}: frame {i} returns {} instead of {}",
                        x.0,
                        y.0
                    );
                }
            }
        }
        // The optimizer's worst case in libpcap: 1,000 ORed ports.
        let (p, rounds) = bounded(&ports(1000), MAX_PASSES);
        assert!(
            rounds < MAX_PASSES / 2,
            "1,000 ports: {rounds} rounds of at most {MAX_PASSES}"
        );
        assert_eq!(p.insns().len(), 5768, "libpcap's size for 1,000 ORed ports");
    }
}
