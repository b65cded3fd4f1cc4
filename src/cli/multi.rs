//! Several sockets read at once: `-i` given more than once (one capture per
//! interface) and `--threads` (a fanout group per interface). One reader
//! thread per socket copies its frames out of its ring and sends them in
//! batches to the output thread, so a slow output never stops a ring from
//! being drained until the channel is full.
//!
//! With several interfaces the output is one stream in time order: frames
//! wait in a heap until they are older than [`Merge::hold`] (the kernel
//! hands a ring block over at most one block timeout after its first
//! frame, so by then every interface has delivered what came before), and
//! at the end every frame left is written in order. Fanout sockets of one
//! interface are written as they arrive.

use super::output::Output;
use rawcap::capture::{Capture, CaptureError, Stats};
use rawcap::packet::{Packet, PacketType};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A frame copied out of a ring.
#[derive(PartialEq, Eq)]
struct Owned {
    ts_ns: u64,
    /// Arrival order, to keep frames of equal time stamps in order.
    seq: u64,
    source: usize,
    data: Vec<u8>,
    wire_len: u32,
    ifindex: Option<u32>,
    pkttype: Option<PacketType>,
}

impl Ord for Owned {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.ts_ns, self.seq).cmp(&(o.ts_ns, o.seq))
    }
}

impl PartialOrd for Owned {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Owned {
    fn packet(&self) -> Packet<'_> {
        Packet {
            ts_ns: self.ts_ns,
            data: &self.data,
            wire_len: self.wire_len,
            ifindex: self.ifindex,
            pkttype: self.pkttype,
        }
    }
}

/// One socket and the output source its frames belong to.
pub struct Reader {
    /// The open capture.
    pub cap: Capture,
    /// The index of its interface among the output's sources.
    pub source: usize,
}

/// How the output thread orders frames.
#[derive(Clone, Copy, Debug)]
pub struct Merge {
    /// Whether frames of several interfaces are put in time order.
    pub in_time_order: bool,
    /// How long a frame waits for frames of other interfaces that are
    /// older (a little more than the kernel's block timeout).
    pub hold: Duration,
}

/// When to stop reading: `stopped` (a signal, `--duration`) or `count`
/// packets written; what was read before a stop is still written.
pub struct Until<'a> {
    /// Whether reading should stop.
    pub stopped: &'a dyn Fn() -> bool,
    /// `-c`.
    pub count: Option<u64>,
}

impl Until<'_> {
    fn full(&self, written: u64) -> bool {
        self.count.is_some_and(|c| written >= c)
    }
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Reads every socket on a thread of its own and writes the frames to
/// `output` until `until` says so or every reader has ended. Returns the
/// statistics of each source (summed over its sockets) and how it ended.
pub fn read(
    readers: Vec<Reader>,
    sources: usize,
    output: &mut Output,
    until: &Until<'_>,
    merge: Merge,
    tick: Duration,
) -> (Vec<Stats>, anyhow::Result<()>) {
    let quit = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::sync_channel::<Result<Vec<Owned>, CaptureError>>(1024);
    let workers: Vec<_> = readers
        .into_iter()
        .map(|Reader { mut cap, source }| {
            let tx = tx.clone();
            let quit = Arc::clone(&quit);
            std::thread::spawn(move || {
                let mut seq = 0u64;
                while !quit.load(Ordering::SeqCst) {
                    let mut batch = Vec::new();
                    let r = cap.next_batch(|p| {
                        seq += 1;
                        batch.push(Owned {
                            ts_ns: p.ts_ns,
                            seq,
                            source,
                            data: p.data.to_vec(),
                            wire_len: p.wire_len,
                            ifindex: p.ifindex,
                            pkttype: p.pkttype,
                        });
                    });
                    if let Err(e) = r {
                        let _ = tx.send(Err(e));
                        break;
                    }
                    if !batch.is_empty() && tx.send(Ok(batch)).is_err() {
                        break;
                    }
                }
                (source, cap.stats().unwrap_or_default())
            })
        })
        .collect();
    drop(tx);
    let result = write(&rx, output, until, merge, tick);
    quit.store(true, Ordering::SeqCst);
    drop(rx); // unblocks workers waiting on a full channel
    let mut stats = vec![Stats::default(); sources];
    for w in workers {
        if let Ok((source, s)) = w.join() {
            if let Some(t) = stats.get_mut(source) {
                *t += s;
            }
        }
    }
    (stats, result)
}

/// The output thread's loop.
fn write(
    rx: &mpsc::Receiver<Result<Vec<Owned>, CaptureError>>,
    output: &mut Output,
    until: &Until<'_>,
    merge: Merge,
    tick: Duration,
) -> anyhow::Result<()> {
    let mut heap: BinaryHeap<Reverse<Owned>> = BinaryHeap::new();
    let mut written = 0u64;
    let mut arrival = 0u64;
    let mut ended = false;
    while !(until.stopped)() && !until.full(written) && !ended {
        match rx.recv_timeout(tick) {
            Ok(Ok(batch)) => {
                for mut o in batch {
                    if !merge.in_time_order {
                        output.packet_on(&o.packet(), o.source)?;
                        written += 1;
                        if until.full(written) {
                            return Ok(());
                        }
                        continue;
                    }
                    arrival += 1;
                    o.seq = arrival;
                    heap.push(Reverse(o));
                }
            }
            Ok(Err(e)) => return Err(e.into()),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => ended = true,
        }
        // Frames old enough that no interface can still deliver an older one.
        let horizon = now_ns().saturating_sub(merge.hold.as_nanos() as u64);
        let deadline = Instant::now() + tick;
        while let Some(Reverse(o)) = heap.peek() {
            if (o.ts_ns > horizon && !ended) || until.full(written) || Instant::now() > deadline {
                break;
            }
            let Some(Reverse(o)) = heap.pop() else { break };
            output.packet_on(&o.packet(), o.source)?;
            written += 1;
        }
    }
    // The end: what is left, in order (up to the count).
    while let Some(Reverse(o)) = heap.pop() {
        if until.full(written) {
            break;
        }
        output.packet_on(&o.packet(), o.source)?;
        written += 1;
    }
    Ok(())
}
