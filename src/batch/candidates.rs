//! Candidate pairs: records ranked, prepared and blocked, and every pair the
//! blocks hold visited once, on the engine's threads.

use std::cmp::Reverse;
use std::time::{Duration, Instant};

use crate::block::{Blocks, CappedBlock};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::parallel;
use crate::prepare::Prepared;
use crate::record::Record;

/// Records ranked, prepared and blocked: what comparing and training start from.
#[derive(Debug)]
pub(crate) struct Staged {
    /// Each record's rank in source-reference order.
    pub(crate) rank: Vec<u32>,
    pub(crate) prepared: Prepared,
    pub(crate) blocks: Blocks,
    pub(crate) capped_blocks: Vec<CappedBlock>,
    pub(crate) prepare_time: Duration,
    pub(crate) block_time: Duration,
}

impl Staged {
    /// Ranks, prepares and blocks the records of a run (in link mode, records
    /// `0..left_len` are the left dataset).
    ///
    /// # Errors
    /// [`Error::Arity`] when a record does not fit the schema,
    /// [`Error::DuplicateSource`] when two records share a source reference.
    pub(crate) fn new(
        engine: &Engine,
        records: &[&Record],
        left_len: Option<usize>,
    ) -> Result<Self> {
        let n = records.len();
        if u32::try_from(n).is_err() {
            return Err(Error::Capacity {
                reason: format!("{n} records, at most {} per run", u32::MAX),
            });
        }
        let rank = source_ranks(records)?;
        let t = Instant::now();
        let prepared = engine.preparer().prepare(records.iter().copied())?;
        let prepare_time = t.elapsed();
        let t = Instant::now();
        let blocks = engine.blocker().blocks(&prepared, left_len);
        let capped_blocks =
            engine.blocker().capped_blocks(&blocks, &prepared, engine.preparer().encoder());
        let block_time = t.elapsed();
        Ok(Staged { rank, prepared, blocks, capped_blocks, prepare_time, block_time })
    }
}

/// Runs `visit(state, rule, a, b)` on every candidate pair of `blocks` (each pair
/// once, under the first rule that finds it, oriented so that `rank[a] < rank[b]`),
/// on up to `threads` scoped threads that pull blocks largest first. Returns one
/// state per thread and the number of threads used.
pub(crate) fn visit_candidates<S: Send>(
    blocks: &Blocks,
    rank: &[u32],
    link: bool,
    threads: usize,
    init: impl Fn() -> S + Sync,
    visit: impl Fn(&mut S, usize, u32, u32) + Sync,
) -> (Vec<S>, usize) {
    let mut order: Vec<usize> = (0..blocks.blocks().len()).collect();
    order.sort_unstable_by_key(|&b| Reverse(blocks.block_pairs(&blocks.blocks()[b], link)));
    let total_pairs: u64 = blocks.blocks().iter().map(|b| blocks.block_pairs(b, link)).sum();
    let threads = if total_pairs < 20_000 { 1 } else { threads.max(1) };
    let states = parallel::run(threads, order.len(), |jobs| {
        let mut state = init();
        loop {
            let batch = jobs.take(4);
            if batch.is_empty() {
                break;
            }
            for &bi in &order[batch] {
                let block = &blocks.blocks()[bi];
                blocks.for_each_pair(block, link, |i, j| {
                    let (a, b) = if rank[i as usize] < rank[j as usize] { (i, j) } else { (j, i) };
                    visit(&mut state, block.rule, a, b);
                });
            }
        }
        state
    });
    let threads = states.len();
    (states, threads)
}

/// Each record's rank in source-reference order; fails on a repeated reference.
pub(crate) fn source_ranks(records: &[&Record]) -> Result<Vec<u32>> {
    let mut order: Vec<u32> = (0..records.len() as u32).collect();
    order.sort_unstable_by(|&x, &y| records[x as usize].source().cmp(records[y as usize].source()));
    for w in order.windows(2) {
        let (x, y) = (w[0] as usize, w[1] as usize);
        if records[x].source() == records[y].source() {
            return Err(Error::DuplicateSource {
                source_ref: records[x].source().to_string(),
                first: x.min(y),
                second: x.max(y),
            });
        }
    }
    let mut rank = vec![0u32; records.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    Ok(rank)
}
