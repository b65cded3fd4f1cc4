//! The trace mode of the command line.

use super::args::TraceArgs;

/// Runs the trace mode.
pub fn run(_args: &TraceArgs) -> anyhow::Result<i32> {
    anyhow::bail!("trace: not supported yet")
}
