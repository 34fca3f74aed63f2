//! A configuration compiled once: pipelines, features, rules, weights, policy.

use crate::block::CompiledRule;
use crate::cluster::CompiledPolicy;
use crate::compare::{
    ComparisonVector, CompiledComparison, FieldFeatures, NicknameTable, MAX_COMPARISONS,
};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::WeightTable;
use crate::normalize::Pipeline;
use crate::phonetic::PhoneticEncoder;
use crate::prepare::{FieldPlan, FrequencyLookup, Prepared, Scratch};
use crate::record::Record;

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
        let tf = comparisons
            .iter()
            .enumerate()
            .filter_map(|(k, c)| {
                let level = c.tf_level?;
                plans[c.field].frequencies.as_ref()?;
                Some((k, level, config.model.comparisons[k].levels[usize::from(level) - 1].u))
            })
            .collect();
        Ok(Engine {
            tf,
            tf_floor: config.model.tf_min_frequency,
            plans,
            comparisons,
            rules,
            weights: WeightTable::new(&config.model),
            policy,
            encoder: PhoneticEncoder::new(),
            nicknames,
            max_block_size: config.blocking.max_block_size,
            threads,
        })
    }

    /// Prepares records, checking each one's arity against the schema.
    pub fn prepare<'r>(&self, records: impl IntoIterator<Item = &'r Record>) -> Result<Prepared> {
        let mut p = Prepared::new(&self.plans);
        let mut scratch = Scratch::default();
        for r in records {
            if r.len() != self.plans.len() {
                return Err(Error::Arity {
                    source_ref: r.source().to_string(),
                    expected: self.plans.len(),
                    found: r.len(),
                });
            }
            p.push(r, &self.plans, &self.encoder, &self.nicknames, &mut scratch);
        }
        Ok(p)
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
        let w = if self.tf.is_empty() {
            self.weights.score(&v)
        } else {
            self.weights.score_adjusted(&v, &self.tf_adjustments_across(pa, i, pb, j, &v))
        };
        (v, w)
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
                let field = self.comparisons[k].field;
                let f = f64::from(pa.column(field).frequency(i).max(pb.column(field).frequency(j)));
                if f > 0.0 {
                    adjust[k] = (u / f.max(self.tf_floor)).log2();
                }
            }
        }
        adjust
    }
}
