//! Host names in place of addresses (tcpdump's `ipaddr_string` without
//! `-n`): the [`HostNames`] a [`Printer`](super::text::Printer) was given
//! is installed for the thread while it formats one packet, so every
//! printer that shows an address through `demux::Ip` asks it, without each
//! printer carrying it. Nothing installed (`-n`, the default for library
//! users), every address prints as a number.

use super::text::HostNames;
use core::cell::{Cell, RefCell};

thread_local! {
    static NAMES: RefCell<Option<Box<dyn HostNames>>> = const { RefCell::new(None) };
    static ON: Cell<bool> = const { Cell::new(false) };
}

/// Makes `names` answer this thread's lookups until [`take`].
pub(super) fn install(names: Box<dyn HostNames>) {
    NAMES.with_borrow_mut(|n| *n = Some(names));
    ON.set(true);
}

/// Removes what [`install`] put in.
pub(super) fn take() -> Option<Box<dyn HostNames>> {
    ON.set(false);
    NAMES.with_borrow_mut(Option::take)
}

/// The name for a 4- or 16-byte address, when names are on and one is known.
pub(super) fn lookup(addr: &[u8]) -> Option<String> {
    if !ON.get() {
        return None;
    }
    NAMES.with_borrow_mut(|n| {
        let n = n.as_mut()?;
        if let Ok(a) = <[u8; 4]>::try_from(addr) {
            n.ipv4(a)
        } else if let Ok(a) = <[u8; 16]>::try_from(addr) {
            n.ipv6(a)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct One;
    impl HostNames for One {
        fn ipv4(&mut self, a: [u8; 4]) -> Option<String> {
            (a == [127, 0, 0, 1]).then(|| "localhost".into())
        }
        fn ipv6(&mut self, _: [u8; 16]) -> Option<String> {
            None
        }
    }

    #[test]
    fn names_only_while_installed() {
        assert_eq!(lookup(&[127, 0, 0, 1]), None);
        install(Box::new(One));
        assert_eq!(lookup(&[127, 0, 0, 1]).as_deref(), Some("localhost"));
        assert_eq!(lookup(&[127, 0, 0, 2]), None);
        assert_eq!(lookup(&[0; 16]), None);
        assert!(take().is_some());
        assert_eq!(lookup(&[127, 0, 0, 1]), None);
    }
}
