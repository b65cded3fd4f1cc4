//! ns/packet of the cBPF machine, and µs per compile, for common filters.
//!
//! `cargo bench --bench vm` (std only, no criterion: a plain timing loop, best
//! of several rounds, so the bench builds in seconds on a shared box). For six
//! common filters compiled by `rawcap::filter`, it runs the program over every
//! frame of `rawcap_corpus` and prints the mean ns/packet of `vm::run`
//! (decodes each instruction per packet) and of `bpf::Machine::run` on each
//! engine (`Decoded`: decoded once; `Fused`: fused steps; `Machine::new`
//! picks the fastest, which `rawcap -r` runs), then the compile time of each
//! expression and the mean over the fixture list
//! `tests/data/filter-expressions.txt`.

use rawcap::bpf::{vm, Machine, Program};
use rawcap::filter::{self, Options};
use rawcap::LinkType;
use std::hint::black_box;
use std::time::Instant;

#[path = "common/mod.rs"]
mod common;
use common::{ENGINES, FILTERS};

/// Best of `rounds` timings of `f`, in ns per call of the inner loop of `n`.
fn best_ns(rounds: u32, n: usize, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        f();
        best = best.min(start.elapsed().as_nanos() as f64 / n as f64);
    }
    best
}

fn compile(expr: &str) -> Program {
    match filter::compile(expr, &Options::default()) {
        Ok(p) => p,
        Err(e) => panic!("{expr}: {e}"),
    }
}

fn main() {
    let frames = rawcap_corpus::frames();
    let metas: Vec<vm::Meta> = frames
        .iter()
        .map(|f| vm::Meta::for_frame(LinkType::Ethernet, &f.data))
        .collect();
    const PASSES: usize = 50;
    let n = frames.len() * PASSES;
    println!(
        "{} corpus frames x {PASSES} passes, best of 5 rounds",
        frames.len()
    );
    let head: String = ENGINES.iter().map(|e| format!(" {e:?} ns/pkt |")).collect();
    println!("| filter | insns | vm::run ns/pkt |{head}");
    println!("|---|---:|---:|{}", "---:|".repeat(ENGINES.len()));
    for expr in FILTERS {
        let prog = compile(expr);
        let interp = best_ns(5, n, || {
            for _ in 0..PASSES {
                for (f, m) in frames.iter().zip(&metas) {
                    black_box(vm::run(&prog, black_box(&f.data), f.wire_len, m));
                }
            }
        });
        let mut row = format!("| `{expr}` | {} | {interp:.1} |", prog.insns().len());
        for engine in ENGINES {
            let Some(machine) = Machine::with_engine(&prog, engine) else {
                row.push_str(" - |");
                continue;
            };
            let ns = best_ns(5, n, || {
                for _ in 0..PASSES {
                    for (f, m) in frames.iter().zip(&metas) {
                        black_box(machine.run(black_box(&f.data), f.wire_len, m));
                    }
                }
            });
            row.push_str(&format!(" {ns:.1} |"));
        }
        println!("{row}");
    }

    println!();
    println!("| expression | compile µs |");
    println!("|---|---:|");
    for expr in FILTERS {
        let us = best_ns(5, 200, || {
            for _ in 0..200 {
                black_box(compile(black_box(expr)));
            }
        }) / 1000.0;
        println!("| `{expr}` | {us:.1} |");
    }
    let list = include_str!("../tests/data/filter-expressions.txt");
    let exprs: Vec<&str> = list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty() && !l.contains('@'))
        .map(str::trim)
        .collect();
    let opts = Options::default();
    let us = best_ns(3, exprs.len(), || {
        for e in &exprs {
            let _ = black_box(filter::compile(black_box(e), &opts));
        }
    }) / 1000.0;
    println!(
        "| mean over {} fixture expressions | {us:.1} |",
        exprs.len()
    );
}
