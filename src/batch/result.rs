//! What a batch run returns: entities, links and run statistics.

use std::fmt;
use std::time::Duration;

use crate::block::CappedBlock;
use crate::cluster::Refusal;
use crate::compare::ComparisonVector;
use crate::id::{EntityId, HouseholdId};
use crate::prepare::Prepared;

/// One resolved person: the positions of its records in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Entity {
    /// The entity's id.
    pub id: EntityId,
    /// Positions of its records, ascending (in link mode, right records are offset by the left count).
    pub members: Vec<usize>,
}

/// A scored candidate pair.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct RefusedLink {
    /// The link.
    pub link: ScoredLink,
    /// Why it was refused.
    pub reason: Refusal,
}

/// Wall time of each stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// Households produced (groups of entities sharing a home).
    pub households: usize,
    /// Household keys shared by more records than the household cap (they join nobody).
    pub capped_household_keys: Vec<CappedBlock>,
    /// Worker threads used for comparing.
    pub threads: usize,
    /// Time per stage.
    pub timings: StageTimings,
}

impl fmt::Display for RunStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} records, {} candidate pairs, {} links ({} refused by the policy), {} in review, {} entities, {} households",
            self.records,
            self.candidate_pairs,
            self.links_above_threshold,
            self.links_refused,
            self.review_pairs,
            self.entities,
            self.households
        )?;
        let capped: usize = self.capped_blocks.iter().map(|c| c.records).sum();
        writeln!(
            f,
            "{} blocks capped ({} records in them), {} household keys capped, {} values truncated",
            self.capped_blocks.len(),
            capped,
            self.capped_household_keys.len(),
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
#[non_exhaustive]
pub struct BatchResult {
    /// Every entity, ordered by its first record; every input record is in exactly one.
    pub entities: Vec<Entity>,
    /// The entity of each input record, by position.
    pub entity_of: Vec<EntityId>,
    /// The household of each input record, by position: entities sharing a
    /// home (see [`crate::household`]); numbered from 0 by first record.
    pub household_of: Vec<HouseholdId>,
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
/// Made by [`Linker::prepare`](crate::Linker::prepare); used to score chosen pairs without a full run
/// (benchmarks, research, custom candidate generation).
#[derive(Debug, Clone)]
pub struct PreparedRecords {
    pub(super) inner: Prepared,
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
