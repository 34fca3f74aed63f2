//! Persistence: the resolver's whole state as serde data, and back.

use hashbrown::{HashMap, HashSet};
use serde::{Deserialize, Serialize};

use super::blocks::BlockIndex;
use super::entities::{EntityTable, HouseholdTable};
use super::households::index_homes;
use super::links::LinkGraph;
use super::store::RecordStore;
use super::Resolver;
use crate::cluster::UnionFind;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::explain::ManualDecision;
use crate::id::{EntityId, HouseholdId};
use crate::model::FrequencyKey;
use crate::parallel;
use crate::record::{Record, SourceRef};

/// The snapshot format this library writes, and the only one it reads.
pub const SNAPSHOT_VERSION: u32 = 1;

/// The whole state of a [`Resolver`], as plain serde data.
///
/// It holds the configuration (model included), every live record with its
/// entity id, the scored links between them and the id counter: restoring it
/// re-prepares the records and rebuilds the index without scoring any pair
/// again, so later decisions are identical. Removed records are absent: a
/// snapshot keeps nothing of them, and the model's frequency tables hold no
/// value that only removed records held.
///
/// A snapshot is untrusted input: [`Resolver::restore`] checks it before
/// using it (the list is there) and names what is wrong, and an unknown key
/// anywhere is a deserialization error naming it.
///
/// ```
/// use personlink::{Config, Resolver, Snapshot};
/// let resolver = Resolver::new(Config::person_default())?;
/// let json = serde_json::to_string(&resolver.snapshot()).unwrap();
/// assert!(json.starts_with(r#"{"version":1,"#));
/// let tampered = json.replacen(r#""version":1"#, r#""version":9"#, 1);
/// let snapshot: Snapshot = serde_json::from_str(&tampered).unwrap();
/// let err = Resolver::restore(snapshot).unwrap_err();
/// assert!(err.to_string().contains("`version`"), "{err}");
/// # Ok::<(), personlink::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Snapshot {
    /// The format version, [`SNAPSHOT_VERSION`]. A snapshot without one (saved
    /// before the field existed, in the same format) is read as version 1.
    #[serde(default = "first_version")]
    pub version: u32,
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
#[serde(deny_unknown_fields)]
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

fn first_version() -> u32 {
    1
}

/// A link of a [`Snapshot`], between record positions `a < b`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

impl Snapshot {
    /// The snapshot with its model's frequency key: a snapshot of a resolver
    /// whose model is keyed ([`crate::model::Model::with_frequency_key`])
    /// holds keyed hashes and no key, and restores only once given it back.
    ///
    /// # Errors
    /// As [`crate::model::Model::with_frequency_key`]: the key is not the
    /// one the tables were keyed with.
    ///
    /// ```
    /// use personlink::model::FrequencyKey;
    /// use personlink::{Config, Resolver, Snapshot};
    /// let key = FrequencyKey::new([42; 16]);
    /// let mut config = Config::person_default();
    /// config.model = config.model.with_frequency_key(key.clone())?;
    /// let json = serde_json::to_string(&Resolver::new(config)?.snapshot()).unwrap();
    /// let saved: Snapshot = serde_json::from_str(&json).unwrap();
    /// assert!(Resolver::restore(saved.clone()).is_err()); // no key
    /// let restored = Resolver::restore(saved.with_frequency_key(key)?)?;
    /// assert!(restored.is_empty());
    /// # Ok::<(), personlink::Error>(())
    /// ```
    pub fn with_frequency_key(mut self, key: FrequencyKey) -> Result<Self> {
        self.config.model = self.config.model.with_frequency_key(key)?;
        Ok(self)
    }
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
            version: SNAPSHOT_VERSION,
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
    /// Nothing in the snapshot is trusted. Restore checks the format version;
    /// the configuration and model (as [`Resolver::new`]: probabilities,
    /// frequency tables whose counts fit their totals, a keyed model's key);
    /// each record's arity and source reference (no duplicate); entity and
    /// household ids (from 1, none above the id counters); each link (two
    /// distinct records by position, once, a finite weight at or above the
    /// review threshold, and rules under which both records share a key);
    /// each decision (two distinct stored records, one decision per pair, a
    /// forced link within one entity, a forced split across two); and that
    /// the records of each entity are joined by links at the match threshold
    /// or forced links, as clustering would have joined them.
    ///
    /// # Errors
    /// As [`Resolver::new`] for the configuration; [`Error::DuplicateSource`] for
    /// a repeated record; [`Error::Arity`] for a record that does not fit the
    /// schema; [`Error::Snapshot`] naming the entry that breaks any other
    /// invariant (`version`, `records[3].entity`, `links[7].rules`,
    /// `decisions[0]`…); [`Error::Capacity`] when households must be found
    /// again and the household id counter has no room left.
    pub fn restore(snapshot: Snapshot) -> Result<Resolver> {
        if snapshot.version != SNAPSHOT_VERSION {
            return Err(Error::snapshot(
                "version",
                format!(
                    "format version {} is not supported (this library reads version {SNAPSHOT_VERSION})",
                    snapshot.version
                ),
            ));
        }
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
        resolver.restore_links(&snapshot.links)?;
        resolver.entities.resume_after(snapshot.last_entity);
        resolver.households.resume_after(snapshot.last_household);
        resolver.restore_decisions(snapshot.decisions)?;
        resolver.check_entities_are_joined(n)?;
        for s in 0..n {
            resolver.held.hold(&resolver.engine, &resolver.prepared, s);
        }
        if households_missing {
            // A snapshot from before households: find them (fresh ids for
            // the records that had none).
            resolver.households.ensure_room(n, "household")?;
            let all: Vec<u32> = (0..n as u32).collect();
            resolver.rehouse(&all);
        }
        Ok(resolver)
    }

    /// Checks and stores the links of a snapshot of `self.records.len()` records.
    fn restore_links(&mut self, links: &[SnapshotLink]) -> Result<()> {
        let n = self.records.len();
        let rules = self.engine.blocker().rule_count();
        let keep = self.engine.policy().keep_weight();
        let mut seen: HashSet<(u32, u32)> = HashSet::with_capacity(links.len());
        for (k, l) in links.iter().enumerate() {
            let path = || format!("links[{k}]");
            if l.a >= l.b || l.b as usize >= n {
                return Err(Error::snapshot(
                    path(),
                    format!("a link must join two distinct records by position a < b < {n}"),
                ));
            }
            if !l.weight.is_finite() || l.weight < keep {
                return Err(Error::snapshot(
                    format!("{}.weight", path()),
                    format!(
                        "{} is not a finite weight at or above the review threshold ({keep})",
                        l.weight
                    ),
                ));
            }
            if !seen.insert((l.a, l.b)) {
                return Err(Error::snapshot(path(), "a second link between the same records"));
            }
            let blocker = self.engine.blocker();
            let shared = |r: usize, buf: &mut Vec<u8>| {
                let key = blocker.key(r, &self.prepared, l.a as usize, buf);
                key != 0 && key == blocker.key(r, &self.prepared, l.b as usize, buf)
            };
            let known = if rules >= 32 { u32::MAX } else { (1u32 << rules) - 1 };
            if l.rules == 0
                || l.rules & !known != 0
                || !(0..rules).all(|r| l.rules & (1 << r) == 0 || shared(r, &mut self.key_buf))
            {
                return Err(Error::snapshot(
                    format!("{}.rules", path()),
                    format!(
                        "rule bits {:#x}: a link needs at least one of the {rules} rules, each one \
                         under which both records share a key",
                        l.rules
                    ),
                ));
            }
            self.links.link(l.a, l.b, l.weight, l.rules);
        }
        Ok(())
    }

    /// Checks and records the manual decisions of a snapshot (its records stored).
    fn restore_decisions(
        &mut self,
        decisions: Vec<(SourceRef, SourceRef, ManualDecision)>,
    ) -> Result<()> {
        // A forced link may join two entities only when a forced split holds
        // them apart (the split wins): checked once every split is known.
        let mut links_across = Vec::new();
        let mut split_apart = std::collections::HashSet::new();
        for (k, (a, b, d)) in decisions.into_iter().enumerate() {
            let path = format!("decisions[{k}]");
            let (Some(sa), Some(sb)) = (self.records.slot_of(&a), self.records.slot_of(&b)) else {
                return Err(Error::snapshot(path, "a decision must join two stored records"));
            };
            if sa == sb {
                return Err(Error::snapshot(path, "a decision must join two distinct records"));
            }
            if self.decisions.get(&a, &b).is_some() {
                return Err(Error::snapshot(path, "a second decision on the same records"));
            }
            let (ea, eb) = (self.entities.group_of(sa), self.entities.group_of(sb));
            match d {
                ManualDecision::ForceLink if ea != eb => links_across.push((path, ea, eb)),
                ManualDecision::ForceSplit if ea == eb => {
                    return Err(Error::snapshot(path, "a forced split lies within one entity"));
                }
                ManualDecision::ForceSplit => {
                    split_apart.insert((ea.min(eb), ea.max(eb)));
                }
                ManualDecision::ForceLink => {}
            }
            self.decisions.set(a, b, d);
        }
        for (path, ea, eb) in links_across {
            if !split_apart.contains(&(ea.min(eb), ea.max(eb))) {
                return Err(Error::snapshot(
                    path,
                    "a forced link joins two entities that no forced split holds apart",
                ));
            }
        }
        Ok(())
    }

    /// Checks that the records of each entity are joined by links at the
    /// match threshold or forced links (clustering joins records no other way).
    fn check_entities_are_joined(&self, n: usize) -> Result<()> {
        let match_weight = self.engine.policy().match_weight();
        let mut joined = UnionFind::new(n);
        for s in 0..n as u32 {
            for l in self.links.of(s) {
                if l.weight() >= match_weight {
                    joined.union(s as usize, l.other() as usize);
                }
            }
        }
        for (a, b, d) in self.decisions.pairs() {
            if d == ManualDecision::ForceLink {
                if let (Some(x), Some(y)) = (self.records.slot_of(&a), self.records.slot_of(&b)) {
                    joined.union(x as usize, y as usize);
                }
            }
        }
        let mut root_of: HashMap<EntityId, usize> = HashMap::new();
        for s in 0..n {
            let Some(id) = self.entities.group_of(s as u32) else { continue };
            let root = joined.find(s);
            if *root_of.entry(id).or_insert(root) != root {
                return Err(Error::snapshot(
                    format!("records[{s}].entity"),
                    format!(
                        "entity {id} holds records that no chain of links at the match \
                         threshold (or forced links) joins"
                    ),
                ));
            }
        }
        Ok(())
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
