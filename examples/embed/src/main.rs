//! Compiles the filter given as the first argument (default `tcp port 80`),
//! prints its program as `tcpdump -d` does, and runs it over one frame;
//! a refused expression prints the library's error, caret and all.

use rawcap::bpf::{self, vm::Meta, Machine};
use rawcap::filter::{self, Options};
use rawcap::LinkType;

fn main() {
    let expr = std::env::args().nth(1).unwrap_or_else(|| "tcp port 80".into());
    // Ethernet, snaplen 262144, optimized, for a Linux socket.
    let prog = match filter::compile(&expr, &Options::default()) {
        Ok(prog) => prog,
        Err(e) => {
            // The message, the expression, carets under the offending text.
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    // Every program for the kernel target passes the kernel's own checks.
    if let Err(e) = bpf::validate(&prog) {
        eprintln!("the kernel would refuse it: {e}");
        std::process::exit(1);
    }
    print!("{prog}");
    // Attach it with setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog.sock_fprog(), ...),
    // or run it here: the bytes a socket filter would keep (0 drops the frame).
    let frame = [0u8; 60];
    let meta = Meta::for_frame(LinkType::Ethernet, &frame);
    let kept = Machine::new(&prog).run(&frame, 60, &meta);
    println!("an all-zero frame: {kept}");
}
