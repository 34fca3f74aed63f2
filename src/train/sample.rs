//! u by sampling: level counts of every comparison over seeded random pairs,
//! and the exact share of random pairs that agree exactly, from value counts.

use hashbrown::HashMap;

use super::TrainingOptions;
use crate::batch::Staged;
use crate::compare::LevelSpec;
use crate::config::Config;
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
    let wanted = total.min(options.u_sample_pairs);
    let threads = if wanted < 50_000 { 1 } else { engine.threads().max(1) };
    let parts = parallel::run(threads, CHUNKS as usize, |jobs| {
        let mut counts = zero();
        while let Some(chunk) = jobs.next() {
            let chunk = chunk as u64;
            let lo = wanted * chunk / CHUNKS;
            let hi = wanted * (chunk + 1) / CHUNKS;
            let mut rng = SplitMix(options.seed ^ chunk.wrapping_mul(0x9e37_79b9_7f4a_7c15));
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

/// For every comparison whose first level is `exact`: the share of all pairs
/// with both values present (cross pairs in link mode) whose values are equal,
/// counted from the values themselves rather than sampled. Exact agreement on
/// a birth date or an email is rare among random pairs (a few in a hundred
/// thousand), so a sample of a million pairs sees only a handful and its
/// estimate, and the level's weight, would swing by bits from one input to
/// the next. `None` for the other comparisons and when fewer than two pairs
/// hold both values.
pub(super) fn exact_agreement(
    engine: &Engine,
    config: &Config,
    staged: &Staged,
    left_len: Option<usize>,
) -> Vec<Option<f64>> {
    let scorer = engine.scorer();
    let p = &staged.prepared;
    let wanted: Vec<usize> = (0..config.comparisons.len())
        .filter(|&k| config.comparisons[k].levels.first() == Some(&LevelSpec::Exact))
        .collect();
    let parts = parallel::run(engine.threads().max(1), wanted.len(), |jobs| {
        let mut out = Vec::new();
        while let Some(job) = jobs.next() {
            let k = wanted[job];
            let col = p.column(scorer.field_of(k));
            // Per value: its count on the left (all records in dedupe mode) and on the right.
            let mut counts: HashMap<&str, (u64, u64)> = HashMap::new();
            let (mut left, mut right) = (0u64, 0u64);
            for i in 0..p.len() {
                let v = col.text(i);
                if v.is_empty() {
                    continue;
                }
                let entry = counts.entry(v).or_default();
                if left_len.is_some_and(|l| i >= l) {
                    entry.1 += 1;
                    right += 1;
                } else {
                    entry.0 += 1;
                    left += 1;
                }
            }
            // With `discount_shared_values`, a value held by more records than
            // one person holds gets its own weight when scored: the level's u
            // is chance agreement on an ordinary value, so those are left out
            // (twice the records per distinct value, plus one; the model's
            // allowance is not known yet).
            let ordinary = if config.comparisons[k].discount_shared_values && !counts.is_empty() {
                2.0 * (left + right) as f64 / counts.len() as f64 + 1.0
            } else {
                f64::INFINITY
            };
            let ordinary = |&&(a, b): &&(u64, u64)| (a + b) as f64 <= ordinary;
            let (equal, pairs) = match left_len {
                Some(_) => {
                    let equal: f64 =
                        counts.values().filter(ordinary).map(|&(a, b)| a as f64 * b as f64).sum();
                    (equal, left as f64 * right as f64)
                }
                None => {
                    let equal: f64 = counts
                        .values()
                        .filter(ordinary)
                        .map(|&(a, _)| a as f64 * (a as f64 - 1.0) / 2.0)
                        .sum();
                    (equal, left as f64 * (left as f64 - 1.0) / 2.0)
                }
            };
            out.push((k, (pairs >= 2.0).then(|| equal / pairs)));
        }
        out
    });
    let mut shares = vec![None; config.comparisons.len()];
    for (k, share) in parts.into_iter().flatten() {
        shares[k] = share;
    }
    shares
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
