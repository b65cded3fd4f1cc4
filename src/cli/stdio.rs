//! stdout and stderr as tcpdump treats them when they close under it.
//!
//! - stderr is for notes (the "reading from file" line, statistics,
//!   warnings, errors): [`note!`] writes one line and ignores a closed or
//!   failing stderr, so `2>&-` or `2>&1 | head` never stops a run (tcpdump
//!   runs on too) and never panics (as `eprintln!` does).
//! - stdout carries the packets: everything the binary prints goes through
//!   [`Stdout`], whose errors are tagged [`StdoutFailed`]. `main` ends the
//!   run on them with tcpdump's status for an output it cannot write
//!   ([`EXIT_OUTPUT_FAILED`], 14); a closed pipe (`| head`) ends it quietly,
//!   any other failure (a full disk behind `>`) with tcpdump's one line,
//!   "Unable to write output: ...".
//!
//! A savefile written to stdout (`-w -`) is different: tcpdump exits 0 when
//! its reader goes away, and so does rawcap (see `output::pipe_closed`).

use std::fmt;
use std::io::{self, Write};

/// tcpdump's exit status when the output cannot be written (its
/// `S_ERR_ND_WRITE_FILE`).
pub const EXIT_OUTPUT_FAILED: i32 = 14;

/// Writes a line to stderr, ignoring a closed stderr: `note!("{n} packets")`.
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::cli::stdio::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use note;

/// Writes `args` to stderr (no newline added); errors are ignored, since
/// there is nowhere left to report them.
pub fn write_stderr(args: fmt::Arguments<'_>) {
    let mut err = io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.flush());
}

/// The process's stdout, with write errors tagged [`StdoutFailed`].
#[derive(Debug, Default, Clone, Copy)]
pub struct Stdout;

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        io::stdout().write(buf).map_err(tag)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        io::stdout().write_all(buf).map_err(tag)
    }
    fn flush(&mut self) -> io::Result<()> {
        io::stdout().flush().map_err(tag)
    }
}

/// A write to stdout failed; the error inside says why.
#[derive(Debug)]
pub struct StdoutFailed(io::Error);

impl fmt::Display for StdoutFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Unable to write output: {}", strerror(&self.0))
    }
}

impl std::error::Error for StdoutFailed {}

fn tag(e: io::Error) -> io::Error {
    if e.get_ref().is_some_and(|r| r.is::<StdoutFailed>()) {
        return e;
    }
    io::Error::new(e.kind(), StdoutFailed(e))
}

/// The stdout failure in `e`'s chain, if any.
pub fn stdout_failure(e: &anyhow::Error) -> Option<&StdoutFailed> {
    e.chain().find_map(|c| {
        c.downcast_ref::<StdoutFailed>().or_else(|| {
            c.downcast_ref::<io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<StdoutFailed>())
        })
    })
}

impl StdoutFailed {
    /// Whether stdout was a pipe whose reader has gone (`| head`).
    pub fn is_closed_pipe(&self) -> bool {
        self.0.kind() == io::ErrorKind::BrokenPipe
    }
}

/// An OS error as C's strerror prints it, without Rust's "(os error N)".
pub fn strerror(e: &io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdout_failures_are_found_through_io_and_anyhow_layers() {
        let e = tag(io::Error::from_raw_os_error(32));
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(e.to_string(), "Unable to write output: Broken pipe");
        let tagged_twice = tag(e);
        let any = anyhow::Error::new(tagged_twice).context("writing");
        let f = stdout_failure(&any).expect("found");
        assert!(f.is_closed_pipe());
        let other = anyhow::Error::new(io::Error::from_raw_os_error(32));
        assert!(
            stdout_failure(&other).is_none(),
            "an untagged EPIPE is not stdout's"
        );
        let full = anyhow::Error::new(tag(io::Error::from_raw_os_error(28)));
        let f = stdout_failure(&full).unwrap();
        assert!(!f.is_closed_pipe());
        assert_eq!(
            f.to_string(),
            "Unable to write output: No space left on device"
        );
    }
}
