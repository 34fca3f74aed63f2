//! Compiling a configuration: the one place a [`Config`] becomes the stages
//! that run it.
//!
//! [`Engine::compile`] validates every part of the configuration (each error
//! names the offending entry) and builds the stage types in data-flow order:
//! the [`Preparer`] (each field's normalizer chain, the chains of source
//! systems with settings of their own, and the features the later stages
//! read), the [`Blocker`] (the blocking rules), the [`Scorer`] (comparisons
//! and the model's weights) and the [`Policy`] (thresholds,
//! must-not-link rules, size cap), and the [`Householder`] (household keys).
//! The batch linker, training and the resolver
//! all run on an `Engine` and call its stages' methods; none reads another
//! stage's internals.

use crate::block::Blocker;
use crate::cluster::Policy;
use crate::compare::CompiledComparison;
use crate::config::{Config, Reached};
use crate::error::{Error, Result};
use crate::household::Householder;
use crate::normalize::{NicknameTable, Pipeline};
use crate::parallel;
use crate::prepare::{FieldFeatures, FieldPlan, FrequencyLookup, Preparer, SourcePipelines};
use crate::score::Scorer;

/// A configuration compiled once: the stages of a run, ready to use.
#[derive(Debug)]
pub(crate) struct Engine {
    preparer: Preparer,
    blocker: Blocker,
    scorer: Scorer,
    policy: Policy,
    householder: Householder,
    threads: usize,
}

impl Engine {
    /// Validates `config` and compiles its stages.
    ///
    /// # Errors
    /// [`Error::Config`] or [`Error::Model`] naming the first offending entry.
    pub(crate) fn compile(config: &Config) -> Result<Self> {
        config.check_counts()?;
        let schema = &config.schema;
        let mut features = vec![FieldFeatures::default(); schema.len()];
        let comparisons = config
            .comparisons
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                CompiledComparison::compile(
                    spec,
                    schema,
                    &mut features,
                    &format!("comparisons[{i}]"),
                )
            })
            .collect::<Result<Vec<_>>>()?;
        let blocker = Blocker::compile(&config.blocking, schema, &mut features)?;
        config.model.validate(&config.comparisons)?;
        let policy = Policy::compile(&config.policy, schema)?;
        let householder = Householder::compile(&config.households, schema, &mut features)?;
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
                .map(|t| {
                    let counts = t.counts.iter().map(|(k, &v)| (k.as_str(), v));
                    FrequencyLookup::of(
                        &t.field,
                        counts,
                        t.total,
                        config.model.frequency_key.as_ref(),
                    )
                });
            plans.push(FieldPlan {
                pipeline,
                features: features[f].clone(),
                max_len: config.max_value_len,
                frequencies,
                fallback: schema.fallback_ids(def).map(|g| g.index()).collect(),
            });
        }
        let sources = compile_sources(config)?;
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
        let threads = parallel::thread_count(config.threads);
        let scorer = Scorer::new(comparisons, &config.comparisons, &config.model, |f| {
            plans[f].frequencies.is_some()
        });
        Ok(Engine {
            preparer: Preparer::new(plans, sources, nicknames, threads),
            blocker,
            scorer,
            policy,
            householder,
            threads,
        })
    }

    /// The prepare stage.
    pub(crate) fn preparer(&self) -> &Preparer {
        &self.preparer
    }

    /// The prepare stage, to forget erased values in its frequency tables.
    pub(crate) fn preparer_mut(&mut self) -> &mut Preparer {
        &mut self.preparer
    }

    /// The blocking stage.
    pub(crate) fn blocker(&self) -> &Blocker {
        &self.blocker
    }

    /// The compare and score stage.
    pub(crate) fn scorer(&self) -> &Scorer {
        &self.scorer
    }

    /// The decide and cluster stage.
    pub(crate) fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The household stage.
    pub(crate) fn householder(&self) -> &Householder {
        &self.householder
    }

    /// Worker threads of the parallel stages.
    pub(crate) fn threads(&self) -> usize {
        self.threads
    }
}

/// The pipelines of the source systems with settings ([`Config::sources`]),
/// for the fields where they differ from the configuration's own.
///
/// # Errors
/// [`Error::Config`] at `sources` for an empty system name, and at
/// `sources.{system}.country` (or `.date_order`) for a setting that no
/// field's chain has a step to apply.
fn compile_sources(config: &Config) -> Result<SourcePipelines> {
    let mut systems = Vec::with_capacity(config.sources.len());
    for (system, settings) in &config.sources {
        if system.trim().is_empty() {
            return Err(Error::config("sources", "a source system name is empty"));
        }
        let mut reached = Reached::default();
        let mut fields = Vec::with_capacity(config.schema.len());
        for def in config.schema.fields() {
            let own = config.chain_of(&def.name, def.kind);
            let mut chain = own.clone();
            let r = settings.apply(&mut chain);
            reached.phones += r.phones;
            reached.dates += r.dates;
            fields.push(if chain == own {
                None
            } else {
                Some(Pipeline::from_specs(&chain, &format!("normalizers.{}", def.name))?)
            });
        }
        if let (Some(country), 0) = (settings.country, reached.phones) {
            return Err(Error::config(
                format!("sources.{system}.country"),
                format!(
                    "no field's normalizer chain has a phone step to read numbers in {country}"
                ),
            ));
        }
        if let (Some(_), 0) = (settings.date_order, reached.dates) {
            return Err(Error::config(
                format!("sources.{system}.date_order"),
                "no field's normalizer chain has a date step",
            ));
        }
        systems.push((system.clone(), fields));
    }
    Ok(SourcePipelines::new(systems))
}

impl Config {
    /// Checks every part of the configuration, exactly as compiling it for a
    /// run does ([`crate::Linker::new`], [`crate::Resolver::new`]).
    ///
    /// ```
    /// use personlink::Config;
    /// let mut config = Config::person_default();
    /// config.validate()?;
    /// config.max_value_len = 0;
    /// assert!(config.validate().unwrap_err().to_string().contains("max_value_len"));
    /// # Ok::<(), personlink::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] or [`Error::Model`] naming the first offending entry.
    pub fn validate(&self) -> Result<()> {
        Engine::compile(self).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::model::TermFrequencies;
    use crate::record::{FieldKind, Record, Schema, SourceRef};
    use crate::synth::{generate, SynthConfig};

    fn engine_and_records(people: usize) -> (Engine, Vec<Record>) {
        let records = generate(&SynthConfig::new(11, people)).records;
        (Engine::compile(&Config::person_default()).unwrap(), records)
    }

    /// The value counts of the fields compared with `term_frequency` set.
    fn frequency_tables(engine: &Engine, records: &[Record]) -> Vec<TermFrequencies> {
        let config = Config::person_default();
        let p = engine.preparer().prepare(records).unwrap();
        let mut tables = Vec::new();
        for spec in config.comparisons.iter().filter(|c| c.term_frequency) {
            let col = p.column(config.schema.require(&spec.field).unwrap().index());
            let mut counts = std::collections::BTreeMap::new();
            for i in (0..p.len()).filter(|&i| !col.text(i).is_empty()) {
                *counts.entry(col.text(i).to_owned()).or_insert(0u64) += 1;
            }
            let total = counts.values().sum();
            tables.push(TermFrequencies { field: spec.field.clone(), total, counts });
        }
        tables
    }

    #[test]
    fn early_exit_scoring_keeps_exactly_the_pairs_at_or_above_the_floor() {
        let (engine, records) = engine_and_records(150);
        // The same with term frequencies (and their lifts) and another prior.
        let mut model = Config::person_default().model;
        model.term_frequencies = frequency_tables(&engine, &records);
        model.prior = 1e-3;
        assert_eq!(model.term_frequencies.len(), 3);
        let tf_engine = Engine::compile(&Config::person_default().with_model(model)).unwrap();
        for engine in [engine, tf_engine] {
            check_early_exit(&engine, &records);
        }
    }

    fn check_early_exit(engine: &Engine, records: &[Record]) {
        let p = engine.preparer().prepare(records).unwrap();
        let scorer = engine.scorer();
        let n = p.len().min(220);
        let (mut kept, mut dropped) = (0, 0);
        for floor in [-30.0, -4.25, 0.0, 7.5, 25.0] {
            for i in 0..n {
                for j in 0..n {
                    let (v, w) = scorer.score(&p, i, j);
                    match scorer.score_at_least(&p, i, j, floor) {
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
    fn preparing_on_several_threads_gives_the_records_prepared_on_one() {
        // Enough records for three chunks of at least 4096.
        let records = generate(&SynthConfig::new(11, 7000)).records;
        assert!(records.len() > 3 * 4096, "{}", records.len());
        let one = Engine::compile(&Config::person_default().with_threads(1)).unwrap();
        let three = Engine::compile(&Config::person_default().with_threads(3)).unwrap();
        let (whole, chunked) = (
            one.preparer().prepare(&records).unwrap(),
            three.preparer().prepare(&records).unwrap(),
        );
        assert_eq!(chunked.len(), whole.len());
        assert_eq!(chunked.truncated_values, whole.truncated_values);
        let fields = one.preparer().field_count();
        for i in 0..whole.len() {
            for f in 0..fields {
                let (a, b) = (whole.column(f), chunked.column(f));
                assert_eq!(a.text(i), b.text(i));
                assert_eq!(a.is_ascii(i), b.is_ascii(i));
                assert_eq!(a.date(i), b.date(i));
                assert_eq!(a.tokens(i), b.tokens(i));
                assert_eq!(a.nicknames(i), b.nicknames(i));
                assert_eq!(a.code(i, 0), b.code(i, 0));
                assert_eq!(a.frequency(i).to_bits(), b.frequency(i).to_bits());
            }
        }
        let scorer = one.scorer();
        for i in (0..whole.len()).step_by(97) {
            for j in (0..whole.len()).step_by(89) {
                assert_eq!(scorer.score(&whole, i, j).1, scorer.score(&chunked, i, j).1);
            }
        }
        let has_lists =
            (0..whole.len()).any(|i| (0..fields).any(|f| !whole.column(f).tokens(i).is_empty()));
        assert!(has_lists, "the profile should prepare token lists");
    }

    #[test]
    fn an_erased_record_reads_as_missing_and_its_neighbours_are_intact() {
        let (engine, records) = engine_and_records(20);
        let preparer = engine.preparer();
        let mut p = preparer.prepare(&records).unwrap();
        let before = preparer.prepare(&records).unwrap();
        p.erase(3);
        for f in 0..preparer.field_count() {
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

    #[test]
    fn a_record_of_the_wrong_arity_is_a_typed_error() {
        let (engine, records) = engine_and_records(3);
        let short = Record::from_values(
            &Schema::builder().field("x", FieldKind::Text).build().unwrap(),
            SourceRef::new("s", "1"),
            vec![None],
        )
        .unwrap();
        let all: Vec<&Record> = records.iter().chain([&short]).collect();
        assert!(matches!(engine.preparer().prepare(all), Err(Error::Arity { found: 1, .. })));
    }
}
