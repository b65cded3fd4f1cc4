//! The offline mode of the command line.

use super::Args;

/// Runs the offline mode.
pub fn run(_args: &Args) -> anyhow::Result<i32> {
    anyhow::bail!("offline: not supported yet")
}
