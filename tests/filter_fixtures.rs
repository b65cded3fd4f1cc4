//! The libpcap fixtures against the packet corpus, with no rawcap compiler
//! involved: libpcap's optimized and unoptimized programs must agree with each
//! other on every frame (a check of the fixtures and of `bpf::vm`), and every
//! expression must match some frames and miss others unless it is marked
//! `@always` or `@never` in tests/data/filter-expressions.txt.

mod common;

use common::{cut_short, fixtures, oracles, rejects, samples};
use rawcap::LinkType;

#[test]
fn fixture_tables_are_large_enough() {
    let mut report = Vec::new();
    for link in rawcap::linktype::ALL {
        let accepted = fixtures().iter().filter(|f| f.link == link).count();
        let opt_refused = fixtures()
            .iter()
            .filter(|f| f.link == link && f.optimized.is_err())
            .count();
        let refused = rejects().iter().filter(|r| r.link == link).count();
        report.push(format!(
            "{link} {accepted} accepted ({opt_refused} refused by the optimizer only), {refused} refused, {} frames",
            samples(link).len()
        ));
        assert!(
            accepted - opt_refused >= 300,
            "{accepted} accepted {link} expressions"
        );
        if link == LinkType::Ethernet {
            assert!(accepted - opt_refused >= 400);
            assert!(
                refused + opt_refused >= 60,
                "{refused} refused EN10MB expressions"
            );
            assert!(samples(link).len() >= 3000);
        }
        assert!(samples(link).len() >= 1000, "{link} corpus");
    }
    println!("fixtures: {}", report.join("; "));
}

/// libpcap's optimizer reorders tests, so where a load falls off the end of the
/// packet its optimized and unoptimized programs may differ (one reaches the
/// decisive test first, the other stops at the load). Elsewhere they must agree.
#[test]
fn libpcap_optimized_and_unoptimized_agree_unless_cut_short() {
    let mut disagreements = Vec::new();
    let (mut comparisons, mut truncated) = (0usize, 0usize);
    for o in oracles() {
        let f = &fixtures()[o.fixture];
        let Some(opt) = &o.optimized else { continue };
        let s = samples(f.link);
        for (i, (a, b)) in opt.iter().zip(&o.unoptimized).enumerate() {
            comparisons += 1;
            if a == b {
                continue;
            }
            let opt_prog = f.optimized.as_ref().expect("verdicts imply a program");
            if cut_short(&f.unoptimized, &s[i]) || cut_short(opt_prog, &s[i]) {
                truncated += 1;
                continue;
            }
            disagreements.push(format!(
                "{} [{}] on {}: optimized {a}, unoptimized {b}",
                f.expr, f.link, s[i].frame.label
            ));
        }
    }
    println!(
        "libpcap optimized vs -O: {comparisons} comparisons, {} disagreements, {truncated} where a load past the end decided (allowed)",
        disagreements.len()
    );
    for d in disagreements.iter().take(20) {
        println!("  {d}");
    }
    assert!(disagreements.is_empty());
}

/// `bpf::vm` (kernel semantics) and libpcap's userspace semantics agree on
/// every kernel-valid libpcap program and every frame.
#[test]
fn vm_agrees_with_libpcap_interpreter() {
    let mut bad = Vec::new();
    let mut runs = 0usize;
    for f in fixtures() {
        let s = samples(f.link);
        for p in f.optimized.iter().chain([&f.unoptimized]) {
            if rawcap::bpf::validate(p).is_err() {
                continue;
            }
            for (i, smp) in s.iter().enumerate().step_by(3) {
                runs += 1;
                let ours = rawcap::bpf::vm::run(p, &smp.frame.data, smp.frame.wire_len, &smp.meta);
                let theirs =
                    common::pcap_vm::run(p, &smp.frame.data, smp.frame.wire_len, &smp.meta);
                if ours != theirs {
                    bad.push(format!(
                        "{} [{}] frame {i}: vm {ours}, libpcap {theirs}",
                        f.expr, f.link
                    ));
                }
            }
        }
    }
    println!(
        "vm vs libpcap interpreter: {runs} runs, {} differences",
        bad.len()
    );
    for b in bad.iter().take(10) {
        println!("  {b}");
    }
    assert!(bad.is_empty());
}

#[test]
fn every_expression_matches_some_frames_and_misses_others() {
    let mut wrong = Vec::new();
    let mut flat = 0usize;
    for o in oracles() {
        let f = &fixtures()[o.fixture];
        if f.has("@newer") {
            // rawcap refuses these (checked in filter_diff).
            continue;
        }
        let v = o.optimized.as_ref().unwrap_or(&o.unoptimized);
        if f.optimized
            .as_ref()
            .is_err_and(|m| m.contains("rejects all packets"))
        {
            // libpcap itself proves these never match: they are checked as refusals.
            continue;
        }
        let hits = v.iter().filter(|&&r| r != 0).count();
        let (always, never) = (hits == v.len(), hits == 0);
        if f.link != LinkType::Ethernet {
            // The markers describe the Ethernet corpus; on other link types only count.
            flat += usize::from((always && !f.has("@always")) || (never && !f.has("@never")));
            continue;
        }
        let verdict = match (always, never, f.has("@always"), f.has("@never")) {
            (true, _, false, _) => "matches every frame but is not marked @always",
            (_, true, _, false) => "matches no frame but is not marked @never",
            (false, _, true, _) => "is marked @always but misses a frame",
            (_, false, _, true) => "is marked @never but matches a frame",
            _ => continue,
        };
        wrong.push(format!(
            "{:?} ({hits}/{} frames) {verdict}",
            f.expr,
            v.len()
        ));
    }
    println!("other link types: {flat} (expression, link type) pairs match every or no frame (not checked)");
    for w in &wrong {
        println!("  {w}");
    }
    assert!(
        wrong.is_empty(),
        "{} expressions do not discriminate the corpus",
        wrong.len()
    );
}

/// The expression list names no real hosts: IPv4 from 198.18.0.0/15 (or
/// multicast/broadcast/netmasks), IPv6 from 2001:db8::/32 (or multicast, link-local,
/// v4-mapped 198.18/15), MACs locally administered or group addresses.
#[test]
fn expressions_use_only_test_addresses() {
    use std::net::{Ipv4Addr, Ipv6Addr};
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/filter-expressions.txt"
    ))
    .expect("expression list");
    let v4_ok = |a: Ipv4Addr| {
        let o = a.octets();
        // 255.x: netmasks and the broadcast address (reserved space, never a host).
        (o[0] == 198 && (o[1] & 0xfe) == 18)
            || a.is_multicast()
            || o[0] == 255
            || a.is_unspecified()
    };
    let mut bad = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        if !seen.insert(line) {
            bad.push(format!("duplicate line {line:?}"));
        }
        for tok in line.split(|c: char| !(c.is_ascii_hexdigit() || ".:-/".contains(c))) {
            let addr = tok.split('/').next().unwrap_or("");
            let parts: Vec<&str> = addr.split([':', '-']).collect();
            let ok = if let Ok(a) = addr.parse::<Ipv4Addr>() {
                v4_ok(a)
            } else if let Ok(a) = addr.parse::<Ipv6Addr>() {
                let s = a.segments();
                (s[0] == 0x2001 && s[1] == 0xdb8)
                    || a.is_multicast()
                    || (s[0] & 0xffc0) == 0xfe80
                    || a.to_ipv4_mapped().is_some_and(v4_ok)
            } else if parts.len() == 6 && parts.iter().all(|p| (1..=2).contains(&p.len())) {
                u8::from_str_radix(parts[0], 16).is_ok_and(|b| b & 0x03 != 0)
            } else {
                true
            };
            if !ok {
                bad.push(format!("{tok:?} in {line:?}"));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}
