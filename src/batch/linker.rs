//! The batch linker: a configuration compiled once, run over datasets.

use std::fmt;
use std::time::Instant;

use super::candidates::{visit_candidates, Staged};
use super::result::{
    BatchResult, Entity, PreparedRecords, RefusedLink, RunStats, ScoredLink, StageTimings,
};
use super::staging::{Signature, StagedRecords};
use crate::block::Blocks;
use crate::cluster::{cluster, Edge};
use crate::compare::ComparisonVector;
use crate::config::Config;
use crate::engine::Engine;
use crate::error::Result;
use crate::explain::{explain_pair, Explanation};
use crate::id::{EntityId, HouseholdId};
use crate::model::match_probability;
use crate::prepare::Prepared;
use crate::record::Record;

/// Compiles a configuration once and resolves datasets with it.
pub struct Linker {
    config: Config,
    engine: Engine,
    signature: Signature,
}

/// A summary, not the whole compiled configuration (nickname tables, model…).
impl fmt::Debug for Linker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Linker")
            .field("fields", &self.config.schema.len())
            .field("blocking_rules", &self.engine.blocker().rule_count())
            .field("comparisons", &self.engine.scorer().comparison_count())
            .field("match_weight", &self.engine.policy().match_weight())
            .field("threads", &self.engine.threads())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy)]
struct Kept {
    a: u32,
    b: u32,
    weight: f64,
    levels: ComparisonVector,
}

impl Linker {
    /// Validates and compiles `config`.
    ///
    /// ```
    /// use personlink::{Config, Linker};
    /// let linker = Linker::new(Config::person_default())?;
    /// let shown = format!("{linker:?}");
    /// assert!(shown.starts_with("Linker { fields: 14, blocking_rules: 15"), "{shown}");
    /// # Ok::<(), personlink::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`](crate::Error::Config) or [`Error::Model`](crate::Error::Model)
    /// naming the offending entry.
    pub fn new(config: Config) -> Result<Self> {
        let engine = Engine::compile(&config)?;
        let signature = Signature::of(&config, &engine);
        Ok(Linker { config, engine, signature })
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Finds the duplicates within one dataset.
    ///
    /// # Errors
    /// [`Error::Arity`](crate::Error::Arity) when a record does not fit the schema,
    /// [`Error::DuplicateSource`](crate::Error::DuplicateSource) when two records share a
    /// source reference.
    pub fn dedupe(&self, records: &[Record]) -> Result<BatchResult> {
        Ok(self.run_on(&self.stage(records)?.staged, None))
    }

    /// Links two datasets: only pairs with one record on each side are compared.
    /// Positions in the result number `left` first, then `right` from `left.len()`.
    ///
    /// # Errors
    /// As [`Linker::dedupe`], over both datasets together.
    pub fn link(&self, left: &[Record], right: &[Record]) -> Result<BatchResult> {
        Ok(self.run_on(&self.stage_link(left, right)?.staged, Some(left.len())))
    }

    /// Ranks, normalizes, keys and blocks one dataset once, for
    /// [`Linker::train_staged`] and [`Linker::run_staged`] (see [`StagedRecords`]).
    ///
    /// # Errors
    /// As [`Linker::dedupe`].
    pub fn stage(&self, records: &[Record]) -> Result<StagedRecords> {
        self.staged_records(&records.iter().collect::<Vec<_>>(), None)
    }

    /// Ranks, normalizes, keys and blocks two datasets to link, once (see
    /// [`StagedRecords`]); positions number `left` first, as in [`Linker::link`].
    ///
    /// # Errors
    /// As [`Linker::link`].
    pub fn stage_link(&self, left: &[Record], right: &[Record]) -> Result<StagedRecords> {
        self.staged_records(&left.iter().chain(right).collect::<Vec<_>>(), Some(left.len()))
    }

    /// Resolves staged records with this linker's model and policy: the result
    /// of [`Linker::dedupe`] (or [`Linker::link`]) on the staged records. The
    /// value frequencies of this linker's model replace those the records were
    /// staged with. The stage timings report the staging's prepare and block
    /// times (paid once, shared with training) and the time spent here.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when the
    /// records were staged by a linker that normalizes or blocks otherwise.
    pub fn run_staged(&self, staged: &mut StagedRecords) -> Result<BatchResult> {
        staged.signature.check_serves(&self.signature)?;
        let t = Instant::now();
        self.engine.preparer().refill_frequencies(&mut staged.staged.prepared);
        staged.staged.prepare_time += t.elapsed();
        Ok(self.run_on(&staged.staged, staged.left_len))
    }

    fn staged_records(
        &self,
        records: &[&Record],
        left_len: Option<usize>,
    ) -> Result<StagedRecords> {
        Ok(StagedRecords {
            staged: Staged::new(&self.engine, records, left_len)?,
            left_len,
            signature: self.signature.clone(),
        })
    }

    /// Checks that `staged` was staged by a linker that normalizes and blocks
    /// as this one, and returns its inner staging.
    pub(crate) fn staged_inner<'s>(&self, staged: &'s StagedRecords) -> Result<&'s Staged> {
        staged.signature.check_serves(&self.signature)?;
        Ok(&staged.staged)
    }

    /// Normalizes records and computes their features, once.
    ///
    /// ```
    /// use personlink::{Config, Linker, Record, SourceRef};
    /// let config = Config::person_default();
    /// let s = config.schema.clone();
    /// let a = Record::builder(&s, SourceRef::new("web", "1")).set("surname", "Dupont")?.build();
    /// let b = Record::builder(&s, SourceRef::new("shop", "2")).set("surname", "DUPONT")?.build();
    /// let linker = Linker::new(config)?;
    /// let prepared = linker.prepare(&[a, b])?;
    /// let (levels, weight) = linker.score_pair(&prepared, 0, 1);
    /// assert_eq!(levels.levels()[1], 1); // surname: exact
    /// assert!(weight.is_finite());
    /// # Ok::<(), personlink::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Arity`](crate::Error::Arity) when a record does not fit the schema.
    pub fn prepare(&self, records: &[Record]) -> Result<PreparedRecords> {
        Ok(PreparedRecords { inner: self.engine.preparer().prepare(records)? })
    }

    /// Compares and scores records `i` and `j` of `prepared`: the level of each
    /// comparison and the match weight. Allocation-free.
    ///
    /// # Panics
    /// When `i` or `j` is out of range.
    pub fn score_pair(
        &self,
        prepared: &PreparedRecords,
        i: usize,
        j: usize,
    ) -> (ComparisonVector, f64) {
        self.engine.scorer().score(&prepared.inner, i, j)
    }

    /// Explains the comparison of two records.
    ///
    /// # Errors
    /// [`Error::Arity`](crate::Error::Arity) when a record does not fit the schema.
    pub fn explain(&self, a: &Record, b: &Record) -> Result<Explanation> {
        let p = self.engine.preparer().prepare([a, b])?;
        let engine = &self.engine;
        Ok(explain_pair(
            engine.scorer(),
            engine.policy(),
            engine.householder(),
            (&p, 0, a.source()),
            (&p, 1, b.source()),
        ))
    }

    /// The compiled configuration.
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Compares, scores and clusters staged records.
    fn run_on(&self, staged: &Staged, left_len: Option<usize>) -> BatchResult {
        let started = Instant::now();
        let Staged { rank, prepared, blocks, capped_blocks, prepare_time, block_time } = staged;
        let (prepare_time, block_time) = (*prepare_time, *block_time);
        let n = prepared.len();

        let t = Instant::now();
        let (mut kept, pairs_by_rule, threads) =
            self.compare_blocks(prepared, blocks, rank, left_len.is_some());
        let compare_time = t.elapsed();

        let t = Instant::now();
        kept.sort_unstable_by(|x, y| {
            y.weight
                .total_cmp(&x.weight)
                .then(rank[x.a as usize].cmp(&rank[y.a as usize]))
                .then(rank[x.b as usize].cmp(&rank[y.b as usize]))
        });
        let policy = self.engine.policy();
        let above = kept.partition_point(|k| k.weight >= policy.match_weight());
        let edges: Vec<Edge> =
            kept[..above].iter().map(|k| Edge { a: k.a, b: k.b, forced: false }).collect();
        let clustering = cluster(n, &edges, policy, prepared);
        let mut uf = clustering.uf;
        let to_link = |k: &Kept| ScoredLink {
            a: k.a as usize,
            b: k.b as usize,
            weight: k.weight,
            probability: match_probability(k.weight),
            levels: k.levels,
        };
        let mut links = Vec::with_capacity(above);
        let mut refused = Vec::new();
        for (k, refusal) in kept[..above].iter().zip(clustering.refusals) {
            match refusal {
                None => links.push(to_link(k)),
                Some(reason) => refused.push(RefusedLink { link: to_link(k), reason }),
            }
        }
        let review: Vec<ScoredLink> = kept[above..].iter().map(to_link).collect();
        let mut entity_of = Vec::with_capacity(n);
        let mut entities: Vec<Entity> = Vec::new();
        let mut root_entity = vec![u32::MAX; n];
        for i in 0..n {
            let root = uf.find(i);
            if root_entity[root] == u32::MAX {
                root_entity[root] = entities.len() as u32;
                entities
                    .push(Entity { id: EntityId::new(entities.len() as u64), members: Vec::new() });
            }
            let e = root_entity[root];
            entities[e as usize].members.push(i);
            entity_of.push(EntityId::new(u64::from(e)));
        }
        let entity_numbers: Vec<u32> = entity_of.iter().map(|e| e.get() as u32).collect();
        let homes = self.engine.householder().assign(
            prepared,
            &entity_numbers,
            self.engine.preparer().encoder(),
        );
        let household_of: Vec<HouseholdId> =
            homes.of_record.iter().map(|&h| HouseholdId::new(u64::from(h))).collect();
        let households = homes.of_record.iter().max().map_or(0, |&h| h as usize + 1);
        let cluster_time = t.elapsed();

        let stats = RunStats {
            records: n,
            candidate_pairs: pairs_by_rule.iter().sum(),
            pairs_by_rule: self
                .engine
                .blocker()
                .rule_names()
                .map(str::to_owned)
                .zip(pairs_by_rule)
                .collect(),
            capped_blocks: capped_blocks.clone(),
            truncated_values: prepared.truncated_values,
            links_above_threshold: above,
            links_refused: refused.len(),
            review_pairs: review.len(),
            entities: entities.len(),
            households,
            capped_household_keys: homes.capped,
            threads,
            timings: StageTimings {
                prepare: prepare_time,
                block: block_time,
                compare: compare_time,
                cluster: cluster_time,
                total: prepare_time + block_time + started.elapsed(),
            },
        };
        BatchResult { entities, entity_of, household_of, links, review, refused, stats }
    }

    /// Compares every candidate pair on the engine's threads; keeps the pairs at
    /// or above the review (or match) threshold, oriented by source rank.
    fn compare_blocks(
        &self,
        p: &Prepared,
        blocks: &Blocks,
        rank: &[u32],
        link: bool,
    ) -> (Vec<Kept>, Vec<u64>, usize) {
        let keep = self.engine.policy().keep_weight();
        let rules = self.engine.blocker().rule_count();
        let scorer = self.engine.scorer();
        let (parts, threads) = visit_candidates(
            blocks,
            rank,
            link,
            self.engine.threads(),
            || (Vec::new(), vec![0u64; rules]),
            |(kept, counts): &mut (Vec<Kept>, Vec<u64>), rule, a, b| {
                counts[rule] += 1;
                if let Some((levels, weight)) =
                    scorer.score_at_least(p, a as usize, b as usize, keep)
                {
                    kept.push(Kept { a, b, weight, levels });
                }
            },
        );
        let mut kept = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum());
        let mut counts = vec![0u64; rules];
        for (k, c) in parts {
            kept.extend(k);
            for (t, x) in counts.iter_mut().zip(c) {
                *t += x;
            }
        }
        (kept, counts, threads)
    }
}
