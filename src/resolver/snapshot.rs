//! Persistence: the resolver's whole state as serde data, and back.

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use super::store::{Link, Slot, SourceIndex, Store, StoredRecord, Systems};
use super::Resolver;
use crate::config::Config;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::explain::ManualDecision;
use crate::parallel;
use crate::prepare::Prepared;
use crate::record::{Record, SourceRef};

/// The whole state of a [`Resolver`], as plain serde data.
///
/// It holds the configuration (model included), every live record with its
/// entity id, the scored links between them and the id counter: restoring it
/// re-prepares the records and rebuilds the index without scoring any pair
/// again, so later decisions are identical. Removed records are absent: a
/// snapshot keeps nothing of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The configuration, model included.
    pub config: Config,
    /// Live records with their entity ids.
    pub records: Vec<SnapshotRecord>,
    /// Scored links at or above the review (or match) threshold, by record position.
    pub links: Vec<SnapshotLink>,
    /// The last entity id handed out.
    pub last_entity: u64,
    /// Data stewards' decisions, each pair once.
    #[serde(default)]
    pub decisions: Vec<(SourceRef, SourceRef, ManualDecision)>,
}

/// A record of a [`Snapshot`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotRecord {
    /// The record.
    pub record: Record,
    /// Its entity id.
    pub entity: u64,
}

/// A link of a [`Snapshot`], between record positions `a < b`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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
        let live: Vec<u32> = (0..self.slots.len() as u32)
            .filter(|&s| self.slots[s as usize].record.is_some())
            .collect();
        let position: HashMap<u32, u32> =
            live.iter().enumerate().map(|(i, &s)| (s, i as u32)).collect();
        let records = live
            .iter()
            .map(|&s| {
                let slot = &self.slots[s as usize];
                SnapshotRecord {
                    record: slot.record.as_ref().expect("live").to_record(&self.systems),
                    entity: slot.entity,
                }
            })
            .collect();
        let mut links = Vec::new();
        for &s in &live {
            for l in &self.links[s as usize] {
                let (a, b) = (position[&s], position[&l.other]);
                if a < b {
                    links.push(SnapshotLink { a, b, weight: l.weight, rules: l.rules });
                }
            }
        }
        let mut decisions: Vec<(SourceRef, SourceRef, ManualDecision)> = self
            .decisions
            .iter()
            .flat_map(|(a, list)| {
                list.iter()
                    .filter(move |(b, _)| a < b)
                    .map(move |(b, d)| (a.clone(), b.clone(), *d))
            })
            .collect();
        decisions.sort();
        Snapshot {
            config: self.config.clone(),
            records,
            links,
            last_entity: self.next_entity,
            decisions,
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
        let engine = &resolver.engine;
        let (prepared, stored) = parallel::join(
            || engine.preparer().prepare(records.iter().map(|e| &e.record)),
            || {
                store_records(
                    &records,
                    snapshot.last_entity,
                    engine.preparer().field_count(),
                    &mut resolver.slots,
                    &mut resolver.systems,
                    &mut resolver.by_source,
                    &mut resolver.entities,
                )
            },
        );
        // A record's error comes first (the preparation stops at the same bad arity).
        stored?;
        resolver.prepared = prepared?;
        drop(records);
        index_blocks(&resolver.engine, &resolver.prepared, &mut resolver.blocks);
        resolver.links.resize_with(n, SmallVec::new);
        for (k, l) in snapshot.links.iter().enumerate() {
            if l.a >= l.b || l.b as usize >= n || !l.weight.is_finite() {
                return Err(Error::snapshot(
                    format!("links[{k}]"),
                    "a link must join two distinct records by position, with a finite weight",
                ));
            }
            resolver.links[l.a as usize].push(Link {
                other: l.b,
                weight: l.weight,
                rules: l.rules,
            });
            resolver.links[l.b as usize].push(Link {
                other: l.a,
                weight: l.weight,
                rules: l.rules,
            });
        }
        resolver.next_entity = snapshot.last_entity;
        for (k, (a, b, d)) in snapshot.decisions.into_iter().enumerate() {
            if !resolver.by_source.contains(&a, resolver.store())
                || !resolver.by_source.contains(&b, resolver.store())
                || a == b
            {
                return Err(Error::snapshot(
                    format!("decisions[{k}]"),
                    "a decision must join two distinct stored records",
                ));
            }
            resolver.set_decision(a, b, d);
        }
        Ok(resolver)
    }
}

/// Restore's checks of the records, in order, and their storage: slots, the
/// system table, the source index and the entities (not the prepared values).
fn store_records(
    records: &[SnapshotRecord],
    last_entity: u64,
    fields: usize,
    slots: &mut Vec<Slot>,
    systems: &mut Systems,
    by_source: &mut SourceIndex,
    entities: &mut HashMap<u64, SmallVec<[u32; 2]>>,
) -> Result<()> {
    slots.reserve_exact(records.len());
    by_source.reserve(records.len());
    entities.reserve(records.len() / 2);
    for (i, entry) in records.iter().enumerate() {
        let record = &entry.record;
        if record.len() != fields {
            return Err(Error::Arity {
                source_ref: record.source().to_string(),
                expected: fields,
                found: record.len(),
            });
        }
        if let Some(first) = by_source.get(record.source(), Store { slots, systems }) {
            return Err(Error::DuplicateSource {
                source_ref: record.source().to_string(),
                first: first as usize,
                second: i,
            });
        }
        if entry.entity == 0 || entry.entity > last_entity {
            return Err(Error::snapshot(
                format!("records[{i}].entity"),
                format!("entity id {} is not in 1..={last_entity}", entry.entity),
            ));
        }
        let s = i as u32;
        entities.entry(entry.entity).or_default().push(s);
        let system = systems.intern(&record.source().system);
        slots.push(Slot { record: Some(StoredRecord::new(record, system)), entity: entry.entity });
        by_source.insert(s, Store { slots, systems });
    }
    Ok(())
}

/// Rebuilds every rule's block index from the prepared records, on the engine's
/// threads, which take the rules one at a time: each collects the rule's
/// (key, slot) pairs, sorts them so equal keys run in slot order, and builds
/// the map once, at its exact size, each key inserted with its whole list.
fn index_blocks(
    engine: &Engine,
    prepared: &Prepared,
    blocks: &mut [HashMap<u64, SmallVec<[u32; 2]>>],
) {
    let blocker = engine.blocker();
    let built = parallel::run(engine.threads(), blocker.rule_count(), |jobs| {
        let (mut buf, mut pairs) = (Vec::new(), Vec::with_capacity(prepared.len()));
        let mut done = Vec::new();
        while let Some(r) = jobs.next() {
            pairs.clear();
            for i in 0..prepared.len() {
                let key = blocker.key(r, prepared, i, &mut buf);
                if key != 0 {
                    pairs.push((key, i as u32));
                }
            }
            pairs.sort_unstable();
            let runs = || pairs.chunk_by(|a, b| a.0 == b.0);
            let mut map = HashMap::with_capacity_and_hasher(runs().count(), Default::default());
            for run in runs() {
                map.insert(run[0].0, run.iter().map(|&(_, s)| s).collect());
            }
            done.push((r, map));
        }
        done
    });
    for (r, map) in built.into_iter().flatten() {
        blocks[r] = map;
    }
}
