//! A configuration compiled once: pipelines, features, rules, weights, policy.

use crate::block::CompiledRule;
use crate::cluster::CompiledPolicy;
use crate::compare::{ComparisonVector, CompiledComparison, FieldFeatures, NicknameTable};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::WeightTable;
use crate::normalize::Pipeline;
use crate::phonetic::PhoneticEncoder;
use crate::prepare::{FieldPlan, Prepared, Scratch};
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
            plans.push(FieldPlan {
                pipeline,
                features: features[f].clone(),
                max_len: config.max_value_len,
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
        Ok(Engine {
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
        let mut v = ComparisonVector::new(self.comparisons.len());
        for (k, c) in self.comparisons.iter().enumerate() {
            v.set(k, c.evaluate(p, i, j));
        }
        v
    }

    /// Compares and scores records `i` and `j`.
    #[inline]
    pub fn score(&self, p: &Prepared, i: usize, j: usize) -> (ComparisonVector, f64) {
        let v = self.compare(p, i, j);
        let w = self.weights.score(&v);
        (v, w)
    }
}
