//! ns/packet of `bpf::vm::run` with the hand-assembled `tcp port 80` program.
//!
//! `cargo bench --bench vm` (std only, no criterion: a plain timing loop, best
//! of several rounds). Prints one line per frame kind.

use rawcap::bpf::{programs, vm};
use std::hint::black_box;
use std::time::Instant;

fn ethernet(ethertype: u16, l3: &[u8]) -> Vec<u8> {
    let mut f = vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(l3);
    f
}

fn ipv4(proto: u8, sport: u16, dport: u16) -> Vec<u8> {
    let mut h = vec![
        0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, proto, 0, 0, 198, 18, 0, 1, 198, 18, 0, 2,
    ];
    h.extend_from_slice(&sport.to_be_bytes());
    h.extend_from_slice(&dport.to_be_bytes());
    h.extend_from_slice(&[0; 16]);
    ethernet(0x0800, &h)
}

fn ipv6(next: u8, sport: u16, dport: u16) -> Vec<u8> {
    let mut h = vec![0u8; 40];
    h[0] = 0x60;
    h[6] = next;
    h.extend_from_slice(&sport.to_be_bytes());
    h.extend_from_slice(&dport.to_be_bytes());
    h.extend_from_slice(&[0; 16]);
    ethernet(0x86dd, &h)
}

fn main() {
    let prog = programs::tcp_port_80();
    let meta = vm::Meta::default();
    let frames = [
        ("ipv4 tcp dst 80 (accept, 18 insns)", ipv4(6, 40000, 80)),
        ("ipv4 tcp 443 (reject, 19 insns)", ipv4(6, 40000, 443)),
        ("ipv4 udp (reject, 6 insns)", ipv4(17, 53, 53)),
        ("ipv6 tcp src 80 (accept, 7 insns)", ipv6(6, 80, 40000)),
        ("arp (reject, 4 insns)", ethernet(0x0806, &[0; 28])),
    ];
    const RUNS: u32 = 1_000_000;
    for (label, frame) in &frames {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let start = Instant::now();
            for _ in 0..RUNS {
                black_box(vm::run(
                    black_box(&prog),
                    black_box(frame),
                    frame.len() as u32,
                    &meta,
                ));
            }
            best = best.min(start.elapsed().as_nanos() as f64 / f64::from(RUNS));
        }
        println!("vm::run tcp_port_80, {label}: {best:.1} ns/packet");
    }
}
