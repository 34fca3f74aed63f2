//! Labelled training: pairs a person marked match or non-match, blended
//! into the unsupervised estimate.

use hashbrown::HashMap;

use super::{LabelledPair, Trained, TrainingOptions, MIN_TRAINED_PROBABILITY};
use crate::batch::Linker;
use crate::error::{Error, Result};
use crate::record::{Record, SourceRef};

impl Linker {
    /// Trains on one dataset, then blends in labelled pairs.
    ///
    /// Unsupervised training runs first (as [`Linker::train`]); then, for each
    /// comparison level, the labels are counted (matches give m, non-matches u)
    /// and combined with the unsupervised estimate, which counts as
    /// `label_weight` pairs: `m = (label count + label_weight · m_em) /
    /// (labelled pairs with the field present + label_weight)`, and the same for
    /// u. With a handful of labels the estimate barely moves; with thousands the
    /// labels decide.
    ///
    /// # Errors
    /// As [`Linker::train`]; [`Error::UnknownSource`] when a label names a record
    /// that is not in `records`; [`Error::InvalidArgument`] for a negative or
    /// infinite `label_weight`.
    pub fn train_labelled(
        &self,
        records: &[Record],
        labels: &[LabelledPair],
        label_weight: f64,
        options: &TrainingOptions,
    ) -> Result<Trained> {
        if !(label_weight.is_finite() && label_weight >= 0.0) {
            return Err(Error::argument("label_weight", "must be finite and >= 0"));
        }
        let mut trained = self.train(records, options)?;
        let index: HashMap<&SourceRef, usize> =
            records.iter().enumerate().map(|(i, r)| (r.source(), i)).collect();
        let find = |s: &SourceRef| {
            index.get(s).copied().ok_or_else(|| Error::UnknownSource { source_ref: s.to_string() })
        };
        let mut wanted: Vec<&Record> = Vec::with_capacity(labels.len() * 2);
        for l in labels {
            wanted.push(&records[find(&l.a)?]);
            wanted.push(&records[find(&l.b)?]);
        }
        let p = self.engine().preparer().prepare(wanted.iter().copied())?;
        let model = &mut trained.model;
        // Per comparison: level counts among labelled matches [0] and non-matches [1].
        let mut counts: Vec<[Vec<f64>; 2]> = model
            .comparisons
            .iter()
            .map(|c| [vec![0.0; c.levels.len() + 1], vec![0.0; c.levels.len() + 1]])
            .collect();
        for (n, l) in labels.iter().enumerate() {
            let v = self.engine().scorer().compare(&p, 2 * n, 2 * n + 1);
            for (k, &level) in v.levels().iter().enumerate() {
                counts[k][usize::from(!l.is_match)][usize::from(level)] += 1.0;
            }
        }
        for (k, cm) in model.comparisons.iter_mut().enumerate() {
            let [matches, non_matches] = &counts[k];
            let present_m: f64 = matches[1..].iter().sum();
            let present_u: f64 = non_matches[1..].iter().sum();
            for (l, lp) in cm.levels.iter_mut().enumerate() {
                if present_m + label_weight > 0.0 {
                    lp.m = ((matches[l + 1] + label_weight * lp.m) / (present_m + label_weight))
                        .max(MIN_TRAINED_PROBABILITY);
                }
                if present_u + label_weight > 0.0 {
                    lp.u = ((non_matches[l + 1] + label_weight * lp.u)
                        / (present_u + label_weight))
                        .max(MIN_TRAINED_PROBABILITY);
                }
            }
        }
        trained.report.labelled_matches = labels.iter().filter(|l| l.is_match).count();
        trained.report.labelled_non_matches = labels.len() - trained.report.labelled_matches;
        Ok(trained)
    }
}
