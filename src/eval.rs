//! Accuracy against ground truth: pairwise precision, recall and F1.
//!
//! The counts come from the contingency table of predicted entities against
//! true entities, never from listing pairs: with `n_ij` records in predicted
//! entity `i` and true entity `j`, true positives are `Σ C(n_ij, 2)`,
//! predicted pairs `Σ_i C(a_i, 2)` and true pairs `Σ_j C(b_j, 2)`. The cost is
//! one hash-map pass over the records, so it stays fast at a million records.
//!
//! ```
//! use personlink::eval::pairwise;
//! // predicted: {0,1,2} {3}; truth: {0,1} {2,3}
//! let m = pairwise(&[7, 7, 7, 9], &["a", "a", "b", "b"]);
//! assert_eq!((m.true_positives, m.predicted_pairs, m.true_pairs), (1, 3, 2));
//! assert!((m.precision - 1.0 / 3.0).abs() < 1e-12);
//! assert!((m.recall - 0.5).abs() < 1e-12);
//! ```

use std::fmt;
use std::hash::Hash;

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

/// Pairwise accuracy of a clustering.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PairwiseMetrics {
    /// Pairs predicted together that truly are together.
    pub true_positives: u64,
    /// Pairs predicted together.
    pub predicted_pairs: u64,
    /// Pairs truly together.
    pub true_pairs: u64,
    /// `true_positives / predicted_pairs` (1 when nothing is predicted).
    pub precision: f64,
    /// `true_positives / true_pairs` (1 when there is nothing to find).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl PairwiseMetrics {
    fn from_counts(tp: u64, predicted: u64, truth: u64) -> Self {
        let precision = if predicted == 0 { 1.0 } else { tp as f64 / predicted as f64 };
        let recall = if truth == 0 { 1.0 } else { tp as f64 / truth as f64 };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        PairwiseMetrics {
            true_positives: tp,
            predicted_pairs: predicted,
            true_pairs: truth,
            precision,
            recall,
            f1,
        }
    }
}

impl fmt::Display for PairwiseMetrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pairwise precision {:.4}, recall {:.4}, F1 {:.4} ({} true positives, {} predicted pairs, {} true pairs)",
            self.precision, self.recall, self.f1, self.true_positives, self.predicted_pairs, self.true_pairs
        )
    }
}

fn pairs(k: u64) -> u64 {
    k * k.saturating_sub(1) / 2
}

/// Pairwise metrics of `predicted` labels against `truth` labels, one of each per record.
///
/// # Panics
/// When the two slices differ in length.
pub fn pairwise<P: Hash + Eq, T: Hash + Eq>(predicted: &[P], truth: &[T]) -> PairwiseMetrics {
    assert_eq!(predicted.len(), truth.len(), "one predicted and one true label per record");
    let mut cells: HashMap<(&P, &T), u64> = HashMap::new();
    let mut rows: HashMap<&P, u64> = HashMap::new();
    let mut cols: HashMap<&T, u64> = HashMap::new();
    for (p, t) in predicted.iter().zip(truth) {
        *cells.entry((p, t)).or_default() += 1;
        *rows.entry(p).or_default() += 1;
        *cols.entry(t).or_default() += 1;
    }
    let tp = cells.values().map(|&k| pairs(k)).sum();
    let pred = rows.values().map(|&k| pairs(k)).sum();
    let tru = cols.values().map(|&k| pairs(k)).sum();
    PairwiseMetrics::from_counts(tp, pred, tru)
}

/// Pairwise metrics counting only cross pairs (one record from each side), as
/// for linking two datasets: `left[k]` tells whether record `k` is from the left side.
///
/// # Panics
/// When the three slices differ in length.
pub fn pairwise_cross<P: Hash + Eq, T: Hash + Eq>(
    predicted: &[P],
    truth: &[T],
    left: &[bool],
) -> PairwiseMetrics {
    assert_eq!(predicted.len(), truth.len(), "one predicted and one true label per record");
    assert_eq!(predicted.len(), left.len(), "one side flag per record");
    let mut cells: HashMap<(&P, &T), (u64, u64)> = HashMap::new();
    let mut rows: HashMap<&P, (u64, u64)> = HashMap::new();
    let mut cols: HashMap<&T, (u64, u64)> = HashMap::new();
    for ((p, t), &l) in predicted.iter().zip(truth).zip(left) {
        for slot in [
            cells.entry((p, t)).or_default(),
            rows.entry(p).or_default(),
            cols.entry(t).or_default(),
        ] {
            if l {
                slot.0 += 1;
            } else {
                slot.1 += 1;
            }
        }
    }
    let cross = |m: &dyn Fn() -> Vec<(u64, u64)>| m().iter().map(|&(l, r)| l * r).sum::<u64>();
    let tp = cross(&|| cells.values().copied().collect());
    let pred = cross(&|| rows.values().copied().collect());
    let tru = cross(&|| cols.values().copied().collect());
    PairwiseMetrics::from_counts(tp, pred, tru)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts pairs by listing them, as the reference.
    fn naive(pred: &[u32], truth: &[u32]) -> (u64, u64, u64) {
        let (mut tp, mut p, mut t) = (0, 0, 0);
        for i in 0..pred.len() {
            for j in i + 1..pred.len() {
                let sp = pred[i] == pred[j];
                let st = truth[i] == truth[j];
                p += u64::from(sp);
                t += u64::from(st);
                tp += u64::from(sp && st);
            }
        }
        (tp, p, t)
    }

    #[test]
    fn contingency_counts_match_pair_listing() {
        let pred = [0, 0, 1, 1, 1, 2, 3, 3, 0, 2];
        let truth = [5, 5, 5, 6, 6, 7, 7, 7, 8, 8];
        let m = pairwise(&pred, &truth);
        assert_eq!((m.true_positives, m.predicted_pairs, m.true_pairs), naive(&pred, &truth));
    }

    #[test]
    fn perfect_and_empty_clusterings() {
        let m = pairwise(&[1, 1, 2], &[3, 3, 4]);
        assert_eq!((m.precision, m.recall, m.f1), (1.0, 1.0, 1.0));
        let m = pairwise::<u8, u8>(&[], &[]);
        assert_eq!(m.f1, 1.0);
        let m = pairwise(&[1, 2], &[3, 3]);
        assert_eq!((m.precision, m.recall, m.f1), (1.0, 0.0, 0.0));
    }

    #[test]
    fn cross_pairs_ignore_within_side_pairs() {
        // records 0,1 left; 2,3 right. Truth: all one person. Predicted: all one entity.
        let m = pairwise_cross(&[1, 1, 1, 1], &[9, 9, 9, 9], &[true, true, false, false]);
        assert_eq!((m.true_positives, m.predicted_pairs, m.true_pairs), (4, 4, 4));
    }
}
