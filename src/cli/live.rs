//! The live mode of the command line.

use super::Args;

/// Runs the live mode.
pub fn run(_args: &Args) -> anyhow::Result<i32> {
    anyhow::bail!("live: not supported yet")
}
