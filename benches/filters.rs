//! Criterion benches (issue 4 and 8): nanoseconds per packet of the cBPF
//! machine for `tcp port 80` and five other common filters over the packet
//! corpus, and microseconds per compile over the fixture expressions.
//!
//! `cargo bench --bench filters`. Throughput is reported in elements:
//! packets for the VM groups, expressions for the compile group, so
//! criterion's `thrpt` line is packets/s or compiles/s. `benches/vm.rs` and
//! `benches/compile.rs` print the same figures as tables, plus the
//! interpreter-vs-decoded comparison and the ORed-ports series. The
//! `fixture programs` group runs every fixture expression's program over
//! the corpus on each engine.

use criterion::{Criterion, Throughput};
use rawcap::bpf::{vm, Machine};
use rawcap::filter::{self, Options};
use rawcap::LinkType;
use std::hint::black_box;

#[path = "common/mod.rs"]
mod common;
use common::{ENGINES, FILTERS};

fn vm_per_packet(c: &mut Criterion) {
    let frames = rawcap_corpus::frames();
    let metas: Vec<vm::Meta> = frames
        .iter()
        .map(|f| vm::Meta::for_frame(LinkType::Ethernet, &f.data))
        .collect();
    let mut g = c.benchmark_group("vm");
    g.throughput(Throughput::Elements(frames.len() as u64));
    for expr in FILTERS {
        let prog = match filter::compile(expr, &Options::default()) {
            Ok(p) => p,
            Err(e) => panic!("{expr}: {e}"),
        };
        for engine in ENGINES {
            let Some(machine) = Machine::with_engine(&prog, engine) else {
                continue;
            };
            g.bench_function(format!("{engine:?}/{expr}"), |b| {
                b.iter(|| {
                    for (f, m) in frames.iter().zip(&metas) {
                        black_box(machine.run(black_box(&f.data), f.wire_len, m));
                    }
                })
            });
        }
        g.bench_function(format!("run/{expr}"), |b| {
            b.iter(|| {
                for (f, m) in frames.iter().zip(&metas) {
                    black_box(vm::run(&prog, black_box(&f.data), f.wire_len, m));
                }
            })
        });
    }
    g.finish();
}

fn fixture_exprs() -> Vec<&'static str> {
    include_str!("../tests/data/filter-expressions.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.is_empty() && !l.contains('@'))
        .collect()
}

/// Every fixture expression's program over every corpus frame, per engine
/// (issue 20's per-packet target is for the fixture corpus programs):
/// elements are verdicts, so `thrpt` is verdicts/s.
fn fixture_programs(c: &mut Criterion) {
    let frames = rawcap_corpus::frames();
    let metas: Vec<vm::Meta> = frames
        .iter()
        .map(|f| vm::Meta::for_frame(LinkType::Ethernet, &f.data))
        .collect();
    let progs: Vec<_> = fixture_exprs()
        .into_iter()
        .filter_map(|e| filter::compile(e, &Options::default()).ok())
        .collect();
    let mut g = c.benchmark_group("fixture programs");
    g.sample_size(10);
    g.throughput(Throughput::Elements((progs.len() * frames.len()) as u64));
    for engine in ENGINES {
        let machines: Option<Vec<Machine>> = progs
            .iter()
            .map(|p| Machine::with_engine(p, engine))
            .collect();
        let Some(machines) = machines else {
            continue;
        };
        g.bench_function(format!("{engine:?}"), |b| {
            b.iter(|| {
                for machine in &machines {
                    for (f, m) in frames.iter().zip(&metas) {
                        black_box(machine.run(black_box(&f.data), f.wire_len, m));
                    }
                }
            })
        });
    }
    g.finish();
}

fn compile_per_expression(c: &mut Criterion) {
    let exprs = fixture_exprs();
    let mut g = c.benchmark_group("compile");
    g.throughput(Throughput::Elements(exprs.len() as u64));
    for optimize in [true, false] {
        let opts = Options {
            optimize,
            ..Options::default()
        };
        let name = if optimize {
            "corpus, optimized"
        } else {
            "corpus, -O"
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                for e in &exprs {
                    let _ = black_box(filter::compile(black_box(e), &opts));
                }
            })
        });
    }
    g.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    vm_per_packet(&mut c);
    fixture_programs(&mut c);
    compile_per_expression(&mut c);
    c.final_summary();
}
