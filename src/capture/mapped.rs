//! A regular file mapped read-only into memory, for reading big savefiles
//! without copying them through a buffer.
//!
//! In: an open [`File`]. Out: its bytes as a `&[u8]` ([`Deref`]).
//! Invariant: the resident set can be kept flat with [`MappedFile::release`]
//! as the reader moves on (the pages stay in the page cache). The bytes are
//! stable only while nobody truncates or rewrites the file (mmap(2)); a file
//! that shrinks reads as zeros past its new end and
//! [`MappedFile::truncated`] turns true, instead of a SIGBUS.

use super::sys::{self, Advice};
use std::fs::File;
use std::io;
use std::ops::Deref;
use std::os::fd::AsFd;

/// A whole file mapped read-only; unmapped on drop.
#[derive(Debug)]
pub struct MappedFile {
    map: sys::MappedFile,
    /// The file, kept open to ask its length now.
    file: File,
}

impl MappedFile {
    /// Maps all of `file`, hinting sequential access.
    ///
    /// # Errors
    /// When the file is empty or not mappable (a pipe, a terminal) or mmap fails.
    pub fn map(file: &File) -> io::Result<Self> {
        let len = usize::try_from(file.metadata()?.len())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        let map = sys::MappedFile::map(file.as_fd(), len)?;
        map.advise(0, len, Advice::Sequential);
        Ok(MappedFile {
            map,
            file: file.try_clone()?,
        })
    }

    /// Drops the whole pages of `start..end` from the resident set (they are
    /// read back from the page cache if touched again); a hint, never fails.
    pub fn release(&self, start: usize, end: usize) {
        self.map.advise(start, end, Advice::Release);
    }

    /// Asks the CPU to start loading the bytes at `at` into its cache (a
    /// hint for a reader about to get there; nothing happens past the end).
    #[inline]
    pub fn prefetch(&self, at: usize) {
        if let Some(b) = self.get(at) {
            sys::prefetch(b);
        }
    }

    /// [`MappedFile::prefetch`] for every cache line of `start..end` (the
    /// part inside the mapping; a few lines past `end` may be asked for too).
    #[inline]
    pub fn prefetch_range(&self, start: usize, end: usize) {
        let Some(bytes) = self.get(start..end.min(self.len())) else {
            return;
        };
        let p = bytes.as_ptr();
        let mut at = 0;
        // Four lines a round: a prefetch is a hint that never faults, so
        // the last round may reach past the end.
        while at < bytes.len() {
            sys::prefetch(p.wrapping_add(at));
            sys::prefetch(p.wrapping_add(at + 64));
            sys::prefetch(p.wrapping_add(at + 128));
            sys::prefetch(p.wrapping_add(at + 192));
            at += 256;
        }
    }

    /// Whether the file shrank while mapped: the pages past its new end
    /// read as zeros (instead of killing the process with SIGBUS), so bytes
    /// read since may be zeros rather than the file's. A reader checks it
    /// before trusting a record.
    pub fn truncated(&self) -> bool {
        self.map.truncated()
    }

    /// The file's length now (fstat), which is less than the mapping's
    /// when it shrank since it was mapped.
    ///
    /// # Errors
    /// When fstat fails.
    pub fn file_len(&self) -> io::Result<u64> {
        Ok(self.file.metadata()?.len())
    }

    /// Maps the pages of `start..end` now, in one call rather than one page
    /// fault at a time (`MADV_POPULATE_READ`); a hint, never fails.
    pub fn populate(&self, start: usize, end: usize) {
        self.map.advise(start, end, Advice::Populate);
    }
}

impl Deref for MappedFile {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.map.bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn maps_the_file_bytes_and_survives_release() {
        let path = std::env::temp_dir().join(format!("rawcap-mapped-{}", std::process::id()));
        let data: Vec<u8> = (0..3 * 4096 + 100).map(|i| (i % 251) as u8).collect();
        File::create(&path)
            .and_then(|mut f| f.write_all(&data))
            .unwrap();
        let f = File::open(&path).unwrap();
        let m = MappedFile::map(&f).unwrap();
        assert_eq!(&m[..], &data[..]);
        m.release(0, m.len());
        assert_eq!(&m[..], &data[..], "released pages read back the same");
        drop(m);
        File::create(&path).unwrap();
        assert!(
            MappedFile::map(&File::open(&path).unwrap()).is_err(),
            "empty file"
        );
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_file_that_shrinks_reads_as_zeros_instead_of_sigbus() {
        let path = std::env::temp_dir().join(format!("rawcap-shrinks-{}", std::process::id()));
        let data = vec![0xabu8; 5 * 4096];
        File::create(&path)
            .and_then(|mut f| f.write_all(&data))
            .unwrap();
        let f = File::open(&path).unwrap();
        let m = MappedFile::map(&f).unwrap();
        assert!(!m.truncated());
        assert_eq!(m.file_len().unwrap(), data.len() as u64);
        // Another writer cuts the file to 1.5 pages.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(6144)
            .unwrap();
        assert_eq!(m[0], 0xab);
        // The rest of the last page: zeros without a fault (mmap(2)).
        assert_eq!(m[6144], 0);
        assert!(!m.truncated());
        // Past it: SIGBUS, repaired with a zero page, flagged.
        assert_eq!(m[3 * 4096 + 5], 0);
        assert!(m.truncated());
        assert_eq!(m[4 * 4096], 0);
        assert_eq!(m.file_len().unwrap(), 6144);
        drop(m);
        // A fresh mapping of the shorter file starts clean.
        let m = MappedFile::map(&File::open(&path).unwrap()).unwrap();
        assert!(!m.truncated());
        assert_eq!(m.len(), 6144);
        std::fs::remove_file(&path).unwrap();
    }
}
