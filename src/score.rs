//! Scoring: a pair's comparison vector and its Fellegi-Sunter match weight.
//!
//! The [`Scorer`] holds the compiled comparisons and the model's weight
//! table. [`Scorer::score`] evaluates every comparison of a pair and sums the
//! weights (prior, levels, term-frequency adjustments, caps).
//! [`Scorer::score_at_least`] gives exactly the same weight, but evaluates the
//! comparisons cheapest first and stops as soon as the best levels left could
//! not bring the pair to a floor (the review threshold), so most non-matching
//! pairs skip the costly string comparisons.

use crate::compare::{ComparisonSpec, ComparisonVector, CompiledComparison, MAX_COMPARISONS};
use crate::model::{Model, WeightTable, MAX_WEIGHT_CAPS};
use crate::prepare::Prepared;

/// The score stage, compiled: comparisons, weights and the early-exit plan.
#[derive(Debug)]
pub(crate) struct Scorer {
    comparisons: Vec<CompiledComparison>,
    weights: WeightTable,
    /// Comparisons whose exact matches are adjusted by the value's frequency.
    tf: Vec<Adjusted>,
    tf_floor: f64,
    early: EarlyExit,
    /// Per comparison, its field's name and its level labels; per cap, its
    /// name: what explanations show.
    names: Vec<String>,
    labels: Vec<Vec<String>>,
    cap_names: Vec<String>,
}

/// A comparison whose exact matches are adjusted by the value's frequency.
#[derive(Debug, Clone, Copy)]
struct Adjusted {
    /// The comparison.
    k: usize,
    /// Its exact level.
    level: u8,
    /// u of that level.
    u: f64,
    /// `None`: every value is adjusted (`term_frequency`); `Some(a)`: only the
    /// share of records holding the value beyond `a`, what one person may hold
    /// ([`Model::shared_value_allowance`] over the table's total), and only
    /// downwards (`discount_shared_values`).
    shared_beyond: Option<f64>,
}

impl Adjusted {
    /// The adjustment of an exact match on a value of frequency `f` (0 when unknown).
    #[inline]
    fn lift(&self, f: f64, floor: f64) -> f64 {
        if f <= 0.0 {
            return 0.0;
        }
        match self.shared_beyond {
            None => (self.u / f.max(floor)).log2(),
            Some(allowance) => {
                let beyond = f - allowance;
                if beyond > self.u {
                    (self.u / beyond).log2()
                } else {
                    0.0
                }
            }
        }
    }

    /// The most the adjustment can add.
    fn best_lift(&self, floor: f64) -> f64 {
        match self.shared_beyond {
            None => (self.u / floor).log2().max(0.0),
            Some(_) => 0.0,
        }
    }
}

/// How [`Scorer::score_at_least`] evaluates a pair: the comparisons in
/// evaluation order (cheap ones first, then the costly ones, each group by
/// decreasing weight range) and the most each one can add.
#[derive(Debug, Default)]
struct EarlyExit {
    order: Vec<usize>,
    /// Number of cheap comparisons at the head of `order`.
    cheap: usize,
    /// Per comparison: the best weight it can give, the largest
    /// term-frequency lift included.
    best: Vec<f64>,
    /// Per costly comparison whose first level is exact: the best weight of
    /// its levels after the exact one (what is left once the values differ).
    beyond_exact: Vec<Option<f64>>,
    /// The best weights of the uncapped comparisons, summed.
    total_free: f64,
    /// Per cap, the positive best weights of its comparisons, summed.
    total_positive: [f64; MAX_WEIGHT_CAPS],
    /// Per comparison: its frequency adjustment, if any.
    tf: Vec<Option<Adjusted>>,
}

impl EarlyExit {
    fn new(
        comparisons: &[CompiledComparison],
        weights: &WeightTable,
        tf: &[Adjusted],
        tf_floor: f64,
    ) -> Self {
        let n = comparisons.len();
        let mut per_tf = vec![None; n];
        for adjusted in tf {
            per_tf[adjusted.k] = Some(*adjusted);
        }
        let levels = |k: usize| (0..weights.level_count(k)).map(move |l| l as u8);
        let best: Vec<f64> = (0..n)
            .map(|k| {
                levels(k)
                    .map(|l| {
                        let lift = match per_tf[k] {
                            Some(a) if a.level == l => a.best_lift(tf_floor),
                            _ => 0.0,
                        };
                        weights.level_weight(k, l) + lift
                    })
                    .fold(f64::NEG_INFINITY, f64::max)
            })
            .collect();
        let range = |k: usize| {
            let worst = levels(k).map(|l| weights.level_weight(k, l)).fold(f64::INFINITY, f64::min);
            best[k] - worst
        };
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            comparisons[a]
                .is_costly()
                .cmp(&comparisons[b].is_costly())
                .then(range(b).total_cmp(&range(a)))
                .then(a.cmp(&b))
        });
        let cheap = order.iter().take_while(|&&k| !comparisons[k].is_costly()).count();
        // Level 0 is "missing" and level 1 the first configured level.
        let beyond_exact = (0..n)
            .map(|k| {
                (comparisons[k].is_costly() && comparisons[k].starts_exact()).then(|| {
                    levels(k)
                        .skip(2)
                        .map(|l| weights.level_weight(k, l))
                        .fold(f64::NEG_INFINITY, f64::max)
                })
            })
            .collect();
        let mut total_free = 0.0;
        let mut total_positive = [0.0; MAX_WEIGHT_CAPS];
        for (k, &b) in best.iter().enumerate() {
            match weights.cap_of(k) {
                None => total_free += b,
                Some(g) => total_positive[g] += b.max(0.0),
            }
        }
        EarlyExit { order, cheap, best, beyond_exact, total_free, total_positive, tf: per_tf }
    }
}

/// The running sums of a pair being scored with an early exit: the weight so
/// far (uncapped, and per cap its positive and negative parts) and the most the
/// comparisons not yet settled can still add.
struct Bound<'a> {
    weights: &'a WeightTable,
    free: f64,
    positive: [f64; MAX_WEIGHT_CAPS],
    negative: [f64; MAX_WEIGHT_CAPS],
    rest_free: f64,
    rest_positive: [f64; MAX_WEIGHT_CAPS],
}

impl Bound<'_> {
    /// Comparison `k`'s most possible weight drops from `from` to `to`.
    #[inline]
    fn lower(&mut self, k: usize, from: f64, to: f64) {
        match self.weights.cap_of(k) {
            None => self.rest_free += to - from,
            Some(g) => self.rest_positive[g] += to.max(0.0) - from.max(0.0),
        }
    }

    /// Comparison `k`, bounded by `bound` so far, settles at weight `w`.
    #[inline]
    fn settle(&mut self, k: usize, bound: f64, w: f64) {
        match self.weights.cap_of(k) {
            None => {
                self.rest_free -= bound;
                self.free += w;
            }
            Some(g) => {
                self.rest_positive[g] -= bound.max(0.0);
                if w > 0.0 {
                    self.positive[g] += w;
                } else {
                    self.negative[g] += w;
                }
            }
        }
    }

    /// The highest total weight the pair can still reach.
    #[inline]
    fn best(&self) -> f64 {
        let mut best = self.free + self.rest_free;
        for (g, &(max, min)) in self.weights.caps().iter().enumerate() {
            best += (self.positive[g] + self.rest_positive[g]).min(max) + self.negative[g].max(min);
        }
        best
    }
}

impl Scorer {
    /// A scorer of `comparisons` (compiled from `specs`) under `model`, which
    /// must be validated against `specs`. `has_frequencies(field)` tells
    /// whether prepared values of `field` carry their frequency.
    pub(crate) fn new(
        comparisons: Vec<CompiledComparison>,
        specs: &[ComparisonSpec],
        model: &Model,
        has_frequencies: impl Fn(usize) -> bool,
    ) -> Self {
        let tf: Vec<Adjusted> = comparisons
            .iter()
            .enumerate()
            .filter_map(|(k, c)| {
                let level = c.tf_level()?;
                if !has_frequencies(c.field()) {
                    return None;
                }
                let shared_beyond = c.shared_only().then(|| {
                    let total = model
                        .term_frequencies
                        .iter()
                        .find(|t| t.field == specs[k].field)
                        .map_or(0, |t| t.total);
                    model.shared_value_allowance() / total.max(1) as f64
                });
                let u = model.comparisons[k].levels[usize::from(level) - 1].u;
                Some(Adjusted { k, level, u, shared_beyond })
            })
            .collect();
        let weights = WeightTable::new(model);
        let early = EarlyExit::new(&comparisons, &weights, &tf, model.tf_min_frequency);
        Scorer {
            comparisons,
            weights,
            tf,
            tf_floor: model.tf_min_frequency,
            early,
            names: specs.iter().map(|s| s.field.clone()).collect(),
            labels: specs.iter().map(ComparisonSpec::level_labels).collect(),
            cap_names: model.caps.iter().map(|c| c.name.clone()).collect(),
        }
    }

    /// Number of comparisons.
    pub(crate) fn comparison_count(&self) -> usize {
        self.comparisons.len()
    }

    /// Number of level indices of comparison `k`, "missing" and "else" included.
    pub(crate) fn level_count(&self, k: usize) -> usize {
        self.comparisons[k].level_count()
    }

    /// The field comparison `k` reads.
    pub(crate) fn field_of(&self, k: usize) -> usize {
        self.comparisons[k].field()
    }

    /// The name of the field comparison `k` reads.
    pub(crate) fn field_name(&self, k: usize) -> &str {
        &self.names[k]
    }

    /// The label of level `level` of comparison `k`.
    pub(crate) fn level_label(&self, k: usize, level: u8) -> &str {
        &self.labels[k][usize::from(level)]
    }

    /// When the pair does not reach the model's identity requirement: its
    /// identity weight, the weight required, and the ceiling of its score.
    pub(crate) fn identity_shortfall(
        &self,
        v: &ComparisonVector,
        adjust: &[f64; MAX_COMPARISONS],
    ) -> Option<(f64, f64, f64)> {
        self.weights.identity_shortfall(v, adjust)
    }

    /// A pair's weight before the identity requirement (prior, levels, caps).
    pub(crate) fn score_before_identity(
        &self,
        v: &ComparisonVector,
        adjust: &[f64; MAX_COMPARISONS],
    ) -> f64 {
        self.weights.score_before_identity(v, adjust)
    }

    /// The names of the weight caps, in order.
    pub(crate) fn cap_names(&self) -> &[String] {
        &self.cap_names
    }

    /// The prior's weight.
    pub(crate) fn prior_weight(&self) -> f64 {
        self.weights.prior
    }

    /// The weight of comparison `k` at `level` (no term-frequency adjustment).
    pub(crate) fn level_weight(&self, k: usize, level: u8) -> f64 {
        self.weights.level_weight(k, level)
    }

    /// For each cap, the weight its group reached before the cap and what the
    /// cap changed, given the term-frequency adjustments `adjust`.
    pub(crate) fn cap_adjustments(
        &self,
        v: &ComparisonVector,
        adjust: &[f64; MAX_COMPARISONS],
    ) -> Vec<(f64, f64)> {
        self.weights.cap_adjustments(v, adjust)
    }

    /// The comparison vector of records `i` and `j`.
    #[inline]
    pub(crate) fn compare(&self, p: &Prepared, i: usize, j: usize) -> ComparisonVector {
        self.compare_across(p, i, p, j)
    }

    /// The comparison vector of record `i` of `pa` and record `j` of `pb`.
    #[inline]
    pub(crate) fn compare_across(
        &self,
        pa: &Prepared,
        i: usize,
        pb: &Prepared,
        j: usize,
    ) -> ComparisonVector {
        let mut v = ComparisonVector::new(self.comparisons.len());
        for (k, c) in self.comparisons.iter().enumerate() {
            v.set(k, c.evaluate_across(pa, i, pb, j));
        }
        v
    }

    /// Compares and scores records `i` and `j`.
    #[inline]
    pub(crate) fn score(&self, p: &Prepared, i: usize, j: usize) -> (ComparisonVector, f64) {
        self.score_across(p, i, p, j)
    }

    /// Compares and scores record `i` of `pa` and record `j` of `pb`.
    #[inline]
    pub(crate) fn score_across(
        &self,
        pa: &Prepared,
        i: usize,
        pb: &Prepared,
        j: usize,
    ) -> (ComparisonVector, f64) {
        let v = self.compare_across(pa, i, pb, j);
        let w = self.weight_of(pa, i, pb, j, &v);
        (v, w)
    }

    /// Compares and scores records `i` and `j` when their weight reaches `floor`;
    /// `None` when it does not. The weight returned is exactly
    /// [`Scorer::score`]'s, but a pair stops being compared as soon as the best
    /// levels of the comparisons left could not bring it to `floor`, so most
    /// non-matching pairs skip the costly string comparisons.
    #[inline]
    pub(crate) fn score_at_least(
        &self,
        p: &Prepared,
        i: usize,
        j: usize,
        floor: f64,
    ) -> Option<(ComparisonVector, f64)> {
        self.score_across_at_least(p, i, p, j, floor)
    }

    /// As [`Scorer::score_at_least`], for record `i` of `pa` and record `j` of `pb`.
    pub(crate) fn score_across_at_least(
        &self,
        pa: &Prepared,
        i: usize,
        pb: &Prepared,
        j: usize,
        floor: f64,
    ) -> Option<(ComparisonVector, f64)> {
        let early = &self.early;
        let mut v = ComparisonVector::new(self.comparisons.len());
        let mut bound = Bound {
            weights: &self.weights,
            free: self.weights.prior,
            positive: [0.0; MAX_WEIGHT_CAPS],
            negative: [0.0; MAX_WEIGHT_CAPS],
            rest_free: early.total_free,
            rest_positive: early.total_positive,
        };
        // Partial sums may round differently from the final sum: keep a margin.
        let bar = floor - 1e-9 * (1.0 + floor.abs());
        // The weight of comparison `k` at `level`, its term-frequency lift included.
        let weight = |k: usize, level: u8| {
            let mut w = self.weights.level_weight(k, level);
            if let Some(adjusted) = early.tf[k] {
                if adjusted.level == level {
                    w += self.tf_lift(&adjusted, pa, i, pb, j);
                }
            }
            w
        };
        // The cheap comparisons, one by one.
        for &k in &early.order[..early.cheap] {
            let level = self.comparisons[k].evaluate_across(pa, i, pb, j);
            v.set(k, level);
            bound.settle(k, early.best[k], weight(k, level));
            if bound.best() < bar {
                return None;
            }
        }
        // The costly ones: first what equality alone tells (missing, exact, or
        // at most the levels after exact), then the similarities still needed.
        let mut pending = [0usize; MAX_COMPARISONS];
        let mut pending_len = 0;
        for &k in &early.order[early.cheap..] {
            let Some(beyond) = early.beyond_exact[k] else {
                pending[pending_len] = k;
                pending_len += 1;
                continue;
            };
            let field = self.comparisons[k].field();
            let (a, b) = (pa.column(field).text(i), pb.column(field).text(j));
            if a.is_empty() || b.is_empty() || a == b {
                let level = u8::from(!a.is_empty() && !b.is_empty());
                v.set(k, level);
                bound.settle(k, early.best[k], weight(k, level));
            } else {
                bound.lower(k, early.best[k], beyond);
                pending[pending_len] = k;
                pending_len += 1;
            }
        }
        if bound.best() < bar {
            return None;
        }
        for &k in &pending[..pending_len] {
            let level = self.comparisons[k].evaluate_across(pa, i, pb, j);
            v.set(k, level);
            let limit = early.beyond_exact[k].unwrap_or(early.best[k]);
            bound.settle(k, limit, weight(k, level));
            if bound.best() < bar {
                return None;
            }
        }
        let w = self.weight_of(pa, i, pb, j, &v);
        (w >= floor).then_some((v, w))
    }

    /// The match weight of comparison vector `v` of record `i` of `pa` and record
    /// `j` of `pb`, term-frequency adjustments included.
    #[inline]
    fn weight_of(
        &self,
        pa: &Prepared,
        i: usize,
        pb: &Prepared,
        j: usize,
        v: &ComparisonVector,
    ) -> f64 {
        if self.tf.is_empty() {
            self.weights.score(v)
        } else {
            self.weights.score_adjusted(v, &self.tf_adjustments_across(pa, i, pb, j, v))
        }
    }

    /// The frequency adjustment of an exact match on `adjusted` of record `i`
    /// of `pa` and record `j` of `pb`, from the larger of their value
    /// frequencies (0 when neither is known): `log2(u / max(f, floor))` for
    /// `term_frequency`, `min(0, log2(u / (f − one person's share)))` for
    /// `discount_shared_values` (one person's share: the model's allowance).
    #[inline]
    fn tf_lift(
        &self,
        adjusted: &Adjusted,
        pa: &Prepared,
        i: usize,
        pb: &Prepared,
        j: usize,
    ) -> f64 {
        let field = self.comparisons[adjusted.k].field();
        let f = f64::from(pa.column(field).frequency(i).max(pb.column(field).frequency(j)));
        adjusted.lift(f, self.tf_floor)
    }

    /// The term-frequency adjustment of each comparison for record `i` of `pa` and
    /// record `j` of `pb`: `log2(u / max(f, floor))` on an exact match of a
    /// comparison with a frequency table, else 0.
    pub(crate) fn tf_adjustments_across(
        &self,
        pa: &Prepared,
        i: usize,
        pb: &Prepared,
        j: usize,
        v: &ComparisonVector,
    ) -> [f64; MAX_COMPARISONS] {
        let mut adjust = [0.0; MAX_COMPARISONS];
        for adjusted in &self.tf {
            if v.levels()[adjusted.k] == adjusted.level {
                adjust[adjusted.k] = self.tf_lift(adjusted, pa, i, pb, j);
            }
        }
        adjust
    }
}
