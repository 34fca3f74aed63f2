//! Accuracy against ground truth: pairwise precision, recall and F1, pairs of
//! relatives merged, and the share of chosen hard duplicates found.
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
#[serde(deny_unknown_fields)]
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

/// How many pairs of *relatives* (records of different true entities in one
/// household) a clustering put into one entity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RelativeMetrics {
    /// Pairs of records of different people in the same household.
    pub relative_pairs: u64,
    /// Of those, the pairs predicted to be one entity.
    pub merged: u64,
    /// `merged / relative_pairs` (0 when there is no relative pair).
    pub merged_share: f64,
}

impl fmt::Display for RelativeMetrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "relatives merged {:.4} ({} of {} pairs of different people in one household)",
            self.merged_share, self.merged, self.relative_pairs
        )
    }
}

/// Counts the pairs of relatives (same `household`, different `truth`) that
/// `predicted` puts together, from contingency tables (no pair listing):
/// pairs sharing household minus pairs sharing household and person, with and
/// without sharing the predicted entity.
///
/// ```
/// use personlink::eval::relatives_merged;
/// // Records 0,1 are one person, 2 is their relative, 3 lives elsewhere.
/// let m = relatives_merged(&[7, 7, 7, 9], &["a", "a", "b", "c"], &[1, 1, 1, 2]);
/// assert_eq!((m.relative_pairs, m.merged), (2, 2));
/// ```
///
/// # Panics
/// When the slices differ in length.
pub fn relatives_merged<P: Hash + Eq, T: Hash + Eq, H: Hash + Eq>(
    predicted: &[P],
    truth: &[T],
    household: &[H],
) -> RelativeMetrics {
    assert_eq!(predicted.len(), truth.len(), "one predicted and one true label per record");
    assert_eq!(predicted.len(), household.len(), "one household per record");
    let mut by_household: HashMap<&H, u64> = HashMap::new();
    let mut by_person: HashMap<(&H, &T), u64> = HashMap::new();
    let mut by_entity: HashMap<(&H, &P), u64> = HashMap::new();
    let mut by_both: HashMap<(&H, &P, &T), u64> = HashMap::new();
    for ((p, t), h) in predicted.iter().zip(truth).zip(household) {
        *by_household.entry(h).or_default() += 1;
        *by_person.entry((h, t)).or_default() += 1;
        *by_entity.entry((h, p)).or_default() += 1;
        *by_both.entry((h, p, t)).or_default() += 1;
    }
    let sum = |counts: &mut dyn Iterator<Item = u64>| counts.map(pairs).sum::<u64>();
    let relative_pairs =
        sum(&mut by_household.values().copied()) - sum(&mut by_person.values().copied());
    let merged = sum(&mut by_entity.values().copied()) - sum(&mut by_both.values().copied());
    let merged_share =
        if relative_pairs == 0 { 0.0 } else { merged as f64 / relative_pairs as f64 };
    RelativeMetrics { relative_pairs, merged, merged_share }
}

/// The share of the `selected` records whose predicted entity holds at least
/// one other record of their true entity (records alone in the truth are left
/// out): how many hard duplicates (say, those after two life events) were found.
/// Returns `(found, counted)`.
///
/// ```
/// use personlink::eval::selected_linked;
/// // Records 1 and 2 are duplicates of 0; only 1 was linked to it.
/// let (found, counted) = selected_linked(&[5, 5, 6], &[0, 0, 0], |i| i > 0);
/// assert_eq!((found, counted), (1, 2));
/// ```
///
/// # Panics
/// When the slices differ in length.
pub fn selected_linked<P: Hash + Eq, T: Hash + Eq>(
    predicted: &[P],
    truth: &[T],
    selected: impl Fn(usize) -> bool,
) -> (u64, u64) {
    assert_eq!(predicted.len(), truth.len(), "one predicted and one true label per record");
    let mut persons: HashMap<&T, u64> = HashMap::new();
    let mut cells: HashMap<(&P, &T), u64> = HashMap::new();
    for (p, t) in predicted.iter().zip(truth) {
        *persons.entry(t).or_default() += 1;
        *cells.entry((p, t)).or_default() += 1;
    }
    let (mut found, mut counted) = (0, 0);
    for (i, (p, t)) in predicted.iter().zip(truth).enumerate() {
        if selected(i) && persons[t] > 1 {
            counted += 1;
            found += u64::from(cells[&(p, t)] > 1);
        }
    }
    (found, counted)
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
    fn relatives_merged_matches_pair_listing() {
        let pred = [0, 0, 1, 1, 1, 2, 3, 3, 0, 2, 4];
        let truth = [5, 5, 5, 6, 6, 7, 7, 7, 8, 8, 9];
        let home = [1, 1, 1, 1, 2, 2, 2, 3, 1, 2, 3];
        let (mut rel, mut merged) = (0, 0);
        for i in 0..pred.len() {
            for j in i + 1..pred.len() {
                if home[i] == home[j] && truth[i] != truth[j] {
                    rel += 1;
                    merged += u64::from(pred[i] == pred[j]);
                }
            }
        }
        let m = relatives_merged(&pred, &truth, &home);
        assert_eq!((m.relative_pairs, m.merged), (rel, merged));
        assert!(rel > 3 && merged > 0, "the case must exercise both counts");
    }

    #[test]
    fn selected_linked_counts_records_with_a_partner() {
        // person 0: records 0,1,2 (2 split off); person 1: record 3 alone; person 2: 4,5 linked.
        let pred = [1, 1, 2, 3, 4, 4];
        let truth = [0, 0, 0, 1, 2, 2];
        assert_eq!(selected_linked(&pred, &truth, |_| true), (4, 5));
        assert_eq!(selected_linked(&pred, &truth, |i| i == 2), (0, 1));
    }

    #[test]
    fn cross_pairs_ignore_within_side_pairs() {
        // records 0,1 left; 2,3 right. Truth: all one person. Predicted: all one entity.
        let m = pairwise_cross(&[1, 1, 1, 1], &[9, 9, 9, 9], &[true, true, false, false]);
        assert_eq!((m.true_positives, m.predicted_pairs, m.true_pairs), (4, 4, 4));
    }
}
