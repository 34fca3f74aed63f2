//! u by sampling: level counts of every comparison over seeded random pairs.

use super::TrainingOptions;
use crate::batch::Staged;
use crate::engine::Engine;
use crate::parallel;

/// The sample is cut into this many chunks, each with its own seed, so it
/// does not depend on the thread count.
const CHUNKS: u64 = 16;

/// Level counts of every comparison over a seeded sample of random pairs
/// (every pair when there are at most `options.u_sample_pairs`), and the
/// number of pairs compared.
pub(super) fn sample_levels(
    engine: &Engine,
    staged: &Staged,
    left_len: Option<usize>,
    options: &TrainingOptions,
) -> (Vec<Vec<u64>>, u64) {
    let scorer = engine.scorer();
    let p = &staged.prepared;
    let n = p.len() as u64;
    let (left, right) = match left_len {
        Some(l) => (l as u64, n - l as u64),
        None => (n, n),
    };
    let total = match left_len {
        Some(_) => left * right,
        None => n * n.saturating_sub(1) / 2,
    };
    let zero = || -> Vec<Vec<u64>> {
        (0..scorer.comparison_count()).map(|k| vec![0u64; scorer.level_count(k)]).collect()
    };
    if total == 0 {
        return (zero(), 0);
    }
    let exhaustive = total <= options.u_sample_pairs;
    // Draws pick positions in source-reference order (each side on its own in
    // link mode), not in input order: the sample, and so the model, is a
    // function of the set of records, whatever order they come in.
    let n_left = left_len.unwrap_or(p.len());
    let by_rank = |range: std::ops::Range<usize>| -> Vec<u32> {
        let mut order: Vec<u32> = range.map(|i| i as u32).collect();
        order.sort_unstable_by_key(|&i| staged.rank[i as usize]);
        order
    };
    let mut order = by_rank(0..n_left);
    order.extend(by_rank(n_left..p.len()));
    let wanted = total.min(options.u_sample_pairs);
    let threads = if wanted < 50_000 { 1 } else { engine.threads().max(1) };
    let parts = parallel::run(threads, CHUNKS as usize, |jobs| {
        let mut counts = zero();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        while let Some(chunk) = jobs.next() {
            let chunk = chunk as u64;
            let lo = wanted * chunk / CHUNKS;
            let hi = wanted * (chunk + 1) / CHUNKS;
            let mut rng = SplitMix(options.seed ^ chunk.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            pairs.clear();
            for s in lo..hi {
                let (i, j) = if exhaustive {
                    pair_at(s, n, left_len)
                } else {
                    match left_len {
                        Some(l) => (rng.below(left), l as u64 + rng.below(right)),
                        None => {
                            let i = rng.below(n);
                            let mut j = rng.below(n - 1);
                            if j >= i {
                                j += 1;
                            }
                            (i, j)
                        }
                    }
                };
                let (i, j) = (order[i as usize], order[j as usize]);
                // Compared in source-reference order, as candidate pairs are.
                let oriented = staged.rank[i as usize] < staged.rank[j as usize];
                pairs.push(if oriented { (i, j) } else { (j, i) });
            }
            // The counts do not depend on the order the pairs are compared in:
            // in record order, one side of each pair is read sequentially
            // instead of from anywhere in memory.
            pairs.sort_unstable();
            for &(i, j) in &pairs {
                let v = scorer.compare(p, i as usize, j as usize);
                for (k, &l) in v.levels().iter().enumerate() {
                    counts[k][usize::from(l)] += 1;
                }
            }
        }
        counts
    });
    let mut counts = zero();
    for part in parts {
        for (c, pc) in counts.iter_mut().zip(part) {
            for (x, y) in c.iter_mut().zip(pc) {
                *x += y;
            }
        }
    }
    (counts, wanted)
}

/// The `s`-th pair in a fixed enumeration of all pairs (for exhaustive sampling).
fn pair_at(s: u64, n: u64, left_len: Option<usize>) -> (u64, u64) {
    match left_len {
        Some(l) => {
            let right = n - l as u64;
            (s / right, l as u64 + s % right)
        }
        None => {
            // Row i holds pairs (i, i+1..n): find the row by walking (n is small here).
            let mut i = 0;
            let mut rest = s;
            while rest >= n - 1 - i {
                rest -= n - 1 - i;
                i += 1;
            }
            (i, i + 1 + rest)
        }
    }
}

/// SplitMix64: a small, fast, seedable generator.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exhaustive_enumeration_covers_every_pair_once() {
        let n = 7;
        let mut seen = std::collections::BTreeSet::new();
        for s in 0..n * (n - 1) / 2 {
            let (i, j) = pair_at(s, n, None);
            assert!(i < j && j < n);
            assert!(seen.insert((i, j)));
        }
        let (l, n) = (3, 8);
        for s in 0..(l * (n - l)) as u64 {
            let (i, j) = pair_at(s, n as u64, Some(l));
            assert!(i < l as u64 && j >= l as u64 && j < n as u64);
        }
    }
}
