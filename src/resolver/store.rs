//! The record store: every slot's compact record, the interned source
//! systems, and the index from source reference to slot.
//!
//! Slots are appended and never reused: a removed or replaced record leaves
//! its slot empty (its values erased) until [`RecordStore::compact`] moves the
//! live records to dense slots. The other parts of the resolver's state are
//! indexed by slot number, so a compaction hands them the [`Moves`] to follow.

use std::cmp::Ordering;

use super::source_index::{source_hash, SourceIndex};
use super::stored::{SourceView, StoredRecord, Systems};
use crate::record::{Record, SourceRef};

/// The stored records, by slot, with the source index over the live ones.
#[derive(Debug, Default)]
pub(super) struct RecordStore {
    /// Each slot's record; `None` once removed or replaced.
    slots: Vec<Option<StoredRecord>>,
    /// The source systems the records name by index.
    systems: Systems,
    /// Source reference → live slot (every live slot, no other).
    index: SourceIndex,
}

/// True when slot `s` holds `source`'s record.
fn holds(slots: &[Option<StoredRecord>], systems: &Systems, s: u32, source: &SourceRef) -> bool {
    slots[s as usize].as_ref().is_some_and(|r| r.is_from(source, systems))
}

impl RecordStore {
    /// Number of live records.
    pub(super) fn len(&self) -> usize {
        self.index.len()
    }

    /// Number of slots, live or not (the next record's slot number).
    pub(super) fn slot_count(&self) -> usize {
        self.slots.len()
    }

    /// Number of slots left empty by removed or replaced records.
    pub(super) fn dead_slots(&self) -> usize {
        self.slots.len() - self.index.len()
    }

    /// Makes room for `additional` more records.
    pub(super) fn reserve(&mut self, additional: usize) {
        self.slots.reserve_exact(additional);
        self.index.reserve(additional);
    }

    /// The live slot of `source`'s record.
    pub(super) fn slot_of(&self, source: &SourceRef) -> Option<u32> {
        let bits = source_hash(&source.system, source.id.as_bytes());
        self.index.get(bits, |s| holds(&self.slots, &self.systems, s, source))
    }

    /// True when slot `s` holds a record.
    pub(super) fn is_live(&self, s: u32) -> bool {
        self.slots[s as usize].is_some()
    }

    /// The live slots, in slot order.
    pub(super) fn live_slots(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.slots.len() as u32).filter(|&s| self.is_live(s))
    }

    /// The source reference of slot `s`'s record (`None` for an empty slot).
    pub(super) fn source(&self, s: u32) -> Option<SourceView<'_>> {
        self.slots[s as usize].as_ref().map(|r| r.source(&self.systems))
    }

    /// The source reference of live slot `s`.
    ///
    /// # Panics
    /// When the slot is empty.
    pub(super) fn live_source(&self, s: u32) -> SourceView<'_> {
        self.source(s).expect("live slot")
    }

    /// Slot `s`'s record, owned (`None` for an empty slot).
    pub(super) fn record(&self, s: u32) -> Option<Record> {
        self.slots[s as usize].as_ref().map(|r| r.to_record(&self.systems))
    }

    /// The stored record of live slot `s`.
    fn live(&self, s: u32) -> &StoredRecord {
        self.slots[s as usize].as_ref().expect("live slot")
    }

    /// True when live slot `s` holds exactly `record`'s values and observation
    /// time (the source is the caller's to check).
    pub(super) fn same_as(&self, s: u32, record: &Record) -> bool {
        self.live(s).same_as(record)
    }

    /// The source order of the records of live slots `a` and `b`.
    pub(super) fn source_cmp(&self, a: u32, b: u32) -> Ordering {
        self.live(a).source_cmp(self.live(b), &self.systems)
    }

    /// Reads slot `o`'s record header and returns a value of it, so a pass over
    /// the candidates brings their headers into the cache before any is scored.
    #[inline]
    pub(super) fn touch(&self, o: u32) -> u64 {
        self.slots[o as usize].as_ref().map_or(0, |r| r.order_prefix() as u64)
    }

    /// Stores `record` in a new slot and indexes it; returns the slot. The
    /// caller has checked that no live record has its source reference.
    pub(super) fn push(&mut self, record: &Record) -> u32 {
        let s = self.slots.len() as u32;
        let system = self.systems.intern(&record.source().system);
        let stored = StoredRecord::new(record, system);
        let bits = source_hash(stored.system(&self.systems), stored.id());
        self.slots.push(Some(stored));
        self.index.insert(s, bits);
        s
    }

    /// Unindexes slot `s` and erases its record; returns its source reference
    /// (`None` when the slot was already empty).
    pub(super) fn erase(&mut self, s: u32) -> Option<SourceRef> {
        let source = self.source(s)?.to_owned();
        let bits = source_hash(&source.system, source.id.as_bytes());
        let (slots, systems) = (&self.slots, &self.systems);
        self.index.remove(bits, |x| holds(slots, systems, x, &source));
        self.slots[s as usize] = None;
        Some(source)
    }

    /// Moves every live record to a dense slot, in the same order, and
    /// re-indexes them; returns the moves, or `None` when no slot is empty.
    pub(super) fn compact(&mut self) -> Option<Moves> {
        let live: Vec<u32> = self.live_slots().collect();
        if live.len() == self.slots.len() {
            return None;
        }
        let moves = Moves::new(live, self.slots.len());
        self.slots.retain(Option::is_some);
        self.index.clear_to(self.slots.len());
        for (s, stored) in self.slots.iter().enumerate() {
            let stored = stored.as_ref().expect("live slot");
            self.index.insert(s as u32, source_hash(stored.system(&self.systems), stored.id()));
        }
        Some(moves)
    }
}

/// Where a compaction moved each slot: live slots to dense new slots, in the
/// same order; empty slots nowhere.
#[derive(Debug)]
pub(super) struct Moves {
    /// The old live slots, in order: new slot `n` is old slot `live[n]`.
    live: Vec<u32>,
    /// Old slot → new slot (`GONE` for an empty one).
    new_slot: Vec<u32>,
}

impl Moves {
    /// Marks an old slot that held no record.
    const GONE: u32 = u32::MAX;

    /// The moves of `live` (increasing) among `slots` old slots.
    fn new(live: Vec<u32>, slots: usize) -> Self {
        let mut new_slot = vec![Self::GONE; slots];
        for (n, &s) in live.iter().enumerate() {
            new_slot[s as usize] = n as u32;
        }
        Moves { live, new_slot }
    }

    /// The old live slots, in order (new slot `n` is the `n`-th).
    pub(super) fn live(&self) -> &[u32] {
        &self.live
    }

    /// The new slot of old slot `s`, or `None` when it was empty.
    pub(super) fn get(&self, s: u32) -> Option<u32> {
        let n = self.new_slot[s as usize];
        (n != Self::GONE).then_some(n)
    }

    /// The new slot of old slot `s`, which held a record (indexes of live
    /// records only ever hold live slots).
    ///
    /// # Panics
    /// In debug builds, when the slot was empty.
    pub(super) fn of_live(&self, s: u32) -> u32 {
        let n = self.new_slot[s as usize];
        debug_assert_ne!(n, Self::GONE, "slot {s} was empty");
        n
    }
}
