//! The Fellegi-Sunter model: m and u probabilities per comparison level.
//!
//! For each comparison level, `m` is the probability of that level among pairs
//! of records of the same person, and `u` among pairs of different people.
//! A pair's match weight is the prior weight plus the sum over its comparisons
//! of `log2(m / u)` at the level it reached; its match probability is
//! `2^w / (1 + 2^w)`. A missing value (level 0) is neutral: weight 0.
//!
//! The model is plain data (serde), so it can be shipped, trained and saved.
//!
//! ```
//! use personlink::model::{match_probability, partial_weight};
//! assert_eq!(partial_weight(0.9, 0.01), (0.9f64 / 0.01).log2());
//! assert_eq!(match_probability(0.0), 0.5);
//! ```

use serde::{Deserialize, Serialize};

use crate::compare::{ComparisonSpec, ComparisonVector};
use crate::error::{Error, Result};

/// Probabilities are clamped to at least this before taking logs, so no weight is infinite.
pub const MIN_PROBABILITY: f64 = 1e-9;

/// m and u of one comparison level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelParams {
    /// The level's label, as [`ComparisonSpec::level_labels`] gives it.
    pub label: String,
    /// P(level | same person).
    pub m: f64,
    /// P(level | different people).
    pub u: f64,
}

impl LevelParams {
    /// A level's parameters.
    pub fn new(label: impl Into<String>, m: f64, u: f64) -> Self {
        LevelParams { label: label.into(), m, u }
    }

    /// `log2(m / u)`.
    pub fn weight(&self) -> f64 {
        partial_weight(self.m, self.u)
    }
}

/// m and u of every non-missing level of one comparison, in level order ("else" last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonModel {
    /// The compared field.
    pub field: String,
    /// One entry per level after "missing".
    pub levels: Vec<LevelParams>,
}

/// A whole Fellegi-Sunter model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Probability that two records drawn at random are the same person.
    pub prior: f64,
    /// One entry per comparison, in configuration order.
    pub comparisons: Vec<ComparisonModel>,
}

/// `log2(m / u)` with both clamped to `[MIN_PROBABILITY, 1]`.
pub fn partial_weight(m: f64, u: f64) -> f64 {
    let m = m.clamp(MIN_PROBABILITY, 1.0);
    let u = u.clamp(MIN_PROBABILITY, 1.0);
    (m / u).log2()
}

/// `log2(p / (1 - p))`, the weight of a prior probability.
pub fn prior_weight(prior: f64) -> f64 {
    let p = prior.clamp(MIN_PROBABILITY, 1.0 - MIN_PROBABILITY);
    (p / (1.0 - p)).log2()
}

/// `2^w / (1 + 2^w)`, computed without overflow.
pub fn match_probability(weight: f64) -> f64 {
    if weight >= 0.0 {
        1.0 / (1.0 + (-weight).exp2())
    } else {
        let e = weight.exp2();
        e / (1.0 + e)
    }
}

/// The weight whose match probability is `p`.
pub fn weight_of_probability(p: f64) -> f64 {
    prior_weight(p)
}

fn check_probability(v: f64, path: String) -> Result<()> {
    if v.is_finite() && v > 0.0 && v <= 1.0 {
        Ok(())
    } else {
        Err(Error::Model { path, reason: format!("{v} is not a probability in (0, 1]") })
    }
}

impl Model {
    /// A model with m = u = 0.5 everywhere: every level weighs 0.
    pub fn neutral(comparisons: &[ComparisonSpec], prior: f64) -> Self {
        Model {
            prior,
            comparisons: comparisons
                .iter()
                .map(|c| ComparisonModel {
                    field: c.field.clone(),
                    levels: c.level_labels()[1..]
                        .iter()
                        .map(|l| LevelParams::new(l.clone(), 0.5, 0.5))
                        .collect(),
                })
                .collect(),
        }
    }

    /// The prior's weight, `log2(prior / (1 - prior))`.
    pub fn prior_weight(&self) -> f64 {
        prior_weight(self.prior)
    }

    /// Checks that the model fits `comparisons` (same fields, same level labels, valid probabilities).
    ///
    /// # Errors
    /// [`Error::Model`] naming the first entry that does not fit.
    pub fn validate(&self, comparisons: &[ComparisonSpec]) -> Result<()> {
        if !(self.prior.is_finite() && self.prior > 0.0 && self.prior < 1.0) {
            return Err(Error::Model {
                path: "prior".into(),
                reason: format!("{} is not a probability in (0, 1)", self.prior),
            });
        }
        if self.comparisons.len() != comparisons.len() {
            return Err(Error::Model {
                path: "comparisons".into(),
                reason: format!(
                    "{} comparisons in the model, {} in the configuration",
                    self.comparisons.len(),
                    comparisons.len()
                ),
            });
        }
        for (i, (cm, spec)) in self.comparisons.iter().zip(comparisons).enumerate() {
            if cm.field != spec.field {
                return Err(Error::Model {
                    path: format!("comparisons[{i}].field"),
                    reason: format!("`{}` in the model, `{}` in the configuration", cm.field, spec.field),
                });
            }
            let labels = spec.level_labels();
            if cm.levels.len() + 1 != labels.len() {
                return Err(Error::Model {
                    path: format!("comparisons[{i}].levels"),
                    reason: format!(
                        "{} levels in the model, {} in the configuration (\"missing\" excluded)",
                        cm.levels.len(),
                        labels.len() - 1
                    ),
                });
            }
            for (k, (lp, label)) in cm.levels.iter().zip(&labels[1..]).enumerate() {
                let path = format!("comparisons[{i}].levels[{k}]");
                if &lp.label != label {
                    return Err(Error::Model {
                        path: format!("{path}.label"),
                        reason: format!("`{}` in the model, `{label}` in the configuration", lp.label),
                    });
                }
                check_probability(lp.m, format!("{path}.m"))?;
                check_probability(lp.u, format!("{path}.u"))?;
            }
        }
        Ok(())
    }
}

/// Weights of every level of every comparison, flattened for the hot loop.
#[derive(Debug, Clone)]
pub(crate) struct WeightTable {
    pub prior: f64,
    offsets: Vec<usize>,
    weights: Vec<f64>,
}

impl WeightTable {
    /// Builds the table of a model already validated against its comparisons.
    pub fn new(model: &Model) -> Self {
        let mut offsets = Vec::with_capacity(model.comparisons.len());
        let mut weights = Vec::new();
        for cm in &model.comparisons {
            offsets.push(weights.len());
            weights.push(0.0);
            weights.extend(cm.levels.iter().map(LevelParams::weight));
        }
        WeightTable { prior: model.prior_weight(), offsets, weights }
    }

    /// The weight of comparison `k` at `level`.
    pub fn level_weight(&self, k: usize, level: u8) -> f64 {
        self.weights[self.offsets[k] + usize::from(level)]
    }

    /// The total match weight of a comparison vector.
    pub fn score(&self, v: &ComparisonVector) -> f64 {
        let mut w = self.prior;
        for (k, &level) in v.levels().iter().enumerate() {
            w += self.level_weight(k, level);
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::LevelSpec;

    fn spec() -> Vec<ComparisonSpec> {
        vec![ComparisonSpec::new("surname").level(LevelSpec::Exact)]
    }

    #[test]
    fn probabilities_are_finite_at_extremes() {
        assert_eq!(match_probability(2000.0), 1.0);
        assert_eq!(match_probability(-2000.0), 0.0);
        assert!(partial_weight(0.0, 0.0).is_finite());
        assert!(prior_weight(0.0).is_finite() && prior_weight(1.0).is_finite());
        assert!((weight_of_probability(0.8) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn validation_names_the_bad_entry() {
        let mut m = Model::neutral(&spec(), 0.001);
        assert!(m.validate(&spec()).is_ok());
        m.comparisons[0].levels[1].u = 0.0;
        let err = m.validate(&spec()).unwrap_err();
        assert!(err.to_string().contains("comparisons[0].levels[1].u"), "{err}");
        m.comparisons[0].levels[1].u = 0.5;
        m.comparisons[0].levels[0].label = "fuzzy".into();
        let err = m.validate(&spec()).unwrap_err();
        assert!(err.to_string().contains("comparisons[0].levels[0].label"), "{err}");
    }

    #[test]
    fn score_sums_prior_and_levels() {
        let mut m = Model::neutral(&spec(), 0.5);
        m.comparisons[0].levels[0] = LevelParams::new("exact", 0.8, 0.1);
        let t = WeightTable::new(&m);
        let mut v = ComparisonVector::new(1);
        assert_eq!(t.score(&v), 0.0);
        v.set(0, 1);
        assert!((t.score(&v) - 3.0).abs() < 1e-12);
    }
}
