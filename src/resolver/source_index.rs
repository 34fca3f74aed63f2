//! Source reference → live slot, without a second copy of the reference.

use crate::hash::Fnv64;

/// A stable 32-bit hash of a source reference (FNV-1a over system, a separator and id).
pub(super) fn source_hash(system: &str, id: &[u8]) -> u32 {
    let h = Fnv64::new().write(system.as_bytes()).write(&[0x1f]).write(id).finish();
    (h ^ (h >> 29)) as u32 ^ (h >> 32) as u32
}

/// The table hash of an entry, from the 32 hash bits it keeps.
fn spread(bits: u32) -> u64 {
    u64::from(bits).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The table holds slot numbers with 32 bits of their source's
/// [`source_hash`], so growing it reads no record; a look-up confirms a
/// candidate slot with the caller's `holds` test against the slot's own record.
#[derive(Debug, Default)]
pub(super) struct SourceIndex {
    /// (slot, hash bits) per indexed source.
    table: hashbrown::HashTable<(u32, u32)>,
}

impl SourceIndex {
    /// Number of indexed sources.
    pub(super) fn len(&self) -> usize {
        self.table.len()
    }

    /// The slot whose source has hash `bits` and passes `holds`.
    #[inline]
    pub(super) fn get(&self, bits: u32, holds: impl Fn(u32) -> bool) -> Option<u32> {
        self.table.find(spread(bits), |&(s, h)| h == bits && holds(s)).map(|e| e.0)
    }

    /// Makes room for `additional` more sources.
    pub(super) fn reserve(&mut self, additional: usize) {
        self.table.reserve(additional, |&(_, h)| spread(h));
    }

    /// Indexes slot `s`, whose source hashes to `bits` and is not indexed yet.
    pub(super) fn insert(&mut self, s: u32, bits: u32) {
        self.table.insert_unique(spread(bits), (s, bits), |&(_, h)| spread(h));
    }

    /// Unindexes the slot whose source has hash `bits` and passes `holds`.
    pub(super) fn remove(&mut self, bits: u32, holds: impl Fn(u32) -> bool) {
        if let Ok(entry) = self.table.find_entry(spread(bits), |&(s, h)| h == bits && holds(s)) {
            entry.remove();
        }
    }

    /// Forgets every source, keeping room for `capacity` of them.
    pub(super) fn clear_to(&mut self, capacity: usize) {
        *self = SourceIndex::default();
        self.reserve(capacity);
    }
}
