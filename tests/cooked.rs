//! What a cooked socket (`-i any`) runs gives libpcap's verdict, offline:
//! for every LINUX_SLL (and LINUX_SLL2) fixture, the program as rawcap
//! attaches it (`bpf::cooked::plan`), run the way the kernel runs a cooked
//! socket's filter (the packet from its network header; protocol, packet
//! type, ARPHRD type and interface index from the socket buffer, which the
//! cooked header copies), returns on every corpus frame what libpcap's
//! program returns on the cooked frame. Where the plan is userland, the
//! capture runs the original program on the cooked frame, which is
//! libpcap's verdict by construction; those are counted.
//!
//! Both runs see the same `len`: the length from the network header, which
//! is what libpcap's live capture filters on (in the kernel, and in its
//! userland fallback, which passes `tp_len`).

mod common;
#[path = "common/diff.rs"]
#[allow(dead_code)] // the options and the guarded compile only
mod diff;

use common::{cut_short, fixtures, samples, Sample};
use rawcap::bpf::cooked::{self, Plan};
use rawcap::bpf::vm::{self, Meta};
use rawcap::bpf::{self, Program};
use rawcap::linktype::{sll, sll2};
use rawcap::LinkType;

/// A frame as a cooked capture delivers it to userland, and as the kernel's
/// filter sees it.
struct Cooked {
    label: String,
    frame: Vec<u8>,
    /// `tp_len`: the length from the network header.
    len: u32,
    meta: Meta,
}

impl Cooked {
    fn network(&self, lt: LinkType) -> &[u8] {
        &self.frame[lt.header_len()..]
    }
}

/// The corpus as `lt` frames, with the metadata read from the cooked header
/// (the kernel's copy of it). Frames cut inside the header are left out: the
/// kernel always has the whole header (libpcap's snapshot is at least 21).
fn corpus(lt: LinkType) -> Vec<Cooked> {
    samples(LinkType::LinuxSll)
        .iter()
        .filter(|s| s.frame.data.len() >= sll::HDR_LEN)
        .map(|s: &Sample| {
            let d = &s.frame.data;
            let be16 = |at: usize| u16::from_be_bytes([d[at], d[at + 1]]);
            let meta = Meta {
                pkttype: u32::from(be16(sll::PKTTYPE)),
                hatype: be16(sll::HATYPE),
                protocol: be16(sll::PROTOCOL),
                ifindex: s.meta.ifindex,
                ..Meta::default()
            };
            let len = s.frame.wire_len - sll::HDR_LEN as u32;
            let frame = match lt {
                LinkType::LinuxSll => d.clone(),
                _ => sll2_of(d, meta.ifindex),
            };
            Cooked {
                label: s.frame.label.clone(),
                frame,
                len,
                meta,
            }
        })
        .collect()
}

/// The LINUX_SLL2 form of a LINUX_SLL frame received on interface `ifindex`.
fn sll2_of(d: &[u8], ifindex: u32) -> Vec<u8> {
    let mut h = vec![0u8; sll2::HDR_LEN];
    h[sll2::PROTOCOL..sll2::PROTOCOL + 2].copy_from_slice(&d[sll::PROTOCOL..sll::PROTOCOL + 2]);
    h[sll2::IFINDEX..sll2::IFINDEX + 4].copy_from_slice(&ifindex.to_be_bytes());
    h[sll2::HATYPE..sll2::HATYPE + 2].copy_from_slice(&d[sll::HATYPE..sll::HATYPE + 2]);
    h[sll2::PKTTYPE] = d[sll::PKTTYPE + 1];
    h[sll2::HALEN] = d[sll::HALEN + 1];
    h[sll2::ADDR..sll2::ADDR + 8].copy_from_slice(&d[sll::ADDR..sll::ADDR + 8]);
    h.extend_from_slice(&d[sll::HDR_LEN..]);
    h
}

/// A program ready to run over the corpus: libpcap's userland interpreter
/// for what the kernel refuses (protochain's loop), else the kernel's
/// semantics (`vm::Decoded`, which returns what `vm::run` returns).
enum Runner<'a> {
    Kernel(vm::Decoded),
    Libpcap(&'a Program),
}

impl<'a> Runner<'a> {
    fn new(prog: &'a Program) -> Self {
        if bpf::validate(prog).is_ok() {
            Runner::Kernel(vm::Decoded::new(prog))
        } else {
            Runner::Libpcap(prog)
        }
    }

    fn run(&self, pkt: &[u8], len: u32, meta: &Meta) -> u32 {
        match self {
            Runner::Kernel(d) => d.run(pkt, len, meta),
            Runner::Libpcap(p) => common::pcap_vm::run(p, pkt, len, meta),
        }
    }
}

/// How a capture filters with a planned program: the kernel runs the moved
/// program on the network-layer bytes, or the capture runs the original on
/// the cooked frame.
enum Attached<'a> {
    Kernel(vm::Decoded),
    Userland(Runner<'a>),
}

impl<'a> Attached<'a> {
    fn new(prog: &'a Program, plan: &Plan) -> Self {
        match plan {
            Plan::Kernel(k) => Attached::Kernel(vm::Decoded::new(k)),
            Plan::Userland { .. } => Attached::Userland(Runner::new(prog)),
        }
    }

    fn run(&self, lt: LinkType, c: &Cooked) -> u32 {
        match self {
            Attached::Kernel(d) => d.run(c.network(lt), c.len, &c.meta),
            Attached::Userland(r) => r.run(&c.frame, c.len, &c.meta),
        }
    }
}

#[derive(Default)]
struct Count {
    programs: usize,
    kernel: usize,
    userland: usize,
    verdicts: usize,
    excused: usize,
    differ: Vec<String>,
    userland_exprs: Vec<(String, String)>,
}

impl Count {
    /// Counts a plan.
    fn count(&mut self, plan: &Plan, expr: &str) {
        match plan {
            Plan::Kernel(_) => self.kernel += 1,
            Plan::Userland { why, .. } => {
                self.userland += 1;
                if !self.userland_exprs.iter().any(|(e, _)| e == expr) {
                    self.userland_exprs
                        .push((expr.to_string(), why.to_string()));
                }
            }
        }
    }

    fn report(&self, what: &str) {
        println!(
            "{what}: {} programs ({} run in the kernel, {} in userland), {} verdicts, {} differ, {} excused (a load past the end decided)",
            self.programs,
            self.kernel,
            self.userland,
            self.verdicts,
            self.differ.len(),
            self.excused
        );
        for d in self.differ.iter().take(20) {
            println!("  {d}");
        }
        for (e, why) in &self.userland_exprs {
            println!("  userland: {e}: {why}");
        }
    }
}

/// For every `lt` fixture: libpcap's programs (optimized and `-O`) as
/// attached must give exactly libpcap's verdicts; rawcap's live program
/// (Linux extensions, kernel target) as attached must give the verdicts of
/// libpcap's optimized program, except where a load past the end of the
/// frame decided (libpcap's own two programs differ there too).
fn check(lt: LinkType) -> (Count, Count) {
    let frames = corpus(lt);
    let whole: Vec<&Sample> = samples(LinkType::LinuxSll)
        .iter()
        .filter(|s| s.frame.data.len() >= sll::HDR_LEN)
        .collect();
    let (mut theirs_n, mut ours_n) = (Count::default(), Count::default());
    for f in fixtures().iter().filter(|f| f.link == lt) {
        let mut progs = vec![&f.unoptimized];
        progs.extend(f.optimized.as_ref().ok());
        for (i, prog) in progs.into_iter().enumerate() {
            // A program the kernel refuses (protochain's loop) is filtered in
            // userland by libpcap too; rawcap's kernel target never makes one.
            if bpf::validate(prog).is_err() {
                continue;
            }
            let plan = cooked::plan(prog, lt, 262_144);
            theirs_n.programs += 1;
            theirs_n.count(&plan, &f.expr);
            let want = Runner::new(prog);
            let got = Attached::new(prog, &plan);
            // rawcap's program, against libpcap's optimized one.
            let ours = (i == 1).then(|| {
                let opts = rawcap::filter::Options {
                    linux_ext: true,
                    ..diff::options(lt, true, true)
                };
                match diff::compile(&f.expr, &opts) {
                    Ok(Ok(p)) => Some(p),
                    // Input libpcap 1.10.3 accepts and newer releases refuse
                    // (docs/filter.md): nothing to attach.
                    Ok(Err(e)) if diff::newer_refusal(e.kind()) => None,
                    _ => {
                        ours_n
                            .differ
                            .push(format!("{} [{lt}]: rawcap does not compile it", f.expr));
                        None
                    }
                }
            });
            let ours = ours.flatten();
            let ours_plan = ours.as_ref().map(|p| cooked::plan(p, lt, 262_144));
            if let Some(plan) = &ours_plan {
                ours_n.programs += 1;
                ours_n.count(plan, &f.expr);
            }
            let ours_attached = ours
                .as_ref()
                .zip(ours_plan.as_ref())
                .map(|(p, plan)| Attached::new(p, plan));
            for (c, s) in frames.iter().zip(&whole) {
                let w = want.run(&c.frame, c.len, &c.meta);
                let g = got.run(lt, c);
                theirs_n.verdicts += 1;
                if g != w {
                    theirs_n.differ.push(format!(
                        "{} [{lt}] on {}: attached {g}, libpcap {w}",
                        f.expr, c.label
                    ));
                }
                let Some(o) = &ours_attached else { continue };
                let g = o.run(lt, c);
                ours_n.verdicts += 1;
                if g == w {
                    continue;
                }
                let ours = ours.as_ref().expect("attached implies a program");
                if lt == LinkType::LinuxSll && (cut_short(prog, s) || cut_short(ours, s)) {
                    ours_n.excused += 1;
                    continue;
                }
                ours_n.differ.push(format!(
                    "{} [{lt}] on {}: rawcap attached {g}, libpcap {w}",
                    f.expr, c.label
                ));
            }
        }
    }
    (theirs_n, ours_n)
}

#[test]
fn sll_programs_as_attached_give_libpcaps_verdicts() {
    let (theirs, ours) = check(LinkType::LinuxSll);
    theirs.report("LINUX_SLL, libpcap's programs as attached");
    ours.report("LINUX_SLL, rawcap's live programs as attached");
    assert!(theirs.differ.is_empty() && ours.differ.is_empty());
    assert!(theirs.programs >= 1000, "{} programs", theirs.programs);
    assert!(ours.programs >= 500, "{} programs", ours.programs);
    assert!(theirs.kernel > 0 && theirs.userland > 0);
}

#[test]
fn sll2_programs_as_attached_give_libpcaps_verdicts() {
    let (theirs, ours) = check(LinkType::LinuxSll2);
    theirs.report("LINUX_SLL2, libpcap's programs as attached");
    ours.report("LINUX_SLL2, rawcap's live programs as attached");
    assert!(theirs.differ.is_empty());
    if theirs.programs == 0 {
        println!("no LINUX_SLL2 fixtures in tests/data yet");
    }
}

/// Until libpcap's LINUX_SLL2 fixtures are in tests/data: rawcap's LINUX_SLL2
/// live program as attached, on the LINUX_SLL2 form of each frame, returns
/// what libpcap's LINUX_SLL program returns on the LINUX_SLL form (the two
/// headers carry the same facts), for every expression that does not read
/// header bytes by offset (`ether[..]`, `link[..]`, `ppp[..]`, `byte N` mean other
/// fields in the two headers), on every frame but 802.2 LLC, IPX and
/// AppleTalk ones: for LINUX_SLL libpcap also looks into the LLC header for
/// `ether proto N` (N < 1536), `ipx`, `atalk`, `iso`, `stp`, `netbeui`, for
/// LINUX_SLL2 it compares the protocol field only (`tcpdump -y LINUX_SLL2 -d
/// 'ether proto 100'` is `ldh [0]; jeq #0x64`), and rawcap does as libpcap.
#[test]
fn rawcap_sll2_programs_as_attached_give_libpcaps_sll_verdicts() {
    let (sll, sll2) = (corpus(LinkType::LinuxSll), corpus(LinkType::LinuxSll2));
    let whole: Vec<&Sample> = samples(LinkType::LinuxSll)
        .iter()
        .filter(|s| s.frame.data.len() >= sll::HDR_LEN)
        .collect();
    let mut n = Count::default();
    for f in fixtures().iter().filter(|f| f.link == LinkType::LinuxSll) {
        let Ok(theirs) = &f.optimized else { continue };
        if ["ether[", "link[", "ppp[", "byte "]
            .iter()
            .any(|p| f.expr.contains(p))
            || bpf::validate(theirs).is_err()
        {
            continue;
        }
        let opts = rawcap::filter::Options {
            linux_ext: true,
            ..diff::options(LinkType::LinuxSll2, true, true)
        };
        let ours = match diff::compile(&f.expr, &opts) {
            Ok(Ok(p)) => p,
            Ok(Err(e)) if diff::newer_refusal(e.kind()) => continue,
            other => {
                n.differ.push(format!("{} [LINUX_SLL2]: {other:?}", f.expr));
                continue;
            }
        };
        let plan = cooked::plan(&ours, LinkType::LinuxSll2, 262_144);
        n.programs += 1;
        n.count(&plan, &f.expr);
        let want = Runner::new(theirs);
        let got = Attached::new(&ours, &plan);
        for ((c, c2), s) in sll.iter().zip(&sll2).zip(&whole) {
            if [0x0004, 0x8137, 0x809b, 0x80f3].contains(&c.meta.protocol) {
                continue;
            }
            let w = want.run(&c.frame, c.len, &c.meta);
            let g = got.run(LinkType::LinuxSll2, c2);
            n.verdicts += 1;
            if g == w {
                continue;
            }
            if cut_short(theirs, s) {
                n.excused += 1;
                continue;
            }
            n.differ.push(format!(
                "{} on {}: rawcap LINUX_SLL2 attached {g}, libpcap LINUX_SLL {w}",
                f.expr, c.label
            ));
        }
    }
    n.report(
        "LINUX_SLL2, rawcap's live programs as attached, against libpcap's LINUX_SLL verdicts",
    );
    assert!(n.differ.is_empty());
    assert!(n.programs >= 500, "{} programs", n.programs);
}
