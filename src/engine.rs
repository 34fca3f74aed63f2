//! A configuration compiled once: pipelines, features, rules, weights, policy.

use crate::block::CompiledRule;
use crate::cluster::CompiledPolicy;
use crate::compare::{
    ComparisonVector, CompiledComparison, FieldFeatures, NicknameTable, MAX_COMPARISONS,
};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{WeightTable, MAX_WEIGHT_CAPS};
use crate::normalize::Pipeline;
use crate::phonetic::PhoneticEncoder;
use crate::prepare::{FieldPlan, FrequencyLookup, Prepared, Scratch};
use crate::record::Record;

/// Below this many records per thread, preparing on more threads does not pay.
const PREPARE_CHUNK_MIN: usize = 4096;

/// Everything a run needs, validated and ready.
#[derive(Debug)]
pub(crate) struct Engine {
    pub plans: Vec<FieldPlan>,
    pub comparisons: Vec<CompiledComparison>,
    pub rules: Vec<CompiledRule>,
    pub weights: WeightTable,
    pub policy: CompiledPolicy,
    pub encoder: PhoneticEncoder,
    pub nicknames: NicknameTable,
    pub max_block_size: usize,
    pub threads: usize,
    /// Comparisons adjusted by term frequencies: (comparison, exact level, u of that level).
    tf: Vec<(usize, u8, f64)>,
    tf_floor: f64,
    early: EarlyExit,
}

/// How [`Engine::score_at_least`] evaluates a pair: the comparisons in
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
    /// Per comparison: the term-frequency-adjusted level and its u, if any.
    tf: Vec<Option<(u8, f64)>>,
}

impl EarlyExit {
    fn new(
        comparisons: &[CompiledComparison],
        weights: &WeightTable,
        tf: &[(usize, u8, f64)],
        tf_floor: f64,
    ) -> Self {
        let n = comparisons.len();
        let mut per_tf = vec![None; n];
        for &(k, level, u) in tf {
            per_tf[k] = Some((level, u));
        }
        let levels = |k: usize| (0..weights.level_count(k)).map(move |l| l as u8);
        let best: Vec<f64> = (0..n)
            .map(|k| {
                levels(k)
                    .map(|l| {
                        let lift = match per_tf[k] {
                            Some((tl, u)) if tl == l => (u / tf_floor).log2().max(0.0),
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

impl Engine {
    pub fn new(config: &Config) -> Result<Self> {
        config.check_counts()?;
        let schema = &config.schema;
        let mut features = vec![FieldFeatures::default(); schema.len()];
        let mut comparisons = Vec::with_capacity(config.comparisons.len());
        for (i, spec) in config.comparisons.iter().enumerate() {
            comparisons.push(CompiledComparison::compile(
                spec,
                schema,
                &mut features,
                &format!("comparisons[{i}]"),
            )?);
        }
        let mut rules = Vec::with_capacity(config.blocking.rules.len());
        for (i, rule) in config.blocking.rules.iter().enumerate() {
            rules.push(CompiledRule::compile(
                rule,
                schema,
                &mut features,
                &format!("blocking.rules[{i}]"),
            )?);
        }
        config.model.validate(&config.comparisons)?;
        let policy = CompiledPolicy::new(&config.policy, schema)?;
        for f in policy.date_fields() {
            features[f].date = true;
        }
        let mut plans = Vec::with_capacity(schema.len());
        for (f, def) in schema.fields().iter().enumerate() {
            let pipeline = match config.normalizers.get(&def.name) {
                Some(specs) => Pipeline::from_specs(specs, &format!("normalizers.{}", def.name))?,
                None => Pipeline::for_kind(def.kind),
            };
            let frequencies = config
                .model
                .term_frequencies
                .iter()
                .find(|t| t.field == def.name && features[f].term_frequency)
                .map(FrequencyLookup::new);
            plans.push(FieldPlan {
                pipeline,
                features: features[f].clone(),
                max_len: config.max_value_len,
                frequencies,
            });
        }
        let mut nicknames = if config.nicknames.builtin {
            NicknameTable::builtin()
        } else {
            NicknameTable::empty()
        };
        for (i, group) in config.nicknames.extra.iter().enumerate() {
            if group.len() < 2 {
                return Err(Error::config(
                    format!("nicknames.extra[{i}]"),
                    "a group needs at least two names",
                ));
            }
            nicknames.add_group(group);
        }
        let threads = match config.threads {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            t => t,
        };
        let tf: Vec<(usize, u8, f64)> = comparisons
            .iter()
            .enumerate()
            .filter_map(|(k, c)| {
                let level = c.tf_level?;
                plans[c.field].frequencies.as_ref()?;
                Some((k, level, config.model.comparisons[k].levels[usize::from(level) - 1].u))
            })
            .collect();
        let weights = WeightTable::new(&config.model);
        let early = EarlyExit::new(&comparisons, &weights, &tf, config.model.tf_min_frequency);
        Ok(Engine {
            tf,
            early,
            tf_floor: config.model.tf_min_frequency,
            plans,
            comparisons,
            rules,
            weights,
            policy,
            encoder: PhoneticEncoder::new(),
            nicknames,
            max_block_size: config.blocking.max_block_size,
            threads,
        })
    }

    /// Prepares records, checking each one's arity against the schema. Large
    /// inputs are prepared in contiguous chunks on the configured threads and
    /// appended in order, so the result does not depend on the thread count.
    pub fn prepare<'r>(&self, records: impl IntoIterator<Item = &'r Record>) -> Result<Prepared> {
        let records: Vec<&Record> = records.into_iter().collect();
        if let Some(r) = records.iter().find(|r| r.len() != self.plans.len()) {
            return Err(Error::Arity {
                source_ref: r.source().to_string(),
                expected: self.plans.len(),
                found: r.len(),
            });
        }
        let threads = self.threads.clamp(1, records.len().div_ceil(PREPARE_CHUNK_MIN).max(1));
        if threads == 1 {
            return Ok(self.prepare_checked(&records));
        }
        let chunk = records.len().div_ceil(threads);
        let parts: Vec<Prepared> = std::thread::scope(|scope| {
            let handles: Vec<_> = records
                .chunks(chunk)
                .map(|part| scope.spawn(move || self.prepare_checked(part)))
                .collect();
            handles.into_iter().map(|h| h.join().expect("preparing records panicked")).collect()
        });
        let mut parts = parts.into_iter();
        let mut out = parts.next().unwrap_or_else(|| Prepared::new(&self.plans));
        for part in parts {
            out.append(part);
        }
        Ok(out)
    }

    /// Prepares records whose arity is already checked, on this thread.
    fn prepare_checked(&self, records: &[&Record]) -> Prepared {
        let mut p = Prepared::new(&self.plans);
        p.reserve(records.len());
        let mut scratch = Scratch::default();
        for r in records {
            p.push(r, &self.plans, &self.encoder, &self.nicknames, &mut scratch);
        }
        p
    }

    /// The comparison vector of records `i` and `j`.
    #[inline]
    pub fn compare(&self, p: &Prepared, i: usize, j: usize) -> ComparisonVector {
        self.compare_across(p, i, p, j)
    }

    /// The comparison vector of record `i` of `pa` and record `j` of `pb`.
    #[inline]
    pub fn compare_across(
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
    pub fn score(&self, p: &Prepared, i: usize, j: usize) -> (ComparisonVector, f64) {
        self.score_across(p, i, p, j)
    }

    /// Compares and scores record `i` of `pa` and record `j` of `pb`.
    #[inline]
    pub fn score_across(
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
    /// [`Engine::score`]'s, but a pair stops being compared as soon as the best
    /// levels of the comparisons left could not bring it to `floor`, so most
    /// non-matching pairs skip the costly string comparisons.
    #[inline]
    pub fn score_at_least(
        &self,
        p: &Prepared,
        i: usize,
        j: usize,
        floor: f64,
    ) -> Option<(ComparisonVector, f64)> {
        self.score_across_at_least(p, i, p, j, floor)
    }

    /// As [`Engine::score_at_least`], for record `i` of `pa` and record `j` of `pb`.
    pub fn score_across_at_least(
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
            if let Some((tl, u)) = early.tf[k] {
                if tl == level {
                    w += self.tf_lift(k, u, pa, i, pb, j);
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
            let field = self.comparisons[k].field;
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

    /// The term-frequency adjustment of an exact match on comparison `k` (whose
    /// exact level has `u`) of record `i` of `pa` and record `j` of `pb`:
    /// `log2(u / max(f, floor))` with `f` the larger of their value frequencies,
    /// 0 when neither is known.
    #[inline]
    fn tf_lift(&self, k: usize, u: f64, pa: &Prepared, i: usize, pb: &Prepared, j: usize) -> f64 {
        let field = self.comparisons[k].field;
        let f = f64::from(pa.column(field).frequency(i).max(pb.column(field).frequency(j)));
        if f > 0.0 {
            (u / f.max(self.tf_floor)).log2()
        } else {
            0.0
        }
    }

    /// The term-frequency adjustment of each comparison for record `i` of `pa` and
    /// record `j` of `pb`: `log2(u / max(f, floor))` on an exact match of a
    /// comparison with a frequency table, else 0.
    pub fn tf_adjustments_across(
        &self,
        pa: &Prepared,
        i: usize,
        pb: &Prepared,
        j: usize,
        v: &ComparisonVector,
    ) -> [f64; MAX_COMPARISONS] {
        let mut adjust = [0.0; MAX_COMPARISONS];
        for &(k, level, u) in &self.tf {
            if v.levels()[k] == level {
                adjust[k] = self.tf_lift(k, u, pa, i, pb, j);
            }
        }
        adjust
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{generate, SynthConfig};

    fn engine_and_records(people: usize) -> (Engine, Vec<Record>) {
        let config = Config::person_default();
        let records = generate(&SynthConfig::new(11, people)).records;
        (Engine::new(&config).unwrap(), records)
    }

    #[test]
    fn early_exit_scoring_keeps_exactly_the_pairs_at_or_above_the_floor() {
        let (engine, records) = engine_and_records(150);
        // The same with a trained model: term frequencies and their lifts.
        let linker = crate::Linker::new(Config::person_default()).unwrap();
        let trained = linker.train(&records, &crate::train::TrainingOptions::default()).unwrap();
        assert!(!trained.model.term_frequencies.is_empty());
        let tf_engine = Engine::new(&Config::person_default().with_model(trained.model)).unwrap();
        for engine in [engine, tf_engine] {
            check_early_exit(&engine, &records);
        }
    }

    fn check_early_exit(engine: &Engine, records: &[Record]) {
        let p = engine.prepare(records).unwrap();
        let n = p.len().min(220);
        let (mut kept, mut dropped) = (0, 0);
        for floor in [-30.0, -4.25, 0.0, 7.5, 25.0] {
            for i in 0..n {
                for j in 0..n {
                    let (v, w) = engine.score(&p, i, j);
                    match engine.score_at_least(&p, i, j, floor) {
                        Some((v2, w2)) => {
                            assert!(w >= floor, "kept {i},{j} at {w} under {floor}");
                            assert_eq!((v2.levels(), w2.to_bits()), (v.levels(), w.to_bits()));
                            kept += 1;
                        }
                        None => {
                            assert!(w < floor, "dropped {i},{j} at {w} over {floor}");
                            dropped += 1;
                        }
                    }
                }
            }
        }
        // Both outcomes occur, so the comparison above is not vacuous.
        assert!(kept > 1000 && dropped > 1000, "{kept} kept, {dropped} dropped");
    }

    #[test]
    fn preparing_in_chunks_gives_the_records_prepared_in_one_go() {
        let (engine, records) = engine_and_records(120);
        let refs: Vec<&Record> = records.iter().collect();
        let whole = engine.prepare_checked(&refs);
        let mut chunked = engine.prepare_checked(&refs[..37]);
        chunked.append(engine.prepare_checked(&refs[37..90]));
        chunked.append(engine.prepare_checked(&refs[90..]));
        assert_eq!(chunked.len(), whole.len());
        assert_eq!(chunked.truncated_values, whole.truncated_values);
        for i in 0..whole.len() {
            for f in 0..engine.plans.len() {
                let (a, b) = (whole.column(f), chunked.column(f));
                assert_eq!(a.text(i), b.text(i));
                assert_eq!(a.is_ascii(i), b.is_ascii(i));
                assert_eq!(a.date(i), b.date(i));
                assert_eq!(a.tokens(i), b.tokens(i));
                assert_eq!(a.nicknames(i), b.nicknames(i));
                assert_eq!(a.code(i, 0), b.code(i, 0));
                assert_eq!(a.frequency(i).to_bits(), b.frequency(i).to_bits());
            }
            for j in 0..whole.len().min(40) {
                assert_eq!(engine.score(&whole, i, j).1, engine.score(&chunked, i, j).1);
            }
        }
        let has_lists = (0..whole.len())
            .any(|i| (0..engine.plans.len()).any(|f| !whole.column(f).tokens(i).is_empty()));
        assert!(has_lists, "the profile should prepare token lists");
    }

    #[test]
    fn an_erased_record_reads_as_missing_and_its_neighbours_are_intact() {
        let (engine, records) = engine_and_records(20);
        let mut p = engine.prepare(&records).unwrap();
        let before = engine.prepare(&records).unwrap();
        p.erase(3);
        for f in 0..engine.plans.len() {
            let c = p.column(f);
            assert_eq!(c.text(3), "");
            assert_eq!((c.date(3), c.number(3), c.code(3, 0)), (None, None, 0));
            assert!(c.tokens(3).is_empty() && c.nicknames(3).is_empty());
            assert_eq!(c.frequency(3), 0.0);
            for i in [2, 4] {
                assert_eq!(c.text(i), before.column(f).text(i));
                assert_eq!(c.tokens(i), before.column(f).tokens(i));
            }
        }
        assert!(!p.column(0).text(2).is_empty());
    }
}
