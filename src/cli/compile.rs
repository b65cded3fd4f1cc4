//! The compile mode of the command line.

use super::Args;

/// Runs the compile mode.
pub fn print(_args: &Args) -> anyhow::Result<i32> {
    anyhow::bail!("compile: not supported yet")
}
