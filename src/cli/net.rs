//! `rawcap client` and `rawcap serve`.

use super::args::{ClientArgs, ServeArgs};

/// Runs `rawcap client`.
pub fn client(_args: &ClientArgs) -> anyhow::Result<i32> {
    anyhow::bail!("client: not supported yet")
}

/// Runs `rawcap serve`.
pub fn serve(_args: &ServeArgs) -> anyhow::Result<i32> {
    anyhow::bail!("serve: not supported yet")
}
