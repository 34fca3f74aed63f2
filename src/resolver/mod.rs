//! The live reference: an incremental resolver with stable entity ids.
//!
//! A [`Resolver`] keeps every stage's state between calls — prepared records,
//! the blocking index, the scored links — so adding, updating or removing one
//! record touches only its candidates, and re-clusters only the entities its
//! links reach. For the same records, configuration and model it gives the
//! same entities as [`crate::Linker::dedupe`], whatever the order of the calls:
//! pairs are compared exactly when they share a block under the size cap, and
//! each affected group of linked records is re-clustered with the batch rule
//! (strongest link first, ties by source reference, must-not-link rules and the
//! size cap applied in that order).
//!
//! # Stable entity ids
//! Hosts keep foreign keys to entities, so ids follow documented rules:
//! - a new record that links to nothing gets a fresh id;
//! - when entities merge, the merged entity keeps the id most of its members
//!   already had (the oldest, smallest id among equals);
//! - when an update or removal splits an entity, the largest part keeps the id
//!   and the other parts get fresh ids;
//! - an updated record still counts as a member of its entity, so an entity
//!   whose records are updated keeps its id (its only record included);
//! - an upsert identical to the stored record (same values, same observation
//!   time) changes nothing and returns the record's current resolution;
//! - ids are never reused: the counter only grows.
//!
//! # Manual decisions
//! [`Resolver::force_link`] and [`Resolver::force_split`] record a data
//! steward's verdict on a pair. Forced links are applied before any scored link
//! and override must-not-link rules and the size cap; forced splits are never
//! crossed. Both persist in snapshots and across updates of their records, show
//! in [`Resolver::explain`], and are erased when either record is removed.
//!
//! # Persistence
//! [`Resolver::snapshot`] returns the whole state as serde data; serialize it
//! in any format and load it back with [`Resolver::restore`], which prepares
//! and indexes the records again but scores no pair, so later decisions are
//! identical. A host makes the reference durable the usual way: keep its own
//! append-only log of `upsert`s and `remove`s, take a snapshot now and then,
//! and on start restore the latest snapshot and replay the log entries written
//! after it. Replaying an upsert or a removal twice is harmless (an upsert
//! replaces the record with the same source reference; a second removal is an
//! [`Error::UnknownSource`] the replay can ignore). A removed record is absent
//! from every later snapshot.
//!
//! # Sharing across threads
//! `Resolver` is `Send + Sync`. Reads ([`Resolver::entity_of`],
//! [`Resolver::members`], [`Resolver::golden`]…) and [`Resolver::query`] take
//! `&self`; `upsert` and `remove` take `&mut self`. Share it behind a
//! `std::sync::RwLock` (many concurrent readers, one writer at a time), or give
//! one thread ownership and send it the writes over a channel.
//!
//! ```
//! use personlink::{Config, Record, Resolver, SourceRef};
//!
//! let config = Config::person_default();
//! let s = config.schema.clone();
//! let mut resolver = Resolver::new(config)?;
//! let web = Record::builder(&s, SourceRef::new("web", "W1"))
//!     .set("given_name", "Jean")?.set("surname", "Dupont")?
//!     .set("date_of_birth", "1980-02-01")?.set("email", "jean.dupont@free.fr")?
//!     .build();
//! let shop = Record::builder(&s, SourceRef::new("shop", "S9"))
//!     .set("given_name", "JEAN")?.set("surname", "DUPONT")?
//!     .set("date_of_birth", "01/02/1980")?.set("email", "Jean.Dupont@free.fr")?
//!     .build();
//! let first = resolver.upsert(web)?;
//! let second = resolver.upsert(shop)?;
//! assert_eq!(first.entity, second.entity);
//! let xref = resolver.cross_reference(second.entity);
//! assert_eq!(xref["shop"], ["S9"]);
//! resolver.remove(&SourceRef::new("shop", "S9"))?;
//! assert_eq!(resolver.members(first.entity).len(), 1);
//! # Ok::<(), personlink::Error>(())
//! ```

mod recluster;
mod snapshot;
mod store;

use std::collections::BTreeMap;

use hashbrown::{HashMap, HashSet};
use smallvec::SmallVec;

pub use snapshot::{Snapshot, SnapshotLink, SnapshotRecord};
use store::{source_order, Link, Slot, SourceIndex, SourceView, Store, StoredRecord, Systems};

use crate::config::Config;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::explain::explain_pair;
use crate::explain::{Decision, Explanation, ManualDecision};
use crate::golden::{self, GoldenRecord};
use crate::id::EntityId;
use crate::prepare::{Prepared, Scratch};
use crate::record::{Record, SourceRef};

/// One accepted link of a resolved record.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedLink {
    /// The other record.
    pub other: SourceRef,
    /// The pair's match weight.
    pub weight: f64,
}

/// What an upsert did.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// The record's entity.
    pub entity: EntityId,
    /// The record's links at or above the match threshold, strongest first.
    pub links: Vec<ResolvedLink>,
    /// Entities that no longer exist because they merged (into this record's
    /// entity or another one the change touched).
    pub merged: Vec<EntityId>,
    /// Entities created by splitting an existing entity (an update can split the
    /// entity the record left).
    pub split: Vec<EntityId>,
}

/// An entity a queried record would match.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The entity.
    pub entity: EntityId,
    /// Its member that scores best against the query.
    pub best_match: SourceRef,
    /// That pair's match weight.
    pub weight: f64,
    /// That pair's match probability.
    pub probability: f64,
    /// What the policy would decide for that pair.
    pub decision: Decision,
    /// Why: the pair's field-by-field explanation.
    pub explanation: Explanation,
}

/// What a removal did.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// The entity the record belonged to.
    pub entity: EntityId,
    /// Entities created by splitting what remained of it.
    pub split: Vec<EntityId>,
}

/// Dead slots below this count never trigger an automatic compaction.
const COMPACT_MIN_DEAD: usize = 1024;

/// Whether detaching a record erases its manual decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Erase {
    /// The record is removed: its decisions go with it.
    Decisions,
    /// The record is replaced by an update of the same source: its decisions stay.
    KeepDecisions,
}

/// The incremental, always-up-to-date resolver. See the [module docs](self).
#[derive(Debug)]
pub struct Resolver {
    config: Config,
    engine: Engine,
    prepared: Prepared,
    scratch: Scratch,
    slots: Vec<Slot>,
    systems: Systems,
    by_source: SourceIndex,
    /// Per rule: key → live member slots (most keys hold one or two records).
    blocks: Vec<HashMap<u64, SmallVec<[u32; 2]>>>,
    links: Vec<SmallVec<[Link; 2]>>,
    /// Entity id → member slots (most entities have one or two members).
    entities: HashMap<u64, SmallVec<[u32; 2]>>,
    next_entity: u64,
    key_buf: Vec<u8>,
    /// Reused by `upsert`: (candidate slot, rules pairing it with the record).
    candidates: Vec<(u32, u32)>,
    /// Data stewards' decisions, both directions: source → (other source, decision).
    decisions: HashMap<SourceRef, Vec<(SourceRef, ManualDecision)>>,
}

impl Resolver {
    /// A resolver with no record, for `config` (whose model should already be
    /// trained or loaded: it stays fixed, term-frequency tables included).
    ///
    /// # Errors
    /// As [`crate::Linker::new`].
    pub fn new(config: Config) -> Result<Self> {
        let engine = Engine::compile(&config)?;
        let rules = engine.blocker().rule_count();
        if rules > 32 {
            return Err(Error::config("blocking.rules", "a resolver supports at most 32 rules"));
        }
        Ok(Resolver {
            prepared: engine.preparer().empty(),
            scratch: Scratch::default(),
            slots: Vec::new(),
            systems: Systems::default(),
            by_source: SourceIndex::default(),
            blocks: vec![HashMap::new(); rules],
            links: Vec::new(),
            entities: HashMap::new(),
            next_entity: 0,
            key_buf: Vec::new(),
            candidates: Vec::new(),
            decisions: HashMap::new(),
            config,
            engine,
        })
    }

    /// The slots and system table, for the source index.
    fn store(&self) -> Store<'_> {
        Store { slots: &self.slots, systems: &self.systems }
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Number of stored records.
    pub fn len(&self) -> usize {
        self.by_source.len()
    }

    /// True when no record is stored.
    pub fn is_empty(&self) -> bool {
        self.by_source.len() == 0
    }

    /// Number of slots still held by removed or replaced records (their values
    /// are already erased); [`Resolver::compact`] reclaims them.
    pub fn dead_slots(&self) -> usize {
        self.slots.len() - self.by_source.len()
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// The entity of a stored record.
    pub fn entity_of(&self, source: &SourceRef) -> Option<EntityId> {
        self.by_source
            .get(source, self.store())
            .map(|s| EntityId::new(self.slots[s as usize].entity))
    }

    /// The records of an entity, in source-reference order (empty for an unknown id).
    pub fn members(&self, entity: EntityId) -> Vec<Record> {
        let mut out: Vec<Record> = self
            .entities
            .get(&entity.get())
            .into_iter()
            .flatten()
            .filter_map(|&s| {
                self.slots[s as usize].record.as_ref().map(|r| r.to_record(&self.systems))
            })
            .collect();
        out.sort_by(|a, b| a.source().cmp(b.source()));
        out
    }

    /// Every source system's ids for an entity: system → ids, sorted.
    pub fn cross_reference(&self, entity: EntityId) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut sources: Vec<SourceView<'_>> = self
            .entities
            .get(&entity.get())
            .into_iter()
            .flatten()
            .filter_map(|&s| self.store().source(s))
            .collect();
        sources.sort();
        for source in sources {
            out.entry(source.system.to_owned()).or_default().push(source.id.to_owned());
        }
        out
    }

    /// Every entity with its members' source references (sorted), for
    /// comparisons and exports.
    pub fn entities(&self) -> impl Iterator<Item = (EntityId, Vec<SourceRef>)> + '_ {
        self.entities.iter().map(|(&id, members)| {
            let mut refs: Vec<SourceView<'_>> =
                members.iter().filter_map(|&s| self.store().source(s)).collect();
            refs.sort();
            (EntityId::new(id), refs.into_iter().map(SourceView::to_owned).collect())
        })
    }

    /// The records of an entity in the order they were observed (unknown times
    /// first, then by source reference): the person's cross-channel history.
    pub fn history(&self, entity: EntityId) -> Vec<Record> {
        let mut out = self.members(entity);
        out.sort_by(|a, b| {
            a.observed_at().cmp(&b.observed_at()).then_with(|| a.source().cmp(b.source()))
        });
        out
    }

    /// The golden record of an entity, by the configuration's survivorship
    /// rules; `None` for an unknown id.
    pub fn golden(&self, entity: EntityId) -> Option<GoldenRecord> {
        let slots: Vec<u32> = self.entities.get(&entity.get())?.iter().copied().collect();
        let owned: Vec<Record> = slots
            .iter()
            .filter_map(|&s| {
                self.slots[s as usize].record.as_ref().map(|r| r.to_record(&self.systems))
            })
            .collect();
        let members: Vec<&Record> = owned.iter().collect();
        Some(golden::build(entity, &self.config.schema, &self.config.golden, &members, |m, f| {
            self.prepared.column(f).text(slots[m] as usize).to_owned()
        }))
    }

    /// Ranks the entities a record would match, without storing it (a
    /// call-centre search). Each candidate entity comes with its best-scoring
    /// member's weight and the explanation of that pair; entities below the
    /// review threshold (or the match threshold without one) are left out.
    /// A stored record with the query's own source reference is skipped.
    ///
    /// # Errors
    /// [`Error::Arity`] when the record does not fit the schema.
    pub fn query(&self, record: &Record) -> Result<Vec<Candidate>> {
        let q = self.engine.preparer().prepare([record])?;
        let cap = self.engine.blocker().max_block_size();
        let mut seen: HashSet<u32> = HashSet::new();
        let mut buf = Vec::new();
        let blocker = self.engine.blocker();
        for r in 0..blocker.rule_count() {
            let key = blocker.key(r, &q, 0, &mut buf);
            if key == 0 {
                continue;
            }
            if let Some(members) = self.blocks[r].get(&key) {
                // With the query in it, the block must still be under the cap.
                if members.len() < cap {
                    seen.extend(members.iter().copied());
                }
            }
        }
        let keep = self.engine.policy().keep_weight();
        let mut best: HashMap<u64, (f64, u32)> = HashMap::new();
        let query_source = SourceView::of(record.source());
        for &s in &seen {
            let stored = self.source(s);
            if stored == query_source {
                continue;
            }
            let scored = if query_source < stored {
                self.engine.scorer().score_across_at_least(&q, 0, &self.prepared, s as usize, keep)
            } else {
                self.engine.scorer().score_across_at_least(&self.prepared, s as usize, &q, 0, keep)
            };
            let Some((_, weight)) = scored else { continue };
            let entity = self.slots[s as usize].entity;
            let slot = best.entry(entity).or_insert((weight, s));
            if weight > slot.0 || (weight == slot.0 && stored < self.source(slot.1)) {
                *slot = (weight, s);
            }
        }
        let mut out: Vec<Candidate> = best
            .into_iter()
            .map(|(entity, (weight, s))| {
                let best_match = self.source(s).to_owned();
                let explanation = explain_pair(
                    self.engine.scorer(),
                    self.engine.policy(),
                    (&q, 0, record.source()),
                    (&self.prepared, s as usize, &best_match),
                );
                Candidate {
                    entity: EntityId::new(entity),
                    best_match,
                    weight,
                    probability: explanation.probability,
                    decision: explanation.decision,
                    explanation,
                }
            })
            .collect();
        out.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.entity.cmp(&b.entity)));
        Ok(out)
    }

    /// Adds a record, or replaces the stored record with the same source
    /// reference, and resolves it against everything known.
    ///
    /// # Errors
    /// [`Error::Arity`] when the record does not fit the schema.
    pub fn upsert(&mut self, record: Record) -> Result<Resolution> {
        self.engine.preparer().check(&record)?;
        if self.slots.len() >= u32::MAX as usize {
            return Err(Error::Capacity { reason: "the resolver is full (2^32 slots)".into() });
        }
        let mut affected = Vec::new();
        let mut old_ids = Vec::new();
        if let Some(old) = self.by_source.get(record.source(), self.store()) {
            let stored = self.slots[old as usize].record.as_ref().expect("live slot");
            if stored.same_as(&record) {
                // Nothing changed: nothing to resolve again.
                return Ok(self.resolution(old, Vec::new(), Vec::new()));
            }
            old_ids.push(self.slots[old as usize].entity);
            self.detach(old, &mut affected, Erase::KeepDecisions);
        }
        let s = self.slots.len() as u32;
        self.engine.preparer().push(&mut self.prepared, &record, &mut self.scratch);
        let system = self.systems.intern(&record.source().system);
        // An updated record still counts as a member of its entity when ids are
        // handed out, so an entity whose only record is updated keeps its id.
        let entity = old_ids.first().copied().unwrap_or(0);
        self.slots.push(Slot { record: Some(StoredRecord::new(&record, system)), entity });
        self.by_source.insert(s, Store { slots: &self.slots, systems: &self.systems });
        self.links.push(SmallVec::new());
        let rules = self.engine.blocker().rule_count();
        let cap = self.engine.blocker().max_block_size();
        // Keys first, then the look-ups: the rules' blocks are independent
        // memory reads the processor can overlap.
        let mut keys = [0u64; 32];
        for (r, key) in keys.iter_mut().enumerate().take(rules) {
            *key = self.engine.blocker().key(r, &self.prepared, s as usize, &mut self.key_buf);
        }
        self.warm_blocks(&keys[..rules]);
        let mut scored = std::mem::take(&mut self.candidates);
        scored.clear();
        for (r, &key) in keys.iter().enumerate().take(rules) {
            if key == 0 {
                continue;
            }
            let members = self.blocks[r].entry(key).or_default();
            let before = members.len();
            members.push(s);
            if before < cap {
                scored.extend(members[..before].iter().map(|&o| (o, 1u32 << r)));
            } else if before == cap {
                // The block just went over the cap: its pairs no longer count under rule r.
                let old: Vec<u32> = members[..before].to_vec();
                for (x, &a) in old.iter().enumerate() {
                    for &b in &old[x + 1..] {
                        if self.drop_rule(a, b, r) {
                            affected.extend([a, b]);
                        }
                    }
                }
            }
        }
        // One entry per candidate, with every rule that pairs it with the record.
        scored.sort_unstable_by_key(|&(o, _)| o);
        scored.dedup_by(|later, first| {
            let same = later.0 == first.0;
            if same {
                first.1 |= later.1;
            }
            same
        });
        self.warm_candidates(&scored);
        let match_weight = self.engine.policy().match_weight();
        for &(o, rules) in &scored {
            if let Some(weight) = self.kept_weight(s, o) {
                self.links[s as usize].push(Link { other: o, weight, rules });
                self.links[o as usize].push(Link { other: s, weight, rules });
                if weight >= match_weight {
                    affected.push(o);
                }
            }
        }
        self.candidates = scored;
        affected.push(s);
        let (merged, created) = self.recluster(&affected, &old_ids);
        let resolution = self.resolution(s, merged, created);
        self.compact_if_sparse();
        Ok(resolution)
    }

    /// Reads the member list of each rule's block `keys[r]` (0: no key) and
    /// discards it: independent loads whose cache misses overlap, so the
    /// updates that follow find the lists in the cache.
    fn warm_blocks(&self, keys: &[u64]) {
        let mut touched = 0u64;
        for (r, &key) in keys.iter().enumerate() {
            if key != 0 {
                let members = self.blocks[r].get(&key);
                touched ^= members.and_then(|m| m.first()).map_or(0, |&m| u64::from(m));
            }
        }
        std::hint::black_box(touched);
    }

    /// Reads every candidate's slot and prepared header before any is scored,
    /// for the same reason: the misses overlap instead of queueing.
    fn warm_candidates(&self, candidates: &[(u32, u32)]) {
        let mut touched = 0u64;
        for &(o, _) in candidates {
            touched ^= self.prepared.touch(o as usize);
            touched ^= self.slots[o as usize].record.as_ref().map_or(0, |r| r.order as u64);
        }
        std::hint::black_box(touched);
    }

    /// The resolution of live slot `s` after a change that merged `merged` and created `created`.
    fn resolution(&self, s: u32, merged: Vec<EntityId>, created: Vec<EntityId>) -> Resolution {
        let match_weight = self.engine.policy().match_weight();
        let entity = EntityId::new(self.slots[s as usize].entity);
        let mut links: Vec<ResolvedLink> = self.links[s as usize]
            .iter()
            .filter(|l| l.weight >= match_weight)
            .filter_map(|l| {
                let other = self.store().source(l.other)?.to_owned();
                Some(ResolvedLink { other, weight: l.weight })
            })
            .collect();
        links.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.other.cmp(&b.other)));
        Resolution {
            entity,
            links,
            merged,
            split: created.into_iter().filter(|&id| id != entity).collect(),
        }
    }

    /// Erases a record and every trace of it: its prepared values, index keys and
    /// links; its entity is re-clustered (and may split).
    ///
    /// # Errors
    /// [`Error::UnknownSource`] when no record has this source reference.
    pub fn remove(&mut self, source: &SourceRef) -> Result<Removal> {
        let s = self.slot_of(source)?;
        let entity = EntityId::new(self.slots[s as usize].entity);
        let mut affected = Vec::new();
        self.detach(s, &mut affected, Erase::Decisions);
        let (_, created) = self.recluster(&affected, &[entity.get()]);
        self.compact_if_sparse();
        Ok(Removal { entity, split: created.into_iter().filter(|&id| id != entity).collect() })
    }

    /// Records a data steward's decision that `a` and `b` are the same person:
    /// they are kept in one entity from now on, whatever their score, the
    /// must-not-link rules or the size cap (a forced split still wins). The
    /// decision replaces any earlier one on the pair and is kept in snapshots;
    /// removing either record erases it. Returns their entity.
    ///
    /// # Errors
    /// [`Error::UnknownSource`] when either record is not stored.
    pub fn force_link(&mut self, a: &SourceRef, b: &SourceRef) -> Result<EntityId> {
        self.decide(a, b, ManualDecision::ForceLink)?;
        Ok(self.entity_of(a).expect("stored"))
    }

    /// Records a data steward's decision that `a` and `b` are different people:
    /// they are never put in one entity again (the entity holding them splits).
    ///
    /// # Errors
    /// [`Error::UnknownSource`] when either record is not stored.
    pub fn force_split(&mut self, a: &SourceRef, b: &SourceRef) -> Result<(EntityId, EntityId)> {
        self.decide(a, b, ManualDecision::ForceSplit)?;
        Ok((self.entity_of(a).expect("stored"), self.entity_of(b).expect("stored")))
    }

    /// Explains how two stored records compare, with any manual decision on them.
    ///
    /// # Errors
    /// [`Error::UnknownSource`] when either record is not stored.
    pub fn explain(&self, a: &SourceRef, b: &SourceRef) -> Result<Explanation> {
        let (x, y) = (self.slot_of(a)? as usize, self.slot_of(b)? as usize);
        let mut e = explain_pair(
            self.engine.scorer(),
            self.engine.policy(),
            (&self.prepared, x, a),
            (&self.prepared, y, b),
        );
        e.manual = self.decision(a, b);
        Ok(e)
    }

    /// Reclaims the space of removed and replaced records: every live record
    /// moves to a dense slot, in the same order, and the index, links and
    /// entities follow. Nothing observable changes (entities, ids, snapshots and
    /// later decisions are the same); it costs one pass over the whole state.
    /// The resolver compacts itself when dead slots outnumber live ones, so
    /// calling this is only needed to reclaim space at a chosen time.
    pub fn compact(&mut self) {
        let live: Vec<u32> = (0..self.slots.len() as u32)
            .filter(|&s| self.slots[s as usize].record.is_some())
            .collect();
        if live.len() == self.slots.len() {
            return;
        }
        const GONE: u32 = u32::MAX;
        let mut new_slot = vec![GONE; self.slots.len()];
        for (n, &s) in live.iter().enumerate() {
            new_slot[s as usize] = n as u32;
        }
        self.prepared = self.prepared.compacted(&live);
        let old_slots = std::mem::take(&mut self.slots);
        self.slots = old_slots.into_iter().filter(|slot| slot.record.is_some()).collect();
        let old_links = std::mem::take(&mut self.links);
        self.links = old_links
            .into_iter()
            .enumerate()
            .filter(|&(s, _)| new_slot[s] != GONE)
            .map(|(_, mut list)| {
                for l in &mut list {
                    l.other = new_slot[l.other as usize];
                }
                list
            })
            .collect();
        for block in &mut self.blocks {
            for members in block.values_mut() {
                for m in members.iter_mut() {
                    *m = new_slot[*m as usize];
                }
            }
        }
        for members in self.entities.values_mut() {
            for m in members.iter_mut() {
                *m = new_slot[*m as usize];
            }
        }
        self.by_source = SourceIndex::default();
        self.by_source.reserve(self.slots.len());
        for s in 0..self.slots.len() as u32 {
            self.by_source.insert(s, Store { slots: &self.slots, systems: &self.systems });
        }
    }

    /// Compacts when dead slots outnumber live ones (amortized: each compaction
    /// follows at least as many removals or updates as there are live records).
    fn compact_if_sparse(&mut self) {
        let dead = self.dead_slots();
        if dead >= COMPACT_MIN_DEAD && dead > self.by_source.len() {
            self.compact();
        }
    }

    /// The slot of a stored record.
    fn slot_of(&self, source: &SourceRef) -> Result<u32> {
        self.by_source
            .get(source, self.store())
            .ok_or_else(|| Error::UnknownSource { source_ref: source.to_string() })
    }

    fn decision(&self, a: &SourceRef, b: &SourceRef) -> Option<ManualDecision> {
        self.decisions.get(a)?.iter().find(|(o, _)| o == b).map(|&(_, d)| d)
    }

    fn decide(&mut self, a: &SourceRef, b: &SourceRef, d: ManualDecision) -> Result<()> {
        let (sa, sb) = (self.slot_of(a)?, self.slot_of(b)?);
        if sa == sb {
            return Err(Error::argument(
                "decision",
                "a record cannot be linked to or split from itself",
            ));
        }
        self.set_decision(a.clone(), b.clone(), d);
        self.recluster(&[sa, sb], &[]);
        Ok(())
    }

    fn set_decision(&mut self, a: SourceRef, b: SourceRef, d: ManualDecision) {
        for (x, y) in [(a.clone(), b.clone()), (b, a)] {
            let list = self.decisions.entry(x).or_default();
            list.retain(|(o, _)| *o != y);
            list.push((y, d));
        }
    }

    /// The weight of stored slots `a` and `b` when it reaches the review (or
    /// match) threshold, oriented by source reference as batch does.
    fn kept_weight(&self, a: u32, b: u32) -> Option<f64> {
        let (x, y) = if self.source_before(a, b) { (a, b) } else { (b, a) };
        let keep = self.engine.policy().keep_weight();
        self.engine
            .scorer()
            .score_at_least(&self.prepared, x as usize, y as usize, keep)
            .map(|(_, w)| w)
    }

    /// True when slot `a`'s source reference sorts before slot `b`'s.
    fn source_before(&self, a: u32, b: u32) -> bool {
        let (ra, rb) = (
            self.slots[a as usize].record.as_ref().expect("live slot"),
            self.slots[b as usize].record.as_ref().expect("live slot"),
        );
        source_order(&self.systems, ra, rb).is_lt()
    }

    /// The manual decisions on live slot `x`'s record.
    fn decisions_of(&self, x: u32) -> impl Iterator<Item = &(SourceRef, ManualDecision)> {
        let list =
            if self.decisions.is_empty() { None } else { self.decisions.get(&self.source(x)) };
        list.into_iter().flatten()
    }

    /// The source order of two live slots.
    fn source_cmp(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let record = |s: u32| self.slots[s as usize].record.as_ref().expect("live slot");
        source_order(&self.systems, record(a), record(b))
    }

    fn source(&self, s: u32) -> SourceView<'_> {
        self.store().source(s).expect("live slot")
    }

    /// Removes rule `r` from the link of `a` and `b`; drops the link when no rule
    /// is left. True when a link at or above the match threshold was dropped.
    fn drop_rule(&mut self, a: u32, b: u32, r: usize) -> bool {
        let match_weight = self.engine.policy().match_weight();
        let mut dropped = false;
        for (x, y) in [(a, b), (b, a)] {
            let list = &mut self.links[x as usize];
            if let Some(pos) = list.iter().position(|l| l.other == y) {
                list[pos].rules &= !(1 << r);
                if list[pos].rules == 0 {
                    dropped |= list[pos].weight >= match_weight;
                    list.swap_remove(pos);
                }
            }
        }
        dropped
    }

    /// Adds rule `r` to the link of `a` and `b`, scoring the pair if it has no link.
    fn add_rule(&mut self, a: u32, b: u32, r: usize) -> bool {
        if let Some(l) = self.links[a as usize].iter_mut().find(|l| l.other == b) {
            l.rules |= 1 << r;
            if let Some(back) = self.links[b as usize].iter_mut().find(|l| l.other == a) {
                back.rules |= 1 << r;
            }
            return false;
        }
        let Some(weight) = self.kept_weight(a, b) else {
            return false;
        };
        self.links[a as usize].push(Link { other: b, weight, rules: 1 << r });
        self.links[b as usize].push(Link { other: a, weight, rules: 1 << r });
        weight >= self.engine.policy().match_weight()
    }

    /// Takes slot `s` out of the index, the links and its entity, and erases it
    /// (with its manual decisions when the record itself goes).
    fn detach(&mut self, s: u32, affected: &mut Vec<u32>, erase: Erase) {
        let rules = self.engine.blocker().rule_count();
        let cap = self.engine.blocker().max_block_size();
        for r in 0..rules {
            // Keys are recomputed from the prepared values (erased below) rather than stored.
            let key = self.engine.blocker().key(r, &self.prepared, s as usize, &mut self.key_buf);
            if key == 0 {
                continue;
            }
            let Some(members) = self.blocks[r].get_mut(&key) else { continue };
            let before = members.len();
            members.retain(|m| *m != s);
            let now: Vec<u32> = members.to_vec();
            if members.is_empty() {
                self.blocks[r].remove(&key);
            }
            if before > cap && now.len() <= cap {
                // Back under the cap: the block's pairs count again under rule r.
                for (x, &a) in now.iter().enumerate() {
                    for &b in &now[x + 1..] {
                        if self.add_rule(a, b, r) {
                            affected.extend([a, b]);
                        }
                    }
                }
            }
        }
        for link in std::mem::take(&mut self.links[s as usize]) {
            self.links[link.other as usize].retain(|l| l.other != s);
            affected.push(link.other);
        }
        let id = self.slots[s as usize].entity;
        if let Some(members) = self.entities.get_mut(&id) {
            members.retain(|m| *m != s);
            affected.extend(members.iter().copied());
            if members.is_empty() {
                self.entities.remove(&id);
            }
        }
        if let Some(source) = self.store().source(s).map(SourceView::to_owned) {
            self.by_source.remove(&source, Store { slots: &self.slots, systems: &self.systems });
            // Right to erasure: the record's manual decisions go with it (an
            // update keeps them: they are about the source, which stays).
            let list = match erase {
                Erase::Decisions => self.decisions.remove(&source),
                Erase::KeepDecisions => None,
            };
            if let Some(list) = list {
                for (other, _) in list {
                    if let Some(theirs) = self.decisions.get_mut(&other) {
                        theirs.retain(|(o, _)| *o != source);
                        if theirs.is_empty() {
                            self.decisions.remove(&other);
                        }
                    }
                    if let Some(o) = self.by_source.get(&other, self.store()) {
                        affected.push(o);
                    }
                }
            }
        }
        let slot = &mut self.slots[s as usize];
        slot.record = None;
        slot.entity = 0;
        self.prepared.erase(s as usize);
    }
}
