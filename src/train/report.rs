//! What training reports: every EM pass and iteration, the weight histogram
//! of the candidate pairs, and the threshold it suggests.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use super::em::{gated, level_weights, pattern_weight, Table};
use super::MIN_TRAINED_PROBABILITY;
use crate::compare::ComparisonVector;
use crate::model::prior_weight;
use crate::model::IdentityCheck;

/// One EM iteration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct IterationReport {
    /// Largest absolute change of any m or of the match share.
    pub max_change: f64,
    /// Estimated share of matches among the pass's pairs.
    pub match_share: f64,
}

/// One EM pass, on the pairs of one blocking rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PassReport {
    /// The blocking rule.
    pub rule: String,
    /// Candidate pairs in its blocks.
    pub pairs: u64,
    /// Compared fields held out of the pass.
    pub held_out: Vec<String>,
    /// Every iteration, in order.
    pub iterations: Vec<IterationReport>,
    /// Whether the change fell under the tolerance before the iteration cap.
    pub converged: bool,
}

/// What training did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TrainingReport {
    /// Random pairs compared to estimate u.
    pub u_pairs: u64,
    /// Distinct candidate pairs.
    pub candidate_pairs: u64,
    /// The EM passes run (rules with too few pairs are skipped).
    pub passes: Vec<PassReport>,
    /// Comparisons whose m no pass estimated (their starting m is kept).
    pub m_not_estimated: Vec<String>,
    /// Comparisons whose u was not estimated (present in too few sampled pairs:
    /// fewer than [`TrainingOptions::min_u_pairs`](super::TrainingOptions::min_u_pairs)).
    pub u_not_estimated: Vec<String>,
    /// Levels whose m or u was clamped to the floor (`field/level m` or `u`).
    pub clamped: Vec<String>,
    /// How precisely the data measured each level's u: the standard error,
    /// in bits of match weight, of the observed share of random pairs on the
    /// level (`log2(e)·√((1 − p) / (N·p))` for a share `p` over `N` pairs),
    /// before the starting u is blended in; `None` when no pair reached the
    /// level or its u was not estimated. Levels in model order. A level with a
    /// large error (say above 0.5 bit) rests on few pairs: raise
    /// [`TrainingOptions::u_sample_pairs`](super::TrainingOptions::u_sample_pairs)
    /// if it matters.
    pub u_standard_errors: Vec<UStandardError>,
    /// Expected matches among the candidate pairs.
    pub expected_matches: f64,
    /// The prior of the trained model.
    pub prior: f64,
    /// Labelled matches blended in ([`Linker::train_labelled`](crate::Linker::train_labelled)).
    pub labelled_matches: usize,
    /// Labelled non-matches blended in.
    pub labelled_non_matches: usize,
    /// Candidate pairs per one-bit bin of match weight under the trained model
    /// (term-frequency adjustments left out): `(bin lower bound, pairs)`, ascending.
    pub weight_histogram: Vec<(i32, u64)>,
    /// The threshold the histogram suggests (see [`suggest_threshold`]).
    pub suggested_threshold: f64,
    /// Wall time of the whole training.
    pub time: Duration,
    /// Wall time of each stage of the training.
    pub stage_times: TrainingTimes,
}

/// The standard error of one level's u (see [`TrainingReport::u_standard_errors`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct UStandardError {
    /// The compared field.
    pub field: String,
    /// The level's label.
    pub level: String,
    /// The standard error in bits of weight, when measured.
    pub bits: Option<f64>,
}

/// Wall time of each stage of a training run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TrainingTimes {
    /// Normalizing the records, their blocking keys and blocks.
    pub prepare: Duration,
    /// Comparing the random pairs that estimate u.
    pub u_sample: Duration,
    /// Counting the values of the exact levels and the term-frequency tables.
    pub value_counts: Duration,
    /// Comparing the candidate pairs into distinct comparison patterns.
    pub candidate_patterns: Duration,
    /// The EM passes, the prior and the weight histogram.
    pub em: Duration,
}

impl fmt::Display for TrainingTimes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "prepare {:.3}s, u sample {:.3}s, value counts {:.3}s, candidate patterns {:.3}s, EM {:.3}s",
            self.prepare.as_secs_f64(),
            self.u_sample.as_secs_f64(),
            self.value_counts.as_secs_f64(),
            self.candidate_patterns.as_secs_f64(),
            self.em.as_secs_f64()
        )
    }
}

impl fmt::Display for TrainingReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "training: u from {} random pairs; m by EM over {} candidate pairs in {} passes; {:.3}s",
            self.u_pairs,
            self.candidate_pairs,
            self.passes.len(),
            self.time.as_secs_f64()
        )?;
        writeln!(f, "  time: {}", self.stage_times)?;
        for p in &self.passes {
            let last = p.iterations.last();
            writeln!(
                f,
                "  pass {:<32} {:>9} pairs, {:>2} iterations ({}), last change {:.2e}, match share {:.4}{}",
                p.rule,
                p.pairs,
                p.iterations.len(),
                if p.converged { "converged" } else { "iteration cap" },
                last.map_or(0.0, |i| i.max_change),
                last.map_or(0.0, |i| i.match_share),
                if p.held_out.is_empty() { String::new() } else { format!(", held out: {}", p.held_out.join(", ")) }
            )?;
        }
        if !self.m_not_estimated.is_empty() {
            writeln!(f, "  m kept from the starting model: {}", self.m_not_estimated.join(", "))?;
        }
        if !self.u_not_estimated.is_empty() {
            writeln!(
                f,
                "  u kept from the starting model (too few random pairs with both values): {}",
                self.u_not_estimated.join(", ")
            )?;
        }
        let mut measured: Vec<(f64, &UStandardError)> =
            self.u_standard_errors.iter().filter_map(|e| Some((e.bits?, e))).collect();
        measured.sort_by(|a, b| a.0.total_cmp(&b.0));
        if let Some(&(largest, worst)) = measured.last() {
            writeln!(
                f,
                "  u standard error: median {:.3} bits, largest {largest:.3} ({}/{})",
                measured[measured.len() / 2].0,
                worst.field,
                worst.level
            )?;
        }
        if !self.clamped.is_empty() {
            writeln!(f, "  clamped to {MIN_TRAINED_PROBABILITY:e}: {}", self.clamped.join(", "))?;
        }
        writeln!(
            f,
            "  expected matches among candidates {:.1}, prior {:.3e} (weight {:+.2})",
            self.expected_matches,
            self.prior,
            prior_weight(self.prior)
        )?;
        let peak = self.weight_histogram.iter().map(|b| b.1).max().unwrap_or(1).max(1);
        writeln!(f, "  match weight of the candidate pairs (one row per 2 bits):")?;
        for pair in self.weight_histogram.chunks(2) {
            let count: u64 = pair.iter().map(|b| b.1).sum();
            let bar = ((count as f64 / peak as f64).sqrt() * 30.0).round() as usize;
            writeln!(f, "    {:>+4} {:>9} {}", pair[0].0, count, "#".repeat(bar))?;
        }
        write!(f, "  suggested match threshold: weight {:+.1}", self.suggested_threshold)
    }
}

/// Candidate pairs per one-bit bin of total weight (prior included, no caps or
/// term frequencies), ascending by bin.
pub(super) fn weight_histogram(
    counts: &HashMap<ComparisonVector, u64>,
    m: &Table,
    u: &Table,
    prior: f64,
    gate: Option<&IdentityCheck>,
) -> Vec<(i32, u64)> {
    let base = prior_weight(prior);
    let table = level_weights(m, u, &vec![false; m.len()]);
    let mut bins: BTreeMap<i32, u64> = BTreeMap::new();
    for (v, &c) in counts {
        let w = gated(base + pattern_weight(v, &table), v, &table, gate);
        *bins.entry(w.floor().clamp(-200.0, 200.0) as i32).or_default() += c;
    }
    // Every bin from the lowest to the highest weight, and at least the ten
    // bits either side of 0 where `suggest_threshold` looks: an empty bin there
    // counts as empty, even when no pair lies beyond it.
    let lo = bins.first_key_value().map_or(-10, |(&b, _)| b.min(-10));
    let hi = bins.last_key_value().map_or(9, |(&b, _)| b.max(9));
    for b in lo..=hi {
        bins.entry(b).or_default();
    }
    bins.into_iter().collect()
}

/// The fewest pairs a weight histogram needs before its valley moves the
/// threshold: with fewer, each one-bit bin near 0 holds a handful of pairs and
/// the emptiest is chance. (The suite of hand-made hard cases, 282 records,
/// has 302 candidate pairs; generated data at 9,800 records has 10,600.)
const MIN_VALLEY_PAIRS: u64 = 1_000;

/// Picks a match threshold from a weight histogram.
///
/// Matches and non-matches form two humps; the valley between them is where a
/// threshold misclassifies fewest pairs. The rule: over the one-bit bins within
/// ten bits of weight 0 (the point where a pair is as likely a match as not,
/// under the trained prior), count the pairs of each bin with its two
/// neighbours; the bins whose count is within half again and Poisson noise
/// of the smallest (`1.5·min + 2·√min + 1`) form the valley floor, and the threshold is the middle
/// of the floor bin nearest 0 (or 0 itself when that bin starts at 0 or -1).
/// On a small input the valley is wide and flat and its emptiest bin is a
/// matter of chance; staying near 0 there keeps the decision on the Bayes
/// rule, so the threshold does not wander with the size of the input. A
/// histogram of fewer than 1,000 pairs (a file of a few hundred records) shows
/// no valley at all, only where its few pairs fell: the threshold stays at 0.
///
/// ```
/// use personlink::train::suggest_threshold;
/// // Non-matches below -5, matches above 0, and a valley at -3.
/// let count = |b: i32| match b {
///     ..=-6 => 900,
///     -5 => 40,
///     -4 => 3,
///     -3 => 2,
///     -2 => 5,
///     -1 => 80,
///     _ => 700,
/// };
/// let hist: Vec<(i32, u64)> = (-12..12).map(|b| (b, count(b))).collect();
/// assert_eq!(suggest_threshold(&hist), -2.5);
/// assert_eq!(suggest_threshold(&[]), 0.0);
/// // The same shape drawn by a hundredth of the pairs is no evidence of a valley.
/// let few: Vec<(i32, u64)> = hist.iter().map(|&(b, c)| (b, c / 100)).collect();
/// assert_eq!(suggest_threshold(&few), 0.0);
/// ```
pub fn suggest_threshold(histogram: &[(i32, u64)]) -> f64 {
    if histogram.iter().map(|b| b.1).sum::<u64>() < MIN_VALLEY_PAIRS {
        return 0.0;
    }
    let count = |b: i32| histogram.iter().find(|x| x.0 == b).map_or(0, |x| x.1);
    let window = |b: i32| count(b - 1) + count(b) + count(b + 1);
    let Some(emptiest) = (-10..10).map(window).min() else { return 0.0 };
    let floor = 1.5 * emptiest as f64 + 2.0 * (emptiest as f64).sqrt() + 1.0;
    let nearest =
        (-10..10).filter(|&b| window(b) as f64 <= floor).min_by_key(|&b| ((2 * b + 1).abs(), b));
    match nearest {
        Some(b) if b != 0 && b != -1 => f64::from(b) + 0.5,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_populated_bin_is_not_the_emptiest() {
        // One candidate pattern with weight about +2.3: the bins around 0 are
        // empty and must count as such.
        let mut counts = HashMap::new();
        let mut v = ComparisonVector::new(1);
        v.set(0, 1);
        counts.insert(v, 1);
        let (m, u) = (vec![vec![0.0, 0.8, 0.2]], vec![vec![0.0, 0.1, 0.9]]);
        let hist = weight_histogram(&counts, &m, &u, 0.5, None);
        assert_eq!(hist.first().map(|b| b.0), Some(-10));
        assert_eq!(hist.last().map(|b| b.0), Some(9));
        assert_eq!(hist.iter().filter(|b| b.1 > 0).count(), 1);
        assert_eq!(suggest_threshold(&hist), 0.0);
    }

    /// A 10k-record run: the valley between -8 and +6 is flat, and which of its
    /// bins holds fewest pairs is chance (the emptiest window, at -8, only sits
    /// next to the ceiling). The threshold stays at 0 instead of wandering there.
    #[test]
    fn a_flat_valley_keeps_the_threshold_at_0() {
        let counts = [
            48, 81, 3482, 6, 9, 16, 19, 17, 22, 12, 23, 13, 19, 12, 21, 18, 17, 13, 12, 25, 39, 34,
            21, 78,
        ];
        let hist: Vec<(i32, u64)> = (-12..12).zip(counts).collect();
        assert_eq!(suggest_threshold(&hist), 0.0);
        // A clear valley away from 0 is still found.
        let shifted: Vec<(i32, u64)> =
            (-12..12).map(|b| (b, if (3..6).contains(&b) { 1 } else { 500 })).collect();
        assert_eq!(suggest_threshold(&shifted), 4.5);
    }
}
