//! Batch resolution: deduplicate one dataset or link two.
//!
//! [`Linker`] compiles a [`Config`] once, then runs the whole flow —
//! normalize, block, compare, score, decide, cluster — over a dataset
//! ([`Linker::dedupe`]) or a pair of datasets ([`Linker::link`], cross pairs
//! only). The compare and score stage runs on scoped standard-library
//! threads (one per core by default): blocks are independent, the pair loop
//! is CPU-bound and allocation-free, and threads pull blocks, largest first,
//! from a shared counter, so no extra dependency is needed to keep both
//! cores busy.
//!
//! ```
//! use personlink::{Config, Linker, Record, Schema, SourceRef};
//!
//! let config = Config::person_default();
//! let schema = config.schema.clone();
//! let person = |system: &str, id: &str, given: &str, surname: &str, dob: &str| -> personlink::Result<Record> {
//!     Ok(Record::builder(&schema, SourceRef::new(system, id))
//!         .set("given_name", given)?
//!         .set("surname", surname)?
//!         .set("date_of_birth", dob)?
//!         .set("postcode", "75011")?
//!         .build())
//! };
//! let records = vec![
//!     person("web", "1", "François", "Lefèvre", "1980-02-01")?,
//!     person("shop", "A7", "FRANCOIS", "LEFEVRE", "01/02/1980")?,
//!     person("crm", "9", "Marie", "Curie", "1967-11-07")?,
//! ];
//! let linker = Linker::new(config)?;
//! let result = linker.dedupe(&records)?;
//! assert_eq!(result.entities.len(), 2);
//! assert_eq!(result.entity_of[0], result.entity_of[1]);
//! assert_ne!(result.entity_of[0], result.entity_of[2]);
//! println!("{}", linker.explain(&records[0], &records[1])?);
//! # Ok::<(), personlink::Error>(())
//! ```

use std::cmp::Reverse;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::block::{Blocks, CappedBlock};
use crate::cluster::{cluster, Edge, Refusal};
use crate::compare::ComparisonVector;
use crate::config::Config;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::explain::{CapContribution, Decision, Explanation, FieldContribution};
use crate::model::match_probability;
use crate::prepare::Prepared;
use crate::record::{Record, SourceRef};

/// The id of an entity (a cluster of records judged to be one person).
///
/// In a batch result, entities are numbered from 0 in the order of their
/// first record in the input, so the same input gives the same ids. A
/// [`crate::Resolver`] hands out ids that stay stable across updates and are
/// never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EntityId(pub u64);

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One resolved person: the positions of its records in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// The entity's id.
    pub id: EntityId,
    /// Positions of its records, ascending (in link mode, right records are offset by the left count).
    pub members: Vec<usize>,
}

/// A scored candidate pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoredLink {
    /// Position of one record.
    pub a: usize,
    /// Position of the other record.
    pub b: usize,
    /// Match weight, prior included.
    pub weight: f64,
    /// Match probability.
    pub probability: f64,
    /// The level reached on every comparison.
    pub levels: ComparisonVector,
}

/// A link above the match threshold whose merge the policy refused.
#[derive(Debug, Clone, PartialEq)]
pub struct RefusedLink {
    /// The link.
    pub link: ScoredLink,
    /// Why it was refused.
    pub reason: Refusal,
}

/// Wall time of each stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimings {
    /// Normalizing and deriving features.
    pub prepare: Duration,
    /// Building keys and blocks.
    pub block: Duration,
    /// Comparing and scoring candidate pairs.
    pub compare: Duration,
    /// Ordering links and clustering.
    pub cluster: Duration,
    /// The whole run.
    pub total: Duration,
}

/// Counts and timings of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunStats {
    /// Input records.
    pub records: usize,
    /// Distinct candidate pairs compared.
    pub candidate_pairs: u64,
    /// Candidate pairs first found by each rule (rule name, count).
    pub pairs_by_rule: Vec<(String, u64)>,
    /// Blocks skipped for exceeding the size cap.
    pub capped_blocks: Vec<CappedBlock>,
    /// Values cut to the length cap.
    pub truncated_values: usize,
    /// Pairs at or above the match threshold.
    pub links_above_threshold: usize,
    /// Of those, the ones the policy refused.
    pub links_refused: usize,
    /// Pairs in the review band.
    pub review_pairs: usize,
    /// Entities produced.
    pub entities: usize,
    /// Worker threads used for comparing.
    pub threads: usize,
    /// Time per stage.
    pub timings: StageTimings,
}

impl fmt::Display for RunStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} records, {} candidate pairs, {} links ({} refused by the policy), {} in review, {} entities",
            self.records,
            self.candidate_pairs,
            self.links_above_threshold,
            self.links_refused,
            self.review_pairs,
            self.entities
        )?;
        let capped: usize = self.capped_blocks.iter().map(|c| c.records).sum();
        writeln!(
            f,
            "{} blocks capped ({} records in them), {} values truncated",
            self.capped_blocks.len(),
            capped,
            self.truncated_values
        )?;
        let t = &self.timings;
        write!(
            f,
            "time: prepare {:.3}s, block {:.3}s, compare+score {:.3}s on {} threads, cluster {:.3}s, total {:.3}s",
            t.prepare.as_secs_f64(),
            t.block.as_secs_f64(),
            t.compare.as_secs_f64(),
            self.threads,
            t.cluster.as_secs_f64(),
            t.total.as_secs_f64()
        )
    }
}

/// The outcome of a batch run.
#[derive(Debug, Clone)]
pub struct BatchResult {
    /// Every entity, ordered by its first record; every input record is in exactly one.
    pub entities: Vec<Entity>,
    /// The entity of each input record, by position.
    pub entity_of: Vec<EntityId>,
    /// Accepted links (at or above the match threshold and not refused), strongest first.
    pub links: Vec<ScoredLink>,
    /// Pairs in the review band, strongest first.
    pub review: Vec<ScoredLink>,
    /// Links the policy refused, with the reason.
    pub refused: Vec<RefusedLink>,
    /// Counts and timings.
    pub stats: RunStats,
}

/// Records normalized once, with their features, ready for pair scoring.
///
/// Made by [`Linker::prepare`]; used to score chosen pairs without a full run
/// (benchmarks, research, custom candidate generation).
#[derive(Debug, Clone)]
pub struct PreparedRecords {
    inner: Prepared,
}

impl PreparedRecords {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// True when there is no record.
    pub fn is_empty(&self) -> bool {
        self.inner.len() == 0
    }
}

/// Compiles a configuration once and resolves datasets with it.
#[derive(Debug)]
pub struct Linker {
    config: Config,
    engine: Engine,
}

/// Records ranked, prepared and blocked: what comparing and training start from.
#[derive(Debug)]
pub(crate) struct Staged {
    pub rank: Vec<u32>,
    pub prepared: Prepared,
    pub blocks: Blocks,
    pub capped_blocks: Vec<CappedBlock>,
    pub prepare_time: Duration,
    pub block_time: Duration,
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
    /// # Errors
    /// [`Error::Config`] or [`Error::Model`] naming the offending entry.
    pub fn new(config: Config) -> Result<Self> {
        let engine = Engine::new(&config)?;
        Ok(Linker { config, engine })
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Finds the duplicates within one dataset.
    ///
    /// # Errors
    /// [`Error::Arity`] when a record does not fit the schema, [`Error::DuplicateSource`]
    /// when two records share a source reference.
    pub fn dedupe(&self, records: &[Record]) -> Result<BatchResult> {
        self.run(records.iter().collect(), None)
    }

    /// Links two datasets: only pairs with one record on each side are compared.
    /// Positions in the result number `left` first, then `right` from `left.len()`.
    ///
    /// # Errors
    /// As [`Linker::dedupe`], over both datasets together.
    pub fn link(&self, left: &[Record], right: &[Record]) -> Result<BatchResult> {
        self.run(left.iter().chain(right).collect(), Some(left.len()))
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
    /// [`Error::Arity`] when a record does not fit the schema.
    pub fn prepare(&self, records: &[Record]) -> Result<PreparedRecords> {
        Ok(PreparedRecords { inner: self.engine.prepare(records)? })
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
        self.engine.score(&prepared.inner, i, j)
    }

    /// Explains the comparison of two records.
    ///
    /// # Errors
    /// [`Error::Arity`] when a record does not fit the schema.
    pub fn explain(&self, a: &Record, b: &Record) -> Result<Explanation> {
        let p = self.engine.prepare([a, b])?;
        Ok(explain_pair(&self.config, &self.engine, (&p, 0, a.source()), (&p, 1, b.source())))
    }

    /// Ranks, prepares and blocks the records of a run.
    pub(crate) fn stage(&self, records: &[&Record], left_len: Option<usize>) -> Result<Staged> {
        let n = records.len();
        if u32::try_from(n).is_err() {
            return Err(Error::config(
                "input",
                format!("{n} records, at most {} per run", u32::MAX),
            ));
        }
        let rank = source_ranks(records)?;
        let t = Instant::now();
        let prepared = self.engine.prepare(records.iter().copied())?;
        let prepare_time = t.elapsed();
        let t = Instant::now();
        let blocks =
            Blocks::build(&self.engine.rules, &prepared, self.engine.max_block_size, left_len);
        let capped_blocks = blocks
            .capped
            .iter()
            .map(|&(rule, first, size)| CappedBlock {
                rule: self.engine.rules[rule].name.clone(),
                key: self.engine.rules[rule].key_text(
                    &prepared,
                    first as usize,
                    &self.engine.encoder,
                ),
                records: size,
            })
            .collect();
        let block_time = t.elapsed();
        Ok(Staged { rank, prepared, blocks, capped_blocks, prepare_time, block_time })
    }

    /// The compiled configuration.
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    fn run(&self, records: Vec<&Record>, left_len: Option<usize>) -> Result<BatchResult> {
        let started = Instant::now();
        let n = records.len();
        let Staged { rank, prepared, blocks, capped_blocks, prepare_time, block_time } =
            self.stage(&records, left_len)?;

        let t = Instant::now();
        let (mut kept, pairs_by_rule, threads) =
            self.compare_blocks(&prepared, &blocks, &rank, left_len.is_some());
        let compare_time = t.elapsed();

        let t = Instant::now();
        kept.sort_unstable_by(|x, y| {
            y.weight
                .total_cmp(&x.weight)
                .then(rank[x.a as usize].cmp(&rank[y.a as usize]))
                .then(rank[x.b as usize].cmp(&rank[y.b as usize]))
        });
        let policy = &self.engine.policy;
        let above = kept.partition_point(|k| k.weight >= policy.match_weight);
        let edges: Vec<Edge> =
            kept[..above].iter().map(|k| Edge { a: k.a, b: k.b, forced: false }).collect();
        let clustering = cluster(n, &edges, policy, &prepared);
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
                entities.push(Entity { id: EntityId(entities.len() as u64), members: Vec::new() });
            }
            let e = root_entity[root];
            entities[e as usize].members.push(i);
            entity_of.push(EntityId(u64::from(e)));
        }
        let cluster_time = t.elapsed();

        let stats = RunStats {
            records: n,
            candidate_pairs: pairs_by_rule.iter().sum(),
            pairs_by_rule: self
                .engine
                .rules
                .iter()
                .map(|r| r.name.clone())
                .zip(pairs_by_rule)
                .collect(),
            capped_blocks,
            truncated_values: prepared.truncated_values,
            links_above_threshold: above,
            links_refused: refused.len(),
            review_pairs: review.len(),
            entities: entities.len(),
            threads,
            timings: StageTimings {
                prepare: prepare_time,
                block: block_time,
                compare: compare_time,
                cluster: cluster_time,
                total: started.elapsed(),
            },
        };
        Ok(BatchResult { entities, entity_of, links, review, refused, stats })
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
        let keep = self.engine.policy.keep_weight();
        let rules = self.engine.rules.len();
        let (parts, threads) = visit_candidates(
            blocks,
            rank,
            link,
            self.engine.threads,
            || (Vec::new(), vec![0u64; rules]),
            |(kept, counts): &mut (Vec<Kept>, Vec<u64>), rule, a, b| {
                counts[rule] += 1;
                if let Some((levels, weight)) =
                    self.engine.score_at_least(p, a as usize, b as usize, keep)
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

/// Runs `visit(state, rule, a, b)` on every candidate pair of `blocks` (each pair
/// once, under the first rule that finds it, oriented so that `rank[a] < rank[b]`),
/// on up to `threads` scoped threads that pull blocks largest first. Returns one
/// state per thread and the number of threads used.
pub(crate) fn visit_candidates<S: Send>(
    blocks: &Blocks,
    rank: &[u32],
    link: bool,
    threads: usize,
    init: impl Fn() -> S + Sync,
    visit: impl Fn(&mut S, usize, u32, u32) + Sync,
) -> (Vec<S>, usize) {
    let mut order: Vec<usize> = (0..blocks.blocks.len()).collect();
    order.sort_unstable_by_key(|&b| Reverse(blocks.block_pairs(&blocks.blocks[b], link)));
    let total_pairs: u64 = blocks.blocks.iter().map(|b| blocks.block_pairs(b, link)).sum();
    let threads = if total_pairs < 20_000 { 1 } else { threads.max(1) };
    let next = AtomicUsize::new(0);
    let work = || {
        let mut state = init();
        loop {
            let start = next.fetch_add(4, Ordering::Relaxed);
            if start >= order.len() {
                break;
            }
            for &bi in &order[start..(start + 4).min(order.len())] {
                let block = &blocks.blocks[bi];
                blocks.for_each_pair(block, link, |i, j| {
                    let (a, b) = if rank[i as usize] < rank[j as usize] { (i, j) } else { (j, i) };
                    visit(&mut state, block.rule, a, b);
                });
            }
        }
        state
    };
    let states = if threads == 1 {
        vec![work()]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            handles.into_iter().map(|h| h.join().expect("compare worker panicked")).collect()
        })
    };
    (states, threads)
}

/// Explains record `i` of one store against record `j` of another (or the same).
pub(crate) fn explain_pair(
    config: &Config,
    engine: &Engine,
    (pa, i, left): (&Prepared, usize, &SourceRef),
    (pb, j, right): (&Prepared, usize, &SourceRef),
) -> Explanation {
    let (levels, total) = engine.score_across(pa, i, pb, j);
    let adjust = engine.tf_adjustments_across(pa, i, pb, j, &levels);
    let mut fields = Vec::with_capacity(config.comparisons.len());
    for (k, (spec, compiled)) in config.comparisons.iter().zip(&engine.comparisons).enumerate() {
        let level = levels.levels()[k];
        fields.push(FieldContribution {
            field: spec.field.clone(),
            left: pa.column(compiled.field).text(i).to_owned(),
            right: pb.column(compiled.field).text(j).to_owned(),
            level,
            label: spec.level_labels()[usize::from(level)].clone(),
            weight: engine.weights.level_weight(k, level) + adjust[k],
            term_frequency_adjustment: adjust[k],
        });
    }
    let caps = config
        .model
        .caps
        .iter()
        .zip(engine.weights.cap_adjustments(&levels, &adjust))
        .map(|(cap, (group_weight, adjustment))| CapContribution {
            name: cap.name.clone(),
            group_weight,
            adjustment,
        })
        .collect();
    let policy = &engine.policy;
    Explanation {
        left: left.clone(),
        right: right.clone(),
        prior_weight: engine.weights.prior,
        fields,
        caps,
        total_weight: total,
        probability: match_probability(total),
        match_threshold: policy.match_weight,
        review_threshold: policy.review_weight,
        decision: decide(total, policy.match_weight, policy.review_weight),
        manual: None,
    }
}

fn decide(weight: f64, match_weight: f64, review_weight: Option<f64>) -> Decision {
    if weight >= match_weight {
        Decision::Match
    } else if review_weight.is_some_and(|r| weight >= r) {
        Decision::Review
    } else {
        Decision::NonMatch
    }
}

/// Each record's rank in source-reference order; fails on a repeated reference.
fn source_ranks(records: &[&Record]) -> Result<Vec<u32>> {
    let mut order: Vec<u32> = (0..records.len() as u32).collect();
    order.sort_unstable_by(|&x, &y| records[x as usize].source().cmp(records[y as usize].source()));
    for w in order.windows(2) {
        let (x, y) = (w[0] as usize, w[1] as usize);
        if records[x].source() == records[y].source() {
            return Err(Error::DuplicateSource {
                source_ref: records[x].source().to_string(),
                first: x.min(y),
                second: x.max(y),
            });
        }
    }
    let mut rank = vec![0u32; records.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    Ok(rank)
}
