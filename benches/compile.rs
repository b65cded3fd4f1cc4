//! Compile time per expression: every expression of the fixture corpus
//! (tests/data/filter-expressions.txt), optimized and with `-O`, then ORs of
//! 100 to 3,000 `tcp port N` (the optimizer's worst case in libpcap).
//!
//! `cargo bench --bench compile` (std only, no criterion: best of several
//! timed rounds). Prints the median, mean and the 10 slowest expressions.

use rawcap::filter::{self, Options};
use std::hint::black_box;
use std::time::Instant;

/// Best time in µs of `rounds` runs of `f`.
fn best_us(rounds: usize, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64() * 1e6);
    }
    best
}

fn corpus() -> Vec<&'static str> {
    include_str!("../tests/data/filter-expressions.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.is_empty() && !l.contains("@reject"))
        .filter(|l| !l.contains("@linux"))
        .map(|l| l.split(" @").next().unwrap_or(l).trim())
        .collect()
}

fn main() {
    let exprs = corpus();
    for optimize in [true, false] {
        let opts = Options {
            optimize,
            ..Options::default()
        };
        let mut times: Vec<(f64, &str, usize)> = exprs
            .iter()
            .filter_map(|&e| {
                let len = filter::compile(e, &opts).ok()?.insns().len();
                let us = best_us(5, || {
                    let _ = black_box(filter::compile(black_box(e), &opts));
                });
                Some((us, e, len))
            })
            .collect();
        times.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mean = times.iter().map(|t| t.0).sum::<f64>() / times.len() as f64;
        let median = times[times.len() / 2].0;
        println!(
            "{} expressions, {}: median {median:.1} µs, mean {mean:.1} µs per compile; slowest:",
            times.len(),
            if optimize { "optimized" } else { "-O" }
        );
        for (us, e, len) in times.iter().take(10) {
            println!("  {us:9.1} µs  {len:4} insns  {e}");
        }
    }
    println!("ORs of `tcp port N`, N = 1..n, optimized:");
    for n in [100, 300, 1000, 3000] {
        let e = (1..=n)
            .map(|k| format!("tcp port {k}"))
            .collect::<Vec<_>>()
            .join(" or ");
        let opts = Options::default();
        let len = filter::compile(&e, &opts).map_or(0, |p| p.insns().len());
        let rounds = if n >= 1000 { 1 } else { 3 };
        let ms = best_us(rounds, || {
            let _ = black_box(filter::compile(black_box(&e), &opts));
        }) / 1000.0;
        println!("  n = {n:5}: {ms:9.1} ms, {len} insns");
    }
}
