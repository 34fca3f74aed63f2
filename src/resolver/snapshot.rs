//! Persistence: the resolver's whole state as serde data, and back.

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use super::store::{Link, Slot, Store, StoredRecord};
use super::Resolver;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::explain::ManualDecision;
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
    ///
    /// # Errors
    /// As [`Resolver::new`] for the configuration; [`Error::DuplicateSource`] for
    /// a repeated record; [`Error::Model`] (path `snapshot.…`) for a link or an
    /// entity id that does not fit the records.
    pub fn restore(snapshot: Snapshot) -> Result<Resolver> {
        let mut resolver = Resolver::new(snapshot.config)?;
        let rules = resolver.engine.rules.len();
        let n = snapshot.records.len();
        resolver.slots.reserve(n);
        resolver.links.reserve(n);
        resolver.entities.reserve(n / 2);
        resolver.by_source.reserve(n);
        for (i, entry) in snapshot.records.into_iter().enumerate() {
            let record = entry.record;
            if record.len() != resolver.engine.plans.len() {
                return Err(Error::Arity {
                    source_ref: record.source().to_string(),
                    expected: resolver.engine.plans.len(),
                    found: record.len(),
                });
            }
            if let Some(first) = resolver.by_source.get(record.source(), resolver.store()) {
                return Err(Error::DuplicateSource {
                    source_ref: record.source().to_string(),
                    first: first as usize,
                    second: i,
                });
            }
            if entry.entity == 0 || entry.entity > snapshot.last_entity {
                return Err(Error::Model {
                    path: format!("snapshot.records[{i}].entity"),
                    reason: format!(
                        "entity id {} is not in 1..={}",
                        entry.entity, snapshot.last_entity
                    ),
                });
            }
            let s = i as u32;
            resolver.prepared.push(
                &record,
                &resolver.engine.plans,
                &resolver.engine.encoder,
                &resolver.engine.nicknames,
                &mut resolver.scratch,
            );
            for r in 0..rules {
                let key =
                    resolver.engine.rules[r].key(&resolver.prepared, i, &mut resolver.key_buf);
                if key != 0 {
                    resolver.blocks[r].entry(key).or_default().push(s);
                }
            }
            resolver.entities.entry(entry.entity).or_default().push(s);
            let system = resolver.systems.intern(&record.source().system);
            resolver.slots.push(Slot {
                record: Some(StoredRecord::new(&record, system)),
                entity: entry.entity,
            });
            resolver
                .by_source
                .insert(s, Store { slots: &resolver.slots, systems: &resolver.systems });
            resolver.links.push(SmallVec::new());
        }
        for (k, l) in snapshot.links.iter().enumerate() {
            if l.a >= l.b || l.b as usize >= n || !l.weight.is_finite() {
                return Err(Error::Model {
                    path: format!("snapshot.links[{k}]"),
                    reason:
                        "a link must join two distinct records by position, with a finite weight"
                            .into(),
                });
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
                return Err(Error::Model {
                    path: format!("snapshot.decisions[{k}]"),
                    reason: "a decision must join two distinct stored records".into(),
                });
            }
            resolver.set_decision(a, b, d);
        }
        Ok(resolver)
    }
}
