//! Persistence: the resolver's whole state as serde data, and back.

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use super::blocks::BlockIndex;
use super::entities::{EntityTable, HouseholdTable};
use super::households::index_homes;
use super::links::LinkGraph;
use super::store::RecordStore;
use super::Resolver;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::explain::ManualDecision;
use crate::id::{EntityId, HouseholdId};
use crate::parallel;
use crate::record::{Record, SourceRef};

/// The whole state of a [`Resolver`], as plain serde data.
///
/// It holds the configuration (model included), every live record with its
/// entity id, the scored links between them and the id counter: restoring it
/// re-prepares the records and rebuilds the index without scoring any pair
/// again, so later decisions are identical. Removed records are absent: a
/// snapshot keeps nothing of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Snapshot {
    /// The configuration, model included.
    pub config: Config,
    /// Live records with their entity ids.
    pub records: Vec<SnapshotRecord>,
    /// Scored links at or above the review (or match) threshold, by record position.
    pub links: Vec<SnapshotLink>,
    /// The last entity id handed out (id 0 before the first).
    pub last_entity: EntityId,
    /// The last household id handed out (id 0 before the first).
    #[serde(default = "no_household")]
    pub last_household: HouseholdId,
    /// Data stewards' decisions, each pair once.
    #[serde(default)]
    pub decisions: Vec<(SourceRef, SourceRef, ManualDecision)>,
}

/// A record of a [`Snapshot`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SnapshotRecord {
    /// The record.
    pub record: Record,
    /// Its entity id.
    pub entity: EntityId,
    /// Its household id (absent from snapshots taken before households
    /// existed: restore then finds the households again).
    #[serde(default)]
    pub household: Option<HouseholdId>,
}

fn no_household() -> HouseholdId {
    HouseholdId::new(0)
}

/// A link of a [`Snapshot`], between record positions `a < b`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SnapshotLink {
    /// Position of one record in [`Snapshot::records`].
    pub a: u32,
    /// Position of the other.
    pub b: u32,
    /// The pair's match weight.
    pub weight: f64,
    /// Bit `r` set: the pair shares an uncapped block under rule `r`.
    pub rules: u32,
}

impl Resolver {
    /// The whole state, for persistence (see [`Snapshot`]).
    pub fn snapshot(&self) -> Snapshot {
        let live: Vec<u32> = self.records.live_slots().collect();
        let position: HashMap<u32, u32> =
            live.iter().enumerate().map(|(i, &s)| (s, i as u32)).collect();
        let records = live
            .iter()
            .map(|&s| SnapshotRecord {
                record: self.records.record(s).expect("live slot"),
                entity: self.live_entity(s),
                household: self.households.group_of(s),
            })
            .collect();
        let mut links = Vec::new();
        for &s in &live {
            for l in self.links.of(s) {
                let (a, b) = (position[&s], position[&l.other()]);
                if a < b {
                    links.push(SnapshotLink { a, b, weight: l.weight(), rules: l.rules() });
                }
            }
        }
        Snapshot {
            config: self.config.clone(),
            records,
            links,
            last_entity: self.entities.last_id(),
            last_household: self.households.last_id(),
            decisions: self.decisions.pairs(),
        }
    }

    /// Rebuilds a resolver from a snapshot: records are prepared and indexed
    /// again, links and entity ids are taken as saved (no pair is scored).
    /// Records are prepared on the configured threads while this thread checks
    /// and stores them, and the rules' block indexes are built on those threads
    /// too, each by sorting its (key, slot) pairs.
    ///
    /// # Errors
    /// As [`Resolver::new`] for the configuration; [`Error::DuplicateSource`] for
    /// a repeated record; [`Error::Snapshot`] for a link, a decision or an entity
    /// id that does not fit the records.
    pub fn restore(snapshot: Snapshot) -> Result<Resolver> {
        let mut resolver = Resolver::new(snapshot.config)?;
        let records = snapshot.records;
        let n = records.len();
        let households_missing = records.iter().any(|r| r.household.is_none());
        let engine = &resolver.engine;
        let (prepared, stored) = parallel::join(
            || engine.preparer().prepare(records.iter().map(|e| &e.record)),
            || {
                store_records(
                    &records,
                    (snapshot.last_entity, snapshot.last_household),
                    engine.preparer().field_count(),
                    &mut resolver.records,
                    (&mut resolver.entities, &mut resolver.households),
                )
            },
        );
        // A record's error comes first (the preparation stops at the same bad arity).
        stored?;
        resolver.prepared = prepared?;
        drop(records);
        resolver.blocks = BlockIndex::build(&resolver.engine, &resolver.prepared);
        resolver.homes = index_homes(&resolver.engine, &resolver.prepared);
        resolver.links = LinkGraph::with_slots(n);
        for (k, l) in snapshot.links.iter().enumerate() {
            if l.a >= l.b || l.b as usize >= n || !l.weight.is_finite() {
                return Err(Error::snapshot(
                    format!("links[{k}]"),
                    "a link must join two distinct records by position, with a finite weight",
                ));
            }
            resolver.links.link(l.a, l.b, l.weight, l.rules);
        }
        resolver.entities.resume_after(snapshot.last_entity);
        resolver.households.resume_after(snapshot.last_household);
        for (k, (a, b, d)) in snapshot.decisions.into_iter().enumerate() {
            if !resolver.records.contains(&a) || !resolver.records.contains(&b) || a == b {
                return Err(Error::snapshot(
                    format!("decisions[{k}]"),
                    "a decision must join two distinct stored records",
                ));
            }
            resolver.decisions.set(a, b, d);
        }
        if households_missing {
            // A snapshot from before households: find them (fresh ids for
            // the records that had none).
            let all: Vec<u32> = (0..n as u32).collect();
            resolver.rehouse(&all);
        }
        Ok(resolver)
    }
}

/// Restore's checks of the records, in order, and their storage: the record
/// store and the entities (not the prepared values).
fn store_records(
    records: &[SnapshotRecord],
    (last_entity, last_household): (EntityId, HouseholdId),
    fields: usize,
    store: &mut RecordStore,
    (entities, households): (&mut EntityTable, &mut HouseholdTable),
) -> Result<()> {
    store.reserve(records.len());
    entities.reserve(records.len());
    households.reserve(records.len());
    for (i, entry) in records.iter().enumerate() {
        let record = &entry.record;
        if record.len() != fields {
            return Err(Error::Arity {
                source_ref: record.source().to_string(),
                expected: fields,
                found: record.len(),
            });
        }
        if let Some(first) = store.slot_of(record.source()) {
            return Err(Error::DuplicateSource {
                source_ref: record.source().to_string(),
                first: first as usize,
                second: i,
            });
        }
        if entry.entity.get() == 0 || entry.entity > last_entity {
            return Err(Error::snapshot(
                format!("records[{i}].entity"),
                format!("entity id {} is not in 1..={last_entity}", entry.entity),
            ));
        }
        match entry.household {
            Some(h) if h.get() == 0 || h > last_household => {
                return Err(Error::snapshot(
                    format!("records[{i}].household"),
                    format!("household id {h} is not in 1..={last_household}"),
                ));
            }
            Some(h) => households.add_member_slot(h),
            None => households.add_slot(None),
        }
        entities.add_member_slot(entry.entity);
        store.push(record);
    }
    Ok(())
}
