//! Executable memory: every `unsafe` line of the native engine.
//!
//! [`Code::new`] maps anonymous memory read-write, copies the machine code
//! in, then makes it read-execute (never writable and executable at once)
//! and keeps the entry point as a typed function pointer; `Drop` unmaps it.
//! Calling the entry point is then ordinary safe Rust.
#![allow(unsafe_code)]

use super::Ctx;
use core::ptr::NonNull;

/// The generated function: runs the program over the `len` bytes at
/// `data` (the packet), with the context for what else it reads.
pub(crate) type Entry = for<'a, 'b> extern "sysv64" fn(*const u8, usize, &'a Ctx<'b>) -> u32;

/// A mapping of read-execute memory holding one generated function.
pub(crate) struct Code {
    ptr: NonNull<libc::c_void>,
    len: usize,
    entry: Entry,
}

// SAFETY: the mapping is owned by this value alone and never written after
// `new` returns (it is read-execute), so sharing or moving it between
// threads is sharing or moving immutable bytes; the generated function keeps
// no state of its own (it writes only its own stack).
unsafe impl Send for Code {}
// SAFETY: as for `Send`: the code is immutable and reentrant.
unsafe impl Sync for Code {}

impl Code {
    /// Maps `bytes` as executable code whose entry is its first byte;
    /// `None` when the kernel refuses the mapping (out of memory, or a
    /// policy forbidding executable mappings), so the caller falls back to
    /// the interpreter.
    ///
    /// `bytes` must be a function of type [`Entry`] made by
    /// [`super::emit::emit`]: that is what makes calling it sound (see the
    /// SAFETY note on the transmute).
    pub(crate) fn new(bytes: &[u8]) -> Option<Code> {
        if bytes.is_empty() {
            return None;
        }
        let len = bytes.len();
        // SAFETY: a fresh private anonymous mapping at an address the kernel
        // picks: no existing memory is touched. The result is checked below.
        let p = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return None;
        }
        let ptr = NonNull::new(p)?;
        // SAFETY: `p` is a writable mapping of at least `len` bytes that
        // nothing else refers to; `bytes` is a different (heap) allocation.
        unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), p.cast::<u8>(), len) };
        // SAFETY: `p..p+len` is the mapping made above; on x86-64 the
        // instruction cache is coherent with these stores, no flush needed.
        let rc = unsafe { libc::mprotect(p, len, libc::PROT_READ | libc::PROT_EXEC) };
        if rc != 0 {
            // SAFETY: unmapping the mapping made above, used by nothing.
            unsafe { libc::munmap(p, len) };
            return None;
        }
        // SAFETY: the mapping holds, from its first byte, a complete function
        // with the System V calling convention and the `Entry` signature,
        // written by `emit`: a leaf in the caller-saved registers whose only
        // memory accesses are the packet at offsets it has checked against
        // its `len` argument (`Code::call` passes a slice's pointer and
        // length), the `Ctx` at `offset_of!` offsets, and its scratch words
        // in the red zone below `rsp`; its calls to `slow_path` move `rsp`
        // below the red zone and align it first. The differential tests and
        // the fuzz targets hold the generated code to the interpreter.
        let entry = unsafe { core::mem::transmute::<*mut libc::c_void, Entry>(p) };
        Some(Code { ptr, len, entry })
    }

    /// Runs the generated function over `pkt`, with `ctx`.
    #[inline]
    pub(crate) fn call(&self, pkt: &[u8], ctx: &Ctx<'_>) -> u32 {
        (self.entry)(pkt.as_ptr(), pkt.len(), ctx)
    }

    /// The size of the machine code in bytes.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl Drop for Code {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, of `len` bytes; `entry` points
        // into it and dies with `self`, so nothing can call it afterwards.
        unsafe { libc::munmap(self.ptr.as_ptr(), self.len) };
    }
}
