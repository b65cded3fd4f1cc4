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
//! `tests/data/filter-expressions.txt`, and last every fixture expression's
//! program on each engine over the corpus (issue 20's per-packet target is
//! for the fixture corpus programs).

use rawcap::bpf::{vm, Engine, Machine, Program};
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
    fixture_programs(&exprs, &frames, &metas);
}

/// Every fixture expression that compiles for Ethernet, each run over every
/// corpus frame on each engine: the mean ns/packet over all of them, and
/// per program how Native compares with Fused (the fastest interpreter).
fn fixture_programs(exprs: &[&str], frames: &[rawcap_corpus::Frame], metas: &[vm::Meta]) {
    const PASSES: usize = 3;
    let opts = Options::default();
    let progs: Vec<Program> = exprs
        .iter()
        .filter_map(|e| filter::compile(e, &opts).ok())
        .collect();
    let n = frames.len() * PASSES;
    // ns/packet per program, per engine (None where the engine cannot run it).
    let mut times: Vec<Vec<Option<f64>>> = Vec::new();
    for prog in &progs {
        let row = ENGINES
            .iter()
            .map(|&engine| {
                let machine = Machine::with_engine(prog, engine)?;
                Some(best_ns(3, n, || {
                    for _ in 0..PASSES {
                        for (f, m) in frames.iter().zip(metas) {
                            black_box(machine.run(black_box(&f.data), f.wire_len, m));
                        }
                    }
                }))
            })
            .collect();
        times.push(row);
    }
    println!();
    println!(
        "Fixture corpus programs: {} of {} expressions compile for Ethernet; each over the {} corpus frames x {PASSES} passes, best of 3",
        progs.len(),
        exprs.len(),
        frames.len()
    );
    let head: String = ENGINES.iter().map(|e| format!(" {e:?} |")).collect();
    println!("| mean ns/pkt over the programs |{head}");
    println!("|---|{}", "---:|".repeat(ENGINES.len()));
    let mut row = String::from("| all programs |");
    for i in 0..ENGINES.len() {
        let v: Vec<f64> = times.iter().filter_map(|t| t[i]).collect();
        let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
        row.push_str(&format!(" {mean:.1} |"));
    }
    println!("{row}");
    let at = |e| ENGINES.iter().position(|&x| x == e);
    let (Some(decoded), Some(fused), Some(native)) =
        (at(Engine::Decoded), at(Engine::Fused), at(Engine::Native))
    else {
        return;
    };
    println!();
    println!("| Native per program against | Fused | the faster of Decoded and Fused |");
    println!("|---|---:|---:|");
    // (native, interpreter) ns/packet per program, for each comparison.
    let pairs: [Vec<(f64, f64)>; 2] = [
        times
            .iter()
            .filter_map(|t| Some((t[native]?, t[fused]?)))
            .collect(),
        times
            .iter()
            .filter_map(|t| Some((t[native]?, t[fused]?.min(t[decoded]?))))
            .collect(),
    ];
    let ratios: Vec<Vec<f64>> = pairs
        .iter()
        .map(|p| {
            let mut r: Vec<f64> = p.iter().map(|(n, i)| n / i).collect();
            r.sort_by(f64::total_cmp);
            r
        })
        .collect();
    if ratios[0].is_empty() {
        return;
    }
    let cells = |f: &dyn Fn(usize) -> String| format!("| {} | {} |", f(0), f(1));
    println!("| programs {}", cells(&|i| ratios[i].len().to_string()));
    println!(
        "| total time ratio {}",
        cells(&|i| {
            let (n, t): (f64, f64) = pairs[i]
                .iter()
                .fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
            format!("{:.2}x", n / t)
        })
    );
    println!(
        "| median {}",
        cells(&|i| format!("{:.2}x", ratios[i][ratios[i].len() / 2]))
    );
    println!(
        "| 10th / 90th percentile {}",
        cells(&|i| {
            let r = &ratios[i];
            format!("{:.2}x / {:.2}x", r[r.len() / 10], r[r.len() * 9 / 10])
        })
    );
    println!(
        "| programs at <= 0.4x {}",
        cells(&|i| {
            let within = ratios[i].iter().filter(|&&r| r <= 0.4).count();
            format!(
                "{within} ({:.1}%)",
                100.0 * within as f64 / ratios[i].len() as f64
            )
        })
    );
}
