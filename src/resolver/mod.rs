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
//! from every later snapshot (see Erasure below).
//!
//! # Erasure
//! [`Resolver::remove`] erases a record and every trace of it: its values,
//! keys, links and manual decisions, the reused buffers that held it, and its
//! values in the model's term-frequency tables. A trained model counts how
//! often each normalized value (given name, surname, city…) occurs in its
//! training data, often the very records the resolver holds; the resolver
//! counts the stored records holding each value of a table, and when the last
//! one goes, the value leaves the table (in memory and in every later
//! snapshot). Counts and totals do not move otherwise, so no stored record's
//! score changes and the entities stay those of batch; a record stored later
//! with a forgotten value weighs it as a value the model never saw, as batch
//! does with [`Resolver::config`]. Values only the training data held stay in
//! the tables: key them ([`crate::model::Model::with_frequency_key`]) so that
//! no model or snapshot holds a clear value.
//!
//! # Untrusted snapshots
//! [`Resolver::restore`] checks every invariant of a snapshot before using
//! it (format version, model, records, ids, links, decisions, entities) and
//! names what is wrong in a typed error. Id counters never wrap: an operation
//! that could need an id past `u64::MAX` is refused with
//! [`Error::Capacity`] before it changes anything.
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

mod blocks;
mod decisions;
mod entities;
mod frequencies;
mod households;
mod links;
mod recluster;
mod snapshot;
mod source_index;
mod store;
mod stored;

use std::collections::BTreeMap;
use std::fmt;

use hashbrown::{HashMap, HashSet};

use blocks::{BlockIndex, Joined, LinkUpdate};
use decisions::Decisions;
use entities::{EntityTable, HouseholdTable};
use frequencies::HeldValues;
use links::LinkGraph;
pub use snapshot::{Snapshot, SnapshotLink, SnapshotRecord, SNAPSHOT_VERSION};
use store::RecordStore;
use stored::SourceView;

use crate::config::Config;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::explain::explain_pair;
use crate::explain::{Decision, Explanation, ManualDecision};
use crate::golden::{self, GoldenRecord};
use crate::id::{EntityId, HouseholdId};
use crate::prepare::{Prepared, Scratch};
use crate::record::{Record, SourceRef};

/// One accepted link of a resolved record.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ResolvedLink {
    /// The other record.
    pub other: SourceRef,
    /// The pair's match weight.
    pub weight: f64,
}

/// What an upsert did.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Resolution {
    /// The record's entity.
    pub entity: EntityId,
    /// The record's household.
    pub household: HouseholdId,
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
#[non_exhaustive]
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
#[non_exhaustive]
pub struct Removal {
    /// The entity the record belonged to.
    pub entity: EntityId,
    /// Entities created by splitting what remained of it.
    pub split: Vec<EntityId>,
}

/// The most household keys a resolver supports (an upsert keeps them on its stack).
const MAX_HOUSEHOLD_KEYS: usize = 8;

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
pub struct Resolver {
    /// The configuration it was built from (snapshots carry it).
    config: Config,
    /// The compiled stages: preparation, blocking, scoring, clustering policy.
    engine: Engine,
    /// The records' prepared values, by slot (the record store's slot numbers).
    prepared: Prepared,
    /// The records themselves, their source systems and the source index.
    records: RecordStore,
    /// Per rule: key → live slots, under the block size cap.
    blocks: BlockIndex,
    /// Each slot's scored links.
    links: LinkGraph,
    /// Entity → slots, slot → entity, and the id counter.
    entities: EntityTable,
    /// The data stewards' forced links and splits.
    decisions: Decisions,
    /// Per household key: key → live slots, under the household cap.
    homes: BlockIndex,
    /// Household → slots, slot → household, and the id counter.
    households: HouseholdTable,
    /// Reused by `upsert`: preparation buffers.
    scratch: Scratch,
    /// Reused by the key computations of `upsert` and `detach`.
    key_buf: Vec<u8>,
    /// Reused by `upsert`: (candidate slot, rules pairing it with the record).
    candidates: Vec<(u32, u32)>,
    /// Reused by the household walk.
    walk: households::Walk,
    /// Per frequency table, the stored records holding each value (a value
    /// leaves the table with its last holder).
    held: HeldValues,
}

/// Counts, not contents: a resolver may hold millions of records.
impl fmt::Debug for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolver")
            .field("records", &self.records.len())
            .field("dead_slots", &self.records.dead_slots())
            .field("entities", &self.entities.len())
            .field("households", &self.households.len())
            .field("rules", &self.blocks.rule_count())
            .field("links", &self.links.count())
            .field("decisions", &self.decisions.len())
            .finish_non_exhaustive()
    }
}

impl Resolver {
    /// A resolver with no record, for `config` (whose model should already be
    /// trained or loaded: it stays fixed, except that a value leaves the
    /// term-frequency tables when the last record holding it is removed).
    ///
    /// # Errors
    /// As [`crate::Linker::new`]; also [`Error::Model`] when a comparison's m
    /// or u does not sum to 1 ([`crate::model::Model::check_distributions`]).
    pub fn new(config: Config) -> Result<Self> {
        let engine = Engine::compile(&config)?;
        config.model.check_distributions()?;
        let blocker = engine.blocker();
        if blocker.rule_count() > 32 {
            return Err(Error::config("blocking.rules", "a resolver supports at most 32 rules"));
        }
        if engine.householder().key_count() > MAX_HOUSEHOLD_KEYS {
            return Err(Error::config(
                "households.rules",
                format!("a resolver supports at most {MAX_HOUSEHOLD_KEYS} household keys"),
            ));
        }
        Ok(Resolver {
            prepared: engine.preparer().empty(),
            records: RecordStore::default(),
            blocks: BlockIndex::new(blocker.rule_count(), blocker.max_block_size()),
            links: LinkGraph::default(),
            entities: EntityTable::default(),
            decisions: Decisions::default(),
            homes: BlockIndex::new(
                engine.householder().key_count(),
                engine.householder().max_size(),
            ),
            households: HouseholdTable::default(),
            scratch: Scratch::default(),
            key_buf: Vec::new(),
            candidates: Vec::new(),
            walk: households::Walk::default(),
            held: HeldValues::new(&config, &engine),
            config,
            engine,
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Number of stored records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when no record is stored.
    pub fn is_empty(&self) -> bool {
        self.records.len() == 0
    }

    /// Number of slots still held by removed or replaced records (their values
    /// are already erased); [`Resolver::compact`] reclaims them.
    pub fn dead_slots(&self) -> usize {
        self.records.dead_slots()
    }

    /// The household of a stored record: the entities that share its home
    /// (see [`crate::household`]); ids follow the same stability rules as
    /// entity ids.
    pub fn household_of(&self, source: &SourceRef) -> Option<HouseholdId> {
        self.records.slot_of(source).and_then(|s| self.households.group_of(s))
    }

    /// The records of a household, in source-reference order (empty for an unknown id).
    pub fn household_members(&self, household: HouseholdId) -> Vec<SourceRef> {
        let mut out: Vec<SourceRef> = self
            .households
            .members(household)
            .iter()
            .filter_map(|&s| self.records.source(s).map(|v| v.to_owned()))
            .collect();
        out.sort();
        out
    }

    /// Number of households.
    pub fn household_count(&self) -> usize {
        self.households.len()
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// The entity of a stored record.
    pub fn entity_of(&self, source: &SourceRef) -> Option<EntityId> {
        self.records.slot_of(source).and_then(|s| self.entities.group_of(s))
    }

    /// The records of an entity, in source-reference order (empty for an unknown id).
    pub fn members(&self, entity: EntityId) -> Vec<Record> {
        let mut out: Vec<Record> =
            self.entities.members(entity).iter().filter_map(|&s| self.records.record(s)).collect();
        out.sort_by(|a, b| a.source().cmp(b.source()));
        out
    }

    /// Every source system's ids for an entity: system → ids, sorted.
    pub fn cross_reference(&self, entity: EntityId) -> BTreeMap<String, Vec<String>> {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut sources: Vec<SourceView<'_>> =
            self.entities.members(entity).iter().filter_map(|&s| self.records.source(s)).collect();
        sources.sort();
        for source in sources {
            out.entry(source.system().to_owned()).or_default().push(source.id().to_owned());
        }
        out
    }

    /// Every entity with its members' source references (sorted), for
    /// comparisons and exports.
    pub fn entities(&self) -> impl Iterator<Item = (EntityId, Vec<SourceRef>)> + '_ {
        self.entities.iter().map(|(id, members)| {
            let mut refs: Vec<SourceView<'_>> =
                members.iter().filter_map(|&s| self.records.source(s)).collect();
            refs.sort();
            (id, refs.into_iter().map(SourceView::to_owned).collect())
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
        let slots = self.entities.members(entity);
        if slots.is_empty() {
            return None;
        }
        let owned: Vec<Record> = slots.iter().filter_map(|&s| self.records.record(s)).collect();
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
        let mut seen: HashSet<u32> = HashSet::new();
        let mut buf = Vec::new();
        let blocker = self.engine.blocker();
        for r in 0..blocker.rule_count() {
            let key = blocker.key(r, &q, 0, &mut buf);
            if key != 0 {
                // With the query in it, the block must still be under the cap.
                seen.extend(self.blocks.pairable(r, key).iter().copied());
            }
        }
        let keep = self.engine.policy().keep_weight();
        let mut best: HashMap<EntityId, (f64, u32)> = HashMap::new();
        let query_source = SourceView::of(record.source());
        for &s in &seen {
            let stored = self.records.live_source(s);
            if stored == query_source {
                continue;
            }
            let scored = if query_source < stored {
                self.engine.scorer().score_across_at_least(&q, 0, &self.prepared, s as usize, keep)
            } else {
                self.engine.scorer().score_across_at_least(&self.prepared, s as usize, &q, 0, keep)
            };
            let Some((_, weight)) = scored else { continue };
            let entity = self.live_entity(s);
            let slot = best.entry(entity).or_insert((weight, s));
            if weight > slot.0 || (weight == slot.0 && stored < self.records.live_source(slot.1)) {
                *slot = (weight, s);
            }
        }
        let mut out: Vec<Candidate> = best
            .into_iter()
            .map(|(entity, (weight, s))| {
                let best_match = self.records.live_source(s).to_owned();
                let explanation = explain_pair(
                    self.engine.scorer(),
                    self.engine.policy(),
                    self.engine.householder(),
                    (&q, 0, record.source()),
                    (&self.prepared, s as usize, &best_match),
                );
                Candidate {
                    entity,
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
        if self.records.slot_count() >= u32::MAX as usize {
            return Err(Error::Capacity { reason: "the resolver is full (2^32 slots)".into() });
        }
        self.ensure_id_room(self.records.len() + 1)?;
        let mut affected = Vec::new();
        let (mut old_id, mut old_home) = (None, None);
        let mut updated = false;
        if let Some(old) = self.records.slot_of(record.source()) {
            if self.records.same_as(old, &record) {
                // Nothing changed: nothing to resolve again.
                return Ok(self.resolution(old, Vec::new(), Vec::new()));
            }
            old_id = self.entities.group_of(old);
            old_home = self.households.group_of(old);
            updated = true;
            self.detach(old, &mut affected, Erase::KeepDecisions);
        }
        self.engine.preparer().push(&mut self.prepared, &record, &mut self.scratch);
        let s = self.records.push(&record);
        self.held.hold(&self.engine, &self.prepared, s as usize);
        // Values the replaced version alone held leave the frequency tables.
        self.held.forget_released(&mut self.config, &mut self.engine);
        // An updated record still counts as a member of its entity (and its
        // household) when ids are handed out, so an entity whose only record is
        // updated keeps its id.
        self.entities.add_slot(old_id);
        self.households.add_slot(old_home);
        self.links.add_slot();
        let blocker = self.engine.blocker();
        let rules = blocker.rule_count();
        let match_weight = self.engine.policy().match_weight();
        // Keys first, then the look-ups: the rules' blocks are independent
        // memory reads the processor can overlap.
        let mut keys = [0u64; 32];
        for (r, key) in keys.iter_mut().enumerate().take(rules) {
            *key = blocker.key(r, &self.prepared, s as usize, &mut self.key_buf);
        }
        let householder = self.engine.householder();
        let mut home_keys = [0u64; MAX_HOUSEHOLD_KEYS];
        let homes = householder.key_count();
        for (r, key) in home_keys.iter_mut().enumerate().take(homes) {
            *key = householder.key(r, &self.prepared, s as usize, &mut self.key_buf);
        }
        self.blocks.warm(&keys[..rules]);
        self.homes.warm(&home_keys[..homes]);
        let mut scored = std::mem::take(&mut self.candidates);
        scored.clear();
        for (r, &key) in keys.iter().enumerate().take(rules) {
            if key == 0 {
                continue;
            }
            match self.blocks.join(r, key, s) {
                Joined::Paired(members) => {
                    scored.extend(members.iter().map(|&o| (o, 1u32 << r)));
                }
                Joined::CrossedCap(_) => {
                    // Its pairs no longer count under rule r.
                    self.blocks.set_aside(r, key, &mut self.links, match_weight, &mut affected);
                }
                Joined::OverCap => {}
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
        for &(o, rules) in &scored {
            if let Some(weight) = kept_weight(&self.engine, &self.prepared, &self.records, s, o) {
                self.links.link(s, o, weight, rules);
                if weight >= match_weight {
                    affected.push(o);
                }
            }
        }
        self.candidates = scored;
        let crossed = self.join_homes(s, &home_keys[..homes], &mut affected);
        affected.push(s);
        let added = (!updated && !crossed).then_some(s);
        let (merged, created) = self.recluster(&affected, old_id, added);
        let resolution = self.resolution(s, merged, created);
        self.compact_if_sparse();
        Ok(resolution)
    }

    /// Adds slot `s`, whose household keys are `keys`, to the household key
    /// index; the holders of a key that just went over the cap (it joins
    /// nobody any more) join `affected`, and the answer says whether one did.
    fn join_homes(&mut self, s: u32, keys: &[u64], affected: &mut Vec<u32>) -> bool {
        let mut crossed = false;
        for (r, &key) in keys.iter().enumerate() {
            if key != 0 {
                if let Joined::CrossedCap(members) = self.homes.join(r, key, s) {
                    affected.extend_from_slice(members);
                    crossed = true;
                }
            }
        }
        crossed
    }

    /// Reads every candidate's slot and prepared header before any is scored,
    /// so their cache misses overlap instead of queueing.
    fn warm_candidates(&self, candidates: &[(u32, u32)]) {
        let mut touched = 0u64;
        for &(o, _) in candidates {
            touched ^= self.prepared.touch(o as usize);
            touched ^= self.records.touch(o);
        }
        std::hint::black_box(touched);
    }

    /// The entity of live slot `s` (every live record has one outside `upsert`).
    fn live_entity(&self, s: u32) -> EntityId {
        self.entities.group_of(s).expect("a live record has an entity")
    }

    /// The resolution of live slot `s` after a change that merged `merged` and created `created`.
    fn resolution(&self, s: u32, merged: Vec<EntityId>, created: Vec<EntityId>) -> Resolution {
        let match_weight = self.engine.policy().match_weight();
        let entity = self.live_entity(s);
        let mut links: Vec<ResolvedLink> = self
            .links
            .of(s)
            .iter()
            .filter(|l| l.weight() >= match_weight)
            .filter_map(|l| {
                let other = self.records.source(l.other())?.to_owned();
                Some(ResolvedLink { other, weight: l.weight() })
            })
            .collect();
        links.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.other.cmp(&b.other)));
        Resolution {
            entity,
            household: self.households.group_of(s).expect("a live record has a household"),
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
        self.ensure_id_room(self.records.len())?;
        let entity = self.live_entity(s);
        let mut affected = Vec::new();
        self.detach(s, &mut affected, Erase::Decisions);
        self.held.forget_released(&mut self.config, &mut self.engine);
        self.wipe_scratch();
        let (_, created) = self.recluster(&affected, Some(entity), None);
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
            self.engine.householder(),
            (&self.prepared, x, a),
            (&self.prepared, y, b),
        );
        e.manual = self.decisions.get(a, b);
        Ok(e)
    }

    /// Reclaims the space of removed and replaced records: every live record
    /// moves to a dense slot, in the same order, and the index, links and
    /// entities follow. Nothing observable changes (entities, ids, snapshots and
    /// later decisions are the same); it costs one pass over the whole state.
    /// The resolver compacts itself when dead slots outnumber live ones, so
    /// calling this is only needed to reclaim space at a chosen time.
    pub fn compact(&mut self) {
        self.wipe_scratch();
        let Some(moves) = self.records.compact() else { return };
        self.prepared = self.prepared.compacted(moves.live());
        self.links.compact(&moves);
        self.blocks.compact(&moves);
        self.entities.compact(&moves);
        self.homes.compact(&moves);
        self.households.compact(&moves);
    }

    /// Overwrites the reused buffers that held a record's values (its
    /// normalized text and its blocking keys) with zeros.
    fn wipe_scratch(&mut self) {
        self.scratch.wipe();
        self.key_buf.resize(self.key_buf.capacity(), 0);
        self.key_buf.fill(0);
        self.key_buf.clear();
    }

    /// Compacts when dead slots outnumber live ones (amortized: each compaction
    /// follows at least as many removals or updates as there are live records).
    fn compact_if_sparse(&mut self) {
        let dead = self.records.dead_slots();
        if dead >= COMPACT_MIN_DEAD && dead > self.records.len() {
            self.compact();
        }
    }

    /// Checks that an operation re-grouping up to `records` records can hand
    /// out an entity id and a household id to each (a restored counter may sit
    /// near its maximum).
    fn ensure_id_room(&self, records: usize) -> Result<()> {
        self.entities.ensure_room(records, "entity")?;
        self.households.ensure_room(records, "household")
    }

    /// The slot of a stored record.
    fn slot_of(&self, source: &SourceRef) -> Result<u32> {
        self.records
            .slot_of(source)
            .ok_or_else(|| Error::UnknownSource { source_ref: source.to_string() })
    }

    /// Records decision `d` on two stored records and re-clusters them.
    fn decide(&mut self, a: &SourceRef, b: &SourceRef, d: ManualDecision) -> Result<()> {
        let (sa, sb) = (self.slot_of(a)?, self.slot_of(b)?);
        self.ensure_id_room(self.records.len())?;
        if sa == sb {
            return Err(Error::argument(
                "decision",
                "a record cannot be linked to or split from itself",
            ));
        }
        self.decisions.set(a.clone(), b.clone(), d);
        self.recluster(&[sa, sb], None, None);
        Ok(())
    }

    /// Takes slot `s` out of the index, the links and its entity, and erases it
    /// (with its manual decisions when the record itself goes). Every record
    /// whose entity may change is added to `affected`.
    fn detach(&mut self, s: u32, affected: &mut Vec<u32>, erase: Erase) {
        let blocker = self.engine.blocker();
        let score = |a, b| kept_weight(&self.engine, &self.prepared, &self.records, a, b);
        let match_weight = self.engine.policy().match_weight();
        let mut up = LinkUpdate { links: &mut self.links, score, match_weight, affected };
        for r in 0..blocker.rule_count() {
            // Keys are recomputed from the prepared values (erased below) rather than stored.
            let key = blocker.key(r, &self.prepared, s as usize, &mut self.key_buf);
            if key != 0 {
                // Back under the cap, the block's pairs count again under rule r.
                self.blocks.leave_linked(r, key, s, &mut up);
            }
        }
        let householder = self.engine.householder();
        for r in 0..householder.key_count() {
            let key = householder.key(r, &self.prepared, s as usize, &mut self.key_buf);
            if key != 0 {
                // Back under the cap: the key joins its holders' households again.
                if let Some(members) = self.homes.leave(r, key, s) {
                    affected.extend_from_slice(members);
                }
            }
        }
        affected.extend(self.links.unlink(s));
        affected.extend_from_slice(self.entities.leave(s));
        affected.extend_from_slice(self.households.leave(s));
        if let Some(source) = self.records.erase(s) {
            // Right to erasure: the record's manual decisions go with it (an
            // update keeps them: they are about the source, which stays).
            if erase == Erase::Decisions {
                for other in self.decisions.erase(&source) {
                    if let Some(o) = self.records.slot_of(&other) {
                        affected.push(o);
                    }
                }
            }
        }
        self.held.release(&self.prepared, s as usize);
        self.prepared.erase(s as usize);
    }
}

/// The weight of live slots `a` and `b` when it reaches the review (or match)
/// threshold, the pair oriented by source reference as batch does.
fn kept_weight(
    engine: &Engine,
    prepared: &Prepared,
    records: &RecordStore,
    a: u32,
    b: u32,
) -> Option<f64> {
    let (x, y) = if records.source_cmp(a, b).is_lt() { (a, b) } else { (b, a) };
    let keep = engine.policy().keep_weight();
    engine.scorer().score_at_least(prepared, x as usize, y as usize, keep).map(|(_, w)| w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remove_and_compact_leave_nothing_of_the_record_in_the_reused_buffers() {
        let config = Config::person_default();
        let s = config.schema.clone();
        let mut resolver = Resolver::new(config).unwrap();
        let record = |id: &str, given: &str, city: &str| {
            Record::builder(&s, SourceRef::new("crm", id))
                .set("given_name", given)
                .and_then(|b| b.set("surname", "Kervadec"))
                .and_then(|b| b.set("city", city))
                .and_then(|b| b.set("national_id", "1800275123456"))
                .unwrap()
                .build()
        };
        resolver.upsert(record("A", "Maëlys", "Quimperlé")).unwrap();
        let held = |r: &Resolver| format!("{:?} {:?}", r.scratch, r.key_buf);
        // The last value prepared stays in the buffers until the record goes.
        assert!(held(&resolver).contains("1800275123456"), "{}", held(&resolver));
        resolver.remove(&SourceRef::new("crm", "A")).unwrap();
        for trace in ["maelys", "kervadec", "quimperle", "1800275123456"] {
            assert!(!held(&resolver).contains(trace), "{trace} in {}", held(&resolver));
        }
        assert!(resolver.key_buf.is_empty());
        resolver.upsert(record("B", "Ana", "Brest")).unwrap();
        resolver.compact();
        assert!(!held(&resolver).contains("brest"), "{}", held(&resolver));
    }
}
